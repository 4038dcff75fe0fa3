/* Internal hooks of lib/hpke.c (hidden; used by tests, lib/bundle.c and fuzzers). */
#ifndef ZK_HPKE_INTERNAL_H
#define ZK_HPKE_INTERNAL_H

#include "zerokey/hpke.h"

/*
 * zk_hpke_setup_sender with a caller-chosen ephemeral private key sk_e
 * (deterministic test vectors; the enclave-side bundle producers never use it).
 */
zk_status zki_hpke_setup_sender_eph(zk_hpke_ctx **out, uint8_t *enc, size_t enc_len,
                                    const zk_hpke_params *params, const zk_key *pk_r,
                                    const zk_key *sk_e);

/* Test hook: overwrite the sequence number of a context (overflow tests). */
void zki_hpke_ctx_set_seq(zk_hpke_ctx *ctx, uint64_t seq);

/*
 * Test hook: copy the key schedule outputs. key_len receives Nk (0 for
 * export-only); key needs 32 bytes, nonce 12, exporter_secret 32.
 */
void zki_hpke_ctx_schedule(const zk_hpke_ctx *ctx, uint8_t key[32], size_t *key_len,
                           uint8_t nonce[12], uint8_t exporter_secret[32]);

/*
 * key_schedule_context = mode || psk_id_hash || info_hash (65 bytes) for the
 * given parameters (checks them like setup does).
 */
zk_status zki_hpke_key_schedule_context(uint8_t out[65], const zk_hpke_params *params);

#endif
