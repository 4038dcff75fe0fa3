/*
 * Wycheproof ECDSA (7 files: P-256, P-384, secp256k1; DER, P1363 raw r||s and
 * the Bitcoin low-S variant) through zk_key_verify and zk_key_verify_digest.
 *
 * Per group: the public key is imported from its uncompressed SEC1 point
 * (publicKey.uncompressed) and from publicKeyDer (SPKI); both must give the
 * same key. Per case: the message is hashed per the group's "sha" for the
 * digest path; both paths must agree. Every valid case must verify and every
 * invalid case must be rejected; "acceptable" cases (none in these files) are
 * counted and their outcome printed.
 *
 * Extra checks on valid cases (counted as mutations): DER <-> raw conversion
 * round trips (the converted signature verifies in the other format, and the
 * conversion of the conversion is byte-identical), and single-byte flips at
 * the first, middle and last signature byte (mask 0x80), a one-byte truncation, a one-byte
 * extension and a flipped message byte must all be rejected. On secp256k1
 * (non-Bitcoin files) every valid high-S case must be refused with
 * ZK_ERR_HIGH_S under the default flags and accepted with ZK_VERIFY_ALLOW_HIGH_S.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkt.h"

typedef struct {
  const char *rel;
  zk_curve curve;
  const char *curve_name;
  zk_sig_format fmt;
  unsigned flags;
  unsigned long cases; /* expected number of test cases in the file */
} ecdsa_file;

static const ecdsa_file FILES[] = {
    {"wycheproof/ecdsa_secp256r1_sha256_test.json", ZK_CURVE_P256, "secp256r1", ZK_SIG_DER, 0, 484},
    {"wycheproof/ecdsa_secp256r1_sha256_p1363_test.json", ZK_CURVE_P256, "secp256r1", ZK_SIG_RAW, 0,
     262},
    {"wycheproof/ecdsa_secp384r1_sha384_test.json", ZK_CURVE_P384, "secp384r1", ZK_SIG_DER, 0, 504},
    {"wycheproof/ecdsa_secp384r1_sha384_p1363_test.json", ZK_CURVE_P384, "secp384r1", ZK_SIG_RAW, 0,
     280},
    {"wycheproof/ecdsa_secp256k1_sha256_test.json", ZK_CURVE_SECP256K1, "secp256k1", ZK_SIG_DER,
     ZK_VERIFY_ALLOW_HIGH_S, 476},
    {"wycheproof/ecdsa_secp256k1_sha256_bitcoin_test.json", ZK_CURVE_SECP256K1, "secp256k1",
     ZK_SIG_DER, 0, 463},
    {"wycheproof/ecdsa_secp256k1_sha256_p1363_test.json", ZK_CURVE_SECP256K1, "secp256k1",
     ZK_SIG_RAW, ZK_VERIFY_ALLOW_HIGH_S, 252},
};

/* secp256k1 n/2, big-endian: s > this is "high". */
static const uint8_t K1_HALF_N[32] = {
    0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0};

/* Histogram of rejection statuses. */
typedef struct {
  zk_status st;
  unsigned long n;
} stat_count;

static void hist_add(stat_count *h, size_t cap, zk_status st) {
  for (size_t i = 0; i < cap; i++) {
    if (h[i].n == 0) {
      h[i].st = st;
      h[i].n = 1;
      return;
    }
    if (h[i].st == st) {
      h[i].n++;
      return;
    }
  }
}

static zk_hash_alg sha_alg(const char *sha) {
  if (strcmp(sha, "SHA-256") == 0) return ZK_HASH_SHA256;
  if (strcmp(sha, "SHA-384") == 0) return ZK_HASH_SHA384;
  fail_msg("unexpected sha '%s'", sha);
  return (zk_hash_alg)0;
}

/* Verify via the message path and the digest path; fail the test if they disagree. */
static zk_status verify_both(const zk_key *key, zk_hash_alg alg, zk_sig_format fmt, unsigned flags,
                             const uint8_t *sig, size_t sig_len, const uint8_t *msg,
                             size_t msg_len) {
  uint8_t dg[ZK_SHA384_LEN];
  zkt_assert_ok(zk_hash(alg, dg, sizeof dg, msg, msg_len));
  zk_status a = zk_key_verify(key, fmt, flags, sig, sig_len, msg, msg_len);
  zk_status b = zk_key_verify_digest(key, fmt, flags, sig, sig_len, dg, zk_hash_len(alg));
  if (a != b) fail_msg("message path %s != digest path %s", zk_status_name(a), zk_status_name(b));
  return a;
}

/* Extra checks for one valid case. Returns the number of checks that misbehaved. */
static unsigned valid_extras(const ecdsa_file *f, const zk_key *key, zk_hash_alg alg,
                             const uint8_t *sig, size_t sig_len, const uint8_t *msg, size_t msg_len,
                             unsigned long *mutations, unsigned long *high_s) {
  unsigned bad = 0;
  size_t fl = f->curve == ZK_CURVE_P384 ? 48 : 32;
  uint8_t raw[96], der[ZK_MAX_SIG_LEN], back[ZK_MAX_SIG_LEN];
  size_t raw_len = sizeof raw, der_len = sizeof der, back_len = sizeof back;
  /* Format conversion round trip. */
  if (f->fmt == ZK_SIG_DER) {
    if (zk_sig_der_to_raw(raw, &raw_len, f->curve, sig, sig_len) != ZK_OK || raw_len != 2 * fl ||
        verify_both(key, alg, ZK_SIG_RAW, f->flags, raw, raw_len, msg, msg_len) != ZK_OK ||
        zk_sig_raw_to_der(back, &back_len, f->curve, raw, raw_len) != ZK_OK ||
        back_len != sig_len || memcmp(back, sig, sig_len) != 0)
      bad++;
  } else {
    memcpy(raw, sig, sig_len);
    raw_len = sig_len;
    if (zk_sig_raw_to_der(der, &der_len, f->curve, sig, sig_len) != ZK_OK ||
        verify_both(key, alg, ZK_SIG_DER, f->flags, der, der_len, msg, msg_len) != ZK_OK ||
        zk_sig_der_to_raw(back, &back_len, f->curve, der, der_len) != ZK_OK ||
        back_len != sig_len || memcmp(back, sig, sig_len) != 0)
      bad++;
  }
  (*mutations)++;
  /* High-S handling on secp256k1 (files that allow it). */
  if (f->curve == ZK_CURVE_SECP256K1 && (f->flags & ZK_VERIFY_ALLOW_HIGH_S)) {
    int is_high = memcmp(raw + 32, K1_HALF_N, 32) > 0;
    zk_status st = verify_both(key, alg, f->fmt, 0, sig, sig_len, msg, msg_len);
    if (st != (is_high ? ZK_ERR_HIGH_S : ZK_OK)) bad++;
    if (is_high) (*high_s)++;
    (*mutations)++;
  }
  /* Byte flips, truncation, extension, message change. */
  uint8_t *m = malloc(sig_len + 1);
  assert_non_null(m);
  size_t pos[3] = {0, sig_len / 2, sig_len - 1};
  for (int i = 0; i < 3; i++) {
    memcpy(m, sig, sig_len);
    /*
     * 0x80, not 0x01: Wycheproof's "edge case for signature malleability"
     * pairs s = (n-1)/2 and s = (n+1)/2 = n - (n-1)/2, which differ only in the
     * lowest bit; flipping it yields the other, equally valid, signature.
     */
    m[pos[i]] ^= 0x80;
    if (verify_both(key, alg, f->fmt, f->flags, m, sig_len, msg, msg_len) == ZK_OK) bad++;
    (*mutations)++;
  }
  memcpy(m, sig, sig_len);
  if (verify_both(key, alg, f->fmt, f->flags, m, sig_len - 1, msg, msg_len) == ZK_OK) bad++;
  m[sig_len] = 0;
  if (verify_both(key, alg, f->fmt, f->flags, m, sig_len + 1, msg, msg_len) == ZK_OK) bad++;
  *mutations += 2;
  free(m);
  uint8_t *mm = malloc(msg_len + 1);
  assert_non_null(mm);
  if (msg_len > 0) memcpy(mm, msg, msg_len);
  size_t mm_len = msg_len;
  if (msg_len > 0)
    mm[msg_len - 1] ^= 0x01;
  else
    mm[mm_len++] = 0;
  if (verify_both(key, alg, f->fmt, f->flags, sig, sig_len, mm, mm_len) == ZK_OK) bad++;
  (*mutations)++;
  free(mm);
  return bad;
}

static void run_file(const ecdsa_file *f) {
  json_t *root;
  ZKT_VECTOR_JSON(f->rel, &root);
  unsigned long run = 0, passed = 0, valid = 0, invalid = 0, acceptable = 0, acc_ok = 0;
  unsigned long mutations = 0, mut_bad = 0, high_s = 0, groups = 0, extra_cases = 0;
  /* Extra checks on every valid case; on every 8th under ZK_TEST_QUICK (valgrind/ASan runs). */
  const size_t every = zkt_stride(512);
  stat_count hist[16];
  memset(hist, 0, sizeof hist);
  size_t gi;
  json_t *g;
  json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
    groups++;
    json_t *pk = json_object_get(g, "publicKey");
    assert_string_equal(zkt_jstr(pk, "curve"), f->curve_name);
    zk_hash_alg alg = sha_alg(zkt_jstr(g, "sha"));
    size_t pub_len, spki_len;
    uint8_t *pub = zkt_hex(zkt_jstr(pk, "uncompressed"), &pub_len);
    uint8_t *spki = zkt_hex(zkt_jstr(g, "publicKeyDer"), &spki_len);
    zk_key *key = NULL, *key2 = NULL;
    zkt_assert_ok(zk_key_from_public(&key, f->curve, pub, pub_len));
    zkt_assert_ok(zk_key_from_spki(&key2, spki, spki_len));
    assert_int_equal(zk_key_curve(key2), f->curve);
    assert_true(zk_key_public_equal(key, key2));
    assert_int_equal(zk_key_digest_len(key), zk_hash_len(alg));
    size_t ti;
    json_t *t;
    json_array_foreach(json_object_get(g, "tests"), ti, t) {
      long long id = json_integer_value(json_object_get(t, "tcId"));
      const char *result = zkt_jstr(t, "result");
      size_t msg_len, sig_len;
      uint8_t *msg = zkt_hex(zkt_jstr(t, "msg"), &msg_len);
      uint8_t *sig = zkt_hex(zkt_jstr(t, "sig"), &sig_len);
      zk_status st = verify_both(key, alg, f->fmt, f->flags, sig, sig_len, msg, msg_len);
      /* The SPKI-imported key must give the same answer. */
      zk_status st2 = zk_key_verify(key2, f->fmt, f->flags, sig, sig_len, msg, msg_len);
      int ok = st == st2;
      if (strcmp(result, "valid") == 0) {
        valid++;
        if (st != ZK_OK) ok = 0;
        if (ok && (valid - 1) % every == 0) {
          extra_cases++;
          unsigned b = valid_extras(f, key, alg, sig, sig_len, msg, msg_len, &mutations, &high_s);
          mut_bad += b;
          if (b) ok = 0;
        }
      } else if (strcmp(result, "invalid") == 0) {
        invalid++;
        if (st == ZK_OK) ok = 0;
        hist_add(hist, 16, st);
      } else if (strcmp(result, "acceptable") == 0) {
        acceptable++;
        acc_ok += st == ZK_OK;
        printf("  acceptable tcId %lld (%s): %s\n", id, zkt_jstr(t, "comment"),
               st == ZK_OK ? "accepted" : zk_status_name(st));
      } else {
        fail_msg("%s tcId %lld: unexpected result '%s'", f->rel, id, result);
      }
      if (!ok)
        fprintf(stderr, "%s tcId %lld (%s, %s): got %s\n", f->rel, id, result,
                zkt_jstr(t, "comment"), zk_status_name(st));
      run++;
      passed += (unsigned long)ok;
      free(msg);
      free(sig);
    }
    zk_key_free(key);
    zk_key_free(key2);
    free(pub);
    free(spki);
  }
  json_decref(root);
  zkt_report(f->rel, run, passed);
  printf("  groups=%lu valid=%lu invalid=%lu acceptable=%lu (accepted %lu)\n", groups, valid,
         invalid, acceptable, acc_ok);
  printf("  invalid cases rejected with:");
  for (size_t i = 0; i < 16 && hist[i].n > 0; i++)
    printf(" %s=%lu", zk_status_name(hist[i].st), hist[i].n);
  printf(
      "\n  extra checks on %lu valid cases (conversions, flips, truncation, extension, "
      "message): %lu, misbehaving %lu",
      extra_cases, mutations, mut_bad);
  if (f->curve == ZK_CURVE_SECP256K1 && (f->flags & ZK_VERIFY_ALLOW_HIGH_S))
    printf("; valid high-S cases refused by default flags: %lu", high_s);
  printf("\n");
  zkt_report_mutations(f->rel, mutations, mutations - mut_bad);
  assert_int_equal(run, f->cases);
  assert_int_equal(passed, run);
}

static void test_p256_der(void **s) {
  (void)s;
  run_file(&FILES[0]);
}
static void test_p256_p1363(void **s) {
  (void)s;
  run_file(&FILES[1]);
}
static void test_p384_der(void **s) {
  (void)s;
  run_file(&FILES[2]);
}
static void test_p384_p1363(void **s) {
  (void)s;
  run_file(&FILES[3]);
}
static void test_k1_der(void **s) {
  (void)s;
  run_file(&FILES[4]);
}
static void test_k1_bitcoin(void **s) {
  (void)s;
  run_file(&FILES[5]);
}
static void test_k1_p1363(void **s) {
  (void)s;
  run_file(&FILES[6]);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_p256_der), cmocka_unit_test(test_p256_p1363),
    cmocka_unit_test(test_p384_der), cmocka_unit_test(test_p384_p1363),
    cmocka_unit_test(test_k1_der),   cmocka_unit_test(test_k1_bitcoin),
    cmocka_unit_test(test_k1_p1363),
};

ZKT_MAIN(tests)
