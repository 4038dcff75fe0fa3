/* Bitcoin base58 / base58check (no library in the dependency set provides it). */
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zk_base58.h"

static const char ALPHABET[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static int digit_of(unsigned char c) {
  const char *p = (c == 0) ? NULL : strchr(ALPHABET, c);
  return p == NULL ? -1 : (int)(p - ALPHABET);
}

zk_status zki_base58_encode(char **out, size_t *out_len, const uint8_t *in, size_t len) {
  if (out != NULL) *out = NULL;
  if (out_len != NULL) *out_len = 0;
  if (out == NULL || out_len == NULL || (in == NULL && len > 0)) return ZK_ERR_ARG;
  if (len > ZKI_BASE58_MAX_DECODED + 4) return ZK_ERR_TOO_LARGE;
  size_t zeros = 0;
  while (zeros < len && in[zeros] == 0) zeros++;
  /* base-58 digits, little-endian; log(256)/log(58) < 1.37 */
  size_t cap = (len - zeros) * 138 / 100 + 1;
  uint8_t *digits = calloc(cap, 1);
  if (digits == NULL) return ZK_ERR_NOMEM;
  size_t nd = 0;
  for (size_t i = zeros; i < len; i++) {
    unsigned carry = in[i];
    for (size_t j = 0; j < nd; j++) {
      carry += (unsigned)digits[j] << 8;
      digits[j] = (uint8_t)(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits[nd++] = (uint8_t)(carry % 58);
      carry /= 58;
    }
  }
  char *s = malloc(zeros + nd + 1);
  if (s == NULL) {
    zk_free_secret(digits, cap);
    return ZK_ERR_NOMEM;
  }
  size_t k = 0;
  for (size_t i = 0; i < zeros; i++) s[k++] = '1';
  for (size_t i = 0; i < nd; i++) s[k++] = ALPHABET[digits[nd - 1 - i]];
  s[k] = '\0';
  zk_free_secret(digits, cap);
  *out = s;
  *out_len = k;
  return ZK_OK;
}

zk_status zki_base58_decode(uint8_t **out, size_t *out_len, const char *in, size_t len) {
  if (out != NULL) *out = NULL;
  if (out_len != NULL) *out_len = 0;
  if (out == NULL || out_len == NULL || (in == NULL && len > 0)) return ZK_ERR_ARG;
  if (len == 0) return ZK_ERR_BASE58;
  if (len > ZKI_BASE58_MAX_ENCODED) return ZK_ERR_TOO_LARGE;
  size_t zeros = 0;
  while (zeros < len && in[zeros] == '1') zeros++;
  /* bytes, little-endian; log(58)/log(256) < 0.733 */
  size_t cap = (len - zeros) * 733 / 1000 + 1;
  uint8_t *bytes = calloc(cap, 1);
  if (bytes == NULL) return ZK_ERR_NOMEM;
  size_t nb = 0;
  zk_status st = ZK_OK;
  for (size_t i = zeros; i < len; i++) {
    int d = digit_of((unsigned char)in[i]);
    if (d < 0) {
      st = ZK_ERR_BASE58;
      break;
    }
    unsigned carry = (unsigned)d;
    for (size_t j = 0; j < nb; j++) {
      carry += (unsigned)bytes[j] * 58u;
      bytes[j] = (uint8_t)(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes[nb++] = (uint8_t)(carry & 0xff);
      carry >>= 8;
    }
  }
  if (st == ZK_OK && zeros + nb > ZKI_BASE58_MAX_DECODED + 4) st = ZK_ERR_TOO_LARGE;
  uint8_t *o = NULL;
  if (st == ZK_OK && (o = malloc(zeros + nb + 1)) == NULL) st = ZK_ERR_NOMEM;
  if (st == ZK_OK) {
    memset(o, 0, zeros);
    for (size_t i = 0; i < nb; i++) o[zeros + i] = bytes[nb - 1 - i];
    *out = o;
    *out_len = zeros + nb;
  }
  zk_free_secret(bytes, cap);
  return st;
}

static zk_status checksum(uint8_t sum[4], const uint8_t *p, size_t len) {
  uint8_t h[ZK_SHA256_LEN];
  zk_status st = zk_sha256(h, p, len);
  if (st == ZK_OK) st = zk_sha256(h, h, sizeof h);
  if (st == ZK_OK) memcpy(sum, h, 4);
  zk_wipe(h, sizeof h);
  return st;
}

zk_status zki_base58check_encode(char **out, size_t *out_len, const uint8_t *payload, size_t len) {
  if (out != NULL) *out = NULL;
  if (out_len != NULL) *out_len = 0;
  if (out == NULL || out_len == NULL || (payload == NULL && len > 0)) return ZK_ERR_ARG;
  if (len > ZKI_BASE58_MAX_DECODED) return ZK_ERR_TOO_LARGE;
  uint8_t *buf = malloc(len + 4);
  if (buf == NULL) return ZK_ERR_NOMEM;
  if (len > 0) memcpy(buf, payload, len);
  zk_status st = checksum(buf + len, buf, len);
  if (st == ZK_OK) st = zki_base58_encode(out, out_len, buf, len + 4);
  zk_free_secret(buf, len + 4);
  return st;
}

zk_status zki_base58check_decode(uint8_t **out, size_t *out_len, const char *in, size_t len) {
  if (out != NULL) *out = NULL;
  if (out_len != NULL) *out_len = 0;
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  uint8_t *raw = NULL;
  size_t n = 0;
  zk_status st = zki_base58_decode(&raw, &n, in, len);
  if (st != ZK_OK) return st;
  uint8_t sum[4];
  if (n < 4) {
    st = ZK_ERR_TRUNCATED;
  } else if (n - 4 > ZKI_BASE58_MAX_DECODED) {
    st = ZK_ERR_TOO_LARGE;
  } else {
    st = checksum(sum, raw, n - 4);
    if (st == ZK_OK && !zk_ct_equal(sum, raw + n - 4, 4)) st = ZK_ERR_CHECKSUM;
  }
  if (st != ZK_OK) {
    zk_free_secret(raw, n);
    return st;
  }
  zk_wipe(raw + n - 4, 4);
  *out = raw;
  *out_len = n - 4;
  return ZK_OK;
}
