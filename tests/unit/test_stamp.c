/* Stamps: Turnkey X-Stamp vectors, WebAuthn stamps, replay window, every rejection path. */
#include <openssl/bn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/stamp.h"
#include "zk_internal.h"
#include "zk_keccak.h"
#include "zkt.h"

static const zk_stamp_verify_opts no_ts = {.flags = ZK_STAMP_NO_TIMESTAMP};

/* Parse + verify an X-Stamp header (string) over body. */
static zk_status xstamp_check(const char *hdr, size_t hdr_len, const uint8_t *body, size_t body_len,
                              const zk_stamp_verify_opts *o) {
  zk_stamp *st = NULL;
  zk_status s = zk_stamp_parse(&st, hdr, hdr_len);
  if (s == ZK_OK) {
    s = zk_stamp_verify(st, body, body_len, o);
  } else {
    assert_null(st);
  }
  zk_stamp_free(st);
  return s;
}

static zk_key *key_from_hex(zk_curve c, const char *hex) {
  size_t n;
  uint8_t *b = zkt_hex(hex, &n);
  zk_key *k = NULL;
  zkt_assert_ok(zk_key_from_private(&k, c, b, n));
  zk_free_secret(b, n);
  return k;
}

static zk_key *fixture_p256(void) {
  uint8_t *buf;
  size_t len;
  ZKT_VECTOR_FILE("turnkey/stamps/api-key.private", &buf, &len);
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = 0;
  zk_key *k = key_from_hex(ZK_CURVE_P256, (const char *)buf);
  zk_free_secret(buf, len);
  return k;
}

/* Every single-byte flip and every truncation of hdr must be rejected. */
static void mutate_header(const char *suite, const char *hdr, const uint8_t *body, size_t body_len,
                          const zk_stamp_verify_opts *o, int webauthn, unsigned long *tried,
                          unsigned long *rejected) {
  size_t n = strlen(hdr);
  char *m = malloc(n + 1);
  assert_non_null(m);
  size_t stride = zkt_stride(n);
  for (size_t i = 0; i < n; i += stride) {
    static const uint8_t xors[] = {0x01, 0x20, 0x80};
    for (size_t x = 0; x < sizeof xors; x++) {
      memcpy(m, hdr, n + 1);
      m[i] = (char)(m[i] ^ xors[x]);
      zk_stamp *st = NULL;
      zk_status s = webauthn ? zk_stamp_parse_webauthn(&st, m, n) : zk_stamp_parse(&st, m, n);
      if (s == ZK_OK && webauthn) {
        /* credentialId is not signed: it only selects the key. The relying party's
         * lookup of a changed id does not find this credential (key NULL). */
        size_t cl, ol;
        zk_stamp *orig = NULL;
        zkt_assert_ok(zk_stamp_parse_webauthn(&orig, hdr, n));
        const uint8_t *c = zk_stamp_credential_id(st, &cl), *oc = zk_stamp_credential_id(orig, &ol);
        zk_stamp_verify_opts lookup = *o;
        if (cl != ol || memcmp(c, oc, cl) != 0) lookup.key = NULL;
        s = zk_stamp_verify(st, body, body_len, &lookup);
        zk_stamp_free(orig);
      } else if (s == ZK_OK) {
        s = zk_stamp_verify(st, body, body_len, o);
      }
      zk_stamp_free(st);
      (*tried)++;
      if (s != ZK_OK) {
        (*rejected)++;
      } else {
        /* A flip may land on JSON whitespace-insensitive or case-insensitive hex; the
         * only acceptable survivors decode to the same signed content. */
        fail_msg("%s: flip 0x%02x at %zu accepted: %s", suite, xors[x], i, m);
      }
    }
  }
  for (size_t t = 0; t < n; t += stride) {
    zk_stamp *st = NULL;
    zk_status s = webauthn ? zk_stamp_parse_webauthn(&st, hdr, t) : zk_stamp_parse(&st, hdr, t);
    if (s == ZK_OK) s = zk_stamp_verify(st, body, body_len, o);
    zk_stamp_free(st);
    (*tried)++;
    if (s != ZK_OK)
      (*rejected)++;
    else
      fail_msg("%s: truncation to %zu accepted", suite, t);
  }
  free(m);
}

/* Every single-byte flip of the body must be rejected. */
static void mutate_body(const char *suite, const zk_stamp *st, const uint8_t *body, size_t body_len,
                        const zk_stamp_verify_opts *o, unsigned long *tried,
                        unsigned long *rejected) {
  uint8_t *b = zki_memdup(body, body_len);
  for (size_t i = 0; i < body_len; i++) {
    b[i] ^= 0x01;
    (*tried)++;
    if (zk_stamp_verify(st, b, body_len, o) != ZK_OK)
      (*rejected)++;
    else
      fail_msg("%s: body flip at %zu accepted", suite, i);
    b[i] ^= 0x01;
  }
  free(b);
}

static void test_turnkey_vectors(void **state) {
  (void)state;
  json_t *j;
  ZKT_VECTOR_JSON("turnkey/stamps/stamp_vectors.json", &j);
  unsigned long run = 0, ok = 0, tried = 0, rejected = 0;

  /* 1. Derived RFC 6979 P-256 stamps: zk_stamp_create reproduces them byte for byte. */
  zk_key *p256 = fixture_p256();
  uint8_t *pubfile;
  size_t pubfile_len;
  ZKT_VECTOR_FILE("turnkey/stamps/api-key.public", &pubfile, &pubfile_len);
  json_t *arr = json_object_get(j, "derived_deterministic_p256_stamps");
  assert_true(json_array_size(arr) > 0);
  for (size_t i = 0; i < json_array_size(arr); i++) {
    json_t *v = json_array_get(arr, i);
    const char *body = zkt_jstr(v, "body"), *want = zkt_jstr(v, "x_stamp");
    char *hdr = NULL;
    size_t hdr_len = 0;
    run++;
    zkt_assert_ok(
        zk_stamp_create(&hdr, &hdr_len, p256, ZK_STAMP_P256, (const uint8_t *)body, strlen(body)));
    assert_string_equal(hdr, want);
    zk_stamp *st = NULL;
    zkt_assert_ok(zk_stamp_parse(&st, want, strlen(want)));
    assert_int_equal(zk_stamp_get_scheme(st), ZK_STAMP_P256);
    size_t pl, sl;
    const uint8_t *pk = zk_stamp_public_key(st, &pl);
    char *pkhex = zkt_tohex(pk, pl);
    assert_memory_equal(pkhex, pubfile, 66);
    const uint8_t *sig = zk_stamp_signature(st, &sl);
    char *sighex = zkt_tohex(sig, sl);
    assert_string_equal(sighex, zkt_jstr(v, "signature_der_hex"));
    zkt_assert_ok(zk_stamp_verify(st, (const uint8_t *)body, strlen(body), &no_ts));
    /* pinned key path */
    zk_stamp_verify_opts pinned = no_ts;
    pinned.key = p256;
    zkt_assert_ok(zk_stamp_verify(st, (const uint8_t *)body, strlen(body), &pinned));
    mutate_body("p256 body", st, (const uint8_t *)body, strlen(body), &no_ts, &tried, &rejected);
    mutate_header("p256 header", want, (const uint8_t *)body, strlen(body), &no_ts, 0, &tried,
                  &rejected);
    ok++;
    free(pkhex);
    free(sighex);
    zk_stamp_free(st);
    zk_free(hdr);
  }

  /* 2. Stamp printed by the Turnkey CLI docs (members in another order). */
  {
    json_t *v = json_object_get(j, "docs_cli_stamp");
    const char *body = zkt_jstr(v, "body"), *hdr = zkt_jstr(v, "x_stamp");
    run++;
    zkt_assert_ok(xstamp_check(hdr, strlen(hdr), (const uint8_t *)body, strlen(body), &no_ts));
    mutate_header("docs stamp", hdr, (const uint8_t *)body, strlen(body), &no_ts, 0, &tried,
                  &rejected);
    /* A stamp from another key is refused when the verifier pins a key. */
    zk_stamp_verify_opts pinned = no_ts;
    pinned.key = p256;
    zkt_assert_status(xstamp_check(hdr, strlen(hdr), (const uint8_t *)body, strlen(body), &pinned),
                      ZK_ERR_EV_SIGNER);
    ok++;
  }

  /* 3. EIP-191 wallet stamp (Ethereum personal_sign, DER, v dropped). */
  {
    json_t *v = json_object_get(j, "eip191_wallet_stamp");
    const char *body = zkt_jstr(v, "body");
    zk_key *k = key_from_hex(ZK_CURVE_SECP256K1, zkt_jstr(v, "secp256k1_private_hex"));
    run++;
    /* The published r||s||v recovers the published key over our EIP-191 digest. */
    size_t rsv_len;
    uint8_t *rsv = zkt_hex(zkt_jstr(v, "wallet_signature_rsv"), &rsv_len);
    assert_int_equal(rsv_len, 65);
    rsv[64] = (uint8_t)(rsv[64] - 27); /* Ethereum v = 27/28 */
    char msg[128];
    int mn = snprintf(msg, sizeof msg,
                      "\x19"
                      "Ethereum Signed Message:\n%zu%s",
                      strlen(body), body);
    uint8_t d[32];
    zki_keccak256(d, (const uint8_t *)msg, (size_t)mn);
    zk_key *rec = NULL;
    zkt_assert_ok(zk_key_recover(&rec, rsv, 65, d, 32));
    uint8_t pub[33];
    size_t pub_len = sizeof pub;
    zkt_assert_ok(zk_key_export_public(rec, ZK_PUB_COMPRESSED, pub, &pub_len));
    char *pubhex = zkt_tohex(pub, pub_len);
    assert_string_equal(pubhex, zkt_jstr(v, "expected_publicKey_compressed"));
    /* Our deterministic stamp carries exactly the wallet's signature in DER. */
    char *hdr = NULL;
    size_t hdr_len;
    zkt_assert_ok(zk_stamp_create(&hdr, &hdr_len, k, ZK_STAMP_SECP256K1_EIP191,
                                  (const uint8_t *)body, strlen(body)));
    zk_stamp *st = NULL;
    zkt_assert_ok(zk_stamp_parse(&st, hdr, hdr_len));
    size_t sl;
    const uint8_t *sig = zk_stamp_signature(st, &sl);
    char *sighex = zkt_tohex(sig, sl);
    assert_string_equal(sighex, zkt_jstr(v, "expected_signature_der"));
    size_t pl;
    char *stpub = zkt_tohex(zk_stamp_public_key(st, &pl), 33);
    assert_string_equal(stpub, pubhex);
    zkt_assert_ok(zk_stamp_verify(st, (const uint8_t *)body, strlen(body), &no_ts));
    mutate_body("eip191 body", st, (const uint8_t *)body, strlen(body), &no_ts, &tried, &rejected);
    mutate_header("eip191 header", hdr, (const uint8_t *)body, strlen(body), &no_ts, 0, &tried,
                  &rejected);
    /* The same signature under the plain secp256k1 scheme must not verify. */
    char json[400], *b64 = NULL;
    snprintf(json, sizeof json,
             "{\"publicKey\":\"%s\",\"scheme\":\"SIGNATURE_SCHEME_TK_API_SECP256K1\","
             "\"signature\":\"%s\"}",
             pubhex, sighex);
    b64 = malloc(zki_b64url_len(strlen(json)) + 1);
    zki_b64url_encode(b64, (const uint8_t *)json, strlen(json));
    zkt_assert_status(xstamp_check(b64, strlen(b64), (const uint8_t *)body, strlen(body), &no_ts),
                      ZK_ERR_SIGNATURE);
    ok++;
    free(b64);
    free(stpub);
    free(sighex);
    free(pubhex);
    free(rsv);
    zk_stamp_free(st);
    zk_free(hdr);
    zk_key_free(rec);
    zk_key_free(k);
  }

  /* 4. Ed25519 stamp (Solana wallet key). */
  {
    json_t *v = json_object_get(j, "ed25519_wallet_stamp");
    const char *body = zkt_jstr(v, "body"), *want = zkt_jstr(v, "x_stamp_DERIVED");
    zk_key *k = key_from_hex(ZK_CURVE_ED25519, zkt_jstr(v, "ed25519_seed_hex"));
    run++;
    char *hdr = NULL;
    size_t hdr_len;
    zkt_assert_ok(
        zk_stamp_create(&hdr, &hdr_len, k, ZK_STAMP_ED25519, (const uint8_t *)body, strlen(body)));
    assert_string_equal(hdr, want);
    zk_stamp *st = NULL;
    zkt_assert_ok(zk_stamp_parse(&st, want, strlen(want)));
    size_t pl, sl;
    char *pk = zkt_tohex(zk_stamp_public_key(st, &pl), 32);
    assert_string_equal(pk, zkt_jstr(v, "publicKey_hex"));
    char *sg = zkt_tohex(zk_stamp_signature(st, &sl), 64);
    assert_string_equal(sg, zkt_jstr(v, "signature_hex_DERIVED"));
    zkt_assert_ok(zk_stamp_verify(st, (const uint8_t *)body, strlen(body), &no_ts));
    mutate_body("ed25519 body", st, (const uint8_t *)body, strlen(body), &no_ts, &tried, &rejected);
    mutate_header("ed25519 header", want, (const uint8_t *)body, strlen(body), &no_ts, 0, &tried,
                  &rejected);
    ok++;
    free(pk);
    free(sg);
    zk_stamp_free(st);
    zk_free(hdr);
    zk_key_free(k);
  }

  /* 5. WebAuthn challenge rule: challenge = ASCII lowercase hex(SHA-256(body)). */
  {
    json_t *v = json_object_get(j, "webauthn_challenge");
    const char *pairs[2][2] = {
        {zkt_jstr(v, "docs_example_body_as_originally_published"), zkt_jstr(v, "docs_challenge")},
        {zkt_jstr(v, "corrected_body_with_closing_brace"),
         zkt_jstr(v, "corrected_body_challenge")}};
    for (int i = 0; i < 2; i++) {
      run++;
      uint8_t h[32];
      zkt_assert_ok(zk_sha256(h, (const uint8_t *)pairs[i][0], strlen(pairs[i][0])));
      char *hx = zkt_tohex(h, 32);
      assert_string_equal(hx, pairs[i][1]);
      free(hx);
      /* and a WebAuthn stamp over that body verifies with that challenge */
      char *hdr = NULL;
      size_t hdr_len;
      static const uint8_t cred[] = {1, 2, 3, 4};
      zkt_assert_ok(zk_stamp_create_webauthn(&hdr, &hdr_len, p256, cred, sizeof cred, "example.com",
                                             "https://example.com", 0x05, 7,
                                             (const uint8_t *)pairs[i][0], strlen(pairs[i][0])));
      const char *origins[] = {"https://example.com"};
      zk_stamp_verify_opts o = {.key = p256,
                                .flags = ZK_STAMP_NO_TIMESTAMP,
                                .rp_id = "example.com",
                                .origins = origins,
                                .n_origins = 1};
      zk_stamp *st = NULL;
      zkt_assert_ok(zk_stamp_parse_webauthn(&st, hdr, hdr_len));
      zkt_assert_ok(zk_stamp_verify(st, (const uint8_t *)pairs[i][0], strlen(pairs[i][0]), &o));
      /* the other body has another challenge */
      zkt_assert_status(
          zk_stamp_verify(st, (const uint8_t *)pairs[1 - i][0], strlen(pairs[1 - i][0]), &o),
          ZK_ERR_WEBAUTHN_CHALLENGE);
      ok++;
      zk_stamp_free(st);
      zk_free(hdr);
    }
  }
  zk_key_free(p256);
  free(pubfile);
  json_decref(j);
  zkt_report("turnkey stamps", run, ok);
  zkt_report_mutations("stamps (header flips, truncations, body flips)", tried, rejected);
  assert_int_equal(run, ok);
  assert_int_equal(tried, rejected);
}

/* ---- X-Stamp parser rejections ---- */

static char *b64json(const char *json) {
  char *b = malloc(zki_b64url_len(strlen(json)) + 1);
  assert_non_null(b);
  zki_b64url_encode(b, (const uint8_t *)json, strlen(json));
  return b;
}

static zk_status parse_json_stamp(const char *json) {
  char *b = b64json(json);
  zk_stamp *st = NULL;
  zk_status s = zk_stamp_parse(&st, b, strlen(b));
  if (s != ZK_OK) assert_null(st);
  zk_stamp_free(st);
  free(b);
  return s;
}

#define PUB "02f739f8c77b32f4d5f13265861febd76e7a9c61a1140d296b8c16302508870316"
#define SIG                                                                                  \
  "3046022100b9d0146ae33c9b5b8905a910d916845525aea5c0d96f15be05731951b4559353022100b03f2658" \
  "1a4a6f3a5f11eb01556ba32980a8a1c4fad672a8c6e63da398e95beb"
#define P256S "SIGNATURE_SCHEME_TK_API_P256"

static void test_xstamp_rejections(void **state) {
  (void)state;
  unsigned long n = 0;
  struct {
    const char *json;
    zk_status want;
  } cases[] = {
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"}", ZK_OK},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\"}", ZK_ERR_MISSING_FIELD},
      {"{\"publicKey\":\"" PUB "\",\"signature\":\"" SIG "\"}", ZK_ERR_MISSING_FIELD},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\",\"x\":\"1\"}",
       ZK_ERR_UNKNOWN_FIELD},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"" SIG
       "\",\"scheme\":\"" P256S "\"}",
       ZK_ERR_DUPLICATE_KEY},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":1,\"signature\":\"" SIG "\"}", ZK_ERR_TYPE},
      {"{\"publicKey\":null,\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"}", ZK_ERR_TYPE},
      {"[\"" PUB "\"]", ZK_ERR_TYPE},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"} x",
       ZK_ERR_JSON},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"",
       ZK_ERR_JSON},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"SIGNATURE_SCHEME_TK_API_P384\",\"signature\":\"" SIG
       "\"}",
       ZK_ERR_STAMP_SCHEME},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"signature_scheme_tk_api_p256\",\"signature\":\"" SIG
       "\"}",
       ZK_ERR_STAMP_SCHEME},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"WEBAUTHN\",\"signature\":\"" SIG "\"}",
       ZK_ERR_STAMP_SCHEME},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\\u0000\",\"signature\":\"" SIG "\"}",
       ZK_ERR_JSON},
      {"{\"publicKey\":\"0xf739f8c77b32f4d5f13265861febd76e7a9c61a1140d296b8c16302508870316\","
       "\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"}",
       ZK_ERR_HEX},
      {"{\"publicKey\":\"02F739F8C77B32F4D5F13265861FEBD76E7A9C61A1140D296B8C16302508870316\","
       "\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"}",
       ZK_ERR_HEX},
      {"{\"publicKey\":\"" PUB "0\",\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"}",
       ZK_ERR_HEX},
      {"{\"publicKey\":\"" PUB "00\",\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"}",
       ZK_ERR_KEY},
      {"{\"publicKey\":\"04f739f8c77b32f4d5f13265861febd76e7a9c61a1140d296b8c16302508870316\","
       "\"scheme\":\"" P256S "\",\"signature\":\"" SIG "\"}",
       ZK_ERR_KEY},
      {"{\"publicKey\":\"" PUB
       "\",\"scheme\":\"SIGNATURE_SCHEME_TK_API_ED25519\",\"signature\":\"" SIG "\"}",
       ZK_ERR_KEY},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"3006020101020101\"}",
       ZK_OK /* parses: size is plausible; verify rejects */},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"30040201\"}",
       ZK_ERR_SIG_ENCODING},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"" SIG SIG "\"}",
       ZK_ERR_SIG_ENCODING},
      {"{\"publicKey\":\"" PUB "\",\"scheme\":\"" P256S "\",\"signature\":\"\"}",
       ZK_ERR_SIG_ENCODING},
      {"{}", ZK_ERR_MISSING_FIELD},
      {"", ZK_ERR_JSON},
  };
  for (size_t i = 0; i < ZKI_ARRAY_LEN(cases); i++) {
    zk_status s = parse_json_stamp(cases[i].json);
    if (s != cases[i].want)
      fail_msg("case %zu: got %s want %s", i, zk_status_name(s), zk_status_name(cases[i].want));
    n++;
  }
  /* base64url strictness: padding, standard alphabet, whitespace, oversize. */
  char *good = b64json(cases[0].json);
  size_t gl = strlen(good);
  zk_stamp *st = NULL;
  char *bad = malloc(gl + 4);
  snprintf(bad, gl + 4, "%s==", good);
  zkt_assert_status(zk_stamp_parse(&st, bad, strlen(bad)), ZK_ERR_BASE64);
  snprintf(bad, gl + 4, " %s", good);
  zkt_assert_status(zk_stamp_parse(&st, bad, strlen(bad)), ZK_ERR_BASE64);
  memcpy(bad, good, gl + 1);
  bad[5] = '+';
  zkt_assert_status(zk_stamp_parse(&st, bad, gl), ZK_ERR_BASE64);
  n += 3;
  char *huge = malloc(ZK_STAMP_MAX_HEADER_LEN + 2);
  memset(huge, 'A', ZK_STAMP_MAX_HEADER_LEN + 1);
  zkt_assert_status(zk_stamp_parse(&st, huge, ZK_STAMP_MAX_HEADER_LEN + 1), ZK_ERR_TOO_LARGE);
  zkt_assert_status(zk_stamp_parse(&st, NULL, 0), ZK_ERR_ARG);
  zkt_assert_status(zk_stamp_parse(NULL, good, gl), ZK_ERR_ARG);
  n += 3;
  assert_null(st);
  free(huge);
  free(bad);
  free(good);
  printf("REJECTIONS x-stamp parser: %lu cases\n", n);
}

/* High-S, invalid point, tiny signatures, curve/scheme misuse at creation. */
static void test_xstamp_verify_rejections(void **state) {
  (void)state;
  const uint8_t body[] = "{\"timestampMs\":\"1700000000000\"}";
  size_t body_len = sizeof body - 1;
  uint8_t sk[32];
  memset(sk, 0x11, sizeof sk);
  zk_key *k1 = NULL, *p256 = NULL, *ed = NULL;
  zkt_assert_ok(zk_key_from_private(&k1, ZK_CURVE_SECP256K1, sk, 32));
  zkt_assert_ok(zk_key_from_private(&p256, ZK_CURVE_P256, sk, 32));
  zkt_assert_ok(zk_key_from_private(&ed, ZK_CURVE_ED25519, sk, 32));

  char *hdr = NULL;
  size_t hdr_len;
  zkt_assert_ok(zk_stamp_create(&hdr, &hdr_len, k1, ZK_STAMP_SECP256K1, body, body_len));
  zkt_assert_ok(xstamp_check(hdr, hdr_len, body, body_len, &no_ts));
  /* Rebuild the stamp with s replaced by n - s (high-S twin): refused. */
  zk_stamp *st = NULL;
  zkt_assert_ok(zk_stamp_parse(&st, hdr, hdr_len));
  size_t sl, pl;
  const uint8_t *der = zk_stamp_signature(st, &sl);
  uint8_t raw[64];
  size_t raw_len = sizeof raw;
  zkt_assert_ok(zk_sig_der_to_raw(raw, &raw_len, ZK_CURVE_SECP256K1, der, sl));
  BIGNUM *order = NULL, *s = BN_bin2bn(raw + 32, 32, NULL);
  assert_true(
      BN_hex2bn(&order, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141") > 0);
  assert_true(BN_sub(s, order, s) == 1);
  assert_true(BN_bn2binpad(s, raw + 32, 32) == 32);
  BN_free(s);
  BN_free(order);
  uint8_t der2[72];
  size_t der2_len = sizeof der2;
  zkt_assert_ok(zk_sig_raw_to_der(der2, &der2_len, ZK_CURVE_SECP256K1, raw, 64));
  char *pubhex = zkt_tohex(zk_stamp_public_key(st, &pl), 33), *sighex = zkt_tohex(der2, der2_len);
  char json[400];
  snprintf(json, sizeof json,
           "{\"publicKey\":\"%s\",\"scheme\":\"SIGNATURE_SCHEME_TK_API_SECP256K1\","
           "\"signature\":\"%s\"}",
           pubhex, sighex);
  char *b = b64json(json);
  zkt_assert_status(xstamp_check(b, strlen(b), body, body_len, &no_ts), ZK_ERR_HIGH_S);
  free(b);
  /* x = p (the field prime) is not a valid coordinate. */
  snprintf(json, sizeof json,
           "{\"publicKey\":\"02ffffffff00000001000000000000000000000000ffffffffffffffffffffffff\","
           "\"scheme\":\"" P256S "\",\"signature\":\"%s\"}",
           sighex);
  b = b64json(json);
  zkt_assert_status(xstamp_check(b, strlen(b), body, body_len, &no_ts), ZK_ERR_KEY);
  free(b);
  /* Well-sized but non-DER signature bytes. */
  snprintf(json, sizeof json,
           "{\"publicKey\":\"%s\",\"scheme\":\"SIGNATURE_SCHEME_TK_API_SECP256K1\","
           "\"signature\":\"3006020101020101ff\"}",
           pubhex);
  b = b64json(json);
  zk_status vs = xstamp_check(b, strlen(b), body, body_len, &no_ts);
  assert_true(vs == ZK_ERR_SIG_ENCODING || vs == ZK_ERR_SIGNATURE);
  free(b);
  /* Pinned key of another curve / another key. */
  zk_stamp_verify_opts pin = no_ts;
  pin.key = p256;
  zkt_assert_status(zk_stamp_verify(st, body, body_len, &pin), ZK_ERR_EV_SIGNER);
  pin.key = k1;
  zkt_assert_ok(zk_stamp_verify(st, body, body_len, &pin));
  /* Replay window applies after the signature. */
  zk_stamp_verify_opts ts = {.now_ms = 1700000000000ull};
  zkt_assert_ok(zk_stamp_verify(st, body, body_len, &ts));
  ts.now_ms += ZK_STAMP_DEFAULT_MAX_AGE_MS + 1;
  zkt_assert_status(zk_stamp_verify(st, body, body_len, &ts), ZK_ERR_STAMP_TIMESTAMP);
  zk_stamp_verify_opts zero = {0}; /* no clock given: refused, never an open window */
  zkt_assert_status(zk_stamp_verify(st, body, body_len, &zero), ZK_ERR_ARG);
  zkt_assert_status(zk_stamp_verify(st, body, body_len, NULL), ZK_ERR_ARG);
  zkt_assert_status(zk_stamp_verify(NULL, body, body_len, &no_ts), ZK_ERR_ARG);
  /* Creation misuse. */
  char *o = NULL;
  size_t ol = 0;
  zkt_assert_status(zk_stamp_create(&o, &ol, k1, ZK_STAMP_P256, body, body_len), ZK_ERR_CURVE);
  zkt_assert_status(zk_stamp_create(&o, &ol, ed, ZK_STAMP_SECP256K1_EIP191, body, body_len),
                    ZK_ERR_CURVE);
  zkt_assert_status(zk_stamp_create(&o, &ol, p256, ZK_STAMP_WEBAUTHN, body, body_len),
                    ZK_ERR_STAMP_SCHEME);
  zk_key *pubonly = NULL;
  zkt_assert_ok(zk_key_public_copy(&pubonly, p256));
  zkt_assert_status(zk_stamp_create(&o, &ol, pubonly, ZK_STAMP_P256, body, body_len),
                    ZK_ERR_NO_PRIVATE_KEY);
  assert_null(o);
  assert_int_equal(ol, 0);
  /* Empty body is a valid (if unusual) signed payload. */
  zkt_assert_ok(zk_stamp_create(&o, &ol, ed, ZK_STAMP_ED25519, NULL, 0));
  zkt_assert_ok(xstamp_check(o, ol, NULL, 0, &no_ts));
  zkt_assert_status(xstamp_check(o, ol, (const uint8_t *)"x", 1, &no_ts), ZK_ERR_SIGNATURE);
  zk_free(o);
  zk_key_free(pubonly);
  free(pubhex);
  free(sighex);
  zk_stamp_free(st);
  zk_free(hdr);
  zk_key_free(k1);
  zk_key_free(p256);
  zk_key_free(ed);
}

/* ---- WebAuthn ---- */

/* Build a WebAuthn header from raw parts, signing ad || SHA-256(cd) with key. */
static char *wa_build(const zk_key *key, const uint8_t *ad, size_t ad_len, const char *cd) {
  uint8_t msg[1200];
  assert_true(ad_len + 32 <= sizeof msg);
  memcpy(msg, ad, ad_len);
  zkt_assert_ok(zk_sha256(msg + ad_len, (const uint8_t *)cd, strlen(cd)));
  uint8_t sig[ZK_MAX_SIG_LEN];
  size_t sig_len = sizeof sig;
  zkt_assert_ok(zk_key_sign(key, zk_key_curve(key) == ZK_CURVE_ED25519 ? ZK_SIG_EDDSA : ZK_SIG_DER,
                            sig, &sig_len, msg, ad_len + 32));
  char *a = malloc(zki_b64url_len(ad_len) + 1), *c = malloc(zki_b64url_len(strlen(cd)) + 1),
       *s = malloc(zki_b64url_len(sig_len) + 1);
  zki_b64url_encode(a, ad, ad_len);
  zki_b64url_encode(c, (const uint8_t *)cd, strlen(cd));
  zki_b64url_encode(s, sig, sig_len);
  size_t n = strlen(a) + strlen(c) + strlen(s) + 128;
  char *h = malloc(n);
  snprintf(h, n,
           "{\"authenticatorData\":\"%s\",\"clientDataJson\":\"%s\",\"credentialId\":\"AQID\","
           "\"signature\":\"%s\"}",
           a, c, s);
  free(a);
  free(c);
  free(s);
  return h;
}

static void make_ad(uint8_t ad[37], const char *rp, uint8_t flags) {
  zkt_assert_ok(zk_sha256(ad, (const uint8_t *)rp, strlen(rp)));
  ad[32] = flags;
  ad[33] = 0;
  ad[34] = 0;
  ad[35] = 0;
  ad[36] = 9;
}

/* cd = fmt with its single "%s" replaced by chal (no printf on a non-literal format). */
static void subst(char *out, size_t cap, const char *fmt, const char *chal) {
  const char *p = strstr(fmt, "%s");
  assert_non_null(p);
  int n = snprintf(out, cap, "%.*s%s%s", (int)(p - fmt), fmt, chal, p + 2);
  assert_true(n > 0 && (size_t)n < cap);
}

static zk_status wa_check(const char *hdr, const uint8_t *body, size_t body_len,
                          const zk_stamp_verify_opts *o) {
  zk_stamp *st = NULL;
  zk_status s = zk_stamp_parse_webauthn(&st, hdr, strlen(hdr));
  if (s == ZK_OK) s = zk_stamp_verify(st, body, body_len, o);
  zk_stamp_free(st);
  return s;
}

static void test_webauthn(void **state) {
  (void)state;
  const uint8_t body[] = "{\"organizationId\":\"org\",\"timestampMs\":\"1700000000000\"}";
  size_t body_len = sizeof body - 1;
  uint8_t sk[32];
  memset(sk, 0x22, sizeof sk);
  zk_key *p256 = NULL, *ed = NULL, *k1 = NULL, *other = NULL;
  zkt_assert_ok(zk_key_from_private(&p256, ZK_CURVE_P256, sk, 32));
  zkt_assert_ok(zk_key_from_private(&ed, ZK_CURVE_ED25519, sk, 32));
  zkt_assert_ok(zk_key_from_private(&k1, ZK_CURVE_SECP256K1, sk, 32));
  sk[0] ^= 1;
  zkt_assert_ok(zk_key_from_private(&other, ZK_CURVE_P256, sk, 32));
  const char *origins[] = {"https://wallet.example", "https://app.example"};
  zk_stamp_verify_opts o = {.key = p256,
                            .now_ms = 1700000001000ull,
                            .rp_id = "example",
                            .origins = origins,
                            .n_origins = 2};
  unsigned long tried = 0, rejected = 0, cases = 0;

  /* Round trip through zk_stamp_create_webauthn, P-256 and Ed25519. */
  static const uint8_t cred[] = {0xde, 0xad, 0xbe, 0xef};
  const zk_key *keys[2] = {p256, ed};
  for (int i = 0; i < 2; i++) {
    char *hdr = NULL;
    size_t hdr_len;
    zkt_assert_ok(zk_stamp_create_webauthn(&hdr, &hdr_len, keys[i], cred, sizeof cred, "example",
                                           "https://app.example", 0x05, 41, body, body_len));
    zk_stamp_verify_opts oi = o;
    oi.key = keys[i];
    zk_stamp *st = NULL;
    zkt_assert_ok(zk_stamp_parse_webauthn(&st, hdr, hdr_len));
    assert_int_equal(zk_stamp_get_scheme(st), ZK_STAMP_WEBAUTHN);
    assert_int_equal(zk_stamp_sign_count(st), 41);
    size_t cl;
    const uint8_t *c = zk_stamp_credential_id(st, &cl);
    assert_int_equal(cl, sizeof cred);
    assert_memory_equal(c, cred, sizeof cred);
    assert_null(zk_stamp_public_key(st, &cl));
    zkt_assert_ok(zk_stamp_verify(st, body, body_len, &oi));
    oi.flags |= ZK_STAMP_REQUIRE_UV;
    zkt_assert_ok(zk_stamp_verify(st, body, body_len, &oi));
    mutate_body("webauthn body", st, body, body_len, &oi, &tried, &rejected);
    mutate_header("webauthn header", hdr, body, body_len, &oi, 1, &tried, &rejected);
    /* wrong key, missing key, bad curve, missing rp/origins */
    zk_stamp_verify_opts bad = oi;
    bad.key = i == 0 ? other : p256;
    zk_status ws = zk_stamp_verify(st, body, body_len, &bad);
    assert_true(ws == ZK_ERR_SIGNATURE || ws == ZK_ERR_SIG_ENCODING);
    bad.key = k1;
    zkt_assert_status(zk_stamp_verify(st, body, body_len, &bad), ZK_ERR_CURVE);
    bad = oi;
    bad.key = NULL;
    zkt_assert_status(zk_stamp_verify(st, body, body_len, &bad), ZK_ERR_ARG);
    bad = oi;
    bad.rp_id = NULL;
    zkt_assert_status(zk_stamp_verify(st, body, body_len, &bad), ZK_ERR_ARG);
    bad = oi;
    bad.n_origins = 0;
    zkt_assert_status(zk_stamp_verify(st, body, body_len, &bad), ZK_ERR_ARG);
    cases += 6;
    zk_stamp_free(st);
    zk_free(hdr);
  }

  /* Semantic rejections, each with a valid signature over the altered parts. */
  uint8_t h[32];
  char hx[65], chal[100], cd[512];
  zkt_assert_ok(zk_sha256(h, body, body_len));
  zki_hex_encode(hx, h, 32);
  zki_b64url_encode(chal, (const uint8_t *)hx, 64);
  uint8_t ad[64];
  struct {
    const char *cd_fmt; /* %s = challenge */
    const char *rp;
    uint8_t flags;
    size_t extra; /* bytes appended to authenticatorData */
    unsigned opt_flags;
    zk_status want;
  } wc[] = {
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x01, 0, 0, ZK_OK},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\","
       "\"crossOrigin\":false,\"other_keys_can_be_added_here\":\"x\"}",
       "example", 0x05, 0, 0, ZK_OK},
      {"{\"type\":\"webauthn.create\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x01, 0, 0, ZK_ERR_WEBAUTHN_TYPE},
      {"{\"challenge\":\"%s\",\"origin\":\"https://app.example\"}", "example", 0x01, 0, 0,
       ZK_ERR_MISSING_FIELD},
      {"{\"type\":7,\"challenge\":\"%s\",\"origin\":\"https://app.example\"}", "example", 0x01, 0,
       0, ZK_ERR_TYPE},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%sA\",\"origin\":\"https://app.example\"}",
       "example", 0x01, 0, 0, ZK_ERR_WEBAUTHN_CHALLENGE},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"x%s\",\"origin\":\"https://app.example\"}",
       "example", 0x01, 0, 0, ZK_ERR_WEBAUTHN_CHALLENGE},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://evil.example\"}",
       "example", 0x01, 0, 0, ZK_ERR_WEBAUTHN_ORIGIN},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example/\"}",
       "example", 0x01, 0, 0, ZK_ERR_WEBAUTHN_ORIGIN},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\","
       "\"crossOrigin\":true}",
       "example", 0x01, 0, 0, ZK_ERR_WEBAUTHN_ORIGIN},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\","
       "\"crossOrigin\":true}",
       "example", 0x01, 0, ZK_STAMP_ALLOW_CROSS_ORIGIN, ZK_OK},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\","
       "\"crossOrigin\":\"no\"}",
       "example", 0x01, 0, 0, ZK_ERR_TYPE},
      {"{\"type\":\"webauthn.get\",\"type\":\"webauthn.get\",\"challenge\":\"%s\","
       "\"origin\":\"https://app.example\"}",
       "example", 0x01, 0, 0, ZK_ERR_DUPLICATE_KEY},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"",
       "example", 0x01, 0, 0, ZK_ERR_JSON},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "evil.example", 0x01, 0, 0, ZK_ERR_WEBAUTHN_RPID},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x04, 0, 0, ZK_ERR_WEBAUTHN_FLAGS},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x01, 0, ZK_STAMP_REQUIRE_UV, ZK_ERR_WEBAUTHN_FLAGS},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x41, 0, 0, ZK_ERR_PARSE},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x01, 1, 0, ZK_ERR_TRAILING},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x81, 1, 0, ZK_OK /* ED + empty CBOR map a0 */},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x81, 2, 0, ZK_ERR_TRAILING /* a0 00 */},
      {"{\"type\":\"webauthn.get\",\"challenge\":\"%s\",\"origin\":\"https://app.example\"}",
       "example", 0x81, 0, 0, ZK_ERR_TRUNCATED},
  };
  for (size_t i = 0; i < ZKI_ARRAY_LEN(wc); i++) {
    subst(cd, sizeof cd, wc[i].cd_fmt, chal);
    make_ad(ad, wc[i].rp, wc[i].flags);
    if (wc[i].extra >= 1) ad[37] = 0xa0;
    if (wc[i].extra >= 2) ad[38] = 0x00;
    char *hdr = wa_build(p256, ad, 37 + wc[i].extra, cd);
    zk_stamp_verify_opts oi = o;
    oi.flags = wc[i].opt_flags;
    zk_status s = wa_check(hdr, body, body_len, &oi);
    if (s != wc[i].want)
      fail_msg("webauthn case %zu: got %s want %s", i, zk_status_name(s),
               zk_status_name(wc[i].want));
    cases++;
    free(hdr);
  }
  /* Header-level structure. */
  struct {
    const char *hdr;
    zk_status want;
  } hc[] = {
      {"{\"authenticatorData\":\"AAAA\",\"clientDataJson\":\"e30\",\"credentialId\":\"AQ\"}",
       ZK_ERR_MISSING_FIELD},
      {"{\"authenticatorData\":\"AAAA\",\"clientDataJson\":\"e30\",\"credentialId\":\"AQ\","
       "\"signature\":\"AQ\",\"userHandle\":\"AQ\"}",
       ZK_ERR_UNKNOWN_FIELD},
      {"{\"authenticatorData\":1,\"clientDataJson\":\"e30\",\"credentialId\":\"AQ\","
       "\"signature\":\"AQ\"}",
       ZK_ERR_TYPE},
      {"{\"authenticatorData\":\"AAAA\",\"clientDataJson\":\"e30\",\"credentialId\":\"AQ\","
       "\"signature\":\"AQ\"}",
       ZK_ERR_PARSE /* authenticatorData shorter than 37 bytes */},
      {"{\"authenticatorData\":\"AAAA=\",\"clientDataJson\":\"e30\",\"credentialId\":\"AQ\","
       "\"signature\":\"AQ\"}",
       ZK_ERR_BASE64},
      {"not json", ZK_ERR_JSON},
  };
  for (size_t i = 0; i < ZKI_ARRAY_LEN(hc); i++) {
    zk_stamp *st = NULL;
    zk_status s = zk_stamp_parse_webauthn(&st, hc[i].hdr, strlen(hc[i].hdr));
    assert_null(st);
    if (s != hc[i].want)
      fail_msg("webauthn header case %zu: got %s want %s", i, zk_status_name(s),
               zk_status_name(hc[i].want));
    cases++;
  }
  /* A signature of the wrong size for any supported credential. */
  {
    subst(cd, sizeof cd, wc[0].cd_fmt, chal);
    make_ad(ad, "example", 0x01);
    char *hdr = wa_build(p256, ad, 37, cd);
    char *p = strstr(hdr, "\"signature\":\"");
    assert_non_null(p);
    strcpy(p, "\"signature\":\"AAAA\"}");
    zkt_assert_status(wa_check(hdr, body, body_len, &o), ZK_ERR_SIG_ENCODING);
    free(hdr);
    cases++;
  }
  printf("REJECTIONS webauthn: %lu cases\n", cases);
  zkt_report_mutations("webauthn (header flips, truncations, body flips)", tried, rejected);
  assert_int_equal(tried, rejected);
  zk_key_free(p256);
  zk_key_free(ed);
  zk_key_free(k1);
  zk_key_free(other);
}

static void test_timestamp(void **state) {
  (void)state;
  const uint64_t now = 1700000000000ull, age = 1000, fut = 100;
  struct {
    const char *body;
    zk_status want;
  } c[] = {
      {"{\"timestampMs\":\"1700000000000\"}", ZK_OK},
      {"{\"timestampMs\":\"1699999999000\"}", ZK_OK}, /* exactly max_age old */
      {"{\"timestampMs\":\"1699999998999\"}", ZK_ERR_STAMP_TIMESTAMP},
      {"{\"timestampMs\":\"1700000000100\"}", ZK_OK}, /* exactly max_future ahead */
      {"{\"timestampMs\":\"1700000000101\"}", ZK_ERR_STAMP_TIMESTAMP},
      {"{\"timestampMs\":\"0\"}", ZK_ERR_STAMP_TIMESTAMP},
      {"{\"timestampMs\":\"9999999999999999999\"}", ZK_ERR_STAMP_TIMESTAMP},
      {"{\"timestampMs\":\"99999999999999999999\"}", ZK_ERR_VALUE}, /* 20 digits */
      {"{\"timestampMs\":\"01700000000000\"}", ZK_ERR_VALUE},
      {"{\"timestampMs\":\"+1700000000000\"}", ZK_ERR_VALUE},
      {"{\"timestampMs\":\"1700000000000 \"}", ZK_ERR_VALUE},
      {"{\"timestampMs\":\"\"}", ZK_ERR_VALUE},
      {"{\"timestampMs\":1700000000000}", ZK_ERR_TYPE},
      {"{\"timestamp\":\"1700000000000\"}", ZK_ERR_MISSING_FIELD},
      {"{\"timestampMs\":\"1\",\"timestampMs\":\"1700000000000\"}", ZK_ERR_DUPLICATE_KEY},
      {"[\"1700000000000\"]", ZK_ERR_TYPE},
      {"{\"timestampMs\":\"1700000000000\"", ZK_ERR_JSON},
      {"", ZK_ERR_JSON},
      {"{\"a\":{\"timestampMs\":\"1700000000000\"}}", ZK_ERR_MISSING_FIELD},
  };
  for (size_t i = 0; i < ZKI_ARRAY_LEN(c); i++) {
    uint64_t ts = 42;
    zk_status s =
        zk_stamp_check_timestamp(&ts, (const uint8_t *)c[i].body, strlen(c[i].body), now, age, fut);
    if (s != c[i].want)
      fail_msg("timestamp case %zu: got %s want %s", i, zk_status_name(s),
               zk_status_name(c[i].want));
    if (s != ZK_OK) assert_int_equal(ts, 0);
  }
  /* Defaults: 1 h back, 30 s ahead. */
  const char *b = "{\"timestampMs\":\"1700000000000\"}";
  zkt_assert_ok(zk_stamp_check_timestamp(NULL, (const uint8_t *)b, strlen(b),
                                         now + ZK_STAMP_DEFAULT_MAX_AGE_MS, 0, 0));
  zkt_assert_status(zk_stamp_check_timestamp(NULL, (const uint8_t *)b, strlen(b),
                                             now + ZK_STAMP_DEFAULT_MAX_AGE_MS + 1, 0, 0),
                    ZK_ERR_STAMP_TIMESTAMP);
  zkt_assert_status(zk_stamp_check_timestamp(NULL, (const uint8_t *)b, strlen(b),
                                             now - ZK_STAMP_DEFAULT_MAX_FUTURE_MS - 1, 0, 0),
                    ZK_ERR_STAMP_TIMESTAMP);
  /* A zero clock is refused, even for a body stamped at the epoch. */
  const char *epoch = "{\"timestampMs\":\"1\"}";
  zkt_assert_status(zk_stamp_check_timestamp(NULL, (const uint8_t *)epoch, strlen(epoch), 0, 0, 0),
                    ZK_ERR_ARG);
  /* Oversized body. */
  size_t big = ZK_STAMP_MAX_BODY_JSON_LEN + 1;
  uint8_t *bb = calloc(1, big);
  zkt_assert_status(zk_stamp_check_timestamp(NULL, bb, big, now, 0, 0), ZK_ERR_TOO_LARGE);
  free(bb);
  printf("REJECTIONS timestamp: %zu cases\n", ZKI_ARRAY_LEN(c) + 5);
}

static void test_keccak(void **state) {
  (void)state;
  /* Keccak-256 known answers ("" and "abc"), plus a multi-block input against the
   * incremental interface. */
  uint8_t d[32];
  zki_keccak256(d, (const uint8_t *)"", 0);
  char *h = zkt_tohex(d, 32);
  assert_string_equal(h, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  free(h);
  zki_keccak256(d, (const uint8_t *)"abc", 3);
  h = zkt_tohex(d, 32);
  assert_string_equal(h, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  free(h);
  uint8_t buf[500], d2[32];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)i;
  zki_keccak256(d, buf, sizeof buf);
  zki_keccak256_ctx c;
  zki_keccak256_init(&c);
  for (size_t i = 0; i < sizeof buf; i += 7)
    zki_keccak256_update(&c, buf + i, sizeof buf - i < 7 ? sizeof buf - i : 7);
  zki_keccak256_final(&c, d2);
  assert_memory_equal(d, d2, 32);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keccak),
      cmocka_unit_test(test_turnkey_vectors),
      cmocka_unit_test(test_xstamp_rejections),
      cmocka_unit_test(test_xstamp_verify_rejections),
      cmocka_unit_test(test_webauthn),
      cmocka_unit_test(test_timestamp),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
