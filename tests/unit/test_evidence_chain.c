/* Evidence chain: stamp -> ruling -> signature result against a notarized state;
 * every broken link is named. */
#include <stdio.h>

#include "zerokey/crypto.h"
#include "zerokey/evidence_chain.h"
#include "zerokey/ruling.h"
#include "zerokey/sig_result.h"
#include "zkt_evidence.h"

#define T0 1700000000000ull
#define BODY                                                                                 \
  "{\"organizationId\":\"org-1\",\"parameters\":{\"payload\":\"deadbeef\"},\"timestampMs\":" \
  "\"1700000000000\",\"type\":\"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2\"}"
#define BODY2                                                                                \
  "{\"organizationId\":\"org-2\",\"parameters\":{\"payload\":\"deadbeef\"},\"timestampMs\":" \
  "\"1700000000000\",\"type\":\"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2\"}"

typedef struct {
  zk_key *api, *api2, *policy, *notarizer, *signer, *wallet, *rogue;
  char *stamp;
  size_t stamp_len;
  uint8_t *nz, *ruling, *result;
  size_t nz_len, ruling_len, result_len;
  uint8_t payload_digest[32];
} world;

static uint8_t *nz_record(const zk_key *k, uint64_t seq, uint64_t time, uint8_t fill, size_t *len) {
  zk_notarization_info in = {.log_id = "org-1", .sequence = seq, .time_ms = time};
  zkte_fill(in.prev_digest, 0x10);
  zkte_fill(in.state_digest, fill);
  zk_notarization *n = NULL;
  uint8_t *b;
  zkt_assert_ok(zk_notarization_create(&n, k, &in));
  zkt_assert_ok(zk_notarization_serialize(n, &b, len));
  zk_notarization_free(n);
  return b;
}

static uint8_t *make_ruling(const zk_key *k, const char *stamp, size_t stamp_len, const char *body,
                            const uint8_t *nz, size_t nz_len, zk_ruling_decision d, uint64_t exp,
                            size_t *len) {
  zk_ruling_info in = {.decision = d,
                       .organization_id = "org-1",
                       .activity_type = "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
                       .issued_at_ms = T0 + 100,
                       .expires_at_ms = exp};
  zkt_assert_ok(zk_sha256(in.stamp_digest, (const uint8_t *)stamp, stamp_len));
  zkt_assert_ok(zk_sha256(in.request_digest, (const uint8_t *)body, strlen(body)));
  zkt_assert_ok(zk_evidence_digest(in.state_digest, nz, nz_len));
  zk_ruling *r = NULL;
  uint8_t *b;
  zkt_assert_ok(zk_ruling_create(&r, k, &in));
  zkt_assert_ok(zk_ruling_serialize(r, &b, len));
  zk_ruling_free(r);
  return b;
}

static uint8_t *make_result(const world *w, const zk_key *k, const uint8_t *ruling, size_t rl,
                            size_t *len) {
  zk_sig_result_info in = {
      .curve = ZK_CURVE_SECP256K1, .scheme = ZK_SCHEME_ECDSA_RECOVERABLE, .time_ms = T0 + 200};
  uint8_t pub[33], sig[65];
  size_t pl = sizeof pub, sl = sizeof sig;
  zkt_assert_ok(zk_key_export_public(w->wallet, ZK_PUB_COMPRESSED, pub, &pl));
  zkt_assert_ok(zk_key_sign_digest(w->wallet, ZK_SIG_RECOVERABLE, sig, &sl, w->payload_digest, 32));
  in.public_key = pub;
  in.public_key_len = pl;
  in.signature = sig;
  in.signature_len = sl;
  memcpy(in.payload_digest, w->payload_digest, 32);
  zkt_assert_ok(zk_evidence_digest(in.ruling_digest, ruling, rl));
  zk_sig_result *r = NULL;
  uint8_t *b;
  zkt_assert_ok(zk_sig_result_create(&r, k, &in, NULL, 0));
  zkt_assert_ok(zk_sig_result_serialize(r, &b, len));
  zk_sig_result_free(r);
  return b;
}

static void world_init(world *w) {
  memset(w, 0, sizeof *w);
  w->api = zkte_key(ZK_CURVE_P256, 0x81);
  w->api2 = zkte_key(ZK_CURVE_P256, 0x86);
  w->policy = zkte_key(ZK_CURVE_ED25519, 0x82);
  w->notarizer = zkte_key(ZK_CURVE_ED25519, 0x83);
  w->signer = zkte_key(ZK_CURVE_P256, 0x84);
  w->wallet = zkte_key(ZK_CURVE_SECP256K1, 0x85);
  w->rogue = zkte_key(ZK_CURVE_ED25519, 0x87);
  zkt_assert_ok(zk_sha256(w->payload_digest, (const uint8_t *)"deadbeef", 8));
  zkt_assert_ok(zk_stamp_create(&w->stamp, &w->stamp_len, w->api, ZK_STAMP_P256,
                                (const uint8_t *)BODY, strlen(BODY)));
  w->nz = nz_record(w->notarizer, 5, T0 - 1000, 0x55, &w->nz_len);
  w->ruling = make_ruling(w->policy, w->stamp, w->stamp_len, BODY, w->nz, w->nz_len,
                          ZK_RULING_ALLOW, T0 + 60000, &w->ruling_len);
  w->result = make_result(w, w->signer, w->ruling, w->ruling_len, &w->result_len);
}

static void world_free(world *w) {
  zk_key_free(w->api);
  zk_key_free(w->api2);
  zk_key_free(w->policy);
  zk_key_free(w->notarizer);
  zk_key_free(w->signer);
  zk_key_free(w->wallet);
  zk_key_free(w->rogue);
  zk_free(w->stamp);
  zk_free(w->nz);
  zk_free(w->ruling);
  zk_free(w->result);
}

static zk_evidence_chain chain_of(const world *w) {
  zk_evidence_chain c = {.body = (const uint8_t *)BODY,
                         .body_len = strlen(BODY),
                         .stamp = w->stamp,
                         .stamp_len = w->stamp_len,
                         .notarization = w->nz,
                         .notarization_len = w->nz_len,
                         .ruling = w->ruling,
                         .ruling_len = w->ruling_len,
                         .sig_result = w->result,
                         .sig_result_len = w->result_len};
  return c;
}

static zk_stamp_verify_opts sopts = {.now_ms = T0 + 1000};

static zk_evidence_trust trust_of(const world *w) {
  zk_evidence_trust t = {.policy_key = w->policy,
                         .notarizer_key = w->notarizer,
                         .signer_key = w->signer,
                         .stamp_opts = &sopts,
                         .log_id = "org-1",
                         .now_ms = T0 + 1000,
                         .notarization_max_age_ms = 10000,
                         .max_skew_ms = 1000};
  return t;
}

static unsigned long ncases;

static void expect(const zk_evidence_trust *t, const zk_evidence_chain *c, zk_status link,
                   zk_status detail, int line) {
  zk_evidence_chain_report rep;
  memset(&rep, 0xaa, sizeof rep);
  zk_status s = zk_evidence_chain_verify(&rep, t, c);
  if (s != link || rep.detail != detail)
    fail_msg("line %d: got %s/%s want %s/%s", line, zk_status_name(s), zk_status_name(rep.detail),
             zk_status_name(link), zk_status_name(detail));
  if (s != ZK_OK) {
    static const uint8_t z[32];
    assert_memory_equal(rep.ruling_digest, z, 32);
  }
  ncases++;
}
#define EXPECT(t, c, link, detail) expect(t, c, link, detail, __LINE__)

static void test_chain(void **state) {
  (void)state;
  world w;
  world_init(&w);
  zk_evidence_trust t = trust_of(&w), tx;
  zk_evidence_chain c = chain_of(&w), cx;
  zk_evidence_chain_report rep;
  zkt_assert_ok(zk_evidence_chain_verify(&rep, &t, &c));
  uint8_t d[32];
  zkt_assert_ok(zk_evidence_digest(d, w.ruling, w.ruling_len));
  assert_memory_equal(rep.ruling_digest, d, 32);
  zkt_assert_ok(zk_evidence_digest(d, w.nz, w.nz_len));
  assert_memory_equal(rep.notarization_digest, d, 32);
  zkt_assert_ok(zk_sha256(d, (const uint8_t *)w.stamp, w.stamp_len));
  assert_memory_equal(rep.stamp_digest, d, 32);
  zkt_assert_ok(zk_evidence_chain_verify(NULL, &t, &c));

  /* 1. stamp */
  char body_mut[] = BODY;
  body_mut[strlen(body_mut) - 3] ^= 1;
  cx = c;
  cx.body = (const uint8_t *)body_mut;
  EXPECT(&t, &cx, ZK_ERR_CHAIN_STAMP, ZK_ERR_SIGNATURE);
  zk_stamp_verify_opts late = sopts;
  late.now_ms = T0 + ZK_STAMP_DEFAULT_MAX_AGE_MS + 1;
  tx = t;
  tx.stamp_opts = &late;
  EXPECT(&tx, &c, ZK_ERR_CHAIN_STAMP, ZK_ERR_STAMP_TIMESTAMP);
  cx = c;
  cx.stamp_is_webauthn = 1;
  EXPECT(&t, &cx, ZK_ERR_CHAIN_STAMP, ZK_ERR_JSON);
  cx = c;
  cx.stamp_len--;
  EXPECT(&t, &cx, ZK_ERR_CHAIN_STAMP, ZK_ERR_BASE64);

  /* 2. notarization */
  size_t xl;
  uint8_t *x = nz_record(w.rogue, 5, T0 - 1000, 0x55, &xl);
  cx = c;
  cx.notarization = x, cx.notarization_len = xl;
  EXPECT(&t, &cx, ZK_ERR_CHAIN_NOTARIZATION, ZK_ERR_EV_SIGNER);
  zk_free(x);
  tx = t;
  tx.now_ms = T0 - 1000 + 10001;
  EXPECT(&tx, &c, ZK_ERR_CHAIN_NOTARIZATION, ZK_ERR_EV_STALE);
  tx = t;
  tx.log_id = "org-9";
  EXPECT(&tx, &c, ZK_ERR_CHAIN_NOTARIZATION, ZK_ERR_CHAIN_LOG);
  zk_checkpoint cp = {.sequence = 6};
  tx = t;
  tx.checkpoint = &cp;
  EXPECT(&tx, &c, ZK_ERR_CHAIN_NOTARIZATION, ZK_ERR_CHAIN_ROLLBACK);
  cp.sequence = 5;
  EXPECT(&tx, &c, ZK_ERR_CHAIN_NOTARIZATION, ZK_ERR_CHAIN_FORK);
  zkt_assert_ok(zk_evidence_digest(cp.digest, w.nz, w.nz_len));
  zkt_assert_ok(zk_evidence_chain_verify(NULL, &tx, &c));
  cp.sequence = 4;
  zkt_assert_ok(zk_evidence_chain_verify(NULL, &tx, &c));

  /* 3. ruling */
  x = nz_record(w.notarizer, 6, T0 - 500, 0x66, &xl); /* a newer, valid state */
  cx = c;
  cx.notarization = x, cx.notarization_len = xl;
  EXPECT(&t, &cx, ZK_ERR_CHAIN_RULING, ZK_ERR_RULING_STATE);
  zk_free(x);
  {
    char *s2;
    size_t s2l;
    zkt_assert_ok(
        zk_stamp_create(&s2, &s2l, w.api2, ZK_STAMP_P256, (const uint8_t *)BODY, strlen(BODY)));
    cx = c;
    cx.stamp = s2, cx.stamp_len = s2l; /* valid stamp, but not the one the ruling names */
    EXPECT(&t, &cx, ZK_ERR_CHAIN_RULING, ZK_ERR_RULING_STAMP);
    zk_free(s2);
    /* a consistent stamp for another organization's body, ruling made for org-1 */
    zkt_assert_ok(
        zk_stamp_create(&s2, &s2l, w.api, ZK_STAMP_P256, (const uint8_t *)BODY2, strlen(BODY2)));
    x = make_ruling(w.policy, s2, s2l, BODY2, w.nz, w.nz_len, ZK_RULING_ALLOW, T0 + 60000, &xl);
    cx = c;
    cx.body = (const uint8_t *)BODY2, cx.body_len = strlen(BODY2);
    cx.stamp = s2, cx.stamp_len = s2l, cx.ruling = x, cx.ruling_len = xl;
    EXPECT(&t, &cx, ZK_ERR_CHAIN_RULING, ZK_ERR_RULING_ORG);
    zk_free(x);
    zk_free(s2);
  }
  x = make_ruling(w.policy, w.stamp, w.stamp_len, BODY, w.nz, w.nz_len, ZK_RULING_DENY, T0 + 60000,
                  &xl);
  cx = c;
  cx.ruling = x, cx.ruling_len = xl;
  EXPECT(&t, &cx, ZK_ERR_CHAIN_RULING, ZK_ERR_RULING_DENIED);
  zk_free(x);
  x = make_ruling(w.policy, w.stamp, w.stamp_len, BODY, w.nz, w.nz_len, ZK_RULING_ALLOW, T0 + 1000,
                  &xl);
  cx = c;
  cx.ruling = x, cx.ruling_len = xl;
  EXPECT(&t, &cx, ZK_ERR_CHAIN_RULING, ZK_ERR_EV_EXPIRED);
  zk_free(x);
  x = make_ruling(w.rogue, w.stamp, w.stamp_len, BODY, w.nz, w.nz_len, ZK_RULING_ALLOW, T0 + 60000,
                  &xl);
  cx = c;
  cx.ruling = x, cx.ruling_len = xl;
  EXPECT(&t, &cx, ZK_ERR_CHAIN_RULING, ZK_ERR_EV_SIGNER);
  /* 4. signature result: names another (valid) ruling, or signed by another key */
  {
    size_t yl;
    uint8_t *y = make_result(&w, w.signer, x, xl, &yl);
    cx = c;
    cx.sig_result = y, cx.sig_result_len = yl;
    EXPECT(&t, &cx, ZK_ERR_CHAIN_RESULT, ZK_ERR_RESULT_RULING);
    zk_free(y);
    zk_key *rogue_p256 = zkte_key(ZK_CURVE_P256, 0x88);
    y = make_result(&w, rogue_p256, w.ruling, w.ruling_len, &yl);
    cx.sig_result = y, cx.sig_result_len = yl;
    EXPECT(&t, &cx, ZK_ERR_CHAIN_RESULT, ZK_ERR_EV_SIGNER);
    zk_free(y);
    zk_key_free(rogue_p256);
    cx = c;
    cx.sig_result = w.ruling, cx.sig_result_len = w.ruling_len; /* type confusion */
    EXPECT(&t, &cx, ZK_ERR_CHAIN_RESULT, ZK_ERR_UNKNOWN_FIELD);
    cx = c;
    cx.ruling = w.result, cx.ruling_len = w.result_len;
    EXPECT(&t, &cx, ZK_ERR_CHAIN_RULING, ZK_ERR_UNKNOWN_FIELD);
  }
  zk_free(x);
  /* keys swapped between roles */
  tx = t;
  tx.policy_key = w.notarizer;
  EXPECT(&tx, &c, ZK_ERR_CHAIN_RULING, ZK_ERR_EV_SIGNER);
  tx = t;
  tx.signer_key = w.policy;
  EXPECT(&tx, &c, ZK_ERR_CHAIN_RESULT, ZK_ERR_EV_SIGNER);
  /* arguments */
  tx = t;
  tx.stamp_opts = NULL;
  EXPECT(&tx, &c, ZK_ERR_ARG, ZK_ERR_ARG);
  cx = c;
  cx.sig_result = NULL;
  EXPECT(&t, &cx, ZK_ERR_ARG, ZK_ERR_ARG);
  EXPECT(&t, NULL, ZK_ERR_ARG, ZK_ERR_ARG);
  printf("REJECTIONS evidence chain: %lu cases (each names its link)\n", ncases);
  world_free(&w);
}

/* Every single-bit flip, every truncation and a trailing byte in each piece of evidence fail
 * the chain at that piece's link (or at the stamp, for the body and the stamp). */
static void test_chain_mutations(void **state) {
  (void)state;
  world w;
  world_init(&w);
  zk_evidence_trust t = trust_of(&w);
  zk_evidence_chain c = chain_of(&w);
  unsigned long tried = 0, rejected = 0;
  struct {
    const uint8_t **p;
    size_t *len;
    zk_status link;
  } parts[] = {{(const uint8_t **)&c.stamp, &c.stamp_len, ZK_ERR_CHAIN_STAMP},
               {&c.body, &c.body_len, ZK_ERR_CHAIN_STAMP},
               {&c.notarization, &c.notarization_len, ZK_ERR_CHAIN_NOTARIZATION},
               {&c.ruling, &c.ruling_len, ZK_ERR_CHAIN_RULING},
               {&c.sig_result, &c.sig_result_len, ZK_ERR_CHAIN_RESULT}};
  zkt_assert_ok(zk_evidence_chain_verify(NULL, &t, &c)); /* control */
  for (size_t p = 0; p < ZKI_ARRAY_LEN(parts); p++) {
    const uint8_t *orig = *parts[p].p;
    const size_t len = *parts[p].len;
    uint8_t *m = malloc(len + 1);
    assert_non_null(m);
    memcpy(m, orig, len);
    m[len] = '0'; /* the trailing byte: a digit, so a body or stamp stays plausible text */
    *parts[p].p = m;
    size_t stride = zkt_stride(len);
    for (size_t i = 0; i < len; i += stride) { /* flips */
      m[i] ^= 0x04;
      zk_status s = zk_evidence_chain_verify(NULL, &t, &c);
      tried++;
      if (s == parts[p].link)
        rejected++;
      else
        fail_msg("part %zu byte %zu: got %s", p, i, zk_status_name(s));
      m[i] ^= 0x04;
    }
    /* truncations (every stride-th length and len - 1), then len + 1: the trailing byte */
    for (size_t l = 0; l <= len + 1; l++) {
      if (l == len || (l < len && !zkt_sweep_visits(l, len))) continue;
      *parts[p].len = l;
      zk_status s = zk_evidence_chain_verify(NULL, &t, &c);
      tried++;
      if (s == parts[p].link)
        rejected++;
      else
        fail_msg("part %zu length %zu of %zu: got %s", p, l, len, zk_status_name(s));
    }
    *parts[p].p = orig;
    *parts[p].len = len;
    free(m);
  }
  zkt_assert_ok(zk_evidence_chain_verify(NULL, &t, &c)); /* restored */
  zkt_report_mutations(
      "evidence chain (bit flips, truncations, trailing byte; failure at the right link)", tried,
      rejected);
  assert_int_equal(tried, rejected);
  world_free(&w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_chain),
      cmocka_unit_test(test_chain_mutations),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
