/* Rulings: policy decisions bound to a stamp, a request and a notarized state. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/ruling.h"
#include "zk_evidence_internal.h"

struct zk_ruling {
  zki_ev ev;
  zk_ruling_info info;
  char *org, *activity;
  char **policies;
  size_t n_policies;
};

static const char *const ruling_fields[] = {"decision", "org",      "activity", "stamp", "request",
                                            "state",    "policies", "iat",      "exp"};

void zk_ruling_free(zk_ruling *r) {
  if (r == NULL) return;
  zki_ev_clear(&r->ev);
  free(r->org);
  free(r->activity);
  for (size_t i = 0; i < r->n_policies; i++) free(r->policies[i]);
  free(r->policies);
  free(r);
}

/* Parse / create through the shared evidence machinery (evidence.c). */
static zk_status load_fields(void *obj);
static void free_obj(void *obj) {
  zk_ruling_free(obj);
}
static const zki_ev_kind kind = {.type = ZK_RULING_TYPE,
                                 .fields = ruling_fields,
                                 .n_fields = ZKI_ARRAY_LEN(ruling_fields),
                                 .obj_size = sizeof(zk_ruling),
                                 .load = load_fields,
                                 .free = free_obj};
_Static_assert(offsetof(zk_ruling, ev) == 0, "the zki_ev must come first");

static zk_status load_fields(void *obj) {
  zk_ruling *r = obj;
  const zki_ev *ev = &r->ev;
  zk_ruling_info *in = &r->info;
  const cbor_item_t *d = zki_cbor_map_get_str(ev->payload, "decision");
  const char *t;
  size_t tl;
  if (d == NULL) return ZK_ERR_MISSING_FIELD;
  if (zki_cbor_get_text(d, &t, &tl) != ZK_OK) return ZK_ERR_TYPE;
  if (tl == 5 && memcmp(t, "ALLOW", 5) == 0)
    in->decision = ZK_RULING_ALLOW;
  else if (tl == 4 && memcmp(t, "DENY", 4) == 0)
    in->decision = ZK_RULING_DENY;
  else
    return ZK_ERR_VALUE;
  ZKI_TRY(zki_ev_get_text(ev, "org", &r->org, ZK_EVIDENCE_MAX_ID));
  ZKI_TRY(zki_ev_get_text(ev, "activity", &r->activity, ZK_EVIDENCE_MAX_ID));
  ZKI_TRY(zki_ev_get_digest(ev, "stamp", in->stamp_digest));
  ZKI_TRY(zki_ev_get_digest(ev, "request", in->request_digest));
  ZKI_TRY(zki_ev_get_digest(ev, "state", in->state_digest));
  ZKI_TRY(zki_ev_get_uint(ev, "iat", &in->issued_at_ms));
  ZKI_TRY(zki_ev_get_uint(ev, "exp", &in->expires_at_ms));
  if (in->expires_at_ms <= in->issued_at_ms) return ZK_ERR_VALUE;

  const cbor_item_t *pa = zki_cbor_map_get_str(ev->payload, "policies");
  if (pa == NULL) return ZK_ERR_MISSING_FIELD;
  if (!cbor_isa_array(pa)) return ZK_ERR_TYPE;
  size_t n = cbor_array_size(pa);
  if (n > ZK_RULING_MAX_POLICIES) return ZK_ERR_VALUE;
  r->policies = calloc(n ? n : 1, sizeof *r->policies);
  if (r->policies == NULL) return ZK_ERR_NOMEM;
  cbor_item_t **items = cbor_array_handle(pa);
  for (size_t i = 0; i < n; i++) {
    const char *p;
    size_t pl;
    if (zki_cbor_get_text(items[i], &p, &pl) != ZK_OK) return ZK_ERR_TYPE;
    if (pl == 0 || pl > ZK_EVIDENCE_MAX_ID || memchr(p, 0, pl) != NULL) return ZK_ERR_VALUE;
    if ((r->policies[i] = malloc(pl + 1)) == NULL) return ZK_ERR_NOMEM;
    memcpy(r->policies[i], p, pl);
    r->policies[i][pl] = 0;
    r->n_policies++;
  }
  in->organization_id = r->org;
  in->activity_type = r->activity;
  in->policy_ids = (const char *const *)r->policies;
  in->n_policy_ids = r->n_policies;
  return ZK_OK;
}

zk_status zk_ruling_parse(zk_ruling **out, const uint8_t *buf, size_t len) {
  if (out == NULL) return ZK_ERR_ARG;
  void *obj = NULL;
  zk_status s = zki_ev_parse_kind(&obj, &kind, buf, len);
  *out = obj;
  return s;
}

zk_status zk_ruling_create(zk_ruling **out, const zk_key *key, const zk_ruling_info *in) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (key == NULL || in == NULL || (in->policy_ids == NULL && in->n_policy_ids > 0))
    return ZK_ERR_ARG;
  if ((in->decision != ZK_RULING_ALLOW && in->decision != ZK_RULING_DENY) ||
      in->n_policy_ids > ZK_RULING_MAX_POLICIES || in->expires_at_ms <= in->issued_at_ms)
    return ZK_ERR_VALUE;
  cbor_item_t *m = zki_ev_new_payload(ZK_RULING_TYPE), *arr = NULL;
  if (m == NULL) return ZK_ERR_NOMEM;
  zk_status s = zki_cbor_map_put_str(
      m, "decision", zki_cbor_new_text(in->decision == ZK_RULING_ALLOW ? "ALLOW" : "DENY"));
  if (s == ZK_OK) s = zki_ev_put_text(m, "org", in->organization_id, ZK_EVIDENCE_MAX_ID);
  if (s == ZK_OK) s = zki_ev_put_text(m, "activity", in->activity_type, ZK_EVIDENCE_MAX_ID);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "stamp", in->stamp_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "request", in->request_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "state", in->state_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_uint(m, "iat", in->issued_at_ms);
  if (s == ZK_OK) s = zki_ev_put_uint(m, "exp", in->expires_at_ms);
  if (s == ZK_OK && (arr = cbor_new_definite_array(in->n_policy_ids)) == NULL) s = ZK_ERR_NOMEM;
  for (size_t i = 0; s == ZK_OK && i < in->n_policy_ids; i++) {
    s = zki_ev_check_text(in->policy_ids[i], ZK_EVIDENCE_MAX_ID);
    cbor_item_t *t = s == ZK_OK ? zki_cbor_new_text(in->policy_ids[i]) : NULL;
    if (s == ZK_OK && (t == NULL || !cbor_array_push(arr, t))) s = ZK_ERR_NOMEM;
    if (t != NULL) cbor_decref(&t);
  }
  if (s == ZK_OK) {
    s = zki_cbor_map_put_str(m, "policies", arr);
    arr = NULL;
  }
  void *obj = NULL;
  if (s == ZK_OK) s = zki_ev_create_kind(&obj, &kind, key, m);
  if (arr != NULL) cbor_decref(&arr);
  cbor_decref(&m);
  *out = obj;
  return s;
}

zk_status zk_ruling_verify(const zk_ruling *r, const zk_key *key, const zk_ruling_expect *e) {
  if (r == NULL || key == NULL || e == NULL || e->stamp_digest == NULL ||
      e->request_digest == NULL || e->state_digest == NULL)
    return ZK_ERR_ARG;
  ZKI_TRY(zki_ev_check_signer(&r->ev, key));
  const zk_ruling_info *in = &r->info;
  if (in->issued_at_ms > e->now_ms && in->issued_at_ms - e->now_ms > e->max_skew_ms)
    return ZK_ERR_EV_NOT_YET_VALID;
  if (e->now_ms >= in->expires_at_ms) return ZK_ERR_EV_EXPIRED;
  if (!zk_ct_equal(in->stamp_digest, e->stamp_digest, 32) ||
      !zk_ct_equal(in->request_digest, e->request_digest, 32))
    return ZK_ERR_RULING_STAMP;
  if (!zk_ct_equal(in->state_digest, e->state_digest, 32)) return ZK_ERR_RULING_STATE;
  if ((e->organization_id != NULL && strcmp(e->organization_id, in->organization_id) != 0) ||
      (e->activity_type != NULL && strcmp(e->activity_type, in->activity_type) != 0))
    return ZK_ERR_RULING_ORG;
  if (in->decision != ZK_RULING_ALLOW && !(e->flags & ZK_RULING_ACCEPT_DENY))
    return ZK_ERR_RULING_DENIED;
  return ZK_OK;
}

zk_status zk_ruling_serialize(const zk_ruling *r, uint8_t **out, size_t *out_len) {
  return zki_ev_serialize(r != NULL ? &r->ev : NULL, out, out_len);
}

const zk_ruling_info *zk_ruling_get_info(const zk_ruling *r) {
  return r != NULL ? &r->info : NULL;
}

zk_status zk_ruling_digest(const zk_ruling *r, uint8_t out[ZK_EVIDENCE_DIGEST_LEN]) {
  return zki_ev_copy_digest(r != NULL ? &r->ev : NULL, out);
}
