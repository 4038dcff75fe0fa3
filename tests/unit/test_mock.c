/*
 * Mock trust backend: NSM semantics (PCRs, locks, errors, clock) and the exact
 * shape of its attestation documents, checked with OpenSSL and libcbor
 * directly (chain verification against the mock root, ES384 signature with the
 * leaf key, payload keys/types/order as in real Nitro documents).
 */
#include <cbor.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk_backend_internal.h"
#include "zkt.h"

#define T0_MS 1767225600123ull /* 2026-01-01T00:00:00.123Z */

static zk_backend *open_mock(const zk_backend_options *extra) {
  zk_backend_options o;
  if (extra != NULL)
    o = *extra;
  else
    memset(&o, 0, sizeof(o));
  if (o.mock_time_ms == 0) o.mock_time_ms = T0_MS;
  zk_backend *b = NULL;
  zkt_assert_ok(zk_backend_open(&b, "mock", &o));
  assert_string_equal(zk_backend_name(b), "mock");
  return b;
}

/* Independent SHA-384(a || b). */
static void sha384_cat(uint8_t out[48], const uint8_t *a, size_t alen, const uint8_t *b,
                       size_t blen) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  unsigned n = 0;
  assert_non_null(md);
  assert_true(EVP_DigestInit_ex(md, EVP_sha384(), NULL));
  assert_true(EVP_DigestUpdate(md, a, alen));
  assert_true(EVP_DigestUpdate(md, b, blen));
  assert_true(EVP_DigestFinal_ex(md, out, &n));
  assert_int_equal(n, 48);
  EVP_MD_CTX_free(md);
}

static void test_describe_and_pcrs(void **state) {
  (void)state;
  zk_backend *b = open_mock(NULL);
  zk_nsm_description d;
  zkt_assert_ok(zk_backend_describe(b, &d));
  assert_int_equal(d.max_pcrs, 32);
  assert_int_equal(d.digest, ZK_NSM_DIGEST_SHA384);
  assert_int_equal(d.version_major, 1);
  assert_string_equal(d.module_id, "i-0123456789abcdef0-enc0123456789abcdef");
  assert_int_equal(d.n_locked_pcrs, 16);
  for (unsigned i = 0; i < 16; i++) assert_int_equal(d.locked_pcrs[i], i);

  uint8_t v[ZK_NSM_PCR_MAX_LEN], zero[48] = {0};
  for (uint16_t i = 0; i < 32; i++) {
    size_t vlen = sizeof(v);
    int locked = -1;
    zkt_assert_ok(zk_backend_describe_pcr(b, &locked, v, &vlen, i));
    assert_int_equal(vlen, 48);
    assert_int_equal(locked, i < 16);
    assert_memory_equal(v, zero, 48);
  }
  size_t vlen = sizeof(v);
  int locked;
  zkt_assert_status(zk_backend_describe_pcr(b, &locked, v, &vlen, 32), ZK_ERR_NSM_INVALID_INDEX);
  vlen = 47;
  zkt_assert_status(zk_backend_describe_pcr(b, &locked, v, &vlen, 16), ZK_ERR_BUFFER_TOO_SMALL);

  /* extend = SHA-384(old || data), chained */
  uint8_t want[48], tmp[48];
  sha384_cat(want, zero, 48, (const uint8_t *)"abc", 3);
  vlen = sizeof(v);
  zkt_assert_ok(zk_backend_extend_pcr(b, v, &vlen, 16, (const uint8_t *)"abc", 3));
  assert_int_equal(vlen, 48);
  assert_memory_equal(v, want, 48);
  memcpy(tmp, want, 48);
  sha384_cat(want, tmp, 48, NULL, 0);
  vlen = sizeof(v);
  zkt_assert_ok(zk_backend_extend_pcr(b, v, &vlen, 16, NULL, 0));
  assert_memory_equal(v, want, 48);
  vlen = sizeof(v);
  zkt_assert_ok(zk_backend_describe_pcr(b, &locked, v, &vlen, 16));
  assert_memory_equal(v, want, 48);
  assert_int_equal(locked, 0);

  /* NSM error semantics */
  vlen = sizeof(v);
  zkt_assert_status(zk_backend_extend_pcr(b, v, &vlen, 0, (const uint8_t *)"x", 1),
                    ZK_ERR_NSM_READ_ONLY_INDEX);
  vlen = sizeof(v);
  zkt_assert_status(zk_backend_extend_pcr(b, v, &vlen, 32, (const uint8_t *)"x", 1),
                    ZK_ERR_NSM_INVALID_INDEX);
  static uint8_t huge[5000];
  vlen = sizeof(v);
  zkt_assert_status(zk_backend_extend_pcr(b, v, &vlen, 17, huge, sizeof(huge)),
                    ZK_ERR_NSM_INPUT_TOO_LARGE);
  zkt_assert_status(zk_backend_lock_pcr(b, 0), ZK_ERR_NSM_READ_ONLY_INDEX);
  zkt_assert_status(zk_backend_lock_pcr(b, 32), ZK_ERR_NSM_INVALID_INDEX);
  zkt_assert_ok(zk_backend_lock_pcr(b, 16));
  zkt_assert_status(zk_backend_lock_pcr(b, 16), ZK_ERR_NSM_READ_ONLY_INDEX);
  vlen = sizeof(v);
  zkt_assert_status(zk_backend_extend_pcr(b, v, &vlen, 16, (const uint8_t *)"x", 1),
                    ZK_ERR_NSM_READ_ONLY_INDEX);
  vlen = sizeof(v);
  zkt_assert_ok(zk_backend_describe_pcr(b, &locked, v, &vlen, 16));
  assert_int_equal(locked, 1);
  assert_memory_equal(v, want, 48); /* value kept */

  zkt_assert_status(zk_backend_lock_pcrs(b, 33), ZK_ERR_NSM_INVALID_INDEX);
  zkt_assert_ok(zk_backend_lock_pcrs(b, 20)); /* 16 already locked: fine */
  zkt_assert_ok(zk_backend_describe(b, &d));
  assert_int_equal(d.n_locked_pcrs, 20);
  zkt_assert_ok(zk_backend_lock_pcrs(b, 32));
  zkt_assert_ok(zk_backend_describe(b, &d));
  assert_int_equal(d.n_locked_pcrs, 32);
  vlen = sizeof(v);
  zkt_assert_status(zk_backend_extend_pcr(b, v, &vlen, 31, (const uint8_t *)"x", 1),
                    ZK_ERR_NSM_READ_ONLY_INDEX);
  zk_backend_free(b);
}

static void test_clock_random_misc(void **state) {
  (void)state;
  zk_backend *b = open_mock(NULL);
  uint64_t t = 0;
  zkt_assert_ok(zk_backend_time_ms(b, &t));
  assert_int_equal(t, T0_MS);
  zkt_assert_ok(zk_backend_mock_set_time(b, 42));
  zkt_assert_ok(zk_backend_time_ms(b, &t));
  assert_int_equal(t, 42);
  uint8_t r1[32], r2[32];
  zkt_assert_ok(zk_backend_random(b, r1, sizeof(r1)));
  zkt_assert_ok(zk_backend_random(b, r2, sizeof(r2)));
  assert_memory_not_equal(r1, r2, sizeof(r1));
  zk_backend_free(b);
  zk_backend_free(NULL);

  /* default clock = now */
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  zkt_assert_ok(zk_backend_open(&b, "mock", &o));
  zkt_assert_ok(zk_backend_time_ms(b, &t));
  assert_true(t > T0_MS - 86400000ull * 365);
  zk_backend_free(b);

  /* argument checks */
  o.mock_root_der = (const uint8_t *)"x";
  o.mock_root_der_len = 1;
  zkt_assert_status(zk_backend_open(&b, "mock", &o), ZK_ERR_ARG); /* partial PKI */
  memset(&o, 0, sizeof(o));
  o.mock_boot_pcrs = (const uint8_t *)"x";
  o.mock_boot_pcrs_len = 1;
  zkt_assert_status(zk_backend_open(&b, "mock", &o), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_open(&b, NULL, &o), ZK_ERR_ARG);
  assert_null(b);
  const uint8_t *der;
  size_t der_len;
  zkt_assert_status(zk_backend_mock_root_der(NULL, &der, &der_len), ZK_ERR_ARG);
}

/* ---- document structure ---- */

typedef struct doc_view {
  cbor_item_t *payload;
  const uint8_t *payload_raw;
  size_t payload_len;
} doc_view;

static const char *const order[] = {"module_id", "digest",     "timestamp", "pcrs", "certificate",
                                    "cabundle",  "public_key", "user_data", "nonce"};

static cbor_item_t *field(const cbor_item_t *map, const char *key) {
  struct cbor_pair *p = cbor_map_handle(map);
  for (size_t i = 0; i < cbor_map_size(map); i++)
    if (cbor_isa_string(p[i].key) && cbor_string_length(p[i].key) == strlen(key) &&
        memcmp(cbor_string_handle(p[i].key), key, strlen(key)) == 0)
      return p[i].value;
  fail_msg("payload key %s missing", key);
  return NULL;
}

static X509 *x509_of(const uint8_t *der, size_t len) {
  const unsigned char *p = der;
  X509 *x = d2i_X509(NULL, &p, (long)len);
  assert_non_null(x);
  return x;
}

/* Verify the document as a relying party would, with OpenSSL only, pinned to root_der. */
static int chain_ok(const cbor_item_t *payload, const uint8_t *root_der, size_t root_len,
                    uint64_t at_s) {
  cbor_item_t *cert = field(payload, "certificate"), *bundle = field(payload, "cabundle");
  X509 *leaf = x509_of(cbor_bytestring_handle(cert), cbor_bytestring_length(cert));
  X509 *root = x509_of(root_der, root_len);
  X509_STORE *store = X509_STORE_new();
  STACK_OF(X509) *untrusted = sk_X509_new_null();
  assert_true(X509_STORE_add_cert(store, root));
  cbor_item_t **items = cbor_array_handle(bundle);
  for (size_t i = 1; i < cbor_array_size(bundle); i++) /* never trust cabundle[0] */
    assert_true(sk_X509_push(untrusted, x509_of(cbor_bytestring_handle(items[i]),
                                                cbor_bytestring_length(items[i]))) > 0);
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  assert_true(X509_STORE_CTX_init(ctx, store, leaf, untrusted));
  X509_STORE_CTX_set_time(ctx, 0, (time_t)at_s);
  X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), X509_V_FLAG_X509_STRICT);
  int ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  sk_X509_pop_free(untrusted, X509_free);
  X509_STORE_free(store);
  X509_free(root);
  X509_free(leaf);
  return ok;
}

/* Parse a document; check envelope, payload shape, signature. Returns the payload map. */
static cbor_item_t *check_doc(const uint8_t *doc, size_t doc_len, uint64_t want_ts) {
  static const uint8_t prot[] = {0xA1, 0x01, 0x38, 0x22};
  assert_true(doc_len > 4);
  assert_int_equal(doc[0], 0x84); /* untagged 4-array */
  zk_cose_sign1 *msg = NULL;
  zkt_assert_ok(zk_cose_sign1_parse(&msg, doc, doc_len, NULL));
  assert_int_equal(zk_cose_sign1_is_tagged(msg), 0);
  assert_int_equal(zk_cose_sign1_alg(msg), ZK_COSE_ALG_ES384);
  size_t n;
  const uint8_t *p = zk_cose_sign1_protected(msg, &n);
  assert_int_equal(n, 4);
  assert_memory_equal(p, prot, 4);
  (void)zk_cose_sign1_signature(msg, &n);
  assert_int_equal(n, 96);
  size_t plen;
  const uint8_t *pl = zk_cose_sign1_payload(msg, &plen);
  assert_int_equal(pl[0], 0xA9); /* definite 9-entry map */
  struct cbor_load_result res;
  cbor_item_t *payload = cbor_load(pl, plen, &res);
  assert_non_null(payload);
  assert_int_equal(res.read, plen);
  assert_true(cbor_isa_map(payload));
  assert_int_equal(cbor_map_size(payload), 9);
  struct cbor_pair *pairs = cbor_map_handle(payload);
  for (size_t i = 0; i < 9; i++) {
    assert_int_equal(cbor_string_length(pairs[i].key), strlen(order[i]));
    assert_memory_equal(cbor_string_handle(pairs[i].key), order[i], strlen(order[i]));
  }
  assert_true(cbor_isa_string(field(payload, "module_id")));
  cbor_item_t *dg = field(payload, "digest");
  assert_int_equal(cbor_string_length(dg), 6);
  assert_memory_equal(cbor_string_handle(dg), "SHA384", 6);
  cbor_item_t *ts = field(payload, "timestamp");
  assert_true(cbor_isa_uint(ts));
  assert_int_equal(cbor_get_int(ts), want_ts);
  cbor_item_t *pcrs = field(payload, "pcrs");
  assert_int_equal(cbor_map_size(pcrs), 32);
  struct cbor_pair *pp = cbor_map_handle(pcrs);
  for (size_t i = 0; i < 32; i++) {
    assert_int_equal(cbor_get_int(pp[i].key), i);
    assert_int_equal(cbor_bytestring_length(pp[i].value), 48);
  }
  assert_true(cbor_isa_bytestring(field(payload, "certificate")));
  assert_int_equal(cbor_array_size(field(payload, "cabundle")), 2);

  /* the COSE signature verifies with the leaf certificate's key */
  cbor_item_t *cert = field(payload, "certificate");
  X509 *leaf = x509_of(cbor_bytestring_handle(cert), cbor_bytestring_length(cert));
  unsigned char *spki = NULL;
  int spki_len = i2d_PUBKEY(X509_get0_pubkey(leaf), &spki);
  assert_true(spki_len > 0);
  zk_key *k = NULL;
  zkt_assert_ok(zk_key_from_spki(&k, spki, (size_t)spki_len));
  assert_int_equal(zk_key_curve(k), ZK_CURVE_P384);
  zkt_assert_ok(zk_cose_sign1_verify(msg, k, NULL, 0));
  zk_key_free(k);
  OPENSSL_free(spki);
  X509_free(leaf);
  zk_cose_sign1_free(msg);
  return payload;
}

static void assert_opt(const cbor_item_t *payload, const char *key, const uint8_t *want,
                       size_t want_len) {
  cbor_item_t *v = field(payload, key);
  if (want == NULL) {
    assert_true(cbor_is_null(v));
  } else {
    assert_true(cbor_isa_bytestring(v));
    assert_int_equal(cbor_bytestring_length(v), want_len);
    if (want_len) assert_memory_equal(cbor_bytestring_handle(v), want, want_len);
  }
}

static void test_attestation_document(void **state) {
  (void)state;
  uint8_t boot[16 * 48];
  for (size_t i = 0; i < sizeof(boot); i++) boot[i] = (uint8_t)(i / 48 + 1);
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.mock_boot_pcrs = boot;
  o.mock_boot_pcrs_len = sizeof(boot);
  o.mock_module_id = "i-00000000000000001-enc0000000000000001";
  zk_backend *b = open_mock(&o);
  const uint8_t *root;
  size_t root_len;
  zkt_assert_ok(zk_backend_mock_root_der(b, &root, &root_len));
  assert_true(root_len > 100);

  uint8_t *doc = NULL;
  size_t doc_len = 0;
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, NULL, 0, NULL, 0, NULL, 0));
  cbor_item_t *pl = check_doc(doc, doc_len, T0_MS);
  assert_opt(pl, "public_key", NULL, 0);
  assert_opt(pl, "user_data", NULL, 0);
  assert_opt(pl, "nonce", NULL, 0);
  cbor_item_t *mid = field(pl, "module_id");
  assert_memory_equal(cbor_string_handle(mid), o.mock_module_id, strlen(o.mock_module_id));
  struct cbor_pair *pp = cbor_map_handle(field(pl, "pcrs"));
  for (size_t i = 0; i < 16; i++)
    assert_memory_equal(cbor_bytestring_handle(pp[i].value), boot + i * 48, 48);
  /* cabundle[0] is the pinned root; the chain verifies (strict X.509) at the clock */
  cbor_item_t **bundle = cbor_array_handle(field(pl, "cabundle"));
  assert_int_equal(cbor_bytestring_length(bundle[0]), root_len);
  assert_memory_equal(cbor_bytestring_handle(bundle[0]), root, root_len);
  assert_true(chain_ok(pl, root, root_len, T0_MS / 1000));
  assert_false(chain_ok(pl, root, root_len, T0_MS / 1000 + 2ull * 365 * 86400)); /* leaf expired */
  assert_false(chain_ok(pl, root, root_len, T0_MS / 1000 - 2 * 86400));          /* not yet valid */
  cbor_decref(&pl);
  zk_free(doc);

  /* fields, including an empty one, PCR extend visible, clock visible */
  uint8_t v[48];
  size_t vlen = sizeof(v);
  zkt_assert_ok(zk_backend_extend_pcr(b, v, &vlen, 23, (const uint8_t *)"app", 3));
  zkt_assert_ok(zk_backend_mock_set_time(b, T0_MS + 5000));
  static const uint8_t pk[97] = {4, 1, 2, 3};
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, (const uint8_t *)"hello", 5,
                                  (const uint8_t *)"", 0, pk, sizeof(pk)));
  pl = check_doc(doc, doc_len, T0_MS + 5000);
  assert_opt(pl, "user_data", (const uint8_t *)"hello", 5);
  assert_opt(pl, "nonce", (const uint8_t *)"", 0);
  assert_opt(pl, "public_key", pk, sizeof(pk));
  pp = cbor_map_handle(field(pl, "pcrs"));
  assert_memory_equal(cbor_bytestring_handle(pp[23].value), v, 48);
  cbor_decref(&pl);
  zk_free(doc);

  /* limits: 1024 per field is fine, 1025 is refused like the device would */
  static uint8_t k[1025];
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, k, 1024, k, 1024, k, 1024));
  zk_free(doc);
  zkt_assert_status(zk_backend_attest(b, &doc, &doc_len, k, 1025, NULL, 0, NULL, 0),
                    ZK_ERR_NSM_INPUT_TOO_LARGE);
  assert_null(doc);
  assert_int_equal(doc_len, 0);
  zkt_assert_status(zk_backend_attest(b, &doc, &doc_len, NULL, 3, NULL, 0, NULL, 0), ZK_ERR_ARG);
  zk_backend_free(b);

  /* two mocks have different roots: a document of one does not chain to the other */
  zk_backend *b2 = open_mock(NULL);
  zk_backend *b3 = open_mock(NULL);
  zkt_assert_ok(zk_backend_attest(b2, &doc, &doc_len, NULL, 0, NULL, 0, NULL, 0));
  pl = check_doc(doc, doc_len, T0_MS);
  const uint8_t *root3;
  size_t root3_len;
  zkt_assert_ok(zk_backend_mock_root_der(b3, &root3, &root3_len));
  assert_false(chain_ok(pl, root3, root3_len, T0_MS / 1000));
  cbor_decref(&pl);
  zk_free(doc);
  zk_backend_free(b2);
  zk_backend_free(b3);
}

/* Document variants of real NSMs: indefinite payload map, tag 18, 16 PCRs. */
static void test_document_variants(void **state) {
  (void)state;
  static const unsigned flags[] = {ZK_MOCK_INDEFINITE_PAYLOAD, ZK_MOCK_TAGGED, ZK_MOCK_16_PCRS,
                                   ZK_MOCK_INDEFINITE_PAYLOAD | ZK_MOCK_TAGGED | ZK_MOCK_16_PCRS};
  for (size_t i = 0; i < ZKI_ARRAY_LEN(flags); i++) {
    zk_backend_options o;
    memset(&o, 0, sizeof(o));
    o.mock_flags = flags[i];
    zk_backend *b = open_mock(&o);
    uint8_t *doc = NULL;
    size_t doc_len = 0;
    zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, NULL, 0, (const uint8_t *)"n", 1, NULL, 0));
    int tagged = (flags[i] & ZK_MOCK_TAGGED) != 0;
    assert_int_equal(doc[0], tagged ? 0xD2 : 0x84);
    if (tagged) assert_int_equal(doc[1], 0x84);
    zk_cose_sign1 *msg = NULL;
    zkt_assert_ok(zk_cose_sign1_parse(&msg, doc, doc_len, NULL));
    assert_int_equal(zk_cose_sign1_is_tagged(msg), tagged);
    size_t plen;
    const uint8_t *pl = zk_cose_sign1_payload(msg, &plen);
    if (flags[i] & ZK_MOCK_INDEFINITE_PAYLOAD) {
      assert_int_equal(pl[0], 0xBF);
      assert_int_equal(pl[plen - 1], 0xFF);
    } else {
      assert_int_equal(pl[0], 0xA9);
    }
    struct cbor_load_result res;
    cbor_item_t *payload = cbor_load(pl, plen, &res);
    assert_non_null(payload);
    assert_int_equal(res.read, plen);
    assert_int_equal(cbor_map_size(payload), 9);
    assert_int_equal(cbor_map_size(field(payload, "pcrs")), (flags[i] & ZK_MOCK_16_PCRS) ? 16 : 32);
    cbor_decref(&payload);
    zk_cose_sign1_free(msg);
    zk_free(doc);
    zk_backend_free(b);
  }
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.mock_flags = 0x8;
  zk_backend *b = NULL;
  zkt_assert_status(zk_backend_open(&b, "mock", &o), ZK_ERR_ARG);
}

/* One mock shared by 4 threads, each extending its own PCR and attesting:
 * every PCR ends at the sequential chain, every document verifies. */
typedef struct thread_arg {
  zk_backend *b;
  uint16_t index;
  int rounds;
  int failed;
} thread_arg;

static void *extend_worker(void *p) {
  thread_arg *a = p;
  for (int r = 0; r < a->rounds; r++) {
    uint8_t v[48], data[2] = {(uint8_t)a->index, (uint8_t)r};
    size_t vlen = sizeof(v);
    if (zk_backend_extend_pcr(a->b, v, &vlen, a->index, data, sizeof(data)) != ZK_OK) a->failed = 1;
    if (r % 8 == 0) {
      uint8_t *doc = NULL;
      size_t doc_len = 0;
      if (zk_backend_attest(a->b, &doc, &doc_len, data, 2, NULL, 0, NULL, 0) != ZK_OK)
        a->failed = 1;
      zk_free(doc);
    }
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  zk_backend *b = open_mock(NULL);
  pthread_t th[4];
  thread_arg args[4];
  for (int i = 0; i < 4; i++) {
    args[i] = (thread_arg){.b = b, .index = (uint16_t)(16 + i), .rounds = 40, .failed = 0};
    assert_int_equal(pthread_create(&th[i], NULL, extend_worker, &args[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(args[i].failed, 0);
  }
  for (int i = 0; i < 4; i++) {
    uint8_t want[48] = {0}, tmp[48], got[48];
    for (int r = 0; r < 40; r++) {
      uint8_t data[2] = {(uint8_t)(16 + i), (uint8_t)r};
      memcpy(tmp, want, 48);
      sha384_cat(want, tmp, 48, data, 2);
    }
    size_t glen = sizeof(got);
    int locked;
    zkt_assert_ok(zk_backend_describe_pcr(b, &locked, got, &glen, (uint16_t)(16 + i)));
    assert_memory_equal(got, want, 48);
  }
  zk_backend_free(b);
}

static void test_loaded_pki(void **state) {
  (void)state;
  uint8_t *root, *inter, *leaf, *secret_hex;
  size_t root_len, inter_len, leaf_len, hex_len;
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_root.der", &root, &root_len);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_intermediate.der", &inter, &inter_len);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_leaf.der", &leaf, &leaf_len);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_leaf_p384_secret.hex", &secret_hex, &hex_len);
  while (hex_len > 0 && (secret_hex[hex_len - 1] == '\n' || secret_hex[hex_len - 1] == '\r'))
    secret_hex[--hex_len] = '\0';
  size_t secret_len;
  uint8_t *secret = zkt_hex((const char *)secret_hex, &secret_len);
  assert_int_equal(secret_len, 48);

  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.mock_time_ms = T0_MS;
  o.mock_root_der = root, o.mock_root_der_len = root_len;
  o.mock_intermediate_der = inter, o.mock_intermediate_der_len = inter_len;
  o.mock_leaf_der = leaf, o.mock_leaf_der_len = leaf_len;
  o.mock_leaf_secret = secret, o.mock_leaf_secret_len = secret_len;
  zk_backend *b = open_mock(&o);
  const uint8_t *r;
  size_t rlen;
  zkt_assert_ok(zk_backend_mock_root_der(b, &r, &rlen));
  assert_int_equal(rlen, root_len);
  assert_memory_equal(r, root, root_len);
  uint8_t *doc = NULL;
  size_t doc_len = 0;
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, (const uint8_t *)"u", 1, NULL, 0, NULL, 0));
  cbor_item_t *pl = check_doc(doc, doc_len, T0_MS);
  cbor_item_t *cert = field(pl, "certificate");
  assert_int_equal(cbor_bytestring_length(cert), leaf_len);
  assert_memory_equal(cbor_bytestring_handle(cert), leaf, leaf_len);
  assert_true(chain_ok(pl, root, root_len, T0_MS / 1000));
  cbor_decref(&pl);
  zk_free(doc);
  zk_backend_free(b);

  /* a secret that does not belong to the leaf */
  secret[47] ^= 1;
  zk_backend *bad = NULL;
  zkt_assert_status(zk_backend_open(&bad, "mock", &o), ZK_ERR_KEY);
  assert_null(bad);
  secret[47] ^= 1;
  /* a truncated certificate */
  o.mock_leaf_der_len = leaf_len - 1;
  zkt_assert_status(zk_backend_open(&bad, "mock", &o), ZK_ERR_ATT_CERT);
  o.mock_leaf_der_len = leaf_len;
  /* trailing bytes after a certificate */
  uint8_t *longer = malloc(root_len + 1);
  memcpy(longer, root, root_len);
  longer[root_len] = 0;
  o.mock_root_der = longer, o.mock_root_der_len = root_len + 1;
  zkt_assert_status(zk_backend_open(&bad, "mock", &o), ZK_ERR_ATT_CERT);
  free(longer);
  zk_free_secret(secret, secret_len);
  free(root);
  free(inter);
  free(leaf);
  free(secret_hex);
}

static void test_custom_ops(void **state) {
  (void)state;
  zk_backend *b2_unused = NULL;
  /* zk_backend_from_ops refuses incomplete tables; non-mock backends refuse mock controls */
  zk_backend_ops ops = zki_mock_ops;
  ops.attest = NULL;
  zk_backend *b = NULL;
  zkt_assert_status(zk_backend_from_ops(&b, &ops, NULL), ZK_ERR_ARG);
  assert_null(b);
  /* a renamed copy of the nitro table over a replay-less transport is "custom" */
  zk_backend_ops nit = zki_nitro_ops;
  nit.name = "custom";
  nit.destroy = NULL;
  zkt_assert_ok(zk_backend_from_ops(&b, &nit, NULL));
  assert_string_equal(zk_backend_name(b), "custom");
  zkt_assert_status(zk_backend_mock_set_time(b, 1), ZK_ERR_BACKEND);
  const uint8_t *der;
  size_t der_len;
  zkt_assert_status(zk_backend_mock_root_der(b, &der, &der_len), ZK_ERR_BACKEND);
  assert_null(der);
  uint64_t t;
  zkt_assert_ok(zk_backend_time_ms(b, &t));
  zk_backend_free(b);

  /* argument checks of the wrappers (before any backend code runs) */
  b = open_mock(NULL);
  uint8_t buf[64];
  size_t len = sizeof(buf);
  uint8_t *doc = (uint8_t *)buf;
  size_t doc_len = 7;
  zk_nsm_description d;
  zkt_assert_status(zk_backend_random(NULL, buf, 1), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_random(b, NULL, 1), ZK_ERR_ARG);
  zkt_assert_ok(zk_backend_random(b, NULL, 0));
  zkt_assert_status(zk_backend_attest(b, NULL, &doc_len, NULL, 0, NULL, 0, NULL, 0), ZK_ERR_ARG);
  assert_int_equal(doc_len, 0);
  zkt_assert_status(zk_backend_attest(b, &doc, &doc_len, NULL, 0, NULL, 1, NULL, 0), ZK_ERR_ARG);
  assert_null(doc);
  zkt_assert_status(zk_backend_describe_pcr(b, NULL, NULL, &len, 0), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_extend_pcr(b, buf, &len, 16, NULL, 1), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_lock_pcr(NULL, 16), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_lock_pcrs(NULL, 16), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_describe(b, NULL), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_describe(NULL, &d), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_time_ms(b, NULL), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_mock_set_time(NULL, 1), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_open(NULL, "mock", NULL), ZK_ERR_ARG);
  zkt_assert_status(zk_backend_from_ops(&b2_unused, NULL, NULL), ZK_ERR_ARG);
  assert_string_equal(zk_backend_name(NULL), "");
  zk_backend_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_describe_and_pcrs),
      cmocka_unit_test(test_clock_random_misc),
      cmocka_unit_test(test_attestation_document),
      cmocka_unit_test(test_document_variants),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_loaded_pki),
      cmocka_unit_test(test_custom_ops),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
