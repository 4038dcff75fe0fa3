/*
 * libFuzzer harness: the whole evidence chain (lib/evidence_chain.c):
 * stamp -> notarization -> ruling -> signature result.
 * Input: five parts, each [u16 big-endian length][bytes]: X-Stamp header,
 * request body, notarization record, ruling, signature result (a missing
 * part is empty). Keys are the docs/formats.md example keys (stamp P-256
 * 0x11.., policy Ed25519 0x22.., notarizer Ed25519 0x33.., signer secp256k1
 * 0x55..), so the seed built from the worked examples verifies end to end.
 * Invariants (abort on violation):
 *  - ZK_OK <=> report.detail == ZK_OK; on success the report's digests are
 *    SHA-256 of the exact stamp header, notarization, ruling and result bytes,
 *    and each link verifies on its own (stamp, ruling against those digests);
 *    on failure every digest is zero;
 *  - the status is one of the documented chain statuses (or ZK_ERR_ARG);
 *  - with ZK_FUZZ_EXPECT_OK set in the environment every input must verify
 *    (used to check that the seed really reaches the success path).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/evidence_chain.h"
#include "zerokey/ruling.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0 1700000000000ull
static zk_key *stamp_key, *policy, *notarizer, *signer;
static int expect_ok;

static zk_key *key(zk_curve c, uint8_t fill) {
  uint8_t sk[32];
  zk_key *k = NULL;
  memset(sk, fill, sizeof sk);
  if (zk_key_from_private(&k, c, sk, sizeof sk) != ZK_OK) abort();
  return k;
}

static int is_zero(const uint8_t *p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= p[i];
  return acc == 0;
}

static void digest_is(const uint8_t d[32], const uint8_t *p, size_t n) {
  uint8_t h[32];
  if (zk_sha256(h, p, n) != ZK_OK || memcmp(h, d, 32) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (policy == NULL) {
    stamp_key = key(ZK_CURVE_P256, 0x11);
    policy = key(ZK_CURVE_ED25519, 0x22);
    notarizer = key(ZK_CURVE_ED25519, 0x33);
    signer = key(ZK_CURVE_SECP256K1, 0x55);
    expect_ok = getenv("ZK_FUZZ_EXPECT_OK") != NULL;
  }
  const uint8_t *part[5] = {0};
  size_t len[5] = {0};
  for (int i = 0; i < 5 && size >= 2; i++) {
    size_t l = ((size_t)data[0] << 8) | data[1];
    data += 2;
    size -= 2;
    if (l > size) l = size;
    part[i] = data;
    len[i] = l;
    data += l;
    size -= l;
  }
  /* Exact-size copies so over-reads are caught; the stamp as a C string too. */
  uint8_t *copy[5];
  for (int i = 0; i < 5; i++) {
    copy[i] = malloc(len[i] + 1);
    if (copy[i] == NULL) abort();
    if (len[i]) memcpy(copy[i], part[i], len[i]);
    copy[i][len[i]] = 0;
  }
  zk_stamp_verify_opts so = {.now_ms = T0 + 1000};
  zk_evidence_trust t = {.policy_key = policy,
                         .notarizer_key = notarizer,
                         .signer_key = signer,
                         .stamp_opts = &so,
                         .log_id = "org-1",
                         .now_ms = T0 + 1000,
                         .notarization_max_age_ms = 120000};
  zk_evidence_chain c = {.body = copy[1],
                         .body_len = len[1],
                         .stamp = (const char *)copy[0],
                         .stamp_len = len[0],
                         .notarization = copy[2],
                         .notarization_len = len[2],
                         .ruling = copy[3],
                         .ruling_len = len[3],
                         .sig_result = copy[4],
                         .sig_result_len = len[4],
                         .message = (const uint8_t *)"hello",
                         .message_len = 5};
  zk_evidence_chain_report r;
  memset(&r, 0xA5, sizeof r);
  zk_status s = zk_evidence_chain_verify(&r, &t, &c);
  if (expect_ok && s != ZK_OK) abort();
  if ((s == ZK_OK) != (r.detail == ZK_OK)) abort();
  if (s == ZK_OK) {
    digest_is(r.stamp_digest, copy[0], len[0]);
    digest_is(r.notarization_digest, copy[2], len[2]);
    digest_is(r.ruling_digest, copy[3], len[3]);
    digest_is(r.result_digest, copy[4], len[4]);
    /* each link on its own */
    zk_stamp *st = NULL;
    zk_ruling *ru = NULL;
    uint8_t body_d[32];
    if (zk_stamp_parse(&st, (const char *)copy[0], len[0]) != ZK_OK ||
        zk_stamp_verify(st, copy[1], len[1], &so) != ZK_OK || zk_sha256(body_d, copy[1], len[1]) ||
        zk_ruling_parse(&ru, copy[3], len[3]) != ZK_OK)
      abort();
    zk_ruling_expect e = {.now_ms = T0 + 1000,
                          .stamp_digest = r.stamp_digest,
                          .request_digest = body_d,
                          .state_digest = r.notarization_digest};
    if (zk_ruling_verify(ru, policy, &e) != ZK_OK) abort();
    zk_ruling_free(ru);
    zk_stamp_free(st);
  } else {
    if (s != ZK_ERR_CHAIN_STAMP && s != ZK_ERR_CHAIN_NOTARIZATION && s != ZK_ERR_CHAIN_RULING &&
        s != ZK_ERR_CHAIN_RESULT && s != ZK_ERR_ARG)
      abort();
    if (!is_zero(r.stamp_digest, 32) || !is_zero(r.notarization_digest, 32) ||
        !is_zero(r.ruling_digest, 32) || !is_zero(r.result_digest, 32))
      abort();
  }
  for (int i = 0; i < 5; i++) free(copy[i]);
  return 0;
}
