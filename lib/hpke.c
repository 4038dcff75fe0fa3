/*
 * RFC 9180 HPKE: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM /
 * AES-256-GCM / ChaCha20-Poly1305 / export-only; modes base, psk, auth,
 * auth_psk. Built on the zk_ key and crypto layers (OpenSSL 3 underneath);
 * ChaCha20-Poly1305 goes to OpenSSL EVP directly because crypto.h has no
 * wrapper for it.
 *
 * Every intermediate secret (DH outputs, shared secret, PRKs, labeled
 * inputs) lives on the stack and is wiped before the function returns, on
 * success and on failure.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "zerokey/crypto.h"
#include "zerokey/hpke.h"
#include "zk_ctime.h"
#include "zk_hpke_internal.h"
#include "zk_internal.h"

#define NH 32  /* HKDF-SHA256 output */
#define NN 12  /* AEAD nonce */
#define NSK 32 /* P-256 scalar */
#define NPK ZK_HPKE_ENC_LEN
#define LABEL_BUF (ZK_HPKE_MAX_INPUT_LEN + 64)
#define MAX_AEAD_LEN ((size_t)INT_MAX - 64)

struct zk_hpke_ctx {
  int is_sender;
  zk_hpke_aead aead;
  size_t nk;
  uint64_t seq;
  uint8_t key[32];
  uint8_t base_nonce[NN];
  uint8_t exporter_secret[NH];
};

/* suite_id for the KEM: "KEM" || I2OSP(0x0010, 2). */
static const uint8_t KEM_SUITE[5] = {'K', 'E', 'M', 0x00, 0x10};

/* Order n of the P-256 group, big-endian. */
static const uint8_t P256_ORDER[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};

static const uint8_t EMPTY[1] = {0};

static void hpke_suite(uint8_t out[10], zk_hpke_aead aead) {
  out[0] = 'H';
  out[1] = 'P';
  out[2] = 'K';
  out[3] = 'E';
  out[4] = 0x00;
  out[5] = 0x10; /* KEM */
  out[6] = 0x00;
  out[7] = 0x01; /* KDF */
  out[8] = (uint8_t)((unsigned)aead >> 8);
  out[9] = (uint8_t)((unsigned)aead & 0xff);
}

/* LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite || label || ikm). */
static zk_status labeled_extract(uint8_t prk[NH], const uint8_t *suite, size_t suite_len,
                                 const uint8_t *salt, size_t salt_len, const char *label,
                                 const uint8_t *ikm, size_t ikm_len) {
  /* HMAC pads a short key with zeros to the block size, so the RFC's empty
   * salt and HashLen zero bytes are the same key. */
  static const uint8_t zero_salt[NH] = {0};
  uint8_t buf[LABEL_BUF];
  size_t label_len = strlen(label);
  if (ikm_len > ZK_HPKE_MAX_INPUT_LEN || 7 + suite_len + label_len + ikm_len > sizeof buf)
    return ZK_ERR_TOO_LARGE;
  size_t n = 0;
  memcpy(buf, "HPKE-v1", 7);
  n += 7;
  memcpy(buf + n, suite, suite_len);
  n += suite_len;
  memcpy(buf + n, label, label_len);
  n += label_len;
  if (ikm_len > 0) memcpy(buf + n, ikm, ikm_len);
  n += ikm_len;
  if (salt_len == 0) {
    salt = zero_salt;
    salt_len = sizeof zero_salt;
  }
  zk_status st = zk_hkdf_extract(ZK_HASH_SHA256, prk, NH, salt, salt_len, buf, n);
  zk_wipe(buf, n);
  if (st != ZK_OK) zk_wipe(prk, NH);
  return st;
}

/* LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L,2) || "HPKE-v1" || suite || label ||
 * info, L). */
static zk_status labeled_expand(uint8_t *okm, size_t okm_len, const uint8_t *suite,
                                size_t suite_len, const uint8_t prk[NH], const char *label,
                                const uint8_t *info, size_t info_len) {
  uint8_t buf[LABEL_BUF];
  size_t label_len = strlen(label);
  if (okm_len == 0 || okm_len > ZK_HPKE_MAX_EXPORT_LEN) return ZK_ERR_KDF_LENGTH;
  if (info_len > ZK_HPKE_MAX_INPUT_LEN || 9 + suite_len + label_len + info_len > sizeof buf)
    return ZK_ERR_TOO_LARGE;
  size_t n = 0;
  buf[n++] = (uint8_t)(okm_len >> 8);
  buf[n++] = (uint8_t)(okm_len & 0xff);
  memcpy(buf + n, "HPKE-v1", 7);
  n += 7;
  memcpy(buf + n, suite, suite_len);
  n += suite_len;
  memcpy(buf + n, label, label_len);
  n += label_len;
  if (info_len > 0) memcpy(buf + n, info, info_len);
  n += info_len;
  zk_status st = zk_hkdf_expand(ZK_HASH_SHA256, okm, okm_len, prk, NH, buf, n);
  zk_wipe(buf, n);
  if (st != ZK_OK) zk_wipe(okm, okm_len);
  return st;
}

static zk_status ser_pub(uint8_t out[NPK], const zk_key *k) {
  size_t len = NPK;
  zk_status st = zk_key_export_public(k, ZK_PUB_UNCOMPRESSED, out, &len);
  if (st != ZK_OK) return st;
  return len == NPK ? ZK_OK : ZK_ERR_INTERNAL;
}

static zk_status dh(uint8_t out[NSK], const zk_key *priv, const zk_key *pub) {
  size_t len = NSK;
  zk_status st = zk_ecdh(out, &len, priv, pub);
  if (st == ZK_OK && len != NSK) st = ZK_ERR_INTERNAL;
  if (st != ZK_OK) zk_wipe(out, NSK);
  return st;
}

/* DeserializePublicKey: exactly 65 bytes, 0x04 prefix, a valid point. */
static zk_status deser_enc(zk_key **out, const uint8_t *enc, size_t enc_len) {
  *out = NULL;
  if (enc_len != NPK || enc[0] != 0x04) return ZK_ERR_HPKE_ENC;
  zk_status st = zk_key_from_public(out, ZK_CURVE_P256, enc, enc_len);
  if (st == ZK_ERR_NOMEM) return st;
  return st == ZK_OK ? ZK_OK : ZK_ERR_HPKE_ENC;
}

/* ExtractAndExpand(dh, kem_context) -> shared_secret (32 bytes). */
static zk_status extract_and_expand(uint8_t shared[NH], const uint8_t *dhv, size_t dh_len,
                                    const uint8_t *kem_context, size_t kc_len) {
  uint8_t prk[NH];
  zk_status st = labeled_extract(prk, KEM_SUITE, sizeof KEM_SUITE, NULL, 0, "eae_prk", dhv, dh_len);
  if (st == ZK_OK)
    st = labeled_expand(shared, NH, KEM_SUITE, sizeof KEM_SUITE, prk, "shared_secret", kem_context,
                        kc_len);
  zk_wipe(prk, sizeof prk);
  return st;
}

static size_t aead_nk(zk_hpke_aead aead) {
  switch (aead) {
    case ZK_HPKE_AEAD_AES_128_GCM:
      return 16;
    case ZK_HPKE_AEAD_AES_256_GCM:
      return 32;
    case ZK_HPKE_AEAD_CHACHA20_POLY1305:
      return 32;
    case ZK_HPKE_AEAD_EXPORT_ONLY:
      return 0;
    default:
      return SIZE_MAX;
  }
}

/* RFC 9180 VerifyPSKInputs plus the auth-key checks. */
static zk_status check_params(const zk_hpke_params *p, int sender) {
  if (p == NULL) return ZK_ERR_ARG;
  if (aead_nk(p->aead) == SIZE_MAX) return ZK_ERR_UNSUPPORTED;
  if (p->mode != ZK_HPKE_MODE_BASE && p->mode != ZK_HPKE_MODE_PSK && p->mode != ZK_HPKE_MODE_AUTH &&
      p->mode != ZK_HPKE_MODE_AUTH_PSK)
    return ZK_ERR_UNSUPPORTED;
  if ((p->info_len > 0 && p->info == NULL) || (p->psk_len > 0 && p->psk == NULL) ||
      (p->psk_id_len > 0 && p->psk_id == NULL))
    return ZK_ERR_ARG;
  if (p->info_len > ZK_HPKE_MAX_INPUT_LEN || p->psk_len > ZK_HPKE_MAX_INPUT_LEN ||
      p->psk_id_len > ZK_HPKE_MAX_INPUT_LEN)
    return ZK_ERR_TOO_LARGE;
  int has_psk = p->psk_len > 0, has_id = p->psk_id_len > 0;
  int psk_mode = p->mode == ZK_HPKE_MODE_PSK || p->mode == ZK_HPKE_MODE_AUTH_PSK;
  int auth_mode = p->mode == ZK_HPKE_MODE_AUTH || p->mode == ZK_HPKE_MODE_AUTH_PSK;
  if (has_psk != has_id) return ZK_ERR_HPKE_MODE;
  if (psk_mode && (!has_psk || p->psk_len < ZK_HPKE_MIN_PSK_LEN)) return ZK_ERR_HPKE_MODE;
  if (!psk_mode && has_psk) return ZK_ERR_HPKE_MODE;
  if (auth_mode != (p->auth_key != NULL)) return ZK_ERR_HPKE_MODE;
  if (auth_mode) {
    if (zk_key_curve(p->auth_key) != ZK_CURVE_P256) return ZK_ERR_CURVE;
    if (sender && !zk_key_has_private(p->auth_key)) return ZK_ERR_NO_PRIVATE_KEY;
  }
  return ZK_OK;
}

/* KeySchedule: fills key, base_nonce, exporter_secret of ctx. */
static zk_status key_schedule(zk_hpke_ctx *ctx, const zk_hpke_params *p, const uint8_t shared[NH]) {
  uint8_t suite[10], ksc[1 + 2 * NH], secret[NH];
  hpke_suite(suite, p->aead);
  ksc[0] = (uint8_t)p->mode;
  zk_status st = labeled_extract(ksc + 1, suite, sizeof suite, NULL, 0, "psk_id_hash", p->psk_id,
                                 p->psk_id_len);
  if (st == ZK_OK)
    st = labeled_extract(ksc + 1 + NH, suite, sizeof suite, NULL, 0, "info_hash", p->info,
                         p->info_len);
  if (st == ZK_OK)
    st = labeled_extract(secret, suite, sizeof suite, shared, NH, "secret", p->psk, p->psk_len);
  if (st == ZK_OK && ctx->nk > 0) {
    st = labeled_expand(ctx->key, ctx->nk, suite, sizeof suite, secret, "key", ksc, sizeof ksc);
    if (st == ZK_OK)
      st = labeled_expand(ctx->base_nonce, NN, suite, sizeof suite, secret, "base_nonce", ksc,
                          sizeof ksc);
  }
  if (st == ZK_OK)
    st = labeled_expand(ctx->exporter_secret, NH, suite, sizeof suite, secret, "exp", ksc,
                        sizeof ksc);
  zk_wipe(secret, sizeof secret);
  zk_wipe(ksc, sizeof ksc);
  return st;
}

zk_status zki_hpke_key_schedule_context(uint8_t out[1 + 2 * NH], const zk_hpke_params *p) {
  zk_wipe(out, 1 + 2 * NH);
  ZKI_TRY(check_params(p, 0));
  uint8_t suite[10];
  hpke_suite(suite, p->aead);
  out[0] = (uint8_t)p->mode;
  zk_status st = labeled_extract(out + 1, suite, sizeof suite, NULL, 0, "psk_id_hash", p->psk_id,
                                 p->psk_id_len);
  if (st == ZK_OK)
    st = labeled_extract(out + 1 + NH, suite, sizeof suite, NULL, 0, "info_hash", p->info,
                         p->info_len);
  if (st != ZK_OK) zk_wipe(out, 1 + 2 * NH);
  return st;
}

static zk_hpke_ctx *ctx_new(const zk_hpke_params *p, int sender) {
  zk_hpke_ctx *ctx = calloc(1, sizeof *ctx);
  if (ctx == NULL) return NULL;
  ctx->is_sender = sender;
  ctx->aead = p->aead;
  ctx->nk = aead_nk(p->aead);
  return ctx;
}

void zk_hpke_ctx_free(zk_hpke_ctx *ctx) {
  if (ctx == NULL) return;
  zk_wipe(ctx, sizeof *ctx);
  free(ctx);
}

uint64_t zk_hpke_ctx_seq(const zk_hpke_ctx *ctx) {
  return ctx == NULL ? 0 : ctx->seq;
}

void zki_hpke_ctx_set_seq(zk_hpke_ctx *ctx, uint64_t seq) {
  if (ctx != NULL) ctx->seq = seq;
}

void zki_hpke_ctx_schedule(const zk_hpke_ctx *ctx, uint8_t key[32], size_t *key_len,
                           uint8_t nonce[12], uint8_t exporter_secret[32]) {
  memcpy(key, ctx->key, 32);
  *key_len = ctx->nk;
  memcpy(nonce, ctx->base_nonce, NN);
  memcpy(exporter_secret, ctx->exporter_secret, NH);
}

zk_status zki_hpke_setup_sender_eph(zk_hpke_ctx **out, uint8_t *enc, size_t enc_len,
                                    const zk_hpke_params *params, const zk_key *pk_r,
                                    const zk_key *sk_e) {
  if (out != NULL) *out = NULL;
  if (enc != NULL) zk_wipe(enc, enc_len);
  if (out == NULL || enc == NULL || pk_r == NULL) return ZK_ERR_ARG;
  ZKI_TRY(check_params(params, 1));
  if (enc_len < NPK) return ZK_ERR_BUFFER_TOO_SMALL;
  if (zk_key_curve(pk_r) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  if (sk_e != NULL && (zk_key_curve(sk_e) != ZK_CURVE_P256 || !zk_key_has_private(sk_e)))
    return ZK_ERR_ARG;

  int auth = params->auth_key != NULL;
  zk_key *eph = NULL;
  zk_hpke_ctx *ctx = NULL;
  uint8_t dhv[2 * NSK], kc[3 * NPK], shared[NH];
  size_t kc_len = auth ? 3 * NPK : 2 * NPK;
  zk_status st = ZK_OK;
  if (sk_e == NULL) {
    st = zk_key_generate(&eph, ZK_CURVE_P256);
    sk_e = eph;
  }
  if (st == ZK_OK) st = dh(dhv, sk_e, pk_r);
  if (st == ZK_OK && auth) st = dh(dhv + NSK, params->auth_key, pk_r);
  if (st == ZK_OK) st = ser_pub(kc, sk_e);
  if (st == ZK_OK) st = ser_pub(kc + NPK, pk_r);
  if (st == ZK_OK && auth) st = ser_pub(kc + 2 * NPK, params->auth_key);
  if (st == ZK_OK) st = extract_and_expand(shared, dhv, auth ? 2 * NSK : NSK, kc, kc_len);
  if (st == ZK_OK && (ctx = ctx_new(params, 1)) == NULL) st = ZK_ERR_NOMEM;
  if (st == ZK_OK) st = key_schedule(ctx, params, shared);
  if (st == ZK_OK) {
    memcpy(enc, kc, NPK);
    *out = ctx;
    ctx = NULL;
  }
  zk_hpke_ctx_free(ctx);
  zk_key_free(eph);
  zk_wipe(dhv, sizeof dhv);
  zk_wipe(shared, sizeof shared);
  return st;
}

zk_status zk_hpke_setup_sender(zk_hpke_ctx **out, uint8_t *enc, size_t enc_len,
                               const zk_hpke_params *params, const zk_key *pk_r) {
  return zki_hpke_setup_sender_eph(out, enc, enc_len, params, pk_r, NULL);
}

zk_status zk_hpke_setup_receiver(zk_hpke_ctx **out, const zk_hpke_params *params,
                                 const zk_key *sk_r, const uint8_t *enc, size_t enc_len) {
  if (out != NULL) *out = NULL;
  if (out == NULL || sk_r == NULL || (enc == NULL && enc_len > 0)) return ZK_ERR_ARG;
  ZKI_TRY(check_params(params, 0));
  if (zk_key_curve(sk_r) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  if (!zk_key_has_private(sk_r)) return ZK_ERR_NO_PRIVATE_KEY;

  int auth = params->auth_key != NULL;
  zk_key *pk_e = NULL;
  zk_hpke_ctx *ctx = NULL;
  uint8_t dhv[2 * NSK], kc[3 * NPK], shared[NH];
  size_t kc_len = auth ? 3 * NPK : 2 * NPK;
  zk_status st = deser_enc(&pk_e, enc, enc_len);
  if (st == ZK_OK) st = dh(dhv, sk_r, pk_e);
  if (st == ZK_OK && auth) st = dh(dhv + NSK, sk_r, params->auth_key);
  if (st == ZK_OK) {
    memcpy(kc, enc, NPK);
    st = ser_pub(kc + NPK, sk_r);
  }
  if (st == ZK_OK && auth) st = ser_pub(kc + 2 * NPK, params->auth_key);
  if (st == ZK_OK) st = extract_and_expand(shared, dhv, auth ? 2 * NSK : NSK, kc, kc_len);
  if (st == ZK_OK && (ctx = ctx_new(params, 0)) == NULL) st = ZK_ERR_NOMEM;
  if (st == ZK_OK) st = key_schedule(ctx, params, shared);
  if (st == ZK_OK) {
    *out = ctx;
    ctx = NULL;
  }
  zk_hpke_ctx_free(ctx);
  zk_key_free(pk_e);
  zk_wipe(dhv, sizeof dhv);
  zk_wipe(shared, sizeof shared);
  return st;
}

/* ComputeNonce: base_nonce XOR I2OSP(seq, Nn). */
static void compute_nonce(uint8_t nonce[NN], const zk_hpke_ctx *ctx) {
  memcpy(nonce, ctx->base_nonce, NN);
  for (int i = 0; i < 8; i++) nonce[NN - 1 - i] ^= (uint8_t)(ctx->seq >> (8 * i));
}

/* ChaCha20-Poly1305 through EVP (crypto.h wraps AES-GCM only). */
static zk_status chacha_crypt(int encrypt, uint8_t *out, uint8_t tag[ZK_HPKE_TAG_LEN],
                              const uint8_t *key, const uint8_t nonce[NN], const uint8_t *aad,
                              size_t aad_len, const uint8_t *in, size_t in_len) {
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  if (c == NULL) return ZK_ERR_NOMEM;
  zk_status st = ZK_ERR_INTERNAL;
  int outl = 0;
  if (EVP_CipherInit_ex(c, EVP_chacha20_poly1305(), NULL, NULL, NULL, encrypt) != 1) goto done;
  if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, NN, NULL) != 1) goto done;
  if (EVP_CipherInit_ex(c, NULL, NULL, key, nonce, encrypt) != 1) goto done;
  if (aad_len > 0 && EVP_CipherUpdate(c, NULL, &outl, aad, (int)aad_len) != 1) goto done;
  if (in_len > 0 && EVP_CipherUpdate(c, out, &outl, in, (int)in_len) != 1) goto done;
  if (!encrypt) {
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, ZK_HPKE_TAG_LEN, tag) != 1) goto done;
    if (EVP_CipherFinal_ex(c, out + in_len, &outl) != 1) {
      st = ZK_ERR_DECRYPT;
      goto done;
    }
  } else {
    if (EVP_CipherFinal_ex(c, out + in_len, &outl) != 1) goto done;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, ZK_HPKE_TAG_LEN, tag) != 1) goto done;
  }
  st = ZK_OK;
done:
  EVP_CIPHER_CTX_free(c);
  return st;
}

zk_status zk_hpke_seal(zk_hpke_ctx *ctx, uint8_t *ct, size_t *ct_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *pt, size_t pt_len) {
  size_t cap = ct_len != NULL ? *ct_len : 0;
  if (ct_len != NULL) *ct_len = 0;
  if (ct != NULL) zk_wipe(ct, cap);
  if (ctx == NULL || ct == NULL || ct_len == NULL || (aad == NULL && aad_len > 0) ||
      (pt == NULL && pt_len > 0))
    return ZK_ERR_ARG;
  if (!ctx->is_sender || ctx->nk == 0) return ZK_ERR_STATE;
  if (ctx->seq == UINT64_MAX) return ZK_ERR_HPKE_SEQ;
  if (pt_len > MAX_AEAD_LEN || aad_len > MAX_AEAD_LEN) return ZK_ERR_TOO_LARGE;
  if (cap < pt_len + ZK_HPKE_TAG_LEN) return ZK_ERR_BUFFER_TOO_SMALL;
  if (aad == NULL) aad = EMPTY;
  if (pt == NULL) pt = EMPTY;
  uint8_t nonce[NN];
  compute_nonce(nonce, ctx);
  zk_status st;
  if (ctx->aead == ZK_HPKE_AEAD_CHACHA20_POLY1305)
    st = chacha_crypt(1, ct, ct + pt_len, ctx->key, nonce, aad, aad_len, pt, pt_len);
  else
    st = zk_aes_gcm_seal(ct, ct + pt_len, ZK_HPKE_TAG_LEN, ctx->key, ctx->nk, nonce, NN, aad,
                         aad_len, pt, pt_len);
  zk_wipe(nonce, sizeof nonce);
  if (st != ZK_OK) {
    zk_wipe(ct, cap);
    return st == ZK_ERR_NOMEM ? st : ZK_ERR_INTERNAL;
  }
  ctx->seq++;
  *ct_len = pt_len + ZK_HPKE_TAG_LEN;
  return ZK_OK;
}

zk_status zk_hpke_open(zk_hpke_ctx *ctx, uint8_t *pt, size_t *pt_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *ct, size_t ct_len) {
  size_t cap = pt_len != NULL ? *pt_len : 0;
  if (pt_len != NULL) *pt_len = 0;
  if (pt != NULL) zk_wipe(pt, cap);
  if (ctx == NULL || pt_len == NULL || (pt == NULL && cap > 0) || (aad == NULL && aad_len > 0) ||
      (ct == NULL && ct_len > 0))
    return ZK_ERR_ARG;
  if (ctx->is_sender || ctx->nk == 0) return ZK_ERR_STATE;
  if (ctx->seq == UINT64_MAX) return ZK_ERR_HPKE_SEQ;
  if (ct_len < ZK_HPKE_TAG_LEN) return ZK_ERR_TRUNCATED;
  if (ct_len > MAX_AEAD_LEN || aad_len > MAX_AEAD_LEN) return ZK_ERR_TOO_LARGE;
  size_t n = ct_len - ZK_HPKE_TAG_LEN;
  if (cap < n) return ZK_ERR_BUFFER_TOO_SMALL;
  if (aad == NULL) aad = EMPTY;
  /* An empty plaintext still needs a writable pointer for the AEAD layer. */
  uint8_t dummy[1];
  uint8_t *dst = n > 0 ? pt : dummy;
  uint8_t nonce[NN];
  compute_nonce(nonce, ctx);
  zk_status st;
  if (ctx->aead == ZK_HPKE_AEAD_CHACHA20_POLY1305) {
    uint8_t tag[ZK_HPKE_TAG_LEN];
    memcpy(tag, ct + n, ZK_HPKE_TAG_LEN);
    st = chacha_crypt(0, dst, tag, ctx->key, nonce, aad, aad_len, ct, n);
  } else {
    st = zk_aes_gcm_open(dst, ctx->key, ctx->nk, nonce, NN, aad, aad_len, ct, n, ct + n,
                         ZK_HPKE_TAG_LEN);
  }
  zk_wipe(nonce, sizeof nonce);
  if (st != ZK_OK) {
    if (pt != NULL) zk_wipe(pt, cap);
    if (st == ZK_ERR_NOMEM) return st;
    return st == ZK_ERR_DECRYPT ? ZK_ERR_HPKE_OPEN : ZK_ERR_INTERNAL;
  }
  ctx->seq++;
  *pt_len = n;
  return ZK_OK;
}

zk_status zk_hpke_export(const zk_hpke_ctx *ctx, uint8_t *out, size_t out_len,
                         const uint8_t *exporter_context, size_t exporter_context_len) {
  if (out != NULL) zk_wipe(out, out_len);
  if (ctx == NULL || out == NULL || (exporter_context == NULL && exporter_context_len > 0))
    return ZK_ERR_ARG;
  if (out_len == 0 || out_len > ZK_HPKE_MAX_EXPORT_LEN) return ZK_ERR_KDF_LENGTH;
  if (exporter_context_len > ZK_HPKE_MAX_INPUT_LEN) return ZK_ERR_TOO_LARGE;
  uint8_t suite[10];
  hpke_suite(suite, ctx->aead);
  return labeled_expand(out, out_len, suite, sizeof suite, ctx->exporter_secret, "sec",
                        exporter_context, exporter_context_len);
}

/* Constant-time: 1 if a is a valid scalar (0 < a < n), else 0. */
static int scalar_in_range(const uint8_t a[NSK]) {
  unsigned borrow = 0, acc = 0;
  for (int i = NSK - 1; i >= 0; i--) {
    unsigned d = (unsigned)a[i] - (unsigned)P256_ORDER[i] - borrow;
    borrow = (d >> 8) & 1u;
    acc |= a[i];
  }
  return (int)(borrow & (unsigned)((acc | (0u - acc)) >> (sizeof(unsigned) * 8 - 1)));
}

zk_status zk_hpke_derive_keypair(zk_key **out, const uint8_t *ikm, size_t ikm_len) {
  if (out != NULL) *out = NULL;
  if (out == NULL || ikm == NULL || ikm_len < ZK_HPKE_MIN_IKM_LEN) return ZK_ERR_ARG;
  if (ikm_len > ZK_HPKE_MAX_INPUT_LEN) return ZK_ERR_TOO_LARGE;
  uint8_t prk[NH], sk[NSK];
  zk_status st =
      labeled_extract(prk, KEM_SUITE, sizeof KEM_SUITE, NULL, 0, "dkp_prk", ikm, ikm_len);
  if (st == ZK_OK) st = ZK_ERR_INTERNAL; /* stays so if no candidate is valid */
  for (unsigned counter = 0; counter < 256 && st == ZK_ERR_INTERNAL; counter++) {
    uint8_t c = (uint8_t)counter;
    zk_status e = labeled_expand(sk, NSK, KEM_SUITE, sizeof KEM_SUITE, prk, "candidate", &c, 1);
    if (e != ZK_OK) {
      st = e;
      break;
    }
    sk[0] &= 0xff; /* bitmask for P-256 */
    /* Rejection sampling: whether a candidate is rejected is public (it says nothing about the
     * accepted key, and happens with probability about 2^-32). */
    int in_range = scalar_in_range(sk);
    ZKI_DECLASSIFY(&in_range, sizeof in_range);
    if (in_range) st = zk_key_from_private(out, ZK_CURVE_P256, sk, NSK);
  }
  zk_wipe(prk, sizeof prk);
  zk_wipe(sk, sizeof sk);
  if (st != ZK_OK && out != NULL) {
    zk_key_free(*out);
    *out = NULL;
  }
  return st;
}

zk_status zk_hpke_seal_once(uint8_t *enc, size_t enc_len, uint8_t *ct, size_t *ct_len,
                            const zk_hpke_params *params, const zk_key *pk_r, const uint8_t *aad,
                            size_t aad_len, const uint8_t *pt, size_t pt_len) {
  size_t cap = ct_len != NULL ? *ct_len : 0;
  if (ct_len != NULL) *ct_len = 0;
  if (ct != NULL) zk_wipe(ct, cap);
  if (enc != NULL) zk_wipe(enc, enc_len);
  if (enc == NULL || ct == NULL || ct_len == NULL || params == NULL) return ZK_ERR_ARG;
  if (params->aead == ZK_HPKE_AEAD_EXPORT_ONLY) return ZK_ERR_STATE;
  zk_hpke_ctx *ctx = NULL;
  ZKI_TRY(zk_hpke_setup_sender(&ctx, enc, enc_len, params, pk_r));
  *ct_len = cap;
  zk_status st = zk_hpke_seal(ctx, ct, ct_len, aad, aad_len, pt, pt_len);
  zk_hpke_ctx_free(ctx);
  if (st != ZK_OK) zk_wipe(enc, enc_len);
  return st;
}

zk_status zk_hpke_open_once(uint8_t *pt, size_t *pt_len, const zk_hpke_params *params,
                            const zk_key *sk_r, const uint8_t *enc, size_t enc_len,
                            const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len) {
  size_t cap = pt_len != NULL ? *pt_len : 0;
  if (pt_len != NULL) *pt_len = 0;
  if (pt != NULL) zk_wipe(pt, cap);
  if (pt_len == NULL || params == NULL) return ZK_ERR_ARG;
  if (params->aead == ZK_HPKE_AEAD_EXPORT_ONLY) return ZK_ERR_STATE;
  zk_hpke_ctx *ctx = NULL;
  ZKI_TRY(zk_hpke_setup_receiver(&ctx, params, sk_r, enc, enc_len));
  *pt_len = cap;
  zk_status st = zk_hpke_open(ctx, pt, pt_len, aad, aad_len, ct, ct_len);
  zk_hpke_ctx_free(ctx);
  return st;
}
