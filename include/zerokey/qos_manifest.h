/*
 * libzerokey: QuorumOS manifests, manifest envelopes, approvals, QOS canonical
 * JSON and the PCR manifest commitments.
 *
 * Formats (borsh, field order; see docs/qos.md for the full layout):
 *   ManifestV1 = Namespace{name String, nonce u32, quorum_key Vec<u8>}
 *                PivotConfigV1{hash [u8;32], restart u8 (0 Never, 1 Always),
 *                              bridge_config Vec<BridgeConfig>, debug_mode bool,
 *                              args Vec<String>}
 *                manifest_set QuorumSet{threshold u32, members Vec<{alias String, pub_key
 * Vec<u8>}>} share_set QuorumSet enclave NitroConfig{pcr0..pcr3 Vec<u8>, aws_root_certificate
 * Vec<u8>, qos_commit String} patch_set PatchSet{threshold u32, members Vec<{pub_key Vec<u8>}>}
 *   ManifestV0 = the same with PivotConfigV0{hash, restart, args}.
 *   BridgeConfig = u8 tag: 0 Server{port u16, host String}, 1 Client{port u16, host
 * Option<String>}. ManifestEnvelope = manifest || manifest_set_approvals Vec<Approval> ||
 * share_set_approvals Vec<Approval> Approval = signature Vec<u8> (raw r||s) || member {alias
 * String, pub_key Vec<u8>} Manifest hash (V0/V1) = SHA-256(borsh(manifest)); an approval is a QOS
 * signature over the 32-byte hash (so ECDSA runs over SHA-256(hash)).
 *
 * JSON (camelCase, as QOS writes it) is accepted for manifests and envelopes and
 * is always read as a V1 manifest (a V0 JSON manifest is upgraded with an empty
 * bridgeConfig and debugMode false, as QOS does). Manifests carrying a
 * "version" key (V2) are refused with ZK_ERR_QOS_MANIFEST_VERSION.
 *
 * Parsers are strict: unknown JSON fields, duplicate keys, wrong types,
 * out-of-range integers, bad hex, trailing borsh bytes, booleans/tags other
 * than 0/1, invalid UTF-8 and anything beyond the ZK_QOS_MAX_* bounds are refused.
 */
#ifndef ZEROKEY_QOS_MANIFEST_H
#define ZEROKEY_QOS_MANIFEST_H

#include "common.h"
#include "qos.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_QOS_MANIFEST_HASH_LEN 32
#define ZK_QOS_PCR_LEN 48
#define ZK_QOS_MAX_MANIFEST_LEN (1u << 20) /* bytes of borsh or JSON input */
#define ZK_QOS_MAX_STRING_LEN 4096         /* one name, alias, host, arg or commit */
#define ZK_QOS_MAX_MEMBERS 64              /* per quorum / patch set */
#define ZK_QOS_MAX_APPROVALS 64            /* per approval list */
#define ZK_QOS_MAX_ARGS 256
#define ZK_QOS_MAX_BRIDGES 16
#define ZK_QOS_MAX_KEY_LEN 1024   /* pub_key / quorum_key bytes (130 in practice) */
#define ZK_QOS_MAX_PCR_LEN 64     /* pcr0..3 bytes (48 in practice) */
#define ZK_QOS_MAX_CERT_LEN 16384 /* aws_root_certificate bytes */

typedef enum zk_qos_manifest_version {
  ZK_QOS_MANIFEST_AUTO = -1, /* borsh: try V1 and V0, refuse if both or neither decode */
  ZK_QOS_MANIFEST_V0 = 0,
  ZK_QOS_MANIFEST_V1 = 1
} zk_qos_manifest_version;

typedef enum zk_qos_set_kind {
  ZK_QOS_SET_MANIFEST = 1,
  ZK_QOS_SET_SHARE = 2,
  ZK_QOS_SET_PATCH = 3
} zk_qos_set_kind;

typedef struct zk_qos_manifest zk_qos_manifest;
typedef struct zk_qos_envelope zk_qos_envelope;
typedef struct zk_qos_approval zk_qos_approval;

/* ---- manifests ---- */

/*
 * Parse a borsh manifest. With ZK_QOS_MANIFEST_AUTO the version is detected.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_TOO_LARGE; ZK_ERR_TRUNCATED; ZK_ERR_TRAILING;
 *          ZK_ERR_VALUE (bool/enum/option tag out of range); ZK_ERR_PARSE (bad UTF-8);
 *          ZK_ERR_QOS_MANIFEST_VERSION (AUTO and both versions decode); ZK_ERR_NOMEM.
 * Out: *out: new manifest (zk_qos_manifest_free); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_qos_manifest_parse_borsh(zk_qos_manifest **out, const uint8_t *in,
                                                    size_t in_len, zk_qos_manifest_version ver);

/*
 * Parse a JSON manifest (read as V1, see above).
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_TOO_LARGE; ZK_ERR_JSON; ZK_ERR_DUPLICATE_KEY;
 *          ZK_ERR_MISSING_FIELD; ZK_ERR_UNKNOWN_FIELD; ZK_ERR_TYPE; ZK_ERR_VALUE;
 *          ZK_ERR_HEX; ZK_ERR_QOS_MANIFEST_VERSION; ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_qos_manifest_parse_json(zk_qos_manifest **out, const char *json,
                                                   size_t json_len);

/*
 * Borsh encoding of the manifest in its version.
 * Out: *out (malloc'd, zk_free), *out_len. Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_qos_manifest_serialize_borsh(const zk_qos_manifest *m, uint8_t **out,
                                                        size_t *out_len);

/* SHA-256 of the borsh encoding (32 bytes, pointer into m). NULL for NULL. */
ZK_API const uint8_t *zk_qos_manifest_hash(const zk_qos_manifest *m);
/* 0 or 1 (-1 for NULL). */
ZK_API int zk_qos_manifest_version_of(const zk_qos_manifest *m);
/* Namespace name (NUL-terminated, pointer into m), nonce and quorum key. */
ZK_API const char *zk_qos_manifest_namespace(const zk_qos_manifest *m);
ZK_API uint32_t zk_qos_manifest_nonce(const zk_qos_manifest *m);
ZK_API const uint8_t *zk_qos_manifest_quorum_key(const zk_qos_manifest *m, size_t *len);
/* Pivot binary hash (32 bytes). */
ZK_API const uint8_t *zk_qos_manifest_pivot_hash(const zk_qos_manifest *m);
/* enclave.pcrN for N in 0..3 (NULL for other indices). */
ZK_API const uint8_t *zk_qos_manifest_pcr(const zk_qos_manifest *m, unsigned index, size_t *len);
/* Threshold and member count of a set (0 for NULL / unknown kind). */
ZK_API uint32_t zk_qos_manifest_threshold(const zk_qos_manifest *m, zk_qos_set_kind set);
ZK_API size_t zk_qos_manifest_member_count(const zk_qos_manifest *m, zk_qos_set_kind set);
/*
 * Member i of a set: alias (NULL for the patch set) and public key.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NOT_FOUND.
 */
ZK_API ZK_WUR zk_status zk_qos_manifest_member(const zk_qos_manifest *m, zk_qos_set_kind set,
                                               size_t i, const char **alias, const uint8_t **pub,
                                               size_t *pub_len);
/* Wipe-free. NULL is a no-op. */
ZK_API void zk_qos_manifest_free(zk_qos_manifest *m);

/*
 * Check the approvals against one set of m: the set is well formed (threshold
 * 1..members, no two members sharing an alias, encrypt key or sign key; member
 * keys are valid 130-byte QOS keys), every approver is a member (alias and key
 * for the manifest and share sets, key for the patch set), no member approves
 * twice, every signature verifies over the manifest hash, and at least
 * threshold approvals remain.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_QOS_SET_THRESHOLD; ZK_ERR_QOS_DUPLICATE_MEMBER;
 *          ZK_ERR_QOS_KEY / ZK_ERR_KEY (member key); ZK_ERR_QOS_APPROVER_UNKNOWN;
 *          ZK_ERR_QOS_DUPLICATE_APPROVAL; ZK_ERR_QOS_APPROVAL (bad signature);
 *          ZK_ERR_QOS_THRESHOLD; ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_qos_manifest_verify_approvals(const zk_qos_manifest *m,
                                                         zk_qos_set_kind set,
                                                         const zk_qos_approval *const *approvals,
                                                         size_t n);

/* ---- approvals ---- */

/*
 * Approve m: sign its hash with ks; the approval names (alias, ks public key).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_TOO_LARGE (alias), ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_qos_approval_sign(zk_qos_approval **out, const zk_qos_keyset *ks,
                                             const char *alias, const zk_qos_manifest *m);
/* Build an approval from its parts (copied). alias may be "" (patch set). */
ZK_API ZK_WUR zk_status zk_qos_approval_new(zk_qos_approval **out, const uint8_t *sig,
                                            size_t sig_len, const char *alias, const uint8_t *pub,
                                            size_t pub_len);
ZK_API void zk_qos_approval_free(zk_qos_approval *a);

/* ---- envelopes ---- */

/*
 * Parse a borsh ManifestEnvelope (manifest version as for manifests).
 * Returns: as zk_qos_manifest_parse_borsh.
 */
ZK_API ZK_WUR zk_status zk_qos_envelope_parse_borsh(zk_qos_envelope **out, const uint8_t *in,
                                                    size_t in_len, zk_qos_manifest_version ver);
/* Parse a JSON envelope {manifest, manifestSetApprovals, shareSetApprovals}. */
ZK_API ZK_WUR zk_status zk_qos_envelope_parse_json(zk_qos_envelope **out, const char *json,
                                                   size_t json_len);
/* New envelope around a copy of m with no approvals. */
ZK_API ZK_WUR zk_status zk_qos_envelope_new(zk_qos_envelope **out, const zk_qos_manifest *m);
/*
 * Append a copy of a to the manifest-set or share-set approval list.
 * Returns: ZK_OK, ZK_ERR_ARG (set is not MANIFEST or SHARE), ZK_ERR_TOO_LARGE, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_qos_envelope_add_approval(zk_qos_envelope *env, zk_qos_set_kind set,
                                                     const zk_qos_approval *a);
ZK_API ZK_WUR zk_status zk_qos_envelope_serialize_borsh(const zk_qos_envelope *env, uint8_t **out,
                                                        size_t *out_len);
/* The manifest inside (pointer into env). */
ZK_API const zk_qos_manifest *zk_qos_envelope_manifest(const zk_qos_envelope *env);
/* Number of approvals in the manifest-set or share-set list. */
ZK_API size_t zk_qos_envelope_approval_count(const zk_qos_envelope *env, zk_qos_set_kind set);
ZK_API void zk_qos_envelope_free(zk_qos_envelope *env);

#define ZK_QOS_ENV_NO_SHARE_APPROVALS 0x1u /* boot / key forward: share-set list must be empty */
#define ZK_QOS_ENV_SHARE_APPROVALS 0x2u    /* also check share-set approvals and threshold */

/*
 * QOS check_approvals: manifest-set approvals meet the manifest-set threshold
 * (zk_qos_manifest_verify_approvals), plus the flags above.
 * Returns: as zk_qos_manifest_verify_approvals, plus ZK_ERR_QOS_SHARE_APPROVALS.
 */
ZK_API ZK_WUR zk_status zk_qos_envelope_verify_approvals(const zk_qos_envelope *env,
                                                         unsigned flags);

/* ---- canonical JSON and PCR commitments ---- */

/*
 * QOS canonical JSON of a JSON text: object keys sorted by UTF-16 code units,
 * no whitespace, members with null values dropped, integers written as decimal
 * strings, non-integer numbers refused; strings escaped as in RFC 8785.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_JSON; ZK_ERR_DUPLICATE_KEY; ZK_ERR_DEPTH (> 64);
 *          ZK_ERR_QOS_CANONICAL_JSON (non-integer number); ZK_ERR_TOO_LARGE; ZK_ERR_NOMEM.
 * Out: *out (malloc'd NUL-terminated, zk_free), *out_len without the NUL.
 */
ZK_API ZK_WUR zk_status zk_qos_canonical_json(char **out, size_t *out_len, const char *json,
                                              size_t json_len);

typedef enum zk_qos_commitment_kind {
  ZK_QOS_COMMIT_SETUP = 16, /* PCR16: "qos-setup-manifest-pcr-commitment-v1" */
  ZK_QOS_COMMIT_LIVE = 17   /* PCR17: "qos-live-manifest-pcr-commitment-v1" */
} zk_qos_commitment_kind;

/*
 * Expected PCR16/PCR17 value after QOS extends it once from zero:
 *   pre = canonical JSON {"domain": D, "ephemeralPublicKey": hex(eph), "manifestHash": hex(hash)}
 *   pcr = SHA-384(0^48 || SHA-384(pre))
 * Returns: ZK_OK; ZK_ERR_ARG (unknown kind, NULL); ZK_ERR_TOO_LARGE (inputs > 4096 bytes).
 * Out: pcr (48 bytes); commitment (48 bytes, SHA-384(pre)) may be NULL.
 */
ZK_API ZK_WUR zk_status zk_qos_pcr_commitment(uint8_t pcr[ZK_QOS_PCR_LEN], uint8_t *commitment,
                                              zk_qos_commitment_kind kind,
                                              const uint8_t *manifest_hash, size_t hash_len,
                                              const uint8_t *eph_pub, size_t eph_len);

/* PCR3 of an instance role: SHA-384(0^48 || arn). Returns ZK_OK, ZK_ERR_ARG. */
ZK_API ZK_WUR zk_status zk_qos_pcr3_from_arn(uint8_t pcr[ZK_QOS_PCR_LEN], const char *arn,
                                             size_t arn_len);

#ifdef __cplusplus
}
#endif
#endif
