/*
 * libzerokey: notarizations, the notarizer enclave's signed, hash-chained
 * statements "state digest D is the current state of log L at sequence N, time T".
 *
 * Wire format (docs/formats.md, "Notarization record"): evidence envelope
 * (evidence.h) with payload type "zk.notarization", v 1:
 *   log    log identifier (text; e.g. the organization id)
 *   seq    sequence number (unsigned); 0 is the genesis record
 *   prev   SHA-256 of the exact bytes of record seq-1; 32 zero bytes iff seq == 0
 *   state  state digest (32 bytes; what the record notarizes)
 *   time   milliseconds since the UNIX epoch
 *
 * Chain verification and what it proves (zk_notarization_chain_verify):
 * records r[0..n) must be consecutive (seq + 1), each r[i].prev must equal
 * SHA-256(r[i-1]), times must not decrease, all must name the same log and the
 * trusted notarizer's kid. Only the HEAD's signature is checked (unless
 * ZK_CHAIN_VERIFY_ALL): the notarizer signed the head, the head commits to
 * SHA-256 of r[n-2], which commits to r[n-3], and so on. Under SHA-256 second-
 * preimage resistance, and given that an honest notarizer only ever links a new
 * record to a record it produced itself, every r[i] is byte-for-byte the record
 * the notarizer extended: the whole history is authenticated with ONE signature
 * check and n hashes. It does NOT prove that intermediate signature fields are
 * valid (they are covered by the hash, but not checked), nor anything about
 * records before r[0] unless a checkpoint anchors them. Against a caller-held
 * checkpoint (sequence, digest of the record at that sequence) it detects
 * rollback (head behind the checkpoint) and forks (a different record at the
 * checkpoint's sequence). Freshness: the head's time must be within max_age of now.
 */
#ifndef ZEROKEY_NOTARIZATION_H
#define ZEROKEY_NOTARIZATION_H

#include "common.h"
#include "evidence.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_NOTARIZATION_TYPE "zk.notarization"

typedef struct zk_notarization_info {
  const char *log_id; /* 1..ZK_EVIDENCE_MAX_ID bytes */
  uint64_t sequence;
  uint8_t prev_digest[ZK_EVIDENCE_DIGEST_LEN]; /* zero for sequence 0 */
  uint8_t state_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint64_t time_ms;
} zk_notarization_info;

/* What a verifier remembers between runs: the highest record it accepted. */
typedef struct zk_checkpoint {
  uint64_t sequence;
  uint8_t digest[ZK_EVIDENCE_DIGEST_LEN]; /* SHA-256 of that record's exact bytes */
} zk_checkpoint;

typedef struct zk_notarization zk_notarization;

/*
 * Sign a record with the notarizer key.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_VALUE (log id size; prev not zero exactly
 *          when sequence is 0), ZK_ERR_UNSUPPORTED, ZK_ERR_NO_PRIVATE_KEY, ZK_ERR_NOMEM.
 * Out: *out (zk_notarization_free); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_notarization_create(zk_notarization **out, const zk_key *notarizer,
                                               const zk_notarization_info *info);

/*
 * Convenience: the record that follows prev (sequence + 1, prev digest = its
 * digest, same log) with a new state digest and time.
 * Returns: as zk_notarization_create, plus ZK_ERR_OVERFLOW, ZK_ERR_VALUE (time
 *          earlier than prev's).
 */
ZK_API ZK_WUR zk_status zk_notarization_next(zk_notarization **out, const zk_key *notarizer,
                                             const zk_notarization *prev,
                                             const uint8_t state_digest[ZK_EVIDENCE_DIGEST_LEN],
                                             uint64_t time_ms);

/* Parse WITHOUT verifying (statuses as zk_ruling_parse). */
ZK_API ZK_WUR zk_status zk_notarization_parse(zk_notarization **out, const uint8_t *buf,
                                              size_t len);

/*
 * Verify one record: signed by notarizer, time within [now - max_age, now + max_skew],
 * log id as expected (when expected_log is not NULL).
 * Returns: ZK_OK, ZK_ERR_ARG (max_age_ms 0), ZK_ERR_EV_SIGNER, ZK_ERR_COSE_ALG,
 *          ZK_ERR_HIGH_S, ZK_ERR_SIGNATURE, ZK_ERR_EV_STALE, ZK_ERR_EV_NOT_YET_VALID,
 *          ZK_ERR_CHAIN_LOG.
 */
ZK_API ZK_WUR zk_status zk_notarization_verify(const zk_notarization *rec, const zk_key *notarizer,
                                               const char *expected_log, uint64_t now_ms,
                                               uint64_t max_age_ms, uint64_t max_skew_ms);

ZK_API ZK_WUR zk_status zk_notarization_serialize(const zk_notarization *rec, uint8_t **out,
                                                  size_t *out_len);
ZK_API const zk_notarization_info *zk_notarization_get_info(const zk_notarization *rec);
ZK_API ZK_WUR zk_status zk_notarization_digest(const zk_notarization *rec,
                                               uint8_t out[ZK_EVIDENCE_DIGEST_LEN]);
ZK_API void zk_notarization_free(zk_notarization *rec);

/* Flags for zk_chain_opts.flags. */
#define ZK_CHAIN_VERIFY_ALL \
  0x1u /* check every record's signature (auditors), not only the head's */

typedef struct zk_chain_opts {
  const zk_key *notarizer;         /* required: the trusted notarizer key */
  const char *log_id;              /* optional: expected log id */
  const zk_checkpoint *checkpoint; /* optional: highest record previously accepted */
  uint64_t now_ms;
  uint64_t max_age_ms;  /* required (> 0): head freshness */
  uint64_t max_skew_ms; /* head time may be this far ahead of now */
  unsigned flags;
} zk_chain_opts;

typedef struct zk_chain_result {
  zk_checkpoint head;                           /* new checkpoint to store on success */
  uint8_t state_digest[ZK_EVIDENCE_DIGEST_LEN]; /* the head's state */
  uint64_t time_ms;                             /* the head's time */
  size_t failed_index; /* on error: index of the offending record (n for whole-chain errors) */
} zk_chain_result;

/*
 * Verify records[0..n) (ascending) as a chain; see the header comment for the
 * exact guarantee. Records are streamed: memory use does not grow with n.
 * Returns: ZK_OK; parse statuses of a malformed record; ZK_ERR_CHAIN_GAP
 *   (a sequence skipped, or the chain starts after checkpoint + 1), ZK_ERR_CHAIN_ORDER
 *   (sequence or time going backwards, duplicate record), ZK_ERR_CHAIN_FORK (two
 *   different records with one sequence, or a record other than the checkpoint's),
 *   ZK_ERR_CHAIN_LINK (prev does not match), ZK_ERR_CHAIN_LOG, ZK_ERR_EV_SIGNER,
 *   ZK_ERR_SIGNATURE / ZK_ERR_HIGH_S / ZK_ERR_COSE_ALG (head or, with VERIFY_ALL, any),
 *   ZK_ERR_CHAIN_ROLLBACK (head sequence below the checkpoint), ZK_ERR_EV_STALE,
 *   ZK_ERR_EV_NOT_YET_VALID, ZK_ERR_ARG (n == 0, NULL arguments, max_age_ms 0).
 * Out: *out filled on success; on error only failed_index is meaningful.
 */
ZK_API ZK_WUR zk_status zk_notarization_chain_verify(zk_chain_result *out,
                                                     const uint8_t *const *records,
                                                     const size_t *lens, size_t n,
                                                     const zk_chain_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
