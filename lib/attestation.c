/*
 * libzerokey: AWS Nitro Enclaves attestation document parsing and verification.
 *
 * Order of checks (docs/attestation.md): strict COSE_Sign1 envelope ->
 * strict payload map -> COSE ES384 signature with the leaf key -> chain
 * leaf + cabundle[1..] to a pinned root at the verification time (OpenSSL
 * X509_verify_cert, default flags, no X509_STRICT: real leaves lack AKI) ->
 * policy. The signature is checked before the chain because it is the
 * cheaper check (one P-384 verification instead of four) and both must pass.
 *
 * Chain cache: a successful chain verification is remembered under
 * SHA-256(domain || leaf DER || cabundle[1..] DERs) together with the
 * intersection of the validity windows of every certificate of the built
 * chain (root included) and the leaf public key. A hit is used only when the
 * verification time lies inside that window (re-checked on every call), so a
 * cached chain can never outlive a certificate. The cache is bounded (LRU)
 * and protected by a mutex; adding a root empties it.
 */
#include "zerokey/attestation.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/cose.h"
#include "zerokey/key.h"
#include "zk_cbor.h"
#include "zk_internal.h"

/* AWS Nitro Enclaves Root-G1 (CN=aws.nitro-enclaves), DER. Public certificate from
 * https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip;
 * SHA-256 641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b. */
static const uint8_t aws_root_g1_der[533] = {
    0x30, 0x82, 0x02, 0x11, 0x30, 0x82, 0x01, 0x96, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x11, 0x00,
    0xf9, 0x31, 0x75, 0x68, 0x1b, 0x90, 0xaf, 0xe1, 0x1d, 0x46, 0xcc, 0xb4, 0xe4, 0xe7, 0xf8, 0x56,
    0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03, 0x30, 0x49, 0x31, 0x0b,
    0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x55, 0x53, 0x31, 0x0f, 0x30, 0x0d, 0x06,
    0x03, 0x55, 0x04, 0x0a, 0x0c, 0x06, 0x41, 0x6d, 0x61, 0x7a, 0x6f, 0x6e, 0x31, 0x0c, 0x30, 0x0a,
    0x06, 0x03, 0x55, 0x04, 0x0b, 0x0c, 0x03, 0x41, 0x57, 0x53, 0x31, 0x1b, 0x30, 0x19, 0x06, 0x03,
    0x55, 0x04, 0x03, 0x0c, 0x12, 0x61, 0x77, 0x73, 0x2e, 0x6e, 0x69, 0x74, 0x72, 0x6f, 0x2d, 0x65,
    0x6e, 0x63, 0x6c, 0x61, 0x76, 0x65, 0x73, 0x30, 0x1e, 0x17, 0x0d, 0x31, 0x39, 0x31, 0x30, 0x32,
    0x38, 0x31, 0x33, 0x32, 0x38, 0x30, 0x35, 0x5a, 0x17, 0x0d, 0x34, 0x39, 0x31, 0x30, 0x32, 0x38,
    0x31, 0x34, 0x32, 0x38, 0x30, 0x35, 0x5a, 0x30, 0x49, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55,
    0x04, 0x06, 0x13, 0x02, 0x55, 0x53, 0x31, 0x0f, 0x30, 0x0d, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c,
    0x06, 0x41, 0x6d, 0x61, 0x7a, 0x6f, 0x6e, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x0b,
    0x0c, 0x03, 0x41, 0x57, 0x53, 0x31, 0x1b, 0x30, 0x19, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x12,
    0x61, 0x77, 0x73, 0x2e, 0x6e, 0x69, 0x74, 0x72, 0x6f, 0x2d, 0x65, 0x6e, 0x63, 0x6c, 0x61, 0x76,
    0x65, 0x73, 0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
    0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00, 0x04, 0xfc, 0x02, 0x54, 0xeb, 0xa6, 0x08,
    0xc1, 0xf3, 0x68, 0x70, 0xe2, 0x9a, 0xda, 0x90, 0xbe, 0x46, 0x38, 0x32, 0x92, 0x73, 0x6e, 0x89,
    0x4b, 0xff, 0xf6, 0x72, 0xd9, 0x89, 0x44, 0x4b, 0x50, 0x51, 0xe5, 0x34, 0xa4, 0xb1, 0xf6, 0xdb,
    0xe3, 0xc0, 0xbc, 0x58, 0x1a, 0x32, 0xb7, 0xb1, 0x76, 0x07, 0x0e, 0xde, 0x12, 0xd6, 0x9a, 0x3f,
    0xea, 0x21, 0x1b, 0x66, 0xe7, 0x52, 0xcf, 0x7d, 0xd1, 0xdd, 0x09, 0x5f, 0x6f, 0x13, 0x70, 0xf4,
    0x17, 0x08, 0x43, 0xd9, 0xdc, 0x10, 0x01, 0x21, 0xe4, 0xcf, 0x63, 0x01, 0x28, 0x09, 0x66, 0x44,
    0x87, 0xc9, 0x79, 0x62, 0x84, 0x30, 0x4d, 0xc5, 0x3f, 0xf4, 0xa3, 0x42, 0x30, 0x40, 0x30, 0x0f,
    0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30,
    0x1d, 0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x16, 0x04, 0x14, 0x90, 0x25, 0xb5, 0x0d, 0xd9, 0x05,
    0x47, 0xe7, 0x96, 0xc3, 0x96, 0xfa, 0x72, 0x9d, 0xcf, 0x99, 0xa9, 0xdf, 0x4b, 0x96, 0x30, 0x0e,
    0x06, 0x03, 0x55, 0x1d, 0x0f, 0x01, 0x01, 0xff, 0x04, 0x04, 0x03, 0x02, 0x01, 0x86, 0x30, 0x0a,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03, 0x03, 0x69, 0x00, 0x30, 0x66, 0x02,
    0x31, 0x00, 0xa3, 0x7f, 0x2f, 0x91, 0xa1, 0xc9, 0xbd, 0x5e, 0xe7, 0xb8, 0x62, 0x7c, 0x16, 0x98,
    0xd2, 0x55, 0x03, 0x8e, 0x1f, 0x03, 0x43, 0xf9, 0x5b, 0x63, 0xa9, 0x62, 0x8c, 0x3d, 0x39, 0x80,
    0x95, 0x45, 0xa1, 0x1e, 0xbc, 0xbf, 0x2e, 0x3b, 0x55, 0xd8, 0xae, 0xee, 0x71, 0xb4, 0xc3, 0xd6,
    0xad, 0xf3, 0x02, 0x31, 0x00, 0xa2, 0xf3, 0x9b, 0x16, 0x05, 0xb2, 0x70, 0x28, 0xa5, 0xdd, 0x4b,
    0xa0, 0x69, 0xb5, 0x01, 0x6e, 0x65, 0xb4, 0xfb, 0xde, 0x8f, 0xe0, 0x06, 0x1d, 0x6a, 0x53, 0x19,
    0x7f, 0x9c, 0xda, 0xf5, 0xd9, 0x43, 0xbc, 0x61, 0xfc, 0x2b, 0xeb, 0x03, 0xcb, 0x6f, 0xee, 0x8d,
    0x23, 0x02, 0xf3, 0xdf, 0xf6};

/* The only protected header a Nitro document may carry: {1: -35} (alg ES384). */
static const uint8_t nitro_protected[4] = {0xa1, 0x01, 0x38, 0x22};

/* Domain separation for the chain-cache key. */
static const char chain_domain[] = "zerokey/attestation/chain-cache/v1";

/* Leeway and maximum age are clamped to this many seconds (about 136 years). */
#define ATT_MAX_SECONDS UINT64_C(0xffffffff)
/* Verification times must stay far from overflow (year ~ 292e9 / 2). */
#define ATT_MAX_TIME ((uint64_t)INT64_MAX / 4)

/* Payload keys, in the order real NSMs emit them. */
enum {
  F_MODULE_ID,
  F_DIGEST,
  F_TIMESTAMP,
  F_PCRS,
  F_CERTIFICATE,
  F_CABUNDLE,
  F_PUBLIC_KEY,
  F_USER_DATA,
  F_NONCE,
  F_COUNT
};
static const char *const field_names[F_COUNT] = {"module_id",  "digest",      "timestamp",
                                                 "pcrs",       "certificate", "cabundle",
                                                 "public_key", "user_data",   "nonce"};
#define F_REQUIRED                                                                 \
  ((1u << F_MODULE_ID) | (1u << F_DIGEST) | (1u << F_TIMESTAMP) | (1u << F_PCRS) | \
   (1u << F_CERTIFICATE) | (1u << F_CABUNDLE))

typedef struct att_bytes {
  const uint8_t *p; /* NULL when absent or CBOR null */
  size_t len;
} att_bytes;

struct zk_att_doc {
  uint8_t *raw; /* copy of the document */
  size_t raw_len;
  zk_cose_sign1 *cose;
  cbor_item_t *payload; /* owns every byte string the fields point into */
  const char *module_id;
  size_t module_id_len;
  uint64_t timestamp_ms;
  att_bytes pcr[ZK_ATT_MAX_PCRS];
  uint32_t pcr_mask;
  att_bytes certificate;
  att_bytes cabundle[ZK_ATT_MAX_CABUNDLE];
  size_t n_cabundle;
  att_bytes public_key, user_data, nonce;
  int verified;
};

/* ------------------------------------------------------------------------ */
/* Chain cache                                                               */

/* A leaf key shared between the cache and in-flight verifications. */
typedef struct att_key_ref {
  zk_key *key;
  unsigned refs; /* guarded by the cache mutex */
} att_key_ref;

typedef struct att_cache_entry {
  uint8_t id[32];
  int64_t not_before; /* latest notBefore of the chain (inclusive) */
  int64_t not_after;  /* earliest notAfter of the chain (exclusive, as OpenSSL) */
  att_key_ref *leaf;
  uint64_t stamp; /* LRU clock */
} att_cache_entry;

typedef struct att_cache {
  pthread_mutex_t mu;
  att_cache_entry *e;
  size_t cap, n;
  uint64_t clock, hits, misses;
} att_cache;

struct zk_att_verifier {
  X509_STORE *store;
  STACK_OF(X509) * roots;
  att_cache *cache; /* separate allocation: mutable behind a const verifier */
};

/* Caller holds c->mu (or c is not shared). */
static void key_ref_release_locked(att_key_ref *r) {
  if (r == NULL) return;
  if (--r->refs == 0) {
    zk_key_free(r->key);
    free(r);
  }
}

static void key_ref_release(att_cache *c, att_key_ref *r) {
  if (r == NULL) return;
  pthread_mutex_lock(&c->mu);
  key_ref_release_locked(r);
  pthread_mutex_unlock(&c->mu);
}

/* Caller holds c->mu. */
static void cache_clear_locked(att_cache *c) {
  for (size_t i = 0; i < c->n; i++) key_ref_release_locked(c->e[i].leaf);
  if (c->e != NULL) memset(c->e, 0, c->cap * sizeof *c->e);
  c->n = 0;
}

/* Valid at t under OpenSSL's rule notBefore <= t < notAfter. */
static int window_ok(int64_t nb, int64_t na, int64_t t) {
  return nb <= t && t < na;
}

/* Same acceptance rule as the cold path: valid at t, or (leeway) valid at t + leeway. */
static int window_accepts(int64_t nb, int64_t na, int64_t t, int64_t leeway) {
  return window_ok(nb, na, t) || (leeway > 0 && window_ok(nb, na, t + leeway));
}

/* Returns a new reference to the cached leaf key, or NULL (miss). */
static att_key_ref *cache_lookup(att_cache *c, const uint8_t id[32], int64_t t, int64_t leeway) {
  att_key_ref *r = NULL;
  pthread_mutex_lock(&c->mu);
  for (size_t i = 0; i < c->n; i++) {
    att_cache_entry *e = &c->e[i];
    if (memcmp(e->id, id, 32) != 0) continue;
    if (window_accepts(e->not_before, e->not_after, t, leeway)) {
      e->stamp = ++c->clock;
      e->leaf->refs++;
      r = e->leaf;
    }
    break;
  }
  if (c->cap != 0) {
    if (r != NULL)
      c->hits++;
    else
      c->misses++;
  }
  pthread_mutex_unlock(&c->mu);
  return r;
}

static void cache_insert(att_cache *c, const uint8_t id[32], int64_t nb, int64_t na,
                         att_key_ref *leaf) {
  pthread_mutex_lock(&c->mu);
  if (c->cap == 0) goto out;
  att_cache_entry *slot = NULL;
  for (size_t i = 0; i < c->n; i++) {
    if (memcmp(c->e[i].id, id, 32) == 0) {
      slot = &c->e[i];
      key_ref_release_locked(slot->leaf);
      break;
    }
  }
  if (slot == NULL && c->n < c->cap) slot = &c->e[c->n++];
  if (slot == NULL) { /* evict the least recently used entry */
    slot = &c->e[0];
    for (size_t i = 1; i < c->n; i++)
      if (c->e[i].stamp < slot->stamp) slot = &c->e[i];
    key_ref_release_locked(slot->leaf);
  }
  memcpy(slot->id, id, 32);
  slot->not_before = nb;
  slot->not_after = na;
  slot->leaf = leaf;
  leaf->refs++;
  slot->stamp = ++c->clock;
out:
  pthread_mutex_unlock(&c->mu);
}

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

const uint8_t *zk_att_aws_root_der(size_t *len) {
  if (len != NULL) *len = sizeof aws_root_g1_der;
  return aws_root_g1_der;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int asn1_time_unix(const ASN1_TIME *t, int64_t *out) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  *out = days_from_civil((int64_t)tm.tm_year + 1900, (int64_t)tm.tm_mon + 1, tm.tm_mday) * 86400 +
         (int64_t)tm.tm_hour * 3600 + (int64_t)tm.tm_min * 60 + tm.tm_sec;
  return 1;
}

/* Parse exactly one DER certificate (no trailing bytes). */
static X509 *x509_from_der(const uint8_t *der, size_t len) {
  if (der == NULL || len == 0 || len > (size_t)INT32_MAX) return NULL;
  const unsigned char *p = der;
  X509 *x = d2i_X509(NULL, &p, (long)len);
  if (x != NULL && p != der + len) {
    X509_free(x);
    x = NULL;
  }
  return x;
}

/* ------------------------------------------------------------------------ */
/* Verifier                                                                  */

void zk_att_verifier_free(zk_att_verifier *v) {
  if (v == NULL) return;
  if (v->cache != NULL) {
    cache_clear_locked(v->cache);
    free(v->cache->e);
    pthread_mutex_destroy(&v->cache->mu);
    free(v->cache);
  }
  X509_STORE_free(v->store);
  sk_X509_pop_free(v->roots, X509_free);
  free(v);
}

/* Pin x (reference taken on success). */
static zk_status verifier_pin(zk_att_verifier *v, X509 *x) {
  for (int i = 0; i < sk_X509_num(v->roots); i++)
    if (X509_cmp(sk_X509_value(v->roots, i), x) == 0) return ZK_OK; /* already pinned */
  if (X509_STORE_add_cert(v->store, x) != 1) return ZK_ERR_INTERNAL;
  if (!X509_up_ref(x)) return ZK_ERR_INTERNAL;
  if (sk_X509_push(v->roots, x) <= 0) {
    X509_free(x);
    return ZK_ERR_NOMEM;
  }
  return ZK_OK;
}

/* A pinned root must be a self-signed CA certificate with a valid self-signature. */
static zk_status check_root(X509 *x) {
  EVP_PKEY *pk = X509_get0_pubkey(x);
  if (pk == NULL) return ZK_ERR_ATT_CERT;
  if (X509_check_issued(x, x) != X509_V_OK) return ZK_ERR_ATT_CERT;
  if (X509_check_ca(x) < 1) return ZK_ERR_ATT_CERT;
  if (X509_verify(x, pk) != 1) return ZK_ERR_ATT_CERT;
  return ZK_OK;
}

zk_status zk_att_verifier_new(zk_att_verifier **out, unsigned flags) {
  if (out != NULL) *out = NULL;
  if (out == NULL || (flags & ~ZK_ATT_VERIFIER_NO_AWS_ROOT) != 0) return ZK_ERR_ARG;
  zk_att_verifier *v = calloc(1, sizeof *v);
  if (v == NULL) return ZK_ERR_NOMEM;
  zk_status st = ZK_ERR_NOMEM;
  v->store = X509_STORE_new();
  v->roots = sk_X509_new_null();
  v->cache = calloc(1, sizeof *v->cache);
  if (v->store == NULL || v->roots == NULL || v->cache == NULL) goto fail;
  if (pthread_mutex_init(&v->cache->mu, NULL) != 0) {
    free(v->cache);
    v->cache = NULL;
    st = ZK_ERR_INTERNAL;
    goto fail;
  }
  v->cache->e = calloc(ZK_ATT_CACHE_DEFAULT, sizeof *v->cache->e);
  if (v->cache->e == NULL) goto fail;
  v->cache->cap = ZK_ATT_CACHE_DEFAULT;
  if ((flags & ZK_ATT_VERIFIER_NO_AWS_ROOT) == 0) {
    /* Built-in constant: parsed, not re-verified (tests pin its fingerprint
     * and self-signature), so a fresh verifier costs no signature check. */
    X509 *root = x509_from_der(aws_root_g1_der, sizeof aws_root_g1_der);
    if (root == NULL) {
      st = ZK_ERR_INTERNAL;
      goto fail;
    }
    st = verifier_pin(v, root);
    X509_free(root);
    if (st != ZK_OK) {
      st = ZK_ERR_INTERNAL;
      goto fail;
    }
  }
  *out = v;
  return ZK_OK;
fail:
  zk_att_verifier_free(v);
  ERR_clear_error();
  return st;
}

zk_status zk_att_verifier_add_root_der(zk_att_verifier *v, const uint8_t *der, size_t der_len) {
  if (v == NULL || der == NULL || der_len == 0) return ZK_ERR_ARG;
  if (der_len > ZK_ATT_MAX_DOC_LEN) return ZK_ERR_TOO_LARGE;
  X509 *x = x509_from_der(der, der_len);
  zk_status st = x == NULL ? ZK_ERR_ATT_CERT : check_root(x);
  if (st == ZK_OK) st = verifier_pin(v, x);
  if (st == ZK_OK) zk_att_verifier_clear_cache(v);
  X509_free(x);
  ERR_clear_error();
  return st;
}

zk_status zk_att_verifier_add_root_pem(zk_att_verifier *v, const char *pem, size_t pem_len) {
  if (v == NULL || pem == NULL || pem_len == 0) return ZK_ERR_ARG;
  if (pem_len > 4 * ZK_ATT_MAX_DOC_LEN) return ZK_ERR_TOO_LARGE;
  STACK_OF(X509) *certs = sk_X509_new_null();
  BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
  zk_status st = (certs == NULL || bio == NULL) ? ZK_ERR_NOMEM : ZK_OK;
  while (st == ZK_OK) {
    X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    if (x == NULL) {
      unsigned long e = ERR_peek_last_error();
      /* End of input is "no start line"; anything else is a broken block. */
      if (!(ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE))
        st = ZK_ERR_ATT_CERT;
      break;
    }
    if (sk_X509_num(certs) >= (int)ZK_ATT_MAX_CABUNDLE) {
      X509_free(x);
      st = ZK_ERR_TOO_LARGE;
    } else if (sk_X509_push(certs, x) <= 0) {
      X509_free(x);
      st = ZK_ERR_NOMEM;
    }
  }
  if (st == ZK_OK && sk_X509_num(certs) == 0) st = ZK_ERR_ATT_CERT;
  for (int i = 0; st == ZK_OK && i < sk_X509_num(certs); i++)
    st = check_root(sk_X509_value(certs, i));
  for (int i = 0; st == ZK_OK && i < sk_X509_num(certs); i++)
    st = verifier_pin(v, sk_X509_value(certs, i));
  if (st == ZK_OK) zk_att_verifier_clear_cache(v);
  BIO_free(bio);
  sk_X509_pop_free(certs, X509_free);
  ERR_clear_error();
  return st;
}

size_t zk_att_verifier_root_count(const zk_att_verifier *v) {
  if (v == NULL) return 0;
  int n = sk_X509_num(v->roots);
  return n > 0 ? (size_t)n : 0;
}

zk_status zk_att_verifier_set_cache_size(zk_att_verifier *v, size_t max_entries) {
  if (v == NULL || max_entries > ZK_ATT_CACHE_MAX) return ZK_ERR_ARG;
  att_cache *c = v->cache;
  zk_status st = ZK_OK;
  pthread_mutex_lock(&c->mu);
  cache_clear_locked(c);
  free(c->e);
  c->e = NULL;
  c->cap = 0;
  if (max_entries != 0) {
    c->e = calloc(max_entries, sizeof *c->e);
    if (c->e == NULL)
      st = ZK_ERR_NOMEM;
    else
      c->cap = max_entries;
  }
  pthread_mutex_unlock(&c->mu);
  return st;
}

void zk_att_verifier_clear_cache(zk_att_verifier *v) {
  if (v == NULL) return;
  pthread_mutex_lock(&v->cache->mu);
  cache_clear_locked(v->cache);
  pthread_mutex_unlock(&v->cache->mu);
}

void zk_att_verifier_cache_stats(const zk_att_verifier *v, uint64_t *hits, uint64_t *misses,
                                 size_t *entries) {
  uint64_t h = 0, m = 0;
  size_t n = 0;
  if (v != NULL) {
    pthread_mutex_lock(&v->cache->mu);
    h = v->cache->hits;
    m = v->cache->misses;
    n = v->cache->n;
    pthread_mutex_unlock(&v->cache->mu);
  }
  if (hits != NULL) *hits = h;
  if (misses != NULL) *misses = m;
  if (entries != NULL) *entries = n;
}

/* ------------------------------------------------------------------------ */
/* Policy                                                                    */

typedef struct att_expect {
  int set;
  uint8_t *p;
  size_t len;
} att_expect;

struct zk_att_policy {
  struct {
    size_t n;
    uint8_t len[ZK_ATT_MAX_PCR_CHOICES];
    uint8_t (*val)[ZK_ATT_MAX_PCR_LEN];
  } pcr[ZK_ATT_MAX_PCRS];
  int allow_debug;
  uint64_t max_age_s;
  uint64_t leeway_s;
  att_expect nonce, user_data, public_key;
};

static const zk_att_policy default_policy; /* all zero: the documented defaults */

zk_status zk_att_policy_new(zk_att_policy **out) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = calloc(1, sizeof **out);
  return *out == NULL ? ZK_ERR_NOMEM : ZK_OK;
}

void zk_att_policy_free(zk_att_policy *p) {
  if (p == NULL) return;
  for (size_t i = 0; i < ZK_ATT_MAX_PCRS; i++) free(p->pcr[i].val);
  free(p->nonce.p);
  free(p->user_data.p);
  free(p->public_key.p);
  free(p);
}

static int pcr_len_ok(size_t len) {
  return len == 32 || len == 48 || len == 64;
}

zk_status zk_att_policy_add_pcr(zk_att_policy *p, unsigned index, const uint8_t *value,
                                size_t len) {
  if (p == NULL || value == NULL || index >= ZK_ATT_MAX_PCRS || !pcr_len_ok(len)) return ZK_ERR_ARG;
  if (p->pcr[index].val == NULL) {
    p->pcr[index].val = calloc(ZK_ATT_MAX_PCR_CHOICES, ZK_ATT_MAX_PCR_LEN);
    if (p->pcr[index].val == NULL) return ZK_ERR_NOMEM;
  }
  size_t n = p->pcr[index].n;
  if (n >= ZK_ATT_MAX_PCR_CHOICES) return ZK_ERR_TOO_LARGE;
  memcpy(p->pcr[index].val[n], value, len);
  p->pcr[index].len[n] = (uint8_t)len;
  p->pcr[index].n = n + 1;
  return ZK_OK;
}

void zk_att_policy_allow_debug(zk_att_policy *p, int allow) {
  if (p != NULL) p->allow_debug = allow != 0;
}

void zk_att_policy_set_max_age(zk_att_policy *p, uint64_t max_age_s) {
  if (p != NULL) p->max_age_s = max_age_s > ATT_MAX_SECONDS ? ATT_MAX_SECONDS : max_age_s;
}

void zk_att_policy_set_leeway(zk_att_policy *p, uint64_t leeway_s) {
  if (p != NULL) p->leeway_s = leeway_s > ATT_MAX_SECONDS ? ATT_MAX_SECONDS : leeway_s;
}

static zk_status expect_set(att_expect *e, const uint8_t *value, size_t len) {
  if (value == NULL && len != 0) return ZK_ERR_ARG;
  if (len > ZK_ATT_MAX_FIELD_LEN) return ZK_ERR_TOO_LARGE;
  uint8_t *copy = zki_memdup(value, len);
  if (copy == NULL) return ZK_ERR_NOMEM;
  free(e->p);
  e->p = copy;
  e->len = len;
  e->set = 1;
  return ZK_OK;
}

zk_status zk_att_policy_expect_nonce(zk_att_policy *p, const uint8_t *value, size_t len) {
  return p == NULL ? ZK_ERR_ARG : expect_set(&p->nonce, value, len);
}
zk_status zk_att_policy_expect_user_data(zk_att_policy *p, const uint8_t *value, size_t len) {
  return p == NULL ? ZK_ERR_ARG : expect_set(&p->user_data, value, len);
}
zk_status zk_att_policy_expect_public_key(zk_att_policy *p, const uint8_t *value, size_t len) {
  return p == NULL ? ZK_ERR_ARG : expect_set(&p->public_key, value, len);
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                   */

void zk_att_doc_free(zk_att_doc *doc) {
  if (doc == NULL) return;
  if (doc->payload != NULL) cbor_decref(&doc->payload);
  zk_cose_sign1_free(doc->cose);
  free(doc->raw);
  free(doc);
}

/* Optional byte string: bstr of at most ZK_ATT_MAX_FIELD_LEN bytes, or null. */
static zk_status parse_optional(const cbor_item_t *it, att_bytes *out) {
  if (zki_cbor_is_null(it)) return ZK_OK;
  ZKI_TRY(zki_cbor_get_bytes(it, &out->p, &out->len));
  if (out->len > ZK_ATT_MAX_FIELD_LEN) {
    out->p = NULL;
    out->len = 0;
    return ZK_ERR_ATT_FIELD_SIZE;
  }
  return ZK_OK;
}

static zk_status parse_pcrs(zk_att_doc *d, const cbor_item_t *it) {
  if (!cbor_isa_map(it)) return ZK_ERR_TYPE;
  size_t n = cbor_map_size(it);
  if (n == 0 || n > ZK_ATT_MAX_PCRS) return ZK_ERR_ATT_PCRS;
  const struct cbor_pair *pairs = cbor_map_handle(it);
  for (size_t i = 0; i < n; i++) {
    uint64_t idx;
    ZKI_TRY(zki_cbor_get_uint(pairs[i].key, &idx));
    if (idx >= ZK_ATT_MAX_PCRS) return ZK_ERR_ATT_PCRS;
    if (d->pcr_mask & (UINT32_C(1) << idx)) return ZK_ERR_DUPLICATE_KEY;
    const uint8_t *p;
    size_t len;
    ZKI_TRY(zki_cbor_get_bytes(pairs[i].value, &p, &len));
    if (!pcr_len_ok(len)) return ZK_ERR_ATT_PCRS;
    d->pcr[idx].p = p;
    d->pcr[idx].len = len;
    d->pcr_mask |= UINT32_C(1) << idx;
  }
  return ZK_OK;
}

static zk_status parse_cabundle(zk_att_doc *d, const cbor_item_t *it) {
  if (!cbor_isa_array(it)) return ZK_ERR_TYPE;
  size_t n = cbor_array_size(it);
  if (n == 0 || n > ZK_ATT_MAX_CABUNDLE) return ZK_ERR_ATT_CABUNDLE;
  cbor_item_t **items = cbor_array_handle(it);
  for (size_t i = 0; i < n; i++) {
    ZKI_TRY(zki_cbor_get_bytes(items[i], &d->cabundle[i].p, &d->cabundle[i].len));
    if (d->cabundle[i].len == 0 || d->cabundle[i].len > ZK_ATT_MAX_CERT_LEN)
      return ZK_ERR_ATT_CABUNDLE;
  }
  d->n_cabundle = n;
  return ZK_OK;
}

static zk_status parse_field(zk_att_doc *d, unsigned f, const cbor_item_t *it) {
  switch (f) {
    case F_MODULE_ID: {
      ZKI_TRY(zki_cbor_get_text(it, &d->module_id, &d->module_id_len));
      if (d->module_id_len == 0 || d->module_id_len > ZK_ATT_MAX_MODULE_ID_LEN)
        return ZK_ERR_ATT_MODULE_ID;
      for (size_t i = 0; i < d->module_id_len; i++) {
        unsigned char c = (unsigned char)d->module_id[i];
        if (c < 0x20 || c == 0x7f) return ZK_ERR_ATT_MODULE_ID;
      }
      return ZK_OK;
    }
    case F_DIGEST: {
      const char *s;
      size_t len;
      ZKI_TRY(zki_cbor_get_text(it, &s, &len));
      if (len != 6 || memcmp(s, "SHA384", 6) != 0) return ZK_ERR_ATT_DIGEST;
      return ZK_OK;
    }
    case F_TIMESTAMP:
      ZKI_TRY(zki_cbor_get_uint(it, &d->timestamp_ms));
      return d->timestamp_ms == 0 ? ZK_ERR_ATT_TIMESTAMP : ZK_OK;
    case F_PCRS:
      return parse_pcrs(d, it);
    case F_CERTIFICATE:
      ZKI_TRY(zki_cbor_get_bytes(it, &d->certificate.p, &d->certificate.len));
      if (d->certificate.len == 0 || d->certificate.len > ZK_ATT_MAX_CERT_LEN)
        return ZK_ERR_ATT_CERT;
      return ZK_OK;
    case F_CABUNDLE:
      return parse_cabundle(d, it);
    case F_PUBLIC_KEY:
      return parse_optional(it, &d->public_key);
    case F_USER_DATA:
      return parse_optional(it, &d->user_data);
    case F_NONCE:
      return parse_optional(it, &d->nonce);
    default:
      return ZK_ERR_INTERNAL;
  }
}

static zk_status parse_payload_map(zk_att_doc *d) {
  const cbor_item_t *m = d->payload;
  if (!cbor_isa_map(m)) return ZK_ERR_ATT_PAYLOAD;
  /* No count check needed: past F_COUNT entries a key is unknown or repeated. */
  size_t n = cbor_map_size(m);
  const struct cbor_pair *pairs = cbor_map_handle(m);
  unsigned seen = 0;
  for (size_t i = 0; i < n; i++) {
    const char *k;
    size_t klen;
    ZKI_TRY(zki_cbor_get_text(pairs[i].key, &k, &klen));
    unsigned f = F_COUNT;
    for (unsigned j = 0; j < F_COUNT; j++) {
      if (strlen(field_names[j]) == klen && memcmp(field_names[j], k, klen) == 0) {
        f = j;
        break;
      }
    }
    if (f == F_COUNT) return ZK_ERR_UNKNOWN_FIELD;
    if (seen & (1u << f)) return ZK_ERR_DUPLICATE_KEY;
    seen |= 1u << f;
    ZKI_TRY(parse_field(d, f, pairs[i].value));
  }
  if ((seen & F_REQUIRED) != F_REQUIRED) return ZK_ERR_MISSING_FIELD;
  return ZK_OK;
}

/* Offset of the payload bytes inside the document: they end right before the
 * signature (bstr head 58 60 + 96 bytes), the last element. 0 when unknown. */
static size_t payload_offset(const uint8_t *raw, size_t len, const uint8_t *payload, size_t plen) {
  const size_t tail = 2 + ZK_P384_RAW_SIG_LEN;
  if (payload == NULL || len < tail + plen) return 0;
  size_t base = len - tail - plen;
  return memcmp(raw + base, payload, plen) == 0 ? base : 0;
}

/*
 * The envelope must be encoded exactly as every NSM encodes it:
 *   [d2] 84 | 44 a1 01 38 22 | a0 | 59 LL LL <payload> (shortest head) | 58 60 <sig>
 * i.e. a definite 4-array, shortest-form heads and an empty unprotected header
 * (unauthenticated, so anything there would only make the document bytes
 * malleable). A verified document then has one encoding, up to the optional tag.
 * Called after the structure, alg, protected header and signature size checks.
 */
static zk_status check_envelope_encoding(const uint8_t *raw, size_t len, size_t plen,
                                         size_t *err_off) {
  static const uint8_t prefix[6] = {0x84, 0x44, 0xa1, 0x01, 0x38, 0x22};
  size_t pos = raw[0] == 0xd2 ? 1 : 0;
  if (len - pos < sizeof prefix + 1 || memcmp(raw + pos, prefix, sizeof prefix) != 0) {
    *err_off = pos;
    return ZK_ERR_NONCANONICAL;
  }
  pos += sizeof prefix;
  if (raw[pos] != 0xa0) {
    *err_off = pos;
    return raw[pos] >= 0xa0 && raw[pos] <= 0xbf ? ZK_ERR_COSE_HEADER : ZK_ERR_NONCANONICAL;
  }
  pos++;
  uint8_t head[9];
  size_t hl;
  if (plen < 24) {
    head[0] = (uint8_t)(0x40 | plen);
    hl = 1;
  } else if (plen <= 0xff) {
    head[0] = 0x58;
    head[1] = (uint8_t)plen;
    hl = 2;
  } else if (plen <= 0xffff) {
    head[0] = 0x59;
    head[1] = (uint8_t)(plen >> 8);
    head[2] = (uint8_t)plen;
    hl = 3;
  } else {
    head[0] = 0x5a;
    for (size_t i = 0; i < 4; i++) head[1 + i] = (uint8_t)(plen >> (24 - 8 * i));
    hl = 5;
  }
  const size_t tail = 2 + ZK_P384_RAW_SIG_LEN;
  if (len - pos < hl || memcmp(raw + pos, head, hl) != 0 || len - pos - hl < tail ||
      len - pos - hl - tail != plen || raw[len - tail] != 0x58 || raw[len - tail + 1] != 0x60) {
    *err_off = pos;
    return ZK_ERR_NONCANONICAL;
  }
  return ZK_OK;
}

static zk_status att_parse(zk_att_doc **out, const uint8_t *buf, size_t len, size_t *err_off) {
  *out = NULL;
  if (len > ZK_ATT_MAX_DOC_LEN) {
    *err_off = ZK_ATT_MAX_DOC_LEN;
    return ZK_ERR_TOO_LARGE;
  }
  zk_att_doc *d = calloc(1, sizeof *d);
  if (d == NULL) return ZK_ERR_NOMEM;
  d->raw = zki_memdup(buf, len);
  d->raw_len = len;
  zk_status st = d->raw == NULL ? ZK_ERR_NOMEM : ZK_OK;
  if (st == ZK_OK) st = zk_cose_sign1_parse(&d->cose, d->raw, len, err_off);
  if (st != ZK_OK) goto fail;

  size_t plen = 0, slen = 0, hlen = 0;
  const uint8_t *prot = zk_cose_sign1_protected(d->cose, &hlen);
  const uint8_t *payload = zk_cose_sign1_payload(d->cose, &plen);
  (void)zk_cose_sign1_signature(d->cose, &slen);
  /* protected header: right after the array head (and tag) */
  size_t poff = (d->raw[0] == 0xd2 ? 1 : 0) + 1;
  if (zk_cose_sign1_alg(d->cose) != ZK_COSE_ALG_ES384) {
    *err_off = poff;
    st = ZK_ERR_COSE_ALG;
    goto fail;
  }
  if (prot == NULL || hlen != sizeof nitro_protected ||
      memcmp(prot, nitro_protected, sizeof nitro_protected) != 0) {
    *err_off = poff;
    st = ZK_ERR_COSE_HEADER;
    goto fail;
  }
  if (slen != ZK_P384_RAW_SIG_LEN) {
    *err_off = len;
    st = ZK_ERR_COSE_SIG_SIZE;
    goto fail;
  }
  if (payload == NULL) {
    st = ZK_ERR_COSE_DETACHED;
    goto fail;
  }
  st = check_envelope_encoding(d->raw, len, plen, err_off);
  if (st != ZK_OK) goto fail;

  const zki_cbor_limits lim = {
      .max_len = ZK_ATT_MAX_DOC_LEN,
      .max_depth = 3, /* payload map -> pcrs map / cabundle array -> byte strings */
      .max_items = 256,
      .max_string = ZK_ATT_MAX_DOC_LEN,
      .allow_indefinite = true, /* NSMs emit indefinite-length maps since 2025 */
      .require_canonical = false,
      .allowed_tags = NULL, /* no tags inside the payload */
      .n_allowed_tags = 0,
  };
  size_t sub = 0;
  st = zki_cbor_decode(&d->payload, payload, plen, &lim, &sub);
  if (st != ZK_OK) {
    size_t base = payload_offset(d->raw, len, payload, plen);
    *err_off = base != 0 ? base + sub : 0;
    goto fail;
  }
  st = parse_payload_map(d);
  if (st != ZK_OK) {
    *err_off = payload_offset(d->raw, len, payload, plen);
    goto fail;
  }
  *out = d;
  return ZK_OK;
fail:
  zk_att_doc_free(d);
  return st;
}

zk_status zk_att_parse_unverified(zk_att_doc **out, const uint8_t *buf, size_t len,
                                  size_t *err_off) {
  size_t off = 0;
  if (out != NULL) *out = NULL;
  if (err_off != NULL) *err_off = 0;
  if (out == NULL || (buf == NULL && len != 0)) return ZK_ERR_ARG;
  zk_status st = att_parse(out, buf, len, &off);
  if (st != ZK_OK && err_off != NULL) *err_off = off;
  return st;
}

/* ------------------------------------------------------------------------ */
/* Signature and chain                                                       */

static zk_status chain_id(const zk_att_doc *d, uint8_t id[32]) {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
           EVP_DigestUpdate(ctx, chain_domain, sizeof chain_domain) == 1;
  uint8_t be[4];
  size_t n = d->n_cabundle; /* leaf + cabundle[1..] */
  be[0] = (uint8_t)(n >> 24);
  be[1] = (uint8_t)(n >> 16);
  be[2] = (uint8_t)(n >> 8);
  be[3] = (uint8_t)n;
  ok = ok && EVP_DigestUpdate(ctx, be, 4) == 1;
  for (size_t i = 0; ok && i < n; i++) {
    const att_bytes *c = i == 0 ? &d->certificate : &d->cabundle[i];
    be[0] = (uint8_t)(c->len >> 24);
    be[1] = (uint8_t)(c->len >> 16);
    be[2] = (uint8_t)(c->len >> 8);
    be[3] = (uint8_t)c->len;
    ok = EVP_DigestUpdate(ctx, be, 4) == 1 && EVP_DigestUpdate(ctx, c->p, c->len) == 1;
  }
  unsigned int olen = 0;
  ok = ok && EVP_DigestFinal_ex(ctx, id, &olen) == 1 && olen == 32;
  EVP_MD_CTX_free(ctx);
  return ok ? ZK_OK : ZK_ERR_INTERNAL;
}

/* The leaf must hold a P-384 key usable for signatures (end entity, digitalSignature). */
static zk_status leaf_key(X509 *leaf, zk_key **out) {
  *out = NULL;
  EVP_PKEY *pk = X509_get0_pubkey(leaf);
  char group[64] = {0};
  size_t glen = 0;
  if (pk == NULL || !EVP_PKEY_is_a(pk, "EC") ||
      EVP_PKEY_get_group_name(pk, group, sizeof group, &glen) != 1 ||
      strcmp(group, "secp384r1") != 0)
    return ZK_ERR_ATT_LEAF;
  if (X509_check_ca(leaf) != 0) return ZK_ERR_ATT_LEAF;
  if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) &&
      !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE))
    return ZK_ERR_ATT_LEAF;
  unsigned char *spki = NULL;
  int n = i2d_PUBKEY(pk, &spki);
  if (n <= 0) return ZK_ERR_ATT_LEAF;
  zk_status st = zk_key_from_spki(out, spki, (size_t)n);
  OPENSSL_free(spki);
  if (st == ZK_OK && zk_key_curve(*out) != ZK_CURVE_P384) {
    zk_key_free(*out);
    *out = NULL;
    st = ZK_ERR_ATT_LEAF;
  }
  if (st != ZK_OK && st != ZK_ERR_NOMEM) st = ZK_ERR_ATT_LEAF;
  return st;
}

static zk_status map_x509_error(int err) {
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return ZK_ERR_ATT_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return ZK_ERR_ATT_NOT_YET_VALID;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_UNTRUSTED:
      return ZK_ERR_ATT_UNTRUSTED_ROOT;
    case X509_V_ERR_OUT_OF_MEM:
      return ZK_ERR_NOMEM;
    default:
      return ZK_ERR_ATT_CHAIN;
  }
}

/* One X509_verify_cert run at time t; *x509_err receives OpenSSL's reason. */
static int verify_at(X509_STORE_CTX *ctx, X509_STORE *store, X509 *leaf, STACK_OF(X509) * untrusted,
                     int64_t t, int *x509_err) {
  X509_STORE_CTX_cleanup(ctx);
  if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
    *x509_err = X509_V_ERR_OUT_OF_MEM;
    return 0;
  }
  X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_time(param, (time_t)t);
  X509_VERIFY_PARAM_set_depth(param, (int)ZK_ATT_MAX_CABUNDLE);
  X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN);
  int ok = X509_verify_cert(ctx) == 1;
  *x509_err = ok ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  return ok;
}

/* Verify leaf + cabundle[1..] to a pinned root at t (leeway: see zk_att_policy_set_leeway).
 * On success *nb / *na receive the chain's validity window. */
static zk_status verify_chain(const zk_att_verifier *v, const zk_att_doc *d, X509 *leaf, int64_t t,
                              int64_t leeway, int64_t *nb, int64_t *na) {
  zk_status st = ZK_OK;
  STACK_OF(X509) *untrusted = sk_X509_new_null();
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  if (untrusted == NULL || ctx == NULL) {
    st = ZK_ERR_NOMEM;
    goto out;
  }
  for (size_t i = 1; i < d->n_cabundle; i++) {
    X509 *x = x509_from_der(d->cabundle[i].p, d->cabundle[i].len);
    if (x == NULL) {
      st = ZK_ERR_ATT_CERT;
      goto out;
    }
    if (sk_X509_push(untrusted, x) <= 0) {
      X509_free(x);
      st = ZK_ERR_NOMEM;
      goto out;
    }
  }
  int err = X509_V_OK, err2 = X509_V_OK;
  if (!verify_at(ctx, v->store, leaf, untrusted, t, &err)) {
    if (!(err == X509_V_ERR_CERT_NOT_YET_VALID && leeway > 0 &&
          verify_at(ctx, v->store, leaf, untrusted, t + leeway, &err2))) {
      st = map_x509_error(err);
      goto out;
    }
  }
  STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
  if (chain == NULL || sk_X509_num(chain) < 2) {
    st = ZK_ERR_ATT_CHAIN;
    goto out;
  }
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  for (int i = 0; i < sk_X509_num(chain); i++) {
    X509 *x = sk_X509_value(chain, i);
    int64_t a, b;
    if (!asn1_time_unix(X509_get0_notBefore(x), &a) || !asn1_time_unix(X509_get0_notAfter(x), &b)) {
      st = ZK_ERR_ATT_CERT;
      goto out;
    }
    if (a > lo) lo = a;
    if (b < hi) hi = b;
  }
  /* Cross-check the window against what OpenSSL accepted. */
  if (!window_accepts(lo, hi, t, leeway)) {
    st = ZK_ERR_INTERNAL;
    goto out;
  }
  *nb = lo;
  *na = hi;
out:
  X509_STORE_CTX_free(ctx);
  sk_X509_pop_free(untrusted, X509_free);
  return st;
}

static zk_status verify_signature(const zk_att_doc *d, const zk_key *key) {
  zk_status st = zk_cose_sign1_verify(d->cose, key, NULL, 0);
  return st == ZK_ERR_SIGNATURE ? ZK_ERR_ATT_SIGNATURE : st;
}

static zk_status verify_sig_and_chain(const zk_att_verifier *v, const zk_att_doc *d, int64_t t,
                                      int64_t leeway) {
  uint8_t id[32];
  ZKI_TRY(chain_id(d, id));
  att_key_ref *ref = cache_lookup(v->cache, id, t, leeway);
  if (ref != NULL) { /* warm: chain already verified and still inside its window */
    zk_status st = verify_signature(d, ref->key);
    key_ref_release(v->cache, ref);
    return st;
  }
  /* cold */
  X509 *leaf = x509_from_der(d->certificate.p, d->certificate.len);
  if (leaf == NULL) return ZK_ERR_ATT_CERT;
  zk_key *key = NULL;
  zk_status st = leaf_key(leaf, &key);
  if (st == ZK_OK) st = verify_signature(d, key);
  int64_t nb = 0, na = 0;
  if (st == ZK_OK) st = verify_chain(v, d, leaf, t, leeway, &nb, &na);
  X509_free(leaf);
  if (st == ZK_OK) {
    ref = calloc(1, sizeof *ref);
    if (ref == NULL) {
      zk_key_free(key);
      return ZK_ERR_NOMEM;
    }
    ref->key = key;
    ref->refs = 1;
    cache_insert(v->cache, id, nb, na, ref);
    key_ref_release(v->cache, ref);
    return ZK_OK;
  }
  zk_key_free(key);
  return st;
}

/* ------------------------------------------------------------------------ */
/* Policy checks                                                             */

static int all_zero(const uint8_t *p, size_t len) {
  uint8_t acc = 0;
  for (size_t i = 0; i < len; i++) acc |= p[i];
  return acc == 0;
}

static int expect_ok(const att_expect *e, const att_bytes *b) {
  if (!e->set) return 1;
  if (b->p == NULL || b->len != e->len) return 0;
  return e->len == 0 || zk_ct_equal(b->p, e->p, e->len);
}

static zk_status check_policy(const zk_att_policy *p, const zk_att_doc *d, int64_t t) {
  /* debug mode: PCR0 all zero (fail closed when PCR0 is absent) */
  if (!p->allow_debug) {
    if (d->pcr[0].p == NULL) return ZK_ERR_ATT_PCR_MISSING;
    if (all_zero(d->pcr[0].p, d->pcr[0].len)) return ZK_ERR_ATT_DEBUG;
  }
  for (unsigned i = 0; i < ZK_ATT_MAX_PCRS; i++) {
    size_t n = p->pcr[i].n;
    if (n == 0) continue;
    if (d->pcr[i].p == NULL) return ZK_ERR_ATT_PCR_MISSING;
    int match = 0; /* every accepted value is compared: no early exit */
    for (size_t j = 0; j < n; j++) {
      if (p->pcr[i].len[j] == d->pcr[i].len)
        match |= zk_ct_equal(p->pcr[i].val[j], d->pcr[i].p, d->pcr[i].len);
    }
    if (!match) return ZK_ERR_ATT_PCR_MISMATCH;
  }
  if (!expect_ok(&p->nonce, &d->nonce)) return ZK_ERR_ATT_NONCE;
  if (!expect_ok(&p->user_data, &d->user_data)) return ZK_ERR_ATT_USER_DATA;
  if (!expect_ok(&p->public_key, &d->public_key)) return ZK_ERR_ATT_PUBLIC_KEY;
  uint64_t doc_s = d->timestamp_ms / 1000;
  if (doc_s > (uint64_t)t + p->leeway_s) return ZK_ERR_ATT_FUTURE;
  if (p->max_age_s != 0 && (uint64_t)t > doc_s && (uint64_t)t - doc_s > p->max_age_s)
    return ZK_ERR_ATT_STALE;
  return ZK_OK;
}

/* ------------------------------------------------------------------------ */

zk_status zk_att_verify(const zk_att_verifier *v, zk_att_doc **out, const uint8_t *buf, size_t len,
                        uint64_t at_unix, const zk_att_policy *policy, size_t *err_off) {
  size_t off = 0;
  if (out != NULL) *out = NULL;
  if (err_off != NULL) *err_off = 0;
  if (v == NULL || out == NULL || (buf == NULL && len != 0)) return ZK_ERR_ARG;
  if (at_unix == ZK_ATT_TIME_NOW) at_unix = zki_now_ms() / 1000;
  if (at_unix == 0 || at_unix > ATT_MAX_TIME) return ZK_ERR_ARG;
  const zk_att_policy *p = policy != NULL ? policy : &default_policy;

  zk_att_doc *d = NULL;
  zk_status st = att_parse(&d, buf, len, &off);
  if (st != ZK_OK) {
    if (err_off != NULL) *err_off = off;
    return st;
  }
  st = verify_sig_and_chain(v, d, (int64_t)at_unix, (int64_t)p->leeway_s);
  if (st == ZK_OK) st = check_policy(p, d, (int64_t)at_unix);
  ERR_clear_error();
  if (st != ZK_OK) {
    zk_att_doc_free(d);
    return st;
  }
  d->verified = 1;
  *out = d;
  return ZK_OK;
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                 */

int zk_att_doc_is_verified(const zk_att_doc *doc) {
  return doc != NULL && doc->verified;
}

static const uint8_t *bytes_out(const att_bytes *b, size_t *len) {
  if (len != NULL) *len = b->p != NULL ? b->len : 0;
  return b->p;
}

const char *zk_att_doc_module_id(const zk_att_doc *doc, size_t *len) {
  if (len != NULL) *len = doc != NULL ? doc->module_id_len : 0;
  return doc != NULL ? doc->module_id : NULL;
}

uint64_t zk_att_doc_timestamp_ms(const zk_att_doc *doc) {
  return doc != NULL ? doc->timestamp_ms : 0;
}

const uint8_t *zk_att_doc_pcr(const zk_att_doc *doc, unsigned index, size_t *len) {
  if (doc == NULL || index >= ZK_ATT_MAX_PCRS) {
    if (len != NULL) *len = 0;
    return NULL;
  }
  return bytes_out(&doc->pcr[index], len);
}

uint32_t zk_att_doc_pcr_mask(const zk_att_doc *doc) {
  return doc != NULL ? doc->pcr_mask : 0;
}

int zk_att_doc_is_debug(const zk_att_doc *doc) {
  return doc != NULL && doc->pcr[0].p != NULL && all_zero(doc->pcr[0].p, doc->pcr[0].len);
}

const uint8_t *zk_att_doc_certificate(const zk_att_doc *doc, size_t *len) {
  static const att_bytes none = {NULL, 0};
  return bytes_out(doc != NULL ? &doc->certificate : &none, len);
}

size_t zk_att_doc_cabundle_count(const zk_att_doc *doc) {
  return doc != NULL ? doc->n_cabundle : 0;
}

const uint8_t *zk_att_doc_cabundle(const zk_att_doc *doc, size_t i, size_t *len) {
  if (doc == NULL || i >= doc->n_cabundle) {
    if (len != NULL) *len = 0;
    return NULL;
  }
  return bytes_out(&doc->cabundle[i], len);
}

const uint8_t *zk_att_doc_public_key(const zk_att_doc *doc, size_t *len) {
  static const att_bytes none = {NULL, 0};
  return bytes_out(doc != NULL ? &doc->public_key : &none, len);
}

const uint8_t *zk_att_doc_user_data(const zk_att_doc *doc, size_t *len) {
  static const att_bytes none = {NULL, 0};
  return bytes_out(doc != NULL ? &doc->user_data : &none, len);
}

const uint8_t *zk_att_doc_nonce(const zk_att_doc *doc, size_t *len) {
  static const att_bytes none = {NULL, 0};
  return bytes_out(doc != NULL ? &doc->nonce : &none, len);
}

const uint8_t *zk_att_doc_bytes(const zk_att_doc *doc, size_t *len) {
  if (len != NULL) *len = doc != NULL ? doc->raw_len : 0;
  return doc != NULL ? doc->raw : NULL;
}

int zk_att_doc_is_tagged(const zk_att_doc *doc) {
  return doc != NULL && doc->cose != NULL && zk_cose_sign1_is_tagged(doc->cose);
}
