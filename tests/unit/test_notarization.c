/* Notarization records and chains: gaps, forks, reordering, forgery, rollback, freshness. */
#include <stdio.h>

#include "zerokey/merkle.h"
#include "zerokey/notarization.h"
#include "zk_cbor.h"
#include "zkt_evidence.h"

#define NREC 24
#define T0 1700000000000ull

typedef struct {
  uint8_t *b[NREC + 8];
  size_t l[NREC + 8];
  size_t n;
} chain_t;

static zk_key *notarizer, *other;

static int setup(void **state) {
  (void)state;
  notarizer = zkte_key(ZK_CURVE_ED25519, 0x51);
  other = zkte_key(ZK_CURVE_ED25519, 0x52);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  zk_key_free(notarizer);
  zk_key_free(other);
  return 0;
}

static void push(chain_t *c, const zk_notarization *r) {
  zkt_assert_ok(zk_notarization_serialize(r, &c->b[c->n], &c->l[c->n]));
  c->n++;
}

/* Build records [first, first + count) of log "org-1", state i = fill(i). */
static void build(chain_t *c, const zk_key *key, size_t count) {
  memset(c, 0, sizeof *c);
  zk_notarization_info in = {.log_id = "org-1", .sequence = 0, .time_ms = T0};
  zkte_fill(in.state_digest, 0);
  zk_notarization *r = NULL;
  zkt_assert_ok(zk_notarization_create(&r, key, &in));
  push(c, r);
  for (size_t i = 1; i < count; i++) {
    uint8_t st[32];
    zkte_fill(st, (uint8_t)i);
    zk_notarization *nx = NULL;
    zkt_assert_ok(zk_notarization_next(&nx, key, r, st, T0 + 1000 * i));
    zk_notarization_free(r);
    r = nx;
    push(c, r);
  }
  zk_notarization_free(r);
}

static void drop(chain_t *c) {
  for (size_t i = 0; i < c->n; i++) zk_free(c->b[i]);
  c->n = 0;
}

static zk_chain_opts opts(void) {
  zk_chain_opts o = {.notarizer = notarizer,
                     .log_id = "org-1",
                     .now_ms = T0 + 1000 * (NREC - 1) + 500,
                     .max_age_ms = 60000,
                     .max_skew_ms = 1000};
  return o;
}

static zk_status verify(const uint8_t *const *b, const size_t *l, size_t n, const zk_chain_opts *o,
                        zk_chain_result *res) {
  zk_chain_result local;
  return zk_notarization_chain_verify(res != NULL ? res : &local, b, l, n, o);
}

/* A record with arbitrary fields, signed by key but carrying kid_key's kid. */
static uint8_t *forge(const zk_key *key, const zk_key *kid_key, const zk_notarization_info *in,
                      size_t *len) {
  cbor_item_t *m = cbor_new_indefinite_map();
  zkt_assert_ok(zki_cbor_map_put_str(m, "type", zki_cbor_new_text(ZK_NOTARIZATION_TYPE)));
  zkt_assert_ok(zki_cbor_map_put_str(m, "v", cbor_build_uint8(1)));
  zkt_assert_ok(zki_cbor_map_put_str(m, "log", zki_cbor_new_text(in->log_id)));
  zkt_assert_ok(zki_cbor_map_put_str(m, "seq", cbor_build_uint64(in->sequence)));
  zkt_assert_ok(zki_cbor_map_put_str(m, "prev", zki_cbor_new_bytes(in->prev_digest, 32)));
  zkt_assert_ok(zki_cbor_map_put_str(m, "state", zki_cbor_new_bytes(in->state_digest, 32)));
  zkt_assert_ok(zki_cbor_map_put_str(m, "time", cbor_build_uint64(in->time_ms)));
  uint8_t *p, kid[32], *out;
  size_t pl;
  zkt_assert_ok(zki_cbor_encode(&p, &pl, m));
  cbor_decref(&m);
  zkt_assert_ok(zk_evidence_kid(kid, kid_key));
  zkt_assert_ok(zk_cose_sign1_create(&out, len, key, kid, 32, p, pl, NULL, 0, ZK_COSE_TAGGED));
  free(p);
  return out;
}

static void digest_of(uint8_t d[32], const uint8_t *b, size_t l) {
  zkt_assert_ok(zk_evidence_digest(d, b, l));
}

/* A validly signed record 8 of `log` whose prev is record `after` of chain c (zk_free). */
static uint8_t *record8(const chain_t *c, size_t after, const char *log, uint64_t time,
                        uint8_t state, size_t *len) {
  zk_notarization_info in = {.log_id = log, .sequence = 8, .time_ms = time};
  digest_of(in.prev_digest, c->b[after], c->l[after]);
  zkte_fill(in.state_digest, state);
  zk_notarization *r = NULL;
  uint8_t *x;
  zkt_assert_ok(zk_notarization_create(&r, notarizer, &in));
  zkt_assert_ok(zk_notarization_serialize(r, &x, len));
  zk_notarization_free(r);
  return x;
}

static void test_valid_chain(void **state) {
  (void)state;
  chain_t c;
  build(&c, notarizer, NREC);
  zk_chain_opts o = opts();
  zk_chain_result res;
  zkt_assert_ok(verify((const uint8_t *const *)c.b, c.l, c.n, &o, &res));
  assert_int_equal(res.head.sequence, NREC - 1);
  uint8_t d[32];
  digest_of(d, c.b[NREC - 1], c.l[NREC - 1]);
  assert_memory_equal(res.head.digest, d, 32);
  assert_int_equal(res.state_digest[0], NREC - 1);
  assert_int_equal(res.time_ms, T0 + 1000 * (NREC - 1));
  assert_int_equal(res.failed_index, NREC);
  o.flags = ZK_CHAIN_VERIFY_ALL;
  zkt_assert_ok(verify((const uint8_t *const *)c.b, c.l, c.n, &o, NULL));
  /* A suffix verifies against a checkpoint inside it, at its start, or right before it. */
  zk_checkpoint cp = {.sequence = 9};
  digest_of(cp.digest, c.b[9], c.l[9]);
  o = opts();
  o.checkpoint = &cp;
  zkt_assert_ok(verify((const uint8_t *const *)c.b + 5, c.l + 5, c.n - 5, &o, NULL));
  zkt_assert_ok(verify((const uint8_t *const *)c.b + 9, c.l + 9, c.n - 9, &o, NULL));
  zkt_assert_ok(verify((const uint8_t *const *)c.b + 10, c.l + 10, c.n - 10, &o, NULL));
  /* The head alone, checkpoint = head. */
  cp.sequence = NREC - 1;
  digest_of(cp.digest, c.b[NREC - 1], c.l[NREC - 1]);
  zkt_assert_ok(verify((const uint8_t *const *)c.b + NREC - 1, c.l + NREC - 1, 1, &o, NULL));
  /* Single-record verification. */
  zk_notarization *r = NULL;
  zkt_assert_ok(zk_notarization_parse(&r, c.b[3], c.l[3]));
  zkt_assert_ok(zk_notarization_verify(r, notarizer, "org-1", T0 + 3000, 1, 0));
  zkt_assert_status(zk_notarization_verify(r, notarizer, "org-1", T0 + 3002, 1, 0),
                    ZK_ERR_EV_STALE);
  zkt_assert_status(zk_notarization_verify(r, notarizer, "org-1", T0 + 2000, 60000, 999),
                    ZK_ERR_EV_NOT_YET_VALID);
  zkt_assert_status(zk_notarization_verify(r, notarizer, "org-2", T0 + 3000, 1, 0),
                    ZK_ERR_CHAIN_LOG);
  zkt_assert_status(zk_notarization_verify(r, other, NULL, T0 + 3000, 1, 0), ZK_ERR_EV_SIGNER);
  zkt_assert_status(zk_notarization_verify(r, notarizer, NULL, T0 + 3000, 0, 0), ZK_ERR_ARG);
  const zk_notarization_info *in = zk_notarization_get_info(r);
  assert_int_equal(in->sequence, 3);
  assert_string_equal(in->log_id, "org-1");
  digest_of(d, c.b[2], c.l[2]);
  assert_memory_equal(in->prev_digest, d, 32);
  zk_notarization_free(r);
  drop(&c);
}

static void test_chain_failures(void **state) {
  (void)state;
  chain_t c;
  build(&c, notarizer, NREC);
  zk_chain_opts o = opts();
  zk_chain_result res;
  const uint8_t *b[NREC + 4];
  size_t l[NREC + 4];
  unsigned long cases = 0;
#define EXPECT(n_, want, idx)                                                                    \
  do {                                                                                           \
    zk_status s_ = verify(b, l, (n_), &o, &res);                                                 \
    if (s_ != (want))                                                                            \
      fail_msg("line %d: got %s want %s", __LINE__, zk_status_name(s_), zk_status_name(want));   \
    if ((size_t)(idx) != res.failed_index)                                                       \
      fail_msg("line %d: failed_index %zu want %zu", __LINE__, res.failed_index, (size_t)(idx)); \
    assert_int_equal(res.head.sequence, 0);                                                      \
    cases++;                                                                                     \
  } while (0)
#define RESET()                               \
  do {                                        \
    memcpy(b, c.b, sizeof(uint8_t *) * NREC); \
    memcpy(l, c.l, sizeof(size_t) * NREC);    \
    o = opts();                               \
  } while (0)

  /* gap: record 5 missing */
  RESET();
  memmove(b + 5, b + 6, sizeof(b[0]) * (NREC - 6));
  memmove(l + 5, l + 6, sizeof(l[0]) * (NREC - 6));
  EXPECT(NREC - 1, ZK_ERR_CHAIN_GAP, 5);
  /* reordering: two records swapped -> the first out-of-place record is a gap or order */
  RESET();
  b[7] = c.b[8], l[7] = c.l[8], b[8] = c.b[7], l[8] = c.l[7];
  EXPECT(NREC, ZK_ERR_CHAIN_GAP, 7);
  RESET();
  b[8] = c.b[7], l[8] = c.l[7]; /* 0..7,7 : duplicate */
  EXPECT(9, ZK_ERR_CHAIN_ORDER, 8);
  RESET();
  b[8] = c.b[6], l[8] = c.l[6]; /* 0..7,6 : backwards */
  EXPECT(9, ZK_ERR_CHAIN_ORDER, 8);
  /* time going backwards with a correct link */
  {
    RESET();
    size_t xl;
    uint8_t *x = record8(&c, 7, "org-1", T0 + 6000, 8, &xl);
    b[8] = x, l[8] = xl;
    EXPECT(9, ZK_ERR_CHAIN_ORDER, 8);
    zk_free(x);
  }
  /* fork: a different, validly signed record 8' after 7 */
  size_t fork8_len;
  uint8_t *fork8 = record8(&c, 7, "org-1", T0 + 8000, 0xf8, &fork8_len);
  RESET();
  b[9] = fork8, l[9] = fork8_len; /* 0..8, 8' */
  EXPECT(10, ZK_ERR_CHAIN_FORK, 9);
  /* the fork alone is a valid chain... but not against a checkpoint at 8 or later */
  RESET();
  b[8] = fork8, l[8] = fork8_len;
  o.now_ms = T0 + 8000;
  zkt_assert_ok(verify(b, l, 9, &o, &res));
  zk_checkpoint cp = {.sequence = 8};
  digest_of(cp.digest, c.b[8], c.l[8]);
  o.checkpoint = &cp;
  EXPECT(9, ZK_ERR_CHAIN_FORK, 8);
  cp.sequence = 12;
  digest_of(cp.digest, c.b[12], c.l[12]);
  EXPECT(9, ZK_ERR_CHAIN_ROLLBACK, 8); /* head 8' is behind the checkpoint */
  /* rollback: a genuine but older prefix */
  RESET();
  o.checkpoint = &cp;
  o.now_ms = T0 + 10000;
  EXPECT(11, ZK_ERR_CHAIN_ROLLBACK, 10);
  /* checkpoint gap: the chain starts 2 after the checkpoint */
  RESET();
  cp.sequence = 7;
  digest_of(cp.digest, c.b[7], c.l[7]);
  o.checkpoint = &cp;
  memmove(b, b + 9, sizeof(b[0]) * (NREC - 9));
  memmove(l, l + 9, sizeof(l[0]) * (NREC - 9));
  EXPECT(NREC - 9, ZK_ERR_CHAIN_GAP, 0);
  /* starts right after a checkpoint whose digest is another record's: fork */
  cp.sequence = 8;
  zkte_fill(cp.digest, 0x77);
  EXPECT(NREC - 9, ZK_ERR_CHAIN_FORK, 0);
  /* link: right sequence, wrong prev (validly signed) */
  {
    RESET();
    size_t xl;
    uint8_t *x = record8(&c, 6, "org-1", T0 + 8000, 0, &xl); /* prev = record 6 */
    b[8] = x, l[8] = xl;
    EXPECT(9, ZK_ERR_CHAIN_LINK, 8);
    zk_free(x);
  }
  /* another log in the middle, properly linked and signed */
  {
    RESET();
    size_t xl;
    uint8_t *x = record8(&c, 7, "org-2", T0 + 8000, 0, &xl);
    b[8] = x, l[8] = xl;
    EXPECT(9, ZK_ERR_CHAIN_LOG, 8);
    zk_free(x);
    RESET();
    o.log_id = "org-2";
    EXPECT(NREC, ZK_ERR_CHAIN_LOG, 0);
  }
  /* forgery: a whole chain by another key (its kid names that key) */
  {
    chain_t f;
    build(&f, other, NREC);
    RESET();
    memcpy(b, f.b, sizeof(uint8_t *) * NREC);
    memcpy(l, f.l, sizeof(size_t) * NREC);
    EXPECT(NREC, ZK_ERR_EV_SIGNER, 0);
    /* the other key's head on the real chain: kid differs */
    RESET();
    b[NREC - 1] = f.b[NREC - 1], l[NREC - 1] = f.l[NREC - 1];
    EXPECT(NREC, ZK_ERR_EV_SIGNER, NREC - 1);
    drop(&f);
  }
  /* forgery: head carrying the trusted kid, signed by another key */
  {
    RESET();
    zk_notarization *h = NULL;
    zkt_assert_ok(zk_notarization_parse(&h, c.b[NREC - 1], c.l[NREC - 1]));
    size_t xl;
    uint8_t *x = forge(other, notarizer, zk_notarization_get_info(h), &xl);
    b[NREC - 1] = x, l[NREC - 1] = xl;
    EXPECT(NREC, ZK_ERR_SIGNATURE, NREC - 1);
    zk_notarization_free(h);
    zk_free(x);
    /* a flipped bit in the head's signature */
    RESET();
    uint8_t *y = zki_memdup(c.b[NREC - 1], c.l[NREC - 1]);
    y[c.l[NREC - 1] - 5] ^= 0x04;
    b[NREC - 1] = y;
    EXPECT(NREC, ZK_ERR_SIGNATURE, NREC - 1);
    /* a flipped bit in an intermediate record's signature breaks the next link */
    RESET();
    memcpy(y, c.b[4], c.l[4]);
    y[c.l[4] - 5] ^= 0x04;
    b[4] = y;
    EXPECT(NREC, ZK_ERR_CHAIN_LINK, 5);
    free(y);
  }
  /* What head-only verification does NOT check (documented): a forged intermediate
   * record that the (trusted) notarizer itself linked to. VERIFY_ALL catches it. */
  {
    RESET();
    zk_notarization_info in = {.log_id = "org-1", .sequence = 1, .time_ms = T0 + 1000};
    digest_of(in.prev_digest, c.b[0], c.l[0]);
    zkte_fill(in.state_digest, 0xbb);
    size_t xl;
    uint8_t *x = forge(other, notarizer, &in, &xl);
    zk_notarization *forged = NULL, *next = NULL;
    zkt_assert_ok(zk_notarization_parse(&forged, x, xl));
    uint8_t st[32];
    zkte_fill(st, 2);
    zkt_assert_ok(zk_notarization_next(&next, notarizer, forged, st, T0 + 2000));
    uint8_t *y;
    size_t yl;
    zkt_assert_ok(zk_notarization_serialize(next, &y, &yl));
    b[1] = x, l[1] = xl, b[2] = y, l[2] = yl;
    o.now_ms = T0 + 2000;
    zkt_assert_ok(verify(b, l, 3, &o, &res));
    o.flags = ZK_CHAIN_VERIFY_ALL;
    EXPECT(3, ZK_ERR_SIGNATURE, 1);
    zk_notarization_free(forged);
    zk_notarization_free(next);
    zk_free(x);
    zk_free(y);
  }
  /* freshness of the head */
  RESET();
  o.now_ms = T0 + 1000 * (NREC - 1) + o.max_age_ms + 1;
  EXPECT(NREC, ZK_ERR_EV_STALE, NREC - 1);
  o.now_ms = T0 + 1000 * (NREC - 1) - o.max_skew_ms - 1;
  EXPECT(NREC, ZK_ERR_EV_NOT_YET_VALID, NREC - 1);
  /* a malformed record in the middle */
  RESET();
  l[3] = 10;
  EXPECT(NREC, ZK_ERR_TRUNCATED, 3);
  /* arguments */
  RESET();
  o.max_age_ms = 0;
  EXPECT(NREC, ZK_ERR_ARG, NREC);
  RESET();
  o.notarizer = NULL;
  EXPECT(NREC, ZK_ERR_ARG, NREC);
  RESET();
  EXPECT(0, ZK_ERR_ARG, 0);
  zk_free(fork8);
  drop(&c);
  printf("REJECTIONS notarization chain: %lu cases\n", cases);
}

typedef struct {
  const zk_chain_opts *o;
  const uint8_t *const *b;
  const size_t *l;
  size_t idx;
} mut_ctx;

/* Replace record idx of a 3-record chain with the mutated bytes. */
static zk_status chain_check(const uint8_t *buf, size_t len, void *vctx) {
  mut_ctx *m = vctx;
  const uint8_t *b[3] = {m->b[0], m->b[1], m->b[2]};
  size_t l[3] = {m->l[0], m->l[1], m->l[2]};
  b[m->idx] = buf;
  l[m->idx] = len;
  zk_chain_result r;
  return zk_notarization_chain_verify(&r, b, l, 3, m->o);
}

static void test_mutations(void **state) {
  (void)state;
  chain_t c;
  build(&c, notarizer, 3);
  zk_chain_opts o = opts();
  o.now_ms = T0 + 2000;
  unsigned long tried = 0, rejected = 0;
  for (size_t i = 0; i < 3; i++) {
    mut_ctx m = {&o, (const uint8_t *const *)c.b, c.l, i};
    zkt_assert_ok(chain_check(c.b[i], c.l[i], &m));
    zkte_mutate("notarization chain", c.b[i], c.l[i], chain_check, &m, &tried, &rejected);
  }
  zkt_report_mutations("notarization chain (each record: bit flips, truncations, trailing)", tried,
                       rejected);
  assert_int_equal(tried, rejected);
  drop(&c);
}

static void test_create_misuse(void **state) {
  (void)state;
  zk_notarization_info in = {.log_id = "org-1", .sequence = 0, .time_ms = T0};
  zk_notarization *r = NULL;
  in.prev_digest[0] = 1;
  zkt_assert_status(zk_notarization_create(&r, notarizer, &in), ZK_ERR_VALUE);
  in.prev_digest[0] = 0;
  in.sequence = 1;
  zkt_assert_status(zk_notarization_create(&r, notarizer, &in), ZK_ERR_VALUE);
  in.sequence = 0;
  in.log_id = "";
  zkt_assert_status(zk_notarization_create(&r, notarizer, &in), ZK_ERR_VALUE);
  in.log_id = "org-1";
  zkt_assert_ok(zk_notarization_create(&r, notarizer, &in));
  uint8_t st[32] = {0};
  zk_notarization *nx = NULL;
  zkt_assert_status(zk_notarization_next(&nx, notarizer, r, st, T0 - 1), ZK_ERR_VALUE);
  zk_notarization_free(r);
  in.sequence = UINT64_MAX;
  in.prev_digest[0] = 1;
  zkt_assert_ok(zk_notarization_create(&r, notarizer, &in));
  zkt_assert_status(zk_notarization_next(&nx, notarizer, r, st, T0), ZK_ERR_OVERFLOW);
  assert_null(nx);
  /* parse refuses seq 0 with a non-zero prev even when validly signed */
  in.sequence = 0;
  size_t xl;
  uint8_t *x = forge(notarizer, notarizer, &in, &xl);
  zk_notarization *p = NULL;
  zkt_assert_status(zk_notarization_parse(&p, x, xl), ZK_ERR_VALUE);
  zk_free(x);
  zk_notarization_free(r);
  zk_notarization_free(NULL);
}

/* The record log as a Merkle tree: leaf i = exact bytes of record i. */
static void test_merkle_over_log(void **state) {
  (void)state;
  chain_t c;
  build(&c, notarizer, NREC);
  uint8_t(*lh)[32] = calloc(NREC, 32);
  for (size_t i = 0; i < NREC; i++) zkt_assert_ok(zk_merkle_leaf_hash(lh[i], c.b[i], c.l[i]));
  uint8_t root[32], old_root[32], proof[ZK_MERKLE_MAX_PROOF][32];
  size_t cnt;
  zkt_assert_ok(zk_merkle_root(root, (const uint8_t(*)[32])lh, NREC));
  zkt_assert_ok(zk_merkle_root(old_root, (const uint8_t(*)[32])lh, 10));
  for (size_t i = 0; i < NREC; i++) {
    zkt_assert_ok(zk_merkle_inclusion_proof(proof, &cnt, ZK_MERKLE_MAX_PROOF,
                                            (const uint8_t(*)[32])lh, NREC, i));
    uint8_t leaf[32];
    zkt_assert_ok(zk_merkle_leaf_hash(leaf, c.b[i], c.l[i]));
    zkt_assert_ok(
        zk_merkle_verify_inclusion(leaf, i, NREC, (const uint8_t(*)[32])proof, cnt, root));
  }
  zkt_assert_ok(zk_merkle_consistency_proof(proof, &cnt, ZK_MERKLE_MAX_PROOF,
                                            (const uint8_t(*)[32])lh, NREC, 10));
  zkt_assert_ok(
      zk_merkle_verify_consistency(10, NREC, old_root, root, (const uint8_t(*)[32])proof, cnt));
  free(lh);
  drop(&c);
}

int main(void) {
  setup(NULL);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_chain),     cmocka_unit_test(test_chain_failures),
      cmocka_unit_test(test_mutations),       cmocka_unit_test(test_create_misuse),
      cmocka_unit_test(test_merkle_over_log),
  };
  int rc = zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
  teardown(NULL);
  return rc;
}
