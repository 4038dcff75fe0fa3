/*
 * Wycheproof HKDF-SHA-256 and HKDF-SHA-384 (wycheproof/hkdf_sha{256,384}_test.json)
 * through zk_hkdf, and through zk_hkdf_extract + zk_hkdf_expand (which must agree).
 * Invalid cases (output longer than 255*HashLen) must fail with ZK_ERR_KDF_LENGTH
 * and leave the output zeroed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkt.h"

static void run_file(const char *rel, zk_hash_alg alg, unsigned long want_run) {
  json_t *root;
  ZKT_VECTOR_JSON(rel, &root);
  size_t hlen = zk_hash_len(alg);
  unsigned long run = 0, passed = 0, valid = 0, invalid = 0, mutations = 0, mut_bad = 0;
  size_t gi;
  json_t *g;
  json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
    size_t ti;
    json_t *t;
    json_array_foreach(json_object_get(g, "tests"), ti, t) {
      long long id = json_integer_value(json_object_get(t, "tcId"));
      const char *result = zkt_jstr(t, "result");
      size_t ikm_len, salt_len, info_len, okm_len;
      uint8_t *ikm = zkt_hex(zkt_jstr(t, "ikm"), &ikm_len);
      uint8_t *salt = zkt_hex(zkt_jstr(t, "salt"), &salt_len);
      uint8_t *info = zkt_hex(zkt_jstr(t, "info"), &info_len);
      uint8_t *okm = zkt_hex(zkt_jstr(t, "okm"), &okm_len);
      size_t size = (size_t)json_integer_value(json_object_get(t, "size"));
      uint8_t *out = malloc(size + 1);
      assert_non_null(out);
      memset(out, 0xAA, size + 1);
      zk_status st = zk_hkdf(alg, out, size, salt, salt_len, ikm, ikm_len, info, info_len);
      int ok = 1;
      if (strcmp(result, "valid") == 0) {
        valid++;
        if (st != ZK_OK || size != okm_len || memcmp(out, okm, size) != 0) ok = 0;
        /* Nothing written past size. */
        if (out[size] != 0xAA) ok = 0;
        /* Two-step API gives the same bytes. */
        uint8_t prk[ZK_SHA512_LEN];
        uint8_t *out2 = malloc(size);
        assert_non_null(out2);
        if (zk_hkdf_extract(alg, prk, sizeof prk, salt, salt_len, ikm, ikm_len) != ZK_OK ||
            zk_hkdf_expand(alg, out2, size, prk, hlen, info, info_len) != ZK_OK ||
            memcmp(out2, okm, size) != 0)
          ok = 0;
        /* Mutations: a changed salt, ikm or info byte changes the output. */
        if (salt_len > 0) {
          salt[0] ^= 1;
          if (zk_hkdf(alg, out2, size, salt, salt_len, ikm, ikm_len, info, info_len) != ZK_OK ||
              memcmp(out2, okm, size) == 0)
            mut_bad++;
          salt[0] ^= 1;
          mutations++;
        }
        ikm[ikm_len - 1] ^= 1;
        if (zk_hkdf(alg, out2, size, salt, salt_len, ikm, ikm_len, info, info_len) != ZK_OK ||
            memcmp(out2, okm, size) == 0)
          mut_bad++;
        ikm[ikm_len - 1] ^= 1;
        mutations++;
        if (info_len > 0) {
          info[0] ^= 1;
          if (zk_hkdf(alg, out2, size, salt, salt_len, ikm, ikm_len, info, info_len) != ZK_OK ||
              memcmp(out2, okm, size) == 0)
            mut_bad++;
          info[0] ^= 1;
          mutations++;
        }
        zk_wipe(prk, sizeof prk);
        free(out2);
      } else if (strcmp(result, "invalid") == 0) {
        invalid++;
        if (st != ZK_ERR_KDF_LENGTH) ok = 0;
        for (size_t i = 0; i < size; i++)
          if (out[i] != 0) ok = 0;
        if (size <= 255 * hlen) ok = 0; /* the only invalid reason in these files */
      } else {
        fail_msg("%s tcId %lld: unexpected result '%s'", rel, id, result);
      }
      if (!ok) fprintf(stderr, "%s tcId %lld (%s): got %s\n", rel, id, result, zk_status_name(st));
      run++;
      passed += (unsigned long)ok;
      free(ikm);
      free(salt);
      free(info);
      free(okm);
      free(out);
    }
  }
  json_decref(root);
  zkt_report(rel, run, passed);
  printf("  valid=%lu invalid=%lu acceptable=0; salt/ikm/info mutations changing the output: %lu\n",
         valid, invalid, mutations);
  zkt_report_mutations(rel, mutations, mutations - mut_bad);
  assert_int_equal(run, want_run);
  assert_int_equal(passed, run);
  assert_int_equal(mut_bad, 0);
}

static void test_hkdf_sha256(void **state) {
  (void)state;
  run_file("wycheproof/hkdf_sha256_test.json", ZK_HASH_SHA256, 86);
}

static void test_hkdf_sha384(void **state) {
  (void)state;
  run_file("wycheproof/hkdf_sha384_test.json", ZK_HASH_SHA384, 83);
}

static void test_hkdf_args(void **state) {
  (void)state;
  uint8_t out[64], prk[ZK_SHA256_LEN];
  const uint8_t ikm[16] = {0};
  /* Length 0 and 255*HashLen + 1 are refused; 255*HashLen is the maximum. */
  zkt_assert_status(zk_hkdf(ZK_HASH_SHA256, out, 0, NULL, 0, ikm, 16, NULL, 0), ZK_ERR_KDF_LENGTH);
  uint8_t *big = malloc(255 * 32 + 1);
  assert_non_null(big);
  zkt_assert_ok(zk_hkdf(ZK_HASH_SHA256, big, 255 * 32, NULL, 0, ikm, 16, NULL, 0));
  zkt_assert_status(zk_hkdf(ZK_HASH_SHA256, big, 255 * 32 + 1, NULL, 0, ikm, 16, NULL, 0),
                    ZK_ERR_KDF_LENGTH);
  free(big);
  /* Empty IKM and empty salt are legal (salt defaults to HashLen zeros). */
  zkt_assert_ok(zk_hkdf(ZK_HASH_SHA256, out, 32, NULL, 0, NULL, 0, NULL, 0));
  uint8_t zeros[32] = {0}, out2[32];
  zkt_assert_ok(zk_hkdf(ZK_HASH_SHA256, out2, 32, zeros, 32, NULL, 0, NULL, 0));
  assert_memory_equal(out, out2, 32);
  /* Extract: short PRK buffer refused and zeroed; expand: PRK shorter than HashLen refused. */
  memset(prk, 0xAA, sizeof prk);
  zkt_assert_status(zk_hkdf_extract(ZK_HASH_SHA256, prk, 31, NULL, 0, ikm, 16),
                    ZK_ERR_BUFFER_TOO_SMALL);
  for (size_t i = 0; i < 31; i++) assert_int_equal(prk[i], 0);
  zkt_assert_ok(zk_hkdf_extract(ZK_HASH_SHA256, prk, sizeof prk, NULL, 0, ikm, 16));
  memset(out, 0xAA, sizeof out);
  zkt_assert_status(zk_hkdf_expand(ZK_HASH_SHA256, out, 32, prk, 31, NULL, 0), ZK_ERR_ARG);
  for (size_t i = 0; i < 32; i++) assert_int_equal(out[i], 0);
  big = malloc(255 * 32 + 1);
  assert_non_null(big);
  memset(big, 0xAA, 255 * 32 + 1);
  zkt_assert_status(zk_hkdf_expand(ZK_HASH_SHA256, big, 255 * 32 + 1, prk, 32, NULL, 0),
                    ZK_ERR_KDF_LENGTH);
  for (size_t i = 0; i < 255 * 32 + 1; i++) assert_int_equal(big[i], 0);
  free(big);
  zkt_assert_status(zk_hkdf((zk_hash_alg)0, out, 32, NULL, 0, ikm, 16, NULL, 0), ZK_ERR_ARG);
  zkt_assert_status(zk_hkdf(ZK_HASH_SHA256, out, 32, NULL, 3, ikm, 16, NULL, 0), ZK_ERR_ARG);
  zkt_assert_status(zk_hkdf(ZK_HASH_SHA256, NULL, 32, NULL, 0, ikm, 16, NULL, 0), ZK_ERR_ARG);
  /* HKDF-SHA-512 is not covered by the vectors: a value computed independently (Python hmac). */
  zkt_assert_ok(zk_hkdf(ZK_HASH_SHA512, out, 64, NULL, 0, ikm, 16, NULL, 0));
  char *h = zkt_tohex(out, 64);
  assert_string_equal(h,
                      "89ab785334f4e853dd80c0f543329850871e74393c8d6546d80431916042abdc"
                      "7b2ab3c2d384eeabd5f876aebac43e344ca7fdeffd3217c8dcb02d49f67d5ee5");
  free(h);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_hkdf_sha256),
    cmocka_unit_test(test_hkdf_sha384),
    cmocka_unit_test(test_hkdf_args),
};

ZKT_MAIN(tests)
