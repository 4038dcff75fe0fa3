/*
 * libzerokey: QuorumOS provisioning flows on a trust backend.
 *
 * Genesis (in the enclave): draw a 32-byte quorum seed from the backend, split
 * it K-of-N over GF(2^8), encrypt share i to member i (QOS envelope), and emit
 * a borsh GenesisOutput:
 *   set{members Vec<{alias String, pub_key Vec<u8>}>, threshold u32}
 *   dr_key Option<Vec<u8>>  quorum_key Vec<u8>
 *   member_outputs Vec<{share_set_member{alias, pub_key}, encrypted_quorum_key_share Vec<u8>,
 *                       share_hash [u8;64] = SHA-512(share)}>
 *   recovery_permutations Vec<..> (always empty here; non-empty input is refused)
 *   dr_key_wrapped_quorum_key Option<Vec<u8>> (envelope of the raw seed to the DR key)
 *   quorum_key_hash [u8;64] = SHA-512(lowercase hex of the seed)
 *   test_message_ciphertext Vec<u8> (envelope of test_message to the quorum key)
 *   test_message_signature Vec<u8> (quorum key signature of test_message)
 *   test_message Vec<u8> = "qos-test-message"
 * and an attestation whose user_data = SHA-256(borsh(GenesisOutput)).
 *
 * Boot standard: a node (zk_qos_node) checks the manifest envelope (approvals,
 * no share-set approvals) and the pivot hash, generates a setup and a live
 * ephemeral key set, extends PCR16/PCR17 with their manifest commitments,
 * locks PCRs 0..31 and attests (user_data = manifest hash, public_key = setup
 * key). Each share holder verifies that boot (zk_qos_operator_provision) and
 * sends its share re-encrypted to the setup key plus its approval; at the
 * share-set threshold the node reconstructs the seed, requires it to match the
 * manifest quorum key and switches to the live key.
 *
 * Key forward: a provisioned node exports its seed to a new node booted with
 * zk_qos_node_boot_key_forward after checking the new node's boot and the
 * manifest rules (same quorum key, namespace, manifest set and PCR3; nonce not
 * lower; equal nonce only for the identical manifest); the new node checks the
 * quorum-key signature and the key before switching to live.
 */
#ifndef ZEROKEY_QOS_PROVISION_H
#define ZEROKEY_QOS_PROVISION_H

#include "attestation.h"
#include "backend.h"
#include "common.h"
#include "qos.h"
#include "qos_manifest.h"
#include "qos_proof.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_QOS_TEST_MESSAGE "qos-test-message"
#define ZK_QOS_SHARE_HASH_LEN 64
#define ZK_QOS_MAX_GENESIS_LEN (256u * 1024u)

typedef struct zk_qos_genesis zk_qos_genesis;

/*
 * Parse a borsh GenesisOutput (strict; see above).
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_TOO_LARGE; ZK_ERR_TRUNCATED; ZK_ERR_TRAILING;
 *          ZK_ERR_VALUE; ZK_ERR_PARSE; ZK_ERR_UNSUPPORTED (recovery permutations);
 *          ZK_ERR_NOMEM. Out: *out (zk_qos_genesis_free); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_qos_genesis_parse(zk_qos_genesis **out, const uint8_t *in,
                                             size_t in_len);
/* Borsh encoding. Out: *out (zk_free), *out_len. Returns ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM. */
ZK_API ZK_WUR zk_status zk_qos_genesis_serialize(const zk_qos_genesis *g, uint8_t **out,
                                                 size_t *out_len);
/* Quorum public key (130 bytes expected; *len receives the length). */
ZK_API const uint8_t *zk_qos_genesis_quorum_key(const zk_qos_genesis *g, size_t *len);
/* DR public key named in the output (NULL when absent). */
ZK_API const uint8_t *zk_qos_genesis_dr_key(const zk_qos_genesis *g, size_t *len);
ZK_API uint32_t zk_qos_genesis_threshold(const zk_qos_genesis *g);
ZK_API size_t zk_qos_genesis_member_count(const zk_qos_genesis *g);
ZK_API void zk_qos_genesis_free(zk_qos_genesis *g);

/*
 * Share holder: find the member output for ks's public key, decrypt the share
 * and check its share_hash.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_QOS_NOT_MEMBER; envelope statuses;
 *          ZK_ERR_QOS_SHARE_HASH. Out: *share (secret: zk_free_secret), *share_len.
 */
ZK_API ZK_WUR zk_status zk_qos_genesis_open_share(const zk_qos_genesis *g, const zk_qos_keyset *ks,
                                                  uint8_t **share, size_t *share_len);

/*
 * Check the genesis output against the reconstructed quorum key set:
 * public key, quorum_key_hash, test message, its signature and ciphertext.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_QOS_QUORUM_KEY; ZK_ERR_QOS_QUORUM_KEY_HASH;
 *          ZK_ERR_QOS_TEST_MESSAGE.
 */
ZK_API ZK_WUR zk_status zk_qos_genesis_check_quorum(const zk_qos_genesis *g,
                                                    const zk_qos_keyset *quorum);

/*
 * Check the DR-wrapped seed with the DR key set (the seed must derive the
 * quorum key). Returns: ZK_OK; ZK_ERR_NOT_FOUND (no DR wrap); envelope
 * statuses; ZK_ERR_QOS_QUORUM_KEY.
 */
ZK_API ZK_WUR zk_status zk_qos_genesis_check_dr(const zk_qos_genesis *g, const zk_qos_keyset *dr);

/*
 * Enclave side: run genesis.
 * In:  members: n 130-byte public keys with their aliases; threshold 1..n (n <= 64);
 *      dr_pub: optional 130-byte DR key (NULL for none).
 * Out: *out: the output; *att, *att_len: the backend attestation over it (zk_free).
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_SHAMIR_PARAMS; ZK_ERR_QOS_DUPLICATE_MEMBER;
 *          key statuses; backend statuses; ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_qos_genesis_run(zk_backend *be, zk_qos_genesis **out, uint8_t **att,
                                           size_t *att_len, const char *const *aliases,
                                           const uint8_t *const *members, size_t n,
                                           uint32_t threshold, const uint8_t *dr_pub);

/* ---- nodes (enclave side) ---- */

typedef enum zk_qos_phase {
  ZK_QOS_PHASE_WAITING_FOR_BOOT = 0,
  ZK_QOS_PHASE_WAITING_FOR_SHARES = 1,
  ZK_QOS_PHASE_WAITING_FOR_FORWARDED_KEY = 2,
  ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED = 3,
  ZK_QOS_PHASE_UNRECOVERABLE = 5
} zk_qos_phase;

typedef struct zk_qos_node zk_qos_node;

/* New node on a backend (borrowed; must outlive the node). */
ZK_API ZK_WUR zk_status zk_qos_node_new(zk_qos_node **out, zk_backend *be);
ZK_API void zk_qos_node_free(zk_qos_node *node);
ZK_API zk_qos_phase zk_qos_node_phase(const zk_qos_node *node);

/*
 * Boot standard / key forward: checks, ephemeral keys, PCR16/17, lock, attest.
 * Returns: ZK_OK; ZK_ERR_STATE (not waiting for boot); approval statuses;
 *          ZK_ERR_QOS_SHARE_APPROVALS; ZK_ERR_QOS_PIVOT_HASH; backend statuses.
 * Out: *att, *att_len: setup attestation (zk_free).
 */
ZK_API ZK_WUR zk_status zk_qos_node_boot_standard(zk_qos_node *node, uint8_t **att, size_t *att_len,
                                                  const zk_qos_envelope *env, const uint8_t *pivot,
                                                  size_t pivot_len);
ZK_API ZK_WUR zk_status zk_qos_node_boot_key_forward(zk_qos_node *node, uint8_t **att,
                                                     size_t *att_len, const zk_qos_envelope *env,
                                                     const uint8_t *pivot, size_t pivot_len);

/*
 * Accept one share (envelope to the setup key) with its approval.
 * Returns: ZK_OK (*reconstructed = 1 once the quorum key is provisioned);
 *          ZK_ERR_STATE; ZK_ERR_QOS_APPROVER_UNKNOWN / ZK_ERR_QOS_APPROVAL (approval
 *          not by a share-set member over this manifest); ZK_ERR_QOS_DUPLICATE_APPROVAL;
 *          envelope statuses; ZK_ERR_SHAMIR_SHARES; ZK_ERR_QOS_QUORUM_KEY (the node
 *          then becomes unrecoverable).
 */
ZK_API ZK_WUR zk_status zk_qos_node_provision(zk_qos_node *node, int *reconstructed,
                                              const uint8_t *enc_share, size_t enc_share_len,
                                              const zk_qos_approval *approval);

/*
 * Old node: export the quorum seed to a new node after checking its boot.
 * Args: v: pinned roots for the new node's attestation; at_unix: time.
 * Out: *enc (envelope to the new setup key, zk_free), sig (64 bytes: quorum key
 *      signature over *enc).
 * Returns: ZK_OK; ZK_ERR_STATE; boot statuses (setup commitment, no share
 *          approvals); ZK_ERR_QOS_QUORUM_KEY; ZK_ERR_QOS_NAMESPACE;
 *          ZK_ERR_QOS_MANIFEST_SET; ZK_ERR_QOS_NONCE; ZK_ERR_QOS_DIFFERENT_MANIFEST;
 *          ZK_ERR_QOS_PCR3; envelope statuses.
 */
ZK_API ZK_WUR zk_status zk_qos_node_export_key(const zk_qos_node *node, uint8_t **enc,
                                               size_t *enc_len, uint8_t sig[ZK_QOS_SIG_LEN],
                                               const zk_att_verifier *v, const uint8_t *att,
                                               size_t att_len, const zk_qos_envelope *new_env,
                                               uint64_t at_unix);

/*
 * New node: inject a forwarded key.
 * Returns: ZK_OK; ZK_ERR_STATE; ZK_ERR_QOS_FORWARD_SIGNATURE; envelope statuses;
 *          ZK_ERR_QOS_QUORUM_KEY.
 */
ZK_API ZK_WUR zk_status zk_qos_node_inject_key(zk_qos_node *node, const uint8_t *enc,
                                               size_t enc_len, const uint8_t *sig, size_t sig_len);

/*
 * Live attestation of a provisioned node (user_data = manifest hash,
 * public_key = live key, whose PCR17 commitment was extended at boot).
 * Returns: ZK_OK; ZK_ERR_STATE; backend statuses. Out: *att (zk_free).
 */
ZK_API ZK_WUR zk_status zk_qos_node_attest_live(zk_qos_node *node, uint8_t **att, size_t *att_len);

/* Current ephemeral key set (setup before provisioning, live after); NULL before boot. */
ZK_API const zk_qos_keyset *zk_qos_node_ephemeral(const zk_qos_node *node);
/* Quorum key set once provisioned, else NULL. */
ZK_API const zk_qos_keyset *zk_qos_node_quorum(const zk_qos_node *node);

/* ---- share holder ---- */

/*
 * Verify a boot-standard setup attestation (zk_qos_boot_verify with the PCR16
 * setup commitment and no share-set approvals), check that ks is a share-set
 * member under alias, re-encrypt the 33-byte share to the attested setup key
 * and approve the manifest.
 * Out: *enc (zk_free), *approval (zk_qos_approval_free).
 * Returns: ZK_OK; boot statuses; ZK_ERR_QOS_NOT_MEMBER; envelope statuses.
 */
ZK_API ZK_WUR zk_status zk_qos_operator_provision(
    uint8_t **enc, size_t *enc_len, zk_qos_approval **approval, const zk_att_verifier *v,
    const zk_qos_keyset *ks, const char *alias, const uint8_t *share, size_t share_len,
    const uint8_t *att, size_t att_len, const zk_qos_envelope *env, uint64_t at_unix);

#ifdef __cplusplus
}
#endif
#endif
