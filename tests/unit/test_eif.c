/*
 * EIF measurement (lib/eif.c). The EIFs are built here byte by byte from the
 * aws-nitro-enclaves-image-format layout (548-byte big-endian header, 12-byte
 * section headers, CRC-32 over everything but the CRC field), and the expected
 * PCRs are computed independently with plain OpenSSL SHA-384:
 *   PCR = SHA-384(0^48 || SHA-384(content)).
 * The CRC here is a bitwise implementation (lib/eif.c uses a table).
 */
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zerokey/eif.h"
#include "zk_internal.h"
#include "zkt.h"

typedef struct sec {
  uint16_t type;
  const uint8_t *data;
  size_t len;
} sec;

typedef struct eif_buf {
  uint8_t *b;
  size_t n;
} eif_buf;

static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}
static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (24 - 8 * i));
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

/* CRC over the whole file except bytes 544..547 (the CRC field). */
static void fix_crc(eif_buf *e) {
  uint32_t c = crc32_bitwise(e->b, 544, 0);
  c = crc32_bitwise(e->b + 548, e->n - 548, c);
  put32(e->b + 544, c);
}

static eif_buf build(uint16_t version, uint16_t flags, const sec *s, size_t n) {
  size_t total = 548;
  for (size_t i = 0; i < n; i++) total += 12 + s[i].len;
  eif_buf e = {calloc(1, total), total};
  assert_non_null(e.b);
  memcpy(e.b, ".eif", 4);
  put16(e.b + 4, version);
  put16(e.b + 6, flags);
  put64(e.b + 8, 1024ull * 1024 * 1024); /* default_mem, as nitro-cli writes it */
  put64(e.b + 16, 2);                    /* default_cpus */
  put16(e.b + 26, (uint16_t)n);
  size_t off = 548;
  for (size_t i = 0; i < n; i++) {
    put64(e.b + 28 + 8 * i, off);
    put64(e.b + 28 + 256 + 8 * i, s[i].len);
    put16(e.b + off, s[i].type);
    put64(e.b + off + 4, s[i].len);
    if (s[i].len) memcpy(e.b + off + 12, s[i].data, s[i].len);
    off += 12 + s[i].len;
  }
  fix_crc(&e);
  return e;
}

/* Independent PCR: SHA-384(0^48 || SHA-384(part0 || part1 || ...)). */
static void expect_pcr(uint8_t out[48], const sec *const *parts, size_t n) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  uint8_t buf[96] = {0};
  unsigned len = 0;
  assert_true(EVP_DigestInit_ex(md, EVP_sha384(), NULL));
  for (size_t i = 0; i < n; i++) assert_true(EVP_DigestUpdate(md, parts[i]->data, parts[i]->len));
  assert_true(EVP_DigestFinal_ex(md, buf + 48, &len));
  EVP_MD_CTX_free(md);
  assert_true(EVP_Digest(buf, sizeof(buf), out, &len, EVP_sha384(), NULL));
}

static const uint8_t kernel[] = "MZ fake bzImage kernel bytes \x00\x01\x02\xff";
static const uint8_t cmdline[] =
    "reboot=k panic=30 pci=off nomodules console=ttyS0 "
    "random.trust_cpu=on virtio_mmio.device=4K@0xd0000000:5";
static const uint8_t ramdisk0[] = "070701 init + nsm.ko cpio";
static const uint8_t ramdisk1[] = "070701 rootfs + cmd + env cpio";
static const uint8_t ramdisk2[] = "third ramdisk";
static const uint8_t metadata[] =
    "{\"ImageName\":\"hello\",\"ImageVersion\":\"1.0\",\"BuildMetadata\":{\"BuildTime\":\"t\","
    "\"BuildTool\":\"nitro-cli\",\"BuildToolVersion\":\"1.2.0\",\"OperatingSystem\":\"linux\","
    "\"KernelVersion\":\"4.14\"},\"DockerInfo\":{},\"CustomMetadata\":null}";

#define S(t, a) \
  { t, a, sizeof(a) - 1 }
static const sec s_kernel = S(ZK_EIF_SECTION_KERNEL, kernel);
static const sec s_cmdline = S(ZK_EIF_SECTION_CMDLINE, cmdline);
static const sec s_rd0 = S(ZK_EIF_SECTION_RAMDISK, ramdisk0);
static const sec s_rd1 = S(ZK_EIF_SECTION_RAMDISK, ramdisk1);
static const sec s_rd2 = S(ZK_EIF_SECTION_RAMDISK, ramdisk2);
static const sec s_meta = S(ZK_EIF_SECTION_METADATA, metadata);

/* The nitro-cli v4 layout: kernel, cmdline, metadata, ramdisks. */
static eif_buf standard_v4(void) {
  const sec s[] = {s_kernel, s_cmdline, s_meta, s_rd0, s_rd1};
  return build(4, 0, s, ZKI_ARRAY_LEN(s));
}

static void test_measure_v4(void **state) {
  (void)state;
  eif_buf e = standard_v4();
  zk_eif_info info;
  zkt_assert_ok(zk_eif_measure(&info, e.b, e.n));
  uint8_t p0[48], p1[48], p2[48];
  const sec *all[] = {&s_kernel, &s_cmdline, &s_rd0, &s_rd1};
  const sec *boot[] = {&s_kernel, &s_cmdline, &s_rd0};
  const sec *app[] = {&s_rd1};
  expect_pcr(p0, all, 4);
  expect_pcr(p1, boot, 3);
  expect_pcr(p2, app, 1);
  assert_memory_equal(info.pcr0, p0, 48);
  assert_memory_equal(info.pcr1, p1, 48);
  assert_memory_equal(info.pcr2, p2, 48);
  assert_int_equal(info.has_pcr8, 0);
  assert_int_equal(info.version, 4);
  assert_int_equal(info.num_sections, 5);
  assert_int_equal(info.num_ramdisks, 2);
  assert_int_equal(info.section_types[2], ZK_EIF_SECTION_METADATA);
  assert_int_equal(info.section_offsets[0], 548);
  assert_int_equal(info.section_sizes[1], sizeof(cmdline) - 1);
  assert_int_equal(info.file_len, e.n);
  assert_int_equal(info.default_cpus, 2);
  /* the metadata section is not measured: changing it changes no PCR */
  static const uint8_t meta2[] = "{\"ImageName\":\"other\"}";
  const sec s2[] = {s_kernel, s_cmdline, S(ZK_EIF_SECTION_METADATA, meta2), s_rd0, s_rd1};
  eif_buf e2 = build(4, 0, s2, ZKI_ARRAY_LEN(s2));
  zk_eif_info info2;
  zkt_assert_ok(zk_eif_measure(&info2, e2.b, e2.n));
  assert_memory_equal(info2.pcr0, p0, 48);
  assert_memory_equal(info2.pcr1, p1, 48);
  free(e2.b);
  /* the same file through the streaming file reader */
  char path[] = "/tmp/zk_test_eif_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, e.b, e.n), (ssize_t)e.n);
  close(fd);
  zk_eif_info finfo;
  zkt_assert_ok(zk_eif_measure_file(&finfo, path));
  assert_memory_equal(&finfo, &info, sizeof(info));
  unlink(path);
  zkt_assert_status(zk_eif_measure_file(&finfo, path), ZK_ERR_IO);
  zkt_assert_status(zk_eif_measure_file(&finfo, "/tmp"), ZK_ERR_IO);
  free(e.b);
}

static void test_measure_v2_v3_single_and_three_ramdisks(void **state) {
  (void)state;
  /* v2, aarch64 flag, one ramdisk: PCR2 measures empty content */
  const sec s[] = {s_kernel, s_cmdline, s_rd0};
  eif_buf e = build(2, ZK_EIF_FLAG_AARCH64, s, 3);
  zk_eif_info info;
  zkt_assert_ok(zk_eif_measure(&info, e.b, e.n));
  uint8_t p2[48];
  expect_pcr(p2, NULL, 0);
  assert_memory_equal(info.pcr2, p2, 48);
  assert_int_equal(info.flags, ZK_EIF_FLAG_AARCH64);
  free(e.b);
  /* v3 with three ramdisks: PCR2 = rd1 || rd2 */
  const sec s3[] = {s_kernel, s_cmdline, s_rd0, s_rd1, s_rd2};
  e = build(3, 0, s3, 5);
  zkt_assert_ok(zk_eif_measure(&info, e.b, e.n));
  const sec *app[] = {&s_rd1, &s_rd2};
  const sec *all[] = {&s_kernel, &s_cmdline, &s_rd0, &s_rd1, &s_rd2};
  uint8_t p0[48];
  expect_pcr(p2, app, 2);
  expect_pcr(p0, all, 5);
  assert_memory_equal(info.pcr2, p2, 48);
  assert_memory_equal(info.pcr0, p0, 48);
  free(e.b);
  /* a large kernel crosses the reader's 64 KiB chunks */
  size_t big_len = 200000;
  uint8_t *big = malloc(big_len);
  for (size_t i = 0; i < big_len; i++) big[i] = (uint8_t)(i * 7);
  const sec bk = {ZK_EIF_SECTION_KERNEL, big, big_len};
  const sec sb[] = {bk, s_cmdline, s_rd0};
  e = build(2, 0, sb, 3);
  zkt_assert_ok(zk_eif_measure(&info, e.b, e.n));
  const sec *boot[] = {&bk, &s_cmdline, &s_rd0};
  uint8_t p1[48];
  expect_pcr(p1, boot, 3);
  assert_memory_equal(info.pcr1, p1, 48);
  free(e.b);
  free(big);
}

/* ---- signed EIFs ---- */

/* A P-384 self-signed signing certificate (PEM) and its DER. */
static void make_cert(char **pem, size_t *pem_len, uint8_t **der, size_t *der_len, zk_key **key) {
  EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
  BIGNUM *priv = NULL;
  uint8_t raw[48];
  assert_true(EVP_PKEY_get_bn_param(k, "priv", &priv));
  assert_int_equal(BN_bn2binpad(priv, raw, 48), 48);
  BN_clear_free(priv);
  zkt_assert_ok(zk_key_from_private(key, ZK_CURVE_P384, raw, 48));
  X509 *x = X509_new();
  assert_non_null(k);
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_NAME *n = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"eif signer", -1, -1, 0);
  X509_set_issuer_name(x, n);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, k);
  assert_true(X509_sign(x, k, EVP_sha384()) > 0);
  BIO *bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  char *p;
  long plen = BIO_get_mem_data(bio, &p);
  *pem = malloc((size_t)plen);
  memcpy(*pem, p, (size_t)plen);
  *pem_len = (size_t)plen;
  unsigned char *d = NULL;
  int dl = i2d_X509(x, &d);
  *der = malloc((size_t)dl);
  memcpy(*der, d, (size_t)dl);
  *der_len = (size_t)dl;
  OPENSSL_free(d);
  BIO_free(bio);
  X509_free(x);
  EVP_PKEY_free(k);
}

/* CBOR array of uint8 (serde_cbor's Vec<u8>), written by hand. */
static size_t cbor_u8_array(uint8_t *o, const uint8_t *p, size_t n) {
  size_t k = 0;
  if (n < 24) {
    o[k++] = (uint8_t)(0x80 + n);
  } else if (n < 256) {
    o[k++] = 0x98, o[k++] = (uint8_t)n;
  } else {
    o[k++] = 0x99, o[k++] = (uint8_t)(n >> 8), o[k++] = (uint8_t)n;
  }
  for (size_t i = 0; i < n; i++) {
    if (p[i] >= 24) o[k++] = 0x18;
    o[k++] = p[i];
  }
  return k;
}

static size_t cbor_tstr(uint8_t *o, const char *s) {
  o[0] = (uint8_t)(0x60 + strlen(s)); /* < 24 */
  memcpy(o + 1, s, strlen(s));
  return 1 + strlen(s);
}

static const uint8_t fake_cose[] = {0x84, 0x44, 0xa1, 0x01, 0x38, 0x22, 0xa0, 0x41, 0x00, 0x40};

/* [{"signing_certificate": [..pem..], "signature": [..cose..]}] */
static size_t signature_section(uint8_t *o, const char *pem, size_t pem_len, const char *key1,
                                const char *key2, const uint8_t *cose, size_t cose_len) {
  size_t k = 0;
  o[k++] = 0x81;
  o[k++] = 0xa2;
  k += cbor_tstr(o + k, key1);
  k += cbor_u8_array(o + k, (const uint8_t *)pem, pem_len);
  k += cbor_tstr(o + k, key2);
  k += cbor_u8_array(o + k, cose, cose_len);
  return k;
}

/* COSE_Sign1 by key over serde_cbor(PcrInfo {register_index: 0, register_value: pcr0}),
 * the payload written by hand: {"register_index": 0, "register_value": [48 x uint8]}. */
static uint8_t *sign_pcr0(size_t *len, const zk_key *key, const uint8_t pcr0[48]) {
  uint8_t payload[256];
  size_t n = 0;
  payload[n++] = 0xa2;
  n += cbor_tstr(payload + n, "register_index");
  payload[n++] = 0x00;
  n += cbor_tstr(payload + n, "register_value");
  n += cbor_u8_array(payload + n, pcr0, 48);
  uint8_t *cose = NULL;
  zkt_assert_ok(zk_cose_sign1_create(&cose, len, key, NULL, 0, payload, n, NULL, 0, 0));
  return cose;
}

static void test_signed_pcr8(void **state) {
  (void)state;
  char *pem, *pem2;
  uint8_t *der, *der2;
  size_t pem_len, der_len, pem2_len, der2_len;
  zk_key *key = NULL, *key2 = NULL;
  make_cert(&pem, &pem_len, &der, &der_len, &key);
  make_cert(&pem2, &pem2_len, &der2, &der2_len, &key2);
  uint8_t p8[48], p0[48], wrong[48];
  const sec *all[] = {&s_kernel, &s_cmdline, &s_rd0, &s_rd1};
  expect_pcr(p0, all, 4);
  memcpy(wrong, p0, 48);
  wrong[47] ^= 1;
  const sec dsec = {0, der, der_len};
  const sec *parts[] = {&dsec};
  expect_pcr(p8, parts, 1);
  static uint8_t sig[8192];
  struct {
    const char *what;
    const zk_key *signer;
    const uint8_t *signed_pcr0;
    int fake;
    int want_ok;
  } variants[] = {
      {"valid PCR0 signature", key, p0, 0, 1},
      {"signature over another PCR0", key, wrong, 0, 0},
      {"signed by another key", key2, p0, 0, 0},
      {"not a COSE_Sign1 that verifies", key, p0, 1, 0},
  };
  for (size_t i = 0; i < ZKI_ARRAY_LEN(variants); i++) {
    size_t cose_len = sizeof(fake_cose);
    uint8_t *cose =
        variants[i].fake ? NULL : sign_pcr0(&cose_len, variants[i].signer, variants[i].signed_pcr0);
    size_t sig_len = signature_section(sig, pem, pem_len, "signing_certificate", "signature",
                                       cose != NULL ? cose : fake_cose, cose_len);
    zk_free(cose);
    const sec s[] = {s_kernel, s_cmdline, s_meta,
                     s_rd0,    s_rd1,     {ZK_EIF_SECTION_SIGNATURE, sig, sig_len}};
    eif_buf e = build(4, 0, s, ZKI_ARRAY_LEN(s));
    zk_eif_info info;
    zkt_assert_ok(zk_eif_measure(&info, e.b, e.n));
    assert_int_equal(info.has_pcr8, 1);
    assert_memory_equal(info.pcr8, p8, 48); /* PCR8 = the certificate, whatever the signature */
    assert_memory_equal(info.pcr0, p0, 48); /* the signature section is not part of PCR0 */
    if (info.pcr0_signature_ok != variants[i].want_ok)
      fail_msg("%s: pcr0_signature_ok=%d", variants[i].what, info.pcr0_signature_ok);
    free(e.b);
  }
  zk_key_free(key);
  zk_key_free(key2);
  free(pem2);
  free(der2);
  zk_eif_info info;
  eif_buf e;

  /* malformed signature sections (CRC kept valid) */
  size_t n;
  /* unknown key */
  n = signature_section(sig, pem, pem_len, "signing_certificate", "signaturX", fake_cose,
                        sizeof(fake_cose));
  const sec s1[] = {s_kernel, s_cmdline, s_meta, s_rd0, {ZK_EIF_SECTION_SIGNATURE, sig, n}};
  e = build(4, 0, s1, 5);
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_UNKNOWN_FIELD);
  free(e.b);
  /* certificate not PEM */
  char junk[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  n = signature_section(sig, junk, strlen(junk), "signing_certificate", "signature", fake_cose,
                        sizeof(fake_cose));
  const sec s2[] = {s_kernel, s_cmdline, s_meta, s_rd0, {ZK_EIF_SECTION_SIGNATURE, sig, n}};
  e = build(4, 0, s2, 5);
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_ATT_CERT);
  free(e.b);
  /* certificate as a bstr instead of an array of uint8 */
  n = 0;
  sig[n++] = 0x81, sig[n++] = 0xa2;
  n += cbor_tstr(sig + n, "signing_certificate");
  sig[n++] = 0x43, sig[n++] = 1, sig[n++] = 2, sig[n++] = 3;
  n += cbor_tstr(sig + n, "signature");
  sig[n++] = 0x81, sig[n++] = 0x01;
  const sec s3[] = {s_kernel, s_cmdline, s_meta, s_rd0, {ZK_EIF_SECTION_SIGNATURE, sig, n}};
  e = build(4, 0, s3, 5);
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_TYPE);
  free(e.b);
  /* empty array */
  sig[0] = 0x80;
  const sec s4[] = {s_kernel, s_cmdline, s_meta, s_rd0, {ZK_EIF_SECTION_SIGNATURE, sig, 1}};
  e = build(4, 0, s4, 5);
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_MISSING_FIELD);
  free(e.b);
  /* signature in a v2 image */
  n = signature_section(sig, pem, pem_len, "signing_certificate", "signature", fake_cose,
                        sizeof(fake_cose));
  const sec s5[] = {s_kernel, s_cmdline, s_rd0, {ZK_EIF_SECTION_SIGNATURE, sig, n}};
  e = build(2, 0, s5, 4);
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_EIF_SECTIONS);
  free(e.b);
  free(pem);
  free(der);
}

/* ---- rejections ---- */

static void test_truncations_and_mutations(void **state) {
  (void)state;
  eif_buf e = standard_v4();
  zk_eif_info info;
  unsigned long truncs = 0, muts = 0;
  size_t stride = zkt_stride(e.n);
  for (size_t n = 0; n < e.n; n += stride) {
    zk_status st = zk_eif_measure(&info, e.b, n);
    if (st == ZK_OK) fail_msg("truncation to %zu accepted", n);
    truncs++;
  }
  /* any single-byte change is caught (CRC-32 detects every single-byte error) */
  for (size_t pos = 0; pos < e.n; pos += stride) {
    static const uint8_t flips[] = {0x01, 0x80, 0xFF};
    for (size_t f = 0; f < sizeof(flips); f++) {
      e.b[pos] ^= flips[f];
      zk_status st = zk_eif_measure(&info, e.b, e.n);
      e.b[pos] ^= flips[f];
      if (st == ZK_OK) fail_msg("mutation at %zu (^%02x) accepted", pos, flips[f]);
      muts++;
    }
  }
  /* one byte appended */
  uint8_t *longer = malloc(e.n + 1);
  memcpy(longer, e.b, e.n);
  longer[e.n] = 0;
  zkt_assert_status(zk_eif_measure(&info, longer, e.n + 1), ZK_ERR_TRAILING);
  free(longer);
  zkt_assert_status(zk_eif_measure(&info, e.b, 100), ZK_ERR_TRUNCATED);
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n - 1), ZK_ERR_TRUNCATED);
  zkt_assert_status(zk_eif_measure(NULL, e.b, e.n), ZK_ERR_ARG);
  zkt_report_mutations("eif truncations", truncs, truncs);
  zkt_report_mutations("eif single-byte flips", muts, muts);
  free(e.b);
}

typedef struct bad_case {
  const char *what;
  void (*mutate)(eif_buf *);
  zk_status want;
} bad_case;

static void m_magic(eif_buf *e) {
  e->b[1] = 'E';
}
static void m_version1(eif_buf *e) {
  put16(e->b + 4, 1);
}
static void m_version5(eif_buf *e) {
  put16(e->b + 4, 5);
}
static void m_flags(eif_buf *e) {
  put16(e->b + 6, 2);
}
static void m_reserved(eif_buf *e) {
  put16(e->b + 24, 1);
}
static void m_unused(eif_buf *e) {
  put32(e->b + 540, 1);
}
static void m_nsec0(eif_buf *e) {
  put16(e->b + 26, 0);
}
static void m_nsec33(eif_buf *e) {
  put16(e->b + 26, 33);
}
static void m_nsec_fewer(eif_buf *e) {
  put16(e->b + 26, 4);
} /* table entry 4 left non-zero */
static void m_offset(eif_buf *e) {
  put64(e->b + 28 + 8, 549);
}
static void m_size(eif_buf *e) {
  put64(e->b + 28 + 256, 3);
}
static void m_section_flags(eif_buf *e) {
  put16(e->b + 548 + 2, 1);
}
static void m_crc(eif_buf *e) {
  e->b[547] ^= 1;
}
static void m_crc_only(eif_buf *e) {
  (void)e;
}

static const bad_case header_cases[] = {
    {"bad magic", m_magic, ZK_ERR_PARSE},
    {"version 1", m_version1, ZK_ERR_VERSION},
    {"version 5", m_version5, ZK_ERR_VERSION},
    {"unknown flag", m_flags, ZK_ERR_VALUE},
    {"reserved set", m_reserved, ZK_ERR_VALUE},
    {"unused set", m_unused, ZK_ERR_VALUE},
    {"zero sections", m_nsec0, ZK_ERR_VALUE},
    {"33 sections", m_nsec33, ZK_ERR_VALUE},
    {"count below table", m_nsec_fewer, ZK_ERR_VALUE},
    {"offset off by one", m_offset, ZK_ERR_EIF_LAYOUT},
    {"size differs", m_size, ZK_ERR_EIF_LAYOUT},
    {"section flags", m_section_flags, ZK_ERR_VALUE},
    {"valid file (control)", m_crc_only, ZK_OK},
};

static void test_header_rejections(void **state) {
  (void)state;
  unsigned long run = 0, passed = 0;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(header_cases); i++) {
    eif_buf e = standard_v4();
    header_cases[i].mutate(&e);
    fix_crc(&e); /* every structural failure is found with a correct CRC */
    zk_eif_info info;
    zk_status st = zk_eif_measure(&info, e.b, e.n);
    run++;
    if (st != header_cases[i].want)
      fail_msg("%s: got %s want %s", header_cases[i].what, zk_status_name(st),
               zk_status_name(header_cases[i].want));
    if (st != ZK_OK) {
      static const zk_eif_info zero;
      assert_memory_equal(&info, &zero, sizeof(info));
    }
    passed++;
    free(e.b);
  }
  eif_buf e = standard_v4();
  m_crc(&e);
  zk_eif_info info;
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_CHECKSUM);
  free(e.b);
  zkt_report("eif header rejections", run, passed);
}

static void test_section_rules(void **state) {
  (void)state;
  static const uint8_t bad_json[] = "{\"a\":1,\"a\":2}";
  static const uint8_t array_json[] = "[1]";
  const sec meta_dup = S(ZK_EIF_SECTION_METADATA, bad_json);
  const sec meta_arr = S(ZK_EIF_SECTION_METADATA, array_json);
  const sec unknown = {6, kernel, 4};
  const sec invalid = {0, kernel, 4};
  struct {
    const char *what;
    uint16_t version;
    sec s[6];
    size_t n;
    zk_status want;
  } cases[] = {
      {"no kernel", 2, {s_cmdline, s_rd0}, 2, ZK_ERR_EIF_SECTIONS},
      {"two kernels", 2, {s_kernel, s_kernel, s_cmdline, s_rd0}, 4, ZK_ERR_EIF_SECTIONS},
      {"cmdline first", 2, {s_cmdline, s_kernel, s_rd0}, 3, ZK_ERR_EIF_SECTIONS},
      {"two cmdlines", 2, {s_kernel, s_cmdline, s_cmdline, s_rd0}, 4, ZK_ERR_EIF_SECTIONS},
      {"ramdisk before cmdline", 2, {s_kernel, s_rd0, s_cmdline}, 3, ZK_ERR_EIF_SECTIONS},
      {"no ramdisk", 2, {s_kernel, s_cmdline}, 2, ZK_ERR_EIF_SECTIONS},
      {"v4 without metadata", 4, {s_kernel, s_cmdline, s_rd0}, 3, ZK_ERR_EIF_SECTIONS},
      {"metadata in v3", 3, {s_kernel, s_cmdline, s_meta, s_rd0}, 4, ZK_ERR_EIF_SECTIONS},
      {"two metadata", 4, {s_kernel, s_cmdline, s_meta, s_meta, s_rd0}, 5, ZK_ERR_EIF_SECTIONS},
      {"metadata duplicate key", 4, {s_kernel, s_cmdline, meta_dup, s_rd0}, 4, ZK_ERR_JSON},
      {"metadata not an object", 4, {s_kernel, s_cmdline, meta_arr, s_rd0}, 4, ZK_ERR_JSON},
      {"unknown section type", 2, {s_kernel, s_cmdline, s_rd0, unknown}, 4, ZK_ERR_EIF_SECTIONS},
      {"invalid section type", 2, {invalid, s_kernel, s_cmdline, s_rd0}, 4, ZK_ERR_EIF_SECTIONS},
      {"minimal v2 (control)", 2, {s_kernel, s_cmdline, s_rd0}, 3, ZK_OK},
  };
  unsigned long passed = 0;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(cases); i++) {
    eif_buf e = build(cases[i].version, 0, cases[i].s, cases[i].n);
    zk_eif_info info;
    zk_status st = zk_eif_measure(&info, e.b, e.n);
    if (st != cases[i].want)
      fail_msg("%s: got %s want %s", cases[i].what, zk_status_name(st),
               zk_status_name(cases[i].want));
    passed++;
    free(e.b);
  }
  /* over-long signature section (size checked before reading) */
  static uint8_t huge[ZK_EIF_MAX_SIGNATURE_LEN + 1];
  const sec sbig[] = {s_kernel, s_cmdline, s_rd0, {ZK_EIF_SECTION_SIGNATURE, huge, sizeof(huge)}};
  eif_buf e = build(3, 0, sbig, 4);
  zk_eif_info info;
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_VALUE);
  free(e.b);
  /* a section size far beyond the file */
  e = standard_v4();
  put64(e.b + 548 + 4, 1ull << 62);
  put64(e.b + 28 + 256, 1ull << 62);
  fix_crc(&e);
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_TRUNCATED);
  put64(e.b + 548 + 4, UINT64_MAX);
  put64(e.b + 28 + 256, UINT64_MAX);
  fix_crc(&e);
  zkt_assert_status(zk_eif_measure(&info, e.b, e.n), ZK_ERR_TRUNCATED);
  free(e.b);
  zkt_report("eif section rules", ZKI_ARRAY_LEN(cases), passed);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_measure_v4),
      cmocka_unit_test(test_measure_v2_v3_single_and_three_ramdisks),
      cmocka_unit_test(test_signed_pcr8),
      cmocka_unit_test(test_truncations_and_mutations),
      cmocka_unit_test(test_header_rejections),
      cmocka_unit_test(test_section_rules),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
