/*
 * libzerokey: rulings, the policy enclave's signed decision on one stamped
 * activity evaluated against one notarized state.
 *
 * Wire format (docs/formats.md, "Ruling"): evidence envelope (evidence.h) with
 * payload type "zk.ruling", v 1:
 *   decision  "ALLOW" | "DENY"
 *   org       organization id (text)
 *   activity  activity type, e.g. "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2" (text)
 *   stamp     SHA-256 of the exact stamp header value (zk_stamp_digest)
 *   request   SHA-256 of the exact request body bytes the stamp signs
 *   state     digest of the notarization record the policy was evaluated against
 *   policies  array of the ids of the policies that decided (0..64 texts)
 *   iat, exp  issued-at and expiry, milliseconds since the UNIX epoch
 */
#ifndef ZEROKEY_RULING_H
#define ZEROKEY_RULING_H

#include "common.h"
#include "evidence.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_RULING_TYPE "zk.ruling"
#define ZK_RULING_MAX_POLICIES 64

typedef enum zk_ruling_decision { ZK_RULING_DENY = 0, ZK_RULING_ALLOW = 1 } zk_ruling_decision;

typedef struct zk_ruling_info {
  zk_ruling_decision decision;
  const char *organization_id; /* 1..ZK_EVIDENCE_MAX_ID bytes */
  const char *activity_type;   /* 1..ZK_EVIDENCE_MAX_ID bytes */
  uint8_t stamp_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint8_t request_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint8_t state_digest[ZK_EVIDENCE_DIGEST_LEN];
  const char *const *policy_ids; /* n_policy_ids texts of 1..ZK_EVIDENCE_MAX_ID bytes */
  size_t n_policy_ids;
  uint64_t issued_at_ms;
  uint64_t expires_at_ms; /* must be > issued_at_ms */
} zk_ruling_info;

/* Flags for zk_ruling_expect.flags. */
#define ZK_RULING_ACCEPT_DENY 0x1u /* return ZK_OK for a valid DENY ruling (auditors) */

typedef struct zk_ruling_expect {
  uint64_t now_ms;               /* verifier's trusted clock */
  uint64_t max_skew_ms;          /* iat may lie this far in the future */
  const uint8_t *stamp_digest;   /* required: the stamp the caller holds */
  const uint8_t *request_digest; /* required: SHA-256 of the body the caller holds */
  const uint8_t *state_digest;   /* required: the notarization the caller trusts */
  const char *organization_id;   /* optional (NULL: not checked) */
  const char *activity_type;     /* optional (NULL: not checked) */
  unsigned flags;
} zk_ruling_expect;

typedef struct zk_ruling zk_ruling;

/*
 * Sign a ruling with the policy key (P-256, secp256k1 or Ed25519).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_VALUE (empty/oversized text, too many
 *          policies, exp <= iat, bad decision), ZK_ERR_UNSUPPORTED (curve),
 *          ZK_ERR_NO_PRIVATE_KEY, ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 * Out: *out: new ruling (zk_ruling_free); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_ruling_create(zk_ruling **out, const zk_key *policy_key,
                                         const zk_ruling_info *info);

/*
 * Parse a ruling WITHOUT verifying it (strict: canonical envelope and payload,
 * known fields only, sizes bounded).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_TOO_LARGE, COSE / CBOR statuses,
 *          ZK_ERR_NONCANONICAL, ZK_ERR_COSE_KID, ZK_ERR_EV_TYPE, ZK_ERR_VERSION,
 *          ZK_ERR_UNKNOWN_FIELD, ZK_ERR_MISSING_FIELD, ZK_ERR_TYPE, ZK_ERR_VALUE,
 *          ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_ruling_parse(zk_ruling **out, const uint8_t *buf, size_t len);

/*
 * Verify: signed by policy_key, decision ALLOW (unless ZK_RULING_ACCEPT_DENY),
 * now within [iat - max_skew, exp), stamp/request/state/organization/activity
 * as expected.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_EV_SIGNER (kid of another key),
 *          ZK_ERR_COSE_ALG, ZK_ERR_HIGH_S, ZK_ERR_SIGNATURE, ZK_ERR_EV_NOT_YET_VALID,
 *          ZK_ERR_EV_EXPIRED, ZK_ERR_RULING_STAMP (stamp or request digest),
 *          ZK_ERR_RULING_STATE, ZK_ERR_RULING_ORG, ZK_ERR_RULING_DENIED.
 */
ZK_API ZK_WUR zk_status zk_ruling_verify(const zk_ruling *ruling, const zk_key *policy_key,
                                         const zk_ruling_expect *expect);

/*
 * Exact signed bytes (a malloc'd copy, zk_free).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_ruling_serialize(const zk_ruling *ruling, uint8_t **out,
                                            size_t *out_len);
/* Fields (borrowed, valid until zk_ruling_free; unverified until zk_ruling_verify). */
ZK_API const zk_ruling_info *zk_ruling_get_info(const zk_ruling *ruling);
/* SHA-256 of the exact bytes (what signature results name). */
ZK_API ZK_WUR zk_status zk_ruling_digest(const zk_ruling *ruling,
                                         uint8_t out[ZK_EVIDENCE_DIGEST_LEN]);
/* Free. NULL is a no-op. */
ZK_API void zk_ruling_free(zk_ruling *ruling);

#ifdef __cplusplus
}
#endif
#endif
