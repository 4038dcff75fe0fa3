/*
 * DER acceptance table for secp256k1 ECDSA signatures: OpenSSL d2i_ECDSA_SIG (with and
 * without the canonical re-encoding check ECDSA_verify applies), libsecp256k1
 * secp256k1_ecdsa_signature_parse_der, and zk_sig_der_to_raw. Prints one DERDIFF line per
 * case (docs/fuzzing.md). Build (from the repository root, after scripts/fuzz.sh):
 *   cc -Iinclude fuzz/tools/der_acceptance.c -o der_acceptance build-fuzz/libzerokey.a \
 *      -fsanitize=address,undefined -lsecp256k1 -lcrypto -lcbor -ljansson
 */
#include <openssl/ecdsa.h>
#include <secp256k1.h>
#include <stdio.h>
#include <string.h>
#include "zerokey/key.h"
static int hexd(unsigned char *o, const char *h) {
  int n = 0;
  while (h[0] && h[1]) {
    sscanf(h, "%2hhx", &o[n++]);
    h += 2;
  }
  return n;
}
static int ossl(const unsigned char *d, int n) {
  const unsigned char *p = d;
  ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, n);
  if (!s) return 0;
  unsigned char *re = NULL;
  int rl = i2d_ECDSA_SIG(s, &re);
  int strict = (p == d + n && rl == n && !memcmp(re, d, n));
  OPENSSL_free(re);
  ECDSA_SIG_free(s);
  return strict ? 2 : 1;
}
int main(void) {
  const char *cases[][2] = {
      {"canonical", "3006020101020101"},
      {"r negative (0x81)", "3006020181020101"},
      {"r leading zero", "300702020001020101"},
      {"long-form length", "30810602010102 0101"},
      {"trailing byte", "300602010102010100"},
      {"empty r", "3005020002 0101"},
      {"r = n (overflow)",
       "3026022100fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141020101"},
      {"r 33 bytes no sign need",
       "30260221010000000000000000000000000000000000000000000000000000000000000000020101"},
      {"seq len too long", "3007020101020101"},
      {"r = 0", "3006020100020101"},
      {"wrong seq tag", "3106020101020101"},
      {"indefinite length", "3080020101020101 0000"},
  };
  secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char h[300];
    size_t k = 0;
    for (const char *c = cases[i][1]; *c; c++)
      if (*c != ' ') h[k++] = *c;
    h[k] = 0;
    unsigned char d[200];
    int n = hexd(d, h);
    secp256k1_ecdsa_signature s;
    int b = secp256k1_ecdsa_signature_parse_der(ctx, &s, d, n);
    unsigned char rs[64];
    size_t rl = 64;
    int c = zk_sig_der_to_raw(rs, &rl, ZK_CURVE_SECP256K1, d, n) == ZK_OK;
    int a = ossl(d, n);
    printf("DERDIFF %-26s openssl=%s libsecp256k1=%s zk=%s\n", cases[i][0],
           a == 2   ? "accept"
           : a == 1 ? "lax-only"
                    : "reject",
           b ? "accept" : "reject", c ? "accept" : "reject");
  }
  secp256k1_context_destroy(ctx);
  return 0;
}
