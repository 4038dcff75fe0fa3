/*
 * Request stamps: X-Stamp (API keys, wallets) and X-Stamp-Webauthn (passkeys).
 * Format description and worked examples: docs/formats.md, section "Stamps".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/stamp.h"
#include "zk_cbor.h"
#include "zk_internal.h"
#include "zk_json.h"
#include "zk_keccak.h"

#define WA_FLAG_UP 0x01u /* user present */
#define WA_FLAG_UV 0x04u /* user verified */
#define WA_FLAG_AT 0x40u /* attested credential data included (registration only) */
#define WA_FLAG_ED 0x80u /* extension data included */
#define WA_AUTH_DATA_MIN 37u
#define DER_SIG_MIN 8u
#define DER_SIG_MAX 72u

struct zk_stamp {
  zk_stamp_scheme scheme;
  uint8_t pub[ZK_P256_COMPRESSED_LEN]; /* API-key stamps */
  size_t pub_len;
  uint8_t *sig;
  size_t sig_len;
  /* WebAuthn */
  uint8_t *auth_data;
  size_t auth_data_len;
  uint8_t *client_data;
  size_t client_data_len;
  uint8_t *cred_id;
  size_t cred_id_len;
  uint32_t sign_count;
  uint8_t digest[ZK_STAMP_DIGEST_LEN]; /* SHA-256 of the header bytes */
};

static const struct {
  zk_stamp_scheme scheme;
  const char *name;
} scheme_names[] = {
    {ZK_STAMP_P256, "SIGNATURE_SCHEME_TK_API_P256"},
    {ZK_STAMP_SECP256K1, "SIGNATURE_SCHEME_TK_API_SECP256K1"},
    {ZK_STAMP_ED25519, "SIGNATURE_SCHEME_TK_API_ED25519"},
    {ZK_STAMP_SECP256K1_EIP191, "SIGNATURE_SCHEME_TK_API_SECP256K1_EIP191"},
    {ZK_STAMP_WEBAUTHN, "WEBAUTHN"},
};

const char *zk_stamp_scheme_name(zk_stamp_scheme scheme) {
  for (size_t i = 0; i < ZKI_ARRAY_LEN(scheme_names); i++)
    if (scheme_names[i].scheme == scheme) return scheme_names[i].name;
  return "";
}

static zk_stamp_scheme api_scheme_from_name(const char *s, size_t len) {
  for (size_t i = 0; i < ZKI_ARRAY_LEN(scheme_names); i++) {
    if (scheme_names[i].scheme == ZK_STAMP_WEBAUTHN) continue;
    if (strlen(scheme_names[i].name) == len && memcmp(scheme_names[i].name, s, len) == 0)
      return scheme_names[i].scheme;
  }
  return ZK_STAMP_SCHEME_NONE;
}

static zk_curve scheme_curve(zk_stamp_scheme scheme) {
  switch (scheme) {
    case ZK_STAMP_P256:
      return ZK_CURVE_P256;
    case ZK_STAMP_SECP256K1:
    case ZK_STAMP_SECP256K1_EIP191:
      return ZK_CURVE_SECP256K1;
    case ZK_STAMP_ED25519:
      return ZK_CURVE_ED25519;
    default:
      return ZK_CURVE_NONE;
  }
}

void zk_stamp_free(zk_stamp *st) {
  if (st == NULL) return;
  free(st->sig);
  free(st->auth_data);
  free(st->client_data);
  free(st->cred_id);
  zk_wipe(st, sizeof *st);
  free(st);
}

/* ---- strict JSON helpers (jansson) ---- */

/* Every member of obj must be one of names[]; each of names[] must be present and a string. */
static zk_status json_exact_strings(const json_t *obj, const char *const *names, size_t n) {
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)(uintptr_t)obj, k, v) {
    size_t i;
    for (i = 0; i < n; i++)
      if (strcmp(k, names[i]) == 0) break;
    if (i == n) return ZK_ERR_UNKNOWN_FIELD;
  }
  for (size_t i = 0; i < n; i++) {
    const json_t *m = json_object_get(obj, names[i]);
    if (m == NULL) return ZK_ERR_MISSING_FIELD;
    if (!json_is_string(m)) return ZK_ERR_TYPE;
  }
  return ZK_OK;
}

static zk_status new_stamp(zk_stamp **out, const char *header, size_t header_len) {
  zk_stamp *st = calloc(1, sizeof *st);
  if (st == NULL) return ZK_ERR_NOMEM;
  zk_status s = zk_sha256(st->digest, (const uint8_t *)header, header_len);
  if (s != ZK_OK) {
    free(st);
    return s;
  }
  *out = st;
  return ZK_OK;
}

/* ---- X-Stamp ---- */

/* Stamps carry lowercase hex only, so one signature has one header encoding. */
static zk_status lower_hex_decode(uint8_t *out, size_t cap, size_t *out_len, const json_t *m) {
  const char *s = json_string_value(m);
  size_t n = json_string_length(m);
  for (size_t i = 0; i < n; i++)
    if (s[i] >= 'A' && s[i] <= 'F') return ZK_ERR_HEX;
  return zki_hex_decode(out, cap, out_len, s, n);
}

zk_status zk_stamp_parse(zk_stamp **out, const char *header, size_t header_len) {
  static const char *const names[] = {"publicKey", "scheme", "signature"};
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (header == NULL) return ZK_ERR_ARG;
  if (header_len > ZK_STAMP_MAX_HEADER_LEN) return ZK_ERR_TOO_LARGE;

  uint8_t *raw = NULL;
  size_t raw_len = 0;
  json_t *j = NULL;
  zk_stamp *st = NULL;
  zk_status s = zki_b64url_decode_alloc(&raw, &raw_len, header, header_len);
  if (s != ZK_OK) goto done;
  if ((s = zki_json_load_object(&j, raw, raw_len, ZK_STAMP_MAX_HEADER_LEN)) != ZK_OK) goto done;
  if ((s = json_exact_strings(j, names, ZKI_ARRAY_LEN(names))) != ZK_OK) goto done;
  if ((s = new_stamp(&st, header, header_len)) != ZK_OK) goto done;

  const json_t *js = json_object_get(j, "scheme");
  st->scheme = api_scheme_from_name(json_string_value(js), json_string_length(js));
  if (st->scheme == ZK_STAMP_SCHEME_NONE) {
    s = ZK_ERR_STAMP_SCHEME;
    goto done;
  }

  const json_t *jp = json_object_get(j, "publicKey");
  s = lower_hex_decode(st->pub, sizeof st->pub, &st->pub_len, jp);
  if (s == ZK_ERR_BUFFER_TOO_SMALL) s = ZK_ERR_KEY;
  if (s != ZK_OK) goto done;
  if (st->scheme == ZK_STAMP_ED25519) {
    if (st->pub_len != ZK_ED25519_PUBLIC_LEN) s = ZK_ERR_KEY;
  } else if (st->pub_len != ZK_P256_COMPRESSED_LEN || (st->pub[0] != 0x02 && st->pub[0] != 0x03)) {
    s = ZK_ERR_KEY;
  }
  if (s != ZK_OK) goto done;

  const json_t *jsig = json_object_get(j, "signature");
  uint8_t sig[DER_SIG_MAX];
  s = lower_hex_decode(sig, sizeof sig, &st->sig_len, jsig);
  if (s == ZK_ERR_BUFFER_TOO_SMALL) s = ZK_ERR_SIG_ENCODING;
  if (s != ZK_OK) goto done;
  if ((st->sig = zki_memdup(sig, st->sig_len)) == NULL) {
    s = ZK_ERR_NOMEM;
    goto done;
  }
  if (st->scheme == ZK_STAMP_ED25519 ? st->sig_len != ZK_ED25519_SIG_LEN
                                     : (st->sig_len < DER_SIG_MIN || st->sig_len > DER_SIG_MAX))
    s = ZK_ERR_SIG_ENCODING;

done:
  json_decref(j);
  free(raw);
  if (s != ZK_OK) {
    zk_stamp_free(st);
    return s;
  }
  *out = st;
  return ZK_OK;
}

/* ---- X-Stamp-Webauthn ---- */

static zk_status b64url_member(uint8_t **out, size_t *out_len, const json_t *obj, const char *name,
                               size_t min, size_t max) {
  const json_t *m = json_object_get(obj, name);
  /* 4 base64 characters per 3 bytes: reject oversized input before decoding. */
  if (json_string_length(m) > (max / 3 + 1) * 4) return ZK_ERR_TOO_LARGE;
  ZKI_TRY(zki_b64url_decode_alloc(out, out_len, json_string_value(m), json_string_length(m)));
  if (*out_len < min || *out_len > max) {
    zk_status s = *out_len > max ? ZK_ERR_TOO_LARGE : ZK_ERR_VALUE;
    free(*out);
    *out = NULL;
    *out_len = 0;
    return s;
  }
  return ZK_OK;
}

zk_status zk_stamp_parse_webauthn(zk_stamp **out, const char *header, size_t header_len) {
  static const char *const names[] = {"authenticatorData", "clientDataJson", "credentialId",
                                      "signature"};
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (header == NULL) return ZK_ERR_ARG;
  if (header_len > ZK_STAMP_MAX_WEBAUTHN_LEN) return ZK_ERR_TOO_LARGE;

  json_t *j = NULL;
  zk_stamp *st = NULL;
  zk_status s =
      zki_json_load_object(&j, (const uint8_t *)header, header_len, ZK_STAMP_MAX_WEBAUTHN_LEN);
  if (s != ZK_OK) goto done;
  if ((s = json_exact_strings(j, names, ZKI_ARRAY_LEN(names))) != ZK_OK) goto done;
  if ((s = new_stamp(&st, header, header_len)) != ZK_OK) goto done;
  st->scheme = ZK_STAMP_WEBAUTHN;
  if ((s = b64url_member(&st->auth_data, &st->auth_data_len, j, "authenticatorData",
                         WA_AUTH_DATA_MIN, ZK_STAMP_MAX_AUTH_DATA_LEN)) != ZK_OK) {
    if (s == ZK_ERR_VALUE) s = ZK_ERR_PARSE;
    goto done;
  }
  if ((s = b64url_member(&st->client_data, &st->client_data_len, j, "clientDataJson", 2,
                         ZK_STAMP_MAX_CLIENT_DATA_LEN)) != ZK_OK)
    goto done;
  if ((s = b64url_member(&st->cred_id, &st->cred_id_len, j, "credentialId", 1,
                         ZK_STAMP_MAX_CREDENTIAL_ID_LEN)) != ZK_OK)
    goto done;
  /* P-256 DER (8..72 bytes) or Ed25519 (64 bytes); the key decides at verification. */
  if ((s = b64url_member(&st->sig, &st->sig_len, j, "signature", DER_SIG_MIN, DER_SIG_MAX)) !=
      ZK_OK) {
    if (s == ZK_ERR_VALUE || s == ZK_ERR_TOO_LARGE) s = ZK_ERR_SIG_ENCODING;
    goto done;
  }
  /* authenticatorData: rpIdHash(32) | flags(1) | signCount(4, big-endian) | [extensions] */
  const uint8_t *ad = st->auth_data;
  uint8_t flags = ad[32];
  st->sign_count = ((uint32_t)ad[33] << 24) | ((uint32_t)ad[34] << 16) | ((uint32_t)ad[35] << 8) |
                   (uint32_t)ad[36];
  if (flags & WA_FLAG_AT) {
    s = ZK_ERR_PARSE; /* attested credential data belongs to registration, not assertions */
  } else if (flags & WA_FLAG_ED) {
    /* The rest must be exactly one CBOR map of extension outputs. */
    zki_cbor_limits lim = {.max_len = ZK_STAMP_MAX_AUTH_DATA_LEN, .max_depth = 8};
    cbor_item_t *ext = NULL;
    s = zki_cbor_decode(&ext, ad + WA_AUTH_DATA_MIN, st->auth_data_len - WA_AUTH_DATA_MIN, &lim,
                        NULL);
    if (s == ZK_OK && !cbor_isa_map(ext)) s = ZK_ERR_PARSE;
    if (ext != NULL) cbor_decref(&ext);
  } else if (st->auth_data_len != WA_AUTH_DATA_MIN) {
    s = ZK_ERR_TRAILING;
  }

done:
  json_decref(j);
  if (s != ZK_OK) {
    zk_stamp_free(st);
    return s;
  }
  *out = st;
  return ZK_OK;
}

/* ---- replay window ---- */

static zk_status parse_decimal_u64(uint64_t *out, const char *s, size_t len) {
  *out = 0;
  if (len == 0 || len > 19) return ZK_ERR_VALUE;
  if (len > 1 && s[0] == '0') return ZK_ERR_VALUE;
  uint64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return ZK_ERR_VALUE;
    v = v * 10u + (uint64_t)(s[i] - '0'); /* 19 digits cannot overflow 64 bits */
  }
  *out = v;
  return ZK_OK;
}

zk_status zk_stamp_check_timestamp(uint64_t *timestamp_ms, const uint8_t *body, size_t body_len,
                                   uint64_t now_ms, uint64_t max_age_ms, uint64_t max_future_ms) {
  if (timestamp_ms != NULL) *timestamp_ms = 0;
  if (body == NULL && body_len > 0) return ZK_ERR_ARG;
  /* A zero clock would make the window start at the epoch: refuse it rather
   * than accept every past timestamp. */
  if (now_ms == 0) return ZK_ERR_ARG;
  if (max_age_ms == 0) max_age_ms = ZK_STAMP_DEFAULT_MAX_AGE_MS;
  if (max_future_ms == 0) max_future_ms = ZK_STAMP_DEFAULT_MAX_FUTURE_MS;

  json_t *j = NULL;
  ZKI_TRY(zki_json_load_object(&j, body, body_len, ZK_STAMP_MAX_BODY_JSON_LEN));
  zk_status s = ZK_OK;
  uint64_t ts = 0;
  const json_t *m = json_object_get(j, "timestampMs");
  if (m == NULL)
    s = ZK_ERR_MISSING_FIELD;
  else if (!json_is_string(m))
    s = ZK_ERR_TYPE;
  else
    s = parse_decimal_u64(&ts, json_string_value(m), json_string_length(m));
  json_decref(j);
  if (s != ZK_OK) return s;
  if (now_ms >= max_age_ms && ts < now_ms - max_age_ms) return ZK_ERR_STAMP_TIMESTAMP;
  if (ts > now_ms && ts - now_ms > max_future_ms) return ZK_ERR_STAMP_TIMESTAMP;
  if (timestamp_ms != NULL) *timestamp_ms = ts;
  return ZK_OK;
}

/* ---- signing digests ---- */

/* keccak256("\x19Ethereum Signed Message:\n" || decimal(len) || body) */
static void eip191_digest(uint8_t out[32], const uint8_t *body, size_t body_len) {
  static const char prefix[] =
      "\x19"
      "Ethereum Signed Message:\n";
  char dec[24];
  int n = snprintf(dec, sizeof dec, "%zu", body_len);
  zki_keccak256_ctx c;
  zki_keccak256_init(&c);
  zki_keccak256_update(&c, (const uint8_t *)prefix, sizeof prefix - 1);
  zki_keccak256_update(&c, (const uint8_t *)dec, (size_t)n);
  if (body_len > 0) zki_keccak256_update(&c, body, body_len);
  zki_keccak256_final(&c, out);
}

/* ---- verification ---- */

static zk_status verify_api_key(const zk_stamp *st, const uint8_t *body, size_t body_len,
                                const zk_key *pinned) {
  zk_curve curve = scheme_curve(st->scheme);
  zk_key *imported = NULL;
  const zk_key *key = pinned;
  if (pinned != NULL) {
    uint8_t enc[ZK_P256_COMPRESSED_LEN];
    size_t enc_len = sizeof enc;
    zk_pubkey_format fmt = curve == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_COMPRESSED;
    if (zk_key_curve(pinned) != curve ||
        zk_key_export_public(pinned, fmt, enc, &enc_len) != ZK_OK || enc_len != st->pub_len ||
        memcmp(enc, st->pub, enc_len) != 0)
      return ZK_ERR_EV_SIGNER;
  } else {
    ZKI_TRY(zk_key_from_public(&imported, curve, st->pub, st->pub_len));
    key = imported;
  }
  zk_status s;
  switch (st->scheme) {
    case ZK_STAMP_P256:
    case ZK_STAMP_SECP256K1:
      s = zk_key_verify(key, ZK_SIG_DER, 0, st->sig, st->sig_len, body, body_len);
      break;
    case ZK_STAMP_SECP256K1_EIP191: {
      uint8_t d[32];
      eip191_digest(d, body, body_len);
      s = zk_key_verify_digest(key, ZK_SIG_DER, 0, st->sig, st->sig_len, d, sizeof d);
      break;
    }
    case ZK_STAMP_ED25519:
      s = zk_key_verify(key, ZK_SIG_EDDSA, 0, st->sig, st->sig_len, body, body_len);
      break;
    default:
      s = ZK_ERR_STAMP_SCHEME;
      break;
  }
  zk_key_free(imported);
  return s;
}

static int origin_allowed(const char *origin, size_t len, const zk_stamp_verify_opts *o) {
  for (size_t i = 0; i < o->n_origins; i++)
    if (o->origins[i] != NULL && strlen(o->origins[i]) == len &&
        memcmp(o->origins[i], origin, len) == 0)
      return 1;
  return 0;
}

static zk_status check_client_data(const zk_stamp *st, const uint8_t *body, size_t body_len,
                                   const zk_stamp_verify_opts *o) {
  json_t *j = NULL;
  ZKI_TRY(
      zki_json_load_object(&j, st->client_data, st->client_data_len, ZK_STAMP_MAX_CLIENT_DATA_LEN));
  zk_status s = ZK_OK;
  uint8_t *chal = NULL;
  size_t chal_len = 0;
  const json_t *type = json_object_get(j, "type");
  const json_t *challenge = json_object_get(j, "challenge");
  const json_t *origin = json_object_get(j, "origin");
  const json_t *cross = json_object_get(j, "crossOrigin");
  if (type == NULL || challenge == NULL || origin == NULL) {
    s = ZK_ERR_MISSING_FIELD;
  } else if (!json_is_string(type) || !json_is_string(challenge) || !json_is_string(origin) ||
             (cross != NULL && !json_is_boolean(cross))) {
    s = ZK_ERR_TYPE;
  } else if (strcmp(json_string_value(type), "webauthn.get") != 0 ||
             json_string_length(type) != strlen("webauthn.get")) {
    s = ZK_ERR_WEBAUTHN_TYPE;
  } else {
    /* Expected challenge: the 64 ASCII characters of lowercase hex(SHA-256(body)). */
    uint8_t h[32];
    char want[65];
    if ((s = zk_sha256(h, body, body_len)) == ZK_OK) {
      zki_hex_encode(want, h, sizeof h);
      if (zki_b64url_decode_alloc(&chal, &chal_len, json_string_value(challenge),
                                  json_string_length(challenge)) != ZK_OK ||
          chal_len != 64 || !zk_ct_equal(chal, want, 64))
        s = ZK_ERR_WEBAUTHN_CHALLENGE;
      else if (!origin_allowed(json_string_value(origin), json_string_length(origin), o))
        s = ZK_ERR_WEBAUTHN_ORIGIN;
      else if (json_is_true(cross) && !(o->flags & ZK_STAMP_ALLOW_CROSS_ORIGIN))
        s = ZK_ERR_WEBAUTHN_ORIGIN;
    }
  }
  free(chal);
  json_decref(j);
  return s;
}

/* WebAuthn assertion signature format for the key's curve: DER ECDSA (P-256) or EdDSA. */
static zk_status webauthn_sig_format(zk_sig_format *fmt, const zk_key *key) {
  switch (zk_key_curve(key)) {
    case ZK_CURVE_P256:
      *fmt = ZK_SIG_DER;
      return ZK_OK;
    case ZK_CURVE_ED25519:
      *fmt = ZK_SIG_EDDSA;
      return ZK_OK;
    default:
      return ZK_ERR_CURVE;
  }
}

static zk_status verify_webauthn(const zk_stamp *st, const uint8_t *body, size_t body_len,
                                 const zk_stamp_verify_opts *o) {
  if (o->key == NULL || o->rp_id == NULL || o->origins == NULL || o->n_origins == 0)
    return ZK_ERR_ARG;
  zk_sig_format fmt;
  ZKI_TRY(webauthn_sig_format(&fmt, o->key));
  /* Signed message: authenticatorData || SHA-256(clientDataJSON). */
  uint8_t msg[ZK_STAMP_MAX_AUTH_DATA_LEN + 32];
  memcpy(msg, st->auth_data, st->auth_data_len);
  ZKI_TRY(zk_sha256(msg + st->auth_data_len, st->client_data, st->client_data_len));
  ZKI_TRY(zk_key_verify(o->key, fmt, 0, st->sig, st->sig_len, msg, st->auth_data_len + 32));

  ZKI_TRY(check_client_data(st, body, body_len, o));
  uint8_t rp_hash[32];
  ZKI_TRY(zk_sha256(rp_hash, (const uint8_t *)o->rp_id, strlen(o->rp_id)));
  if (!zk_ct_equal(rp_hash, st->auth_data, 32)) return ZK_ERR_WEBAUTHN_RPID;
  uint8_t flags = st->auth_data[32];
  if (!(flags & WA_FLAG_UP)) return ZK_ERR_WEBAUTHN_FLAGS;
  if ((o->flags & ZK_STAMP_REQUIRE_UV) && !(flags & WA_FLAG_UV)) return ZK_ERR_WEBAUTHN_FLAGS;
  return ZK_OK;
}

zk_status zk_stamp_verify(const zk_stamp *st, const uint8_t *body, size_t body_len,
                          const zk_stamp_verify_opts *opts) {
  if (st == NULL || opts == NULL || (body == NULL && body_len > 0)) return ZK_ERR_ARG;
  if (body == NULL) body = (const uint8_t *)"";
  if (st->scheme == ZK_STAMP_WEBAUTHN)
    ZKI_TRY(verify_webauthn(st, body, body_len, opts));
  else
    ZKI_TRY(verify_api_key(st, body, body_len, opts->key));
  if (opts->flags & ZK_STAMP_NO_TIMESTAMP) return ZK_OK;
  return zk_stamp_check_timestamp(NULL, body, body_len, opts->now_ms, opts->max_age_ms,
                                  opts->max_future_ms);
}

/* ---- creation ---- */

zk_status zk_stamp_create(char **out, size_t *out_len, const zk_key *key, zk_stamp_scheme scheme,
                          const uint8_t *body, size_t body_len) {
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *out_len = 0;
  if (key == NULL || (body == NULL && body_len > 0)) return ZK_ERR_ARG;
  if (body == NULL) body = (const uint8_t *)"";
  zk_curve curve = scheme_curve(scheme);
  if (curve == ZK_CURVE_NONE) return ZK_ERR_STAMP_SCHEME;
  if (zk_key_curve(key) != curve) return ZK_ERR_CURVE;
  if (!zk_key_has_private(key)) return ZK_ERR_NO_PRIVATE_KEY;

  uint8_t pub[ZK_P256_COMPRESSED_LEN], sig[ZK_MAX_SIG_LEN];
  size_t pub_len = sizeof pub, sig_len = sizeof sig;
  ZKI_TRY(zk_key_export_public(key, curve == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_COMPRESSED, pub,
                               &pub_len));
  if (scheme == ZK_STAMP_SECP256K1_EIP191) {
    uint8_t d[32];
    eip191_digest(d, body, body_len);
    ZKI_TRY(zk_key_sign_digest(key, ZK_SIG_DER, sig, &sig_len, d, sizeof d));
  } else {
    ZKI_TRY(zk_key_sign(key, curve == ZK_CURVE_ED25519 ? ZK_SIG_EDDSA : ZK_SIG_DER, sig, &sig_len,
                        body, body_len));
  }
  char pub_hex[2 * sizeof pub + 1], sig_hex[2 * sizeof sig + 1];
  zki_hex_encode(pub_hex, pub, pub_len);
  zki_hex_encode(sig_hex, sig, sig_len);
  char json[512];
  int n =
      snprintf(json, sizeof json, "{\"publicKey\":\"%s\",\"scheme\":\"%s\",\"signature\":\"%s\"}",
               pub_hex, zk_stamp_scheme_name(scheme), sig_hex);
  if (n < 0 || (size_t)n >= sizeof json) return ZK_ERR_INTERNAL;
  size_t enc_len = zki_b64url_len((size_t)n);
  char *enc = malloc(enc_len + 1);
  if (enc == NULL) return ZK_ERR_NOMEM;
  zki_b64url_encode(enc, (const uint8_t *)json, (size_t)n);
  *out = enc;
  *out_len = enc_len;
  return ZK_OK;
}

/* malloc'd base64url string of p[0..len). */
static char *b64url_dup(const uint8_t *p, size_t len) {
  char *s = malloc(zki_b64url_len(len) + 1);
  if (s != NULL) zki_b64url_encode(s, p, len);
  return s;
}

zk_status zk_stamp_create_webauthn(char **out, size_t *out_len, const zk_key *key,
                                   const uint8_t *cred_id, size_t cred_len, const char *rp_id,
                                   const char *origin, uint8_t flags, uint32_t sign_count,
                                   const uint8_t *body, size_t body_len) {
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *out_len = 0;
  if (key == NULL || cred_id == NULL || cred_len == 0 || rp_id == NULL || origin == NULL ||
      (body == NULL && body_len > 0))
    return ZK_ERR_ARG;
  if (cred_len > ZK_STAMP_MAX_CREDENTIAL_ID_LEN) return ZK_ERR_TOO_LARGE;
  if (body == NULL) body = (const uint8_t *)"";
  zk_sig_format fmt;
  ZKI_TRY(webauthn_sig_format(&fmt, key));
  if (!zk_key_has_private(key)) return ZK_ERR_NO_PRIVATE_KEY;

  uint8_t ad[WA_AUTH_DATA_MIN + 32], h[32];
  char chal_hex[65];
  ZKI_TRY(zk_sha256(ad, (const uint8_t *)rp_id, strlen(rp_id)));
  ad[32] = flags;
  ad[33] = (uint8_t)(sign_count >> 24);
  ad[34] = (uint8_t)(sign_count >> 16);
  ad[35] = (uint8_t)(sign_count >> 8);
  ad[36] = (uint8_t)sign_count;
  ZKI_TRY(zk_sha256(h, body, body_len));
  zki_hex_encode(chal_hex, h, sizeof h);

  zk_status s = ZK_ERR_NOMEM;
  char *chal = b64url_dup((const uint8_t *)chal_hex, 64), *cd = NULL, *hdr = NULL;
  char *ad_b64 = NULL, *cd_b64 = NULL, *cred_b64 = NULL, *sig_b64 = NULL;
  json_t *jcd = NULL, *jh = NULL;
  if (chal == NULL) goto done;
  jcd = json_pack("{s:s, s:s, s:s, s:b}", "type", "webauthn.get", "challenge", chal, "origin",
                  origin, "crossOrigin", 0);
  if (jcd == NULL || (cd = json_dumps(jcd, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) goto done;
  if (strlen(cd) > ZK_STAMP_MAX_CLIENT_DATA_LEN) {
    s = ZK_ERR_TOO_LARGE;
    goto done;
  }
  uint8_t sig[ZK_MAX_SIG_LEN];
  size_t sig_len = sizeof sig;
  if ((s = zk_sha256(ad + WA_AUTH_DATA_MIN, (const uint8_t *)cd, strlen(cd))) != ZK_OK) goto done;
  if ((s = zk_key_sign(key, fmt, sig, &sig_len, ad, sizeof ad)) != ZK_OK) goto done;
  s = ZK_ERR_NOMEM;
  ad_b64 = b64url_dup(ad, WA_AUTH_DATA_MIN);
  cd_b64 = b64url_dup((const uint8_t *)cd, strlen(cd));
  cred_b64 = b64url_dup(cred_id, cred_len);
  sig_b64 = b64url_dup(sig, sig_len);
  if (ad_b64 == NULL || cd_b64 == NULL || cred_b64 == NULL || sig_b64 == NULL) goto done;
  jh = json_pack("{s:s, s:s, s:s, s:s}", "authenticatorData", ad_b64, "clientDataJson", cd_b64,
                 "credentialId", cred_b64, "signature", sig_b64);
  if (jh == NULL || (hdr = json_dumps(jh, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) goto done;
  *out_len = strlen(hdr);
  *out = hdr;
  hdr = NULL;
  s = ZK_OK;
done:
  free(chal);
  free(cd);
  free(ad_b64);
  free(cd_b64);
  free(cred_b64);
  free(sig_b64);
  free(hdr);
  json_decref(jcd);
  json_decref(jh);
  return s;
}

/* ---- accessors ---- */

zk_stamp_scheme zk_stamp_get_scheme(const zk_stamp *st) {
  return st != NULL ? st->scheme : ZK_STAMP_SCHEME_NONE;
}

const uint8_t *zk_stamp_public_key(const zk_stamp *st, size_t *len) {
  if (len != NULL) *len = 0;
  if (st == NULL || st->scheme == ZK_STAMP_WEBAUTHN) return NULL;
  if (len != NULL) *len = st->pub_len;
  return st->pub;
}

const uint8_t *zk_stamp_signature(const zk_stamp *st, size_t *len) {
  if (len != NULL) *len = st != NULL ? st->sig_len : 0;
  return st != NULL ? st->sig : NULL;
}

const uint8_t *zk_stamp_credential_id(const zk_stamp *st, size_t *len) {
  if (len != NULL) *len = 0;
  if (st == NULL || st->scheme != ZK_STAMP_WEBAUTHN) return NULL;
  if (len != NULL) *len = st->cred_id_len;
  return st->cred_id;
}

uint32_t zk_stamp_sign_count(const zk_stamp *st) {
  return st != NULL ? st->sign_count : 0;
}

zk_status zk_stamp_digest(const zk_stamp *st, uint8_t out[ZK_STAMP_DIGEST_LEN]) {
  if (st == NULL || out == NULL) return ZK_ERR_ARG;
  memcpy(out, st->digest, ZK_STAMP_DIGEST_LEN);
  return ZK_OK;
}
