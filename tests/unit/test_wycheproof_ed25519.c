/*
 * Wycheproof Ed25519 (wycheproof/ed25519_test.json) through zk_key_verify
 * (ZK_SIG_EDDSA). The group key is imported from its 32 raw bytes
 * (publicKey.pk) and from publicKeyDer (SPKI); both must be equal and give the
 * same verdict. Valid cases additionally get single-byte signature flips
 * (R and S halves), truncation, extension and a changed message, all of which
 * must be rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkt.h"

static unsigned mutate(const zk_key *key, const uint8_t *sig, size_t sig_len, const uint8_t *msg,
                       size_t msg_len, unsigned long *count) {
  unsigned bad = 0;
  uint8_t m[ZK_ED25519_SIG_LEN + 1];
  size_t pos[4] = {0, 31, 32, 63};
  for (int i = 0; i < 4; i++) {
    memcpy(m, sig, sig_len);
    m[pos[i]] ^= 0x01;
    if (zk_key_verify(key, ZK_SIG_EDDSA, 0, m, sig_len, msg, msg_len) == ZK_OK) bad++;
    (*count)++;
  }
  memcpy(m, sig, sig_len);
  m[64] = 0;
  if (zk_key_verify(key, ZK_SIG_EDDSA, 0, m, 63, msg, msg_len) != ZK_ERR_SIG_ENCODING) bad++;
  if (zk_key_verify(key, ZK_SIG_EDDSA, 0, m, 65, msg, msg_len) != ZK_ERR_SIG_ENCODING) bad++;
  *count += 2;
  uint8_t *mm = malloc(msg_len + 1);
  assert_non_null(mm);
  if (msg_len > 0) memcpy(mm, msg, msg_len);
  mm[msg_len] = 0;
  if (zk_key_verify(key, ZK_SIG_EDDSA, 0, sig, sig_len, mm, msg_len + 1) == ZK_OK) bad++;
  (*count)++;
  free(mm);
  return bad;
}

static void test_ed25519(void **state) {
  (void)state;
  json_t *root;
  ZKT_VECTOR_JSON("wycheproof/ed25519_test.json", &root);
  unsigned long run = 0, passed = 0, valid = 0, invalid = 0, mutations = 0, mut_bad = 0;
  unsigned long enc = 0, sigfail = 0;
  size_t gi;
  json_t *g;
  json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
    json_t *pk = json_object_get(g, "publicKey");
    size_t pk_len, der_len;
    uint8_t *pkb = zkt_hex(zkt_jstr(pk, "pk"), &pk_len);
    uint8_t *der = zkt_hex(zkt_jstr(g, "publicKeyDer"), &der_len);
    zk_key *key = NULL, *key2 = NULL;
    zkt_assert_ok(zk_key_from_public(&key, ZK_CURVE_ED25519, pkb, pk_len));
    zkt_assert_ok(zk_key_from_spki(&key2, der, der_len));
    assert_int_equal(zk_key_curve(key2), ZK_CURVE_ED25519);
    assert_true(zk_key_public_equal(key, key2));
    /* The raw export is the 32 input bytes. */
    uint8_t out[ZK_MAX_PUBKEY_LEN];
    size_t out_len = sizeof out;
    zkt_assert_ok(zk_key_export_public(key, ZK_PUB_RAW, out, &out_len));
    assert_int_equal(out_len, 32);
    assert_memory_equal(out, pkb, 32);
    out_len = sizeof out;
    zkt_assert_ok(zk_key_export_public(key, ZK_PUB_SPKI_DER, out, &out_len));
    assert_int_equal(out_len, der_len);
    assert_memory_equal(out, der, der_len);
    size_t ti;
    json_t *t;
    json_array_foreach(json_object_get(g, "tests"), ti, t) {
      long long id = json_integer_value(json_object_get(t, "tcId"));
      const char *result = zkt_jstr(t, "result");
      size_t msg_len, sig_len;
      uint8_t *msg = zkt_hex(zkt_jstr(t, "msg"), &msg_len);
      uint8_t *sig = zkt_hex(zkt_jstr(t, "sig"), &sig_len);
      zk_status st = zk_key_verify(key, ZK_SIG_EDDSA, 0, sig, sig_len, msg, msg_len);
      zk_status st2 = zk_key_verify(key2, ZK_SIG_EDDSA, 0, sig, sig_len, msg, msg_len);
      int ok = st == st2;
      if (strcmp(result, "valid") == 0) {
        valid++;
        if (st != ZK_OK) ok = 0;
        if (ok) {
          unsigned b = mutate(key, sig, sig_len, msg, msg_len, &mutations);
          mut_bad += b;
          if (b) ok = 0;
        }
      } else if (strcmp(result, "invalid") == 0) {
        invalid++;
        if (st == ZK_OK) ok = 0;
        /* A wrong-length signature is an encoding error, anything else a failed check. */
        if (sig_len != 64 && st != ZK_ERR_SIG_ENCODING) ok = 0;
        if (sig_len == 64 && st != ZK_ERR_SIGNATURE) ok = 0;
        enc += st == ZK_ERR_SIG_ENCODING;
        sigfail += st == ZK_ERR_SIGNATURE;
      } else {
        fail_msg("tcId %lld: unexpected result '%s'", id, result);
      }
      if (!ok)
        fprintf(stderr, "tcId %lld (%s, %s): got %s\n", id, result, zkt_jstr(t, "comment"),
                zk_status_name(st));
      run++;
      passed += (unsigned long)ok;
      free(msg);
      free(sig);
    }
    zk_key_free(key);
    zk_key_free(key2);
    free(pkb);
    free(der);
  }
  json_decref(root);
  zkt_report("wycheproof/ed25519_test.json", run, passed);
  printf("  valid=%lu invalid=%lu (ZK_ERR_SIG_ENCODING=%lu ZK_ERR_SIGNATURE=%lu) acceptable=0\n",
         valid, invalid, enc, sigfail);
  printf(
      "  mutations of valid cases (R/S byte flips, length 63/65, message): %lu, misbehaving %lu\n",
      mutations, mut_bad);
  zkt_report_mutations("wycheproof/ed25519_test.json", mutations, mutations - mut_bad);
  assert_int_equal(run, 151);
  assert_int_equal(passed, run);
}

/* RFC 8032 section 7.1 TEST 1: deterministic signing reproduces the published signature. */
static void test_rfc8032_sign(void **state) {
  (void)state;
  uint8_t *seed = zkt_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", NULL);
  zk_key *key = NULL;
  zkt_assert_ok(zk_key_from_private(&key, ZK_CURVE_ED25519, seed, 32));
  uint8_t pub[32];
  size_t pub_len = sizeof pub;
  zkt_assert_ok(zk_key_export_public(key, ZK_PUB_RAW, pub, &pub_len));
  char *h = zkt_tohex(pub, pub_len);
  assert_string_equal(h, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  free(h);
  uint8_t sig[ZK_ED25519_SIG_LEN];
  size_t sig_len = sizeof sig;
  zkt_assert_ok(zk_key_sign(key, ZK_SIG_EDDSA, sig, &sig_len, NULL, 0));
  assert_int_equal(sig_len, 64);
  h = zkt_tohex(sig, sig_len);
  assert_string_equal(h,
                      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  free(h);
  zkt_assert_ok(zk_key_verify(key, ZK_SIG_EDDSA, 0, sig, sig_len, NULL, 0));
  zk_key_free(key);
  free(seed);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ed25519),
    cmocka_unit_test(test_rfc8032_sign),
};

ZKT_MAIN(tests)
