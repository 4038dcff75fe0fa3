/*
 * Shamir secret sharing over GF(2^8), polynomial 0x11B (see include/zerokey/shamir.h).
 *
 * Constant time: gf_mul is a fixed 8-round shift-and-add with masks instead of
 * branches, gf_inv is a fixed square-and-multiply chain for a^254. No lookup
 * tables are used, so no memory access depends on secret bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "zerokey/shamir.h"
#include "zk_internal.h"
#include "zk_shamir_internal.h"

/* a * b in GF(2^8) mod x^8 + x^4 + x^3 + x + 1, without branches or tables. */
uint8_t zki_gf256_mul(uint8_t a, uint8_t b) {
  uint8_t r = 0;
  for (int i = 0; i < 8; i++) {
    uint8_t take = (uint8_t)(0u - (unsigned)(b & 1u)); /* 0xff if the low bit of b is set */
    r ^= (uint8_t)(take & a);
    uint8_t carry = (uint8_t)(0u - (unsigned)(a >> 7)); /* 0xff if a overflows */
    a = (uint8_t)((uint8_t)(a << 1) ^ (carry & 0x1bu));
    b = (uint8_t)(b >> 1);
  }
  return r;
}

/* a^254 = a^-1 for a != 0 (and 0 for a == 0): fixed sequence of operations. */
uint8_t zki_gf256_inv(uint8_t a) {
  uint8_t a2 = zki_gf256_mul(a, a);       /* a^2 */
  uint8_t a3 = zki_gf256_mul(a2, a);      /* a^3 */
  uint8_t a6 = zki_gf256_mul(a3, a3);     /* a^6 */
  uint8_t a12 = zki_gf256_mul(a6, a6);    /* a^12 */
  uint8_t a15 = zki_gf256_mul(a12, a3);   /* a^15 */
  uint8_t a30 = zki_gf256_mul(a15, a15);  /* a^30 */
  uint8_t a60 = zki_gf256_mul(a30, a30);  /* a^60 */
  uint8_t a120 = zki_gf256_mul(a60, a60); /* a^120 */
  uint8_t a126 = zki_gf256_mul(a120, a6); /* a^126 */
  uint8_t a127 = zki_gf256_mul(a126, a);  /* a^127 */
  return zki_gf256_mul(a127, a127);       /* a^254 */
}

zk_status zk_shamir_split(uint8_t *shares, size_t shares_len, size_t n, size_t k,
                          const uint8_t *secret, size_t secret_len) {
  if (shares == NULL || secret == NULL) {
    if (shares != NULL) zk_wipe(shares, shares_len);
    return ZK_ERR_ARG;
  }
  if (k == 0 || k > n || n > ZK_SHAMIR_MAX_SHARES || secret_len == 0 ||
      secret_len > ZK_SHAMIR_MAX_SECRET_LEN) {
    zk_wipe(shares, shares_len);
    return ZK_ERR_SHAMIR_PARAMS;
  }
  const size_t share_len = secret_len + 1;
  if (shares_len < n * share_len) {
    zk_wipe(shares, shares_len);
    return ZK_ERR_BUFFER_TOO_SMALL;
  }
  /* coeffs[(d-1) * secret_len + j]: coefficient of x^d for secret byte j, d = 1..k-1. */
  size_t ncoef = (k - 1) * secret_len;
  uint8_t *coeffs = NULL;
  if (ncoef > 0) {
    coeffs = malloc(ncoef);
    if (coeffs == NULL) {
      zk_wipe(shares, shares_len);
      return ZK_ERR_NOMEM;
    }
    if (zk_random(coeffs, ncoef) != ZK_OK) {
      zk_free_secret(coeffs, ncoef);
      zk_wipe(shares, shares_len);
      return ZK_ERR_RANDOM;
    }
  }
  for (size_t i = 0; i < n; i++) {
    uint8_t *sh = shares + i * share_len;
    const uint8_t x = (uint8_t)(i + 1);
    sh[0] = x;
    for (size_t j = 0; j < secret_len; j++) {
      /* Horner: (((c_{k-1} x + c_{k-2}) x + ...) x + secret) */
      uint8_t acc = 0;
      for (size_t d = k - 1; d >= 1; d--)
        acc = (uint8_t)(zki_gf256_mul(acc, x) ^ coeffs[(d - 1) * secret_len + j]);
      acc = (uint8_t)(zki_gf256_mul(acc, x) ^ secret[j]);
      sh[1 + j] = acc;
    }
  }
  zk_free_secret(coeffs, ncoef);
  return ZK_OK;
}

zk_status zk_shamir_combine_var(uint8_t *secret, size_t secret_len, size_t *secret_written,
                                const uint8_t *const *shares, const size_t *share_lens,
                                size_t count) {
  if (secret_written != NULL) *secret_written = 0;
  if (secret == NULL || secret_written == NULL || shares == NULL || share_lens == NULL ||
      count == 0) {
    if (secret != NULL) zk_wipe(secret, secret_len);
    return ZK_ERR_ARG;
  }
  zk_wipe(secret, secret_len);
  if (count > ZK_SHAMIR_MAX_SHARES) return ZK_ERR_SHAMIR_PARAMS;
  const size_t share_len = share_lens[0];
  if (share_len < 2 || share_len > ZK_SHAMIR_MAX_SECRET_LEN + 1) return ZK_ERR_SHAMIR_PARAMS;
  uint8_t seen[256];
  memset(seen, 0, sizeof seen);
  for (size_t i = 0; i < count; i++) {
    if (shares[i] == NULL) return ZK_ERR_ARG;
    if (share_lens[i] != share_len) return ZK_ERR_SHAMIR_SHARES;
    uint8_t x = shares[i][0]; /* public coordinate: branching on it is fine */
    if (x == 0 || seen[x]) return ZK_ERR_SHAMIR_SHARES;
    seen[x] = 1;
  }
  const size_t out_len = share_len - 1;
  if (secret_len < out_len) return ZK_ERR_BUFFER_TOO_SMALL;

  /* Lagrange basis at 0: l_i = prod_{m != i} x_m / (x_m - x_i); subtraction is XOR. */
  uint8_t basis[ZK_SHAMIR_MAX_SHARES];
  for (size_t i = 0; i < count; i++) {
    uint8_t num = 1, den = 1;
    const uint8_t xi = shares[i][0];
    for (size_t m = 0; m < count; m++) {
      if (m == i) continue;
      const uint8_t xm = shares[m][0];
      num = zki_gf256_mul(num, xm);
      den = zki_gf256_mul(den, (uint8_t)(xm ^ xi));
    }
    basis[i] = zki_gf256_mul(num, zki_gf256_inv(den));
  }
  for (size_t j = 0; j < out_len; j++) {
    uint8_t acc = 0;
    for (size_t i = 0; i < count; i++) acc ^= zki_gf256_mul(shares[i][1 + j], basis[i]);
    secret[j] = acc;
  }
  zk_wipe(basis, sizeof basis);
  *secret_written = out_len;
  return ZK_OK;
}

zk_status zk_shamir_combine(uint8_t *secret, size_t secret_len, size_t *secret_written,
                            const uint8_t *const *shares, size_t share_len, size_t count) {
  if (secret_written != NULL) *secret_written = 0;
  if (count == 0 || count > ZK_SHAMIR_MAX_SHARES || shares == NULL) {
    if (secret != NULL) zk_wipe(secret, secret_len);
    return count > ZK_SHAMIR_MAX_SHARES ? ZK_ERR_SHAMIR_PARAMS : ZK_ERR_ARG;
  }
  size_t lens[ZK_SHAMIR_MAX_SHARES];
  for (size_t i = 0; i < count; i++) lens[i] = share_len;
  return zk_shamir_combine_var(secret, secret_len, secret_written, shares, lens, count);
}
