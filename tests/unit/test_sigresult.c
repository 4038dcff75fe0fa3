/* Signature results: every (curve, scheme) pair, inner-signature checks, mutations. */
#include <stdio.h>

#include "zerokey/crypto.h"
#include "zerokey/sig_result.h"
#include "zkt_evidence.h"

#define T0 1700000000000ull
static const uint8_t msg[] = "transfer 1 ETH to 0x00...";

typedef struct {
  zk_curve curve;
  zk_sig_scheme scheme;
  zk_pubkey_format pubfmt;
  zk_sig_format sigfmt;
} combo;

static const combo combos[] = {
    {ZK_CURVE_P256, ZK_SCHEME_ECDSA_DER, ZK_PUB_COMPRESSED, ZK_SIG_DER},
    {ZK_CURVE_P256, ZK_SCHEME_ECDSA_RAW, ZK_PUB_COMPRESSED, ZK_SIG_RAW},
    {ZK_CURVE_SECP256K1, ZK_SCHEME_ECDSA_DER, ZK_PUB_COMPRESSED, ZK_SIG_DER},
    {ZK_CURVE_SECP256K1, ZK_SCHEME_ECDSA_RAW, ZK_PUB_COMPRESSED, ZK_SIG_RAW},
    {ZK_CURVE_SECP256K1, ZK_SCHEME_ECDSA_RECOVERABLE, ZK_PUB_COMPRESSED, ZK_SIG_RECOVERABLE},
    {ZK_CURVE_SECP256K1, ZK_SCHEME_BIP340, ZK_PUB_XONLY, ZK_SIG_SCHNORR},
    {ZK_CURVE_ED25519, ZK_SCHEME_ED25519, ZK_PUB_RAW, ZK_SIG_EDDSA},
};

/* Inner signature by `wallet` over the payload (digest, or message for Ed25519). */
static void inner_sign(const combo *c, const zk_key *wallet, uint8_t pub[33], size_t *pub_len,
                       uint8_t sig[80], size_t *sig_len, uint8_t digest[32]) {
  *pub_len = 33;
  zkt_assert_ok(zk_key_export_public(wallet, c->pubfmt, pub, pub_len));
  zkt_assert_ok(zk_sha256(digest, msg, sizeof msg - 1));
  *sig_len = 80;
  if (c->scheme == ZK_SCHEME_ED25519)
    zkt_assert_ok(zk_key_sign(wallet, ZK_SIG_EDDSA, sig, sig_len, msg, sizeof msg - 1));
  else if (c->scheme == ZK_SCHEME_BIP340)
    zkt_assert_ok(zk_key_sign(wallet, ZK_SIG_SCHNORR, sig, sig_len, digest, 32));
  else
    zkt_assert_ok(zk_key_sign_digest(wallet, c->sigfmt, sig, sig_len, digest, 32));
}

typedef struct {
  const zk_key *key;
  const zk_sig_result_expect *e;
} ctx_t;

static zk_status check(const uint8_t *buf, size_t len, void *v) {
  ctx_t *c = v;
  zk_sig_result *r = NULL;
  zk_status s = zk_sig_result_parse(&r, buf, len);
  if (s == ZK_OK) s = zk_sig_result_verify(r, c->key, c->e);
  zk_sig_result_free(r);
  return s;
}

static void test_all_schemes(void **state) {
  (void)state;
  zk_key *enclave = zkte_key(ZK_CURVE_P256, 0x71), *other = zkte_key(ZK_CURVE_P256, 0x72);
  unsigned long tried = 0, rejected = 0, cases = 0, run = 0;
  uint8_t ruling[32], wrong[32];
  zkte_fill(ruling, 0x3c);
  zkte_fill(wrong, 0x3d);
  for (size_t i = 0; i < ZKI_ARRAY_LEN(combos); i++) {
    const combo *c = &combos[i];
    zk_key *wallet = zkte_key(c->curve, 0x73), *wallet2 = zkte_key(c->curve, 0x74);
    uint8_t pub[33], sig[80], digest[32], pub2[33], sig2[80], d2[32];
    size_t pub_len, sig_len, pub2_len, sig2_len;
    inner_sign(c, wallet, pub, &pub_len, sig, &sig_len, digest);
    inner_sign(c, wallet2, pub2, &pub2_len, sig2, &sig2_len, d2);
    zk_sig_result_info in = {.curve = c->curve,
                             .scheme = c->scheme,
                             .public_key = pub,
                             .public_key_len = pub_len,
                             .signature = sig,
                             .signature_len = sig_len,
                             .time_ms = T0};
    memcpy(in.payload_digest, digest, 32);
    memcpy(in.ruling_digest, ruling, 32);
    const uint8_t *m = c->scheme == ZK_SCHEME_ED25519 ? msg : NULL;
    size_t ml = m != NULL ? sizeof msg - 1 : 0;
    zk_sig_result *r = NULL;
    zkt_assert_ok(zk_sig_result_create(&r, enclave, &in, m, ml));
    uint8_t *b;
    size_t bl;
    zkt_assert_ok(zk_sig_result_serialize(r, &b, &bl));
    zk_sig_result *p = NULL;
    zkt_assert_ok(zk_sig_result_parse(&p, b, bl));
    const zk_sig_result_info *pi = zk_sig_result_get_info(p);
    assert_int_equal(pi->curve, c->curve);
    assert_int_equal(pi->scheme, c->scheme);
    assert_int_equal(pi->signature_len, sig_len);
    assert_memory_equal(pi->signature, sig, sig_len);
    zk_sig_result_expect e = {.ruling_digest = ruling, .message = m, .message_len = ml};
    zkt_assert_ok(zk_sig_result_verify(p, enclave, &e));
    zk_sig_result_expect x = e;
    x.public_key = pub;
    x.public_key_len = pub_len;
    x.payload_digest = digest;
    zkt_assert_ok(zk_sig_result_verify(p, enclave, &x));
    run++;
    /* verification failures */
    zkt_assert_status(zk_sig_result_verify(p, other, &e), ZK_ERR_EV_SIGNER);
    x = e;
    x.ruling_digest = wrong;
    zkt_assert_status(zk_sig_result_verify(p, enclave, &x), ZK_ERR_RESULT_RULING);
    x = e;
    x.public_key = pub2;
    x.public_key_len = pub2_len;
    zkt_assert_status(zk_sig_result_verify(p, enclave, &x), ZK_ERR_RESULT_KEY);
    x = e;
    x.payload_digest = wrong;
    zkt_assert_status(zk_sig_result_verify(p, enclave, &x), ZK_ERR_RESULT_KEY);
    x = e;
    x.ruling_digest = NULL;
    zkt_assert_status(zk_sig_result_verify(p, enclave, &x), ZK_ERR_ARG);
    cases += 5;
    if (m != NULL) {
      x = e;
      x.message = (const uint8_t *)"other";
      x.message_len = 5;
      zkt_assert_status(zk_sig_result_verify(p, enclave, &x), ZK_ERR_RESULT_KEY);
      x.message = NULL;
      zkt_assert_status(zk_sig_result_verify(p, enclave, &x), ZK_ERR_ARG);
      cases += 2;
    }
    /* the enclave refuses to vouch for a wrong inner signature */
    zk_sig_result *bad = NULL;
    zk_sig_result_info bi = in;
    bi.public_key = pub2; /* another wallet's key */
    zkt_assert_status(zk_sig_result_create(&bad, enclave, &bi, m, ml), ZK_ERR_RESULT_SIGNATURE);
    bi = in;
    uint8_t sig_bad[80];
    memcpy(sig_bad, sig, sig_len);
    sig_bad[sig_len - 2] ^= 0x01;
    bi.signature = sig_bad;
    zkt_assert_status(zk_sig_result_create(&bad, enclave, &bi, m, ml), ZK_ERR_RESULT_SIGNATURE);
    bi = in;
    bi.payload_digest[0] ^= 1;
    zk_status bs = zk_sig_result_create(&bad, enclave, &bi, m, ml);
    assert_true(bs == ZK_ERR_RESULT_SIGNATURE || bs == ZK_ERR_RESULT_KEY);
    bi = in;
    bi.signature_len = c->scheme == ZK_SCHEME_ECDSA_DER ? 73 : sig_len == 64 ? 63 : 64;
    zkt_assert_status(zk_sig_result_create(&bad, enclave, &bi, m, ml), ZK_ERR_VALUE);
    bi = in;
    bi.curve = c->curve == ZK_CURVE_ED25519 ? ZK_CURVE_P256 : ZK_CURVE_ED25519;
    zkt_assert_status(zk_sig_result_create(&bad, enclave, &bi, m, ml), ZK_ERR_VALUE);
    assert_null(bad);
    cases += 5;
    ctx_t cx = {enclave, &e};
    zkte_mutate("sig result", b, bl, check, &cx, &tried, &rejected);
    zk_free(b);
    zk_sig_result_free(r);
    zk_sig_result_free(p);
    zk_key_free(wallet);
    zk_key_free(wallet2);
  }
  /* A recoverable signature whose v recovers another key. */
  {
    zk_key *w = zkte_key(ZK_CURVE_SECP256K1, 0x75);
    uint8_t pub[33], sig[80], d[32];
    size_t pl, sl;
    inner_sign(&combos[4], w, pub, &pl, sig, &sl, d);
    sig[64] ^= 1;
    zk_sig_result_info in = {.curve = ZK_CURVE_SECP256K1,
                             .scheme = ZK_SCHEME_ECDSA_RECOVERABLE,
                             .public_key = pub,
                             .public_key_len = pl,
                             .signature = sig,
                             .signature_len = sl,
                             .time_ms = T0};
    memcpy(in.payload_digest, d, 32);
    zk_sig_result *r = NULL;
    zkt_assert_status(zk_sig_result_create(&r, enclave, &in, NULL, 0), ZK_ERR_RESULT_SIGNATURE);
    cases++;
    zk_key_free(w);
  }
  printf("SCHEMES sig result: %lu round trips\n", run);
  printf("REJECTIONS sig result: %lu cases\n", cases);
  zkt_report_mutations("sig result (bit flips, truncations, trailing)", tried, rejected);
  assert_int_equal(run, ZKI_ARRAY_LEN(combos));
  assert_int_equal(tried, rejected);
  zk_key_free(enclave);
  zk_key_free(other);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_all_schemes),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
