/* Rulings: round trip, every verification failure, strict parsing, mutations. */
#include <stdio.h>

#include "zerokey/ruling.h"
#include "zk_cbor.h"
#include "zkt_evidence.h"

static const char *const policies[] = {"policy-allow-signing", "policy-quorum"};

static zk_ruling_info base_info(void) {
  zk_ruling_info in = {.decision = ZK_RULING_ALLOW,
                       .organization_id = "org-1",
                       .activity_type = "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
                       .policy_ids = policies,
                       .n_policy_ids = 2,
                       .issued_at_ms = 1700000000000ull,
                       .expires_at_ms = 1700000300000ull};
  zkte_fill(in.stamp_digest, 0xa1);
  zkte_fill(in.request_digest, 0xa2);
  zkte_fill(in.state_digest, 0xa3);
  return in;
}

static zk_ruling_expect base_expect(const zk_ruling_info *in) {
  zk_ruling_expect e = {.now_ms = 1700000001000ull,
                        .max_skew_ms = 1000,
                        .stamp_digest = in->stamp_digest,
                        .request_digest = in->request_digest,
                        .state_digest = in->state_digest,
                        .organization_id = "org-1",
                        .activity_type = "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"};
  return e;
}

typedef struct {
  const zk_key *key;
  const zk_ruling_expect *e;
} check_ctx;

static zk_status check(const uint8_t *buf, size_t len, void *vctx) {
  check_ctx *c = vctx;
  zk_ruling *r = NULL;
  zk_status s = zk_ruling_parse(&r, buf, len);
  if (s == ZK_OK)
    s = zk_ruling_verify(r, c->key, c->e);
  else
    assert_null(r);
  zk_ruling_free(r);
  return s;
}

static void test_roundtrip_and_verify(void **state) {
  (void)state;
  unsigned long tried = 0, rejected = 0, cases = 0;
  const zk_curve curves[] = {ZK_CURVE_ED25519, ZK_CURVE_P256, ZK_CURVE_SECP256K1};
  for (size_t ci = 0; ci < 3; ci++) {
    zk_key *key = zkte_key(curves[ci], 0x31), *other = zkte_key(curves[ci], 0x32);
    zk_ruling_info in = base_info();
    zk_ruling *r = NULL;
    zkt_assert_ok(zk_ruling_create(&r, key, &in));
    uint8_t *bytes = NULL;
    size_t len = 0;
    zkt_assert_ok(zk_ruling_serialize(r, &bytes, &len));
    uint8_t d1[32], d2[32];
    zkt_assert_ok(zk_ruling_digest(r, d1));
    zkt_assert_ok(zk_evidence_digest(d2, bytes, len));
    assert_memory_equal(d1, d2, 32);
    /* parse back: same fields */
    zk_ruling *p = NULL;
    zkt_assert_ok(zk_ruling_parse(&p, bytes, len));
    const zk_ruling_info *pi = zk_ruling_get_info(p);
    assert_int_equal(pi->decision, ZK_RULING_ALLOW);
    assert_string_equal(pi->organization_id, "org-1");
    assert_string_equal(pi->activity_type, in.activity_type);
    assert_int_equal(pi->n_policy_ids, 2);
    assert_string_equal(pi->policy_ids[1], "policy-quorum");
    assert_memory_equal(pi->state_digest, in.state_digest, 32);
    assert_int_equal(pi->issued_at_ms, in.issued_at_ms);
    assert_int_equal(pi->expires_at_ms, in.expires_at_ms);
    zk_ruling_expect e = base_expect(&in);
    zkt_assert_ok(zk_ruling_verify(p, key, &e));
    zkt_assert_ok(zk_ruling_verify(r, key, &e));

    /* every verification failure, one at a time */
    zkt_assert_status(zk_ruling_verify(p, other, &e), ZK_ERR_EV_SIGNER);
    zk_ruling_expect x = e;
    x.now_ms = in.expires_at_ms;
    zkt_assert_status(zk_ruling_verify(p, key, &x), ZK_ERR_EV_EXPIRED);
    x.now_ms = in.expires_at_ms - 1;
    zkt_assert_ok(zk_ruling_verify(p, key, &x));
    x.now_ms = in.issued_at_ms - 1001;
    zkt_assert_status(zk_ruling_verify(p, key, &x), ZK_ERR_EV_NOT_YET_VALID);
    x.now_ms = in.issued_at_ms - 1000;
    zkt_assert_ok(zk_ruling_verify(p, key, &x));
    uint8_t wrong[32];
    zkte_fill(wrong, 0xee);
    x = e;
    x.stamp_digest = wrong;
    zkt_assert_status(zk_ruling_verify(p, key, &x), ZK_ERR_RULING_STAMP);
    x = e;
    x.request_digest = wrong;
    zkt_assert_status(zk_ruling_verify(p, key, &x), ZK_ERR_RULING_STAMP);
    x = e;
    x.state_digest = wrong;
    zkt_assert_status(zk_ruling_verify(p, key, &x), ZK_ERR_RULING_STATE);
    x = e;
    x.organization_id = "org-2";
    zkt_assert_status(zk_ruling_verify(p, key, &x), ZK_ERR_RULING_ORG);
    x = e;
    x.activity_type = "ACTIVITY_TYPE_EXPORT_WALLET";
    zkt_assert_status(zk_ruling_verify(p, key, &x), ZK_ERR_RULING_ORG);
    x = e;
    x.organization_id = NULL;
    x.activity_type = NULL;
    zkt_assert_ok(zk_ruling_verify(p, key, &x));
    x = e;
    x.state_digest = NULL;
    zkt_assert_status(zk_ruling_verify(p, key, &x), ZK_ERR_ARG);
    zkt_assert_status(zk_ruling_verify(p, key, NULL), ZK_ERR_ARG);
    zkt_assert_status(zk_ruling_verify(NULL, key, &e), ZK_ERR_ARG);
    cases += 14;

    check_ctx ctx = {key, &e};
    zkte_mutate("ruling", bytes, len, check, &ctx, &tried, &rejected);

    /* DENY: valid evidence, refused unless the caller accepts DENY. */
    zk_ruling_info din = in;
    din.decision = ZK_RULING_DENY;
    din.n_policy_ids = 0;
    zk_ruling *dr = NULL;
    zkt_assert_ok(zk_ruling_create(&dr, key, &din));
    zkt_assert_status(zk_ruling_verify(dr, key, &e), ZK_ERR_RULING_DENIED);
    x = e;
    x.flags = ZK_RULING_ACCEPT_DENY;
    zkt_assert_ok(zk_ruling_verify(dr, key, &x));
    assert_int_equal(zk_ruling_get_info(dr)->n_policy_ids, 0);
    cases += 2;
    zk_ruling_free(dr);
    zk_ruling_free(p);
    zk_ruling_free(r);
    zk_free(bytes);
    zk_key_free(key);
    zk_key_free(other);
  }
  printf("REJECTIONS ruling verify: %lu cases\n", cases);
  zkt_report_mutations("ruling (bit flips, truncations, trailing byte)", tried, rejected);
  assert_int_equal(tried, rejected);
}

static void test_create_misuse(void **state) {
  (void)state;
  zk_key *key = zkte_key(ZK_CURVE_ED25519, 0x31), *p384 = NULL;
  zkt_assert_ok(zk_key_generate(&p384, ZK_CURVE_P384));
  zk_key *pub = NULL;
  zkt_assert_ok(zk_key_public_copy(&pub, key));
  zk_ruling *r = (zk_ruling *)1;
  zk_ruling_info in = base_info();
  zkt_assert_ok(zk_ruling_create(&r, key, &in));
  zk_ruling_free(r);
  zk_ruling_info x = in;
  x.expires_at_ms = x.issued_at_ms;
  zkt_assert_status(zk_ruling_create(&r, key, &x), ZK_ERR_VALUE);
  assert_null(r);
  x = in;
  x.organization_id = "";
  zkt_assert_status(zk_ruling_create(&r, key, &x), ZK_ERR_VALUE);
  x = in;
  x.activity_type = NULL;
  zkt_assert_status(zk_ruling_create(&r, key, &x), ZK_ERR_ARG);
  x = in;
  x.n_policy_ids = ZK_RULING_MAX_POLICIES + 1;
  zkt_assert_status(zk_ruling_create(&r, key, &x), ZK_ERR_VALUE);
  x = in;
  x.decision = (zk_ruling_decision)7;
  zkt_assert_status(zk_ruling_create(&r, key, &x), ZK_ERR_VALUE);
  const char *bad_pol[] = {"ok", ""};
  x = in;
  x.policy_ids = bad_pol;
  zkt_assert_status(zk_ruling_create(&r, key, &x), ZK_ERR_VALUE);
  char longid[ZK_EVIDENCE_MAX_ID + 2];
  memset(longid, 'a', sizeof longid - 1);
  longid[sizeof longid - 1] = 0;
  x = in;
  x.organization_id = longid;
  zkt_assert_status(zk_ruling_create(&r, key, &x), ZK_ERR_VALUE);
  zkt_assert_status(zk_ruling_create(&r, pub, &in), ZK_ERR_NO_PRIVATE_KEY);
  zkt_assert_status(zk_ruling_create(&r, p384, &in), ZK_ERR_UNSUPPORTED);
  zkt_assert_status(zk_ruling_create(&r, NULL, &in), ZK_ERR_ARG);
  zkt_assert_status(zk_ruling_create(NULL, key, &in), ZK_ERR_ARG);
  assert_null(r);
  zkt_assert_status(zk_ruling_parse(&r, NULL, 0), ZK_ERR_ARG);
  zk_ruling_free(NULL);
  zk_key_free(pub);
  zk_key_free(p384);
  zk_key_free(key);
}

/* Hand-made payloads (deterministic CBOR built here), signed by the right key. */
static uint8_t *payload_with(const zk_key *key, const char *drop, const char *add_key,
                             cbor_item_t *add_val, size_t *out_len) {
  const char *names[] = {"type",    "v",     "decision", "org", "activity", "stamp",
                         "request", "state", "policies", "iat", "exp"};
  uint8_t d[32];
  zkte_fill(d, 0xa1);
  cbor_item_t *m = cbor_new_indefinite_map();
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (drop != NULL && strcmp(drop, names[i]) == 0) continue;
    if (add_key != NULL && strcmp(add_key, names[i]) == 0) continue; /* replaced */
    cbor_item_t *v;
    switch (i) {
      case 0:
        v = zki_cbor_new_text(ZK_RULING_TYPE);
        break;
      case 1:
        v = cbor_build_uint8(1);
        break;
      case 2:
        v = zki_cbor_new_text("ALLOW");
        break;
      case 3:
        v = zki_cbor_new_text("org-1");
        break;
      case 4:
        v = zki_cbor_new_text("A");
        break;
      case 8:
        v = cbor_new_definite_array(0);
        break;
      case 9:
        v = cbor_build_uint64(1000);
        break;
      case 10:
        v = cbor_build_uint64(2000);
        break;
      default:
        v = zki_cbor_new_bytes(d, 32);
        break;
    }
    zkt_assert_ok(zki_cbor_map_put_str(m, names[i], v));
  }
  if (add_key != NULL) zkt_assert_ok(zki_cbor_map_put_str(m, add_key, add_val));
  uint8_t *enc;
  size_t enc_len;
  zkt_assert_ok(zki_cbor_encode(&enc, &enc_len, m));
  cbor_decref(&m);
  uint8_t *out = zkte_sign_raw(key, enc, enc_len, out_len);
  free(enc);
  return out;
}

static void test_strict_parse(void **state) {
  (void)state;
  zk_key *key = zkte_key(ZK_CURVE_ED25519, 0x31);
  uint8_t d31[31];
  memset(d31, 1, sizeof d31);
  struct {
    const char *drop, *key;
    cbor_item_t *val;
    zk_status want;
  } c[] = {
      {NULL, NULL, NULL, ZK_OK},
      {"decision", NULL, NULL, ZK_ERR_MISSING_FIELD},
      {"state", NULL, NULL, ZK_ERR_MISSING_FIELD},
      {"policies", NULL, NULL, ZK_ERR_MISSING_FIELD},
      {"type", NULL, NULL, ZK_ERR_MISSING_FIELD},
      {"v", NULL, NULL, ZK_ERR_MISSING_FIELD},
      {NULL, "extra", zki_cbor_new_text("x"), ZK_ERR_UNKNOWN_FIELD},
      {NULL, "type", zki_cbor_new_text("zk.notarization"), ZK_ERR_EV_TYPE},
      {NULL, "type", cbor_build_uint8(1), ZK_ERR_EV_TYPE},
      {NULL, "v", cbor_build_uint8(2), ZK_ERR_VERSION},
      {NULL, "v", zki_cbor_new_text("1"), ZK_ERR_TYPE},
      {NULL, "decision", zki_cbor_new_text("allow"), ZK_ERR_VALUE},
      {NULL, "decision", cbor_build_uint8(1), ZK_ERR_TYPE},
      {NULL, "org", zki_cbor_new_text(""), ZK_ERR_VALUE},
      {NULL, "org", zki_cbor_new_bytes((const uint8_t *)"o", 1), ZK_ERR_TYPE},
      {NULL, "stamp", zki_cbor_new_bytes(d31, 31), ZK_ERR_VALUE},
      {NULL, "stamp", zki_cbor_new_text("a"), ZK_ERR_TYPE},
      {NULL, "iat", cbor_build_uint64(2000), ZK_ERR_VALUE}, /* iat == exp */
      {NULL, "iat", cbor_build_negint8(0), ZK_ERR_TYPE},
      {NULL, "policies", zki_cbor_new_text("p"), ZK_ERR_TYPE},
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    size_t len;
    uint8_t *b = payload_with(key, c[i].drop, c[i].key, c[i].val, &len);
    zk_ruling *r = NULL;
    zk_status s = zk_ruling_parse(&r, b, len);
    if (s != c[i].want)
      fail_msg("case %zu: got %s want %s", i, zk_status_name(s), zk_status_name(c[i].want));
    zk_ruling_free(r);
    free(b);
  }
  /* Non-canonical payload: a map with unsorted keys, and a non-shortest integer. */
  {
    size_t len;
    /* {"type": "zk.ruling", "v": 1}: "type" (64...) sorts after "v" (61 76) */
    uint8_t *b = zkte_sign_hex(key, "a26474797065697a6b2e72756c696e67617601", &len);
    zk_ruling *r = NULL;
    zkt_assert_status(zk_ruling_parse(&r, b, len), ZK_ERR_NONCANONICAL);
    free(b);
    /* {"v": 1 (as 18 01), "type": "zk.ruling"} */
    b = zkte_sign_hex(key,
                      "a26176180164747970656"
                      "97a6b2e72756c696e67",
                      &len);
    zkt_assert_status(zk_ruling_parse(&r, b, len), ZK_ERR_NONCANONICAL);
    free(b);
    b = zkte_sign_hex(key, "83010203", &len);
    zkt_assert_status(zk_ruling_parse(&r, b, len), ZK_ERR_TYPE);
    free(b);
  }
  /* Envelope variants that a generic COSE parser accepts but evidence refuses. */
  {
    size_t len;
    uint8_t *good = payload_with(key, NULL, NULL, NULL, &len);
    zk_ruling *r = NULL;
    zkt_assert_ok(zk_ruling_parse(&r, good, len));
    zk_ruling_free(r);
    r = NULL;
    /* untagged */
    zkt_assert_status(zk_ruling_parse(&r, good + 1, len - 1), ZK_ERR_NONCANONICAL);
    /* indefinite-length outer array: 9f ... ff */
    uint8_t *ind = malloc(len + 1);
    memcpy(ind, good, len);
    ind[1] = 0x9f;
    ind[len] = 0xff;
    zkt_assert_status(zk_ruling_parse(&r, ind, len + 1), ZK_ERR_NONCANONICAL);
    free(ind);
    /* no kid */
    uint8_t *nokid = NULL;
    size_t nl;
    zkt_assert_ok(zk_cose_sign1_create(&nokid, &nl, key, NULL, 0, (const uint8_t *)"\xa0", 1, NULL,
                                       0, ZK_COSE_TAGGED));
    zkt_assert_status(zk_ruling_parse(&r, nokid, nl), ZK_ERR_COSE_KID);
    zk_free(nokid);
    free(good);
    assert_null(r);
  }
  zkt_assert_status(zk_ruling_parse(&(zk_ruling *){NULL}, (const uint8_t *)"", 0),
                    ZK_ERR_TRUNCATED);
  zk_key_free(key);
}

/* An ES256 ruling with its S replaced by n - S still verifies under plain ECDSA,
 * so evidence must refuse it (one statement, one encoding, one digest). */
static void test_high_s_refused(void **state) {
  (void)state;
  zk_key *key = zkte_key(ZK_CURVE_P256, 0x41);
  zk_ruling_info in = base_info();
  zk_ruling *r = NULL;
  zkt_assert_ok(zk_ruling_create(&r, key, &in));
  uint8_t *b;
  size_t len;
  zkt_assert_ok(zk_ruling_serialize(r, &b, &len));
  static const uint8_t n[32] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
                                0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
  uint8_t *s = b + len - 32; /* S is the last 32 bytes */
  unsigned borrow = 0;
  for (int i = 31; i >= 0; i--) {
    unsigned dd = (unsigned)n[i] - s[i] - borrow;
    s[i] = (uint8_t)dd;
    borrow = (dd >> 8) & 1u;
  }
  zk_ruling *h = NULL;
  zkt_assert_ok(zk_ruling_parse(&h, b, len));
  zk_ruling_expect e = base_expect(&in);
  zkt_assert_status(zk_ruling_verify(h, key, &e), ZK_ERR_HIGH_S);
  /* The plain COSE verifier accepts the twin: the refusal is evidence policy. */
  zk_cose_sign1 *c = NULL;
  zkt_assert_ok(zk_cose_sign1_parse(&c, b, len, NULL));
  zkt_assert_ok(zk_cose_sign1_verify(c, key, NULL, 0));
  zk_cose_sign1_free(c);
  zk_ruling_free(h);
  zk_ruling_free(r);
  zk_free(b);
  zk_key_free(key);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip_and_verify),
      cmocka_unit_test(test_create_misuse),
      cmocka_unit_test(test_strict_parse),
      cmocka_unit_test(test_high_s_refused),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
