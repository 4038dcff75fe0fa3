/* QOS provisioning: the published genesis output, and genesis / boot standard /
 * key forward end to end on the mock backend. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/qos_provision.h"
#include "zerokey/shamir.h"
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

static zk_qos_keyset *keyset_file(const char *rel) {
  uint8_t *buf;
  size_t len;
  if (zkt_vector_file_(rel, &buf, &len) != 0) return NULL;
  zk_qos_keyset *ks = NULL;
  zkt_assert_ok(zk_qos_keyset_from_hex(&ks, (const char *)buf, len));
  zk_free_secret(buf, len);
  return ks;
}

/* Everything a share holder / auditor checks on a genesis output. */
static zk_status check_genesis(const uint8_t *b, size_t n, zk_qos_keyset *const users[3],
                               const zk_qos_keyset *dr) {
  zk_qos_genesis *g;
  ZKI_TRY(zk_qos_genesis_parse(&g, b, n));
  zk_status st = ZK_OK;
  size_t dl;
  const uint8_t *dk = zk_qos_genesis_dr_key(g, &dl);
  if (zk_qos_genesis_threshold(g) != 2 || zk_qos_genesis_member_count(g) != 3) st = ZK_ERR_VALUE;
  if (st == ZK_OK && (dk == NULL || dl != 130 || memcmp(dk, zk_qos_keyset_public(dr), 130) != 0))
    st = ZK_ERR_VALUE;
  uint8_t *sh[3] = {NULL, NULL, NULL};
  size_t shn[3] = {0, 0, 0};
  for (int u = 0; u < 3 && st == ZK_OK; u++)
    st = zk_qos_genesis_open_share(g, users[u], &sh[u], &shn[u]);
  zk_qos_keyset *q = NULL;
  if (st == ZK_OK) {
    uint8_t seed[32];
    size_t sn;
    const uint8_t *p[2] = {sh[0], sh[2]};
    st = zk_shamir_combine(seed, sizeof seed, &sn, p, shn[0], 2);
    if (st == ZK_OK && shn[2] != shn[0]) st = ZK_ERR_SHAMIR_SHARES;
    if (st == ZK_OK) st = zk_qos_keyset_from_seed(&q, seed, sn);
    zk_wipe(seed, sizeof seed);
  }
  if (st == ZK_OK) st = zk_qos_genesis_check_quorum(g, q);
  if (st == ZK_OK) st = zk_qos_genesis_check_dr(g, dr);
  for (int u = 0; u < 3; u++) zk_free_secret(sh[u], shn[u]);
  zk_qos_keyset_free(q);
  zk_qos_genesis_free(g);
  return st;
}

static void test_genesis_vector(void **state) {
  (void)state;
  uint8_t *b;
  size_t n;
  ZKT_VECTOR_FILE("turnkey/qos_boot_e2e/genesis_output", &b, &n);
  zk_qos_keyset *users[3];
  for (int u = 0; u < 3; u++) {
    char rel[64];
    snprintf(rel, sizeof rel, "turnkey/qos_boot_e2e/user%d.secret", u + 1);
    users[u] = keyset_file(rel);
    assert_non_null(users[u]);
  }
  zk_qos_keyset *dr = keyset_file("turnkey/qos_keys/mock_p256_dr.secret.keep");
  assert_non_null(dr);
  g_run = g_ok = 0;
  EXPECT(check_genesis(b, n, users, dr), ZK_OK);
  zk_qos_genesis *g;
  zkt_assert_ok(zk_qos_genesis_parse(&g, b, n));
  uint8_t *b2;
  size_t n2;
  zkt_assert_ok(zk_qos_genesis_serialize(g, &b2, &n2));
  g_run++;
  if (n2 == n && memcmp(b2, b, n) == 0) g_ok++;
  free(b2);
  /* the published per-user share files are the member outputs */
  for (int u = 0; u < 3; u++) {
    char rel[64];
    uint8_t *f, *pt;
    size_t fl, ptn;
    snprintf(rel, sizeof rel, "turnkey/qos_boot_e2e/user%d.share", u + 1);
    ZKT_VECTOR_FILE(rel, &f, &fl);
    zkt_assert_ok(zk_qos_genesis_open_share(g, users[u], &pt, &ptn));
    g_run++;
    bool found = false;
    for (size_t off = 0; off + fl <= n && !found; off++) found = memcmp(b + off, f, fl) == 0;
    if (found && ptn == 33 && pt[0] == u + 1) g_ok++;
    zk_free_secret(pt, ptn);
    free(f);
  }
  /* a non-member key set */
  {
    uint8_t *pt;
    size_t ptn;
    EXPECT(zk_qos_genesis_open_share(g, dr, &pt, &ptn), ZK_ERR_QOS_NOT_MEMBER);
    EXPECT(zk_qos_genesis_check_quorum(g, dr), ZK_ERR_QOS_QUORUM_KEY);
  }
  zk_qos_genesis_free(g);
  zkt_report("qos genesis vector", g_run, g_ok);
  assert_int_equal(g_run, g_ok);

  unsigned long mut = 0, rej = 0;
  for (size_t cut = 0; cut < n; cut += zkt_stride(n)) {
    mut++;
    if (zk_qos_genesis_parse(&g, b, cut) != ZK_OK && g == NULL)
      rej++;
    else
      zk_qos_genesis_free(g);
  }
  for (size_t i = 0; i < n; i += zkt_stride(n)) {
    b[i] ^= 0x01;
    mut++;
    if (check_genesis(b, n, users, dr) != ZK_OK)
      rej++;
    else
      print_error("genesis flip at %zu accepted\n", i);
    b[i] ^= 0x01;
  }
  zkt_report_mutations("qos genesis output", mut, rej);
  assert_int_equal(mut, rej);
  for (int u = 0; u < 3; u++) zk_qos_keyset_free(users[u]);
  zk_qos_keyset_free(dr);
  free(b);
}

/* ---- end to end on the mock backend ---- */

static uint8_t g_pcrs[16 * 48];
static const char PIVOT[] = "libzerokey test pivot";

static zk_backend *mock_backend(zk_att_verifier *v, uint8_t pcr3_byte) {
  for (int i = 0; i < 16 * 48; i++) g_pcrs[i] = (uint8_t)(i * 5 + 3);
  memcpy(g_pcrs + 48, g_pcrs, 48);
  memset(g_pcrs + 3 * 48, pcr3_byte, 48);
  zk_backend_options o;
  memset(&o, 0, sizeof o);
  o.mock_boot_pcrs = g_pcrs;
  o.mock_boot_pcrs_len = sizeof g_pcrs;
  zk_backend *be;
  zkt_assert_ok(zk_backend_open(&be, "mock", &o));
  const uint8_t *root;
  size_t rl;
  zkt_assert_ok(zk_backend_mock_root_der(be, &root, &rl));
  zkt_assert_ok(zk_att_verifier_add_root_der(v, root, rl));
  return be;
}

typedef struct mparams {
  const char *ns;
  uint32_t nonce;
  uint8_t pcr3_byte;
  const uint8_t *quorum;    /* 130 */
  int drop_manifest_member; /* manifest set 2-of-2 instead of 2-of-3 */
} mparams;

static zk_qos_envelope *make_envelope(zk_qos_keyset *const ops[3], const mparams *mp) {
  json_t *g = zkt_vector_json_("turnkey/qos_manifest/golden_manifest_v1.json");
  assert_non_null(g);
  json_t *mj = json_loads(zkt_jstr(g, "manifest_v1_json"), 0, NULL);
  json_decref(g);
  static const char *const alias[] = {"op-1", "op-2", "op-3"};
  char hex[261];
  json_t *members = json_array();
  for (int i = 0; i < 3; i++) {
    zki_hex_encode(hex, zk_qos_keyset_public(ops[i]), 130);
    json_array_append_new(members, json_pack("{s:s,s:s}", "alias", alias[i], "pubKey", hex));
  }
  json_object_set_new(mj, "shareSet", json_pack("{s:i,s:O}", "threshold", 2, "members", members));
  if (mp->drop_manifest_member) json_array_remove(members, 2);
  json_object_set_new(mj, "manifestSet",
                      json_pack("{s:i,s:o}", "threshold", 2, "members", members));
  zki_hex_encode(hex, mp->quorum, 130);
  json_t *ns = json_object_get(mj, "namespace");
  json_object_set_new(ns, "quorumKey", json_string(hex));
  json_object_set_new(ns, "name", json_string(mp->ns));
  json_object_set_new(ns, "nonce", json_integer(mp->nonce));
  uint8_t ph[32];
  zkt_assert_ok(zk_sha256(ph, (const uint8_t *)PIVOT, strlen(PIVOT)));
  char phx[65];
  zki_hex_encode(phx, ph, 32);
  json_object_set_new(json_object_get(mj, "pivot"), "hash", json_string(phx));
  json_t *en = json_object_get(mj, "enclave");
  static const char *const pn[] = {"pcr0", "pcr1", "pcr2", "pcr3"};
  uint8_t pcrs[4 * 48];
  for (int i = 0; i < 16 * 48 && i < 4 * 48; i++) pcrs[i] = (uint8_t)(i * 5 + 3);
  memcpy(pcrs + 48, pcrs, 48);
  memset(pcrs + 3 * 48, mp->pcr3_byte, 48);
  for (int i = 0; i < 4; i++) {
    char x[97];
    zki_hex_encode(x, pcrs + 48 * i, 48);
    json_object_set_new(en, pn[i], json_string(x));
  }
  char *s = json_dumps(mj, JSON_COMPACT);
  zk_qos_manifest *m;
  zkt_assert_ok(zk_qos_manifest_parse_json(&m, s, strlen(s)));
  free(s);
  json_decref(mj);
  zk_qos_envelope *env;
  zkt_assert_ok(zk_qos_envelope_new(&env, m));
  for (int i = 0; i < 2; i++) {
    zk_qos_approval *a;
    zkt_assert_ok(zk_qos_approval_sign(&a, ops[i], alias[i], m));
    zkt_assert_ok(zk_qos_envelope_add_approval(env, ZK_QOS_SET_MANIFEST, a));
    zk_qos_approval_free(a);
  }
  zk_qos_manifest_free(m);
  return env;
}

/* Boot a fresh key-forward node for the manifest of mp; returns its setup attestation. */
static uint8_t *forward_node(zk_att_verifier *v, zk_backend **be, zk_qos_node **node,
                             zk_qos_envelope **env, size_t *att_len, zk_qos_keyset *const ops[3],
                             const mparams *mp) {
  *be = mock_backend(v, mp->pcr3_byte);
  *env = make_envelope(ops, mp);
  zkt_assert_ok(zk_qos_node_new(node, *be));
  uint8_t *att;
  zkt_assert_ok(zk_qos_node_boot_key_forward(*node, &att, att_len, *env, (const uint8_t *)PIVOT,
                                             strlen(PIVOT)));
  return att;
}

static void test_end_to_end(void **state) {
  (void)state;
  if (zkt_vectors_dir() == NULL) {
    zkt_note_skip_("vectors (golden manifest)");
    skip();
  }
  g_run = g_ok = 0;
  zk_att_verifier *v;
  zkt_assert_ok(zk_att_verifier_new(&v, ZK_ATT_VERIFIER_NO_AWS_ROOT));
  zk_qos_keyset *ops[3], *dr, *outsider;
  for (int i = 0; i < 3; i++) zkt_assert_ok(zk_qos_keyset_generate(&ops[i]));
  zkt_assert_ok(zk_qos_keyset_generate(&dr));
  zkt_assert_ok(zk_qos_keyset_generate(&outsider));
  static const char *const alias[] = {"op-1", "op-2", "op-3"};

  /* 1. genesis on node A */
  zk_backend *ba = mock_backend(v, 0x33);
  const uint8_t *pubs[3] = {zk_qos_keyset_public(ops[0]), zk_qos_keyset_public(ops[1]),
                            zk_qos_keyset_public(ops[2])};
  zk_qos_genesis *g;
  uint8_t *gatt;
  size_t gatt_len;
  EXPECT(zk_qos_genesis_run(ba, &g, &gatt, &gatt_len, alias, pubs, 3, 2, zk_qos_keyset_public(dr)),
         ZK_OK);
  {
    uint8_t *gb, dig[32];
    size_t gn;
    zkt_assert_ok(zk_qos_genesis_serialize(g, &gb, &gn));
    zkt_assert_ok(zk_sha256(dig, gb, gn));
    zk_att_policy *ap;
    zkt_assert_ok(zk_att_policy_new(&ap));
    zkt_assert_ok(zk_att_policy_expect_user_data(ap, dig, 32));
    zk_att_doc *doc;
    EXPECT(zk_att_verify(v, &doc, gatt, gatt_len, ZK_ATT_TIME_NOW, ap, NULL), ZK_OK);
    zk_att_doc_free(doc);
    zk_att_policy_free(ap);
    free(gb);
  }
  const zk_qos_keyset *const users[3] = {ops[0], ops[1], ops[2]};
  uint8_t *share[3];
  size_t share_len[3];
  for (int i = 0; i < 3; i++)
    EXPECT(zk_qos_genesis_open_share(g, users[i], &share[i], &share_len[i]), ZK_OK);
  {
    uint8_t seed[32];
    size_t sn;
    const uint8_t *p[2] = {share[1], share[2]};
    zkt_assert_ok(zk_shamir_combine(seed, sizeof seed, &sn, p, 33, 2));
    zk_qos_keyset *q;
    zkt_assert_ok(zk_qos_keyset_from_seed(&q, seed, sn));
    EXPECT(zk_qos_genesis_check_quorum(g, q), ZK_OK);
    EXPECT(zk_qos_genesis_check_dr(g, dr), ZK_OK);
    zk_qos_keyset_free(q);
    zk_wipe(seed, sizeof seed);
  }
  size_t qn;
  const uint8_t *quorum_pub = zk_qos_genesis_quorum_key(g, &qn);
  {
    zk_qos_genesis *g2;
    uint8_t *gatt2;
    size_t gatt2_len;
    EXPECT(zk_qos_genesis_run(ba, &g2, &gatt2, &gatt2_len, alias, pubs, 3, 4, NULL),
           ZK_ERR_SHAMIR_PARAMS);
    const uint8_t *dup[3] = {pubs[0], pubs[1], pubs[0]};
    EXPECT(zk_qos_genesis_run(ba, &g2, &gatt2, &gatt2_len, alias, dup, 3, 2, NULL),
           ZK_ERR_QOS_DUPLICATE_MEMBER);
  }

  /* 2. boot standard on node B, provisioned by op-1 and op-3 */
  mparams mp = {"test/ns", 5, 0x33, quorum_pub, 0};
  zk_backend *bb = mock_backend(v, 0x33);
  zk_qos_envelope *env = make_envelope(ops, &mp);
  zk_qos_node *nb;
  zkt_assert_ok(zk_qos_node_new(&nb, bb));
  uint8_t *enc;
  size_t enc_len;
  zk_qos_approval *ap;
  int done = 0;
  EXPECT(zk_qos_node_provision(nb, &done, share[0], 33, NULL), ZK_ERR_ARG);
  uint8_t *att;
  size_t att_len;
  EXPECT(zk_qos_node_boot_standard(nb, &att, &att_len, env, (const uint8_t *)"wrong", 5),
         ZK_ERR_QOS_PIVOT_HASH);
  EXPECT(zk_qos_node_boot_standard(nb, &att, &att_len, env, (const uint8_t *)PIVOT, strlen(PIVOT)),
         ZK_OK);
  EXPECT(zk_qos_node_phase(nb) == ZK_QOS_PHASE_WAITING_FOR_SHARES ? ZK_OK : ZK_ERR_STATE, ZK_OK);
  /* an operator outside the share set cannot provision */
  EXPECT(zk_qos_operator_provision(&enc, &enc_len, &ap, v, outsider, "op-1", share[0], 33, att,
                                   att_len, env, ZK_ATT_TIME_NOW),
         ZK_ERR_QOS_NOT_MEMBER);
  EXPECT(zk_qos_operator_provision(&enc, &enc_len, &ap, v, ops[0], "op-1", share[0], 33, att,
                                   att_len, env, ZK_ATT_TIME_NOW),
         ZK_OK);
  EXPECT(zk_qos_node_provision(nb, &done, enc, enc_len, ap), ZK_OK);
  g_run++;
  if (done == 0) g_ok++;
  /* the same member again */
  EXPECT(zk_qos_node_provision(nb, &done, enc, enc_len, ap), ZK_ERR_QOS_DUPLICATE_APPROVAL);
  zk_free(enc);
  zk_qos_approval_free(ap);
  /* approval by a non-member */
  {
    zk_qos_approval *bad;
    zkt_assert_ok(zk_qos_approval_sign(&bad, outsider, "op-2", zk_qos_envelope_manifest(env)));
    uint8_t *e2;
    size_t e2l;
    zk_qos_pubkey *setup;
    zkt_assert_ok(
        zk_qos_pubkey_parse(&setup, zk_qos_keyset_public(zk_qos_node_ephemeral(nb)), 130));
    zkt_assert_ok(zk_qos_envelope_seal(&e2, &e2l, setup, share[1], 33));
    EXPECT(zk_qos_node_provision(nb, &done, e2, e2l, bad), ZK_ERR_QOS_APPROVER_UNKNOWN);
    zk_qos_pubkey_free(setup);
    zk_free(e2);
    zk_qos_approval_free(bad);
  }
  EXPECT(zk_qos_operator_provision(&enc, &enc_len, &ap, v, ops[2], "op-3", share[2], 33, att,
                                   att_len, env, ZK_ATT_TIME_NOW),
         ZK_OK);
  EXPECT(zk_qos_node_provision(nb, &done, enc, enc_len, ap), ZK_OK);
  g_run++;
  if (done == 1 && zk_qos_node_phase(nb) == ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED &&
      memcmp(zk_qos_keyset_public(zk_qos_node_quorum(nb)), quorum_pub, 130) == 0)
    g_ok++;
  EXPECT(zk_qos_node_provision(nb, &done, enc, enc_len, ap), ZK_ERR_STATE);
  zk_free(enc);
  zk_qos_approval_free(ap);
  free(att);

  /* 3. a client checks the live boot and an app proof of node B */
  uint8_t *live;
  size_t live_len;
  zkt_assert_ok(zk_qos_node_attest_live(nb, &live, &live_len));
  zk_qos_boot_policy *pol;
  zkt_assert_ok(zk_qos_boot_policy_new(&pol));
  zkt_assert_ok(zk_qos_boot_policy_require_commitment(pol, ZK_QOS_COMMIT_LIVE));
  zkt_assert_ok(zk_qos_boot_policy_pin_quorum_key(pol, quorum_pub, 130));
  zk_qos_boot *boot;
  EXPECT(zk_qos_boot_verify(v, pol, &boot, live, live_len, env, NULL,
                            zk_qos_keyset_public(zk_qos_node_ephemeral(nb)), 130, ZK_ATT_TIME_NOW),
         ZK_OK);
  char *proof, *payload;
  size_t proof_len, payload_len;
  const char *pl = "{\"type\":\"APP_PROOF_TYPE_ADDRESS_DERIVATION\",\"timestampMs\":\"1\"}";
  zkt_assert_ok(
      zk_qos_app_proof_create(zk_qos_node_ephemeral(nb), &proof, &proof_len, pl, strlen(pl)));
  EXPECT(zk_qos_app_proof_verify(boot, &payload, &payload_len, proof, proof_len), ZK_OK);
  free(payload);
  free(proof);
  zk_qos_boot_free(boot);
  zk_qos_boot_policy_free(pol);
  free(live);

  /* 4. key forward to node C (same manifest) */
  zk_backend *bc;
  zk_qos_node *nc;
  zk_qos_envelope *envc;
  size_t attc_len;
  uint8_t *attc = forward_node(v, &bc, &nc, &envc, &attc_len, ops, &mp);
  uint8_t sig[64];
  EXPECT(zk_qos_node_export_key(nb, &enc, &enc_len, sig, v, attc, attc_len, envc, ZK_ATT_TIME_NOW),
         ZK_OK);
  uint8_t badsig[64];
  memcpy(badsig, sig, 64);
  badsig[10] ^= 1;
  EXPECT(zk_qos_node_inject_key(nc, enc, enc_len, badsig, 64), ZK_ERR_QOS_FORWARD_SIGNATURE);
  EXPECT(zk_qos_node_inject_key(nc, enc, enc_len, sig, 64), ZK_OK);
  g_run++;
  if (zk_qos_node_phase(nc) == ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED &&
      memcmp(zk_qos_keyset_public(zk_qos_node_quorum(nc)), quorum_pub, 130) == 0)
    g_ok++;
  /* the same forwarded key replayed to another node D (same manifest): the quorum signature is
   * genuine, but the envelope is sealed to C's setup key and does not open for D; D is left
   * waiting and takes no key */
  {
    zk_backend *bd;
    zk_qos_node *nd;
    zk_qos_envelope *envd;
    size_t attd_len;
    uint8_t *attd = forward_node(v, &bd, &nd, &envd, &attd_len, ops, &mp);
    EXPECT(zk_qos_node_inject_key(nd, enc, enc_len, sig, 64), ZK_ERR_DECRYPT);
    assert_int_equal(zk_qos_node_phase(nd), ZK_QOS_PHASE_WAITING_FOR_FORWARDED_KEY);
    assert_null(zk_qos_node_quorum(nd));
    free(attd);
    zk_qos_envelope_free(envd);
    zk_qos_node_free(nd);
    zk_backend_free(bd);
  }
  zk_free(enc);
  free(attc);
  zk_qos_envelope_free(envc);
  zk_qos_node_free(nc);
  zk_backend_free(bc);

  /* a forwarded key that is signed correctly but is not the quorum key */
  {
    attc = forward_node(v, &bc, &nc, &envc, &attc_len, ops, &mp);
    zk_qos_pubkey *setup;
    zkt_assert_ok(
        zk_qos_pubkey_parse(&setup, zk_qos_keyset_public(zk_qos_node_ephemeral(nc)), 130));
    uint8_t other_seed[32];
    memset(other_seed, 7, sizeof other_seed);
    zkt_assert_ok(zk_qos_envelope_seal(&enc, &enc_len, setup, other_seed, 32));
    zkt_assert_ok(zk_qos_sign(zk_qos_node_quorum(nb), sig, 64, enc, enc_len));
    EXPECT(zk_qos_node_inject_key(nc, enc, enc_len, sig, 64), ZK_ERR_QOS_QUORUM_KEY);
    zk_free(enc);
    zk_qos_pubkey_free(setup);
    free(attc);
    zk_qos_envelope_free(envc);
    zk_qos_node_free(nc);
    zk_backend_free(bc);
  }

  /* export refusals: each manifest rule with its own status */
  zk_qos_keyset *other_q;
  zkt_assert_ok(zk_qos_keyset_generate(&other_q));
  const struct {
    mparams p;
    zk_status want;
  } cases[] = {
      {{"test/other", 6, 0x33, quorum_pub, 0}, ZK_ERR_QOS_NAMESPACE},
      {{"test/ns", 4, 0x33, quorum_pub, 0}, ZK_ERR_QOS_NONCE},
      {{"test/ns", 5, 0x44, quorum_pub, 0}, ZK_ERR_QOS_DIFFERENT_MANIFEST},
      {{"test/ns", 6, 0x44, quorum_pub, 0}, ZK_ERR_QOS_PCR3},
      {{"test/ns", 6, 0x33, quorum_pub, 1}, ZK_ERR_QOS_MANIFEST_SET},
      {{"test/ns", 6, 0x33, NULL, 0}, ZK_ERR_QOS_QUORUM_KEY},
      {{"test/ns", 6, 0x33, quorum_pub, 0}, ZK_OK},
  };
  for (size_t i = 0; i < ZKI_ARRAY_LEN(cases); i++) {
    mparams p = cases[i].p;
    if (p.quorum == NULL) p.quorum = zk_qos_keyset_public(other_q);
    attc = forward_node(v, &bc, &nc, &envc, &attc_len, ops, &p);
    enc = NULL;
    EXPECT(
        zk_qos_node_export_key(nb, &enc, &enc_len, sig, v, attc, attc_len, envc, ZK_ATT_TIME_NOW),
        cases[i].want);
    zk_free(enc);
    free(attc);
    zk_qos_envelope_free(envc);
    zk_qos_node_free(nc);
    zk_backend_free(bc);
  }
  /* the old node refuses an attestation for another envelope */
  mparams mp6 = {"test/ns", 6, 0x33, quorum_pub, 0};
  attc = forward_node(v, &bc, &nc, &envc, &attc_len, ops, &mp6);
  EXPECT(zk_qos_node_export_key(nb, &enc, &enc_len, sig, v, attc, attc_len, env, ZK_ATT_TIME_NOW),
         ZK_ERR_QOS_MANIFEST_HASH);
  free(attc);
  zk_qos_envelope_free(envc);
  zk_qos_node_free(nc);
  zk_backend_free(bc);

  zkt_report("qos provisioning end to end", g_run, g_ok);
  assert_int_equal(g_run, g_ok);
  zk_qos_keyset_free(other_q);
  for (int i = 0; i < 3; i++) zk_free_secret(share[i], share_len[i]);
  zk_qos_node_free(nb);
  zk_qos_envelope_free(env);
  zk_backend_free(bb);
  free(gatt);
  zk_qos_genesis_free(g);
  zk_backend_free(ba);
  for (int i = 0; i < 3; i++) zk_qos_keyset_free(ops[i]);
  zk_qos_keyset_free(dr);
  zk_qos_keyset_free(outsider);
  zk_att_verifier_free(v);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_genesis_vector),
    cmocka_unit_test(test_end_to_end),
};

ZKT_MAIN(tests)
