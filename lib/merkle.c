/* RFC 9162-style Merkle tree: tree head, audit paths, consistency proofs. */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/merkle.h"
#include "zk_internal.h"

typedef uint8_t hash_t[ZK_MERKLE_HASH_LEN];

zk_status zk_merkle_leaf_hash(uint8_t out[ZK_MERKLE_HASH_LEN], const uint8_t *data, size_t len) {
  if (out == NULL || (data == NULL && len > 0)) return ZK_ERR_ARG;
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  static const uint8_t zero = 0x00;
  unsigned ol = 0;
  int ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
           EVP_DigestUpdate(c, &zero, 1) == 1 &&
           (len == 0 || EVP_DigestUpdate(c, data, len) == 1) &&
           EVP_DigestFinal_ex(c, out, &ol) == 1 && ol == ZK_MERKLE_HASH_LEN;
  EVP_MD_CTX_free(c);
  if (!ok) {
    memset(out, 0, ZK_MERKLE_HASH_LEN);
    return ZK_ERR_INTERNAL;
  }
  return ZK_OK;
}

static zk_status node_hash(uint8_t out[32], const uint8_t l[32], const uint8_t r[32]) {
  uint8_t buf[65];
  buf[0] = 0x01;
  memcpy(buf + 1, l, 32);
  memcpy(buf + 33, r, 32);
  return zk_sha256(out, buf, sizeof buf);
}

/* Largest power of two strictly smaller than n (n >= 2). */
static uint64_t split(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

/* MTH(D[0..n)), n >= 1. Recursion depth <= 64. */
static zk_status mth(uint8_t out[32], const hash_t *d, size_t n) {
  if (n == 1) {
    memcpy(out, d[0], 32);
    return ZK_OK;
  }
  size_t k = (size_t)split(n);
  uint8_t l[32], r[32];
  ZKI_TRY(mth(l, d, k));
  ZKI_TRY(mth(r, d + k, n - k));
  return node_hash(out, l, r);
}

zk_status zk_merkle_root(uint8_t out[ZK_MERKLE_HASH_LEN], const hash_t *leaves, size_t n) {
  if (out == NULL || (leaves == NULL && n > 0)) return ZK_ERR_ARG;
  if (n == 0) return zk_sha256(out, NULL, 0);
  return mth(out, leaves, n);
}

/* Append h to proof. */
static zk_status push(hash_t *proof, size_t *count, size_t cap, const uint8_t h[32]) {
  if (*count >= cap) return ZK_ERR_BUFFER_TOO_SMALL;
  memcpy(proof[(*count)++], h, 32);
  return ZK_OK;
}

/* PATH(m, D[0..n)): the path is emitted leaf-side first. */
static zk_status path(hash_t *proof, size_t *count, size_t cap, const hash_t *d, size_t n,
                      size_t m) {
  if (n <= 1) return ZK_OK;
  size_t k = (size_t)split(n);
  uint8_t h[32];
  if (m < k) {
    ZKI_TRY(path(proof, count, cap, d, k, m));
    ZKI_TRY(mth(h, d + k, n - k));
  } else {
    ZKI_TRY(path(proof, count, cap, d + k, n - k, m - k));
    ZKI_TRY(mth(h, d, k));
  }
  return push(proof, count, cap, h);
}

zk_status zk_merkle_inclusion_proof(hash_t *proof, size_t *count, size_t cap, const hash_t *leaves,
                                    size_t n, size_t index) {
  if (count == NULL) return ZK_ERR_ARG;
  *count = 0;
  if (proof == NULL || leaves == NULL || index >= n) return ZK_ERR_ARG;
  zk_status s = path(proof, count, cap, leaves, n, index);
  if (s != ZK_OK) *count = 0;
  return s;
}

/* SUBPROOF(m, D[0..n), b). */
static zk_status subproof(hash_t *proof, size_t *count, size_t cap, const hash_t *d, size_t n,
                          size_t m, int b) {
  uint8_t h[32];
  if (m == n) {
    if (b) return ZK_OK;
    ZKI_TRY(mth(h, d, n));
    return push(proof, count, cap, h);
  }
  size_t k = (size_t)split(n);
  if (m <= k) {
    ZKI_TRY(subproof(proof, count, cap, d, k, m, b));
    ZKI_TRY(mth(h, d + k, n - k));
  } else {
    ZKI_TRY(subproof(proof, count, cap, d + k, n - k, m - k, 0));
    ZKI_TRY(mth(h, d, k));
  }
  return push(proof, count, cap, h);
}

zk_status zk_merkle_consistency_proof(hash_t *proof, size_t *count, size_t cap,
                                      const hash_t *leaves, size_t n, size_t old_size) {
  if (count == NULL) return ZK_ERR_ARG;
  *count = 0;
  if ((proof == NULL && cap > 0) || (leaves == NULL && n > 0) || old_size > n) return ZK_ERR_ARG;
  if (old_size == 0 || old_size == n) return ZK_OK;
  zk_status s = subproof(proof, count, cap, leaves, n, old_size, 1);
  if (s != ZK_OK) *count = 0;
  return s;
}

zk_status zk_merkle_verify_inclusion(const uint8_t leaf_hash[32], uint64_t index,
                                     uint64_t tree_size, const hash_t *proof, size_t count,
                                     const uint8_t root[32]) {
  if (leaf_hash == NULL || root == NULL || (proof == NULL && count > 0)) return ZK_ERR_ARG;
  if (index >= tree_size || count > ZK_MERKLE_MAX_PROOF) return ZK_ERR_MERKLE_PROOF;
  uint64_t fn = index, sn = tree_size - 1;
  uint8_t r[32];
  memcpy(r, leaf_hash, 32);
  for (size_t i = 0; i < count; i++) {
    if (sn == 0) return ZK_ERR_MERKLE_PROOF;
    if ((fn & 1) || fn == sn) {
      ZKI_TRY(node_hash(r, proof[i], r));
      if (!(fn & 1))
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      ZKI_TRY(node_hash(r, r, proof[i]));
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && zk_ct_equal(r, root, 32) ? ZK_OK : ZK_ERR_MERKLE_PROOF;
}

zk_status zk_merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
                                       const uint8_t old_root[32], const uint8_t new_root[32],
                                       const hash_t *proof, size_t count) {
  if (old_root == NULL || new_root == NULL || (proof == NULL && count > 0)) return ZK_ERR_ARG;
  if (old_size > new_size || count > ZK_MERKLE_MAX_PROOF) return ZK_ERR_MERKLE_PROOF;
  if (old_size == 0) return count == 0 ? ZK_OK : ZK_ERR_MERKLE_PROOF;
  if (old_size == new_size)
    return count == 0 && zk_ct_equal(old_root, new_root, 32) ? ZK_OK : ZK_ERR_MERKLE_PROOF;
  if (count == 0) return ZK_ERR_MERKLE_PROOF;

  /* When old_size is a power of two the old root itself starts the path. */
  const uint8_t *first;
  size_t i = 0;
  if ((old_size & (old_size - 1)) == 0) {
    first = old_root;
  } else {
    first = proof[0];
    i = 1;
  }
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  uint8_t fr[32], sr[32];
  memcpy(fr, first, 32);
  memcpy(sr, first, 32);
  for (; i < count; i++) {
    if (sn == 0) return ZK_ERR_MERKLE_PROOF;
    if ((fn & 1) || fn == sn) {
      ZKI_TRY(node_hash(fr, proof[i], fr));
      ZKI_TRY(node_hash(sr, proof[i], sr));
      if (!(fn & 1))
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      ZKI_TRY(node_hash(sr, sr, proof[i]));
    }
    fn >>= 1;
    sn >>= 1;
  }
  int ok = zk_ct_equal(fr, old_root, 32) & zk_ct_equal(sr, new_root, 32);
  return ok && sn == 0 ? ZK_OK : ZK_ERR_MERKLE_PROOF;
}
