/*
 * libzerokey example: sign a piece of evidence as COSE_Sign1 and verify it, then
 * show that a tampered payload, a different key and a truncated message are
 * each rejected with their own status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zerokey/zerokey.h>

static int check(const char *what, zk_status got, zk_status want) {
  int ok = got == want;
  printf("  %-52s -> %-26s %s\n", what, zk_status_name(got), ok ? "[as expected]" : "[UNEXPECTED]");
  return ok ? 0 : 1;
}

static int verify_bytes(const uint8_t *buf, size_t len, const zk_key *key, zk_status *st_out) {
  zk_cose_sign1 *msg = NULL;
  zk_status st = zk_cose_sign1_parse(&msg, buf, len, NULL);
  if (st == ZK_OK) st = zk_cose_sign1_verify(msg, key, NULL, 0);
  zk_cose_sign1_free(msg);
  *st_out = st;
  return 0;
}

int main(void) {
  int failures = 0;
  printf("libzerokey %s demo: COSE_Sign1 evidence\n\n", zk_version());
  const zk_curve curves[] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_ED25519, ZK_CURVE_P384};
  const char *names[] = {"ES256 (P-256)", "ES256K (secp256k1)", "EdDSA (Ed25519)", "ES384 (P-384)"};
  const char payload[] = "{\"type\":\"demo.evidence\",\"state\":\"ok\"}";
  for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
    zk_key *key = NULL, *other = NULL;
    uint8_t *cose = NULL;
    size_t cose_len = 0;
    uint8_t kid[ZK_SHA256_LEN], pub[ZK_MAX_PUBKEY_LEN];
    size_t pub_len = sizeof pub;
    zk_status st;
    printf("%s\n", names[i]);
    if (zk_key_generate(&key, curves[i]) != ZK_OK || zk_key_generate(&other, curves[i]) != ZK_OK ||
        zk_key_export_public(key, ZK_PUB_SPKI_DER, pub, &pub_len) != ZK_OK ||
        zk_sha256(kid, pub, pub_len) != ZK_OK) {
      fprintf(stderr, "key setup failed\n");
      return 1;
    }
    st = zk_cose_sign1_create(&cose, &cose_len, key, kid, sizeof kid, (const uint8_t *)payload,
                              strlen(payload), NULL, 0, ZK_COSE_TAGGED);
    failures += check("sign evidence", st, ZK_OK);
    if (st != ZK_OK) return 1;
    printf("  COSE_Sign1: %zu bytes, kid = SHA-256(SPKI)\n", cose_len);
    verify_bytes(cose, cose_len, key, &st);
    failures += check("verify with the signer's key", st, ZK_OK);
    verify_bytes(cose, cose_len, other, &st);
    failures += check("verify with another key", st, ZK_ERR_SIGNATURE);
    /* flip one byte inside the payload text */
    uint8_t *p = NULL;
    for (size_t j = 0; j + 4 <= cose_len && p == NULL; j++)
      if (memcmp(cose + j, "\"ok\"", 4) == 0) p = cose + j;
    if (p != NULL) {
      p[1] = 'K';
      verify_bytes(cose, cose_len, key, &st);
      failures += check("verify a tampered payload", st, ZK_ERR_SIGNATURE);
      p[1] = 'o';
    }
    verify_bytes(cose, cose_len - 1, key, &st);
    printf("  %-52s -> %-26s %s\n", "verify a truncated message", zk_status_name(st),
           st != ZK_OK ? "[rejected]" : "[UNEXPECTED]");
    failures += st == ZK_OK;
    zk_free(cose);
    zk_key_free(key);
    zk_key_free(other);
    printf("\n");
  }
  printf(failures == 0 ? "demo: all checks behaved as expected\n" : "demo: %d unexpected results\n",
         failures);
  return failures == 0 ? 0 : 1;
}
