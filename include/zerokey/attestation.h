/*
 * libzerokey: AWS Nitro Enclaves attestation documents.
 *
 * A Nitro attestation document is a COSE_Sign1 (tag 18 or untagged), ES384,
 * whose payload is a CBOR map {module_id, digest, timestamp, pcrs,
 * certificate, cabundle, public_key, user_data, nonce}. It is verified by
 *   1. strict parsing of the COSE envelope and of the payload,
 *   2. the COSE signature with the P-384 key of the leaf certificate,
 *   3. the chain leaf + cabundle[1..] to a PINNED root (cabundle[0] is
 *      ignored), built and checked by OpenSSL at a caller-given time,
 *   4. the caller's policy (PCRs, debug mode, nonce, user_data, public_key,
 *      document age, clock skew).
 * See docs/attestation.md for the exact order, the statuses and the cache.
 *
 * Times are UNIX seconds. ZK_ATT_TIME_NOW (0) means "the current time".
 *
 * Fail closed: zk_att_verify hands out a document object only when every
 * step succeeded. zk_att_parse_unverified exists for debugging and tooling;
 * its result is marked unverified (zk_att_doc_is_verified returns 0) and must
 * never be used for a trust decision.
 *
 * Thread safety: a verifier whose configuration is no longer changed may be
 * used by several threads at once (zk_att_verify takes it const); its chain
 * cache is protected by an internal mutex. Configuration calls (add_root,
 * set_cache_size, clear_cache) must not run concurrently with anything else
 * on the same verifier. A const policy may be shared between threads.
 */
#ifndef ZEROKEY_ATTESTATION_H
#define ZEROKEY_ATTESTATION_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits enforced by the parser. */
#define ZK_ATT_MAX_DOC_LEN 16384u  /* whole COSE_Sign1 document */
#define ZK_ATT_MAX_PCRS 32u        /* PCR indexes 0..31 */
#define ZK_ATT_MAX_FIELD_LEN 1024u /* public_key, user_data, nonce (each) */
#define ZK_ATT_MAX_CERT_LEN 1024u  /* certificate and each cabundle entry (DER) */
#define ZK_ATT_MAX_CABUNDLE 16u    /* cabundle entries */
#define ZK_ATT_MAX_MODULE_ID_LEN 256u
#define ZK_ATT_MAX_PCR_LEN 64u     /* PCR values are 32, 48 or 64 bytes */
#define ZK_ATT_MAX_PCR_CHOICES 64u /* allowed values per PCR index in a policy */

/* Verification time meaning "now" (CLOCK_REALTIME). */
#define ZK_ATT_TIME_NOW 0u

/* Chain cache: default and maximum number of entries per verifier. */
#define ZK_ATT_CACHE_DEFAULT 32u
#define ZK_ATT_CACHE_MAX 4096u

/* Flags for zk_att_verifier_new. */
#define ZK_ATT_VERIFIER_NO_AWS_ROOT 0x1u /* start with no pinned root (add your own) */

typedef struct zk_att_verifier zk_att_verifier;
typedef struct zk_att_policy zk_att_policy;
typedef struct zk_att_doc zk_att_doc;

/*
 * The built-in AWS Nitro Enclaves Root-G1 certificate (DER, 533 bytes,
 * SHA-256 641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b).
 * Returns: a static buffer; *len receives its length (len may be NULL).
 */
ZK_API const uint8_t *zk_att_aws_root_der(size_t *len);

/* ----------------------------------------------------------------------- */
/* Verifier: pinned roots + chain cache                                     */

/*
 * Create a verifier. Unless flags has ZK_ATT_VERIFIER_NO_AWS_ROOT, the AWS
 * Nitro Root-G1 is pinned. The chain cache starts with ZK_ATT_CACHE_DEFAULT
 * entries.
 * Returns: ZK_OK, ZK_ERR_ARG (unknown flag), ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 * Out: *out: new verifier (free with zk_att_verifier_free); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_att_verifier_new(zk_att_verifier **out, unsigned flags);

/*
 * Pin another root certificate (e.g. another AWS partition, or a mock CA in
 * tests). The certificate must be a self-signed CA certificate whose signature
 * verifies; DER input must be exactly one certificate (no trailing bytes).
 * PEM input may hold several CERTIFICATE blocks: all are checked before any
 * is pinned. Adding a root clears the chain cache.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_ATT_CERT (unparsable, not self-signed or
 *          not a CA), ZK_ERR_TOO_LARGE, ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 * In: der/pem: copied; the caller keeps ownership.
 */
ZK_API ZK_WUR zk_status zk_att_verifier_add_root_der(zk_att_verifier *v, const uint8_t *der,
                                                     size_t der_len);
ZK_API ZK_WUR zk_status zk_att_verifier_add_root_pem(zk_att_verifier *v, const char *pem,
                                                     size_t pem_len);

/* Number of pinned roots. */
ZK_API size_t zk_att_verifier_root_count(const zk_att_verifier *v);

/*
 * Resize the chain cache to max_entries (0 disables caching, at most
 * ZK_ATT_CACHE_MAX). The cache is emptied.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM (the cache is then disabled).
 */
ZK_API ZK_WUR zk_status zk_att_verifier_set_cache_size(zk_att_verifier *v, size_t max_entries);

/* Drop every cache entry (statistics are kept). */
ZK_API void zk_att_verifier_clear_cache(zk_att_verifier *v);

/*
 * Cache statistics since creation: lookups that reused a verified chain
 * (hits), lookups that had to verify the chain (misses), current entries.
 * Any output pointer may be NULL.
 */
ZK_API void zk_att_verifier_cache_stats(const zk_att_verifier *v, uint64_t *hits, uint64_t *misses,
                                        size_t *entries);

/* Free the verifier and its cache. NULL is a no-op. */
ZK_API void zk_att_verifier_free(zk_att_verifier *v);

/* ----------------------------------------------------------------------- */
/* Policy                                                                   */

/*
 * Create an empty policy: no PCR expectations, debug mode REJECTED, no
 * nonce / user_data / public_key expectations, no maximum age, no clock-skew
 * leeway (a document timestamp later than the verification time is refused).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM.
 * Out: *out: new policy (free with zk_att_policy_free); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_att_policy_new(zk_att_policy **out);

/*
 * Allow value as one accepted content of PCR index. Several calls for the
 * same index build a set of accepted values (e.g. old and new image during a
 * rollout). A PCR with at least one accepted value must be present in the
 * document and equal (constant-time) to one of them.
 * Returns: ZK_OK, ZK_ERR_ARG (index >= 32, len not 32/48/64),
 *          ZK_ERR_TOO_LARGE (more than ZK_ATT_MAX_PCR_CHOICES values), ZK_ERR_NOMEM.
 * In: value copied.
 */
ZK_API ZK_WUR zk_status zk_att_policy_add_pcr(zk_att_policy *p, unsigned index,
                                              const uint8_t *value, size_t len);

/* Accept debug-mode enclaves (PCR0 all zero). Off by default. */
ZK_API void zk_att_policy_allow_debug(zk_att_policy *p, int allow);

/*
 * Require the document's nonce / user_data / public_key to be present (not
 * null) and byte-for-byte equal to value (constant-time over the bytes;
 * lengths compared first). len may be 0 (then the field must be an empty
 * byte string). Calling again replaces the expectation.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_TOO_LARGE (> ZK_ATT_MAX_FIELD_LEN), ZK_ERR_NOMEM.
 * In: value copied.
 */
ZK_API ZK_WUR zk_status zk_att_policy_expect_nonce(zk_att_policy *p, const uint8_t *value,
                                                   size_t len);
ZK_API ZK_WUR zk_status zk_att_policy_expect_user_data(zk_att_policy *p, const uint8_t *value,
                                                       size_t len);
ZK_API ZK_WUR zk_status zk_att_policy_expect_public_key(zk_att_policy *p, const uint8_t *value,
                                                        size_t len);

/*
 * Maximum document age: with max_age_s > 0 the document is refused
 * (ZK_ERR_ATT_STALE) when verification_time - floor(timestamp/1000) > max_age_s.
 * 0 (the default) disables the age check (e.g. for archived documents
 * verified at their own timestamp).
 */
ZK_API void zk_att_policy_set_max_age(zk_att_policy *p, uint64_t max_age_s);

/*
 * Clock-skew leeway in seconds (default 0), applied in two places:
 *  - a document whose floor(timestamp/1000) is later than
 *    verification_time + leeway_s is refused (ZK_ERR_ATT_FUTURE);
 *  - a chain that is not yet valid at verification_time is accepted when it is
 *    valid at verification_time + leeway_s (expiry is never relaxed).
 */
ZK_API void zk_att_policy_set_leeway(zk_att_policy *p, uint64_t leeway_s);

/* Free. NULL is a no-op. */
ZK_API void zk_att_policy_free(zk_att_policy *p);

/* ----------------------------------------------------------------------- */
/* Verification                                                             */

/*
 * Parse and verify a Nitro attestation document at time at_unix (seconds;
 * ZK_ATT_TIME_NOW = now) against v's pinned roots and the policy (NULL = the
 * defaults of zk_att_policy_new).
 * Returns: ZK_OK, or the first failure in this order:
 *   envelope: ZK_ERR_TOO_LARGE, ZK_ERR_TRUNCATED, ZK_ERR_TRAILING,
 *     ZK_ERR_UNKNOWN_TAG, ZK_ERR_DUPLICATE_KEY, ZK_ERR_PARSE, ZK_ERR_COSE_STRUCTURE,
 *     ZK_ERR_COSE_DETACHED, ZK_ERR_COSE_ALG (alg is not ES384),
 *     ZK_ERR_COSE_HEADER (protected header is not exactly {1: -35}),
 *     ZK_ERR_COSE_SIG_SIZE (signature not 96 bytes), ZK_ERR_NONCANONICAL (envelope
 *     not encoded as NSMs do: definite array, shortest heads), ZK_ERR_COSE_HEADER
 *     (non-empty unprotected header);
 *   payload: the CBOR statuses above plus ZK_ERR_INDEFINITE (indefinite
 *     string), ZK_ERR_DEPTH, ZK_ERR_ATT_PAYLOAD (not a map / too many entries),
 *     ZK_ERR_TYPE (a field or key has the wrong CBOR type), ZK_ERR_UNKNOWN_FIELD,
 *     ZK_ERR_MISSING_FIELD, ZK_ERR_ATT_MODULE_ID, ZK_ERR_ATT_DIGEST,
 *     ZK_ERR_ATT_TIMESTAMP, ZK_ERR_ATT_PCRS, ZK_ERR_ATT_CERT (size),
 *     ZK_ERR_ATT_CABUNDLE, ZK_ERR_ATT_FIELD_SIZE;
 *   signature: ZK_ERR_ATT_CERT (leaf DER), ZK_ERR_ATT_LEAF (leaf key not P-384,
 *     leaf is a CA or lacks digitalSignature), ZK_ERR_ATT_SIGNATURE;
 *   chain: ZK_ERR_ATT_CERT (cabundle DER), ZK_ERR_ATT_UNTRUSTED_ROOT,
 *     ZK_ERR_ATT_EXPIRED, ZK_ERR_ATT_NOT_YET_VALID, ZK_ERR_ATT_CHAIN;
 *   policy: ZK_ERR_ATT_DEBUG, ZK_ERR_ATT_PCR_MISSING, ZK_ERR_ATT_PCR_MISMATCH,
 *     ZK_ERR_ATT_NONCE, ZK_ERR_ATT_USER_DATA, ZK_ERR_ATT_PUBLIC_KEY,
 *     ZK_ERR_ATT_FUTURE, ZK_ERR_ATT_STALE;
 *   other: ZK_ERR_ARG, ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 * Args: v: pinned roots and cache (the cache is updated under a mutex).
 * Out: *out: the verified document (free with zk_att_doc_free); NULL on error.
 *      *err_off (optional): byte offset in buf of a parse failure, else 0.
 * In: buf is copied; the caller keeps ownership.
 */
ZK_API ZK_WUR zk_status zk_att_verify(const zk_att_verifier *v, zk_att_doc **out,
                                      const uint8_t *buf, size_t len, uint64_t at_unix,
                                      const zk_att_policy *policy, size_t *err_off);

/*
 * DEBUGGING ONLY: parse a document with the same strict syntax checks as
 * zk_att_verify but WITHOUT checking the signature, the chain or any policy.
 * The result answers zk_att_doc_is_verified with 0. Never base a trust
 * decision on it.
 * Returns: the envelope and payload statuses of zk_att_verify.
 */
ZK_API ZK_WUR zk_status zk_att_parse_unverified(zk_att_doc **out, const uint8_t *buf, size_t len,
                                                size_t *err_off);

/* 1 if doc came out of a successful zk_att_verify, 0 otherwise (or NULL). */
ZK_API int zk_att_doc_is_verified(const zk_att_doc *doc);

/*
 * Accessors. Returned pointers are borrowed and valid until zk_att_doc_free.
 * Byte-string accessors return NULL (and *len = 0) when the field is absent or
 * CBOR null; a present empty byte string gives a non-NULL pointer and *len = 0.
 */
ZK_API const char *zk_att_doc_module_id(const zk_att_doc *doc,
                                        size_t *len); /* not NUL-terminated */
ZK_API uint64_t zk_att_doc_timestamp_ms(const zk_att_doc *doc);
/* PCR value for index (NULL if absent); bit i of the mask is set when PCR i is present. */
ZK_API const uint8_t *zk_att_doc_pcr(const zk_att_doc *doc, unsigned index, size_t *len);
ZK_API uint32_t zk_att_doc_pcr_mask(const zk_att_doc *doc);
/* 1 if PCR0 is present and all zero (debug-mode enclave). */
ZK_API int zk_att_doc_is_debug(const zk_att_doc *doc);
ZK_API const uint8_t *zk_att_doc_certificate(const zk_att_doc *doc, size_t *len);
ZK_API size_t zk_att_doc_cabundle_count(const zk_att_doc *doc);
ZK_API const uint8_t *zk_att_doc_cabundle(const zk_att_doc *doc, size_t i, size_t *len);
ZK_API const uint8_t *zk_att_doc_public_key(const zk_att_doc *doc, size_t *len);
ZK_API const uint8_t *zk_att_doc_user_data(const zk_att_doc *doc, size_t *len);
ZK_API const uint8_t *zk_att_doc_nonce(const zk_att_doc *doc, size_t *len);
/* The document bytes as given to verify/parse (a copy). */
ZK_API const uint8_t *zk_att_doc_bytes(const zk_att_doc *doc, size_t *len);
/* 1 if the COSE_Sign1 carried tag 18. */
ZK_API int zk_att_doc_is_tagged(const zk_att_doc *doc);

/* Free. NULL is a no-op. */
ZK_API void zk_att_doc_free(zk_att_doc *doc);

#ifdef __cplusplus
}
#endif
#endif
