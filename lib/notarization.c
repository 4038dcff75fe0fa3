/* Notarization records and hash-chain verification (one signature per chain). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
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

/*
 * Fast reader. The canonical record signed under the trusted kid is, byte for
 * byte (docs/formats.md sections 3 and 4; deterministic CBOR, keys in
 * encoded-byte order v, log, seq, prev, time, type, state):
 *   prefix (d2 84 bstr(protected) a0) | bstr head of the payload, shortest |
 *   a7 61 76 01 | 63 "log" text(log) | 63 "seq" uint | 64 "prev" 58 20 <32> |
 *   64 "time" uint | 64 "type" 6f "zk.notarization" | 65 "state" 58 20 <32> |
 *   58 40 <64-byte signature>
 * with uint heads in shortest form. The strict parser accepts exactly these
 * bytes (any 64 signature bytes: signatures are not checked here) and reads
 * the same fields from them.
 */
typedef struct {
  const uint8_t *p;
  size_t pos, end;
} rd;

static int rd_lit(rd *r, const void *lit, size_t n) {
  if (r->end - r->pos < n || memcmp(r->p + r->pos, lit, n) != 0) return 0;
  r->pos += n;
  return 1;
}

/* Head of major type `major` in shortest form (the argument fits in 64 bits). */
static int rd_head(rd *r, unsigned major, uint64_t *v) {
  static const uint64_t min_for[4] = {24, 0x100, 0x10000, 0x100000000ull};
  if (r->pos >= r->end || (r->p[r->pos] >> 5) != major) return 0;
  unsigned ai = r->p[r->pos] & 0x1fu;
  if (ai < 24) {
    *v = ai;
    r->pos++;
    return 1;
  }
  if (ai > 27) return 0;
  size_t n = (size_t)1 << (ai - 24);
  if (r->end - r->pos - 1 < n) return 0;
  uint64_t x = 0;
  for (size_t k = 0; k < n; k++) x = (x << 8) | r->p[r->pos + 1 + k];
  if (x < min_for[ai - 24]) return 0;
  r->pos += 1 + n;
  *v = x;
  return 1;
}

static int rd_digest(rd *r, const char *key_enc, size_t key_len, uint8_t out[32]) {
  if (!rd_lit(r, key_enc, key_len) || !rd_lit(r, "\x58\x20", 2) || r->end - r->pos < 32) return 0;
  memcpy(out, r->p + r->pos, 32);
  r->pos += 32;
  return 1;
}

int zki_notarization_fast_read(zki_nz_view *out, const zki_nz_fast *fx, const char *log,
                               size_t log_len, const uint8_t *buf, size_t len) {
  if (out == NULL || fx == NULL || log == NULL || buf == NULL || len > ZK_EVIDENCE_MAX_LEN)
    return 0;
  rd r = {buf, 0, len};
  uint64_t pl, tl;
  if (!rd_lit(&r, fx->prefix, fx->prefix_len) || !rd_head(&r, 2, &pl)) return 0;
  /* payload, then exactly 58 40 <64 bytes> */
  if (r.end - r.pos < 66 || pl != r.end - r.pos - 66) return 0;
  if (memcmp(buf + r.pos + pl, "\x58\x40", 2) != 0) return 0;
  r.end = r.pos + (size_t)pl;
  if (!rd_lit(&r, "\xa7\x61v\x01\x63log", 8) || !rd_head(&r, 3, &tl) || tl != log_len ||
      !rd_lit(&r, log, log_len))
    return 0;
  if (!rd_lit(&r, "\x63seq", 4) || !rd_head(&r, 0, &out->sequence)) return 0;
  if (!rd_digest(&r, "\x64prev", 5, out->prev_digest)) return 0;
  if (!rd_lit(&r, "\x64time", 5) || !rd_head(&r, 0, &out->time_ms)) return 0;
  if (!rd_lit(&r, "\x64type\x6f" ZK_NOTARIZATION_TYPE, 21)) return 0;
  if (!rd_digest(&r, "\x65state", 6, out->state_digest) || r.pos != r.end) return 0;
  /* load_fields: prev is zero exactly for sequence 0 (else ZK_ERR_VALUE there) */
  if ((out->sequence == 0) != is_zero32(out->prev_digest)) return 0;
  return zk_sha256(out->digest, buf, len) == ZK_OK;
}

/* What the chain walk keeps of a record. */
typedef struct {
  zki_nz_view v;
  char log[ZK_EVIDENCE_MAX_ID];
  size_t log_len;
} chain_rec;

static void rec_from(chain_rec *r, const zk_notarization *n) {
  const zk_notarization_info *in = &n->info;
  r->v.sequence = in->sequence;
  r->v.time_ms = in->time_ms;
  memcpy(r->v.prev_digest, in->prev_digest, 32);
  memcpy(r->v.state_digest, in->state_digest, 32);
  memcpy(r->v.digest, n->ev.digest, 32);
  r->log_len = strlen(in->log_id); /* 1..ZK_EVIDENCE_MAX_ID (load_fields) */
  memcpy(r->log, in->log_id, r->log_len);
}

/* Checks of record `cur` (index i > 0) against its predecessor. */
static zk_status link_check(const chain_rec *prev, const chain_rec *cur) {
  const zki_nz_view *p = &prev->v, *c = &cur->v;
  if (prev->log_len != cur->log_len || memcmp(prev->log, cur->log, cur->log_len) != 0)
    return ZK_ERR_CHAIN_LOG;
  if (c->sequence == p->sequence)
    return memcmp(c->digest, p->digest, 32) == 0 ? ZK_ERR_CHAIN_ORDER : ZK_ERR_CHAIN_FORK;
  if (c->sequence < p->sequence) return ZK_ERR_CHAIN_ORDER;
  if (c->sequence != p->sequence + 1) return ZK_ERR_CHAIN_GAP;
  if (!zk_ct_equal(c->prev_digest, p->digest, 32)) return ZK_ERR_CHAIN_LINK;
  if (c->time_ms < p->time_ms) return ZK_ERR_CHAIN_ORDER;
  return ZK_OK;
}

/* The first record against the checkpoint (records before it are not held). */
static zk_status checkpoint_start(const chain_rec *first, const zk_checkpoint *cp) {
  const zki_nz_view *f = &first->v;
  if (cp->sequence >= f->sequence) return ZK_OK; /* checked when the sequence is reached */
  if (cp->sequence + 1 < f->sequence) return ZK_ERR_CHAIN_GAP;
  return zk_ct_equal(f->prev_digest, cp->digest, 32) ? ZK_OK : ZK_ERR_CHAIN_FORK;
}

/*
 * Records whose signature is not checked (all but the head, unless
 * ZK_CHAIN_VERIFY_ALL) are first offered to the fast reader, which recognises
 * only bytes the strict parser accepts with the trusted kid and the
 * predecessor's log id, and reads the same fields; anything else is parsed
 * strictly, so statuses do not depend on which path ran.
 */
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
  zki_nz_fast fx;
  if ((s = zki_ev_envelope_prefix(fx.prefix, &fx.prefix_len, o->notarizer)) != ZK_OK)
    return s == ZK_ERR_UNSUPPORTED ? ZK_ERR_EV_SIGNER : s;

  chain_rec recs[2];
  chain_rec *prev = &recs[0], *cur = &recs[1];
  zk_notarization *obj = NULL;
  const zk_checkpoint *cp = o->checkpoint;
  const int all = (o->flags & ZK_CHAIN_VERIFY_ALL) != 0;
  size_t i;
  for (i = 0; i < n; i++) {
    const int fast =
        i > 0 && i + 1 < n && !all &&
        zki_notarization_fast_read(&cur->v, &fx, prev->log, prev->log_len, records[i], lens[i]);
    if (fast) {
      memcpy(cur->log, prev->log, prev->log_len);
      cur->log_len = prev->log_len;
    } else {
      if ((s = zk_notarization_parse(&obj, records[i], lens[i])) != ZK_OK) goto fail;
      if (!zk_ct_equal(obj->ev.kid, kid, sizeof kid)) {
        s = ZK_ERR_EV_SIGNER;
        goto fail;
      }
      rec_from(cur, obj);
    }
    if (i == 0 && o->log_id != NULL &&
        (strlen(o->log_id) != cur->log_len || memcmp(o->log_id, cur->log, cur->log_len) != 0)) {
      s = ZK_ERR_CHAIN_LOG;
      goto fail;
    }
    if (i == 0 && cp != NULL && (s = checkpoint_start(cur, cp)) != ZK_OK) goto fail;
    if (i > 0 && (s = link_check(prev, cur)) != ZK_OK) goto fail;
    if (cp != NULL && cur->v.sequence == cp->sequence &&
        !zk_ct_equal(cur->v.digest, cp->digest, 32)) {
      s = ZK_ERR_CHAIN_FORK;
      goto fail;
    }
    if (all && i + 1 < n && (s = zki_ev_check_signer(&obj->ev, o->notarizer)) != ZK_OK) goto fail;
    if (i + 1 < n) {
      zk_notarization_free(obj);
      obj = NULL;
    }
    chain_rec *t = prev;
    prev = cur;
    cur = t;
  }
  i = n - 1; /* errors below concern the head, parsed strictly into obj */
  if ((s = zki_ev_check_signer(&obj->ev, o->notarizer)) != ZK_OK) goto fail;
  if (cp != NULL && obj->info.sequence < cp->sequence) {
    s = ZK_ERR_CHAIN_ROLLBACK;
    goto fail;
  }
  if ((s = check_time(obj->info.time_ms, o->now_ms, o->max_age_ms, o->max_skew_ms)) != ZK_OK)
    goto fail;
  out->head.sequence = obj->info.sequence;
  memcpy(out->head.digest, obj->ev.digest, 32);
  memcpy(out->state_digest, obj->info.state_digest, 32);
  out->time_ms = obj->info.time_ms;
  out->failed_index = n;
  zk_notarization_free(obj);
  return ZK_OK;
fail:
  zk_notarization_free(obj);
  memset(out, 0, sizeof *out);
  out->failed_index = i;
  return s;
}
