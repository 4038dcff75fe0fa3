/*
 * libFuzzer round-trip harness: COSE_Sign1 (lib/cose.c).
 * Input: [mode][...]; keys as in fuzz_cose (secret 01 02 03 ..., one per alg).
 *  mode even: x = rest. parse(x) ok =>
 *    - y = create(key of x's alg, kid(x), payload(x), tagged(x)) parses to the
 *      same alg, kid, payload and tag, and verifies under that key;
 *    - when x verifies under the harness key and was made by our encoder
 *      (same protected header, same length as y), y == x byte for byte
 *      (EdDSA only: ECDSA signatures differ between signings);
 *    - zk_cose_sign1_verify(x) agrees with zk_key_verify over
 *      zk_cose_sig_structure(protected(x), payload(x)) (low-S rule for both;
 *      high S only in the manual check with ZK_VERIFY_ALLOW_HIGH_S).
 *  mode odd: [alg][flags][kid_len][kid][payload]: create -> parse gives back
 *    every field, verifies, and does not verify with an external AAD.
 * The parsed form is not re-encoded by a public serializer (there is none);
 * the CBOR layer's own re-encoding fixed point is asserted in fuzz_cbor.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/cose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_key *keys[4];
static const int64_t ALGS[4] = {ZK_COSE_ALG_ES256, ZK_COSE_ALG_ES256K, ZK_COSE_ALG_ES384,
                                ZK_COSE_ALG_EDDSA};

static void init_keys(void) {
  static const zk_curve curves[4] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_P384,
                                     ZK_CURVE_ED25519};
  static const size_t lens[4] = {32, 32, 48, 32};
  uint8_t secret[48];
  for (size_t i = 0; i < sizeof secret; i++) secret[i] = (uint8_t)(i + 1);
  for (size_t k = 0; k < 4; k++)
    if (zk_key_from_private(&keys[k], curves[k], secret, lens[k]) != ZK_OK) abort();
}

static int key_index(int64_t alg) {
  for (int i = 0; i < 4; i++)
    if (ALGS[i] == alg) return i;
  abort(); /* the parser accepted an algorithm outside its list */
}

/* Parse buf and check it against the expected fields. */
static zk_cose_sign1 *expect(const uint8_t *buf, size_t len, int64_t alg, const uint8_t *kid,
                             size_t kl, const uint8_t *pl, size_t pll, int tagged) {
  zk_cose_sign1 *m = NULL;
  size_t a = 0, b = 0;
  if (zk_cose_sign1_parse(&m, buf, len, NULL) != ZK_OK) abort();
  const uint8_t *k2 = zk_cose_sign1_kid(m, &a);
  const uint8_t *p2 = zk_cose_sign1_payload(m, &b);
  if (zk_cose_sign1_alg(m) != alg || !zk_cose_sign1_is_tagged(m) != !tagged || a != kl ||
      b != pll || (kl && memcmp(k2, kid, kl) != 0) || (pll && memcmp(p2, pl, pll) != 0))
    abort();
  return m;
}

static void parsed(const uint8_t *x, size_t n) {
  zk_cose_sign1 *m = NULL;
  if (zk_cose_sign1_parse(&m, x, n, NULL) != ZK_OK) return;
  size_t kl = 0, pl = 0, hl = 0, sl = 0;
  const uint8_t *kid = zk_cose_sign1_kid(m, &kl);
  const uint8_t *pay = zk_cose_sign1_payload(m, &pl);
  const uint8_t *prot = zk_cose_sign1_protected(m, &hl);
  const uint8_t *sig = zk_cose_sign1_signature(m, &sl);
  int64_t alg = zk_cose_sign1_alg(m);
  int ki = key_index(alg), tagged = zk_cose_sign1_is_tagged(m);
  const zk_key *key = keys[ki];

  uint8_t *y = NULL;
  size_t yl = 0;
  if (zk_cose_sign1_create(&y, &yl, key, kl ? kid : NULL, kl, pay, pl, NULL, 0,
                           tagged ? ZK_COSE_TAGGED : 0) != ZK_OK)
    abort();
  zk_cose_sign1 *my = expect(y, yl, alg, kid, kl, pay, pl, tagged);
  if (zk_cose_sign1_verify(my, key, NULL, 0) != ZK_OK) abort();

  int ok = zk_cose_sign1_verify(m, key, NULL, 0) == ZK_OK;
  size_t yhl = 0;
  const uint8_t *yprot = zk_cose_sign1_protected(my, &yhl);
  if (ok && alg == ZK_COSE_ALG_EDDSA && yl == n && yhl == hl && memcmp(yprot, prot, hl) == 0 &&
      memcmp(y, x, n) != 0)
    abort();

  uint8_t *ss = NULL;
  size_t ssl = 0;
  if (zk_cose_sig_structure(&ss, &ssl, prot, hl, NULL, 0, pay, pl) != ZK_OK) abort();
  zk_sig_format f = alg == ZK_COSE_ALG_EDDSA ? ZK_SIG_EDDSA : ZK_SIG_RAW;
  int strict = zk_key_verify(key, f, 0, sig, sl, ss, ssl) == ZK_OK;
  int lax = zk_key_verify(key, f, ZK_VERIFY_ALLOW_HIGH_S, sig, sl, ss, ssl) == ZK_OK;
  if ((strict && !ok) || (ok && !lax)) abort();
  zk_free(ss);
  zk_free(y);
  zk_cose_sign1_free(my);
  zk_cose_sign1_free(m);
}

static void built(const uint8_t *d, size_t n) {
  if (n < 3) return;
  int ki = d[0] % 4, tagged = d[1] & 1;
  size_t kl = d[2] % (ZK_COSE_MAX_KID_LEN + 1);
  d += 3;
  n -= 3;
  if (kl > n) kl = n;
  const uint8_t *kid = kl ? d : NULL;
  uint8_t *y = NULL;
  size_t yl = 0;
  if (zk_cose_sign1_create(&y, &yl, keys[ki], kid, kl, d + kl, n - kl, NULL, 0,
                           tagged ? ZK_COSE_TAGGED : 0) != ZK_OK)
    abort();
  zk_cose_sign1 *m = expect(y, yl, ALGS[ki], kid, kl, d + kl, n - kl, tagged);
  if (zk_cose_sign1_verify(m, keys[ki], NULL, 0) != ZK_OK) abort();
  if (zk_cose_sign1_verify(m, keys[ki], (const uint8_t *)"aad", 3) == ZK_OK) abort();
  if (zk_cose_sign1_verify(m, keys[(ki + 1) % 4], NULL, 0) == ZK_OK) abort();
  zk_cose_sign1_free(m);
  zk_free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (keys[0] == NULL) init_keys();
  if (size < 1) return 0;
  if (data[0] & 1)
    built(data + 1, size - 1);
  else
    parsed(data + 1, size - 1);
  return 0;
}
