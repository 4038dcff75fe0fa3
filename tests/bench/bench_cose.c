/*
 * Benchmark: COSE_Sign1 and the strict CBOR layer against the raw primitives
 * they build on, measured in the same run (throughput and ratio; never
 * asserts on time).
 *
 *  - ES384 parse + verify of a Nitro-sized message (4.5 KiB payload):
 *    zk_cose_sign1_parse + zk_cose_sign1_verify vs EVP_DigestVerify (SHA-384)
 *    over the prebuilt Sig_structure with a prebuilt DER signature
 *  - ES256 parse + verify of a 256-byte payload: same comparison (SHA-256)
 *  - strict decode of a Nitro-like payload map (indefinite, 9 keys, 16 PCRs,
 *    certificates as byte strings): zki_cbor_decode vs plain cbor_load
 *  - deterministic encode of that map: zki_cbor_encode vs cbor_serialize_alloc
 *
 * Set ZK_BENCH_SECONDS to change the measuring time per line (default 0.5 s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "bench_util.h"
#include "zerokey/zerokey.h"
#include "zk_cbor.h"

#define SECONDS 0.5

static void die(const char *what) {
  fprintf(stderr, "bench setup failed: %s\n", what);
  exit(1);
}

/* ---- COSE ---- */

typedef struct {
  zk_key *key;
  uint8_t *msg;
  size_t msg_len;
  EVP_PKEY *pkey;
  const EVP_MD *md;
  uint8_t *tbs;
  size_t tbs_len;
  uint8_t der[ZK_MAX_SIG_LEN];
  size_t der_len;
} cose_ctx;

static int zk_cose_op(void *p) {
  cose_ctx *c = p;
  zk_cose_sign1 *m = NULL;
  if (zk_cose_sign1_parse(&m, c->msg, c->msg_len, NULL) != ZK_OK) return 1;
  zk_status st = zk_cose_sign1_verify(m, c->key, NULL, 0);
  zk_cose_sign1_free(m);
  return st == ZK_OK ? 0 : 1;
}

static int raw_verify_op(void *p) {
  cose_ctx *c = p;
  EVP_MD_CTX *mctx = EVP_MD_CTX_new();
  int ok = mctx != NULL && EVP_DigestVerifyInit(mctx, NULL, c->md, NULL, c->pkey) == 1 &&
           EVP_DigestVerify(mctx, c->der, c->der_len, c->tbs, c->tbs_len) == 1;
  EVP_MD_CTX_free(mctx);
  return ok ? 0 : 1;
}

static void cose_setup(cose_ctx *c, zk_curve curve, size_t payload_len, const EVP_MD *md) {
  memset(c, 0, sizeof *c);
  uint8_t *payload = malloc(payload_len);
  if (payload == NULL) die("malloc");
  for (size_t i = 0; i < payload_len; i++) payload[i] = (uint8_t)(i * 31 + 7);
  if (zk_key_generate(&c->key, curve) != ZK_OK) die("keygen");
  if (zk_cose_sign1_create(&c->msg, &c->msg_len, c->key, NULL, 0, payload, payload_len, NULL, 0, 0) !=
      ZK_OK)
    die("cose create");
  zk_cose_sign1 *m = NULL;
  if (zk_cose_sign1_parse(&m, c->msg, c->msg_len, NULL) != ZK_OK) die("parse");
  size_t pl, sl, hl;
  const uint8_t *prot = zk_cose_sign1_protected(m, &hl);
  const uint8_t *pay = zk_cose_sign1_payload(m, &pl);
  const uint8_t *sig = zk_cose_sign1_signature(m, &sl);
  if (zk_cose_sig_structure(&c->tbs, &c->tbs_len, prot, hl, NULL, 0, pay, pl) != ZK_OK) die("tbs");
  c->der_len = sizeof c->der;
  if (zk_sig_raw_to_der(c->der, &c->der_len, curve, sig, sl) != ZK_OK) die("raw_to_der");
  zk_cose_sign1_free(m);
  uint8_t spki[ZK_MAX_PUBKEY_LEN];
  size_t spki_len = sizeof spki;
  if (zk_key_export_public(c->key, ZK_PUB_SPKI_DER, spki, &spki_len) != ZK_OK) die("spki");
  const unsigned char *q = spki;
  c->pkey = d2i_PUBKEY(NULL, &q, (long)spki_len);
  if (c->pkey == NULL) die("d2i_PUBKEY");
  c->md = md;
  free(payload);
}

static void cose_free(cose_ctx *c) {
  zk_key_free(c->key);
  zk_free(c->msg);
  zk_free(c->tbs);
  EVP_PKEY_free(c->pkey);
}

/* ---- CBOR ---- */

typedef struct {
  uint8_t *doc;
  size_t len;
  cbor_item_t *item;
} cbor_ctx;

static const zki_cbor_limits nitro_lim = {.max_len = 16384, .max_depth = 4, .allow_indefinite = true};

static int zk_decode_op(void *p) {
  cbor_ctx *c = p;
  cbor_item_t *it = NULL;
  if (zki_cbor_decode(&it, c->doc, c->len, &nitro_lim, NULL) != ZK_OK) return 1;
  cbor_decref(&it);
  return 0;
}

static int raw_load_op(void *p) {
  cbor_ctx *c = p;
  struct cbor_load_result r;
  cbor_item_t *it = cbor_load(c->doc, c->len, &r);
  if (it == NULL) return 1;
  cbor_decref(&it);
  return 0;
}

static int zk_encode_op(void *p) {
  cbor_ctx *c = p;
  uint8_t *e = NULL;
  size_t el = 0;
  if (zki_cbor_encode(&e, &el, c->item) != ZK_OK) return 1;
  free(e);
  return 0;
}

static int raw_serialize_op(void *p) {
  cbor_ctx *c = p;
  unsigned char *e = NULL;
  size_t cap = 0;
  size_t n = cbor_serialize_alloc(c->item, &e, &cap);
  free(e);
  return n != 0 ? 0 : 1;
}

/* A Nitro-like attestation payload (shape of the real ones, synthetic bytes). */
static void nitro_like(cbor_ctx *c) {
  cbor_item_t *m = cbor_new_indefinite_map();
  uint8_t buf[700];
  memset(buf, 0x30, sizeof buf);
  if (m == NULL) die("map");
  if (zki_cbor_map_put_str(m, "module_id", zki_cbor_new_text("i-0123456789abcdef0-enc0123456789abcdef")) ||
      zki_cbor_map_put_str(m, "digest", zki_cbor_new_text("SHA384")) ||
      zki_cbor_map_put_str(m, "timestamp", cbor_build_uint64(1700000000000ull)))
    die("put");
  cbor_item_t *pcrs = cbor_new_definite_map(16);
  for (int i = 0; i < 16; i++) {
    memset(buf, i, 48);
    if (zki_cbor_map_put_int(pcrs, i, zki_cbor_new_bytes(buf, 48))) die("pcr");
  }
  if (zki_cbor_map_put_str(m, "pcrs", pcrs)) die("pcrs");
  memset(buf, 0x30, sizeof buf);
  if (zki_cbor_map_put_str(m, "certificate", zki_cbor_new_bytes(buf, 640))) die("cert");
  cbor_item_t *bundle = cbor_new_definite_array(4);
  for (int i = 0; i < 4; i++) {
    cbor_item_t *b = zki_cbor_new_bytes(buf, 600 + (size_t)i * 20);
    if (b == NULL || !cbor_array_push(bundle, b)) die("bundle");
    cbor_decref(&b);
  }
  if (zki_cbor_map_put_str(m, "cabundle", bundle) ||
      zki_cbor_map_put_str(m, "public_key", cbor_new_null()) ||
      zki_cbor_map_put_str(m, "user_data", zki_cbor_new_bytes(buf, 32)) ||
      zki_cbor_map_put_str(m, "nonce", cbor_new_null()))
    die("put");
  size_t cap = 0;
  c->len = cbor_serialize_alloc(m, &c->doc, &cap); /* libcbor keeps it indefinite, like NSM */
  if (c->len == 0) die("serialize");
  c->item = m;
}

int main(void) {
  cose_ctx es384, es256;
  cose_setup(&es384, ZK_CURVE_P384, 4608, EVP_sha384());
  cose_setup(&es256, ZK_CURVE_P256, 256, EVP_sha256());
  double a = zkb_rate("zk cose parse+verify ES384 4.5KiB", zk_cose_op, &es384, SECONDS);
  double b = zkb_rate("raw EVP_DigestVerify P-384", raw_verify_op, &es384, SECONDS);
  zkb_report_ratio("cose ES384 parse+verify (4.5 KiB)", a, "EVP_DigestVerify P-384/SHA-384", b);
  a = zkb_rate("zk cose parse+verify ES256 256B", zk_cose_op, &es256, SECONDS);
  b = zkb_rate("raw EVP_DigestVerify P-256", raw_verify_op, &es256, SECONDS);
  zkb_report_ratio("cose ES256 parse+verify (256 B)", a, "EVP_DigestVerify P-256/SHA-256", b);
  cose_free(&es384);
  cose_free(&es256);

  cbor_ctx c;
  nitro_like(&c);
  printf("nitro-like payload: %zu bytes\n", c.len);
  a = zkb_rate("zki_cbor_decode strict", zk_decode_op, &c, SECONDS);
  b = zkb_rate("cbor_load", raw_load_op, &c, SECONDS);
  zkb_report_ratio("cbor strict decode (nitro-like)", a, "libcbor cbor_load", b);
  a = zkb_rate("zki_cbor_encode deterministic", zk_encode_op, &c, SECONDS);
  b = zkb_rate("cbor_serialize_alloc", raw_serialize_op, &c, SECONDS);
  zkb_report_ratio("cbor deterministic encode (nitro-like)", a, "libcbor cbor_serialize_alloc", b);
  cbor_decref(&c.item);
  free(c.doc);
  return 0;
}
