/*
 * Evidence envelope shared by rulings, notarizations, fetch proofs and
 * signature results: canonical tagged COSE_Sign1 over a deterministic-CBOR
 * payload map (docs/formats.md, "Evidence envelope").
 */
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zk_evidence_internal.h"

#define EV_SIG_LEN 64

static const uint8_t order_p256[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
static const uint8_t order_secp256k1[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

/* alg for the evidence profile (P-384 is not an evidence curve). */
static int64_t ev_alg(zk_curve c) {
  switch (c) {
    case ZK_CURVE_P256:
      return ZK_COSE_ALG_ES256;
    case ZK_CURVE_SECP256K1:
      return ZK_COSE_ALG_ES256K;
    case ZK_CURVE_ED25519:
      return ZK_COSE_ALG_EDDSA;
    default:
      return 0;
  }
}

static const uint8_t *alg_order(int64_t alg) {
  return alg == ZK_COSE_ALG_ES256 ? order_p256 : alg == ZK_COSE_ALG_ES256K ? order_secp256k1 : NULL;
}

/* t = n - s (s < n assumed; the caller only uses t for the comparison below). */
static void sub_from_order(uint8_t t[32], const uint8_t n[32], const uint8_t s[32]) {
  unsigned borrow = 0;
  for (int i = 31; i >= 0; i--) {
    unsigned d = (unsigned)n[i] - (unsigned)s[i] - borrow;
    t[i] = (uint8_t)d;
    borrow = (d >> 8) & 1u;
  }
}

/* 1 if s > n/2 (i.e. s > n - s). */
static int is_high_s(const uint8_t s[32], const uint8_t n[32]) {
  uint8_t t[32];
  sub_from_order(t, n, s);
  return memcmp(s, t, 32) > 0;
}

zk_status zk_evidence_kid(uint8_t out[ZK_EVIDENCE_KID_LEN], const zk_key *key) {
  if (out == NULL) return ZK_ERR_ARG;
  memset(out, 0, ZK_EVIDENCE_KID_LEN);
  if (key == NULL) return ZK_ERR_ARG;
  zk_curve c = zk_key_curve(key);
  if (ev_alg(c) == 0) return ZK_ERR_UNSUPPORTED;
  uint8_t pub[ZK_P256_COMPRESSED_LEN];
  size_t pub_len = sizeof pub;
  ZKI_TRY(zk_key_export_public(key, c == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_COMPRESSED, pub,
                               &pub_len));
  return zk_sha256(out, pub, pub_len);
}

zk_status zk_evidence_digest(uint8_t out[ZK_EVIDENCE_DIGEST_LEN], const uint8_t *evidence,
                             size_t len) {
  if (out == NULL || (evidence == NULL && len > 0)) return ZK_ERR_ARG;
  return zk_sha256(out, evidence, len);
}

/* ---- canonical envelope ---- */

/* CBOR head of major type `major` with argument v, shortest form. Returns its length. */
static size_t put_head(uint8_t *p, uint8_t major, uint64_t v) {
  major = (uint8_t)(major << 5);
  if (v < 24) {
    p[0] = (uint8_t)(major | v);
    return 1;
  }
  if (v <= 0xff) {
    p[0] = major | 24;
    p[1] = (uint8_t)v;
    return 2;
  }
  if (v <= 0xffff) {
    p[0] = major | 25;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
    return 3;
  }
  p[0] = major | 26;
  for (int i = 0; i < 4; i++) p[1 + i] = (uint8_t)(v >> (24 - 8 * i));
  return 5; /* evidence is far below 4 GiB */
}

/* Canonical protected header {1: alg, 4: h'kid'}. Returns its length (<= 40). */
static size_t build_protected(uint8_t p[40], int64_t alg, const uint8_t kid[32]) {
  size_t o = 0;
  p[o++] = 0xa2;
  p[o++] = 0x01;
  o += put_head(p + o, 1, (uint64_t)(-1 - alg)); /* negative integer */
  p[o++] = 0x04;
  o += put_head(p + o, 2, 32);
  memcpy(p + o, kid, 32);
  return o + 32;
}

/* d2 84 bstr(prot) a0 bstr(payload) bstr(sig) into a new buffer. */
static zk_status build_envelope(uint8_t **out, size_t *out_len, const uint8_t *prot,
                                size_t prot_len, const uint8_t *payload, size_t payload_len,
                                const uint8_t *sig, size_t sig_len) {
  size_t cap = 2 + 5 + prot_len + 1 + 5 + payload_len + 5 + sig_len;
  uint8_t *b = malloc(cap);
  if (b == NULL) return ZK_ERR_NOMEM;
  size_t o = 0;
  b[o++] = 0xd2;
  b[o++] = 0x84;
  o += put_head(b + o, 2, prot_len);
  memcpy(b + o, prot, prot_len);
  o += prot_len;
  b[o++] = 0xa0;
  o += put_head(b + o, 2, payload_len);
  memcpy(b + o, payload, payload_len);
  o += payload_len;
  o += put_head(b + o, 2, sig_len);
  memcpy(b + o, sig, sig_len);
  o += sig_len;
  *out = b;
  *out_len = o;
  return ZK_OK;
}

zk_status zki_ev_envelope_prefix(uint8_t out[ZKI_EV_PREFIX_MAX], size_t *out_len,
                                 const zk_key *key) {
  if (out_len == NULL) return ZK_ERR_ARG;
  *out_len = 0;
  if (out == NULL || key == NULL) return ZK_ERR_ARG;
  int64_t alg = ev_alg(zk_key_curve(key));
  if (alg == 0) return ZK_ERR_UNSUPPORTED;
  uint8_t kid[ZK_EVIDENCE_KID_LEN], prot[40];
  ZKI_TRY(zk_evidence_kid(kid, key));
  size_t pl = build_protected(prot, alg, kid), o = 0;
  out[o++] = 0xd2;
  out[o++] = 0x84;
  o += put_head(out + o, 2, pl); /* pl <= 40: two bytes */
  memcpy(out + o, prot, pl);
  o += pl;
  out[o++] = 0xa0;
  *out_len = o;
  return ZK_OK;
}

void zki_ev_clear(zki_ev *ev) {
  if (ev == NULL) return;
  free(ev->bytes);
  zk_cose_sign1_free(ev->cose);
  if (ev->payload != NULL) cbor_decref(&ev->payload);
  memset(ev, 0, sizeof *ev);
}

static zk_status check_fields(const cbor_item_t *map, const char *const *fields, size_t n) {
  size_t sz = cbor_map_size(map);
  struct cbor_pair *pairs = cbor_map_handle(map);
  for (size_t i = 0; i < sz; i++) {
    const char *k;
    size_t kl;
    if (zki_cbor_get_text(pairs[i].key, &k, &kl) != ZK_OK) return ZK_ERR_UNKNOWN_FIELD;
    int known = (kl == 4 && memcmp(k, "type", 4) == 0) || (kl == 1 && k[0] == 'v');
    for (size_t f = 0; f < n && !known; f++)
      known = strlen(fields[f]) == kl && memcmp(fields[f], k, kl) == 0;
    if (!known) return ZK_ERR_UNKNOWN_FIELD;
  }
  return ZK_OK;
}

zk_status zki_ev_open(zki_ev *ev, const uint8_t *buf, size_t len, const char *type,
                      const char *const *fields, size_t n_fields) {
  memset(ev, 0, sizeof *ev);
  if (buf == NULL) return ZK_ERR_ARG;
  if (len > ZK_EVIDENCE_MAX_LEN) return ZK_ERR_TOO_LARGE;
  zk_status s = zk_cose_sign1_parse(&ev->cose, buf, len, NULL);
  if (s != ZK_OK) return s;

  /* The envelope must be exactly the canonical encoding of what was parsed. */
  size_t prot_len, payload_len, sig_len, kid_len;
  const uint8_t *prot = zk_cose_sign1_protected(ev->cose, &prot_len);
  const uint8_t *payload = zk_cose_sign1_payload(ev->cose, &payload_len);
  const uint8_t *sig = zk_cose_sign1_signature(ev->cose, &sig_len);
  const uint8_t *kid = zk_cose_sign1_kid(ev->cose, &kid_len);
  int64_t alg = zk_cose_sign1_alg(ev->cose);
  uint8_t want_prot[40], *canon = NULL;
  size_t canon_len = 0;
  if (alg != ZK_COSE_ALG_ES256 && alg != ZK_COSE_ALG_ES256K && alg != ZK_COSE_ALG_EDDSA) {
    s = ZK_ERR_COSE_ALG;
    goto fail;
  }
  if (kid == NULL || kid_len != ZK_EVIDENCE_KID_LEN) {
    s = ZK_ERR_COSE_KID;
    goto fail;
  }
  size_t wl = build_protected(want_prot, alg, kid);
  if ((s = build_envelope(&canon, &canon_len, want_prot, wl, payload, payload_len, sig, sig_len)) !=
      ZK_OK)
    goto fail;
  int same = canon_len == len && memcmp(canon, buf, len) == 0 && wl == prot_len &&
             memcmp(want_prot, prot, wl) == 0;
  free(canon);
  if (!same) {
    s = ZK_ERR_NONCANONICAL;
    goto fail;
  }
  memcpy(ev->kid, kid, ZK_EVIDENCE_KID_LEN);

  /* Payload: a deterministic-CBOR map of known text keys. */
  zki_cbor_limits lim = {
      .max_len = ZK_EVIDENCE_MAX_LEN, .max_depth = 4, .max_items = 4096, .require_canonical = true};
  if ((s = zki_cbor_decode(&ev->payload, payload, payload_len, &lim, NULL)) != ZK_OK) goto fail;
  if (!cbor_isa_map(ev->payload)) {
    s = ZK_ERR_TYPE;
    goto fail;
  }
  if ((s = check_fields(ev->payload, fields, n_fields)) != ZK_OK) goto fail;
  const char *t;
  size_t tl;
  const cbor_item_t *ti = zki_cbor_map_get_str(ev->payload, "type");
  if (ti == NULL) {
    s = ZK_ERR_MISSING_FIELD;
    goto fail;
  }
  if (zki_cbor_get_text(ti, &t, &tl) != ZK_OK || tl != strlen(type) || memcmp(t, type, tl) != 0) {
    s = ZK_ERR_EV_TYPE;
    goto fail;
  }
  uint64_t v;
  if ((s = zki_ev_get_uint(ev, "v", &v)) != ZK_OK) goto fail;
  if (v != ZK_EVIDENCE_VERSION) {
    s = ZK_ERR_VERSION;
    goto fail;
  }
  if ((ev->bytes = zki_memdup(buf, len)) == NULL) {
    s = ZK_ERR_NOMEM;
    goto fail;
  }
  ev->len = len;
  if ((s = zk_sha256(ev->digest, buf, len)) != ZK_OK) goto fail;
  return ZK_OK;
fail:
  zki_ev_clear(ev);
  return s;
}

zk_status zki_ev_check_signer(const zki_ev *ev, const zk_key *key) {
  if (ev == NULL || ev->cose == NULL || key == NULL) return ZK_ERR_ARG;
  uint8_t kid[ZK_EVIDENCE_KID_LEN];
  zk_status s = zk_evidence_kid(kid, key);
  if (s == ZK_ERR_UNSUPPORTED) return ZK_ERR_EV_SIGNER;
  ZKI_TRY(s);
  if (!zk_ct_equal(kid, ev->kid, sizeof kid)) return ZK_ERR_EV_SIGNER;
  int64_t alg = zk_cose_sign1_alg(ev->cose);
  if (alg != ev_alg(zk_key_curve(key))) return ZK_ERR_COSE_ALG;
  const uint8_t *n = alg_order(alg);
  if (n != NULL) {
    size_t sl;
    const uint8_t *sig = zk_cose_sign1_signature(ev->cose, &sl);
    if (sl != EV_SIG_LEN) return ZK_ERR_COSE_SIG_SIZE;
    if (is_high_s(sig + 32, n)) return ZK_ERR_HIGH_S;
  }
  return zk_cose_sign1_verify(ev->cose, key, NULL, 0);
}

zk_status zki_ev_seal(zki_ev *ev, const zk_key *key, const cbor_item_t *payload, const char *type,
                      const char *const *fields, size_t n_fields) {
  memset(ev, 0, sizeof *ev);
  if (key == NULL || payload == NULL) return ZK_ERR_ARG;
  int64_t alg = ev_alg(zk_key_curve(key));
  if (alg == 0) return ZK_ERR_UNSUPPORTED;
  if (!zk_key_has_private(key)) return ZK_ERR_NO_PRIVATE_KEY;

  uint8_t kid[ZK_EVIDENCE_KID_LEN], prot[40], sig[ZK_MAX_SIG_LEN];
  size_t sig_len = sizeof sig;
  uint8_t *pl = NULL, *tbs = NULL, *msg = NULL;
  size_t pl_len = 0, tbs_len = 0, msg_len = 0;
  ZKI_TRY(zk_evidence_kid(kid, key));
  size_t prot_len = build_protected(prot, alg, kid);
  zk_status s = zki_cbor_encode(&pl, &pl_len, payload);
  if (s != ZK_OK) goto done;
  if (pl_len > ZK_EVIDENCE_MAX_LEN - 128) {
    s = ZK_ERR_TOO_LARGE;
    goto done;
  }
  if ((s = zk_cose_sig_structure(&tbs, &tbs_len, prot, prot_len, NULL, 0, pl, pl_len)) != ZK_OK)
    goto done;
  if ((s = zk_key_sign(key, alg == ZK_COSE_ALG_EDDSA ? ZK_SIG_EDDSA : ZK_SIG_RAW, sig, &sig_len,
                       tbs, tbs_len)) != ZK_OK)
    goto done;
  if (sig_len != EV_SIG_LEN) {
    s = ZK_ERR_INTERNAL;
    goto done;
  }
  const uint8_t *n = alg_order(alg);
  if (n != NULL && is_high_s(sig + 32, n)) {
    uint8_t t[32];
    sub_from_order(t, n, sig + 32); /* (r, n - s) is the low-S twin */
    memcpy(sig + 32, t, 32);
  }
  if ((s = build_envelope(&msg, &msg_len, prot, prot_len, pl, pl_len, sig, sig_len)) != ZK_OK)
    goto done;
  s = zki_ev_open(ev, msg, msg_len, type, fields, n_fields);
done:
  free(pl);
  free(tbs);
  free(msg);
  return s;
}

zk_status zki_ev_serialize(const zki_ev *ev, uint8_t **out, size_t *out_len) {
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *out_len = 0;
  if (ev == NULL || ev->bytes == NULL) return ZK_ERR_ARG;
  if ((*out = zki_memdup(ev->bytes, ev->len)) == NULL) return ZK_ERR_NOMEM;
  *out_len = ev->len;
  return ZK_OK;
}

zk_status zki_ev_copy_digest(const zki_ev *ev, uint8_t out[ZK_EVIDENCE_DIGEST_LEN]) {
  if (ev == NULL || out == NULL || ev->bytes == NULL) return ZK_ERR_ARG;
  memcpy(out, ev->digest, ZK_EVIDENCE_DIGEST_LEN);
  return ZK_OK;
}

/* ---- kinds ---- */

static zk_status finish_kind(void **out, const zki_ev_kind *k, void *obj, zk_status s) {
  if (s == ZK_OK) s = k->load(obj);
  if (s != ZK_OK) {
    k->free(obj);
    return s;
  }
  *out = obj;
  return ZK_OK;
}

zk_status zki_ev_parse_kind(void **out, const zki_ev_kind *k, const uint8_t *buf, size_t len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (buf == NULL) return ZK_ERR_ARG;
  void *obj = calloc(1, k->obj_size);
  if (obj == NULL) return ZK_ERR_NOMEM;
  return finish_kind(out, k, obj,
                     zki_ev_open((zki_ev *)obj, buf, len, k->type, k->fields, k->n_fields));
}

zk_status zki_ev_create_kind(void **out, const zki_ev_kind *k, const zk_key *key,
                             const cbor_item_t *payload) {
  *out = NULL;
  void *obj = calloc(1, k->obj_size);
  if (obj == NULL) return ZK_ERR_NOMEM;
  return finish_kind(out, k, obj,
                     zki_ev_seal((zki_ev *)obj, key, payload, k->type, k->fields, k->n_fields));
}

/* ---- fields ---- */

static const cbor_item_t *field(const zki_ev *ev, const char *name) {
  return zki_cbor_map_get_str(ev->payload, name);
}

zk_status zki_ev_get_uint(const zki_ev *ev, const char *name, uint64_t *out) {
  *out = 0;
  const cbor_item_t *it = field(ev, name);
  if (it == NULL) return ZK_ERR_MISSING_FIELD;
  if (!cbor_isa_uint(it)) return ZK_ERR_TYPE;
  return zki_cbor_get_uint(it, out);
}

zk_status zki_ev_get_bytes(const zki_ev *ev, const char *name, const uint8_t **p, size_t *len,
                           size_t min, size_t max) {
  *p = NULL;
  *len = 0;
  const cbor_item_t *it = field(ev, name);
  if (it == NULL) return ZK_ERR_MISSING_FIELD;
  if (!cbor_isa_bytestring(it)) return ZK_ERR_TYPE;
  const uint8_t *q;
  size_t n;
  ZKI_TRY(zki_cbor_get_bytes(it, &q, &n));
  if (n < min || n > max) return ZK_ERR_VALUE;
  *p = q;
  *len = n;
  return ZK_OK;
}

zk_status zki_ev_get_digest(const zki_ev *ev, const char *name, uint8_t out[32]) {
  const uint8_t *p;
  size_t n;
  memset(out, 0, 32);
  ZKI_TRY(zki_ev_get_bytes(ev, name, &p, &n, 32, 32));
  memcpy(out, p, 32);
  return ZK_OK;
}

zk_status zki_ev_get_text(const zki_ev *ev, const char *name, char **out, size_t max) {
  *out = NULL;
  const cbor_item_t *it = field(ev, name);
  if (it == NULL) return ZK_ERR_MISSING_FIELD;
  if (!cbor_isa_string(it)) return ZK_ERR_TYPE;
  const char *p;
  size_t n;
  ZKI_TRY(zki_cbor_get_text(it, &p, &n));
  if (n == 0 || n > max || memchr(p, 0, n) != NULL) return ZK_ERR_VALUE;
  char *s = malloc(n + 1);
  if (s == NULL) return ZK_ERR_NOMEM;
  memcpy(s, p, n);
  s[n] = 0;
  *out = s;
  return ZK_OK;
}

zk_status zki_ev_check_text(const char *s, size_t max) {
  if (s == NULL) return ZK_ERR_ARG;
  size_t n = strlen(s);
  return n == 0 || n > max ? ZK_ERR_VALUE : ZK_OK;
}

zk_status zki_ev_put_text(cbor_item_t *map, const char *name, const char *value, size_t max) {
  ZKI_TRY(zki_ev_check_text(value, max));
  return zki_cbor_map_put_str(map, name, zki_cbor_new_text(value));
}

zk_status zki_ev_put_uint(cbor_item_t *map, const char *name, uint64_t v) {
  return zki_cbor_map_put_str(map, name, cbor_build_uint64(v));
}

zk_status zki_ev_put_bytes(cbor_item_t *map, const char *name, const uint8_t *p, size_t len) {
  return zki_cbor_map_put_str(map, name, zki_cbor_new_bytes(p, len));
}

cbor_item_t *zki_ev_new_payload(const char *type) {
  cbor_item_t *m = cbor_new_indefinite_map();
  if (m == NULL) return NULL;
  if (zki_cbor_map_put_str(m, "type", zki_cbor_new_text(type)) != ZK_OK ||
      zki_ev_put_uint(m, "v", ZK_EVIDENCE_VERSION) != ZK_OK) {
    cbor_decref(&m);
    return NULL;
  }
  return m;
}
