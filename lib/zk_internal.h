/*
 * Internal helpers shared by the library's translation units. Nothing here is
 * exported from the shared object (hidden visibility); tests and fuzzers link
 * the static archive and may use these directly.
 */
#ifndef ZK_INTERNAL_H
#define ZK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zerokey/common.h"

#define ZKI_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Return st from the enclosing function if it is not ZK_OK. */
#define ZKI_TRY(expr)                             \
  do {                                            \
    zk_status zki_try_st_ = (expr);               \
    if (zki_try_st_ != ZK_OK) return zki_try_st_; \
  } while (0)

/* Lowercase hex. out must hold 2*len+1 bytes (NUL-terminated). */
void zki_hex_encode(char *out, const uint8_t *in, size_t len);
/*
 * Strict hex decode (upper or lower case, even length, no prefix, no spaces).
 * Writes exactly hex_len/2 bytes; out_cap must be large enough.
 * Returns ZK_OK, ZK_ERR_HEX, ZK_ERR_BUFFER_TOO_SMALL.
 */
zk_status zki_hex_decode(uint8_t *out, size_t out_cap, size_t *out_len, const char *hex,
                         size_t hex_len);
/* Same, allocating (malloc) the output. *out is NULL on error. */
zk_status zki_hex_decode_alloc(uint8_t **out, size_t *out_len, const char *hex, size_t hex_len);

/* base64url without padding (RFC 4648 section 5). out needs zki_b64url_len(len)+1 bytes. */
size_t zki_b64url_len(size_t len);
void zki_b64url_encode(char *out, const uint8_t *in, size_t len);
/* Strict decode: base64url alphabet, no padding, non-canonical trailing bits rejected. */
zk_status zki_b64url_decode_alloc(uint8_t **out, size_t *out_len, const char *in, size_t in_len);
/* Standard base64 with padding (RFC 4648 section 4), strict. */
zk_status zki_b64_decode_alloc(uint8_t **out, size_t *out_len, const char *in, size_t in_len);
size_t zki_b64_len(size_t len);
void zki_b64_encode(char *out, const uint8_t *in, size_t len);

/* malloc'd copy of len bytes (len may be 0: returns a 1-byte allocation). NULL on failure. */
uint8_t *zki_memdup(const uint8_t *p, size_t len);

/* Current UNIX time in milliseconds (CLOCK_REALTIME). */
uint64_t zki_now_ms(void);

#endif
