/*
 * libzerokey: signature results, the signer enclave's signed statement "key K
 * produced signature S over payload digest P under ruling X".
 *
 * Wire format (docs/formats.md, "Signature result"): evidence envelope
 * (evidence.h) with payload type "zk.sigresult", v 1:
 *   pub      public key that made the inner signature: SEC1 compressed (33 bytes)
 *            for ECDSA, x-only (32) for BIP-340, raw (32) for Ed25519
 *   curve    "P256" | "SECP256K1" | "ED25519"
 *   scheme   "ECDSA_DER" | "ECDSA_RAW" | "ECDSA_RECOVERABLE" | "BIP340" | "ED25519"
 *   payload  payload digest (32 bytes): the digest ECDSA signed; the 32-byte
 *            message BIP-340 signed; SHA-256 of the message Ed25519 signed
 *   sig      the inner signature in the scheme's encoding
 *   ruling   digest of the ruling that authorized the signature
 *   time     milliseconds since the UNIX epoch
 * Valid pairs: P256 with ECDSA_DER / ECDSA_RAW; SECP256K1 with ECDSA_DER /
 * ECDSA_RAW / ECDSA_RECOVERABLE (r || s || v, v in 0..3) / BIP340; ED25519 with ED25519.
 * ECDSA signatures on secp256k1 must be low-S (as Bitcoin and Ethereum require).
 */
#ifndef ZEROKEY_SIG_RESULT_H
#define ZEROKEY_SIG_RESULT_H

#include "common.h"
#include "evidence.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_SIG_RESULT_TYPE "zk.sigresult"

typedef enum zk_sig_scheme {
  ZK_SCHEME_ECDSA_DER = 1,
  ZK_SCHEME_ECDSA_RAW = 2,
  ZK_SCHEME_ECDSA_RECOVERABLE = 3,
  ZK_SCHEME_BIP340 = 4,
  ZK_SCHEME_ED25519 = 5
} zk_sig_scheme;

typedef struct zk_sig_result_info {
  zk_curve curve;
  zk_sig_scheme scheme;
  const uint8_t *public_key; /* pub_len bytes (see above) */
  size_t public_key_len;
  uint8_t payload_digest[ZK_EVIDENCE_DIGEST_LEN];
  const uint8_t *signature;
  size_t signature_len;
  uint8_t ruling_digest[ZK_EVIDENCE_DIGEST_LEN];
  uint64_t time_ms;
} zk_sig_result_info;

typedef struct zk_sig_result_expect {
  const uint8_t *ruling_digest; /* required: the ruling the caller verified */
  const uint8_t *public_key;    /* optional: expected key (same encoding as "pub") */
  size_t public_key_len;
  const uint8_t *payload_digest; /* optional: expected payload digest */
  const uint8_t *message;        /* Ed25519 only, required ("" when empty): the signed message */
  size_t message_len;
} zk_sig_result_expect;

typedef struct zk_sig_result zk_sig_result;

/*
 * Sign a result with the signer enclave key. The inner signature is verified
 * first (message required for Ed25519), so an invalid inner signature is never
 * vouched for.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_VALUE (curve/scheme pair, key or signature
 *          size), ZK_ERR_KEY, ZK_ERR_RESULT_KEY (Ed25519 message does not hash to
 *          the payload digest), ZK_ERR_RESULT_SIGNATURE, ZK_ERR_UNSUPPORTED,
 *          ZK_ERR_NO_PRIVATE_KEY, ZK_ERR_NOMEM.
 */
ZK_API ZK_WUR zk_status zk_sig_result_create(zk_sig_result **out, const zk_key *enclave_key,
                                             const zk_sig_result_info *info, const uint8_t *message,
                                             size_t message_len);
/* Parse WITHOUT verifying (statuses as zk_ruling_parse). */
ZK_API ZK_WUR zk_status zk_sig_result_parse(zk_sig_result **out, const uint8_t *buf, size_t len);
/*
 * Verify: signed by enclave_key; ruling digest equal (ZK_ERR_RESULT_RULING);
 * expected key / payload when given (ZK_ERR_RESULT_KEY); the inner signature
 * verifies against pub and the payload digest (ZK_ERR_RESULT_SIGNATURE; for
 * Ed25519 the message must hash to the payload digest: ZK_ERR_RESULT_KEY).
 * Returns also: ZK_ERR_ARG, ZK_ERR_EV_SIGNER, ZK_ERR_COSE_ALG, ZK_ERR_HIGH_S,
 *               ZK_ERR_SIGNATURE, ZK_ERR_KEY (pub is not a valid point).
 */
ZK_API ZK_WUR zk_status zk_sig_result_verify(const zk_sig_result *res, const zk_key *enclave_key,
                                             const zk_sig_result_expect *expect);
ZK_API ZK_WUR zk_status zk_sig_result_serialize(const zk_sig_result *res, uint8_t **out,
                                                size_t *out_len);
ZK_API const zk_sig_result_info *zk_sig_result_get_info(const zk_sig_result *res);
ZK_API ZK_WUR zk_status zk_sig_result_digest(const zk_sig_result *res,
                                             uint8_t out[ZK_EVIDENCE_DIGEST_LEN]);
ZK_API void zk_sig_result_free(zk_sig_result *res);

#ifdef __cplusplus
}
#endif
#endif
