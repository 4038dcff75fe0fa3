/*
 * libFuzzer harness: X-Stamp-Webauthn headers (lib/stamp.c).
 * Input: a candidate X-Stamp-Webauthn header value. It is parsed; a parsed stamp
 * is verified with the docs/formats.md passkey (P-256) and an Ed25519 key,
 * RP ID example.com, origin https://example.com, over the example body at the
 * example time (the seed corpus holds the example header: every check is reached).
 * Invariants: on error the stamp is NULL; a parsed stamp is WEBAUTHN with a
 * credential id and no public key; at most one of the two keys verifies; the
 * digest is SHA-256 of the input.
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

static zk_key *passkey, *edkey;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (passkey == NULL) {
    uint8_t sk[32];
    memset(sk, 0x77, sizeof sk);
    if (zk_key_from_private(&passkey, ZK_CURVE_P256, sk, sizeof sk) != ZK_OK) abort();
    if (zk_key_from_private(&edkey, ZK_CURVE_ED25519, sk, sizeof sk) != ZK_OK) abort();
  }
  zk_stamp *st = (zk_stamp *)&st;
  zk_status s = zk_stamp_parse_webauthn(&st, (const char *)data, size);
  if (s != ZK_OK) {
    if (st != NULL) abort();
    return 0;
  }
  size_t cl = 0, pl = 1;
  if (zk_stamp_get_scheme(st) != ZK_STAMP_WEBAUTHN) abort();
  if (zk_stamp_credential_id(st, &cl) == NULL || cl == 0 || cl > ZK_STAMP_MAX_CREDENTIAL_ID_LEN)
    abort();
  if (zk_stamp_public_key(st, &pl) != NULL || pl != 0) abort();
  (void)zk_stamp_sign_count(st);
  uint8_t d[32], h[32];
  if (zk_stamp_digest(st, d) != ZK_OK || zk_sha256(h, data, size) != ZK_OK || memcmp(d, h, 32) != 0)
    abort();
  const char *origins[] = {"https://example.com"};
  zk_stamp_verify_opts o = {.key = passkey,
                            .now_ms = 1700000001000ull,
                            .rp_id = "example.com",
                            .origins = origins,
                            .n_origins = 1};
  zk_status v1 = zk_stamp_verify(st, (const uint8_t *)BODY, strlen(BODY), &o);
  o.key = edkey;
  o.flags = ZK_STAMP_REQUIRE_UV | ZK_STAMP_ALLOW_CROSS_ORIGIN;
  zk_status v2 = zk_stamp_verify(st, (const uint8_t *)BODY, strlen(BODY), &o);
  if (v1 == ZK_OK && v2 == ZK_OK) abort();
  zk_stamp_free(st);
  return 0;
}
