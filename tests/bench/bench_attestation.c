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
#include <stdio.h>

#include "bench_util.h"

int main(void) {
  zkb_att c;
  if (zkb_att_setup(&c) != 0) {
    printf("SKIPPED: %s not found\n", ZKB_ATT_DOC);
    return 0;
  }
  if (zkb_raw_verify_op(&c.raw) != 0) zkb_die("raw P-384 self-check");

  printf("attestation document: %zu bytes (%s)\n", c.len, ZKB_ATT_DOC);
  /* Interleaved rounds, best of each: the machine is shared, so a load change
   * between two long sequential measurements would distort the ratios. */
  double ref = 0, cold = 0, warm = 0;
  for (int round = 1; round <= 3; round++) {
    char l1[64], l2[64], l3[64];
    snprintf(l1, sizeof l1, "openssl P-384 ECDSA verify (SHA-384) #%d", round);
    snprintf(l2, sizeof l2, "zk_att_verify cold (fresh verifier) #%d", round);
    snprintf(l3, sizeof l3, "zk_att_verify warm (chain cache hit) #%d", round);
    double r = zkb_rate(l1, zkb_raw_verify_op, &c.raw, 0.4);
    double co = zkb_rate(l2, zkb_att_cold_op, &c, 0.4);
    double w = zkb_rate(l3, zkb_att_warm_op, &c, 0.4);
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

  zkb_att_free(&c);
  return 0;
}
