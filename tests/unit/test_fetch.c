/* Fetch proofs: round trip, URL / method / request / body / chain / freshness checks, mutations. */
#include <stdio.h>

#include "zerokey/crypto.h"
#include "zerokey/fetch_proof.h"
#include "zk_cbor.h"
#include "zkt_evidence.h"

#define T0 1700000000000ull
static const char body[] = "{\"keys\":[{\"kid\":\"abc\",\"kty\":\"RSA\"}]}";
static const char url[] = "https://www.googleapis.com/oauth2/v3/certs";

static zk_fetch_info info(void) {
  zk_fetch_info in = {.method = "GET", .url = url, .status = 200, .time_ms = T0};
  zkt_assert_ok(zk_sha256(in.request_digest, (const uint8_t *)"", 0));
  zkt_assert_ok(
      zk_sha256(in.headers_digest, (const uint8_t *)"content-type: application/json\r\n", 32));
  zkt_assert_ok(zk_sha256(in.body_digest, (const uint8_t *)body, strlen(body)));
  const uint8_t *ders[2] = {(const uint8_t *)"leaf-der", (const uint8_t *)"ca-der"};
  size_t lens[2] = {8, 6};
  zkt_assert_ok(zk_fetch_cert_chain_digest(in.cert_chain_digest, ders, lens, 2));
  return in;
}

static zk_fetch_expect expect(void) {
  zk_fetch_expect e = {.url = url,
                       .body = (const uint8_t *)body,
                       .body_len = strlen(body),
                       .now_ms = T0 + 5000,
                       .max_age_ms = 60000,
                       .max_skew_ms = 1000};
  return e;
}

typedef struct {
  const zk_key *key;
  const zk_fetch_expect *e;
} ctx_t;

static zk_status check(const uint8_t *buf, size_t len, void *v) {
  ctx_t *c = v;
  zk_fetch_proof *p = NULL;
  zk_status s = zk_fetch_proof_parse(&p, buf, len);
  if (s == ZK_OK) s = zk_fetch_proof_verify(p, c->key, c->e);
  zk_fetch_proof_free(p);
  return s;
}

static void test_fetch(void **state) {
  (void)state;
  unsigned long tried = 0, rejected = 0, cases = 0;
  const zk_curve curves[] = {ZK_CURVE_P256, ZK_CURVE_ED25519, ZK_CURVE_SECP256K1};
  for (size_t ci = 0; ci < 3; ci++) {
    zk_key *key = zkte_key(curves[ci], 0x61), *other = zkte_key(curves[ci], 0x62);
    zk_fetch_info in = info();
    zk_fetch_proof *p = NULL, *q = NULL;
    zkt_assert_ok(zk_fetch_proof_create(&p, key, &in));
    uint8_t *b;
    size_t bl;
    zkt_assert_ok(zk_fetch_proof_serialize(p, &b, &bl));
    zkt_assert_ok(zk_fetch_proof_parse(&q, b, bl));
    const zk_fetch_info *qi = zk_fetch_proof_get_info(q);
    assert_string_equal(qi->method, "GET");
    assert_string_equal(qi->url, url);
    assert_int_equal(qi->status, 200);
    assert_memory_equal(qi->cert_chain_digest, in.cert_chain_digest, 32);
    zk_fetch_expect e = expect(), x;
    zkt_assert_ok(zk_fetch_proof_verify(q, key, &e));
    x = e;
    x.method = "GET";
    x.request_digest = in.request_digest;
    x.cert_chain_digest = in.cert_chain_digest;
    zkt_assert_ok(zk_fetch_proof_verify(q, key, &x));
#define FAIL(field_stmt, want)                                  \
  do {                                                          \
    x = e;                                                      \
    field_stmt;                                                 \
    zkt_assert_status(zk_fetch_proof_verify(q, key, &x), want); \
    cases++;                                                    \
  } while (0)
    uint8_t wrong[32];
    zkte_fill(wrong, 0x99);
    FAIL(x.url = "https://www.googleapis.com/oauth2/v3/certs/", ZK_ERR_FETCH_URL);
    FAIL(x.url = "http://www.googleapis.com/oauth2/v3/certs", ZK_ERR_FETCH_URL);
    FAIL(x.method = "POST", ZK_ERR_FETCH_REQUEST);
    FAIL(x.request_digest = wrong, ZK_ERR_FETCH_REQUEST);
    FAIL(x.cert_chain_digest = wrong, ZK_ERR_FETCH_REQUEST);
    FAIL(x.body_len--, ZK_ERR_FETCH_BODY);
    FAIL(x.body = (const uint8_t *)"{\"keys\":[{\"kid\":\"abd\",\"kty\":\"RSA\"}]}",
         ZK_ERR_FETCH_BODY);
    FAIL(x.body = NULL; x.body_len = 0, ZK_ERR_FETCH_BODY);
    FAIL(x.now_ms = T0 + 60001, ZK_ERR_EV_STALE);
    FAIL(x.now_ms = T0 - 1001, ZK_ERR_EV_NOT_YET_VALID);
    FAIL(x.max_age_ms = 0, ZK_ERR_ARG);
    FAIL(x.url = NULL, ZK_ERR_ARG);
    FAIL(x.body = NULL, ZK_ERR_ARG);
    x = e;
    x.now_ms = T0 + 60000;
    zkt_assert_ok(zk_fetch_proof_verify(q, key, &x));
    x.now_ms = T0 - 1000;
    zkt_assert_ok(zk_fetch_proof_verify(q, key, &x));
    zkt_assert_status(zk_fetch_proof_verify(q, other, &e), ZK_ERR_EV_SIGNER);
    cases++;
    ctx_t c = {key, &e};
    zkte_mutate("fetch proof", b, bl, check, &c, &tried, &rejected);
    zk_free(b);
    zk_fetch_proof_free(p);
    zk_fetch_proof_free(q);
    zk_key_free(key);
    zk_key_free(other);
  }
  printf("REJECTIONS fetch verify: %lu cases\n", cases);
  zkt_report_mutations("fetch proof (bit flips, truncations, trailing)", tried, rejected);
  assert_int_equal(tried, rejected);
}

static void test_create_and_parse_rules(void **state) {
  (void)state;
  zk_key *key = zkte_key(ZK_CURVE_ED25519, 0x61);
  zk_fetch_proof *p = NULL;
  zk_fetch_info in = info(), x;
  x = in;
  x.method = "get";
  zkt_assert_status(zk_fetch_proof_create(&p, key, &x), ZK_ERR_VALUE);
  x = in;
  x.method = "VERYLONGMETHODNAME";
  zkt_assert_status(zk_fetch_proof_create(&p, key, &x), ZK_ERR_VALUE);
  x = in;
  x.status = 99;
  zkt_assert_status(zk_fetch_proof_create(&p, key, &x), ZK_ERR_VALUE);
  x = in;
  x.status = 600;
  zkt_assert_status(zk_fetch_proof_create(&p, key, &x), ZK_ERR_VALUE);
  x = in;
  x.url = "";
  zkt_assert_status(zk_fetch_proof_create(&p, key, &x), ZK_ERR_VALUE);
  x = in;
  x.url = NULL;
  zkt_assert_status(zk_fetch_proof_create(&p, key, &x), ZK_ERR_ARG);
  assert_null(p);
  /* A signed payload with a bad status is refused at parse. */
  {
    cbor_item_t *m = cbor_new_indefinite_map();
    uint8_t d[32] = {0};
    zkt_assert_ok(zki_cbor_map_put_str(m, "type", zki_cbor_new_text(ZK_FETCH_TYPE)));
    zkt_assert_ok(zki_cbor_map_put_str(m, "v", cbor_build_uint8(1)));
    zkt_assert_ok(zki_cbor_map_put_str(m, "method", zki_cbor_new_text("GET")));
    zkt_assert_ok(zki_cbor_map_put_str(m, "url", zki_cbor_new_text("u")));
    zkt_assert_ok(zki_cbor_map_put_str(m, "req", zki_cbor_new_bytes(d, 32)));
    zkt_assert_ok(zki_cbor_map_put_str(m, "status", cbor_build_uint16(700)));
    zkt_assert_ok(zki_cbor_map_put_str(m, "hdrs", zki_cbor_new_bytes(d, 32)));
    zkt_assert_ok(zki_cbor_map_put_str(m, "body", zki_cbor_new_bytes(d, 32)));
    zkt_assert_ok(zki_cbor_map_put_str(m, "certs", zki_cbor_new_bytes(d, 32)));
    zkt_assert_ok(zki_cbor_map_put_str(m, "time", cbor_build_uint8(1)));
    uint8_t *enc, *cose;
    size_t el, cl;
    zkt_assert_ok(zki_cbor_encode(&enc, &el, m));
    cose = zkte_sign_raw(key, enc, el, &cl);
    zkt_assert_status(zk_fetch_proof_parse(&p, cose, cl), ZK_ERR_VALUE);
    free(cose);
    free(enc);
    zkt_assert_ok(zki_cbor_map_put_str(m, "status", cbor_build_uint16(200)));
    /* duplicate "status" key now: the encoder refuses it */
    assert_int_not_equal(zki_cbor_encode(&enc, &el, m), ZK_OK);
    cbor_decref(&m);
  }
  /* chain digest argument rules */
  uint8_t d[32];
  const uint8_t *ders[1] = {(const uint8_t *)"x"};
  size_t lens[1] = {1}, zero[1] = {0};
  zkt_assert_status(zk_fetch_cert_chain_digest(d, ders, lens, 0), ZK_ERR_VALUE);
  zkt_assert_status(zk_fetch_cert_chain_digest(d, ders, lens, ZK_FETCH_MAX_CERTS + 1),
                    ZK_ERR_VALUE);
  zkt_assert_status(zk_fetch_cert_chain_digest(d, ders, zero, 1), ZK_ERR_ARG);
  /* single certificate: SHA-256(SHA-256(der)) */
  uint8_t h[32], hh[32];
  zkt_assert_ok(zk_fetch_cert_chain_digest(d, ders, lens, 1));
  zkt_assert_ok(zk_sha256(h, (const uint8_t *)"x", 1));
  zkt_assert_ok(zk_sha256(hh, h, 32));
  assert_memory_equal(d, hh, 32);
  zk_key_free(key);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fetch),
      cmocka_unit_test(test_create_and_parse_rules),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
