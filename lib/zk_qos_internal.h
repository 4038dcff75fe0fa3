/* Internal hooks of the QOS modules (hidden; used by tests, fuzzers and other QOS files). */
#ifndef ZK_QOS_INTERNAL_H
#define ZK_QOS_INTERNAL_H

#include <jansson.h>

#include "zerokey/key.h"
#include "zerokey/qos.h"
#include "zerokey/qos_manifest.h"

/* The 32-byte AES-256 key of the key set (path qos_aes_gcm_encrypt). */
const uint8_t *zki_qos_keyset_aes_key(const zk_qos_keyset *ks);

/* Envelope seal with a caller-chosen ephemeral key and nonce (reproducible tests). */
zk_status zki_qos_envelope_seal_with(uint8_t **out, size_t *out_len, const zk_qos_pubkey *recv,
                                     const zk_key *eph, const uint8_t nonce[12], const uint8_t *pt,
                                     size_t pt_len);

/*
 * Split an envelope into its borsh fields (pointers into env).
 * Returns: ZK_OK, ZK_ERR_TRUNCATED, ZK_ERR_TRAILING, ZK_ERR_TOO_LARGE, ZK_ERR_QOS_ENVELOPE.
 */
zk_status zki_qos_envelope_split(const uint8_t **nonce, const uint8_t **eph_pub, const uint8_t **ct,
                                 size_t *ct_len, const uint8_t *env, size_t env_len);

/* Approval i of an envelope's manifest-set or share-set list (NULL when out of range). */
const zk_qos_approval *zki_qos_envelope_approval(const zk_qos_envelope *env, zk_qos_set_kind set,
                                                 size_t i);

/* QOS canonical JSON of a jansson value (see zk_qos_canonical_json). */
zk_status zki_qos_canonical_json_value(char **out, size_t *out_len, json_t *v);

/*
 * Turn a V1 manifest without bridges and with debugMode false into its V0 form
 * (the hash is recomputed). Returns ZK_OK, ZK_ERR_ARG, ZK_ERR_QOS_MANIFEST_VERSION.
 */
zk_status zki_qos_manifest_as_v0(zk_qos_manifest *m);

/*
 * A boot object trusting eph without any attestation (fuzzing and unit tests of
 * the app-proof path only; never for trust decisions). Returns ZK_OK, ZK_ERR_ARG, ZK_ERR_NOMEM.
 */
typedef struct zk_qos_boot zk_qos_boot;
zk_status zki_qos_boot_from_key(zk_qos_boot **out, const uint8_t *eph, size_t eph_len);

/*
 * One approval against one set of m: member (alias + key; key only for the
 * patch set) and signature over the manifest hash. *member_index receives the
 * member's index. Returns ZK_OK, ZK_ERR_ARG, ZK_ERR_QOS_APPROVER_UNKNOWN, ZK_ERR_QOS_APPROVAL.
 */
zk_status zki_qos_approval_check_one(const zk_qos_manifest *m, zk_qos_set_kind set,
                                     const zk_qos_approval *a, size_t *member_index);

/* 1 if set of a and set of b have the same threshold and members in the same order. */
int zki_qos_manifest_same_set(const zk_qos_manifest *a, const zk_qos_manifest *b,
                              zk_qos_set_kind set);

#endif
