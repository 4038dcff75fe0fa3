/*
 * libzerokey: common rules of the signed evidence this library defines
 * (rulings, notarizations, fetch proofs, signature results). docs/formats.md
 * specifies every byte; this header holds what all kinds share.
 *
 * Envelope: a tagged COSE_Sign1 (RFC 9052) in one canonical encoding:
 *   d2 84 | bstr(protected) | a0 | bstr(payload) | bstr(signature)
 * protected = deterministic CBOR {1: alg, 4: kid}; no unprotected header;
 * external_aad is empty. alg follows the signer's curve: ES256 (P-256),
 * ES256K (secp256k1), EdDSA (Ed25519). ECDSA signatures are raw r || s with a
 * low S (s <= n/2), so one signed statement has exactly one valid encoding and
 * its digest can serve as a replay identifier.
 * kid = SHA-256 of the signer public key: SEC1 compressed (33 bytes) for
 * P-256 / secp256k1, the raw 32-byte key for Ed25519.
 * payload = deterministic CBOR (RFC 8949 section 4.2.1) map with text keys,
 * always carrying "type" (text) and "v" (unsigned, currently 1); unknown keys
 * are refused.
 * Evidence digest = SHA-256 over the exact COSE bytes. Evidence that refers to
 * other evidence names this digest, never a re-serialisation.
 */
#ifndef ZEROKEY_EVIDENCE_H
#define ZEROKEY_EVIDENCE_H

#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_EVIDENCE_DIGEST_LEN 32
#define ZK_EVIDENCE_KID_LEN 32
#define ZK_EVIDENCE_VERSION 1
#define ZK_EVIDENCE_MAX_LEN 65536u /* whole COSE message */
#define ZK_EVIDENCE_MAX_TEXT 2048u /* any text field (URLs included) */
#define ZK_EVIDENCE_MAX_ID 256u    /* identifiers: organization, activity, log, policy ids */

/*
 * kid of a key: SHA-256(SEC1 compressed point) for P-256 / secp256k1,
 * SHA-256(32-byte key) for Ed25519.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_UNSUPPORTED (other curves), ZK_ERR_INTERNAL.
 * Out: out: 32 bytes (zeroed on error).
 */
ZK_API ZK_WUR zk_status zk_evidence_kid(uint8_t out[ZK_EVIDENCE_KID_LEN], const zk_key *key);

/*
 * SHA-256 of evidence bytes exactly as held (the digest that links evidence).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_INTERNAL.
 */
ZK_API ZK_WUR zk_status zk_evidence_digest(uint8_t out[ZK_EVIDENCE_DIGEST_LEN],
                                           const uint8_t *evidence, size_t len);

#ifdef __cplusplus
}
#endif
#endif
