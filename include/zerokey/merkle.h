/*
 * libzerokey: Merkle tree hashes, inclusion and consistency proofs in the
 * style of RFC 9162 (Certificate Transparency 2.0), SHA-256:
 *   leaf hash = SHA-256(0x00 || leaf bytes)
 *   node hash = SHA-256(0x01 || left || right)
 *   MTH of n leaves splits at k, the largest power of two smaller than n;
 *   the empty tree's hash is SHA-256("").
 * Used over the notarization record log: leaf i = the exact COSE bytes of the
 * record with sequence i (docs/formats.md, "Notarization log Merkle tree").
 *
 * Functions that build trees take leaf HASHES (zk_merkle_leaf_hash), so the
 * caller hashes each record once.
 */
#ifndef ZEROKEY_MERKLE_H
#define ZEROKEY_MERKLE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_MERKLE_HASH_LEN 32
#define ZK_MERKLE_MAX_PROOF 64 /* hashes in any proof over a tree of < 2^63 leaves */

/* SHA-256(0x00 || data). Returns ZK_OK, ZK_ERR_ARG, ZK_ERR_INTERNAL. */
ZK_API ZK_WUR zk_status zk_merkle_leaf_hash(uint8_t out[ZK_MERKLE_HASH_LEN], const uint8_t *data,
                                            size_t len);

/*
 * Tree head of n leaf hashes (n may be 0).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_merkle_root(uint8_t out[ZK_MERKLE_HASH_LEN],
                                       const uint8_t (*leaf_hashes)[ZK_MERKLE_HASH_LEN], size_t n);

/*
 * Audit path for leaf `index` in the tree of n leaves (RFC 9162 2.1.3.1).
 * Out: proof[0..*count) (caller array of cap hashes); *count = 0 on error.
 * Returns: ZK_OK, ZK_ERR_ARG (index >= n), ZK_ERR_BUFFER_TOO_SMALL, ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_merkle_inclusion_proof(uint8_t (*proof)[ZK_MERKLE_HASH_LEN],
                                                  size_t *count, size_t cap,
                                                  const uint8_t (*leaf_hashes)[ZK_MERKLE_HASH_LEN],
                                                  size_t n, size_t index);

/*
 * Verify an audit path (RFC 9162 2.1.3.2).
 * Returns: ZK_OK, ZK_ERR_MERKLE_PROOF (wrong path, index, size or root), ZK_ERR_ARG.
 */
ZK_API ZK_WUR zk_status zk_merkle_verify_inclusion(const uint8_t leaf_hash[ZK_MERKLE_HASH_LEN],
                                                   uint64_t index, uint64_t tree_size,
                                                   const uint8_t (*proof)[ZK_MERKLE_HASH_LEN],
                                                   size_t count,
                                                   const uint8_t root[ZK_MERKLE_HASH_LEN]);

/*
 * Consistency proof between the first old_size leaves and all n leaves
 * (RFC 9162 2.1.4.1); empty when old_size is 0 or equals n.
 * Returns: ZK_OK, ZK_ERR_ARG (old_size > n), ZK_ERR_BUFFER_TOO_SMALL, ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_merkle_consistency_proof(
    uint8_t (*proof)[ZK_MERKLE_HASH_LEN], size_t *count, size_t cap,
    const uint8_t (*leaf_hashes)[ZK_MERKLE_HASH_LEN], size_t n, size_t old_size);

/*
 * Verify that the tree of new_size leaves with new_root extends the tree of
 * old_size leaves with old_root (RFC 9162 2.1.4.2). old_size 0 is consistent
 * with anything (the proof must be empty); old_size == new_size requires an
 * empty proof and equal roots.
 * Returns: ZK_OK, ZK_ERR_MERKLE_PROOF, ZK_ERR_ARG.
 */
ZK_API ZK_WUR zk_status zk_merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
                                                     const uint8_t old_root[ZK_MERKLE_HASH_LEN],
                                                     const uint8_t new_root[ZK_MERKLE_HASH_LEN],
                                                     const uint8_t (*proof)[ZK_MERKLE_HASH_LEN],
                                                     size_t count);

#ifdef __cplusplus
}
#endif
#endif
