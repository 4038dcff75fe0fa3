/*
 * Strict CBOR decoding and deterministic encoding on top of libcbor.
 *
 * Decoding runs in three steps:
 *   1. scan(): an iterative, bounded walk over the raw bytes that checks
 *      well-formedness (RFC 8949 section 3 and Appendix F) and the profile in
 *      zki_cbor_limits (size, depth, item count, string size, indefinite
 *      lengths, allowed tags, shortest-form heads and key order when
 *      canonical, UTF-8 of text strings). It records the offset of every data
 *      item head so that later errors can name a byte offset.
 *   2. cbor_load() builds the item tree. After step 1 it can only fail on
 *      allocation (every count it preallocates is bounded by the input size).
 *   3. check_dups(): a walk over the tree that rejects duplicate map keys,
 *      comparing keys by value (two keys are equal when their deterministic
 *      encodings are equal, so 1 and 0x18 0x01 collide, as do a definite and
 *      an indefinite string with the same content).
 *
 * Encoding writes heads with libcbor's cbor_encode_* functions (shortest form),
 * always definite lengths, floats in their shortest exact width, and map
 * entries sorted by the bytewise order of their encoded keys.
 */
#include "zk_cbor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ZKI_CBOR_DEFAULT_MAX_LEN ((size_t)1 << 20)
#define ZKI_CBOR_DEFAULT_DEPTH 16u
#define ZKI_CBOR_DEFAULT_ITEMS ((size_t)65536)

/* ------------------------------------------------------------------------ */
/* Float helpers                                                             */

/* IEEE 754 binary16 to double (exact). */
static double half_to_double(uint16_t h) {
  unsigned exp = (h >> 10) & 0x1fu;
  unsigned mant = h & 0x3ffu;
  double v;
  if (exp == 0) {
    v = ldexp((double)mant, -24);
  } else if (exp != 31) {
    v = ldexp((double)(mant + 1024u), (int)exp - 25);
  } else {
    v = mant == 0 ? INFINITY : NAN;
  }
  return (h & 0x8000u) ? -v : v;
}

static float bits_to_float(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

static double bits_to_double(uint64_t b) {
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

/*
 * Exact conversion of a non-NaN double to binary16: true (and the bits in *h)
 * when d is representable without rounding, false otherwise.
 */
static bool double_to_half_exact(double d, uint16_t *h) {
  uint16_t sign = signbit(d) ? 0x8000u : 0u;
  double a = fabs(d);
  if (a == 0.0) {
    *h = sign;
    return true;
  }
  if (isinf(a)) {
    *h = (uint16_t)(sign | 0x7c00u);
    return true;
  }
  if (a < ldexp(1.0, -14)) { /* subnormal: a = f * 2^-24, f in 1..1023 */
    double f = ldexp(a, 24);
    if (f >= 1024.0 || f != (double)(unsigned)f) return false;
    *h = (uint16_t)(sign | (uint16_t)f);
    return true;
  }
  int e;
  double m = frexp(a, &e); /* a = m * 2^e, m in [0.5, 1) */
  int biased = e - 1 + 15;
  if (biased > 30) return false;
  double frac = (2.0 * m - 1.0) * 1024.0;
  if (frac != (double)(unsigned)frac) return false;
  *h = (uint16_t)(sign | (uint16_t)(biased << 10) | (uint16_t)frac);
  return true;
}

static bool fits_half(double d) {
  uint16_t h;
  return double_to_half_exact(d, &h);
}

static bool fits_single(double d) {
  float f = (float)d;
  return (double)f == d;
}

/* ------------------------------------------------------------------------ */
/* Step 1: bounded structural scan                                           */

enum frame_kind { FR_ARRAY, FR_MAP, FR_TAG, FR_BSTR, FR_TSTR };

typedef struct frame {
  enum frame_kind kind;
  bool indefinite;
  uint64_t remaining; /* definite containers: items still expected */
  uint64_t count;     /* items completed at this level */
  size_t str_total;   /* indefinite strings: bytes so far */
  size_t key_start;   /* maps: offset of the key being read */
  size_t prev_key;    /* maps (canonical): previous key range */
  size_t prev_key_len;
  bool has_prev_key;
} frame;

#define ZKI_CBOR_MAX_DEPTH_CAP 64u

typedef struct scan_state {
  const uint8_t *buf;
  size_t len;
  size_t max_string;
  size_t max_items;
  unsigned max_depth;
  bool allow_indefinite;
  bool canonical;
  const uint64_t *tags;
  size_t n_tags;
  size_t *offsets; /* offset of each item head, in pre-order */
  size_t n_items;
  size_t err_off;
  bool allow_trailing; /* stop after the first item (zki_cbor_item_len) */
  size_t end;          /* offset one past the first item */
} scan_state;

static bool utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    size_t need;
    uint32_t cp;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (n - i - 1 < need) return false;
    for (size_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3fu);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += need + 1;
  }
  return true;
}

static bool tag_allowed(const scan_state *s, uint64_t tag) {
  for (size_t i = 0; i < s->n_tags; i++)
    if (s->tags[i] == tag) return true;
  return false;
}

/* Compare two byte ranges in RFC 8949 4.2.1 order (bytewise lexicographic). */
static int bytes_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
  size_t m = alen < blen ? alen : blen;
  int c = m ? memcmp(a, b, m) : 0;
  if (c != 0) return c;
  return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* An item at the level of fr has just ended at offset pos. */
static zk_status item_done(scan_state *s, frame *fr, size_t pos) {
  if (fr == NULL) return ZK_OK;
  if (fr->kind == FR_MAP && (fr->count % 2) == 0 && s->canonical) {
    size_t klen = pos - fr->key_start;
    if (fr->has_prev_key) {
      int c = bytes_cmp(s->buf + fr->prev_key, fr->prev_key_len, s->buf + fr->key_start, klen);
      if (c >= 0) {
        s->err_off = fr->key_start;
        return c == 0 ? ZK_ERR_DUPLICATE_KEY : ZK_ERR_NONCANONICAL;
      }
    }
    fr->prev_key = fr->key_start;
    fr->prev_key_len = klen;
    fr->has_prev_key = true;
  }
  fr->count++;
  if (!fr->indefinite) fr->remaining--;
  return ZK_OK;
}

static zk_status scan(scan_state *s) {
  frame stack[ZKI_CBOR_MAX_DEPTH_CAP + 1];
  size_t sp = 0; /* number of frames in use */
  unsigned depth = 0;
  size_t pos = 0;
  const uint8_t *b = s->buf;
  const size_t len = s->len;

  for (;;) {
    frame *top = sp ? &stack[sp - 1] : NULL;
    /* Close finished definite containers. */
    if (top != NULL && !top->indefinite && top->remaining == 0) {
      if (top->kind != FR_BSTR && top->kind != FR_TSTR) depth--;
      sp--;
      top = sp ? &stack[sp - 1] : NULL;
      ZKI_TRY(item_done(s, top, pos));
      continue;
    }
    if (top == NULL && s->n_items > 0) break; /* the single top-level item is complete */

    const size_t head = pos;
    if (pos >= len) {
      s->err_off = len;
      return ZK_ERR_TRUNCATED;
    }
    const uint8_t ib = b[pos];
    const unsigned major = ib >> 5;
    const unsigned ai = ib & 0x1fu;
    s->err_off = head;

    if (ai >= 28 && ai <= 30) return ZK_ERR_PARSE; /* reserved additional information */

    if (ib == 0xff) { /* break */
      if (top == NULL || !top->indefinite) return ZK_ERR_PARSE;
      if (top->kind == FR_MAP && (top->count % 2) != 0) return ZK_ERR_PARSE; /* key without value */
      pos++;
      if (top->kind != FR_BSTR && top->kind != FR_TSTR) depth--;
      sp--;
      top = sp ? &stack[sp - 1] : NULL;
      ZKI_TRY(item_done(s, top, pos));
      continue;
    }

    /* Inside an indefinite string only definite chunks of the same major type. */
    if (top != NULL && (top->kind == FR_BSTR || top->kind == FR_TSTR)) {
      unsigned want = top->kind == FR_BSTR ? 2u : 3u;
      if (major != want || ai == 31) return ZK_ERR_PARSE;
    }

    if (s->n_items >= s->max_items) return ZK_ERR_TOO_LARGE;
    s->offsets[s->n_items++] = head;
    if (top != NULL && top->kind == FR_MAP && (top->count % 2) == 0) top->key_start = head;

    /* Argument. */
    uint64_t arg = 0;
    pos++;
    if (ai == 31) {
      if (major == 0 || major == 1 || major == 6) return ZK_ERR_PARSE;
      /* major 7 with ai 31 is the break, handled above */
      if (!s->allow_indefinite) return ZK_ERR_INDEFINITE;
      if (s->canonical) return ZK_ERR_NONCANONICAL;
    } else if (ai < 24) {
      arg = ai;
    } else {
      size_t n = (size_t)1 << (ai - 24);
      if (len - pos < n) {
        s->err_off = len;
        return ZK_ERR_TRUNCATED;
      }
      for (size_t i = 0; i < n; i++) arg = (arg << 8) | b[pos + i];
      pos += n;
      if (major == 7) {
        if (ai == 24 && arg < 32) return ZK_ERR_PARSE; /* Appendix F: two-byte simple < 32 */
      } else if (s->canonical) {
        static const uint64_t min_for[4] = {24, 0x100, 0x10000, 0x100000000ull};
        if (arg < min_for[ai - 24]) return ZK_ERR_NONCANONICAL;
      }
    }

    bool leaf = true;
    switch (major) {
      case 0:
      case 1:
        break;
      case 2:
      case 3:
        if (ai == 31) {
          if (sp > ZKI_CBOR_MAX_DEPTH_CAP) return ZK_ERR_DEPTH;
          stack[sp++] = (frame){.kind = major == 2 ? FR_BSTR : FR_TSTR, .indefinite = true};
          leaf = false;
          break;
        }
        if (len - pos < arg) {
          s->err_off = len;
          return ZK_ERR_TRUNCATED;
        }
        if (arg > s->max_string) return ZK_ERR_TOO_LARGE;
        if (top != NULL && (top->kind == FR_BSTR || top->kind == FR_TSTR)) {
          if (arg > s->max_string - top->str_total) return ZK_ERR_TOO_LARGE;
          top->str_total += (size_t)arg;
        }
        if (major == 3 && !utf8_valid(b + pos, (size_t)arg)) return ZK_ERR_PARSE;
        pos += (size_t)arg;
        break;
      case 4:
      case 5: {
        if (ai != 31) {
          /* Every item takes at least one byte: a count above the bytes left
           * is truncated for sure (this also keeps 2 * arg below 2^64).
           * Counts are only trusted by cbor_load after the whole scan. */
          uint64_t avail = len - pos;
          if (arg > avail) {
            s->err_off = len;
            return ZK_ERR_TRUNCATED;
          }
          if (arg == 0) break;
        }
        if (depth >= s->max_depth || sp > ZKI_CBOR_MAX_DEPTH_CAP) return ZK_ERR_DEPTH;
        depth++;
        stack[sp++] = (frame){.kind = major == 4 ? FR_ARRAY : FR_MAP,
                              .indefinite = ai == 31,
                              .remaining = major == 4 ? arg : 2 * arg};
        leaf = false;
        break;
      }
      case 6:
        if (!tag_allowed(s, arg)) return ZK_ERR_UNKNOWN_TAG;
        if (depth >= s->max_depth || sp > ZKI_CBOR_MAX_DEPTH_CAP) return ZK_ERR_DEPTH;
        depth++;
        stack[sp++] = (frame){.kind = FR_TAG, .remaining = 1};
        leaf = false;
        break;
      default:                                              /* 7 */
        if (ai < 20 || ai == 24) return ZK_ERR_UNSUPPORTED; /* unassigned simple values */
        if (s->canonical) {
          if (ai == 26) {
            float f = bits_to_float((uint32_t)arg);
            if (isnan(f) || fits_half((double)f)) return ZK_ERR_NONCANONICAL;
          } else if (ai == 27) {
            double d = bits_to_double(arg);
            if (isnan(d) || fits_single(d)) return ZK_ERR_NONCANONICAL;
          } else if (ai == 25 && isnan(half_to_double((uint16_t)arg)) && arg != 0x7e00) {
            return ZK_ERR_NONCANONICAL;
          }
        }
        break;
    }
    if (leaf) ZKI_TRY(item_done(s, top, pos));
  }

  s->end = pos;
  if (pos != len && !s->allow_trailing) {
    s->err_off = pos;
    return ZK_ERR_TRAILING;
  }
  return ZK_OK;
}

/* ------------------------------------------------------------------------ */
/* Deterministic encoder                                                     */

typedef struct outbuf {
  uint8_t *p;
  size_t len, cap;
} outbuf;

static zk_status ob_put(outbuf *o, const void *data, size_t n) {
  if (n == 0) return ZK_OK;
  if (o->cap - o->len < n) {
    size_t ncap = o->cap ? o->cap : 64;
    while (ncap - o->len < n) {
      if (ncap > SIZE_MAX / 2) return ZK_ERR_NOMEM;
      ncap *= 2;
    }
    uint8_t *np = realloc(o->p, ncap);
    if (np == NULL) return ZK_ERR_NOMEM;
    o->p = np;
    o->cap = ncap;
  }
  memcpy(o->p + o->len, data, n);
  o->len += n;
  return ZK_OK;
}

typedef struct enc_entry {
  uint8_t *bytes; /* key encoding followed by value encoding */
  size_t key_len;
  size_t len;
} enc_entry;

static int enc_entry_cmp(const void *a, const void *b) {
  const enc_entry *x = a, *y = b;
  return bytes_cmp(x->bytes, x->key_len, y->bytes, y->key_len);
}

#define ZKI_CBOR_ENCODE_MAX_DEPTH 64u

static zk_status enc_item(outbuf *o, const cbor_item_t *it, unsigned depth);

static zk_status enc_string(outbuf *o, const cbor_item_t *it, bool text) {
  uint8_t h[9];
  size_t hl;
  if (text ? cbor_string_is_definite(it) : cbor_bytestring_is_definite(it)) {
    size_t n = text ? cbor_string_length(it) : cbor_bytestring_length(it);
    const uint8_t *p = text ? cbor_string_handle(it) : cbor_bytestring_handle(it);
    hl = text ? cbor_encode_string_start(n, h, sizeof h)
              : cbor_encode_bytestring_start(n, h, sizeof h);
    ZKI_TRY(ob_put(o, h, hl));
    return ob_put(o, p, n);
  }
  /* Indefinite: emit one definite string with the concatenated chunks. */
  size_t nchunks = text ? cbor_string_chunk_count(it) : cbor_bytestring_chunk_count(it);
  cbor_item_t **chunks = text ? cbor_string_chunks_handle(it) : cbor_bytestring_chunks_handle(it);
  size_t total = 0;
  for (size_t i = 0; i < nchunks; i++) {
    size_t n = text ? cbor_string_length(chunks[i]) : cbor_bytestring_length(chunks[i]);
    if (n > SIZE_MAX - total) return ZK_ERR_OVERFLOW;
    total += n;
  }
  hl = text ? cbor_encode_string_start(total, h, sizeof h)
            : cbor_encode_bytestring_start(total, h, sizeof h);
  ZKI_TRY(ob_put(o, h, hl));
  for (size_t i = 0; i < nchunks; i++) {
    size_t n = text ? cbor_string_length(chunks[i]) : cbor_bytestring_length(chunks[i]);
    const uint8_t *p = text ? cbor_string_handle(chunks[i]) : cbor_bytestring_handle(chunks[i]);
    ZKI_TRY(ob_put(o, p, n));
  }
  return ZK_OK;
}

static zk_status enc_float_ctrl(outbuf *o, const cbor_item_t *it) {
  uint8_t h[9];
  size_t hl;
  if (cbor_float_ctrl_is_ctrl(it)) {
    uint8_t v = cbor_ctrl_value(it);
    if (v < 20 || v > 23) return ZK_ERR_UNSUPPORTED;
    h[0] = (uint8_t)(0xe0u | v);
    return ob_put(o, h, 1);
  }
  double d = cbor_float_get_float(it);
  if (isnan(d)) {
    static const uint8_t qnan[3] = {0xf9, 0x7e, 0x00};
    return ob_put(o, qnan, sizeof qnan);
  }
  uint16_t half;
  if (double_to_half_exact(d, &half)) {
    h[0] = 0xf9;
    h[1] = (uint8_t)(half >> 8);
    h[2] = (uint8_t)half;
    hl = 3;
  } else if (fits_single(d)) {
    hl = cbor_encode_single((float)d, h, sizeof h);
  } else {
    hl = cbor_encode_double(d, h, sizeof h);
  }
  if (hl == 0) return ZK_ERR_INTERNAL;
  return ob_put(o, h, hl);
}

static zk_status enc_map(outbuf *o, const cbor_item_t *it, unsigned depth) {
  size_t n = cbor_map_size(it);
  struct cbor_pair *pairs = cbor_map_handle(it);
  uint8_t h[9];
  size_t hl = cbor_encode_map_start(n, h, sizeof h);
  ZKI_TRY(ob_put(o, h, hl));
  if (n == 0) return ZK_OK;
  enc_entry *e = calloc(n, sizeof *e);
  if (e == NULL) return ZK_ERR_NOMEM;
  zk_status st = ZK_OK;
  for (size_t i = 0; i < n && st == ZK_OK; i++) {
    outbuf eb = {0};
    st = enc_item(&eb, pairs[i].key, depth + 1);
    e[i].key_len = eb.len;
    if (st == ZK_OK) st = enc_item(&eb, pairs[i].value, depth + 1);
    e[i].bytes = eb.p;
    e[i].len = eb.len;
  }
  if (st == ZK_OK) {
    qsort(e, n, sizeof *e, enc_entry_cmp);
    for (size_t i = 0; i < n && st == ZK_OK; i++) {
      if (i > 0 && enc_entry_cmp(&e[i - 1], &e[i]) == 0)
        st = ZK_ERR_DUPLICATE_KEY;
      else
        st = ob_put(o, e[i].bytes, e[i].len);
    }
  }
  for (size_t i = 0; i < n; i++) free(e[i].bytes);
  free(e);
  return st;
}

static zk_status enc_item(outbuf *o, const cbor_item_t *it, unsigned depth) {
  uint8_t h[9];
  size_t hl;
  if (it == NULL) return ZK_ERR_ARG;
  if (depth > ZKI_CBOR_ENCODE_MAX_DEPTH) return ZK_ERR_DEPTH;
  switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT:
      hl = cbor_encode_uint(cbor_get_int(it), h, sizeof h);
      return ob_put(o, h, hl);
    case CBOR_TYPE_NEGINT:
      hl = cbor_encode_negint(cbor_get_int(it), h, sizeof h);
      return ob_put(o, h, hl);
    case CBOR_TYPE_BYTESTRING:
      return enc_string(o, it, false);
    case CBOR_TYPE_STRING:
      return enc_string(o, it, true);
    case CBOR_TYPE_ARRAY: {
      size_t n = cbor_array_size(it);
      cbor_item_t **items = cbor_array_handle(it);
      hl = cbor_encode_array_start(n, h, sizeof h);
      ZKI_TRY(ob_put(o, h, hl));
      for (size_t i = 0; i < n; i++) ZKI_TRY(enc_item(o, items[i], depth + 1));
      return ZK_OK;
    }
    case CBOR_TYPE_MAP:
      return enc_map(o, it, depth);
    case CBOR_TYPE_TAG: {
      hl = cbor_encode_tag(cbor_tag_value(it), h, sizeof h);
      ZKI_TRY(ob_put(o, h, hl));
      cbor_item_t *inner = cbor_tag_item(it); /* incref */
      zk_status st = enc_item(o, inner, depth + 1);
      if (inner != NULL) cbor_decref(&inner);
      return st;
    }
    case CBOR_TYPE_FLOAT_CTRL:
      return enc_float_ctrl(o, it);
  }
  return ZK_ERR_ARG;
}

zk_status zki_cbor_encode(uint8_t **out, size_t *out_len, const cbor_item_t *item) {
  if (out != NULL) *out = NULL;
  if (out_len != NULL) *out_len = 0;
  if (out == NULL || out_len == NULL || item == NULL) return ZK_ERR_ARG;
  outbuf o = {0};
  zk_status st = enc_item(&o, item, 0);
  if (st != ZK_OK) {
    free(o.p);
    return st;
  }
  if (o.p == NULL) return ZK_ERR_INTERNAL; /* every item encodes to at least one byte */
  *out = o.p;
  *out_len = o.len;
  return ZK_OK;
}

/* ------------------------------------------------------------------------ */
/* Step 3: duplicate keys (by value)                                         */

typedef struct dup_entry {
  uint8_t *enc;
  size_t len;
  size_t index; /* pre-order item index of the key */
} dup_entry;

static int dup_entry_cmp(const void *a, const void *b) {
  const dup_entry *x = a, *y = b;
  int c = bytes_cmp(x->enc, x->len, y->enc, y->len);
  if (c != 0) return c;
  return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

/*
 * Walks it in the same pre-order as scan() counted heads; *idx is the index
 * of it on entry and one past its subtree on return. On a duplicate,
 * *dup_index is the index of the later of two equal keys.
 */
static zk_status check_dups(const cbor_item_t *it, size_t *idx, size_t *dup_index) {
  (*idx)++;
  switch (cbor_typeof(it)) {
    case CBOR_TYPE_BYTESTRING:
      if (!cbor_bytestring_is_definite(it)) *idx += cbor_bytestring_chunk_count(it);
      return ZK_OK;
    case CBOR_TYPE_STRING:
      if (!cbor_string_is_definite(it)) *idx += cbor_string_chunk_count(it);
      return ZK_OK;
    case CBOR_TYPE_ARRAY: {
      size_t n = cbor_array_size(it);
      cbor_item_t **items = cbor_array_handle(it);
      for (size_t i = 0; i < n; i++) ZKI_TRY(check_dups(items[i], idx, dup_index));
      return ZK_OK;
    }
    case CBOR_TYPE_TAG: {
      cbor_item_t *inner = cbor_tag_item(it);
      if (inner == NULL) return ZK_ERR_PARSE;
      zk_status st = check_dups(inner, idx, dup_index);
      cbor_decref(&inner);
      return st;
    }
    case CBOR_TYPE_MAP: {
      size_t n = cbor_map_size(it);
      struct cbor_pair *pairs = cbor_map_handle(it);
      if (n == 0) return ZK_OK;
      dup_entry *e = calloc(n, sizeof *e);
      if (e == NULL) return ZK_ERR_NOMEM;
      zk_status st = ZK_OK;
      for (size_t i = 0; i < n && st == ZK_OK; i++) {
        e[i].index = *idx;
        st = check_dups(pairs[i].key, idx, dup_index);
        if (st == ZK_OK) st = zki_cbor_encode(&e[i].enc, &e[i].len, pairs[i].key);
        if (st == ZK_OK) st = check_dups(pairs[i].value, idx, dup_index);
      }
      if (st == ZK_OK && n > 1) {
        qsort(e, n, sizeof *e, dup_entry_cmp);
        for (size_t i = 1; i < n; i++) {
          if (bytes_cmp(e[i - 1].enc, e[i - 1].len, e[i].enc, e[i].len) == 0) {
            if (st != ZK_ERR_DUPLICATE_KEY || e[i].index < *dup_index) *dup_index = e[i].index;
            st = ZK_ERR_DUPLICATE_KEY;
          }
        }
      }
      for (size_t i = 0; i < n; i++) free(e[i].enc);
      free(e);
      return st;
    }
    default:
      return ZK_OK;
  }
}

/* ------------------------------------------------------------------------ */

static zk_status scan_setup(scan_state *s, const uint8_t *buf, size_t len,
                            const zki_cbor_limits *lim, size_t *err_off) {
  static const zki_cbor_limits defaults = {0};
  if (lim == NULL) lim = &defaults;
  size_t max_len = lim->max_len ? lim->max_len : ZKI_CBOR_DEFAULT_MAX_LEN;
  if (len > max_len) {
    if (err_off != NULL) *err_off = max_len;
    return ZK_ERR_TOO_LARGE;
  }
  if (len == 0) return ZK_ERR_TRUNCATED;
  if (lim->n_allowed_tags != 0 && lim->allowed_tags == NULL) return ZK_ERR_ARG;
  *s = (scan_state){
      .buf = buf,
      .len = len,
      .max_string = lim->max_string ? lim->max_string : max_len,
      .max_items = lim->max_items ? lim->max_items : ZKI_CBOR_DEFAULT_ITEMS,
      .max_depth = lim->max_depth ? lim->max_depth : ZKI_CBOR_DEFAULT_DEPTH,
      .allow_indefinite = lim->allow_indefinite,
      .canonical = lim->require_canonical,
      .tags = lim->allowed_tags,
      .n_tags = lim->n_allowed_tags,
  };
  if (s->max_depth > ZKI_CBOR_MAX_DEPTH_CAP) s->max_depth = ZKI_CBOR_MAX_DEPTH_CAP;
  /* No more items than bytes. */
  if (s->max_items > len) s->max_items = len;
  s->offsets = malloc(s->max_items * sizeof *s->offsets);
  if (s->offsets == NULL) return ZK_ERR_NOMEM;
  return ZK_OK;
}

zk_status zki_cbor_item_len(size_t *item_len, const uint8_t *buf, size_t len,
                            const zki_cbor_limits *lim, size_t *err_off) {
  scan_state s;
  if (item_len != NULL) *item_len = 0;
  if (err_off != NULL) *err_off = 0;
  if (item_len == NULL || (buf == NULL && len != 0)) return ZK_ERR_ARG;
  ZKI_TRY(scan_setup(&s, buf, len, lim, err_off));
  s.allow_trailing = true;
  zk_status st = scan(&s);
  free(s.offsets);
  if (st != ZK_OK) {
    if (err_off != NULL) *err_off = s.err_off;
    return st;
  }
  *item_len = s.end;
  return ZK_OK;
}

/*
 * libcbor 0.8's builder ignores a failed _cbor_map_add_key / cbor_array_push while an
 * indefinite-length map or array grows (fixed in libcbor 0.10, PR #224): after a failed realloc
 * the next value is written out of bounds. cbor_load is therefore given a copy in which every
 * indefinite array and map has the definite head of its element count (and no break byte); such
 * containers are allocated once, up front, and a failed allocation is reported as
 * CBOR_ERR_MEMERROR. Items keep their pre-order (break bytes are not items), so the offsets table
 * still applies. Input: one item that scan() accepted (well formed, depth <= 64).
 */
static size_t arg_extra(uint8_t ai) {
  return ai < 24 || ai == 31 ? 0 : (size_t)1 << (ai - 24);
}

static zk_status put_head(outbuf *o, unsigned major, uint64_t n) {
  uint8_t h[9];
  size_t hl = major == 4 ? cbor_encode_array_start((size_t)n, h, sizeof h)
                         : cbor_encode_map_start((size_t)n, h, sizeof h);
  return hl == 0 ? ZK_ERR_INTERNAL : ob_put(o, h, hl);
}

static zk_status copy_definite(outbuf *o, const uint8_t *in, size_t *pos) {
  uint8_t ib = in[*pos];
  unsigned major = ib >> 5, ai = ib & 0x1fu;
  size_t hl = 1 + arg_extra((uint8_t)ai);
  uint64_t arg = 0;
  for (size_t i = 1; i < hl; i++) arg = arg << 8 | in[*pos + i];
  if (ai < 24) arg = ai;
  if ((major == 4 || major == 5) && ai == 31) {
    size_t p = *pos + 1;
    outbuf sub = {0};
    uint64_t n = 0;
    zk_status st = ZK_OK;
    while (st == ZK_OK && in[p] != 0xff) {
      st = copy_definite(&sub, in, &p);
      if (st == ZK_OK && major == 5) st = copy_definite(&sub, in, &p);
      n++;
    }
    if (st == ZK_OK) st = put_head(o, major, n);
    if (st == ZK_OK) st = ob_put(o, sub.p, sub.len);
    free(sub.p);
    *pos = p + 1;
    return st;
  }
  ZKI_TRY(ob_put(o, in + *pos, hl));
  *pos += hl;
  switch (major) {
    case 2:
    case 3:
      if (ai == 31) { /* indefinite string: definite chunks up to the break */
        while (in[*pos] != 0xff) ZKI_TRY(copy_definite(o, in, pos));
        ZKI_TRY(ob_put(o, in + *pos, 1));
        (*pos)++;
        return ZK_OK;
      }
      ZKI_TRY(ob_put(o, in + *pos, (size_t)arg));
      *pos += (size_t)arg;
      return ZK_OK;
    case 4:
    case 5:
      for (uint64_t i = 0; i < (major == 5 ? 2 * arg : arg); i++)
        ZKI_TRY(copy_definite(o, in, pos));
      return ZK_OK;
    case 6:
      return copy_definite(o, in, pos);
    default: /* integers, simple values, floats: the head is the whole item */
      return ZK_OK;
  }
}

zk_status zki_cbor_decode(cbor_item_t **out, const uint8_t *buf, size_t len,
                          const zki_cbor_limits *lim, size_t *err_off) {
  scan_state s;
  if (out != NULL) *out = NULL;
  if (err_off != NULL) *err_off = 0;
  if (out == NULL || (buf == NULL && len != 0)) return ZK_ERR_ARG;
  ZKI_TRY(scan_setup(&s, buf, len, lim, err_off));

  zk_status st = scan(&s);
  if (st != ZK_OK) {
    if (err_off != NULL) *err_off = s.err_off;
    free(s.offsets);
    return st;
  }

  /*
   * libcbor 0.8's decoder refuses the one-byte tag heads 0xc6..0xd4 (tags 6
   * to 20, e.g. COSE_Sign1's 18) as "unassigned". When the input has any,
   * cbor_load reads a copy where each is widened to the equivalent two-byte
   * head (0xd8 nn). The item order, and so the offsets table, is unchanged.
   */
  const uint8_t *load_buf = buf;
  size_t load_len = len;
  uint8_t *widened = NULL;
  size_t n_short = 0;
  for (size_t i = 0; i < s.n_items; i++)
    if (buf[s.offsets[i]] >= 0xc6 && buf[s.offsets[i]] <= 0xd4) n_short++;
  if (n_short != 0) {
    widened = malloc(len + n_short);
    if (widened == NULL) {
      free(s.offsets);
      return ZK_ERR_NOMEM;
    }
    size_t w = 0, prev = 0;
    for (size_t i = 0; i < s.n_items; i++) {
      size_t o = s.offsets[i];
      if (buf[o] < 0xc6 || buf[o] > 0xd4) continue;
      memcpy(widened + w, buf + prev, o - prev);
      w += o - prev;
      widened[w++] = 0xd8;
      widened[w++] = (uint8_t)(buf[o] & 0x1fu);
      prev = o + 1;
    }
    memcpy(widened + w, buf + prev, len - prev);
    load_buf = widened;
    load_len = len + n_short;
  }

  uint8_t *definite = NULL;
  size_t n_indef = 0;
  for (size_t i = 0; i < s.n_items; i++)
    if (buf[s.offsets[i]] == 0x9f || buf[s.offsets[i]] == 0xbf) n_indef++;
  if (n_indef != 0) {
    outbuf d = {0};
    size_t pos = 0;
    st = copy_definite(&d, load_buf, &pos);
    if (st != ZK_OK || pos != load_len) {
      free(d.p);
      free(widened);
      free(s.offsets);
      return st != ZK_OK ? st : ZK_ERR_INTERNAL;
    }
    definite = d.p;
    load_buf = definite;
    load_len = d.len;
  }

  struct cbor_load_result res;
  cbor_item_t *item = cbor_load(load_buf, load_len, &res);
  free(widened);
  free(definite);
  if (item == NULL || res.error.code != CBOR_ERR_NONE || res.read != load_len) {
    /* Unreachable after a successful scan except on allocation failure. */
    st = (res.error.code == CBOR_ERR_MEMERROR) ? ZK_ERR_NOMEM : ZK_ERR_PARSE;
    if (err_off != NULL) *err_off = 0;
    if (item != NULL) cbor_decref(&item);
    free(s.offsets);
    return st;
  }

  size_t idx = 0, dup = 0;
  st = check_dups(item, &idx, &dup);
  if (st == ZK_OK && idx != s.n_items) st = ZK_ERR_INTERNAL; /* scan and tree disagree */
  if (st != ZK_OK) {
    if (err_off != NULL)
      *err_off = (st == ZK_ERR_DUPLICATE_KEY && dup < s.n_items) ? s.offsets[dup] : 0;
    cbor_decref(&item);
    free(s.offsets);
    return st;
  }
  free(s.offsets);
  *out = item;
  return ZK_OK;
}

/* ------------------------------------------------------------------------ */
/* Lookups, accessors, builders                                              */

cbor_item_t *zki_cbor_map_get_str(const cbor_item_t *map, const char *key) {
  if (map == NULL || key == NULL || !cbor_isa_map(map)) return NULL;
  size_t klen = strlen(key);
  size_t n = cbor_map_size(map);
  struct cbor_pair *pairs = cbor_map_handle(map);
  for (size_t i = 0; i < n; i++) {
    const cbor_item_t *k = pairs[i].key;
    if (cbor_isa_string(k) && cbor_string_is_definite(k) && cbor_string_length(k) == klen &&
        (klen == 0 || memcmp(cbor_string_handle(k), key, klen) == 0))
      return pairs[i].value;
  }
  return NULL;
}

cbor_item_t *zki_cbor_map_get_int(const cbor_item_t *map, int64_t key) {
  if (map == NULL || !cbor_isa_map(map)) return NULL;
  size_t n = cbor_map_size(map);
  struct cbor_pair *pairs = cbor_map_handle(map);
  for (size_t i = 0; i < n; i++) {
    int64_t v;
    if (zki_cbor_get_int(pairs[i].key, &v) == ZK_OK && v == key) return pairs[i].value;
  }
  return NULL;
}

zk_status zki_cbor_get_uint(const cbor_item_t *it, uint64_t *out) {
  if (out != NULL) *out = 0;
  if (it == NULL || out == NULL) return ZK_ERR_ARG;
  if (!cbor_isa_uint(it)) return ZK_ERR_TYPE;
  *out = cbor_get_int(it);
  return ZK_OK;
}

zk_status zki_cbor_get_int(const cbor_item_t *it, int64_t *out) {
  if (out != NULL) *out = 0;
  if (it == NULL || out == NULL) return ZK_ERR_ARG;
  if (!cbor_isa_uint(it) && !cbor_isa_negint(it)) return ZK_ERR_TYPE;
  uint64_t v = cbor_get_int(it);
  if (v > (uint64_t)INT64_MAX) return ZK_ERR_VALUE;
  *out = cbor_isa_uint(it) ? (int64_t)v : -1 - (int64_t)v;
  return ZK_OK;
}

static const uint8_t zki_empty[1] = {0};

zk_status zki_cbor_get_bytes(const cbor_item_t *it, const uint8_t **p, size_t *len) {
  if (p != NULL) *p = NULL;
  if (len != NULL) *len = 0;
  if (it == NULL || p == NULL || len == NULL) return ZK_ERR_ARG;
  if (!cbor_isa_bytestring(it)) return ZK_ERR_TYPE;
  if (!cbor_bytestring_is_definite(it)) return ZK_ERR_INDEFINITE;
  size_t n = cbor_bytestring_length(it);
  *p = n ? cbor_bytestring_handle(it) : zki_empty;
  *len = n;
  return ZK_OK;
}

zk_status zki_cbor_get_text(const cbor_item_t *it, const char **p, size_t *len) {
  if (p != NULL) *p = NULL;
  if (len != NULL) *len = 0;
  if (it == NULL || p == NULL || len == NULL) return ZK_ERR_ARG;
  if (!cbor_isa_string(it)) return ZK_ERR_TYPE;
  if (!cbor_string_is_definite(it)) return ZK_ERR_INDEFINITE;
  size_t n = cbor_string_length(it);
  *p = n ? (const char *)cbor_string_handle(it) : (const char *)zki_empty;
  *len = n;
  return ZK_OK;
}

/* cbor_is_null asserts (libcbor 0.8) on a float: test the simple-value width first. */
bool zki_cbor_is_null(const cbor_item_t *it) {
  return it != NULL && cbor_isa_float_ctrl(it) && cbor_float_ctrl_is_ctrl(it) && cbor_is_null(it);
}

cbor_item_t *zki_cbor_new_int(int64_t v) {
  if (v >= 0) return cbor_build_uint64((uint64_t)v);
  return cbor_build_negint64((uint64_t)(-1 - v));
}

cbor_item_t *zki_cbor_new_bytes(const uint8_t *p, size_t len) {
  if (p == NULL && len != 0) return NULL;
  return cbor_build_bytestring(len ? p : zki_empty, len);
}

cbor_item_t *zki_cbor_new_text(const char *s) {
  if (s == NULL) return NULL;
  return cbor_build_string(s);
}

zk_status zki_cbor_map_put(cbor_item_t *map, cbor_item_t *key, cbor_item_t *value) {
  zk_status st = ZK_OK;
  if (map == NULL || key == NULL || value == NULL || !cbor_isa_map(map)) {
    st = (key == NULL || value == NULL) ? ZK_ERR_NOMEM : ZK_ERR_ARG;
  } else if (!cbor_map_add(map, (struct cbor_pair){.key = key, .value = value})) {
    st = cbor_map_is_definite(map) ? ZK_ERR_ARG : ZK_ERR_NOMEM;
  }
  if (key != NULL) cbor_decref(&key);
  if (value != NULL) cbor_decref(&value);
  return st;
}

zk_status zki_cbor_map_put_str(cbor_item_t *map, const char *key, cbor_item_t *value) {
  if (key == NULL) {
    if (value != NULL) cbor_decref(&value);
    return ZK_ERR_ARG;
  }
  return zki_cbor_map_put(map, zki_cbor_new_text(key), value);
}

zk_status zki_cbor_map_put_int(cbor_item_t *map, int64_t key, cbor_item_t *value) {
  return zki_cbor_map_put(map, zki_cbor_new_int(key), value);
}
