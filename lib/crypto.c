/*
 * libzerokey: symmetric primitives on OpenSSL 3 EVP (digest, EVP_MAC HMAC,
 * EVP_KDF HKDF, EVP_CIPHER AES-GCM). No deprecated OpenSSL interfaces.
 *
 * Every function validates its arguments before touching OpenSSL, writes its
 * outputs only through the lengths the caller gave, and zeroes those outputs
 * on every failure path. Intermediate secrets (full HMAC tags computed for a
 * verify, HKDF contexts) are wiped before returning.
 */
#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "zerokey/crypto.h"
#include "zk_ctime.h"
#include "zk_internal.h"

/* Shortest truncated HMAC tag zk_hmac_verify accepts (128 bits). */
#define ZKI_HMAC_MIN_TAG_LEN 16

/* OpenSSL takes int lengths in the cipher API; we process in chunks below this. */
#define ZKI_EVP_CHUNK ((size_t)1 << 30)

size_t zk_hash_len(zk_hash_alg alg) {
  switch (alg) {
    case ZK_HASH_SHA256:
      return ZK_SHA256_LEN;
    case ZK_HASH_SHA384:
      return ZK_SHA384_LEN;
    case ZK_HASH_SHA512:
      return ZK_SHA512_LEN;
  }
  return 0;
}

/* OpenSSL algorithm name of alg (for EVP_MD_fetch / OSSL_PARAM digest names), NULL if unknown. */
static const char *hash_name(zk_hash_alg alg) {
  switch (alg) {
    case ZK_HASH_SHA256:
      return "SHA256";
    case ZK_HASH_SHA384:
      return "SHA384";
    case ZK_HASH_SHA512:
      return "SHA512";
  }
  return NULL;
}

static const EVP_MD *hash_md(zk_hash_alg alg) {
  switch (alg) {
    case ZK_HASH_SHA256:
      return EVP_sha256();
    case ZK_HASH_SHA384:
      return EVP_sha384();
    case ZK_HASH_SHA512:
      return EVP_sha512();
  }
  return NULL;
}

/* ---- hashes ---- */

zk_status zk_hash(zk_hash_alg alg, uint8_t *out, size_t out_len, const uint8_t *msg,
                  size_t msg_len) {
  size_t hlen = zk_hash_len(alg);
  if (out == NULL) return ZK_ERR_ARG;
  if (hlen == 0 || (msg == NULL && msg_len > 0)) {
    zk_wipe(out, out_len);
    return ZK_ERR_ARG;
  }
  if (out_len < hlen) {
    zk_wipe(out, out_len);
    return ZK_ERR_BUFFER_TOO_SMALL;
  }
  static const uint8_t empty[1] = {0};
  unsigned int olen = 0;
  if (EVP_Digest(msg_len > 0 ? msg : empty, msg_len, out, &olen, hash_md(alg), NULL) != 1 ||
      olen != hlen) {
    zk_wipe(out, out_len);
    return ZK_ERR_INTERNAL;
  }
  return ZK_OK;
}

zk_status zk_sha256(uint8_t out[ZK_SHA256_LEN], const uint8_t *msg, size_t msg_len) {
  return zk_hash(ZK_HASH_SHA256, out, ZK_SHA256_LEN, msg, msg_len);
}

zk_status zk_sha384(uint8_t out[ZK_SHA384_LEN], const uint8_t *msg, size_t msg_len) {
  return zk_hash(ZK_HASH_SHA384, out, ZK_SHA384_LEN, msg, msg_len);
}

/* ---- HMAC (EVP_MAC "HMAC") ---- */

/* Computes the full hlen-byte tag into out (capacity >= hlen). out is zeroed on error. */
static zk_status hmac_full(zk_hash_alg alg, uint8_t *out, size_t hlen, const uint8_t *key,
                           size_t key_len, const uint8_t *msg, size_t msg_len) {
  /*
   * EVP_MAC_init treats a NULL key as "keep the previous key" and refuses a
   * fresh context without one, so an empty key is passed as a valid pointer of
   * length 0 (HMAC pads it with zeros, as RFC 2104 requires).
   */
  static const uint8_t empty[1] = {0};
  zk_status st = ZK_ERR_INTERNAL;
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
  OSSL_PARAM params[2];
  params[0] =
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)hash_name(alg), 0);
  params[1] = OSSL_PARAM_construct_end();
  size_t olen = 0;
  if (ctx == NULL) goto done;
  if (EVP_MAC_init(ctx, key_len > 0 ? key : empty, key_len, params) != 1) goto done;
  if (msg_len > 0 && EVP_MAC_update(ctx, msg, msg_len) != 1) goto done;
  if (EVP_MAC_final(ctx, out, &olen, hlen) != 1 || olen != hlen) goto done;
  st = ZK_OK;
done:
  if (st != ZK_OK) zk_wipe(out, hlen);
  EVP_MAC_CTX_free(ctx); /* the context holds the padded key; OpenSSL cleanses it on free */
  EVP_MAC_free(mac);
  return st;
}

zk_status zk_hmac(zk_hash_alg alg, uint8_t *out, size_t out_len, const uint8_t *key, size_t key_len,
                  const uint8_t *msg, size_t msg_len) {
  size_t hlen = zk_hash_len(alg);
  if (out == NULL) return ZK_ERR_ARG;
  if (hlen == 0 || (key == NULL && key_len > 0) || (msg == NULL && msg_len > 0)) {
    zk_wipe(out, out_len);
    return ZK_ERR_ARG;
  }
  if (out_len < hlen) {
    zk_wipe(out, out_len);
    return ZK_ERR_BUFFER_TOO_SMALL;
  }
  return hmac_full(alg, out, hlen, key, key_len, msg, msg_len);
}

zk_status zk_hmac_verify(zk_hash_alg alg, const uint8_t *tag, size_t tag_len, const uint8_t *key,
                         size_t key_len, const uint8_t *msg, size_t msg_len) {
  size_t hlen = zk_hash_len(alg);
  if (hlen == 0 || tag == NULL || (key == NULL && key_len > 0) || (msg == NULL && msg_len > 0))
    return ZK_ERR_ARG;
  if (tag_len < ZKI_HMAC_MIN_TAG_LEN || tag_len > hlen) return ZK_ERR_TAG_SIZE;
  uint8_t full[ZK_SHA512_LEN];
  zk_status st = hmac_full(alg, full, hlen, key, key_len, msg, msg_len);
  if (st == ZK_OK) {
    int eq = zk_ct_equal(full, tag, tag_len);
    ZKI_DECLASSIFY(&eq, sizeof eq); /* the verdict is public; the tags are not (tests/ctime) */
    st = eq ? ZK_OK : ZK_ERR_MAC;
  }
  zk_wipe(full, sizeof full);
  return st;
}

/* ---- HKDF (EVP_KDF "HKDF") ---- */

static zk_status hkdf_run(zk_hash_alg alg, int mode, uint8_t *out, size_t out_len,
                          const uint8_t *salt, size_t salt_len, const uint8_t *key, size_t key_len,
                          const uint8_t *info, size_t info_len) {
  /*
   * The provider copies octet-string parameters; zero-length ones still need a
   * non-NULL pointer for OSSL_PARAM to describe "present but empty".
   */
  static const uint8_t empty[1] = {0};
  OSSL_PARAM params[6];
  size_t n = 0;
  params[n++] =
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)(uintptr_t)hash_name(alg), 0);
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_octet_string(
      OSSL_KDF_PARAM_KEY, (void *)(uintptr_t)(key_len > 0 ? key : empty), key_len);
  if (mode != EVP_KDF_HKDF_MODE_EXPAND_ONLY && salt_len > 0)
    params[n++] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)(uintptr_t)salt, salt_len);
  if (mode != EVP_KDF_HKDF_MODE_EXTRACT_ONLY && info_len > 0)
    params[n++] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)(uintptr_t)info, info_len);
  params[n] = OSSL_PARAM_construct_end();

  zk_status st = ZK_ERR_INTERNAL;
  EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
  EVP_KDF_CTX *ctx = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
  if (ctx != NULL && EVP_KDF_derive(ctx, out, out_len, params) == 1) st = ZK_OK;
  if (st != ZK_OK) zk_wipe(out, out_len);
  EVP_KDF_CTX_free(ctx); /* frees (and cleanses) the copied key, salt and info */
  EVP_KDF_free(kdf);
  return st;
}

/*
 * Common argument checks. An absent salt is RFC 5869's "string of HashLen
 * zeros", which is exactly what HMAC computes for an empty key, so both are
 * handled by simply not passing a salt parameter.
 */
static zk_status hkdf_check(zk_hash_alg alg, const uint8_t *out, const uint8_t *a, size_t a_len,
                            const uint8_t *b, size_t b_len, const uint8_t *c, size_t c_len) {
  if (out == NULL || zk_hash_len(alg) == 0) return ZK_ERR_ARG;
  if ((a == NULL && a_len > 0) || (b == NULL && b_len > 0) || (c == NULL && c_len > 0))
    return ZK_ERR_ARG;
  return ZK_OK;
}

zk_status zk_hkdf(zk_hash_alg alg, uint8_t *okm, size_t okm_len, const uint8_t *salt,
                  size_t salt_len, const uint8_t *ikm, size_t ikm_len, const uint8_t *info,
                  size_t info_len) {
  zk_status st = hkdf_check(alg, okm, salt, salt_len, ikm, ikm_len, info, info_len);
  if (st == ZK_OK && (okm_len == 0 || okm_len > 255 * zk_hash_len(alg))) st = ZK_ERR_KDF_LENGTH;
  if (st != ZK_OK) {
    if (okm != NULL) zk_wipe(okm, okm_len);
    return st;
  }
  return hkdf_run(alg, EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, okm, okm_len, salt, salt_len, ikm,
                  ikm_len, info, info_len);
}

zk_status zk_hkdf_extract(zk_hash_alg alg, uint8_t *prk, size_t prk_len, const uint8_t *salt,
                          size_t salt_len, const uint8_t *ikm, size_t ikm_len) {
  size_t hlen = zk_hash_len(alg);
  zk_status st = hkdf_check(alg, prk, salt, salt_len, ikm, ikm_len, NULL, 0);
  if (st == ZK_OK && prk_len < hlen) st = ZK_ERR_BUFFER_TOO_SMALL;
  if (st != ZK_OK) {
    if (prk != NULL) zk_wipe(prk, prk_len);
    return st;
  }
  /* Extract always yields exactly HashLen bytes; only that many are written. */
  return hkdf_run(alg, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, prk, hlen, salt, salt_len, ikm, ikm_len,
                  NULL, 0);
}

zk_status zk_hkdf_expand(zk_hash_alg alg, uint8_t *okm, size_t okm_len, const uint8_t *prk,
                         size_t prk_len, const uint8_t *info, size_t info_len) {
  size_t hlen = zk_hash_len(alg);
  zk_status st = hkdf_check(alg, okm, prk, prk_len, info, info_len, NULL, 0);
  /* RFC 5869 section 2.3: PRK is at least HashLen octets (the output of Extract). */
  if (st == ZK_OK && (prk == NULL || prk_len < hlen)) st = ZK_ERR_ARG;
  if (st == ZK_OK && (okm_len == 0 || okm_len > 255 * hlen)) st = ZK_ERR_KDF_LENGTH;
  if (st != ZK_OK) {
    if (okm != NULL) zk_wipe(okm, okm_len);
    return st;
  }
  return hkdf_run(alg, EVP_KDF_HKDF_MODE_EXPAND_ONLY, okm, okm_len, NULL, 0, prk, prk_len, info,
                  info_len);
}

/* ---- AES-GCM (EVP_CIPHER) ---- */

static const EVP_CIPHER *gcm_cipher(size_t key_len) {
  switch (key_len) {
    case 16:
      return EVP_aes_128_gcm();
    case 24:
      return EVP_aes_192_gcm();
    case 32:
      return EVP_aes_256_gcm();
    default:
      return NULL;
  }
}

/* Feed len bytes of AAD (out == NULL) or data through the cipher in int-sized chunks. */
static int gcm_update(EVP_CIPHER_CTX *ctx, uint8_t *out, const uint8_t *in, size_t len) {
  while (len > 0) {
    size_t chunk = len > ZKI_EVP_CHUNK ? ZKI_EVP_CHUNK : len;
    int olen = 0;
    if (EVP_CipherUpdate(ctx, out, &olen, in, (int)chunk) != 1) return 0;
    if (out != NULL) {
      if ((size_t)olen != chunk) return 0; /* GCM is a stream mode: no buffering */
      out += chunk;
    }
    in += chunk;
    len -= chunk;
  }
  return 1;
}

/* Shared argument validation for seal and open. */
static zk_status gcm_check(const uint8_t *key, size_t key_len, const uint8_t *nonce,
                           size_t nonce_len, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                           size_t in_len, const uint8_t *out, const uint8_t *tag, size_t tag_len) {
  if (key == NULL || tag == NULL || (nonce == NULL && nonce_len > 0)) return ZK_ERR_ARG;
  if ((aad == NULL && aad_len > 0) || (in == NULL && in_len > 0) || (out == NULL && in_len > 0))
    return ZK_ERR_ARG;
  if (gcm_cipher(key_len) == NULL) return ZK_ERR_ARG;
  if (nonce_len != ZK_AES_GCM_NONCE_LEN) return ZK_ERR_NONCE_SIZE;
  if (tag_len != ZK_AES_GCM_TAG_LEN) return ZK_ERR_TAG_SIZE;
  /* NIST SP 800-38D: at most 2^39 - 256 bits of plaintext per invocation. */
  if (in_len > (((uint64_t)1 << 36) - 32)) return ZK_ERR_ARG;
  return ZK_OK;
}

zk_status zk_aes_gcm_seal(uint8_t *ct, uint8_t *tag, size_t tag_len, const uint8_t *key,
                          size_t key_len, const uint8_t *nonce, size_t nonce_len,
                          const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t pt_len) {
  EVP_CIPHER_CTX *ctx = NULL;
  uint8_t fin[16];
  int flen = 0;
  zk_status st =
      gcm_check(key, key_len, nonce, nonce_len, aad, aad_len, pt, pt_len, ct, tag, tag_len);
  if (st != ZK_OK) goto out;
  st = ZK_ERR_INTERNAL;
  if ((ctx = EVP_CIPHER_CTX_new()) == NULL) goto out;
  if (EVP_EncryptInit_ex2(ctx, gcm_cipher(key_len), key, nonce, NULL) != 1) goto out;
  if (!gcm_update(ctx, NULL, aad, aad_len) || !gcm_update(ctx, ct, pt, pt_len)) goto out;
  if (EVP_EncryptFinal_ex(ctx, fin, &flen) != 1 || flen != 0) goto out;
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, (int)tag_len, tag) != 1) goto out;
  st = ZK_OK;
out:
  EVP_CIPHER_CTX_free(ctx); /* cleanses the expanded key schedule; NULL is a no-op */
  if (st != ZK_OK) {
    if (ct != NULL) zk_wipe(ct, pt_len);
    if (tag != NULL) zk_wipe(tag, tag_len);
  }
  return st;
}

zk_status zk_aes_gcm_open(uint8_t *pt, const uint8_t *key, size_t key_len, const uint8_t *nonce,
                          size_t nonce_len, const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                          size_t ct_len, const uint8_t *tag, size_t tag_len) {
  EVP_CIPHER_CTX *ctx = NULL;
  uint8_t tagbuf[ZK_AES_GCM_TAG_LEN];
  uint8_t fin[16];
  int flen = 0;
  zk_status st =
      gcm_check(key, key_len, nonce, nonce_len, aad, aad_len, ct, ct_len, pt, tag, tag_len);
  if (st != ZK_OK) goto out;
  st = ZK_ERR_INTERNAL;
  memcpy(tagbuf, tag, sizeof tagbuf); /* the ctrl API takes a non-const pointer */
  if ((ctx = EVP_CIPHER_CTX_new()) == NULL) goto out;
  if (EVP_DecryptInit_ex2(ctx, gcm_cipher(key_len), key, nonce, NULL) != 1) goto out;
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)sizeof tagbuf, tagbuf) != 1) goto out;
  if (!gcm_update(ctx, NULL, aad, aad_len) || !gcm_update(ctx, pt, ct, ct_len)) goto out;
  /* DecryptFinal compares the tag in constant time; a mismatch means forgery or corruption. */
  st = EVP_DecryptFinal_ex(ctx, fin, &flen) == 1 && flen == 0 ? ZK_OK : ZK_ERR_DECRYPT;
out:
  EVP_CIPHER_CTX_free(ctx);
  if (st != ZK_OK && pt != NULL) zk_wipe(pt, ct_len); /* never release unauthenticated plaintext */
  return st;
}
