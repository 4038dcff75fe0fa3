/*
 * Internal Keccak-256 (the original Keccak padding 0x01, as used by Ethereum),
 * which differs from FIPS 202 SHA3-256 (padding 0x06). OpenSSL 3.0 does not
 * expose it (KECCAK-256 arrived in OpenSSL 3.2), so the permutation is here.
 * Used for EIP-191 personal_sign digests of wallet stamps. Hidden symbol.
 */
#ifndef ZK_KECCAK_H
#define ZK_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define ZKI_KECCAK256_LEN 32

typedef struct zki_keccak256_ctx {
  uint64_t st[25];
  size_t pos; /* bytes absorbed into the current block */
} zki_keccak256_ctx;

void zki_keccak256_init(zki_keccak256_ctx *c);
void zki_keccak256_update(zki_keccak256_ctx *c, const uint8_t *p, size_t len);
/* Writes 32 bytes and wipes the context. */
void zki_keccak256_final(zki_keccak256_ctx *c, uint8_t out[ZKI_KECCAK256_LEN]);
/* One-shot. */
void zki_keccak256(uint8_t out[ZKI_KECCAK256_LEN], const uint8_t *p, size_t len);

#endif
