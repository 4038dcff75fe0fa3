/* QOS key sets, RFC 6979 raw signatures and the P-256 share envelope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/qos.h"
#include "zerokey/shamir.h"
#include "zk_internal.h"
#include "zk_qos_internal.h"
#include "zkt.h"

static zk_qos_keyset *load_keyset(const char *rel) {
  uint8_t *buf;
  size_t len;
  if (zkt_vector_file_(rel, &buf, &len) != 0) return NULL;
  zk_qos_keyset *ks = NULL;
  zk_status st = zk_qos_keyset_from_hex(&ks, (const char *)buf, len);
  zk_free_secret(buf, len);
  if (st != ZK_OK) fail_msg("%s: %s", rel, zk_status_name(st));
  return ks;
}

/* Read a .pub file (260 hex digits, optional trailing newline) into 130 bytes. */
static void load_pub(const char *rel, uint8_t pub[130]) {
  uint8_t *buf;
  size_t len, n;
  ZKT_VECTOR_FILE(rel, &buf, &len);
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) len--;
  zkt_assert_ok(zki_hex_decode(pub, 130, &n, (const char *)buf, len));
  assert_int_equal(n, 130);
  free(buf);
}

static void test_keyset_vectors(void **state) {
  (void)state;
  json_t *j;
  ZKT_VECTOR_JSON("turnkey/qos_keys/qos_p256_keyset_vectors.json", &j);
  json_t *pairs = json_object_get(j, "pairs");
  unsigned long run = 0, ok = 0;
  for (size_t i = 0; i < json_array_size(pairs); i++) {
    json_t *p = json_array_get(pairs, i);
    char rel[256];
    snprintf(rel, sizeof rel, "turnkey/%s", zkt_jstr(p, "seed_file"));
    zk_qos_keyset *ks = load_keyset(rel);
    if (ks == NULL) {
      zkt_note_skip_(rel);
      json_decref(j);
      skip();
    }
    uint8_t pub[130];
    snprintf(rel, sizeof rel, "turnkey/%s", zkt_jstr(p, "pub_file"));
    load_pub(rel, pub);
    run++;
    if (memcmp(zk_qos_keyset_public(ks), pub, 130) == 0) ok++;
    /* the published public key parses and verifies our signature */
    zk_qos_pubkey *pk;
    zkt_assert_ok(zk_qos_pubkey_parse(&pk, pub, 130));
    uint8_t sig[64];
    zkt_assert_ok(zk_qos_sign(ks, sig, sizeof sig, (const uint8_t *)"x", 1));
    run++;
    if (zk_qos_pubkey_verify(pk, sig, 64, (const uint8_t *)"x", 1) == ZK_OK) ok++;
    zk_qos_pubkey_free(pk);
    zk_qos_keyset_free(ks);
  }
  assert_true(run >= 10);

  /* Deterministic RFC 6979 signature over "qos-test-message" by the boot-e2e quorum key. */
  json_t *d = json_object_get(j, "deterministic_signature");
  size_t seed_len, want_len;
  uint8_t *seed = zkt_hex(zkt_jstr(d, "seed_hex"), &seed_len);
  uint8_t *want = zkt_hex(zkt_jstr(d, "signature_rs_hex"), &want_len);
  const char *msg = zkt_jstr(d, "message_utf8");
  zk_qos_keyset *ks;
  zkt_assert_ok(zk_qos_keyset_from_seed(&ks, seed, seed_len));
  uint8_t sig[64];
  zkt_assert_ok(zk_qos_sign(ks, sig, sizeof sig, (const uint8_t *)msg, strlen(msg)));
  run++;
  if (want_len == 64 && memcmp(sig, want, 64) == 0) ok++;
  run++;
  if (zk_qos_verify(zk_qos_keyset_public(ks), 130, want, want_len, (const uint8_t *)msg,
                    strlen(msg)) == ZK_OK)
    ok++;
  zkt_report("qos keyset+rfc6979", run, ok);
  assert_int_equal(run, ok);

  /* Mutations: every single-bit flip of the signature and of the message is refused. */
  unsigned long mut = 0, rej = 0;
  for (size_t i = 0; i < 64; i++) {
    want[i] ^= 0x80;
    mut++;
    zk_status st =
        zk_qos_verify(zk_qos_keyset_public(ks), 130, want, 64, (const uint8_t *)msg, strlen(msg));
    if (st == ZK_ERR_SIGNATURE || st == ZK_ERR_SIG_ENCODING) rej++;
    want[i] ^= 0x80;
  }
  char *m2 = strdup(msg);
  for (size_t i = 0; i < strlen(m2); i++) {
    m2[i] ^= 1;
    mut++;
    if (zk_qos_verify(zk_qos_keyset_public(ks), 130, want, 64, (const uint8_t *)m2, strlen(m2)) ==
        ZK_ERR_SIGNATURE)
      rej++;
    m2[i] ^= 1;
  }
  for (size_t cut = 0; cut < 64; cut++) {
    mut++;
    if (zk_qos_verify(zk_qos_keyset_public(ks), 130, want, cut, (const uint8_t *)msg,
                      strlen(msg)) == ZK_ERR_SIG_ENCODING)
      rej++;
  }
  /* the halves swapped (encrypt half where the signing half belongs): the signature is checked
   * against the signing half only, so it is refused */
  {
    uint8_t swapped[130];
    memcpy(swapped, zk_qos_keyset_public(ks) + 65, 65);
    memcpy(swapped + 65, zk_qos_keyset_public(ks), 65);
    mut++;
    if (zk_qos_verify(swapped, 130, want, 64, (const uint8_t *)msg, strlen(msg)) ==
        ZK_ERR_SIGNATURE)
      rej++;
  }
  zkt_report_mutations("qos signature", mut, rej);
  assert_int_equal(mut, rej);
  free(m2);
  zk_qos_keyset_free(ks);
  zk_free_secret(seed, seed_len);
  free(want);
  json_decref(j);
}

/* Open an envelope file with a key set; checks every truncation and byte flip is refused. */
static void mutate_envelope(const zk_qos_keyset *ks, const uint8_t *env, size_t len,
                            unsigned long *mut, unsigned long *rej) {
  uint8_t *pt;
  size_t ptn;
  for (size_t cut = 0; cut < len; cut += zkt_stride(len)) {
    (*mut)++;
    zk_status st = zk_qos_envelope_open(ks, &pt, &ptn, env, cut);
    if (st != ZK_OK && pt == NULL && ptn == 0) (*rej)++;
  }
  uint8_t *copy = zki_memdup(env, len);
  for (size_t i = 0; i < len; i += zkt_stride(len)) {
    copy[i] ^= 0x01;
    (*mut)++;
    zk_status st = zk_qos_envelope_open(ks, &pt, &ptn, copy, len);
    if (st != ZK_OK && pt == NULL) (*rej)++;
    copy[i] ^= 0x01;
  }
  free(copy);
  /* one trailing byte */
  uint8_t *longer = malloc(len + 1);
  memcpy(longer, env, len);
  longer[len] = 0;
  (*mut)++;
  if (zk_qos_envelope_open(ks, &pt, &ptn, longer, len + 1) == ZK_ERR_TRAILING) (*rej)++;
  free(longer);
}

static const char *const ENCLAVES[] = {"signer", "notarizer",  "tls-fetcher",
                                       "ump",    "evm-parser", "deploy-test"};

static void test_preprod_shares(void **state) {
  (void)state;
  zk_qos_keyset *dev = load_keyset("turnkey/qos_preprod_shares/old_dev.secret");
  if (dev == NULL) {
    zkt_note_skip_("turnkey/qos_preprod_shares/old_dev.secret");
    skip();
  }
  unsigned long run = 0, ok = 0, mut = 0, rej = 0;
  for (size_t e = 0; e < ZKI_ARRAY_LEN(ENCLAVES); e++) {
    char rel[256];
    uint8_t *env, pub[130];
    size_t env_len;
    snprintf(rel, sizeof rel, "turnkey/qos_preprod_shares/%s.old_dev.share", ENCLAVES[e]);
    ZKT_VECTOR_FILE(rel, &env, &env_len);
    snprintf(rel, sizeof rel, "turnkey/qos_preprod_shares/%s.quorum_key.pub", ENCLAVES[e]);
    load_pub(rel, pub);
    uint8_t *pt;
    size_t ptn;
    run++;
    zk_status st = zk_qos_envelope_open(dev, &pt, &ptn, env, env_len);
    if (st == ZK_OK && ptn == 33 && pt[0] == 0x01) {
      /* 1-of-1 share: reconstruct through Shamir, then derive the quorum key. */
      uint8_t seed[32];
      size_t sn;
      const uint8_t *shares[1] = {pt};
      zk_qos_keyset *qk = NULL;
      if (zk_shamir_combine(seed, sizeof seed, &sn, shares, ptn, 1) == ZK_OK &&
          zk_qos_keyset_from_seed(&qk, seed, sn) == ZK_OK &&
          memcmp(zk_qos_keyset_public(qk), pub, 130) == 0)
        ok++;
      zk_qos_keyset_free(qk);
      zk_wipe(seed, sizeof seed);
    } else {
      print_error("%s: %s\n", ENCLAVES[e], zk_status_name(st));
    }
    zk_free_secret(pt, ptn);
    mutate_envelope(dev, env, env_len, &mut, &rej);
    free(env);
  }
  zkt_report("qos preprod shares", run, ok);
  zkt_report_mutations("qos preprod share envelopes", mut, rej);
  assert_int_equal(run, ok);
  assert_int_equal(mut, rej);
  zk_qos_keyset_free(dev);
}

static void test_boot_e2e_shares(void **state) {
  (void)state;
  json_t *j;
  ZKT_VECTOR_JSON("turnkey/qos_boot_e2e/vectors.json", &j);
  json_t *exp = json_object_get(j, "expected");
  size_t want_len;
  uint8_t *want = zkt_hex(zkt_jstr(exp, "quorum_master_seed_hex"), &want_len);
  uint8_t *pt[3] = {NULL, NULL, NULL};
  size_t ptn[3] = {0, 0, 0};
  unsigned long run = 0, ok = 0;
  for (int u = 0; u < 3; u++) {
    char rel[128];
    snprintf(rel, sizeof rel, "turnkey/qos_boot_e2e/user%d.secret", u + 1);
    zk_qos_keyset *ks = load_keyset(rel);
    if (ks == NULL) {
      zkt_note_skip_(rel);
      skip();
    }
    uint8_t *env;
    size_t env_len;
    snprintf(rel, sizeof rel, "turnkey/qos_boot_e2e/user%d.share", u + 1);
    ZKT_VECTOR_FILE(rel, &env, &env_len);
    run++;
    if (zk_qos_envelope_open(ks, &pt[u], &ptn[u], env, env_len) == ZK_OK && ptn[u] == 33 &&
        pt[u][0] == u + 1)
      ok++;
    /* a share addressed to user N does not open with another user's key */
    zk_qos_keyset *other;
    snprintf(rel, sizeof rel, "turnkey/qos_boot_e2e/user%d.secret", (u + 1) % 3 + 1);
    other = load_keyset(rel);
    uint8_t *x;
    size_t xn;
    run++;
    if (zk_qos_envelope_open(other, &x, &xn, env, env_len) == ZK_ERR_DECRYPT && x == NULL) ok++;
    zk_qos_keyset_free(other);
    zk_qos_keyset_free(ks);
    free(env);
  }
  /* threshold 2: every pair and all three reconstruct the master seed */
  for (int a = 0; a < 3; a++)
    for (int b = a + 1; b < 3; b++) {
      const uint8_t *s[2] = {pt[a], pt[b]};
      uint8_t seed[32];
      size_t sn;
      run++;
      if (zk_shamir_combine(seed, sizeof seed, &sn, s, 33, 2) == ZK_OK && sn == want_len &&
          memcmp(seed, want, sn) == 0)
        ok++;
    }
  /* DR key wraps the raw seed */
  zk_qos_keyset *dr = load_keyset("turnkey/qos_keys/mock_p256_dr.secret.keep");
  assert_non_null(dr);
  uint8_t *env, *seed;
  size_t env_len, sn;
  ZKT_VECTOR_FILE("turnkey/qos_boot_e2e/dr_wrapped_quorum_key", &env, &env_len);
  run++;
  if (zk_qos_envelope_open(dr, &seed, &sn, env, env_len) == ZK_OK && sn == want_len &&
      memcmp(seed, want, sn) == 0)
    ok++;
  unsigned long mut = 0, rej = 0;
  mutate_envelope(dr, env, env_len, &mut, &rej);
  zk_free_secret(seed, sn);
  free(env);
  zk_qos_keyset_free(dr);
  zkt_report("qos boot-e2e shares", run, ok);
  zkt_report_mutations("qos dr envelope", mut, rej);
  assert_int_equal(run, ok);
  assert_int_equal(mut, rej);
  for (int u = 0; u < 3; u++) zk_free_secret(pt[u], ptn[u]);
  free(want);
  json_decref(j);
}

static void test_envelope_round_trip(void **state) {
  (void)state;
  zk_qos_keyset *a, *b;
  zkt_assert_ok(zk_qos_keyset_generate(&a));
  zkt_assert_ok(zk_qos_keyset_generate(&b));
  zk_qos_pubkey *pa;
  zkt_assert_ok(zk_qos_pubkey_parse(&pa, zk_qos_keyset_public(a), 130));
  unsigned long run = 0, ok = 0;
  static const size_t sizes[] = {0, 1, 33, 1000};
  uint8_t msg[1000];
  zkt_assert_ok(zk_random(msg, sizeof msg));
  for (size_t i = 0; i < ZKI_ARRAY_LEN(sizes); i++) {
    uint8_t *env, *pt, *x;
    size_t env_len, ptn, xn;
    zkt_assert_ok(zk_qos_envelope_seal(&env, &env_len, pa, msg, sizes[i]));
    assert_int_equal(env_len, sizes[i] + ZK_QOS_ENVELOPE_OVERHEAD);
    run++;
    if (zk_qos_envelope_open(a, &pt, &ptn, env, env_len) == ZK_OK && ptn == sizes[i] &&
        (ptn == 0 || memcmp(pt, msg, ptn) == 0))
      ok++;
    run++;
    if (zk_qos_envelope_open(b, &x, &xn, env, env_len) == ZK_ERR_DECRYPT) ok++;
    zk_free_secret(pt, ptn);
    free(env);
  }
  uint8_t *env;
  size_t env_len;
  run++;
  if (zk_qos_envelope_seal(&env, &env_len, pa, msg, ZK_QOS_ENVELOPE_MAX_PLAINTEXT + 1) ==
          ZK_ERR_TOO_LARGE &&
      env == NULL)
    ok++;
  zkt_report("qos envelope round trips", run, ok);
  assert_int_equal(run, ok);
  zk_qos_pubkey_free(pa);
  zk_qos_keyset_free(a);
  zk_qos_keyset_free(b);
}

static void test_key_refusals(void **state) {
  (void)state;
  zk_qos_keyset *ks;
  zk_qos_pubkey *pk;
  uint8_t seed[33] = {1};
  zkt_assert_status(zk_qos_keyset_from_seed(&ks, seed, 31), ZK_ERR_QOS_KEY);
  assert_null(ks);
  zkt_assert_status(zk_qos_keyset_from_seed(&ks, seed, 33), ZK_ERR_QOS_KEY);
  zkt_assert_status(zk_qos_keyset_from_seed(&ks, NULL, 32), ZK_ERR_ARG);
  const char *zz = "zz01010101010101010101010101010101010101010101010101010101010101";
  zkt_assert_status(zk_qos_keyset_from_hex(&ks, zz, strlen(zz)), ZK_ERR_HEX);
  zkt_assert_status(zk_qos_keyset_from_hex(&ks, "abc", 3), ZK_ERR_HEX);
  zkt_assert_status(zk_qos_keyset_from_hex(&ks, "abcd", 4), ZK_ERR_QOS_KEY);
  const char *good = "0x0101010101010101010101010101010101010101010101010101010101010101\n";
  zkt_assert_ok(zk_qos_keyset_from_hex(&ks, good, strlen(good)));
  const uint8_t *pub = zk_qos_keyset_public(ks);
  uint8_t bad[131];
  memcpy(bad, pub, 130);
  zkt_assert_status(zk_qos_pubkey_parse(&pk, bad, 129), ZK_ERR_QOS_KEY);
  zkt_assert_status(zk_qos_pubkey_parse(&pk, bad, 131), ZK_ERR_QOS_KEY);
  bad[0] = 0x02;
  zkt_assert_status(zk_qos_pubkey_parse(&pk, bad, 130), ZK_ERR_KEY);
  bad[0] = 0x04;
  bad[100] ^= 1; /* sign half off the curve */
  zkt_assert_status(zk_qos_pubkey_parse(&pk, bad, 130), ZK_ERR_KEY);
  assert_null(pk);
  uint8_t sig[64];
  zkt_assert_status(zk_qos_sign(ks, sig, 63, (const uint8_t *)"m", 1), ZK_ERR_BUFFER_TOO_SMALL);
  uint8_t s32[32];
  zkt_assert_status(zk_qos_keyset_seed(ks, s32, 31), ZK_ERR_BUFFER_TOO_SMALL);
  zkt_assert_ok(zk_qos_keyset_seed(ks, s32, 32));
  assert_int_equal(s32[0], 1);
  zk_qos_keyset_free(ks);
  zk_qos_keyset_free(NULL);
  zk_qos_pubkey_free(NULL);
  zkt_report("qos key refusals", 13, 13);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_keyset_vectors),  cmocka_unit_test(test_preprod_shares),
    cmocka_unit_test(test_boot_e2e_shares), cmocka_unit_test(test_envelope_round_trip),
    cmocka_unit_test(test_key_refusals),
};

ZKT_MAIN(tests)
