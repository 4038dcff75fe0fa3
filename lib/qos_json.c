/* QOS canonical JSON, PCR16/PCR17 manifest commitments and PCR3 (see qos_manifest.h). */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/qos_manifest.h"
#include "zk_internal.h"
#include "zk_json.h"
#include "zk_qos_internal.h"

#define CANON_MAX_DEPTH 64

typedef struct sbuf {
  char *p;
  size_t len, cap;
  zk_status err;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (b->err != ZK_OK) return;
  if (n > ZK_QOS_MAX_MANIFEST_LEN * 4 - b->len) {
    b->err = ZK_ERR_TOO_LARGE;
    return;
  }
  if (b->len + n + 1 > b->cap) {
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + n + 1) nc *= 2;
    char *np = realloc(b->p, nc);
    if (np == NULL) {
      b->err = ZK_ERR_NOMEM;
      return;
    }
    b->p = np;
    b->cap = nc;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) {
  sb_put(b, s, strlen(s));
}

/* RFC 8785 string: escape " \ and controls (short forms where they exist), rest verbatim. */
static void put_string(sbuf *b, const char *s, size_t n) {
  sb_put(b, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[8];
    switch (c) {
      case '"':
        esc = "\\\"";
        break;
      case '\\':
        esc = "\\\\";
        break;
      case '\b':
        esc = "\\b";
        break;
      case '\f':
        esc = "\\f";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        esc = "\\t";
        break;
      default:
        if (c < 0x20) {
          snprintf(u, sizeof u, "\\u%04x", c);
          esc = u;
        }
    }
    if (esc != NULL) {
      sb_put(b, s + run, i - run);
      sb_str(b, esc);
      run = i + 1;
    }
  }
  sb_put(b, s + run, n - run);
  sb_put(b, "\"", 1);
}

/* Next UTF-16 code unit of a valid UTF-8 string (jansson validated it); 0 at the end. */
static unsigned next_u16(const unsigned char **s, unsigned *pending) {
  if (*pending) {
    unsigned u = *pending;
    *pending = 0;
    return u;
  }
  const unsigned char *p = *s;
  if (*p == 0) return 0;
  uint32_t cp;
  if (p[0] < 0x80) {
    cp = p[0];
    *s += 1;
  } else if (p[0] < 0xE0) {
    cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    *s += 2;
  } else if (p[0] < 0xF0) {
    cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    *s += 3;
  } else {
    cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
         ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    *s += 4;
  }
  if (cp >= 0x10000) {
    cp -= 0x10000;
    *pending = 0xDC00 + (cp & 0x3FF);
    return 0xD800 + (cp >> 10);
  }
  return cp;
}

static int cmp_utf16(const void *a, const void *b) {
  const unsigned char *x = *(const unsigned char *const *)a;
  const unsigned char *y = *(const unsigned char *const *)b;
  unsigned px = 0, py = 0;
  for (;;) {
    unsigned ux = next_u16(&x, &px), uy = next_u16(&y, &py);
    if (ux != uy) return ux < uy ? -1 : 1;
    if (ux == 0) return 0;
  }
}

static zk_status canon(sbuf *b, json_t *v, int depth) {
  if (depth > CANON_MAX_DEPTH) return ZK_ERR_DEPTH;
  switch (json_typeof(v)) {
    case JSON_OBJECT: {
      size_t n = json_object_size(v), k = 0;
      const char **keys = malloc((n ? n : 1) * sizeof *keys);
      if (keys == NULL) return ZK_ERR_NOMEM;
      const char *key;
      json_t *val;
      json_object_foreach(v, key, val) {
        if (!json_is_null(val)) keys[k++] = key;
      }
      qsort(keys, k, sizeof *keys, cmp_utf16);
      sb_put(b, "{", 1);
      zk_status st = ZK_OK;
      for (size_t i = 0; i < k && st == ZK_OK; i++) {
        if (i) sb_put(b, ",", 1);
        put_string(b, keys[i], strlen(keys[i]));
        sb_put(b, ":", 1);
        st = canon(b, json_object_get(v, keys[i]), depth + 1);
      }
      free(keys);
      ZKI_TRY(st);
      sb_put(b, "}", 1);
      break;
    }
    case JSON_ARRAY: {
      sb_put(b, "[", 1);
      for (size_t i = 0; i < json_array_size(v); i++) {
        if (i) sb_put(b, ",", 1);
        ZKI_TRY(canon(b, json_array_get(v, i), depth + 1));
      }
      sb_put(b, "]", 1);
      break;
    }
    case JSON_STRING:
      put_string(b, json_string_value(v), json_string_length(v));
      break;
    case JSON_INTEGER: {
      char num[32];
      snprintf(num, sizeof num, "\"%" JSON_INTEGER_FORMAT "\"", json_integer_value(v));
      sb_str(b, num);
      break;
    }
    case JSON_REAL:
      return ZK_ERR_QOS_CANONICAL_JSON;
    case JSON_TRUE:
      sb_str(b, "true");
      break;
    case JSON_FALSE:
      sb_str(b, "false");
      break;
    case JSON_NULL:
      sb_str(b, "null");
      break;
  }
  return b->err;
}

zk_status zki_qos_canonical_json_value(char **out, size_t *out_len, json_t *v) {
  *out = NULL;
  *out_len = 0;
  sbuf b = {NULL, 0, 0, ZK_OK};
  zk_status st = canon(&b, v, 0);
  if (st == ZK_OK && b.p == NULL) st = ZK_ERR_INTERNAL;
  if (st != ZK_OK) {
    free(b.p);
    return st;
  }
  *out = b.p;
  *out_len = b.len;
  return ZK_OK;
}

zk_status zk_qos_canonical_json(char **out, size_t *out_len, const char *json, size_t json_len) {
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *out_len = 0;
  if (json == NULL) return ZK_ERR_ARG;
  json_t *j;
  ZKI_TRY(
      zki_json_load(&j, (const uint8_t *)json, json_len, ZK_QOS_MAX_MANIFEST_LEN, JSON_DECODE_ANY));
  zk_status st = zki_qos_canonical_json_value(out, out_len, j);
  json_decref(j);
  return st;
}

static const char DOMAIN_SETUP[] = "qos-setup-manifest-pcr-commitment-v1";
static const char DOMAIN_LIVE[] = "qos-live-manifest-pcr-commitment-v1";

zk_status zk_qos_pcr_commitment(uint8_t pcr[ZK_QOS_PCR_LEN], uint8_t *commitment,
                                zk_qos_commitment_kind kind, const uint8_t *manifest_hash,
                                size_t hash_len, const uint8_t *eph_pub, size_t eph_len) {
  if (pcr == NULL) return ZK_ERR_ARG;
  memset(pcr, 0, ZK_QOS_PCR_LEN);
  if (commitment) memset(commitment, 0, ZK_SHA384_LEN);
  const char *domain = kind == ZK_QOS_COMMIT_SETUP  ? DOMAIN_SETUP
                       : kind == ZK_QOS_COMMIT_LIVE ? DOMAIN_LIVE
                                                    : NULL;
  if (domain == NULL || (manifest_hash == NULL && hash_len) || (eph_pub == NULL && eph_len))
    return ZK_ERR_ARG;
  if (hash_len > 4096 || eph_len > 4096) return ZK_ERR_TOO_LARGE;
  char *hh = malloc(2 * hash_len + 1), *eh = malloc(2 * eph_len + 1);
  json_t *o = json_object();
  zk_status st = (hh && eh && o) ? ZK_OK : ZK_ERR_NOMEM;
  if (st == ZK_OK) {
    zki_hex_encode(hh, manifest_hash, hash_len);
    zki_hex_encode(eh, eph_pub, eph_len);
    if (json_object_set_new(o, "domain", json_string(domain)) != 0 ||
        json_object_set_new(o, "ephemeralPublicKey", json_string(eh)) != 0 ||
        json_object_set_new(o, "manifestHash", json_string(hh)) != 0)
      st = ZK_ERR_NOMEM;
  }
  char *pre = NULL;
  size_t pre_len = 0;
  if (st == ZK_OK) st = zki_qos_canonical_json_value(&pre, &pre_len, o);
  uint8_t ext[ZK_QOS_PCR_LEN + ZK_SHA384_LEN];
  memset(ext, 0, ZK_QOS_PCR_LEN);
  if (st == ZK_OK) st = zk_sha384(ext + ZK_QOS_PCR_LEN, (const uint8_t *)pre, pre_len);
  if (st == ZK_OK) st = zk_sha384(pcr, ext, sizeof ext);
  if (st == ZK_OK && commitment) memcpy(commitment, ext + ZK_QOS_PCR_LEN, ZK_SHA384_LEN);
  if (st != ZK_OK) memset(pcr, 0, ZK_QOS_PCR_LEN);
  free(pre);
  free(hh);
  free(eh);
  json_decref(o);
  return st;
}

zk_status zk_qos_pcr3_from_arn(uint8_t pcr[ZK_QOS_PCR_LEN], const char *arn, size_t arn_len) {
  if (pcr == NULL) return ZK_ERR_ARG;
  memset(pcr, 0, ZK_QOS_PCR_LEN);
  if (arn == NULL || arn_len > 2048) return ZK_ERR_ARG;
  uint8_t buf[ZK_QOS_PCR_LEN + 2048];
  memset(buf, 0, ZK_QOS_PCR_LEN);
  memcpy(buf + ZK_QOS_PCR_LEN, arn, arn_len);
  return zk_sha384(pcr, buf, ZK_QOS_PCR_LEN + arn_len);
}
