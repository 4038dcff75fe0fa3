/*
 * Benchmark: libzerokey primitives against the raw OpenSSL / libsecp256k1 calls
 * they wrap, measured in the same run (throughput and ratio; never asserts on time).
 *
 *  - ECDSA verify P-256 / P-384 (DER): zk_key_verify vs EVP_DigestVerify
 *  - ECDSA sign P-256 / P-384: zk_key_sign (RFC 6979) vs EVP_DigestSign (random k)
 *  - secp256k1 verify (DER) and sign: zk_key_verify / zk_key_sign vs
 *    secp256k1_ecdsa_signature_parse_der + normalize + verify / secp256k1_ecdsa_sign
 *  - Ed25519 verify: zk_key_verify vs EVP_DigestVerify
 *  - AES-256-GCM seal of 1 KiB: zk_aes_gcm_seal vs EVP_EncryptInit_ex2/Update/Final
 *  - HKDF-SHA256 (32-byte output): zk_hkdf vs EVP_KDF_derive
 *
 * Set ZK_BENCH_SECONDS to change the measuring time per line (default 0.5 s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/x509.h>
#include <secp256k1.h>

#include "bench_util.h"
#include "zerokey/zerokey.h"

#define SECONDS 0.5

static const uint8_t MSG[] = "benchmark message: a typical 64-byte request body for a stamp!!";
#define MSG_LEN (sizeof MSG - 1)

/* ---- ECDSA / EdDSA through libzerokey ---- */

typedef struct {
  zk_key *key;
  zk_sig_format fmt;
  uint8_t sig[ZK_MAX_SIG_LEN];
  size_t sig_len;
  EVP_PKEY *pkey; /* same key as an OpenSSL object (public for verify, private for sign) */
  const EVP_MD *md;
} sig_ctx;

static int zk_verify_op(void *p) {
  sig_ctx *c = p;
  return zk_key_verify(c->key, c->fmt, 0, c->sig, c->sig_len, MSG, MSG_LEN) == ZK_OK ? 0 : 1;
}

static int zk_sign_op(void *p) {
  sig_ctx *c = p;
  uint8_t sig[ZK_MAX_SIG_LEN];
  size_t len = sizeof sig;
  return zk_key_sign(c->key, c->fmt, sig, &len, MSG, MSG_LEN) == ZK_OK ? 0 : 1;
}

static int evp_verify_op(void *p) {
  sig_ctx *c = p;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m != NULL && EVP_DigestVerifyInit(m, NULL, c->md, NULL, c->pkey) == 1 &&
           EVP_DigestVerify(m, c->sig, c->sig_len, MSG, MSG_LEN) == 1;
  EVP_MD_CTX_free(m);
  return ok ? 0 : 1;
}

static int evp_sign_op(void *p) {
  sig_ctx *c = p;
  uint8_t sig[ZK_MAX_SIG_LEN];
  size_t len = sizeof sig;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m != NULL && EVP_DigestSignInit(m, NULL, c->md, NULL, c->pkey) == 1 &&
           EVP_DigestSign(m, sig, &len, MSG, MSG_LEN) == 1;
  EVP_MD_CTX_free(m);
  return ok ? 0 : 1;
}

/* OpenSSL EVP_PKEY holding the private key of k (via the raw scalar / seed). */
static EVP_PKEY *evp_private(const zk_key *k) {
  uint8_t sk[ZK_MAX_SECRET_LEN];
  size_t sk_len = sizeof sk;
  if (zk_key_export_private(k, sk, &sk_len) != ZK_OK) zkb_die("export private");
  EVP_PKEY *pk = NULL;
  if (zk_key_curve(k) == ZK_CURVE_ED25519) {
    pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sk, sk_len);
  } else {
    const char *group = zk_key_curve(k) == ZK_CURVE_P384 ? "secp384r1" : "prime256v1";
    uint8_t pub[ZK_MAX_PUBKEY_LEN];
    size_t pub_len = sizeof pub;
    if (zk_key_export_public(k, ZK_PUB_UNCOMPRESSED, pub, &pub_len) != ZK_OK) zkb_die("export pub");
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *d = BN_secure_new();
    OSSL_PARAM *params = NULL;
    if (pc != NULL && bld != NULL && d != NULL && BN_bin2bn(sk, (int)sk_len, d) != NULL &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, pub_len) == 1 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) == 1 &&
        (params = OSSL_PARAM_BLD_to_param(bld)) != NULL && EVP_PKEY_fromdata_init(pc) == 1 &&
        EVP_PKEY_fromdata(pc, &pk, EVP_PKEY_KEYPAIR, params) == 1) {
      /* pk set */
    } else {
      pk = NULL;
    }
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(d);
    EVP_PKEY_CTX_free(pc);
  }
  zk_wipe(sk, sizeof sk);
  if (pk == NULL) zkb_die("EVP private key");
  return pk;
}

static void bench_openssl_curve(zk_curve curve, const char *name, const EVP_MD *md,
                                zk_sig_format fmt) {
  sig_ctx c;
  memset(&c, 0, sizeof c);
  c.fmt = fmt;
  c.md = md;
  if (zk_key_generate(&c.key, curve) != ZK_OK) zkb_die("generate");
  c.sig_len = sizeof c.sig;
  if (zk_key_sign(c.key, fmt, c.sig, &c.sig_len, MSG, MSG_LEN) != ZK_OK) zkb_die("sign");
  char l1[96], l2[96];
  /* verify */
  c.pkey = zkb_evp_public(c.key);
  snprintf(l1, sizeof l1, "zk_key_verify %s", name);
  snprintf(l2, sizeof l2, "EVP_DigestVerify %s", name);
  double a = zkb_rate(l1, zk_verify_op, &c, SECONDS);
  double b = zkb_rate(l2, evp_verify_op, &c, SECONDS);
  zkb_report_ratio(l1, a, l2, b);
  EVP_PKEY_free(c.pkey);
  /* sign */
  c.pkey = evp_private(c.key);
  snprintf(l1, sizeof l1, "zk_key_sign %s", name);
  snprintf(l2, sizeof l2, "EVP_DigestSign %s", name);
  a = zkb_rate(l1, zk_sign_op, &c, SECONDS);
  b = zkb_rate(l2, evp_sign_op, &c, SECONDS);
  zkb_report_ratio(l1, a, l2, b);
  EVP_PKEY_free(c.pkey);
  zk_key_free(c.key);
}

/* ---- secp256k1 raw ---- */

typedef struct {
  secp256k1_context *ctx;
  secp256k1_pubkey pub;
  uint8_t sk[32];
  uint8_t der[80];
  size_t der_len;
} k1_ctx;

static int k1_verify_op(void *p) {
  k1_ctx *c = p;
  uint8_t dg[32];
  unsigned int n;
  secp256k1_ecdsa_signature s;
  if (EVP_Digest(MSG, MSG_LEN, dg, &n, EVP_sha256(), NULL) != 1) return 1;
  if (secp256k1_ecdsa_signature_parse_der(c->ctx, &s, c->der, c->der_len) != 1) return 1;
  secp256k1_ecdsa_signature_normalize(c->ctx, &s, &s);
  return secp256k1_ecdsa_verify(c->ctx, &s, dg, &c->pub) == 1 ? 0 : 1;
}

static int k1_sign_op(void *p) {
  k1_ctx *c = p;
  uint8_t dg[32], der[80];
  size_t der_len = sizeof der;
  unsigned int n;
  secp256k1_ecdsa_signature s;
  if (EVP_Digest(MSG, MSG_LEN, dg, &n, EVP_sha256(), NULL) != 1) return 1;
  if (secp256k1_ecdsa_sign(c->ctx, &s, dg, c->sk, NULL, NULL) != 1) return 1;
  return secp256k1_ecdsa_signature_serialize_der(c->ctx, der, &der_len, &s) == 1 ? 0 : 1;
}

static void bench_secp256k1(void) {
  sig_ctx z;
  memset(&z, 0, sizeof z);
  z.fmt = ZK_SIG_DER;
  if (zk_key_generate(&z.key, ZK_CURVE_SECP256K1) != ZK_OK) zkb_die("generate k1");
  z.sig_len = sizeof z.sig;
  if (zk_key_sign(z.key, ZK_SIG_DER, z.sig, &z.sig_len, MSG, MSG_LEN) != ZK_OK) zkb_die("sign k1");
  k1_ctx r;
  memset(&r, 0, sizeof r);
  r.ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  size_t sk_len = sizeof r.sk;
  uint8_t pub[65];
  size_t pub_len = sizeof pub;
  if (r.ctx == NULL || zk_key_export_private(z.key, r.sk, &sk_len) != ZK_OK ||
      zk_key_export_public(z.key, ZK_PUB_UNCOMPRESSED, pub, &pub_len) != ZK_OK ||
      secp256k1_ec_pubkey_parse(r.ctx, &r.pub, pub, pub_len) != 1)
    zkb_die("k1 raw setup");
  memcpy(r.der, z.sig, z.sig_len);
  r.der_len = z.sig_len;
  double a = zkb_rate("zk_key_verify secp256k1 DER", zk_verify_op, &z, SECONDS);
  double b = zkb_rate("libsecp256k1 verify (parse_der+normalize)", k1_verify_op, &r, SECONDS);
  zkb_report_ratio("zk_key_verify secp256k1 DER", a, "libsecp256k1 verify", b);
  a = zkb_rate("zk_key_sign secp256k1 DER", zk_sign_op, &z, SECONDS);
  b = zkb_rate("libsecp256k1 ecdsa_sign + serialize_der", k1_sign_op, &r, SECONDS);
  zkb_report_ratio("zk_key_sign secp256k1 DER", a, "libsecp256k1 sign", b);
  zk_wipe(r.sk, sizeof r.sk);
  secp256k1_context_destroy(r.ctx);
  zk_key_free(z.key);
}

static void bench_ed25519(void) {
  sig_ctx c;
  memset(&c, 0, sizeof c);
  c.fmt = ZK_SIG_EDDSA;
  c.md = NULL;
  if (zk_key_generate(&c.key, ZK_CURVE_ED25519) != ZK_OK) zkb_die("generate ed");
  c.sig_len = sizeof c.sig;
  if (zk_key_sign(c.key, ZK_SIG_EDDSA, c.sig, &c.sig_len, MSG, MSG_LEN) != ZK_OK)
    zkb_die("sign ed");
  c.pkey = zkb_evp_public(c.key);
  double a = zkb_rate("zk_key_verify Ed25519", zk_verify_op, &c, SECONDS);
  double b = zkb_rate("EVP_DigestVerify Ed25519", evp_verify_op, &c, SECONDS);
  zkb_report_ratio("zk_key_verify Ed25519", a, "EVP_DigestVerify Ed25519", b);
  EVP_PKEY_free(c.pkey);
  zk_key_free(c.key);
}

/* ---- AES-GCM ---- */

typedef struct {
  uint8_t key[32], nonce[12], aad[32], pt[1024], ct[1024], tag[16];
} gcm_ctx;

static int zk_gcm_op(void *p) {
  gcm_ctx *c = p;
  return zk_aes_gcm_seal(c->ct, c->tag, 16, c->key, 32, c->nonce, 12, c->aad, sizeof c->aad, c->pt,
                         sizeof c->pt) == ZK_OK
             ? 0
             : 1;
}

static int evp_gcm_op(void *p) {
  gcm_ctx *c = p;
  EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
  int n = 0, ok = x != NULL &&
                  EVP_EncryptInit_ex2(x, EVP_aes_256_gcm(), c->key, c->nonce, NULL) == 1 &&
                  EVP_EncryptUpdate(x, NULL, &n, c->aad, (int)sizeof c->aad) == 1 &&
                  EVP_EncryptUpdate(x, c->ct, &n, c->pt, (int)sizeof c->pt) == 1 &&
                  EVP_EncryptFinal_ex(x, c->ct + n, &n) == 1 &&
                  EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, 16, c->tag) == 1;
  EVP_CIPHER_CTX_free(x);
  return ok ? 0 : 1;
}

static void bench_gcm(void) {
  gcm_ctx c;
  memset(&c, 0x5a, sizeof c);
  double a = zkb_rate("zk_aes_gcm_seal AES-256 1 KiB", zk_gcm_op, &c, SECONDS);
  double b = zkb_rate("EVP AES-256-GCM encrypt 1 KiB", evp_gcm_op, &c, SECONDS);
  printf("  throughput: libzerokey %.1f MiB/s, raw EVP %.1f MiB/s\n", a / 1024.0, b / 1024.0);
  zkb_report_ratio("zk_aes_gcm_seal AES-256 1 KiB", a, "EVP AES-256-GCM 1 KiB", b);
}

/* ---- HKDF ---- */

typedef struct {
  uint8_t ikm[32], salt[32], info[16], okm[32];
} hkdf_ctx;

static int zk_hkdf_op(void *p) {
  hkdf_ctx *c = p;
  return zk_hkdf(ZK_HASH_SHA256, c->okm, sizeof c->okm, c->salt, sizeof c->salt, c->ikm,
                 sizeof c->ikm, c->info, sizeof c->info) == ZK_OK
             ? 0
             : 1;
}

static int evp_hkdf_op(void *p) {
  hkdf_ctx *c = p;
  EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
  EVP_KDF_CTX *x = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
  OSSL_PARAM params[5];
  params[0] =
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)(uintptr_t) "SHA256", 0);
  params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, c->ikm, sizeof c->ikm);
  params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, c->salt, sizeof c->salt);
  params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, c->info, sizeof c->info);
  params[4] = OSSL_PARAM_construct_end();
  int ok = x != NULL && EVP_KDF_derive(x, c->okm, sizeof c->okm, params) == 1;
  EVP_KDF_CTX_free(x);
  EVP_KDF_free(kdf);
  return ok ? 0 : 1;
}

static void bench_hkdf(void) {
  hkdf_ctx c;
  memset(&c, 0x33, sizeof c);
  double a = zkb_rate("zk_hkdf SHA-256 32 B", zk_hkdf_op, &c, SECONDS);
  double b = zkb_rate("EVP_KDF HKDF SHA-256 32 B", evp_hkdf_op, &c, SECONDS);
  zkb_report_ratio("zk_hkdf SHA-256 32 B", a, "EVP_KDF HKDF", b);
}

int main(void) {
  printf("libzerokey %s primitives benchmark (%s)\n", zk_version(),
         OpenSSL_version(OPENSSL_VERSION));
  bench_openssl_curve(ZK_CURVE_P256, "P-256 DER", EVP_sha256(), ZK_SIG_DER);
  bench_openssl_curve(ZK_CURVE_P384, "P-384 DER", EVP_sha384(), ZK_SIG_DER);
  bench_secp256k1();
  bench_ed25519();
  bench_gcm();
  bench_hkdf();
  return 0;
}
