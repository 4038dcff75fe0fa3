/*
 * libFuzzer round-trip harness: Shamir share encoding (lib/shamir.c) and QOS
 * key encodings (lib/qos.c).
 * Input: [mode][...]
 *  mode 0 (Shamir): [n][k][subset bits (2 bytes)][secret]: split into
 *    n = 1 + n % 32 shares with threshold k = 1 + k % n; every share is
 *    x || y with x = index + 1 and y of the secret's length; combining the
 *    first k, all n, and any subset of at least k shares chosen by the bits
 *    gives the secret back (combine and combine_var agree); a duplicated x is
 *    refused.
 *  mode 1 (QOS public key): zk_qos_pubkey_parse(x) ok => zk_qos_pubkey_bytes
 *    == x (130 bytes, the encoding is fixed-size and canonical), and
 *    zk_qos_verify over the same bytes matches zk_qos_pubkey_verify.
 *  mode 2 (QOS seed): keyset_from_seed(x) ok => keyset_seed == x, its public
 *    key parses to the same bytes, keyset_from_hex(hex(x)) gives the same
 *    public key, and a signature verifies (and fails once flipped).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/qos.h"
#include "zerokey/shamir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXN 32

static void combine_expect(const uint8_t *const *sh, size_t share_len, size_t count,
                           const uint8_t *secret, size_t sl) {
  uint8_t out[ZK_SHAMIR_MAX_SECRET_LEN];
  size_t w = 0, lens[MAXN];
  if (zk_shamir_combine(out, sizeof out, &w, sh, share_len, count) != ZK_OK || w != sl ||
      memcmp(out, secret, sl) != 0)
    abort();
  for (size_t i = 0; i < count; i++) lens[i] = share_len;
  w = 0;
  if (zk_shamir_combine_var(out, sizeof out, &w, sh, lens, count) != ZK_OK || w != sl ||
      memcmp(out, secret, sl) != 0)
    abort();
  zk_wipe(out, sizeof out);
}

static void shamir(const uint8_t *d, size_t n) {
  if (n < 5) return;
  size_t ns = 1 + d[0] % MAXN, k = 1 + d[1] % ns;
  unsigned bits = (unsigned)d[2] | ((unsigned)d[3] << 8) | ((unsigned)d[0] << 16);
  const uint8_t *secret = d + 4;
  size_t sl = n - 4;
  if (sl > 512) sl = 512;
  size_t share_len = ZK_SHAMIR_SHARE_LEN(sl);
  uint8_t *shares = malloc(ns * share_len);
  if (shares == NULL) return;
  if (zk_shamir_split(shares, ns * share_len, ns, k, secret, sl) != ZK_OK) abort();
  const uint8_t *ptr[MAXN];
  for (size_t i = 0; i < ns; i++) {
    ptr[i] = shares + i * share_len;
    if (ptr[i][0] != i + 1) abort(); /* share = x || y, x = i + 1 */
  }
  combine_expect(ptr, share_len, k, secret, sl);
  combine_expect(ptr, share_len, ns, secret, sl);
  const uint8_t *sub[MAXN];
  size_t c = 0;
  for (size_t i = 0; i < ns; i++)
    if (bits & (1u << (i % 24))) sub[c++] = ptr[i];
  if (c >= k) combine_expect(sub, share_len, c, secret, sl);
  if (ns >= 2) {
    const uint8_t *dup[2] = {ptr[0], ptr[0]};
    uint8_t out[ZK_SHAMIR_MAX_SECRET_LEN];
    size_t w = 0;
    if (zk_shamir_combine(out, sizeof out, &w, dup, share_len, 2) == ZK_OK) abort();
  }
  zk_wipe(shares, ns * share_len);
  free(shares);
}

static void qos_pub(const uint8_t *d, size_t n) {
  zk_qos_pubkey *pk = NULL;
  if (zk_qos_pubkey_parse(&pk, d, n) != ZK_OK) return;
  if (n != ZK_QOS_PUBLIC_LEN || memcmp(zk_qos_pubkey_bytes(pk), d, n) != 0) abort();
  static const uint8_t msg[] = "qos";
  uint8_t sig[ZK_QOS_SIG_LEN] = {0};
  memcpy(sig, d + 1, sizeof sig); /* any bytes: the two verify paths must agree */
  zk_status a = zk_qos_pubkey_verify(pk, sig, sizeof sig, msg, sizeof msg - 1);
  zk_status b = zk_qos_verify(d, n, sig, sizeof sig, msg, sizeof msg - 1);
  if ((a == ZK_OK) != (b == ZK_OK)) abort();
  zk_qos_pubkey_free(pk);
}

static void qos_seed(const uint8_t *d, size_t n) {
  zk_qos_keyset *ks = NULL, *ks2 = NULL;
  zk_qos_pubkey *pk = NULL;
  if (zk_qos_keyset_from_seed(&ks, d, n) != ZK_OK) return;
  uint8_t seed[ZK_QOS_SEED_LEN], sig[ZK_QOS_SIG_LEN];
  char hex[2 * ZK_QOS_SEED_LEN + 1];
  if (n != ZK_QOS_SEED_LEN || zk_qos_keyset_seed(ks, seed, sizeof seed) != ZK_OK ||
      memcmp(seed, d, n) != 0)
    abort();
  const uint8_t *pub = zk_qos_keyset_public(ks);
  if (zk_qos_pubkey_parse(&pk, pub, ZK_QOS_PUBLIC_LEN) != ZK_OK ||
      memcmp(zk_qos_pubkey_bytes(pk), pub, ZK_QOS_PUBLIC_LEN) != 0)
    abort();
  for (size_t i = 0; i < n; i++) {
    static const char digits[] = "0123456789abcdef";
    hex[2 * i] = digits[d[i] >> 4];
    hex[2 * i + 1] = digits[d[i] & 15];
  }
  hex[2 * n] = 0;
  if (zk_qos_keyset_from_hex(&ks2, hex, 2 * n) != ZK_OK ||
      memcmp(zk_qos_keyset_public(ks2), pub, ZK_QOS_PUBLIC_LEN) != 0)
    abort();
  static const uint8_t msg[] = "round trip";
  if (zk_qos_sign(ks, sig, sizeof sig, msg, sizeof msg - 1) != ZK_OK ||
      zk_qos_pubkey_verify(pk, sig, sizeof sig, msg, sizeof msg - 1) != ZK_OK)
    abort();
  sig[5] ^= 0x10;
  if (zk_qos_pubkey_verify(pk, sig, sizeof sig, msg, sizeof msg - 1) == ZK_OK) abort();
  zk_wipe(seed, sizeof seed);
  zk_wipe(hex, sizeof hex);
  zk_qos_pubkey_free(pk);
  zk_qos_keyset_free(ks);
  zk_qos_keyset_free(ks2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  switch (data[0] % 3) {
    case 0:
      shamir(data + 1, size - 1);
      break;
    case 1:
      qos_pub(data + 1, size - 1);
      break;
    default:
      qos_seed(data + 1, size - 1);
      break;
  }
  return 0;
}
