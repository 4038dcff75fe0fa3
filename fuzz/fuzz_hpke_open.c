/*
 * libFuzzer harness: HPKE receiver (SetupR + Open) with a fixed receiver key.
 * Input: byte 0 = mode (bits 0-1) and AEAD (bits 2-3: AES-128-GCM, AES-256-GCM,
 * ChaCha20-Poly1305, export-only), byte 1 = enc length (clamped to the input),
 * then enc, then the ciphertext (opened twice: sequence numbers 0 and 1).
 * Keys: receiver = DeriveKeyPair(0x33 * 32), sender (auth modes) = DeriveKeyPair(0x44 * 32);
 * PSK = 0x55 * 32, psk_id "fuzz", info "fuzz-info", AAD "fuzz-aad".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/hpke.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_key *sk_r, *pk_s;
static uint8_t psk[32];

static void init_keys(void) {
  if (sk_r != NULL) return;
  uint8_t ikm[32];
  zk_key *sk_s = NULL;
  memset(ikm, 0x33, sizeof ikm);
  if (zk_hpke_derive_keypair(&sk_r, ikm, sizeof ikm) != ZK_OK) abort();
  memset(ikm, 0x44, sizeof ikm);
  if (zk_hpke_derive_keypair(&sk_s, ikm, sizeof ikm) != ZK_OK) abort();
  if (zk_key_public_copy(&pk_s, sk_s) != ZK_OK) abort();
  zk_key_free(sk_s);
  memset(psk, 0x55, sizeof psk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  init_keys();
  static const zk_hpke_aead aeads[4] = {ZK_HPKE_AEAD_AES_128_GCM, ZK_HPKE_AEAD_AES_256_GCM,
                                        ZK_HPKE_AEAD_CHACHA20_POLY1305, ZK_HPKE_AEAD_EXPORT_ONLY};
  zk_hpke_params p;
  memset(&p, 0, sizeof p);
  p.mode = (zk_hpke_mode)(data[0] & 3);
  p.aead = aeads[(data[0] >> 2) & 3];
  p.info = (const uint8_t *)"fuzz-info";
  p.info_len = 9;
  if (p.mode == ZK_HPKE_MODE_PSK || p.mode == ZK_HPKE_MODE_AUTH_PSK) {
    p.psk = psk;
    p.psk_len = sizeof psk;
    p.psk_id = (const uint8_t *)"fuzz";
    p.psk_id_len = 4;
  }
  if (p.mode == ZK_HPKE_MODE_AUTH || p.mode == ZK_HPKE_MODE_AUTH_PSK) p.auth_key = pk_s;
  size_t enc_len = data[1];
  if (enc_len > size - 2) enc_len = size - 2;
  const uint8_t *enc = data + 2, *ct = data + 2 + enc_len;
  size_t ct_len = size - 2 - enc_len;

  zk_hpke_ctx *ctx = NULL;
  if (zk_hpke_setup_receiver(&ctx, &p, sk_r, enc, enc_len) != ZK_OK) {
    if (ctx != NULL) abort();
    return 0;
  }
  uint8_t *pt = malloc(ct_len + 1);
  if (pt == NULL) abort();
  for (int i = 0; i < 2; i++) {
    size_t n = ct_len + 1;
    zk_status st = zk_hpke_open(ctx, pt, &n, (const uint8_t *)"fuzz-aad", 8, ct, ct_len);
    if (st != ZK_OK && n != 0) abort();
  }
  uint8_t x[32];
  if (zk_hpke_export(ctx, x, sizeof x, ct, ct_len > 64 ? 64 : ct_len) != ZK_OK) abort();
  free(pt);
  zk_hpke_ctx_free(ctx);
  return 0;
}
