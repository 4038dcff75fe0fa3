/* QOS provisioning: genesis, boot standard, key forward (see include/zerokey/qos_provision.h). */
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/qos_provision.h"
#include "zerokey/shamir.h"
#include "zk_borsh.h"
#include "zk_internal.h"
#include "zk_qos_internal.h"

/* ---- GenesisOutput ---- */

typedef struct gmember {
  char *alias;
  uint8_t *pub;
  size_t pub_len;
  uint8_t *enc_share;
  size_t enc_share_len;
  uint8_t share_hash[ZK_QOS_SHARE_HASH_LEN];
} gmember;

struct zk_qos_genesis {
  uint32_t n;
  gmember *m; /* set members and member outputs (same order, checked at parse) */
  uint32_t threshold;
  uint8_t *dr_key;
  size_t dr_key_len;
  uint8_t *quorum_key;
  size_t quorum_key_len;
  uint8_t *dr_wrapped;
  size_t dr_wrapped_len;
  uint8_t quorum_key_hash[64];
  uint8_t *test_ct;
  size_t test_ct_len;
  uint8_t *test_sig;
  size_t test_sig_len;
  uint8_t *test_msg;
  size_t test_msg_len;
};

void zk_qos_genesis_free(zk_qos_genesis *g) {
  if (g == NULL) return;
  for (uint32_t i = 0; i < g->n && g->m; i++) {
    free(g->m[i].alias);
    free(g->m[i].pub);
    free(g->m[i].enc_share);
  }
  free(g->m);
  free(g->dr_key);
  free(g->quorum_key);
  free(g->dr_wrapped);
  free(g->test_ct);
  free(g->test_sig);
  free(g->test_msg);
  free(g);
}

static zk_status rdup(zki_borsh_r *r, uint8_t **out, size_t *n, size_t max) {
  const uint8_t *p;
  ZKI_TRY(zki_borsh_bytes(r, &p, n, max));
  *out = zki_memdup(p, *n);
  return *out ? ZK_OK : (r->err = ZK_ERR_NOMEM);
}

static zk_status ropt(zki_borsh_r *r, uint8_t **out, size_t *n, size_t max) {
  bool present;
  ZKI_TRY(zki_borsh_option(r, &present));
  return present ? rdup(r, out, n, max) : ZK_OK;
}

static zk_status genesis_read(zki_borsh_r *r, zk_qos_genesis *g) {
  uint32_t n;
  ZKI_TRY(zki_borsh_count(r, &n, ZK_QOS_MAX_MEMBERS, 8));
  g->m = calloc(n ? n : 1, sizeof *g->m);
  if (g->m == NULL) return ZK_ERR_NOMEM;
  g->n = n;
  for (uint32_t i = 0; i < n; i++) {
    ZKI_TRY(zki_borsh_string(r, &g->m[i].alias, ZK_QOS_MAX_STRING_LEN));
    ZKI_TRY(rdup(r, &g->m[i].pub, &g->m[i].pub_len, ZK_QOS_MAX_KEY_LEN));
  }
  ZKI_TRY(zki_borsh_u32(r, &g->threshold));
  ZKI_TRY(ropt(r, &g->dr_key, &g->dr_key_len, ZK_QOS_MAX_KEY_LEN));
  ZKI_TRY(rdup(r, &g->quorum_key, &g->quorum_key_len, ZK_QOS_MAX_KEY_LEN));
  uint32_t no;
  ZKI_TRY(zki_borsh_count(r, &no, ZK_QOS_MAX_MEMBERS, 8 + 4 + 64));
  if (no != n) return r->err = ZK_ERR_VALUE; /* one output per set member */
  for (uint32_t i = 0; i < n; i++) {
    char *alias = NULL;
    const uint8_t *p;
    size_t pl;
    ZKI_TRY(zki_borsh_string(r, &alias, ZK_QOS_MAX_STRING_LEN));
    zk_status st = zki_borsh_bytes(r, &p, &pl, ZK_QOS_MAX_KEY_LEN);
    bool same = st == ZK_OK && strcmp(alias, g->m[i].alias) == 0 && pl == g->m[i].pub_len &&
                memcmp(p, g->m[i].pub, pl) == 0;
    free(alias);
    ZKI_TRY(st);
    if (!same) return r->err = ZK_ERR_VALUE;
    ZKI_TRY(rdup(r, &g->m[i].enc_share, &g->m[i].enc_share_len, 4096));
    ZKI_TRY(zki_borsh_fixed(r, &p, 64));
    memcpy(g->m[i].share_hash, p, 64);
  }
  uint32_t perms;
  ZKI_TRY(zki_borsh_u32(r, &perms));
  if (perms != 0) return r->err = ZK_ERR_UNSUPPORTED;
  ZKI_TRY(ropt(r, &g->dr_wrapped, &g->dr_wrapped_len, 4096));
  const uint8_t *h;
  ZKI_TRY(zki_borsh_fixed(r, &h, 64));
  memcpy(g->quorum_key_hash, h, 64);
  ZKI_TRY(rdup(r, &g->test_ct, &g->test_ct_len, 4096));
  ZKI_TRY(rdup(r, &g->test_sig, &g->test_sig_len, 256));
  ZKI_TRY(rdup(r, &g->test_msg, &g->test_msg_len, 4096));
  return zki_borsh_r_finish(r);
}

zk_status zk_qos_genesis_parse(zk_qos_genesis **out, const uint8_t *in, size_t in_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (in == NULL) return ZK_ERR_ARG;
  if (in_len > ZK_QOS_MAX_GENESIS_LEN) return ZK_ERR_TOO_LARGE;
  zk_qos_genesis *g = calloc(1, sizeof *g);
  if (g == NULL) return ZK_ERR_NOMEM;
  zki_borsh_r r;
  zki_borsh_r_init(&r, in, in_len);
  zk_status st = genesis_read(&r, g);
  if (st != ZK_OK) {
    zk_qos_genesis_free(g);
    return st;
  }
  *out = g;
  return ZK_OK;
}

static void wopt(zki_borsh_w *w, const uint8_t *p, size_t n) {
  zki_borsh_w_bool(w, p != NULL);
  if (p != NULL) zki_borsh_w_bytes(w, p, n);
}

zk_status zk_qos_genesis_serialize(const zk_qos_genesis *g, uint8_t **out, size_t *out_len) {
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *out_len = 0;
  if (g == NULL) return ZK_ERR_ARG;
  zki_borsh_w w;
  zki_borsh_w_init(&w);
  zki_borsh_w_u32(&w, g->n);
  for (uint32_t i = 0; i < g->n; i++) {
    zki_borsh_w_string(&w, g->m[i].alias);
    zki_borsh_w_bytes(&w, g->m[i].pub, g->m[i].pub_len);
  }
  zki_borsh_w_u32(&w, g->threshold);
  wopt(&w, g->dr_key, g->dr_key_len);
  zki_borsh_w_bytes(&w, g->quorum_key, g->quorum_key_len);
  zki_borsh_w_u32(&w, g->n);
  for (uint32_t i = 0; i < g->n; i++) {
    zki_borsh_w_string(&w, g->m[i].alias);
    zki_borsh_w_bytes(&w, g->m[i].pub, g->m[i].pub_len);
    zki_borsh_w_bytes(&w, g->m[i].enc_share, g->m[i].enc_share_len);
    zki_borsh_w_fixed(&w, g->m[i].share_hash, 64);
  }
  zki_borsh_w_u32(&w, 0);
  wopt(&w, g->dr_wrapped, g->dr_wrapped_len);
  zki_borsh_w_fixed(&w, g->quorum_key_hash, 64);
  zki_borsh_w_bytes(&w, g->test_ct, g->test_ct_len);
  zki_borsh_w_bytes(&w, g->test_sig, g->test_sig_len);
  zki_borsh_w_bytes(&w, g->test_msg, g->test_msg_len);
  return zki_borsh_w_take(&w, out, out_len);
}

const uint8_t *zk_qos_genesis_quorum_key(const zk_qos_genesis *g, size_t *len) {
  if (len) *len = g ? g->quorum_key_len : 0;
  return g ? g->quorum_key : NULL;
}
const uint8_t *zk_qos_genesis_dr_key(const zk_qos_genesis *g, size_t *len) {
  if (len) *len = g ? g->dr_key_len : 0;
  return g ? g->dr_key : NULL;
}
uint32_t zk_qos_genesis_threshold(const zk_qos_genesis *g) {
  return g ? g->threshold : 0;
}
size_t zk_qos_genesis_member_count(const zk_qos_genesis *g) {
  return g ? g->n : 0;
}

zk_status zk_qos_genesis_open_share(const zk_qos_genesis *g, const zk_qos_keyset *ks,
                                    uint8_t **share, size_t *share_len) {
  if (share == NULL || share_len == NULL) return ZK_ERR_ARG;
  *share = NULL;
  *share_len = 0;
  if (g == NULL || ks == NULL) return ZK_ERR_ARG;
  const uint8_t *pub = zk_qos_keyset_public(ks);
  for (uint32_t i = 0; i < g->n; i++) {
    if (g->m[i].pub_len != ZK_QOS_PUBLIC_LEN || memcmp(g->m[i].pub, pub, ZK_QOS_PUBLIC_LEN) != 0)
      continue;
    uint8_t *pt;
    size_t ptn;
    ZKI_TRY(zk_qos_envelope_open(ks, &pt, &ptn, g->m[i].enc_share, g->m[i].enc_share_len));
    uint8_t h[64];
    zk_status st = zk_hash(ZK_HASH_SHA512, h, sizeof h, pt, ptn);
    if (st == ZK_OK && !zk_ct_equal(h, g->m[i].share_hash, 64)) st = ZK_ERR_QOS_SHARE_HASH;
    if (st != ZK_OK) {
      zk_free_secret(pt, ptn);
      return st;
    }
    *share = pt;
    *share_len = ptn;
    return ZK_OK;
  }
  return ZK_ERR_QOS_NOT_MEMBER;
}

static zk_status seed_hash(uint8_t out[64], const uint8_t seed[32]) {
  char hex[65];
  zki_hex_encode(hex, seed, 32);
  zk_status st = zk_hash(ZK_HASH_SHA512, out, 64, (const uint8_t *)hex, 64);
  zk_wipe(hex, sizeof hex);
  return st;
}

zk_status zk_qos_genesis_check_quorum(const zk_qos_genesis *g, const zk_qos_keyset *quorum) {
  if (g == NULL || quorum == NULL) return ZK_ERR_ARG;
  if (g->quorum_key_len != ZK_QOS_PUBLIC_LEN ||
      memcmp(g->quorum_key, zk_qos_keyset_public(quorum), ZK_QOS_PUBLIC_LEN) != 0)
    return ZK_ERR_QOS_QUORUM_KEY;
  uint8_t seed[32], h[64];
  ZKI_TRY(zk_qos_keyset_seed(quorum, seed, sizeof seed));
  zk_status st = seed_hash(h, seed);
  zk_wipe(seed, sizeof seed);
  ZKI_TRY(st);
  if (!zk_ct_equal(h, g->quorum_key_hash, 64)) return ZK_ERR_QOS_QUORUM_KEY_HASH;
  const size_t tl = strlen(ZK_QOS_TEST_MESSAGE);
  if (g->test_msg_len != tl || memcmp(g->test_msg, ZK_QOS_TEST_MESSAGE, tl) != 0)
    return ZK_ERR_QOS_TEST_MESSAGE;
  if (zk_qos_verify(g->quorum_key, g->quorum_key_len, g->test_sig, g->test_sig_len, g->test_msg,
                    g->test_msg_len) != ZK_OK)
    return ZK_ERR_QOS_TEST_MESSAGE;
  uint8_t *pt;
  size_t ptn;
  if (zk_qos_envelope_open(quorum, &pt, &ptn, g->test_ct, g->test_ct_len) != ZK_OK)
    return ZK_ERR_QOS_TEST_MESSAGE;
  bool ok = ptn == tl && memcmp(pt, g->test_msg, tl) == 0;
  zk_free_secret(pt, ptn);
  return ok ? ZK_OK : ZK_ERR_QOS_TEST_MESSAGE;
}

zk_status zk_qos_genesis_check_dr(const zk_qos_genesis *g, const zk_qos_keyset *dr) {
  if (g == NULL || dr == NULL) return ZK_ERR_ARG;
  if (g->dr_wrapped == NULL) return ZK_ERR_NOT_FOUND;
  uint8_t *pt;
  size_t ptn;
  ZKI_TRY(zk_qos_envelope_open(dr, &pt, &ptn, g->dr_wrapped, g->dr_wrapped_len));
  zk_qos_keyset *q = NULL;
  zk_status st = zk_qos_keyset_from_seed(&q, pt, ptn);
  zk_free_secret(pt, ptn);
  if (st == ZK_OK && (g->quorum_key_len != ZK_QOS_PUBLIC_LEN ||
                      memcmp(zk_qos_keyset_public(q), g->quorum_key, ZK_QOS_PUBLIC_LEN) != 0))
    st = ZK_ERR_QOS_QUORUM_KEY;
  if (st == ZK_ERR_QOS_KEY) st = ZK_ERR_QOS_QUORUM_KEY;
  zk_qos_keyset_free(q);
  return st;
}

static zk_status seal_to(uint8_t **out, size_t *out_len, const uint8_t *pub130, const uint8_t *pt,
                         size_t pt_len) {
  zk_qos_pubkey *pk;
  ZKI_TRY(zk_qos_pubkey_parse(&pk, pub130, ZK_QOS_PUBLIC_LEN));
  zk_status st = zk_qos_envelope_seal(out, out_len, pk, pt, pt_len);
  zk_qos_pubkey_free(pk);
  return st;
}

/* Key set from a seed drawn from the backend (retry on the ~2^-128 invalid scalar). */
static zk_status backend_keyset(zk_backend *be, zk_qos_keyset **out) {
  uint8_t seed[32];
  zk_status st = ZK_ERR_QOS_KEY;
  for (int i = 0; i < 4 && st == ZK_ERR_QOS_KEY; i++) {
    st = zk_backend_random(be, seed, sizeof seed);
    if (st == ZK_OK) st = zk_qos_keyset_from_seed(out, seed, sizeof seed);
  }
  zk_wipe(seed, sizeof seed);
  return st;
}

static zk_status genesis_build(zk_backend *be, zk_qos_genesis *g, const char *const *aliases,
                               const uint8_t *const *members, size_t n, uint32_t threshold,
                               const uint8_t *dr_pub) {
  g->m = calloc(n, sizeof *g->m);
  if (g->m == NULL) return ZK_ERR_NOMEM;
  g->n = (uint32_t)n;
  g->threshold = threshold;
  for (size_t i = 0; i < n; i++) {
    zk_qos_pubkey *pk;
    ZKI_TRY(zk_qos_pubkey_parse(&pk, members[i], ZK_QOS_PUBLIC_LEN));
    zk_qos_pubkey_free(pk);
    for (size_t k = 0; k < i; k++)
      if (strcmp(aliases[i], aliases[k]) == 0 || memcmp(members[i], members[k], 65) == 0 ||
          memcmp(members[i] + 65, members[k] + 65, 65) == 0)
        return ZK_ERR_QOS_DUPLICATE_MEMBER;
    if (strlen(aliases[i]) > ZK_QOS_MAX_STRING_LEN) return ZK_ERR_TOO_LARGE;
    g->m[i].alias = strdup(aliases[i]);
    g->m[i].pub = zki_memdup(members[i], ZK_QOS_PUBLIC_LEN);
    if (g->m[i].alias == NULL || g->m[i].pub == NULL) return ZK_ERR_NOMEM;
    g->m[i].pub_len = ZK_QOS_PUBLIC_LEN;
  }
  if (dr_pub != NULL) {
    zk_qos_pubkey *pk;
    ZKI_TRY(zk_qos_pubkey_parse(&pk, dr_pub, ZK_QOS_PUBLIC_LEN));
    zk_qos_pubkey_free(pk);
    g->dr_key = zki_memdup(dr_pub, ZK_QOS_PUBLIC_LEN);
    if (g->dr_key == NULL) return ZK_ERR_NOMEM;
    g->dr_key_len = ZK_QOS_PUBLIC_LEN;
  }
  zk_qos_keyset *q = NULL;
  ZKI_TRY(backend_keyset(be, &q));
  uint8_t seed[32];
  const size_t share_len = 33;
  uint8_t *shares = malloc(n * share_len);
  zk_status st = shares ? zk_qos_keyset_seed(q, seed, sizeof seed) : ZK_ERR_NOMEM;
  if (st == ZK_OK) st = zk_shamir_split(shares, n * share_len, n, threshold, seed, sizeof seed);
  if (st == ZK_OK) {
    g->quorum_key = zki_memdup(zk_qos_keyset_public(q), ZK_QOS_PUBLIC_LEN);
    g->quorum_key_len = ZK_QOS_PUBLIC_LEN;
    if (g->quorum_key == NULL) st = ZK_ERR_NOMEM;
  }
  for (size_t i = 0; i < n && st == ZK_OK; i++) {
    const uint8_t *sh = shares + i * share_len;
    st = zk_hash(ZK_HASH_SHA512, g->m[i].share_hash, 64, sh, share_len);
    if (st == ZK_OK)
      st = seal_to(&g->m[i].enc_share, &g->m[i].enc_share_len, members[i], sh, share_len);
  }
  if (st == ZK_OK && dr_pub != NULL)
    st = seal_to(&g->dr_wrapped, &g->dr_wrapped_len, dr_pub, seed, 32);
  if (st == ZK_OK) st = seed_hash(g->quorum_key_hash, seed);
  const size_t tl = strlen(ZK_QOS_TEST_MESSAGE);
  if (st == ZK_OK) {
    g->test_msg = zki_memdup((const uint8_t *)ZK_QOS_TEST_MESSAGE, tl);
    g->test_msg_len = tl;
    g->test_sig = malloc(ZK_QOS_SIG_LEN);
    g->test_sig_len = ZK_QOS_SIG_LEN;
    if (g->test_msg == NULL || g->test_sig == NULL) st = ZK_ERR_NOMEM;
  }
  if (st == ZK_OK) st = zk_qos_sign(q, g->test_sig, ZK_QOS_SIG_LEN, g->test_msg, tl);
  if (st == ZK_OK) st = seal_to(&g->test_ct, &g->test_ct_len, g->quorum_key, g->test_msg, tl);
  zk_free_secret(shares, shares ? n * share_len : 0);
  zk_wipe(seed, sizeof seed);
  zk_qos_keyset_free(q);
  return st;
}

zk_status zk_qos_genesis_run(zk_backend *be, zk_qos_genesis **out, uint8_t **att, size_t *att_len,
                             const char *const *aliases, const uint8_t *const *members, size_t n,
                             uint32_t threshold, const uint8_t *dr_pub) {
  if (out == NULL || att == NULL || att_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *att = NULL;
  *att_len = 0;
  if (be == NULL || aliases == NULL || members == NULL || n == 0) return ZK_ERR_ARG;
  for (size_t i = 0; i < n; i++)
    if (aliases[i] == NULL || members[i] == NULL) return ZK_ERR_ARG;
  if (n > ZK_QOS_MAX_MEMBERS || threshold == 0 || threshold > n) return ZK_ERR_SHAMIR_PARAMS;
  zk_qos_genesis *g = calloc(1, sizeof *g);
  if (g == NULL) return ZK_ERR_NOMEM;
  zk_status st = genesis_build(be, g, aliases, members, n, threshold, dr_pub);
  uint8_t *b = NULL, digest[32];
  size_t bn = 0;
  if (st == ZK_OK) st = zk_qos_genesis_serialize(g, &b, &bn);
  if (st == ZK_OK) st = zk_sha256(digest, b, bn);
  if (st == ZK_OK)
    st = zk_backend_attest(be, att, att_len, digest, sizeof digest, NULL, 0, NULL, 0);
  free(b);
  if (st != ZK_OK) {
    zk_qos_genesis_free(g);
    return st;
  }
  *out = g;
  return ZK_OK;
}

/* ---- nodes ---- */

struct zk_qos_node {
  zk_backend *be;
  zk_qos_phase phase;
  zk_qos_envelope *env;
  zk_qos_keyset *setup, *live, *quorum;
  uint8_t *shares[ZK_QOS_MAX_MEMBERS];
  size_t share_lens[ZK_QOS_MAX_MEMBERS];
  bool used[ZK_QOS_MAX_MEMBERS];
  uint32_t nshares;
};

zk_status zk_qos_node_new(zk_qos_node **out, zk_backend *be) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (be == NULL) return ZK_ERR_ARG;
  zk_qos_node *n = calloc(1, sizeof *n);
  if (n == NULL) return ZK_ERR_NOMEM;
  n->be = be;
  *out = n;
  return ZK_OK;
}

static void drop_shares(zk_qos_node *n) {
  for (uint32_t i = 0; i < n->nshares; i++) zk_free_secret(n->shares[i], n->share_lens[i]);
  n->nshares = 0;
}

void zk_qos_node_free(zk_qos_node *node) {
  if (node == NULL) return;
  drop_shares(node);
  zk_qos_envelope_free(node->env);
  zk_qos_keyset_free(node->setup);
  zk_qos_keyset_free(node->live);
  zk_qos_keyset_free(node->quorum);
  zk_wipe(node, sizeof *node);
  free(node);
}

zk_qos_phase zk_qos_node_phase(const zk_qos_node *node) {
  return node ? node->phase : ZK_QOS_PHASE_UNRECOVERABLE;
}

const zk_qos_keyset *zk_qos_node_ephemeral(const zk_qos_node *node) {
  if (node == NULL) return NULL;
  return node->phase == ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED ? node->live : node->setup;
}

const zk_qos_keyset *zk_qos_node_quorum(const zk_qos_node *node) {
  return node && node->phase == ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED ? node->quorum : NULL;
}

static zk_status copy_envelope(zk_qos_envelope **out, const zk_qos_envelope *env) {
  uint8_t *b;
  size_t n;
  ZKI_TRY(zk_qos_envelope_serialize_borsh(env, &b, &n));
  zk_status st = zk_qos_envelope_parse_borsh(
      out, b, n,
      (zk_qos_manifest_version)zk_qos_manifest_version_of(zk_qos_envelope_manifest(env)));
  free(b);
  return st;
}

static zk_status extend_commitment(zk_backend *be, zk_qos_commitment_kind kind, const uint8_t *hash,
                                   const zk_qos_keyset *ks) {
  uint8_t pcr[ZK_QOS_PCR_LEN], com[ZK_SHA384_LEN], val[64];
  size_t vl = sizeof val;
  ZKI_TRY(zk_qos_pcr_commitment(pcr, com, kind, hash, ZK_QOS_MANIFEST_HASH_LEN,
                                zk_qos_keyset_public(ks), ZK_QOS_PUBLIC_LEN));
  return zk_backend_extend_pcr(be, val, &vl, (uint16_t)kind, com, sizeof com);
}

static zk_status node_boot(zk_qos_node *node, uint8_t **att, size_t *att_len,
                           const zk_qos_envelope *env, const uint8_t *pivot, size_t pivot_len,
                           zk_qos_phase next) {
  if (att == NULL || att_len == NULL) return ZK_ERR_ARG;
  *att = NULL;
  *att_len = 0;
  if (node == NULL || env == NULL || (pivot == NULL && pivot_len > 0)) return ZK_ERR_ARG;
  if (node->phase != ZK_QOS_PHASE_WAITING_FOR_BOOT) return ZK_ERR_STATE;
  ZKI_TRY(zk_qos_envelope_verify_approvals(env, ZK_QOS_ENV_NO_SHARE_APPROVALS));
  const zk_qos_manifest *m = zk_qos_envelope_manifest(env);
  uint8_t ph[32];
  ZKI_TRY(zk_sha256(ph, pivot ? pivot : (const uint8_t *)"", pivot_len));
  if (!zk_ct_equal(ph, zk_qos_manifest_pivot_hash(m), 32)) return ZK_ERR_QOS_PIVOT_HASH;
  const uint8_t *hash = zk_qos_manifest_hash(m);
  zk_status st = copy_envelope(&node->env, env);
  if (st == ZK_OK) st = backend_keyset(node->be, &node->setup);
  if (st == ZK_OK) st = backend_keyset(node->be, &node->live);
  if (st == ZK_OK) st = extend_commitment(node->be, ZK_QOS_COMMIT_SETUP, hash, node->setup);
  if (st == ZK_OK) st = extend_commitment(node->be, ZK_QOS_COMMIT_LIVE, hash, node->live);
  if (st == ZK_OK) st = zk_backend_lock_pcrs(node->be, 32);
  if (st == ZK_OK)
    st = zk_backend_attest(node->be, att, att_len, hash, ZK_QOS_MANIFEST_HASH_LEN, NULL, 0,
                           zk_qos_keyset_public(node->setup), ZK_QOS_PUBLIC_LEN);
  if (st != ZK_OK) {
    /* PCRs may already be extended or locked: this node cannot boot again. */
    node->phase = ZK_QOS_PHASE_UNRECOVERABLE;
    return st;
  }
  node->phase = next;
  return ZK_OK;
}

zk_status zk_qos_node_boot_standard(zk_qos_node *node, uint8_t **att, size_t *att_len,
                                    const zk_qos_envelope *env, const uint8_t *pivot,
                                    size_t pivot_len) {
  return node_boot(node, att, att_len, env, pivot, pivot_len, ZK_QOS_PHASE_WAITING_FOR_SHARES);
}

zk_status zk_qos_node_boot_key_forward(zk_qos_node *node, uint8_t **att, size_t *att_len,
                                       const zk_qos_envelope *env, const uint8_t *pivot,
                                       size_t pivot_len) {
  return node_boot(node, att, att_len, env, pivot, pivot_len,
                   ZK_QOS_PHASE_WAITING_FOR_FORWARDED_KEY);
}

/* Seed -> key set; must be the manifest quorum key. */
static zk_status adopt_seed(zk_qos_node *node, const uint8_t *seed, size_t seed_len) {
  zk_qos_keyset *q = NULL;
  zk_status st = zk_qos_keyset_from_seed(&q, seed, seed_len);
  size_t qn = 0;
  const uint8_t *want = zk_qos_manifest_quorum_key(zk_qos_envelope_manifest(node->env), &qn);
  if (st == ZK_ERR_QOS_KEY ||
      (st == ZK_OK &&
       (qn != ZK_QOS_PUBLIC_LEN || !zk_ct_equal(zk_qos_keyset_public(q), want, ZK_QOS_PUBLIC_LEN))))
    st = ZK_ERR_QOS_QUORUM_KEY;
  if (st != ZK_OK) {
    zk_qos_keyset_free(q);
    return st;
  }
  node->quorum = q;
  node->phase = ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED;
  return ZK_OK;
}

zk_status zk_qos_node_provision(zk_qos_node *node, int *reconstructed, const uint8_t *enc_share,
                                size_t enc_share_len, const zk_qos_approval *approval) {
  if (reconstructed) *reconstructed = 0;
  if (node == NULL || reconstructed == NULL || enc_share == NULL || approval == NULL)
    return ZK_ERR_ARG;
  if (node->phase != ZK_QOS_PHASE_WAITING_FOR_SHARES) return ZK_ERR_STATE;
  const zk_qos_manifest *m = zk_qos_envelope_manifest(node->env);
  size_t idx;
  ZKI_TRY(zki_qos_approval_check_one(m, ZK_QOS_SET_SHARE, approval, &idx));
  if (idx >= ZK_QOS_MAX_MEMBERS) return ZK_ERR_INTERNAL;
  if (node->used[idx]) return ZK_ERR_QOS_DUPLICATE_APPROVAL;
  uint8_t *share;
  size_t share_len;
  ZKI_TRY(zk_qos_envelope_open(node->setup, &share, &share_len, enc_share, enc_share_len));
  if (share_len != 33) {
    zk_free_secret(share, share_len);
    return ZK_ERR_SHAMIR_SHARES;
  }
  for (uint32_t i = 0; i < node->nshares; i++)
    if (node->shares[i][0] == share[0]) {
      zk_free_secret(share, share_len);
      return ZK_ERR_SHAMIR_SHARES;
    }
  zk_status st = zk_qos_envelope_add_approval(node->env, ZK_QOS_SET_SHARE, approval);
  if (st != ZK_OK) {
    zk_free_secret(share, share_len);
    return st;
  }
  node->used[idx] = true;
  node->shares[node->nshares] = share;
  node->share_lens[node->nshares] = share_len;
  node->nshares++;
  if (node->nshares < zk_qos_manifest_threshold(m, ZK_QOS_SET_SHARE)) return ZK_OK;
  uint8_t seed[32];
  size_t sn;
  st = zk_shamir_combine(seed, sizeof seed, &sn, (const uint8_t *const *)node->shares, 33,
                         node->nshares);
  drop_shares(node);
  if (st == ZK_OK) st = adopt_seed(node, seed, sn);
  zk_wipe(seed, sizeof seed);
  if (st != ZK_OK) {
    node->phase = ZK_QOS_PHASE_UNRECOVERABLE;
    return st;
  }
  *reconstructed = 1;
  return ZK_OK;
}

zk_status zk_qos_node_attest_live(zk_qos_node *node, uint8_t **att, size_t *att_len) {
  if (att == NULL || att_len == NULL) return ZK_ERR_ARG;
  *att = NULL;
  *att_len = 0;
  if (node == NULL) return ZK_ERR_ARG;
  if (node->phase != ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED) return ZK_ERR_STATE;
  return zk_backend_attest(
      node->be, att, att_len, zk_qos_manifest_hash(zk_qos_envelope_manifest(node->env)),
      ZK_QOS_MANIFEST_HASH_LEN, NULL, 0, zk_qos_keyset_public(node->live), ZK_QOS_PUBLIC_LEN);
}

/* A new node's boot (attestation, approvals, PCRs) against env, with the setup commitment and no
 * share-set approvals required. */
static zk_status verify_setup_boot(zk_qos_boot **b, const zk_att_verifier *v, const uint8_t *att,
                                   size_t att_len, const zk_qos_envelope *env, uint64_t at_unix) {
  zk_qos_boot_policy *p;
  ZKI_TRY(zk_qos_boot_policy_new(&p));
  zk_status st = zk_qos_boot_policy_require_commitment(p, ZK_QOS_COMMIT_SETUP);
  zk_qos_boot_policy_require_no_share_approvals(p, 1);
  if (st == ZK_OK) st = zk_qos_boot_verify(v, p, b, att, att_len, env, NULL, NULL, 0, at_unix);
  zk_qos_boot_policy_free(p);
  return st;
}

zk_status zk_qos_node_export_key(const zk_qos_node *node, uint8_t **enc, size_t *enc_len,
                                 uint8_t sig[ZK_QOS_SIG_LEN], const zk_att_verifier *v,
                                 const uint8_t *att, size_t att_len, const zk_qos_envelope *new_env,
                                 uint64_t at_unix) {
  if (enc == NULL || enc_len == NULL || sig == NULL) return ZK_ERR_ARG;
  *enc = NULL;
  *enc_len = 0;
  memset(sig, 0, ZK_QOS_SIG_LEN);
  if (node == NULL || v == NULL || att == NULL || new_env == NULL) return ZK_ERR_ARG;
  if (node->phase != ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED) return ZK_ERR_STATE;
  const zk_qos_manifest *cur = zk_qos_envelope_manifest(node->env);
  const zk_qos_manifest *nm = zk_qos_envelope_manifest(new_env);
  /* the new node's boot: attestation, approvals, PCRs, setup commitment */
  zk_qos_boot *b = NULL;
  zk_status st = verify_setup_boot(&b, v, att, att_len, new_env, at_unix);
  size_t an, bn;
  const uint8_t *qa = zk_qos_manifest_quorum_key(cur, &an),
                *qb = zk_qos_manifest_quorum_key(nm, &bn);
  if (st == ZK_OK && (an != bn || memcmp(qa, qb, an) != 0)) st = ZK_ERR_QOS_QUORUM_KEY;
  if (st == ZK_OK && !zki_qos_manifest_same_set(cur, nm, ZK_QOS_SET_MANIFEST))
    st = ZK_ERR_QOS_MANIFEST_SET;
  if (st == ZK_OK && strcmp(zk_qos_manifest_namespace(cur), zk_qos_manifest_namespace(nm)) != 0)
    st = ZK_ERR_QOS_NAMESPACE;
  if (st == ZK_OK && zk_qos_manifest_nonce(nm) < zk_qos_manifest_nonce(cur)) st = ZK_ERR_QOS_NONCE;
  if (st == ZK_OK && zk_qos_manifest_nonce(nm) == zk_qos_manifest_nonce(cur) &&
      memcmp(zk_qos_manifest_hash(nm), zk_qos_manifest_hash(cur), 32) != 0)
    st = ZK_ERR_QOS_DIFFERENT_MANIFEST;
  if (st == ZK_OK) {
    const uint8_t *p3a = zk_qos_manifest_pcr(cur, 3, &an), *p3b = zk_qos_manifest_pcr(nm, 3, &bn);
    if (an != bn || memcmp(p3a, p3b, an) != 0) st = ZK_ERR_QOS_PCR3;
  }
  uint8_t seed[32];
  if (st == ZK_OK) st = zk_qos_keyset_seed(node->quorum, seed, sizeof seed);
  if (st == ZK_OK) st = seal_to(enc, enc_len, zk_qos_boot_ephemeral_key(b), seed, sizeof seed);
  zk_wipe(seed, sizeof seed);
  if (st == ZK_OK) st = zk_qos_sign(node->quorum, sig, ZK_QOS_SIG_LEN, *enc, *enc_len);
  zk_qos_boot_free(b);
  if (st != ZK_OK) {
    zk_free(*enc);
    *enc = NULL;
    *enc_len = 0;
    memset(sig, 0, ZK_QOS_SIG_LEN);
  }
  return st;
}

zk_status zk_qos_node_inject_key(zk_qos_node *node, const uint8_t *enc, size_t enc_len,
                                 const uint8_t *sig, size_t sig_len) {
  if (node == NULL || enc == NULL || sig == NULL) return ZK_ERR_ARG;
  if (node->phase != ZK_QOS_PHASE_WAITING_FOR_FORWARDED_KEY) return ZK_ERR_STATE;
  size_t qn;
  const uint8_t *qk = zk_qos_manifest_quorum_key(zk_qos_envelope_manifest(node->env), &qn);
  if (zk_qos_verify(qk, qn, sig, sig_len, enc, enc_len) != ZK_OK)
    return ZK_ERR_QOS_FORWARD_SIGNATURE;
  uint8_t *seed;
  size_t sn;
  ZKI_TRY(zk_qos_envelope_open(node->setup, &seed, &sn, enc, enc_len));
  zk_status st = adopt_seed(node, seed, sn);
  zk_free_secret(seed, sn);
  return st;
}

zk_status zk_qos_operator_provision(uint8_t **enc, size_t *enc_len, zk_qos_approval **approval,
                                    const zk_att_verifier *v, const zk_qos_keyset *ks,
                                    const char *alias, const uint8_t *share, size_t share_len,
                                    const uint8_t *att, size_t att_len, const zk_qos_envelope *env,
                                    uint64_t at_unix) {
  if (enc == NULL || enc_len == NULL || approval == NULL) return ZK_ERR_ARG;
  *enc = NULL;
  *enc_len = 0;
  *approval = NULL;
  if (v == NULL || ks == NULL || alias == NULL || share == NULL || att == NULL || env == NULL)
    return ZK_ERR_ARG;
  zk_qos_boot *b = NULL;
  zk_status st = verify_setup_boot(&b, v, att, att_len, env, at_unix);
  const zk_qos_manifest *m = zk_qos_envelope_manifest(env);
  if (st == ZK_OK) {
    st = ZK_ERR_QOS_NOT_MEMBER;
    for (size_t i = 0; i < zk_qos_manifest_member_count(m, ZK_QOS_SET_SHARE); i++) {
      const char *a;
      const uint8_t *pub;
      size_t pl;
      if (zk_qos_manifest_member(m, ZK_QOS_SET_SHARE, i, &a, &pub, &pl) == ZK_OK &&
          strcmp(a, alias) == 0 && pl == ZK_QOS_PUBLIC_LEN &&
          memcmp(pub, zk_qos_keyset_public(ks), ZK_QOS_PUBLIC_LEN) == 0)
        st = ZK_OK;
    }
  }
  if (st == ZK_OK) st = seal_to(enc, enc_len, zk_qos_boot_ephemeral_key(b), share, share_len);
  if (st == ZK_OK) st = zk_qos_approval_sign(approval, ks, alias, m);
  zk_qos_boot_free(b);
  if (st != ZK_OK) {
    zk_free(*enc);
    *enc = NULL;
    *enc_len = 0;
  }
  return st;
}
