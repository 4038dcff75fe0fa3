/* Signature results: the signer enclave vouches for an inner signature under a ruling. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/sig_result.h"
#include "zk_evidence_internal.h"

struct zk_sig_result {
  zki_ev ev;
  zk_sig_result_info info;
};

static const char *const sr_fields[] = {"pub", "curve",  "scheme", "payload",
                                        "sig", "ruling", "time"};

static const struct {
  zk_curve curve;
  const char *name;
} curve_names[] = {
    {ZK_CURVE_P256, "P256"}, {ZK_CURVE_SECP256K1, "SECP256K1"}, {ZK_CURVE_ED25519, "ED25519"}};

static const struct {
  zk_sig_scheme scheme;
  const char *name;
} scheme_names[] = {{ZK_SCHEME_ECDSA_DER, "ECDSA_DER"},
                    {ZK_SCHEME_ECDSA_RAW, "ECDSA_RAW"},
                    {ZK_SCHEME_ECDSA_RECOVERABLE, "ECDSA_RECOVERABLE"},
                    {ZK_SCHEME_BIP340, "BIP340"},
                    {ZK_SCHEME_ED25519, "ED25519"}};

static const char *curve_name(zk_curve c) {
  for (size_t i = 0; i < ZKI_ARRAY_LEN(curve_names); i++)
    if (curve_names[i].curve == c) return curve_names[i].name;
  return NULL;
}

static const char *scheme_name(zk_sig_scheme s) {
  for (size_t i = 0; i < ZKI_ARRAY_LEN(scheme_names); i++)
    if (scheme_names[i].scheme == s) return scheme_names[i].name;
  return NULL;
}

/* Valid (curve, scheme) pairs with their key and signature sizes. */
static zk_status shape(zk_curve c, zk_sig_scheme s, size_t pub_len, size_t sig_len) {
  size_t want_pub;
  int ok;
  switch (s) {
    case ZK_SCHEME_ECDSA_DER:
      ok = c == ZK_CURVE_P256 || c == ZK_CURVE_SECP256K1;
      want_pub = 33;
      if (sig_len < 8 || sig_len > 72) return ZK_ERR_VALUE;
      break;
    case ZK_SCHEME_ECDSA_RAW:
      ok = c == ZK_CURVE_P256 || c == ZK_CURVE_SECP256K1;
      want_pub = 33;
      if (sig_len != 64) return ZK_ERR_VALUE;
      break;
    case ZK_SCHEME_ECDSA_RECOVERABLE:
      ok = c == ZK_CURVE_SECP256K1;
      want_pub = 33;
      if (sig_len != 65) return ZK_ERR_VALUE;
      break;
    case ZK_SCHEME_BIP340:
      ok = c == ZK_CURVE_SECP256K1;
      want_pub = 32;
      if (sig_len != 64) return ZK_ERR_VALUE;
      break;
    case ZK_SCHEME_ED25519:
      ok = c == ZK_CURVE_ED25519;
      want_pub = 32;
      if (sig_len != 64) return ZK_ERR_VALUE;
      break;
    default:
      return ZK_ERR_VALUE;
  }
  return ok && pub_len == want_pub ? ZK_OK : ZK_ERR_VALUE;
}

/* Verify the inner signature; msg is required for Ed25519 only. */
static zk_status inner_verify(const zk_sig_result_info *in, const uint8_t *msg, size_t msg_len) {
  zk_key *k = NULL;
  zk_status s;
  if (in->scheme == ZK_SCHEME_ED25519) {
    uint8_t d[32];
    if (msg == NULL) return ZK_ERR_ARG; /* the message itself is signed ("" when empty) */
    ZKI_TRY(zk_sha256(d, msg, msg_len));
    if (!zk_ct_equal(d, in->payload_digest, 32)) return ZK_ERR_RESULT_KEY;
  }
  ZKI_TRY(zk_key_from_public(&k, in->curve, in->public_key, in->public_key_len));
  switch (in->scheme) {
    case ZK_SCHEME_ECDSA_DER:
      s = zk_key_verify_digest(k, ZK_SIG_DER, 0, in->signature, in->signature_len,
                               in->payload_digest, 32);
      break;
    case ZK_SCHEME_ECDSA_RAW:
      s = zk_key_verify_digest(k, ZK_SIG_RAW, 0, in->signature, in->signature_len,
                               in->payload_digest, 32);
      break;
    case ZK_SCHEME_ECDSA_RECOVERABLE: {
      /* r || s must verify (low S) and v must recover exactly this key. */
      zk_key *rec = NULL;
      s = zk_key_verify_digest(k, ZK_SIG_RAW, 0, in->signature, 64, in->payload_digest, 32);
      if (s == ZK_OK) {
        s = zk_key_recover(&rec, in->signature, 65, in->payload_digest, 32);
        if (s == ZK_OK && !zk_key_public_equal(rec, k)) s = ZK_ERR_SIGNATURE;
        if (s == ZK_ERR_RECOVER || s == ZK_ERR_SIG_ENCODING) s = ZK_ERR_SIGNATURE;
      }
      zk_key_free(rec);
      break;
    }
    case ZK_SCHEME_BIP340:
      s = zk_key_verify(k, ZK_SIG_SCHNORR, 0, in->signature, 64, in->payload_digest, 32);
      break;
    case ZK_SCHEME_ED25519:
      s = zk_key_verify(k, ZK_SIG_EDDSA, 0, in->signature, 64, msg, msg_len);
      break;
    default:
      s = ZK_ERR_VALUE;
      break;
  }
  zk_key_free(k);
  if (s == ZK_ERR_SIGNATURE || s == ZK_ERR_SIG_ENCODING || s == ZK_ERR_HIGH_S)
    return ZK_ERR_RESULT_SIGNATURE;
  return s;
}

void zk_sig_result_free(zk_sig_result *r) {
  if (r == NULL) return;
  zki_ev_clear(&r->ev);
  free(r);
}

/* Parse / create through the shared evidence machinery (evidence.c). */
static zk_status load_fields(void *obj);
static void free_obj(void *obj) {
  zk_sig_result_free(obj);
}
static const zki_ev_kind kind = {.type = ZK_SIG_RESULT_TYPE,
                                 .fields = sr_fields,
                                 .n_fields = ZKI_ARRAY_LEN(sr_fields),
                                 .obj_size = sizeof(zk_sig_result),
                                 .load = load_fields,
                                 .free = free_obj};
_Static_assert(offsetof(zk_sig_result, ev) == 0, "the zki_ev must come first");

static zk_status text_enum(const zki_ev *ev, const char *field, int is_curve, int *out) {
  const cbor_item_t *it = zki_cbor_map_get_str(ev->payload, field);
  const char *t;
  size_t tl;
  if (it == NULL) return ZK_ERR_MISSING_FIELD;
  if (zki_cbor_get_text(it, &t, &tl) != ZK_OK) return ZK_ERR_TYPE;
  size_t n = is_curve ? ZKI_ARRAY_LEN(curve_names) : ZKI_ARRAY_LEN(scheme_names);
  for (size_t i = 0; i < n; i++) {
    const char *name = is_curve ? curve_names[i].name : scheme_names[i].name;
    if (strlen(name) == tl && memcmp(name, t, tl) == 0) {
      *out = is_curve ? (int)curve_names[i].curve : (int)scheme_names[i].scheme;
      return ZK_OK;
    }
  }
  return ZK_ERR_VALUE;
}

static zk_status load_fields(void *obj) {
  zk_sig_result *r = obj;
  zk_sig_result_info *in = &r->info;
  int c = 0, s = 0;
  ZKI_TRY(zki_ev_get_bytes(&r->ev, "pub", &in->public_key, &in->public_key_len, 32, 33));
  ZKI_TRY(text_enum(&r->ev, "curve", 1, &c));
  ZKI_TRY(text_enum(&r->ev, "scheme", 0, &s));
  in->curve = (zk_curve)c;
  in->scheme = (zk_sig_scheme)s;
  ZKI_TRY(zki_ev_get_digest(&r->ev, "payload", in->payload_digest));
  ZKI_TRY(zki_ev_get_bytes(&r->ev, "sig", &in->signature, &in->signature_len, 8, 72));
  ZKI_TRY(zki_ev_get_digest(&r->ev, "ruling", in->ruling_digest));
  ZKI_TRY(zki_ev_get_uint(&r->ev, "time", &in->time_ms));
  return shape(in->curve, in->scheme, in->public_key_len, in->signature_len);
}

zk_status zk_sig_result_parse(zk_sig_result **out, const uint8_t *buf, size_t len) {
  if (out == NULL) return ZK_ERR_ARG;
  void *obj = NULL;
  zk_status s = zki_ev_parse_kind(&obj, &kind, buf, len);
  *out = obj;
  return s;
}

zk_status zk_sig_result_create(zk_sig_result **out, const zk_key *key, const zk_sig_result_info *in,
                               const uint8_t *msg, size_t msg_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (key == NULL || in == NULL || in->public_key == NULL || in->signature == NULL)
    return ZK_ERR_ARG;
  ZKI_TRY(shape(in->curve, in->scheme, in->public_key_len, in->signature_len));
  ZKI_TRY(inner_verify(in, msg, msg_len));
  cbor_item_t *m = zki_ev_new_payload(ZK_SIG_RESULT_TYPE);
  if (m == NULL) return ZK_ERR_NOMEM;
  zk_status s = zki_ev_put_bytes(m, "pub", in->public_key, in->public_key_len);
  if (s == ZK_OK) s = zki_cbor_map_put_str(m, "curve", zki_cbor_new_text(curve_name(in->curve)));
  if (s == ZK_OK) s = zki_cbor_map_put_str(m, "scheme", zki_cbor_new_text(scheme_name(in->scheme)));
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "payload", in->payload_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "sig", in->signature, in->signature_len);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "ruling", in->ruling_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_uint(m, "time", in->time_ms);
  void *obj = NULL;
  if (s == ZK_OK) s = zki_ev_create_kind(&obj, &kind, key, m);
  cbor_decref(&m);
  *out = obj;
  return s;
}

zk_status zk_sig_result_verify(const zk_sig_result *r, const zk_key *key,
                               const zk_sig_result_expect *e) {
  if (r == NULL || key == NULL || e == NULL || e->ruling_digest == NULL ||
      (e->public_key == NULL && e->public_key_len > 0))
    return ZK_ERR_ARG;
  ZKI_TRY(zki_ev_check_signer(&r->ev, key));
  const zk_sig_result_info *in = &r->info;
  if (!zk_ct_equal(e->ruling_digest, in->ruling_digest, 32)) return ZK_ERR_RESULT_RULING;
  if ((e->public_key != NULL &&
       (e->public_key_len != in->public_key_len ||
        !zk_ct_equal(e->public_key, in->public_key, in->public_key_len))) ||
      (e->payload_digest != NULL && !zk_ct_equal(e->payload_digest, in->payload_digest, 32)))
    return ZK_ERR_RESULT_KEY;
  return inner_verify(in, e->message, e->message_len);
}

zk_status zk_sig_result_serialize(const zk_sig_result *r, uint8_t **out, size_t *out_len) {
  return zki_ev_serialize(r != NULL ? &r->ev : NULL, out, out_len);
}

const zk_sig_result_info *zk_sig_result_get_info(const zk_sig_result *r) {
  return r != NULL ? &r->info : NULL;
}

zk_status zk_sig_result_digest(const zk_sig_result *r, uint8_t out[ZK_EVIDENCE_DIGEST_LEN]) {
  return zki_ev_copy_digest(r != NULL ? &r->ev : NULL, out);
}
