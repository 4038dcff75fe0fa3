/*
 * libFuzzer harness: QOS manifest parsers.
 * Input: byte 0 selects the entry point, the rest is the input.
 *   0 borsh (version detected)  1 borsh V0  2 borsh V1  3 JSON
 * Properties: a borsh manifest that parses re-serializes to the same bytes and
 * hashes to SHA-256 of its input; a JSON manifest round-trips through borsh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/qos_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const uint8_t *in = data + 1;
  size_t n = size - 1;
  zk_qos_manifest *m = NULL;
  zk_status st;
  switch (data[0] & 3) {
    case 0:
      st = zk_qos_manifest_parse_borsh(&m, in, n, ZK_QOS_MANIFEST_AUTO);
      break;
    case 1:
      st = zk_qos_manifest_parse_borsh(&m, in, n, ZK_QOS_MANIFEST_V0);
      break;
    case 2:
      st = zk_qos_manifest_parse_borsh(&m, in, n, ZK_QOS_MANIFEST_V1);
      break;
    default:
      st = zk_qos_manifest_parse_json(&m, (const char *)in, n);
      break;
  }
  if (st != ZK_OK) {
    if (m != NULL) abort(); /* fail closed */
    return 0;
  }
  uint8_t *b = NULL;
  size_t bn = 0;
  if (zk_qos_manifest_serialize_borsh(m, &b, &bn) != ZK_OK) abort();
  if ((data[0] & 3) != 3) {
    uint8_t h[32];
    if (bn != n || memcmp(b, in, n) != 0) abort();
    if (zk_sha256(h, in, n) != ZK_OK || memcmp(h, zk_qos_manifest_hash(m), 32) != 0) abort();
  } else {
    zk_qos_manifest *m2 = NULL;
    if (zk_qos_manifest_parse_borsh(&m2, b, bn, ZK_QOS_MANIFEST_V1) != ZK_OK) abort();
    if (memcmp(zk_qos_manifest_hash(m2), zk_qos_manifest_hash(m), 32) != 0) abort();
    zk_qos_manifest_free(m2);
  }
  /* exercise the approval checks on an empty list (never succeeds) */
  if (zk_qos_manifest_verify_approvals(m, ZK_QOS_SET_MANIFEST, NULL, 0) == ZK_OK) abort();
  zk_free(b);
  zk_qos_manifest_free(m);
  return 0;
}
