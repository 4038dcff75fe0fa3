/*
 * Mock backend documents through the attestation verifier (zk_att_verify):
 * they verify against the mock root and fail against the AWS root; PCR extend
 * and lock, the clock and the user fields are visible in verified documents;
 * the end-to-end path EIF -> PCR0/1/2 -> mock boot -> attestation -> policy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk_internal.h"
#include "zkt.h"

#define T0_MS 1767225600123ull /* 2026-01-01T00:00:00.123Z */
#define T0_S (T0_MS / 1000)

/* ---- a tiny v4 EIF (layout as in test_eif.c) ---- */

static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (56 - 8 * i));
}
static uint32_t crc32_bitwise(const uint8_t *p, size_t n, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static uint8_t *tiny_eif(size_t *len) {
  static const char *const data[] = {"kernel", "console=ttyS0", "{\"ImageName\":\"t\"}", "init",
                                     "app"};
  static const uint16_t types[] = {1, 2, 5, 3, 3};
  size_t total = 548;
  for (size_t i = 0; i < 5; i++) total += 12 + strlen(data[i]);
  uint8_t *e = calloc(1, total);
  memcpy(e, ".eif", 4);
  put16(e + 4, 4);
  put16(e + 26, 5);
  size_t off = 548;
  for (size_t i = 0; i < 5; i++) {
    put64(e + 28 + 8 * i, off);
    put64(e + 284 + 8 * i, strlen(data[i]));
    put16(e + off, types[i]);
    put64(e + off + 4, strlen(data[i]));
    memcpy(e + off + 12, data[i], strlen(data[i]));
    off += 12 + strlen(data[i]);
  }
  uint32_t c = crc32_bitwise(e + 548, total - 548, crc32_bitwise(e, 544, 0));
  for (int i = 0; i < 4; i++) e[544 + i] = (uint8_t)(c >> (24 - 8 * i));
  *len = total;
  return e;
}

/* Mock booted with the EIF's PCR0/1/2 (other boot PCRs zero). */
static zk_backend *boot_mock(zk_eif_info *info) {
  size_t eif_len;
  uint8_t *eif = tiny_eif(&eif_len);
  zkt_assert_ok(zk_eif_measure(info, eif, eif_len));
  free(eif);
  static uint8_t boot[16 * 48];
  memset(boot, 0, sizeof(boot));
  memcpy(boot, info->pcr0, 48);
  memcpy(boot + 48, info->pcr1, 48);
  memcpy(boot + 96, info->pcr2, 48);
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.mock_time_ms = T0_MS;
  o.mock_boot_pcrs = boot;
  o.mock_boot_pcrs_len = sizeof(boot);
  zk_backend *b = NULL;
  zkt_assert_ok(zk_backend_open(&b, "mock", &o));
  return b;
}

static zk_att_verifier *mock_verifier(zk_backend *b) {
  const uint8_t *root;
  size_t root_len;
  zkt_assert_ok(zk_backend_mock_root_der(b, &root, &root_len));
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, ZK_ATT_VERIFIER_NO_AWS_ROOT));
  zkt_assert_ok(zk_att_verifier_add_root_der(v, root, root_len));
  return v;
}

static void test_verify_against_mock_root_not_aws(void **state) {
  (void)state;
  zk_eif_info info;
  zk_backend *b = boot_mock(&info);
  zk_att_verifier *v = mock_verifier(b);
  zk_att_policy *pol = NULL;
  zkt_assert_ok(zk_att_policy_new(&pol));
  zkt_assert_ok(zk_att_policy_add_pcr(pol, 0, info.pcr0, 48));
  zkt_assert_ok(zk_att_policy_add_pcr(pol, 1, info.pcr1, 48));
  zkt_assert_ok(zk_att_policy_add_pcr(pol, 2, info.pcr2, 48));
  zkt_assert_ok(zk_att_policy_expect_nonce(pol, (const uint8_t *)"nonce-1", 7));
  zkt_assert_ok(zk_att_policy_expect_user_data(pol, (const uint8_t *)"ud", 2));
  static const uint8_t pk[65] = {4, 9, 9, 9};
  zkt_assert_ok(zk_att_policy_expect_public_key(pol, pk, sizeof(pk)));

  uint8_t *doc = NULL;
  size_t doc_len = 0;
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, (const uint8_t *)"ud", 2,
                                  (const uint8_t *)"nonce-1", 7, pk, sizeof(pk)));
  zk_att_doc *d = NULL;
  zkt_assert_ok(zk_att_verify(v, &d, doc, doc_len, T0_S, pol, NULL));
  assert_int_equal(zk_att_doc_is_verified(d), 1);
  assert_int_equal(zk_att_doc_timestamp_ms(d), T0_MS);
  assert_int_equal(zk_att_doc_pcr_mask(d), 0xFFFFFFFFu); /* all 32 PCRs are reported */
  assert_int_equal(zk_att_doc_is_debug(d), 0);
  assert_int_equal(zk_att_doc_cabundle_count(d), 2);
  size_t n;
  assert_memory_equal(zk_att_doc_pcr(d, 0, &n), info.pcr0, 48);
  const char *mid = zk_att_doc_module_id(d, &n);
  assert_int_equal(n, 39);
  assert_memory_equal(mid, "i-0123456789abcdef0-enc0123456789abcdef", 39);
  zk_att_doc_free(d);

  /* the same document against the AWS root: refused */
  zk_att_verifier *aws = NULL;
  zkt_assert_ok(zk_att_verifier_new(&aws, 0));
  d = NULL;
  zkt_assert_status(zk_att_verify(aws, &d, doc, doc_len, T0_S, pol, NULL),
                    ZK_ERR_ATT_UNTRUSTED_ROOT);
  assert_null(d);
  zk_att_verifier_free(aws);

  /* time: leaf valid one year from the clock, not before clock - 1h */
  zkt_assert_status(zk_att_verify(v, &d, doc, doc_len, T0_S + 2 * 365 * 86400ull, pol, NULL),
                    ZK_ERR_ATT_EXPIRED);
  zkt_assert_status(zk_att_verify(v, &d, doc, doc_len, T0_S - 2 * 86400, pol, NULL),
                    ZK_ERR_ATT_NOT_YET_VALID);

  /* policy mismatches */
  zk_att_policy *p2 = NULL;
  zkt_assert_ok(zk_att_policy_new(&p2));
  zkt_assert_ok(zk_att_policy_expect_nonce(p2, (const uint8_t *)"nonce-2", 7));
  zkt_assert_status(zk_att_verify(v, &d, doc, doc_len, T0_S, p2, NULL), ZK_ERR_ATT_NONCE);
  zk_att_policy_free(p2);
  zkt_assert_ok(zk_att_policy_new(&p2));
  uint8_t other[48];
  memcpy(other, info.pcr2, 48);
  other[0] ^= 1;
  zkt_assert_ok(zk_att_policy_add_pcr(p2, 2, other, 48));
  zkt_assert_status(zk_att_verify(v, &d, doc, doc_len, T0_S, p2, NULL), ZK_ERR_ATT_PCR_MISMATCH);
  zk_att_policy_free(p2);

  /* single-byte mutations and truncations of the mock document never verify */
  unsigned long tried = 0, rejected = 0;
  size_t stride = zkt_stride(doc_len);
  zkt_assert_ok(zk_att_verify(v, &d, doc, doc_len, T0_S, pol, NULL)); /* control */
  zk_att_doc_free(d);
  for (size_t pos = 0; pos < doc_len; pos += stride) {
    doc[pos] ^= 0x01;
    zk_status st = zk_att_verify(v, &d, doc, doc_len, T0_S, pol, NULL);
    doc[pos] ^= 0x01;
    tried++;
    if (st != ZK_OK && d == NULL)
      rejected++;
    else
      fail_msg("mutation at %zu verified", pos);
  }
  for (size_t l = 0; l < doc_len; l++) {
    if (!zkt_sweep_visits(l, doc_len)) continue;
    zk_status st = zk_att_verify(v, &d, doc, l, T0_S, pol, NULL);
    tried++;
    if (st != ZK_OK && d == NULL)
      rejected++;
    else
      fail_msg("truncation to %zu verified", l);
  }
  zkt_report_mutations("mock attestation document (flips, truncations)", tried, rejected);
  assert_int_equal(tried, rejected);
  zk_free(doc);
  zk_att_policy_free(pol);
  zk_att_verifier_free(v);
  zk_backend_free(b);
}

static void test_pcr_extend_lock_and_clock_visible(void **state) {
  (void)state;
  zk_eif_info info;
  zk_backend *b = boot_mock(&info);
  zk_att_verifier *v = mock_verifier(b);
  uint8_t p16[48];
  size_t plen = sizeof(p16);
  zkt_assert_ok(zk_backend_extend_pcr(b, p16, &plen, 16, (const uint8_t *)"app-config", 10));
  zkt_assert_ok(zk_backend_lock_pcr(b, 16));
  uint8_t tmp[48];
  size_t tlen = sizeof(tmp);
  zkt_assert_status(zk_backend_extend_pcr(b, tmp, &tlen, 16, (const uint8_t *)"late", 4),
                    ZK_ERR_NSM_READ_ONLY_INDEX);
  zkt_assert_ok(zk_backend_mock_set_time(b, T0_MS + 60000));

  zk_att_policy *pol = NULL;
  zkt_assert_ok(zk_att_policy_new(&pol));
  zkt_assert_ok(zk_att_policy_add_pcr(pol, 16, p16, 48));
  zk_att_policy_set_max_age(pol, 30);
  uint8_t *doc = NULL;
  size_t doc_len = 0;
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, NULL, 0, NULL, 0, NULL, 0));
  zk_att_doc *d = NULL;
  zkt_assert_ok(zk_att_verify(v, &d, doc, doc_len, T0_S + 60, pol, NULL));
  size_t n;
  assert_memory_equal(zk_att_doc_pcr(d, 16, &n), p16, 48);
  assert_int_equal(zk_att_doc_timestamp_ms(d), T0_MS + 60000);
  assert_null(zk_att_doc_nonce(d, &n));
  assert_null(zk_att_doc_user_data(d, &n));
  assert_null(zk_att_doc_public_key(d, &n));
  zk_att_doc_free(d);
  /* the document is a minute old two minutes later: stale under max_age 30 s */
  zkt_assert_status(zk_att_verify(v, &d, doc, doc_len, T0_S + 120, pol, NULL), ZK_ERR_ATT_STALE);
  zk_free(doc);
  zk_att_policy_free(pol);
  zk_att_verifier_free(v);
  zk_backend_free(b);
}

static void test_debug_mode_default_mock(void **state) {
  (void)state;
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.mock_time_ms = T0_MS;
  zk_backend *b = NULL;
  zkt_assert_ok(zk_backend_open(&b, "mock", &o)); /* boot PCRs all zero */
  zk_att_verifier *v = mock_verifier(b);
  uint8_t *doc = NULL;
  size_t doc_len = 0;
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, NULL, 0, NULL, 0, NULL, 0));
  zk_att_doc *d = NULL;
  zkt_assert_status(zk_att_verify(v, &d, doc, doc_len, T0_S, NULL, NULL), ZK_ERR_ATT_DEBUG);
  zk_att_policy *pol = NULL;
  zkt_assert_ok(zk_att_policy_new(&pol));
  zk_att_policy_allow_debug(pol, 1);
  zkt_assert_ok(zk_att_verify(v, &d, doc, doc_len, T0_S, pol, NULL));
  assert_int_equal(zk_att_doc_is_debug(d), 1);
  zk_att_doc_free(d);
  zk_att_policy_free(pol);
  zk_free(doc);
  zk_att_verifier_free(v);
  zk_backend_free(b);
}

/* The verifier accepts every document variant real NSMs produce, from the mock too. */
static void test_document_variants_verify(void **state) {
  (void)state;
  static const unsigned flags[] = {ZK_MOCK_INDEFINITE_PAYLOAD, ZK_MOCK_TAGGED, ZK_MOCK_16_PCRS,
                                   ZK_MOCK_INDEFINITE_PAYLOAD | ZK_MOCK_TAGGED | ZK_MOCK_16_PCRS};
  for (size_t i = 0; i < ZKI_ARRAY_LEN(flags); i++) {
    zk_backend_options o;
    memset(&o, 0, sizeof(o));
    o.mock_time_ms = T0_MS;
    o.mock_flags = flags[i];
    zk_backend *b = NULL;
    zkt_assert_ok(zk_backend_open(&b, "mock", &o));
    zk_att_verifier *v = mock_verifier(b);
    zk_att_policy *pol = NULL;
    zkt_assert_ok(zk_att_policy_new(&pol));
    zk_att_policy_allow_debug(pol, 1);
    zkt_assert_ok(zk_att_policy_expect_nonce(pol, (const uint8_t *)"n", 1));
    uint8_t *doc = NULL;
    size_t doc_len = 0;
    zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, NULL, 0, (const uint8_t *)"n", 1, NULL, 0));
    zk_att_doc *d = NULL;
    zkt_assert_ok(zk_att_verify(v, &d, doc, doc_len, T0_S, pol, NULL));
    assert_int_equal(zk_att_doc_is_tagged(d), (flags[i] & ZK_MOCK_TAGGED) != 0);
    assert_int_equal(zk_att_doc_pcr_mask(d), (flags[i] & ZK_MOCK_16_PCRS) ? 0xFFFFu : 0xFFFFFFFFu);
    zk_att_doc_free(d);
    zk_free(doc);
    zk_att_policy_free(pol);
    zk_att_verifier_free(v);
    zk_backend_free(b);
  }
}

static void test_loaded_qos_mock_pki(void **state) {
  (void)state;
  uint8_t *root, *inter, *leaf, *hex;
  size_t root_len, inter_len, leaf_len, hex_len, secret_len;
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_root.der", &root, &root_len);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_intermediate.der", &inter, &inter_len);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_leaf.der", &leaf, &leaf_len);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_leaf_p384_secret.hex", &hex, &hex_len);
  while (hex_len > 0 && (hex[hex_len - 1] == '\n' || hex[hex_len - 1] == '\r')) hex[--hex_len] = 0;
  uint8_t *secret = zkt_hex((const char *)hex, &secret_len);
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.mock_time_ms = T0_MS;
  o.mock_root_der = root, o.mock_root_der_len = root_len;
  o.mock_intermediate_der = inter, o.mock_intermediate_der_len = inter_len;
  o.mock_leaf_der = leaf, o.mock_leaf_der_len = leaf_len;
  o.mock_leaf_secret = secret, o.mock_leaf_secret_len = secret_len;
  zk_backend *b = NULL;
  zkt_assert_ok(zk_backend_open(&b, "mock", &o));
  zk_att_verifier *v = mock_verifier(b);
  zk_att_policy *pol = NULL;
  zkt_assert_ok(zk_att_policy_new(&pol));
  zk_att_policy_allow_debug(pol, 1);
  uint8_t *doc = NULL;
  size_t doc_len = 0;
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, (const uint8_t *)"x", 1, NULL, 0, NULL, 0));
  zk_att_doc *d = NULL;
  zkt_assert_ok(zk_att_verify(v, &d, doc, doc_len, T0_S, pol, NULL));
  size_t n;
  const uint8_t *cert = zk_att_doc_certificate(d, &n);
  assert_int_equal(n, leaf_len);
  assert_memory_equal(cert, leaf, leaf_len);
  zk_att_doc_free(d);
  /* the QOS mock PKI is valid 2020-2120 */
  zkt_assert_status(zk_att_verify(v, &d, doc, doc_len, 4102444800ull * 2, pol, NULL),
                    ZK_ERR_ATT_EXPIRED);
  zk_free(doc);
  zk_att_policy_free(pol);
  zk_att_verifier_free(v);
  zk_backend_free(b);
  zk_free_secret(secret, secret_len);
  free(root);
  free(inter);
  free(leaf);
  free(hex);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_verify_against_mock_root_not_aws),
      cmocka_unit_test(test_pcr_extend_lock_and_clock_visible),
      cmocka_unit_test(test_debug_mode_default_mock),
      cmocka_unit_test(test_document_variants_verify),
      cmocka_unit_test(test_loaded_qos_mock_pki),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
