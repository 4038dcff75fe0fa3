/*
 * BIP-340 Schnorr test vectors (bip340/test-vectors.csv, 19 rows).
 *
 * Every row: the 32-byte x-only key is imported with
 * zk_key_from_public(ZK_CURVE_SECP256K1, pk, 32) and the signature checked
 * with zk_key_verify(ZK_SIG_SCHNORR); the outcome must match the
 * "verification result" column (an invalid x-only key must fail to import, or
 * else fail to verify). Rows with a secret key (8 of them) also check the
 * x-only export of the derived key and reproduce the exact signature through
 * the internal hook zki_key_sign_schnorr_aux with the row's aux_rand; the
 * public zk_key_sign (fresh aux randomness) must produce a signature that
 * verifies. TRUE rows get signature/message mutations that must be rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk_key_internal.h"
#include "zkt.h"

#define NCOLS 8

/* Split one CSV line in place into exactly NCOLS fields (the file has no quoting). */
static int split_line(char *line, char *cols[NCOLS]) {
  size_t n = strlen(line);
  while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n')) line[--n] = '\0';
  if (n == 0) return 0;
  int c = 0;
  cols[c++] = line;
  for (char *p = line; *p != '\0' && c < NCOLS; p++) {
    if (*p == ',') {
      *p = '\0';
      cols[c++] = p + 1;
    }
  }
  if (c != NCOLS) fail_msg("CSV line with %d fields", c);
  return 1;
}

static void test_bip340_vectors(void **state) {
  (void)state;
  uint8_t *buf;
  size_t len;
  ZKT_VECTOR_FILE("bip340/test-vectors.csv", &buf, &len);
  unsigned long run = 0, passed = 0, sign_rows = 0, sign_ok = 0, bad_key_rejected = 0;
  unsigned long mutations = 0, mut_bad = 0, want_true = 0, want_false = 0;
  char *save = NULL;
  char *line = strtok_r((char *)buf, "\n", &save);
  assert_non_null(line);
  assert_true(strncmp(line, "index,secret key,public key,aux_rand,message,signature,", 55) == 0);
  while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
    char *col[NCOLS];
    if (!split_line(line, col)) continue;
    int idx = atoi(col[0]);
    int expect = strcmp(col[6], "TRUE") == 0;
    if (!expect) assert_string_equal(col[6], "FALSE");
    want_true += (unsigned long)expect;
    want_false += (unsigned long)!expect;
    size_t pk_len, msg_len, sig_len;
    uint8_t *pk = zkt_hex(col[2], &pk_len);
    uint8_t *msg = zkt_hex(col[4], &msg_len);
    uint8_t *sig = zkt_hex(col[5], &sig_len);
    assert_int_equal(pk_len, 32);
    assert_int_equal(sig_len, 64);
    int ok = 1;
    zk_key *key = NULL;
    zk_status ist = zk_key_from_public(&key, ZK_CURVE_SECP256K1, pk, pk_len);
    zk_status vst = ist;
    if (ist == ZK_OK) vst = zk_key_verify(key, ZK_SIG_SCHNORR, 0, sig, sig_len, msg, msg_len);
    if ((vst == ZK_OK) != expect) ok = 0;
    if (ist != ZK_OK) {
      assert_null(key);
      if (!expect) bad_key_rejected++;
    }
    if (expect && ok) {
      uint8_t m[64];
      size_t pos[3] = {0, 32, 63};
      for (int i = 0; i < 3; i++) {
        memcpy(m, sig, 64);
        m[pos[i]] ^= 0x01;
        if (zk_key_verify(key, ZK_SIG_SCHNORR, 0, m, 64, msg, msg_len) == ZK_OK) mut_bad++;
        mutations++;
      }
      if (zk_key_verify(key, ZK_SIG_SCHNORR, 0, sig, 63, msg, msg_len) != ZK_ERR_SIG_ENCODING)
        mut_bad++;
      mutations++;
      uint8_t *mm = malloc(msg_len + 1);
      assert_non_null(mm);
      if (msg_len > 0) memcpy(mm, msg, msg_len);
      mm[msg_len] = 0;
      if (zk_key_verify(key, ZK_SIG_SCHNORR, 0, sig, 64, mm, msg_len + 1) == ZK_OK) mut_bad++;
      mutations++;
      free(mm);
    }
    if (col[1][0] != '\0') {
      /* Signing row. */
      sign_rows++;
      size_t sk_len, aux_len;
      uint8_t *sk = zkt_hex(col[1], &sk_len);
      uint8_t *aux = zkt_hex(col[3], &aux_len);
      assert_int_equal(aux_len, 32);
      zk_key *priv = NULL;
      zkt_assert_ok(zk_key_from_private(&priv, ZK_CURVE_SECP256K1, sk, sk_len));
      uint8_t xo[ZK_MAX_PUBKEY_LEN];
      size_t xo_len = sizeof xo;
      zkt_assert_ok(zk_key_export_public(priv, ZK_PUB_XONLY, xo, &xo_len));
      int sok = xo_len == 32 && memcmp(xo, pk, 32) == 0;
      uint8_t out[64];
      zk_status sst = zki_key_sign_schnorr_aux(priv, out, msg, msg_len, aux);
      if (sst != ZK_OK || memcmp(out, sig, 64) != 0) sok = 0;
      /* Public API: fresh aux, still a valid signature under the x-only key. */
      uint8_t fresh[ZK_SCHNORR_SIG_LEN];
      size_t fresh_len = sizeof fresh;
      if (zk_key_sign(priv, ZK_SIG_SCHNORR, fresh, &fresh_len, msg, msg_len) != ZK_OK ||
          fresh_len != 64 ||
          zk_key_verify(key, ZK_SIG_SCHNORR, 0, fresh, fresh_len, msg, msg_len) != ZK_OK)
        sok = 0;
      if (!sok) {
        char *h = zkt_tohex(out, 64);
        fprintf(stderr, "row %d: signature %s (%s)\n", idx, h, zk_status_name(sst));
        free(h);
        ok = 0;
      }
      sign_ok += (unsigned long)sok;
      zk_key_free(priv);
      zk_wipe(sk, sk_len);
      free(sk);
      free(aux);
    }
    if (!ok)
      fprintf(stderr, "row %d (%s, %s): import %s, verify %s\n", idx, col[6], col[7],
              zk_status_name(ist), zk_status_name(vst));
    run++;
    passed += (unsigned long)ok;
    zk_key_free(key);
    free(pk);
    free(msg);
    free(sig);
  }
  free(buf);
  zkt_report("bip340/test-vectors.csv (verification)", run, passed);
  zkt_report("bip340/test-vectors.csv (exact signatures)", sign_rows, sign_ok);
  printf(
      "  TRUE=%lu FALSE=%lu; invalid x-only keys refused at import: %lu; mutations of TRUE "
      "rows: %lu, accepted wrongly %lu\n",
      want_true, want_false, bad_key_rejected, mutations, mut_bad);
  zkt_report_mutations("bip340/test-vectors.csv", mutations, mutations - mut_bad);
  assert_int_equal(run, 19);
  assert_int_equal(passed, 19);
  assert_int_equal(sign_rows, 8);
  assert_int_equal(sign_ok, 8);
  assert_int_equal(mut_bad, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_bip340_vectors),
};

ZKT_MAIN(tests)
