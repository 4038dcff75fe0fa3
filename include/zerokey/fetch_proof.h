/*
 * libzerokey: fetch proofs, the fetcher enclave's signed statement "request R
 * to URL U got response S at time T over a TLS session whose server presented
 * certificate chain C".
 *
 * Wire format (docs/formats.md, "Fetch proof"): evidence envelope (evidence.h)
 * with payload type "zk.fetch", v 1:
 *   method  HTTP method, 1..16 uppercase ASCII letters ("GET", "POST", ...)
 *   url     absolute URL as requested (text, <= ZK_EVIDENCE_MAX_TEXT bytes)
 *   req     SHA-256 of the request body bytes sent (SHA-256("") when none)
 *   status  HTTP status code, 100..599
 *   hdrs    SHA-256 of the response header block exactly as received
 *   body    SHA-256 of the response body bytes exactly as received
 *   certs   zk_fetch_cert_chain_digest of the server's certificate chain
 *   time    milliseconds since the UNIX epoch
 */
#ifndef ZEROKEY_FETCH_PROOF_H
#define ZEROKEY_FETCH_PROOF_H

#include "common.h"
#include "evidence.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_FETCH_TYPE "zk.fetch"
#define ZK_FETCH_MAX_METHOD 16u
#define ZK_FETCH_MAX_CERTS 16u

typedef struct zk_fetch_info {
  const char *method;
  const char *url;
  uint8_t request_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint32_t status;
  uint8_t headers_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint8_t body_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint8_t cert_chain_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint64_t time_ms;
} zk_fetch_info;

typedef struct zk_fetch_expect {
  const char *url;     /* required: exact URL the consumer asked for */
  const uint8_t *body; /* required unless body_len is 0: the body the consumer holds */
  size_t body_len;
  uint64_t now_ms;
  uint64_t max_age_ms; /* required (> 0) */
  uint64_t max_skew_ms;
  const char *method;               /* optional */
  const uint8_t *request_digest;    /* optional */
  const uint8_t *cert_chain_digest; /* optional: pin the server chain */
} zk_fetch_expect;

typedef struct zk_fetch_proof zk_fetch_proof;

/*
 * Digest of a certificate chain (leaf first):
 *   SHA-256( SHA-256(der[0]) || SHA-256(der[1]) || ... ), 1..ZK_FETCH_MAX_CERTS certificates.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_VALUE (count), ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_fetch_cert_chain_digest(uint8_t out[ZK_EVIDENCE_DIGEST_LEN],
                                                   const uint8_t *const *ders, const size_t *lens,
                                                   size_t n);

/* Sign a fetch proof with the fetcher key. Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_VALUE,
 * ZK_ERR_UNSUPPORTED, ZK_ERR_NO_PRIVATE_KEY, ZK_ERR_NOMEM. */
ZK_API ZK_WUR zk_status zk_fetch_proof_create(zk_fetch_proof **out, const zk_key *fetcher,
                                              const zk_fetch_info *info);
/* Parse WITHOUT verifying (statuses as zk_ruling_parse). */
ZK_API ZK_WUR zk_status zk_fetch_proof_parse(zk_fetch_proof **out, const uint8_t *buf, size_t len);
/*
 * Verify: signed by fetcher, URL equal (ZK_ERR_FETCH_URL), method / request digest
 * when given (ZK_ERR_FETCH_REQUEST), SHA-256(body) equal (ZK_ERR_FETCH_BODY), cert
 * chain when given (ZK_ERR_FETCH_REQUEST), time within [now - max_age, now + skew]
 * (ZK_ERR_EV_STALE, ZK_ERR_EV_NOT_YET_VALID).
 * Returns also: ZK_ERR_ARG, ZK_ERR_EV_SIGNER, ZK_ERR_COSE_ALG, ZK_ERR_HIGH_S, ZK_ERR_SIGNATURE.
 */
ZK_API ZK_WUR zk_status zk_fetch_proof_verify(const zk_fetch_proof *proof, const zk_key *fetcher,
                                              const zk_fetch_expect *expect);
ZK_API ZK_WUR zk_status zk_fetch_proof_serialize(const zk_fetch_proof *proof, uint8_t **out,
                                                 size_t *out_len);
ZK_API const zk_fetch_info *zk_fetch_proof_get_info(const zk_fetch_proof *proof);
ZK_API ZK_WUR zk_status zk_fetch_proof_digest(const zk_fetch_proof *proof,
                                              uint8_t out[ZK_EVIDENCE_DIGEST_LEN]);
ZK_API void zk_fetch_proof_free(zk_fetch_proof *proof);

#ifdef __cplusplus
}
#endif
#endif
