/*
 * Secure-channel bundles: every vector of turnkey/secure_channel_bundles.json,
 * enclave-side producers, every failure status, single-byte flips and
 * truncations of each bundle vector.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/bundle.h"
#include "zerokey/hpke.h"
#include "zk_base58.h"
#include "zk_bundle_internal.h"
#include "zk_hpke_internal.h"
#include "zkt.h"

#define VEC "turnkey/secure_channel_bundles.json"
#define KEYS "turnkey/enclave_public_keys.json"

static unsigned long vec_run, vec_ok;

static zk_key *key_priv_hex(const char *hex) {
  size_t n;
  uint8_t *b = zkt_hex(hex, &n);
  zk_key *k = NULL;
  zkt_assert_ok(zk_key_from_private(&k, ZK_CURVE_P256, b, n));
  free(b);
  return k;
}

static zk_key *key_pub_hex(const char *hex) {
  size_t n;
  uint8_t *b = zkt_hex(hex, &n);
  zk_key *k = NULL;
  zkt_assert_ok(zk_key_from_public(&k, ZK_CURVE_P256, b, n));
  free(b);
  return k;
}

static zk_key *gen(void) {
  zk_key *k = NULL;
  zkt_assert_ok(zk_key_generate(&k, ZK_CURVE_P256));
  return k;
}

/* Export open that asserts fail-closed outputs. */
static zk_status exp_open(const char *b, size_t len, const zk_key *pin, const char *org,
                          const zk_key *tk, uint8_t **pt, size_t *pt_len) {
  zk_status st = zk_bundle_export_open(pt, pt_len, b, len, pin, org, tk);
  if (st != ZK_OK) {
    assert_null(*pt);
    assert_int_equal(*pt_len, 0);
  }
  return st;
}

static zk_status cred_open(const char *b, size_t len, const zk_key *tk, uint8_t **pt,
                           size_t *pt_len) {
  zk_status st = zk_bundle_credential_open(pt, pt_len, b, len, tk);
  if (st != ZK_OK) {
    assert_null(*pt);
    assert_int_equal(*pt_len, 0);
  }
  return st;
}

static zk_status enc_open(const char *b, size_t len, const zk_key *tk, uint8_t **pt,
                          size_t *pt_len) {
  zk_status st = zk_bundle_encrypted_open(pt, pt_len, b, len, tk);
  if (st != ZK_OK) {
    assert_null(*pt);
    assert_int_equal(*pt_len, 0);
  }
  return st;
}

static void test_export_vector(void **state) {
  (void)state;
  json_t *root, *keys;
  ZKT_VECTOR_JSON(VEC, &root);
  ZKT_VECTOR_JSON(KEYS, &keys);
  json_t *v = json_object_get(root, "export_bundle_v1");
  json_t *b = json_object_get(v, "bundle");
  /* the bundle names the pinned production signer */
  assert_string_equal(zkt_jstr(b, "enclaveQuorumPublic"),
                      zkt_jstr(keys, "production_signer_sign_public"));
  char *bundle = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
  size_t blen = strlen(bundle);
  zk_key *pin = key_pub_hex(zkt_jstr(keys, "production_signer_sign_public"));
  zk_key *tk = key_priv_hex(zkt_jstr(v, "embedded_private_key_hex"));
  const char *org = zkt_jstr(v, "organizationId");
  const char *want = zkt_jstr(v, "expected_plaintext_utf8");
  uint8_t *pt = NULL;
  size_t pt_len = 0;
  vec_run++;
  zkt_assert_ok(exp_open(bundle, blen, pin, org, tk, &pt, &pt_len));
  assert_int_equal(pt_len, strlen(want));
  assert_memory_equal(pt, want, pt_len);
  zk_free_secret(pt, pt_len);
  vec_ok++;

  /* distinct failure statuses */
  zk_key *other = gen();
  zkt_assert_status(exp_open(bundle, blen, pin, org, other, &pt, &pt_len), ZK_ERR_HPKE_OPEN);
  zkt_assert_status(exp_open(bundle, blen, other, org, tk, &pt, &pt_len), ZK_ERR_BUNDLE_SIGNER);
  zkt_assert_status(
      exp_open(bundle, blen, pin, "f9a31c64-d604-42e4-9bef-a773096afad8", tk, &pt, &pt_len),
      ZK_ERR_BUNDLE_ORGANIZATION);
  zkt_assert_status(exp_open(bundle, blen - 1, pin, org, tk, &pt, &pt_len), ZK_ERR_TRUNCATED);
  char *m = strdup(bundle);
  char *ver = strstr(m, "v1.0.0");
  ver[5] = '1';
  zkt_assert_status(exp_open(m, blen, pin, org, tk, &pt, &pt_len), ZK_ERR_BUNDLE_VERSION);
  free(m);
  /* the v0 vector's (valid, but over other bytes) signature in place of dataSignature */
  json_t *b2 = json_deep_copy(b);
  json_object_set_new(
      b2, "dataSignature",
      json_string(zkt_jstr(json_object_get(root, "enclave_signature_over_target_key_v0"),
                           "signature_der")));
  char *s2 = json_dumps(b2, JSON_COMPACT | JSON_PRESERVE_ORDER);
  zkt_assert_status(exp_open(s2, strlen(s2), pin, org, tk, &pt, &pt_len), ZK_ERR_BUNDLE_SIGNATURE);
  free(s2);
  /* legacy v0 export bundle shape: no version */
  json_object_del(b2, "version");
  s2 = json_dumps(b2, JSON_COMPACT);
  zkt_assert_status(exp_open(s2, strlen(s2), pin, org, tk, &pt, &pt_len), ZK_ERR_BUNDLE_VERSION);
  free(s2);
  /* unknown member */
  json_object_set_new(b2, "version", json_string("v1.0.0"));
  json_object_set_new(b2, "extra", json_string(""));
  s2 = json_dumps(b2, JSON_COMPACT);
  zkt_assert_status(exp_open(s2, strlen(s2), pin, org, tk, &pt, &pt_len), ZK_ERR_BUNDLE_FORMAT);
  free(s2);
  json_decref(b2);
  /* uppercase hex is refused (canonical lowercase only) */
  m = strdup(bundle);
  char *d = strstr(m, "\"data\":\"") + 8;
  for (; *d != '"'; d++)
    if (*d >= 'a' && *d <= 'f') {
      *d = (char)(*d - 32);
      break;
    }
  zkt_assert_status(exp_open(m, blen, pin, org, tk, &pt, &pt_len), ZK_ERR_BUNDLE_FORMAT);
  free(m);

  /* every single-byte flip and every truncation */
  unsigned long tried = 0, rejected = 0;
  unsigned long by[1000] = {0};
  m = malloc(blen);
  for (size_t i = 0; i < blen; i += zkt_stride(blen)) {
    memcpy(m, bundle, blen);
    m[i] ^= 0x01;
    tried++;
    zk_status st = exp_open(m, blen, pin, org, tk, &pt, &pt_len);
    if (st != ZK_OK) rejected++;
    if ((unsigned)st < 1000) by[st]++;
  }
  for (size_t l = 0; l < blen; l += zkt_stride(blen)) {
    tried++;
    zk_status st = exp_open(bundle, l, pin, org, tk, &pt, &pt_len);
    if (st != ZK_OK) rejected++;
    if ((unsigned)st < 1000) by[st]++;
  }
  free(m);
  zkt_report_mutations("bundle-export-v1", tried, rejected);
  for (unsigned s = 0; s < 1000; s++)
    if (by[s]) printf("  %-28s %lu\n", zk_status_name((zk_status)s), by[s]);
  assert_int_equal(tried, rejected);
  if (zkt_stride(blen) == 1) /* the full sweep reaches every envelope member */
    assert_true(by[ZK_ERR_BUNDLE_SIGNATURE] > 0 && by[ZK_ERR_TRUNCATED] > 0 &&
                by[ZK_ERR_BUNDLE_SIGNER] > 0 && by[ZK_ERR_BUNDLE_VERSION] > 0 &&
                by[ZK_ERR_BUNDLE_FORMAT] > 0);

  free(bundle);
  zk_key_free(pin);
  zk_key_free(tk);
  zk_key_free(other);
  json_decref(root);
  json_decref(keys);
}

/* Mutations of a base58check credential bundle: characters, truncations, re-checksummed payload. */
static void mutate_credential(const char *name, const char *bundle, const zk_key *tk) {
  size_t blen = strlen(bundle);
  static const char ALPHA[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  unsigned long tried = 0, rejected = 0, by_enc = 0, by_open = 0;
  uint8_t *pt = NULL;
  size_t pt_len = 0;
  char *m = malloc(blen + 1);
  for (size_t i = 0; i < blen; i += zkt_stride(blen)) {
    memcpy(m, bundle, blen + 1);
    const char *p = strchr(ALPHA, m[i]);
    m[i] = ALPHA[((size_t)(p - ALPHA) + 1) % 58];
    tried++;
    if (cred_open(m, blen, tk, &pt, &pt_len) != ZK_OK) rejected++;
    m[i] = '0'; /* not in the alphabet */
    tried++;
    if (cred_open(m, blen, tk, &pt, &pt_len) == ZK_ERR_BASE58) rejected++;
  }
  for (size_t l = 0; l < blen; l += zkt_stride(blen)) {
    tried++;
    if (cred_open(bundle, l, tk, &pt, &pt_len) != ZK_OK) rejected++;
  }
  free(m);
  /* flips of the payload with a valid checksum: HPKE must catch them */
  uint8_t *raw = NULL;
  size_t raw_len = 0;
  zkt_assert_ok(zki_base58check_decode(&raw, &raw_len, bundle, blen));
  for (size_t i = 0; i < raw_len; i += zkt_stride(raw_len)) {
    raw[i] ^= 0x01;
    char *s = NULL;
    size_t s_len = 0;
    zkt_assert_ok(zki_base58check_encode(&s, &s_len, raw, raw_len));
    tried++;
    zk_status st = cred_open(s, s_len, tk, &pt, &pt_len);
    if (st == ZK_ERR_HPKE_ENC) by_enc++;
    if (st == ZK_ERR_HPKE_OPEN) by_open++;
    if (st == ZK_ERR_HPKE_ENC || st == ZK_ERR_HPKE_OPEN) rejected++;
    zk_free(s);
    raw[i] ^= 0x01;
  }
  /* payload truncations with a valid checksum */
  for (size_t l = 0; l < raw_len; l++) {
    char *s = NULL;
    size_t s_len = 0;
    zkt_assert_ok(zki_base58check_encode(&s, &s_len, raw, l));
    tried++;
    zk_status st = cred_open(s, s_len, tk, &pt, &pt_len);
    if (st == (l < 33 + 16 ? ZK_ERR_TRUNCATED : ZK_ERR_HPKE_OPEN) ||
        (l >= 33 + 16 && st == ZK_ERR_HPKE_OPEN))
      rejected++;
    else
      fail_msg("truncation to %zu: %s", l, zk_status_name(st));
    zk_free(s);
  }
  zk_free_secret(raw, raw_len);
  zkt_report_mutations(name, tried, rejected);
  assert_int_equal(tried, rejected);
  assert_true(by_enc > 0 && by_open > 0);
}

static void test_credential_vectors(void **state) {
  (void)state;
  json_t *root;
  ZKT_VECTOR_JSON(VEC, &root);
  uint8_t *pt = NULL;
  size_t pt_len = 0;

  json_t *v = json_object_get(root, "credential_bundle_base58check");
  const char *bundle = zkt_jstr(v, "bundle");
  zk_key *tk = key_priv_hex(zkt_jstr(v, "target_private_key_hex"));
  vec_run++;
  zkt_assert_ok(cred_open(bundle, strlen(bundle), tk, &pt, &pt_len));
  char *h = zkt_tohex(pt, pt_len);
  assert_string_equal(h, zkt_jstr(v, "expected_plaintext_hex"));
  free(h);
  zk_free_secret(pt, pt_len);
  vec_ok++;
  zk_key *other = gen();
  zkt_assert_status(cred_open(bundle, strlen(bundle), other, &pt, &pt_len), ZK_ERR_HPKE_OPEN);
  zkt_assert_status(cred_open("", 0, tk, &pt, &pt_len), ZK_ERR_BASE58);
  zkt_assert_status(cred_open("111", 3, tk, &pt, &pt_len), ZK_ERR_TRUNCATED);
  mutate_credential("bundle-credential", bundle, tk);
  zk_key_free(tk);

  /* auth bundle addressed to a DeriveKeyPair key */
  v = json_object_get(root, "auth_bundle_with_derived_target_key");
  size_t ikm_len;
  uint8_t *ikm = zkt_hex(zkt_jstr(v, "client_ikm_hex"), &ikm_len);
  vec_run++;
  zkt_assert_ok(zk_hpke_derive_keypair(&tk, ikm, ikm_len));
  free(ikm);
  uint8_t buf[65];
  size_t n = sizeof buf;
  zkt_assert_ok(zk_key_export_private(tk, buf, &n));
  h = zkt_tohex(buf, n);
  assert_string_equal(h, zkt_jstr(v, "expected_private_key_hex"));
  free(h);
  zk_wipe(buf, sizeof buf);
  n = sizeof buf;
  zkt_assert_ok(zk_key_export_public(tk, ZK_PUB_UNCOMPRESSED, buf, &n));
  h = zkt_tohex(buf, n);
  assert_string_equal(h, zkt_jstr(v, "expected_public_key_hex"));
  free(h);
  bundle = zkt_jstr(v, "bundle");
  zkt_assert_ok(cred_open(bundle, strlen(bundle), tk, &pt, &pt_len));
  h = zkt_tohex(pt, pt_len);
  assert_string_equal(h, zkt_jstr(v, "expected_plaintext_hex"));
  free(h);
  zk_free_secret(pt, pt_len);
  vec_ok++;
  zkt_assert_status(cred_open(bundle, strlen(bundle), other, &pt, &pt_len), ZK_ERR_HPKE_OPEN);
  mutate_credential("bundle-auth-derived", bundle, tk);
  zk_key_free(tk);
  zk_key_free(other);
  json_decref(root);
}

static void test_v0_base58_constants(void **state) {
  (void)state;
  json_t *root;
  ZKT_VECTOR_JSON(VEC, &root);
  json_t *v = json_object_get(root, "enclave_signature_over_target_key_v0");
  zk_key *pin = key_pub_hex(zkt_jstr(v, "signer_public"));
  size_t pub_len, sig_len, neg_len;
  uint8_t *pub = zkt_hex(zkt_jstr(v, "signed_bytes_hex"), &pub_len);
  uint8_t *sig = zkt_hex(zkt_jstr(v, "signature_der"), &sig_len);
  uint8_t *neg = zkt_hex(zkt_jstr(json_object_get(v, "negative"), "signed_bytes_hex"), &neg_len);
  vec_run += 2;
  assert_string_equal(zkt_jstr(v, "expect"), "valid");
  zkt_assert_ok(zk_bundle_v0_verify(pin, pub, pub_len, sig, sig_len));
  assert_string_equal(zkt_jstr(json_object_get(v, "negative"), "expect"), "invalid");
  zkt_assert_status(zk_bundle_v0_verify(pin, neg, neg_len, sig, sig_len), ZK_ERR_BUNDLE_SIGNATURE);
  vec_ok += 2;
  zkt_assert_status(zk_bundle_v0_verify(pin, pub, 33, sig, sig_len), ZK_ERR_BUNDLE_TARGET);
  {
    /* single-byte flips and truncations of the signed key and of the signature */
    unsigned long tried = 0, rejected = 0;
    for (size_t i = 0; i < pub_len; i++) {
      pub[i] ^= 0x01;
      tried++;
      zk_status st = zk_bundle_v0_verify(pin, pub, pub_len, sig, sig_len);
      if (st == ZK_ERR_BUNDLE_SIGNATURE || st == ZK_ERR_BUNDLE_TARGET) rejected++;
      pub[i] ^= 0x01;
    }
    for (size_t i = 0; i < sig_len; i++) {
      sig[i] ^= 0x01;
      tried++;
      if (zk_bundle_v0_verify(pin, pub, pub_len, sig, sig_len) == ZK_ERR_BUNDLE_SIGNATURE)
        rejected++;
      sig[i] ^= 0x01;
    }
    for (size_t l = 0; l < sig_len; l++) {
      tried++;
      if (zk_bundle_v0_verify(pin, pub, pub_len, sig, l) == ZK_ERR_BUNDLE_SIGNATURE) rejected++;
    }
    for (size_t l = 0; l < pub_len; l++) {
      tried++;
      if (zk_bundle_v0_verify(pin, pub, l, sig, sig_len) == ZK_ERR_BUNDLE_TARGET) rejected++;
    }
    zkt_report_mutations("bundle-v0-signature", tried, rejected);
    assert_int_equal(tried, rejected);
    zkt_assert_ok(zk_bundle_v0_verify(pin, pub, pub_len, sig, sig_len));
  }
  zkt_assert_status(zk_bundle_v0_verify(pin, pub, pub_len, sig, sig_len - 1),
                    ZK_ERR_BUNDLE_SIGNATURE);
  free(pub);
  free(sig);
  free(neg);
  zk_key_free(pin);

  v = json_object_get(root, "base58check_recovery_code");
  const char *enc = zkt_jstr(v, "encoded");
  uint8_t *raw = NULL;
  size_t raw_len = 0;
  vec_run++;
  zkt_assert_ok(zki_base58check_decode(&raw, &raw_len, enc, strlen(enc)));
  char *h = zkt_tohex(raw, raw_len);
  assert_string_equal(h, zkt_jstr(v, "decoded_hex"));
  free(h);
  char *s = NULL;
  size_t s_len = 0;
  zkt_assert_ok(zki_base58check_encode(&s, &s_len, raw, raw_len));
  assert_string_equal(s, enc);
  vec_ok++;
  zk_free(s);
  zk_free_secret(raw, raw_len);
  {
    /* every character changed (to the next alphabet letter) and every truncation */
    static const char ALPHA[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    size_t el = strlen(enc);
    char *m = strdup(enc);
    unsigned long tried = 0, rejected = 0;
    for (size_t i = 0; i < el; i++) {
      char c = m[i];
      m[i] = ALPHA[((size_t)(strchr(ALPHA, c) - ALPHA) + 1) % 58];
      tried++;
      zk_status st = zki_base58check_decode(&raw, &raw_len, m, el);
      if (st == ZK_ERR_CHECKSUM)
        rejected++;
      else
        zk_free_secret(raw, raw_len);
      m[i] = c;
    }
    for (size_t l = 0; l < el; l++) {
      tried++;
      zk_status st = zki_base58check_decode(&raw, &raw_len, enc, l);
      if (st == ZK_ERR_CHECKSUM || st == ZK_ERR_TRUNCATED || st == ZK_ERR_BASE58)
        rejected++;
      else
        zk_free_secret(raw, raw_len);
    }
    free(m);
    zkt_report_mutations("base58check-recovery-code", tried, rejected);
    assert_int_equal(tried, rejected);
  }
  /* base58 edge cases: leading zeros, empty payload */
  const uint8_t z[3] = {0, 0, 1};
  zkt_assert_ok(zki_base58_encode(&s, &s_len, z, 3));
  assert_string_equal(s, "112");
  zk_free(s);
  zkt_assert_ok(zki_base58_decode(&raw, &raw_len, "112", 3));
  assert_int_equal(raw_len, 3);
  assert_memory_equal(raw, z, 3);
  zk_free(raw);
  zkt_assert_status(zki_base58_decode(&raw, &raw_len, "1O", 2), ZK_ERR_BASE58);
  zkt_assert_status(zki_base58_decode(&raw, &raw_len, "1 ", 2), ZK_ERR_BASE58);

  v = json_object_get(root, "hpke_constants");
  zk_hpke_params p;
  memset(&p, 0, sizeof p);
  p.aead = ZK_HPKE_AEAD_AES_256_GCM;
  p.info = (const uint8_t *)ZK_BUNDLE_HPKE_INFO;
  p.info_len = strlen(ZK_BUNDLE_HPKE_INFO);
  uint8_t ksc[65];
  vec_run++;
  zkt_assert_ok(zki_hpke_key_schedule_context(ksc, &p));
  h = zkt_tohex(ksc, sizeof ksc);
  assert_string_equal(h, zkt_jstr(v, "key_schedule_context_for_info_turnkey_hpke"));
  free(h);
  vec_ok++;
  json_decref(root);
}

/* Signed envelope around printf-formatted data. */
static char *signed_data(const zk_key *signer, const char *data) {
  char *out = NULL;
  size_t n = 0;
  zkt_assert_ok(zki_bundle_sign_envelope(&out, &n, signer, (const uint8_t *)data, strlen(data)));
  return out;
}

static void test_enclave_export(void **state) {
  (void)state;
  zk_key *signer = gen(), *client = gen(), *other = gen(), *pin = NULL, *cpub = NULL;
  zkt_assert_ok(zk_key_public_copy(&pin, signer));
  zkt_assert_ok(zk_key_public_copy(&cpub, client));
  const char *org = "org-1234";
  const char *mn = "leaf lady until indicate praise final route toast cake minimum insect unknown";
  char *b = NULL;
  size_t blen = 0;
  uint8_t *pt = NULL;
  size_t pt_len = 0;
  zkt_assert_ok(
      zk_bundle_export_create(&b, &blen, signer, cpub, org, (const uint8_t *)mn, strlen(mn)));
  assert_int_equal(blen, strlen(b));
  zkt_assert_ok(exp_open(b, blen, pin, org, client, &pt, &pt_len));
  assert_int_equal(pt_len, strlen(mn));
  assert_memory_equal(pt, mn, pt_len);
  zk_free_secret(pt, pt_len);
  zkt_assert_status(exp_open(b, blen, pin, org, other, &pt, &pt_len), ZK_ERR_HPKE_OPEN);
  zkt_assert_status(exp_open(b, blen, pin, "org-123", client, &pt, &pt_len),
                    ZK_ERR_BUNDLE_ORGANIZATION);
  zk_free(b);
  /* producer argument checks */
  zkt_assert_status(zk_bundle_export_create(&b, &blen, pin, cpub, org, NULL, 0),
                    ZK_ERR_NO_PRIVATE_KEY);
  assert_null(b);
  zkt_assert_status(zk_bundle_export_create(&b, &blen, signer, cpub, "", NULL, 0), ZK_ERR_VALUE);
  zkt_assert_status(zk_bundle_export_create(&b, &blen, signer, cpub, "a\nb", NULL, 0),
                    ZK_ERR_VALUE);

  /* correctly signed bundles with bad contents */
  uint8_t enc[65], *ct = NULL;
  size_t ct_len = 0;
  zkt_assert_ok(zki_bundle_hpke_seal(enc, &ct, &ct_len, cpub, NULL, (const uint8_t *)"k", 1));
  char *ench = zkt_tohex(enc, 65), *cth = zkt_tohex(ct, ct_len);
  char data[1024];
  struct {
    const char *what;
    zk_status want;
  } cases[] = {
      {"ok", ZK_OK},
      {"ct-flip", ZK_ERR_HPKE_OPEN},
      {"ct-trunc", ZK_ERR_TRUNCATED},
      {"ct-empty", ZK_ERR_TRUNCATED},
      {"enc-flip", ZK_ERR_HPKE_ENC},
      {"enc-short", ZK_ERR_HPKE_ENC},
      {"enc-long", ZK_ERR_HPKE_ENC},
      {"enc-compressed-prefix", ZK_ERR_HPKE_ENC},
      {"extra-member", ZK_ERR_BUNDLE_FORMAT},
      {"missing-org", ZK_ERR_BUNDLE_FORMAT},
      {"non-string", ZK_ERR_BUNDLE_FORMAT},
      {"dup", ZK_ERR_BUNDLE_FORMAT},
      {"not-json", ZK_ERR_BUNDLE_FORMAT},
      {"trailing", ZK_ERR_BUNDLE_FORMAT},
      {"truncated-json", ZK_ERR_TRUNCATED},
      {"odd-hex", ZK_ERR_BUNDLE_FORMAT},
      {"other-enc", ZK_ERR_HPKE_OPEN},
  };
  uint8_t enc2[65], *ct2 = NULL;
  size_t ct2_len = 0;
  zkt_assert_ok(zki_bundle_hpke_seal(enc2, &ct2, &ct2_len, cpub, NULL, (const uint8_t *)"k", 1));
  char *enc2h = zkt_tohex(enc2, 65);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *w = cases[i].what;
    char e[200], c[200];
    snprintf(e, sizeof e, "%s", ench);
    snprintf(c, sizeof c, "%s", cth);
    if (!strcmp(w, "ct-flip")) c[3] = c[3] == '0' ? '1' : '0';
    if (!strcmp(w, "ct-trunc")) c[30] = 0;
    if (!strcmp(w, "ct-empty")) c[0] = 0;
    if (!strcmp(w, "enc-flip")) e[129] = e[129] == '0' ? '1' : '0';
    if (!strcmp(w, "enc-short")) e[128] = 0;
    if (!strcmp(w, "enc-long")) strcat(e, "00");
    if (!strcmp(w, "enc-compressed-prefix")) e[1] = '2';
    if (!strcmp(w, "other-enc")) snprintf(e, sizeof e, "%s", enc2h);
    const char *fmt = "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\",\"organizationId\":\"%s\"}";
    if (!strcmp(w, "extra-member"))
      fmt =
          "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\",\"organizationId\":\"%s\",\"x\":\"\"}";
    if (!strcmp(w, "missing-org")) fmt = "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\"}%s";
    if (!strcmp(w, "non-string"))
      fmt = "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\",\"organizationId\":[\"%s\"]}";
    if (!strcmp(w, "dup"))
      fmt =
          "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\",\"organizationId\":\"%s\","
          "\"ciphertext\":\"00\"}";
    if (!strcmp(w, "not-json")) fmt = "%s%s%s";
    if (!strcmp(w, "trailing"))
      fmt = "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\",\"organizationId\":\"%s\"}x";
    if (!strcmp(w, "truncated-json"))
      fmt = "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\",\"organizationId\":\"%s\"";
    if (!strcmp(w, "odd-hex")) strcat(c, "0");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(data, sizeof data, fmt, e, c, !strcmp(w, "missing-org") ? "" : org);
#pragma GCC diagnostic pop
    b = signed_data(signer, data);
    zk_status st = exp_open(b, strlen(b), pin, org, client, &pt, &pt_len);
    if (st != cases[i].want)
      fail_msg("%s: got %s want %s", w, zk_status_name(st), zk_status_name(cases[i].want));
    if (st == ZK_OK) zk_free_secret(pt, pt_len);
    zk_free(b);
  }
  free(ench);
  free(cth);
  free(enc2h);
  zk_free(ct);
  zk_free(ct2);
  zk_key_free(signer);
  zk_key_free(client);
  zk_key_free(other);
  zk_key_free(pin);
  zk_key_free(cpub);
}

static void test_import_otp(void **state) {
  (void)state;
  zk_key *signer = gen(), *tk = gen(), *other = gen(), *pin = NULL, *tpub = NULL;
  zkt_assert_ok(zk_key_public_copy(&pin, signer));
  zkt_assert_ok(zk_key_public_copy(&tpub, tk));
  const char *org = "org-1", *user = "user-1";
  uint8_t secret[32];
  memset(secret, 0x5a, sizeof secret);
  char *target = NULL, *eb = NULL;
  size_t tlen = 0, eblen = 0;
  uint8_t *pt = NULL;
  size_t pt_len = 0;
  zkt_assert_ok(zk_bundle_target_create(&target, &tlen, signer, tpub, org, user));
  zkt_assert_ok(
      zk_bundle_import_seal(&eb, &eblen, target, tlen, pin, org, user, secret, sizeof secret));
  zkt_assert_ok(enc_open(eb, eblen, tk, &pt, &pt_len));
  assert_int_equal(pt_len, sizeof secret);
  assert_memory_equal(pt, secret, sizeof secret);
  zk_free_secret(pt, pt_len);
  zkt_assert_status(enc_open(eb, eblen, other, &pt, &pt_len), ZK_ERR_HPKE_OPEN);
  zkt_assert_status(enc_open(eb, eblen - 1, tk, &pt, &pt_len), ZK_ERR_TRUNCATED);

  /* single-byte flips and truncations of the encrypted bundle */
  unsigned long tried = 0, rejected = 0;
  char *m = malloc(eblen);
  for (size_t i = 0; i < eblen; i += zkt_stride(eblen)) {
    memcpy(m, eb, eblen);
    m[i] ^= 0x01;
    tried++;
    if (enc_open(m, eblen, tk, &pt, &pt_len) != ZK_OK) rejected++;
  }
  for (size_t l = 0; l < eblen; l += zkt_stride(eblen)) {
    tried++;
    if (enc_open(eb, l, tk, &pt, &pt_len) != ZK_OK) rejected++;
  }
  free(m);
  zkt_report_mutations("bundle-encrypted", tried, rejected);
  assert_int_equal(tried, rejected);

  /* tampered AAD: sealed with AAD = enc || other key */
  {
    zk_hpke_params p;
    memset(&p, 0, sizeof p);
    p.aead = ZK_HPKE_AEAD_AES_256_GCM;
    p.info = (const uint8_t *)ZK_BUNDLE_HPKE_INFO;
    p.info_len = strlen(ZK_BUNDLE_HPKE_INFO);
    zk_hpke_ctx *ctx = NULL;
    uint8_t aad[130], ct[48];
    size_t ct_len = sizeof ct, n = 65;
    zkt_assert_ok(zk_hpke_setup_sender(&ctx, aad, 65, &p, tpub));
    zkt_assert_ok(zk_key_export_public(other, ZK_PUB_UNCOMPRESSED, aad + 65, &n));
    zkt_assert_ok(zk_hpke_seal(ctx, ct, &ct_len, aad, sizeof aad, secret, sizeof secret));
    zk_hpke_ctx_free(ctx);
    char *eh = zkt_tohex(aad, 65), *ch = zkt_tohex(ct, ct_len), js[512];
    snprintf(js, sizeof js, "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\"}", eh, ch);
    zkt_assert_status(enc_open(js, strlen(js), tk, &pt, &pt_len), ZK_ERR_HPKE_OPEN);
    /* and with the right AAD it opens (the test above can fail) */
    zkt_assert_ok(zk_key_export_public(tpub, ZK_PUB_UNCOMPRESSED, aad + 65, &n));
    ctx = NULL;
    ct_len = sizeof ct;
    zkt_assert_ok(zk_hpke_setup_sender(&ctx, aad, 65, &p, tpub));
    zkt_assert_ok(zk_hpke_seal(ctx, ct, &ct_len, aad, sizeof aad, secret, sizeof secret));
    zk_hpke_ctx_free(ctx);
    free(eh);
    free(ch);
    eh = zkt_tohex(aad, 65);
    ch = zkt_tohex(ct, ct_len);
    snprintf(js, sizeof js, "{\"encappedPublic\":\"%s\",\"ciphertext\":\"%s\"}", eh, ch);
    zkt_assert_ok(enc_open(js, strlen(js), tk, &pt, &pt_len));
    zk_free_secret(pt, pt_len);
    free(eh);
    free(ch);
  }
  zk_free(eb);

  /* target verification failures */
  zkt_assert_status(zk_bundle_import_seal(&eb, &eblen, target, tlen, pin, org, "user-2", secret, 1),
                    ZK_ERR_BUNDLE_ORGANIZATION);
  assert_null(eb);
  zkt_assert_status(zk_bundle_import_seal(&eb, &eblen, target, tlen, pin, org, NULL, secret, 1),
                    ZK_ERR_BUNDLE_ORGANIZATION);
  zkt_assert_status(zk_bundle_import_seal(&eb, &eblen, target, tlen, pin, "org-2", user, secret, 1),
                    ZK_ERR_BUNDLE_ORGANIZATION);
  zkt_assert_status(zk_bundle_import_seal(&eb, &eblen, target, tlen, other, org, user, secret, 1),
                    ZK_ERR_BUNDLE_SIGNER);
  zkt_assert_status(zk_bundle_import_seal(&eb, &eblen, target, tlen / 2, pin, org, user, secret, 1),
                    ZK_ERR_TRUNCATED);
  char *bad = signed_data(signer,
                          "{\"targetPublic\":\"0400\",\"organizationId\":\"org-1\","
                          "\"userId\":\"user-1\"}");
  zkt_assert_status(zk_bundle_import_seal(&eb, &eblen, bad, strlen(bad), pin, org, user, secret, 1),
                    ZK_ERR_BUNDLE_TARGET);
  zk_free(bad);
  unsigned long ttried = 0, trej = 0;
  m = malloc(tlen);
  for (size_t i = 0; i < tlen; i += zkt_stride(tlen)) {
    memcpy(m, target, tlen);
    m[i] ^= 0x01;
    ttried++;
    zk_status st = zk_bundle_import_seal(&eb, &eblen, m, tlen, pin, org, user, secret, 1);
    if (st != ZK_OK) {
      assert_null(eb);
      trej++;
    } else {
      zk_free(eb);
    }
  }
  free(m);
  for (size_t l = 0; l < tlen; l++) {
    if (!zkt_sweep_visits(l, tlen)) continue;
    ttried++;
    zk_status st = zk_bundle_import_seal(&eb, &eblen, target, l, pin, org, user, secret, 1);
    if (st != ZK_OK) {
      assert_null(eb);
      trej++;
    } else {
      zk_free(eb);
    }
  }
  zkt_report_mutations("bundle-import-target (flips, truncations)", ttried, trej);
  assert_int_equal(ttried, trej);
  zk_free(target);

  /* OTP: target without userId, plaintext JSON */
  zkt_assert_ok(zk_bundle_target_create(&target, &tlen, signer, tpub, org, NULL));
  zk_key *client = gen();
  zkt_assert_ok(zk_bundle_otp_seal(&eb, &eblen, target, tlen, pin, org, "123456", client));
  zkt_assert_ok(enc_open(eb, eblen, tk, &pt, &pt_len));
  uint8_t comp[33];
  size_t cl = sizeof comp;
  zkt_assert_ok(zk_key_export_public(client, ZK_PUB_COMPRESSED, comp, &cl));
  char *ch = zkt_tohex(comp, cl), want[200];
  snprintf(want, sizeof want, "{\"otp_code\":\"123456\",\"public_key\":\"%s\"}", ch);
  free(ch);
  assert_int_equal(pt_len, strlen(want));
  assert_memory_equal(pt, want, pt_len);
  zk_free_secret(pt, pt_len);
  zk_free(eb);
  zkt_assert_status(zk_bundle_otp_seal(&eb, &eblen, target, tlen, pin, org, "", client),
                    ZK_ERR_VALUE);
  zkt_assert_status(zk_bundle_import_seal(&eb, &eblen, target, tlen, pin, org, user, secret, 1),
                    ZK_ERR_BUNDLE_ORGANIZATION);
  zk_free(target);

  /* direct encryption to an enclave key, JSON and base58check forms */
  zkt_assert_ok(zk_bundle_seal_to_key(&eb, &eblen, tpub, secret, sizeof secret));
  zkt_assert_ok(enc_open(eb, eblen, tk, &pt, &pt_len));
  zk_free_secret(pt, pt_len);
  zk_free(eb);
  zkt_assert_ok(zk_bundle_credential_seal(&eb, &eblen, tpub, secret, sizeof secret));
  zkt_assert_ok(cred_open(eb, eblen, tk, &pt, &pt_len));
  assert_memory_equal(pt, secret, sizeof secret);
  zk_free_secret(pt, pt_len);
  zkt_assert_status(cred_open(eb, eblen, other, &pt, &pt_len), ZK_ERR_HPKE_OPEN);
  zk_free(eb);
  uint8_t big[ZK_BUNDLE_MAX_PLAINTEXT + 1];
  memset(big, 0, sizeof big);
  zkt_assert_status(zk_bundle_seal_to_key(&eb, &eblen, tpub, big, sizeof big), ZK_ERR_TOO_LARGE);

  zk_key_free(client);
  zk_key_free(signer);
  zk_key_free(tk);
  zk_key_free(other);
  zk_key_free(pin);
  zk_key_free(tpub);
}

static void test_oauth_secret(void **state) {
  (void)state;
  zk_qos_keyset *ks = NULL, *other = NULL;
  zkt_assert_ok(zk_qos_keyset_generate(&ks));
  zkt_assert_ok(zk_qos_keyset_generate(&other));
  const char *secret = "oauth-client-secret-0123456789";
  char *h = NULL;
  size_t hlen = 0;
  uint8_t *pt = NULL;
  size_t pt_len = 0;
  zkt_assert_ok(zk_bundle_oauth_secret_seal(&h, &hlen, zk_qos_keyset_public(ks), ZK_QOS_PUBLIC_LEN,
                                            (const uint8_t *)secret, strlen(secret)));
  assert_int_equal(hlen, 2 * (strlen(secret) + ZK_QOS_ENVELOPE_OVERHEAD));
  zkt_assert_ok(zk_bundle_oauth_secret_open(&pt, &pt_len, ks, h, hlen));
  assert_int_equal(pt_len, strlen(secret));
  assert_memory_equal(pt, secret, pt_len);
  zk_free_secret(pt, pt_len);
  zkt_assert_status(zk_bundle_oauth_secret_open(&pt, &pt_len, other, h, hlen), ZK_ERR_DECRYPT);
  assert_null(pt);
  zkt_assert_status(zk_bundle_oauth_secret_open(&pt, &pt_len, ks, h, hlen - 1),
                    ZK_ERR_BUNDLE_FORMAT);
  unsigned long tried = 0, rejected = 0;
  char *m = malloc(hlen);
  for (size_t i = 0; i < hlen; i += zkt_stride(hlen)) {
    memcpy(m, h, hlen);
    m[i] = m[i] == '0' ? '1' : '0';
    tried++;
    if (zk_bundle_oauth_secret_open(&pt, &pt_len, ks, m, hlen) != ZK_OK) rejected++;
    assert_null(pt);
  }
  for (size_t l = 0; l < hlen; l++) { /* odd lengths are refused as hex, even ones as envelopes */
    tried++;
    if (zk_bundle_oauth_secret_open(&pt, &pt_len, ks, h, l) != ZK_OK) rejected++;
    assert_null(pt);
  }
  free(m);
  zkt_report_mutations("bundle-oauth-secret", tried, rejected);
  assert_int_equal(tried, rejected);
  zk_free(h);

  /* to the pinned production TLS fetcher key (encrypt half || sign half) */
  json_t *keys;
  ZKT_VECTOR_JSON(KEYS, &keys);
  char full[261];
  snprintf(full, sizeof full, "%s%s", zkt_jstr(keys, "production_tls_fetcher_encrypt_public"),
           zkt_jstr(keys, "production_tls_fetcher_sign_public"));
  size_t n;
  uint8_t *pub = zkt_hex(full, &n);
  zkt_assert_ok(
      zk_bundle_oauth_secret_seal(&h, &hlen, pub, n, (const uint8_t *)secret, strlen(secret)));
  /* the envelope carries a fresh 65-byte ephemeral key after the 12-byte nonce */
  assert_int_equal(hlen, 2 * (strlen(secret) + ZK_QOS_ENVELOPE_OVERHEAD));
  assert_true(h[24] == '0' && h[25] == '4');
  zk_free(h);
  zkt_assert_status(
      zk_bundle_oauth_secret_seal(&h, &hlen, pub, 65, (const uint8_t *)secret, strlen(secret)),
      ZK_ERR_QOS_KEY);
  assert_null(h);
  free(pub);
  json_decref(keys);
  zk_qos_keyset_free(ks);
  zk_qos_keyset_free(other);
}

static void test_report(void **state) {
  (void)state;
  zkt_report("turnkey-secure-channel-bundles", vec_run, vec_ok);
  assert_int_equal(vec_run, vec_ok);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_export_vector),
      cmocka_unit_test(test_credential_vectors),
      cmocka_unit_test(test_v0_base58_constants),
      cmocka_unit_test(test_enclave_export),
      cmocka_unit_test(test_import_otp),
      cmocka_unit_test(test_oauth_secret),
      cmocka_unit_test(test_report),
  };
  return zkt_run_(__FILE__, tests, sizeof tests / sizeof tests[0]);
}
