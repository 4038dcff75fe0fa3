/*
 * Wycheproof AES-GCM (wycheproof/aes_gcm_test.json) through zk_aes_gcm_seal /
 * zk_aes_gcm_open.
 *
 * The library supports 96-bit nonces only. Cases with ivSize == 96 are run as
 * vectors (valid: seal reproduces ct||tag and open returns msg; invalid: open
 * fails with ZK_ERR_DECRYPT and a zeroed plaintext). Cases with any other IV
 * size are counted separately as "not applicable" and must be refused with
 * ZK_ERR_NONCE_SIZE by both seal and open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkt.h"

static int all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != 0) return 0;
  return 1;
}

/* Single-byte mutations of a valid case; each open must fail closed. Returns #failures. */
static unsigned mutate(unsigned long *count, const uint8_t *key, size_t key_len, uint8_t *iv,
                       uint8_t *aad, size_t aad_len, uint8_t *ct, size_t ct_len, uint8_t *tag) {
  unsigned bad = 0;
  uint8_t *pt = malloc(ct_len + 1);
  assert_non_null(pt);
  uint8_t *targets[4] = {iv, tag, ct_len > 0 ? ct : NULL, aad_len > 0 ? aad : NULL};
  size_t lens[4] = {12, 16, ct_len, aad_len};
  for (int w = 0; w < 4; w++) {
    if (targets[w] == NULL) continue;
    size_t positions[2] = {0, lens[w] - 1};
    for (int p = 0; p < 2; p++) {
      targets[w][positions[p]] ^= 0x01;
      memset(pt, 0xAA, ct_len + 1);
      zk_status st = zk_aes_gcm_open(pt, key, key_len, iv, 12, aad, aad_len, ct, ct_len, tag, 16);
      if (st != ZK_ERR_DECRYPT || !all_zero(pt, ct_len)) bad++;
      targets[w][positions[p]] ^= 0x01;
      (*count)++;
    }
  }
  /* Truncated and extended tags are refused by size. */
  for (size_t tl = 0; tl <= 17; tl++) {
    if (tl == 16) continue;
    uint8_t t17[17];
    memcpy(t17, tag, 16);
    t17[16] = 0;
    zk_status st = zk_aes_gcm_open(pt, key, key_len, iv, 12, aad, aad_len, ct, ct_len, t17, tl);
    if (st != ZK_ERR_TAG_SIZE || !all_zero(pt, ct_len)) bad++;
    (*count)++;
  }
  /* Dropping the last ciphertext byte breaks authentication. */
  if (ct_len > 0) {
    zk_status st = zk_aes_gcm_open(pt, key, key_len, iv, 12, aad, aad_len, ct, ct_len - 1, tag, 16);
    if (st != ZK_ERR_DECRYPT || !all_zero(pt, ct_len - 1)) bad++;
    (*count)++;
  }
  free(pt);
  return bad;
}

static void test_aes_gcm(void **state) {
  (void)state;
  json_t *root;
  ZKT_VECTOR_JSON("wycheproof/aes_gcm_test.json", &root);
  unsigned long run = 0, passed = 0, valid = 0, invalid = 0;
  unsigned long na = 0, na_refused = 0, mutations = 0, mut_bad = 0;
  unsigned long per_key[3] = {0, 0, 0};
  size_t gi;
  json_t *g;
  json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
    long long iv_bits = json_integer_value(json_object_get(g, "ivSize"));
    long long tag_bits = json_integer_value(json_object_get(g, "tagSize"));
    long long key_bits = json_integer_value(json_object_get(g, "keySize"));
    size_t ti;
    json_t *t;
    json_array_foreach(json_object_get(g, "tests"), ti, t) {
      long long id = json_integer_value(json_object_get(t, "tcId"));
      const char *result = zkt_jstr(t, "result");
      size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
      uint8_t *key = zkt_hex(zkt_jstr(t, "key"), &key_len);
      uint8_t *iv = zkt_hex(zkt_jstr(t, "iv"), &iv_len);
      uint8_t *aad = zkt_hex(zkt_jstr(t, "aad"), &aad_len);
      uint8_t *msg = zkt_hex(zkt_jstr(t, "msg"), &msg_len);
      uint8_t *ct = zkt_hex(zkt_jstr(t, "ct"), &ct_len);
      uint8_t *tag = zkt_hex(zkt_jstr(t, "tag"), &tag_len);
      uint8_t *out = malloc(msg_len + ct_len + 1);
      assert_non_null(out);
      uint8_t otag[16];
      if (iv_bits != 96) {
        /* Not applicable: the API refuses every nonce that is not 12 bytes. */
        na++;
        zk_status s1 =
            zk_aes_gcm_seal(out, otag, 16, key, key_len, iv, iv_len, aad, aad_len, msg, msg_len);
        zk_status s2 =
            zk_aes_gcm_open(out, key, key_len, iv, iv_len, aad, aad_len, ct, ct_len, tag, tag_len);
        if (s1 == ZK_ERR_NONCE_SIZE && s2 == ZK_ERR_NONCE_SIZE && all_zero(otag, 16) &&
            all_zero(out, ct_len))
          na_refused++;
        else
          fprintf(stderr, "tcId %lld (ivSize %lld): got %s / %s\n", id, iv_bits, zk_status_name(s1),
                  zk_status_name(s2));
      } else {
        assert_int_equal(tag_bits, 128);
        assert_int_equal(iv_len, 12);
        int ok = 1;
        zk_status st;
        if (strcmp(result, "valid") == 0) {
          valid++;
          per_key[key_bits == 128 ? 0 : key_bits == 192 ? 1 : 2]++;
          st = zk_aes_gcm_seal(out, otag, 16, key, key_len, iv, 12, aad, aad_len, msg, msg_len);
          if (st != ZK_OK || ct_len != msg_len || (ct_len > 0 && memcmp(out, ct, ct_len) != 0) ||
              tag_len != 16 || memcmp(otag, tag, 16) != 0)
            ok = 0;
          memset(out, 0xAA, ct_len + 1);
          st = zk_aes_gcm_open(out, key, key_len, iv, 12, aad, aad_len, ct, ct_len, tag, tag_len);
          if (st != ZK_OK || (msg_len > 0 && memcmp(out, msg, msg_len) != 0) || out[ct_len] != 0xAA)
            ok = 0;
          if (ok) {
            unsigned b = mutate(&mutations, key, key_len, iv, aad, aad_len, ct, ct_len, tag);
            mut_bad += b;
            if (b) ok = 0;
          }
        } else if (strcmp(result, "invalid") == 0) {
          invalid++;
          memset(out, 0xAA, ct_len + 1);
          st = zk_aes_gcm_open(out, key, key_len, iv, 12, aad, aad_len, ct, ct_len, tag, tag_len);
          zk_status want = tag_len == 16 ? ZK_ERR_DECRYPT : ZK_ERR_TAG_SIZE;
          if (st != want || !all_zero(out, ct_len)) ok = 0;
        } else {
          fail_msg("tcId %lld: unexpected result '%s'", id, result);
        }
        if (!ok) fprintf(stderr, "tcId %lld (%s, %s) failed\n", id, result, zkt_jstr(t, "comment"));
        run++;
        passed += (unsigned long)ok;
      }
      free(key);
      free(iv);
      free(aad);
      free(msg);
      free(ct);
      free(tag);
      free(out);
    }
  }
  json_decref(root);
  zkt_report("wycheproof/aes_gcm_test.json (96-bit IV)", run, passed);
  printf("  valid=%lu (AES-128/192/256: %lu/%lu/%lu) invalid=%lu acceptable=0\n", valid, per_key[0],
         per_key[1], per_key[2], invalid);
  printf(
      "  NOT APPLICABLE (IV size != 96 bits, refused with ZK_ERR_NONCE_SIZE): %lu of %lu "
      "refused as expected\n",
      na_refused, na);
  printf(
      "  mutations of valid cases (nonce/tag/ct/aad byte flips, tag sizes 0..17, ct "
      "truncation): %lu, failing %lu\n",
      mutations, mut_bad);
  zkt_report_mutations("wycheproof/aes_gcm_test.json", mutations, mutations - mut_bad);
  assert_int_equal(run + na, 316);
  assert_int_equal(run, 197);
  assert_int_equal(passed, run);
  assert_int_equal(na_refused, na);
}

static void test_aes_gcm_args(void **state) {
  (void)state;
  uint8_t key[32] = {0}, iv[12] = {0}, pt[32] = {0}, ct[32], tag[16];
  /* NIST GCM test case 2 (AES-128, zero key/IV, one zero block). */
  zkt_assert_ok(zk_aes_gcm_seal(ct, tag, 16, key, 16, iv, 12, NULL, 0, pt, 16));
  char *h = zkt_tohex(ct, 16);
  assert_string_equal(h, "0388dace60b6a392f328c2b971b2fe78");
  free(h);
  h = zkt_tohex(tag, 16);
  assert_string_equal(h, "ab6e47d42cec13bdf53a67b21257bddf");
  free(h);
  /* Bad key size / nonce size / tag size; outputs zeroed. */
  memset(ct, 0xAA, sizeof ct);
  memset(tag, 0xAA, sizeof tag);
  zkt_assert_status(zk_aes_gcm_seal(ct, tag, 16, key, 20, iv, 12, NULL, 0, pt, 16), ZK_ERR_ARG);
  assert_true(all_zero(ct, 16) && all_zero(tag, 16));
  zkt_assert_status(zk_aes_gcm_seal(ct, tag, 16, key, 32, iv, 16, NULL, 0, pt, 16),
                    ZK_ERR_NONCE_SIZE);
  zkt_assert_status(zk_aes_gcm_seal(ct, tag, 12, key, 32, iv, 12, NULL, 0, pt, 16),
                    ZK_ERR_TAG_SIZE);
  zkt_assert_status(zk_aes_gcm_seal(ct, tag, 16, key, 32, iv, 12, NULL, 5, pt, 16), ZK_ERR_ARG);
  zkt_assert_status(zk_aes_gcm_seal(NULL, tag, 16, key, 32, iv, 12, NULL, 0, pt, 16), ZK_ERR_ARG);
  zkt_assert_status(zk_aes_gcm_open(pt, NULL, 32, iv, 12, NULL, 0, ct, 16, tag, 16), ZK_ERR_ARG);
  zkt_assert_status(zk_aes_gcm_open(pt, key, 32, iv, 11, NULL, 0, ct, 16, tag, 16),
                    ZK_ERR_NONCE_SIZE);
  /* Empty plaintext with and without AAD round-trips; wrong AAD fails. */
  const uint8_t aad[3] = {1, 2, 3};
  zkt_assert_ok(zk_aes_gcm_seal(NULL, tag, 16, key, 24, iv, 12, aad, 3, NULL, 0));
  zkt_assert_ok(zk_aes_gcm_open(NULL, key, 24, iv, 12, aad, 3, NULL, 0, tag, 16));
  zkt_assert_status(zk_aes_gcm_open(NULL, key, 24, iv, 12, aad, 2, NULL, 0, tag, 16),
                    ZK_ERR_DECRYPT);
  /* Wrong key length for the same key bytes (AES-128 vs AES-256) fails. */
  zkt_assert_ok(zk_aes_gcm_seal(ct, tag, 16, key, 32, iv, 12, NULL, 0, pt, 32));
  memset(pt, 0xAA, sizeof pt);
  zkt_assert_status(zk_aes_gcm_open(pt, key, 16, iv, 12, NULL, 0, ct, 32, tag, 16), ZK_ERR_DECRYPT);
  assert_true(all_zero(pt, 32));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_aes_gcm),
    cmocka_unit_test(test_aes_gcm_args),
};

ZKT_MAIN(tests)
