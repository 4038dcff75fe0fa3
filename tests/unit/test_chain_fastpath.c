/*
 * Chain verification fast path (lib/notarization.c, zki_notarization_fast_read)
 * against the strict path: the chain verifier must return exactly what the
 * record-by-record strict algorithm (zk_notarization_parse, kid, links, head
 * signature and freshness) returns: same status, same failed_index, same
 * result. Checked on valid chains over every evidence curve, log id length and
 * integer width, and on every single-byte mutation and truncation of every
 * record; every record the fast reader recognises must also parse strictly to
 * the same fields.
 */
#include <stdio.h>

#include "zerokey/notarization.h"
#include "zk_evidence_internal.h"
#include "zkt_evidence.h"

#define NR 4

typedef struct {
  uint8_t *b[NR];
  size_t l[NR];
} chain_t;

/* ---- reference: the strict record-by-record algorithm ---- */

static zk_status ref_parse(zk_notarization **out, const uint8_t *b, size_t l,
                           const uint8_t kid[32]) {
  zk_status s = zk_notarization_parse(out, b, l);
  if (s != ZK_OK) return s;
  zk_cose_sign1 *c = NULL;
  zkt_assert_ok(zk_cose_sign1_parse(&c, b, l, NULL));
  size_t kl = 0;
  const uint8_t *k = zk_cose_sign1_kid(c, &kl);
  int same = k != NULL && kl == 32 && memcmp(k, kid, 32) == 0;
  zk_cose_sign1_free(c);
  return same ? ZK_OK : ZK_ERR_EV_SIGNER;
}

static zk_status ref_link(const zk_notarization *p, const zk_notarization *c) {
  const zk_notarization_info *pi = zk_notarization_get_info(p), *ci = zk_notarization_get_info(c);
  uint8_t pd[32], cd[32];
  zkt_assert_ok(zk_notarization_digest(p, pd));
  zkt_assert_ok(zk_notarization_digest(c, cd));
  if (strcmp(pi->log_id, ci->log_id) != 0) return ZK_ERR_CHAIN_LOG;
  if (ci->sequence == pi->sequence)
    return memcmp(cd, pd, 32) == 0 ? ZK_ERR_CHAIN_ORDER : ZK_ERR_CHAIN_FORK;
  if (ci->sequence < pi->sequence) return ZK_ERR_CHAIN_ORDER;
  if (ci->sequence != pi->sequence + 1) return ZK_ERR_CHAIN_GAP;
  if (memcmp(ci->prev_digest, pd, 32) != 0) return ZK_ERR_CHAIN_LINK;
  if (ci->time_ms < pi->time_ms) return ZK_ERR_CHAIN_ORDER;
  return ZK_OK;
}

/* Returns the status; fills *res as the chain verifier does (failed_index, result). */
static zk_status ref_chain(zk_chain_result *res, const uint8_t *const *b, const size_t *l, size_t n,
                           const zk_chain_opts *o) {
  memset(res, 0, sizeof *res);
  uint8_t kid[32];
  zkt_assert_ok(zk_evidence_kid(kid, o->notarizer));
  const zk_checkpoint *cp = o->checkpoint;
  zk_notarization *prev = NULL, *cur = NULL;
  zk_status s = ZK_OK;
  size_t i;
  for (i = 0; i < n; i++) {
    if ((s = ref_parse(&cur, b[i], l[i], kid)) != ZK_OK) goto fail;
    const zk_notarization_info *ci = zk_notarization_get_info(cur);
    uint8_t cd[32];
    zkt_assert_ok(zk_notarization_digest(cur, cd));
    if (i == 0 && o->log_id != NULL && strcmp(o->log_id, ci->log_id) != 0) {
      s = ZK_ERR_CHAIN_LOG;
      goto fail;
    }
    if (i == 0 && cp != NULL && cp->sequence < ci->sequence) {
      if (cp->sequence + 1 < ci->sequence)
        s = ZK_ERR_CHAIN_GAP;
      else if (memcmp(ci->prev_digest, cp->digest, 32) != 0)
        s = ZK_ERR_CHAIN_FORK;
      if (s != ZK_OK) goto fail;
    }
    if (i > 0 && (s = ref_link(prev, cur)) != ZK_OK) goto fail;
    if (cp != NULL && ci->sequence == cp->sequence && memcmp(cd, cp->digest, 32) != 0) {
      s = ZK_ERR_CHAIN_FORK;
      goto fail;
    }
    zk_notarization_free(prev);
    prev = cur;
    cur = NULL;
  }
  i = n - 1;
  /* head: signature only (huge age / skew), then rollback, then freshness */
  if ((s = zk_notarization_verify(prev, o->notarizer, NULL, 0, UINT64_MAX, UINT64_MAX)) != ZK_OK)
    goto fail;
  const zk_notarization_info *h = zk_notarization_get_info(prev);
  if (cp != NULL && h->sequence < cp->sequence) {
    s = ZK_ERR_CHAIN_ROLLBACK;
    goto fail;
  }
  if ((s = zk_notarization_verify(prev, o->notarizer, NULL, o->now_ms, o->max_age_ms,
                                  o->max_skew_ms)) != ZK_OK)
    goto fail;
  res->head.sequence = h->sequence;
  zkt_assert_ok(zk_notarization_digest(prev, res->head.digest));
  memcpy(res->state_digest, h->state_digest, 32);
  res->time_ms = h->time_ms;
  res->failed_index = n;
  zk_notarization_free(prev);
  return ZK_OK;
fail:
  zk_notarization_free(prev);
  zk_notarization_free(cur);
  memset(res, 0, sizeof *res);
  res->failed_index = i;
  return s;
}

/* The chain verifier and the reference agree (status, failed_index, result). */
static zk_status agree(const uint8_t *const *b, const size_t *l, size_t n, const zk_chain_opts *o) {
  zk_chain_result got, want;
  zk_status s = zk_notarization_chain_verify(&got, b, l, n, o);
  zk_status w = ref_chain(&want, b, l, n, o);
  if (s != w || memcmp(&got, &want, sizeof got) != 0)
    fail_msg("chain verifier %s (index %zu), strict reference %s (index %zu)", zk_status_name(s),
             got.failed_index, zk_status_name(w), want.failed_index);
  return s;
}

/* Fast reader soundness on any bytes: recognised => strict parse, same fields. */
static int fast_sound(const zk_key *notarizer, const char *log, const uint8_t *b, size_t l) {
  zki_nz_fast fx;
  zkt_assert_ok(zki_ev_envelope_prefix(fx.prefix, &fx.prefix_len, notarizer));
  zki_nz_view v;
  if (!zki_notarization_fast_read(&v, &fx, log, strlen(log), b, l)) return 0;
  uint8_t kid[32], d[32];
  zkt_assert_ok(zk_evidence_kid(kid, notarizer));
  zk_notarization *r = NULL;
  zkt_assert_ok(ref_parse(&r, b, l, kid));
  const zk_notarization_info *in = zk_notarization_get_info(r);
  zkt_assert_ok(zk_notarization_digest(r, d));
  assert_string_equal(in->log_id, log);
  assert_true(in->sequence == v.sequence && in->time_ms == v.time_ms);
  assert_memory_equal(in->prev_digest, v.prev_digest, 32);
  assert_memory_equal(in->state_digest, v.state_digest, 32);
  assert_memory_equal(d, v.digest, 32);
  zk_notarization_free(r);
  return 1;
}

/* ---- chains ---- */

static void build(chain_t *c, const zk_key *key, const char *log, uint64_t seq0, uint64_t t0) {
  zk_notarization_info in = {.log_id = log, .sequence = seq0, .time_ms = t0};
  memset(in.prev_digest, seq0 == 0 ? 0 : 0xab, 32);
  zkte_fill(in.state_digest, 0x10);
  zk_notarization *r = NULL;
  zkt_assert_ok(zk_notarization_create(&r, key, &in));
  zkt_assert_ok(zk_notarization_serialize(r, &c->b[0], &c->l[0]));
  for (size_t i = 1; i < NR; i++) {
    uint8_t st[32];
    zkte_fill(st, (uint8_t)(0x10 + i));
    zk_notarization *nx = NULL;
    zkt_assert_ok(zk_notarization_next(&nx, key, r, st, t0 + i));
    zk_notarization_free(r);
    r = nx;
    zkt_assert_ok(zk_notarization_serialize(r, &c->b[i], &c->l[i]));
  }
  zk_notarization_free(r);
}

static void drop(chain_t *c) {
  for (size_t i = 0; i < NR; i++) zk_free(c->b[i]);
}

static zk_chain_opts opts_for(const zk_key *key, uint64_t t0) {
  zk_chain_opts o = {
      .notarizer = key, .now_ms = t0 + NR - 1, .max_age_ms = 60000, .max_skew_ms = 1000};
  return o;
}

static char *text(size_t n, char ch) {
  char *s = malloc(n + 1);
  assert_non_null(s);
  memset(s, ch, n);
  s[n] = 0;
  return s;
}

static const zk_curve curves[] = {ZK_CURVE_ED25519, ZK_CURVE_P256, ZK_CURVE_SECP256K1};
static const size_t log_lens[] = {1, 5, 23, 24, 255, 256};
/* start values whose +1..+3 cross every CBOR integer width */
static const uint64_t starts[] = {0, 21, 253, 65533, 0xfffffffdull, UINT64_MAX - NR + 1};

static void test_valid_chains_take_fast_path(void **state) {
  (void)state;
  unsigned long chains = 0, fast = 0;
  for (size_t k = 0; k < ZKI_ARRAY_LEN(curves); k++) {
    zk_key *key = zkte_key(curves[k], 0x61);
    for (size_t g = 0; g < ZKI_ARRAY_LEN(log_lens); g++) {
      char *log = text(log_lens[g], 'a' + (char)g);
      for (size_t x = 0; x < ZKI_ARRAY_LEN(starts); x++) {
        uint64_t seq0 = starts[x], t0 = starts[(x + g) % ZKI_ARRAY_LEN(starts)];
        chain_t c;
        build(&c, key, log, seq0, t0);
        zk_chain_opts o = opts_for(key, t0);
        o.log_id = log;
        zkt_assert_ok(agree((const uint8_t *const *)c.b, c.l, NR, &o));
        o.flags = ZK_CHAIN_VERIFY_ALL;
        zkt_assert_ok(agree((const uint8_t *const *)c.b, c.l, NR, &o));
        /* every record is recognised (the chain walk offers it records 1..n-2) */
        for (size_t i = 0; i < NR; i++) {
          assert_true(fast_sound(key, log, c.b[i], c.l[i]));
          fast++;
        }
        /* not under another key or another log */
        zk_key *other = zkte_key(curves[(k + 1) % ZKI_ARRAY_LEN(curves)], 0x62);
        assert_false(fast_sound(other, log, c.b[1], c.l[1]));
        o.notarizer = other;
        o.flags = 0;
        zkt_assert_status(agree((const uint8_t *const *)c.b, c.l, NR, &o), ZK_ERR_EV_SIGNER);
        zk_key_free(other);
        char *log2 = text(log_lens[g], 'z');
        assert_false(fast_sound(key, log2, c.b[1], c.l[1]));
        free(log2);
        drop(&c);
        chains++;
      }
      free(log);
    }
    zk_key_free(key);
  }
  printf(
      "FASTPATH valid chains: %lu chains, %lu records recognised and equal to the strict parse\n",
      chains, fast);
}

typedef struct {
  const zk_chain_opts *o;
  const zk_key *key;
  const char *log;
  chain_t *c;
  size_t idx;
  unsigned long tried, rejected, recognised;
} mut_ctx;

static void one(mut_ctx *m, const uint8_t *buf, size_t len) {
  const uint8_t *b[NR];
  size_t l[NR];
  for (size_t i = 0; i < NR; i++) {
    b[i] = m->c->b[i];
    l[i] = m->c->l[i];
  }
  b[m->idx] = buf;
  l[m->idx] = len;
  m->tried++;
  m->recognised += (unsigned long)fast_sound(m->key, m->log, buf, len);
  zk_status s = agree(b, l, NR, m->o);
  if (s != ZK_OK)
    m->rejected++;
  else
    fail_msg("mutation of record %zu (len %zu) accepted", m->idx, len);
}

/* Every bit flip, 0x00 / 0xff at every byte, every truncation, one trailing byte
 * (every stride-th byte / length with ZK_TEST_QUICK). */
static void mutate_all(mut_ctx *m) {
  const uint8_t *orig = m->c->b[m->idx];
  size_t len = m->c->l[m->idx];
  uint8_t *x = malloc(len + 1);
  assert_non_null(x);
  memcpy(x, orig, len);
  size_t stride = zkt_stride(len); /* 1 unless ZK_TEST_QUICK */
  for (size_t i = 0; i < len; i += stride) {
    for (unsigned bit = 0; bit < 8; bit++) {
      x[i] ^= (uint8_t)(1u << bit);
      one(m, x, len);
      x[i] = orig[i];
    }
    static const uint8_t set[] = {0x00, 0xff};
    for (size_t k = 0; k < sizeof set; k++) {
      if (orig[i] == set[k]) continue;
      x[i] = set[k];
      one(m, x, len);
      x[i] = orig[i];
    }
  }
  for (size_t t = 0; t < len; t += stride) one(m, orig, t);
  x[len] = 0;
  one(m, x, len + 1);
  free(x);
}

static void test_mutations_agree(void **state) {
  (void)state;
  static const struct {
    zk_curve curve;
    size_t log_len;
    uint64_t seq0, t0;
  } cfg[] = {
      {ZK_CURVE_ED25519, 5, 0, 1700000000000ull},
      {ZK_CURVE_SECP256K1, 24, 253, 65533},
      {ZK_CURVE_P256, 256, 0xfffffffdull, 21},
  };
  for (size_t k = 0; k < ZKI_ARRAY_LEN(cfg); k++) {
    zk_key *key = zkte_key(cfg[k].curve, 0x63);
    char *log = text(cfg[k].log_len, 'q');
    chain_t c;
    build(&c, key, log, cfg[k].seq0, cfg[k].t0);
    zk_chain_opts o = opts_for(key, cfg[k].t0);
    o.log_id = log;
    zk_checkpoint cp = {.sequence = cfg[k].seq0 + 1};
    zkt_assert_ok(zk_evidence_digest(cp.digest, c.b[1], c.l[1]));
    for (int with_cp = 0; with_cp < 2; with_cp++) {
      o.checkpoint = with_cp ? &cp : NULL;
      for (size_t i = 0; i < NR; i++) {
        mut_ctx m = {.o = &o, .key = key, .log = log, .c = &c, .idx = i};
        zkt_assert_ok(agree((const uint8_t *const *)c.b, c.l, NR, &o));
        mutate_all(&m);
        assert_int_equal(m.tried, m.rejected);
        char suite[96];
        snprintf(suite, sizeof suite,
                 "chain fast path = strict (curve %d, log %zu, cp %d, rec %zu)", (int)cfg[k].curve,
                 cfg[k].log_len, with_cp, i);
        zkt_report_mutations(suite, m.tried, m.rejected);
        printf("  of which recognised by the fast reader (and equal to the strict parse): %lu\n",
               m.recognised);
      }
    }
    drop(&c);
    free(log);
    zk_key_free(key);
  }
}

/* Records the fast reader does not recognise but the strict path accepts. */
static void test_fallback_cases(void **state) {
  (void)state;
  zk_key *ed = zkte_key(ZK_CURVE_ED25519, 0x64), *p256 = zkte_key(ZK_CURVE_P256, 0x65);
  chain_t c;
  build(&c, ed, "org-1", 7, 1000);
  zk_chain_opts o = opts_for(ed, 1000);
  /* record 1 re-made as a COSE message signed by a P-256 key under the Ed25519
   * kid: canonical, never checked (not the head), accepted by both paths */
  zk_cose_sign1 *cs = NULL;
  zkt_assert_ok(zk_cose_sign1_parse(&cs, c.b[1], c.l[1], NULL));
  size_t pl;
  const uint8_t *p = zk_cose_sign1_payload(cs, &pl);
  uint8_t kid[32], *alt = NULL;
  size_t alt_len;
  zkt_assert_ok(zk_evidence_kid(kid, ed));
  zkt_assert_ok(
      zk_cose_sign1_create(&alt, &alt_len, p256, kid, 32, p, pl, NULL, 0, ZK_COSE_TAGGED));
  zk_cose_sign1_free(cs);
  assert_false(fast_sound(ed, "org-1", alt, alt_len));
  chain_t d = {{c.b[0], alt}, {c.l[0], alt_len}};
  zk_notarization *r = NULL;
  zkt_assert_ok(zk_notarization_parse(&r, alt, alt_len));
  for (size_t i = 2; i < NR; i++) { /* records 2, 3 extend the P-256-signed record */
    uint8_t st[32];
    zk_notarization *nx = NULL;
    zkte_fill(st, (uint8_t)i);
    zkt_assert_ok(zk_notarization_next(&nx, ed, r, st, 1000 + i));
    zk_notarization_free(r);
    r = nx;
    zkt_assert_ok(zk_notarization_serialize(r, &d.b[i], &d.l[i]));
  }
  zk_notarization_free(r);
  zkt_assert_ok(agree((const uint8_t *const *)d.b, d.l, NR, &o));
  o.flags = ZK_CHAIN_VERIFY_ALL;
  zk_chain_result res;
  zkt_assert_status(zk_notarization_chain_verify(&res, (const uint8_t *const *)d.b, d.l, NR, &o),
                    ZK_ERR_COSE_ALG);
  assert_int_equal(res.failed_index, 1);
  for (size_t i = 1; i < NR; i++) zk_free(d.b[i]);
  /* NULL record and empty record in the middle: the strict statuses */
  o.flags = 0;
  const uint8_t *b[NR] = {c.b[0], NULL, c.b[2], c.b[3]};
  size_t l[NR] = {c.l[0], c.l[1], c.l[2], c.l[3]};
  zkt_assert_status(zk_notarization_chain_verify(&res, b, l, NR, &o), ZK_ERR_ARG);
  assert_int_equal(res.failed_index, 1);
  b[1] = c.b[1];
  l[1] = 0;
  assert_true(agree(b, l, NR, &o) != ZK_OK);
  drop(&c);
  zk_key_free(ed);
  zk_key_free(p256);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_chains_take_fast_path),
      cmocka_unit_test(test_mutations_agree),
      cmocka_unit_test(test_fallback_cases),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
