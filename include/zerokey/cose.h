/*
 * libzerokey: COSE_Sign1 (RFC 9052) signing and verification.
 *
 * One implementation serves Nitro attestation documents (ES384) and every
 * evidence kind the library defines (ES256, ES256K, EdDSA).
 * The Sig_structure ["Signature1", protected, external_aad, payload] is built
 * from the protected-header and payload byte strings exactly as received.
 * Signatures are raw r || s for ECDSA (64 or 96 bytes), 64 bytes for EdDSA.
 */
#ifndef ZEROKEY_COSE_H
#define ZEROKEY_COSE_H

#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* COSE algorithm identifiers (IANA). */
#define ZK_COSE_ALG_ES256 (-7)
#define ZK_COSE_ALG_EDDSA (-8)
#define ZK_COSE_ALG_ES384 (-35)
#define ZK_COSE_ALG_ES256K (-47)

#define ZK_COSE_SIGN1_TAG 18

/* Flags for zk_cose_sign1_create. */
#define ZK_COSE_TAGGED 0x1u /* emit CBOR tag 18 */

/* Limits applied by zk_cose_sign1_parse. */
#define ZK_COSE_MAX_LEN (1u << 20) /* whole message */
#define ZK_COSE_MAX_KID_LEN 64

typedef struct zk_cose_sign1 zk_cose_sign1;

/*
 * Sign payload into a COSE_Sign1. The algorithm follows the key's curve
 * (P-256 ES256, secp256k1 ES256K, P-384 ES384, Ed25519 EdDSA). The protected
 * header is the deterministic encoding of {1: alg} or, when kid is not NULL,
 * {1: alg, 4: kid}; the unprotected header is empty. Output is deterministic
 * CBOR with definite lengths (tag 18 as 0xd2 when ZK_COSE_TAGGED).
 * Args: key: private key; kid: optional (NULL = none), at most ZK_COSE_MAX_KID_LEN
 *       bytes; payload: may be empty, never detached; external_aad: optional;
 *       flags: 0 or ZK_COSE_TAGGED.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_UNSUPPORTED, ZK_ERR_NO_PRIVATE_KEY,
 *          ZK_ERR_TOO_LARGE (message would exceed ZK_COSE_MAX_LEN), ZK_ERR_NOMEM,
 *          ZK_ERR_INTERNAL.
 * Out: *out (malloc'd, free with zk_free), *out_len; NULL / 0 on error.
 */
ZK_API ZK_WUR zk_status zk_cose_sign1_create(uint8_t **out, size_t *out_len, const zk_key *key,
                                             const uint8_t *kid, size_t kid_len,
                                             const uint8_t *payload, size_t payload_len,
                                             const uint8_t *external_aad, size_t aad_len,
                                             unsigned flags);

/*
 * Parse a COSE_Sign1 (tagged 18 or untagged) WITHOUT verifying it. Strict
 * (docs/cbor-cose.md): at most ZK_COSE_MAX_LEN bytes; optional tag 18 in its
 * one-byte form 0xd2 and no other tag anywhere; a 4-element array (definite
 * or indefinite length); protected header a definite bstr holding a definite
 * map with an integer alg in {ES256, ES256K, ES384, EdDSA}; header labels
 * limited to alg (1), crit (2), content type (3), kid (4), none in both
 * buckets, crit only protected and naming protected labels this code knows;
 * unprotected header a map; payload a definite bstr (nil/detached refused);
 * signature a definite bstr of exactly the algorithm's size; no trailing
 * bytes; no duplicate map keys.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_COSE_STRUCTURE, ZK_ERR_COSE_HEADER,
 *          ZK_ERR_COSE_ALG, ZK_ERR_COSE_SIG_SIZE, ZK_ERR_COSE_DETACHED, or a CBOR
 *          status (ZK_ERR_TRUNCATED, ZK_ERR_TRAILING, ZK_ERR_TOO_LARGE, ZK_ERR_DEPTH,
 *          ZK_ERR_DUPLICATE_KEY, ZK_ERR_UNKNOWN_TAG, ZK_ERR_INDEFINITE, ZK_ERR_PARSE,
 *          ZK_ERR_UNSUPPORTED), ZK_ERR_NOMEM.
 * Out: *out: new message (zk_cose_sign1_free), NULL on error; *err_off (optional):
 *      byte offset of the offending item (0 on success).
 */
ZK_API ZK_WUR zk_status zk_cose_sign1_parse(zk_cose_sign1 **out, const uint8_t *buf, size_t len,
                                            size_t *err_off);

/*
 * Verify a parsed message with key (public or private). The protected alg
 * must match the key's curve and the signature must have that algorithm's
 * exact size. ECDSA is verified over r || s with the algorithm's hash; high-S
 * is accepted on P-256 / P-384 (real Nitro documents use it) and refused on
 * secp256k1 (the key API's rule, so ES256K signatures are not malleable).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_COSE_ALG, ZK_ERR_COSE_SIG_SIZE, ZK_ERR_SIGNATURE,
 *          ZK_ERR_SIG_ENCODING (r or s out of range), ZK_ERR_HIGH_S, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_cose_sign1_verify(const zk_cose_sign1 *msg, const zk_key *key,
                                             const uint8_t *external_aad, size_t aad_len);

/* Accessors (borrowed pointers valid until zk_cose_sign1_free). Unverified unless
 * zk_cose_sign1_verify returned ZK_OK. */
ZK_API const uint8_t *zk_cose_sign1_payload(const zk_cose_sign1 *msg, size_t *len);
ZK_API const uint8_t *zk_cose_sign1_protected(const zk_cose_sign1 *msg, size_t *len);
ZK_API const uint8_t *zk_cose_sign1_signature(const zk_cose_sign1 *msg, size_t *len);
/* kid from the protected header (or unprotected if absent there); NULL if none.
 * A kid from the unprotected header is not covered by the signature: a hint only. */
ZK_API const uint8_t *zk_cose_sign1_kid(const zk_cose_sign1 *msg, size_t *len);
ZK_API int64_t zk_cose_sign1_alg(const zk_cose_sign1 *msg);
ZK_API int zk_cose_sign1_is_tagged(const zk_cose_sign1 *msg);
ZK_API void zk_cose_sign1_free(zk_cose_sign1 *msg);

/*
 * Build the Sig_structure bytes to be signed (exposed for tests and for callers
 * that sign with an external key, e.g. an HSM):
 * CBOR ["Signature1", bstr protected_hdr, bstr external_aad, bstr payload],
 * definite lengths, shortest heads, the three byte strings copied verbatim.
 * Returns: ZK_OK, ZK_ERR_ARG (NULL pointer with a non-zero length), ZK_ERR_OVERFLOW,
 *          ZK_ERR_NOMEM.
 * Out: *out (malloc'd, zk_free), *out_len; NULL / 0 on error.
 */
ZK_API ZK_WUR zk_status zk_cose_sig_structure(uint8_t **out, size_t *out_len,
                                              const uint8_t *protected_hdr, size_t protected_len,
                                              const uint8_t *external_aad, size_t aad_len,
                                              const uint8_t *payload, size_t payload_len);

#ifdef __cplusplus
}
#endif
#endif
