/* Internal GF(2^8) arithmetic of lib/shamir.c (hidden; exposed for tests). */
#ifndef ZK_SHAMIR_INTERNAL_H
#define ZK_SHAMIR_INTERNAL_H

#include <stdint.h>

/* a * b in GF(2^8) modulo 0x11B; constant time (no tables, no secret branches). */
uint8_t zki_gf256_mul(uint8_t a, uint8_t b);
/* a^254 (the inverse of a, 0 for 0); constant time. */
uint8_t zki_gf256_inv(uint8_t a);

#endif
