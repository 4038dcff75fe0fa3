/* Merkle trees (RFC 9162 style): published CT test roots, exhaustive small trees,
 * every proof mutation rejected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/merkle.h"
#include "zk_internal.h"
#include "zkt.h"

typedef uint8_t hash_t[32];

/* The 8 leaves and tree heads of the Certificate Transparency reference tests
 * (RFC 6962 hashing, identical in RFC 9162). */
static const char *const ct_leaves[8] = {"",
                                         "00",
                                         "10",
                                         "2021",
                                         "3031",
                                         "40414243",
                                         "5051525354555657",
                                         "606162636465666768696a6b6c6d6e6f"};
static const char *const ct_roots[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

static void ct_leaf_hashes(hash_t out[8]) {
  for (int i = 0; i < 8; i++) {
    size_t n = 0;
    uint8_t *b = ct_leaves[i][0] ? zkt_hex(ct_leaves[i], &n) : NULL;
    zkt_assert_ok(zk_merkle_leaf_hash(out[i], b, n));
    free(b);
  }
}

static void test_ct_roots(void **state) {
  (void)state;
  hash_t lh[8];
  ct_leaf_hashes(lh);
  unsigned long run = 0, ok = 0;
  for (size_t n = 1; n <= 8; n++) {
    uint8_t root[32];
    zkt_assert_ok(zk_merkle_root(root, (const hash_t *)lh, n));
    char *h = zkt_tohex(root, 32);
    run++;
    if (strcmp(h, ct_roots[n - 1]) == 0)
      ok++;
    else
      fprintf(stderr, "size %zu: %s\n", n, h);
    free(h);
  }
  /* Empty tree = SHA-256(""). */
  uint8_t root[32];
  zkt_assert_ok(zk_merkle_root(root, NULL, 0));
  char *h = zkt_tohex(root, 32);
  run++;
  if (strcmp(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0) ok++;
  free(h);
  /* Audit path of leaf 0 in the 8-leaf tree (CT reference test). */
  hash_t proof[ZK_MERKLE_MAX_PROOF];
  size_t cnt;
  zkt_assert_ok(
      zk_merkle_inclusion_proof(proof, &cnt, ZK_MERKLE_MAX_PROOF, (const hash_t *)lh, 8, 0));
  assert_int_equal(cnt, 3);
  const char *want[3] = {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                         "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                         "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"};
  for (int i = 0; i < 3; i++) {
    h = zkt_tohex(proof[i], 32);
    run++;
    if (strcmp(h, want[i]) == 0) ok++;
    free(h);
  }
  zkt_report("merkle CT reference", run, ok);
  assert_int_equal(run, ok);
}

/* Every proof element flipped, wrong index / size / root, shortened and lengthened proofs. */
static void test_exhaustive(void **state) {
  (void)state;
  enum { N = 33 };
  hash_t lh[N];
  for (size_t i = 0; i < N; i++) {
    uint8_t b[8];
    memcpy(b, &i, sizeof i < 8 ? sizeof i : 8);
    zkt_assert_ok(zk_merkle_leaf_hash(lh[i], b, sizeof b));
  }
  hash_t roots[N + 1];
  for (size_t n = 0; n <= N; n++) zkt_assert_ok(zk_merkle_root(roots[n], (const hash_t *)lh, n));
  unsigned long good = 0, tried = 0, rejected = 0;
  hash_t proof[ZK_MERKLE_MAX_PROOF + 1];
  size_t cnt;
  for (size_t n = 1; n <= N; n++) {
    for (size_t i = 0; i < n; i++) {
      zkt_assert_ok(
          zk_merkle_inclusion_proof(proof, &cnt, ZK_MERKLE_MAX_PROOF, (const hash_t *)lh, n, i));
      zkt_assert_ok(zk_merkle_verify_inclusion(lh[i], i, n, (const hash_t *)proof, cnt, roots[n]));
      good++;
#define REJ(expr)                                         \
  do {                                                    \
    tried++;                                              \
    if ((expr) == ZK_ERR_MERKLE_PROOF)                    \
      rejected++;                                         \
    else                                                  \
      fail_msg("accepted: n=%zu i=%zu: %s", n, i, #expr); \
  } while (0)
      for (size_t p = 0; p < cnt; p++) {
        proof[p][p % 32] ^= 1;
        REJ(zk_merkle_verify_inclusion(lh[i], i, n, (const hash_t *)proof, cnt, roots[n]));
        proof[p][p % 32] ^= 1;
      }
      if (n > 1)
        REJ(zk_merkle_verify_inclusion(lh[i], (i + 1) % n, n, (const hash_t *)proof, cnt,
                                       roots[n]));
      /* (A larger claimed size with the same root can verify when the path shape
       * is identical: size and root come together in a signed tree head.) */
      REJ(zk_merkle_verify_inclusion(lh[i], n, n, (const hash_t *)proof, cnt, roots[n]));
      REJ(zk_merkle_verify_inclusion(lh[(i + 1) % N], i, n, (const hash_t *)proof, cnt, roots[n]));
      REJ(zk_merkle_verify_inclusion(lh[i], i, n, (const hash_t *)proof, cnt, roots[n - 1]));
      if (cnt > 0)
        REJ(zk_merkle_verify_inclusion(lh[i], i, n, (const hash_t *)proof, cnt - 1, roots[n]));
      memcpy(proof[cnt], lh[0], 32);
      REJ(zk_merkle_verify_inclusion(lh[i], i, n, (const hash_t *)proof, cnt + 1, roots[n]));
    }
    for (size_t m = 0; m <= n; m++) {
      zkt_assert_ok(
          zk_merkle_consistency_proof(proof, &cnt, ZK_MERKLE_MAX_PROOF, (const hash_t *)lh, n, m));
      zkt_assert_ok(
          zk_merkle_verify_consistency(m, n, roots[m], roots[n], (const hash_t *)proof, cnt));
      good++;
      size_t i = m;
      if (m == 0) continue;
      for (size_t p = 0; p < cnt; p++) {
        proof[p][31 - p % 32] ^= 0x80;
        REJ(zk_merkle_verify_consistency(m, n, roots[m], roots[n], (const hash_t *)proof, cnt));
        proof[p][31 - p % 32] ^= 0x80;
      }
      if (m < n) {
        REJ(zk_merkle_verify_consistency(m, n, roots[m - 1], roots[n], (const hash_t *)proof, cnt));
        REJ(zk_merkle_verify_consistency(m, n, roots[m], roots[n - 1], (const hash_t *)proof, cnt));
        if (m > 1)
          REJ(zk_merkle_verify_consistency(m - 1, n, roots[m], roots[n], (const hash_t *)proof,
                                           cnt));
        REJ(zk_merkle_verify_consistency(m, n, roots[m], roots[n], (const hash_t *)proof, cnt - 1));
        memcpy(proof[cnt], lh[0], 32);
        REJ(zk_merkle_verify_consistency(m, n, roots[m], roots[n], (const hash_t *)proof, cnt + 1));
      } else {
        /* equal sizes: roots must be equal and the proof empty */
        REJ(zk_merkle_verify_consistency(m, n, roots[m - 1], roots[n], (const hash_t *)proof, 0));
        REJ(zk_merkle_verify_consistency(m, n, roots[m], roots[n], (const hash_t *)lh, 1));
      }
      REJ(zk_merkle_verify_consistency(n + 1, n, roots[n], roots[n], (const hash_t *)proof, cnt));
      (void)i;
    }
  }
  /* Argument checks and limits. */
  size_t c2;
  zkt_assert_status(zk_merkle_inclusion_proof(proof, &c2, 64, (const hash_t *)lh, 4, 4),
                    ZK_ERR_ARG);
  zkt_assert_status(zk_merkle_inclusion_proof(proof, &c2, 1, (const hash_t *)lh, 8, 0),
                    ZK_ERR_BUFFER_TOO_SMALL);
  assert_int_equal(c2, 0);
  zkt_assert_status(zk_merkle_consistency_proof(proof, &c2, 64, (const hash_t *)lh, 4, 5),
                    ZK_ERR_ARG);
  zkt_assert_status(zk_merkle_verify_inclusion(lh[0], 0, 1, NULL, 0, NULL), ZK_ERR_ARG);
  zkt_assert_status(zk_merkle_verify_inclusion(lh[0], 0, 2, (const hash_t *)proof,
                                               ZK_MERKLE_MAX_PROOF + 1, roots[2]),
                    ZK_ERR_MERKLE_PROOF);
  printf("MERKLE valid proofs: %lu\n", good);
  zkt_report_mutations("merkle proofs (element flips, wrong index/size/root, length)", tried,
                       rejected);
  assert_int_equal(tried, rejected);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ct_roots),
      cmocka_unit_test(test_exhaustive),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
