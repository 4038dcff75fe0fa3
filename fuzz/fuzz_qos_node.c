/*
 * libFuzzer harness: QOS node provisioning (lib/qos_provision.c), the enclave
 * side that takes encrypted shares and approvals from operators.
 * Setup (once): three operator key sets (seeds 0x71.., 0x72.., 0x73..), a
 * quorum key set (seed 0x70..) split 2-of-3 with zk_shamir_split, a manifest
 * (JSON, PCR0-3 = the mock boot PCRs, pivot = SHA-256("fuzz pivot")) approved
 * by two operators. Per input: a fresh mock backend and node, boot standard,
 * then one hostile provisioning message chosen by the input, then the two
 * genuine operator messages (zk_qos_operator_provision: verifies the setup
 * attestation and re-encrypts the share to the attested setup key).
 * Input: [mode][op][pos hi][pos lo][xor][bytes...], mode % 4:
 *   0 the genuine share envelope of operator op with byte pos changed by xor
 *   1 the input bytes as the share envelope, with op's genuine approval
 *   2 an approval by op's public key with the input bytes as signature and
 *     alias (first 64 bytes: signature; the rest: alias), genuine envelope
 *   3 the input bytes as a share (QOS envelope sealed by us to the node's
 *     setup key) with op's genuine approval: a hostile share holder
 * Invariants (abort on violation):
 *  - modes 0-2 with a real change never provision (a forged or corrupted
 *    message is refused), and the node stays WAITING_FOR_SHARES;
 *  - after a refused message the two genuine messages still reconstruct the
 *    quorum key (reconstructed == 1, phase QUORUM_KEY_PROVISIONED, the node's
 *    quorum public key == the quorum key set's): failures do not poison state;
 *  - mode 3: any status is documented; the node never provisions a quorum key
 *    other than the manifest's (it becomes UNRECOVERABLE instead).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

static const char PIVOT[] = "fuzz pivot";
static uint8_t pcrs[ZKF_BOOT_PCRS_LEN];
static zk_qos_keyset *ops[ZKF_OPS], *quorum;
static uint8_t shares[ZKF_OPS][33];
static zk_qos_envelope *env;
static zk_att_verifier *verifier; /* per input: each mock backend has its own root */

static void init(void) {
  for (int i = 0; i < ZKF_BOOT_PCRS_LEN; i++) pcrs[i] = (uint8_t)(i * 7 + 1);
  for (int i = 0; i < ZKF_OPS; i++) ops[i] = zkf_keyset((uint8_t)(0x71 + i));
  quorum = zkf_keyset(0x70);
  uint8_t seed[32], all[ZKF_OPS * 33];
  if (zk_qos_keyset_seed(quorum, seed, sizeof seed) != ZK_OK ||
      zk_shamir_split(all, sizeof all, ZKF_OPS, 2, seed, sizeof seed) != ZK_OK)
    abort();
  for (int i = 0; i < ZKF_OPS; i++) memcpy(shares[i], all + 33 * i, 33);
  zk_wipe(seed, sizeof seed);
  zk_wipe(all, sizeof all);
  env = zkf_envelope("fuzz/node", 1, "[]", pcrs, ops, quorum, PIVOT);
}

/* A booted node waiting for shares; *att: its setup attestation. */
static zk_qos_node *boot(zk_backend **be, uint8_t **att, size_t *att_len) {
  zk_qos_node *node = NULL;
  zkf_mock_node(be, &verifier, &node, pcrs, sizeof pcrs);
  if (zk_qos_node_boot_standard(node, att, att_len, env, (const uint8_t *)PIVOT, strlen(PIVOT)) !=
          ZK_OK ||
      zk_qos_node_phase(node) != ZK_QOS_PHASE_WAITING_FOR_SHARES)
    abort();
  return node;
}

static void genuine(int i, const uint8_t *att, size_t att_len, uint8_t **enc, size_t *enc_len,
                    zk_qos_approval **ap) {
  if (zk_qos_operator_provision(enc, enc_len, ap, verifier, ops[i], ZKF_ALIAS[i], shares[i], 33,
                                att, att_len, env, ZK_ATT_TIME_NOW) != ZK_OK)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (env == NULL) init();
  if (size < 5) return 0;
  int mode = data[0] % 4, op = data[1] % 3;
  size_t pos = ((size_t)data[2] << 8) | data[3];
  uint8_t x = data[4];
  const uint8_t *in = data + 5;
  size_t n = size - 5;
  if (n > 4096) n = 4096;

  zk_backend *be = NULL;
  uint8_t *att = NULL, *enc = NULL;
  size_t att_len = 0, enc_len = 0;
  zk_qos_approval *ap = NULL;
  zk_qos_node *node = boot(&be, &att, &att_len);
  int done = 0, changed = 1;
  zk_status s;

  if (mode == 3) {
    const zk_qos_keyset *setup = zk_qos_node_ephemeral(node);
    zk_qos_pubkey *pk = NULL;
    if (setup == NULL ||
        zk_qos_pubkey_parse(&pk, zk_qos_keyset_public(setup), ZK_QOS_PUBLIC_LEN) != ZK_OK ||
        zk_qos_approval_sign(&ap, ops[op], ZKF_ALIAS[op], zk_qos_envelope_manifest(env)) != ZK_OK ||
        zk_qos_envelope_seal(&enc, &enc_len, pk, in, n) != ZK_OK)
      abort();
    zk_qos_pubkey_free(pk);
  } else if (mode == 2) {
    char alias[128];
    size_t al = n > 64 ? n - 64 : 0;
    if (al > sizeof alias - 1) al = sizeof alias - 1;
    memcpy(alias, in + (n > 64 ? 64 : n), al);
    alias[al] = 0;
    uint8_t sig[64] = {0};
    memcpy(sig, in, n < 64 ? n : 64);
    genuine(op, att, att_len, &enc, &enc_len, &ap);
    zk_qos_approval_free(ap);
    ap = NULL;
    if (zk_qos_approval_new(&ap, sig, sizeof sig, alias, zk_qos_keyset_public(ops[op]),
                            ZK_QOS_PUBLIC_LEN) != ZK_OK) {
      changed = 0; /* nothing to submit */
    }
  } else {
    genuine(op, att, att_len, &enc, &enc_len, &ap);
    if (mode == 0) {
      if (x == 0) changed = 0;
      enc[pos % enc_len] ^= x;
    } else {
      zk_free(enc);
      enc = malloc(n ? n : 1);
      if (enc == NULL) abort();
      memcpy(enc, in, n);
      enc_len = n;
    }
  }
  if (ap != NULL) {
    s = zk_qos_node_provision(node, &done, enc, enc_len, ap);
    if (mode != 3 && changed &&
        (s == ZK_OK || zk_qos_node_phase(node) != ZK_QOS_PHASE_WAITING_FOR_SHARES))
      abort();
  }
  zk_free(enc);
  zk_qos_approval_free(ap);
  enc = NULL;
  ap = NULL;

  /* The genuine messages of two operators (skipping one already accepted). */
  for (int i = 0; i < 3 && zk_qos_node_phase(node) == ZK_QOS_PHASE_WAITING_FOR_SHARES; i++) {
    genuine(i, att, att_len, &enc, &enc_len, &ap);
    s = zk_qos_node_provision(node, &done, enc, enc_len, ap);
    if (mode != 3 && !changed && s == ZK_ERR_QOS_DUPLICATE_APPROVAL) s = ZK_OK;
    if (mode != 3 && s != ZK_OK) abort();
    zk_free(enc);
    zk_qos_approval_free(ap);
    enc = NULL;
    ap = NULL;
  }
  zk_qos_phase ph = zk_qos_node_phase(node);
  if (mode != 3) {
    const zk_qos_keyset *q = zk_qos_node_quorum(node);
    if (ph != ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED || q == NULL ||
        memcmp(zk_qos_keyset_public(q), zk_qos_keyset_public(quorum), ZK_QOS_PUBLIC_LEN) != 0)
      abort();
  } else if (ph == ZK_QOS_PHASE_QUORUM_KEY_PROVISIONED) {
    const zk_qos_keyset *q = zk_qos_node_quorum(node);
    if (q == NULL ||
        memcmp(zk_qos_keyset_public(q), zk_qos_keyset_public(quorum), ZK_QOS_PUBLIC_LEN) != 0)
      abort();
  } else if (ph != ZK_QOS_PHASE_UNRECOVERABLE && ph != ZK_QOS_PHASE_WAITING_FOR_SHARES) {
    abort();
  }
  zk_free(att);
  zk_qos_node_free(node);
  zk_backend_free(be);
  zk_att_verifier_free(verifier);
  verifier = NULL;
  return 0;
}
