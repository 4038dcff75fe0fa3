#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zk_ctime.h"
#include "zk_internal.h"

void zk_wipe(void *p, size_t len) {
  if (p != NULL && len > 0) OPENSSL_cleanse(p, len);
}

int zk_ct_equal(const void *a, const void *b, size_t len) {
  if (len == 0) return 1;
  if (a == NULL || b == NULL) return 0;
  return CRYPTO_memcmp(a, b, len) == 0;
}

void zk_free(void *p) {
  free(p);
}

void zk_free_secret(void *p, size_t len) {
  if (p == NULL) return;
  zk_wipe(p, len);
  free(p);
}

zk_status zk_random(uint8_t *buf, size_t len) {
  if (buf == NULL && len > 0) return ZK_ERR_ARG;
  while (len > 0) {
    int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
    if (RAND_bytes(buf, chunk) != 1) return ZK_ERR_RANDOM;
    buf += chunk;
    len -= (size_t)chunk;
  }
  return ZK_OK;
}

uint8_t *zki_memdup(const uint8_t *p, size_t len) {
  uint8_t *r = malloc(len ? len : 1);
  if (r != NULL && len > 0) memcpy(r, p, len);
  return r;
}

uint64_t zki_now_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0;
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- hex ---- */

void zki_hex_encode(char *out, const uint8_t *in, size_t len) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 0xf];
  }
  out[2 * len] = '\0';
}

/*
 * Value of a hex digit, or -1. No branch or table lookup depends on c: hex decodes secrets too
 * (the QOS seed file), and tests/ctime checks it. in(v, lo, hi) is 1 when lo <= v <= hi.
 */
static unsigned hex_in(int v, int lo, int hi) {
  return 1u ^ (((unsigned)(v - lo) | (unsigned)(hi - v)) >> (sizeof(unsigned) * 8 - 1));
}
static int hex_nibble(char c) {
  int x = (unsigned char)c, lx = x | 0x20; /* lx folds 'A'..'F' onto 'a'..'f' */
  unsigned is_d = hex_in(x, '0', '9'), is_l = hex_in(lx, 'a', 'f');
  unsigned v = ((0u - is_d) & (unsigned)(x - '0')) | ((0u - is_l) & (unsigned)(lx - 'a' + 10)) |
               ((is_d | is_l) - 1u); /* all ones (-1) when neither */
  return (int)v;
}

zk_status zki_hex_decode(uint8_t *out, size_t out_cap, size_t *out_len, const char *hex,
                         size_t hex_len) {
  if (out_len != NULL) *out_len = 0;
  if (hex == NULL && hex_len > 0) return ZK_ERR_ARG;
  if (hex_len % 2 != 0) return ZK_ERR_HEX;
  size_t n = hex_len / 2;
  if (n > out_cap) return ZK_ERR_BUFFER_TOO_SMALL;
  /* Branch-free over the digits; only the final "all valid" verdict is branched on. */
  unsigned bad = 0;
  for (size_t i = 0; i < n; i++) {
    int hi = hex_nibble(hex[2 * i]), lo = hex_nibble(hex[2 * i + 1]);
    bad |= (unsigned)(hi | lo);
    out[i] = (uint8_t)(((unsigned)hi << 4) | ((unsigned)lo & 15u));
  }
  bad >>= sizeof(unsigned) * 8 - 1;
  ZKI_DECLASSIFY(&bad, sizeof bad);
  if (bad) {
    zk_wipe(out, n);
    return ZK_ERR_HEX;
  }
  if (out_len != NULL) *out_len = n;
  return ZK_OK;
}

zk_status zki_hex_decode_alloc(uint8_t **out, size_t *out_len, const char *hex, size_t hex_len) {
  *out = NULL;
  *out_len = 0;
  uint8_t *buf = malloc(hex_len / 2 + 1);
  if (buf == NULL) return ZK_ERR_NOMEM;
  zk_status st = zki_hex_decode(buf, hex_len / 2, out_len, hex, hex_len);
  if (st != ZK_OK) {
    free(buf);
    return st;
  }
  *out = buf;
  return ZK_OK;
}

/* ---- base64 ---- */

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64_encode(char *out, const uint8_t *in, size_t len, const char *alpha, int pad) {
  size_t o = 0, i = 0;
  for (; i + 3 <= len; i += 3) {
    uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | in[i + 2];
    out[o++] = alpha[(v >> 18) & 63];
    out[o++] = alpha[(v >> 12) & 63];
    out[o++] = alpha[(v >> 6) & 63];
    out[o++] = alpha[v & 63];
  }
  size_t rem = len - i;
  if (rem == 1) {
    uint32_t v = (uint32_t)in[i] << 16;
    out[o++] = alpha[(v >> 18) & 63];
    out[o++] = alpha[(v >> 12) & 63];
    if (pad) {
      out[o++] = '=';
      out[o++] = '=';
    }
  } else if (rem == 2) {
    uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8);
    out[o++] = alpha[(v >> 18) & 63];
    out[o++] = alpha[(v >> 12) & 63];
    out[o++] = alpha[(v >> 6) & 63];
    if (pad) out[o++] = '=';
  }
  out[o] = '\0';
}

size_t zki_b64url_len(size_t len) {
  return (len / 3) * 4 + (len % 3 == 0 ? 0 : len % 3 + 1);
}
size_t zki_b64_len(size_t len) {
  return ((len + 2) / 3) * 4;
}
void zki_b64url_encode(char *out, const uint8_t *in, size_t len) {
  b64_encode(out, in, len, b64_url, 0);
}
void zki_b64_encode(char *out, const uint8_t *in, size_t len) {
  b64_encode(out, in, len, b64_std, 1);
}

/* Value of a base64 symbol in alpha (b64_std or b64_url), -1 if not in it. */
static int b64_val(char c, const char *alpha) {
  int v = -1;
  if (c >= 'A' && c <= 'Z')
    v = c - 'A';
  else if (c >= 'a' && c <= 'z')
    v = c - 'a' + 26;
  else if (c >= '0' && c <= '9')
    v = c - '0' + 52;
  else if (c == alpha[62])
    v = 62;
  else if (c == alpha[63])
    v = 63;
  return v;
}

/* Decode unpadded symbols; rejects a 1-symbol tail and non-zero leftover bits. */
static zk_status b64_decode_core(uint8_t *out, size_t *out_len, const char *in, size_t n,
                                 const char *alpha) {
  if (n % 4 == 1) return ZK_ERR_BASE64;
  size_t o = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    int v = b64_val(in[i], alpha);
    if (v < 0) return ZK_ERR_BASE64;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (uint8_t)(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return ZK_ERR_BASE64; /* non-canonical: leftover bits must be zero */
  *out_len = o;
  return ZK_OK;
}

/* b64_decode_core of in[0..n) into a malloc'd buffer sized for all in_len symbols. */
static zk_status b64_decode_alloc(uint8_t **out, size_t *out_len, const char *in, size_t in_len,
                                  size_t n, const char *alpha) {
  uint8_t *buf = malloc(in_len * 3 / 4 + 1);
  if (buf == NULL) return ZK_ERR_NOMEM;
  zk_status st = b64_decode_core(buf, out_len, in, n, alpha);
  if (st != ZK_OK) {
    free(buf);
    *out_len = 0;
    return st;
  }
  *out = buf;
  return ZK_OK;
}

zk_status zki_b64url_decode_alloc(uint8_t **out, size_t *out_len, const char *in, size_t in_len) {
  *out = NULL;
  *out_len = 0;
  if (in == NULL && in_len > 0) return ZK_ERR_ARG;
  return b64_decode_alloc(out, out_len, in, in_len, in_len, b64_url);
}

zk_status zki_b64_decode_alloc(uint8_t **out, size_t *out_len, const char *in, size_t in_len) {
  *out = NULL;
  *out_len = 0;
  if (in == NULL && in_len > 0) return ZK_ERR_ARG;
  if (in_len % 4 != 0) return ZK_ERR_BASE64;
  size_t n = in_len;
  if (n >= 1 && in[n - 1] == '=') n--;
  if (n >= 1 && in[n - 1] == '=') n--;
  if (in_len - n > 0 && n % 4 == 0) return ZK_ERR_BASE64; /* padding without need */
  return b64_decode_alloc(out, out_len, in, in_len, n, b64_std);
}
