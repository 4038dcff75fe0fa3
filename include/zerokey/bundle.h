/*
 * libzerokey: secure-channel bundles compatible with the published Turnkey
 * client formats (see docs/secure-channels.md).
 *
 * Every bundle uses one HPKE configuration ("turnkey_hpke"):
 *   RFC 9180 base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM,
 *   info = "turnkey_hpke", single shot (sequence number 0),
 *   AAD = enc (65 bytes, uncompressed) || receiver public key (65 bytes, uncompressed).
 *
 * Formats:
 *   signed envelope v1 (export bundles, import / OTP targets), JSON object
 *     {"version":"v1.0.0","data":hex(JSON),"dataSignature":hex(DER ECDSA-P256-SHA256 over
 *      the data bytes),"enclaveQuorumPublic":hex(65-byte signing key)}
 *   export data     {"encappedPublic":hex65,"ciphertext":hex,"organizationId":...}
 *   target data     {"targetPublic":hex65,"organizationId":...[,"userId":...]}
 *   encrypted bundle (client -> enclave) {"encappedPublic":hex65,"ciphertext":hex}
 *   credential bundle base58check(enc compressed (33) || ciphertext || tag)
 *   OAuth secret    hex(borsh QOS envelope) to the TLS fetcher's quorum key (not HPKE)
 *
 * Parsing is strict: bundle strings up to ZK_BUNDLE_MAX_LEN bytes, JSON objects
 * with exactly the known members (string values, no duplicates, nothing after
 * the object), lowercase hex, exact key lengths.
 *
 * Verification order of signed envelopes: version, pinned signer, signature
 * over the data bytes, then the data JSON, organization / user, and only then
 * HPKE. Nothing from an unverified envelope is returned.
 *
 * Failure statuses (outputs are zeroed / NULL, no plaintext is released):
 *   ZK_ERR_TRUNCATED            input ends early (JSON or base58check payload)
 *   ZK_ERR_BUNDLE_FORMAT        malformed JSON / member / hex / length
 *   ZK_ERR_BUNDLE_VERSION       version missing or not "v1.0.0"
 *   ZK_ERR_BUNDLE_SIGNER        enclaveQuorumPublic is not the pinned key
 *   ZK_ERR_BUNDLE_SIGNATURE     dataSignature malformed or not valid over data
 *   ZK_ERR_BUNDLE_ORGANIZATION  organizationId / userId differ from the expected ones
 *   ZK_ERR_BUNDLE_TARGET        target public key is not a valid P-256 point
 *   ZK_ERR_BASE58 / ZK_ERR_CHECKSUM  credential bundle encoding / checksum
 *   ZK_ERR_HPKE_ENC             encapsulated key is not a valid P-256 point
 *   ZK_ERR_HPKE_OPEN            wrong decryption key, or ciphertext / enc / AAD altered
 *   ZK_ERR_TOO_LARGE            input or plaintext above the limits
 */
#ifndef ZEROKEY_BUNDLE_H
#define ZEROKEY_BUNDLE_H

#include "common.h"
#include "key.h"
#include "qos.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_BUNDLE_VERSION_V1 "v1.0.0"
#define ZK_BUNDLE_HPKE_INFO "turnkey_hpke"
#define ZK_BUNDLE_MAX_LEN 65536       /* bundle string length limit (bytes) */
#define ZK_BUNDLE_MAX_PLAINTEXT 16384 /* plaintext limit (mnemonics, keys, JSON) */
#define ZK_BUNDLE_MAX_ID_LEN 256      /* organizationId / userId length limit */

/* ---------------------------------------------------------------- client side */

/*
 * Open a v1 export bundle (wallet mnemonic, private key) addressed to the
 * client's target key.
 * Returns: ZK_OK or a failure status listed above; ZK_ERR_ARG; ZK_ERR_CURVE;
 *          ZK_ERR_NO_PRIVATE_KEY; ZK_ERR_NOMEM.
 * Out: *pt: plaintext (malloc'd secret; release with zk_free_secret(*pt, *pt_len));
 *      NULL / 0 on error.
 * In:  bundle: the bundle JSON string (bundle_len bytes, no NUL needed);
 *      enclave_key: pinned enclave signing public key (P-256);
 *      organization_id: expected organizationId (NUL-terminated);
 *      target_key: the client's P-256 private key the bundle was encrypted to.
 */
ZK_API ZK_WUR zk_status zk_bundle_export_open(uint8_t **pt, size_t *pt_len, const char *bundle,
                                              size_t bundle_len, const zk_key *enclave_key,
                                              const char *organization_id,
                                              const zk_key *target_key);

/*
 * Verify an enclave-signed v1 target bundle (import or OTP target), then
 * encrypt pt to the target key. The result is the encrypted-bundle JSON
 * {"encappedPublic","ciphertext"} the enclave expects.
 * Returns: ZK_OK or a failure status listed above; ZK_ERR_ARG; ZK_ERR_RANDOM; ZK_ERR_NOMEM.
 * Out: *out: NUL-terminated JSON (malloc'd, zk_free), *out_len without the NUL.
 * In:  enclave_key: pinned enclave signing public key; organization_id: expected;
 *      user_id: expected userId, or NULL if the target must carry no userId;
 *      pt: the secret to import (mnemonic UTF-8 or raw private key bytes).
 */
ZK_API ZK_WUR zk_status zk_bundle_import_seal(char **out, size_t *out_len,
                                              const char *target_bundle, size_t target_bundle_len,
                                              const zk_key *enclave_key,
                                              const char *organization_id, const char *user_id,
                                              const uint8_t *pt, size_t pt_len);

/*
 * OTP verification: verify the TLS fetcher's signed OTP target bundle (v1
 * envelope, target data without userId), then encrypt the JSON
 * {"otp_code":<otp_code>,"public_key":<compressed hex of client_key>} to it.
 * Returns / Out: as zk_bundle_import_seal.
 * In:  otp_code: NUL-terminated printable ASCII (1..64 characters);
 *      client_key: the client's P-256 key bound to the OTP session (public part used).
 */
ZK_API ZK_WUR zk_status zk_bundle_otp_seal(char **out, size_t *out_len, const char *target_bundle,
                                           size_t target_bundle_len, const zk_key *fetcher_key,
                                           const char *organization_id, const char *otp_code,
                                           const zk_key *client_key);

/*
 * Open a credential / auth bundle (email, SMS, OAuth auth): base58check of
 * enc compressed || ciphertext, addressed to target_key.
 * Returns: ZK_OK or a failure status listed above; ZK_ERR_ARG; ZK_ERR_NOMEM.
 * Out: *pt: plaintext (usually a 32-byte P-256 API private key; zk_free_secret).
 */
ZK_API ZK_WUR zk_status zk_bundle_credential_open(uint8_t **pt, size_t *pt_len, const char *bundle,
                                                  size_t bundle_len, const zk_key *target_key);

/*
 * Encrypt pt to an enclave encryption key (a reusable target, e.g. the encrypt
 * half of a quorum key) as an encrypted bundle {"encappedPublic","ciphertext"}.
 * Returns / Out: as zk_bundle_import_seal (no envelope checks).
 */
ZK_API ZK_WUR zk_status zk_bundle_seal_to_key(char **out, size_t *out_len, const zk_key *target,
                                              const uint8_t *pt, size_t pt_len);

/*
 * Encrypt pt to target as a base58check credential bundle. Enclave side: auth
 * bundles to a client target key. Client side: secrets (e.g. on-ramp
 * credentials) to an enclave key published in compressed form.
 * Out: *out: NUL-terminated base58 string (zk_free), *out_len without the NUL.
 */
ZK_API ZK_WUR zk_status zk_bundle_credential_seal(char **out, size_t *out_len, const zk_key *target,
                                                  const uint8_t *pt, size_t pt_len);

/*
 * Legacy v0 check: verify an enclave DER signature over a 65-byte public key
 * (v0 export "encappedPublicSignature" / v0 import "targetPublicSignature").
 * v0 bundles bind no organization; prefer v1.
 * Returns: ZK_OK; ZK_ERR_BUNDLE_SIGNATURE; ZK_ERR_BUNDLE_TARGET (not a 65-byte
 *          uncompressed point); ZK_ERR_ARG.
 */
ZK_API ZK_WUR zk_status zk_bundle_v0_verify(const zk_key *enclave_key, const uint8_t *signed_pub,
                                            size_t signed_pub_len, const uint8_t *sig_der,
                                            size_t sig_der_len);

/*
 * OAuth client secrets (TLS fetcher): the QOS P-256 envelope (qos.h, not RFC
 * 9180) addressed to the encrypt half of the fetcher's 130-byte quorum public
 * key, borsh-encoded, as lowercase hex.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_QOS_KEY / ZK_ERR_KEY (fetcher_pub invalid);
 *          ZK_ERR_TOO_LARGE (secret above ZK_BUNDLE_MAX_PLAINTEXT); ZK_ERR_RANDOM; ZK_ERR_NOMEM.
 * Out: *out: NUL-terminated hex (zk_free), *out_len without the NUL.
 */
ZK_API ZK_WUR zk_status zk_bundle_oauth_secret_seal(char **out, size_t *out_len,
                                                    const uint8_t *fetcher_pub,
                                                    size_t fetcher_pub_len, const uint8_t *secret,
                                                    size_t secret_len);

/* ---------------------------------------------------------------- enclave side */

/*
 * Enclave side of zk_bundle_oauth_secret_seal: decode the hex and open the QOS
 * envelope with the fetcher's key set.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_BUNDLE_FORMAT (not lowercase hex);
 *          ZK_ERR_TOO_LARGE; otherwise the statuses of zk_qos_envelope_open
 *          (ZK_ERR_TRUNCATED, ZK_ERR_TRAILING, ZK_ERR_QOS_ENVELOPE, ZK_ERR_DECRYPT, ...).
 * Out: *pt (zk_free_secret), NULL on error.
 */
ZK_API ZK_WUR zk_status zk_bundle_oauth_secret_open(uint8_t **pt, size_t *pt_len,
                                                    const zk_qos_keyset *fetcher, const char *hex,
                                                    size_t hex_len);

/*
 * Produce a v1 export bundle: HPKE-seal pt to the client's target public key,
 * wrap {"encappedPublic","ciphertext","organizationId"} and sign it.
 * Returns: ZK_OK; ZK_ERR_ARG; ZK_ERR_CURVE; ZK_ERR_NO_PRIVATE_KEY (signing key);
 *          ZK_ERR_TOO_LARGE; ZK_ERR_VALUE (organization_id empty, too long or not
 *          printable ASCII); ZK_ERR_RANDOM; ZK_ERR_NOMEM; ZK_ERR_INTERNAL.
 * Out: *out: NUL-terminated bundle JSON (zk_free), *out_len without the NUL.
 * In:  signing_key: the enclave's P-256 private signing key (its public part
 *      becomes enclaveQuorumPublic); target: client target public key.
 */
ZK_API ZK_WUR zk_status zk_bundle_export_create(char **out, size_t *out_len,
                                                const zk_key *signing_key, const zk_key *target,
                                                const char *organization_id, const uint8_t *pt,
                                                size_t pt_len);

/*
 * Produce a v1 signed target bundle {"targetPublic","organizationId"[,"userId"]}
 * for import (user_id set) or OTP (user_id NULL).
 * Returns / Out: as zk_bundle_export_create.
 */
ZK_API ZK_WUR zk_status zk_bundle_target_create(char **out, size_t *out_len,
                                                const zk_key *signing_key, const zk_key *target,
                                                const char *organization_id, const char *user_id);

/*
 * Open an encrypted bundle {"encappedPublic","ciphertext"} with the enclave's
 * target private key.
 * Returns: ZK_OK, ZK_ERR_TRUNCATED, ZK_ERR_BUNDLE_FORMAT, ZK_ERR_HPKE_ENC,
 *          ZK_ERR_HPKE_OPEN, ZK_ERR_TOO_LARGE, ZK_ERR_ARG, ZK_ERR_NOMEM.
 * Out: *pt (zk_free_secret), NULL on error.
 */
ZK_API ZK_WUR zk_status zk_bundle_encrypted_open(uint8_t **pt, size_t *pt_len, const char *bundle,
                                                 size_t bundle_len, const zk_key *target_key);

#ifdef __cplusplus
}
#endif
#endif
