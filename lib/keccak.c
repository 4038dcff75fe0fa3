/*
 * Keccak-f[1600] and Keccak-256 (rate 136 bytes, domain padding 0x01).
 * Written from the Keccak reference description (FIPS 202 section 3 step
 * mappings); constants are the published round constants and rotation offsets.
 */
#include <string.h>

#include "zk_internal.h"
#include "zk_keccak.h"

#define KECCAK256_RATE 136

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

/* rho offsets and pi lane order, walking the lanes along the pi permutation. */
static const unsigned keccak_rho[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                        27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const unsigned keccak_pi[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                       15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static uint64_t rotl64(uint64_t x, unsigned n) {
  return (x << n) | (x >> (64 - n));
}

static void keccak_f1600(uint64_t a[25]) {
  for (unsigned round = 0; round < 24; round++) {
    uint64_t c[5], d;
    for (unsigned x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (unsigned x = 0; x < 5; x++) {
      d = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
      for (unsigned y = 0; y < 25; y += 5) a[y + x] ^= d;
    }
    uint64_t cur = a[1];
    for (unsigned i = 0; i < 24; i++) {
      unsigned j = keccak_pi[i];
      uint64_t tmp = a[j];
      a[j] = rotl64(cur, keccak_rho[i]);
      cur = tmp;
    }
    for (unsigned y = 0; y < 25; y += 5) {
      for (unsigned x = 0; x < 5; x++) c[x] = a[y + x];
      for (unsigned x = 0; x < 5; x++) a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
    }
    a[0] ^= keccak_rc[round];
  }
}

/* XOR one byte into the state at byte position pos (lanes are little-endian). */
static void xor_byte(uint64_t st[25], size_t pos, uint8_t b) {
  st[pos / 8] ^= (uint64_t)b << (8 * (pos % 8));
}

void zki_keccak256_init(zki_keccak256_ctx *c) {
  memset(c, 0, sizeof *c);
}

void zki_keccak256_update(zki_keccak256_ctx *c, const uint8_t *p, size_t len) {
  for (size_t i = 0; i < len; i++) {
    xor_byte(c->st, c->pos, p[i]);
    if (++c->pos == KECCAK256_RATE) {
      keccak_f1600(c->st);
      c->pos = 0;
    }
  }
}

void zki_keccak256_final(zki_keccak256_ctx *c, uint8_t out[ZKI_KECCAK256_LEN]) {
  xor_byte(c->st, c->pos, 0x01);
  xor_byte(c->st, KECCAK256_RATE - 1, 0x80);
  keccak_f1600(c->st);
  for (size_t i = 0; i < ZKI_KECCAK256_LEN; i++) out[i] = (uint8_t)(c->st[i / 8] >> (8 * (i % 8)));
  zk_wipe(c, sizeof *c);
}

void zki_keccak256(uint8_t out[ZKI_KECCAK256_LEN], const uint8_t *p, size_t len) {
  zki_keccak256_ctx c;
  zki_keccak256_init(&c);
  zki_keccak256_update(&c, p, len);
  zki_keccak256_final(&c, out);
}
