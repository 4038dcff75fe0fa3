/*
 * QOS throughput, each against the raw OpenSSL primitive that dominates it,
 * measured in the same run:
 *   envelope open (33-byte share): one P-256 ECDH + HMAC-SHA512 + AES-GCM
 *       reference: raw OpenSSL P-256 ECDH (EVP_PKEY_derive)
 *   qos sign (RFC 6979 raw r||s)   reference: raw OpenSSL ECDSA P-256 sign (random k)
 *   approval check (1-of-1 set)    reference: raw OpenSSL ECDSA P-256 verify
 *   shamir 3-of-5 split + combine of a 32-byte seed (constant-time GF(2^8))
 *       reference: raw OpenSSL P-256 ECDH (to show its weight in a provisioning step)
 */
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "zerokey/zerokey.h"
#include "zkt.h"

typedef struct ctx {
  zk_qos_keyset *ks;
  zk_qos_pubkey *pk;
  uint8_t *env;
  size_t env_len;
  zk_qos_manifest *m;
  zk_qos_approval *ap;
  EVP_PKEY *a, *b;
  uint8_t der[80];
  size_t der_len;
  uint8_t msg[32];
} ctx;

static int env_open(void *p) {
  ctx *c = p;
  uint8_t *pt;
  size_t n;
  if (zk_qos_envelope_open(c->ks, &pt, &n, c->env, c->env_len) != ZK_OK) return 1;
  zk_free_secret(pt, n);
  return 0;
}

static int raw_ecdh(void *p) {
  ctx *c = p;
  uint8_t out[32];
  size_t n = sizeof out;
  EVP_PKEY_CTX *d = EVP_PKEY_CTX_new(c->a, NULL);
  int ok = d && EVP_PKEY_derive_init(d) == 1 && EVP_PKEY_derive_set_peer(d, c->b) == 1 &&
           EVP_PKEY_derive(d, out, &n) == 1;
  EVP_PKEY_CTX_free(d);
  return !ok;
}

static int qos_sign(void *p) {
  ctx *c = p;
  uint8_t sig[64];
  return zk_qos_sign(c->ks, sig, sizeof sig, c->msg, sizeof c->msg) != ZK_OK;
}

static int raw_sign(void *p) {
  ctx *c = p;
  uint8_t der[80];
  size_t n = sizeof der;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m && EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, c->a) == 1 &&
           EVP_DigestSign(m, der, &n, c->msg, sizeof c->msg) == 1;
  EVP_MD_CTX_free(m);
  return !ok;
}

static int approval_check(void *p) {
  ctx *c = p;
  const zk_qos_approval *l[1] = {c->ap};
  return zk_qos_manifest_verify_approvals(c->m, ZK_QOS_SET_MANIFEST, l, 1) != ZK_OK;
}

static int raw_verify(void *p) {
  ctx *c = p;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m && EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, c->a) == 1 &&
           EVP_DigestVerify(m, c->der, c->der_len, c->msg, sizeof c->msg) == 1;
  EVP_MD_CTX_free(m);
  return !ok;
}

static int shamir_round(void *p) {
  ctx *c = p;
  uint8_t shares[5 * 33], out[32];
  size_t n;
  if (zk_shamir_split(shares, sizeof shares, 5, 3, c->msg, 32) != ZK_OK) return 1;
  const uint8_t *s[3] = {shares, shares + 66, shares + 132};
  int bad = zk_shamir_combine(out, sizeof out, &n, s, 33, 3) != ZK_OK || memcmp(out, c->msg, 32);
  zk_wipe(shares, sizeof shares);
  return bad;
}

int main(void) {
  ctx c;
  memset(&c, 0, sizeof c);
  memset(c.msg, 0x42, sizeof c.msg);
  if (zk_qos_keyset_generate(&c.ks) != ZK_OK ||
      zk_qos_pubkey_parse(&c.pk, zk_qos_keyset_public(c.ks), ZK_QOS_PUBLIC_LEN) != ZK_OK)
    return 1;
  uint8_t share[33];
  memset(share, 1, sizeof share);
  if (zk_qos_envelope_seal(&c.env, &c.env_len, c.pk, share, sizeof share) != ZK_OK) return 1;
  c.a = EVP_EC_gen("P-256");
  c.b = EVP_EC_gen("P-256");
  if (c.a == NULL || c.b == NULL) return 1;
  {
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    c.der_len = sizeof c.der;
    if (EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, c.a) != 1 ||
        EVP_DigestSign(m, c.der, &c.der_len, c.msg, sizeof c.msg) != 1)
      return 1;
    EVP_MD_CTX_free(m);
  }
  /* a 1-of-1 manifest set approved by ks (golden manifest shape) */
  json_t *g = zkt_vector_json_("turnkey/qos_manifest/golden_manifest_v1.json");
  if (g != NULL) {
    json_t *mj = json_loads(json_string_value(json_object_get(g, "manifest_v1_json")), 0, NULL);
    char hex[261];
    for (size_t i = 0; i < 130; i++)
      snprintf(hex + 2 * i, 3, "%02x", zk_qos_keyset_public(c.ks)[i]);
    json_t *members = json_object_get(json_object_get(mj, "manifestSet"), "members");
    json_object_set_new(json_array_get(members, 0), "pubKey", json_string(hex));
    char *s = json_dumps(mj, JSON_COMPACT);
    if (zk_qos_manifest_parse_json(&c.m, s, strlen(s)) != ZK_OK ||
        zk_qos_approval_sign(&c.ap, c.ks, "dev", c.m) != ZK_OK)
      return 1;
    free(s);
    json_decref(mj);
    json_decref(g);
  }
  double ref_ecdh = zkb_rate("raw OpenSSL P-256 ECDH", raw_ecdh, &c, 1.0);
  zkb_report_ratio("qos envelope open (33 B)", zkb_rate("qos envelope open", env_open, &c, 1.0),
                   "raw ECDH", ref_ecdh);
  zkb_report_ratio("qos sign RFC 6979", zkb_rate("qos sign", qos_sign, &c, 1.0),
                   "raw ECDSA P-256 sign", zkb_rate("raw sign", raw_sign, &c, 1.0));
  if (c.m != NULL)
    zkb_report_ratio("qos approval check 1-of-1", zkb_rate("approval", approval_check, &c, 1.0),
                     "raw ECDSA P-256 verify", zkb_rate("raw verify", raw_verify, &c, 1.0));
  else
    printf("SKIPPED: approval benchmark (vectors missing)\n");
  zkb_report_ratio("shamir 3-of-5 split+combine (32 B)", zkb_rate("shamir", shamir_round, &c, 1.0),
                   "raw ECDH", ref_ecdh);
  zk_qos_approval_free(c.ap);
  zk_qos_manifest_free(c.m);
  EVP_PKEY_free(c.a);
  EVP_PKEY_free(c.b);
  zk_free(c.env);
  zk_qos_pubkey_free(c.pk);
  zk_qos_keyset_free(c.ks);
  return 0;
}
