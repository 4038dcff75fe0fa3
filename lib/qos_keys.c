/* QOS key sets, raw signatures and the P-256 share envelope (see include/zerokey/qos.h). */
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/key.h"
#include "zerokey/qos.h"
#include "zk_borsh.h"
#include "zk_internal.h"
#include "zk_qos_internal.h"

struct zk_qos_keyset {
  uint8_t seed[ZK_QOS_SEED_LEN];
  uint8_t aes_key[32];
  uint8_t pub[ZK_QOS_PUBLIC_LEN];
  zk_key *enc; /* P-256 private, encrypt half */
  zk_key *sig; /* P-256 private, sign half */
};

struct zk_qos_pubkey {
  uint8_t pub[ZK_QOS_PUBLIC_LEN];
  zk_key *enc;
  zk_key *sig;
};

static const char PATH_ENCRYPT[] = "qos_p256_encrypt";
static const char PATH_SIGN[] = "qos_p256_sign";
static const char PATH_AES[] = "qos_aes_gcm_encrypt";
static const char ENVELOPE_HMAC_MSG[] = "qos_encryption_hmac_message";

void zk_qos_keyset_free(zk_qos_keyset *ks) {
  if (ks == NULL) return;
  zk_key_free(ks->enc);
  zk_key_free(ks->sig);
  zk_wipe(ks, sizeof *ks);
  free(ks);
}

static zk_status derive_p256(zk_key **out, uint8_t pub[65], const uint8_t seed[32],
                             const char *path) {
  uint8_t sk[32];
  zk_status st = zk_hkdf(ZK_HASH_SHA512, sk, sizeof sk, (const uint8_t *)path, strlen(path), seed,
                         ZK_QOS_SEED_LEN, NULL, 0);
  if (st == ZK_OK) {
    st = zk_key_from_private(out, ZK_CURVE_P256, sk, sizeof sk);
    if (st == ZK_ERR_KEY) st = ZK_ERR_QOS_KEY; /* scalar 0 or >= n: no key for this seed */
  }
  zk_wipe(sk, sizeof sk);
  if (st != ZK_OK) return st;
  size_t n = 65;
  st = zk_key_export_public(*out, ZK_PUB_UNCOMPRESSED, pub, &n);
  if (st == ZK_OK && n != 65) st = ZK_ERR_INTERNAL;
  if (st != ZK_OK) {
    zk_key_free(*out);
    *out = NULL;
  }
  return st;
}

zk_status zk_qos_keyset_from_seed(zk_qos_keyset **out, const uint8_t *seed, size_t seed_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (seed == NULL) return ZK_ERR_ARG;
  if (seed_len != ZK_QOS_SEED_LEN) return ZK_ERR_QOS_KEY;
  zk_qos_keyset *ks = calloc(1, sizeof *ks);
  if (ks == NULL) return ZK_ERR_NOMEM;
  memcpy(ks->seed, seed, ZK_QOS_SEED_LEN);
  zk_status st = derive_p256(&ks->enc, ks->pub, seed, PATH_ENCRYPT);
  if (st == ZK_OK) st = derive_p256(&ks->sig, ks->pub + 65, seed, PATH_SIGN);
  if (st == ZK_OK)
    st = zk_hkdf(ZK_HASH_SHA512, ks->aes_key, sizeof ks->aes_key, (const uint8_t *)PATH_AES,
                 strlen(PATH_AES), seed, ZK_QOS_SEED_LEN, NULL, 0);
  if (st != ZK_OK) {
    zk_qos_keyset_free(ks);
    return st;
  }
  *out = ks;
  return ZK_OK;
}

zk_status zk_qos_keyset_from_hex(zk_qos_keyset **out, const char *hex, size_t hex_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (hex == NULL) return ZK_ERR_ARG;
  /* Seed digits sit at the ends only at lengths 64 (both ends) and 66 ("0x" + digits: the last
   * one): those ends are not examined, so no branch depends on a seed digit (tests/ctime). */
  const size_t dl = 2 * ZK_QOS_SEED_LEN;
  if (hex_len != dl && hex_len != dl + 2 && hex_len > 0 && hex[hex_len - 1] == '\n') hex_len--;
  if (hex_len != dl && hex_len >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
    hex += 2;
    hex_len -= 2;
  }
  if (hex_len != 2 * ZK_QOS_SEED_LEN) return hex_len % 2 ? ZK_ERR_HEX : ZK_ERR_QOS_KEY;
  uint8_t seed[ZK_QOS_SEED_LEN];
  size_t n;
  zk_status st = zki_hex_decode(seed, sizeof seed, &n, hex, hex_len);
  if (st == ZK_OK) st = zk_qos_keyset_from_seed(out, seed, n);
  zk_wipe(seed, sizeof seed);
  return st;
}

zk_status zk_qos_keyset_generate(zk_qos_keyset **out) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  uint8_t seed[ZK_QOS_SEED_LEN];
  zk_status st;
  /* A seed whose derived scalar is out of range has probability ~2^-128: just retry. */
  for (int tries = 0; tries < 4; tries++) {
    st = zk_random(seed, sizeof seed);
    if (st != ZK_OK) break;
    st = zk_qos_keyset_from_seed(out, seed, sizeof seed);
    if (st != ZK_ERR_QOS_KEY) break;
  }
  zk_wipe(seed, sizeof seed);
  return st;
}

const uint8_t *zk_qos_keyset_public(const zk_qos_keyset *ks) {
  return ks ? ks->pub : NULL;
}

zk_status zk_qos_keyset_seed(const zk_qos_keyset *ks, uint8_t *out, size_t out_len) {
  if (ks == NULL || out == NULL) return ZK_ERR_ARG;
  if (out_len < ZK_QOS_SEED_LEN) {
    zk_wipe(out, out_len);
    return ZK_ERR_BUFFER_TOO_SMALL;
  }
  memcpy(out, ks->seed, ZK_QOS_SEED_LEN);
  return ZK_OK;
}

const uint8_t *zki_qos_keyset_aes_key(const zk_qos_keyset *ks) {
  return ks ? ks->aes_key : NULL;
}

zk_status zk_qos_sign(const zk_qos_keyset *ks, uint8_t *sig, size_t sig_len, const uint8_t *msg,
                      size_t msg_len) {
  if (ks == NULL || sig == NULL || (msg == NULL && msg_len > 0)) {
    if (sig != NULL) zk_wipe(sig, sig_len);
    return ZK_ERR_ARG;
  }
  if (sig_len < ZK_QOS_SIG_LEN) {
    zk_wipe(sig, sig_len);
    return ZK_ERR_BUFFER_TOO_SMALL;
  }
  size_t n = ZK_QOS_SIG_LEN;
  static const uint8_t empty[1] = {0};
  zk_status st = zk_key_sign(ks->sig, ZK_SIG_RAW, sig, &n, msg ? msg : empty, msg_len);
  if (st == ZK_OK && n != ZK_QOS_SIG_LEN) st = ZK_ERR_INTERNAL;
  if (st != ZK_OK) zk_wipe(sig, sig_len);
  return st;
}

void zk_qos_pubkey_free(zk_qos_pubkey *pk) {
  if (pk == NULL) return;
  zk_key_free(pk->enc);
  zk_key_free(pk->sig);
  free(pk);
}

zk_status zk_qos_pubkey_parse(zk_qos_pubkey **out, const uint8_t *pub, size_t pub_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (pub == NULL) return ZK_ERR_ARG;
  if (pub_len != ZK_QOS_PUBLIC_LEN) return ZK_ERR_QOS_KEY;
  /* Both halves must be uncompressed SEC1 points (0x04 prefix). */
  if (pub[0] != 0x04 || pub[65] != 0x04) return ZK_ERR_KEY;
  zk_qos_pubkey *pk = calloc(1, sizeof *pk);
  if (pk == NULL) return ZK_ERR_NOMEM;
  memcpy(pk->pub, pub, ZK_QOS_PUBLIC_LEN);
  zk_status st = zk_key_from_public(&pk->enc, ZK_CURVE_P256, pub, 65);
  if (st == ZK_OK) st = zk_key_from_public(&pk->sig, ZK_CURVE_P256, pub + 65, 65);
  if (st != ZK_OK) {
    zk_qos_pubkey_free(pk);
    return st;
  }
  *out = pk;
  return ZK_OK;
}

const uint8_t *zk_qos_pubkey_bytes(const zk_qos_pubkey *pk) {
  return pk ? pk->pub : NULL;
}

zk_status zk_qos_pubkey_verify(const zk_qos_pubkey *pk, const uint8_t *sig, size_t sig_len,
                               const uint8_t *msg, size_t msg_len) {
  if (pk == NULL || sig == NULL || (msg == NULL && msg_len > 0)) return ZK_ERR_ARG;
  if (sig_len != ZK_QOS_SIG_LEN) return ZK_ERR_SIG_ENCODING;
  static const uint8_t empty[1] = {0};
  return zk_key_verify(pk->sig, ZK_SIG_RAW, 0, sig, sig_len, msg ? msg : empty, msg_len);
}

zk_status zk_qos_verify(const uint8_t *pub, size_t pub_len, const uint8_t *sig, size_t sig_len,
                        const uint8_t *msg, size_t msg_len) {
  zk_qos_pubkey *pk;
  ZKI_TRY(zk_qos_pubkey_parse(&pk, pub, pub_len));
  zk_status st = zk_qos_pubkey_verify(pk, sig, sig_len, msg, msg_len);
  zk_qos_pubkey_free(pk);
  return st;
}

/* ---- envelope ---- */

/* key = HMAC-SHA512(eph_pub || recv_pub || shared_x, "qos_encryption_hmac_message")[0..32] */
static zk_status envelope_key(uint8_t key[32], const uint8_t eph_pub[65],
                              const uint8_t recv_pub[65], const zk_key *priv, const zk_key *peer) {
  uint8_t ikm[65 + 65 + 32], mac[ZK_SHA512_LEN];
  size_t slen = 32;
  memcpy(ikm, eph_pub, 65);
  memcpy(ikm + 65, recv_pub, 65);
  zk_status st = zk_ecdh(ikm + 130, &slen, priv, peer);
  if (st == ZK_OK && slen != 32) st = ZK_ERR_ECDH;
  if (st == ZK_OK)
    st = zk_hmac(ZK_HASH_SHA512, mac, sizeof mac, ikm, sizeof ikm,
                 (const uint8_t *)ENVELOPE_HMAC_MSG, strlen(ENVELOPE_HMAC_MSG));
  if (st == ZK_OK) memcpy(key, mac, 32);
  zk_wipe(ikm, sizeof ikm);
  zk_wipe(mac, sizeof mac);
  return st;
}

static void envelope_aad(uint8_t aad[132], const uint8_t eph_pub[65], const uint8_t recv_pub[65]) {
  memcpy(aad, eph_pub, 65);
  aad[65] = 65;
  memcpy(aad + 66, recv_pub, 65);
  aad[131] = 65;
}

zk_status zki_qos_envelope_seal_with(uint8_t **out, size_t *out_len, const zk_qos_pubkey *recv,
                                     const zk_key *eph, const uint8_t nonce[12], const uint8_t *pt,
                                     size_t pt_len) {
  *out = NULL;
  *out_len = 0;
  if (recv == NULL || eph == NULL || nonce == NULL || (pt == NULL && pt_len > 0)) return ZK_ERR_ARG;
  if (pt_len > ZK_QOS_ENVELOPE_MAX_PLAINTEXT) return ZK_ERR_TOO_LARGE;
  uint8_t eph_pub[65], key[32], aad[132];
  size_t n = 65;
  ZKI_TRY(zk_key_export_public(eph, ZK_PUB_UNCOMPRESSED, eph_pub, &n));
  if (n != 65) return ZK_ERR_INTERNAL;
  ZKI_TRY(envelope_key(key, eph_pub, recv->pub, eph, recv->enc));
  envelope_aad(aad, eph_pub, recv->pub);
  size_t total = ZK_QOS_ENVELOPE_OVERHEAD + pt_len;
  uint8_t *buf = malloc(total);
  if (buf == NULL) {
    zk_wipe(key, sizeof key);
    return ZK_ERR_NOMEM;
  }
  memcpy(buf, nonce, 12);
  memcpy(buf + 12, eph_pub, 65);
  uint32_t ctlen = (uint32_t)(pt_len + 16);
  for (int i = 0; i < 4; i++) buf[77 + i] = (uint8_t)(ctlen >> (8 * i));
  static const uint8_t empty[1] = {0};
  zk_status st = zk_aes_gcm_seal(buf + 81, buf + 81 + pt_len, 16, key, sizeof key, nonce, 12, aad,
                                 sizeof aad, pt ? pt : empty, pt_len);
  zk_wipe(key, sizeof key);
  if (st != ZK_OK) {
    zk_free_secret(buf, total);
    return st;
  }
  *out = buf;
  *out_len = total;
  return ZK_OK;
}

zk_status zk_qos_envelope_seal(uint8_t **out, size_t *out_len, const zk_qos_pubkey *recv,
                               const uint8_t *pt, size_t pt_len) {
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *out_len = 0;
  if (recv == NULL || (pt == NULL && pt_len > 0)) return ZK_ERR_ARG;
  if (pt_len > ZK_QOS_ENVELOPE_MAX_PLAINTEXT) return ZK_ERR_TOO_LARGE;
  uint8_t nonce[12];
  zk_key *eph = NULL;
  ZKI_TRY(zk_random(nonce, sizeof nonce));
  ZKI_TRY(zk_key_generate(&eph, ZK_CURVE_P256));
  zk_status st = zki_qos_envelope_seal_with(out, out_len, recv, eph, nonce, pt, pt_len);
  zk_key_free(eph);
  return st;
}

zk_status zki_qos_envelope_split(const uint8_t **nonce, const uint8_t **eph_pub, const uint8_t **ct,
                                 size_t *ct_len, const uint8_t *env, size_t env_len) {
  zki_borsh_r r;
  zki_borsh_r_init(&r, env, env_len);
  zki_borsh_fixed(&r, nonce, 12);
  zki_borsh_fixed(&r, eph_pub, 65);
  zki_borsh_bytes(&r, ct, ct_len, ZK_QOS_ENVELOPE_MAX_PLAINTEXT + 16);
  ZKI_TRY(zki_borsh_r_finish(&r));
  if (*ct_len < 16) return ZK_ERR_QOS_ENVELOPE;
  return ZK_OK;
}

zk_status zk_qos_envelope_open(const zk_qos_keyset *ks, uint8_t **pt, size_t *pt_len,
                               const uint8_t *env, size_t env_len) {
  if (pt == NULL || pt_len == NULL) return ZK_ERR_ARG;
  *pt = NULL;
  *pt_len = 0;
  if (ks == NULL || env == NULL) return ZK_ERR_ARG;
  const uint8_t *nonce, *eph_pub, *ct;
  size_t ct_len;
  ZKI_TRY(zki_qos_envelope_split(&nonce, &eph_pub, &ct, &ct_len, env, env_len));
  zk_key *eph = NULL;
  if (eph_pub[0] != 0x04 || zk_key_from_public(&eph, ZK_CURVE_P256, eph_pub, 65) != ZK_OK)
    return ZK_ERR_QOS_ENVELOPE_KEY;
  uint8_t key[32], aad[132];
  zk_status st = envelope_key(key, eph_pub, ks->pub, ks->enc, eph);
  zk_key_free(eph);
  if (st != ZK_OK) return st;
  envelope_aad(aad, eph_pub, ks->pub);
  size_t n = ct_len - 16;
  uint8_t *buf = malloc(n ? n : 1);
  if (buf == NULL) {
    zk_wipe(key, sizeof key);
    return ZK_ERR_NOMEM;
  }
  st = zk_aes_gcm_open(buf, key, sizeof key, nonce, 12, aad, sizeof aad, ct, n, ct + n, 16);
  zk_wipe(key, sizeof key);
  if (st != ZK_OK) {
    zk_free_secret(buf, n ? n : 1);
    return st;
  }
  *pt = buf;
  *pt_len = n;
  return ZK_OK;
}
