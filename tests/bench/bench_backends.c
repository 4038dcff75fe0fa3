/*
 * Trust backend and EIF throughput, each with a raw reference measured in the same run:
 *   mock attestation (payload of 32 PCRs + COSE_Sign1 ES384 by the mock leaf)
 *     vs one raw OpenSSL P-384 ECDSA signature (EVP_DigestSign, SHA-384) of 4 KiB;
 *   EIF measurement of an 8 MiB image (CRC-32 + PCR0 and PCR1/PCR2 hashes, i.e. every
 *     byte hashed twice) vs raw OpenSSL SHA-384 of the same 8 MiB;
 *   NSM GetRandom round trip through a replay transport (encode + strict decode)
 *     vs raw libcbor cbor_load of the same 279-byte reply.
 */
#include <cbor.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "zerokey/zerokey.h"

#define EIF_DATA (8u << 20)

typedef struct ctx {
  zk_backend *mock, *nitro;
  EVP_PKEY *p384;
  uint8_t msg[4096];
  uint8_t *eif;
  size_t eif_len;
  uint8_t reply[512];
  size_t reply_len;
} ctx;

static int mock_attest(void *p) {
  ctx *c = p;
  uint8_t *doc = NULL;
  size_t len = 0;
  zk_status st = zk_backend_attest(c->mock, &doc, &len, c->msg, 32, c->msg, 32, NULL, 0);
  zk_free(doc);
  return st != ZK_OK;
}

static int raw_sign(void *p) {
  ctx *c = p;
  uint8_t sig[128];
  size_t sig_len = sizeof sig;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m != NULL && EVP_DigestSignInit(m, NULL, EVP_sha384(), NULL, c->p384) == 1 &&
           EVP_DigestSign(m, sig, &sig_len, c->msg, sizeof c->msg) == 1;
  EVP_MD_CTX_free(m);
  return !ok;
}

static int eif_measure(void *p) {
  ctx *c = p;
  zk_eif_info info;
  return zk_eif_measure(&info, c->eif, c->eif_len) != ZK_OK;
}

static int raw_sha384(void *p) {
  ctx *c = p;
  uint8_t out[48];
  unsigned n;
  return EVP_Digest(c->eif + 548, EIF_DATA, out, &n, EVP_sha384(), NULL) != 1;
}

static zk_status replay(void *p, uint8_t *resp, size_t *resp_len, const uint8_t *req,
                        size_t req_len) {
  ctx *c = p;
  (void)req, (void)req_len;
  memcpy(resp, c->reply, c->reply_len);
  *resp_len = c->reply_len;
  return ZK_OK;
}

static int nsm_random(void *p) {
  ctx *c = p;
  uint8_t out[256];
  return zk_backend_random(c->nitro, out, sizeof out) != ZK_OK;
}

static int raw_cbor_load(void *p) {
  ctx *c = p;
  struct cbor_load_result r;
  cbor_item_t *it = cbor_load(c->reply, c->reply_len, &r);
  if (it == NULL) return 1;
  cbor_decref(&it);
  return 0;
}

static void put64(uint8_t *b, uint64_t v) {
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* v2 EIF: kernel (EIF_DATA - 2 bytes), cmdline (1 byte), ramdisk (1 byte); CRC left to compute. */
static uint32_t crc32_ref(const uint8_t *p, size_t n, uint32_t crc) {
  static uint32_t t[256];
  if (t[1] == 0)
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t x = i;
      for (int k = 0; k < 8; k++) x = (x & 1) ? 0xEDB88320u ^ (x >> 1) : x >> 1;
      t[i] = x;
    }
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = t[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

static uint8_t *make_eif(size_t *len) {
  const uint64_t sizes[3] = {EIF_DATA - 2, 1, 1};
  *len = 548 + 3 * 12 + EIF_DATA;
  uint8_t *e = calloc(1, *len);
  if (e == NULL) return NULL;
  memcpy(e, ".eif", 4);
  e[5] = 2;
  e[27] = 3;
  size_t off = 548;
  for (int i = 0; i < 3; i++) {
    put64(e + 28 + 8 * i, off);
    put64(e + 284 + 8 * i, sizes[i]);
    e[off + 1] = (uint8_t)(i + 1);
    put64(e + off + 4, sizes[i]);
    for (uint64_t j = 0; j < sizes[i]; j++) e[off + 12 + j] = (uint8_t)(j * 31 + (uint64_t)i);
    off += 12 + sizes[i];
  }
  uint32_t c = crc32_ref(e + 548, *len - 548, crc32_ref(e, 544, 0));
  for (int i = 0; i < 4; i++) e[544 + i] = (uint8_t)(c >> (24 - 8 * i));
  return e;
}

int main(void) {
  ctx c;
  memset(&c, 0, sizeof c);
  memset(c.msg, 0x42, sizeof c.msg);
  zk_backend_options o;
  memset(&o, 0, sizeof o);
  if (zk_backend_open(&c.mock, "mock", &o) != ZK_OK) return 1;
  c.p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
  if (c.p384 == NULL) return 1;
  if ((c.eif = make_eif(&c.eif_len)) == NULL) return 1;
  /* GetRandom reply: A1 69 "GetRandom" A1 66 "random" 59 0100 <256 bytes> */
  static const uint8_t head[] = {0xA1, 0x69, 'G', 'e', 't', 'R', 'a', 'n', 'd',  'o',  'm',
                                 0xA1, 0x66, 'r', 'a', 'n', 'd', 'o', 'm', 0x59, 0x01, 0x00};
  memcpy(c.reply, head, sizeof head);
  memset(c.reply + sizeof head, 0x5A, 256);
  c.reply_len = sizeof head + 256;
  o.transport = replay;
  o.transport_ctx = &c;
  if (zk_backend_open(&c.nitro, "nitro", &o) != ZK_OK) return 1;

  double a = zkb_rate("mock attestation", mock_attest, &c, 1.0);
  double ar = zkb_rate("raw P-384 sign", raw_sign, &c, 1.0);
  zkb_report_ratio("mock attestation", a, "raw OpenSSL P-384 ECDSA sign", ar);

  double e = zkb_rate("EIF measure 8 MiB", eif_measure, &c, 1.0);
  double er = zkb_rate("raw SHA-384 8 MiB", raw_sha384, &c, 1.0);
  printf("EIF measure: %.1f MiB/s, raw SHA-384: %.1f MiB/s\n", e * 8, er * 8);
  zkb_report_ratio("EIF measure (8 MiB)", e, "raw OpenSSL SHA-384 (8 MiB)", er);

  double n = zkb_rate("NSM GetRandom replay", nsm_random, &c, 1.0);
  double nr = zkb_rate("raw cbor_load", raw_cbor_load, &c, 1.0);
  zkb_report_ratio("NSM GetRandom (encode+decode)", n, "raw libcbor cbor_load", nr);

  zk_backend_free(c.mock);
  zk_backend_free(c.nitro);
  EVP_PKEY_free(c.p384);
  free(c.eif);
  return 0;
}
