/*
 * libFuzzer harness: the key and signature parsers of key.h on untrusted bytes.
 * Byte 0 selects the target, the rest is the input:
 *   0      zk_key_from_spki
 *   1..4   zk_key_from_public on P-256, secp256k1, Ed25519, P-384
 *   5..7   zk_sig_der_to_raw on P-256, secp256k1, P-384
 *   8..11  zk_key_verify with fixed keys: P-256 DER, P-384 raw, secp256k1 DER, Ed25519
 * Invariants checked (abort on violation):
 *   - an imported key re-exports (uncompressed / raw, and SPKI) and re-imports to an equal key;
 *   - a DER signature accepted by zk_sig_der_to_raw converts back to exactly the input bytes
 *     (strict DER: one encoding per value);
 *   - on error the out pointer is NULL and lengths are 0.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const zk_curve PUB_CURVES[4] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_ED25519,
                                       ZK_CURVE_P384};
static const zk_curve SIG_CURVES[3] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_P384};

static zk_key *fixed[4]; /* P-256, P-384, secp256k1, Ed25519 */

static void init_keys(void) {
  if (fixed[0] != NULL) return;
  static const zk_curve cs[4] = {ZK_CURVE_P256, ZK_CURVE_P384, ZK_CURVE_SECP256K1,
                                 ZK_CURVE_ED25519};
  for (int i = 0; i < 4; i++) {
    uint8_t sk[48];
    size_t n = cs[i] == ZK_CURVE_P384 ? 48 : 32;
    memset(sk, 0x11 * (i + 1), sizeof sk);
    if (zk_key_from_private(&fixed[i], cs[i], sk, n) != ZK_OK) abort();
  }
}

static void check_roundtrip(const zk_key *k) {
  zk_curve c = zk_key_curve(k);
  uint8_t buf[ZK_MAX_PUBKEY_LEN];
  size_t len = sizeof buf;
  zk_key *k2 = NULL;
  zk_pubkey_format f = c == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_UNCOMPRESSED;
  if (zk_key_export_public(k, f, buf, &len) != ZK_OK) abort();
  if (zk_key_from_public(&k2, c, buf, len) != ZK_OK || !zk_key_public_equal(k, k2)) abort();
  zk_key_free(k2);
  k2 = NULL;
  len = sizeof buf;
  if (zk_key_export_public(k, ZK_PUB_SPKI_DER, buf, &len) != ZK_OK) abort();
  if (zk_key_from_spki(&k2, buf, len) != ZK_OK || !zk_key_public_equal(k, k2)) abort();
  zk_key_free(k2);
  if (c != ZK_CURVE_ED25519) {
    k2 = NULL;
    len = sizeof buf;
    if (zk_key_export_public(k, ZK_PUB_COMPRESSED, buf, &len) != ZK_OK) abort();
    if (zk_key_from_public(&k2, c, buf, len) != ZK_OK || !zk_key_public_equal(k, k2)) abort();
    zk_key_free(k2);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  init_keys();
  uint8_t sel = data[0] % 12;
  const uint8_t *in = data + 1;
  size_t n = size - 1;
  /* Copy so that reads past n are caught by ASan. */
  uint8_t *p = malloc(n ? n : 1);
  if (p == NULL) return 0;
  if (n) memcpy(p, in, n);
  if (sel == 0) {
    zk_key *k = (zk_key *)(uintptr_t)1;
    if (zk_key_from_spki(&k, p, n) == ZK_OK) {
      check_roundtrip(k);
      zk_key_free(k);
    } else if (k != NULL) {
      abort();
    }
  } else if (sel <= 4) {
    zk_key *k = (zk_key *)(uintptr_t)1;
    if (zk_key_from_public(&k, PUB_CURVES[sel - 1], p, n) == ZK_OK) {
      check_roundtrip(k);
      zk_key_free(k);
    } else if (k != NULL) {
      abort();
    }
  } else if (sel <= 7) {
    zk_curve c = SIG_CURVES[sel - 5];
    uint8_t raw[96], der[ZK_MAX_SIG_LEN];
    size_t raw_len = sizeof raw, der_len = sizeof der;
    if (zk_sig_der_to_raw(raw, &raw_len, c, p, n) == ZK_OK) {
      if (zk_sig_raw_to_der(der, &der_len, c, raw, raw_len) != ZK_OK) abort();
      if (der_len != n || memcmp(der, p, n) != 0) abort();
    } else if (raw_len != 0) {
      abort();
    }
  } else {
    static const uint8_t msg[] = "fuzz";
    const zk_key *k = fixed[sel - 8];
    zk_sig_format f = sel == 8    ? ZK_SIG_DER
                      : sel == 9  ? ZK_SIG_RAW
                      : sel == 10 ? ZK_SIG_DER
                                  : ZK_SIG_EDDSA;
    /* A forged signature would be a finding; the fixed keys never signed "fuzz". */
    if (zk_key_verify(k, f, ZK_VERIFY_ALLOW_HIGH_S, p, n, msg, sizeof msg - 1) == ZK_OK) abort();
  }
  free(p);
  return 0;
}
