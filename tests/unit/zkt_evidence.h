/* Helpers shared by the evidence test suites (header-only, static inline). */
#ifndef ZKT_EVIDENCE_H
#define ZKT_EVIDENCE_H

#include <stdlib.h>
#include <string.h>

#include "zerokey/cose.h"
#include "zerokey/evidence.h"
#include "zk_internal.h"
#include "zkt.h"

/* Fixed test key: private scalar / seed = 32 bytes of `fill`. */
static inline zk_key *zkte_key(zk_curve c, uint8_t fill) {
  uint8_t sk[32];
  memset(sk, fill, sizeof sk);
  zk_key *k = NULL;
  zkt_assert_ok(zk_key_from_private(&k, c, sk, sizeof sk));
  return k;
}

/* Sign arbitrary payload bytes into a tagged COSE_Sign1 with kid = evidence kid
 * (for hand-made payloads; Ed25519 keys keep the envelope canonical). */
static inline uint8_t *zkte_sign_raw(const zk_key *key, const uint8_t *payload, size_t len,
                                     size_t *out_len) {
  uint8_t kid[32], *out = NULL;
  zkt_assert_ok(zk_evidence_kid(kid, key));
  zkt_assert_ok(zk_cose_sign1_create(&out, out_len, key, kid, sizeof kid, payload, len, NULL, 0,
                                     ZK_COSE_TAGGED));
  return out;
}

/* Hex string -> bytes signed by key (payload given in CBOR hex). */
static inline uint8_t *zkte_sign_hex(const zk_key *key, const char *payload_hex, size_t *out_len) {
  size_t n;
  uint8_t *p = zkt_hex(payload_hex, &n);
  uint8_t *out = zkte_sign_raw(key, p, n, out_len);
  free(p);
  return out;
}

/* check(buf, len, ctx) returns ZK_OK when the evidence is accepted. Every
 * single-bit flip (3 masks per byte) and every truncation must be rejected. */
typedef zk_status (*zkte_check_fn)(const uint8_t *buf, size_t len, void *ctx);

static inline void zkte_mutate(const char *suite, const uint8_t *buf, size_t len,
                               zkte_check_fn check, void *ctx, unsigned long *tried,
                               unsigned long *rejected) {
  static const uint8_t masks[] = {0x01, 0x10, 0x80};
  uint8_t *m = zki_memdup(buf, len);
  assert_non_null(m);
  size_t stride = zkt_stride(len);
  for (size_t i = 0; i < len; i += stride) {
    for (size_t x = 0; x < sizeof masks; x++) {
      m[i] ^= masks[x];
      (*tried)++;
      if (check(m, len, ctx) != ZK_OK)
        (*rejected)++;
      else
        fail_msg("%s: flip 0x%02x at byte %zu accepted", suite, masks[x], i);
      m[i] ^= masks[x];
    }
  }
  for (size_t t = 0; t < len; t += stride) {
    (*tried)++;
    if (check(buf, t, ctx) != ZK_OK)
      (*rejected)++;
    else
      fail_msg("%s: truncation to %zu accepted", suite, t);
  }
  /* one trailing byte */
  uint8_t *ext = malloc(len + 1);
  memcpy(ext, buf, len);
  ext[len] = 0;
  (*tried)++;
  if (check(ext, len + 1, ctx) != ZK_OK)
    (*rejected)++;
  else
    fail_msg("%s: trailing byte accepted", suite);
  free(ext);
  free(m);
}

static inline void zkte_fill(uint8_t d[32], uint8_t v) {
  memset(d, v, 32);
}

#endif
