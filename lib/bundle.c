/*
 * Secure-channel bundles in the published Turnkey client formats, on top of
 * lib/hpke.c ("turnkey_hpke": base mode, P-256, HKDF-SHA256, AES-256-GCM,
 * AAD = enc || pkR). JSON through jansson, base58check through lib/base58.c.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "zerokey/bundle.h"
#include "zerokey/hpke.h"
#include "zk_base58.h"
#include "zk_bundle_internal.h"
#include "zk_hpke_internal.h"
#include "zk_internal.h"

#define PUB_LEN ZK_P256_UNCOMPRESSED_LEN
#define COMP_LEN ZK_P256_COMPRESSED_LEN
#define TAG_LEN ZK_HPKE_TAG_LEN

static const char *const ENVELOPE_KEYS[] = {"version", "data", "dataSignature",
                                            "enclaveQuorumPublic"};
static const char *const EXPORT_KEYS[] = {"encappedPublic", "ciphertext", "organizationId"};
static const char *const TARGET_KEYS[] = {"targetPublic", "organizationId", "userId"};
static const char *const ENCRYPTED_KEYS[] = {"encappedPublic", "ciphertext"};

/* ------------------------------------------------------------------ HPKE */

static void tk_params(zk_hpke_params *p) {
  memset(p, 0, sizeof *p);
  p->mode = ZK_HPKE_MODE_BASE;
  p->aead = ZK_HPKE_AEAD_AES_256_GCM;
  p->info = (const uint8_t *)ZK_BUNDLE_HPKE_INFO;
  p->info_len = sizeof ZK_BUNDLE_HPKE_INFO - 1;
}

static zk_status ser_pub(uint8_t out[PUB_LEN], const zk_key *k) {
  size_t n = PUB_LEN;
  zk_status st = zk_key_export_public(k, ZK_PUB_UNCOMPRESSED, out, &n);
  if (st == ZK_OK && n != PUB_LEN) st = ZK_ERR_INTERNAL;
  return st;
}

zk_status zki_bundle_hpke_seal(uint8_t enc[PUB_LEN], uint8_t **ct, size_t *ct_len,
                               const zk_key *target, const zk_key *sk_e, const uint8_t *pt,
                               size_t pt_len) {
  *ct = NULL;
  *ct_len = 0;
  zk_wipe(enc, PUB_LEN);
  if (target == NULL || (pt == NULL && pt_len > 0)) return ZK_ERR_ARG;
  if (pt_len > ZK_BUNDLE_MAX_PLAINTEXT) return ZK_ERR_TOO_LARGE;
  if (zk_key_curve(target) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  zk_hpke_params p;
  tk_params(&p);
  uint8_t aad[2 * PUB_LEN];
  zk_hpke_ctx *ctx = NULL;
  uint8_t *c = NULL;
  size_t n = pt_len + TAG_LEN;
  zk_status st = zki_hpke_setup_sender_eph(&ctx, aad, PUB_LEN, &p, target, sk_e);
  if (st == ZK_OK) st = ser_pub(aad + PUB_LEN, target);
  if (st == ZK_OK && (c = malloc(n)) == NULL) st = ZK_ERR_NOMEM;
  if (st == ZK_OK) st = zk_hpke_seal(ctx, c, &n, aad, sizeof aad, pt, pt_len);
  zk_hpke_ctx_free(ctx);
  if (st != ZK_OK) {
    zk_free(c);
    return st;
  }
  memcpy(enc, aad, PUB_LEN);
  *ct = c;
  *ct_len = n;
  return ZK_OK;
}

/* Turnkey HPKE open; *pt is a malloc'd secret. */
static zk_status tk_open(uint8_t **pt, size_t *pt_len, const zk_key *sk, const uint8_t *enc,
                         size_t enc_len, const uint8_t *ct, size_t ct_len) {
  if (zk_key_curve(sk) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  if (!zk_key_has_private(sk)) return ZK_ERR_NO_PRIVATE_KEY;
  if (enc_len != PUB_LEN) return ZK_ERR_HPKE_ENC;
  if (ct_len < TAG_LEN) return ZK_ERR_TRUNCATED;
  if (ct_len > ZK_BUNDLE_MAX_PLAINTEXT + TAG_LEN) return ZK_ERR_TOO_LARGE;
  zk_hpke_params p;
  tk_params(&p);
  uint8_t aad[2 * PUB_LEN];
  memcpy(aad, enc, PUB_LEN);
  zk_status st = ser_pub(aad + PUB_LEN, sk);
  if (st != ZK_OK) return st;
  size_t cap = ct_len - TAG_LEN, n = cap;
  uint8_t *out = malloc(cap + 1);
  if (out == NULL) return ZK_ERR_NOMEM;
  st = zk_hpke_open_once(out, &n, &p, sk, enc, enc_len, aad, sizeof aad, ct, ct_len);
  if (st != ZK_OK) {
    zk_free_secret(out, cap + 1);
    return st;
  }
  *pt = out;
  *pt_len = n;
  return ZK_OK;
}

/* ------------------------------------------------------------------ JSON */

/* Parse one JSON object (duplicates and trailing bytes rejected); members are checked later. */
static zk_status parse_object(json_t **out, const char *s, size_t len) {
  *out = NULL;
  if (len > ZK_BUNDLE_MAX_LEN) return ZK_ERR_TOO_LARGE;
  json_error_t err;
  json_t *j = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
  if (j == NULL)
    return json_error_code(&err) == json_error_premature_end_of_input ? ZK_ERR_TRUNCATED
                                                                      : ZK_ERR_BUNDLE_FORMAT;
  if (!json_is_object(j)) {
    json_decref(j);
    return ZK_ERR_BUNDLE_FORMAT;
  }
  *out = j;
  return ZK_OK;
}

/* Every member of j is a string named in keys[]. */
static zk_status check_members(const json_t *j, const char *const *keys, size_t nkeys) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)(uintptr_t)j, k, v) {
    size_t i;
    for (i = 0; i < nkeys; i++)
      if (strcmp(k, keys[i]) == 0) break;
    if (i == nkeys || !json_is_string(v)) return ZK_ERR_BUNDLE_FORMAT;
  }
  return ZK_OK;
}

/* String member (required). */
static zk_status get_str(const json_t *j, const char *key, const char **s, size_t *len) {
  json_t *v = json_object_get(j, key);
  if (v == NULL || !json_is_string(v)) return ZK_ERR_BUNDLE_FORMAT;
  *s = json_string_value(v);
  *len = json_string_length(v);
  return ZK_OK;
}

/* Strict lowercase hex of at most max_bytes bytes (malloc'd). */
static zk_status get_hex(const json_t *j, const char *key, uint8_t **out, size_t *out_len,
                         size_t max_bytes) {
  *out = NULL;
  *out_len = 0;
  const char *s;
  size_t len;
  ZKI_TRY(get_str(j, key, &s, &len));
  if (len % 2 != 0 || len / 2 > max_bytes) return ZK_ERR_BUNDLE_FORMAT;
  for (size_t i = 0; i < len; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return ZK_ERR_BUNDLE_FORMAT;
  zk_status st = zki_hex_decode_alloc(out, out_len, s, len);
  if (st == ZK_ERR_NOMEM) return st;
  return st == ZK_OK ? ZK_OK : ZK_ERR_BUNDLE_FORMAT;
}

/* organizationId / userId accepted by the producers: 1..256 printable ASCII. */
static int valid_id(const char *id) {
  if (id == NULL) return 0;
  size_t n = strlen(id);
  if (n == 0 || n > ZK_BUNDLE_MAX_ID_LEN) return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)id[i] < 0x20 || (unsigned char)id[i] > 0x7e) return 0;
  return 1;
}

/* Member key equals the expected NUL-terminated string exactly. */
static int member_equals(const json_t *j, const char *key, const char *want) {
  json_t *v = json_object_get(j, key);
  if (v == NULL || !json_is_string(v)) return 0;
  size_t n = json_string_length(v);
  return n == strlen(want) && memcmp(json_string_value(v), want, n) == 0;
}

/* Compact JSON with the members in insertion order; malloc'd copy. */
static zk_status dump(char **out, size_t *out_len, json_t *j, int secret) {
  char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (s == NULL) return ZK_ERR_NOMEM;
  size_t n = strlen(s);
  char *c = (char *)zki_memdup((const uint8_t *)s, n + 1);
  if (secret) zk_wipe(s, n);
  free(s);
  if (c == NULL) return ZK_ERR_NOMEM;
  *out = c;
  *out_len = n;
  return ZK_OK;
}

static json_t *hex_string(const uint8_t *p, size_t len) {
  char *h = malloc(2 * len + 1);
  if (h == NULL) return NULL;
  zki_hex_encode(h, p, len);
  json_t *v = json_stringn(h, 2 * len);
  free(h);
  return v;
}

/* Object from (key, value) pairs; takes the references; NULL on any NULL value. */
static json_t *object_of(size_t n, const char *const *keys, json_t **vals) {
  json_t *o = json_object();
  int ok = o != NULL;
  for (size_t i = 0; i < n; i++) {
    if (ok && vals[i] != NULL) {
      ok = json_object_set_new(o, keys[i], vals[i]) == 0;
    } else {
      ok = 0;
      json_decref(vals[i]);
    }
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* Compact JSON of the object built by object_of (takes the references); malloc'd copy. */
static zk_status dump_object(char **out, size_t *out_len, size_t n, const char *const *keys,
                             json_t **vals, int secret) {
  json_t *o = object_of(n, keys, vals);
  if (o == NULL) return ZK_ERR_NOMEM;
  zk_status st = dump(out, out_len, o, secret);
  json_decref(o); /* jansson frees without wiping */
  return st;
}

/* ---------------------------------------------------------- signed envelope */

zk_status zki_bundle_sign_envelope(char **out, size_t *out_len, const zk_key *signing_key,
                                   const uint8_t *data, size_t data_len) {
  uint8_t sig[ZK_MAX_SIG_LEN], pub[PUB_LEN];
  size_t sig_len = sizeof sig;
  ZKI_TRY(zk_key_sign(signing_key, ZK_SIG_DER, sig, &sig_len, data, data_len));
  ZKI_TRY(ser_pub(pub, signing_key));
  json_t *vals[4] = {json_string(ZK_BUNDLE_VERSION_V1), hex_string(data, data_len),
                     hex_string(sig, sig_len), hex_string(pub, sizeof pub)};
  return dump_object(out, out_len, 4, ENVELOPE_KEYS, vals, 0);
}

/* Signed envelope over the compact JSON of object_of(n, keys, vals) (takes the references). */
static zk_status sign_object(char **out, size_t *out_len, const zk_key *signing_key, size_t n,
                             const char *const *keys, json_t **vals) {
  char *data = NULL;
  size_t data_len = 0;
  zk_status st = dump_object(&data, &data_len, n, keys, vals, 0);
  if (st == ZK_OK)
    st = zki_bundle_sign_envelope(out, out_len, signing_key, (const uint8_t *)data, data_len);
  zk_free(data);
  return st;
}

/*
 * Verify a v1 envelope: version, pinned signer, signature over data.
 * Out: *data: the verified data bytes (malloc'd, zk_free).
 */
static zk_status open_envelope(uint8_t **data, size_t *data_len, const char *bundle, size_t len,
                               const zk_key *enclave_key) {
  *data = NULL;
  *data_len = 0;
  if (zk_key_curve(enclave_key) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  json_t *j = NULL;
  uint8_t *signer = NULL, *sig = NULL, *d = NULL;
  size_t signer_len = 0, sig_len = 0, d_len = 0;
  uint8_t pinned[PUB_LEN];
  zk_status st = parse_object(&j, bundle, len);
  if (st == ZK_OK && !member_equals(j, "version", ZK_BUNDLE_VERSION_V1)) st = ZK_ERR_BUNDLE_VERSION;
  if (st == ZK_OK) st = check_members(j, ENVELOPE_KEYS, 4);
  if (st == ZK_OK) st = get_hex(j, "enclaveQuorumPublic", &signer, &signer_len, PUB_LEN);
  if (st == ZK_OK) st = get_hex(j, "dataSignature", &sig, &sig_len, ZK_MAX_SIG_LEN);
  if (st == ZK_OK) st = get_hex(j, "data", &d, &d_len, ZK_BUNDLE_MAX_LEN / 2);
  if (st == ZK_OK && signer_len != PUB_LEN) st = ZK_ERR_BUNDLE_FORMAT;
  if (st == ZK_OK) st = ser_pub(pinned, enclave_key);
  if (st == ZK_OK && memcmp(pinned, signer, PUB_LEN) != 0) st = ZK_ERR_BUNDLE_SIGNER;
  if (st == ZK_OK) {
    st = zk_key_verify(enclave_key, ZK_SIG_DER, 0, sig, sig_len, d, d_len);
    if (st == ZK_ERR_SIGNATURE || st == ZK_ERR_SIG_ENCODING) st = ZK_ERR_BUNDLE_SIGNATURE;
  }
  json_decref(j);
  zk_free(signer);
  zk_free(sig);
  if (st != ZK_OK) {
    zk_free(d);
    return st;
  }
  *data = d;
  *data_len = d_len;
  return ZK_OK;
}

/* Clear the outputs that were given, then return ZK_ERR_ARG from the caller if one is missing. */
#define CLEAR_OUT_OR_RETURN(o, o_len)                      \
  do {                                                     \
    if ((o) != NULL) *(o) = NULL;                          \
    if ((o_len) != NULL) *(o_len) = 0;                     \
    if ((o) == NULL || (o_len) == NULL) return ZK_ERR_ARG; \
  } while (0)

/* ---------------------------------------------------------------- client */

/* HPKE-open the hex encappedPublic / ciphertext members of j (checked by the caller) to pt. */
static zk_status open_members(uint8_t **pt, size_t *pt_len, const json_t *j,
                              const zk_key *target_key) {
  uint8_t *enc = NULL, *ct = NULL;
  size_t enc_len = 0, ct_len = 0;
  zk_status st = get_hex(j, "encappedPublic", &enc, &enc_len, 4 * PUB_LEN);
  if (st == ZK_OK)
    st = get_hex(j, "ciphertext", &ct, &ct_len, ZK_BUNDLE_MAX_PLAINTEXT + TAG_LEN + 1);
  if (st == ZK_OK) st = tk_open(pt, pt_len, target_key, enc, enc_len, ct, ct_len);
  zk_free(enc);
  zk_free(ct);
  return st;
}

zk_status zk_bundle_export_open(uint8_t **pt, size_t *pt_len, const char *bundle, size_t bundle_len,
                                const zk_key *enclave_key, const char *organization_id,
                                const zk_key *target_key) {
  CLEAR_OUT_OR_RETURN(pt, pt_len);
  if (bundle == NULL || enclave_key == NULL || organization_id == NULL || target_key == NULL)
    return ZK_ERR_ARG;
  uint8_t *data = NULL;
  size_t data_len = 0;
  json_t *j = NULL;
  zk_status st = open_envelope(&data, &data_len, bundle, bundle_len, enclave_key);
  if (st == ZK_OK) st = parse_object(&j, (const char *)data, data_len);
  if (st == ZK_OK) st = check_members(j, EXPORT_KEYS, 3);
  if (st == ZK_OK && json_object_size(j) != 3) st = ZK_ERR_BUNDLE_FORMAT;
  if (st == ZK_OK && !member_equals(j, "organizationId", organization_id))
    st = ZK_ERR_BUNDLE_ORGANIZATION;
  if (st == ZK_OK) st = open_members(pt, pt_len, j, target_key);
  json_decref(j);
  zk_free(data);
  return st;
}

/* Verify a signed target and return its key. */
static zk_status open_target(zk_key **target, const char *bundle, size_t len,
                             const zk_key *enclave_key, const char *organization_id,
                             const char *user_id) {
  *target = NULL;
  uint8_t *data = NULL, *pub = NULL;
  size_t data_len = 0, pub_len = 0;
  json_t *j = NULL;
  zk_status st = open_envelope(&data, &data_len, bundle, len, enclave_key);
  if (st == ZK_OK) st = parse_object(&j, (const char *)data, data_len);
  if (st == ZK_OK) st = check_members(j, TARGET_KEYS, 3);
  if (st == ZK_OK &&
      (json_object_get(j, "targetPublic") == NULL || json_object_get(j, "organizationId") == NULL))
    st = ZK_ERR_BUNDLE_FORMAT;
  if (st == ZK_OK && !member_equals(j, "organizationId", organization_id))
    st = ZK_ERR_BUNDLE_ORGANIZATION;
  if (st == ZK_OK) {
    int has_user = json_object_get(j, "userId") != NULL;
    if (user_id == NULL ? has_user : !member_equals(j, "userId", user_id))
      st = ZK_ERR_BUNDLE_ORGANIZATION;
  }
  if (st == ZK_OK) st = get_hex(j, "targetPublic", &pub, &pub_len, 4 * PUB_LEN);
  if (st == ZK_OK && (pub_len != PUB_LEN || pub[0] != 0x04)) st = ZK_ERR_BUNDLE_TARGET;
  if (st == ZK_OK) {
    st = zk_key_from_public(target, ZK_CURVE_P256, pub, pub_len);
    if (st != ZK_OK && st != ZK_ERR_NOMEM) st = ZK_ERR_BUNDLE_TARGET;
  }
  json_decref(j);
  zk_free(data);
  zk_free(pub);
  return st;
}

static zk_status encrypted_bundle(char **out, size_t *out_len, const zk_key *target,
                                  const uint8_t *pt, size_t pt_len) {
  uint8_t enc[PUB_LEN], *ct = NULL;
  size_t ct_len = 0;
  ZKI_TRY(zki_bundle_hpke_seal(enc, &ct, &ct_len, target, NULL, pt, pt_len));
  json_t *vals[2] = {hex_string(enc, sizeof enc), hex_string(ct, ct_len)};
  zk_free(ct);
  return dump_object(out, out_len, 2, ENCRYPTED_KEYS, vals, 0);
}

zk_status zk_bundle_import_seal(char **out, size_t *out_len, const char *target_bundle,
                                size_t target_bundle_len, const zk_key *enclave_key,
                                const char *organization_id, const char *user_id, const uint8_t *pt,
                                size_t pt_len) {
  CLEAR_OUT_OR_RETURN(out, out_len);
  if (target_bundle == NULL || enclave_key == NULL || organization_id == NULL ||
      (pt == NULL && pt_len > 0))
    return ZK_ERR_ARG;
  if (pt_len > ZK_BUNDLE_MAX_PLAINTEXT) return ZK_ERR_TOO_LARGE;
  zk_key *target = NULL;
  zk_status st =
      open_target(&target, target_bundle, target_bundle_len, enclave_key, organization_id, user_id);
  if (st == ZK_OK) st = encrypted_bundle(out, out_len, target, pt, pt_len);
  zk_key_free(target);
  return st;
}

zk_status zk_bundle_otp_seal(char **out, size_t *out_len, const char *target_bundle,
                             size_t target_bundle_len, const zk_key *fetcher_key,
                             const char *organization_id, const char *otp_code,
                             const zk_key *client_key) {
  CLEAR_OUT_OR_RETURN(out, out_len);
  if (otp_code == NULL || client_key == NULL) return ZK_ERR_ARG;
  size_t n = strlen(otp_code);
  if (n == 0 || n > 64) return ZK_ERR_VALUE;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)otp_code[i] < 0x20 || (unsigned char)otp_code[i] > 0x7e) return ZK_ERR_VALUE;
  if (zk_key_curve(client_key) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  uint8_t comp[COMP_LEN];
  size_t comp_len = sizeof comp;
  ZKI_TRY(zk_key_export_public(client_key, ZK_PUB_COMPRESSED, comp, &comp_len));
  static const char *const keys[] = {"otp_code", "public_key"};
  json_t *vals[2] = {json_stringn(otp_code, n), hex_string(comp, comp_len)};
  char *plain = NULL;
  size_t plain_len = 0;
  /* the dumped copy is wiped; jansson's own copies are freed unwiped (short-lived OTP code) */
  zk_status st = dump_object(&plain, &plain_len, 2, keys, vals, 1);
  if (st == ZK_OK)
    st = zk_bundle_import_seal(out, out_len, target_bundle, target_bundle_len, fetcher_key,
                               organization_id, NULL, (const uint8_t *)plain, plain_len);
  zk_free_secret(plain, plain_len);
  return st;
}

zk_status zk_bundle_credential_open(uint8_t **pt, size_t *pt_len, const char *bundle,
                                    size_t bundle_len, const zk_key *target_key) {
  CLEAR_OUT_OR_RETURN(pt, pt_len);
  if (bundle == NULL || target_key == NULL) return ZK_ERR_ARG;
  if (bundle_len > ZK_BUNDLE_MAX_LEN) return ZK_ERR_TOO_LARGE;
  uint8_t *raw = NULL;
  size_t raw_len = 0;
  zk_status st = zki_base58check_decode(&raw, &raw_len, bundle, bundle_len);
  if (st != ZK_OK) return st;
  zk_key *pe = NULL;
  uint8_t enc[PUB_LEN];
  if (raw_len < COMP_LEN + TAG_LEN) st = ZK_ERR_TRUNCATED;
  if (st == ZK_OK && raw[0] != 0x02 && raw[0] != 0x03) st = ZK_ERR_HPKE_ENC;
  if (st == ZK_OK) {
    st = zk_key_from_public(&pe, ZK_CURVE_P256, raw, COMP_LEN);
    if (st != ZK_OK && st != ZK_ERR_NOMEM) st = ZK_ERR_HPKE_ENC;
  }
  if (st == ZK_OK) st = ser_pub(enc, pe);
  if (st == ZK_OK)
    st = tk_open(pt, pt_len, target_key, enc, sizeof enc, raw + COMP_LEN, raw_len - COMP_LEN);
  zk_key_free(pe);
  zk_free_secret(raw, raw_len);
  return st;
}

zk_status zk_bundle_seal_to_key(char **out, size_t *out_len, const zk_key *target,
                                const uint8_t *pt, size_t pt_len) {
  CLEAR_OUT_OR_RETURN(out, out_len);
  return encrypted_bundle(out, out_len, target, pt, pt_len);
}

zk_status zk_bundle_credential_seal(char **out, size_t *out_len, const zk_key *target,
                                    const uint8_t *pt, size_t pt_len) {
  CLEAR_OUT_OR_RETURN(out, out_len);
  uint8_t enc[PUB_LEN], *ct = NULL, *payload = NULL;
  size_t ct_len = 0, comp_len = COMP_LEN;
  zk_key *pe = NULL;
  zk_status st = zki_bundle_hpke_seal(enc, &ct, &ct_len, target, NULL, pt, pt_len);
  if (st == ZK_OK) st = zk_key_from_public(&pe, ZK_CURVE_P256, enc, sizeof enc);
  if (st == ZK_OK && (payload = malloc(COMP_LEN + ct_len)) == NULL) st = ZK_ERR_NOMEM;
  if (st == ZK_OK) st = zk_key_export_public(pe, ZK_PUB_COMPRESSED, payload, &comp_len);
  if (st == ZK_OK && comp_len != COMP_LEN) st = ZK_ERR_INTERNAL;
  if (st == ZK_OK) {
    memcpy(payload + COMP_LEN, ct, ct_len);
    st = zki_base58check_encode(out, out_len, payload, COMP_LEN + ct_len);
  }
  zk_free(payload);
  zk_free(ct);
  zk_key_free(pe);
  return st;
}

zk_status zk_bundle_v0_verify(const zk_key *enclave_key, const uint8_t *signed_pub,
                              size_t signed_pub_len, const uint8_t *sig_der, size_t sig_der_len) {
  if (enclave_key == NULL || signed_pub == NULL || sig_der == NULL) return ZK_ERR_ARG;
  if (zk_key_curve(enclave_key) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  if (signed_pub_len != PUB_LEN || signed_pub[0] != 0x04) return ZK_ERR_BUNDLE_TARGET;
  zk_key *k = NULL;
  zk_status st = zk_key_from_public(&k, ZK_CURVE_P256, signed_pub, signed_pub_len);
  zk_key_free(k);
  if (st == ZK_ERR_NOMEM) return st;
  if (st != ZK_OK) return ZK_ERR_BUNDLE_TARGET;
  st = zk_key_verify(enclave_key, ZK_SIG_DER, 0, sig_der, sig_der_len, signed_pub, signed_pub_len);
  if (st == ZK_ERR_SIGNATURE || st == ZK_ERR_SIG_ENCODING) return ZK_ERR_BUNDLE_SIGNATURE;
  return st;
}

/* ---------------------------------------------------------------- enclave */

static zk_status check_signer(const zk_key *signing_key) {
  if (zk_key_curve(signing_key) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  if (!zk_key_has_private(signing_key)) return ZK_ERR_NO_PRIVATE_KEY;
  return ZK_OK;
}

zk_status zk_bundle_export_create(char **out, size_t *out_len, const zk_key *signing_key,
                                  const zk_key *target, const char *organization_id,
                                  const uint8_t *pt, size_t pt_len) {
  CLEAR_OUT_OR_RETURN(out, out_len);
  if (signing_key == NULL || target == NULL || organization_id == NULL) return ZK_ERR_ARG;
  ZKI_TRY(check_signer(signing_key));
  if (!valid_id(organization_id)) return ZK_ERR_VALUE;
  uint8_t enc[PUB_LEN], *ct = NULL;
  size_t ct_len = 0;
  ZKI_TRY(zki_bundle_hpke_seal(enc, &ct, &ct_len, target, NULL, pt, pt_len));
  json_t *vals[3] = {hex_string(enc, sizeof enc), hex_string(ct, ct_len),
                     json_string(organization_id)};
  zk_free(ct);
  return sign_object(out, out_len, signing_key, 3, EXPORT_KEYS, vals);
}

zk_status zk_bundle_target_create(char **out, size_t *out_len, const zk_key *signing_key,
                                  const zk_key *target, const char *organization_id,
                                  const char *user_id) {
  CLEAR_OUT_OR_RETURN(out, out_len);
  if (signing_key == NULL || target == NULL || organization_id == NULL) return ZK_ERR_ARG;
  ZKI_TRY(check_signer(signing_key));
  if (zk_key_curve(target) != ZK_CURVE_P256) return ZK_ERR_CURVE;
  if (!valid_id(organization_id) || (user_id != NULL && !valid_id(user_id))) return ZK_ERR_VALUE;
  uint8_t pub[PUB_LEN];
  ZKI_TRY(ser_pub(pub, target));
  json_t *vals[3] = {hex_string(pub, sizeof pub), json_string(organization_id),
                     user_id != NULL ? json_string(user_id) : NULL};
  return sign_object(out, out_len, signing_key, user_id != NULL ? 3 : 2, TARGET_KEYS, vals);
}

zk_status zk_bundle_encrypted_open(uint8_t **pt, size_t *pt_len, const char *bundle,
                                   size_t bundle_len, const zk_key *target_key) {
  CLEAR_OUT_OR_RETURN(pt, pt_len);
  if (bundle == NULL || target_key == NULL) return ZK_ERR_ARG;
  json_t *j = NULL;
  zk_status st = parse_object(&j, bundle, bundle_len);
  if (st == ZK_OK) st = check_members(j, ENCRYPTED_KEYS, 2);
  if (st == ZK_OK && json_object_size(j) != 2) st = ZK_ERR_BUNDLE_FORMAT;
  if (st == ZK_OK) st = open_members(pt, pt_len, j, target_key);
  json_decref(j);
  return st;
}

/* ------------------------------------------------------------- OAuth (QOS) */

zk_status zk_bundle_oauth_secret_seal(char **out, size_t *out_len, const uint8_t *fetcher_pub,
                                      size_t fetcher_pub_len, const uint8_t *secret,
                                      size_t secret_len) {
  CLEAR_OUT_OR_RETURN(out, out_len);
  if (fetcher_pub == NULL || (secret == NULL && secret_len > 0)) return ZK_ERR_ARG;
  if (secret_len > ZK_BUNDLE_MAX_PLAINTEXT) return ZK_ERR_TOO_LARGE;
  zk_qos_pubkey *pk = NULL;
  uint8_t *env = NULL;
  size_t env_len = 0;
  char *h = NULL;
  zk_status st = zk_qos_pubkey_parse(&pk, fetcher_pub, fetcher_pub_len);
  if (st == ZK_OK) st = zk_qos_envelope_seal(&env, &env_len, pk, secret, secret_len);
  if (st == ZK_OK && (h = malloc(2 * env_len + 1)) == NULL) st = ZK_ERR_NOMEM;
  if (st == ZK_OK) {
    zki_hex_encode(h, env, env_len);
    *out = h;
    *out_len = 2 * env_len;
  }
  zk_free(env);
  zk_qos_pubkey_free(pk);
  return st;
}

zk_status zk_bundle_oauth_secret_open(uint8_t **pt, size_t *pt_len, const zk_qos_keyset *fetcher,
                                      const char *hex, size_t hex_len) {
  CLEAR_OUT_OR_RETURN(pt, pt_len);
  if (fetcher == NULL || hex == NULL) return ZK_ERR_ARG;
  if (hex_len > ZK_BUNDLE_MAX_LEN) return ZK_ERR_TOO_LARGE;
  if (hex_len % 2 != 0) return ZK_ERR_BUNDLE_FORMAT;
  for (size_t i = 0; i < hex_len; i++)
    if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
      return ZK_ERR_BUNDLE_FORMAT;
  uint8_t *env = NULL;
  size_t env_len = 0;
  zk_status st = zki_hex_decode_alloc(&env, &env_len, hex, hex_len);
  if (st != ZK_OK) return st == ZK_ERR_NOMEM ? st : ZK_ERR_BUNDLE_FORMAT;
  st = zk_qos_envelope_open(fetcher, pt, pt_len, env, env_len);
  if (st != ZK_OK) {
    *pt = NULL;
    *pt_len = 0;
  }
  zk_free(env);
  return st;
}
