/* Internal hooks of lib/bundle.c (hidden; used by tests and fuzzers). */
#ifndef ZK_BUNDLE_INTERNAL_H
#define ZK_BUNDLE_INTERNAL_H

#include "zerokey/bundle.h"

/*
 * Wrap arbitrary data bytes in a signed v1 envelope (version, hex data, DER
 * signature by signing_key, enclaveQuorumPublic). Tests use it to build
 * correctly signed bundles with malformed contents.
 * Out: *out NUL-terminated JSON (zk_free).
 */
zk_status zki_bundle_sign_envelope(char **out, size_t *out_len, const zk_key *signing_key,
                                   const uint8_t *data, size_t data_len);

/*
 * Turnkey HPKE seal with a fixed ephemeral key (sk_e may be NULL for a fresh one).
 * Out: enc (65 bytes), *ct (malloc'd, zk_free) of pt_len + 16 bytes.
 */
zk_status zki_bundle_hpke_seal(uint8_t enc[65], uint8_t **ct, size_t *ct_len, const zk_key *target,
                               const zk_key *sk_e, const uint8_t *pt, size_t pt_len);

#endif
