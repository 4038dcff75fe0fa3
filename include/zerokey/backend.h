/*
 * libzerokey: trust backends (what differs between a real enclave and a test bench).
 *
 * A backend is one ops table: random bytes, attestation documents, PCR
 * describe / extend / lock, module description and time. Two are built in:
 *
 *   "nitro"  the AWS Nitro Secure Module, spoken natively over /dev/nsm
 *            (one ioctl, CBOR requests and replies; no Rust libnsm). The device
 *            I/O goes through a transport function that tests can replace.
 *   "mock"   the same contract in software: 32 SHA-384 PCRs (0-15 locked at
 *            start), NSM lock semantics and error statuses, a settable clock and
 *            attestation documents in the real Nitro format (COSE_Sign1 ES384)
 *            signed by a P-384 CA chain generated at start-up or loaded from DER.
 *
 * Verifiers run the same code on mock and real documents; only the pinned root
 * differs (zk_backend_mock_root_der gives the mock root). Mock documents never
 * verify against the AWS root.
 *
 * NSM failures come back as the distinct ZK_ERR_NSM_* statuses; replies the
 * client cannot decode come back as the CBOR parse statuses (ZK_ERR_TRUNCATED,
 * ZK_ERR_TRAILING, ...) or ZK_ERR_NSM_RESPONSE_MISMATCH. See docs/backends.md.
 *
 * Thread safety: one zk_backend may be used from several threads; the nitro
 * kernel driver serialises requests, the mock holds a mutex.
 */
#ifndef ZEROKEY_BACKEND_H
#define ZEROKEY_BACKEND_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits of the NSM protocol (aws-nitro-enclaves-nsm-api / Linux uapi nsm.h). */
#define ZK_NSM_REQUEST_MAX 4096u      /* bytes in one CBOR request */
#define ZK_NSM_RESPONSE_MAX 12288u    /* response buffer given to the device */
#define ZK_NSM_MAX_PCRS 32u           /* PCRs of a Nitro Secure Module */
#define ZK_NSM_PCR_MAX_LEN 64u        /* longest PCR value (SHA-512); SHA-384 gives 48 */
#define ZK_NSM_MODULE_ID_MAX 100u     /* longest module_id accepted from a device */
#define ZK_NSM_MAX_LOCKED 64u         /* longest locked_pcrs list accepted from a device */
#define ZK_NSM_ATTEST_FIELD_MAX 1024u /* user_data / nonce / public_key (mock limit) */

/* Mock document variants seen on real NSMs (zk_backend_options.mock_flags):
 * ZK_MOCK_INDEFINITE_PAYLOAD: payload map BF .. FF, as real documents since ~2025-08;
 * ZK_MOCK_TAGGED: COSE_Sign1 with tag 18 (real documents are untagged);
 * ZK_MOCK_16_PCRS: report PCRs 0-15 only, as documents up to 2025. */
#define ZK_MOCK_INDEFINITE_PAYLOAD 0x1u
#define ZK_MOCK_TAGGED 0x2u
#define ZK_MOCK_16_PCRS 0x4u

/* ioctl number of NSM_IOCTL_RAW: _IOWR(0x0A, 0, struct { u64 addr, len; } x 2). */
#define ZK_NSM_IOCTL_RAW 0xC0200A00ul

typedef enum zk_nsm_digest {
  ZK_NSM_DIGEST_SHA256 = 1,
  ZK_NSM_DIGEST_SHA384 = 2,
  ZK_NSM_DIGEST_SHA512 = 3
} zk_nsm_digest;

/* Result of describe (DescribeNSM). */
typedef struct zk_nsm_description {
  uint16_t version_major;
  uint16_t version_minor;
  uint16_t version_patch;
  char module_id[ZK_NSM_MODULE_ID_MAX + 1]; /* NUL-terminated */
  uint16_t max_pcrs;
  uint16_t locked_pcrs[ZK_NSM_MAX_LOCKED];
  size_t n_locked_pcrs;
  zk_nsm_digest digest;
} zk_nsm_description;

/*
 * Device transport of the nitro backend: send one CBOR request, receive one reply.
 * Returns: ZK_OK when a reply (possibly an NSM {"Error": ...} reply) was received;
 *          ZK_ERR_NSM_DEVICE / ZK_ERR_IO / ZK_ERR_NSM_INPUT_TOO_LARGE otherwise.
 * Args: ctx: transport_ctx from the options.
 * Out: resp: reply bytes. In/Out: *resp_len: capacity (ZK_NSM_RESPONSE_MAX) in,
 *      reply length out (a value above the capacity is rejected as ZK_ERR_TOO_LARGE).
 * In: req, req_len: the encoded request (<= ZK_NSM_REQUEST_MAX).
 */
typedef zk_status (*zk_nsm_transport_fn)(void *ctx, uint8_t *resp, size_t *resp_len,
                                         const uint8_t *req, size_t req_len);

/* Options for zk_backend_open. Zero-initialise, then set what you need. */
typedef struct zk_backend_options {
  /* nitro */
  const char *nsm_device;        /* NULL = "/dev/nsm" */
  zk_nsm_transport_fn transport; /* NULL = open nsm_device + ioctl ZK_NSM_IOCTL_RAW */
  void *transport_ctx;
  /* mock */
  uint64_t mock_time_ms; /* initial clock in ms since the epoch; 0 = current time */
  unsigned mock_flags;   /* ZK_MOCK_* document variants (0 = definite map, untagged, 32 PCRs) */
  const char *mock_module_id; /* NULL = "i-0123456789abcdef0-enc0123456789abcdef" */
  /* Values of the boot PCRs 0-15 (16 x 48 bytes, e.g. EIF measurements in 0-2);
   * NULL = all zero, which verifiers treat as a debug-mode enclave. */
  const uint8_t *mock_boot_pcrs;
  size_t mock_boot_pcrs_len;
  /* Mock PKI from DER (all four set, or none = generate a fresh P-384 chain:
   * root and intermediate valid from clock-1d for 30 years, leaf from clock-1h
   * for 1 year, ecdsa-with-SHA384). Otherwise:
   * root and intermediate CA certificates, the leaf certificate that signs the
   * documents and the leaf's raw 48-byte P-384 secret. */
  const uint8_t *mock_root_der;
  size_t mock_root_der_len;
  const uint8_t *mock_intermediate_der;
  size_t mock_intermediate_der_len;
  const uint8_t *mock_leaf_der;
  size_t mock_leaf_der_len;
  const uint8_t *mock_leaf_secret;
  size_t mock_leaf_secret_len;
} zk_backend_options;

/*
 * The ops table. Custom backends (other TEEs, remote signers) fill one in and
 * pass it to zk_backend_from_ops. Every function follows the contract of the
 * wrapper of the same name below (outputs zeroed on error).
 */
typedef struct zk_backend_ops {
  const char *name;
  zk_status (*random)(void *ctx, uint8_t *out, size_t len);
  zk_status (*attest)(void *ctx, uint8_t **doc, size_t *doc_len, const uint8_t *user_data,
                      size_t user_data_len, const uint8_t *nonce, size_t nonce_len,
                      const uint8_t *public_key, size_t public_key_len);
  zk_status (*describe_pcr)(void *ctx, int *locked, uint8_t *value, size_t *value_len,
                            uint16_t index);
  zk_status (*extend_pcr)(void *ctx, uint8_t *value, size_t *value_len, uint16_t index,
                          const uint8_t *data, size_t data_len);
  zk_status (*lock_pcr)(void *ctx, uint16_t index);
  zk_status (*lock_pcrs)(void *ctx, uint16_t range);
  zk_status (*describe)(void *ctx, zk_nsm_description *out);
  zk_status (*time_ms)(void *ctx, uint64_t *now_ms);
  void (*destroy)(void *ctx); /* may be NULL */
} zk_backend_ops;

typedef struct zk_backend zk_backend;

/*
 * Open a built-in backend.
 * Returns: ZK_OK; ZK_ERR_BACKEND (unknown name); ZK_ERR_ARG (also unknown mock_flags);
 * ZK_ERR_NOMEM; nitro: ZK_ERR_NSM_DEVICE (device cannot be opened); mock: ZK_ERR_ATT_CERT /
 * ZK_ERR_KEY (bad PKI files), ZK_ERR_INTERNAL. Args: name: "nitro" or "mock". opts: may be NULL
 * (defaults). Out: *out: new backend (NULL on error); free with zk_backend_free. The options'
 * pointers are copied or used only during the call, except transport_ctx, which must outlive the
 * backend.
 */
ZK_API ZK_WUR zk_status zk_backend_open(zk_backend **out, const char *name,
                                        const zk_backend_options *opts);

/*
 * Wrap a caller-supplied ops table. ops must outlive the backend; ctx is owned
 * by the backend from now on (ops->destroy(ctx) runs in zk_backend_free, also
 * when this call fails with ZK_ERR_NOMEM).
 * Returns: ZK_OK, ZK_ERR_ARG (NULL ops or a NULL function), ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_backend_from_ops(zk_backend **out, const zk_backend_ops *ops, void *ctx);

/* Close the device / destroy the mock (wiping its keys). NULL is a no-op. */
ZK_API void zk_backend_free(zk_backend *b);

/* Name of the backend ("nitro", "mock", or the custom ops name); "" for NULL. */
ZK_API const char *zk_backend_name(const zk_backend *b);

/*
 * Fill out with len random bytes from the backend (NSM GetRandom, repeated as needed;
 * mock: OpenSSL DRBG). Returns: ZK_OK, ZK_ERR_ARG, NSM / transport statuses.
 * Out: out zeroed on error.
 */
ZK_API ZK_WUR zk_status zk_backend_random(zk_backend *b, uint8_t *out, size_t len);

/*
 * Request an attestation document (COSE_Sign1 bytes, Nitro format).
 * A NULL field is absent (CBOR null); a non-NULL field with length 0 is an empty bstr.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_NSM_INPUT_TOO_LARGE (request over 4096 B, or a mock
 *          field over ZK_NSM_ATTEST_FIELD_MAX); NSM, transport and parse statuses; ZK_ERR_NOMEM.
 * Out: *doc (malloc'd, free with zk_free), *doc_len. NULL / 0 on error.
 */
ZK_API ZK_WUR zk_status zk_backend_attest(zk_backend *b, uint8_t **doc, size_t *doc_len,
                                          const uint8_t *user_data, size_t user_data_len,
                                          const uint8_t *nonce, size_t nonce_len,
                                          const uint8_t *public_key, size_t public_key_len);

/*
 * Read a PCR.
 * Returns: ZK_OK; ZK_ERR_NSM_INVALID_INDEX (index >= max PCRs); ZK_ERR_BUFFER_TOO_SMALL;
 *          NSM, transport and parse statuses.
 * Out: *locked: 1 if locked, else 0 (may be NULL); value: PCR bytes.
 * In/Out: *value_len: capacity in (ZK_NSM_PCR_MAX_LEN is always enough), length out (48).
 */
ZK_API ZK_WUR zk_status zk_backend_describe_pcr(zk_backend *b, int *locked, uint8_t *value,
                                                size_t *value_len, uint16_t index);

/*
 * Extend a PCR: new = SHA-384(old || data).
 * Returns: ZK_OK; ZK_ERR_NSM_INVALID_INDEX; ZK_ERR_NSM_READ_ONLY_INDEX (locked);
 *          ZK_ERR_NSM_INPUT_TOO_LARGE; ZK_ERR_BUFFER_TOO_SMALL; NSM/transport/parse statuses.
 * Out: value: the new PCR value. In/Out: *value_len: capacity in, length out.
 */
ZK_API ZK_WUR zk_status zk_backend_extend_pcr(zk_backend *b, uint8_t *value, size_t *value_len,
                                              uint16_t index, const uint8_t *data, size_t data_len);

/*
 * Lock one PCR (further extends fail with ZK_ERR_NSM_READ_ONLY_INDEX).
 * Returns: ZK_OK; ZK_ERR_NSM_INVALID_INDEX; ZK_ERR_NSM_READ_ONLY_INDEX (already locked);
 *          NSM/transport/parse statuses.
 */
ZK_API ZK_WUR zk_status zk_backend_lock_pcr(zk_backend *b, uint16_t index);

/*
 * Lock PCRs [0, range). range may equal the number of PCRs.
 * Returns: ZK_OK; ZK_ERR_NSM_INVALID_INDEX (range > max PCRs); NSM/transport/parse statuses.
 */
ZK_API ZK_WUR zk_status zk_backend_lock_pcrs(zk_backend *b, uint16_t range);

/*
 * Describe the module (version, module_id, max PCRs, locked PCRs, digest).
 * Returns: ZK_OK; ZK_ERR_ARG; NSM/transport/parse statuses. Out: *out (zeroed on error).
 */
ZK_API ZK_WUR zk_status zk_backend_describe(zk_backend *b, zk_nsm_description *out);

/*
 * Current time of the backend in ms since the UNIX epoch (nitro: CLOCK_REALTIME;
 * mock: its settable clock). Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_IO.
 */
ZK_API ZK_WUR zk_status zk_backend_time_ms(zk_backend *b, uint64_t *now_ms);

/* ---- mock-only controls (ZK_ERR_BACKEND when b is not a mock) ---- */

/* Set the mock clock (ms since the epoch). The clock does not advance by itself. */
ZK_API ZK_WUR zk_status zk_backend_mock_set_time(zk_backend *b, uint64_t now_ms);

/*
 * The mock root CA certificate (DER) to pin in verifiers.
 * Out: *der: borrowed, valid until zk_backend_free; *der_len.
 */
ZK_API ZK_WUR zk_status zk_backend_mock_root_der(const zk_backend *b, const uint8_t **der,
                                                 size_t *der_len);

#ifdef __cplusplus
}
#endif
#endif
