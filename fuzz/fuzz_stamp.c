/*
 * libFuzzer harness: X-Stamp headers and request bodies (lib/stamp.c).
 * Input: a candidate X-Stamp header value. It is parsed; a parsed stamp is
 * verified over the docs/formats.md example body at the example time (the seed
 * corpus holds that example stamp, so the success path is reachable), once with
 * the key it names and once pinned to the example API key. The input is also
 * checked as a request body (replay-window JSON parser).
 * Invariants: on error the stamp is NULL; accessors are consistent with the
 * scheme; pinned verification never succeeds where unpinned fails; the digest
 * is SHA-256 of the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/stamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BODY                                                                                   \
  "{\"organizationId\":\"org-1\",\"parameters\":{\"payload\":\"68656c6c6f\"},\"timestampMs\":" \
  "\"1700000000000\",\"type\":\"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2\"}"

static zk_key *api_key;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (api_key == NULL) {
    uint8_t sk[32];
    memset(sk, 0x11, sizeof sk);
    if (zk_key_from_private(&api_key, ZK_CURVE_P256, sk, sizeof sk) != ZK_OK) abort();
  }
  uint64_t ts = 1;
  zk_status ts_st = zk_stamp_check_timestamp(&ts, data, size, 1700000001000ull, 0, 0);
  if (ts_st != ZK_OK && ts != 0) abort();

  zk_stamp *st = (zk_stamp *)&st;
  zk_status s = zk_stamp_parse(&st, (const char *)data, size);
  if (s != ZK_OK) {
    if (st != NULL) abort();
    return 0;
  }
  zk_stamp_scheme sc = zk_stamp_get_scheme(st);
  size_t pl = 0, sl = 0, cl = 1;
  const uint8_t *pub = zk_stamp_public_key(st, &pl);
  const uint8_t *sig = zk_stamp_signature(st, &sl);
  if (sc < ZK_STAMP_P256 || sc > ZK_STAMP_SECP256K1_EIP191) abort();
  if (pub == NULL || sig == NULL || zk_stamp_credential_id(st, &cl) != NULL || cl != 0) abort();
  if (pl != (sc == ZK_STAMP_ED25519 ? 32u : 33u)) abort();
  if (sc == ZK_STAMP_ED25519 ? sl != 64 : (sl < 8 || sl > 72)) abort();
  uint8_t d[32], h[32];
  if (zk_stamp_digest(st, d) != ZK_OK || zk_sha256(h, data, size) != ZK_OK || memcmp(d, h, 32) != 0)
    abort();
  zk_stamp_verify_opts o = {.now_ms = 1700000001000ull};
  zk_status v1 = zk_stamp_verify(st, (const uint8_t *)BODY, strlen(BODY), &o);
  o.key = api_key;
  zk_status v2 = zk_stamp_verify(st, (const uint8_t *)BODY, strlen(BODY), &o);
  if (v2 == ZK_OK && v1 != ZK_OK) abort();
  zk_stamp_free(st);
  return 0;
}
