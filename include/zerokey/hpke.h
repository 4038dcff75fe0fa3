/*
 * libzerokey: Hybrid Public Key Encryption (RFC 9180).
 *
 * Implemented on OpenSSL 3.0 primitives (OpenSSL 3.0 has no HPKE API):
 *   KEM  0x0010  DHKEM(P-256, HKDF-SHA256)   (the only KEM)
 *   KDF  0x0001  HKDF-SHA256                 (the only KDF)
 *   AEAD 0x0001  AES-128-GCM
 *        0x0002  AES-256-GCM
 *        0x0003  ChaCha20-Poly1305
 *        0xFFFF  export-only (no seal/open, secret export only)
 * Modes: base, psk, auth, auth_psk.
 *
 * Keys are zk_key objects on ZK_CURVE_P256. The encapsulated key `enc` is
 * always the 65-byte uncompressed SEC1 point (RFC 9180 SerializePublicKey).
 *
 * A context carries the AEAD key, base nonce, exporter secret and the 64-bit
 * message sequence number. Each seal/open that succeeds advances the sequence
 * number by one; a failed open does not advance it. A context refuses to
 * operate once its sequence number reached 2^64 - 1 (ZK_ERR_HPKE_SEQ); this is
 * below the RFC limit of 2^96 - 1, as the RFC permits. All key material in a
 * context is wiped by zk_hpke_ctx_free. A context is NOT thread-safe (the
 * sequence number mutates); use one per direction and thread.
 */
#ifndef ZEROKEY_HPKE_H
#define ZEROKEY_HPKE_H

#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_HPKE_KEM_P256_HKDF_SHA256 0x0010
#define ZK_HPKE_KDF_HKDF_SHA256 0x0001

typedef enum zk_hpke_mode {
  ZK_HPKE_MODE_BASE = 0,
  ZK_HPKE_MODE_PSK = 1,
  ZK_HPKE_MODE_AUTH = 2,
  ZK_HPKE_MODE_AUTH_PSK = 3
} zk_hpke_mode;

typedef enum zk_hpke_aead {
  ZK_HPKE_AEAD_AES_128_GCM = 0x0001,
  ZK_HPKE_AEAD_AES_256_GCM = 0x0002,
  ZK_HPKE_AEAD_CHACHA20_POLY1305 = 0x0003,
  ZK_HPKE_AEAD_EXPORT_ONLY = 0xFFFF
} zk_hpke_aead;

/* Sizes. */
#define ZK_HPKE_ENC_LEN 65         /* Nenc: uncompressed P-256 point */
#define ZK_HPKE_TAG_LEN 16         /* Nt of every supported AEAD */
#define ZK_HPKE_SECRET_LEN 32      /* Nsecret / Nh */
#define ZK_HPKE_MIN_IKM_LEN 32     /* DeriveKeyPair: at least Nsk bytes of input keying material */
#define ZK_HPKE_MIN_PSK_LEN 32     /* a PSK must carry at least 32 bytes (RFC 9180 section 5.1.2) */
#define ZK_HPKE_MAX_INPUT_LEN 1024 /* limit on ikm, info, psk, psk_id and exporter context */
#define ZK_HPKE_MAX_EXPORT_LEN (255u * 32u)

/*
 * Parameters shared by sender and receiver. Zero-initialise, then set fields.
 *   mode, aead: as above.
 *   info:      application info (may be empty).
 *   psk/psk_id: required (both non-empty, psk >= ZK_HPKE_MIN_PSK_LEN) in the psk
 *              modes; must both be empty in base/auth.
 *   auth_key:  auth modes only (must be NULL otherwise). Sender side: the
 *              sender's P-256 PRIVATE key. Receiver side: the sender's P-256
 *              public key (a private key is accepted, only its public part is used).
 * The structure and the buffers it points to are only read during the call.
 */
typedef struct zk_hpke_params {
  zk_hpke_mode mode;
  zk_hpke_aead aead;
  const uint8_t *info;
  size_t info_len;
  const uint8_t *psk;
  size_t psk_len;
  const uint8_t *psk_id;
  size_t psk_id_len;
  const zk_key *auth_key;
} zk_hpke_params;

typedef struct zk_hpke_ctx zk_hpke_ctx;

/*
 * RFC 9180 DeriveKeyPair for DHKEM(P-256, HKDF-SHA256): a deterministic P-256
 * private key from input keying material.
 * Returns: ZK_OK; ZK_ERR_ARG (NULL, ikm shorter than ZK_HPKE_MIN_IKM_LEN);
 *          ZK_ERR_TOO_LARGE (ikm longer than ZK_HPKE_MAX_INPUT_LEN);
 *          ZK_ERR_INTERNAL (no valid candidate in 256 tries); ZK_ERR_NOMEM.
 * Out: *out: new private key (free with zk_key_free); NULL on error.
 * In:  ikm: secret input keying material (not retained).
 */
ZK_API ZK_WUR zk_status zk_hpke_derive_keypair(zk_key **out, const uint8_t *ikm, size_t ikm_len);

/*
 * SetupS: encapsulate to pk_r (fresh ephemeral key) and derive a sender context.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_UNSUPPORTED (aead or mode value unknown);
 *          ZK_ERR_HPKE_MODE (psk / psk_id / auth_key do not fit the mode);
 *          ZK_ERR_TOO_LARGE (info/psk/psk_id above ZK_HPKE_MAX_INPUT_LEN);
 *          ZK_ERR_CURVE (a key is not P-256); ZK_ERR_NO_PRIVATE_KEY (auth_key);
 *          ZK_ERR_BUFFER_TOO_SMALL (enc_len < ZK_HPKE_ENC_LEN); ZK_ERR_RANDOM;
 *          ZK_ERR_ECDH; ZK_ERR_NOMEM; ZK_ERR_INTERNAL.
 * Out: *out: new context (free with zk_hpke_ctx_free), NULL on error;
 *      enc: ZK_HPKE_ENC_LEN bytes to send to the receiver (zeroed on error).
 * In:  params, pk_r (receiver public key, P-256).
 */
ZK_API ZK_WUR zk_status zk_hpke_setup_sender(zk_hpke_ctx **out, uint8_t *enc, size_t enc_len,
                                             const zk_hpke_params *params, const zk_key *pk_r);

/*
 * SetupR: decapsulate enc with sk_r and derive a receiver context.
 * Returns: as zk_hpke_setup_sender, plus ZK_ERR_HPKE_ENC (enc is not a
 *          65-byte uncompressed point on P-256) and ZK_ERR_NO_PRIVATE_KEY (sk_r).
 *          A wrong key or PSK is only detected by the first zk_hpke_open.
 * Out: *out: new context, NULL on error.
 * In:  params, sk_r (receiver private key, P-256), enc.
 */
ZK_API ZK_WUR zk_status zk_hpke_setup_receiver(zk_hpke_ctx **out, const zk_hpke_params *params,
                                               const zk_key *sk_r, const uint8_t *enc,
                                               size_t enc_len);

/*
 * Seal the next message (sender contexts only).
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_STATE (receiver context or export-only AEAD);
 *          ZK_ERR_HPKE_SEQ (sequence number exhausted); ZK_ERR_TOO_LARGE (pt_len
 *          above 2^31); ZK_ERR_BUFFER_TOO_SMALL; ZK_ERR_INTERNAL.
 * Out: ct: pt_len + ZK_HPKE_TAG_LEN bytes (ciphertext || tag); zeroed on error.
 * In/Out: *ct_len: capacity in, bytes written out (0 on error).
 * In:  aad (may be empty), pt.
 */
ZK_API ZK_WUR zk_status zk_hpke_seal(zk_hpke_ctx *ctx, uint8_t *ct, size_t *ct_len,
                                     const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                                     size_t pt_len);

/*
 * Open the next message (receiver contexts only). No plaintext is released on
 * failure and the sequence number is unchanged.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_STATE; ZK_ERR_HPKE_SEQ;
 *          ZK_ERR_TRUNCATED (ct shorter than the tag); ZK_ERR_TOO_LARGE;
 *          ZK_ERR_BUFFER_TOO_SMALL; ZK_ERR_HPKE_OPEN (wrong key/PSK/sender,
 *          tampered ciphertext, AAD or enc, or wrong sequence number).
 * Out: pt: ct_len - ZK_HPKE_TAG_LEN bytes; zeroed on error.
 * In/Out: *pt_len: capacity in, bytes written out (0 on error).
 */
ZK_API ZK_WUR zk_status zk_hpke_open(zk_hpke_ctx *ctx, uint8_t *pt, size_t *pt_len,
                                     const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                                     size_t ct_len);

/*
 * Secret export (RFC 9180 section 5.3), either side, any AEAD.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_KDF_LENGTH (out_len 0 or above
 *          ZK_HPKE_MAX_EXPORT_LEN); ZK_ERR_TOO_LARGE (context); ZK_ERR_INTERNAL.
 * Out: out: out_len secret bytes (zeroed on error; the caller wipes them).
 */
ZK_API ZK_WUR zk_status zk_hpke_export(const zk_hpke_ctx *ctx, uint8_t *out, size_t out_len,
                                       const uint8_t *exporter_context,
                                       size_t exporter_context_len);

/* Sequence number of the next message (0 for a NULL context). */
ZK_API uint64_t zk_hpke_ctx_seq(const zk_hpke_ctx *ctx);

/* Wipe and free a context. NULL is a no-op. */
ZK_API void zk_hpke_ctx_free(zk_hpke_ctx *ctx);

/*
 * Single-shot seal: setup_sender + one seal (sequence number 0).
 * Out: enc (ZK_HPKE_ENC_LEN bytes), ct (pt_len + ZK_HPKE_TAG_LEN bytes); zeroed on error.
 * In/Out: *ct_len: capacity in, bytes written out.
 * Returns: as zk_hpke_setup_sender and zk_hpke_seal (ZK_ERR_STATE for export-only).
 */
ZK_API ZK_WUR zk_status zk_hpke_seal_once(uint8_t *enc, size_t enc_len, uint8_t *ct, size_t *ct_len,
                                          const zk_hpke_params *params, const zk_key *pk_r,
                                          const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                                          size_t pt_len);

/*
 * Single-shot open: setup_receiver + one open (sequence number 0).
 * Out: pt (ct_len - ZK_HPKE_TAG_LEN bytes); zeroed on error.
 * In/Out: *pt_len: capacity in, bytes written out.
 * Returns: as zk_hpke_setup_receiver and zk_hpke_open.
 */
ZK_API ZK_WUR zk_status zk_hpke_open_once(uint8_t *pt, size_t *pt_len, const zk_hpke_params *params,
                                          const zk_key *sk_r, const uint8_t *enc, size_t enc_len,
                                          const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                                          size_t ct_len);

#ifdef __cplusplus
}
#endif
#endif
