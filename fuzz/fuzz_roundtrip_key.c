/*
 * libFuzzer round-trip harness: key and signature encodings (lib/key.c).
 * Input: one selector byte, then the encoding.
 *   sel 0..3  zk_key_from_public on P-256, P-384, secp256k1, Ed25519
 *   sel 4     zk_key_from_spki
 *   sel 5..8  zk_key_from_private on P-256, P-384, secp256k1, Ed25519
 *   sel 9..11 zk_sig_raw_to_der on P-256, P-384, secp256k1
 * Properties (abort on violation):
 *  - public key: import(x) ok => export in x's own encoding == x byte for byte
 *    (SEC1 compressed 33/49, uncompressed 65/97, raw X||Y, Ed25519 32 raw,
 *    secp256k1 x-only 32); every other encoding is a fixed point
 *    (export -> import -> export gives the same bytes, same key);
 *  - SPKI: import(x) ok => export SPKI is a fixed point and == x unless x
 *    carries a compressed point (we always export uncompressed);
 *  - private: import(x) ok => export_private == x, the public key is the same
 *    when imported twice, and a signature made with it verifies under the
 *    exported public key;
 *  - signatures: raw_to_der(x) ok => der_to_raw == x (DER is canonical, so
 *    the DER -> raw -> DER direction is asserted in fuzz_key_import).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const zk_curve CURVES[4] = {ZK_CURVE_P256, ZK_CURVE_P384, ZK_CURVE_SECP256K1,
                                   ZK_CURVE_ED25519};

static size_t coord_len(zk_curve c) {
  return c == ZK_CURVE_P384 ? 48 : 32;
}

/* The encoding x is in, for a key that imported from x. */
static zk_pubkey_format format_of(zk_curve c, const uint8_t *x, size_t n) {
  size_t cl = coord_len(c);
  if (c == ZK_CURVE_ED25519) return ZK_PUB_RAW;
  if (n == cl + 1) return ZK_PUB_COMPRESSED;
  if (n == 2 * cl + 1) return ZK_PUB_UNCOMPRESSED;
  if (n == 2 * cl) return ZK_PUB_RAW;
  if (c == ZK_CURVE_SECP256K1 && n == 32) return ZK_PUB_XONLY;
  (void)x;
  abort(); /* an import from a length we do not know */
}

static void fixed_points(const zk_key *k) {
  static const zk_pubkey_format fs[] = {ZK_PUB_COMPRESSED, ZK_PUB_UNCOMPRESSED, ZK_PUB_RAW,
                                        ZK_PUB_SPKI_DER, ZK_PUB_XONLY};
  zk_curve c = zk_key_curve(k);
  for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
    uint8_t a[ZK_MAX_PUBKEY_LEN + 64], b[ZK_MAX_PUBKEY_LEN + 64];
    size_t al = sizeof a, bl = sizeof b;
    if (zk_key_export_public(k, fs[i], a, &al) != ZK_OK) continue; /* not for this curve */
    zk_key *k2 = NULL;
    zk_status s =
        fs[i] == ZK_PUB_SPKI_DER ? zk_key_from_spki(&k2, a, al) : zk_key_from_public(&k2, c, a, al);
    if (s != ZK_OK) abort();
    if (fs[i] != ZK_PUB_XONLY && !zk_key_public_equal(k, k2)) abort();
    if (zk_key_export_public(k2, fs[i], b, &bl) != ZK_OK || al != bl || memcmp(a, b, al) != 0)
      abort();
    zk_key_free(k2);
  }
}

static void pub(zk_curve c, const uint8_t *x, size_t n) {
  zk_key *k = NULL;
  if (zk_key_from_public(&k, c, x, n) != ZK_OK) return;
  uint8_t out[ZK_MAX_PUBKEY_LEN + 64];
  size_t ol = sizeof out;
  if (zk_key_export_public(k, format_of(c, x, n), out, &ol) != ZK_OK) abort();
  if (ol != n || memcmp(out, x, n) != 0) abort();
  fixed_points(k);
  zk_key_free(k);
}

static void spki(const uint8_t *x, size_t n) {
  zk_key *k = NULL;
  if (zk_key_from_spki(&k, x, n) != ZK_OK) return;
  uint8_t out[ZK_MAX_PUBKEY_LEN + 64];
  size_t ol = sizeof out;
  if (zk_key_export_public(k, ZK_PUB_SPKI_DER, out, &ol) != ZK_OK) abort();
  if (ol == n && memcmp(out, x, n) != 0) abort();
  if (ol != n) {
    /* only a compressed point inside may make x shorter */
    size_t cl = coord_len(zk_key_curve(k));
    if (zk_key_curve(k) == ZK_CURVE_ED25519 || ol != n + cl) abort();
  }
  fixed_points(k);
  zk_key_free(k);
}

static void priv(zk_curve c, const uint8_t *x, size_t n) {
  zk_key *k = NULL, *k2 = NULL, *pk = NULL;
  if (zk_key_from_private(&k, c, x, n) != ZK_OK) return;
  uint8_t sk[64], p1[ZK_MAX_PUBKEY_LEN], sig[ZK_MAX_SIG_LEN];
  size_t skl = sizeof sk, p1l = sizeof p1, sl = sizeof sig;
  if (zk_key_export_private(k, sk, &skl) != ZK_OK || skl != n || memcmp(sk, x, n) != 0) abort();
  if (zk_key_from_private(&k2, c, sk, skl) != ZK_OK || !zk_key_public_equal(k, k2)) abort();
  zk_pubkey_format f = c == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_UNCOMPRESSED;
  if (zk_key_export_public(k, f, p1, &p1l) != ZK_OK || zk_key_from_public(&pk, c, p1, p1l) != ZK_OK)
    abort();
  zk_sig_format sf = c == ZK_CURVE_ED25519 ? ZK_SIG_EDDSA : ZK_SIG_RAW;
  static const uint8_t msg[] = "round trip";
  if (zk_key_sign(k, sf, sig, &sl, msg, sizeof msg - 1) != ZK_OK ||
      zk_key_verify(pk, sf, 0, sig, sl, msg, sizeof msg - 1) != ZK_OK)
    abort();
  sig[0] ^= 1; /* self-check: the verification above can fail */
  if (zk_key_verify(pk, sf, 0, sig, sl, msg, sizeof msg - 1) == ZK_OK) abort();
  zk_wipe(sk, sizeof sk);
  zk_key_free(k);
  zk_key_free(k2);
  zk_key_free(pk);
}

static void sig(zk_curve c, const uint8_t *x, size_t n) {
  uint8_t der[ZK_MAX_SIG_LEN + 16], raw[128];
  size_t dl = sizeof der, rl = sizeof raw;
  if (zk_sig_raw_to_der(der, &dl, c, x, n) != ZK_OK) return;
  if (zk_sig_der_to_raw(raw, &rl, c, der, dl) != ZK_OK || rl != n || memcmp(raw, x, n) != 0)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t sel = data[0] % 12;
  size_t n = size - 1;
  uint8_t *x = malloc(n ? n : 1); /* exact-size copy: over-reads hit ASan */
  if (x == NULL) return 0;
  memcpy(x, data + 1, n);
  if (sel < 4)
    pub(CURVES[sel], x, n);
  else if (sel == 4)
    spki(x, n);
  else if (sel < 9)
    priv(CURVES[sel - 5], x, n);
  else
    sig(CURVES[sel - 9], x, n);
  free(x);
  return 0;
}
