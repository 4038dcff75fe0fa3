/*
 * libFuzzer differential harness: ECDSA over secp256k1, verified three ways
 *   A. OpenSSL (EC_KEY on NID_secp256k1, ECDSA_do_verify / ECDSA_verify),
 *   B. libsecp256k1 (secp256k1_ecdsa_verify after parsing; S normalized first),
 *   C. libzerokey (zk_key_verify_digest).
 * Input: [mode][...]. Modes (mode % 4):
 *   0 valid: sk = SHA-256(32 input bytes), msg32 = SHA-256(rest); sign with
 *     libsecp256k1, then per the control byte: keep, flip one bit of r||s, flip
 *     one bit of msg32, use the high-S twin (n - s), or the other parity of
 *     the public key; the key is fed compressed or uncompressed.
 *   1 raw compact: pubkey (33 or 65 bytes) || msg32 || r||s, all from input.
 *   2 semi-valid: key and digest derived as in 0, r||s taken raw from input.
 *   3 DER: key and digest as in 0, signature = the remaining input bytes as
 *     DER (also a valid DER signature with one mutated byte when the control
 *     byte says so).
 * Acceptance rule compared (compact r||s): OpenSSL accepts high S, libsecp256k1
 * does not, so B verifies secp256k1_ecdsa_signature_normalize(sig) and C is
 * called with ZK_VERIFY_ALLOW_HIGH_S: A == B == C must hold for every input
 * whose public key all three parse. Without the flag C must equal B on the
 * un-normalized signature (low-S rule) and must not return ZK_OK for high S.
 * Key parsing: C (zk_key_from_public) accepting a key that A or B refuses is a
 * finding; A and B may additionally accept hybrid (0x06/0x07) keys that C
 * refuses (documented in docs/fuzzing.md).
 * DER (mode 3): C's strict DER (zk_sig_der_to_raw) accepting bytes that
 * OpenSSL's d2i + canonical re-encoding check or libsecp256k1's DER parser
 * refuses is a finding; when all three parse, the (r, s) values and the
 * verification results must agree. libsecp256k1 and OpenSSL acceptance
 * differences among themselves are expected (lax/overflow handling) and not
 * asserted. (Measured cases are listed in docs/fuzzing.md.)
 * Public-key recovery (every mode with a compact signature): for v = 0..3,
 * zk_key_recover(r||s||v) and secp256k1_ecdsa_recover must agree: when ours
 * succeeds libsecp256k1 succeeds with the same key; when libsecp256k1 succeeds
 * on a low-S signature ours succeeds too (ours may refuse high S); for an
 * untouched signature one v recovers the signer's key.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "zerokey/crypto.h"
#include "zerokey/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static secp256k1_context *ctx;
static EC_GROUP *grp;

static void init(void) {
  ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  grp = EC_GROUP_new_by_curve_name(NID_secp256k1);
  if (ctx == NULL || grp == NULL) abort();
}

/* A: OpenSSL. Returns 1 valid, 0 invalid, -1 key refused. */
static EC_KEY *ossl_key(const uint8_t *pub, size_t pub_len) {
  EC_KEY *k = EC_KEY_new();
  EC_POINT *p = EC_POINT_new(grp);
  if (k == NULL || p == NULL || EC_KEY_set_group(k, grp) != 1) abort();
  if (EC_POINT_oct2point(grp, p, pub, pub_len, NULL) != 1 || EC_KEY_set_public_key(k, p) != 1 ||
      EC_KEY_check_key(k) != 1) {
    EC_POINT_free(p);
    EC_KEY_free(k);
    return NULL;
  }
  EC_POINT_free(p);
  return k;
}

static int ossl_verify_compact(EC_KEY *k, const uint8_t msg[32], const uint8_t sig[64]) {
  ECDSA_SIG *s = ECDSA_SIG_new();
  BIGNUM *r = BN_bin2bn(sig, 32, NULL), *ss = BN_bin2bn(sig + 32, 32, NULL);
  if (s == NULL || r == NULL || ss == NULL || ECDSA_SIG_set0(s, r, ss) != 1) abort();
  int rc = ECDSA_do_verify(msg, 32, s, k);
  ECDSA_SIG_free(s);
  if (rc < 0) ERR_clear_error();
  return rc == 1;
}

/* B: libsecp256k1 on compact r||s; *high set when S > n/2. -2 = r or s overflow. */
static int secp_verify_compact(const secp256k1_pubkey *pk, const uint8_t msg[32],
                               const uint8_t sig[64], int normalize, int *high) {
  secp256k1_ecdsa_signature s, norm;
  if (!secp256k1_ecdsa_signature_parse_compact(ctx, &s, sig)) return -2;
  *high = secp256k1_ecdsa_signature_normalize(ctx, &norm, &s);
  return secp256k1_ecdsa_verify(ctx, normalize ? &norm : &s, msg, pk);
}

static void compare_compact(const uint8_t *pub, size_t pub_len, const uint8_t msg[32],
                            const uint8_t sig[64]) {
  secp256k1_pubkey pk;
  int b_key = secp256k1_ec_pubkey_parse(ctx, &pk, pub, pub_len);
  EC_KEY *ak = ossl_key(pub, pub_len);
  zk_key *ck = NULL;
  int c_key = zk_key_from_public(&ck, ZK_CURVE_SECP256K1, pub, pub_len) == ZK_OK;
  /* C may not be laxer than either reference. */
  if (c_key && (!b_key || ak == NULL)) abort();
  /* The three agree on SEC1 compressed / uncompressed keys. */
  if ((pub_len == 33 && (pub[0] == 2 || pub[0] == 3)) || (pub_len == 65 && pub[0] == 4)) {
    if (b_key != (ak != NULL) || b_key != c_key) abort();
  }
  if (!c_key) {
    EC_KEY_free(ak);
    return;
  }
  int a = ossl_verify_compact(ak, msg, sig);
  int high = 0;
  int b = secp_verify_compact(&pk, msg, sig, 1, &high);
  int b_strict = b == -2 ? -2 : secp_verify_compact(&pk, msg, sig, 0, &high);
  zk_status c = zk_key_verify_digest(ck, ZK_SIG_RAW, ZK_VERIFY_ALLOW_HIGH_S, sig, 64, msg, 32);
  zk_status c_strict = zk_key_verify_digest(ck, ZK_SIG_RAW, 0, sig, 64, msg, 32);
  if (b == -2) {
    /* r or s >= n: OpenSSL must refuse too, and so must we. */
    if (a || c == ZK_OK || c_strict == ZK_OK) abort();
  } else {
    if (a != b || b != (c == ZK_OK)) abort();
    if ((c_strict == ZK_OK) != (b_strict == 1)) abort();
    if (high && c_strict == ZK_OK) abort();
    if (high && b == 1 && c_strict != ZK_ERR_HIGH_S) abort();
  }
  zk_key_free(ck);
  EC_KEY_free(ak);
}

/* Returns the number of v in 0..3 for which zk_key_recover gives back pub. */
static int compare_recover(const uint8_t *pub, size_t pub_len, const uint8_t msg[32],
                           const uint8_t rs[64]) {
  int hits = 0;
  for (int v = 0; v < 4; v++) {
    uint8_t sig[65], a[33], b[33];
    size_t al = sizeof a, bl = sizeof b;
    memcpy(sig, rs, 64);
    sig[64] = (uint8_t)v;
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_ecdsa_signature plain, norm;
    secp256k1_pubkey pk;
    int b_ok = secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig, rs, v) &&
               secp256k1_ecdsa_recover(ctx, &pk, &rsig, msg);
    int high = secp256k1_ecdsa_signature_parse_compact(ctx, &plain, rs) &&
               secp256k1_ecdsa_signature_normalize(ctx, &norm, &plain);
    zk_key *k = NULL;
    int c_ok = zk_key_recover(&k, sig, sizeof sig, msg, 32) == ZK_OK;
    if (c_ok) {
      if (!b_ok) abort();
      if (zk_key_export_public(k, ZK_PUB_COMPRESSED, a, &al) != ZK_OK ||
          !secp256k1_ec_pubkey_serialize(ctx, b, &bl, &pk, SECP256K1_EC_COMPRESSED) || al != bl ||
          memcmp(a, b, al) != 0)
        abort();
      uint8_t mine[65];
      size_t ml = sizeof mine;
      if (zk_key_export_public(k, pub_len == 33 ? ZK_PUB_COMPRESSED : ZK_PUB_UNCOMPRESSED, mine,
                               &ml) != ZK_OK)
        abort();
      if (ml == pub_len && memcmp(mine, pub, ml) == 0) hits++;
    } else if (b_ok && !high) {
      abort();
    }
    zk_key_free(k);
  }
  return hits;
}

/* DER: OpenSSL's d2i plus the canonical re-encoding check ECDSA_verify applies. */
static int ossl_der_parse(uint8_t rs[64], const uint8_t *der, size_t n) {
  const unsigned char *p = der;
  ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)n);
  if (s == NULL) return 0;
  unsigned char *re = NULL;
  int rl = i2d_ECDSA_SIG(s, &re);
  int ok = p == der + n && rl == (int)n && memcmp(re, der, n) == 0;
  const BIGNUM *r, *ss;
  ECDSA_SIG_get0(s, &r, &ss);
  if (ok && (BN_num_bytes(r) > 32 || BN_num_bytes(ss) > 32)) ok = -1; /* out of range */
  if (ok == 1 && (BN_bn2binpad(r, rs, 32) != 32 || BN_bn2binpad(ss, rs + 32, 32) != 32)) abort();
  OPENSSL_free(re);
  ECDSA_SIG_free(s);
  return ok;
}

static void compare_der(const zk_key *ck, const uint8_t *pub, size_t pub_len, const uint8_t msg[32],
                        const uint8_t *der, size_t n) {
  uint8_t c_rs[64], a_rs[64], b_rs[64];
  size_t c_len = sizeof c_rs;
  int c_ok = zk_sig_der_to_raw(c_rs, &c_len, ZK_CURVE_SECP256K1, der, n) == ZK_OK;
  int a_ok = ossl_der_parse(a_rs, der, n);
  secp256k1_ecdsa_signature bs;
  int b_ok = secp256k1_ecdsa_signature_parse_der(ctx, &bs, der, n);
  if (b_ok) secp256k1_ecdsa_signature_serialize_compact(ctx, b_rs, &bs);
  if (c_ok) {
    /* zk_sig_der_to_raw is an encoding conversion: r, s in 1..2^256-1; the
     * range check against n is the verifier's. libsecp256k1 parses r or s >= n
     * as an overflow (stored as zero), so values are compared when in range. */
    secp256k1_ecdsa_signature tmp;
    int in_range = secp256k1_ecdsa_signature_parse_compact(ctx, &tmp, c_rs);
    if (c_len != 64 || a_ok != 1 || !b_ok) abort();
    if (memcmp(c_rs, a_rs, 64) != 0 || (in_range && memcmp(c_rs, b_rs, 64) != 0)) abort();
  }
  zk_status c = zk_key_verify_digest(ck, ZK_SIG_DER, ZK_VERIFY_ALLOW_HIGH_S, der, n, msg, 32);
  if (c == ZK_OK && !c_ok) abort();
  if (c_ok) {
    /* Same answer as the compact comparison on the decoded values. */
    compare_compact(pub, pub_len, msg, c_rs);
    secp256k1_pubkey pk;
    secp256k1_ecdsa_signature norm;
    if (!secp256k1_ec_pubkey_parse(ctx, &pk, pub, pub_len)) abort();
    secp256k1_ecdsa_signature_normalize(ctx, &norm, &bs);
    int b = secp256k1_ecdsa_verify(ctx, &norm, msg, &pk);
    EC_KEY *ak = ossl_key(pub, pub_len);
    if (ak == NULL) abort();
    int a = ECDSA_verify(0, msg, 32, der, (int)n, ak) == 1;
    EC_KEY_free(ak);
    if (a != b || b != (c == ZK_OK)) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (ctx == NULL) init();
  if (size < 1) return 0;
  uint8_t mode = data[0] % 4;
  const uint8_t *in = data + 1;
  size_t n = size - 1;

  if (mode == 1) {
    if (n < 33 + 32 + 64) return 0;
    size_t pl = (in[0] == 4 || in[0] == 6 || in[0] == 7) && n >= 65 + 32 + 64 ? 65 : 33;
    compare_compact(in, pl, in + pl, in + pl + 32);
    return 0;
  }

  /* Modes 0, 2, 3: derive a key pair and a digest. */
  if (n < 33) return 0;
  uint8_t ctl = in[0], sk[32], msg[32], pub[65];
  if (zk_sha256(sk, in + 1, 32) != ZK_OK) abort();
  in += 33;
  n -= 33;
  if (!secp256k1_ec_seckey_verify(ctx, sk)) return 0;
  secp256k1_pubkey pk;
  if (!secp256k1_ec_pubkey_create(ctx, &pk, sk)) abort();
  size_t pub_len = (ctl & 1) ? 65 : 33;
  if (!secp256k1_ec_pubkey_serialize(
          ctx, pub, &pub_len, &pk, (ctl & 1) ? SECP256K1_EC_UNCOMPRESSED : SECP256K1_EC_COMPRESSED))
    abort();
  OPENSSL_cleanse(sk, sizeof sk);

  if (mode == 2) {
    if (n < 64) return 0;
    if (zk_sha256(msg, in + 64, n - 64) != ZK_OK) abort();
    compare_compact(pub, pub_len, msg, in);
    (void)compare_recover(pub, pub_len, msg, in);
    return 0;
  }
  if (zk_sha256(msg, in, n) != ZK_OK) abort();
  uint8_t sk2[32];
  if (zk_sha256(sk2, data + 2, 32) != ZK_OK) abort();
  secp256k1_ecdsa_signature sig;
  if (!secp256k1_ecdsa_sign(ctx, &sig, msg, sk2, NULL, NULL)) abort();
  OPENSSL_cleanse(sk2, sizeof sk2);
  uint8_t rs[64];
  secp256k1_ecdsa_signature_serialize_compact(ctx, rs, &sig);
  /* The untouched signature is valid under every implementation. */
  zk_key *ck = NULL;
  if (zk_key_from_public(&ck, ZK_CURVE_SECP256K1, pub, pub_len) != ZK_OK) abort();
  if (zk_key_verify_digest(ck, ZK_SIG_RAW, 0, rs, 64, msg, 32) != ZK_OK) abort();

  uint8_t pos = n ? in[0] : 0;
  switch ((ctl >> 1) % 5) {
    case 0:
      break;
    case 1:
      rs[pos % 64] ^= (uint8_t)(1u << ((ctl >> 4) & 7));
      break;
    case 2:
      msg[pos % 32] ^= (uint8_t)(1u << ((ctl >> 4) & 7));
      break;
    case 3: { /* the high-S twin: s' = n - s, valid for OpenSSL, refused by strict rules */
      secp256k1_ecdsa_signature hs;
      BIGNUM *order = BN_new(), *s = BN_bin2bn(rs + 32, 32, NULL);
      if (order == NULL || s == NULL || EC_GROUP_get_order(grp, order, NULL) != 1 ||
          BN_sub(s, order, s) != 1 || BN_bn2binpad(s, rs + 32, 32) != 32)
        abort();
      BN_free(order);
      BN_free(s);
      if (!secp256k1_ecdsa_signature_parse_compact(ctx, &hs, rs)) abort();
      break;
    }
    default:
      pub[0] ^= pub_len == 33 ? 1 : 0; /* the other point with this x */
      if (pub_len == 65) pub[64] ^= 1; /* not on the curve (or another point) */
      break;
  }
  if (mode == 0) {
    compare_compact(pub, pub_len, msg, rs);
    int hits = compare_recover(pub, pub_len, msg, rs);
    if ((ctl >> 1) % 5 == 0 && hits == 0) abort(); /* the signer's key is recoverable */
  } else {
    uint8_t der[80];
    size_t dl = sizeof der;
    const uint8_t *d = in;
    size_t dn = n;
    if ((ctl & 0x80) || n == 0) { /* a real DER encoding, maybe with one byte changed */
      if (zk_sig_raw_to_der(der, &dl, ZK_CURVE_SECP256K1, rs, 64) != ZK_OK) abort();
      if (n > 1 && (ctl & 0x40)) der[in[1] % dl] ^= n > 2 ? in[2] : 1;
      d = der;
      dn = dl;
    }
    zk_key *k2 = NULL;
    if (zk_key_from_public(&k2, ZK_CURVE_SECP256K1, pub, pub_len) == ZK_OK) {
      compare_der(k2, pub, pub_len, msg, d, dn);
      zk_key_free(k2);
    }
  }
  zk_key_free(ck);
  return 0;
}
