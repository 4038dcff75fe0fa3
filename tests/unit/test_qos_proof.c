/* QOS boot proofs (real 2026 TVC document, mock-backend boots) and app proofs. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/backend.h"
#include "zerokey/qos_proof.h"
#include "zk_internal.h"
#include "zk_qos_internal.h"
#include "zkt.h"

static unsigned long g_run, g_ok;
#define EXPECT(expr, want)                                                                    \
  do {                                                                                        \
    g_run++;                                                                                  \
    zk_status st_ = (expr);                                                                   \
    if (st_ == (want))                                                                        \
      g_ok++;                                                                                 \
    else                                                                                      \
      print_error("%s:%d: got %s want %s\n", __FILE__, __LINE__, zk_status_name(st_), #want); \
  } while (0)

typedef struct tvc {
  json_t *j;
  uint8_t *doc;
  size_t doc_len;
  zk_qos_envelope *env;
  uint64_t at;
} tvc;

static int tvc_load(tvc *t) {
  t->j = zkt_vector_json_("turnkey/qos_manifest/tvc_valid_provisioning_details.json");
  if (t->j == NULL) return -1;
  const char *b64 = zkt_jstr(t->j, "attestation_document_cose_sign1_base64");
  zkt_assert_ok(zki_b64_decode_alloc(&t->doc, &t->doc_len, b64, strlen(b64)));
  char *es = json_dumps(json_object_get(t->j, "manifest_envelope"), JSON_COMPACT);
  zkt_assert_ok(zk_qos_envelope_parse_json(&t->env, es, strlen(es)));
  free(es);
  t->at = (uint64_t)json_integer_value(json_object_get(t->j, "validation_time_secs"));
  return 0;
}

static void tvc_free(tvc *t) {
  free(t->doc);
  zk_qos_envelope_free(t->env);
  json_decref(t->j);
}

static void test_tvc_real_boot(void **state) {
  (void)state;
  tvc t;
  if (tvc_load(&t) != 0) {
    zkt_note_skip_("turnkey/qos_manifest/tvc_valid_provisioning_details.json");
    skip();
  }
  zk_att_verifier *v;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  zk_qos_boot_policy *p;
  zkt_assert_ok(zk_qos_boot_policy_new(&p));
  zkt_assert_ok(zk_qos_boot_policy_require_commitment(p, ZK_QOS_COMMIT_SETUP));
  zk_qos_boot_policy_require_no_share_approvals(p, 1);
  g_run = g_ok = 0;
  zk_qos_boot *b = NULL;
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, NULL, 0, t.at), ZK_OK);
  assert_non_null(b);
  const zk_qos_manifest *m = zk_qos_envelope_manifest(t.env);
  g_run++;
  if (memcmp(zk_qos_manifest_hash(zk_qos_boot_manifest(b)), zk_qos_manifest_hash(m), 32) == 0)
    g_ok++;
  /* pins: the manifest's own values pass, others fail with their own status */
  uint8_t eph[130];
  memcpy(eph, zk_qos_boot_ephemeral_key(b), 130);
  zk_qos_boot_free(b);
  for (unsigned i = 0; i < 4; i++) {
    size_t n;
    zkt_assert_ok(zk_qos_boot_policy_pin_pcr(p, i, zk_qos_manifest_pcr(m, i, &n), 48));
  }
  zkt_assert_ok(zk_qos_boot_policy_pin_pivot_hash(p, zk_qos_manifest_pivot_hash(m), 32));
  size_t qn;
  const uint8_t *qk = zk_qos_manifest_quorum_key(m, &qn);
  zkt_assert_ok(zk_qos_boot_policy_pin_quorum_key(p, qk, qn));
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, m, eph, 130, t.at), ZK_OK);
  zk_qos_boot_free(b);
  uint8_t other[130];
  memset(other, 0x04, sizeof other);
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, other, 130, t.at),
         ZK_ERR_QOS_EPHEMERAL_KEY);
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, eph, 129, t.at),
         ZK_ERR_QOS_EPHEMERAL_KEY);
  zkt_assert_ok(zk_qos_boot_policy_require_commitment(p, ZK_QOS_COMMIT_LIVE));
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, NULL, 0, t.at),
         ZK_ERR_QOS_PCR_COMMITMENT);
  zkt_assert_ok(zk_qos_boot_policy_require_commitment(p, ZK_QOS_COMMIT_SETUP));
  uint8_t bad48[48];
  memset(bad48, 0x11, sizeof bad48);
  zkt_assert_ok(zk_qos_boot_policy_pin_pcr(p, 3, bad48, 48));
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, NULL, 0, t.at),
         ZK_ERR_QOS_PCR_PIN);
  {
    size_t n;
    zkt_assert_ok(zk_qos_boot_policy_pin_pcr(p, 3, zk_qos_manifest_pcr(m, 3, &n), 48));
  }
  zkt_assert_ok(zk_qos_boot_policy_pin_pivot_hash(p, bad48, 32));
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, NULL, 0, t.at),
         ZK_ERR_QOS_PIVOT_HASH);
  zkt_assert_ok(zk_qos_boot_policy_pin_pivot_hash(p, zk_qos_manifest_pivot_hash(m), 32));
  zkt_assert_ok(zk_qos_boot_policy_pin_quorum_key(p, other, 130));
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, NULL, 0, t.at),
         ZK_ERR_QOS_QUORUM_KEY);
  zk_qos_boot_policy_free(p);
  zkt_assert_ok(zk_qos_boot_policy_new(&p));
  /* outside the certificate validity */
  EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, NULL, 0, t.at + 400 * 86400),
         ZK_ERR_ATT_EXPIRED);
  /* another manifest: the standalone copy and user_data no longer match */
  {
    json_t *mj =
        json_deep_copy(json_object_get(json_object_get(t.j, "manifest_envelope"), "manifest"));
    json_object_set_new(json_object_get(mj, "namespace"), "nonce", json_integer(1));
    char *s = json_dumps(mj, JSON_COMPACT);
    zk_qos_manifest *m2;
    zkt_assert_ok(zk_qos_manifest_parse_json(&m2, s, strlen(s)));
    EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, m2, NULL, 0, t.at),
           ZK_ERR_QOS_MANIFEST_HASH);
    zk_qos_envelope *e2;
    zkt_assert_ok(zk_qos_envelope_new(&e2, m2));
    EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, e2, NULL, NULL, 0, t.at),
           ZK_ERR_QOS_MANIFEST_HASH);
    zk_qos_envelope_free(e2);
    zk_qos_manifest_free(m2);
    free(s);
    json_decref(mj);
  }
  /* same manifest without approvals: threshold unmet */
  {
    zk_qos_envelope *e3;
    zkt_assert_ok(zk_qos_envelope_new(&e3, m));
    EXPECT(zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, e3, NULL, NULL, 0, t.at),
           ZK_ERR_QOS_THRESHOLD);
    zk_qos_envelope_free(e3);
  }
  zkt_report("qos tvc real boot", g_run, g_ok);
  assert_int_equal(g_run, g_ok);

  /* Document mutations: every truncation and every single-byte flip is refused (strided
   * under ZK_TEST_QUICK, as the other attestation sweeps), under the policy of the control. */
  unsigned long mut = 0, rej = 0;
  const size_t step = zkt_stride(t.doc_len);
  for (size_t cut = 0; cut < t.doc_len; cut += step) {
    mut++;
    if (zk_qos_boot_verify(v, p, &b, t.doc, cut, t.env, NULL, NULL, 0, t.at) != ZK_OK && b == NULL)
      rej++;
  }
  for (size_t i = 0; i < t.doc_len; i += step) {
    t.doc[i] ^= 0x01;
    mut++;
    if (zk_qos_boot_verify(v, p, &b, t.doc, t.doc_len, t.env, NULL, NULL, 0, t.at) != ZK_OK)
      rej++;
    else
      zk_qos_boot_free(b);
    t.doc[i] ^= 0x01;
  }
  zkt_report_mutations("qos boot proof: tvc attestation flips+truncations", mut, rej);
  assert_int_equal(mut, rej);
  zk_qos_boot_policy_free(p);
  zk_att_verifier_free(v);
  tvc_free(&t);
}

/* ---- mock backend boots ---- */

typedef struct world {
  zk_backend *be;
  zk_att_verifier *v;
  zk_qos_keyset *op[3], *quorum, *eph;
  zk_qos_manifest *m;
  zk_qos_envelope *env;
  uint8_t pcrs[16 * 48];
} world;

static void world_init(world *w, bool debug) {
  memset(w, 0, sizeof *w);
  for (int i = 0; i < 16 * 48; i++) w->pcrs[i] = (uint8_t)(i * 7 + 1);
  memcpy(w->pcrs + 48, w->pcrs, 48); /* PCR1 == PCR0 as on QOS images */
  zk_backend_options o;
  memset(&o, 0, sizeof o);
  if (!debug) {
    o.mock_boot_pcrs = w->pcrs;
    o.mock_boot_pcrs_len = sizeof w->pcrs;
  }
  zkt_assert_ok(zk_backend_open(&w->be, "mock", &o));
  const uint8_t *root;
  size_t root_len;
  zkt_assert_ok(zk_backend_mock_root_der(w->be, &root, &root_len));
  zkt_assert_ok(zk_att_verifier_new(&w->v, ZK_ATT_VERIFIER_NO_AWS_ROOT));
  zkt_assert_ok(zk_att_verifier_add_root_der(w->v, root, root_len));
  for (int i = 0; i < 3; i++) zkt_assert_ok(zk_qos_keyset_generate(&w->op[i]));
  zkt_assert_ok(zk_qos_keyset_generate(&w->quorum));
  zkt_assert_ok(zk_qos_keyset_generate(&w->eph));
  /* manifest: golden V1 shape with our keys and the mock PCRs */
  json_t *g = zkt_vector_json_("turnkey/qos_manifest/golden_manifest_v1.json");
  assert_non_null(g);
  json_t *mj = json_loads(zkt_jstr(g, "manifest_v1_json"), 0, NULL);
  json_decref(g);
  char hex[261];
  json_t *members = json_array();
  static const char *const alias[] = {"op-1", "op-2", "op-3"};
  for (int i = 0; i < 3; i++) {
    zki_hex_encode(hex, zk_qos_keyset_public(w->op[i]), 130);
    json_array_append_new(members, json_pack("{s:s,s:s}", "alias", alias[i], "pubKey", hex));
  }
  json_t *set = json_pack("{s:i,s:o}", "threshold", 2, "members", members);
  json_object_set(mj, "manifestSet", set);
  json_object_set(mj, "shareSet", set);
  json_decref(set);
  zki_hex_encode(hex, zk_qos_keyset_public(w->quorum), 130);
  json_object_set_new(json_object_get(mj, "namespace"), "quorumKey", json_string(hex));
  json_t *en = json_object_get(mj, "enclave");
  static const char *const pn[] = {"pcr0", "pcr1", "pcr2", "pcr3"};
  for (int i = 0; i < 4; i++) {
    char ph[97];
    zki_hex_encode(ph, w->pcrs + 48 * i, 48);
    json_object_set_new(en, pn[i], json_string(ph));
  }
  char *s = json_dumps(mj, JSON_COMPACT);
  zkt_assert_ok(zk_qos_manifest_parse_json(&w->m, s, strlen(s)));
  free(s);
  json_decref(mj);
  zkt_assert_ok(zk_qos_envelope_new(&w->env, w->m));
  for (int i = 0; i < 2; i++) {
    zk_qos_approval *a;
    zkt_assert_ok(zk_qos_approval_sign(&a, w->op[i], alias[i], w->m));
    zkt_assert_ok(zk_qos_envelope_add_approval(w->env, ZK_QOS_SET_MANIFEST, a));
    zk_qos_approval_free(a);
  }
}

static void world_free(world *w) {
  zk_backend_free(w->be);
  zk_att_verifier_free(w->v);
  for (int i = 0; i < 3; i++) zk_qos_keyset_free(w->op[i]);
  zk_qos_keyset_free(w->quorum);
  zk_qos_keyset_free(w->eph);
  zk_qos_manifest_free(w->m);
  zk_qos_envelope_free(w->env);
}

/* Extend PCR17 (live) with the commitment of (manifest hash, eph key), as QOS does. */
static void extend_live(world *w) {
  uint8_t pcr[48], com[48], val[64];
  size_t vl = sizeof val;
  zkt_assert_ok(zk_qos_pcr_commitment(pcr, com, ZK_QOS_COMMIT_LIVE, zk_qos_manifest_hash(w->m), 32,
                                      zk_qos_keyset_public(w->eph), 130));
  zkt_assert_ok(zk_backend_extend_pcr(w->be, val, &vl, 17, com, sizeof com));
  assert_int_equal(vl, 48);
  assert_memory_equal(val, pcr, 48);
}

static uint8_t *attest(world *w, size_t *len, const uint8_t *ud, const uint8_t *nonce,
                       const uint8_t *pk, size_t pk_len) {
  uint8_t *doc;
  zkt_assert_ok(
      zk_backend_attest(w->be, &doc, len, ud, ud ? 32 : 0, nonce, nonce ? 8 : 0, pk, pk_len));
  return doc;
}

static char *boot_proof_json(const uint8_t *doc, size_t doc_len, const zk_qos_manifest *m,
                             const zk_qos_envelope *env, const uint8_t *eph) {
  uint8_t *mb, *eb;
  size_t mn, en;
  zkt_assert_ok(zk_qos_manifest_serialize_borsh(m, &mb, &mn));
  zkt_assert_ok(zk_qos_envelope_serialize_borsh(env, &eb, &en));
  char *d64 = malloc(zki_b64_len(doc_len) + 1), *m64 = malloc(zki_b64_len(mn) + 1),
       *e64 = malloc(zki_b64_len(en) + 1), ehex[261];
  zki_b64_encode(d64, doc, doc_len);
  zki_b64_encode(m64, mb, mn);
  zki_b64_encode(e64, eb, en);
  zki_hex_encode(ehex, eph, 130);
  json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s}}", "ephemeralPublicKeyHex", ehex,
                        "awsAttestationDocB64", d64, "qosManifestB64", m64,
                        "qosManifestEnvelopeB64", e64, "deploymentLabel", "test", "enclaveApp",
                        "signer", "owner", "o", "createdAt", "seconds", "0", "nanos", "0");
  char *s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  free(d64);
  free(m64);
  free(e64);
  free(mb);
  free(eb);
  return s;
}

/* The byte range of the value of top-level key `key` in compact JSON `js` (the quoted string or
 * the object), for the sweep below. */
static void json_value_span(const char *js, const char *key, size_t *from, size_t *to) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *k = strstr(js, pat);
  assert_non_null(k);
  const char *v = k + strlen(pat), *e;
  if (*v == '"') {
    e = strchr(v + 1, '"');
  } else {
    assert_int_equal(*v, '{');
    e = strchr(v, '}');
  }
  assert_non_null(e);
  *from = (size_t)(v - js);
  *to = (size_t)(e - js) + 1;
}

/*
 * Boot proof JSON: every truncation is refused, and every single-byte flip is refused unless it
 * lands inside the value of one of the labels the proof does not sign and the verify call does
 * not return (deploymentLabel, enclaveApp, owner, and createdAt when the caller gives the time);
 * a flip accepted there must give the same verified boot (manifest hash, ephemeral key, time).
 */
static void boot_proof_json_sweep(world *w, const zk_qos_boot_policy *p, char *bp, uint64_t at,
                                  const zk_qos_boot *want) {
  static const char *const unsigned_labels[] = {"deploymentLabel", "enclaveApp", "owner",
                                                "createdAt"};
  size_t span[4][2];
  for (int i = 0; i < 4; i++) json_value_span(bp, unsigned_labels[i], &span[i][0], &span[i][1]);
  const size_t n = strlen(bp);
  zk_qos_boot *x = NULL;
  unsigned long mut = 0, rej = 0, label = 0;
  /* control: the exact call of the sweep */
  zkt_assert_ok(zk_qos_boot_proof_verify_json(w->v, p, &x, bp, n, at));
  zk_qos_boot_free(x);
  for (size_t cut = 0; cut < n; cut += zkt_stride(n)) {
    mut++;
    if (zk_qos_boot_proof_verify_json(w->v, p, &x, bp, cut, at) != ZK_OK && x == NULL)
      rej++;
    else
      print_error("boot proof truncated to %zu accepted\n", cut);
    zk_qos_boot_free(x);
    x = NULL;
  }
  for (size_t i = 0; i < n; i += zkt_stride(n)) {
    int in_label = 0;
    for (int l = 0; l < 4; l++) in_label |= i >= span[l][0] && i < span[l][1];
    bp[i] ^= 0x01;
    zk_status st = zk_qos_boot_proof_verify_json(w->v, p, &x, bp, n, at);
    bp[i] ^= 0x01;
    if (in_label) {
      /* unsigned label: refused (JSON syntax) or accepted with the same verified boot */
      label++;
      if (st == ZK_OK) {
        assert_memory_equal(zk_qos_manifest_hash(zk_qos_boot_manifest(x)),
                            zk_qos_manifest_hash(zk_qos_boot_manifest(want)), 32);
        assert_memory_equal(zk_qos_boot_ephemeral_key(x), zk_qos_boot_ephemeral_key(want), 130);
        assert_int_equal(zk_qos_boot_timestamp_ms(x), zk_qos_boot_timestamp_ms(want));
      } else {
        assert_null(x);
      }
    } else {
      mut++;
      if (st != ZK_OK && x == NULL)
        rej++;
      else
        print_error("boot proof flip at %zu accepted\n", i);
    }
    zk_qos_boot_free(x);
    x = NULL;
  }
  char name[128];
  snprintf(name, sizeof name,
           "qos boot proof json: truncations+flips outside the %lu unsigned label bytes", label);
  zkt_report_mutations(name, mut, rej);
  assert_int_equal(mut, rej);
}

static void test_mock_boot_and_app_proof(void **state) {
  (void)state;
  if (zkt_vectors_dir() == NULL) {
    zkt_note_skip_("vectors (golden manifest)");
    skip();
  }
  world w;
  world_init(&w, false);
  extend_live(&w);
  const uint8_t *hash = zk_qos_manifest_hash(w.m);
  const uint8_t *eph = zk_qos_keyset_public(w.eph);
  size_t dl;
  uint8_t *doc = attest(&w, &dl, hash, NULL, eph, 130);
  zk_qos_boot_policy *p;
  zkt_assert_ok(zk_qos_boot_policy_new(&p));
  zkt_assert_ok(zk_qos_boot_policy_require_commitment(p, ZK_QOS_COMMIT_LIVE));
  zk_qos_boot_policy_require_no_share_approvals(p, 1);
  g_run = g_ok = 0;
  zk_qos_boot *b = NULL;
  EXPECT(zk_qos_boot_verify(w.v, p, &b, doc, dl, w.env, w.m, eph, 130, 0), ZK_OK);
  assert_non_null(b);
  /* the boot proof JSON path, time taken from the document */
  uint64_t now_ms;
  zkt_assert_ok(zk_backend_time_ms(w.be, &now_ms));
  char *bp = boot_proof_json(doc, dl, w.m, w.env, eph);
  zk_qos_boot *b2 = NULL;
  EXPECT(zk_qos_boot_proof_verify_json(w.v, p, &b2, bp, strlen(bp), now_ms / 1000), ZK_OK);
  zk_qos_boot_free(b2);
  EXPECT(zk_qos_boot_proof_verify_json(w.v, p, &b2, bp, strlen(bp) - 1, now_ms / 1000),
         ZK_ERR_QOS_PROOF_FORMAT);
  /* createdAt "0" is not a time */
  EXPECT(zk_qos_boot_proof_verify_json(w.v, p, &b2, bp, strlen(bp), 0), ZK_ERR_QOS_PROOF_FORMAT);
  boot_proof_json_sweep(&w, p, bp, now_ms / 1000, b);
  free(bp);

  /* app proof */
  char payload[256];
  snprintf(payload, sizeof payload,
           "{\"type\":\"APP_PROOF_TYPE_ADDRESS_DERIVATION\",\"timestampMs\":\"%" PRIu64
           "\",\"addressDerivationProof\":{\"organizationId\":\"org\",\"address\":\"0xabc\"}}",
           now_ms);
  char *ap;
  size_t apn;
  zkt_assert_ok(zk_qos_app_proof_create(w.eph, &ap, &apn, payload, strlen(payload)));
  char *out = NULL;
  size_t outn;
  EXPECT(zk_qos_app_proof_verify(b, &out, &outn, ap, apn), ZK_OK);
  g_run++;
  if (out && strcmp(out, payload) == 0) g_ok++;
  free(out);
  /* app proof by another key */
  {
    char *ap2;
    size_t apn2;
    zkt_assert_ok(zk_qos_app_proof_create(w.quorum, &ap2, &apn2, payload, strlen(payload)));
    EXPECT(zk_qos_app_proof_verify(b, &out, &outn, ap2, apn2), ZK_ERR_QOS_EPHEMERAL_KEY);
    free(ap2);
    /* untyped payload, signed correctly */
    zkt_assert_ok(zk_qos_app_proof_create(w.eph, &ap2, &apn2, "{\"a\":1}", 7));
    EXPECT(zk_qos_app_proof_verify(b, &out, &outn, ap2, apn2), ZK_ERR_QOS_PROOF_FORMAT);
    free(ap2);
    /* wrong scheme */
    json_t *o = json_loadb(ap, apn, 0, NULL);
    json_object_set_new(o, "scheme", json_string("SIGNATURE_SCHEME_TK_API_P256"));
    char *s = json_dumps(o, JSON_COMPACT);
    EXPECT(zk_qos_app_proof_verify(b, &out, &outn, s, strlen(s)), ZK_ERR_QOS_PROOF_SCHEME);
    free(s);
    json_object_set_new(o, "scheme", json_string(ZK_QOS_APP_PROOF_SCHEME));
    json_object_set_new(o, "extra", json_true());
    s = json_dumps(o, JSON_COMPACT);
    EXPECT(zk_qos_app_proof_verify(b, &out, &outn, s, strlen(s)), ZK_ERR_QOS_PROOF_FORMAT);
    free(s);
    json_decref(o);
  }
  unsigned long mut = 0, rej = 0;
  for (size_t cut = 0; cut < apn; cut += zkt_stride(apn)) {
    mut++;
    if (zk_qos_app_proof_verify(b, &out, &outn, ap, cut) != ZK_OK && out == NULL) rej++;
  }
  for (size_t i = 0; i < apn; i += zkt_stride(apn)) {
    ap[i] ^= 0x01;
    mut++;
    if (zk_qos_app_proof_verify(b, &out, &outn, ap, apn) != ZK_OK)
      rej++;
    else {
      print_error("flip at %zu accepted\n", i);
      free(out);
    }
    ap[i] ^= 0x01;
  }
  zkt_report_mutations("qos app proof", mut, rej);
  assert_int_equal(mut, rej);
  free(ap);
  zk_qos_boot_free(b);

  /* boot refusals, each with its own status */
  uint8_t other_hash[32];
  memset(other_hash, 0x5a, sizeof other_hash);
  uint8_t *d2;
  size_t d2l;
  d2 = attest(&w, &d2l, other_hash, NULL, eph, 130);
  EXPECT(zk_qos_boot_verify(w.v, p, &b, d2, d2l, w.env, NULL, NULL, 0, 0),
         ZK_ERR_QOS_MANIFEST_HASH);
  free(d2);
  d2 = attest(&w, &d2l, hash, (const uint8_t *)"12345678", eph, 130);
  EXPECT(zk_qos_boot_verify(w.v, p, &b, d2, d2l, w.env, NULL, NULL, 0, 0), ZK_ERR_ATT_NONCE);
  free(d2);
  d2 = attest(&w, &d2l, hash, NULL, NULL, 0);
  EXPECT(zk_qos_boot_verify(w.v, p, &b, d2, d2l, w.env, NULL, NULL, 0, 0),
         ZK_ERR_QOS_EPHEMERAL_KEY);
  free(d2);
  d2 = attest(&w, &d2l, hash, NULL, eph, 65);
  EXPECT(zk_qos_boot_verify(w.v, p, &b, d2, d2l, w.env, NULL, NULL, 0, 0),
         ZK_ERR_QOS_EPHEMERAL_KEY);
  free(d2);
  /* attested key differs from the one PCR17 commits to */
  d2 = attest(&w, &d2l, hash, NULL, zk_qos_keyset_public(w.quorum), 130);
  EXPECT(zk_qos_boot_verify(w.v, p, &b, d2, d2l, w.env, NULL, NULL, 0, 0),
         ZK_ERR_QOS_PCR_COMMITMENT);
  free(d2);
  /* setup commitment required but PCR16 was never extended */
  zkt_assert_ok(zk_qos_boot_policy_require_commitment(p, ZK_QOS_COMMIT_SETUP));
  EXPECT(zk_qos_boot_verify(w.v, p, &b, doc, dl, w.env, NULL, NULL, 0, 0),
         ZK_ERR_QOS_PCR_COMMITMENT);
  zkt_assert_ok(zk_qos_boot_policy_require_commitment(p, ZK_QOS_COMMIT_LIVE));
  /* share-set approvals refused for boot standard */
  {
    zk_qos_approval *a;
    zkt_assert_ok(zk_qos_approval_sign(&a, w.op[2], "op-3", w.m));
    zk_qos_envelope *e2;
    zkt_assert_ok(zk_qos_envelope_new(&e2, w.m));
    zkt_assert_ok(zk_qos_envelope_add_approval(e2, ZK_QOS_SET_MANIFEST, a));
    EXPECT(zk_qos_boot_verify(w.v, p, &b, doc, dl, e2, NULL, NULL, 0, 0), ZK_ERR_QOS_THRESHOLD);
    const zk_qos_approval *first = zki_qos_envelope_approval(w.env, ZK_QOS_SET_MANIFEST, 0);
    zkt_assert_ok(zk_qos_envelope_add_approval(e2, ZK_QOS_SET_MANIFEST, first));
    zkt_assert_ok(zk_qos_envelope_add_approval(e2, ZK_QOS_SET_SHARE, a));
    EXPECT(zk_qos_boot_verify(w.v, p, &b, doc, dl, e2, NULL, NULL, 0, 0),
           ZK_ERR_QOS_SHARE_APPROVALS);
    zk_qos_boot_policy_require_no_share_approvals(p, 0);
    EXPECT(zk_qos_boot_verify(w.v, p, &b, doc, dl, e2, NULL, NULL, 0, 0), ZK_OK);
    zk_qos_boot_free(b);
    zk_qos_boot_policy_require_no_share_approvals(p, 1);
    zk_qos_envelope_free(e2);
    zk_qos_approval_free(a);
  }
  zkt_report("qos mock boot + app proof", g_run, g_ok);
  assert_int_equal(g_run, g_ok);
  free(doc);
  zk_qos_boot_policy_free(p);
  world_free(&w);
}

static void test_mock_pcr_and_debug(void **state) {
  (void)state;
  if (zkt_vectors_dir() == NULL) {
    zkt_note_skip_("vectors (golden manifest)");
    skip();
  }
  g_run = g_ok = 0;
  /* debug-mode enclave (PCR0 zero): refused unless allowed, then the PCRs mismatch the manifest */
  world w;
  world_init(&w, true);
  size_t dl;
  uint8_t *doc = attest(&w, &dl, zk_qos_manifest_hash(w.m), NULL, zk_qos_keyset_public(w.eph), 130);
  zk_qos_boot *b;
  zk_qos_boot_policy *p;
  zkt_assert_ok(zk_qos_boot_policy_new(&p));
  EXPECT(zk_qos_boot_verify(w.v, p, &b, doc, dl, w.env, NULL, NULL, 0, 0), ZK_ERR_ATT_DEBUG);
  zk_qos_boot_policy_allow_debug(p, 1);
  EXPECT(zk_qos_boot_verify(w.v, p, &b, doc, dl, w.env, NULL, NULL, 0, 0), ZK_ERR_QOS_PCR);
  /* unpinned root: the mock document does not verify against the AWS root */
  zk_att_verifier *aws;
  zkt_assert_ok(zk_att_verifier_new(&aws, 0));
  EXPECT(zk_qos_boot_verify(aws, p, &b, doc, dl, w.env, NULL, NULL, 0, 0),
         ZK_ERR_ATT_UNTRUSTED_ROOT);
  zk_att_verifier_free(aws);
  EXPECT(zk_qos_boot_verify(w.v, NULL, NULL, doc, dl, w.env, NULL, NULL, 0, 0), ZK_ERR_ARG);
  EXPECT(zk_qos_boot_verify(w.v, NULL, &b, NULL, dl, w.env, NULL, NULL, 0, 0), ZK_ERR_ARG);
  EXPECT(zk_qos_boot_policy_require_commitment(p, 5), ZK_ERR_ARG);
  EXPECT(zk_qos_boot_policy_pin_pcr(p, 4, doc, 48), ZK_ERR_ARG);
  free(doc);
  zk_qos_boot_policy_free(p);
  world_free(&w);
  zkt_report("qos mock debug/root refusals", g_run, g_ok);
  assert_int_equal(g_run, g_ok);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_tvc_real_boot),
    cmocka_unit_test(test_mock_boot_and_app_proof),
    cmocka_unit_test(test_mock_pcr_and_debug),
};

ZKT_MAIN(tests)
