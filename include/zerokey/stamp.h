/*
 * libzerokey: request stamps (proof that an exact request body came from a credential).
 *
 * Two wire formats, compatible with the published Turnkey stamp headers
 * (docs/formats.md section "Stamps"):
 *
 *  X-Stamp           base64url (no padding) of the compact JSON object
 *                    {"publicKey":<hex>,"scheme":<name>,"signature":<hex>}
 *    SIGNATURE_SCHEME_TK_API_P256             P-256, compressed key, DER ECDSA over SHA-256(body)
 *    SIGNATURE_SCHEME_TK_API_SECP256K1        secp256k1, same shape (low-S required)
 *    SIGNATURE_SCHEME_TK_API_SECP256K1_EIP191 secp256k1, DER ECDSA over
 *                    keccak256("\x19Ethereum Signed Message:\n" || decimal(len) || body)
 *    SIGNATURE_SCHEME_TK_API_ED25519          32-byte key, 64-byte raw Ed25519 over body
 *
 *  X-Stamp-Webauthn  plain JSON {"authenticatorData","clientDataJson","credentialId",
 *                    "signature"} (base64url without padding). The challenge in
 *                    clientDataJSON is the 64 ASCII characters of lowercase
 *                    hex(SHA-256(body)); the credential signs
 *                    authenticatorData || SHA-256(clientDataJSON). credentialId is
 *                    NOT signed: it only tells the relying party which registered
 *                    key to pass in zk_stamp_verify_opts.key.
 *
 * The signature always covers the exact body bytes received; never re-serialise
 * the body. Replay protection: the body is a JSON object whose "timestampMs"
 * member (decimal string, milliseconds since the UNIX epoch) must lie inside
 * [now - max_age, now + max_future] of a caller-supplied clock.
 *
 * Parsing is strict: bounded sizes, duplicate JSON keys rejected, unknown
 * members of the X-Stamp and X-Stamp-Webauthn objects rejected, strict hex and
 * base64url. A parsed zk_stamp is immutable and may be shared between threads.
 */
#ifndef ZEROKEY_STAMP_H
#define ZEROKEY_STAMP_H

#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum zk_stamp_scheme {
  ZK_STAMP_SCHEME_NONE = 0,
  ZK_STAMP_P256 = 1,             /* SIGNATURE_SCHEME_TK_API_P256 */
  ZK_STAMP_SECP256K1 = 2,        /* SIGNATURE_SCHEME_TK_API_SECP256K1 */
  ZK_STAMP_ED25519 = 3,          /* SIGNATURE_SCHEME_TK_API_ED25519 */
  ZK_STAMP_SECP256K1_EIP191 = 4, /* SIGNATURE_SCHEME_TK_API_SECP256K1_EIP191 */
  ZK_STAMP_WEBAUTHN = 5          /* X-Stamp-Webauthn (passkey) */
} zk_stamp_scheme;

/* Limits. */
#define ZK_STAMP_MAX_HEADER_LEN 2048u         /* X-Stamp header value */
#define ZK_STAMP_MAX_WEBAUTHN_LEN 16384u      /* X-Stamp-Webauthn header value */
#define ZK_STAMP_MAX_CLIENT_DATA_LEN 4096u    /* decoded clientDataJSON */
#define ZK_STAMP_MAX_AUTH_DATA_LEN 1024u      /* decoded authenticatorData */
#define ZK_STAMP_MAX_CREDENTIAL_ID_LEN 1023u  /* WebAuthn L2 limit */
#define ZK_STAMP_MAX_BODY_JSON_LEN (1u << 20) /* body parsed for timestampMs */
#define ZK_STAMP_DIGEST_LEN 32

/* Replay window defaults (used when the corresponding option is 0). */
#define ZK_STAMP_DEFAULT_MAX_AGE_MS 3600000u  /* 1 hour, as enclaves enforce */
#define ZK_STAMP_DEFAULT_MAX_FUTURE_MS 30000u /* 30 s of clock skew */

/* Flags for zk_stamp_verify_opts.flags. */
#define ZK_STAMP_NO_TIMESTAMP 0x1u       /* do not check the body timestampMs (opaque bodies) */
#define ZK_STAMP_REQUIRE_UV 0x2u         /* WebAuthn: require the UV (user verified) flag */
#define ZK_STAMP_ALLOW_CROSS_ORIGIN 0x4u /* WebAuthn: accept "crossOrigin": true */

typedef struct zk_stamp_verify_opts {
  /* API-key stamps: optional; when set, the stamp's publicKey must be this key
   * (ZK_ERR_EV_SIGNER otherwise) and it is used instead of importing the key.
   * WebAuthn stamps: required; the credential public key the caller registered
   * for zk_stamp_credential_id() (P-256 DER ECDSA or Ed25519). */
  const zk_key *key;
  /* Replay window. now_ms is the verifier's trusted clock (e.g. NSM time). */
  uint64_t now_ms;
  uint64_t max_age_ms;    /* 0 = ZK_STAMP_DEFAULT_MAX_AGE_MS */
  uint64_t max_future_ms; /* 0 = ZK_STAMP_DEFAULT_MAX_FUTURE_MS */
  unsigned flags;         /* ZK_STAMP_* flags */
  /* WebAuthn only: the RP ID whose SHA-256 must equal rpIdHash, and the exact
   * origins (e.g. "https://app.example.com") accepted in clientDataJSON. */
  const char *rp_id;
  const char *const *origins;
  size_t n_origins;
} zk_stamp_verify_opts;

typedef struct zk_stamp zk_stamp;

/* Canonical scheme string ("SIGNATURE_SCHEME_TK_API_P256", ...; "WEBAUTHN"), "" if unknown. */
ZK_API const char *zk_stamp_scheme_name(zk_stamp_scheme scheme);

/*
 * Create an X-Stamp header value for body.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_STAMP_SCHEME (scheme is WEBAUTHN/unknown),
 *          ZK_ERR_CURVE (key curve does not fit the scheme), ZK_ERR_NO_PRIVATE_KEY,
 *          ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 * Out: *out: NUL-terminated base64url string (malloc'd, zk_free); *out_len: its length
 *      without the NUL. NULL / 0 on error.
 * In:  key: private key (P-256 / secp256k1 / Ed25519); body: exact request bytes.
 * ECDSA stamps are deterministic (RFC 6979) and key order is publicKey, scheme,
 * signature, so equal inputs give equal stamps.
 */
ZK_API ZK_WUR zk_status zk_stamp_create(char **out, size_t *out_len, const zk_key *key,
                                        zk_stamp_scheme scheme, const uint8_t *body,
                                        size_t body_len);

/*
 * Create an X-Stamp-Webauthn header value as a software authenticator would
 * (tests, tooling, headless clients). authenticatorData = SHA-256(rp_id) || flags ||
 * big-endian sign_count (37 bytes, no extensions); clientDataJSON =
 * {"type":"webauthn.get","challenge":...,"origin":...,"crossOrigin":false}.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_CURVE (key must be P-256 or Ed25519),
 *          ZK_ERR_NO_PRIVATE_KEY, ZK_ERR_TOO_LARGE, ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 * Out: *out (NUL-terminated JSON, malloc'd, zk_free), *out_len.
 */
ZK_API ZK_WUR zk_status zk_stamp_create_webauthn(char **out, size_t *out_len, const zk_key *key,
                                                 const uint8_t *credential_id, size_t cred_len,
                                                 const char *rp_id, const char *origin,
                                                 uint8_t flags, uint32_t sign_count,
                                                 const uint8_t *body, size_t body_len);

/*
 * Parse an X-Stamp header value WITHOUT verifying it. Checks the encoding, the
 * scheme name, and that publicKey / signature have the scheme's sizes (the
 * public key point itself is validated by zk_stamp_verify).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_TOO_LARGE, ZK_ERR_BASE64, ZK_ERR_JSON,
 *          ZK_ERR_DUPLICATE_KEY, ZK_ERR_MISSING_FIELD, ZK_ERR_UNKNOWN_FIELD, ZK_ERR_TYPE,
 *          ZK_ERR_STAMP_SCHEME, ZK_ERR_HEX, ZK_ERR_KEY (public key size/prefix),
 *          ZK_ERR_SIG_ENCODING (signature size), ZK_ERR_NOMEM.
 * Out: *out: new stamp (zk_stamp_free); NULL on error.
 */
ZK_API ZK_WUR zk_status zk_stamp_parse(zk_stamp **out, const char *header, size_t header_len);

/*
 * Parse an X-Stamp-Webauthn header value WITHOUT verifying it.
 * Returns: as zk_stamp_parse (ZK_ERR_BASE64 for the base64url members).
 */
ZK_API ZK_WUR zk_status zk_stamp_parse_webauthn(zk_stamp **out, const char *header,
                                                size_t header_len);

/*
 * Verify a parsed stamp over the exact body bytes, then the replay window.
 * Returns: ZK_OK;
 *   ZK_ERR_SIGNATURE / ZK_ERR_SIG_ENCODING / ZK_ERR_HIGH_S (signature),
 *   ZK_ERR_KEY (publicKey is not a valid point), ZK_ERR_EV_SIGNER (opts->key differs),
 *   ZK_ERR_CURVE (WebAuthn key of an unsupported curve),
 *   WebAuthn: ZK_ERR_WEBAUTHN_TYPE, ZK_ERR_WEBAUTHN_CHALLENGE, ZK_ERR_WEBAUTHN_ORIGIN,
 *     ZK_ERR_WEBAUTHN_RPID, ZK_ERR_WEBAUTHN_FLAGS, ZK_ERR_JSON / ZK_ERR_DUPLICATE_KEY /
 *     ZK_ERR_MISSING_FIELD / ZK_ERR_TYPE (clientDataJSON), ZK_ERR_PARSE (authenticatorData),
 *   replay window (unless ZK_STAMP_NO_TIMESTAMP): see zk_stamp_check_timestamp,
 *   ZK_ERR_ARG (NULL stamp/opts, or a WebAuthn stamp without opts->key / rp_id).
 * In: opts is required (see zk_stamp_verify_opts).
 */
ZK_API ZK_WUR zk_status zk_stamp_verify(const zk_stamp *stamp, const uint8_t *body, size_t body_len,
                                        const zk_stamp_verify_opts *opts);

/*
 * Replay-window check on its own: body must be a JSON object (duplicate keys
 * rejected, at most ZK_STAMP_MAX_BODY_JSON_LEN bytes) with a "timestampMs" string of
 * 1..19 decimal digits (no sign, no leading zero unless "0"), and
 * now - max_age <= timestampMs <= now + max_future (0 selects the default).
 * now_ms must be the verifier's clock: 0 is refused with ZK_ERR_ARG (it would
 * otherwise open the window back to the epoch).
 * Returns: ZK_OK, ZK_ERR_STAMP_TIMESTAMP (outside the window), ZK_ERR_TOO_LARGE,
 *          ZK_ERR_JSON, ZK_ERR_DUPLICATE_KEY, ZK_ERR_MISSING_FIELD, ZK_ERR_TYPE,
 *          ZK_ERR_VALUE (not a canonical decimal), ZK_ERR_ARG (now_ms == 0).
 * Out: *timestamp_ms (optional): the body timestamp; 0 on error.
 */
ZK_API ZK_WUR zk_status zk_stamp_check_timestamp(uint64_t *timestamp_ms, const uint8_t *body,
                                                 size_t body_len, uint64_t now_ms,
                                                 uint64_t max_age_ms, uint64_t max_future_ms);

/* Scheme of a parsed stamp (ZK_STAMP_SCHEME_NONE for NULL). */
ZK_API zk_stamp_scheme zk_stamp_get_scheme(const zk_stamp *stamp);
/* API-key stamps: the decoded publicKey bytes (borrowed); NULL for WebAuthn. */
ZK_API const uint8_t *zk_stamp_public_key(const zk_stamp *stamp, size_t *len);
/* Decoded signature bytes (DER, raw Ed25519, or the WebAuthn signature; borrowed). */
ZK_API const uint8_t *zk_stamp_signature(const zk_stamp *stamp, size_t *len);
/* WebAuthn: decoded credentialId (borrowed); NULL for API-key stamps. */
ZK_API const uint8_t *zk_stamp_credential_id(const zk_stamp *stamp, size_t *len);
/* WebAuthn: authenticatorData signCount (unverified until zk_stamp_verify succeeds). */
ZK_API uint32_t zk_stamp_sign_count(const zk_stamp *stamp);
/*
 * SHA-256 of the exact header bytes that were parsed: the "stamp digest" that
 * rulings refer to (docs/formats.md). Returns ZK_ERR_ARG for NULL arguments.
 */
ZK_API ZK_WUR zk_status zk_stamp_digest(const zk_stamp *stamp, uint8_t out[ZK_STAMP_DIGEST_LEN]);
/* Free a stamp. NULL is a no-op. */
ZK_API void zk_stamp_free(zk_stamp *stamp);

#ifdef __cplusplus
}
#endif
#endif
