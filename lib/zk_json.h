/* Internal strict JSON loading on jansson (hidden). */
#ifndef ZK_JSON_H
#define ZK_JSON_H

#include <jansson.h>

#include "zk_internal.h"

/*
 * Parse buf[0..len) as one JSON text with jansson decoding flags
 * JSON_REJECT_DUPLICATES | flags (e.g. JSON_DECODE_ANY to allow any top-level
 * value): NUL in strings refused (jansson default), no trailing data.
 * Returns: ZK_OK, ZK_ERR_TOO_LARGE (len > max_len), ZK_ERR_DUPLICATE_KEY,
 *          ZK_ERR_JSON (syntax, or any other jansson failure).
 * Out: *out: new reference (json_decref), NULL on error.
 * In: buf may be NULL when len == 0 (then it is the empty text: ZK_ERR_JSON).
 */
zk_status zki_json_load(json_t **out, const uint8_t *buf, size_t len, size_t max_len, size_t flags);

/*
 * Parse buf[0..len) as exactly one JSON object: duplicate keys refused, NUL
 * in strings refused (jansson default), no trailing data.
 * Returns: ZK_OK, ZK_ERR_TOO_LARGE (len > max_len), ZK_ERR_DUPLICATE_KEY,
 *          ZK_ERR_JSON (syntax), ZK_ERR_TYPE (valid JSON but not an object).
 * Out: *out: new reference (json_decref), NULL on error.
 */
zk_status zki_json_load_object(json_t **out, const uint8_t *buf, size_t len, size_t max_len);

#endif
