/*
 * Shared set-up of the QOS provisioning harnesses (fuzz_qos_node, fuzz_qos_sequence): three
 * operators with fixed seeds, and manifest envelopes approved by two of them whose quorum key,
 * pivot and PCR0-3 are the caller's. Static functions only: each harness is its own program.
 */
#ifndef ZK_FUZZ_QOS_FIXTURE_H
#define ZK_FUZZ_QOS_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/attestation.h"
#include "zerokey/backend.h"
#include "zerokey/crypto.h"
#include "zerokey/qos.h"
#include "zerokey/qos_manifest.h"
#include "zerokey/qos_provision.h"

/* Boot PCRs 0-15 given to a mock node: 16 values of 48 bytes. */
#define ZKF_BOOT_PCRS_LEN (16 * 48)
#define ZKF_OPS 3
static const char *const ZKF_ALIAS[ZKF_OPS] = {"op-1", "op-2", "op-3"};

static void zkf_hex(char *out, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* A QOS key set whose 32-byte seed is `fill` repeated (public test keys, not secrets). */
static zk_qos_keyset *zkf_keyset(uint8_t fill) {
  uint8_t seed[32];
  zk_qos_keyset *ks = NULL;
  memset(seed, fill, sizeof seed);
  if (zk_qos_keyset_from_seed(&ks, seed, sizeof seed) != ZK_OK) abort();
  return ks;
}

/*
 * Manifest: namespace ns / nonce, quorum key of `quorum`, pivot hash SHA-256(pivot) with the
 * JSON array `args`, manifest and share sets = the three operators (threshold 2), PCR0-3 = the
 * first four 48-byte values of pcrs. The envelope carries the approvals of operators 0 and 1.
 */
static zk_qos_envelope *zkf_envelope(const char *ns, uint64_t nonce, const char *args,
                                     const uint8_t *pcrs, zk_qos_keyset *const ops[ZKF_OPS],
                                     const zk_qos_keyset *quorum, const char *pivot) {
  static char json[8192], members[ZKF_OPS * 320], pk[261], qk[261], ph[65], pcr[4][97];
  uint8_t d[32];
  size_t o = 0;
  for (int i = 0; i < ZKF_OPS; i++) {
    zkf_hex(pk, zk_qos_keyset_public(ops[i]), ZK_QOS_PUBLIC_LEN);
    o += (size_t)snprintf(members + o, sizeof members - o, "%s{\"alias\":\"%s\",\"pubKey\":\"%s\"}",
                          i ? "," : "", ZKF_ALIAS[i], pk);
  }
  zkf_hex(qk, zk_qos_keyset_public(quorum), ZK_QOS_PUBLIC_LEN);
  if (zk_sha256(d, (const uint8_t *)pivot, strlen(pivot)) != ZK_OK) abort();
  zkf_hex(ph, d, 32);
  for (int i = 0; i < 4; i++) zkf_hex(pcr[i], pcrs + 48 * i, 48);
  int n = snprintf(
      json, sizeof json,
      "{\"namespace\":{\"name\":\"%s\",\"nonce\":%llu,\"quorumKey\":\"%s\"},"
      "\"pivot\":{\"hash\":\"%s\",\"restart\":\"Never\",\"bridgeConfig\":[],\"debugMode\":false,"
      "\"args\":%s},\"manifestSet\":{\"threshold\":2,\"members\":[%s]},"
      "\"shareSet\":{\"threshold\":2,\"members\":[%s]},"
      "\"enclave\":{\"pcr0\":\"%s\",\"pcr1\":\"%s\",\"pcr2\":\"%s\",\"pcr3\":\"%s\","
      "\"awsRootCertificate\":\"726f6f74\",\"qosCommit\":\"fuzz\"},"
      "\"patchSet\":{\"threshold\":0,\"members\":[]}}",
      ns, (unsigned long long)nonce, qk, ph, args, members, members, pcr[0], pcr[1], pcr[2],
      pcr[3]);
  if (n <= 0 || (size_t)n >= sizeof json) abort();
  zk_qos_manifest *m = NULL;
  zk_qos_envelope *env = NULL;
  if (zk_qos_manifest_parse_json(&m, json, (size_t)n) != ZK_OK ||
      zk_qos_envelope_new(&env, m) != ZK_OK)
    abort();
  for (int i = 0; i < 2; i++) {
    zk_qos_approval *a = NULL;
    if (zk_qos_approval_sign(&a, ops[i], ZKF_ALIAS[i], m) != ZK_OK ||
        zk_qos_envelope_add_approval(env, ZK_QOS_SET_MANIFEST, a) != ZK_OK)
      abort();
    zk_qos_approval_free(a);
  }
  zk_qos_manifest_free(m);
  return env;
}

/* A node on a fresh mock backend (its own generated PKI; boot PCRs 0-15 = pcrs, pcrs_len bytes,
 * which must be ZKF_BOOT_PCRS_LEN) and a verifier that trusts that backend's root. */
static void zkf_mock_node(zk_backend **be, zk_att_verifier **v, zk_qos_node **node,
                          const uint8_t *pcrs, size_t pcrs_len) {
  if (pcrs_len != ZKF_BOOT_PCRS_LEN) abort();
  zk_backend_options bo;
  memset(&bo, 0, sizeof bo);
  bo.mock_boot_pcrs = pcrs;
  bo.mock_boot_pcrs_len = pcrs_len;
  const uint8_t *root = NULL;
  size_t rl = 0;
  if (zk_att_verifier_new(v, ZK_ATT_VERIFIER_NO_AWS_ROOT) != ZK_OK ||
      zk_backend_open(be, "mock", &bo) != ZK_OK ||
      zk_backend_mock_root_der(*be, &root, &rl) != ZK_OK ||
      zk_att_verifier_add_root_der(*v, root, rl) != ZK_OK || zk_qos_node_new(node, *be) != ZK_OK)
    abort();
}

#endif
