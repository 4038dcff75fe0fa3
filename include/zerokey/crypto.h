/*
 * libzerokey: symmetric primitives (thin, strict wrappers over OpenSSL 3).
 *
 * These exist so that every caller in the library (and the bindings) goes
 * through one audited place with bounded arguments and fail-closed outputs.
 */
#ifndef ZEROKEY_CRYPTO_H
#define ZEROKEY_CRYPTO_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_SHA256_LEN 32
#define ZK_SHA384_LEN 48
#define ZK_SHA512_LEN 64
#define ZK_AES_GCM_NONCE_LEN 12
#define ZK_AES_GCM_TAG_LEN 16

typedef enum zk_hash_alg { ZK_HASH_SHA256 = 1, ZK_HASH_SHA384 = 2, ZK_HASH_SHA512 = 3 } zk_hash_alg;

/* Digest length of alg, 0 if unknown. */
ZK_API size_t zk_hash_len(zk_hash_alg alg);

/*
 * out = H(msg). out_len must be at least zk_hash_len(alg); exactly that many bytes are written.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_BUFFER_TOO_SMALL, ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_hash(zk_hash_alg alg, uint8_t *out, size_t out_len, const uint8_t *msg,
                                size_t msg_len);
ZK_API ZK_WUR zk_status zk_sha256(uint8_t out[ZK_SHA256_LEN], const uint8_t *msg, size_t msg_len);
ZK_API ZK_WUR zk_status zk_sha384(uint8_t out[ZK_SHA384_LEN], const uint8_t *msg, size_t msg_len);

/* out = HMAC-H(key, msg); out_len >= zk_hash_len(alg). */
ZK_API ZK_WUR zk_status zk_hmac(zk_hash_alg alg, uint8_t *out, size_t out_len, const uint8_t *key,
                                size_t key_len, const uint8_t *msg, size_t msg_len);

/*
 * Constant-time check of a (possibly truncated: leftmost bytes) HMAC tag.
 * tag_len must be between 16 and zk_hash_len(alg) bytes; shorter tags are
 * refused with ZK_ERR_TAG_SIZE (128 bits is also the shortest truncation in
 * the Wycheproof HMAC vectors, and NIST SP 800-107 advises against less).
 * Returns: ZK_OK, ZK_ERR_MAC, ZK_ERR_TAG_SIZE, ZK_ERR_ARG, ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_hmac_verify(zk_hash_alg alg, const uint8_t *tag, size_t tag_len,
                                       const uint8_t *key, size_t key_len, const uint8_t *msg,
                                       size_t msg_len);

/*
 * HKDF (RFC 5869). okm_len must be 1..255*HashLen. An empty salt (salt_len 0)
 * is RFC 5869's default salt (HashLen zero bytes); an empty ikm is allowed.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_KDF_LENGTH, ZK_ERR_INTERNAL. okm is zeroed on error.
 *
 * zk_hkdf_extract: prk_len must be >= HashLen (else ZK_ERR_BUFFER_TOO_SMALL);
 *   exactly HashLen bytes are written.
 * zk_hkdf_expand: prk_len must be >= HashLen (RFC 5869 section 2.3; else ZK_ERR_ARG);
 *   okm_len 1..255*HashLen (else ZK_ERR_KDF_LENGTH).
 */
ZK_API ZK_WUR zk_status zk_hkdf(zk_hash_alg alg, uint8_t *okm, size_t okm_len, const uint8_t *salt,
                                size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                                const uint8_t *info, size_t info_len);
ZK_API ZK_WUR zk_status zk_hkdf_extract(zk_hash_alg alg, uint8_t *prk, size_t prk_len,
                                        const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                                        size_t ikm_len);
ZK_API ZK_WUR zk_status zk_hkdf_expand(zk_hash_alg alg, uint8_t *okm, size_t okm_len,
                                       const uint8_t *prk, size_t prk_len, const uint8_t *info,
                                       size_t info_len);

/*
 * AES-GCM with 128/192/256-bit keys, 12-byte nonces and 16-byte tags.
 * seal: ct (pt_len bytes) and tag (16 bytes).
 * open: pt (ct_len bytes). On any failure pt is zeroed; a wrong key, nonce, AAD,
 *   ciphertext or tag gives ZK_ERR_DECRYPT (the tag is compared in constant time).
 * Key lengths other than 16/24/32 give ZK_ERR_ARG; nonce_len != 12 gives
 * ZK_ERR_NONCE_SIZE; tag_len != 16 gives ZK_ERR_TAG_SIZE. seal zeroes ct and tag on error.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NONCE_SIZE, ZK_ERR_TAG_SIZE, ZK_ERR_DECRYPT, ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_aes_gcm_seal(uint8_t *ct, uint8_t *tag, size_t tag_len,
                                        const uint8_t *key, size_t key_len, const uint8_t *nonce,
                                        size_t nonce_len, const uint8_t *aad, size_t aad_len,
                                        const uint8_t *pt, size_t pt_len);
ZK_API ZK_WUR zk_status zk_aes_gcm_open(uint8_t *pt, const uint8_t *key, size_t key_len,
                                        const uint8_t *nonce, size_t nonce_len, const uint8_t *aad,
                                        size_t aad_len, const uint8_t *ct, size_t ct_len,
                                        const uint8_t *tag, size_t tag_len);

#ifdef __cplusplus
}
#endif
#endif
