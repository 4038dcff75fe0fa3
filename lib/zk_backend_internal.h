/*
 * Internal interface between lib/backend.c (public wrappers), the built-in
 * backends (backends/nitro/nsm.c, backends/mock/mock.c) and the tests/fuzzers
 * that replay NSM request/response bytes.
 */
#ifndef ZK_BACKEND_INTERNAL_H
#define ZK_BACKEND_INTERNAL_H

#include "zerokey/backend.h"
#include "zk_internal.h"

/* Ops tables of the built-in backends (identity is used to recognise a mock). */
extern const zk_backend_ops zki_nitro_ops;
extern const zk_backend_ops zki_mock_ops;

/* Create the context of a built-in backend (destroyed by its ops->destroy). */
zk_status zki_nitro_new(void **ctx, const zk_backend_options *opts);
zk_status zki_mock_new(void **ctx, const zk_backend_options *opts);

/* Mock-only controls behind zk_backend_mock_*. */
zk_status zki_mock_set_time(void *ctx, uint64_t now_ms);
zk_status zki_mock_root_der(const void *ctx, const uint8_t **der, size_t *der_len);

/* ---- NSM wire protocol (backends/nitro/nsm.c) ---- */

typedef enum zki_nsm_op {
  ZKI_NSM_DESCRIBE_PCR = 1,
  ZKI_NSM_EXTEND_PCR = 2,
  ZKI_NSM_LOCK_PCR = 3,
  ZKI_NSM_LOCK_PCRS = 4,
  ZKI_NSM_DESCRIBE_NSM = 5,
  ZKI_NSM_ATTESTATION = 6,
  ZKI_NSM_GET_RANDOM = 7
} zki_nsm_op;

/* One NSM request. Byte fields: NULL = CBOR null (only for attestation fields). */
typedef struct zki_nsm_request {
  zki_nsm_op op;
  uint16_t index; /* DescribePCR, ExtendPCR, LockPCR; range for LockPCRs */
  const uint8_t *data;
  size_t data_len; /* ExtendPCR */
  const uint8_t *user_data;
  size_t user_data_len;
  const uint8_t *nonce;
  size_t nonce_len;
  const uint8_t *public_key;
  size_t public_key_len;
} zki_nsm_request;

/* A decoded successful reply. bytes: PCR value, random bytes or document (malloc'd). */
typedef struct zki_nsm_reply {
  zki_nsm_op op;
  int locked;     /* DescribePCR */
  uint8_t *bytes; /* DescribePCR/ExtendPCR data, GetRandom random, Attestation document */
  size_t bytes_len;
  zk_nsm_description desc; /* DescribeNSM */
} zki_nsm_reply;

/*
 * Encode a request exactly as serde_cbor does for aws-nitro-enclaves-nsm-api
 * (externally tagged enum, fields in declaration order, minimal integers).
 * Out: *out malloc'd (free()), *out_len. Returns ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM,
 * ZK_ERR_NSM_INPUT_TOO_LARGE (over ZK_NSM_REQUEST_MAX).
 */
zk_status zki_nsm_encode(uint8_t **out, size_t *out_len, const zki_nsm_request *req);

/*
 * Decode a reply to a request of type op. {"Error": name} maps to ZK_ERR_NSM_*
 * (ZK_ERR_NSM_UNKNOWN_ERROR for unknown names); other variants give
 * ZK_ERR_NSM_RESPONSE_MISMATCH; malformed CBOR gives the parse status.
 * Out: *out (clear with zki_nsm_reply_clear; zeroed on error).
 */
zk_status zki_nsm_decode(zki_nsm_reply *out, zki_nsm_op op, const uint8_t *resp, size_t resp_len);
void zki_nsm_reply_clear(zki_nsm_reply *r);

/* Map an NSM error name to its status (ZK_ERR_NSM_UNKNOWN_ERROR if unknown). */
zk_status zki_nsm_error_status(const char *name, size_t name_len);

#endif
