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
  size_t max_len;          /* total input bytes (0 = 1 MiB) */
  unsigned max_depth;      /* nesting of arrays/maps/tags (0 = 16) */
  size_t max_items;        /* total data items (0 = 65536) */
  size_t max_string;       /* bytes in one string (0 = max_len) */
  bool allow_indefinite;   /* indefinite-length arrays/maps/strings allowed */
  bool require_canonical;  /* heads must be shortest-form, keys sorted (deterministic CBOR) */
  const uint64_t *allowed_tags; /* tags allowed anywhere in the item (NULL = none) */
  size_t n_allowed_tags;
} zki_cbor_limits;

/*
 * Decode exactly one item from buf[0..len). On error *out is NULL and, when
 * err_off is not NULL, *err_off is the byte offset where decoding failed.
 * Returns: ZK_OK, ZK_ERR_TRUNCATED, ZK_ERR_TRAILING, ZK_ERR_TOO_LARGE, ZK_ERR_DEPTH,
 *          ZK_ERR_DUPLICATE_KEY, ZK_ERR_UNKNOWN_TAG, ZK_ERR_INDEFINITE,
 *          ZK_ERR_NONCANONICAL, ZK_ERR_PARSE, ZK_ERR_NOMEM.
 */
zk_status zki_cbor_decode(cbor_item_t **out, const uint8_t *buf, size_t len,
                          const zki_cbor_limits *lim, size_t *err_off);

/* Deterministic encoding; *out is malloc'd (free with free()). */
zk_status zki_cbor_encode(uint8_t **out, size_t *out_len, const cbor_item_t *item);

/* Borrowed lookups in a map (definite or indefinite); NULL when absent or not a map. */
cbor_item_t *zki_cbor_map_get_str(const cbor_item_t *map, const char *key);
cbor_item_t *zki_cbor_map_get_int(const cbor_item_t *map, int64_t key);

/* Typed accessors. Strings must be definite-length (else ZK_ERR_INDEFINITE). */
zk_status zki_cbor_get_uint(const cbor_item_t *it, uint64_t *out);
zk_status zki_cbor_get_int(const cbor_item_t *it, int64_t *out);
zk_status zki_cbor_get_bytes(const cbor_item_t *it, const uint8_t **p, size_t *len);
zk_status zki_cbor_get_text(const cbor_item_t *it, const char **p, size_t *len);
bool zki_cbor_is_null(const cbor_item_t *it);

/* Builders returning new references (NULL on allocation failure). */
cbor_item_t *zki_cbor_new_int(int64_t v);
cbor_item_t *zki_cbor_new_bytes(const uint8_t *p, size_t len);
cbor_item_t *zki_cbor_new_text(const char *s);
/* Add key -> value to a map, taking ownership of both references (decref on failure). */
zk_status zki_cbor_map_put(cbor_item_t *map, cbor_item_t *key, cbor_item_t *value);
zk_status zki_cbor_map_put_str(cbor_item_t *map, const char *key, cbor_item_t *value);
zk_status zki_cbor_map_put_int(cbor_item_t *map, int64_t key, cbor_item_t *value);

#endif
