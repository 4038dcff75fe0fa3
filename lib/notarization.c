/* Notarization records and hash-chain verification (one signature per chain). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/notarization.h"
#include "zk_evidence_internal.h"

struct zk_notarization {
  zki_ev ev;
  zk_notarization_info info;
  char *log;
};

static const char *const nz_fields[] = {"log", "seq", "prev", "state", "time"};
static const uint8_t zero32[32];

void zk_notarization_free(zk_notarization *n) {
  if (n == NULL) return;
  zki_ev_clear(&n->ev);
  free(n->log);
  free(n);
}

/* Parse / create through the shared evidence machinery (evidence.c). */
static zk_status load_fields(void *obj);
static void free_obj(void *obj) {
  zk_notarization_free(obj);
}
static const zki_ev_kind kind = {.type = ZK_NOTARIZATION_TYPE,
                                 .fields = nz_fields,
                                 .n_fields = ZKI_ARRAY_LEN(nz_fields),
                                 .obj_size = sizeof(zk_notarization),
                                 .load = load_fields,
                                 .free = free_obj};
_Static_assert(offsetof(zk_notarization, ev) == 0, "the zki_ev must come first");

static int is_zero32(const uint8_t d[32]) {
  return memcmp(d, zero32, 32) == 0;
}

static zk_status load_fields(void *obj) {
  zk_notarization *n = obj;
  zk_notarization_info *in = &n->info;
  ZKI_TRY(zki_ev_get_text(&n->ev, "log", &n->log, ZK_EVIDENCE_MAX_ID));
  ZKI_TRY(zki_ev_get_uint(&n->ev, "seq", &in->sequence));
  ZKI_TRY(zki_ev_get_digest(&n->ev, "prev", in->prev_digest));
  ZKI_TRY(zki_ev_get_digest(&n->ev, "state", in->state_digest));
  ZKI_TRY(zki_ev_get_uint(&n->ev, "time", &in->time_ms));
  if ((in->sequence == 0) != is_zero32(in->prev_digest)) return ZK_ERR_VALUE;
  in->log_id = n->log;
  return ZK_OK;
}

zk_status zk_notarization_parse(zk_notarization **out, const uint8_t *buf, size_t len) {
  if (out == NULL) return ZK_ERR_ARG;
  void *obj = NULL;
  zk_status s = zki_ev_parse_kind(&obj, &kind, buf, len);
  *out = obj;
  return s;
}

zk_status zk_notarization_create(zk_notarization **out, const zk_key *key,
                                 const zk_notarization_info *in) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (key == NULL || in == NULL) return ZK_ERR_ARG;
  if ((in->sequence == 0) != is_zero32(in->prev_digest)) return ZK_ERR_VALUE;
  cbor_item_t *m = zki_ev_new_payload(ZK_NOTARIZATION_TYPE);
  if (m == NULL) return ZK_ERR_NOMEM;
  zk_status s = zki_ev_put_text(m, "log", in->log_id, ZK_EVIDENCE_MAX_ID);
  if (s == ZK_OK) s = zki_ev_put_uint(m, "seq", in->sequence);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "prev", in->prev_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_bytes(m, "state", in->state_digest, 32);
  if (s == ZK_OK) s = zki_ev_put_uint(m, "time", in->time_ms);
  void *obj = NULL;
  if (s == ZK_OK) s = zki_ev_create_kind(&obj, &kind, key, m);
  cbor_decref(&m);
  *out = obj;
  return s;
}

zk_status zk_notarization_next(zk_notarization **out, const zk_key *key,
                               const zk_notarization *prev, const uint8_t state_digest[32],
                               uint64_t time_ms) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (prev == NULL || state_digest == NULL) return ZK_ERR_ARG;
  if (prev->info.sequence == UINT64_MAX) return ZK_ERR_OVERFLOW;
  if (time_ms < prev->info.time_ms) return ZK_ERR_VALUE;
  zk_notarization_info in = {
      .log_id = prev->info.log_id, .sequence = prev->info.sequence + 1, .time_ms = time_ms};
  memcpy(in.prev_digest, prev->ev.digest, 32);
  memcpy(in.state_digest, state_digest, 32);
  return zk_notarization_create(out, key, &in);
}

static zk_status check_time(uint64_t t, uint64_t now, uint64_t max_age, uint64_t skew) {
  if (t > now && t - now > skew) return ZK_ERR_EV_NOT_YET_VALID;
  if (now > t && now - t > max_age) return ZK_ERR_EV_STALE;
  return ZK_OK;
}

zk_status zk_notarization_verify(const zk_notarization *n, const zk_key *key,
                                 const char *expected_log, uint64_t now_ms, uint64_t max_age_ms,
                                 uint64_t max_skew_ms) {
  if (n == NULL || key == NULL || max_age_ms == 0) return ZK_ERR_ARG;
  ZKI_TRY(zki_ev_check_signer(&n->ev, key));
  if (expected_log != NULL && strcmp(expected_log, n->info.log_id) != 0) return ZK_ERR_CHAIN_LOG;
  return check_time(n->info.time_ms, now_ms, max_age_ms, max_skew_ms);
}

zk_status zk_notarization_serialize(const zk_notarization *n, uint8_t **out, size_t *out_len) {
  return zki_ev_serialize(n != NULL ? &n->ev : NULL, out, out_len);
}

const zk_notarization_info *zk_notarization_get_info(const zk_notarization *n) {
  return n != NULL ? &n->info : NULL;
}

zk_status zk_notarization_digest(const zk_notarization *n, uint8_t out[ZK_EVIDENCE_DIGEST_LEN]) {
  return zki_ev_copy_digest(n != NULL ? &n->ev : NULL, out);
}

/* ---- chain ---- */

/* Checks of record `cur` (index i > 0) against its predecessor. */
static zk_status link_check(const zk_notarization *prev, const zk_notarization *cur) {
  const zk_notarization_info *p = &prev->info, *c = &cur->info;
  if (strcmp(p->log_id, c->log_id) != 0) return ZK_ERR_CHAIN_LOG;
  if (c->sequence == p->sequence)
    return memcmp(cur->ev.digest, prev->ev.digest, 32) == 0 ? ZK_ERR_CHAIN_ORDER
                                                            : ZK_ERR_CHAIN_FORK;
  if (c->sequence < p->sequence) return ZK_ERR_CHAIN_ORDER;
  if (c->sequence != p->sequence + 1) return ZK_ERR_CHAIN_GAP;
  if (!zk_ct_equal(c->prev_digest, prev->ev.digest, 32)) return ZK_ERR_CHAIN_LINK;
  if (c->time_ms < p->time_ms) return ZK_ERR_CHAIN_ORDER;
  return ZK_OK;
}

/* The first record against the checkpoint (records before it are not held). */
static zk_status checkpoint_start(const zk_notarization *first, const zk_checkpoint *cp) {
  const zk_notarization_info *f = &first->info;
  if (cp->sequence >= f->sequence) return ZK_OK; /* checked when the sequence is reached */
  if (cp->sequence + 1 < f->sequence) return ZK_ERR_CHAIN_GAP;
  return zk_ct_equal(f->prev_digest, cp->digest, 32) ? ZK_OK : ZK_ERR_CHAIN_FORK;
}

zk_status zk_notarization_chain_verify(zk_chain_result *out, const uint8_t *const *records,
                                       const size_t *lens, size_t n, const zk_chain_opts *o) {
  if (out == NULL) return ZK_ERR_ARG;
  memset(out, 0, sizeof *out);
  out->failed_index = n;
  if (records == NULL || lens == NULL || n == 0 || o == NULL || o->notarizer == NULL ||
      o->max_age_ms == 0)
    return ZK_ERR_ARG;
  uint8_t kid[ZK_EVIDENCE_KID_LEN];
  zk_status s = zk_evidence_kid(kid, o->notarizer);
  if (s != ZK_OK) return s == ZK_ERR_UNSUPPORTED ? ZK_ERR_EV_SIGNER : s;

  zk_notarization *prev = NULL, *cur = NULL;
  const zk_checkpoint *cp = o->checkpoint;
  size_t i;
  for (i = 0; i < n; i++) {
    if ((s = zk_notarization_parse(&cur, records[i], lens[i])) != ZK_OK) goto fail;
    if (!zk_ct_equal(cur->ev.kid, kid, sizeof kid)) {
      s = ZK_ERR_EV_SIGNER;
      goto fail;
    }
    if (i == 0 && o->log_id != NULL && strcmp(o->log_id, cur->info.log_id) != 0) {
      s = ZK_ERR_CHAIN_LOG;
      goto fail;
    }
    if (i == 0 && cp != NULL && (s = checkpoint_start(cur, cp)) != ZK_OK) goto fail;
    if (i > 0 && (s = link_check(prev, cur)) != ZK_OK) goto fail;
    if (cp != NULL && cur->info.sequence == cp->sequence &&
        !zk_ct_equal(cur->ev.digest, cp->digest, 32)) {
      s = ZK_ERR_CHAIN_FORK;
      goto fail;
    }
    if ((o->flags & ZK_CHAIN_VERIFY_ALL) && i + 1 < n &&
        (s = zki_ev_check_signer(&cur->ev, o->notarizer)) != ZK_OK)
      goto fail;
    zk_notarization_free(prev);
    prev = cur;
    cur = NULL;
  }
  i = n - 1; /* errors below concern the head */
  if ((s = zki_ev_check_signer(&prev->ev, o->notarizer)) != ZK_OK) goto fail;
  if (cp != NULL && prev->info.sequence < cp->sequence) {
    s = ZK_ERR_CHAIN_ROLLBACK;
    goto fail;
  }
  if ((s = check_time(prev->info.time_ms, o->now_ms, o->max_age_ms, o->max_skew_ms)) != ZK_OK)
    goto fail;
  out->head.sequence = prev->info.sequence;
  memcpy(out->head.digest, prev->ev.digest, 32);
  memcpy(out->state_digest, prev->info.state_digest, 32);
  out->time_ms = prev->info.time_ms;
  out->failed_index = n;
  zk_notarization_free(prev);
  return ZK_OK;
fail:
  zk_notarization_free(prev);
  zk_notarization_free(cur);
  memset(out, 0, sizeof *out);
  out->failed_index = i;
  return s;
}
