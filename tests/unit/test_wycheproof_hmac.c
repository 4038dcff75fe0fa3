/*
 * Wycheproof HMAC-SHA-256 (wycheproof/hmac_sha256_test.json), including the
 * 128-bit truncated-tag groups, through zk_hmac and zk_hmac_verify.
 *
 * Per valid case we also check every accepted/refused truncation length and
 * single-byte mutations of tag, key and message (counted and printed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkt.h"

static unsigned long g_mutations, g_mut_bad, g_prefixes;

/* Mutations of one valid (key, msg, tag) case; returns 0 if all behaved, else 1. */
static int mutate_valid(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len,
                        const uint8_t *tag, size_t tag_len) {
  int bad = 0;
  uint8_t full[ZK_SHA256_LEN];
  if (zk_hmac(ZK_HASH_SHA256, full, sizeof full, key, key_len, msg, msg_len) != ZK_OK) return 1;
  /* Every prefix of >= 16 bytes of the full tag verifies; shorter ones are refused. */
  for (size_t l = 0; l <= sizeof full; l++) {
    zk_status want = l < 16 ? ZK_ERR_TAG_SIZE : ZK_OK;
    if (zk_hmac_verify(ZK_HASH_SHA256, full, l, key, key_len, msg, msg_len) != want) {
      bad = 1;
      if (want != ZK_OK) g_mut_bad++;
    }
    if (want == ZK_OK)
      g_prefixes++;
    else
      g_mutations++;
  }
  /* A tag longer than HashLen is refused. */
  uint8_t longer[ZK_SHA256_LEN + 1];
  memcpy(longer, full, sizeof full);
  longer[ZK_SHA256_LEN] = 0;
  if (zk_hmac_verify(ZK_HASH_SHA256, longer, sizeof longer, key, key_len, msg, msg_len) !=
      ZK_ERR_TAG_SIZE) {
    bad = 1;
    g_mut_bad++;
  }
  g_mutations++;
  /* Flip each tag byte. */
  uint8_t t[ZK_SHA256_LEN];
  for (size_t i = 0; i < tag_len; i++) {
    memcpy(t, tag, tag_len);
    t[i] ^= 0x01;
    if (zk_hmac_verify(ZK_HASH_SHA256, t, tag_len, key, key_len, msg, msg_len) != ZK_ERR_MAC) {
      bad = 1;
      g_mut_bad++;
    }
    g_mutations++;
  }
  /* Flip one key byte and one message byte; append one message byte. */
  if (key_len > 0) {
    uint8_t *k = malloc(key_len);
    assert_non_null(k);
    memcpy(k, key, key_len);
    k[key_len / 2] ^= 0x80;
    if (zk_hmac_verify(ZK_HASH_SHA256, tag, tag_len, k, key_len, msg, msg_len) != ZK_ERR_MAC) {
      bad = 1;
      g_mut_bad++;
    }
    free(k);
    g_mutations++;
  }
  uint8_t *m = malloc(msg_len + 1);
  assert_non_null(m);
  if (msg_len > 0) memcpy(m, msg, msg_len);
  m[msg_len] = 0;
  if (zk_hmac_verify(ZK_HASH_SHA256, tag, tag_len, key, key_len, m, msg_len + 1) != ZK_ERR_MAC) {
    bad = 1;
    g_mut_bad++;
  }
  g_mutations++;
  if (msg_len > 0) {
    m[0] ^= 0x01;
    if (zk_hmac_verify(ZK_HASH_SHA256, tag, tag_len, key, key_len, m, msg_len) != ZK_ERR_MAC) {
      bad = 1;
      g_mut_bad++;
    }
    g_mutations++;
  }
  free(m);
  return bad;
}

static void test_hmac_sha256(void **state) {
  (void)state;
  json_t *root;
  ZKT_VECTOR_JSON("wycheproof/hmac_sha256_test.json", &root);
  unsigned long run = 0, passed = 0, valid = 0, invalid = 0;
  size_t gi;
  json_t *g;
  json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
    size_t tag_bits = (size_t)json_integer_value(json_object_get(g, "tagSize"));
    assert_true(tag_bits % 8 == 0 && tag_bits <= 256);
    size_t tag_size = tag_bits / 8;
    size_t ti;
    json_t *t;
    json_array_foreach(json_object_get(g, "tests"), ti, t) {
      long long id = json_integer_value(json_object_get(t, "tcId"));
      const char *result = zkt_jstr(t, "result");
      size_t key_len, msg_len, tag_len;
      uint8_t *key = zkt_hex(zkt_jstr(t, "key"), &key_len);
      uint8_t *msg = zkt_hex(zkt_jstr(t, "msg"), &msg_len);
      uint8_t *tag = zkt_hex(zkt_jstr(t, "tag"), &tag_len);
      int ok = 1;
      uint8_t full[ZK_SHA256_LEN];
      zkt_assert_ok(zk_hmac(ZK_HASH_SHA256, full, sizeof full, key, key_len, msg, msg_len));
      zk_status vst = zk_hmac_verify(ZK_HASH_SHA256, tag, tag_len, key, key_len, msg, msg_len);
      if (strcmp(result, "valid") == 0) {
        valid++;
        if (tag_len != tag_size || memcmp(full, tag, tag_len) != 0 || vst != ZK_OK) ok = 0;
        if (ok && mutate_valid(key, key_len, msg, msg_len, tag, tag_len)) {
          fprintf(stderr, "tcId %lld: mutation not rejected as expected\n", id);
          ok = 0;
        }
      } else if (strcmp(result, "invalid") == 0) {
        invalid++;
        /* Modified tags: a distinct MAC failure (tag sizes here are all >= 16 bytes). */
        if (vst != ZK_ERR_MAC) ok = 0;
      } else {
        fail_msg("tcId %lld: unexpected result '%s'", id, result);
      }
      if (!ok)
        fprintf(stderr, "tcId %lld (%s, %s): verify gave %s\n", id, result, zkt_jstr(t, "comment"),
                zk_status_name(vst));
      run++;
      passed += (unsigned long)ok;
      free(key);
      free(msg);
      free(tag);
    }
  }
  json_decref(root);
  zkt_report("wycheproof/hmac_sha256_test.json", run, passed);
  printf("  valid=%lu invalid=%lu acceptable=0; truncated prefixes of >= 16 bytes accepted: %lu\n",
         valid, invalid, g_prefixes);
  zkt_report_mutations("wycheproof/hmac_sha256_test.json", g_mutations, g_mutations - g_mut_bad);
  assert_int_equal(run, 174);
  assert_int_equal(passed, run);
}

/* Argument handling that the vectors cannot reach. */
static void test_hmac_args(void **state) {
  (void)state;
  uint8_t out[ZK_SHA512_LEN];
  const uint8_t key[4] = {1, 2, 3, 4};
  memset(out, 0xAA, sizeof out);
  zkt_assert_status(zk_hmac(ZK_HASH_SHA256, out, 31, key, 4, NULL, 0), ZK_ERR_BUFFER_TOO_SMALL);
  for (size_t i = 0; i < 31; i++) assert_int_equal(out[i], 0);
  zkt_assert_status(zk_hmac((zk_hash_alg)99, out, sizeof out, key, 4, NULL, 0), ZK_ERR_ARG);
  zkt_assert_status(zk_hmac(ZK_HASH_SHA256, out, sizeof out, NULL, 4, NULL, 0), ZK_ERR_ARG);
  zkt_assert_status(zk_hmac(ZK_HASH_SHA256, NULL, 32, key, 4, NULL, 0), ZK_ERR_ARG);
  zkt_assert_status(zk_hmac_verify(ZK_HASH_SHA256, NULL, 32, key, 4, NULL, 0), ZK_ERR_ARG);
  /* RFC 4231 test case 2 for SHA-384 and SHA-512 (key "Jefe"). */
  const char *msg = "what do ya want for nothing?";
  zkt_assert_ok(zk_hmac(ZK_HASH_SHA384, out, sizeof out, (const uint8_t *)"Jefe", 4,
                        (const uint8_t *)msg, strlen(msg)));
  char *h = zkt_tohex(out, ZK_SHA384_LEN);
  assert_string_equal(h,
                      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
                      "8e2240ca5e69e2c78b3239ecfab21649");
  free(h);
  zkt_assert_ok(zk_hmac(ZK_HASH_SHA512, out, sizeof out, (const uint8_t *)"Jefe", 4,
                        (const uint8_t *)msg, strlen(msg)));
  h = zkt_tohex(out, ZK_SHA512_LEN);
  assert_string_equal(h,
                      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                      "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
  free(h);
  zkt_assert_ok(zk_hmac_verify(ZK_HASH_SHA512, out, 64, (const uint8_t *)"Jefe", 4,
                               (const uint8_t *)msg, strlen(msg)));
  zkt_assert_ok(zk_hmac_verify(ZK_HASH_SHA512, out, 16, (const uint8_t *)"Jefe", 4,
                               (const uint8_t *)msg, strlen(msg)));
  zkt_assert_status(zk_hmac_verify(ZK_HASH_SHA512, out, 15, (const uint8_t *)"Jefe", 4,
                                   (const uint8_t *)msg, strlen(msg)),
                    ZK_ERR_TAG_SIZE);
}

static void test_hash(void **state) {
  (void)state;
  uint8_t out[ZK_SHA512_LEN];
  assert_int_equal(zk_hash_len(ZK_HASH_SHA256), 32);
  assert_int_equal(zk_hash_len(ZK_HASH_SHA384), 48);
  assert_int_equal(zk_hash_len(ZK_HASH_SHA512), 64);
  assert_int_equal(zk_hash_len((zk_hash_alg)0), 0);
  /* FIPS 180-2 "abc" examples. */
  zkt_assert_ok(zk_sha256(out, (const uint8_t *)"abc", 3));
  char *h = zkt_tohex(out, 32);
  assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  free(h);
  zkt_assert_ok(zk_sha384(out, (const uint8_t *)"abc", 3));
  h = zkt_tohex(out, 48);
  assert_string_equal(h,
                      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                      "8086072ba1e7cc2358baeca134c825a7");
  free(h);
  zkt_assert_ok(zk_hash(ZK_HASH_SHA512, out, sizeof out, (const uint8_t *)"abc", 3));
  h = zkt_tohex(out, 64);
  assert_string_equal(h,
                      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  free(h);
  zkt_assert_ok(zk_sha256(out, NULL, 0));
  h = zkt_tohex(out, 32);
  assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  free(h);
  memset(out, 0xAA, sizeof out);
  zkt_assert_status(zk_hash(ZK_HASH_SHA384, out, 47, (const uint8_t *)"abc", 3),
                    ZK_ERR_BUFFER_TOO_SMALL);
  for (size_t i = 0; i < 47; i++) assert_int_equal(out[i], 0);
  zkt_assert_status(zk_hash((zk_hash_alg)7, out, sizeof out, NULL, 0), ZK_ERR_ARG);
  zkt_assert_status(zk_sha256(out, NULL, 1), ZK_ERR_ARG);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_hmac_sha256),
    cmocka_unit_test(test_hmac_args),
    cmocka_unit_test(test_hash),
};

ZKT_MAIN(tests)
