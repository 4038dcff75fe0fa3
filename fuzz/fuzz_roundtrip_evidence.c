/*
 * libFuzzer round-trip harness: evidence records re-built from their parsed
 * fields (lib/ruling.c, notarization.c, fetch_proof.c, sig_result.c).
 * Input: one selector byte (0 ruling, 1 notarization, 2 fetch proof,
 * 3 signature result; same layout as fuzz_evidence), then the record.
 * For x that parses (parse is strict and the payload is deterministic CBOR):
 *  1. serialize(parse(x)) == x (the parser keeps the exact signed bytes);
 *  2. create(key, get_info(parse(x))) = y succeeds (every parsed record is
 *     within the creator's limits), parse(y) gives the same fields, and
 *     serialize(parse(y)) == y;
 *  3. when x is signed by the harness key (the docs/formats.md example keys;
 *     Ed25519 and RFC 6979 ECDSA are deterministic) y == x byte for byte:
 *     the record is exactly what our encoder emits for those fields.
 * Sig results: create re-verifies the inner signature, so 2 and 3 only run
 * when that succeeds (the message is "hello", as in the formats.md example).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/cose.h"
#include "zerokey/fetch_proof.h"
#include "zerokey/notarization.h"
#include "zerokey/ruling.h"
#include "zerokey/sig_result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_key *keys[4]; /* policy, notarizer, fetcher, signer */

/* x signed by k (COSE signature over the record as given). */
static int signed_by(const uint8_t *x, size_t n, const zk_key *k) {
  zk_cose_sign1 *m = NULL;
  if (zk_cose_sign1_parse(&m, x, n, NULL) != ZK_OK) abort(); /* parsed as evidence */
  int ok = zk_cose_sign1_verify(m, k, NULL, 0) == ZK_OK;
  zk_cose_sign1_free(m);
  return ok;
}

static void init(void) {
  static const zk_curve cs[4] = {ZK_CURVE_ED25519, ZK_CURVE_ED25519, ZK_CURVE_P256,
                                 ZK_CURVE_SECP256K1};
  static const uint8_t fill[4] = {0x22, 0x33, 0x44, 0x55};
  for (int i = 0; i < 4; i++) {
    uint8_t sk[32];
    memset(sk, fill[i], sizeof sk);
    if (zk_key_from_private(&keys[i], cs[i], sk, sizeof sk) != ZK_OK) abort();
  }
  /* Self-check: signed_by tells the signer apart (else check 3 would be vacuous). */
  zk_notarization_info ni = {.log_id = "org-1", .sequence = 0, .time_ms = 1};
  zk_notarization *r = NULL;
  uint8_t *b = NULL;
  size_t bl = 0;
  if (zk_notarization_create(&r, keys[1], &ni) != ZK_OK ||
      zk_notarization_serialize(r, &b, &bl) != ZK_OK || !signed_by(b, bl, keys[1]) ||
      signed_by(b, bl, keys[0]))
    abort();
  zk_free(b);
  zk_notarization_free(r);
}

static void same_bytes(const uint8_t *a, size_t al, const uint8_t *b, size_t bl) {
  if (al != bl || memcmp(a, b, al) != 0) abort();
}

static int str_eq(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void ruling_fields(const zk_ruling_info *a, const zk_ruling_info *b) {
  if (a->decision != b->decision || !str_eq(a->organization_id, b->organization_id) ||
      !str_eq(a->activity_type, b->activity_type) ||
      memcmp(a->stamp_digest, b->stamp_digest, 32) != 0 ||
      memcmp(a->request_digest, b->request_digest, 32) != 0 ||
      memcmp(a->state_digest, b->state_digest, 32) != 0 || a->n_policy_ids != b->n_policy_ids ||
      a->issued_at_ms != b->issued_at_ms || a->expires_at_ms != b->expires_at_ms)
    abort();
  for (size_t i = 0; i < a->n_policy_ids; i++)
    if (!str_eq(a->policy_ids[i], b->policy_ids[i])) abort();
}

static void nz_fields(const zk_notarization_info *a, const zk_notarization_info *b) {
  if (!str_eq(a->log_id, b->log_id) || a->sequence != b->sequence || a->time_ms != b->time_ms ||
      memcmp(a->prev_digest, b->prev_digest, 32) != 0 ||
      memcmp(a->state_digest, b->state_digest, 32) != 0)
    abort();
}

static void fetch_fields(const zk_fetch_info *a, const zk_fetch_info *b) {
  if (!str_eq(a->method, b->method) || !str_eq(a->url, b->url) || a->status != b->status ||
      a->time_ms != b->time_ms || memcmp(a->request_digest, b->request_digest, 32) != 0 ||
      memcmp(a->headers_digest, b->headers_digest, 32) != 0 ||
      memcmp(a->body_digest, b->body_digest, 32) != 0 ||
      memcmp(a->cert_chain_digest, b->cert_chain_digest, 32) != 0)
    abort();
}

static void sr_fields(const zk_sig_result_info *a, const zk_sig_result_info *b) {
  if (a->curve != b->curve || a->scheme != b->scheme || a->time_ms != b->time_ms ||
      a->public_key_len != b->public_key_len || a->signature_len != b->signature_len ||
      memcmp(a->payload_digest, b->payload_digest, 32) != 0 ||
      memcmp(a->ruling_digest, b->ruling_digest, 32) != 0 ||
      memcmp(a->public_key, b->public_key, a->public_key_len) != 0 ||
      memcmp(a->signature, b->signature, a->signature_len) != 0)
    abort();
}

/* One generic round trip; CREATE is an expression creating `y` from `in`. */
#define ROUNDTRIP(T, KEY, FIELDS, CREATE, MAY_FAIL)                                       \
  do {                                                                                    \
    T *x = NULL, *y = NULL, *z = NULL;                                                    \
    uint8_t *xs = NULL, *ys = NULL, *zs = NULL;                                           \
    size_t xl = 0, yl = 0, zl = 0;                                                        \
    if (T##_parse(&x, d, n) != ZK_OK) return;                                             \
    if (T##_serialize(x, &xs, &xl) != ZK_OK) abort();                                     \
    same_bytes(xs, xl, d, n);                                                             \
    const T##_info_t *in = T##_get_info(x);                                               \
    zk_status cs = (CREATE);                                                              \
    if (cs != ZK_OK) {                                                                    \
      if (!(MAY_FAIL) || y != NULL) abort();                                              \
    } else {                                                                              \
      if (T##_serialize(y, &ys, &yl) != ZK_OK || T##_parse(&z, ys, yl) != ZK_OK) abort(); \
      FIELDS(in, T##_get_info(z));                                                        \
      if (T##_serialize(z, &zs, &zl) != ZK_OK) abort();                                   \
      same_bytes(zs, zl, ys, yl);                                                         \
      if (signed_by(d, n, KEY)) same_bytes(ys, yl, d, n);                                 \
    }                                                                                     \
    zk_free(xs);                                                                          \
    zk_free(ys);                                                                          \
    zk_free(zs);                                                                          \
    T##_free(x);                                                                          \
    T##_free(y);                                                                          \
    T##_free(z);                                                                          \
  } while (0)

typedef zk_ruling_info zk_ruling_info_t;
typedef zk_notarization_info zk_notarization_info_t;
typedef zk_fetch_info zk_fetch_proof_info_t;
typedef zk_sig_result_info zk_sig_result_info_t;

static void ruling(const uint8_t *d, size_t n) {
  ROUNDTRIP(zk_ruling, keys[0], ruling_fields, zk_ruling_create(&y, keys[0], in), 0);
}
static void notarization(const uint8_t *d, size_t n) {
  ROUNDTRIP(zk_notarization, keys[1], nz_fields, zk_notarization_create(&y, keys[1], in), 0);
}
static void fetch(const uint8_t *d, size_t n) {
  ROUNDTRIP(zk_fetch_proof, keys[2], fetch_fields, zk_fetch_proof_create(&y, keys[2], in), 0);
}
static void sigresult(const uint8_t *d, size_t n) {
  ROUNDTRIP(zk_sig_result, keys[3], sr_fields,
            zk_sig_result_create(&y, keys[3], in, (const uint8_t *)"hello", 5), 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (keys[0] == NULL) init();
  if (size == 0) return 0;
  const uint8_t *d = data + 1;
  size_t n = size - 1;
  switch (data[0] % 4) {
    case 0:
      ruling(d, n);
      break;
    case 1:
      notarization(d, n);
      break;
    case 2:
      fetch(d, n);
      break;
    default:
      sigresult(d, n);
      break;
  }
  return 0;
}
