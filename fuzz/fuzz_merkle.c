/*
 * libFuzzer harness: Merkle proof verification and generation (lib/merkle.c).
 * Input: [u8 n (leaves, 1..64)][u8 index][u8 old_size][u8 proof count] then
 * 32-byte hashes: a claimed root, an old root, then proof hashes.
 * The fuzzer drives zk_merkle_verify_inclusion / _consistency with arbitrary
 * proofs; separately, a tree of n leaves derived from the input is built and
 * its generated proofs must verify, while the fuzzed proof must not verify
 * unless it equals the generated one for the same positions.
 * Invariants: generated proofs verify; a fuzzed inclusion proof that verifies
 * for the real root equals the generated path.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4 + 64) return 0;
  size_t n = (size_t)(data[0] % 64) + 1, index = data[1] % n, old_size = data[2] % (n + 1);
  size_t cnt = data[3] % (ZK_MERKLE_MAX_PROOF + 2);
  const uint8_t *claimed_root = data + 4, *old_root = data + 36;
  size_t avail = (size - 68) / 32;
  if (cnt > avail) cnt = avail;
  const uint8_t(*fproof)[32] = (const uint8_t(*)[32])(data + 68);

  /* arbitrary proofs against arbitrary roots: must not crash */
  (void)zk_merkle_verify_inclusion(claimed_root, index, n, fproof, cnt, claimed_root);
  (void)zk_merkle_verify_consistency(old_size, n, old_root, claimed_root, fproof, cnt);

  /* a real tree: leaves = leaf hashes of (input byte i, i) */
  uint8_t lh[64][32], root[32], old[32], proof[ZK_MERKLE_MAX_PROOF][32];
  for (size_t i = 0; i < n; i++) {
    uint8_t leaf[2] = {data[(4 + i) % size], (uint8_t)i};
    if (zk_merkle_leaf_hash(lh[i], leaf, sizeof leaf) != ZK_OK) abort();
  }
  if (zk_merkle_root(root, (const uint8_t(*)[32])lh, n) != ZK_OK) abort();
  if (zk_merkle_root(old, (const uint8_t(*)[32])lh, old_size) != ZK_OK) abort();
  size_t pc;
  if (zk_merkle_inclusion_proof(proof, &pc, ZK_MERKLE_MAX_PROOF, (const uint8_t(*)[32])lh, n,
                                index) != ZK_OK)
    abort();
  if (zk_merkle_verify_inclusion(lh[index], index, n, (const uint8_t(*)[32])proof, pc, root) !=
      ZK_OK)
    abort();
  if (zk_merkle_verify_inclusion(lh[index], index, n, fproof, cnt, root) == ZK_OK &&
      (cnt != pc || memcmp(fproof, proof, 32 * pc) != 0))
    abort();
  if (zk_merkle_consistency_proof(proof, &pc, ZK_MERKLE_MAX_PROOF, (const uint8_t(*)[32])lh, n,
                                  old_size) != ZK_OK)
    abort();
  if (zk_merkle_verify_consistency(old_size, n, old, root, (const uint8_t(*)[32])proof, pc) !=
      ZK_OK)
    abort();
  return 0;
}
