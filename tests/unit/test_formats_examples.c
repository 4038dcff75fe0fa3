/*
 * docs/formats.md worked examples, checked byte for byte.
 *
 * Every example is regenerated here from fixed keys (Ed25519 and RFC 6979 ECDSA
 * are deterministic; ECDSA evidence signatures are normalised to low S) and
 * compared with the block that follows "<!-- example: NAME -->" in the document
 * (whitespace ignored). The examples form one consistent chain, which is also
 * verified end to end. ZK_PRINT_EXAMPLES=1 prints the blocks instead (to update
 * the document after an intentional format change).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/evidence_chain.h"
#include "zerokey/fetch_proof.h"
#include "zerokey/merkle.h"
#include "zerokey/ruling.h"
#include "zerokey/sig_result.h"
#include "zkt_evidence.h"

#define T0 1700000000000ull
#define BODY                                                                                   \
  "{\"organizationId\":\"org-1\",\"parameters\":{\"payload\":\"68656c6c6f\"},\"timestampMs\":" \
  "\"1700000000000\",\"type\":\"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2\"}"

static char *doc;
static unsigned long checked;

/* docs/formats.md of the source tree: ZK_TEST_DATA_DIR is <src>/tests/data, which
 * need not exist (so no "..": strip the suffix instead). */
static void doc_path(char *out, size_t cap) {
  const char *d = ZK_TEST_DATA_DIR;
  const char *suffix = strstr(d, "/tests/data");
  int n = suffix != NULL ? (int)(suffix - d) : (int)strlen(d);
  snprintf(out, cap, "%.*s/docs/formats.md", n, d);
}

static char *hex(const uint8_t *p, size_t n) {
  return zkt_tohex(p, n);
}

/* Compare generated text with the documented block (whitespace-insensitive). */
static void check_example(const char *name, const char *got) {
  if (getenv("ZK_PRINT_EXAMPLES") != NULL) {
    printf("<!-- example: %s -->\n```\n", name);
    for (size_t i = 0, n = strlen(got); i < n; i += 64) printf("%.64s\n", got + i);
    printf("```\n\n");
    return;
  }
  char marker[128];
  snprintf(marker, sizeof marker, "<!-- example: %s -->", name);
  const char *m = strstr(doc, marker);
  if (m == NULL) fail_msg("docs/formats.md lacks example %s", name);
  const char *open = strstr(m, "```");
  assert_non_null(open);
  open = strchr(open, '\n');
  assert_non_null(open);
  const char *close = strstr(open, "```");
  assert_non_null(close);
  size_t gi = 0, gn = strlen(got);
  for (const char *p = open + 1; p < close; p++) {
    if (isspace((unsigned char)*p)) continue;
    if (gi >= gn || got[gi] != *p)
      fail_msg("example %s differs from the document at character %zu\n generated: %s", name, gi,
               got);
    gi++;
  }
  if (gi != gn) fail_msg("example %s: document block is shorter (%zu of %zu)", name, gi, gn);
  checked++;
}

static void check_hex(const char *name, const uint8_t *p, size_t n) {
  char *h = hex(p, n);
  check_example(name, h);
  free(h);
}

typedef struct {
  zk_key *api, *policy, *notarizer, *fetcher, *signer, *wallet, *passkey;
} keys_t;

static void keys_init(keys_t *k) {
  k->api = zkte_key(ZK_CURVE_P256, 0x11);
  k->policy = zkte_key(ZK_CURVE_ED25519, 0x22);
  k->notarizer = zkte_key(ZK_CURVE_ED25519, 0x33);
  k->fetcher = zkte_key(ZK_CURVE_P256, 0x44);
  k->signer = zkte_key(ZK_CURVE_SECP256K1, 0x55);
  k->wallet = zkte_key(ZK_CURVE_SECP256K1, 0x66);
  k->passkey = zkte_key(ZK_CURVE_P256, 0x77);
}

static void keys_free(keys_t *k) {
  zk_key_free(k->api);
  zk_key_free(k->policy);
  zk_key_free(k->notarizer);
  zk_key_free(k->fetcher);
  zk_key_free(k->signer);
  zk_key_free(k->wallet);
  zk_key_free(k->passkey);
}

static void pub_example(const char *name, const zk_key *k) {
  uint8_t pub[33], kid[32];
  size_t pl = sizeof pub;
  zkt_assert_ok(zk_key_export_public(
      k, zk_key_curve(k) == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_COMPRESSED, pub, &pl));
  char nm[64];
  snprintf(nm, sizeof nm, "%s-public-key", name);
  check_hex(nm, pub, pl);
  zkt_assert_ok(zk_evidence_kid(kid, k));
  snprintf(nm, sizeof nm, "%s-kid", name);
  check_hex(nm, kid, 32);
}

/* Payload bytes of an evidence message (for the readable payload blocks). */
static void payload_example(const char *name, const uint8_t *b, size_t len) {
  zk_cose_sign1 *c = NULL;
  zkt_assert_ok(zk_cose_sign1_parse(&c, b, len, NULL));
  size_t pl;
  const uint8_t *p = zk_cose_sign1_payload(c, &pl);
  check_hex(name, p, pl);
  zk_cose_sign1_free(c);
}

static void test_examples(void **state) {
  (void)state;
  uint8_t *d;
  size_t dl;
  if (getenv("ZK_PRINT_EXAMPLES") == NULL) {
    char path[4096];
    doc_path(path, sizeof path);
    if (zkt_read_file(path, &d, &dl) != 0) fail_msg("cannot read %s", path);
    doc = (char *)d;
  }
  keys_t k;
  keys_init(&k);
  const char *names[] = {"api", "policy", "notarizer", "fetcher", "signer", "wallet", "passkey"};
  zk_key *kk[] = {k.api, k.policy, k.notarizer, k.fetcher, k.signer, k.wallet, k.passkey};
  for (size_t i = 0; i < 7; i++) pub_example(names[i], kk[i]);

  /* Stamps */
  char *stamp, *wa;
  size_t stamp_len, wa_len;
  zkt_assert_ok(zk_stamp_create(&stamp, &stamp_len, k.api, ZK_STAMP_P256, (const uint8_t *)BODY,
                                strlen(BODY)));
  check_example("stamp-body", BODY);
  check_example("x-stamp", stamp);
  {
    uint8_t *json;
    size_t jl;
    zkt_assert_ok(zki_b64url_decode_alloc(&json, &jl, stamp, stamp_len));
    char *js = calloc(1, jl + 1);
    memcpy(js, json, jl);
    check_example("x-stamp-json", js);
    free(js);
    free(json);
  }
  static const uint8_t cred[] = {1, 2, 3, 4};
  zkt_assert_ok(zk_stamp_create_webauthn(&wa, &wa_len, k.passkey, cred, sizeof cred, "example.com",
                                         "https://example.com", 0x05, 1, (const uint8_t *)BODY,
                                         strlen(BODY)));
  check_example("x-stamp-webauthn", wa);
  uint8_t stamp_digest[32], req_digest[32];
  zkt_assert_ok(zk_sha256(stamp_digest, (const uint8_t *)stamp, stamp_len));
  zkt_assert_ok(zk_sha256(req_digest, (const uint8_t *)BODY, strlen(BODY)));
  check_hex("stamp-digest", stamp_digest, 32);
  check_hex("request-digest", req_digest, 32);

  /* Notarization records 0 and 1 */
  zk_notarization_info ni = {.log_id = "org-1", .sequence = 0, .time_ms = T0 - 60000};
  zkt_assert_ok(zk_sha256(ni.state_digest, (const uint8_t *)"org-1 state v0", 14));
  zk_notarization *n0 = NULL, *n1 = NULL;
  zkt_assert_ok(zk_notarization_create(&n0, k.notarizer, &ni));
  uint8_t st1[32];
  zkt_assert_ok(zk_sha256(st1, (const uint8_t *)"org-1 state v1", 14));
  zkt_assert_ok(zk_notarization_next(&n1, k.notarizer, n0, st1, T0 - 1000));
  uint8_t *nb0, *nb1, nd0[32], nd1[32];
  size_t nl0, nl1;
  zkt_assert_ok(zk_notarization_serialize(n0, &nb0, &nl0));
  zkt_assert_ok(zk_notarization_serialize(n1, &nb1, &nl1));
  zkt_assert_ok(zk_notarization_digest(n0, nd0));
  zkt_assert_ok(zk_notarization_digest(n1, nd1));
  payload_example("notarization-0-payload", nb0, nl0);
  check_hex("notarization-0", nb0, nl0);
  check_hex("notarization-0-digest", nd0, 32);
  payload_example("notarization-1-payload", nb1, nl1);
  check_hex("notarization-1", nb1, nl1);
  check_hex("notarization-1-digest", nd1, 32);

  /* Ruling */
  const char *pol[] = {"policy-1"};
  zk_ruling_info ri = {.decision = ZK_RULING_ALLOW,
                       .organization_id = "org-1",
                       .activity_type = "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
                       .policy_ids = pol,
                       .n_policy_ids = 1,
                       .issued_at_ms = T0 + 500,
                       .expires_at_ms = T0 + 300000};
  memcpy(ri.stamp_digest, stamp_digest, 32);
  memcpy(ri.request_digest, req_digest, 32);
  memcpy(ri.state_digest, nd1, 32);
  zk_ruling *r = NULL;
  zkt_assert_ok(zk_ruling_create(&r, k.policy, &ri));
  uint8_t *rb, rd[32];
  size_t rl;
  zkt_assert_ok(zk_ruling_serialize(r, &rb, &rl));
  zkt_assert_ok(zk_ruling_digest(r, rd));
  payload_example("ruling-payload", rb, rl);
  check_hex("ruling", rb, rl);
  check_hex("ruling-digest", rd, 32);

  /* Signature result: the wallet signs SHA-256("hello") (recoverable ECDSA) */
  uint8_t pd[32], wpub[33], wsig[65];
  size_t wpl = sizeof wpub, wsl = sizeof wsig;
  zkt_assert_ok(zk_sha256(pd, (const uint8_t *)"hello", 5));
  zkt_assert_ok(zk_key_export_public(k.wallet, ZK_PUB_COMPRESSED, wpub, &wpl));
  zkt_assert_ok(zk_key_sign_digest(k.wallet, ZK_SIG_RECOVERABLE, wsig, &wsl, pd, 32));
  zk_sig_result_info si = {.curve = ZK_CURVE_SECP256K1,
                           .scheme = ZK_SCHEME_ECDSA_RECOVERABLE,
                           .public_key = wpub,
                           .public_key_len = wpl,
                           .signature = wsig,
                           .signature_len = wsl,
                           .time_ms = T0 + 800};
  memcpy(si.payload_digest, pd, 32);
  memcpy(si.ruling_digest, rd, 32);
  zk_sig_result *sr = NULL;
  zkt_assert_ok(zk_sig_result_create(&sr, k.signer, &si, NULL, 0));
  uint8_t *sb;
  size_t sl;
  zkt_assert_ok(zk_sig_result_serialize(sr, &sb, &sl));
  payload_example("sigresult-payload", sb, sl);
  check_hex("sigresult", sb, sl);

  /* Fetch proof */
  static const char fbody[] = "{\"keys\":[]}";
  static const char fhdrs[] = "content-type: application/json\r\ncontent-length: 11\r\n";
  zk_fetch_info fi = {.method = "GET",
                      .url = "https://example.com/.well-known/jwks.json",
                      .status = 200,
                      .time_ms = T0 - 2000};
  const uint8_t *ders[2] = {(const uint8_t *)"leaf certificate (DER)",
                            (const uint8_t *)"intermediate certificate (DER)"};
  size_t dlens[2] = {22, 30};
  zkt_assert_ok(zk_sha256(fi.request_digest, (const uint8_t *)"", 0));
  zkt_assert_ok(zk_sha256(fi.headers_digest, (const uint8_t *)fhdrs, strlen(fhdrs)));
  zkt_assert_ok(zk_sha256(fi.body_digest, (const uint8_t *)fbody, strlen(fbody)));
  zkt_assert_ok(zk_fetch_cert_chain_digest(fi.cert_chain_digest, ders, dlens, 2));
  zk_fetch_proof *fp = NULL;
  zkt_assert_ok(zk_fetch_proof_create(&fp, k.fetcher, &fi));
  uint8_t *fb;
  size_t fl;
  zkt_assert_ok(zk_fetch_proof_serialize(fp, &fb, &fl));
  payload_example("fetch-payload", fb, fl);
  check_hex("fetch", fb, fl);
  zk_fetch_expect fe = {.url = fi.url,
                        .body = (const uint8_t *)fbody,
                        .body_len = strlen(fbody),
                        .now_ms = T0,
                        .max_age_ms = 60000};
  zkt_assert_ok(zk_fetch_proof_verify(fp, k.fetcher, &fe));

  /* Merkle tree over the two records */
  uint8_t lh[2][32], root[32], proof[4][32];
  size_t cnt;
  zkt_assert_ok(zk_merkle_leaf_hash(lh[0], nb0, nl0));
  zkt_assert_ok(zk_merkle_leaf_hash(lh[1], nb1, nl1));
  zkt_assert_ok(zk_merkle_root(root, (const uint8_t(*)[32])lh, 2));
  zkt_assert_ok(zk_merkle_inclusion_proof(proof, &cnt, 4, (const uint8_t(*)[32])lh, 2, 1));
  assert_int_equal(cnt, 1);
  check_hex("merkle-leaf-1", lh[1], 32);
  check_hex("merkle-root", root, 32);
  check_hex("merkle-proof-1", proof[0], 32);

  /* The documented examples form a chain that verifies. */
  zk_stamp_verify_opts so = {.now_ms = T0 + 1000};
  zk_evidence_trust t = {.policy_key = k.policy,
                         .notarizer_key = k.notarizer,
                         .signer_key = k.signer,
                         .stamp_opts = &so,
                         .log_id = "org-1",
                         .now_ms = T0 + 1000,
                         .notarization_max_age_ms = 60000};
  zk_evidence_chain c = {.body = (const uint8_t *)BODY,
                         .body_len = strlen(BODY),
                         .stamp = stamp,
                         .stamp_len = stamp_len,
                         .notarization = nb1,
                         .notarization_len = nl1,
                         .ruling = rb,
                         .ruling_len = rl,
                         .sig_result = sb,
                         .sig_result_len = sl};
  zkt_assert_ok(zk_evidence_chain_verify(NULL, &t, &c));
  const char *origins[] = {"https://example.com"};
  zk_stamp_verify_opts wo = {.key = k.passkey,
                             .now_ms = T0 + 1000,
                             .rp_id = "example.com",
                             .origins = origins,
                             .n_origins = 1};
  zk_stamp *ws = NULL;
  zkt_assert_ok(zk_stamp_parse_webauthn(&ws, wa, wa_len));
  zkt_assert_ok(zk_stamp_verify(ws, (const uint8_t *)BODY, strlen(BODY), &wo));
  const uint8_t *recs[2] = {nb0, nb1};
  size_t lens[2] = {nl0, nl1};
  zk_chain_opts co = {.notarizer = k.notarizer, .now_ms = T0, .max_age_ms = 60000};
  zk_chain_result cres;
  zkt_assert_ok(zk_notarization_chain_verify(&cres, recs, lens, 2, &co));

  if (getenv("ZK_PRINT_EXAMPLES") == NULL)
    printf("EXAMPLES docs/formats.md: %lu blocks match\n", checked);
  zk_stamp_free(ws);
  zk_free(stamp);
  zk_free(wa);
  zk_free(nb0);
  zk_free(nb1);
  zk_free(rb);
  zk_free(sb);
  zk_free(fb);
  zk_notarization_free(n0);
  zk_notarization_free(n1);
  zk_ruling_free(r);
  zk_sig_result_free(sr);
  zk_fetch_proof_free(fp);
  keys_free(&k);
  free(doc);
  doc = NULL;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_examples),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
