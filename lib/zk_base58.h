/* Internal: Bitcoin base58 and base58check (hidden; used by lib/bundle.c, tests, fuzzers). */
#ifndef ZK_BASE58_H
#define ZK_BASE58_H

#include <stddef.h>
#include <stdint.h>

#include "zerokey/common.h"

#define ZKI_BASE58_MAX_DECODED 2048 /* decode refuses longer payloads (quadratic cost bound) */
#define ZKI_BASE58_MAX_ENCODED 2800 /* > ceil(2052 * log(256) / log(58)) */

/*
 * Encode in (len <= ZKI_BASE58_MAX_DECODED) as a NUL-terminated base58 string.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_TOO_LARGE, ZK_ERR_NOMEM.
 * Out: *out (malloc'd, free with zk_free), *out_len (characters, without the NUL).
 */
zk_status zki_base58_encode(char **out, size_t *out_len, const uint8_t *in, size_t len);

/*
 * Strict decode: Bitcoin alphabet only (no whitespace), leading '1' = 0x00 byte.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_BASE58 (bad character or empty input),
 *          ZK_ERR_TOO_LARGE (input above ZKI_BASE58_MAX_ENCODED characters or output
 *          above ZKI_BASE58_MAX_DECODED bytes), ZK_ERR_NOMEM.
 * Out: *out (malloc'd, free with zk_free_secret), *out_len.
 */
zk_status zki_base58_decode(uint8_t **out, size_t *out_len, const char *in, size_t len);

/* base58(payload || SHA-256(SHA-256(payload))[0..4]). Returns as zki_base58_encode. */
zk_status zki_base58check_encode(char **out, size_t *out_len, const uint8_t *payload, size_t len);

/*
 * Decode and verify the 4-byte double-SHA-256 checksum (constant-time compare).
 * Returns: as zki_base58_decode, plus ZK_ERR_TRUNCATED (fewer than 4 bytes) and
 *          ZK_ERR_CHECKSUM. Out: *out = payload without checksum (zk_free_secret).
 */
zk_status zki_base58check_decode(uint8_t **out, size_t *out_len, const char *in, size_t len);

#endif
