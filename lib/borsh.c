/* Internal strict borsh reader / writer (see lib/zk_borsh.h). */
#include <stdlib.h>
#include <string.h>

#include "zk_borsh.h"
#include "zk_internal.h"

void zki_borsh_r_init(zki_borsh_r *r, const uint8_t *p, size_t len) {
  r->p = p;
  r->len = p == NULL ? 0 : len;
  r->off = 0;
  r->err = ZK_OK;
}

static zk_status take(zki_borsh_r *r, const uint8_t **p, size_t n) {
  if (r->err != ZK_OK) return r->err;
  if (n > r->len - r->off) return r->err = ZK_ERR_TRUNCATED;
  *p = r->p + r->off;
  r->off += n;
  return ZK_OK;
}

zk_status zki_borsh_u8(zki_borsh_r *r, uint8_t *v) {
  const uint8_t *p;
  *v = 0;
  ZKI_TRY(take(r, &p, 1));
  *v = p[0];
  return ZK_OK;
}

zk_status zki_borsh_u16(zki_borsh_r *r, uint16_t *v) {
  const uint8_t *p;
  *v = 0;
  ZKI_TRY(take(r, &p, 2));
  *v = (uint16_t)(p[0] | (p[1] << 8));
  return ZK_OK;
}

zk_status zki_borsh_u32(zki_borsh_r *r, uint32_t *v) {
  const uint8_t *p;
  *v = 0;
  ZKI_TRY(take(r, &p, 4));
  *v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
  return ZK_OK;
}

zk_status zki_borsh_u64(zki_borsh_r *r, uint64_t *v) {
  const uint8_t *p;
  *v = 0;
  ZKI_TRY(take(r, &p, 8));
  uint64_t x = 0;
  for (int i = 7; i >= 0; i--) x = (x << 8) | p[i];
  *v = x;
  return ZK_OK;
}

zk_status zki_borsh_bool(zki_borsh_r *r, bool *v) {
  uint8_t b;
  *v = false;
  ZKI_TRY(zki_borsh_u8(r, &b));
  if (b > 1) return r->err = ZK_ERR_VALUE;
  *v = b == 1;
  return ZK_OK;
}

zk_status zki_borsh_option(zki_borsh_r *r, bool *present) {
  return zki_borsh_bool(r, present);
}

zk_status zki_borsh_fixed(zki_borsh_r *r, const uint8_t **p, size_t n) {
  *p = NULL;
  return take(r, p, n);
}

zk_status zki_borsh_bytes(zki_borsh_r *r, const uint8_t **p, size_t *n, size_t max) {
  uint32_t len;
  *p = NULL;
  *n = 0;
  ZKI_TRY(zki_borsh_u32(r, &len));
  if (len > max) return r->err = ZK_ERR_TOO_LARGE;
  ZKI_TRY(take(r, p, len));
  *n = len;
  return ZK_OK;
}

int zki_utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c == 0) return 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      cp = c & 0x07u;
    } else {
      return 0;
    }
    if (n - i - 1 < need) return 0;
    for (size_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    i += need + 1;
  }
  return 1;
}

zk_status zki_borsh_string(zki_borsh_r *r, char **s, size_t max) {
  const uint8_t *p;
  size_t n;
  *s = NULL;
  ZKI_TRY(zki_borsh_bytes(r, &p, &n, max));
  if (!zki_utf8_valid(p, n)) return r->err = ZK_ERR_PARSE;
  char *c = malloc(n + 1);
  if (c == NULL) return r->err = ZK_ERR_NOMEM;
  if (n > 0) memcpy(c, p, n);
  c[n] = '\0';
  *s = c;
  return ZK_OK;
}

zk_status zki_borsh_count(zki_borsh_r *r, uint32_t *n, uint32_t max, size_t min_elem_size) {
  uint32_t c;
  *n = 0;
  ZKI_TRY(zki_borsh_u32(r, &c));
  if (c > max) return r->err = ZK_ERR_TOO_LARGE;
  if (min_elem_size > 0 && c > (r->len - r->off) / min_elem_size) return r->err = ZK_ERR_TRUNCATED;
  *n = c;
  return ZK_OK;
}

zk_status zki_borsh_r_finish(zki_borsh_r *r) {
  if (r->err != ZK_OK) return r->err;
  if (r->off != r->len) return r->err = ZK_ERR_TRAILING;
  return ZK_OK;
}

/* ---- writer ---- */

void zki_borsh_w_init(zki_borsh_w *w) {
  w->buf = NULL;
  w->len = 0;
  w->cap = 0;
  w->err = ZK_OK;
}

static uint8_t *wgrow(zki_borsh_w *w, size_t n) {
  if (w->err != ZK_OK) return NULL;
  if (n > SIZE_MAX / 2 - w->len) {
    w->err = ZK_ERR_TOO_LARGE;
    return NULL;
  }
  if (w->len + n > w->cap) {
    size_t nc = w->cap ? w->cap : 256;
    while (nc < w->len + n) nc *= 2;
    uint8_t *nb = malloc(nc);
    if (nb == NULL) {
      w->err = ZK_ERR_NOMEM;
      return NULL;
    }
    if (w->len) memcpy(nb, w->buf, w->len);
    zk_free_secret(w->buf, w->cap); /* buffers may hold secrets: never realloc */
    w->buf = nb;
    w->cap = nc;
  }
  uint8_t *p = w->buf + w->len;
  w->len += n;
  return p;
}

void zki_borsh_w_u8(zki_borsh_w *w, uint8_t v) {
  uint8_t *p = wgrow(w, 1);
  if (p) p[0] = v;
}
void zki_borsh_w_u16(zki_borsh_w *w, uint16_t v) {
  uint8_t *p = wgrow(w, 2);
  if (p) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
  }
}
void zki_borsh_w_u32(zki_borsh_w *w, uint32_t v) {
  uint8_t *p = wgrow(w, 4);
  if (p)
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
void zki_borsh_w_u64(zki_borsh_w *w, uint64_t v) {
  uint8_t *p = wgrow(w, 8);
  if (p)
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
void zki_borsh_w_bool(zki_borsh_w *w, bool v) {
  zki_borsh_w_u8(w, v ? 1 : 0);
}
void zki_borsh_w_fixed(zki_borsh_w *w, const uint8_t *p, size_t n) {
  if (n == 0) return;
  uint8_t *d = wgrow(w, n);
  if (d) memcpy(d, p, n);
}
void zki_borsh_w_bytes(zki_borsh_w *w, const uint8_t *p, size_t n) {
  if (n > UINT32_MAX) {
    if (w->err == ZK_OK) w->err = ZK_ERR_TOO_LARGE;
    return;
  }
  zki_borsh_w_u32(w, (uint32_t)n);
  zki_borsh_w_fixed(w, p, n);
}
void zki_borsh_w_string(zki_borsh_w *w, const char *s) {
  zki_borsh_w_bytes(w, (const uint8_t *)s, s ? strlen(s) : 0);
}

zk_status zki_borsh_w_take(zki_borsh_w *w, uint8_t **out, size_t *out_len) {
  *out = NULL;
  *out_len = 0;
  if (w->err != ZK_OK) {
    zk_status e = w->err;
    zki_borsh_w_discard(w);
    return e;
  }
  if (w->buf == NULL) {
    w->buf = malloc(1);
    if (w->buf == NULL) return ZK_ERR_NOMEM;
  }
  *out = w->buf;
  *out_len = w->len;
  w->buf = NULL;
  w->len = w->cap = 0;
  return ZK_OK;
}

void zki_borsh_w_discard(zki_borsh_w *w) {
  zk_free_secret(w->buf, w->cap);
  w->buf = NULL;
  w->len = w->cap = 0;
}
