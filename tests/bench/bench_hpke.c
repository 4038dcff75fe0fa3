/*
 * HPKE benchmark: single-shot seal + open (the "turnkey_hpke" configuration:
 * base mode, DHKEM(P-256, HKDF-SHA256), AES-256-GCM) for 32-byte and 1 KiB
 * payloads, against the raw OpenSSL cost of the same work measured in the same
 * run: one P-256 key generation + two ECDH + HKDF (one derive per side) +
 * AES-256-GCM encrypt and decrypt, once through the EVP provider API and once
 * through the low-level EC_KEY API that lib/key.c uses (the ratio against the
 * latter is the honest one; it also encodes and decodes the ephemeral point, as
 * HPKE must: zkb_hpke_raw_* in bench_util). Also the context-only seal + open (no KEM).
 * Prints rates and ratios; never asserts on time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "bench_util.h"
#include "zerokey/hpke.h"

typedef struct bctx {
  zk_key *sk_r, *pk_r;
  EVP_PKEY *raw_r;
  zkb_hpke_raw ec; /* the EC_KEY floor (bench_util) */
  EVP_KDF *kdf;
  zk_hpke_params p;
  zk_hpke_ctx *s, *r;
  size_t len;
  uint8_t pt[1024], ct[1024 + 16], back[1024];
} bctx;

static int hpke_once(void *arg) {
  bctx *b = arg;
  uint8_t enc[ZK_HPKE_ENC_LEN];
  size_t ct_len = sizeof b->ct, n = sizeof b->back;
  if (zk_hpke_seal_once(enc, sizeof enc, b->ct, &ct_len, &b->p, b->pk_r, NULL, 0, b->pt, b->len) !=
      ZK_OK)
    return 1;
  if (zk_hpke_open_once(b->back, &n, &b->p, b->sk_r, enc, sizeof enc, NULL, 0, b->ct, ct_len) !=
      ZK_OK)
    return 1;
  return n == b->len ? 0 : 1;
}

static int hpke_ctx_msg(void *arg) {
  bctx *b = arg;
  size_t ct_len = sizeof b->ct, n = sizeof b->back;
  if (zk_hpke_seal(b->s, b->ct, &ct_len, NULL, 0, b->pt, b->len) != ZK_OK) return 1;
  if (zk_hpke_open(b->r, b->back, &n, NULL, 0, b->ct, ct_len) != ZK_OK) return 1;
  return 0;
}

static int ecdh(uint8_t out[32], EVP_PKEY *priv, EVP_PKEY *peer) {
  EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
  size_t n = 32;
  int ok = c != NULL && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_derive_set_peer(c, peer) == 1 &&
           EVP_PKEY_derive(c, out, &n) == 1 && n == 32;
  EVP_PKEY_CTX_free(c);
  return ok ? 0 : 1;
}

/* Raw OpenSSL: keygen + ECDH (sender) + HKDF + GCM seal; ECDH (receiver) + HKDF + GCM open. */
static int raw_once(void *arg) {
  bctx *b = arg;
  uint8_t z1[32], z2[32], k1[44], k2[44], tag[16];
  EVP_PKEY *eph = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  int rc = eph == NULL;
  rc = rc || ecdh(z1, eph, b->raw_r) || zkb_hkdf_sha256(b->kdf, k1, sizeof k1, z1) ||
       zkb_aes256_gcm(1, b->ct, tag, k1, b->pt, b->len);
  rc = rc || ecdh(z2, b->raw_r, eph) || zkb_hkdf_sha256(b->kdf, k2, sizeof k2, z2) ||
       zkb_aes256_gcm(0, b->back, tag, k2, b->ct, b->len);
  EVP_PKEY_free(eph);
  return rc;
}

/* The same with the low-level EC_KEY API (what lib/key.c uses): the primitive floor. */
static int raw_eckey_once(void *arg) {
  bctx *b = arg;
  b->ec.len = b->len;
  return zkb_hpke_raw_seal_op(&b->ec) || zkb_hpke_raw_open_op(&b->ec);
}

int main(void) {
  bctx b;
  memset(&b, 0, sizeof b);
  if (zk_key_generate(&b.sk_r, ZK_CURVE_P256) != ZK_OK || zk_key_public_copy(&b.pk_r, b.sk_r))
    return 1;
  b.raw_r = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  b.kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
  zkb_hpke_raw_setup(&b.ec);
  if (b.raw_r == NULL || b.kdf == NULL) return 1;
  b.p.mode = ZK_HPKE_MODE_BASE;
  b.p.aead = ZK_HPKE_AEAD_AES_256_GCM;
  b.p.info = (const uint8_t *)"turnkey_hpke";
  b.p.info_len = 12;
  memset(b.pt, 0x61, sizeof b.pt);
  uint8_t enc[ZK_HPKE_ENC_LEN];
  if (zk_hpke_setup_sender(&b.s, enc, sizeof enc, &b.p, b.pk_r) != ZK_OK ||
      zk_hpke_setup_receiver(&b.r, &b.p, b.sk_r, enc, sizeof enc) != ZK_OK)
    return 1;

  const size_t sizes[2] = {32, 1024};
  for (int i = 0; i < 2; i++) {
    char l1[64], l2[64], l3[64], l4[64];
    b.len = sizes[i];
    snprintf(l1, sizeof l1, "hpke seal_once+open_once %zu B", b.len);
    snprintf(l2, sizeof l2, "openssl EVP keygen+2ecdh+hkdf+gcm %zu B", b.len);
    snprintf(l4, sizeof l4, "openssl EC_KEY keygen+2ecdh+hkdf+gcm %zu B", b.len);
    snprintf(l3, sizeof l3, "hpke context seal+open %zu B", b.len);
    double h = zkb_rate(l1, hpke_once, &b, 1.0);
    double r = zkb_rate(l2, raw_once, &b, 1.0);
    double r2 = zkb_rate(l4, raw_eckey_once, &b, 1.0);
    zkb_report_ratio(l1, h, l4, r2);
    zkb_report_ratio(l1, h, l2, r);
    zkb_rate(l3, hpke_ctx_msg, &b, 0.5);
  }
  zk_hpke_ctx_free(b.s);
  zk_hpke_ctx_free(b.r);
  zk_key_free(b.sk_r);
  zk_key_free(b.pk_r);
  EVP_PKEY_free(b.raw_r);
  zkb_hpke_raw_free(&b.ec);
  EVP_KDF_free(b.kdf);
  return 0;
}
