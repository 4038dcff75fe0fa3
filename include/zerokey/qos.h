/*
 * libzerokey: QuorumOS (QOS) key sets, signatures and the share envelope.
 *
 * Key set ("qos_p256"): one 32-byte master seed; each secret is
 * HKDF-SHA512(salt = path, ikm = seed, info = empty, L = 32) with the paths
 *   "qos_p256_encrypt"    -> P-256 ECDH key  (encrypt half)
 *   "qos_p256_sign"       -> P-256 ECDSA key (sign half)
 *   "qos_aes_gcm_encrypt" -> AES-256 key.
 * The public key is 130 bytes: encrypt_pub (65, SEC1 uncompressed) || sign_pub (65).
 * Operators, quorum keys and enclave ephemeral keys all use this format.
 *
 * Signatures: ECDSA P-256 over SHA-256(msg), RFC 6979 deterministic nonce,
 * raw r || s (64 bytes), made with the sign half.
 *
 * Envelope (QOS "P256 HPKE", not RFC 9180), borsh:
 *   nonce[12] || ephemeral_sender_public[65] || u32le len || ciphertext || tag[16]
 *   shared  = ECDH(ephemeral, receiver encrypt half).x (32 bytes)
 *   key     = HMAC-SHA512(key = eph_pub || recv_pub || shared,
 *                         msg = "qos_encryption_hmac_message")[0..32]
 *   AAD     = eph_pub || 0x41 || recv_pub || 0x41
 *   cipher  = AES-256-GCM
 * recv_pub is the receiver's 65-byte encrypt half. Used for quorum shares,
 * the DR-wrapped quorum key and key forwarding.
 */
#ifndef ZEROKEY_QOS_H
#define ZEROKEY_QOS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_QOS_SEED_LEN 32
#define ZK_QOS_PUBLIC_LEN 130 /* encrypt_pub(65) || sign_pub(65) */
#define ZK_QOS_HALF_PUBLIC_LEN 65
#define ZK_QOS_SIG_LEN 64
#define ZK_QOS_ENVELOPE_NONCE_LEN 12
#define ZK_QOS_ENVELOPE_OVERHEAD (12u + 65u + 4u + 16u) /* envelope bytes beyond the plaintext */
#define ZK_QOS_ENVELOPE_MAX_PLAINTEXT (1u << 20)        /* bound enforced by seal and open */

/* A QOS key set with its private halves (and the seed). Wiped on free. */
typedef struct zk_qos_keyset zk_qos_keyset;
/* A validated 130-byte QOS public key (both points checked on the curve). */
typedef struct zk_qos_pubkey zk_qos_pubkey;

/*
 * Derive a key set from a 32-byte master seed.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_QOS_KEY (seed_len != 32, or a derived
 *          scalar is zero or >= the group order); ZK_ERR_NOMEM; ZK_ERR_INTERNAL.
 * Out: *out: new key set (free with zk_qos_keyset_free); NULL on error.
 * In:  seed: not retained beyond the key set's own wiped copy.
 */
ZK_API ZK_WUR zk_status zk_qos_keyset_from_seed(zk_qos_keyset **out, const uint8_t *seed,
                                                size_t seed_len);

/*
 * Parse the QOS secret file format: the seed as 64 hex digits (either case),
 * an optional "0x" prefix and at most one trailing "\n".
 * Returns: as zk_qos_keyset_from_seed, plus ZK_ERR_HEX.
 */
ZK_API ZK_WUR zk_status zk_qos_keyset_from_hex(zk_qos_keyset **out, const char *hex,
                                               size_t hex_len);

/* Generate a key set from a fresh random seed. Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_RANDOM, ... */
ZK_API ZK_WUR zk_status zk_qos_keyset_generate(zk_qos_keyset **out);

/* The 130-byte public key of a key set (points into ks, valid until ks is freed); NULL for NULL. */
ZK_API const uint8_t *zk_qos_keyset_public(const zk_qos_keyset *ks);

/*
 * Export the 32-byte master seed (a secret: the caller wipes it).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_BUFFER_TOO_SMALL (out_len < 32).
 */
ZK_API ZK_WUR zk_status zk_qos_keyset_seed(const zk_qos_keyset *ks, uint8_t *out, size_t out_len);

/* Wipe and free. NULL is a no-op. */
ZK_API void zk_qos_keyset_free(zk_qos_keyset *ks);

/*
 * Sign msg with the sign half: ECDSA P-256, SHA-256, RFC 6979, raw r || s.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_BUFFER_TOO_SMALL (sig_len < 64); ZK_ERR_INTERNAL.
 * Out: sig: 64 bytes (zeroed on error).
 */
ZK_API ZK_WUR zk_status zk_qos_sign(const zk_qos_keyset *ks, uint8_t *sig, size_t sig_len,
                                    const uint8_t *msg, size_t msg_len);

/*
 * Parse and validate a 130-byte QOS public key.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_QOS_KEY (length is not 130); ZK_ERR_KEY
 *          (a half is not an uncompressed point on P-256); ZK_ERR_NOMEM.
 * Out: *out (free with zk_qos_pubkey_free); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_qos_pubkey_parse(zk_qos_pubkey **out, const uint8_t *pub,
                                            size_t pub_len);
/* The 130 encoded bytes (pointer into pk). */
ZK_API const uint8_t *zk_qos_pubkey_bytes(const zk_qos_pubkey *pk);
/* Wipe and free. NULL is a no-op. */
ZK_API void zk_qos_pubkey_free(zk_qos_pubkey *pk);

/*
 * Verify a raw r || s signature by the sign half of pk over msg.
 * Returns: ZK_OK; ZK_ERR_SIGNATURE; ZK_ERR_SIG_ENCODING (length != 64, r or s
 *          out of range); ZK_ERR_ARG.
 */
ZK_API ZK_WUR zk_status zk_qos_pubkey_verify(const zk_qos_pubkey *pk, const uint8_t *sig,
                                             size_t sig_len, const uint8_t *msg, size_t msg_len);

/*
 * Convenience: parse pub (130 bytes) and verify. Returns the union of the two.
 */
ZK_API ZK_WUR zk_status zk_qos_verify(const uint8_t *pub, size_t pub_len, const uint8_t *sig,
                                      size_t sig_len, const uint8_t *msg, size_t msg_len);

/*
 * Encrypt pt to the encrypt half of recv with a fresh ephemeral key and nonce.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_TOO_LARGE (pt_len > ZK_QOS_ENVELOPE_MAX_PLAINTEXT);
 *          ZK_ERR_RANDOM; ZK_ERR_ECDH; ZK_ERR_NOMEM; ZK_ERR_INTERNAL.
 * Out: *out (malloc'd, free with zk_free), *out_len = pt_len + ZK_QOS_ENVELOPE_OVERHEAD.
 */
ZK_API ZK_WUR zk_status zk_qos_envelope_seal(uint8_t **out, size_t *out_len,
                                             const zk_qos_pubkey *recv, const uint8_t *pt,
                                             size_t pt_len);

/*
 * Decrypt an envelope addressed to ks's encrypt half.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_TRUNCATED / ZK_ERR_TRAILING (borsh framing);
 *          ZK_ERR_QOS_ENVELOPE (ciphertext shorter than the tag);
 *          ZK_ERR_TOO_LARGE (ciphertext above the bound);
 *          ZK_ERR_QOS_ENVELOPE_KEY (sender key not a valid point); ZK_ERR_ECDH;
 *          ZK_ERR_DECRYPT (wrong key or tampered envelope); ZK_ERR_NOMEM.
 * Out: *pt (malloc'd secret: release with zk_free_secret(*pt, *pt_len)); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_qos_envelope_open(const zk_qos_keyset *ks, uint8_t **pt, size_t *pt_len,
                                             const uint8_t *env, size_t env_len);

#ifdef __cplusplus
}
#endif
#endif
