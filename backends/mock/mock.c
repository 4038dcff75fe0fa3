/*
 * Mock trust backend: a software Nitro Secure Module.
 *
 * Same contract as the nitro backend: 32 SHA-384 PCRs (0-15 locked from the
 * start), extend = SHA-384(old || data), NSM error statuses for locked or
 * out-of-range PCRs, the NSM request-size rule, and attestation documents in
 * the real Nitro format (untagged COSE_Sign1 ES384 over a 9-key payload map)
 * signed by a P-384 CA chain root -> intermediate -> leaf.
 */
#include <cbor.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zerokey/cose.h"
#include "zerokey/key.h"
#include "zk_backend_internal.h"

#define MOCK_PCR_LEN 48
#define MOCK_BOOT_LOCKED 16
#define MOCK_DEFAULT_MODULE_ID "i-0123456789abcdef0-enc0123456789abcdef"

typedef struct mock_ctx {
  pthread_mutex_t mu;
  uint8_t pcr[ZK_NSM_MAX_PCRS][MOCK_PCR_LEN];
  uint8_t locked[ZK_NSM_MAX_PCRS];
  uint64_t now_ms;
  char module_id[ZK_NSM_MODULE_ID_MAX + 1];
  unsigned flags; /* ZK_MOCK_* */
  uint8_t *root_der, *int_der, *leaf_der;
  size_t root_der_len, int_der_len, leaf_der_len;
  zk_key *leaf_key;
} mock_ctx;

/* ---- PKI ---- */

static zk_status der_of(uint8_t **out, size_t *out_len, X509 *x) {
  unsigned char *der = NULL;
  int n = i2d_X509(x, &der);
  if (n <= 0) return ZK_ERR_INTERNAL;
  *out = zki_memdup(der, (size_t)n);
  OPENSSL_free(der);
  if (*out == NULL) return ZK_ERR_NOMEM;
  *out_len = (size_t)n;
  return ZK_OK;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
  X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
  if (ext == NULL) return 0;
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return ok;
}

/* Issue a certificate for pub, signed by issuer_key (self-signed when issuer is NULL). */
static X509 *issue(const char *cn, EVP_PKEY *pub, X509 *issuer, EVP_PKEY *issuer_key,
                   int64_t not_before, int64_t not_after, int ca, int pathlen) {
  X509 *x = X509_new();
  X509_NAME *name = X509_NAME_new();
  BIGNUM *serial = BN_new();
  int ok = x != NULL && name != NULL && serial != NULL;
  ok = ok && X509_set_version(x, 2);
  ok = ok && BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
       BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) != NULL;
  ok = ok &&
       X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                  (const unsigned char *)"libzerokey mock NSM", -1, -1, 0) &&
       X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
  ok = ok && X509_set_subject_name(x, name);
  ok = ok && X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : name);
  ok = ok && ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before) != NULL &&
       ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) != NULL;
  ok = ok && X509_set_pubkey(x, pub);
  X509 *iss = issuer != NULL ? issuer : x;
  if (ok && ca) {
    char bc[64];
    if (pathlen >= 0)
      (void)snprintf(bc, sizeof(bc), "critical,CA:TRUE,pathlen:%d", pathlen);
    else
      (void)snprintf(bc, sizeof(bc), "critical,CA:TRUE");
    ok = add_ext(x, iss, NID_basic_constraints, bc) &&
         add_ext(x, iss, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
  } else if (ok) {
    ok = add_ext(x, iss, NID_basic_constraints, "critical,CA:FALSE") &&
         add_ext(x, iss, NID_key_usage, "critical,digitalSignature");
  }
  ok = ok && add_ext(x, iss, NID_subject_key_identifier, "hash");
  if (ok && issuer != NULL) ok = add_ext(x, iss, NID_authority_key_identifier, "keyid:always");
  ok = ok && X509_sign(x, issuer_key, EVP_sha384()) > 0;
  X509_NAME_free(name);
  BN_free(serial);
  if (!ok) {
    X509_free(x);
    return NULL;
  }
  return x;
}

static EVP_PKEY *p384_keygen(void) {
  return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
}

/* Raw 48-byte private scalar of an EVP P-384 key into a zk_key. */
static zk_status zk_key_of(zk_key **out, EVP_PKEY *pk) {
  BIGNUM *priv = NULL;
  uint8_t raw[ZK_P384_SECRET_LEN];
  if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_PRIV_KEY, &priv)) return ZK_ERR_INTERNAL;
  int ok = BN_bn2binpad(priv, raw, sizeof(raw)) == (int)sizeof(raw);
  BN_clear_free(priv);
  zk_status st = ok ? zk_key_from_private(out, ZK_CURVE_P384, raw, sizeof(raw)) : ZK_ERR_INTERNAL;
  zk_wipe(raw, sizeof(raw));
  return st;
}

static zk_status pki_generate(mock_ctx *c) {
  int64_t t0 = (int64_t)(c->now_ms / 1000);
  const int64_t day = 86400, year = 365 * day;
  EVP_PKEY *rk = p384_keygen(), *ik = p384_keygen(), *lk = p384_keygen();
  X509 *root = NULL, *inter = NULL, *leaf = NULL;
  zk_status st = ZK_ERR_INTERNAL;
  if (rk == NULL || ik == NULL || lk == NULL) goto done;
  root = issue("libzerokey mock nitro root", rk, NULL, rk, t0 - day, t0 + 30 * year, 1, -1);
  if (root == NULL) goto done;
  inter = issue("libzerokey mock nitro intermediate", ik, root, rk, t0 - day, t0 + 30 * year, 1, 0);
  if (inter == NULL) goto done;
  leaf = issue(c->module_id, lk, inter, ik, t0 - 3600, t0 + year, 0, -1);
  if (leaf == NULL) goto done;
  if ((st = der_of(&c->root_der, &c->root_der_len, root)) != ZK_OK) goto done;
  if ((st = der_of(&c->int_der, &c->int_der_len, inter)) != ZK_OK) goto done;
  if ((st = der_of(&c->leaf_der, &c->leaf_der_len, leaf)) != ZK_OK) goto done;
  st = zk_key_of(&c->leaf_key, lk);
done:
  EVP_PKEY_free(rk); /* EVP_PKEY_free clears private key material */
  EVP_PKEY_free(ik);
  EVP_PKEY_free(lk);
  X509_free(root);
  X509_free(inter);
  X509_free(leaf);
  return st;
}

/* Copy one DER certificate after checking it parses completely. */
static zk_status load_cert(uint8_t **out, size_t *out_len, X509 **x, const uint8_t *der,
                           size_t len) {
  if (der == NULL || len == 0 || len > 65536) return ZK_ERR_ATT_CERT;
  const unsigned char *p = der;
  *x = d2i_X509(NULL, &p, (long)len);
  if (*x == NULL || p != der + len) return ZK_ERR_ATT_CERT;
  *out = zki_memdup(der, len);
  if (*out == NULL) return ZK_ERR_NOMEM;
  *out_len = len;
  return ZK_OK;
}

static zk_status pki_load(mock_ctx *c, const zk_backend_options *o) {
  X509 *root = NULL, *inter = NULL, *leaf = NULL;
  zk_key *cert_key = NULL;
  unsigned char *spki = NULL;
  zk_status st;
  if ((st = load_cert(&c->root_der, &c->root_der_len, &root, o->mock_root_der,
                      o->mock_root_der_len)) != ZK_OK)
    goto done;
  if ((st = load_cert(&c->int_der, &c->int_der_len, &inter, o->mock_intermediate_der,
                      o->mock_intermediate_der_len)) != ZK_OK)
    goto done;
  if ((st = load_cert(&c->leaf_der, &c->leaf_der_len, &leaf, o->mock_leaf_der,
                      o->mock_leaf_der_len)) != ZK_OK)
    goto done;
  if ((st = zk_key_from_private(&c->leaf_key, ZK_CURVE_P384, o->mock_leaf_secret,
                                o->mock_leaf_secret_len)) != ZK_OK)
    goto done;
  /* The secret must belong to the leaf certificate. */
  int n = i2d_PUBKEY(X509_get0_pubkey(leaf), &spki);
  if (n <= 0) {
    st = ZK_ERR_ATT_CERT;
    goto done;
  }
  if ((st = zk_key_from_spki(&cert_key, spki, (size_t)n)) != ZK_OK) {
    st = ZK_ERR_ATT_CERT;
    goto done;
  }
  if (!zk_key_public_equal(cert_key, c->leaf_key)) st = ZK_ERR_KEY;
done:
  OPENSSL_free(spki);
  zk_key_free(cert_key);
  X509_free(root);
  X509_free(inter);
  X509_free(leaf);
  return st;
}

/* ---- helpers ---- */

static zk_status sha384_2(uint8_t out[MOCK_PCR_LEN], const uint8_t *a, size_t alen,
                          const uint8_t *b, size_t blen) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  unsigned int n = 0;
  int ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha384(), NULL) &&
           EVP_DigestUpdate(md, a, alen) && (blen == 0 || EVP_DigestUpdate(md, b, blen)) &&
           EVP_DigestFinal_ex(md, out, &n) && n == MOCK_PCR_LEN;
  EVP_MD_CTX_free(md);
  return ok ? ZK_OK : ZK_ERR_INTERNAL;
}

/* The request-size rule of the real device: the encoded request must fit 4096 bytes. */
static zk_status check_request(const zki_nsm_request *req) {
  uint8_t *enc = NULL;
  size_t n = 0;
  zk_status st = zki_nsm_encode(&enc, &n, req);
  if (enc != NULL) zk_free_secret(enc, n);
  return st;
}

static int put(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v) {
  int ok = k != NULL && v != NULL && cbor_map_add(map, (struct cbor_pair){.key = k, .value = v});
  if (k != NULL) cbor_decref(&k);
  if (v != NULL) cbor_decref(&v);
  return ok;
}

static cbor_item_t *opt_bytes(const uint8_t *p, size_t n) {
  return p == NULL ? cbor_new_null() : cbor_build_bytestring(p, n);
}

/* Payload map in the order and with the types of real documents. Caller holds the lock. */
static zk_status build_payload(uint8_t **out, size_t *out_len, const mock_ctx *c,
                               const uint8_t *user_data, size_t user_data_len, const uint8_t *nonce,
                               size_t nonce_len, const uint8_t *public_key, size_t public_key_len) {
  uint8_t n_pcrs = (c->flags & ZK_MOCK_16_PCRS) ? MOCK_BOOT_LOCKED : ZK_NSM_MAX_PCRS;
  cbor_item_t *m = (c->flags & ZK_MOCK_INDEFINITE_PAYLOAD) ? cbor_new_indefinite_map()
                                                           : cbor_new_definite_map(9);
  cbor_item_t *pcrs = cbor_new_definite_map(n_pcrs);
  cbor_item_t *bundle = cbor_new_definite_array(2);
  int ok = m != NULL && pcrs != NULL && bundle != NULL;
  for (uint8_t i = 0; ok && i < n_pcrs; i++)
    ok = put(pcrs, cbor_build_uint8(i), cbor_build_bytestring(c->pcr[i], MOCK_PCR_LEN));
  if (ok) {
    cbor_item_t *r = cbor_build_bytestring(c->root_der, c->root_der_len);
    cbor_item_t *in = cbor_build_bytestring(c->int_der, c->int_der_len);
    ok = r != NULL && in != NULL && cbor_array_push(bundle, r) && cbor_array_push(bundle, in);
    if (r != NULL) cbor_decref(&r);
    if (in != NULL) cbor_decref(&in);
  }
  ok = ok && put(m, cbor_build_string("module_id"), cbor_build_string(c->module_id));
  ok = ok && put(m, cbor_build_string("digest"), cbor_build_string("SHA384"));
  ok = ok && put(m, cbor_build_string("timestamp"), cbor_build_uint64(c->now_ms));
  if (ok) {
    ok = put(m, cbor_build_string("pcrs"), pcrs);
    pcrs = NULL;
  }
  ok = ok && put(m, cbor_build_string("certificate"),
                 cbor_build_bytestring(c->leaf_der, c->leaf_der_len));
  if (ok) {
    ok = put(m, cbor_build_string("cabundle"), bundle);
    bundle = NULL;
  }
  ok = ok && put(m, cbor_build_string("public_key"), opt_bytes(public_key, public_key_len));
  ok = ok && put(m, cbor_build_string("user_data"), opt_bytes(user_data, user_data_len));
  ok = ok && put(m, cbor_build_string("nonce"), opt_bytes(nonce, nonce_len));
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0;
  if (ok) n = cbor_serialize_alloc(m, &buf, &cap);
  if (m != NULL) cbor_decref(&m);
  if (pcrs != NULL) cbor_decref(&pcrs);
  if (bundle != NULL) cbor_decref(&bundle);
  if (!ok || n == 0) {
    free(buf);
    return ZK_ERR_NOMEM;
  }
  *out = buf;
  *out_len = n;
  return ZK_OK;
}

/* ---- ops ---- */

static zk_status mock_random(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  return zk_random(out, len);
}

static zk_status mock_attest(void *ctx, uint8_t **doc, size_t *doc_len, const uint8_t *user_data,
                             size_t user_data_len, const uint8_t *nonce, size_t nonce_len,
                             const uint8_t *public_key, size_t public_key_len) {
  mock_ctx *c = ctx;
  if (user_data_len > ZK_NSM_ATTEST_FIELD_MAX || nonce_len > ZK_NSM_ATTEST_FIELD_MAX ||
      public_key_len > ZK_NSM_ATTEST_FIELD_MAX)
    return ZK_ERR_NSM_INPUT_TOO_LARGE;
  zki_nsm_request req = {.op = ZKI_NSM_ATTESTATION,
                         .user_data = user_data,
                         .user_data_len = user_data_len,
                         .nonce = nonce,
                         .nonce_len = nonce_len,
                         .public_key = public_key,
                         .public_key_len = public_key_len};
  ZKI_TRY(check_request(&req));
  uint8_t *payload = NULL;
  size_t payload_len = 0;
  pthread_mutex_lock(&c->mu);
  zk_status st = build_payload(&payload, &payload_len, c, user_data, user_data_len, nonce,
                               nonce_len, public_key, public_key_len);
  pthread_mutex_unlock(&c->mu);
  if (st != ZK_OK) return st;
  st = zk_cose_sign1_create(doc, doc_len, c->leaf_key, NULL, 0, payload, payload_len, NULL, 0,
                            (c->flags & ZK_MOCK_TAGGED) ? ZK_COSE_TAGGED : 0);
  free(payload);
  return st;
}

static zk_status mock_describe_pcr(void *ctx, int *locked, uint8_t *value, size_t *value_len,
                                   uint16_t index) {
  mock_ctx *c = ctx;
  if (index >= ZK_NSM_MAX_PCRS) return ZK_ERR_NSM_INVALID_INDEX;
  if (*value_len < MOCK_PCR_LEN) return ZK_ERR_BUFFER_TOO_SMALL;
  pthread_mutex_lock(&c->mu);
  memcpy(value, c->pcr[index], MOCK_PCR_LEN);
  *locked = c->locked[index];
  pthread_mutex_unlock(&c->mu);
  *value_len = MOCK_PCR_LEN;
  return ZK_OK;
}

static zk_status mock_extend_pcr(void *ctx, uint8_t *value, size_t *value_len, uint16_t index,
                                 const uint8_t *data, size_t data_len) {
  mock_ctx *c = ctx;
  zki_nsm_request req = {
      .op = ZKI_NSM_EXTEND_PCR, .index = index, .data = data, .data_len = data_len};
  ZKI_TRY(check_request(&req));
  if (index >= ZK_NSM_MAX_PCRS) return ZK_ERR_NSM_INVALID_INDEX;
  if (*value_len < MOCK_PCR_LEN) return ZK_ERR_BUFFER_TOO_SMALL;
  zk_status st = ZK_OK;
  pthread_mutex_lock(&c->mu);
  if (c->locked[index]) {
    st = ZK_ERR_NSM_READ_ONLY_INDEX;
  } else {
    uint8_t next[MOCK_PCR_LEN];
    st = sha384_2(next, c->pcr[index], MOCK_PCR_LEN, data, data_len);
    if (st == ZK_OK) {
      memcpy(c->pcr[index], next, MOCK_PCR_LEN);
      memcpy(value, next, MOCK_PCR_LEN);
    }
  }
  pthread_mutex_unlock(&c->mu);
  if (st == ZK_OK) *value_len = MOCK_PCR_LEN;
  return st;
}

static zk_status mock_lock_pcr(void *ctx, uint16_t index) {
  mock_ctx *c = ctx;
  if (index >= ZK_NSM_MAX_PCRS) return ZK_ERR_NSM_INVALID_INDEX;
  zk_status st = ZK_OK;
  pthread_mutex_lock(&c->mu);
  if (c->locked[index])
    st = ZK_ERR_NSM_READ_ONLY_INDEX;
  else
    c->locked[index] = 1;
  pthread_mutex_unlock(&c->mu);
  return st;
}

static zk_status mock_lock_pcrs(void *ctx, uint16_t range) {
  mock_ctx *c = ctx;
  if (range > ZK_NSM_MAX_PCRS) return ZK_ERR_NSM_INVALID_INDEX;
  pthread_mutex_lock(&c->mu);
  for (uint16_t i = 0; i < range; i++) c->locked[i] = 1;
  pthread_mutex_unlock(&c->mu);
  return ZK_OK;
}

static zk_status mock_describe(void *ctx, zk_nsm_description *out) {
  mock_ctx *c = ctx;
  memset(out, 0, sizeof(*out));
  out->version_major = 1;
  out->version_minor = 0;
  out->version_patch = 0;
  memcpy(out->module_id, c->module_id, sizeof(out->module_id));
  out->max_pcrs = ZK_NSM_MAX_PCRS;
  out->digest = ZK_NSM_DIGEST_SHA384;
  pthread_mutex_lock(&c->mu);
  for (uint16_t i = 0; i < ZK_NSM_MAX_PCRS; i++)
    if (c->locked[i]) out->locked_pcrs[out->n_locked_pcrs++] = i;
  pthread_mutex_unlock(&c->mu);
  return ZK_OK;
}

static zk_status mock_time_ms(void *ctx, uint64_t *now_ms) {
  mock_ctx *c = ctx;
  pthread_mutex_lock(&c->mu);
  *now_ms = c->now_ms;
  pthread_mutex_unlock(&c->mu);
  return ZK_OK;
}

static void mock_destroy(void *ctx) {
  mock_ctx *c = ctx;
  if (c == NULL) return;
  zk_key_free(c->leaf_key);
  free(c->root_der);
  free(c->int_der);
  free(c->leaf_der);
  pthread_mutex_destroy(&c->mu);
  zk_wipe(c, sizeof(*c));
  free(c);
}

zk_status zki_mock_set_time(void *ctx, uint64_t now_ms) {
  mock_ctx *c = ctx;
  pthread_mutex_lock(&c->mu);
  c->now_ms = now_ms;
  pthread_mutex_unlock(&c->mu);
  return ZK_OK;
}

zk_status zki_mock_root_der(const void *ctx, const uint8_t **der, size_t *der_len) {
  const mock_ctx *c = ctx;
  *der = c->root_der;
  *der_len = c->root_der_len;
  return ZK_OK;
}

zk_status zki_mock_new(void **out, const zk_backend_options *o) {
  *out = NULL;
  int n_pki = (o->mock_root_der != NULL) + (o->mock_intermediate_der != NULL) +
              (o->mock_leaf_der != NULL) + (o->mock_leaf_secret != NULL);
  if (n_pki != 0 && n_pki != 4) return ZK_ERR_ARG;
  if ((o->mock_flags & ~(ZK_MOCK_INDEFINITE_PAYLOAD | ZK_MOCK_TAGGED | ZK_MOCK_16_PCRS)) != 0)
    return ZK_ERR_ARG;
  if (o->mock_boot_pcrs != NULL && o->mock_boot_pcrs_len != MOCK_BOOT_LOCKED * MOCK_PCR_LEN)
    return ZK_ERR_ARG;
  const char *mid = o->mock_module_id != NULL ? o->mock_module_id : MOCK_DEFAULT_MODULE_ID;
  size_t mid_len = strlen(mid);
  if (mid_len == 0 || mid_len > ZK_NSM_MODULE_ID_MAX) return ZK_ERR_ARG;

  mock_ctx *c = calloc(1, sizeof(*c));
  if (c == NULL) return ZK_ERR_NOMEM;
  if (pthread_mutex_init(&c->mu, NULL) != 0) {
    free(c);
    return ZK_ERR_INTERNAL;
  }
  memcpy(c->module_id, mid, mid_len);
  c->flags = o->mock_flags;
  c->now_ms = o->mock_time_ms != 0 ? o->mock_time_ms : zki_now_ms();
  if (o->mock_boot_pcrs != NULL)
    for (size_t i = 0; i < MOCK_BOOT_LOCKED; i++)
      memcpy(c->pcr[i], o->mock_boot_pcrs + i * MOCK_PCR_LEN, MOCK_PCR_LEN);
  for (size_t i = 0; i < MOCK_BOOT_LOCKED; i++) c->locked[i] = 1;
  zk_status st = n_pki == 4 ? pki_load(c, o) : pki_generate(c);
  if (st != ZK_OK) {
    mock_destroy(c);
    return st;
  }
  *out = c;
  return ZK_OK;
}

const zk_backend_ops zki_mock_ops = {
    .name = "mock",
    .random = mock_random,
    .attest = mock_attest,
    .describe_pcr = mock_describe_pcr,
    .extend_pcr = mock_extend_pcr,
    .lock_pcr = mock_lock_pcr,
    .lock_pcrs = mock_lock_pcrs,
    .describe = mock_describe,
    .time_ms = mock_time_ms,
    .destroy = mock_destroy,
};
