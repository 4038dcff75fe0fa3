#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/ecdh.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include "zkt.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double zkb_rate(const char *label, zkb_fn fn, void *ctx, double min_seconds) {
  const char *env = getenv("ZK_BENCH_SECONDS");
  if (env != NULL) min_seconds = atof(env);
  if (min_seconds <= 0) min_seconds = 0.05;
  unsigned long n = 0;
  double start = now_s(), el;
  do {
    for (int i = 0; i < 8; i++, n++) {
      if (fn(ctx) != 0) {
        fprintf(stderr, "benchmark %s: operation failed\n", label);
        exit(1);
      }
    }
    el = now_s() - start;
  } while (el < min_seconds || n < 3);
  double rate = (double)n / el;
  printf("%-48s %12.1f ops/s  (%lu ops in %.2f s)\n", label, rate, n, el);
  fflush(stdout);
  return rate;
}

void zkb_report_ratio(const char *label, double ops, const char *ref_label, double ref_ops) {
  printf("RATIO %-42s %.3f x %s\n", label, ref_ops > 0 ? ops / ref_ops : 0.0, ref_label);
  fflush(stdout);
}

void zkb_die(const char *what) {
  fprintf(stderr, "bench setup failed: %s\n", what);
  exit(1);
}

EVP_PKEY *zkb_evp_public(const zk_key *k) {
  uint8_t der[ZK_MAX_PUBKEY_LEN];
  size_t der_len = sizeof der;
  if (zk_key_export_public(k, ZK_PUB_SPKI_DER, der, &der_len) != ZK_OK) zkb_die("export spki");
  const unsigned char *p = der;
  EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, (long)der_len);
  if (pk == NULL) zkb_die("d2i_PUBKEY");
  return pk;
}

int zkb_raw_verify_op(void *raw_verify) {
  const zkb_raw_verify *r = raw_verify;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m != NULL && EVP_DigestVerifyInit(m, NULL, r->md, NULL, r->pkey) == 1 &&
           EVP_DigestVerify(m, r->sig, r->sig_len, r->msg, r->msg_len) == 1;
  EVP_MD_CTX_free(m);
  return !ok;
}

/* Sig_structure and DER signature of a COSE_Sign1 message, for the raw reference. */
static void cose_raw_inputs(uint8_t **tbs, size_t *tbs_len, uint8_t der[ZK_MAX_SIG_LEN],
                            size_t *der_len, zk_curve curve, const uint8_t *msg, size_t msg_len) {
  zk_cose_sign1 *m = NULL;
  size_t pl, hl, sl;
  if (zk_cose_sign1_parse(&m, msg, msg_len, NULL) != ZK_OK) zkb_die("cose parse");
  const uint8_t *prot = zk_cose_sign1_protected(m, &hl);
  const uint8_t *pay = zk_cose_sign1_payload(m, &pl);
  const uint8_t *sig = zk_cose_sign1_signature(m, &sl);
  if (zk_cose_sig_structure(tbs, tbs_len, prot, hl, NULL, 0, pay, pl) != ZK_OK)
    zkb_die("sig_structure");
  *der_len = ZK_MAX_SIG_LEN;
  if (zk_sig_raw_to_der(der, der_len, curve, sig, sl) != ZK_OK) zkb_die("raw_to_der");
  zk_cose_sign1_free(m);
}

/* ---- COSE_Sign1 ---- */

void zkb_cose_setup(zkb_cose *c, zk_curve curve, size_t payload_len) {
  memset(c, 0, sizeof *c);
  uint8_t *payload = malloc(payload_len);
  if (payload == NULL) zkb_die("malloc");
  for (size_t i = 0; i < payload_len; i++) payload[i] = (uint8_t)(i * 31 + 7);
  if (zk_key_generate(&c->key, curve) != ZK_OK) zkb_die("keygen");
  if (zk_cose_sign1_create(&c->msg, &c->msg_len, c->key, NULL, 0, payload, payload_len, NULL, 0,
                           0) != ZK_OK)
    zkb_die("cose create");
  free(payload);
  cose_raw_inputs(&c->tbs, &c->raw.msg_len, c->der, &c->raw.sig_len, curve, c->msg, c->msg_len);
  c->raw.msg = c->tbs;
  c->raw.sig = c->der;
  c->raw.md = curve == ZK_CURVE_P384 ? EVP_sha384() : EVP_sha256();
  c->raw.pkey = zkb_evp_public(c->key);
}

int zkb_cose_verify_op(void *cose) {
  const zkb_cose *c = cose;
  zk_cose_sign1 *m = NULL;
  if (zk_cose_sign1_parse(&m, c->msg, c->msg_len, NULL) != ZK_OK) return 1;
  zk_status st = zk_cose_sign1_verify(m, c->key, NULL, 0);
  zk_cose_sign1_free(m);
  return st != ZK_OK;
}

void zkb_cose_free(zkb_cose *c) {
  zk_key_free(c->key);
  zk_free(c->msg);
  zk_free(c->tbs);
  EVP_PKEY_free(c->raw.pkey);
}

/* ---- X-Stamp ---- */

static const zk_stamp_verify_opts stamp_opts = {.now_ms = 1700000000500ull};

void zkb_stamp_setup(zkb_stamp *c) {
  memset(c, 0, sizeof *c);
  /* 1 KiB JSON activity body with a timestamp. */
  const char *head =
      "{\"organizationId\":\"org-1\",\"timestampMs\":\"1700000000000\","
      "\"type\":\"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2\",\"parameters\":{\"payload\":\"";
  size_t hl = strlen(head);
  memcpy(c->body, head, hl);
  memset(c->body + hl, 'a', sizeof c->body - hl - 3);
  memcpy(c->body + sizeof c->body - 3, "\"}}", 3);
  uint8_t sk[32];
  memset(sk, 0x11, sizeof sk);
  zk_key *priv = NULL;
  if (zk_key_from_private(&priv, ZK_CURVE_P256, sk, sizeof sk) != ZK_OK ||
      zk_stamp_create(&c->stamp, &c->stamp_len, priv, ZK_STAMP_P256, c->body, sizeof c->body) !=
          ZK_OK ||
      zk_stamp_parse(&c->parsed, c->stamp, c->stamp_len) != ZK_OK)
    zkb_die("stamp");
  /* The relying party pins the registered public key (a public-only object). */
  if (zk_key_public_copy(&c->key, priv) != ZK_OK) zkb_die("public copy");
  zk_key_free(priv);
  c->raw.sig = zk_stamp_signature(c->parsed, &c->raw.sig_len);
  c->raw.msg = c->body;
  c->raw.msg_len = sizeof c->body;
  c->raw.md = EVP_sha256();
  c->raw.pkey = zkb_evp_public(c->key);
}

int zkb_stamp_run(const zkb_stamp *c, const zk_key *key, unsigned flags) {
  zk_stamp *st = NULL;
  zk_stamp_verify_opts o = stamp_opts;
  o.key = key;
  o.flags = flags;
  zk_status s = zk_stamp_parse(&st, c->stamp, c->stamp_len);
  if (s == ZK_OK) s = zk_stamp_verify(st, c->body, sizeof c->body, &o);
  zk_stamp_free(st);
  return s != ZK_OK;
}

void zkb_stamp_free(zkb_stamp *c) {
  EVP_PKEY_free(c->raw.pkey);
  zk_stamp_free(c->parsed);
  zk_free(c->stamp);
  zk_key_free(c->key);
}

/* ---- notarization chain ---- */

void zkb_chain_build(zkb_chain *c, size_t n) {
  memset(c, 0, sizeof *c);
  c->n = n;
  uint8_t sk[32];
  memset(sk, 0x33, sizeof sk);
  if (zk_key_from_private(&c->notarizer, ZK_CURVE_ED25519, sk, sizeof sk) != ZK_OK)
    zkb_die("notarizer");
  c->rec = calloc(n, sizeof *c->rec);
  c->len = calloc(n, sizeof *c->len);
  if (c->rec == NULL || c->len == NULL) zkb_die("calloc");
  zk_notarization_info in = {.log_id = "org-1", .time_ms = 1700000000000ull};
  zk_notarization *prev = NULL;
  for (size_t i = 0; i < n; i++) {
    zk_notarization *r = NULL;
    uint8_t st[32];
    memset(st, (int)(i & 0xff), sizeof st);
    zk_status s = i == 0 ? zk_notarization_create(&r, c->notarizer, &in)
                         : zk_notarization_next(&r, c->notarizer, prev, st, in.time_ms + 10 * i);
    if (s != ZK_OK || zk_notarization_serialize(r, &c->rec[i], &c->len[i]) != ZK_OK)
      zkb_die("notarization record");
    c->total += c->len[i];
    zk_notarization_free(prev);
    prev = r;
  }
  zk_notarization_free(prev);
}

int zkb_chain_verify_op(void *chain) {
  const zkb_chain *c = chain;
  zk_chain_opts o = {
      .notarizer = c->notarizer, .now_ms = 1700000000000ull + c->n * 10, .max_age_ms = 60000};
  zk_chain_result r;
  return zk_notarization_chain_verify(&r, (const uint8_t *const *)c->rec, c->len, c->n, &o) !=
         ZK_OK;
}

int zkb_chain_sha256_op(void *chain) {
  const zkb_chain *c = chain;
  uint8_t d[32];
  unsigned dl;
  for (size_t i = 0; i < c->n; i++)
    if (EVP_Digest(c->rec[i], c->len[i], d, &dl, EVP_sha256(), NULL) != 1) return 1;
  return 0;
}

void zkb_chain_free(zkb_chain *c) {
  for (size_t i = 0; i < c->n; i++) zk_free(c->rec[i]);
  free(c->rec);
  free(c->len);
  zk_key_free(c->notarizer);
}

/* ---- Nitro attestation ---- */

int zkb_att_setup(zkb_att *a) {
  memset(a, 0, sizeof *a);
  if (zkt_vector_file_(ZKB_ATT_DOC, &a->doc, &a->len) != 0) return -1;
  if (zk_att_verifier_new(&a->warm, 0) != ZK_OK || zk_att_policy_new(&a->policy) != ZK_OK)
    zkb_die("verifier");
  /* The first verification fills the warm verifier's cache and yields the leaf key. */
  zk_att_doc *d = NULL;
  if (zk_att_verify(a->warm, &d, a->doc, a->len, ZKB_ATT_AT, a->policy, NULL) != ZK_OK)
    zkb_die("attestation verify");
  size_t cl;
  const unsigned char *cp = zk_att_doc_certificate(d, &cl);
  X509 *leaf = d2i_X509(NULL, &cp, (long)cl);
  if (leaf == NULL) zkb_die("leaf certificate");
  a->raw.pkey = X509_get_pubkey(leaf);
  X509_free(leaf);
  zk_att_doc_free(d);
  if (a->raw.pkey == NULL) zkb_die("leaf key");
  cose_raw_inputs(&a->tbs, &a->raw.msg_len, a->der, &a->raw.sig_len, ZK_CURVE_P384, a->doc, a->len);
  a->raw.msg = a->tbs;
  a->raw.sig = a->der;
  a->raw.md = EVP_sha384();
  return 0;
}

int zkb_att_cold_op(void *att) {
  const zkb_att *a = att;
  zk_att_verifier *v = NULL;
  zk_att_doc *d = NULL;
  if (zk_att_verifier_new(&v, 0) != ZK_OK) return 1;
  zk_status st = zk_att_verify(v, &d, a->doc, a->len, ZKB_ATT_AT, a->policy, NULL);
  zk_att_doc_free(d);
  zk_att_verifier_free(v);
  return st != ZK_OK;
}

int zkb_att_warm_op(void *att) {
  const zkb_att *a = att;
  zk_att_doc *d = NULL;
  zk_status st = zk_att_verify(a->warm, &d, a->doc, a->len, ZKB_ATT_AT, a->policy, NULL);
  zk_att_doc_free(d);
  return st != ZK_OK;
}

void zkb_att_free(zkb_att *a) {
  EVP_PKEY_free(a->raw.pkey);
  zk_free(a->tbs);
  zk_att_policy_free(a->policy);
  zk_att_verifier_free(a->warm);
  free(a->doc);
}

/* ---- HPKE raw floor ---- */

int zkb_hkdf_sha256(EVP_KDF *kdf, uint8_t *out, size_t out_len, const uint8_t ikm[32]) {
  EVP_KDF_CTX *k = EVP_KDF_CTX_new(kdf);
  OSSL_PARAM ps[4];
  ps[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)(uintptr_t) "SHA256", 0);
  ps[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)(uintptr_t)ikm, 32);
  ps[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (char *)(uintptr_t) "turnkey_hpke",
                                            12);
  ps[3] = OSSL_PARAM_construct_end();
  int ok = k != NULL && EVP_KDF_derive(k, out, out_len, ps) == 1;
  EVP_KDF_CTX_free(k);
  return !ok;
}

int zkb_aes256_gcm(int enc, uint8_t *out, uint8_t tag[16], const uint8_t key[44], const uint8_t *in,
                   size_t len) {
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  int outl = 0;
  int ok = c != NULL && EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, key + 32, enc) == 1 &&
           EVP_CipherUpdate(c, out, &outl, in, (int)len) == 1 &&
           (enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1) &&
           EVP_CipherFinal_ex(c, out + outl, &outl) == 1 &&
           (!enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1);
  EVP_CIPHER_CTX_free(c);
  return !ok;
}

void zkb_hpke_raw_setup(zkb_hpke_raw *r) {
  memset(r, 0, sizeof *r);
  r->kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
  r->ec_r = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  if (r->kdf == NULL || r->ec_r == NULL || EC_KEY_generate_key(r->ec_r) != 1)
    zkb_die("hpke raw setup");
  memset(r->pt, 0x61, sizeof r->pt);
  r->len = 32;
}

int zkb_hpke_raw_seal_op(void *raw) {
  zkb_hpke_raw *r = raw;
  uint8_t z[32], k[44];
  EC_KEY *eph = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  int rc = eph == NULL || EC_KEY_generate_key(eph) != 1 ||
           EC_POINT_point2oct(EC_KEY_get0_group(eph), EC_KEY_get0_public_key(eph),
                              POINT_CONVERSION_UNCOMPRESSED, r->enc, sizeof r->enc,
                              NULL) != sizeof r->enc;
  rc = rc || ECDH_compute_key(z, 32, EC_KEY_get0_public_key(r->ec_r), eph, NULL) != 32 ||
       zkb_hkdf_sha256(r->kdf, k, sizeof k, z) ||
       zkb_aes256_gcm(1, r->ct, r->tag, k, r->pt, r->len);
  EC_KEY_free(eph);
  return rc;
}

int zkb_hpke_raw_open_op(void *raw) {
  zkb_hpke_raw *r = raw;
  uint8_t z[32], k[44];
  const EC_GROUP *g = EC_KEY_get0_group(r->ec_r);
  EC_POINT *eph = EC_POINT_new(g);
  int rc = eph == NULL || EC_POINT_oct2point(g, eph, r->enc, sizeof r->enc, NULL) != 1;
  rc = rc || ECDH_compute_key(z, 32, eph, r->ec_r, NULL) != 32 ||
       zkb_hkdf_sha256(r->kdf, k, sizeof k, z) ||
       zkb_aes256_gcm(0, r->back, r->tag, k, r->ct, r->len);
  EC_POINT_free(eph);
  return rc;
}

void zkb_hpke_raw_free(zkb_hpke_raw *r) {
  EC_KEY_free(r->ec_r);
  EVP_KDF_free(r->kdf);
}
