/*
 * API behaviour of include/zerokey/key.h (no external vectors):
 * generation, import/export round trips for every curve and format, invalid
 * points and scalars, DER <-> raw signature conversion including non-strict
 * DER rejections, recoverable signatures and public-key recovery, BIP-340
 * Schnorr, sign/verify round trips with every signature byte flipped, ECDH,
 * _free(NULL), buffer-too-small behaviour and outputs on error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk_internal.h"
#include "zkt.h"

static const zk_curve CURVES[] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_ED25519,
                                  ZK_CURVE_P384};
static const char *curve_name(zk_curve c) {
  switch (c) {
    case ZK_CURVE_P256:
      return "P-256";
    case ZK_CURVE_SECP256K1:
      return "secp256k1";
    case ZK_CURVE_ED25519:
      return "Ed25519";
    case ZK_CURVE_P384:
      return "P-384";
    default:
      return "?";
  }
}

/* Group orders (big-endian). */
static const char *P256_N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
static const char *K1_N = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
static const char *P384_N =
    "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc529"
    "73";
/* Field primes. */
static const char *P256_P = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
static const char *K1_P = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

static const char *order_hex(zk_curve c) {
  return c == ZK_CURVE_P256 ? P256_N : c == ZK_CURVE_SECP256K1 ? K1_N : P384_N;
}

static size_t field_len(zk_curve c) {
  return c == ZK_CURVE_P384 ? 48 : 32;
}

/* Big-endian +/- small delta in place (no overflow in the uses below). */
static void be_add(uint8_t *a, size_t n, int delta) {
  int carry = delta;
  for (size_t i = n; i-- > 0 && carry != 0;) {
    int v = a[i] + carry;
    carry = v < 0 ? -1 : v > 255 ? 1 : 0;
    a[i] = (uint8_t)(v - carry * 256);
  }
}

static int all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != 0) return 0;
  return 1;
}

static const uint8_t MSG[] = "libzerokey key API test message";
#define MSG_LEN (sizeof MSG - 1)

/* ---- generation, import, export ---- */

static void test_generate_export_import(void **state) {
  (void)state;
  unsigned long roundtrips = 0;
  for (size_t ci = 0; ci < ZKI_ARRAY_LEN(CURVES); ci++) {
    zk_curve c = CURVES[ci];
    zk_key *k = NULL;
    zkt_assert_ok(zk_key_generate(&k, c));
    assert_non_null(k);
    assert_int_equal(zk_key_curve(k), c);
    assert_true(zk_key_has_private(k));
    assert_int_equal(zk_key_digest_len(k), c == ZK_CURVE_ED25519 ? 0 : field_len(c));
    /* Private export -> import gives the same public key. */
    uint8_t sk[ZK_MAX_SECRET_LEN];
    size_t sk_len = sizeof sk;
    zkt_assert_ok(zk_key_export_private(k, sk, &sk_len));
    assert_int_equal(sk_len, c == ZK_CURVE_ED25519 ? 32 : field_len(c));
    zk_key *k2 = NULL;
    zkt_assert_ok(zk_key_from_private(&k2, c, sk, sk_len));
    assert_true(zk_key_public_equal(k, k2));
    zk_wipe(sk, sizeof sk);
    zk_key_free(k2);
    roundtrips++;
    /* Every public format this curve supports round-trips; the others are refused. */
    const zk_pubkey_format fmts[] = {ZK_PUB_COMPRESSED, ZK_PUB_UNCOMPRESSED, ZK_PUB_RAW,
                                     ZK_PUB_SPKI_DER, ZK_PUB_XONLY};
    for (size_t fi = 0; fi < ZKI_ARRAY_LEN(fmts); fi++) {
      zk_pubkey_format f = fmts[fi];
      uint8_t pub[ZK_MAX_PUBKEY_LEN];
      size_t pub_len = sizeof pub;
      zk_status st = zk_key_export_public(k, f, pub, &pub_len);
      int supported = c == ZK_CURVE_ED25519 ? (f == ZK_PUB_RAW || f == ZK_PUB_SPKI_DER)
                      : f == ZK_PUB_XONLY   ? c == ZK_CURVE_SECP256K1
                                            : 1;
      if (!supported) {
        zkt_assert_status(st, ZK_ERR_UNSUPPORTED);
        assert_int_equal(pub_len, 0);
        continue;
      }
      zkt_assert_ok(st);
      size_t fl = field_len(c);
      size_t want = f == ZK_PUB_COMPRESSED     ? 1 + fl
                    : f == ZK_PUB_UNCOMPRESSED ? 1 + 2 * fl
                    : f == ZK_PUB_RAW          ? (c == ZK_CURVE_ED25519 ? 32 : 2 * fl)
                    : f == ZK_PUB_XONLY        ? 32
                                               : pub_len;
      assert_int_equal(pub_len, want);
      if (f == ZK_PUB_COMPRESSED) assert_true(pub[0] == 0x02 || pub[0] == 0x03);
      if (f == ZK_PUB_UNCOMPRESSED) assert_int_equal(pub[0], 0x04);
      zk_key *imp = NULL;
      if (f == ZK_PUB_SPKI_DER) {
        zkt_assert_ok(zk_key_from_spki(&imp, pub, pub_len));
        /* Trailing garbage after the SPKI is refused. */
        zk_key *bad = (zk_key *)(uintptr_t)1;
        pub[pub_len] = 0;
        assert_int_not_equal(zk_key_from_spki(&bad, pub, pub_len + 1), ZK_OK);
        assert_null(bad);
        /* Truncated SPKI is refused. */
        assert_int_not_equal(zk_key_from_spki(&bad, pub, pub_len - 1), ZK_OK);
      } else {
        zkt_assert_ok(zk_key_from_public(&imp, c, pub, pub_len));
      }
      assert_false(zk_key_has_private(imp));
      assert_int_equal(zk_key_curve(imp), c);
      if (f == ZK_PUB_XONLY) {
        /* The x-only import is the even-Y point: equal X, possibly the negation. */
        uint8_t x2[32];
        size_t x2_len = sizeof x2;
        zkt_assert_ok(zk_key_export_public(imp, ZK_PUB_XONLY, x2, &x2_len));
        assert_memory_equal(x2, pub, 32);
      } else {
        assert_true(zk_key_public_equal(k, imp));
      }
      zk_key_free(imp);
      roundtrips++;
    }
    /* Public copy: same point, no private part. */
    zk_key *pc = NULL;
    zkt_assert_ok(zk_key_public_copy(&pc, k));
    assert_true(zk_key_public_equal(k, pc));
    assert_false(zk_key_has_private(pc));
    uint8_t buf[ZK_MAX_SIG_LEN];
    size_t buf_len = sizeof buf;
    zkt_assert_status(zk_key_export_private(pc, buf, &buf_len), ZK_ERR_NO_PRIVATE_KEY);
    assert_int_equal(buf_len, 0);
    buf_len = sizeof buf;
    zkt_assert_status(zk_key_sign(pc, c == ZK_CURVE_ED25519 ? ZK_SIG_EDDSA : ZK_SIG_DER, buf,
                                  &buf_len, MSG, MSG_LEN),
                      ZK_ERR_NO_PRIVATE_KEY);
    assert_int_equal(buf_len, 0);
    /* Two generated keys differ. */
    zk_key *k3 = NULL;
    zkt_assert_ok(zk_key_generate(&k3, c));
    assert_false(zk_key_public_equal(k, k3));
    zk_key_free(k3);
    zk_key_free(pc);
    zk_key_free(k);
  }
  /* Keys on different curves are never equal. */
  zk_key *a = NULL, *b = NULL;
  uint8_t one[32] = {0};
  one[31] = 1;
  zkt_assert_ok(zk_key_from_private(&a, ZK_CURVE_P256, one, 32));
  zkt_assert_ok(zk_key_from_private(&b, ZK_CURVE_SECP256K1, one, 32));
  assert_false(zk_key_public_equal(a, b));
  zk_key_free(a);
  zk_key_free(b);
  printf("  key import/export round trips: %lu\n", roundtrips);
}

/* Known public keys for scalar 1 (the generators) pin the encodings byte for byte. */
static void test_known_generators(void **state) {
  (void)state;
  struct {
    zk_curve c;
    const char *compressed;
  } g[] = {
      {ZK_CURVE_P256, "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"},
      {ZK_CURVE_SECP256K1, "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
      {ZK_CURVE_P384,
       "03aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
       "5502f25dbf55296c3a545e3872760ab7"},
  };
  for (size_t i = 0; i < ZKI_ARRAY_LEN(g); i++) {
    uint8_t one[48] = {0};
    size_t fl = field_len(g[i].c);
    one[fl - 1] = 1;
    zk_key *k = NULL;
    zkt_assert_ok(zk_key_from_private(&k, g[i].c, one, fl));
    uint8_t pub[ZK_MAX_PUBKEY_LEN];
    size_t pub_len = sizeof pub;
    zkt_assert_ok(zk_key_export_public(k, ZK_PUB_COMPRESSED, pub, &pub_len));
    char *h = zkt_tohex(pub, pub_len);
    assert_string_equal(h, g[i].compressed);
    free(h);
    zk_key_free(k);
  }
}

/* ---- invalid points ---- */

static void expect_bad_pub(zk_curve c, const uint8_t *p, size_t n, const char *what,
                           unsigned long *count) {
  zk_key *k = (zk_key *)(uintptr_t)1;
  zk_status st = zk_key_from_public(&k, c, p, n);
  if (st != ZK_ERR_KEY)
    fail_msg("%s %s: got %s, want ZK_ERR_KEY", curve_name(c), what, zk_status_name(st));
  assert_null(k);
  (*count)++;
}

static void test_invalid_points(void **state) {
  (void)state;
  unsigned long count = 0;
  const zk_curve ec[] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_P384};
  for (size_t ci = 0; ci < ZKI_ARRAY_LEN(ec); ci++) {
    zk_curve c = ec[ci];
    size_t fl = field_len(c);
    zk_key *k = NULL;
    zkt_assert_ok(zk_key_generate(&k, c));
    uint8_t u[ZK_MAX_PUBKEY_LEN + 2], cp[ZK_MAX_PUBKEY_LEN + 2], m[ZK_MAX_PUBKEY_LEN + 2];
    size_t u_len = sizeof u, cp_len = sizeof cp;
    zkt_assert_ok(zk_key_export_public(k, ZK_PUB_UNCOMPRESSED, u, &u_len));
    zkt_assert_ok(zk_key_export_public(k, ZK_PUB_COMPRESSED, cp, &cp_len));
    zk_key_free(k);
    /* Not on the curve: Y changed. */
    memcpy(m, u, u_len);
    m[u_len - 1] ^= 0x01;
    expect_bad_pub(c, m, u_len, "Y+1 (off curve)", &count);
    memcpy(m, u, u_len);
    m[1] ^= 0x80;
    expect_bad_pub(c, m, u_len, "X changed (off curve)", &count);
    /* Same via ZK_PUB_RAW (X||Y without prefix). */
    expect_bad_pub(c, m + 1, u_len - 1, "raw X||Y off curve", &count);
    /* Infinity: SEC1 encodes it as the single byte 00; also all-zero X||Y forms. */
    uint8_t zero[1 + 2 * 48] = {0};
    expect_bad_pub(c, zero, 1, "infinity 00", &count);
    expect_bad_pub(c, zero, 1 + 2 * fl, "00 || zeros", &count);
    zero[0] = 0x04;
    expect_bad_pub(c, zero, 1 + 2 * fl, "04 || 0 || 0", &count);
    expect_bad_pub(c, zero + 1, 2 * fl, "raw 0 || 0", &count);
    /* Wrong lengths. */
    expect_bad_pub(c, u, u_len - 1, "uncompressed minus one byte", &count);
    memcpy(m, u, u_len);
    m[u_len] = 0;
    expect_bad_pub(c, m, u_len + 1, "uncompressed plus one byte", &count);
    /* (On secp256k1 a 32-byte input is by definition a BIP-340 x-only key.) */
    if (c != ZK_CURVE_SECP256K1)
      expect_bad_pub(c, cp, cp_len - 1, "compressed minus one byte", &count);
    memcpy(m, cp, cp_len);
    m[cp_len] = 0;
    expect_bad_pub(c, m, cp_len + 1, "compressed plus one byte", &count);
    expect_bad_pub(c, u, 0, "empty", &count);
    expect_bad_pub(c, u, 1, "prefix only", &count);
    /* Wrong prefixes. */
    const uint8_t bad_u[] = {0x00, 0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0xff};
    for (size_t i = 0; i < sizeof bad_u; i++) {
      memcpy(m, u, u_len);
      m[0] = bad_u[i];
      expect_bad_pub(c, m, u_len, "uncompressed with a wrong/hybrid prefix", &count);
    }
    const uint8_t bad_c[] = {0x00, 0x01, 0x04, 0x05, 0x06, 0x07};
    for (size_t i = 0; i < sizeof bad_c; i++) {
      memcpy(m, cp, cp_len);
      m[0] = bad_c[i];
      expect_bad_pub(c, m, cp_len, "compressed with a wrong prefix", &count);
    }
    /* X >= p in a compressed point (P-256 and secp256k1: X = p). */
    if (c != ZK_CURVE_P384) {
      m[0] = 0x02;
      uint8_t *p = zkt_hex(c == ZK_CURVE_P256 ? P256_P : K1_P, NULL);
      memcpy(m + 1, p, 32);
      free(p);
      expect_bad_pub(c, m, 33, "compressed X = p", &count);
      memset(m + 1, 0xff, 32);
      expect_bad_pub(c, m, 33, "compressed X = 2^256-1", &count);
    }
  }
  /* secp256k1 x-only: X = p and X = 0 (no point with X = 0 has an even... no point at all on k1?
   * 0^3+7 = 7 is a non-residue mod p) */
  {
    uint8_t *p = zkt_hex(K1_P, NULL);
    expect_bad_pub(ZK_CURVE_SECP256K1, p, 32, "x-only X = p", &count);
    free(p);
    uint8_t z[32] = {0};
    expect_bad_pub(ZK_CURVE_SECP256K1, z, 32, "x-only X = 0", &count);
  }
  /* Ed25519: wrong lengths. */
  uint8_t ed[34] = {0};
  expect_bad_pub(ZK_CURVE_ED25519, ed, 31, "31 bytes", &count);
  expect_bad_pub(ZK_CURVE_ED25519, ed, 33, "33 bytes", &count);
  expect_bad_pub(ZK_CURVE_ED25519, ed, 0, "empty", &count);
  /*
   * Ed25519 points of small order (canonical encodings of all 8 such points,
   * with and without the sign bit, plus y = p and y = p + 1), a y with no x
   * on the curve (y = 2), and non-canonical y >= p (p + 3 encodes the valid
   * y = 3 twice). Under the identity key a fixed signature (R = identity,
   * S = 0) would verify for every message.
   */
  {
    static const char *weak[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "0200000000000000000000000000000000000000000000000000000000000000",
        "f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0100000000000000000000000000000000000000000000000000000000000080",
    };
    for (size_t i = 0; i < ZKI_ARRAY_LEN(weak); i++) {
      uint8_t *w = zkt_hex(weak[i], NULL);
      expect_bad_pub(ZK_CURVE_ED25519, w, 32, weak[i], &count);
      free(w);
    }
    /* y = 3 is a valid point of large order. */
    uint8_t three[32] = {3};
    zk_key *k3 = NULL;
    zkt_assert_ok(zk_key_from_public(&k3, ZK_CURVE_ED25519, three, 32));
    zk_key_free(k3);
    /* The same weak key inside an SPKI is refused too. */
    uint8_t *spki = zkt_hex(
        "302a300506032b65700321000100000000000000000000000000000000000000000000"
        "000000000000000000",
        NULL);
    zk_key *ks = (zk_key *)(uintptr_t)1;
    zkt_assert_status(zk_key_from_spki(&ks, spki, 44), ZK_ERR_KEY);
    assert_null(ks);
    free(spki);
    count++;
  }
  /* A P-256 point is refused on secp256k1 (different curve equation) and vice versa. */
  {
    zk_key *k = NULL;
    zkt_assert_ok(zk_key_generate(&k, ZK_CURVE_P256));
    uint8_t u[65];
    size_t u_len = sizeof u;
    zkt_assert_ok(zk_key_export_public(k, ZK_PUB_UNCOMPRESSED, u, &u_len));
    expect_bad_pub(ZK_CURVE_SECP256K1, u, u_len, "P-256 point on secp256k1", &count);
    zk_key_free(k);
  }
  /* Unknown curve and NULL arguments. */
  zk_key *k = (zk_key *)(uintptr_t)1;
  uint8_t any[65] = {0x04};
  zkt_assert_status(zk_key_from_public(&k, ZK_CURVE_NONE, any, 65), ZK_ERR_UNSUPPORTED);
  assert_null(k);
  zkt_assert_status(zk_key_from_public(&k, (zk_curve)77, any, 65), ZK_ERR_UNSUPPORTED);
  zkt_assert_status(zk_key_from_public(&k, ZK_CURVE_P256, NULL, 65), ZK_ERR_ARG);
  zkt_assert_status(zk_key_from_public(NULL, ZK_CURVE_P256, any, 65), ZK_ERR_ARG);
  k = (zk_key *)(uintptr_t)1;
  zkt_assert_status(zk_key_from_spki(&k, any, 0), ZK_ERR_ARG);
  assert_null(k);
  k = (zk_key *)(uintptr_t)1;
  assert_int_not_equal(zk_key_from_spki(&k, any, sizeof any), ZK_OK);
  assert_null(k);
  printf("  invalid public keys refused with ZK_ERR_KEY: %lu\n", count);
}

/* ---- scalars ---- */

static void test_scalars(void **state) {
  (void)state;
  unsigned long count = 0;
  const zk_curve ec[] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_P384};
  for (size_t ci = 0; ci < ZKI_ARRAY_LEN(ec); ci++) {
    zk_curve c = ec[ci];
    size_t fl = field_len(c);
    uint8_t s[50];
    zk_key *k = (zk_key *)(uintptr_t)1;
    memset(s, 0, sizeof s);
    zkt_assert_status(zk_key_from_private(&k, c, s, fl), ZK_ERR_KEY); /* zero */
    assert_null(k);
    uint8_t *n = zkt_hex(order_hex(c), NULL);
    memcpy(s, n, fl);
    zkt_assert_status(zk_key_from_private(&k, c, s, fl), ZK_ERR_KEY); /* n */
    be_add(s, fl, 1);
    zkt_assert_status(zk_key_from_private(&k, c, s, fl), ZK_ERR_KEY); /* n + 1 */
    memset(s, 0xff, fl);
    zkt_assert_status(zk_key_from_private(&k, c, s, fl), ZK_ERR_KEY); /* 2^bits - 1 */
    memcpy(s, n, fl);
    be_add(s, fl, -1);
    zkt_assert_ok(zk_key_from_private(&k, c, s, fl)); /* n - 1 is the largest valid scalar */
    /* (n-1)*G = -G: same X as G. */
    uint8_t pub[ZK_MAX_PUBKEY_LEN], gpub[ZK_MAX_PUBKEY_LEN];
    size_t pub_len = sizeof pub, gpub_len = sizeof gpub;
    zkt_assert_ok(zk_key_export_public(k, ZK_PUB_COMPRESSED, pub, &pub_len));
    zk_key_free(k);
    memset(s, 0, fl);
    s[fl - 1] = 1;
    zkt_assert_ok(zk_key_from_private(&k, c, s, fl));
    zkt_assert_ok(zk_key_export_public(k, ZK_PUB_COMPRESSED, gpub, &gpub_len));
    zk_key_free(k);
    assert_memory_equal(pub + 1, gpub + 1, fl);
    assert_int_not_equal(pub[0], gpub[0]);
    /* Wrong lengths: one byte short or long (even with a leading zero) are refused. */
    k = (zk_key *)(uintptr_t)1;
    zkt_assert_status(zk_key_from_private(&k, c, s, fl - 1), ZK_ERR_KEY);
    assert_null(k);
    uint8_t longer[50] = {0};
    longer[fl] = 1;
    zkt_assert_status(zk_key_from_private(&k, c, longer, fl + 1), ZK_ERR_KEY);
    zkt_assert_status(zk_key_from_private(&k, c, NULL, fl), ZK_ERR_ARG);
    free(n);
    count += 7;
  }
  zk_key *k = (zk_key *)(uintptr_t)1;
  uint8_t seed[33] = {0};
  zkt_assert_status(zk_key_from_private(&k, ZK_CURVE_ED25519, seed, 31), ZK_ERR_KEY);
  assert_null(k);
  zkt_assert_status(zk_key_from_private(&k, ZK_CURVE_ED25519, seed, 33), ZK_ERR_KEY);
  zkt_assert_ok(zk_key_from_private(&k, ZK_CURVE_ED25519, seed, 32)); /* any seed is valid */
  zk_key_free(k);
  k = (zk_key *)(uintptr_t)1;
  zkt_assert_status(zk_key_from_private(&k, ZK_CURVE_NONE, seed, 32), ZK_ERR_UNSUPPORTED);
  assert_null(k);
  k = (zk_key *)(uintptr_t)1;
  zkt_assert_status(zk_key_generate(&k, ZK_CURVE_NONE), ZK_ERR_UNSUPPORTED);
  assert_null(k);
  zkt_assert_status(zk_key_generate(NULL, ZK_CURVE_P256), ZK_ERR_ARG);
  count += 3;
  printf("  invalid private scalars refused: %lu\n", count);
}

/* ---- DER <-> raw ---- */

static void expect_bad_der(zk_curve c, const zk_key *key, const uint8_t *der, size_t der_len,
                           const char *what, unsigned long *count) {
  uint8_t raw[96];
  size_t raw_len = sizeof raw;
  memset(raw, 0xAA, sizeof raw);
  zk_status st = zk_sig_der_to_raw(raw, &raw_len, c, der, der_len);
  if (st != ZK_ERR_SIG_ENCODING)
    fail_msg("%s DER %s: got %s", curve_name(c), what, zk_status_name(st));
  assert_int_equal(raw_len, 0);
  assert_true(all_zero(raw, 2 * field_len(c)));
  st = zk_key_verify(key, ZK_SIG_DER, ZK_VERIFY_ALLOW_HIGH_S, der, der_len, MSG, MSG_LEN);
  if (st != ZK_ERR_SIG_ENCODING)
    fail_msg("%s verify DER %s: got %s", curve_name(c), what, zk_status_name(st));
  (*count)++;
}

/* Build DER SEQUENCE { INTEGER r, INTEGER s, <tail> } from given content bytes (no
 * normalisation); tail is raw encoded elements appended inside the SEQUENCE. */
static size_t build_der_tail(uint8_t *out, const uint8_t *r, size_t r_len, const uint8_t *s,
                             size_t s_len, const uint8_t *tail, size_t tail_len) {
  size_t body = 2 + r_len + 2 + s_len + tail_len, n = 0;
  out[n++] = 0x30;
  if (body >= 0x80) out[n++] = 0x81;
  out[n++] = (uint8_t)body;
  out[n++] = 0x02;
  out[n++] = (uint8_t)r_len;
  memcpy(out + n, r, r_len);
  n += r_len;
  out[n++] = 0x02;
  out[n++] = (uint8_t)s_len;
  memcpy(out + n, s, s_len);
  n += s_len;
  if (tail_len > 0) memcpy(out + n, tail, tail_len);
  return n + tail_len;
}

static size_t build_der(uint8_t *out, const uint8_t *r, size_t r_len, const uint8_t *s,
                        size_t s_len) {
  return build_der_tail(out, r, r_len, s, s_len, NULL, 0);
}

static void test_der_raw(void **state) {
  (void)state;
  unsigned long count = 0, roundtrips = 0;
  const zk_curve ec[] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_P384};
  for (size_t ci = 0; ci < ZKI_ARRAY_LEN(ec); ci++) {
    zk_curve c = ec[ci];
    size_t fl = field_len(c);
    zk_key *key = NULL;
    zkt_assert_ok(zk_key_generate(&key, c));
    /* Round trips over several signatures (different r/s lengths in DER). */
    for (int i = 0; i < 16; i++) {
      uint8_t msg[8] = {'m', 's', 'g', (uint8_t)i};
      uint8_t raw[96], der[ZK_MAX_SIG_LEN], raw2[96], der2[ZK_MAX_SIG_LEN];
      size_t raw_len = sizeof raw, der_len = sizeof der, raw2_len = sizeof raw2,
             der2_len = sizeof der2;
      zkt_assert_ok(zk_key_sign(key, ZK_SIG_RAW, raw, &raw_len, msg, sizeof msg));
      zkt_assert_ok(zk_key_sign(key, ZK_SIG_DER, der, &der_len, msg, sizeof msg));
      assert_int_equal(raw_len, 2 * fl);
      zkt_assert_ok(zk_sig_der_to_raw(raw2, &raw2_len, c, der, der_len));
      assert_int_equal(raw2_len, raw_len);
      assert_memory_equal(raw2, raw, raw_len);
      zkt_assert_ok(zk_sig_raw_to_der(der2, &der2_len, c, raw, raw_len));
      assert_int_equal(der2_len, der_len);
      assert_memory_equal(der2, der, der_len);
      roundtrips++;
    }
    /* One reference signature, split into r and s contents. */
    uint8_t raw[96];
    size_t raw_len = sizeof raw;
    zkt_assert_ok(zk_key_sign(key, ZK_SIG_RAW, raw, &raw_len, MSG, MSG_LEN));
    uint8_t r[50], s[50], d[256];
    size_t rl = 0, sl = 0, dl;
    /* Minimal INTEGER contents: strip leading zeros, add 00 if the top bit is set. */
    size_t off = 0;
    while (off < fl - 1 && raw[off] == 0) off++;
    if (raw[off] & 0x80) r[rl++] = 0;
    memcpy(r + rl, raw + off, fl - off);
    rl += fl - off;
    off = 0;
    while (off < fl - 1 && raw[fl + off] == 0) off++;
    if (raw[fl + off] & 0x80) s[sl++] = 0;
    memcpy(s + sl, raw + fl + off, fl - off);
    sl += fl - off;
    dl = build_der(d, r, rl, s, sl);
    zkt_assert_ok(zk_key_verify(key, ZK_SIG_DER, 0, d, dl, MSG, MSG_LEN));
    /* Non-strict / malformed encodings. */
    uint8_t m[256], big[60];
    size_t ml;
    /* 1. Extra leading zero on r. */
    big[0] = 0;
    memcpy(big + 1, r, rl);
    ml = build_der(m, big, rl + 1, s, sl);
    expect_bad_der(c, key, m, ml, "r with a redundant leading 00", &count);
    /* 2. Negative r (leading 00 removed when the top bit is set) or top bit forced. */
    if (r[0] == 0) {
      ml = build_der(m, r + 1, rl - 1, s, sl);
      expect_bad_der(c, key, m, ml, "negative r", &count);
    } else {
      memcpy(big, r, rl);
      big[0] |= 0x80;
      ml = build_der(m, big, rl, s, sl);
      expect_bad_der(c, key, m, ml, "negative r (top bit set)", &count);
    }
    /* 3. Trailing byte after the SEQUENCE. */
    memcpy(m, d, dl);
    m[dl] = 0;
    expect_bad_der(c, key, m, dl + 1, "trailing byte", &count);
    /* 4. Truncated by one byte; empty; only the header. */
    expect_bad_der(c, key, d, dl - 1, "truncated", &count);
    expect_bad_der(c, key, d, 2, "header only", &count);
    /* 5. Wrong outer tag (SET), wrong inner tag. */
    memcpy(m, d, dl);
    m[0] = 0x31;
    expect_bad_der(c, key, m, dl, "SET instead of SEQUENCE", &count);
    memcpy(m, d, dl);
    m[d[1] == 0x81 ? 3 : 2] = 0x03;
    expect_bad_der(c, key, m, dl, "BIT STRING instead of INTEGER", &count);
    /* 6. Non-minimal (long-form) outer length where the short form fits. */
    size_t hdr = d[1] == 0x81 ? 3 : 2;
    /* ECDSA-Sig-Value bodies are at most 104 bytes, so the short form always fits. */
    size_t body = dl - hdr;
    assert_true(hdr == 2 && body < 0x80);
    m[0] = 0x30;
    m[1] = 0x81;
    m[2] = (uint8_t)(body & 0x7f);
    memcpy(m + 3, d + 2, body & 0x7f);
    expect_bad_der(c, key, m, body + 3, "long-form length", &count);
    /* 7. Indefinite length (BER only). */
    m[0] = 0x30;
    m[1] = 0x80;
    memcpy(m + 2, d + hdr, body);
    m[2 + body] = 0;
    m[3 + body] = 0;
    expect_bad_der(c, key, m, body + 4, "indefinite length", &count);
    /* 8. Zero-length INTEGER; r = 0; a third INTEGER in the SEQUENCE. */
    ml = build_der(m, r, 0, s, sl);
    expect_bad_der(c, key, m, ml, "empty INTEGER", &count);
    uint8_t zero = 0;
    ml = build_der(m, &zero, 1, s, sl);
    expect_bad_der(c, key, m, ml, "r = 0", &count);
    ml = build_der(m, r, rl, &zero, 1);
    expect_bad_der(c, key, m, ml, "s = 0", &count);
    static const uint8_t third_int[] = {0x02, 0x01, 0x01};
    ml = build_der_tail(m, r, rl, s, sl, third_int, sizeof third_int);
    expect_bad_der(c, key, m, ml, "three INTEGERs", &count);
    /* 9. r wider than the field (fl + 1 significant bytes). */
    memset(big, 0x11, fl + 1);
    ml = build_der(m, big, fl + 1, s, sl);
    expect_bad_der(c, key, m, ml, "r wider than the curve", &count);
    /* raw -> DER: wrong length, zero r, zero s. */
    uint8_t der[ZK_MAX_SIG_LEN];
    size_t der_len = sizeof der;
    zkt_assert_status(zk_sig_raw_to_der(der, &der_len, c, raw, raw_len - 1), ZK_ERR_SIG_ENCODING);
    assert_int_equal(der_len, 0);
    uint8_t zr[96];
    memcpy(zr, raw, raw_len);
    memset(zr, 0, fl);
    der_len = sizeof der;
    zkt_assert_status(zk_sig_raw_to_der(der, &der_len, c, zr, raw_len), ZK_ERR_SIG_ENCODING);
    memcpy(zr, raw, raw_len);
    memset(zr + fl, 0, fl);
    der_len = sizeof der;
    zkt_assert_status(zk_sig_raw_to_der(der, &der_len, c, zr, raw_len), ZK_ERR_SIG_ENCODING);
    count += 3;
    /* Buffers too small. */
    der_len = 8;
    zkt_assert_status(zk_sig_raw_to_der(der, &der_len, c, raw, raw_len), ZK_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(der_len, 0);
    uint8_t r2[96];
    size_t r2_len = 2 * fl - 1;
    zkt_assert_status(zk_sig_der_to_raw(r2, &r2_len, c, d, dl), ZK_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(r2_len, 0);
    zk_key_free(key);
  }
  /* Ed25519 has no DER form. */
  uint8_t raw[64] = {1}, der[ZK_MAX_SIG_LEN];
  size_t der_len = sizeof der;
  zkt_assert_status(zk_sig_raw_to_der(der, &der_len, ZK_CURVE_ED25519, raw, 64),
                    ZK_ERR_UNSUPPORTED);
  printf("  DER/raw round trips: %lu; malformed or non-strict encodings rejected: %lu\n",
         roundtrips, count);
}

/* ---- sign / verify round trips ---- */

typedef struct {
  zk_curve c;
  zk_sig_format f;
} combo;

static void test_sign_verify_flips(void **state) {
  (void)state;
  const combo combos[] = {
      {ZK_CURVE_P256, ZK_SIG_DER},
      {ZK_CURVE_P256, ZK_SIG_RAW},
      {ZK_CURVE_P384, ZK_SIG_DER},
      {ZK_CURVE_P384, ZK_SIG_RAW},
      {ZK_CURVE_SECP256K1, ZK_SIG_DER},
      {ZK_CURVE_SECP256K1, ZK_SIG_RAW},
      {ZK_CURVE_SECP256K1, ZK_SIG_RECOVERABLE},
      {ZK_CURVE_SECP256K1, ZK_SIG_SCHNORR},
      {ZK_CURVE_ED25519, ZK_SIG_EDDSA},
  };
  unsigned long flips = 0;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(combos); i++) {
    zk_curve c = combos[i].c;
    zk_sig_format f = combos[i].f;
    zk_key *key = NULL, *other = NULL, *pub = NULL;
    zkt_assert_ok(zk_key_generate(&key, c));
    zkt_assert_ok(zk_key_generate(&other, c));
    zkt_assert_ok(zk_key_public_copy(&pub, key));
    uint8_t sig[ZK_MAX_SIG_LEN + 1], sig2[ZK_MAX_SIG_LEN];
    size_t sig_len = sizeof sig - 1, sig2_len = sizeof sig2;
    zkt_assert_ok(zk_key_sign(key, f, sig, &sig_len, MSG, MSG_LEN));
    zkt_assert_ok(zk_key_verify(pub, f, 0, sig, sig_len, MSG, MSG_LEN));
    zkt_assert_ok(zk_key_verify(key, f, 0, sig, sig_len, MSG, MSG_LEN));
    /* Deterministic schemes give the same signature twice; Schnorr uses fresh aux. */
    zkt_assert_ok(zk_key_sign(key, f, sig2, &sig2_len, MSG, MSG_LEN));
    assert_int_equal(sig2_len, sig_len);
    if (f == ZK_SIG_SCHNORR)
      assert_memory_not_equal(sig2, sig, sig_len);
    else
      assert_memory_equal(sig2, sig, sig_len);
    /* Every single-bit flip in every byte position is rejected. */
    for (size_t b = 0; b < sig_len; b++) {
      for (int bit = 0; bit < 8; bit += 7) {
        sig[b] ^= (uint8_t)(1u << bit);
        zk_status st = zk_key_verify(pub, f, ZK_VERIFY_ALLOW_HIGH_S, sig, sig_len, MSG, MSG_LEN);
        if (st == ZK_OK)
          fail_msg("%s fmt %d: flip of byte %zu bit %d accepted", curve_name(c), (int)f, b, bit);
        sig[b] ^= (uint8_t)(1u << bit);
        flips++;
      }
    }
    /* Truncated / extended signatures, changed message, other key. */
    assert_int_not_equal(zk_key_verify(pub, f, 0, sig, sig_len - 1, MSG, MSG_LEN), ZK_OK);
    sig[sig_len] = 0;
    assert_int_not_equal(zk_key_verify(pub, f, 0, sig, sig_len + 1, MSG, MSG_LEN), ZK_OK);
    assert_int_not_equal(zk_key_verify(pub, f, 0, sig, sig_len, MSG, MSG_LEN - 1), ZK_OK);
    zkt_assert_status(zk_key_verify(other, f, 0, sig, sig_len, MSG, MSG_LEN), ZK_ERR_SIGNATURE);
    flips += 4;
    /* Signature lengths. */
    size_t want = f == ZK_SIG_RAW           ? 2 * field_len(c)
                  : f == ZK_SIG_RECOVERABLE ? 65
                  : f == ZK_SIG_DER         ? sig_len
                                            : 64;
    assert_int_equal(sig_len, want);
    if (f == ZK_SIG_DER) assert_true(sig_len >= 8 && sig_len <= (c == ZK_CURVE_P384 ? 104 : 72));
    /* Empty message signs and verifies. */
    sig_len = sizeof sig - 1;
    zkt_assert_ok(zk_key_sign(key, f, sig, &sig_len, NULL, 0));
    zkt_assert_ok(zk_key_verify(pub, f, 0, sig, sig_len, NULL, 0));
    assert_int_not_equal(zk_key_verify(pub, f, 0, sig, sig_len, MSG, 1), ZK_OK);
    /* Buffer too small: refused, length 0. */
    size_t small = (f == ZK_SIG_DER ? 8 : want - 1);
    sig_len = small;
    zkt_assert_status(zk_key_sign(key, f, sig, &sig_len, MSG, MSG_LEN), ZK_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(sig_len, 0);
    zk_key_free(key);
    zk_key_free(other);
    zk_key_free(pub);
  }
  /* Formats that do not belong to a curve. */
  zk_key *p256 = NULL, *ed = NULL;
  zkt_assert_ok(zk_key_generate(&p256, ZK_CURVE_P256));
  zkt_assert_ok(zk_key_generate(&ed, ZK_CURVE_ED25519));
  uint8_t sig[ZK_MAX_SIG_LEN];
  size_t sig_len = sizeof sig;
  zkt_assert_status(zk_key_sign(p256, ZK_SIG_EDDSA, sig, &sig_len, MSG, MSG_LEN),
                    ZK_ERR_UNSUPPORTED);
  sig_len = sizeof sig;
  zkt_assert_status(zk_key_sign(p256, ZK_SIG_SCHNORR, sig, &sig_len, MSG, MSG_LEN),
                    ZK_ERR_UNSUPPORTED);
  sig_len = sizeof sig;
  zkt_assert_status(zk_key_sign(p256, ZK_SIG_RECOVERABLE, sig, &sig_len, MSG, MSG_LEN),
                    ZK_ERR_UNSUPPORTED);
  sig_len = sizeof sig;
  zkt_assert_status(zk_key_sign(ed, ZK_SIG_DER, sig, &sig_len, MSG, MSG_LEN), ZK_ERR_UNSUPPORTED);
  memset(sig, 1, sizeof sig);
  zkt_assert_status(zk_key_verify(ed, ZK_SIG_RAW, 0, sig, 64, MSG, MSG_LEN), ZK_ERR_UNSUPPORTED);
  zkt_assert_status(zk_key_verify(p256, ZK_SIG_EDDSA, 0, sig, 64, MSG, MSG_LEN),
                    ZK_ERR_UNSUPPORTED);
  zkt_assert_status(zk_key_verify(p256, ZK_SIG_SCHNORR, 0, sig, 64, MSG, MSG_LEN),
                    ZK_ERR_UNSUPPORTED);
  /* Digest entry points: wrong digest length; Ed25519 has none. */
  uint8_t dg[48] = {0};
  sig_len = sizeof sig;
  zkt_assert_status(zk_key_sign_digest(p256, ZK_SIG_RAW, sig, &sig_len, dg, 31), ZK_ERR_ARG);
  zkt_assert_status(zk_key_verify_digest(p256, ZK_SIG_RAW, 0, sig, 64, dg, 48), ZK_ERR_ARG);
  sig_len = sizeof sig;
  zkt_assert_status(zk_key_sign_digest(ed, ZK_SIG_RAW, sig, &sig_len, dg, 32), ZK_ERR_UNSUPPORTED);
  zkt_assert_status(zk_key_verify(NULL, ZK_SIG_RAW, 0, sig, 64, MSG, MSG_LEN), ZK_ERR_ARG);
  zkt_assert_status(zk_key_verify(p256, ZK_SIG_RAW, 0, NULL, 64, MSG, MSG_LEN), ZK_ERR_ARG);
  zkt_assert_status(zk_key_verify(p256, ZK_SIG_RAW, 0, sig, 64, NULL, 3), ZK_ERR_ARG);
  zk_key_free(p256);
  zk_key_free(ed);
  printf("  signature bit flips / truncations / wrong message or key rejected: %lu\n", flips);
  /* Every one of them was asserted above: reaching this line means all were rejected. */
  zkt_report_mutations("key sign/verify round trips", flips, flips);
}

/* r or s outside [1, n-1] in the raw format. */
static void test_raw_range(void **state) {
  (void)state;
  const zk_curve ec[] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_P384};
  unsigned long count = 0, mismatch = 0;
  for (size_t ci = 0; ci < ZKI_ARRAY_LEN(ec); ci++) {
    zk_curve c = ec[ci];
    size_t fl = field_len(c);
    zk_key *key = NULL;
    zkt_assert_ok(zk_key_generate(&key, c));
    uint8_t raw[96], m[96];
    size_t raw_len = sizeof raw;
    zkt_assert_ok(zk_key_sign(key, ZK_SIG_RAW, raw, &raw_len, MSG, MSG_LEN));
    uint8_t *n = zkt_hex(order_hex(c), NULL);
    for (int half = 0; half < 2; half++) {
      const uint8_t *vals[3];
      uint8_t zero[48] = {0}, ones[48];
      memset(ones, 0xff, sizeof ones);
      vals[0] = zero;
      vals[1] = n;
      vals[2] = ones;
      for (int v = 0; v < 3; v++) {
        memcpy(m, raw, raw_len);
        memcpy(m + half * fl, vals[v], fl);
        zk_status st =
            zk_key_verify(key, ZK_SIG_RAW, ZK_VERIFY_ALLOW_HIGH_S, m, raw_len, MSG, MSG_LEN);
        if (st == ZK_OK) fail_msg("%s: %s out of range accepted", curve_name(c), half ? "s" : "r");
        if (st != ZK_ERR_SIG_ENCODING) mismatch++;
        count++;
      }
    }
    free(n);
    zk_key_free(key);
  }
  printf(
      "  raw signatures with r or s in {0, n, 2^bits-1} rejected: %lu (not with "
      "ZK_ERR_SIG_ENCODING: %lu)\n",
      count, mismatch);
  /* key.h: r or s out of [1, n-1] is a malformed signature, on every curve. */
  assert_int_equal(mismatch, 0);
}

/* ---- secp256k1 specifics: low-S, recovery, Schnorr ---- */

static void test_secp256k1_low_s(void **state) {
  (void)state;
  zk_key *key = NULL;
  zkt_assert_ok(zk_key_generate(&key, ZK_CURVE_SECP256K1));
  uint8_t *n = zkt_hex(K1_N, NULL);
  unsigned long high = 0;
  for (int i = 0; i < 8; i++) {
    uint8_t msg[4] = {'k', '1', (uint8_t)i, 0};
    uint8_t raw[64];
    size_t raw_len = sizeof raw;
    zkt_assert_ok(zk_key_sign(key, ZK_SIG_RAW, raw, &raw_len, msg, sizeof msg));
    /* s' = n - s is the high-S twin. */
    uint8_t hs[64];
    memcpy(hs, raw, 32);
    int borrow = 0;
    for (int j = 31; j >= 0; j--) {
      int d = (int)n[j] - (int)raw[32 + j] - borrow;
      borrow = d < 0;
      hs[32 + j] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    zkt_assert_ok(zk_key_verify(key, ZK_SIG_RAW, 0, raw, 64, msg, sizeof msg));
    zkt_assert_status(zk_key_verify(key, ZK_SIG_RAW, 0, hs, 64, msg, sizeof msg), ZK_ERR_HIGH_S);
    zkt_assert_ok(zk_key_verify(key, ZK_SIG_RAW, ZK_VERIFY_ALLOW_HIGH_S, hs, 64, msg, sizeof msg));
    uint8_t der[80];
    size_t der_len = sizeof der;
    zkt_assert_ok(zk_sig_raw_to_der(der, &der_len, ZK_CURVE_SECP256K1, hs, 64));
    zkt_assert_status(zk_key_verify(key, ZK_SIG_DER, 0, der, der_len, msg, sizeof msg),
                      ZK_ERR_HIGH_S);
    zkt_assert_ok(
        zk_key_verify(key, ZK_SIG_DER, ZK_VERIFY_ALLOW_HIGH_S, der, der_len, msg, sizeof msg));
    high++;
  }
  free(n);
  zk_key_free(key);
  printf("  secp256k1 high-S twins refused by default, accepted with the flag: %lu\n", high);
}

static void test_recoverable(void **state) {
  (void)state;
  unsigned long count = 0;
  for (int i = 0; i < 8; i++) {
    zk_key *key = NULL;
    zkt_assert_ok(zk_key_generate(&key, ZK_CURVE_SECP256K1));
    uint8_t dg[32];
    zkt_assert_ok(zk_sha256(dg, (const uint8_t *)&i, sizeof i));
    uint8_t sig[65], raw[64];
    size_t sig_len = sizeof sig, raw_len = sizeof raw;
    zkt_assert_ok(zk_key_sign_digest(key, ZK_SIG_RECOVERABLE, sig, &sig_len, dg, 32));
    assert_int_equal(sig_len, 65);
    assert_true(sig[64] <= 3);
    /* r || s equal the plain deterministic signature. */
    zkt_assert_ok(zk_key_sign_digest(key, ZK_SIG_RAW, raw, &raw_len, dg, 32));
    assert_memory_equal(sig, raw, 64);
    zkt_assert_ok(zk_key_verify_digest(key, ZK_SIG_RECOVERABLE, 0, sig, 65, dg, 32));
    /* The recovery id is bound: of v = 0..3 only the signer's verifies. */
    for (uint8_t v = 0; v < 4; v++) {
      uint8_t mv[65];
      memcpy(mv, sig, 65);
      mv[64] = v;
      zk_status vst = zk_key_verify_digest(key, ZK_SIG_RECOVERABLE, 0, mv, 65, dg, 32);
      if (v == sig[64])
        zkt_assert_ok(vst);
      else
        assert_int_not_equal(vst, ZK_OK);
    }
    zk_key *rec = NULL;
    zkt_assert_ok(zk_key_recover(&rec, sig, 65, dg, 32));
    assert_true(zk_key_public_equal(rec, key));
    assert_false(zk_key_has_private(rec));
    zk_key_free(rec);
    /* Wrong recovery id: another key or failure, never the signer. */
    uint8_t m[65];
    memcpy(m, sig, 65);
    m[64] ^= 1;
    rec = NULL;
    zk_status st = zk_key_recover(&rec, m, 65, dg, 32);
    if (st == ZK_OK) assert_false(zk_key_public_equal(rec, key));
    zk_key_free(rec);
    /* Different digest: another key or failure. */
    dg[0] ^= 1;
    rec = NULL;
    st = zk_key_recover(&rec, sig, 65, dg, 32);
    if (st == ZK_OK) assert_false(zk_key_public_equal(rec, key));
    zk_key_free(rec);
    dg[0] ^= 1;
    /* Malformed: v > 3, wrong length, r = 0, r >= n, wrong digest length, NULL out. */
    memcpy(m, sig, 65);
    m[64] = 4;
    rec = (zk_key *)(uintptr_t)1;
    zkt_assert_status(zk_key_recover(&rec, m, 65, dg, 32), ZK_ERR_SIG_ENCODING);
    assert_null(rec);
    zkt_assert_status(zk_key_recover(&rec, sig, 64, dg, 32), ZK_ERR_SIG_ENCODING);
    zkt_assert_status(zk_key_verify_digest(key, ZK_SIG_RECOVERABLE, 0, m, 65, dg, 32),
                      ZK_ERR_SIG_ENCODING);
    memcpy(m, sig, 65);
    memset(m, 0xff, 32);
    st = zk_key_recover(&rec, m, 65, dg, 32);
    assert_true(st == ZK_ERR_SIG_ENCODING || st == ZK_ERR_RECOVER);
    assert_null(rec);
    memset(m, 0, 32);
    st = zk_key_recover(&rec, m, 65, dg, 32);
    assert_true(st == ZK_ERR_SIG_ENCODING || st == ZK_ERR_RECOVER);
    zkt_assert_status(zk_key_recover(&rec, sig, 65, dg, 31), ZK_ERR_ARG);
    zkt_assert_status(zk_key_recover(NULL, sig, 65, dg, 32), ZK_ERR_ARG);
    zk_key_free(key);
    count++;
  }
  /* Recoverable format only on secp256k1. */
  zk_key *p = NULL;
  zkt_assert_ok(zk_key_generate(&p, ZK_CURVE_P256));
  uint8_t sig[65] = {0}, dg[32] = {0};
  zkt_assert_status(zk_key_verify_digest(p, ZK_SIG_RECOVERABLE, 0, sig, 65, dg, 32),
                    ZK_ERR_UNSUPPORTED);
  zk_key_free(p);
  printf("  recoverable sign + recover round trips: %lu\n", count);
}

static void test_schnorr(void **state) {
  (void)state;
  unsigned long odd = 0, even = 0;
  for (int i = 0; i < 16; i++) {
    zk_key *key = NULL;
    zkt_assert_ok(zk_key_generate(&key, ZK_CURVE_SECP256K1));
    uint8_t cp[33], xo[32];
    size_t cp_len = sizeof cp, xo_len = sizeof xo;
    zkt_assert_ok(zk_key_export_public(key, ZK_PUB_COMPRESSED, cp, &cp_len));
    zkt_assert_ok(zk_key_export_public(key, ZK_PUB_XONLY, xo, &xo_len));
    assert_memory_equal(cp + 1, xo, 32);
    if (cp[0] == 0x03)
      odd++;
    else
      even++;
    uint8_t sig[64];
    size_t sig_len = sizeof sig;
    zkt_assert_ok(zk_key_sign(key, ZK_SIG_SCHNORR, sig, &sig_len, MSG, MSG_LEN));
    /* Verifies under the x-only key and under the full key (odd or even Y). */
    zk_key *x = NULL, *full = NULL;
    zkt_assert_ok(zk_key_from_public(&x, ZK_CURVE_SECP256K1, xo, 32));
    zkt_assert_ok(zk_key_from_public(&full, ZK_CURVE_SECP256K1, cp, 33));
    zkt_assert_ok(zk_key_verify(x, ZK_SIG_SCHNORR, 0, sig, 64, MSG, MSG_LEN));
    zkt_assert_ok(zk_key_verify(full, ZK_SIG_SCHNORR, 0, sig, 64, MSG, MSG_LEN));
    /* Not an ECDSA signature, and ECDSA verification of it fails. */
    assert_int_not_equal(
        zk_key_verify(x, ZK_SIG_RAW, ZK_VERIFY_ALLOW_HIGH_S, sig, 64, MSG, MSG_LEN), ZK_OK);
    zkt_assert_status(zk_key_verify(x, ZK_SIG_SCHNORR, 0, sig, 65, MSG, MSG_LEN),
                      ZK_ERR_SIG_ENCODING);
    zk_key_free(x);
    zk_key_free(full);
    zk_key_free(key);
  }
  printf("  Schnorr keys with odd/even Y signed and verified: %lu/%lu\n", odd, even);
}

/* ---- ECDH ---- */

static void test_ecdh(void **state) {
  (void)state;
  const zk_curve ec[] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_P384};
  for (size_t ci = 0; ci < ZKI_ARRAY_LEN(ec); ci++) {
    zk_curve c = ec[ci];
    size_t fl = field_len(c);
    zk_key *a = NULL, *b = NULL, *bp = NULL;
    zkt_assert_ok(zk_key_generate(&a, c));
    zkt_assert_ok(zk_key_generate(&b, c));
    zkt_assert_ok(zk_key_public_copy(&bp, b));
    uint8_t s1[48], s2[48];
    size_t l1 = sizeof s1, l2 = sizeof s2;
    zkt_assert_ok(zk_ecdh(s1, &l1, a, bp));
    zkt_assert_ok(zk_ecdh(s2, &l2, b, a));
    assert_int_equal(l1, fl);
    assert_int_equal(l2, fl);
    assert_memory_equal(s1, s2, fl);
    /* The shared secret is X of a*B: with a = 1 it is X of B. */
    zk_key *one = NULL;
    uint8_t o[48] = {0};
    o[fl - 1] = 1;
    zkt_assert_ok(zk_key_from_private(&one, c, o, fl));
    uint8_t u[ZK_MAX_PUBKEY_LEN];
    size_t ul = sizeof u;
    zkt_assert_ok(zk_key_export_public(b, ZK_PUB_UNCOMPRESSED, u, &ul));
    l1 = sizeof s1;
    zkt_assert_ok(zk_ecdh(s1, &l1, one, bp));
    assert_memory_equal(s1, u + 1, fl);
    /* Errors. */
    l1 = fl - 1;
    zkt_assert_status(zk_ecdh(s1, &l1, a, bp), ZK_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(l1, 0);
    l1 = sizeof s1;
    zkt_assert_status(zk_ecdh(s1, &l1, bp, a), ZK_ERR_NO_PRIVATE_KEY);
    assert_int_equal(l1, 0);
    zk_key *other = NULL;
    zkt_assert_ok(zk_key_generate(&other, c == ZK_CURVE_P256 ? ZK_CURVE_P384 : ZK_CURVE_P256));
    l1 = sizeof s1;
    zkt_assert_status(zk_ecdh(s1, &l1, a, other), ZK_ERR_CURVE);
    l1 = sizeof s1;
    zkt_assert_status(zk_ecdh(s1, &l1, a, NULL), ZK_ERR_ARG);
    zk_key_free(other);
    zk_key_free(one);
    zk_key_free(a);
    zk_key_free(b);
    zk_key_free(bp);
  }
  zk_key *e1 = NULL, *e2 = NULL;
  zkt_assert_ok(zk_key_generate(&e1, ZK_CURVE_ED25519));
  zkt_assert_ok(zk_key_generate(&e2, ZK_CURVE_ED25519));
  uint8_t s[48];
  size_t l = sizeof s;
  zkt_assert_status(zk_ecdh(s, &l, e1, e2), ZK_ERR_UNSUPPORTED);
  zk_key_free(e1);
  zk_key_free(e2);
}

/* ---- misc ---- */

static void test_free_null_and_args(void **state) {
  (void)state;
  zk_key_free(NULL);
  assert_int_equal(zk_key_curve(NULL), ZK_CURVE_NONE);
  assert_int_equal(zk_key_has_private(NULL), 0);
  assert_int_equal(zk_key_public_equal(NULL, NULL), 0);
  assert_int_equal(zk_key_digest_len(NULL), 0);
  zk_key *k = (zk_key *)(uintptr_t)1;
  zkt_assert_status(zk_key_public_copy(&k, NULL), ZK_ERR_ARG);
  assert_null(k);
  zk_key *key = NULL;
  zkt_assert_ok(zk_key_generate(&key, ZK_CURVE_P384));
  /* Export buffers too small: refused, length 0. */
  uint8_t buf[ZK_MAX_PUBKEY_LEN];
  size_t len = ZK_P384_UNCOMPRESSED_LEN - 1;
  zkt_assert_status(zk_key_export_public(key, ZK_PUB_UNCOMPRESSED, buf, &len),
                    ZK_ERR_BUFFER_TOO_SMALL);
  assert_int_equal(len, 0);
  len = ZK_P384_COMPRESSED_LEN - 1;
  zkt_assert_status(zk_key_export_public(key, ZK_PUB_COMPRESSED, buf, &len),
                    ZK_ERR_BUFFER_TOO_SMALL);
  assert_int_equal(len, 0);
  len = 20;
  zkt_assert_status(zk_key_export_public(key, ZK_PUB_SPKI_DER, buf, &len), ZK_ERR_BUFFER_TOO_SMALL);
  assert_int_equal(len, 0);
  len = ZK_P384_SECRET_LEN - 1;
  memset(buf, 0xAA, sizeof buf);
  zkt_assert_status(zk_key_export_private(key, buf, &len), ZK_ERR_BUFFER_TOO_SMALL);
  assert_int_equal(len, 0);
  /* Nothing of the secret was written. */
  for (size_t i = 0; i < ZK_P384_SECRET_LEN; i++) assert_int_equal(buf[i], 0xAA);
  len = sizeof buf;
  zkt_assert_status(zk_key_export_public(key, (zk_pubkey_format)42, buf, &len), ZK_ERR_UNSUPPORTED);
  zkt_assert_status(zk_key_export_public(NULL, ZK_PUB_RAW, buf, &len), ZK_ERR_ARG);
  zkt_assert_status(zk_key_export_public(key, ZK_PUB_RAW, NULL, &len), ZK_ERR_ARG);
  /* SPKI round trip on P-384 and its known prefix (id-ecPublicKey, secp384r1). */
  len = sizeof buf;
  zkt_assert_ok(zk_key_export_public(key, ZK_PUB_SPKI_DER, buf, &len));
  assert_int_equal(len, 120);
  uint8_t *prefix = zkt_hex("3076301006072a8648ce3d020106052b81040022036200", NULL);
  assert_memory_equal(buf, prefix, 23);
  free(prefix);
  zk_key_free(key);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_generate_export_import),
    cmocka_unit_test(test_known_generators),
    cmocka_unit_test(test_invalid_points),
    cmocka_unit_test(test_scalars),
    cmocka_unit_test(test_der_raw),
    cmocka_unit_test(test_sign_verify_flips),
    cmocka_unit_test(test_raw_range),
    cmocka_unit_test(test_secp256k1_low_s),
    cmocka_unit_test(test_recoverable),
    cmocka_unit_test(test_schnorr),
    cmocka_unit_test(test_ecdh),
    cmocka_unit_test(test_free_null_and_args),
};

ZKT_MAIN(tests)
