/* Shamir over GF(2^8)/0x11B: QOS vector, field arithmetic, round trips, refusals. */
#include <stdlib.h>
#include <string.h>

#include "zerokey/shamir.h"
#include "zk_internal.h"
#include "zk_shamir_internal.h"
#include "zkt.h"

/* Reference multiply: schoolbook carry-less product reduced by 0x11B (test only). */
static uint8_t ref_mul(uint8_t a, uint8_t b) {
  unsigned p = 0;
  for (int i = 0; i < 8; i++)
    if (b & (1u << i)) p ^= (unsigned)a << i;
  for (int i = 14; i >= 8; i--)
    if (p & (1u << i)) p ^= 0x11Bu << (i - 8);
  return (uint8_t)p;
}

static void test_field(void **state) {
  (void)state;
  unsigned long run = 0, ok = 0;
  for (unsigned a = 0; a < 256; a++) {
    for (unsigned b = 0; b < 256; b++) {
      run++;
      if (zki_gf256_mul((uint8_t)a, (uint8_t)b) == ref_mul((uint8_t)a, (uint8_t)b)) ok++;
    }
    run++;
    uint8_t inv = zki_gf256_inv((uint8_t)a);
    if (a == 0 ? inv == 0 : zki_gf256_mul((uint8_t)a, inv) == 1) ok++;
  }
  /* Known AES-field facts: {53}.{CA} = {01}, {57}.{83} = {C1} (FIPS-197 4.2). */
  run += 2;
  if (zki_gf256_mul(0x53, 0xCA) == 0x01) ok++;
  if (zki_gf256_mul(0x57, 0x83) == 0xC1) ok++;
  zkt_report("gf256 field", run, ok);
  assert_int_equal(run, ok);
}

static void test_qos_vector(void **state) {
  (void)state;
  json_t *j;
  ZKT_VECTOR_JSON("turnkey/shamir_gf256.json", &j);
  const char *want = zkt_jstr(j, "secret_utf8");
  json_t *arr = json_object_get(j, "shares_hex");
  assert_true(json_is_array(arr));
  size_t ns = json_array_size(arr);
  assert_int_equal(ns, 3);
  uint8_t *sh[3];
  size_t len[3];
  for (size_t i = 0; i < ns; i++)
    sh[i] = zkt_hex(json_string_value(json_array_get(arr, i)), &len[i]);
  unsigned long run = 0, ok = 0;
  uint8_t out[64];
  size_t outn;
  /* every pair (threshold 2) and all three */
  for (size_t a = 0; a < 3; a++)
    for (size_t b = a + 1; b < 3; b++) {
      const uint8_t *p[2] = {sh[a], sh[b]};
      size_t l[2] = {len[a], len[b]};
      run++;
      if (zk_shamir_combine_var(out, sizeof out, &outn, p, l, 2) == ZK_OK && outn == strlen(want) &&
          memcmp(out, want, outn) == 0)
        ok++;
    }
  {
    const uint8_t *p[3] = {sh[2], sh[0], sh[1]};
    run++;
    if (zk_shamir_combine(out, sizeof out, &outn, p, len[0], 3) == ZK_OK && outn == strlen(want) &&
        memcmp(out, want, outn) == 0)
      ok++;
  }
  zkt_report("shamir qos vector", run, ok);
  assert_int_equal(run, ok);

  /* Mutations: flipping any y byte of one share changes the secret; one share is not enough. */
  unsigned long mut = 0, rejected = 0;
  for (size_t pos = 1; pos < len[0]; pos++) {
    uint8_t *copy = zki_memdup(sh[0], len[0]);
    assert_non_null(copy);
    copy[pos] ^= 0x01;
    const uint8_t *p[2] = {copy, sh[1]};
    mut++;
    zkt_assert_ok(zk_shamir_combine(out, sizeof out, &outn, p, len[0], 2));
    if (memcmp(out, want, outn) != 0) rejected++;
    free(copy);
  }
  /* x changed to a third valid point: wrong secret; to 0 or to the other share's x: refused. */
  {
    uint8_t *copy = zki_memdup(sh[0], len[0]);
    const uint8_t *p[2] = {copy, sh[1]};
    copy[0] = 7;
    mut++;
    zkt_assert_ok(zk_shamir_combine(out, sizeof out, &outn, p, len[0], 2));
    if (memcmp(out, want, outn) != 0) rejected++;
    copy[0] = 0;
    mut++;
    if (zk_shamir_combine(out, sizeof out, &outn, p, len[0], 2) == ZK_ERR_SHAMIR_SHARES) rejected++;
    copy[0] = sh[1][0];
    mut++;
    if (zk_shamir_combine(out, sizeof out, &outn, p, len[0], 2) == ZK_ERR_SHAMIR_SHARES) rejected++;
    free(copy);
  }
  /* Truncation of one share: inconsistent lengths. */
  for (size_t cut = 0; cut < len[0]; cut++) {
    const uint8_t *p[2] = {sh[0], sh[1]};
    size_t l[2] = {len[0], cut};
    mut++;
    zk_status st = zk_shamir_combine_var(out, sizeof out, &outn, p, l, 2);
    if (st == ZK_ERR_SHAMIR_SHARES && outn == 0) rejected++;
  }
  zkt_report_mutations("shamir qos vector", mut, rejected);
  assert_int_equal(mut, rejected);
  for (size_t i = 0; i < ns; i++) free(sh[i]);
  json_decref(j);
}

/* Visit every k-subset of n shares and check that it reconstructs the secret. */
static unsigned long check_subsets(const uint8_t *shares, size_t n, size_t k, size_t share_len,
                                   const uint8_t *secret, unsigned long *run) {
  unsigned long ok = 0;
  for (unsigned mask = 0; mask < (1u << n); mask++) {
    if ((size_t)__builtin_popcount(mask) != k) continue;
    const uint8_t *p[16];
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
      if (mask & (1u << i)) p[c++] = shares + i * share_len;
    uint8_t out[64];
    size_t outn;
    (*run)++;
    if (zk_shamir_combine(out, sizeof out, &outn, p, share_len, c) == ZK_OK &&
        outn == share_len - 1 && memcmp(out, secret, outn) == 0)
      ok++;
  }
  return ok;
}

static void test_round_trip(void **state) {
  (void)state;
  unsigned long run = 0, ok = 0;
  static const size_t params[][2] = {{1, 1}, {2, 1}, {2, 2}, {3, 2},
                                     {5, 3}, {7, 4}, {8, 8}, {10, 5}};
  for (size_t t = 0; t < ZKI_ARRAY_LEN(params); t++) {
    size_t n = params[t][0], k = params[t][1];
    uint8_t secret[32];
    zkt_assert_ok(zk_random(secret, sizeof secret));
    uint8_t shares[10 * 33];
    zkt_assert_ok(zk_shamir_split(shares, sizeof shares, n, k, secret, sizeof secret));
    for (size_t i = 0; i < n; i++) assert_int_equal(shares[i * 33], i + 1);
    ok += check_subsets(shares, n, k, 33, secret, &run);
    /* all n shares also work */
    ok += check_subsets(shares, n, n, 33, secret, &run);
    /* k-1 shares (k >= 2) must not give the secret (fails with probability 2^-256) */
    if (k >= 2) {
      unsigned long r2 = 0;
      unsigned long good = check_subsets(shares, n, k - 1, 33, secret, &r2);
      assert_int_equal(good, 0);
    }
  }
  /* 255 shares, threshold 255, one-byte secret: the largest parameters */
  {
    static uint8_t big[255 * 2];
    uint8_t s = 0xA5, out[1];
    size_t outn;
    const uint8_t *p[255];
    zkt_assert_ok(zk_shamir_split(big, sizeof big, 255, 255, &s, 1));
    for (size_t i = 0; i < 255; i++) p[i] = big + 2 * i;
    run++;
    if (zk_shamir_combine(out, sizeof out, &outn, p, 2, 255) == ZK_OK && out[0] == s) ok++;
  }
  zkt_report("shamir round trips", run, ok);
  assert_int_equal(run, ok);
}

static void test_invalid(void **state) {
  (void)state;
  uint8_t secret[32] = {1, 2, 3};
  uint8_t shares[5 * 33];
  unsigned long run = 0, ok = 0;
#define EXPECT(expr, want)             \
  do {                                 \
    run++;                             \
    zkt_assert_status((expr), (want)); \
    ok++;                              \
  } while (0)
  EXPECT(zk_shamir_split(shares, sizeof shares, 5, 0, secret, 32), ZK_ERR_SHAMIR_PARAMS);
  EXPECT(zk_shamir_split(shares, sizeof shares, 3, 4, secret, 32), ZK_ERR_SHAMIR_PARAMS);
  EXPECT(zk_shamir_split(shares, sizeof shares, 0, 0, secret, 32), ZK_ERR_SHAMIR_PARAMS);
  EXPECT(zk_shamir_split(shares, sizeof shares, 256, 2, secret, 32), ZK_ERR_SHAMIR_PARAMS);
  EXPECT(zk_shamir_split(shares, sizeof shares, 3, 2, secret, 0), ZK_ERR_SHAMIR_PARAMS);
  EXPECT(zk_shamir_split(shares, sizeof shares, 3, 2, secret, ZK_SHAMIR_MAX_SECRET_LEN + 1),
         ZK_ERR_SHAMIR_PARAMS);
  EXPECT(zk_shamir_split(shares, 5 * 33 - 1, 5, 2, secret, 32), ZK_ERR_BUFFER_TOO_SMALL);
  EXPECT(zk_shamir_split(NULL, 0, 5, 2, secret, 32), ZK_ERR_ARG);
  EXPECT(zk_shamir_split(shares, sizeof shares, 5, 2, NULL, 32), ZK_ERR_ARG);
  /* outputs zeroed on error */
  memset(shares, 0xee, sizeof shares);
  EXPECT(zk_shamir_split(shares, sizeof shares, 3, 4, secret, 32), ZK_ERR_SHAMIR_PARAMS);
  for (size_t i = 0; i < sizeof shares; i++) assert_int_equal(shares[i], 0);

  zkt_assert_ok(zk_shamir_split(shares, sizeof shares, 5, 3, secret, 32));
  uint8_t out[32];
  size_t outn = 99;
  const uint8_t *p[3] = {shares, shares + 33, shares + 66};
  EXPECT(zk_shamir_combine(out, sizeof out, &outn, p, 33, 0), ZK_ERR_ARG);
  EXPECT(zk_shamir_combine(out, sizeof out, &outn, p, 33, 256), ZK_ERR_SHAMIR_PARAMS);
  EXPECT(zk_shamir_combine(out, sizeof out, &outn, p, 1, 3), ZK_ERR_SHAMIR_PARAMS);
  EXPECT(zk_shamir_combine(out, 31, &outn, p, 33, 3), ZK_ERR_BUFFER_TOO_SMALL);
  EXPECT(zk_shamir_combine(NULL, 32, &outn, p, 33, 3), ZK_ERR_ARG);
  EXPECT(zk_shamir_combine(out, 32, NULL, p, 33, 3), ZK_ERR_ARG);
  const uint8_t *dup[3] = {shares, shares + 33, shares};
  EXPECT(zk_shamir_combine(out, sizeof out, &outn, dup, 33, 3), ZK_ERR_SHAMIR_SHARES);
  assert_int_equal(outn, 0);
  const uint8_t *withnull[3] = {shares, NULL, shares + 66};
  EXPECT(zk_shamir_combine(out, sizeof out, &outn, withnull, 33, 3), ZK_ERR_ARG);
  size_t lens[3] = {33, 33, 32};
  EXPECT(zk_shamir_combine_var(out, sizeof out, &outn, p, lens, 3), ZK_ERR_SHAMIR_SHARES);
  uint8_t zero_x[33];
  memcpy(zero_x, shares, 33);
  zero_x[0] = 0;
  const uint8_t *zx[3] = {zero_x, shares + 33, shares + 66};
  EXPECT(zk_shamir_combine(out, sizeof out, &outn, zx, 33, 3), ZK_ERR_SHAMIR_SHARES);
  for (size_t i = 0; i < sizeof out; i++) assert_int_equal(out[i], 0);
  zk_wipe(shares, sizeof shares);
#undef EXPECT
  zkt_report("shamir refusals", run, ok);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_field),
    cmocka_unit_test(test_qos_vector),
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_invalid),
};

ZKT_MAIN(tests)
