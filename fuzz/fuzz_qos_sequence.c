/*
 * libFuzzer harness: the QOS node state machine (lib/qos_provision.c) driven by a sequence of
 * operations, boot standard and key forward alike, against a model of what each step must do.
 *
 * Setup (once): operators, a quorum key set split 2-of-3, four manifest envelopes that differ
 * only where the key-forward rules look (qos_fixture.h), and an OLD node booted with envelope 0
 * on its own mock backend and provisioned by two operators. It stays provisioned and exports
 * its key (zk_qos_node_export_key takes it const).
 *   envelope 0: the old node's manifest           export allowed
 *   envelope 1: same, nonce 2                     export allowed
 *   envelope 2: other namespace                   ZK_ERR_QOS_NAMESPACE
 *   envelope 3: nonce 1, different pivot args     ZK_ERR_QOS_DIFFERENT_MANIFEST
 * Per input: a NEW node on a fresh mock backend (own PKI, own verifier), then up to 16 steps
 * of 5 bytes [op][p][pos hi][pos lo][x]; op % 9:
 *   0 boot standard with envelope p % 4     1 boot key forward with envelope p % 4
 *   2 share of operator p % 3, genuine      3 the same with byte pos of the envelope ^= x
 *   4 old node exports to the new node's setup attestation (byte pos ^= x when x != 0)
 *   5 inject the last export                6 inject it with byte pos of enc || sig ^= x
 *   7 live attestation                      8 replace the new node by a fresh one (the last
 *                                             export is kept: replaying it must fail)
 * After every step the node's phase must be the model's, and the status must be the one the
 * model predicts: ZK_ERR_STATE exactly in a wrong phase; a forged, corrupted or replayed
 * message never changes anything; the export rules give their exact status; a provisioned node
 * holds the manifest's quorum key; a failure never poisons what follows. Any violation aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qos_fixture.h"
#include "zerokey/attestation.h"
#include "zerokey/backend.h"
#include "zerokey/crypto.h"
#include "zerokey/qos.h"
#include "zerokey/qos_manifest.h"
#include "zerokey/qos_provision.h"
#include "zerokey/shamir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NENV 4
#define STEP 5
#define MAX_STEPS 16

static const char PIVOT[] = "fuzz sequence pivot";
static uint8_t pcrs[ZKF_BOOT_PCRS_LEN];
static zk_qos_keyset *ops[ZKF_OPS], *quorum;
static uint8_t shares[ZKF_OPS][33];
static zk_qos_envelope *envs[NENV];
static const zk_status export_want[NENV] = {ZK_OK, ZK_OK, ZK_ERR_QOS_NAMESPACE,
                                            ZK_ERR_QOS_DIFFERENT_MANIFEST};
static zk_backend *old_be;
static zk_qos_node *old_node;

static void must(int ok) {
  if (!ok) abort();
}

/* Operator i's genuine message for a node whose setup attestation is att (under envelope e). */
static void operator_msg(int i, const zk_att_verifier *v, const uint8_t *att, size_t att_len,
                         const zk_qos_envelope *e, uint8_t **enc, size_t *enc_len,
                         zk_qos_approval **ap) {
  must(zk_qos_operator_provision(enc, enc_len, ap, v, ops[i], ZKF_ALIAS[i], shares[i], 33, att,
                                 att_len, e, ZK_ATT_TIME_NOW) == ZK_OK);
}

static int holds_quorum(const zk_qos_node *n) {
  const zk_qos_keyset *q = zk_qos_node_quorum(n);
  return q != NULL &&
         memcmp(zk_qos_keyset_public(q), zk_qos_keyset_public(quorum), ZK_QOS_PUBLIC_LEN) == 0;
}

static void init(void) {
  for (int i = 0; i < ZKF_BOOT_PCRS_LEN; i++) pcrs[i] = (uint8_t)(i * 11 + 3);
  for (int i = 0; i < ZKF_OPS; i++) ops[i] = zkf_keyset((uint8_t)(0x61 + i));
  quorum = zkf_keyset(0x60);
  uint8_t seed[32], all[ZKF_OPS * 33];
  must(zk_qos_keyset_seed(quorum, seed, sizeof seed) == ZK_OK);
  must(zk_shamir_split(all, sizeof all, ZKF_OPS, 2, seed, sizeof seed) == ZK_OK);
  for (int i = 0; i < ZKF_OPS; i++) memcpy(shares[i], all + 33 * i, 33);
  zk_wipe(seed, sizeof seed);
  zk_wipe(all, sizeof all);
  envs[0] = zkf_envelope("fuzz/seq", 1, "[]", pcrs, ops, quorum, PIVOT);
  envs[1] = zkf_envelope("fuzz/seq", 2, "[]", pcrs, ops, quorum, PIVOT);
  envs[2] = zkf_envelope("fuzz/other", 1, "[]", pcrs, ops, quorum, PIVOT);
  envs[3] = zkf_envelope("fuzz/seq", 1, "[\"--other\"]", pcrs, ops, quorum, PIVOT);

  zk_att_verifier *v = NULL;
  zkf_mock_node(&old_be, &v, &old_node, pcrs, sizeof pcrs);
  uint8_t *att = NULL;
  size_t att_len = 0;
  must(zk_qos_node_boot_standard(old_node, &att, &att_len, envs[0], (const uint8_t *)PIVOT,
                                 strlen(PIVOT)) == ZK_OK);
  int done = 0;
  for (int i = 0; i < 2; i++) {
    uint8_t *enc = NULL;
    size_t enc_len = 0;
    zk_qos_approval *ap = NULL;
    operator_msg(i, v, att, att_len, envs[0], &enc, &enc_len, &ap);
    must(zk_qos_node_provision(old_node, &done, enc, enc_len, ap) == ZK_OK);
    zk_free(enc);
    zk_qos_approval_free(ap);
  }
  must(done == 1 && holds_quorum(old_node));
  zk_free(att);
  zk_att_verifier_free(v);
}

/* The new node and what the model knows about it. */
struct model {
  zk_backend *be;
  zk_att_verifier *v;
  zk_qos_node *node;
  unsigned gen;       /* which new node (step 8 makes another) */
  zk_qos_phase phase; /* expected phase */
  int env;            /* envelope it booted with, -1 before boot */
  uint8_t *att;       /* its setup attestation */
  size_t att_len;
  int used[ZKF_OPS], nshares;
  uint8_t *fwd; /* last export: envelope, signature, and the node it was made for */
  size_t fwd_len;
  uint8_t fwd_sig[ZK_QOS_SIG_LEN];
  unsigned fwd_gen;
};

static void drop_node(struct model *m) {
  zk_qos_node_free(m->node);
  zk_backend_free(m->be);
  zk_att_verifier_free(m->v);
  zk_free(m->att);
  m->node = NULL, m->be = NULL, m->v = NULL, m->att = NULL, m->att_len = 0;
}

static void fresh_node(struct model *m) {
  drop_node(m);
  zkf_mock_node(&m->be, &m->v, &m->node, pcrs, sizeof pcrs);
  m->gen++;
  m->phase = ZK_QOS_PHASE_WAITING_FOR_BOOT;
  m->env = -1;
  memset(m->used, 0, sizeof m->used);
  m->nshares = 0;
}

static void step_boot(struct model *m, int key_forward, int e) {
  uint8_t *att = NULL;
  size_t att_len = 0;
  zk_status s = key_forward ? zk_qos_node_boot_key_forward(m->node, &att, &att_len, envs[e],
                                                           (const uint8_t *)PIVOT, strlen(PIVOT))
                            : zk_qos_node_boot_standard(m->node, &att, &att_len, envs[e],
                                                        (const uint8_t *)PIVOT, strlen(PIVOT));
  if (m->phase != ZK_QOS_PHASE_WAITING_FOR_BOOT) {
    must(s == ZK_ERR_STATE && att == NULL && att_len == 0);
    return;
  }
  must(s == ZK_OK && att != NULL && att_len > 0);
  m->att = att, m->att_len = att_len, m->env = e;
  m->phase = key_forward ? ZK_QOS_PHASE_WAITING_FOR_FORWARDED_KEY : ZK_QOS_PHASE_WAITING_FOR_SHARES;
}

static void step_share(struct model *m, int i, size_t pos, uint8_t x) {
  if (m->att == NULL) return; /* nothing booted: no attestation to answer */
  uint8_t *enc = NULL;
  size_t enc_len = 0;
  zk_qos_approval *ap = NULL;
  operator_msg(i, m->v, m->att, m->att_len, envs[m->env], &enc, &enc_len, &ap);
  enc[pos % enc_len] ^= x;
  int done = 0;
  zk_status s = zk_qos_node_provision(m->node, &done, enc, enc_len, ap);
  zk_free(enc);
  zk_qos_approval_free(ap);
  if (m->phase != ZK_QOS_PHASE_WAITING_FOR_SHARES) {
    must(s == ZK_ERR_STATE && done == 0);
  } else if (m->used[i]) {
    must(s == ZK_ERR_QOS_DUPLICATE_APPROVAL && done == 0);
  } else if (x != 0) {
    must(s != ZK_OK && done == 0); /* a corrupted share envelope is refused, nothing recorded */
  } else {
    must(s == ZK_OK);
    m->used[i] = 1;
    if (++m->nshares == 2) {
      must(done == 1);
      m->phase = ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED;
    } else {
      must(done == 0);
    }
  }
}

static void step_export(struct model *m, size_t pos, uint8_t x) {
  if (m->att == NULL) return;
  uint8_t *att = malloc(m->att_len);
  must(att != NULL);
  memcpy(att, m->att, m->att_len);
  att[pos % m->att_len] ^= x;
  uint8_t *enc = NULL, sig[ZK_QOS_SIG_LEN];
  size_t enc_len = 0;
  zk_status s = zk_qos_node_export_key(old_node, &enc, &enc_len, sig, m->v, att, m->att_len,
                                       envs[m->env], ZK_ATT_TIME_NOW);
  free(att);
  if (x != 0) {
    must(s != ZK_OK && enc == NULL && enc_len == 0); /* a corrupted attestation */
    return;
  }
  must(s == export_want[m->env]);
  if (s != ZK_OK) {
    must(enc == NULL && enc_len == 0);
    return;
  }
  zk_free(m->fwd);
  m->fwd = enc, m->fwd_len = enc_len, m->fwd_gen = m->gen;
  memcpy(m->fwd_sig, sig, sizeof sig);
}

static void step_inject(struct model *m, int mutate, size_t pos, uint8_t x) {
  if (m->fwd == NULL || (mutate && x == 0)) return;
  uint8_t *enc = malloc(m->fwd_len), sig[ZK_QOS_SIG_LEN];
  must(enc != NULL);
  memcpy(enc, m->fwd, m->fwd_len);
  memcpy(sig, m->fwd_sig, sizeof sig);
  if (mutate) {
    size_t p = pos % (m->fwd_len + sizeof sig);
    if (p < m->fwd_len)
      enc[p] ^= x;
    else
      sig[p - m->fwd_len] ^= x;
  }
  zk_status s = zk_qos_node_inject_key(m->node, enc, m->fwd_len, sig, sizeof sig);
  free(enc);
  if (m->phase != ZK_QOS_PHASE_WAITING_FOR_FORWARDED_KEY) {
    must(s == ZK_ERR_STATE);
  } else if (mutate) {
    must(s == ZK_ERR_QOS_FORWARD_SIGNATURE); /* the quorum key signs the envelope */
  } else if (m->fwd_gen != m->gen) {
    /* Signed by the quorum key but sealed to another node's setup key: the envelope does not
     * open (AES-GCM tag), so a replay is refused and changes nothing. */
    must(s == ZK_ERR_DECRYPT);
  } else {
    must(s == ZK_OK);
    m->phase = ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED;
  }
}

static void step_live(struct model *m) {
  uint8_t *att = NULL;
  size_t att_len = 0;
  zk_status s = zk_qos_node_attest_live(m->node, &att, &att_len);
  if (m->phase != ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED) {
    must(s == ZK_ERR_STATE && att == NULL);
    return;
  }
  must(s == ZK_OK && att != NULL);
  /* The live document verifies and binds the manifest hash and the live key. */
  zk_att_policy *pol = NULL;
  zk_att_doc *d = NULL;
  const zk_qos_manifest *man = zk_qos_envelope_manifest(envs[m->env]);
  const zk_qos_keyset *live = zk_qos_node_ephemeral(m->node);
  must(live != NULL && zk_att_policy_new(&pol) == ZK_OK);
  must(zk_att_policy_expect_user_data(pol, zk_qos_manifest_hash(man), ZK_QOS_MANIFEST_HASH_LEN) ==
       ZK_OK);
  must(zk_att_policy_expect_public_key(pol, zk_qos_keyset_public(live), ZK_QOS_PUBLIC_LEN) ==
       ZK_OK);
  must(zk_att_verify(m->v, &d, att, att_len, ZK_ATT_TIME_NOW, pol, NULL) == ZK_OK);
  zk_att_doc_free(d);
  zk_att_policy_free(pol);
  zk_free(att);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (old_node == NULL) init();
  struct model m;
  memset(&m, 0, sizeof m);
  fresh_node(&m);
  for (size_t k = 0; k + STEP <= size && k < STEP * MAX_STEPS; k += STEP) {
    int op = data[k] % 9, p = data[k + 1];
    size_t pos = ((size_t)data[k + 2] << 8) | data[k + 3];
    uint8_t x = data[k + 4];
    switch (op) {
      case 0:
        step_boot(&m, 0, p % NENV);
        break;
      case 1:
        step_boot(&m, 1, p % NENV);
        break;
      case 2:
        step_share(&m, p % ZKF_OPS, 0, 0);
        break;
      case 3:
        step_share(&m, p % ZKF_OPS, pos, x);
        break;
      case 4:
        step_export(&m, pos, x);
        break;
      case 5:
        step_inject(&m, 0, 0, 0);
        break;
      case 6:
        step_inject(&m, 1, pos, x);
        break;
      case 7:
        step_live(&m);
        break;
      default:
        fresh_node(&m);
        break;
    }
    must(zk_qos_node_phase(m.node) == m.phase);
    must((m.phase == ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED) == (zk_qos_node_quorum(m.node) != NULL));
    if (m.phase == ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED) must(holds_quorum(m.node));
  }
  drop_node(&m);
  zk_free(m.fwd);
  return 0;
}
