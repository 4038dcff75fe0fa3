/*
 * Wycheproof ECDH P-256 through zk_ecdh:
 *  - ecdh_secp256r1_test.json: the peer key is a DER SubjectPublicKeyInfo,
 *    imported with zk_key_from_spki;
 *  - ecdh_secp256r1_ecpoint_test.json: the peer key is a raw SEC1 point (what
 *    HPKE carries), imported with zk_key_from_public(ZK_CURVE_P256, ...).
 * The private scalar is given as a DER-style INTEGER body (a leading 00 when
 * the top bit is set, or fewer than 32 bytes when it is small); it is
 * normalised to the 32-byte big-endian form zk_key_from_private takes.
 *
 * A case is "accepted" when the peer key imports, zk_ecdh succeeds and the
 * secret equals "shared". Valid cases must be accepted; invalid cases must be
 * rejected (import or agreement failure, never a computed secret).
 * "acceptable" cases are counted per Wycheproof flag with their outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkt.h"

/* Normalise a Wycheproof private-key hex string to 32 bytes; fails the test if impossible. */
static void private32(uint8_t out[32], const char *hex) {
  size_t n;
  uint8_t *b = zkt_hex(hex, &n);
  size_t off = 0;
  while (n - off > 32) {
    if (b[off] != 0) fail_msg("private key longer than 32 bytes: %s", hex);
    off++;
  }
  memset(out, 0, 32);
  memcpy(out + 32 - (n - off), b + off, n - off);
  free(b);
}

typedef struct {
  char flags[96];
  unsigned long accepted, rejected;
} acc_row;

static void acc_add(acc_row *rows, size_t cap, const json_t *flags, int accepted) {
  char key[96] = "";
  size_t i;
  json_t *f;
  json_array_foreach(flags, i, f) {
    if (i > 0) strncat(key, ",", sizeof key - strlen(key) - 1);
    strncat(key, json_string_value(f), sizeof key - strlen(key) - 1);
  }
  for (size_t r = 0; r < cap; r++) {
    if (rows[r].flags[0] == '\0') memcpy(rows[r].flags, key, sizeof key);
    if (strcmp(rows[r].flags, key) == 0) {
      if (accepted)
        rows[r].accepted++;
      else
        rows[r].rejected++;
      return;
    }
  }
  fail_msg("too many flag combinations");
}

/* Import the peer as the file encodes it. */
static zk_status import_peer(zk_key **peer, int spki, const uint8_t *pub, size_t pub_len) {
  return spki ? zk_key_from_spki(peer, pub, pub_len)
              : zk_key_from_public(peer, ZK_CURVE_P256, pub, pub_len);
}

/* Run one case; returns 1 if the library produced `shared`, 0 if it refused. Fails on a wrong
 * secret. */
static int agree(const zk_key *priv, int spki, const uint8_t *pub, size_t pub_len,
                 const uint8_t *shared, size_t shared_len, zk_status *why) {
  zk_key *peer = NULL;
  *why = import_peer(&peer, spki, pub, pub_len);
  if (*why != ZK_OK) {
    assert_null(peer);
    return 0;
  }
  uint8_t secret[48];
  size_t secret_len = sizeof secret;
  *why = zk_ecdh(secret, &secret_len, priv, peer);
  zk_key_free(peer);
  if (*why != ZK_OK) {
    assert_int_equal(secret_len, 0);
    return 0;
  }
  if (secret_len != shared_len || memcmp(secret, shared, shared_len) != 0)
    fail_msg("zk_ecdh computed a different secret");
  return 1;
}

static void run_file(const char *rel, int spki, unsigned long want_run) {
  json_t *root;
  ZKT_VECTOR_JSON(rel, &root);
  unsigned long run = 0, passed = 0, valid = 0, invalid = 0, acceptable = 0, acc_accepted = 0;
  unsigned long mutations = 0, mut_bad = 0;
  acc_row rows[16];
  memset(rows, 0, sizeof rows);
  size_t gi;
  json_t *g;
  json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
    assert_string_equal(zkt_jstr(g, "curve"), "secp256r1");
    size_t ti;
    json_t *t;
    json_array_foreach(json_object_get(g, "tests"), ti, t) {
      long long id = json_integer_value(json_object_get(t, "tcId"));
      const char *result = zkt_jstr(t, "result");
      uint8_t sk[32];
      private32(sk, zkt_jstr(t, "private"));
      zk_key *priv = NULL;
      zkt_assert_ok(zk_key_from_private(&priv, ZK_CURVE_P256, sk, sizeof sk));
      zk_wipe(sk, sizeof sk);
      size_t pub_len, shared_len;
      uint8_t *pub = zkt_hex(zkt_jstr(t, "public"), &pub_len);
      uint8_t *shared = zkt_hex(zkt_jstr(t, "shared"), &shared_len);
      zk_status why;
      int accepted = agree(priv, spki, pub, pub_len, shared, shared_len, &why);
      int ok = 1;
      if (strcmp(result, "valid") == 0) {
        valid++;
        ok = accepted;
        if (ok && pub_len > 0) {
          /* Mutations: last byte flipped (off the curve for an uncompressed point or SPKI),
           * truncated, one trailing byte. All must fail to import. */
          uint8_t *m = malloc(pub_len + 1);
          assert_non_null(m);
          memcpy(m, pub, pub_len);
          m[pub_len] = 0;
          zk_key *peer = NULL;
          int compressed = !spki && (pub[0] == 0x02 || pub[0] == 0x03);
          if (!compressed) {
            m[pub_len - 1] ^= 0x01;
            if (import_peer(&peer, spki, m, pub_len) == ZK_OK) mut_bad++;
            zk_key_free(peer);
            peer = NULL;
            m[pub_len - 1] ^= 0x01;
            mutations++;
          }
          if (import_peer(&peer, spki, m, pub_len - 1) == ZK_OK) mut_bad++;
          zk_key_free(peer);
          peer = NULL;
          if (import_peer(&peer, spki, m, pub_len + 1) == ZK_OK) mut_bad++;
          zk_key_free(peer);
          mutations += 2;
          free(m);
        }
      } else if (strcmp(result, "invalid") == 0) {
        invalid++;
        ok = !accepted;
      } else if (strcmp(result, "acceptable") == 0) {
        acceptable++;
        acc_accepted += (unsigned long)accepted;
        acc_add(rows, 16, json_object_get(t, "flags"), accepted);
      } else {
        fail_msg("%s tcId %lld: unexpected result '%s'", rel, id, result);
      }
      if (!ok)
        fprintf(stderr, "%s tcId %lld (%s, %s): %s\n", rel, id, result, zkt_jstr(t, "comment"),
                accepted ? "accepted" : zk_status_name(why));
      run++;
      passed += (unsigned long)ok;
      zk_key_free(priv);
      free(pub);
      free(shared);
    }
  }
  json_decref(root);
  /* "passed": valid accepted + invalid rejected + acceptable (either outcome, reported below). */
  zkt_report(rel, run, passed);
  printf("  valid=%lu invalid=%lu acceptable=%lu (accepted %lu, rejected %lu)\n", valid, invalid,
         acceptable, acc_accepted, acceptable - acc_accepted);
  for (size_t r = 0; r < 16 && rows[r].flags[0] != '\0'; r++)
    printf("    acceptable [%s]: accepted=%lu rejected=%lu\n", rows[r].flags, rows[r].accepted,
           rows[r].rejected);
  printf(
      "  peer-key mutations of valid cases (flipped last byte, truncated, trailing byte): "
      "%lu, wrongly imported %lu\n",
      mutations, mut_bad);
  zkt_report_mutations(rel, mutations, mutations - mut_bad);
  assert_int_equal(run, want_run);
  assert_int_equal(passed, run);
  assert_int_equal(mut_bad, 0);
}

static void test_ecdh_spki(void **state) {
  (void)state;
  run_file("wycheproof/ecdh_secp256r1_test.json", 1, 612);
}

static void test_ecdh_ecpoint(void **state) {
  (void)state;
  run_file("wycheproof/ecdh_secp256r1_ecpoint_test.json", 0, 355);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ecdh_spki),
    cmocka_unit_test(test_ecdh_ecpoint),
};

ZKT_MAIN(tests)
