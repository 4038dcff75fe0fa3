/*
 * libzerokey: common definitions (export macro, attributes, status codes).
 *
 * Conventions (see docs/conventions.md):
 *  - every exported symbol starts with zk_ / ZK_;
 *  - argument order: context, outputs, in/out, inputs; a length follows its pointer;
 *  - every fallible function returns zk_status and is ZK_WUR;
 *  - outputs are zeroed (or set to NULL) when a function fails;
 *  - _free(NULL) is a no-op.
 */
#ifndef ZEROKEY_COMMON_H
#define ZEROKEY_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(ZK_BUILDING_LIBRARY)
#    define ZK_API __declspec(dllexport)
#  else
#    define ZK_API
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define ZK_API __attribute__((visibility("default")))
#else
#  define ZK_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define ZK_WUR __attribute__((warn_unused_result))
#else
#  define ZK_WUR
#endif

/* Version of the library these headers describe. */
#define ZK_VERSION_MAJOR 0
#define ZK_VERSION_MINOR 1
#define ZK_VERSION_PATCH 0
#define ZK_VERSION_STRING "0.1.0"

/*
 * Status codes. The list is an X-macro so that the enum and the message table
 * (zk_status_str) can never drift apart. Values are stable ABI: never renumber,
 * only append inside a family's range.
 *
 *   0          success
 *   1..99      generic / misuse / resources
 *   100..199   encoding and parsing (CBOR, JSON, hex, base64, base58)
 *   200..299   keys, signatures, symmetric crypto
 *   300..349   COSE
 *   350..449   attestation (Nitro documents, certificate chain, policy)
 *   450..499   trust backends and the NSM device
 *   500..649   evidence (stamps, rulings, notarizations, fetch proofs, results)
 *   650..749   secure channels (HPKE, bundles)
 *   750..899   QuorumOS provisioning (keys, shares, manifests, proofs)
 */
#define ZK_STATUS_LIST(X)                                                                      \
  X(ZK_OK, 0, "success")                                                                       \
  /* generic */                                                                                \
  X(ZK_ERR_ARG, 1, "invalid argument")                                                         \
  X(ZK_ERR_NOMEM, 2, "out of memory")                                                          \
  X(ZK_ERR_BUFFER_TOO_SMALL, 3, "output buffer too small")                                     \
  X(ZK_ERR_INTERNAL, 4, "internal error in a cryptographic primitive")                         \
  X(ZK_ERR_UNSUPPORTED, 5, "unsupported algorithm, curve or option")                           \
  X(ZK_ERR_RANDOM, 6, "random number generation failed")                                       \
  X(ZK_ERR_IO, 7, "input/output error")                                                        \
  X(ZK_ERR_STATE, 8, "operation not allowed in the current state")                             \
  X(ZK_ERR_NOT_FOUND, 9, "item not found")                                                     \
  X(ZK_ERR_OVERFLOW, 10, "arithmetic or counter overflow")                                     \
  /* encoding and parsing */                                                                   \
  X(ZK_ERR_PARSE, 100, "malformed input")                                                      \
  X(ZK_ERR_TRUNCATED, 101, "input truncated")                                                  \
  X(ZK_ERR_TRAILING, 102, "trailing bytes after the encoded item")                             \
  X(ZK_ERR_TOO_LARGE, 103, "input exceeds a size limit")                                       \
  X(ZK_ERR_DEPTH, 104, "nesting too deep")                                                     \
  X(ZK_ERR_DUPLICATE_KEY, 105, "duplicate map key")                                            \
  X(ZK_ERR_UNKNOWN_TAG, 106, "unknown or unexpected CBOR tag")                                 \
  X(ZK_ERR_INDEFINITE, 107, "indefinite length not allowed here")                              \
  X(ZK_ERR_NONCANONICAL, 108, "encoding is not canonical")                                     \
  X(ZK_ERR_TYPE, 109, "field has the wrong type")                                              \
  X(ZK_ERR_MISSING_FIELD, 110, "required field missing")                                       \
  X(ZK_ERR_UNKNOWN_FIELD, 111, "unknown field")                                                \
  X(ZK_ERR_HEX, 112, "invalid hex encoding")                                                   \
  X(ZK_ERR_BASE64, 113, "invalid base64 encoding")                                             \
  X(ZK_ERR_BASE58, 114, "invalid base58 encoding")                                             \
  X(ZK_ERR_CHECKSUM, 115, "checksum mismatch")                                                 \
  X(ZK_ERR_JSON, 116, "invalid JSON")                                                          \
  X(ZK_ERR_VERSION, 117, "unsupported format version")                                         \
  X(ZK_ERR_VALUE, 118, "field value out of range")                                             \
  /* keys, signatures, symmetric crypto */                                                     \
  X(ZK_ERR_KEY, 200, "invalid key encoding or point not on the curve")                         \
  X(ZK_ERR_CURVE, 201, "key has the wrong curve for this operation")                           \
  X(ZK_ERR_NO_PRIVATE_KEY, 202, "operation needs a private key")                               \
  X(ZK_ERR_SIGNATURE, 203, "signature verification failed")                                    \
  X(ZK_ERR_SIG_ENCODING, 204, "malformed signature encoding")                                  \
  X(ZK_ERR_HIGH_S, 205, "signature has a high S value")                                        \
  X(ZK_ERR_DECRYPT, 206, "authenticated decryption failed")                                    \
  X(ZK_ERR_NONCE_SIZE, 207, "unsupported nonce or IV size")                                    \
  X(ZK_ERR_TAG_SIZE, 208, "unsupported authentication tag size")                               \
  X(ZK_ERR_KDF_LENGTH, 209, "requested KDF output length out of range")                        \
  X(ZK_ERR_MAC, 210, "MAC verification failed")                                                \
  X(ZK_ERR_ECDH, 211, "key agreement failed")                                                  \
  X(ZK_ERR_RECOVER, 212, "public key recovery failed")                                         \
  /* COSE */                                                                                   \
  X(ZK_ERR_COSE_STRUCTURE, 300, "not a COSE_Sign1 structure")                                  \
  X(ZK_ERR_COSE_ALG, 301, "COSE algorithm missing, unsupported or not the expected one")       \
  X(ZK_ERR_COSE_HEADER, 302, "invalid COSE header")                                            \
  X(ZK_ERR_COSE_SIG_SIZE, 303, "COSE signature has the wrong size for its algorithm")          \
  X(ZK_ERR_COSE_KID, 304, "COSE key identifier does not match")                                \
  X(ZK_ERR_COSE_DETACHED, 305, "COSE payload is detached (nil)")                               \
  /* attestation */                                                                            \
  X(ZK_ERR_ATT_PAYLOAD, 350, "attestation payload is malformed")                               \
  X(ZK_ERR_ATT_CERT, 351, "attestation certificate is malformed")                              \
  X(ZK_ERR_ATT_CHAIN, 352, "attestation certificate chain does not verify")                    \
  X(ZK_ERR_ATT_UNTRUSTED_ROOT, 353, "attestation chain does not end at a pinned root")         \
  X(ZK_ERR_ATT_EXPIRED, 354, "attestation certificate expired at the verification time")       \
  X(ZK_ERR_ATT_NOT_YET_VALID, 355, "attestation certificate not yet valid")                    \
  X(ZK_ERR_ATT_SIGNATURE, 356, "attestation document signature is invalid")                    \
  X(ZK_ERR_ATT_PCR_MISMATCH, 357, "PCR value does not match the policy")                       \
  X(ZK_ERR_ATT_DEBUG, 358, "enclave runs in debug mode (PCR0 is zero)")                        \
  X(ZK_ERR_ATT_NONCE, 359, "attestation nonce does not match")                                 \
  X(ZK_ERR_ATT_USER_DATA, 360, "attestation user_data does not match")                         \
  X(ZK_ERR_ATT_PUBLIC_KEY, 361, "attestation public_key does not match")                       \
  X(ZK_ERR_ATT_STALE, 362, "attestation document is older than the allowed age")               \
  X(ZK_ERR_ATT_FUTURE, 363, "attestation timestamp is in the future")                          \
  X(ZK_ERR_ATT_DIGEST, 364, "attestation digest algorithm is not SHA384")                      \
  X(ZK_ERR_ATT_PCR_MISSING, 365, "PCR required by the policy is absent")                       \
  X(ZK_ERR_ATT_MODULE_ID, 366, "attestation module_id is empty or too long")                   \
  X(ZK_ERR_ATT_TIMESTAMP, 367, "attestation timestamp is zero")                                \
  X(ZK_ERR_ATT_PCRS, 368, "attestation PCR map is malformed (count, index or length)")         \
  X(ZK_ERR_ATT_CABUNDLE, 369, "attestation cabundle is empty, too long or has a bad entry")    \
  X(ZK_ERR_ATT_FIELD_SIZE, 370, "attestation public_key, user_data or nonce is too large")     \
  X(ZK_ERR_ATT_LEAF, 371, "attestation leaf certificate may not sign documents")               \
  /* trust backends / NSM */                                                                   \
  X(ZK_ERR_BACKEND, 450, "unknown trust backend")                                              \
  X(ZK_ERR_NSM_DEVICE, 451, "NSM device unavailable")                                          \
  X(ZK_ERR_NSM_INVALID_ARGUMENT, 452, "NSM: invalid argument")                                 \
  X(ZK_ERR_NSM_INVALID_INDEX, 453, "NSM: invalid PCR index")                                   \
  X(ZK_ERR_NSM_INVALID_RESPONSE, 454, "NSM: invalid response")                                 \
  X(ZK_ERR_NSM_READ_ONLY_INDEX, 455, "NSM: PCR index is locked (read-only)")                   \
  X(ZK_ERR_NSM_INVALID_OPERATION, 456, "NSM: invalid operation")                               \
  X(ZK_ERR_NSM_BUFFER_TOO_SMALL, 457, "NSM: buffer too small")                                 \
  X(ZK_ERR_NSM_INPUT_TOO_LARGE, 458, "NSM: input too large")                                   \
  X(ZK_ERR_NSM_INTERNAL_ERROR, 459, "NSM: internal error")                                     \
  X(ZK_ERR_NSM_UNKNOWN_ERROR, 460, "NSM: unknown error name")                                  \
  X(ZK_ERR_NSM_RESPONSE_MISMATCH, 461, "NSM: reply does not match the request")                \
  X(ZK_ERR_EIF_LAYOUT, 462, "EIF section table does not match the sections")                   \
  X(ZK_ERR_EIF_SECTIONS, 463, "EIF sections missing, duplicated or out of order")              \
  /* evidence */                                                                               \
  X(ZK_ERR_EV_TYPE, 500, "evidence has the wrong type")                                        \
  X(ZK_ERR_EV_SIGNER, 501, "evidence signer is not trusted")                                   \
  X(ZK_ERR_EV_EXPIRED, 502, "evidence has expired")                                            \
  X(ZK_ERR_EV_NOT_YET_VALID, 503, "evidence is not yet valid")                                 \
  X(ZK_ERR_EV_STALE, 504, "evidence is older than the allowed age")                            \
  X(ZK_ERR_STAMP_SCHEME, 520, "unknown or unexpected stamp scheme")                            \
  X(ZK_ERR_STAMP_TIMESTAMP, 521, "request timestamp outside the replay window")                \
  X(ZK_ERR_WEBAUTHN_TYPE, 522, "WebAuthn clientDataJSON type is not webauthn.get")             \
  X(ZK_ERR_WEBAUTHN_CHALLENGE, 523, "WebAuthn challenge does not match the body")              \
  X(ZK_ERR_WEBAUTHN_ORIGIN, 524, "WebAuthn origin not allowed")                                \
  X(ZK_ERR_WEBAUTHN_RPID, 525, "WebAuthn rpIdHash does not match")                             \
  X(ZK_ERR_WEBAUTHN_FLAGS, 526, "WebAuthn user-presence/verification flags not set")           \
  X(ZK_ERR_RULING_DENIED, 540, "ruling denies the activity")                                   \
  X(ZK_ERR_RULING_STAMP, 541, "ruling refers to a different stamp")                            \
  X(ZK_ERR_RULING_STATE, 542, "ruling refers to a different notarized state")                  \
  X(ZK_ERR_RULING_ORG, 543, "ruling is for another organization or activity")                  \
  X(ZK_ERR_CHAIN_GAP, 560, "notarization chain has a gap")                                     \
  X(ZK_ERR_CHAIN_FORK, 561, "notarization chain forks")                                        \
  X(ZK_ERR_CHAIN_ORDER, 562, "notarization records out of order")                              \
  X(ZK_ERR_CHAIN_LINK, 563, "notarization record does not link to its predecessor")            \
  X(ZK_ERR_CHAIN_ROLLBACK, 564, "notarization chain rolled back behind the checkpoint")        \
  X(ZK_ERR_MERKLE_PROOF, 565, "Merkle proof does not verify")                                  \
  X(ZK_ERR_CHAIN_LOG, 566, "notarization record belongs to another log")                       \
  X(ZK_ERR_FETCH_URL, 580, "fetch proof URL does not match")                                   \
  X(ZK_ERR_FETCH_BODY, 581, "fetch proof body digest does not match")                          \
  X(ZK_ERR_FETCH_REQUEST, 582, "fetch proof method or request digest does not match")          \
  X(ZK_ERR_RESULT_RULING, 600, "signature result refers to a different ruling")                \
  X(ZK_ERR_RESULT_SIGNATURE, 601, "signature in the signature result does not verify")         \
  X(ZK_ERR_RESULT_KEY, 602, "signature result is for another key or payload")                  \
  X(ZK_ERR_CHAIN_STAMP, 620, "evidence chain: stamp link failed")                              \
  X(ZK_ERR_CHAIN_RULING, 621, "evidence chain: ruling link failed")                            \
  X(ZK_ERR_CHAIN_NOTARIZATION, 622, "evidence chain: notarization link failed")                \
  X(ZK_ERR_CHAIN_RESULT, 623, "evidence chain: signature result link failed")                  \
  /* secure channels */                                                                        \
  X(ZK_ERR_HPKE_OPEN, 650, "HPKE open failed (wrong key or tampered ciphertext, AAD or enc)")  \
  X(ZK_ERR_HPKE_SEQ, 651, "HPKE sequence number exhausted")                                    \
  X(ZK_ERR_HPKE_MODE, 652, "HPKE mode / PSK / sender-key combination invalid")                 \
  X(ZK_ERR_HPKE_ENC, 653, "HPKE encapsulated key is invalid")                                  \
  X(ZK_ERR_BUNDLE_VERSION, 660, "bundle version not supported")                                \
  X(ZK_ERR_BUNDLE_SIGNATURE, 661, "bundle enclave signature does not verify")                  \
  X(ZK_ERR_BUNDLE_SIGNER, 662, "bundle signed by an unexpected enclave key")                   \
  X(ZK_ERR_BUNDLE_FORMAT, 663, "bundle payload is malformed")                                  \
  X(ZK_ERR_BUNDLE_TARGET, 664, "bundle target key is invalid or not the expected one")         \
  X(ZK_ERR_BUNDLE_ORGANIZATION, 665, "bundle organization or user does not match")             \
  /* QuorumOS */                                                                               \
  X(ZK_ERR_QOS_KEY, 750, "invalid QOS key set encoding")                                       \
  X(ZK_ERR_QOS_ENVELOPE, 751, "QOS share envelope is malformed")                               \
  X(ZK_ERR_SHAMIR_PARAMS, 752, "invalid Shamir threshold or share count")                      \
  X(ZK_ERR_SHAMIR_SHARES, 753, "inconsistent Shamir shares (length or duplicate x)")           \
  X(ZK_ERR_QOS_THRESHOLD, 754, "not enough valid approvals to meet the threshold")             \
  X(ZK_ERR_QOS_APPROVAL, 755, "approval signature invalid or approver not in the set")         \
  X(ZK_ERR_QOS_DUPLICATE_APPROVAL, 756, "duplicate approval from the same member")             \
  X(ZK_ERR_QOS_MANIFEST_HASH, 757, "manifest hash does not match")                             \
  X(ZK_ERR_QOS_QUORUM_KEY, 758, "reconstructed quorum key does not match the manifest")        \
  X(ZK_ERR_QOS_PCR, 759, "attested PCRs do not match the manifest")                            \
  X(ZK_ERR_QOS_NOT_MEMBER, 760, "member is not in the share set")                              \
  X(ZK_ERR_QOS_PROOF, 761, "boot or app proof does not verify")                                \
  X(ZK_ERR_QOS_NONCE, 762, "manifest nonce is not newer than the current one")                 \
  X(ZK_ERR_QOS_NAMESPACE, 763, "manifest namespace does not match")                            \
  X(ZK_ERR_QOS_ENVELOPE_KEY, 764, "QOS envelope sender key is not a valid P-256 point")        \
  X(ZK_ERR_QOS_MANIFEST, 765, "QOS manifest is malformed")                                     \
  X(ZK_ERR_QOS_MANIFEST_VERSION, 766, "QOS manifest version unsupported or ambiguous")         \
  X(ZK_ERR_QOS_DUPLICATE_MEMBER, 767, "quorum set lists the same member twice")                \
  X(ZK_ERR_QOS_SET_THRESHOLD, 768, "quorum set threshold is zero or exceeds its members")      \
  X(ZK_ERR_QOS_APPROVER_UNKNOWN, 769, "approver is not a member of the approving set")         \
  X(ZK_ERR_QOS_SHARE_APPROVALS, 770, "share-set approvals present where none are allowed")     \
  X(ZK_ERR_QOS_EPHEMERAL_KEY, 771, "proof key does not match the attested ephemeral key")      \
  X(ZK_ERR_QOS_PCR_COMMITMENT, 772, "PCR16/PCR17 manifest commitment does not match")          \
  X(ZK_ERR_QOS_APP_SIGNATURE, 773, "app proof signature does not verify")                      \
  X(ZK_ERR_QOS_PROOF_FORMAT, 774, "boot or app proof is malformed")                            \
  X(ZK_ERR_QOS_PROOF_SCHEME, 775, "app proof signature scheme is not supported")               \
  X(ZK_ERR_QOS_CANONICAL_JSON, 776, "value has no QOS canonical JSON form")                    \
  X(ZK_ERR_QOS_PIVOT_HASH, 777, "pivot binary hash does not match the manifest")               \
  X(ZK_ERR_QOS_SHARE_HASH, 778, "share hash does not match the genesis output")                \
  X(ZK_ERR_QOS_PCR_PIN, 779, "attested PCR differs from the pinned release value")             \
  X(ZK_ERR_QOS_MANIFEST_SET, 780, "manifest set differs from the running manifest")            \
  X(ZK_ERR_QOS_PCR3, 781, "PCR3 differs from the running manifest")                            \
  X(ZK_ERR_QOS_FORWARD_SIGNATURE, 782, "forwarded quorum key is not signed by the quorum key") \
  X(ZK_ERR_QOS_QUORUM_KEY_HASH, 783, "genesis quorum key hash does not match the seed")        \
  X(ZK_ERR_QOS_TEST_MESSAGE, 784, "genesis test message signature or ciphertext is wrong")     \
  X(ZK_ERR_QOS_DIFFERENT_MANIFEST, 785, "same nonce but a different manifest")

typedef enum zk_status {
#define ZK_STATUS_ENUM_(name, value, msg) name = value,
  ZK_STATUS_LIST(ZK_STATUS_ENUM_)
#undef ZK_STATUS_ENUM_
} zk_status;

/* Returns a static, human-readable message for a status (never NULL). */
ZK_API const char *zk_status_str(zk_status st);
/* Returns the symbolic name ("ZK_ERR_ARG"), or "ZK_UNKNOWN_STATUS". */
ZK_API const char *zk_status_name(zk_status st);

/* Library version string, e.g. "0.1.0". */
ZK_API const char *zk_version(void);

/* Overwrite len bytes at p with zeros in a way the compiler cannot elide. */
ZK_API void zk_wipe(void *p, size_t len);

/* Constant-time comparison of two equal-length buffers: 1 if equal, 0 if not. */
ZK_API int zk_ct_equal(const void *a, const void *b, size_t len);

/* Free a buffer the library allocated and returned to the caller. NULL is a no-op. */
ZK_API void zk_free(void *p);
/* Wipe len bytes at p, then free it (for buffers that held secrets). NULL is a no-op. */
ZK_API void zk_free_secret(void *p, size_t len);

/* Fill buf with len cryptographically secure random bytes (OpenSSL DRBG). */
ZK_API ZK_WUR zk_status zk_random(uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
