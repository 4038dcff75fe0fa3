/*
 * libzerokey: asymmetric keys and signatures.
 *
 * Curves: P-256 (OpenSSL), secp256k1 (libsecp256k1), Ed25519 (OpenSSL),
 * P-384 (OpenSSL; signing is supported for the mock NSM, verification for
 * attestation documents).
 *
 * ECDSA signing is deterministic (RFC 6979) on every curve: P-256/P-384 derive
 * the nonce with HMAC-DRBG over the curve's hash, secp256k1 uses
 * libsecp256k1's RFC 6979 nonce function. Signatures produced on secp256k1 are
 * always low-S; ECDSA verification on secp256k1 accepts high-S only with
 * ZK_VERIFY_ALLOW_HIGH_S (the Bitcoin rule is the default).
 *
 * A zk_key may hold a private key (and its public key) or only a public key.
 * Private key material is wiped when the key is freed. A const zk_key may be
 * used from several threads at once.
 */
#ifndef ZEROKEY_KEY_H
#define ZEROKEY_KEY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum zk_curve {
  ZK_CURVE_NONE = 0,
  ZK_CURVE_P256 = 1,
  ZK_CURVE_SECP256K1 = 2,
  ZK_CURVE_ED25519 = 3,
  ZK_CURVE_P384 = 4
} zk_curve;

/* Public key encodings. */
typedef enum zk_pubkey_format {
  ZK_PUB_COMPRESSED = 1,   /* SEC1 0x02/0x03 || X (EC curves only) */
  ZK_PUB_UNCOMPRESSED = 2, /* SEC1 0x04 || X || Y (EC curves only) */
  ZK_PUB_RAW = 3,          /* Ed25519: 32-byte key; EC: X || Y without prefix */
  ZK_PUB_SPKI_DER = 4,     /* DER SubjectPublicKeyInfo */
  ZK_PUB_XONLY = 5         /* BIP-340 32-byte x-only key (secp256k1 only) */
} zk_pubkey_format;

/* Signature encodings. */
typedef enum zk_sig_format {
  ZK_SIG_DER = 1,         /* ECDSA, ASN.1 DER SEQUENCE { r, s } (strict DER) */
  ZK_SIG_RAW = 2,         /* ECDSA, fixed-size r || s (P1363 / COSE) */
  ZK_SIG_RECOVERABLE = 3, /* secp256k1 ECDSA, r || s || v (65 bytes, v in 0..3) */
  ZK_SIG_SCHNORR = 4,     /* secp256k1 BIP-340 Schnorr, 64 bytes */
  ZK_SIG_EDDSA = 5        /* Ed25519, 64 bytes */
} zk_sig_format;

/* Verification flags. */
#define ZK_VERIFY_ALLOW_HIGH_S 0x1u /* secp256k1 ECDSA: accept high-S signatures */

/* Sizes. */
#define ZK_P256_SECRET_LEN 32
#define ZK_P384_SECRET_LEN 48
#define ZK_SECP256K1_SECRET_LEN 32
#define ZK_ED25519_SECRET_LEN 32
#define ZK_MAX_SECRET_LEN 48
#define ZK_P256_COMPRESSED_LEN 33
#define ZK_P256_UNCOMPRESSED_LEN 65
#define ZK_P384_COMPRESSED_LEN 49
#define ZK_P384_UNCOMPRESSED_LEN 97
#define ZK_ED25519_PUBLIC_LEN 32
#define ZK_XONLY_PUBLIC_LEN 32
#define ZK_MAX_PUBKEY_LEN 128 /* enough for every format, SPKI included */
#define ZK_MAX_SIG_LEN 104    /* DER P-384 is at most 104 bytes */
#define ZK_P256_RAW_SIG_LEN 64
#define ZK_P384_RAW_SIG_LEN 96
#define ZK_RECOVERABLE_SIG_LEN 65
#define ZK_SCHNORR_SIG_LEN 64
#define ZK_ED25519_SIG_LEN 64

typedef struct zk_key zk_key;

/*
 * Generate a fresh private key.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_UNSUPPORTED, ZK_ERR_RANDOM, ZK_ERR_NOMEM.
 * Out: *out: new key; NULL on error. Free with zk_key_free.
 */
ZK_API ZK_WUR zk_status zk_key_generate(zk_key **out, zk_curve curve);

/*
 * Import a private key from its raw secret: a big-endian scalar of the curve's
 * size (32 or 48 bytes; zero and >= order are rejected) or the 32-byte Ed25519 seed.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_KEY, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_key_from_private(zk_key **out, zk_curve curve, const uint8_t *secret,
                                            size_t secret_len);

/*
 * Import a public key. EC curves accept SEC1 compressed or uncompressed points
 * (and ZK_PUB_RAW X||Y when its exact length is given); Ed25519 takes 32 bytes;
 * secp256k1 also accepts a 32-byte BIP-340 x-only key (even Y).
 * The point is validated (on the curve, not infinity).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_KEY, ZK_ERR_UNSUPPORTED, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_key_from_public(zk_key **out, zk_curve curve, const uint8_t *pub,
                                           size_t pub_len);

/*
 * Import a public key from DER SubjectPublicKeyInfo (P-256, P-384, secp256k1
 * with named curves, Ed25519). Trailing bytes are rejected.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_KEY, ZK_ERR_UNSUPPORTED, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_key_from_spki(zk_key **out, const uint8_t *der, size_t der_len);

/*
 * Export the raw secret (scalar or Ed25519 seed).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NO_PRIVATE_KEY, ZK_ERR_BUFFER_TOO_SMALL.
 * Out: out: secret bytes; *out_len: bytes written. In: *out_len: capacity.
 * The caller must wipe the buffer (zk_wipe) when done.
 */
ZK_API ZK_WUR zk_status zk_key_export_private(const zk_key *key, uint8_t *out, size_t *out_len);

/*
 * Export the public key in the given format.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_UNSUPPORTED (format not valid for the curve),
 *          ZK_ERR_BUFFER_TOO_SMALL.
 * In/Out: *out_len: capacity in, bytes written out.
 */
ZK_API ZK_WUR zk_status zk_key_export_public(const zk_key *key, zk_pubkey_format fmt, uint8_t *out,
                                             size_t *out_len);

/* Curve of the key (ZK_CURVE_NONE for NULL). */
ZK_API zk_curve zk_key_curve(const zk_key *key);
/* 1 if the key holds a private part, 0 otherwise. */
ZK_API int zk_key_has_private(const zk_key *key);
/* 1 if both keys have the same curve and public point, else 0. */
ZK_API int zk_key_public_equal(const zk_key *a, const zk_key *b);
/* New key object holding only the public part of key. */
ZK_API ZK_WUR zk_status zk_key_public_copy(zk_key **out, const zk_key *key);
/* Wipe and free. NULL is a no-op. */
ZK_API void zk_key_free(zk_key *key);

/* Size of the digest used by ECDSA on this curve (32 for P-256/secp256k1, 48 for P-384). */
ZK_API size_t zk_key_digest_len(const zk_key *key);

/*
 * Sign a message. ECDSA hashes it with the curve's hash (SHA-256, or SHA-384
 * on P-384); Ed25519 is PureEdDSA over the message; BIP-340 Schnorr signs the
 * message bytes as given (any length), with fresh auxiliary randomness.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_NO_PRIVATE_KEY, ZK_ERR_UNSUPPORTED (format
 *          not valid for the curve), ZK_ERR_BUFFER_TOO_SMALL, ZK_ERR_INTERNAL.
 * In/Out: *sig_len: capacity in, signature length out.
 */
ZK_API ZK_WUR zk_status zk_key_sign(const zk_key *key, zk_sig_format fmt, uint8_t *sig,
                                    size_t *sig_len, const uint8_t *msg, size_t msg_len);

/*
 * ECDSA over a precomputed digest (must be zk_key_digest_len bytes), deterministic (RFC 6979).
 * Formats: ZK_SIG_DER, ZK_SIG_RAW, ZK_SIG_RECOVERABLE (secp256k1 only).
 */
ZK_API ZK_WUR zk_status zk_key_sign_digest(const zk_key *key, zk_sig_format fmt, uint8_t *sig,
                                           size_t *sig_len, const uint8_t *digest,
                                           size_t digest_len);

/*
 * Verify a signature over msg (hashing as in zk_key_sign).
 * Returns: ZK_OK if valid; ZK_ERR_SIGNATURE if it does not verify;
 *          ZK_ERR_SIG_ENCODING if malformed (non-strict DER, wrong length, r or s
 *          out of range); ZK_ERR_HIGH_S (secp256k1 without ZK_VERIFY_ALLOW_HIGH_S);
 *          ZK_ERR_UNSUPPORTED; ZK_ERR_ARG.
 */
ZK_API ZK_WUR zk_status zk_key_verify(const zk_key *key, zk_sig_format fmt, unsigned flags,
                                      const uint8_t *sig, size_t sig_len, const uint8_t *msg,
                                      size_t msg_len);

/* Verify ECDSA over a precomputed digest. Same returns as zk_key_verify. */
ZK_API ZK_WUR zk_status zk_key_verify_digest(const zk_key *key, zk_sig_format fmt, unsigned flags,
                                             const uint8_t *sig, size_t sig_len,
                                             const uint8_t *digest, size_t digest_len);

/*
 * Recover the secp256k1 public key from a 65-byte r || s || v signature over a 32-byte digest.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_SIG_ENCODING, ZK_ERR_RECOVER, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_key_recover(zk_key **out, const uint8_t *sig, size_t sig_len,
                                       const uint8_t *digest, size_t digest_len);

/*
 * Convert between DER and raw r||s ECDSA signatures for a curve.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_SIG_ENCODING, ZK_ERR_BUFFER_TOO_SMALL.
 */
ZK_API ZK_WUR zk_status zk_sig_der_to_raw(uint8_t *raw, size_t *raw_len, zk_curve curve,
                                          const uint8_t *der, size_t der_len);
ZK_API ZK_WUR zk_status zk_sig_raw_to_der(uint8_t *der, size_t *der_len, zk_curve curve,
                                          const uint8_t *raw, size_t raw_len);

/*
 * ECDH: the shared secret is the X coordinate of priv * peer (32 bytes on P-256
 * and secp256k1, 48 on P-384). Both keys must share the curve. Ed25519 is not
 * supported.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_CURVE, ZK_ERR_NO_PRIVATE_KEY, ZK_ERR_UNSUPPORTED,
 *          ZK_ERR_BUFFER_TOO_SMALL, ZK_ERR_ECDH.
 */
ZK_API ZK_WUR zk_status zk_ecdh(uint8_t *secret, size_t *secret_len, const zk_key *priv,
                                const zk_key *peer);

#ifdef __cplusplus
}
#endif
#endif
