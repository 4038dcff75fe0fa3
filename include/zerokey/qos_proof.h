/*
 * libzerokey: QuorumOS boot proofs and app proofs.
 *
 * Boot proof = Nitro attestation document + QOS manifest envelope. Verified
 * (zk_qos_boot_verify) in this order:
 *   1. the standalone manifest, when given, has the envelope manifest's hash
 *      (ZK_ERR_QOS_MANIFEST_HASH);
 *   2. the attestation verifies at the given time against the verifier's pinned
 *      roots (zk_att_verify; debug enclaves refused unless allowed);
 *   3. QOS shape: nonce absent (ZK_ERR_ATT_NONCE), public_key is a 130-byte
 *      QOS key (ZK_ERR_QOS_EPHEMERAL_KEY) equal to the expected ephemeral key
 *      when one is given (ZK_ERR_QOS_EPHEMERAL_KEY);
 *   4. user_data == manifest hash (ZK_ERR_QOS_MANIFEST_HASH);
 *   5. PCR0..3 present (ZK_ERR_ATT_PCR_MISSING) and equal to manifest.enclave.pcr0..3
 *      (ZK_ERR_QOS_PCR), and to the pinned release values (ZK_ERR_QOS_PCR_PIN);
 *   6. manifest pins: pivot hash (ZK_ERR_QOS_PIVOT_HASH), quorum key (ZK_ERR_QOS_QUORUM_KEY);
 *   7. manifest-set approvals meet the threshold (zk_qos_envelope_verify_approvals;
 *      optionally no share-set approvals);
 *   8. when required, the PCR16 (setup) or PCR17 (live) manifest commitment
 *      equals the value computed from the manifest hash and public_key
 *      (ZK_ERR_ATT_PCR_MISSING / ZK_ERR_QOS_PCR_COMMITMENT).
 *
 * App proof (Turnkey JSON): {"scheme": "SIGNATURE_SCHEME_EPHEMERAL_KEY_P256",
 * "publicKey": hex(130), "proofPayload": "<JSON text>", "signature": hex(r||s)}.
 * The signature is ECDSA P-256 / SHA-256 over the exact proofPayload bytes by
 * the sign half of publicKey, which must be the boot's attested ephemeral key.
 * QOS signs app proofs with the LIVE ephemeral key: verify the boot with
 * zk_qos_boot_policy_require_commitment(p, ZK_QOS_COMMIT_LIVE) (new QOS, PCR17)
 * before accepting app proofs against it.
 */
#ifndef ZEROKEY_QOS_PROOF_H
#define ZEROKEY_QOS_PROOF_H

#include "attestation.h"
#include "common.h"
#include "qos.h"
#include "qos_manifest.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_QOS_APP_PROOF_SCHEME "SIGNATURE_SCHEME_EPHEMERAL_KEY_P256"
#define ZK_QOS_MAX_PROOF_LEN (256u * 1024u) /* app proof / boot proof JSON bytes */

typedef struct zk_qos_boot_policy zk_qos_boot_policy;
typedef struct zk_qos_boot zk_qos_boot;

/*
 * Default policy: no pins, no commitment required, share-set approvals
 * tolerated, debug enclaves refused.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM. Out: *out (zk_qos_boot_policy_free).
 */
ZK_API ZK_WUR zk_status zk_qos_boot_policy_new(zk_qos_boot_policy **out);
ZK_API void zk_qos_boot_policy_free(zk_qos_boot_policy *p);
/* Pin a release value of PCR index 0..3 (48 bytes). Returns ZK_OK, ZK_ERR_ARG. */
ZK_API ZK_WUR zk_status zk_qos_boot_policy_pin_pcr(zk_qos_boot_policy *p, unsigned index,
                                                   const uint8_t *value, size_t len);
/* Pin the pivot binary hash (32 bytes). Returns ZK_OK, ZK_ERR_ARG. */
ZK_API ZK_WUR zk_status zk_qos_boot_policy_pin_pivot_hash(zk_qos_boot_policy *p,
                                                          const uint8_t *hash, size_t len);
/* Pin the namespace quorum key (130 bytes). Returns ZK_OK, ZK_ERR_ARG. */
ZK_API ZK_WUR zk_status zk_qos_boot_policy_pin_quorum_key(zk_qos_boot_policy *p, const uint8_t *pub,
                                                          size_t len);
/*
 * Require the PCR16 (ZK_QOS_COMMIT_SETUP) or PCR17 (ZK_QOS_COMMIT_LIVE)
 * commitment; 0 removes the requirement. Returns ZK_OK, ZK_ERR_ARG.
 */
ZK_API ZK_WUR zk_status zk_qos_boot_policy_require_commitment(zk_qos_boot_policy *p, int kind);
/* Refuse envelopes that carry share-set approvals (boot standard / key forward). */
ZK_API void zk_qos_boot_policy_require_no_share_approvals(zk_qos_boot_policy *p, int on);
/* Accept debug-mode enclaves (PCR0 all zero). */
ZK_API void zk_qos_boot_policy_allow_debug(zk_qos_boot_policy *p, int on);

/*
 * Verify a boot (see the order above).
 * Args: v: pinned roots. p: policy (NULL = defaults).
 * In:  att, att_len: COSE_Sign1 attestation document;
 *      env: the manifest envelope; manifest: standalone manifest or NULL;
 *      eph_pub, eph_len: expected ephemeral key or NULL;
 *      at_unix: verification time in seconds (archived proofs: their own time).
 * Out: *out: the verified boot (zk_qos_boot_free); NULL on error.
 * Returns: ZK_OK or the first failure (statuses above and those of zk_att_verify).
 */
ZK_API ZK_WUR zk_status zk_qos_boot_verify(const zk_att_verifier *v, const zk_qos_boot_policy *p,
                                           zk_qos_boot **out, const uint8_t *att, size_t att_len,
                                           const zk_qos_envelope *env,
                                           const zk_qos_manifest *manifest, const uint8_t *eph_pub,
                                           size_t eph_len, uint64_t at_unix);

/*
 * Verify a Turnkey BootProof JSON: {ephemeralPublicKeyHex, awsAttestationDocB64,
 * qosManifestB64, qosManifestEnvelopeB64, createdAt{seconds,nanos}, ...}
 * (manifest and envelope in borsh, version detected). The verification time is
 * at_unix, or createdAt.seconds when at_unix is 0.
 * Returns: ZK_ERR_QOS_PROOF_FORMAT (JSON shape, base64, hex), or as zk_qos_boot_verify.
 */
ZK_API ZK_WUR zk_status zk_qos_boot_proof_verify_json(const zk_att_verifier *v,
                                                      const zk_qos_boot_policy *p,
                                                      zk_qos_boot **out, const char *json,
                                                      size_t json_len, uint64_t at_unix);

/* Accessors (borrowed pointers, valid until zk_qos_boot_free). */
ZK_API const uint8_t *zk_qos_boot_ephemeral_key(const zk_qos_boot *b); /* 130 bytes */
ZK_API const zk_qos_manifest *zk_qos_boot_manifest(const zk_qos_boot *b);
ZK_API uint64_t zk_qos_boot_timestamp_ms(const zk_qos_boot *b);
ZK_API void zk_qos_boot_free(zk_qos_boot *b);

/*
 * Verify an app proof against a verified boot.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_TOO_LARGE; ZK_ERR_QOS_PROOF_FORMAT (JSON
 *          shape, unknown field, bad hex, payload not a JSON object with string
 *          "type" and "timestampMs"); ZK_ERR_QOS_PROOF_SCHEME; ZK_ERR_QOS_EPHEMERAL_KEY
 *          (publicKey is not the boot's key); ZK_ERR_QOS_APP_SIGNATURE.
 * Out: *payload: copy of proofPayload (malloc'd NUL-terminated, zk_free), *payload_len.
 */
ZK_API ZK_WUR zk_status zk_qos_app_proof_verify(const zk_qos_boot *boot, char **payload,
                                                size_t *payload_len, const char *json,
                                                size_t json_len);

/*
 * Produce an app proof (enclave side) over payload with the ephemeral key set.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_TOO_LARGE, ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 * Out: *json (malloc'd NUL-terminated, zk_free), *json_len.
 */
ZK_API ZK_WUR zk_status zk_qos_app_proof_create(const zk_qos_keyset *eph, char **json,
                                                size_t *json_len, const char *payload,
                                                size_t payload_len);

#ifdef __cplusplus
}
#endif
#endif
