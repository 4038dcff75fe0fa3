/*
 * libFuzzer harness: QOS manifest envelopes and approval verification.
 * Input: byte 0 selects the entry point (bit 0: 0 borsh with detected version,
 * 1 JSON), the rest is the envelope. A parsed envelope is checked with every
 * approval-flag combination and must round-trip through borsh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/qos_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const uint8_t *in = data + 1;
  size_t n = size - 1;
  zk_qos_envelope *env = NULL;
  zk_status st = (data[0] & 1) ? zk_qos_envelope_parse_json(&env, (const char *)in, n)
                               : zk_qos_envelope_parse_borsh(&env, in, n, ZK_QOS_MANIFEST_AUTO);
  if (st != ZK_OK) {
    if (env != NULL) abort();
    return 0;
  }
  static const unsigned flags[] = {0, ZK_QOS_ENV_NO_SHARE_APPROVALS, ZK_QOS_ENV_SHARE_APPROVALS};
  for (size_t i = 0; i < 3; i++) (void)zk_qos_envelope_verify_approvals(env, flags[i]);
  uint8_t *b = NULL;
  size_t bn = 0;
  if (zk_qos_envelope_serialize_borsh(env, &b, &bn) != ZK_OK) abort();
  if (!(data[0] & 1) && (bn != n || memcmp(b, in, n) != 0)) abort();
  zk_qos_envelope *back = NULL;
  if (zk_qos_envelope_parse_borsh(&back, b, bn,
                                  (zk_qos_manifest_version)zk_qos_manifest_version_of(
                                      zk_qos_envelope_manifest(env))) != ZK_OK)
    abort();
  zk_qos_envelope_free(back);
  zk_free(b);
  zk_qos_envelope_free(env);
  return 0;
}
