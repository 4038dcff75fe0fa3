/*
 * Nitro attestation verification throughput (real AWS document,
 * vectors/nitro/evervault_2023-01-18_nondebug_pcrs.cose at its own timestamp).
 *   cold: a fresh verifier (empty chain cache) per document: COSE signature +
 *         four chain signatures (root->regional->zonal->instance->leaf),
 *         i.e. about five P-384 verifications;
 *   warm: one verifier, chain cache hit: one P-384 verification (the COSE
 *         signature) plus parsing;
 *   reference: one raw OpenSSL P-384 ECDSA verification (EVP_DigestVerify,
 *         SHA-384) of the same document's Sig_structure, measured in the same run.
 * Three interleaved rounds; the best rate of each kind is used for the ratios.
 */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "zerokey/zerokey.h"
#include "zkt.h"

#define DOC "nitro/evervault_2023-01-18_nondebug_pcrs.cose"
#define AT 1674047239u

typedef struct ctx {
  const uint8_t *doc;
  size_t len;
  zk_att_verifier *warm;
  zk_att_policy *policy;
  EVP_PKEY *leaf_key;
  uint8_t *der_sig;
  size_t der_sig_len;
  uint8_t *tbs;
  size_t tbs_len;
} ctx;

static int verify_cold(void *p) {
  ctx *c = p;
  zk_att_verifier *v = NULL;
  zk_att_doc *d = NULL;
  if (zk_att_verifier_new(&v, 0) != ZK_OK) return 1;
  zk_status st = zk_att_verify(v, &d, c->doc, c->len, AT, c->policy, NULL);
  zk_att_doc_free(d);
  zk_att_verifier_free(v);
  return st != ZK_OK;
}

static int verify_warm(void *p) {
  ctx *c = p;
  zk_att_doc *d = NULL;
  zk_status st = zk_att_verify(c->warm, &d, c->doc, c->len, AT, c->policy, NULL);
  zk_att_doc_free(d);
  return st != ZK_OK;
}

static int raw_p384(void *p) {
  ctx *c = p;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m != NULL && EVP_DigestVerifyInit(m, NULL, EVP_sha384(), NULL, c->leaf_key) == 1 &&
           EVP_DigestVerify(m, c->der_sig, c->der_sig_len, c->tbs, c->tbs_len) == 1;
  EVP_MD_CTX_free(m);
  return !ok;
}

int main(void) {
  ctx c;
  memset(&c, 0, sizeof c);
  uint8_t *doc = NULL;
  if (zkt_vector_file_(DOC, &doc, &c.len) != 0) {
    printf("SKIPPED: %s not found\n", DOC);
    return 0;
  }
  c.doc = doc;
  if (zk_att_verifier_new(&c.warm, 0) != ZK_OK || zk_att_policy_new(&c.policy) != ZK_OK) return 1;

  /* Reference inputs: the leaf key, the signature in DER and the Sig_structure. */
  zk_att_doc *d = NULL;
  if (zk_att_verify(c.warm, &d, c.doc, c.len, AT, c.policy, NULL) != ZK_OK) return 1;
  size_t cl;
  const unsigned char *cp = zk_att_doc_certificate(d, &cl);
  X509 *leaf = d2i_X509(NULL, &cp, (long)cl);
  if (leaf == NULL) return 1;
  c.leaf_key = X509_get_pubkey(leaf);
  X509_free(leaf);
  zk_att_doc_free(d);
  zk_cose_sign1 *m = NULL;
  if (zk_cose_sign1_parse(&m, c.doc, c.len, NULL) != ZK_OK) return 1;
  size_t pl, hl, sl;
  const uint8_t *payload = zk_cose_sign1_payload(m, &pl);
  const uint8_t *prot = zk_cose_sign1_protected(m, &hl);
  const uint8_t *sig = zk_cose_sign1_signature(m, &sl);
  if (zk_cose_sig_structure(&c.tbs, &c.tbs_len, prot, hl, NULL, 0, payload, pl) != ZK_OK) return 1;
  uint8_t der[ZK_MAX_SIG_LEN];
  c.der_sig_len = sizeof der;
  if (zk_sig_raw_to_der(der, &c.der_sig_len, ZK_CURVE_P384, sig, sl) != ZK_OK) return 1;
  c.der_sig = der;
  zk_cose_sign1_free(m);
  if (raw_p384(&c) != 0) return 1;

  printf("attestation document: %zu bytes (%s)\n", c.len, DOC);
  /* Interleaved rounds, best of each: the machine is shared, so a load change
   * between two long sequential measurements would distort the ratios. */
  double ref = 0, cold = 0, warm = 0;
  for (int round = 1; round <= 3; round++) {
    char l1[64], l2[64], l3[64];
    snprintf(l1, sizeof l1, "openssl P-384 ECDSA verify (SHA-384) #%d", round);
    snprintf(l2, sizeof l2, "zk_att_verify cold (fresh verifier) #%d", round);
    snprintf(l3, sizeof l3, "zk_att_verify warm (chain cache hit) #%d", round);
    double r = zkb_rate(l1, raw_p384, &c, 0.4);
    double co = zkb_rate(l2, verify_cold, &c, 0.4);
    double w = zkb_rate(l3, verify_warm, &c, 0.4);
    if (r > ref) ref = r;
    if (co > cold) cold = co;
    if (w > warm) warm = w;
  }
  zkb_report_ratio("zk_att_verify cold", cold, "openssl P-384 verify", ref);
  zkb_report_ratio("zk_att_verify warm", warm, "openssl P-384 verify", ref);
  printf("P-384 verifications per document: cold %.2f, warm %.2f\n", cold > 0 ? ref / cold : 0.0,
         warm > 0 ? ref / warm : 0.0);
  uint64_t hits, misses;
  zk_att_verifier_cache_stats(c.warm, &hits, &misses, NULL);
  printf("warm verifier cache: hits=%llu misses=%llu\n", (unsigned long long)hits,
         (unsigned long long)misses);

  EVP_PKEY_free(c.leaf_key);
  zk_free(c.tbs);
  zk_att_policy_free(c.policy);
  zk_att_verifier_free(c.warm);
  free(doc);
  return 0;
}
