/*
 * Deterministic ECDSA (RFC 6979) vectors (rfc6979/):
 *  - rfc6979_nist_curves_sha256.json (RFC 6979 A.2.3-A.2.7): P-256/SHA-256 and
 *    P-384/SHA-384 keys sign "sample" and "test"; our raw r||s must equal the
 *    vector exactly (also through zk_key_sign_digest and DER), and the public
 *    key derived from the private scalar must equal (Ux, Uy). P-192, P-224 and
 *    P-521 are not supported by the library and are counted "not applicable".
 *  - cctv_p256_rejection_sampling.md (C2SP CCTV): a P-256 message whose first
 *    RFC 6979 candidate k is >= q, exercising the retry loop.
 *  - secp256k1_rfc6979_k.json: libsecp256k1 signs with the RFC 6979 nonce, so
 *    the r of our signature must equal x(k0*G) mod n. k0*G is obtained by
 *    importing k0 as a private key and exporting its public point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkt.h"

/* secp256k1 group order n, big-endian. */
static const uint8_t K1_N[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48,
                                 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41};

/* Left-pad hex-decoded big-endian bytes to exactly n bytes. */
static void hex_fixed(uint8_t *out, size_t n, const char *hex) {
  size_t len;
  uint8_t *b = zkt_hex(hex, &len);
  size_t off = 0;
  while (len - off > n && b[off] == 0) off++;
  if (len - off > n) fail_msg("value longer than %zu bytes: %s", n, hex);
  memset(out, 0, n);
  memcpy(out + n - (len - off), b + off, len - off);
  free(b);
}

/*
 * Sign msg with the private scalar x on curve and compare to (r, s); also check
 * the derived public key, digest signing, DER, determinism and verification.
 * Returns 1 if everything matched.
 */
static int check_nist(zk_curve curve, const char *x_hex, const char *ux_hex, const char *uy_hex,
                      const char *msg, const char *r_hex, const char *s_hex) {
  size_t fl = curve == ZK_CURVE_P384 ? 48 : 32;
  zk_hash_alg alg = curve == ZK_CURVE_P384 ? ZK_HASH_SHA384 : ZK_HASH_SHA256;
  uint8_t x[48], want[96 + 1], pub_want[97];
  hex_fixed(x, fl, x_hex);
  hex_fixed(want, fl, r_hex);
  hex_fixed(want + fl, fl, s_hex);
  pub_want[0] = 0x04;
  hex_fixed(pub_want + 1, fl, ux_hex);
  hex_fixed(pub_want + 1 + fl, fl, uy_hex);
  int ok = 1;
  zk_key *key = NULL;
  zkt_assert_ok(zk_key_from_private(&key, curve, x, fl));
  zk_wipe(x, sizeof x);
  uint8_t pub[ZK_MAX_PUBKEY_LEN];
  size_t pub_len = sizeof pub;
  zkt_assert_ok(zk_key_export_public(key, ZK_PUB_UNCOMPRESSED, pub, &pub_len));
  if (pub_len != 1 + 2 * fl || memcmp(pub, pub_want, pub_len) != 0) ok = 0;
  const uint8_t *m = (const uint8_t *)msg;
  size_t m_len = strlen(msg);
  uint8_t sig[ZK_MAX_SIG_LEN], sig2[ZK_MAX_SIG_LEN];
  size_t sig_len = sizeof sig, sig2_len = sizeof sig2;
  if (zk_key_sign(key, ZK_SIG_RAW, sig, &sig_len, m, m_len) != ZK_OK || sig_len != 2 * fl ||
      memcmp(sig, want, 2 * fl) != 0)
    ok = 0;
  /* The digest entry point gives the same signature. */
  uint8_t dg[ZK_SHA384_LEN];
  zkt_assert_ok(zk_hash(alg, dg, sizeof dg, m, m_len));
  if (zk_key_sign_digest(key, ZK_SIG_RAW, sig2, &sig2_len, dg, fl) != ZK_OK || sig2_len != 2 * fl ||
      memcmp(sig2, want, 2 * fl) != 0)
    ok = 0;
  /* DER output is the strict encoding of the same (r, s). */
  uint8_t der[ZK_MAX_SIG_LEN], der_want[ZK_MAX_SIG_LEN];
  size_t der_len = sizeof der, der_want_len = sizeof der_want;
  zkt_assert_ok(zk_sig_raw_to_der(der_want, &der_want_len, curve, want, 2 * fl));
  if (zk_key_sign(key, ZK_SIG_DER, der, &der_len, m, m_len) != ZK_OK || der_len != der_want_len ||
      memcmp(der, der_want, der_len) != 0)
    ok = 0;
  if (zk_key_verify(key, ZK_SIG_RAW, 0, want, 2 * fl, m, m_len) != ZK_OK) ok = 0;
  if (!ok) {
    char *h = zkt_tohex(sig, sig_len);
    fprintf(stderr, "curve %d message \"%s\": got %s\n", (int)curve, msg, h);
    free(h);
  }
  zk_key_free(key);
  return ok;
}

static void test_nist(void **state) {
  (void)state;
  json_t *root;
  ZKT_VECTOR_JSON("rfc6979/rfc6979_nist_curves_sha256.json", &root);
  unsigned long run = 0, passed = 0, na = 0;
  size_t i;
  json_t *c;
  json_array_foreach(root, i, c) {
    const char *name = zkt_jstr(c, "curve");
    zk_curve curve = ZK_CURVE_NONE;
    if (strcmp(name, "P256") == 0) curve = ZK_CURVE_P256;
    if (strcmp(name, "P384") == 0) curve = ZK_CURVE_P384;
    json_t *cases = json_object_get(c, "cases");
    if (curve == ZK_CURVE_NONE) {
      /* P-192 / P-224 / P-521: not implemented by the library. */
      printf("  NOT APPLICABLE: %s (%zu cases; curve not supported)\n", name,
             json_array_size(cases));
      na += json_array_size(cases);
      continue;
    }
    size_t j;
    json_t *t;
    json_array_foreach(cases, j, t) {
      int ok = check_nist(curve, zkt_jstr(c, "private"), zkt_jstr(c, "Ux"), zkt_jstr(c, "Uy"),
                          zkt_jstr(t, "message"), zkt_jstr(t, "r"), zkt_jstr(t, "s"));
      run++;
      passed += (unsigned long)ok;
    }
  }
  json_decref(root);
  zkt_report("rfc6979/rfc6979_nist_curves_sha256.json (P-256, P-384)", run, passed);
  printf("  not applicable (P-192, P-224, P-521): %lu\n", na);
  assert_int_equal(run, 4);
  assert_int_equal(na, 6);
  assert_int_equal(passed, run);
}

/* Value after "\n<label> = " up to the end of the line, copied into out. */
static void md_field(const char *doc, const char *label, char *out, size_t cap) {
  char pat[32];
  snprintf(pat, sizeof pat, "\n%s = ", label);
  const char *p = strstr(doc, pat);
  if (p == NULL) fail_msg("CCTV vector: no '%s'", label);
  p += strlen(pat);
  size_t n = strcspn(p, "\r\n");
  if (n + 1 > cap) fail_msg("CCTV vector: '%s' too long", label);
  memcpy(out, p, n);
  out[n] = '\0';
}

static void test_cctv_rejection_sampling(void **state) {
  (void)state;
  uint8_t *buf;
  size_t len;
  ZKT_VECTOR_FILE("rfc6979/cctv_p256_rejection_sampling.md", &buf, &len);
  const char *doc = (const char *)buf;
  char x[80], ux[80], uy[80], r[80], s[80], msg[64];
  md_field(doc, "x", x, sizeof x);
  md_field(doc, "Ux", ux, sizeof ux);
  md_field(doc, "Uy", uy, sizeof uy);
  md_field(doc, "r", r, sizeof r);
  md_field(doc, "s", s, sizeof s);
  assert_non_null(strstr(doc, "curve: NIST P-256"));
  const char *mp = strstr(doc, "With SHA-256, message = \"");
  assert_non_null(mp);
  mp += strlen("With SHA-256, message = \"");
  const char *end = strchr(mp, '"');
  assert_non_null(end);
  assert_true((size_t)(end - mp) < sizeof msg);
  memcpy(msg, mp, (size_t)(end - mp));
  msg[end - mp] = '\0';
  assert_string_equal(msg, "wv[vnX");
  int ok = check_nist(ZK_CURVE_P256, x, ux, uy, msg, r, s);
  zkt_report("rfc6979/cctv_p256_rejection_sampling.md", 1, (unsigned long)ok);
  free(buf);
  assert_true(ok);
}

/* a mod n for a 32-byte big-endian a < 2^256 (one conditional subtraction suffices: 2n > 2^256). */
static void mod_n(uint8_t a[32]) {
  if (memcmp(a, K1_N, 32) < 0) return;
  int borrow = 0;
  for (int i = 31; i >= 0; i--) {
    int d = (int)a[i] - (int)K1_N[i] - borrow;
    borrow = d < 0;
    a[i] = (uint8_t)(d + (borrow ? 256 : 0));
  }
}

static void test_secp256k1_k0(void **state) {
  (void)state;
  json_t *root;
  ZKT_VECTOR_JSON("rfc6979/secp256k1_rfc6979_k.json", &root);
  unsigned long run = 0, passed = 0;
  size_t i;
  json_t *t;
  json_array_foreach(root, i, t) {
    uint8_t d[32], k0[32];
    hex_fixed(d, 32, zkt_jstr(t, "d"));
    hex_fixed(k0, 32, zkt_jstr(t, "k0"));
    const char *msg = zkt_jstr(t, "message");
    zk_key *key = NULL, *kg = NULL;
    zkt_assert_ok(zk_key_from_private(&key, ZK_CURVE_SECP256K1, d, 32));
    zkt_assert_ok(zk_key_from_private(&kg, ZK_CURVE_SECP256K1, k0, 32));
    uint8_t pt[ZK_MAX_PUBKEY_LEN];
    size_t pt_len = sizeof pt;
    zkt_assert_ok(zk_key_export_public(kg, ZK_PUB_UNCOMPRESSED, pt, &pt_len));
    assert_int_equal(pt_len, 65);
    uint8_t r_want[32];
    memcpy(r_want, pt + 1, 32);
    mod_n(r_want);
    uint8_t sig[64];
    size_t sig_len = sizeof sig;
    int ok =
        zk_key_sign(key, ZK_SIG_RAW, sig, &sig_len, (const uint8_t *)msg, strlen(msg)) == ZK_OK &&
        sig_len == 64 && memcmp(sig, r_want, 32) == 0;
    /* The signature verifies under the default (low-S) rule: signing normalises s. */
    if (ok &&
        zk_key_verify(key, ZK_SIG_RAW, 0, sig, 64, (const uint8_t *)msg, strlen(msg)) != ZK_OK)
      ok = 0;
    if (!ok) fprintf(stderr, "secp256k1 k0 case %zu (\"%s\") failed\n", i, msg);
    run++;
    passed += (unsigned long)ok;
    zk_key_free(key);
    zk_key_free(kg);
    zk_wipe(d, sizeof d);
    zk_wipe(k0, sizeof k0);
  }
  json_decref(root);
  zkt_report("rfc6979/secp256k1_rfc6979_k.json (k0)", run, passed);
  assert_int_equal(run, 10);
  assert_int_equal(passed, run);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_nist),
    cmocka_unit_test(test_cctv_rejection_sampling),
    cmocka_unit_test(test_secp256k1_k0),
};

ZKT_MAIN(tests)
