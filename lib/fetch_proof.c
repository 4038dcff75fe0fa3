/* Fetch proofs: signed (request -> response, time, server chain) statements. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/fetch_proof.h"
#include "zk_evidence_internal.h"

struct zk_fetch_proof {
  zki_ev ev;
  zk_fetch_info info;
  char *method, *url;
};

static const char *const fetch_fields[] = {"method", "url",  "req",   "status",
                                           "hdrs",   "body", "certs", "time"};

void zk_fetch_proof_free(zk_fetch_proof *p) {
  if (p == NULL) return;
  zki_ev_clear(&p->ev);
  free(p->method);
  free(p->url);
  free(p);
}

/* Parse / create through the shared evidence machinery (evidence.c). */
static zk_status load_fields(void *obj);
static void free_obj(void *obj) {
  zk_fetch_proof_free(obj);
}
static const zki_ev_kind kind = {.type = ZK_FETCH_TYPE,
                                 .fields = fetch_fields,
                                 .n_fields = ZKI_ARRAY_LEN(fetch_fields),
                                 .obj_size = sizeof(zk_fetch_proof),
                                 .load = load_fields,
                                 .free = free_obj};
_Static_assert(offsetof(zk_fetch_proof, ev) == 0, "the zki_ev must come first");

static zk_status check_method(const char *m) {
  size_t n = m != NULL ? strlen(m) : 0;
  if (n == 0 || n > ZK_FETCH_MAX_METHOD) return ZK_ERR_VALUE;
  for (size_t i = 0; i < n; i++)
    if (m[i] < 'A' || m[i] > 'Z') return ZK_ERR_VALUE;
  return ZK_OK;
}

static zk_status load_fields(void *obj) {
  zk_fetch_proof *p = obj;
  zk_fetch_info *in = &p->info;
  uint64_t status;
  ZKI_TRY(zki_ev_get_text(&p->ev, "method", &p->method, ZK_FETCH_MAX_METHOD));
  ZKI_TRY(check_method(p->method));
  ZKI_TRY(zki_ev_get_text(&p->ev, "url", &p->url, ZK_EVIDENCE_MAX_TEXT));
  ZKI_TRY(zki_ev_get_digest(&p->ev, "req", in->request_digest));
  ZKI_TRY(zki_ev_get_uint(&p->ev, "status", &status));
  if (status < 100 || status > 599) return ZK_ERR_VALUE;
  in->status = (uint32_t)status;
  ZKI_TRY(zki_ev_get_digest(&p->ev, "hdrs", in->headers_digest));
  ZKI_TRY(zki_ev_get_digest(&p->ev, "body", in->body_digest));
  ZKI_TRY(zki_ev_get_digest(&p->ev, "certs", in->cert_chain_digest));
  ZKI_TRY(zki_ev_get_uint(&p->ev, "time", &in->time_ms));
  in->method = p->method;
  in->url = p->url;
  return ZK_OK;
}

zk_status zk_fetch_proof_parse(zk_fetch_proof **out, const uint8_t *buf, size_t len) {
  if (out == NULL) return ZK_ERR_ARG;
  void *obj = NULL;
  zk_status s = zki_ev_parse_kind(&obj, &kind, buf, len);
  *out = obj;
  return s;
}

zk_status zk_fetch_proof_create(zk_fetch_proof **out, const zk_key *key, const zk_fetch_info *in) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (key == NULL || in == NULL || in->method == NULL || in->url == NULL) return ZK_ERR_ARG;
  ZKI_TRY(check_method(in->method));
  if (in->status < 100 || in->status > 599) return ZK_ERR_VALUE;
  cbor_item_t *m = zki_ev_new_payload(ZK_FETCH_TYPE);
  if (m == NULL) return ZK_ERR_NOMEM;
  zk_status s = zki_ev_put_text(m, "method", in->method, ZK_FETCH_MAX_METHOD);
  if (s == ZK_OK) s = zki_ev_put_text(m, "url", in->url, ZK_EVIDENCE_MAX_TEXT);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "req", in->request_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_uint(m, "status", in->status);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "hdrs", in->headers_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "body", in->body_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "certs", in->cert_chain_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_uint(m, "time", in->time_ms);
  void *obj = NULL;
  if (s == ZK_OK) s = zki_ev_create_kind(&obj, &kind, key, m);
  cbor_decref(&m);
  *out = obj;
  return s;
}

zk_status zk_fetch_proof_verify(const zk_fetch_proof *p, const zk_key *key,
                                const zk_fetch_expect *e) {
  if (p == NULL || key == NULL || e == NULL || e->url == NULL || e->max_age_ms == 0 ||
      (e->body == NULL && e->body_len > 0))
    return ZK_ERR_ARG;
  ZKI_TRY(zki_ev_check_signer(&p->ev, key));
  const zk_fetch_info *in = &p->info;
  if (strcmp(e->url, in->url) != 0) return ZK_ERR_FETCH_URL;
  if ((e->method != NULL && strcmp(e->method, in->method) != 0) ||
      (e->request_digest != NULL && !zk_ct_equal(e->request_digest, in->request_digest, 32)) ||
      (e->cert_chain_digest != NULL &&
       !zk_ct_equal(e->cert_chain_digest, in->cert_chain_digest, 32)))
    return ZK_ERR_FETCH_REQUEST;
  uint8_t d[32];
  ZKI_TRY(zk_sha256(d, e->body, e->body_len));
  if (!zk_ct_equal(d, in->body_digest, 32)) return ZK_ERR_FETCH_BODY;
  if (in->time_ms > e->now_ms && in->time_ms - e->now_ms > e->max_skew_ms)
    return ZK_ERR_EV_NOT_YET_VALID;
  if (e->now_ms > in->time_ms && e->now_ms - in->time_ms > e->max_age_ms) return ZK_ERR_EV_STALE;
  return ZK_OK;
}

zk_status zk_fetch_cert_chain_digest(uint8_t out[ZK_EVIDENCE_DIGEST_LEN],
                                     const uint8_t *const *ders, const size_t *lens, size_t n) {
  if (out == NULL) return ZK_ERR_ARG;
  memset(out, 0, ZK_EVIDENCE_DIGEST_LEN);
  if (ders == NULL || lens == NULL) return ZK_ERR_ARG;
  if (n == 0 || n > ZK_FETCH_MAX_CERTS) return ZK_ERR_VALUE;
  uint8_t cat[ZK_FETCH_MAX_CERTS * 32];
  for (size_t i = 0; i < n; i++) {
    if (ders[i] == NULL || lens[i] == 0) return ZK_ERR_ARG;
    ZKI_TRY(zk_sha256(cat + 32 * i, ders[i], lens[i]));
  }
  return zk_sha256(out, cat, 32 * n);
}

zk_status zk_fetch_proof_serialize(const zk_fetch_proof *p, uint8_t **out, size_t *out_len) {
  return zki_ev_serialize(p != NULL ? &p->ev : NULL, out, out_len);
}

const zk_fetch_info *zk_fetch_proof_get_info(const zk_fetch_proof *p) {
  return p != NULL ? &p->info : NULL;
}

zk_status zk_fetch_proof_digest(const zk_fetch_proof *p, uint8_t out[ZK_EVIDENCE_DIGEST_LEN]) {
  return zki_ev_copy_digest(p != NULL ? &p->ev : NULL, out);
}
