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

#include "bench_util.h"
#include "zerokey/zerokey.h"
#include "zk_cbor.h"

#define SECONDS 0.5

/* ---- CBOR ---- */

typedef struct {
  uint8_t *doc;
  size_t len;
  cbor_item_t *item;
} cbor_ctx;

static const zki_cbor_limits nitro_lim = {
    .max_len = 16384, .max_depth = 4, .allow_indefinite = true};

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
  if (m == NULL) zkb_die("map");
  if (zki_cbor_map_put_str(m, "module_id",
                           zki_cbor_new_text("i-0123456789abcdef0-enc0123456789abcdef")) ||
      zki_cbor_map_put_str(m, "digest", zki_cbor_new_text("SHA384")) ||
      zki_cbor_map_put_str(m, "timestamp", cbor_build_uint64(1700000000000ull)))
    zkb_die("put");
  cbor_item_t *pcrs = cbor_new_definite_map(16);
  for (int i = 0; i < 16; i++) {
    memset(buf, i, 48);
    if (zki_cbor_map_put_int(pcrs, i, zki_cbor_new_bytes(buf, 48))) zkb_die("pcr");
  }
  if (zki_cbor_map_put_str(m, "pcrs", pcrs)) zkb_die("pcrs");
  memset(buf, 0x30, sizeof buf);
  if (zki_cbor_map_put_str(m, "certificate", zki_cbor_new_bytes(buf, 640))) zkb_die("cert");
  cbor_item_t *bundle = cbor_new_definite_array(4);
  for (int i = 0; i < 4; i++) {
    cbor_item_t *b = zki_cbor_new_bytes(buf, 600 + (size_t)i * 20);
    if (b == NULL || !cbor_array_push(bundle, b)) zkb_die("bundle");
    cbor_decref(&b);
  }
  if (zki_cbor_map_put_str(m, "cabundle", bundle) ||
      zki_cbor_map_put_str(m, "public_key", cbor_new_null()) ||
      zki_cbor_map_put_str(m, "user_data", zki_cbor_new_bytes(buf, 32)) ||
      zki_cbor_map_put_str(m, "nonce", cbor_new_null()))
    zkb_die("put");
  size_t cap = 0;
  c->len = cbor_serialize_alloc(m, &c->doc, &cap); /* libcbor keeps it indefinite, like NSM */
  if (c->len == 0) zkb_die("serialize");
  c->item = m;
}

int main(void) {
  zkb_cose es384, es256;
  zkb_cose_setup(&es384, ZK_CURVE_P384, 4608);
  zkb_cose_setup(&es256, ZK_CURVE_P256, 256);
  double a = zkb_rate("zk cose parse+verify ES384 4.5KiB", zkb_cose_verify_op, &es384, SECONDS);
  double b = zkb_rate("raw EVP_DigestVerify P-384", zkb_raw_verify_op, &es384.raw, SECONDS);
  zkb_report_ratio("cose ES384 parse+verify (4.5 KiB)", a, "EVP_DigestVerify P-384/SHA-384", b);
  a = zkb_rate("zk cose parse+verify ES256 256B", zkb_cose_verify_op, &es256, SECONDS);
  b = zkb_rate("raw EVP_DigestVerify P-256", zkb_raw_verify_op, &es256.raw, SECONDS);
  zkb_report_ratio("cose ES256 parse+verify (256 B)", a, "EVP_DigestVerify P-256/SHA-256", b);
  zkb_cose_free(&es384);
  zkb_cose_free(&es256);

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
