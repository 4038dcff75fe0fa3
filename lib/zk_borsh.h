/*
 * Internal, bounded and strict borsh reader/writer (hidden; used by the QOS modules).
 *
 * Reader rules: little-endian integers; Vec/String lengths are u32 and are
 * checked against the remaining input before anything is allocated; bool and
 * Option tags must be 0 or 1; String must be valid UTF-8 (no overlongs, no
 * surrogates); zki_borsh_r_finish refuses trailing bytes.
 * Errors are sticky: after the first failure every call returns it again.
 */
#ifndef ZK_BORSH_H
#define ZK_BORSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zerokey/common.h"

typedef struct zki_borsh_r {
  const uint8_t *p;
  size_t len;
  size_t off;
  zk_status err;
} zki_borsh_r;

void zki_borsh_r_init(zki_borsh_r *r, const uint8_t *p, size_t len);
zk_status zki_borsh_u8(zki_borsh_r *r, uint8_t *v);
zk_status zki_borsh_u16(zki_borsh_r *r, uint16_t *v);
zk_status zki_borsh_u32(zki_borsh_r *r, uint32_t *v);
zk_status zki_borsh_u64(zki_borsh_r *r, uint64_t *v);
zk_status zki_borsh_bool(zki_borsh_r *r, bool *v);
/* Option tag: *present = 0/1. */
zk_status zki_borsh_option(zki_borsh_r *r, bool *present);
/* Fixed-size array [u8; n] (no length prefix): *p points into the input. */
zk_status zki_borsh_fixed(zki_borsh_r *r, const uint8_t **p, size_t n);
/* Vec<u8>: u32 length (<= max) then bytes; *p points into the input. */
zk_status zki_borsh_bytes(zki_borsh_r *r, const uint8_t **p, size_t *n, size_t max);
/* String: as bytes, plus UTF-8 validation; returns a malloc'd NUL-terminated copy. */
zk_status zki_borsh_string(zki_borsh_r *r, char **s, size_t max);
/* Vec<T> element count: u32 <= max and <= remaining / min_elem_size. */
zk_status zki_borsh_count(zki_borsh_r *r, uint32_t *n, uint32_t max, size_t min_elem_size);
/* ZK_OK when the whole input was consumed, ZK_ERR_TRAILING otherwise (or the sticky error). */
zk_status zki_borsh_r_finish(zki_borsh_r *r);

/* 1 if s[0..n) is valid UTF-8 without NUL bytes. */
int zki_utf8_valid(const uint8_t *s, size_t n);

typedef struct zki_borsh_w {
  uint8_t *buf;
  size_t len;
  size_t cap;
  zk_status err;
} zki_borsh_w;

void zki_borsh_w_init(zki_borsh_w *w);
void zki_borsh_w_u8(zki_borsh_w *w, uint8_t v);
void zki_borsh_w_u16(zki_borsh_w *w, uint16_t v);
void zki_borsh_w_u32(zki_borsh_w *w, uint32_t v);
void zki_borsh_w_u64(zki_borsh_w *w, uint64_t v);
void zki_borsh_w_bool(zki_borsh_w *w, bool v);
void zki_borsh_w_fixed(zki_borsh_w *w, const uint8_t *p, size_t n);
/* u32 length prefix (ZK_ERR_TOO_LARGE above UINT32_MAX) then bytes. */
void zki_borsh_w_bytes(zki_borsh_w *w, const uint8_t *p, size_t n);
void zki_borsh_w_string(zki_borsh_w *w, const char *s);
/* Hand the buffer over (*out malloc'd) or return the sticky error (buffer freed). */
zk_status zki_borsh_w_take(zki_borsh_w *w, uint8_t **out, size_t *out_len);
/* Wipe and free the buffer (for writers that held secrets or on error paths). */
void zki_borsh_w_discard(zki_borsh_w *w);

#endif
