/*
 * libFuzzer harness: COSE_Sign1 parsing and verification (lib/cose.c).
 * Input: a candidate COSE_Sign1 message. It is parsed, then verified with a
 * fixed key of each supported algorithm (the seed corpus holds messages
 * signed by these keys, so the success path is reachable).
 * Invariants: on error the message is NULL and the offset lies within the
 * input; on success the accessors are consistent (alg known, signature of
 * the algorithm's size, payload non-NULL); verification succeeds with at most
 * the key matching the algorithm; a verified message re-verifies.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/cose.h"
#include "zerokey/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_key *keys[4];

static void init_keys(void) {
  static const zk_curve curves[4] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_P384,
                                     ZK_CURVE_ED25519};
  static const size_t lens[4] = {32, 32, 48, 32};
  uint8_t secret[48];
  for (size_t i = 0; i < sizeof secret; i++) secret[i] = (uint8_t)(i + 1);
  for (size_t k = 0; k < 4; k++)
    if (zk_key_from_private(&keys[k], curves[k], secret, lens[k]) != ZK_OK) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (keys[0] == NULL) init_keys();
  zk_cose_sign1 *m = (zk_cose_sign1 *)&m;
  size_t off = SIZE_MAX;
  zk_status st = zk_cose_sign1_parse(&m, data, size, &off);
  if (st != ZK_OK) {
    if (m != NULL || off > size) abort();
    return 0;
  }
  size_t pl = 0, sl = 0, hl = 0, kl = 0;
  const uint8_t *payload = zk_cose_sign1_payload(m, &pl);
  const uint8_t *sig = zk_cose_sign1_signature(m, &sl);
  const uint8_t *prot = zk_cose_sign1_protected(m, &hl);
  const uint8_t *kid = zk_cose_sign1_kid(m, &kl);
  int64_t alg = zk_cose_sign1_alg(m);
  size_t want = alg == ZK_COSE_ALG_ES384 ? 96 : 64;
  if (alg != ZK_COSE_ALG_ES256 && alg != ZK_COSE_ALG_ES256K && alg != ZK_COSE_ALG_ES384 &&
      alg != ZK_COSE_ALG_EDDSA)
    abort();
  if (payload == NULL || sig == NULL || sl != want || prot == NULL || hl == 0) abort();
  if (kid == NULL && kl != 0) abort();
  if (kl > ZK_COSE_MAX_KID_LEN) abort();
  (void)zk_cose_sign1_is_tagged(m);

  int ok = 0;
  for (size_t k = 0; k < 4; k++) {
    if (zk_cose_sign1_verify(m, keys[k], NULL, 0) == ZK_OK) {
      ok++;
      if (zk_cose_sign1_verify(m, keys[k], NULL, 0) != ZK_OK) abort();
      if (zk_cose_sign1_verify(m, keys[k], (const uint8_t *)"x", 1) == ZK_OK) abort();
    }
  }
  if (ok > 1) abort();
  zk_cose_sign1_free(m);
  return 0;
}
