/*
 * libFuzzer harness: evidence parsers and verifiers (lib/evidence.c, ruling.c,
 * notarization.c, fetch_proof.c, sig_result.c).
 * Input: one selector byte, then the evidence bytes:
 *   0 ruling, 1 notarization record, 2 fetch proof, 3 signature result,
 *   4 notarization chain (records as [u16 big-endian length][bytes] ...).
 * Each is parsed, then verified with the docs/formats.md example keys and the
 * example references (the seed corpus holds the documented examples, so the
 * success paths are reachable); every input is also parsed as every kind.
 * Invariants: on error the object is NULL; parsed digests are SHA-256 of the
 * input and serialize returns the input unchanged; a chain never reports
 * success with a failed_index below n; any bytes the chain walk's fast reader
 * recognises (zki_notarization_fast_read) parse strictly to the same record,
 * signed under the notarizer's kid.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/fetch_proof.h"
#include "zerokey/notarization.h"
#include "zerokey/ruling.h"
#include "zerokey/sig_result.h"
#include "zk_evidence_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0 1700000000000ull
static zk_key *policy, *notarizer, *fetcher, *signer;
static uint8_t stamp_d[32], req_d[32], nz1_d[32], ruling_d[32], nz_kid[32];
static zki_nz_fast nz_fast;

static void hex32(uint8_t out[32], const char *h) {
  for (int i = 0; i < 32; i++) {
    unsigned v;
    char b[3] = {h[2 * i], h[2 * i + 1], 0};
    v = (unsigned)strtoul(b, NULL, 16);
    out[i] = (uint8_t)v;
  }
}

static zk_key *key(zk_curve c, uint8_t fill) {
  uint8_t sk[32];
  zk_key *k = NULL;
  memset(sk, fill, sizeof sk);
  if (zk_key_from_private(&k, c, sk, sizeof sk) != ZK_OK) abort();
  return k;
}

static void init(void) {
  policy = key(ZK_CURVE_ED25519, 0x22);
  notarizer = key(ZK_CURVE_ED25519, 0x33);
  fetcher = key(ZK_CURVE_P256, 0x44);
  signer = key(ZK_CURVE_SECP256K1, 0x55);
  if (zk_evidence_kid(nz_kid, notarizer) != ZK_OK ||
      zki_ev_envelope_prefix(nz_fast.prefix, &nz_fast.prefix_len, notarizer) != ZK_OK)
    abort();
  /* docs/formats.md: stamp-digest, request-digest, notarization-1-digest, ruling-digest */
  hex32(stamp_d, "48517d66543f7b6063c4b9c8bbf97a115912faf4569ebda5783e825c1b5627aa");
  hex32(req_d, "d43eb50845838c7ce9b243397612105e940017c65b5670f2a3ce09c57c5fd253");
  hex32(nz1_d, "d7680d4bc51cf97ec31e0ea416380fa3c1be2eb47b33f94a55677d3a97e5f184");
  hex32(ruling_d, "28d908a1a4215ecbde072f4d0c92af0b8953a3356fcae882f71fccdc01ef8fde");
}

/* digest == SHA-256(input) and serialize == input */
#define CHECK_BYTES(kind, obj, d, n)                                                          \
  do {                                                                                        \
    uint8_t dg_[32], h_[32], *ser_ = NULL;                                                    \
    size_t sl_ = 0;                                                                           \
    if (kind##_digest(obj, dg_) != ZK_OK || zk_sha256(h_, d, n) != ZK_OK ||                   \
        memcmp(dg_, h_, 32) != 0)                                                             \
      abort();                                                                                \
    if (kind##_serialize(obj, &ser_, &sl_) != ZK_OK || sl_ != (n) || memcmp(ser_, d, n) != 0) \
      abort();                                                                                \
    zk_free(ser_);                                                                            \
  } while (0)

static void ruling(const uint8_t *d, size_t n) {
  zk_ruling *r = (zk_ruling *)&r;
  if (zk_ruling_parse(&r, d, n) != ZK_OK) {
    if (r != NULL) abort();
    return;
  }
  CHECK_BYTES(zk_ruling, r, d, n);
  const zk_ruling_info *in = zk_ruling_get_info(r);
  if (in->expires_at_ms <= in->issued_at_ms || in->organization_id == NULL ||
      in->n_policy_ids > ZK_RULING_MAX_POLICIES)
    abort();
  zk_ruling_expect e = {.now_ms = T0 + 1000,
                        .stamp_digest = stamp_d,
                        .request_digest = req_d,
                        .state_digest = nz1_d,
                        .organization_id = "org-1"};
  (void)zk_ruling_verify(r, policy, &e);
  zk_ruling_free(r);
}

/* Differential: fast reader recognises => strict parse succeeds with the same
 * fields, digest, log and the notarizer's kid. */
static void fast_vs_strict(const uint8_t *d, size_t n, const char *log) {
  zki_nz_view v;
  if (!zki_notarization_fast_read(&v, &nz_fast, log, strlen(log), d, n)) return;
  zk_notarization *r = NULL;
  zk_cose_sign1 *c = NULL;
  uint8_t dg[32];
  size_t kl = 0;
  if (zk_notarization_parse(&r, d, n) != ZK_OK || zk_notarization_digest(r, dg) != ZK_OK ||
      zk_cose_sign1_parse(&c, d, n, NULL) != ZK_OK)
    abort();
  const zk_notarization_info *in = zk_notarization_get_info(r);
  const uint8_t *kid = zk_cose_sign1_kid(c, &kl);
  if (strcmp(in->log_id, log) != 0 || in->sequence != v.sequence || in->time_ms != v.time_ms ||
      memcmp(in->prev_digest, v.prev_digest, 32) != 0 ||
      memcmp(in->state_digest, v.state_digest, 32) != 0 || memcmp(dg, v.digest, 32) != 0 ||
      kid == NULL || kl != 32 || memcmp(kid, nz_kid, 32) != 0)
    abort();
  zk_cose_sign1_free(c);
  zk_notarization_free(r);
}

static void notarization(const uint8_t *d, size_t n) {
  fast_vs_strict(d, n, "org-1");
  zk_notarization *r = (zk_notarization *)&r;
  if (zk_notarization_parse(&r, d, n) != ZK_OK) {
    if (r != NULL) abort();
    return;
  }
  CHECK_BYTES(zk_notarization, r, d, n);
  (void)zk_notarization_verify(r, notarizer, "org-1", T0, 120000, 1000);
  zk_notarization_free(r);
}

static void fetch(const uint8_t *d, size_t n) {
  zk_fetch_proof *r = (zk_fetch_proof *)&r;
  if (zk_fetch_proof_parse(&r, d, n) != ZK_OK) {
    if (r != NULL) abort();
    return;
  }
  CHECK_BYTES(zk_fetch_proof, r, d, n);
  const zk_fetch_info *in = zk_fetch_proof_get_info(r);
  if (in->status < 100 || in->status > 599) abort();
  zk_fetch_expect e = {.url = "https://example.com/.well-known/jwks.json",
                       .body = (const uint8_t *)"{\"keys\":[]}",
                       .body_len = 11,
                       .now_ms = T0,
                       .max_age_ms = 60000};
  (void)zk_fetch_proof_verify(r, fetcher, &e);
  zk_fetch_proof_free(r);
}

static void sigresult(const uint8_t *d, size_t n) {
  zk_sig_result *r = (zk_sig_result *)&r;
  if (zk_sig_result_parse(&r, d, n) != ZK_OK) {
    if (r != NULL) abort();
    return;
  }
  CHECK_BYTES(zk_sig_result, r, d, n);
  zk_sig_result_expect e = {
      .ruling_digest = ruling_d, .message = (const uint8_t *)"hello", .message_len = 5};
  (void)zk_sig_result_verify(r, signer, &e);
  zk_sig_result_free(r);
}

static void chain(const uint8_t *d, size_t n) {
  const uint8_t *recs[64];
  size_t lens[64], k = 0;
  while (n >= 2 && k < 64) {
    size_t l = ((size_t)d[0] << 8) | d[1];
    d += 2;
    n -= 2;
    if (l > n) l = n;
    recs[k] = d;
    lens[k++] = l;
    d += l;
    n -= l;
  }
  if (k == 0) return;
  zk_notarization *first = NULL;
  const char *log = "org-1";
  if (zk_notarization_parse(&first, recs[0], lens[0]) == ZK_OK)
    log = zk_notarization_get_info(first)->log_id;
  for (size_t i = 0; i < k; i++) fast_vs_strict(recs[i], lens[i], log);
  zk_notarization_free(first);
  zk_chain_opts o = {.notarizer = notarizer, .now_ms = T0, .max_age_ms = 120000};
  zk_chain_result res;
  zk_status s = zk_notarization_chain_verify(&res, recs, lens, k, &o);
  if (s == ZK_OK && res.failed_index != k) abort();
  if (s != ZK_OK && res.failed_index > k) abort();
  o.flags = ZK_CHAIN_VERIFY_ALL;
  zk_status s2 = zk_notarization_chain_verify(&res, recs, lens, k, &o);
  if (s2 == ZK_OK && s != ZK_OK) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (policy == NULL) init();
  if (size == 0) return 0;
  const uint8_t *d = data + 1;
  size_t n = size - 1;
  switch (data[0] % 5) {
    case 0:
      ruling(d, n);
      break;
    case 1:
      notarization(d, n);
      break;
    case 2:
      fetch(d, n);
      break;
    case 3:
      sigresult(d, n);
      break;
    default:
      chain(d, n);
      return 0;
  }
  /* cross-type: every kind's parser sees every input */
  if (data[0] % 5 != 0) ruling(d, n);
  if (data[0] % 5 != 1) notarization(d, n);
  if (data[0] % 5 != 2) fetch(d, n);
  if (data[0] % 5 != 3) sigresult(d, n);
  return 0;
}
