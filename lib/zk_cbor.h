/*
 * Internal strict CBOR layer on top of libcbor.
 *
 * Decoding: zki_cbor_decode first walks the input with libcbor's streaming
 * decoder to enforce the limits below (size, depth, item count, string size,
 * definite/indefinite, allowed tags, canonical heads), then builds the item
 * tree with cbor_load and rejects duplicate map keys (compared by value).
 * Encoding: zki_cbor_encode produces deterministic CBOR (RFC 8949 4.2.1):
 * shortest-form heads, definite lengths, map keys sorted by their encoded bytes.
 */
#ifndef ZK_CBOR_H
#define ZK_CBOR_H

#include <cbor.h>

#include "zk_internal.h"

typedef struct zki_cbor_limits {
  size_t max_len;               /* total input bytes (0 = 1 MiB) */
  unsigned max_depth;           /* nesting of arrays/maps/tags (0 = 16) */
  size_t max_items;             /* total data items (0 = 65536) */
  size_t max_string;            /* bytes in one string (0 = max_len) */
  bool allow_indefinite;        /* indefinite-length arrays/maps/strings allowed */
  bool require_canonical;       /* heads must be shortest-form, keys sorted (deterministic CBOR) */
  const uint64_t *allowed_tags; /* tags allowed anywhere in the item (NULL = none) */
  size_t n_allowed_tags;
} zki_cbor_limits;

/*
 * Decode exactly one item from buf[0..len). lim may be NULL (all defaults:
 * 1 MiB, depth 16, 65536 items, no indefinite lengths, no tags, heads of any
 * width). max_depth is capped at 64. Text strings must be valid UTF-8; the
 * only simple values accepted are false, true, null and undefined; floats of
 * any width are accepted (shortest exact width required when canonical).
 * Duplicate map keys are compared by value (by their deterministic encoding).
 * On error *out is NULL and, when err_off is not NULL, *err_off is the byte
 * offset of the offending item head (the first trailing byte for
 * ZK_ERR_TRAILING, len for ZK_ERR_TRUNCATED, max_len when the input is too long).
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_TRUNCATED, ZK_ERR_TRAILING, ZK_ERR_TOO_LARGE,
 *          ZK_ERR_DEPTH, ZK_ERR_DUPLICATE_KEY, ZK_ERR_UNKNOWN_TAG, ZK_ERR_INDEFINITE,
 *          ZK_ERR_NONCANONICAL, ZK_ERR_PARSE (not well-formed, bad UTF-8),
 *          ZK_ERR_UNSUPPORTED (unassigned simple value), ZK_ERR_NOMEM.
 * Out: *out: new reference, release with cbor_decref.
 */
zk_status zki_cbor_decode(cbor_item_t **out, const uint8_t *buf, size_t len,
                          const zki_cbor_limits *lim, size_t *err_off);

/*
 * Length of the first item at buf (trailing bytes allowed), checked with the
 * same rules as zki_cbor_decode except the by-value duplicate-key check (no
 * tree is built; with require_canonical, equal encoded keys are still
 * ZK_ERR_DUPLICATE_KEY). Used to locate sub-items for error offsets.
 * Returns: as zki_cbor_decode minus ZK_ERR_TRAILING.
 * Out: *item_len (0 on error).
 */
zk_status zki_cbor_item_len(size_t *item_len, const uint8_t *buf, size_t len,
                            const zki_cbor_limits *lim, size_t *err_off);

/*
 * Deterministic encoding (RFC 8949 4.2.1): shortest heads, definite lengths
 * (indefinite strings are joined, indefinite containers written definite),
 * floats in their shortest exact width (NaN as f9 7e00), map entries sorted
 * by their encoded keys. Nesting is capped at 64.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_DUPLICATE_KEY (two keys encode equally),
 *          ZK_ERR_DEPTH, ZK_ERR_UNSUPPORTED (unassigned simple value), ZK_ERR_NOMEM.
 * Out: *out is malloc'd (free with free()), NULL on error.
 */
zk_status zki_cbor_encode(uint8_t **out, size_t *out_len, const cbor_item_t *item);

/* Borrowed lookups in a map (definite or indefinite); NULL when absent or not a map. */
cbor_item_t *zki_cbor_map_get_str(const cbor_item_t *map, const char *key);
cbor_item_t *zki_cbor_map_get_int(const cbor_item_t *map, int64_t key);

/*
 * Typed accessors. Strings must be definite-length (else ZK_ERR_INDEFINITE);
 * the returned pointers are borrowed from the item and text is NOT
 * NUL-terminated (use the length). Wrong type: ZK_ERR_TYPE; an integer that
 * does not fit int64_t: ZK_ERR_VALUE. Outputs are zeroed on error.
 */
zk_status zki_cbor_get_uint(const cbor_item_t *it, uint64_t *out);
zk_status zki_cbor_get_int(const cbor_item_t *it, int64_t *out);
zk_status zki_cbor_get_bytes(const cbor_item_t *it, const uint8_t **p, size_t *len);
zk_status zki_cbor_get_text(const cbor_item_t *it, const char **p, size_t *len);
bool zki_cbor_is_null(const cbor_item_t *it);

/* Builders returning new references (NULL on allocation failure). */
cbor_item_t *zki_cbor_new_int(int64_t v);
cbor_item_t *zki_cbor_new_bytes(const uint8_t *p, size_t len);
cbor_item_t *zki_cbor_new_text(const char *s);
/*
 * Add key -> value to a map, taking ownership of both references (decref on
 * failure too). A NULL key or value (failed builder) gives ZK_ERR_NOMEM; a
 * full definite map or a non-map gives ZK_ERR_ARG. Duplicates are not checked
 * here; zki_cbor_encode refuses them.
 */
zk_status zki_cbor_map_put(cbor_item_t *map, cbor_item_t *key, cbor_item_t *value);
zk_status zki_cbor_map_put_str(cbor_item_t *map, const char *key, cbor_item_t *value);
zk_status zki_cbor_map_put_int(cbor_item_t *map, int64_t key, cbor_item_t *value);

#endif
