/* QOS manifests, envelopes, approvals, canonical JSON and PCR commitments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/qos_manifest.h"
#include "zk_internal.h"
#include "zk_qos_internal.h"
#include "zkt.h"

static unsigned long g_run, g_ok;
#define CHECK(cond)                                                        \
  do {                                                                     \
    g_run++;                                                               \
    if (cond)                                                              \
      g_ok++;                                                              \
    else                                                                   \
      print_error("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
  } while (0)

static int hex_eq(const uint8_t *p, size_t n, const char *hex) {
  char *h = zkt_tohex(p, n);
  int eq = strcmp(h, hex) == 0;
  free(h);
  return eq;
}

static zk_qos_keyset *keyset_file(const char *rel) {
  uint8_t *buf;
  size_t len;
  if (zkt_vector_file_(rel, &buf, &len) != 0) return NULL;
  zk_qos_keyset *ks = NULL;
  zkt_assert_ok(zk_qos_keyset_from_hex(&ks, (const char *)buf, len));
  zk_free_secret(buf, len);
  return ks;
}

static void test_golden_v1(void **state) {
  (void)state;
  json_t *j;
  ZKT_VECTOR_JSON("turnkey/qos_manifest/golden_manifest_v1.json", &j);
  g_run = g_ok = 0;
  const char *mj = zkt_jstr(j, "manifest_v1_json");
  const char *want_hex = zkt_jstr(j, "manifest_v1_borsh_hex");
  zk_qos_manifest *m;
  zkt_assert_ok(zk_qos_manifest_parse_json(&m, mj, strlen(mj)));
  uint8_t *b;
  size_t n;
  zkt_assert_ok(zk_qos_manifest_serialize_borsh(m, &b, &n));
  CHECK(n == (size_t)json_integer_value(json_object_get(j, "manifest_v1_borsh_len")));
  CHECK(hex_eq(b, n, want_hex));
  CHECK(hex_eq(zk_qos_manifest_hash(m), 32, zkt_jstr(j, "manifest_v1_sha256")));
  CHECK(zk_qos_manifest_version_of(m) == 1);
  CHECK(strcmp(zk_qos_manifest_namespace(m), "production/signer") == 0);
  CHECK(zk_qos_manifest_nonce(m) == 31);
  /* borsh -> manifest (explicit and detected version) -> same bytes */
  for (int v = 0; v < 2; v++) {
    zk_qos_manifest *m2;
    zkt_assert_ok(
        zk_qos_manifest_parse_borsh(&m2, b, n, v ? ZK_QOS_MANIFEST_AUTO : ZK_QOS_MANIFEST_V1));
    uint8_t *b2;
    size_t n2;
    zkt_assert_ok(zk_qos_manifest_serialize_borsh(m2, &b2, &n2));
    CHECK(n2 == n && memcmp(b2, b, n) == 0);
    CHECK(memcmp(zk_qos_manifest_hash(m2), zk_qos_manifest_hash(m), 32) == 0);
    free(b2);
    zk_qos_manifest_free(m2);
  }

  /* V0 JSON is read as V1 (upgrade), and its V0 form has the published V0 hash */
  const char *m0j = zkt_jstr(j, "manifest_v0_json");
  zk_qos_manifest *m0;
  zkt_assert_ok(zk_qos_manifest_parse_json(&m0, m0j, strlen(m0j)));
  uint8_t *b0;
  size_t n0;
  zkt_assert_ok(zk_qos_manifest_serialize_borsh(m0, &b0, &n0));
  CHECK(n0 == 1422);
  char *h0 = zkt_tohex(zk_qos_manifest_hash(m0), 32);
  CHECK(strncmp(h0, "af2d3c", 6) == 0); /* the vector quotes the prefix */
  free(h0);
  free(b0);
  zkt_assert_ok(zki_qos_manifest_as_v0(m0));
  zkt_assert_ok(zk_qos_manifest_serialize_borsh(m0, &b0, &n0));
  CHECK(n0 == (size_t)json_integer_value(json_object_get(j, "manifest_v0_borsh_len")));
  CHECK(hex_eq(zk_qos_manifest_hash(m0), 32, zkt_jstr(j, "manifest_v0_sha256")));
  {
    zk_qos_manifest *m3;
    zkt_assert_ok(zk_qos_manifest_parse_borsh(&m3, b0, n0, ZK_QOS_MANIFEST_AUTO));
    CHECK(zk_qos_manifest_version_of(m3) == 0);
    CHECK(memcmp(zk_qos_manifest_hash(m3), zk_qos_manifest_hash(m0), 32) == 0);
    zk_qos_manifest_free(m3);
  }
  free(b0);
  zkt_assert_status(zki_qos_manifest_as_v0(m), ZK_ERR_QOS_MANIFEST_VERSION);

  /* The approval is RFC 6979 by the primary key over the manifest hash: reproduce it. */
  zk_qos_keyset *primary = keyset_file("turnkey/qos_keys/primary.secret.keep");
  assert_non_null(primary);
  zk_qos_approval *a;
  zkt_assert_ok(zk_qos_approval_sign(&a, primary, "dev", m));
  json_t *aj = json_loads(zkt_jstr(j, "approval_json"), 0, NULL);
  assert_non_null(aj);
  uint8_t sig[64];
  zkt_assert_ok(zk_qos_sign(primary, sig, sizeof sig, zk_qos_manifest_hash(m), 32));
  CHECK(hex_eq(sig, 64, zkt_jstr(aj, "signature")));
  const zk_qos_approval *list[1] = {a};
  CHECK(zk_qos_manifest_verify_approvals(m, ZK_QOS_SET_MANIFEST, list, 1) == ZK_OK);
  CHECK(zk_qos_manifest_verify_approvals(m, ZK_QOS_SET_SHARE, list, 1) == ZK_OK);
  /* patch set members have no alias: the key alone identifies them */
  CHECK(zk_qos_manifest_verify_approvals(m, ZK_QOS_SET_PATCH, list, 1) == ZK_OK);
  json_decref(aj);

  /* Envelope JSON -> borsh (1653 bytes, published digest) and back. */
  const char *ej = zkt_jstr(j, "manifest_envelope_json");
  zk_qos_envelope *env;
  zkt_assert_ok(zk_qos_envelope_parse_json(&env, ej, strlen(ej)));
  CHECK(zk_qos_envelope_verify_approvals(env, ZK_QOS_ENV_NO_SHARE_APPROVALS) == ZK_OK);
  uint8_t *eb;
  size_t en;
  zkt_assert_ok(zk_qos_envelope_serialize_borsh(env, &eb, &en));
  CHECK(en == (size_t)json_integer_value(json_object_get(j, "manifest_envelope_borsh_len")));
  uint8_t dig[32];
  zkt_assert_ok(zk_sha256(dig, eb, en));
  CHECK(hex_eq(dig, 32, zkt_jstr(j, "manifest_envelope_sha256")));
  zk_qos_envelope *env2;
  zkt_assert_ok(zk_qos_envelope_parse_borsh(&env2, eb, en, ZK_QOS_MANIFEST_AUTO));
  CHECK(zk_qos_envelope_verify_approvals(env2, 0) == ZK_OK);
  CHECK(memcmp(zk_qos_manifest_hash(zk_qos_envelope_manifest(env2)), zk_qos_manifest_hash(m), 32) ==
        0);
  /* positive controls for the exact calls of the sweeps below */
  CHECK(zk_qos_envelope_verify_approvals(env2, ZK_QOS_ENV_NO_SHARE_APPROVALS) == ZK_OK);
  {
    zk_qos_manifest *mb = NULL;
    CHECK(zk_qos_manifest_parse_borsh(&mb, b, n, ZK_QOS_MANIFEST_AUTO) == ZK_OK &&
          zk_qos_manifest_verify_approvals(mb, ZK_QOS_SET_MANIFEST, list, 1) == ZK_OK);
    zk_qos_manifest_free(mb);
  }
  zkt_report("qos golden manifest", g_run, g_ok);
  assert_int_equal(g_run, g_ok);

  /* Mutations of the envelope: every truncation fails to parse; every single-byte
   * flip either fails to parse or fails approval verification. */
  unsigned long mut = 0, rej = 0;
  for (size_t cut = 0; cut < en; cut += zkt_stride(en)) {
    zk_qos_envelope *x;
    mut++;
    if (zk_qos_envelope_parse_borsh(&x, eb, cut, ZK_QOS_MANIFEST_AUTO) != ZK_OK && x == NULL)
      rej++;
    else
      zk_qos_envelope_free(x);
  }
  for (size_t i = 0; i < en; i += zkt_stride(en)) {
    eb[i] ^= 0x01;
    zk_qos_envelope *x = NULL;
    mut++;
    zk_status st = zk_qos_envelope_parse_borsh(&x, eb, en, ZK_QOS_MANIFEST_AUTO);
    if (st != ZK_OK)
      rej++;
    else if (zk_qos_envelope_verify_approvals(x, ZK_QOS_ENV_NO_SHARE_APPROVALS) != ZK_OK)
      rej++;
    zk_qos_envelope_free(x);
    eb[i] ^= 0x01;
  }
  zkt_report_mutations("qos envelope borsh", mut, rej);
  assert_int_equal(mut, rej);
  /* Manifest borsh: truncations refused; a flip is refused by the parser or by the approval
   * (the operator signed the original manifest's hash). */
  mut = rej = 0;
  for (size_t cut = 0; cut < n; cut += zkt_stride(n)) {
    zk_qos_manifest *x;
    mut++;
    if (zk_qos_manifest_parse_borsh(&x, b, cut, ZK_QOS_MANIFEST_AUTO) != ZK_OK)
      rej++;
    else
      zk_qos_manifest_free(x);
  }
  for (size_t i = 0; i < n; i += zkt_stride(n)) {
    b[i] ^= 0x80;
    zk_qos_manifest *x = NULL;
    mut++;
    if (zk_qos_manifest_parse_borsh(&x, b, n, ZK_QOS_MANIFEST_AUTO) != ZK_OK ||
        zk_qos_manifest_verify_approvals(x, ZK_QOS_SET_MANIFEST, list, 1) != ZK_OK)
      rej++;
    zk_qos_manifest_free(x);
    b[i] ^= 0x80;
  }
  zkt_report_mutations("qos manifest borsh", mut, rej);
  assert_int_equal(mut, rej);
  zk_qos_approval_free(a);

  free(eb);
  zk_qos_envelope_free(env);
  zk_qos_envelope_free(env2);
  zk_qos_keyset_free(primary);
  free(b);
  zk_qos_manifest_free(m0);
  zk_qos_manifest_free(m);
  json_decref(j);
}

static zk_qos_manifest *manifest_from_json_value(json_t *v) {
  char *s = json_dumps(v, JSON_COMPACT);
  zk_qos_manifest *m;
  zkt_assert_ok(zk_qos_manifest_parse_json(&m, s, strlen(s)));
  free(s);
  return m;
}

static void test_stable_borsh(void **state) {
  (void)state;
  json_t *j;
  ZKT_VECTOR_JSON("turnkey/qos_manifest/stable_borsh_vectors.json", &j);
  g_run = g_ok = 0;
  zk_qos_manifest *v0 = manifest_from_json_value(json_object_get(j, "manifest_v0"));
  zk_qos_manifest *v1 = manifest_from_json_value(json_object_get(j, "manifest_v1_from_v0"));
  zkt_assert_ok(zki_qos_manifest_as_v0(v0));
  static const struct {
    const char *key;
    int v;
  } cases[] = {{"manifest_v0_borsh", 0}, {"manifest_v1_borsh", 1}};
  for (size_t c = 0; c < 2; c++) {
    zk_qos_manifest *m = cases[c].v ? v1 : v0;
    json_t *want = json_object_get(j, cases[c].key);
    uint8_t *b;
    size_t n;
    zkt_assert_ok(zk_qos_manifest_serialize_borsh(m, &b, &n));
    CHECK(n == (size_t)json_integer_value(json_object_get(want, "len")));
    CHECK(hex_eq(zk_qos_manifest_hash(m), 32, zkt_jstr(want, "sha256")));
    free(b);
  }
  /* envelopes with (dummy) approvals in both lists */
  json_t *ea = json_object_get(j, "envelope_approvals");
  static const char *const envkeys[] = {"manifest_envelope_v0_borsh", "manifest_envelope_v1_borsh"};
  for (int v = 0; v < 2; v++) {
    zk_qos_envelope *env;
    zkt_assert_ok(zk_qos_envelope_new(&env, v ? v1 : v0));
    static const char *const lists[] = {"manifestSetApprovals", "shareSetApprovals"};
    for (int l = 0; l < 2; l++) {
      json_t *arr = json_object_get(ea, lists[l]);
      for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *ap = json_array_get(arr, i), *mem = json_object_get(ap, "member");
        size_t sl, pl;
        uint8_t *sig = zkt_hex(zkt_jstr(ap, "signature"), &sl);
        uint8_t *pub = zkt_hex(zkt_jstr(mem, "pubKey"), &pl);
        zk_qos_approval *a;
        zkt_assert_ok(zk_qos_approval_new(&a, sig, sl, zkt_jstr(mem, "alias"), pub, pl));
        zkt_assert_ok(
            zk_qos_envelope_add_approval(env, l ? ZK_QOS_SET_SHARE : ZK_QOS_SET_MANIFEST, a));
        zk_qos_approval_free(a);
        free(sig);
        free(pub);
      }
    }
    uint8_t *b, dig[32];
    size_t n;
    zkt_assert_ok(zk_qos_envelope_serialize_borsh(env, &b, &n));
    json_t *want = json_object_get(j, envkeys[v]);
    zkt_assert_ok(zk_sha256(dig, b, n));
    CHECK(n == (size_t)json_integer_value(json_object_get(want, "len")));
    CHECK(hex_eq(dig, 32, zkt_jstr(want, "sha256")));
    /* dummy 33-byte keys and fill signatures: approvals must be refused */
    CHECK(zk_qos_envelope_verify_approvals(env, 0) == ZK_ERR_QOS_KEY);
    zk_qos_envelope *back;
    zkt_assert_ok(
        zk_qos_envelope_parse_borsh(&back, b, n, v ? ZK_QOS_MANIFEST_V1 : ZK_QOS_MANIFEST_V0));
    CHECK(zk_qos_envelope_approval_count(back, ZK_QOS_SET_SHARE) == 1);
    zk_qos_envelope_free(back);
    free(b);
    zk_qos_envelope_free(env);
  }
  zkt_report("qos stable borsh", g_run, g_ok);
  assert_int_equal(g_run, g_ok);
  zk_qos_manifest_free(v0);
  zk_qos_manifest_free(v1);
  json_decref(j);
}

static void test_old_v0_and_fixtures(void **state) {
  (void)state;
  uint8_t *b;
  size_t n;
  ZKT_VECTOR_FILE("turnkey/qos_manifest/old_manifest_v0.borsh", &b, &n);
  g_run = g_ok = 0;
  zk_qos_manifest *m;
  zkt_assert_ok(zk_qos_manifest_parse_borsh(&m, b, n, ZK_QOS_MANIFEST_AUTO));
  CHECK(zk_qos_manifest_version_of(m) == 0);
  CHECK(strcmp(zk_qos_manifest_namespace(m), "quit-coding-to-vape") == 0);
  /* it pins the boot-e2e quorum key */
  uint8_t seed[32];
  size_t sn;
  zkt_assert_ok(zki_hex_decode(
      seed, 32, &sn, "79922ba19779d7a54380ac1c7d3e1f28a0290207d187b7ed49762e431e4e85fc", 64));
  zk_qos_keyset *qk;
  zkt_assert_ok(zk_qos_keyset_from_seed(&qk, seed, 32));
  size_t qn;
  const uint8_t *q = zk_qos_manifest_quorum_key(m, &qn);
  CHECK(qn == 130 && memcmp(q, zk_qos_keyset_public(qk), 130) == 0);
  uint8_t *b2;
  size_t n2;
  zkt_assert_ok(zk_qos_manifest_serialize_borsh(m, &b2, &n2));
  CHECK(n2 == n && memcmp(b2, b, n) == 0);
  free(b2);
  zk_qos_keyset_free(qk);
  zk_qos_manifest_free(m);
  free(b);

  uint8_t *tj;
  size_t tn;
  ZKT_VECTOR_FILE("turnkey/qos_manifest/tvc_fixture_manifest_v1.json", &tj, &tn);
  zk_status st = zk_qos_manifest_parse_json(&m, (const char *)tj, tn);
  CHECK(st == ZK_OK);
  zk_qos_manifest_free(m);
  free(tj);

  /* The real 2026 TVC envelope: its approval verifies (1-of-1 manifest set). */
  json_t *pj;
  ZKT_VECTOR_JSON("turnkey/qos_manifest/tvc_valid_provisioning_details.json", &pj);
  char *es = json_dumps(json_object_get(pj, "manifest_envelope"), JSON_COMPACT);
  zk_qos_envelope *env;
  zkt_assert_ok(zk_qos_envelope_parse_json(&env, es, strlen(es)));
  CHECK(zk_qos_envelope_verify_approvals(env, ZK_QOS_ENV_NO_SHARE_APPROVALS) == ZK_OK);
  CHECK(zk_qos_manifest_threshold(zk_qos_envelope_manifest(env), ZK_QOS_SET_SHARE) == 2);
  free(es);
  zk_qos_envelope_free(env);
  json_decref(pj);

  /* V2 (canonical JSON manifests) is not supported: refused, never misread as V1. */
  json_t *v2;
  ZKT_VECTOR_JSON("turnkey/qos_manifest/DERIVED_manifest_v2_example.json", &v2);
  char *v2s = json_dumps(json_object_get(v2, "manifest_v2"), JSON_COMPACT);
  CHECK(zk_qos_manifest_parse_json(&m, v2s, strlen(v2s)) == ZK_ERR_QOS_MANIFEST_VERSION &&
        m == NULL);
  /* but its canonical JSON and hash (the V2 manifest hash) are reproduced */
  char *canon;
  size_t cn;
  zkt_assert_ok(zk_qos_canonical_json(&canon, &cn, v2s, strlen(v2s)));
  CHECK(strcmp(canon, zkt_jstr(v2, "canonical_json")) == 0);
  uint8_t dig[32];
  zkt_assert_ok(zk_sha256(dig, (const uint8_t *)canon, cn));
  CHECK(hex_eq(dig, 32, zkt_jstr(v2, "manifest_hash")));
  free(canon);
  free(v2s);
  json_decref(v2);
  zkt_report("qos v0/tvc/v2 fixtures", g_run, g_ok);
  assert_int_equal(g_run, g_ok);
}

static void test_canonical_and_pcr(void **state) {
  (void)state;
  json_t *j;
  ZKT_VECTOR_JSON("turnkey/qos_json_and_pcr.json", &j);
  g_run = g_ok = 0;
  json_t *cj = json_object_get(j, "qos_canonical_json");
  for (size_t i = 0; i < json_array_size(cj); i++) {
    json_t *c = json_array_get(cj, i);
    char *in = json_dumps(json_object_get(c, "value"), JSON_COMPACT | JSON_ENCODE_ANY);
    char *out;
    size_t on;
    zkt_assert_ok(zk_qos_canonical_json(&out, &on, in, strlen(in)));
    CHECK(strcmp(out, zkt_jstr(c, "canonical")) == 0);
    uint8_t d[32];
    zkt_assert_ok(zk_sha256(d, (const uint8_t *)out, on));
    CHECK(hex_eq(d, 32, zkt_jstr(c, "sha256")));
    free(out);
    free(in);
  }
  json_t *pc = json_object_get(j, "manifest_commitment_pcr");
  for (size_t i = 0; i < json_array_size(pc); i++) {
    json_t *c = json_array_get(pc, i);
    size_t hl, el;
    uint8_t *h = zkt_hex(zkt_jstr(c, "manifest_hash"), &hl);
    uint8_t *e = zkt_hex(zkt_jstr(c, "ephemeral_public_key"), &el);
    uint8_t pcr[48], com[48];
    zk_qos_commitment_kind kind =
        strcmp(zkt_jstr(c, "kind"), "setup") == 0 ? ZK_QOS_COMMIT_SETUP : ZK_QOS_COMMIT_LIVE;
    CHECK((int)kind == (int)json_integer_value(json_object_get(c, "pcr_index")));
    zkt_assert_ok(zk_qos_pcr_commitment(pcr, com, kind, h, hl, e, el));
    CHECK(hex_eq(com, 48, zkt_jstr(c, "commitment_sha384")));
    CHECK(hex_eq(pcr, 48, zkt_jstr(c, "expected_pcr")));
    /* other kind gives another value */
    uint8_t other[48];
    zkt_assert_ok(zk_qos_pcr_commitment(
        other, NULL, kind == ZK_QOS_COMMIT_SETUP ? ZK_QOS_COMMIT_LIVE : ZK_QOS_COMMIT_SETUP, h, hl,
        e, el));
    CHECK(memcmp(other, pcr, 48) != 0);
    free(h);
    free(e);
  }
  /* preimage: canonical JSON of the commitment object (checked through its SHA-384) */
  json_t *pre = json_object_get(j, "manifest_commitment_preimage");
  {
    uint8_t h[2] = {1, 2}, e[2] = {3, 4}, pcr[48], com[48], want[48];
    zkt_assert_ok(zk_qos_pcr_commitment(pcr, com, ZK_QOS_COMMIT_SETUP, h, 2, e, 2));
    const char *p = zkt_jstr(pre, "preimage");
    zkt_assert_ok(zk_sha384(want, (const uint8_t *)p, strlen(p)));
    CHECK(memcmp(com, want, 48) == 0);
  }
  json_t *p3 = json_object_get(j, "pcr3");
  for (size_t i = 0; i < json_array_size(p3); i++) {
    json_t *c = json_array_get(p3, i);
    const char *arn = zkt_jstr(c, "iam_role_arn");
    uint8_t pcr[48];
    zkt_assert_ok(zk_qos_pcr3_from_arn(pcr, arn, strlen(arn)));
    CHECK(hex_eq(pcr, 48, zkt_jstr(c, "pcr3")));
  }
  zkt_report("qos canonical json + pcr", g_run, g_ok);
  assert_int_equal(g_run, g_ok);
  json_decref(j);

  /* canonical JSON edge cases */
  static const struct {
    const char *in, *out;
    zk_status st;
  } cases[] = {
      {"{\"b\":1,\"a\":[true,false,null],\"c\":null}", "{\"a\":[true,false,null],\"b\":\"1\"}",
       ZK_OK},
      {"{\"x\":\"q\\\"\\\\\\n\\u0001\\u00e9\"}", "{\"x\":\"q\\\"\\\\\\n\\u0001\xc3\xa9\"}", ZK_OK},
      /* U+FFFD sorts after U+1F600 in UTF-16 (surrogates D83D < FFFD) */
      {"{\"\xef\xbf\xbd\":1,\"\xf0\x9f\x98\x80\":2}",
       "{\"\xf0\x9f\x98\x80\":\"2\",\"\xef\xbf\xbd\":\"1\"}", ZK_OK},
      {"{\"n\":-5}", "{\"n\":\"-5\"}", ZK_OK},
      {"{\"n\":1.5}", NULL, ZK_ERR_QOS_CANONICAL_JSON},
      {"{\"a\":1,\"a\":2}", NULL, ZK_ERR_DUPLICATE_KEY},
      {"{\"a\":", NULL, ZK_ERR_JSON},
  };
  unsigned long run = 0, ok = 0;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(cases); i++) {
    char *out = NULL;
    size_t on;
    run++;
    zk_status st = zk_qos_canonical_json(&out, &on, cases[i].in, strlen(cases[i].in));
    if (st == cases[i].st && (cases[i].out == NULL ? out == NULL : strcmp(out, cases[i].out) == 0))
      ok++;
    else
      print_error("canonical case %zu: %s -> %s\n", i, zk_status_name(st), out ? out : "(null)");
    free(out);
  }
  /* depth limit */
  char deep[300];
  memset(deep, '[', 100);
  memset(deep + 100, ']', 100);
  deep[200] = 0;
  char *out;
  size_t on;
  run++;
  if (zk_qos_canonical_json(&out, &on, deep, 200) == ZK_ERR_DEPTH) ok++;
  zkt_report("qos canonical json edge cases", run, ok);
  assert_int_equal(run, ok);
}

/* Build a manifest JSON with a 2-of-3 manifest set of fresh keys; returns the golden as base. */
static json_t *golden_manifest_json(void) {
  json_t *j = zkt_vector_json_("turnkey/qos_manifest/golden_manifest_v1.json");
  if (j == NULL) return NULL;
  json_t *m = json_loads(zkt_jstr(j, "manifest_v1_json"), 0, NULL);
  json_decref(j);
  return m;
}

static json_t *member_json(const char *alias, const zk_qos_keyset *ks) {
  char *h = zkt_tohex(zk_qos_keyset_public(ks), 130);
  json_t *o = json_pack("{s:s,s:s}", "alias", alias, "pubKey", h);
  free(h);
  return o;
}

static void test_approval_policy(void **state) {
  (void)state;
  json_t *mj = golden_manifest_json();
  if (mj == NULL) {
    zkt_note_skip_("turnkey/qos_manifest/golden_manifest_v1.json");
    skip();
  }
  zk_qos_keyset *op[4];
  for (int i = 0; i < 4; i++) zkt_assert_ok(zk_qos_keyset_generate(&op[i]));
  static const char *const alias[] = {"op-a", "op-b", "op-c", "outsider"};
  json_t *members = json_array();
  for (int i = 0; i < 3; i++) json_array_append_new(members, member_json(alias[i], op[i]));
  json_t *set = json_pack("{s:i,s:o}", "threshold", 2, "members", members);
  json_object_set(mj, "manifestSet", set);
  json_object_set(mj, "shareSet", set);
  json_decref(set);
  zk_qos_manifest *m = manifest_from_json_value(mj);
  zk_qos_approval *ap[4], *wrong_alias, *bad_sig;
  for (int i = 0; i < 4; i++) zkt_assert_ok(zk_qos_approval_sign(&ap[i], op[i], alias[i], m));
  zkt_assert_ok(zk_qos_approval_sign(&wrong_alias, op[0], "op-z", m));
  {
    uint8_t sig[64];
    zkt_assert_ok(zk_qos_sign(op[1], sig, sizeof sig, (const uint8_t *)"other", 5));
    zkt_assert_ok(
        zk_qos_approval_new(&bad_sig, sig, 64, alias[1], zk_qos_keyset_public(op[1]), 130));
  }
  unsigned long run = 0, ok = 0;
#define EXPECT_APPROVALS(set_, want, ...)                                             \
  do {                                                                                \
    const zk_qos_approval *l_[] = {__VA_ARGS__};                                      \
    run++;                                                                            \
    zk_status st_ = zk_qos_manifest_verify_approvals(m, set_, l_, ZKI_ARRAY_LEN(l_)); \
    if (st_ == (want))                                                                \
      ok++;                                                                           \
    else                                                                              \
      print_error("line %d: got %s want %s\n", __LINE__, zk_status_name(st_), #want); \
  } while (0)
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_OK, ap[0], ap[1]);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_OK, ap[2], ap[0]);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_OK, ap[0], ap[1], ap[2]);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_ERR_QOS_THRESHOLD, ap[0]);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_ERR_QOS_DUPLICATE_APPROVAL, ap[0], ap[0]);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_ERR_QOS_APPROVER_UNKNOWN, ap[0], ap[3]);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_ERR_QOS_APPROVER_UNKNOWN, ap[1], wrong_alias);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_ERR_QOS_APPROVAL, ap[0], bad_sig);
  EXPECT_APPROVALS(ZK_QOS_SET_SHARE, ZK_OK, ap[1], ap[2]);
  /* the golden patch set (1 member, the primary key) does not know these operators */
  EXPECT_APPROVALS(ZK_QOS_SET_PATCH, ZK_ERR_QOS_APPROVER_UNKNOWN, ap[0]);
  run++;
  if (zk_qos_manifest_verify_approvals(m, ZK_QOS_SET_MANIFEST, NULL, 0) == ZK_ERR_QOS_THRESHOLD)
    ok++;

  /* envelope: share-set approvals rules */
  zk_qos_envelope *env;
  zkt_assert_ok(zk_qos_envelope_new(&env, m));
  run++;
  if (zk_qos_envelope_verify_approvals(env, 0) == ZK_ERR_QOS_THRESHOLD) ok++;
  zkt_assert_ok(zk_qos_envelope_add_approval(env, ZK_QOS_SET_MANIFEST, ap[0]));
  zkt_assert_ok(zk_qos_envelope_add_approval(env, ZK_QOS_SET_MANIFEST, ap[2]));
  run++;
  if (zk_qos_envelope_verify_approvals(env, ZK_QOS_ENV_NO_SHARE_APPROVALS) == ZK_OK) ok++;
  zkt_assert_ok(zk_qos_envelope_add_approval(env, ZK_QOS_SET_SHARE, ap[1]));
  run++;
  if (zk_qos_envelope_verify_approvals(env, ZK_QOS_ENV_NO_SHARE_APPROVALS) ==
      ZK_ERR_QOS_SHARE_APPROVALS)
    ok++;
  run++;
  if (zk_qos_envelope_verify_approvals(env, ZK_QOS_ENV_SHARE_APPROVALS) == ZK_ERR_QOS_THRESHOLD)
    ok++;
  zkt_assert_ok(zk_qos_envelope_add_approval(env, ZK_QOS_SET_SHARE, ap[2]));
  run++;
  if (zk_qos_envelope_verify_approvals(env, ZK_QOS_ENV_SHARE_APPROVALS) == ZK_OK) ok++;
  run++;
  if (zk_qos_envelope_verify_approvals(
          env, ZK_QOS_ENV_SHARE_APPROVALS | ZK_QOS_ENV_NO_SHARE_APPROVALS) == ZK_ERR_ARG)
    ok++;
  /* round trip through borsh keeps the verdict */
  uint8_t *b;
  size_t n;
  zkt_assert_ok(zk_qos_envelope_serialize_borsh(env, &b, &n));
  zk_qos_envelope *back;
  zkt_assert_ok(zk_qos_envelope_parse_borsh(&back, b, n, ZK_QOS_MANIFEST_V1));
  run++;
  if (zk_qos_envelope_verify_approvals(back, ZK_QOS_ENV_SHARE_APPROVALS) == ZK_OK) ok++;
  free(b);
  zk_qos_envelope_free(back);
  zk_qos_envelope_free(env);
  zk_qos_manifest_free(m);

  /* malformed sets: threshold 0 / above members, duplicate members */
  json_t *s2 = json_object_get(mj, "manifestSet");
  json_object_set_new(s2, "threshold", json_integer(0));
  m = manifest_from_json_value(mj);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_ERR_QOS_SET_THRESHOLD, ap[0]);
  zk_qos_manifest_free(m);
  json_object_set_new(s2, "threshold", json_integer(4));
  m = manifest_from_json_value(mj);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_ERR_QOS_SET_THRESHOLD, ap[0]);
  zk_qos_manifest_free(m);
  json_object_set_new(s2, "threshold", json_integer(2));
  json_array_append_new(json_object_get(s2, "members"), member_json("op-a2", op[0]));
  m = manifest_from_json_value(mj);
  EXPECT_APPROVALS(ZK_QOS_SET_MANIFEST, ZK_ERR_QOS_DUPLICATE_MEMBER, ap[0], ap[1]);
  zk_qos_manifest_free(m);
#undef EXPECT_APPROVALS
  zkt_report("qos approval policy", run, ok);
  assert_int_equal(run, ok);
  for (int i = 0; i < 4; i++) {
    zk_qos_approval_free(ap[i]);
    zk_qos_keyset_free(op[i]);
  }
  zk_qos_approval_free(wrong_alias);
  zk_qos_approval_free(bad_sig);
  json_decref(mj);
}

/* Strict JSON and borsh refusals, each with its own status. */
static void test_strictness(void **state) {
  (void)state;
  json_t *base = golden_manifest_json();
  if (base == NULL) {
    zkt_note_skip_("turnkey/qos_manifest/golden_manifest_v1.json");
    skip();
  }
  unsigned long run = 0, ok = 0;
  struct {
    const char *path1, *path2; /* object member to change */
    json_t *value;             /* NULL: delete */
    zk_status want;
  } cases[] = {
      {"namespace", "extra", json_integer(1), ZK_ERR_UNKNOWN_FIELD},
      {"namespace", "nonce", NULL, ZK_ERR_MISSING_FIELD},
      {"namespace", "nonce", json_string("31"), ZK_ERR_TYPE},
      {"namespace", "nonce", json_integer(4294967296LL), ZK_ERR_VALUE},
      {"namespace", "nonce", json_integer(-1), ZK_ERR_VALUE},
      {"namespace", "quorumKey", json_string("0g"), ZK_ERR_HEX},
      {"namespace", "quorumKey", json_string("abc"), ZK_ERR_HEX},
      {"pivot", "hash", json_string("00"), ZK_ERR_VALUE},
      {"pivot", "restart", json_string("Sometimes"), ZK_ERR_VALUE},
      {"pivot", "debugMode", json_integer(1), ZK_ERR_TYPE},
      {"pivot", "args", json_string("x"), ZK_ERR_TYPE},
      {"enclave", "pcr0", json_integer(0), ZK_ERR_TYPE},
      {"enclave", "qosCommit", NULL, ZK_ERR_MISSING_FIELD},
      {"manifestSet", "threshold", json_real(1.0), ZK_ERR_TYPE},
      {NULL, "version", json_string("v2"), ZK_ERR_QOS_MANIFEST_VERSION},
      {NULL, "patchSet", NULL, ZK_ERR_MISSING_FIELD},
      {NULL, "bogus", json_true(), ZK_ERR_UNKNOWN_FIELD},
  };
  for (size_t i = 0; i < ZKI_ARRAY_LEN(cases); i++) {
    json_t *c = json_deep_copy(base);
    json_t *o = cases[i].path1 ? json_object_get(c, cases[i].path1) : c;
    if (cases[i].value)
      json_object_set_new(o, cases[i].path2, cases[i].value);
    else
      json_object_del(o, cases[i].path2);
    char *s = json_dumps(c, JSON_COMPACT);
    zk_qos_manifest *m = (zk_qos_manifest *)1;
    run++;
    zk_status st = zk_qos_manifest_parse_json(&m, s, strlen(s));
    if (st == cases[i].want && m == NULL)
      ok++;
    else
      print_error("strict case %zu: got %s\n", i, zk_status_name(st));
    free(s);
    json_decref(c);
  }
  /* duplicate key and broken JSON */
  zk_qos_manifest *m;
  run++;
  if (zk_qos_manifest_parse_json(&m, "{\"a\":1,\"a\":1}", 13) == ZK_ERR_DUPLICATE_KEY) ok++;
  run++;
  if (zk_qos_manifest_parse_json(&m, "{", 1) == ZK_ERR_JSON) ok++;

  /* borsh: tags, bools, UTF-8, trailing */
  zk_qos_manifest *g = manifest_from_json_value(base);
  uint8_t *b;
  size_t n;
  zkt_assert_ok(zk_qos_manifest_serialize_borsh(g, &b, &n));
  size_t name_len = strlen(zk_qos_manifest_namespace(g));
  size_t qk_off = 4 + name_len + 4;
  size_t restart_off = qk_off + 4 + 130 + 32;
  uint8_t *c = malloc(n + 1);
  memcpy(c, b, n);
  c[restart_off] = 2; /* restart */
  run++;
  if (zk_qos_manifest_parse_borsh(&m, c, n, ZK_QOS_MANIFEST_V1) == ZK_ERR_VALUE) ok++;
  memcpy(c, b, n);
  c[restart_off + 1 + 4] = 2; /* bridge tag */
  run++;
  if (zk_qos_manifest_parse_borsh(&m, c, n, ZK_QOS_MANIFEST_V1) == ZK_ERR_VALUE) ok++;
  memcpy(c, b, n);
  c[4] = 0xff; /* invalid UTF-8 in the namespace name */
  run++;
  if (zk_qos_manifest_parse_borsh(&m, c, n, ZK_QOS_MANIFEST_V1) == ZK_ERR_PARSE) ok++;
  memcpy(c, b, n);
  c[n] = 0;
  run++;
  if (zk_qos_manifest_parse_borsh(&m, c, n + 1, ZK_QOS_MANIFEST_V1) == ZK_ERR_TRAILING) ok++;
  memcpy(c, b, n);
  c[0] = 0xff; /* name length far beyond the input */
  c[1] = 0xff;
  run++;
  if (zk_qos_manifest_parse_borsh(&m, c, n, ZK_QOS_MANIFEST_V1) == ZK_ERR_TOO_LARGE) ok++;
  run++;
  if (zk_qos_manifest_parse_borsh(&m, b, n, ZK_QOS_MANIFEST_V0) != ZK_OK && m == NULL) ok++;
  run++;
  if (zk_qos_manifest_parse_borsh(&m, b, n, (zk_qos_manifest_version)7) == ZK_ERR_ARG) ok++;
  free(c);
  free(b);
  zk_qos_manifest_free(g);
  json_decref(base);
  zkt_report("qos manifest strictness", run, ok);
  assert_int_equal(run, ok);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_golden_v1),           cmocka_unit_test(test_stable_borsh),
    cmocka_unit_test(test_old_v0_and_fixtures), cmocka_unit_test(test_canonical_and_pcr),
    cmocka_unit_test(test_approval_policy),     cmocka_unit_test(test_strictness),
};

ZKT_MAIN(tests)
