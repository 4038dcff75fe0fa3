/*
 * libzerokey: one-call verification of the evidence behind a signature:
 *
 *   request body + stamp  --(stamp digest, request digest)-->  ruling
 *   notarization record   --(state digest)------------------>  ruling
 *   ruling                --(ruling digest)----------------->  signature result
 *
 * zk_evidence_chain_verify checks, in this order, and stops at the first
 * broken link:
 *  1. stamp (ZK_ERR_CHAIN_STAMP): the stamp verifies over the exact body, inside
 *     the replay window (trust->stamp_opts);
 *  2. notarization (ZK_ERR_CHAIN_NOTARIZATION): signed by the notarizer, fresh,
 *     expected log, not behind the caller's checkpoint (rollback / fork);
 *  3. ruling (ZK_ERR_CHAIN_RULING): signed by the policy key, ALLOW, unexpired,
 *     naming SHA-256(stamp header), SHA-256(body) and the notarization's digest,
 *     for the organization ("organizationId") and activity ("type") of the body;
 *  4. signature result (ZK_ERR_CHAIN_RESULT): signed by the signer key, naming the
 *     ruling's digest, with a valid inner signature.
 * The report gives the underlying status of the failed link (e.g. the chain
 * fails with ZK_ERR_CHAIN_RULING and detail ZK_ERR_RULING_STATE).
 */
#ifndef ZEROKEY_EVIDENCE_CHAIN_H
#define ZEROKEY_EVIDENCE_CHAIN_H

#include "common.h"
#include "evidence.h"
#include "key.h"
#include "notarization.h"
#include "stamp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zk_evidence_chain {
  const uint8_t *body; /* exact request body (a JSON activity) */
  size_t body_len;
  const char *stamp; /* X-Stamp or X-Stamp-Webauthn header value */
  size_t stamp_len;
  int stamp_is_webauthn;       /* 0: X-Stamp, 1: X-Stamp-Webauthn */
  const uint8_t *notarization; /* the record the ruling was evaluated against */
  size_t notarization_len;
  const uint8_t *ruling;
  size_t ruling_len;
  const uint8_t *sig_result;
  size_t sig_result_len;
  const uint8_t *message; /* Ed25519 signature results: the signed message */
  size_t message_len;
} zk_evidence_chain;

typedef struct zk_evidence_trust {
  const zk_key *policy_key;               /* required */
  const zk_key *notarizer_key;            /* required */
  const zk_key *signer_key;               /* required */
  const zk_stamp_verify_opts *stamp_opts; /* required: clock, replay window, WebAuthn settings */
  const char *log_id;                     /* optional: expected notarization log */
  const zk_checkpoint *checkpoint;        /* optional: highest notarization accepted before */
  uint64_t now_ms;
  uint64_t notarization_max_age_ms; /* required (> 0) */
  uint64_t max_skew_ms;
} zk_evidence_trust;

typedef struct zk_evidence_chain_report {
  zk_status detail; /* underlying status of the failed link; ZK_OK on success */
  uint8_t stamp_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint8_t notarization_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint8_t ruling_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint8_t result_digest[ZK_EVIDENCE_DIGEST_LEN];
} zk_evidence_chain_report;

/*
 * Returns: ZK_OK; ZK_ERR_CHAIN_STAMP, ZK_ERR_CHAIN_NOTARIZATION, ZK_ERR_CHAIN_RULING,
 *          ZK_ERR_CHAIN_RESULT (report->detail says why); ZK_ERR_ARG (missing
 *          inputs or trust settings; detail ZK_ERR_ARG).
 * Out: *report (optional): detail, and on success the four digests; zeroed digests on error.
 */
ZK_API ZK_WUR zk_status zk_evidence_chain_verify(zk_evidence_chain_report *report,
                                                 const zk_evidence_trust *trust,
                                                 const zk_evidence_chain *chain);

#ifdef __cplusplus
}
#endif
#endif
