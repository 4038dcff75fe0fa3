/*
 * Keys and signatures.
 *
 * P-256 / P-384: OpenSSL EC_KEY (the EC_KEY API is deprecated in OpenSSL 3.0,
 * but it is the only 3.0 interface that accepts a caller-computed nonce, which
 * RFC 6979 deterministic signing needs: ECDSA_do_sign_ex with kinv and r).
 * secp256k1: libsecp256k1 (ECDSA with RFC 6979 nonces, recovery, BIP-340, ECDH).
 * Ed25519: OpenSSL EVP raw keys.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_recovery.h>
#include <secp256k1_schnorrsig.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/key.h"
#include "zk_ctime.h"
#include "zk_internal.h"
#include "zk_key_internal.h"

struct zk_key {
  zk_curve curve;
  int has_priv;
  EC_KEY *ec;   /* P-256, P-384 */
  EVP_PKEY *ed; /* Ed25519 */
  uint8_t k1_sec[32];
  secp256k1_pubkey k1_pub;
  /* P-256 / P-384: SEC1 compressed public key, encoded once at creation
   * (stamps and evidence compare and hash it on every verification). */
  uint8_t pub_comp[ZK_P384_COMPRESSED_LEN];
  size_t pub_comp_len;
};

/* Fill k->pub_comp from the EC_KEY's public point. */
static zk_status ec_cache_pub(zk_key *k) {
  size_t n = EC_POINT_point2oct(EC_KEY_get0_group(k->ec), EC_KEY_get0_public_key(k->ec),
                                POINT_CONVERSION_COMPRESSED, k->pub_comp, sizeof k->pub_comp, NULL);
  if (n == 0) return ZK_ERR_INTERNAL;
  k->pub_comp_len = n;
  return ZK_OK;
}

/* ---- secp256k1 context (created once, randomized, then only used const) ---- */

static secp256k1_context *g_k1;
static pthread_once_t g_k1_once = PTHREAD_ONCE_INIT;

static void k1_init(void) {
  secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  if (ctx == NULL) return;
  uint8_t seed[32];
  if (zk_random(seed, sizeof seed) == ZK_OK && secp256k1_context_randomize(ctx, seed) == 1) {
    g_k1 = ctx;
  } else {
    secp256k1_context_destroy(ctx);
  }
  zk_wipe(seed, sizeof seed);
}

static const secp256k1_context *k1_ctx(void) {
  pthread_once(&g_k1_once, k1_init);
  return g_k1;
}

/* ---- helpers ---- */

size_t zki_curve_field_len(zk_curve curve) {
  switch (curve) {
    case ZK_CURVE_P256:
    case ZK_CURVE_SECP256K1:
    case ZK_CURVE_ED25519:
      return 32;
    case ZK_CURVE_P384:
      return 48;
    default:
      return 0;
  }
}

static int ec_nid(zk_curve curve) {
  switch (curve) {
    case ZK_CURVE_P256:
      return NID_X9_62_prime256v1;
    case ZK_CURVE_P384:
      return NID_secp384r1;
    case ZK_CURVE_SECP256K1:
      return NID_secp256k1;
    default:
      return NID_undef;
  }
}

static zk_key *key_alloc(zk_curve curve) {
  zk_key *k = calloc(1, sizeof *k);
  if (k != NULL) k->curve = curve;
  return k;
}

void zk_key_free(zk_key *key) {
  if (key == NULL) return;
  EC_KEY_free(key->ec);
  EVP_PKEY_free(key->ed);
  zk_wipe(key, sizeof *key);
  free(key);
}

zk_curve zk_key_curve(const zk_key *key) {
  return key ? key->curve : ZK_CURVE_NONE;
}
int zk_key_has_private(const zk_key *key) {
  return key != NULL && key->has_priv;
}

size_t zk_key_digest_len(const zk_key *key) {
  if (key == NULL || key->curve == ZK_CURVE_ED25519) return 0;
  return zki_curve_field_len(key->curve);
}

static EC_KEY *ec_new(zk_curve curve) {
  EC_KEY *ec = EC_KEY_new_by_curve_name(ec_nid(curve));
  if (ec != NULL) EC_KEY_set_asn1_flag(ec, OPENSSL_EC_NAMED_CURVE);
  return ec;
}

/* ---- generation and import ---- */

zk_status zk_key_generate(zk_key **out, zk_curve curve) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  uint8_t sk[32];
  zk_status st;
  switch (curve) {
    case ZK_CURVE_P256:
    case ZK_CURVE_P384: {
      zk_key *k = key_alloc(curve);
      if (k == NULL) return ZK_ERR_NOMEM;
      k->ec = ec_new(curve);
      if (k->ec == NULL || EC_KEY_generate_key(k->ec) != 1) {
        zk_key_free(k);
        return ZK_ERR_RANDOM;
      }
      if (ec_cache_pub(k) != ZK_OK) {
        zk_key_free(k);
        return ZK_ERR_INTERNAL;
      }
      k->has_priv = 1;
      *out = k;
      return ZK_OK;
    }
    case ZK_CURVE_SECP256K1:
      /* Rejection sampling: a uniformly random 32-byte string is a valid scalar
       * with overwhelming probability. */
      for (int i = 0; i < 64; i++) {
        if (zk_random(sk, sizeof sk) != ZK_OK) return ZK_ERR_RANDOM;
        st = zk_key_from_private(out, curve, sk, sizeof sk);
        if (st != ZK_ERR_KEY) break;
      }
      zk_wipe(sk, sizeof sk);
      return st;
    case ZK_CURVE_ED25519:
      if (zk_random(sk, sizeof sk) != ZK_OK) return ZK_ERR_RANDOM;
      st = zk_key_from_private(out, curve, sk, sizeof sk);
      zk_wipe(sk, sizeof sk);
      return st;
    default:
      return ZK_ERR_UNSUPPORTED;
  }
}

static zk_status ec_from_private(zk_key *k, const uint8_t *sk, size_t sk_len) {
  size_t fl = zki_curve_field_len(k->curve);
  if (sk_len != fl) return ZK_ERR_KEY;
  zk_status st = ZK_ERR_NOMEM;
  BN_CTX *bctx = BN_CTX_new();
  BIGNUM *d = BN_secure_new();
  EC_POINT *pub = NULL;
  k->ec = ec_new(k->curve);
  if (bctx == NULL || d == NULL || k->ec == NULL) goto done;
  BN_set_flags(d, BN_FLG_CONSTTIME);
  if (BN_bin2bn(sk, (int)sk_len, d) == NULL) goto done;
  const EC_GROUP *g = EC_KEY_get0_group(k->ec);
  /* The range verdict is public (an invalid key is refused); nothing else about d is. */
  int out_of_range = BN_is_zero(d) | (BN_cmp(d, EC_GROUP_get0_order(g)) >= 0);
  ZKI_DECLASSIFY(&out_of_range, sizeof out_of_range);
  if (out_of_range) {
    st = ZK_ERR_KEY;
    goto done;
  }
  pub = EC_POINT_new(g);
  if (pub == NULL) goto done;
  st = ZK_ERR_INTERNAL;
  if (EC_POINT_mul(g, pub, d, NULL, NULL, bctx) != 1) goto done;
  if (EC_KEY_set_private_key(k->ec, d) != 1 || EC_KEY_set_public_key(k->ec, pub) != 1) goto done;
  if (ec_cache_pub(k) != ZK_OK) goto done;
  k->has_priv = 1;
  st = ZK_OK;
done:
  EC_POINT_free(pub);
  BN_clear_free(d);
  BN_CTX_free(bctx);
  return st;
}

static zk_status k1_from_private(zk_key *k, const uint8_t *secret, size_t secret_len) {
  const secp256k1_context *ctx = k1_ctx();
  if (ctx == NULL) return ZK_ERR_INTERNAL;
  if (secret_len != 32) return ZK_ERR_KEY;
  /* Public: the validity verdicts and the public key computed from the secret (as in
   * libsecp256k1's own constant-time test). */
  int valid = secp256k1_ec_seckey_verify(ctx, secret);
  ZKI_DECLASSIFY(&valid, sizeof valid);
  if (valid != 1) return ZK_ERR_KEY;
  memcpy(k->k1_sec, secret, 32);
  valid = secp256k1_ec_pubkey_create(ctx, &k->k1_pub, k->k1_sec);
  ZKI_DECLASSIFY(&valid, sizeof valid);
  ZKI_DECLASSIFY(&k->k1_pub, sizeof k->k1_pub);
  if (valid != 1) return ZK_ERR_KEY;
  k->has_priv = 1;
  return ZK_OK;
}

/* Ed25519 from its raw 32-byte secret (priv) or public key. */
/*
 * Ed25519 public-key validation (OpenSSL only decodes the point when it
 * verifies, and accepts weak keys there): the encoding must be canonical
 * (y < p), decode to a curve point (RFC 8032 section 5.1.3: x^2 = (y^2 - 1) /
 * (d y^2 + 1) must be a square, and x = 0 must not carry the sign bit), and
 * the point must not have small order. Under a small-order key (the identity
 * 01 00..00, for one) a fixed signature verifies for every message.
 * Public data only, so variable-time arithmetic is fine.
 */
static zk_status ed25519_check_public(const uint8_t pub[32]) {
  /* Canonical encodings of the 8 points of order 1, 2, 4, 8 (sign bit ignored). */
  static const uint8_t small_order[5][32] = {
      {0},
      {1},
      {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
       0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
       0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
      {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
       0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
       0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
      {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
  };
  uint8_t be[32];
  for (int i = 0; i < 32; i++) be[i] = pub[31 - i]; /* little-endian encoding -> big-endian */
  int sign = be[0] >> 7;
  be[0] &= 0x7f;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(small_order); i++) {
    uint8_t enc[32];
    memcpy(enc, pub, 32);
    enc[31] &= 0x7f;
    if (memcmp(enc, small_order[i], 32) == 0) return ZK_ERR_KEY;
  }
  zk_status st = ZK_ERR_NOMEM;
  BN_CTX *bctx = BN_CTX_new();
  BIGNUM *p = BN_new(), *d = BN_new(), *y = BN_new(), *u = BN_new(), *v = BN_new(), *e = BN_new();
  if (bctx == NULL || p == NULL || d == NULL || y == NULL || u == NULL || v == NULL || e == NULL)
    goto done;
  st = ZK_ERR_INTERNAL;
  /* p = 2^255 - 19; d = -121665 / 121666 mod p */
  if (BN_set_bit(p, 255) != 1 || BN_sub_word(p, 19) != 1) goto done;
  if (BN_set_word(u, 121666) != 1 || BN_mod_inverse(d, u, p, bctx) == NULL ||
      BN_mul_word(d, 121665) != 1 || BN_mod_sub(d, p, d, p, bctx) != 1)
    goto done;
  if (BN_bin2bn(be, 32, y) == NULL) goto done;
  if (BN_cmp(y, p) >= 0) {
    st = ZK_ERR_KEY; /* non-canonical y */
    goto done;
  }
  /* u = y^2 - 1, v = d y^2 + 1, x^2 = u / v */
  if (BN_mod_sqr(e, y, p, bctx) != 1 || BN_mod_mul(v, d, e, p, bctx) != 1 ||
      BN_add_word(v, 1) != 1 || BN_sub_word(e, 1) != 1 || BN_nnmod(u, e, p, bctx) != 1 ||
      BN_mod_inverse(v, v, p, bctx) == NULL || BN_mod_mul(u, u, v, p, bctx) != 1)
    goto done;
  if (BN_is_zero(u)) {
    st = sign ? ZK_ERR_KEY : ZK_OK; /* x = 0 with the sign bit set is invalid */
    goto done;
  }
  /* Euler's criterion: x^2 must be a quadratic residue, u^((p-1)/2) == 1. */
  if (BN_copy(e, p) == NULL || BN_sub_word(e, 1) != 1 || BN_rshift1(e, e) != 1 ||
      BN_mod_exp(v, u, e, p, bctx) != 1)
    goto done;
  st = BN_is_one(v) ? ZK_OK : ZK_ERR_KEY;
done:
  BN_free(p);
  BN_free(d);
  BN_free(y);
  BN_free(u);
  BN_free(v);
  BN_free(e);
  BN_CTX_free(bctx);
  return st;
}

static zk_status ed_from_raw(zk_key *k, const uint8_t *raw, size_t raw_len, int priv) {
  if (raw_len != (priv ? ZK_ED25519_SECRET_LEN : ZK_ED25519_PUBLIC_LEN)) return ZK_ERR_KEY;
  if (!priv) ZKI_TRY(ed25519_check_public(raw));
  k->ed = priv ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, raw_len)
               : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, raw_len);
  if (k->ed == NULL) return ZK_ERR_KEY;
  k->has_priv = priv;
  return ZK_OK;
}

static zk_status ec_from_public(zk_key *k, const uint8_t *pub, size_t pub_len) {
  size_t fl = zki_curve_field_len(k->curve);
  uint8_t buf[1 + 2 * ZK_P384_SECRET_LEN];
  if (pub_len == 2 * fl) { /* ZK_PUB_RAW: X || Y */
    buf[0] = 0x04;
    memcpy(buf + 1, pub, pub_len);
    pub = buf;
    pub_len++;
  }
  if (!((pub_len == 1 + fl && (pub[0] == 0x02 || pub[0] == 0x03)) ||
        (pub_len == 1 + 2 * fl && pub[0] == 0x04)))
    return ZK_ERR_KEY;
  zk_status st = ZK_ERR_NOMEM;
  EC_POINT *p = NULL;
  k->ec = ec_new(k->curve);
  if (k->ec == NULL) goto done;
  const EC_GROUP *g = EC_KEY_get0_group(k->ec);
  p = EC_POINT_new(g);
  if (p == NULL) goto done;
  st = ZK_ERR_KEY;
  if (EC_POINT_oct2point(g, p, pub, pub_len, NULL) != 1) goto done;
  if (EC_POINT_is_at_infinity(g, p) || EC_POINT_is_on_curve(g, p, NULL) != 1) goto done;
  if (EC_KEY_set_public_key(k->ec, p) != 1) goto done;
  if (pub_len == 1 + fl) { /* already compressed: keep the validated input */
    memcpy(k->pub_comp, pub, pub_len);
    k->pub_comp_len = pub_len;
  } else if (ec_cache_pub(k) != ZK_OK) {
    st = ZK_ERR_INTERNAL;
    goto done;
  }
  st = ZK_OK;
done:
  EC_POINT_free(p);
  return st;
}

static zk_status k1_from_public(zk_key *k, const uint8_t *pub, size_t pub_len) {
  const secp256k1_context *ctx = k1_ctx();
  if (ctx == NULL) return ZK_ERR_INTERNAL;
  uint8_t buf[65];
  if (pub_len == 32) { /* BIP-340 x-only: the point with even Y */
    secp256k1_xonly_pubkey xo;
    if (secp256k1_xonly_pubkey_parse(ctx, &xo, pub) != 1) return ZK_ERR_KEY;
    buf[0] = 0x02;
    memcpy(buf + 1, pub, 32);
    pub = buf;
    pub_len = 33;
  } else if (pub_len == 64) {
    buf[0] = 0x04;
    memcpy(buf + 1, pub, 64);
    pub = buf;
    pub_len = 65;
  }
  /* libsecp256k1 also accepts hybrid (0x06/0x07) encodings; SEC1 compressed and
   * uncompressed only are allowed here. */
  if (!((pub_len == 33 && (pub[0] == 0x02 || pub[0] == 0x03)) || (pub_len == 65 && pub[0] == 0x04)))
    return ZK_ERR_KEY;
  if (secp256k1_ec_pubkey_parse(ctx, &k->k1_pub, pub, pub_len) != 1) return ZK_ERR_KEY;
  return ZK_OK;
}

/* zk_key_from_private (priv) and zk_key_from_public: same arguments, statuses and ownership. */
static zk_status key_import(zk_key **out, zk_curve curve, const uint8_t *in, size_t in_len,
                            int priv) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (in == NULL) return ZK_ERR_ARG;
  zk_key *k = key_alloc(curve);
  if (k == NULL) return ZK_ERR_NOMEM;
  zk_status st;
  switch (curve) {
    case ZK_CURVE_P256:
    case ZK_CURVE_P384:
      st = priv ? ec_from_private(k, in, in_len) : ec_from_public(k, in, in_len);
      break;
    case ZK_CURVE_SECP256K1:
      st = priv ? k1_from_private(k, in, in_len) : k1_from_public(k, in, in_len);
      break;
    case ZK_CURVE_ED25519:
      st = ed_from_raw(k, in, in_len, priv);
      break;
    default:
      st = ZK_ERR_UNSUPPORTED;
  }
  if (st != ZK_OK) {
    zk_key_free(k); /* wipes any secret copied in */
    return st;
  }
  *out = k;
  return ZK_OK;
}

zk_status zk_key_from_private(zk_key **out, zk_curve curve, const uint8_t *secret,
                              size_t secret_len) {
  return key_import(out, curve, secret, secret_len, 1);
}

zk_status zk_key_from_public(zk_key **out, zk_curve curve, const uint8_t *pub, size_t pub_len) {
  return key_import(out, curve, pub, pub_len, 0);
}

zk_status zk_key_from_spki(zk_key **out, const uint8_t *der, size_t der_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (der == NULL || der_len == 0 || der_len > 4096) return ZK_ERR_ARG;
  const unsigned char *p = der;
  EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, (long)der_len);
  if (pk == NULL) return ZK_ERR_KEY;
  zk_status st = ZK_ERR_KEY;
  if (p != der + der_len) goto done; /* trailing bytes */
  /* Reject non-DER (BER) encodings: the re-encoding must be identical. */
  {
    unsigned char *re = NULL;
    int re_len = i2d_PUBKEY(pk, &re);
    int same = re_len > 0 && (size_t)re_len == der_len && memcmp(re, der, der_len) == 0;
    OPENSSL_free(re);
    if (!same) goto done;
  }
  if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_ED25519) {
    uint8_t raw[32];
    size_t raw_len = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(pk, raw, &raw_len) != 1 || raw_len != 32) goto done;
    st = zk_key_from_public(out, ZK_CURVE_ED25519, raw, raw_len);
  } else if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC) {
    char group[64];
    size_t glen = 0;
    if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &glen) != 1) {
      st = ZK_ERR_UNSUPPORTED; /* explicit curve parameters are not accepted */
      goto done;
    }
    zk_curve c = ZK_CURVE_NONE;
    if (strcmp(group, "prime256v1") == 0) c = ZK_CURVE_P256;
    if (strcmp(group, "secp384r1") == 0) c = ZK_CURVE_P384;
    if (strcmp(group, "secp256k1") == 0) c = ZK_CURVE_SECP256K1;
    if (c == ZK_CURVE_NONE) {
      st = ZK_ERR_UNSUPPORTED;
      goto done;
    }
    uint8_t pt[ZK_P384_UNCOMPRESSED_LEN];
    size_t pt_len = 0;
    if (EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof pt, &pt_len) != 1)
      goto done;
    st = zk_key_from_public(out, c, pt, pt_len);
  } else {
    st = ZK_ERR_UNSUPPORTED;
  }
done:
  EVP_PKEY_free(pk);
  return st;
}

/* ---- export ---- */

static zk_status put_out(uint8_t *out, size_t *out_len, const uint8_t *src, size_t n) {
  if (*out_len < n) {
    *out_len = 0;
    return ZK_ERR_BUFFER_TOO_SMALL;
  }
  memcpy(out, src, n);
  *out_len = n;
  return ZK_OK;
}

zk_status zk_key_export_private(const zk_key *key, uint8_t *out, size_t *out_len) {
  if (key == NULL || out == NULL || out_len == NULL) return ZK_ERR_ARG;
  if (!key->has_priv) {
    *out_len = 0;
    return ZK_ERR_NO_PRIVATE_KEY;
  }
  size_t fl = zki_curve_field_len(key->curve);
  if (*out_len < fl) {
    *out_len = 0;
    return ZK_ERR_BUFFER_TOO_SMALL;
  }
  switch (key->curve) {
    case ZK_CURVE_P256:
    case ZK_CURVE_P384:
      if (BN_bn2binpad(EC_KEY_get0_private_key(key->ec), out, (int)fl) != (int)fl) break;
      *out_len = fl;
      return ZK_OK;
    case ZK_CURVE_SECP256K1:
      memcpy(out, key->k1_sec, 32);
      *out_len = 32;
      return ZK_OK;
    case ZK_CURVE_ED25519: {
      size_t n = *out_len;
      if (EVP_PKEY_get_raw_private_key(key->ed, out, &n) != 1 || n != 32) break;
      *out_len = 32;
      return ZK_OK;
    }
    default:
      break;
  }
  zk_wipe(out, *out_len);
  *out_len = 0;
  return ZK_ERR_INTERNAL;
}

/* SEC1 encoding (uncompressed 0x04 or compressed) of an EC key. */
static zk_status ec_point_bytes(const zk_key *key, int compressed, uint8_t *buf, size_t *len) {
  if (key->curve == ZK_CURVE_SECP256K1) {
    size_t n = compressed ? 33 : 65;
    if (secp256k1_ec_pubkey_serialize(
            k1_ctx(), buf, &n, &key->k1_pub,
            compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED) != 1)
      return ZK_ERR_INTERNAL;
    *len = n;
    return ZK_OK;
  }
  if (compressed) {
    if (*len < key->pub_comp_len) return ZK_ERR_BUFFER_TOO_SMALL;
    memcpy(buf, key->pub_comp, key->pub_comp_len);
    *len = key->pub_comp_len;
    return ZK_OK;
  }
  const EC_GROUP *g = EC_KEY_get0_group(key->ec);
  size_t n = EC_POINT_point2oct(
      g, EC_KEY_get0_public_key(key->ec),
      compressed ? POINT_CONVERSION_COMPRESSED : POINT_CONVERSION_UNCOMPRESSED, buf, *len, NULL);
  if (n == 0) return ZK_ERR_INTERNAL;
  *len = n;
  return ZK_OK;
}

static zk_status ec_spki(const zk_key *key, uint8_t *out, size_t *out_len) {
  EC_KEY *tmp = NULL;
  const EC_KEY *src = key->ec;
  zk_status st = ZK_ERR_INTERNAL;
  if (key->curve == ZK_CURVE_SECP256K1) {
    uint8_t pt[65];
    size_t n = sizeof pt;
    ZKI_TRY(ec_point_bytes(key, 0, pt, &n));
    tmp = ec_new(ZK_CURVE_SECP256K1);
    if (tmp == NULL) return ZK_ERR_NOMEM;
    const unsigned char *pp = pt;
    if (o2i_ECPublicKey(&tmp, &pp, (long)n) == NULL) goto done;
    src = tmp;
  }
  unsigned char *der = NULL;
  int der_len = i2d_EC_PUBKEY(src, &der);
  if (der_len <= 0) goto done;
  st = put_out(out, out_len, der, (size_t)der_len);
  OPENSSL_free(der);
done:
  EC_KEY_free(tmp);
  return st;
}

zk_status zk_key_export_public(const zk_key *key, zk_pubkey_format fmt, uint8_t *out,
                               size_t *out_len) {
  if (key == NULL || out == NULL || out_len == NULL) return ZK_ERR_ARG;
  uint8_t buf[ZK_MAX_PUBKEY_LEN];
  size_t n = sizeof buf;
  if (key->curve == ZK_CURVE_ED25519) {
    if (fmt == ZK_PUB_RAW) {
      if (EVP_PKEY_get_raw_public_key(key->ed, buf, &n) != 1) return ZK_ERR_INTERNAL;
      return put_out(out, out_len, buf, n);
    }
    if (fmt == ZK_PUB_SPKI_DER) {
      unsigned char *der = NULL;
      int der_len = i2d_PUBKEY(key->ed, &der);
      if (der_len <= 0) return ZK_ERR_INTERNAL;
      zk_status st = put_out(out, out_len, der, (size_t)der_len);
      OPENSSL_free(der);
      return st;
    }
    *out_len = 0;
    return ZK_ERR_UNSUPPORTED;
  }
  switch (fmt) {
    case ZK_PUB_COMPRESSED:
      ZKI_TRY(ec_point_bytes(key, 1, buf, &n));
      return put_out(out, out_len, buf, n);
    case ZK_PUB_UNCOMPRESSED:
      ZKI_TRY(ec_point_bytes(key, 0, buf, &n));
      return put_out(out, out_len, buf, n);
    case ZK_PUB_RAW:
      ZKI_TRY(ec_point_bytes(key, 0, buf, &n));
      return put_out(out, out_len, buf + 1, n - 1);
    case ZK_PUB_SPKI_DER:
      return ec_spki(key, out, out_len);
    case ZK_PUB_XONLY:
      if (key->curve != ZK_CURVE_SECP256K1) break;
      ZKI_TRY(ec_point_bytes(key, 1, buf, &n));
      return put_out(out, out_len, buf + 1, 32);
    default:
      break;
  }
  *out_len = 0;
  return ZK_ERR_UNSUPPORTED;
}

int zk_key_public_equal(const zk_key *a, const zk_key *b) {
  if (a == NULL || b == NULL || a->curve != b->curve) return 0;
  /* SEC1 compressed form determines the point (x and the parity of y). */
  zk_pubkey_format f = a->curve == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_COMPRESSED;
  uint8_t pa[ZK_MAX_PUBKEY_LEN], pb[ZK_MAX_PUBKEY_LEN];
  size_t la = sizeof pa, lb = sizeof pb;
  if (zk_key_export_public(a, f, pa, &la) != ZK_OK) return 0;
  if (zk_key_export_public(b, f, pb, &lb) != ZK_OK) return 0;
  return la == lb && memcmp(pa, pb, la) == 0;
}

zk_status zk_key_public_copy(zk_key **out, const zk_key *key) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (key == NULL) return ZK_ERR_ARG;
  zk_pubkey_format f = key->curve == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_UNCOMPRESSED;
  uint8_t p[ZK_MAX_PUBKEY_LEN];
  size_t l = sizeof p;
  ZKI_TRY(zk_key_export_public(key, f, p, &l));
  return zk_key_from_public(out, key->curve, p, l);
}

/* ---- signature encodings ---- */

/*
 * Strict DER ECDSA-Sig-Value -> r, s as fixed-width big-endian (fl bytes each).
 * The encoding must be exactly what i2d_ECDSA_SIG produces (minimal lengths and
 * integers, no trailing data); r and s must fit in fl bytes and be positive.
 */
static zk_status der_to_rs(uint8_t *rs, size_t fl, const uint8_t *der, size_t der_len) {
  if (der == NULL || der_len == 0 || der_len > 2 * fl + 16) return ZK_ERR_SIG_ENCODING;
  const unsigned char *p = der;
  ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
  if (sig == NULL) return ZK_ERR_SIG_ENCODING;
  zk_status st = ZK_ERR_SIG_ENCODING;
  unsigned char *re = NULL;
  if (p != der + der_len) goto done;
  int re_len = i2d_ECDSA_SIG(sig, &re);
  if (re_len <= 0 || (size_t)re_len != der_len || memcmp(re, der, der_len) != 0) goto done;
  const BIGNUM *r = NULL, *s = NULL;
  ECDSA_SIG_get0(sig, &r, &s);
  if (BN_is_negative(r) || BN_is_negative(s) || BN_is_zero(r) || BN_is_zero(s)) goto done;
  if ((size_t)BN_num_bytes(r) > fl || (size_t)BN_num_bytes(s) > fl) goto done;
  if (BN_bn2binpad(r, rs, (int)fl) != (int)fl || BN_bn2binpad(s, rs + fl, (int)fl) != (int)fl)
    goto done;
  st = ZK_OK;
done:
  OPENSSL_free(re);
  ECDSA_SIG_free(sig);
  return st;
}

static zk_status rs_to_der(uint8_t *der, size_t *der_len, const uint8_t *rs, size_t fl) {
  ECDSA_SIG *sig = ECDSA_SIG_new();
  BIGNUM *r = BN_bin2bn(rs, (int)fl, NULL), *s = BN_bin2bn(rs + fl, (int)fl, NULL);
  zk_status st = ZK_ERR_NOMEM;
  unsigned char *buf = NULL;
  if (sig == NULL || r == NULL || s == NULL) goto fail;
  if (BN_is_zero(r) || BN_is_zero(s)) {
    st = ZK_ERR_SIG_ENCODING;
    goto fail;
  }
  if (ECDSA_SIG_set0(sig, r, s) != 1) goto fail;
  r = s = NULL;
  int n = i2d_ECDSA_SIG(sig, &buf);
  if (n <= 0) {
    st = ZK_ERR_INTERNAL;
    goto fail;
  }
  st = put_out(der, der_len, buf, (size_t)n);
  OPENSSL_free(buf);
  ECDSA_SIG_free(sig);
  return st;
fail:
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(sig);
  *der_len = 0;
  return st;
}

static size_t ecdsa_field_len(zk_curve curve) {
  return curve == ZK_CURVE_ED25519 ? 0 : zki_curve_field_len(curve);
}

zk_status zk_sig_der_to_raw(uint8_t *raw, size_t *raw_len, zk_curve curve, const uint8_t *der,
                            size_t der_len) {
  if (raw == NULL || raw_len == NULL) return ZK_ERR_ARG;
  size_t fl = ecdsa_field_len(curve);
  if (fl == 0) return ZK_ERR_UNSUPPORTED;
  if (*raw_len < 2 * fl) {
    *raw_len = 0;
    return ZK_ERR_BUFFER_TOO_SMALL;
  }
  zk_status st = der_to_rs(raw, fl, der, der_len);
  if (st != ZK_OK) {
    zk_wipe(raw, 2 * fl);
    *raw_len = 0;
    return st;
  }
  *raw_len = 2 * fl;
  return ZK_OK;
}

zk_status zk_sig_raw_to_der(uint8_t *der, size_t *der_len, zk_curve curve, const uint8_t *raw,
                            size_t raw_len) {
  if (der == NULL || der_len == NULL || raw == NULL) return ZK_ERR_ARG;
  size_t fl = ecdsa_field_len(curve);
  if (fl == 0) return ZK_ERR_UNSUPPORTED;
  if (raw_len != 2 * fl) {
    *der_len = 0;
    return ZK_ERR_SIG_ENCODING;
  }
  return rs_to_der(der, der_len, raw, fl);
}

/* ---- RFC 6979 deterministic ECDSA (P-256 / P-384) ---- */

/*
 * RFC 6979 section 3.2 with qlen == hlen (SHA-256 on P-256, SHA-384 on P-384),
 * so bits2int is the identity on hlen-byte strings and bits2octets(h1) is
 * h1 mod q. Produces (r, s) via ECDSA_do_sign_ex with kinv = k^-1 and r = x(kG).
 */
static zk_status ec_sign_rfc6979(const zk_key *key, uint8_t *rs, const uint8_t *digest,
                                 size_t dlen) {
  const size_t fl = zki_curve_field_len(key->curve);
  const EVP_MD *md = key->curve == ZK_CURVE_P256 ? EVP_sha256() : EVP_sha384();
  const EC_GROUP *g = EC_KEY_get0_group(key->ec);
  const BIGNUM *q = EC_GROUP_get0_order(g);
  const BIGNUM *d = EC_KEY_get0_private_key(key->ec);
  uint8_t V[48], K[48], T[48], xbuf[48 + 48 + 48 + 1 + 48];
  uint8_t x[48], h1[48];
  zk_status st = ZK_ERR_NOMEM;
  BN_CTX *bctx = BN_CTX_new();
  BIGNUM *h = BN_new(), *k = BN_secure_new(), *kinv = BN_secure_new(), *r = BN_new(),
         *rx = BN_new(), *qm2 = BN_new();
  EC_POINT *R = EC_POINT_new(g);
  ECDSA_SIG *sig = NULL;
  if (bctx == NULL || h == NULL || k == NULL || kinv == NULL || r == NULL || rx == NULL ||
      qm2 == NULL || R == NULL)
    goto done;
  BN_set_flags(k, BN_FLG_CONSTTIME);
  BN_set_flags(kinv, BN_FLG_CONSTTIME);
  st = ZK_ERR_INTERNAL;
  /* x = int2octets(d); h1 = bits2octets(H(m)) = (H(m) mod q) as fl bytes */
  if (BN_bn2binpad(d, x, (int)fl) != (int)fl) goto done;
  if (BN_bin2bn(digest, (int)dlen, h) == NULL) goto done;
  if (BN_cmp(h, q) >= 0 && BN_sub(h, h, q) != 1) goto done;
  if (BN_bn2binpad(h, h1, (int)fl) != (int)fl) goto done;
  /* k^-1 = k^(q-2) mod q (q is prime): a fixed-window constant-time exponentiation, as OpenSSL's
   * own ECDSA does, instead of BN_mod_inverse, whose Euclidean loop runs a number of steps that
   * depends on k even with BN_FLG_CONSTTIME (the constant-time check counted 180 code locations
   * there). */
  if (BN_copy(qm2, q) == NULL || BN_sub_word(qm2, 2) != 1) goto done;

  unsigned int mlen;
  memset(V, 0x01, fl);
  memset(K, 0x00, fl);
  /* K = HMAC_K(V || 0x00 || x || h1); V = HMAC_K(V); K = HMAC_K(V || 0x01 || x || h1); V =
   * HMAC_K(V) */
  for (int round = 0; round < 2; round++) {
    memcpy(xbuf, V, fl);
    xbuf[fl] = (uint8_t)round;
    memcpy(xbuf + fl + 1, x, fl);
    memcpy(xbuf + 2 * fl + 1, h1, fl);
    if (HMAC(md, K, (int)fl, xbuf, 3 * fl + 1, K, &mlen) == NULL) goto done;
    if (HMAC(md, K, (int)fl, V, fl, V, &mlen) == NULL) goto done;
  }
  for (int attempt = 0; attempt < 64; attempt++) {
    /* qlen == hlen: one HMAC output is exactly one candidate T. */
    if (HMAC(md, K, (int)fl, V, fl, V, &mlen) == NULL) goto done;
    memcpy(T, V, fl);
    if (BN_bin2bn(T, (int)fl, k) == NULL) goto done;
    /* Rejection sampling (3.2 h.3): a rejected candidate says nothing about the accepted k, and
     * rejection has probability below 2^-32 on both curves, so the verdict is declassified. */
    int k_ok = !BN_is_zero(k) && BN_cmp(k, q) < 0;
    ZKI_DECLASSIFY(&k_ok, sizeof k_ok);
    if (k_ok) {
      if (EC_POINT_mul(g, R, k, NULL, NULL, bctx) != 1) goto done;
      if (EC_POINT_get_affine_coordinates(g, R, rx, NULL, bctx) != 1) goto done;
      if (BN_nnmod(r, rx, q, bctx) != 1) goto done;
      int r_ok = !BN_is_zero(r); /* r is part of the signature: public */
      ZKI_DECLASSIFY(&r_ok, sizeof r_ok);
      if (r_ok) {
        /* the group's own Montgomery context for q (NULL would build one per signature) */
        if (BN_mod_exp_mont_consttime(kinv, k, qm2, q, bctx, EC_GROUP_get_mont_data(g)) != 1)
          goto done;
        ERR_set_mark();
        sig = ECDSA_do_sign_ex(digest, (int)dlen, kinv, r, (EC_KEY *)key->ec);
        if (sig != NULL) {
          ERR_pop_to_mark();
          break;
        }
        /* Only s == 0 (EC_R_NEED_NEW_SETUP_VALUES) moves on to the next candidate k (RFC 6979
         * 3.2 h.3). Any other failure (e.g. out of memory) must fail the call: going on would
         * return ZK_OK with a signature that is not the deterministic one. */
        unsigned long e = ERR_peek_last_error();
        if (ERR_GET_LIB(e) != ERR_LIB_EC || ERR_GET_REASON(e) != EC_R_NEED_NEW_SETUP_VALUES) {
          ERR_clear_last_mark();
          goto done;
        }
        ERR_pop_to_mark();
      }
    }
    /* K = HMAC_K(V || 0x00); V = HMAC_K(V) */
    memcpy(xbuf, V, fl);
    xbuf[fl] = 0x00;
    if (HMAC(md, K, (int)fl, xbuf, fl + 1, K, &mlen) == NULL) goto done;
    if (HMAC(md, K, (int)fl, V, fl, V, &mlen) == NULL) goto done;
  }
  if (sig == NULL) goto done;
  const BIGNUM *sr = NULL, *ss = NULL;
  ECDSA_SIG_get0(sig, &sr, &ss);
  if (BN_bn2binpad(sr, rs, (int)fl) != (int)fl || BN_bn2binpad(ss, rs + fl, (int)fl) != (int)fl)
    goto done;
  st = ZK_OK;
done:
  zk_wipe(V, sizeof V);
  zk_wipe(K, sizeof K);
  zk_wipe(T, sizeof T);
  zk_wipe(xbuf, sizeof xbuf);
  zk_wipe(x, sizeof x);
  zk_wipe(h1, sizeof h1);
  ECDSA_SIG_free(sig);
  EC_POINT_free(R);
  BN_free(h);
  BN_clear_free(k);
  BN_clear_free(kinv);
  BN_free(r);
  BN_free(rx);
  BN_free(qm2);
  BN_CTX_free(bctx);
  return st;
}

/* ---- signing ---- */

zk_status zk_key_sign_digest(const zk_key *key, zk_sig_format fmt, uint8_t *sig, size_t *sig_len,
                             const uint8_t *digest, size_t digest_len) {
  if (key == NULL || sig == NULL || sig_len == NULL || digest == NULL) return ZK_ERR_ARG;
  size_t cap = *sig_len;
  *sig_len = 0;
  if (!key->has_priv) return ZK_ERR_NO_PRIVATE_KEY;
  if (key->curve == ZK_CURVE_ED25519) return ZK_ERR_UNSUPPORTED;
  size_t fl = zki_curve_field_len(key->curve);
  if (digest_len != fl) return ZK_ERR_ARG;
  uint8_t rs[2 * ZK_P384_SECRET_LEN];
  zk_status st;
  if (key->curve == ZK_CURVE_SECP256K1) {
    const secp256k1_context *ctx = k1_ctx();
    if (ctx == NULL) return ZK_ERR_INTERNAL;
    if (fmt == ZK_SIG_RECOVERABLE) {
      secp256k1_ecdsa_recoverable_signature rsig;
      int recid = 0;
      if (cap < ZK_RECOVERABLE_SIG_LEN) return ZK_ERR_BUFFER_TOO_SMALL;
      /* The result of signing (it fails only for a nonce out of range, which the RFC 6979
       * retry loop inside libsecp256k1 rules out) and the signature are public. */
      int ok = secp256k1_ecdsa_sign_recoverable(ctx, &rsig, digest, key->k1_sec, NULL, NULL);
      ZKI_DECLASSIFY(&ok, sizeof ok);
      if (ok != 1 ||
          secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig, &recid, &rsig) != 1)
        return ZK_ERR_INTERNAL;
      sig[64] = (uint8_t)recid;
      ZKI_DECLASSIFY(sig, ZK_RECOVERABLE_SIG_LEN);
      *sig_len = ZK_RECOVERABLE_SIG_LEN;
      return ZK_OK;
    }
    if (fmt != ZK_SIG_DER && fmt != ZK_SIG_RAW) return ZK_ERR_UNSUPPORTED;
    secp256k1_ecdsa_signature s;
    int ok = secp256k1_ecdsa_sign(ctx, &s, digest, key->k1_sec, NULL, NULL);
    ZKI_DECLASSIFY(&ok, sizeof ok);
    if (ok != 1 || secp256k1_ecdsa_signature_serialize_compact(ctx, rs, &s) != 1)
      return ZK_ERR_INTERNAL;
    st = ZK_OK;
  } else {
    if (fmt != ZK_SIG_DER && fmt != ZK_SIG_RAW) return ZK_ERR_UNSUPPORTED;
    st = ec_sign_rfc6979(key, rs, digest, digest_len);
  }
  if (st != ZK_OK) return st;
  /* The signature is the public output; from here on it is encoded like any public data. */
  ZKI_DECLASSIFY(rs, 2 * fl);
  *sig_len = cap;
  if (fmt == ZK_SIG_RAW) return put_out(sig, sig_len, rs, 2 * fl);
  return rs_to_der(sig, sig_len, rs, fl);
}

static zk_status schnorr_sign(const zk_key *key, uint8_t sig[64], const uint8_t *msg,
                              size_t msg_len, const uint8_t aux[32]) {
  const secp256k1_context *ctx = k1_ctx();
  if (ctx == NULL) return ZK_ERR_INTERNAL;
  secp256k1_keypair kp;
  secp256k1_schnorrsig_extraparams ep = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
  ep.ndata = (unsigned char *)(uintptr_t)aux;
  zk_status st = ZK_ERR_INTERNAL;
  /* Both results are public verdicts (a valid key, a completed signature), as is the signature;
   * libsecp256k1's own constant-time test declassifies the same values. */
  int ok = secp256k1_keypair_create(ctx, &kp, key->k1_sec);
  ZKI_DECLASSIFY(&ok, sizeof ok);
  if (ok == 1) {
    ok = secp256k1_schnorrsig_sign_custom(ctx, sig, msg, msg_len, &kp, &ep);
    ZKI_DECLASSIFY(&ok, sizeof ok);
    ZKI_DECLASSIFY(sig, 64);
  }
  if (ok == 1) st = ZK_OK;
  zk_wipe(&kp, sizeof kp);
  if (st != ZK_OK) zk_wipe(sig, 64);
  return st;
}

zk_status zki_key_sign_schnorr_aux(const zk_key *key, uint8_t sig[64], const uint8_t *msg,
                                   size_t msg_len, const uint8_t aux[32]) {
  if (key == NULL || sig == NULL || (msg == NULL && msg_len > 0) || aux == NULL) return ZK_ERR_ARG;
  if (key->curve != ZK_CURVE_SECP256K1) return ZK_ERR_UNSUPPORTED;
  if (!key->has_priv) return ZK_ERR_NO_PRIVATE_KEY;
  return schnorr_sign(key, sig, msg, msg_len, aux);
}

zk_status zk_key_sign(const zk_key *key, zk_sig_format fmt, uint8_t *sig, size_t *sig_len,
                      const uint8_t *msg, size_t msg_len) {
  if (key == NULL || sig == NULL || sig_len == NULL || (msg == NULL && msg_len > 0))
    return ZK_ERR_ARG;
  size_t cap = *sig_len;
  *sig_len = 0;
  if (!key->has_priv) return ZK_ERR_NO_PRIVATE_KEY;
  static const uint8_t empty[1] = {0};
  if (msg == NULL) msg = empty;
  if (key->curve == ZK_CURVE_ED25519) {
    if (fmt != ZK_SIG_EDDSA) return ZK_ERR_UNSUPPORTED;
    if (cap < ZK_ED25519_SIG_LEN) return ZK_ERR_BUFFER_TOO_SMALL;
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    size_t n = cap;
    zk_status st = ZK_ERR_INTERNAL;
    if (mctx != NULL && EVP_DigestSignInit(mctx, NULL, NULL, NULL, key->ed) == 1 &&
        EVP_DigestSign(mctx, sig, &n, msg, msg_len) == 1 && n == ZK_ED25519_SIG_LEN) {
      *sig_len = n;
      st = ZK_OK;
    }
    EVP_MD_CTX_free(mctx);
    return st;
  }
  if (fmt == ZK_SIG_SCHNORR) {
    if (key->curve != ZK_CURVE_SECP256K1) return ZK_ERR_UNSUPPORTED;
    if (cap < ZK_SCHNORR_SIG_LEN) return ZK_ERR_BUFFER_TOO_SMALL;
    uint8_t aux[32];
    if (zk_random(aux, sizeof aux) != ZK_OK) return ZK_ERR_RANDOM;
    zk_status st = schnorr_sign(key, sig, msg, msg_len, aux);
    zk_wipe(aux, sizeof aux);
    if (st == ZK_OK) *sig_len = ZK_SCHNORR_SIG_LEN;
    return st;
  }
  uint8_t dg[ZK_SHA384_LEN];
  size_t dl = zki_curve_field_len(key->curve);
  zk_hash_alg alg = key->curve == ZK_CURVE_P384 ? ZK_HASH_SHA384 : ZK_HASH_SHA256;
  unsigned int n = 0;
  if (EVP_Digest(msg, msg_len, dg, &n, alg == ZK_HASH_SHA384 ? EVP_sha384() : EVP_sha256(), NULL) !=
          1 ||
      n != dl)
    return ZK_ERR_INTERNAL;
  *sig_len = cap;
  return zk_key_sign_digest(key, fmt, sig, sig_len, dg, dl);
}

/* ---- verification ---- */

static zk_status ec_verify_rs(const zk_key *key, const uint8_t *rs, const uint8_t *digest,
                              size_t dlen) {
  size_t fl = zki_curve_field_len(key->curve);
  ECDSA_SIG *sig = ECDSA_SIG_new();
  BIGNUM *r = BN_bin2bn(rs, (int)fl, NULL), *s = BN_bin2bn(rs + fl, (int)fl, NULL);
  if (sig == NULL || r == NULL || s == NULL) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return ZK_ERR_NOMEM;
  }
  const BIGNUM *q = EC_GROUP_get0_order(EC_KEY_get0_group(key->ec));
  int range_ok = !BN_is_zero(r) && !BN_is_zero(s) && BN_cmp(r, q) < 0 && BN_cmp(s, q) < 0;
  if (ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return ZK_ERR_INTERNAL;
  }
  /* r and s must lie in [1, n-1]: anything else is a malformed signature. */
  zk_status st = range_ok ? ZK_ERR_SIGNATURE : ZK_ERR_SIG_ENCODING;
  if (range_ok && ECDSA_do_verify(digest, (int)dlen, sig, (EC_KEY *)key->ec) == 1) st = ZK_OK;
  ECDSA_SIG_free(sig);
  return st;
}

static zk_status k1_verify_rs(const zk_key *key, unsigned flags, const uint8_t *rs,
                              const uint8_t *digest) {
  const secp256k1_context *ctx = k1_ctx();
  if (ctx == NULL) return ZK_ERR_INTERNAL;
  secp256k1_ecdsa_signature s;
  /* r and s must lie in [1, n-1]: parse_compact refuses values >= n, zero is checked here. */
  static const uint8_t zero[32] = {0};
  if (memcmp(rs, zero, 32) == 0 || memcmp(rs + 32, zero, 32) == 0) return ZK_ERR_SIG_ENCODING;
  if (secp256k1_ecdsa_signature_parse_compact(ctx, &s, rs) != 1) return ZK_ERR_SIG_ENCODING;
  secp256k1_ecdsa_signature norm;
  int was_high = secp256k1_ecdsa_signature_normalize(ctx, &norm, &s);
  if (was_high && !(flags & ZK_VERIFY_ALLOW_HIGH_S)) return ZK_ERR_HIGH_S;
  return secp256k1_ecdsa_verify(ctx, &norm, digest, &key->k1_pub) == 1 ? ZK_OK : ZK_ERR_SIGNATURE;
}

/* ZK_OK if the 65-byte r || s || v signature over digest recovers key's public point. */
static zk_status k1_recovers_to(const zk_key *key, const uint8_t *sig, const uint8_t *digest) {
  const secp256k1_context *ctx = k1_ctx();
  if (ctx == NULL) return ZK_ERR_INTERNAL;
  secp256k1_ecdsa_recoverable_signature rsig;
  secp256k1_pubkey rec;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig, sig, sig[64]) != 1)
    return ZK_ERR_SIG_ENCODING;
  if (secp256k1_ecdsa_recover(ctx, &rec, &rsig, digest) != 1) return ZK_ERR_SIGNATURE;
  return secp256k1_ec_pubkey_cmp(ctx, &rec, &key->k1_pub) == 0 ? ZK_OK : ZK_ERR_SIGNATURE;
}

zk_status zk_key_verify_digest(const zk_key *key, zk_sig_format fmt, unsigned flags,
                               const uint8_t *sig, size_t sig_len, const uint8_t *digest,
                               size_t digest_len) {
  if (key == NULL || sig == NULL || digest == NULL) return ZK_ERR_ARG;
  if (key->curve == ZK_CURVE_ED25519) return ZK_ERR_UNSUPPORTED;
  size_t fl = zki_curve_field_len(key->curve);
  if (digest_len != fl) return ZK_ERR_ARG;
  uint8_t rs[2 * ZK_P384_SECRET_LEN];
  switch (fmt) {
    case ZK_SIG_DER:
      ZKI_TRY(der_to_rs(rs, fl, sig, sig_len));
      break;
    case ZK_SIG_RAW:
      if (sig_len != 2 * fl) return ZK_ERR_SIG_ENCODING;
      memcpy(rs, sig, 2 * fl);
      break;
    case ZK_SIG_RECOVERABLE:
      if (key->curve != ZK_CURVE_SECP256K1) return ZK_ERR_UNSUPPORTED;
      if (sig_len != ZK_RECOVERABLE_SIG_LEN || sig[64] > 3) return ZK_ERR_SIG_ENCODING;
      memcpy(rs, sig, 64);
      ZKI_TRY(k1_verify_rs(key, flags, rs, digest));
      /* The recovery id is part of the signature: it must recover this very key,
       * otherwise one (r, s) would be accepted under up to four byte strings. */
      return k1_recovers_to(key, sig, digest);
    default:
      return ZK_ERR_UNSUPPORTED;
  }
  if (key->curve == ZK_CURVE_SECP256K1) return k1_verify_rs(key, flags, rs, digest);
  return ec_verify_rs(key, rs, digest, digest_len);
}

zk_status zk_key_verify(const zk_key *key, zk_sig_format fmt, unsigned flags, const uint8_t *sig,
                        size_t sig_len, const uint8_t *msg, size_t msg_len) {
  if (key == NULL || sig == NULL || (msg == NULL && msg_len > 0)) return ZK_ERR_ARG;
  static const uint8_t empty[1] = {0};
  if (msg == NULL) msg = empty;
  if (key->curve == ZK_CURVE_ED25519) {
    if (fmt != ZK_SIG_EDDSA) return ZK_ERR_UNSUPPORTED;
    if (sig_len != ZK_ED25519_SIG_LEN) return ZK_ERR_SIG_ENCODING;
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    if (mctx == NULL) return ZK_ERR_NOMEM;
    zk_status st = ZK_ERR_SIGNATURE;
    if (EVP_DigestVerifyInit(mctx, NULL, NULL, NULL, key->ed) == 1 &&
        EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1)
      st = ZK_OK;
    EVP_MD_CTX_free(mctx);
    return st;
  }
  if (fmt == ZK_SIG_SCHNORR) {
    if (key->curve != ZK_CURVE_SECP256K1) return ZK_ERR_UNSUPPORTED;
    if (sig_len != ZK_SCHNORR_SIG_LEN) return ZK_ERR_SIG_ENCODING;
    const secp256k1_context *ctx = k1_ctx();
    if (ctx == NULL) return ZK_ERR_INTERNAL;
    secp256k1_xonly_pubkey xo;
    if (secp256k1_xonly_pubkey_from_pubkey(ctx, &xo, NULL, &key->k1_pub) != 1)
      return ZK_ERR_INTERNAL;
    return secp256k1_schnorrsig_verify(ctx, sig, msg, msg_len, &xo) == 1 ? ZK_OK : ZK_ERR_SIGNATURE;
  }
  uint8_t dg[ZK_SHA384_LEN];
  unsigned int n = 0;
  size_t dl = zki_curve_field_len(key->curve);
  if (EVP_Digest(msg, msg_len, dg, &n, key->curve == ZK_CURVE_P384 ? EVP_sha384() : EVP_sha256(),
                 NULL) != 1 ||
      n != dl)
    return ZK_ERR_INTERNAL;
  return zk_key_verify_digest(key, fmt, flags, sig, sig_len, dg, dl);
}

zk_status zk_key_recover(zk_key **out, const uint8_t *sig, size_t sig_len, const uint8_t *digest,
                         size_t digest_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (sig == NULL || digest == NULL || digest_len != 32) return ZK_ERR_ARG;
  if (sig_len != ZK_RECOVERABLE_SIG_LEN || sig[64] > 3) return ZK_ERR_SIG_ENCODING;
  const secp256k1_context *ctx = k1_ctx();
  if (ctx == NULL) return ZK_ERR_INTERNAL;
  secp256k1_ecdsa_recoverable_signature rs;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, sig, sig[64]) != 1)
    return ZK_ERR_SIG_ENCODING;
  zk_key *k = key_alloc(ZK_CURVE_SECP256K1);
  if (k == NULL) return ZK_ERR_NOMEM;
  if (secp256k1_ecdsa_recover(ctx, &k->k1_pub, &rs, digest) != 1) {
    zk_key_free(k);
    return ZK_ERR_RECOVER;
  }
  *out = k;
  return ZK_OK;
}

/* ---- ECDH ---- */

static int k1_ecdh_xonly(unsigned char *output, const unsigned char *x32, const unsigned char *y32,
                         void *data) {
  (void)y32;
  (void)data;
  memcpy(output, x32, 32);
  return 1;
}

zk_status zk_ecdh(uint8_t *secret, size_t *secret_len, const zk_key *priv, const zk_key *peer) {
  if (secret == NULL || secret_len == NULL || priv == NULL || peer == NULL) return ZK_ERR_ARG;
  size_t cap = *secret_len;
  *secret_len = 0;
  if (priv->curve != peer->curve) return ZK_ERR_CURVE;
  if (priv->curve == ZK_CURVE_ED25519) return ZK_ERR_UNSUPPORTED;
  if (!priv->has_priv) return ZK_ERR_NO_PRIVATE_KEY;
  size_t fl = zki_curve_field_len(priv->curve);
  if (cap < fl) return ZK_ERR_BUFFER_TOO_SMALL;
  if (priv->curve == ZK_CURVE_SECP256K1) {
    const secp256k1_context *ctx = k1_ctx();
    if (ctx == NULL) return ZK_ERR_INTERNAL;
    int ok = secp256k1_ecdh(ctx, secret, &peer->k1_pub, priv->k1_sec, k1_ecdh_xonly, NULL);
    ZKI_DECLASSIFY(&ok, sizeof ok); /* success verdict (the scalar is valid) */
    if (ok != 1) {
      zk_wipe(secret, fl);
      return ZK_ERR_ECDH;
    }
    *secret_len = 32;
    return ZK_OK;
  }
  int n = ECDH_compute_key(secret, fl, EC_KEY_get0_public_key(peer->ec), priv->ec, NULL);
  ZKI_DECLASSIFY(&n, sizeof n); /* output length / success verdict */
  if (n != (int)fl) {
    zk_wipe(secret, fl);
    return ZK_ERR_ECDH;
  }
  *secret_len = fl;
  return ZK_OK;
}
