/*
 * libFuzzer harness: strict CBOR decoder and deterministic encoder (lib/cbor.c).
 * Input: arbitrary bytes, decoded under three profiles (strict defaults,
 * permissive with indefinite lengths and tags, canonical).
 * Invariants:
 *  - on error the output item is NULL and the offset lies within the input;
 *  - a decoded item re-encodes, the encoding is accepted by the canonical
 *    profile and re-encodes to the same bytes (fixed point);
 *  - an input accepted by the canonical profile IS its deterministic encoding;
 *  - zki_cbor_item_len agrees with a successful decode.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zk_cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint64_t tags[] = {0, 1, 2, 3, 18, 24, 32, 55799};

/* The canonical re-decode uses default size limits: a deterministic encoding
 * can be a little longer than its input (an indefinite array becoming definite). */
static void check(const uint8_t *data, size_t size, const zki_cbor_limits *lim, bool canonical_in) {
  cbor_item_t *it = (cbor_item_t *)&it; /* must be overwritten */
  size_t off = SIZE_MAX;
  zk_status st = zki_cbor_decode(&it, data, size, lim, &off);
  if (st != ZK_OK) {
    if (it != NULL || off > size) abort();
    return;
  }
  if (it == NULL) abort();
  size_t il = 0;
  if (zki_cbor_item_len(&il, data, size, lim, NULL) != ZK_OK || il != size) abort();

  uint8_t *e = NULL, *e2 = NULL;
  size_t el = 0, el2 = 0;
  st = zki_cbor_encode(&e, &el, it);
  cbor_decref(&it);
  if (st == ZK_ERR_NOMEM) return;
  if (st != ZK_OK) abort();
  if (canonical_in && (el != size || memcmp(e, data, size) != 0)) abort();

  const zki_cbor_limits canon = {
      .max_depth = 64,
      .max_items = 1u << 20,
      .require_canonical = true,
      .allowed_tags = tags,
      .n_allowed_tags = sizeof tags / sizeof tags[0],
  };
  cbor_item_t *back = NULL;
  st = zki_cbor_decode(&back, e, el, &canon, NULL);
  if (st == ZK_ERR_NOMEM) {
    free(e);
    return;
  }
  if (st != ZK_OK) abort();
  st = zki_cbor_encode(&e2, &el2, back);
  cbor_decref(&back);
  if (st == ZK_OK && (el2 != el || memcmp(e, e2, el) != 0)) abort();
  if (st != ZK_OK && st != ZK_ERR_NOMEM) abort();
  free(e);
  free(e2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const zki_cbor_limits strict = {0};
  const zki_cbor_limits permissive = {
      .max_depth = 64,
      .allow_indefinite = true,
      .allowed_tags = tags,
      .n_allowed_tags = sizeof tags / sizeof tags[0],
  };
  const zki_cbor_limits canonical = {
      .max_depth = 32,
      .require_canonical = true,
      .allowed_tags = tags,
      .n_allowed_tags = sizeof tags / sizeof tags[0],
  };
  const zki_cbor_limits small = {
      .max_len = 256, .max_depth = 3, .max_items = 16, .max_string = 8, .allow_indefinite = true};
  check(data, size, &strict, false);
  check(data, size, &permissive, false);
  check(data, size, &canonical, true);
  check(data, size, &small, false);
  return 0;
}
