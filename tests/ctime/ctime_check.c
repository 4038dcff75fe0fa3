/*
 * Constant-time check (docs/constant-time.md): run under
 *   valgrind --error-exitcode=42 --track-origins=yes ctime_check [area...]
 * Every secret input is marked undefined (VALGRIND_MAKE_MEM_UNDEFINED) before the operation and
 * its outputs are marked defined only afterwards, so memcheck reports any conditional jump or
 * memory address that depends on a secret. Outside valgrind the client requests do nothing and
 * the program only checks the functional results.
 *
 * Randomness is secret too: the link wraps RAND_bytes (-Wl,--wrap=RAND_bytes) so that every
 * random byte the library draws through zk_random is marked undefined (Shamir coefficients).
 *
 * Areas: shamir, kdf, hpke, compare, sign (all when none is given). One line per area:
 *   CTIME <area>: ops=N clean
 * "clean" means every functional check passed and, under valgrind, that memcheck counted no
 * (unsuppressed) error during the area (VALGRIND_COUNT_ERRORS); otherwise the line gives
 * failed=F valgrind_errors=E and the exit status is 1 (valgrind's own --error-exitcode too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <valgrind/memcheck.h>

#include "zerokey/zerokey.h"
#include "zk_hpke_internal.h"
#include "zk_internal.h"
#include "zk_key_internal.h"
#include "zk_shamir_internal.h"

#define SECRET(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))

static unsigned long g_ops, g_failed;

static void check(int ok, const char *what) {
  g_ops++;
  if (!ok) {
    g_failed++;
    fprintf(stderr, "ctime_check: FAILED %s\n", what);
  }
}

/* Status returned from an operation on secrets: declassify it before looking at it. */
static zk_status pub_st(zk_status st) {
  PUBLIC(&st, sizeof st);
  return st;
}

/* ---- RAND_bytes wrapper: every random byte the library draws is secret ---- */

int __real_RAND_bytes(unsigned char *buf, int num);
int __wrap_RAND_bytes(unsigned char *buf, int num);
int __wrap_RAND_bytes(unsigned char *buf, int num) {
  int r = __real_RAND_bytes(buf, num);
  if (r == 1 && num > 0) SECRET(buf, (size_t)num);
  return r;
}

/* Deterministic public test data (xorshift). */
static uint32_t g_rng = 0x2545f491u;
static void fill(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 17;
    g_rng ^= g_rng << 5;
    p[i] = (uint8_t)g_rng;
  }
}

/* ---- Shamir ---- */

/* Reference GF(2^8) product with branches (public data only). */
static uint8_t ref_mul(uint8_t a, uint8_t b) {
  uint8_t r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
    b >>= 1;
  }
  return r;
}

static void area_shamir(void) {
  /* Field arithmetic: both operands secret, every pair. */
  unsigned long bad = 0;
  for (unsigned a = 0; a < 256; a++) {
    for (unsigned b = 0; b < 256; b++) {
      uint8_t x = (uint8_t)a, y = (uint8_t)b;
      SECRET(&x, 1);
      SECRET(&y, 1);
      uint8_t r = zki_gf256_mul(x, y);
      PUBLIC(&r, 1);
      bad += r != ref_mul((uint8_t)a, (uint8_t)b);
    }
  }
  g_ops += 65535;
  check(bad == 0, "gf256_mul against the reference");
  bad = 0;
  for (unsigned a = 0; a < 256; a++) {
    uint8_t x = (uint8_t)a;
    SECRET(&x, 1);
    uint8_t inv = zki_gf256_inv(x);
    PUBLIC(&inv, 1);
    bad += (a == 0) ? inv != 0 : ref_mul((uint8_t)a, inv) != 1;
  }
  g_ops += 255;
  check(bad == 0, "gf256_inv");

  /* split with a secret and secret coefficients (from zk_random), then combine with secret y. */
  static const size_t lens[] = {1, 32, 64};
  static const size_t nk[][2] = {{1, 1}, {3, 2}, {5, 3}, {7, 7}};
  for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
    for (size_t ki = 0; ki < sizeof nk / sizeof nk[0]; ki++) {
      const size_t len = lens[li], n = nk[ki][0], k = nk[ki][1], sl = len + 1;
      uint8_t secret[64], shares[7 * 65], out[64];
      fill(secret, len);
      uint8_t want[64];
      memcpy(want, secret, len);
      SECRET(secret, len);
      zk_status st = pub_st(zk_shamir_split(shares, sizeof shares, n, k, secret, len));
      check(st == ZK_OK, "shamir_split");
      if (st != ZK_OK) continue;
      /* x coordinates are public, y bytes stay secret (they are undefined already). */
      for (size_t i = 0; i < n; i++) PUBLIC(shares + i * sl, 1);
      if (RUNNING_ON_VALGRIND && k > 1) {
        /* The coefficients came from the wrapped RAND_bytes: a share of a PUBLIC secret must
         * still be undefined, or the randomness was not checked as a secret. */
        uint8_t probe[2], vbits[2] = {0, 0};
        memcpy(probe, want, 1);
        PUBLIC(probe, 1);
        uint8_t sh2[2 * 2];
        zk_status pst = zk_shamir_split(sh2, sizeof sh2, 2, 2, probe, 1);
        PUBLIC(&pst, sizeof pst);
        (void)VALGRIND_GET_VBITS(sh2 + 1, vbits, 1);
        check(pst == ZK_OK && vbits[0] == 0xff, "split randomness is marked secret");
        PUBLIC(sh2, sizeof sh2);
      }
      /* Combine the last k shares (so x != 1..k in order when n > k). */
      const uint8_t *ptrs[7];
      size_t slens[7];
      for (size_t i = 0; i < k; i++) {
        ptrs[i] = shares + (n - k + i) * sl;
        slens[i] = sl;
      }
      size_t written = 0;
      st = pub_st(zk_shamir_combine(out, sizeof out, &written, ptrs, sl, k));
      PUBLIC(out, sizeof out);
      check(st == ZK_OK && written == len && memcmp(out, want, len) == 0, "shamir_combine");
      st = pub_st(zk_shamir_combine_var(out, sizeof out, &written, ptrs, slens, k));
      PUBLIC(out, sizeof out);
      check(st == ZK_OK && written == len && memcmp(out, want, len) == 0, "shamir_combine_var");
      /* Below threshold: a wrong secret, still computed without secret branches. */
      if (k > 1) {
        st = pub_st(zk_shamir_combine(out, sizeof out, &written, ptrs, sl, k - 1));
        PUBLIC(out, sizeof out);
        check(st == ZK_OK && written == len, "shamir_combine below threshold");
      }
      PUBLIC(shares, sizeof shares);
      zk_wipe(shares, sizeof shares);
    }
  }
}

/* ---- key derivation ---- */

static void area_kdf(void) {
  uint8_t ikm[64], salt[32], info[16], okm[96], prk[64], ref[96];
  fill(ikm, sizeof ikm);
  fill(salt, sizeof salt);
  fill(info, sizeof info);
  static const zk_hash_alg algs[] = {ZK_HASH_SHA256, ZK_HASH_SHA384, ZK_HASH_SHA512};
  for (size_t a = 0; a < 3; a++) {
    zk_status st =
        zk_hkdf(algs[a], ref, sizeof ref, salt, sizeof salt, ikm, sizeof ikm, info, sizeof info);
    check(st == ZK_OK, "hkdf reference run");
    SECRET(ikm, sizeof ikm);
    st = pub_st(
        zk_hkdf(algs[a], okm, sizeof okm, salt, sizeof salt, ikm, sizeof ikm, info, sizeof info));
    PUBLIC(okm, sizeof okm);
    check(st == ZK_OK && memcmp(okm, ref, sizeof okm) == 0, "hkdf with secret ikm");
    st = pub_st(zk_hkdf_extract(algs[a], prk, sizeof prk, salt, sizeof salt, ikm, sizeof ikm));
    check(st == ZK_OK, "hkdf_extract with secret ikm");
    /* prk is secret as computed (undefined); expand from it. */
    st = pub_st(
        zk_hkdf_expand(algs[a], okm, sizeof okm, prk, zk_hash_len(algs[a]), info, sizeof info));
    PUBLIC(okm, sizeof okm);
    check(st == ZK_OK && memcmp(okm, ref, sizeof okm) == 0, "hkdf_expand from secret prk");
    uint8_t mac[64];
    st = pub_st(zk_hmac(algs[a], mac, sizeof mac, ikm, sizeof ikm, info, sizeof info));
    check(st == ZK_OK, "hmac with secret key");
    PUBLIC(ikm, sizeof ikm);
  }

  /* zk_key from private bytes: every curve, secret scalar or seed. */
  static const zk_curve curves[] = {ZK_CURVE_P256, ZK_CURVE_SECP256K1, ZK_CURVE_ED25519,
                                    ZK_CURVE_P384};
  for (size_t c = 0; c < 4; c++) {
    for (int rep = 0; rep < 3; rep++) {
      uint8_t sk[48], back[48];
      size_t len = curves[c] == ZK_CURVE_P384 ? 48 : 32;
      fill(sk, len);
      sk[0] &= 0x7f;           /* below every group order */
      if (rep == 1) sk[0] = 0; /* a leading zero byte */
      uint8_t want[48];
      memcpy(want, sk, len);
      zk_key *k = NULL;
      SECRET(sk, len);
      zk_status st = pub_st(zk_key_from_private(&k, curves[c], sk, len));
      check(st == ZK_OK, "key_from_private");
      if (st != ZK_OK) continue;
      size_t bl = sizeof back;
      st = pub_st(zk_key_export_private(k, back, &bl));
      PUBLIC(back, sizeof back);
      PUBLIC(&bl, sizeof bl);
      check(st == ZK_OK && bl == len && memcmp(back, want, len) == 0, "key_export_private");
      /* ECDH shared secret (not Ed25519): priv secret, peer public. */
      if (curves[c] != ZK_CURVE_ED25519) {
        /* The peer's key from public bytes (a generated key would be secret: RAND_bytes). */
        zk_key *peer = NULL;
        uint8_t pk[48];
        fill(pk, len);
        pk[0] &= 0x7f;
        st = zk_key_from_private(&peer, curves[c], pk, len);
        check(st == ZK_OK, "peer key");
        uint8_t s1[48], s2[48];
        size_t l1 = sizeof s1, l2 = sizeof s2;
        st = pub_st(zk_ecdh(s1, &l1, k, peer));
        PUBLIC(s1, sizeof s1);
        PUBLIC(&l1, sizeof l1);
        zk_key *pubk = NULL;
        uint8_t pb[ZK_MAX_PUBKEY_LEN];
        size_t pl = sizeof pb;
        zk_status st2 = pub_st(zk_key_export_public(k, ZK_PUB_UNCOMPRESSED, pb, &pl));
        PUBLIC(pb, sizeof pb);
        PUBLIC(&pl, sizeof pl);
        if (st2 == ZK_OK) st2 = zk_key_from_public(&pubk, curves[c], pb, pl);
        if (st2 == ZK_OK) st2 = pub_st(zk_ecdh(s2, &l2, peer, pubk));
        PUBLIC(s2, sizeof s2);
        check(st == ZK_OK && st2 == ZK_OK && l1 == l2 && memcmp(s1, s2, l1) == 0, "ecdh");
        zk_key_free(pubk);
        zk_key_free(peer);
      }
      zk_key_free(k);
    }
  }

  /* QOS key set from a secret seed (HKDF-SHA512 derivations + P-256 keys), and from hex. */
  uint8_t seed[32], pub1[ZK_QOS_PUBLIC_LEN];
  fill(seed, sizeof seed);
  zk_qos_keyset *ks = NULL;
  zk_status st = zk_qos_keyset_from_seed(&ks, seed, sizeof seed);
  check(st == ZK_OK, "qos keyset reference");
  if (st == ZK_OK) memcpy(pub1, zk_qos_keyset_public(ks), sizeof pub1);
  zk_qos_keyset_free(ks);
  ks = NULL;
  SECRET(seed, sizeof seed);
  st = pub_st(zk_qos_keyset_from_seed(&ks, seed, sizeof seed));
  PUBLIC(&ks, sizeof ks);
  if (st == ZK_OK) PUBLIC(zk_qos_keyset_public(ks), ZK_QOS_PUBLIC_LEN);
  check(st == ZK_OK && memcmp(zk_qos_keyset_public(ks), pub1, sizeof pub1) == 0,
        "qos keyset from secret seed");
  zk_qos_keyset_free(ks);
  ks = NULL;
  PUBLIC(seed, sizeof seed);
  /* Hex decoding of secrets (zki_hex_decode, under the seed file parser): every byte value in
   * either position, secret; valid digits decode, everything else is ZK_ERR_HEX. */
  unsigned long hex_bad = 0;
  for (unsigned c = 0; c < 256; c++) {
    for (int pos = 0; pos < 2; pos++) {
      char h[2] = {'7', '7'};
      h[pos] = (char)c;
      int valid = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      unsigned v = c <= '9' ? c - '0' : (c | 0x20u) - 'a' + 10;
      uint8_t o = 0xee;
      size_t ol = 0;
      SECRET(h, 2);
      zk_status hs = pub_st(zki_hex_decode(&o, 1, &ol, h, 2));
      PUBLIC(&o, 1);
      PUBLIC(&ol, sizeof ol);
      uint8_t want_o = (uint8_t)(pos == 0 ? (v << 4) | 7u : 0x70u | v);
      hex_bad += valid ? (hs != ZK_OK || ol != 1 || o != want_o) : (hs != ZK_ERR_HEX || o != 0);
    }
  }
  g_ops += 511;
  check(hex_bad == 0, "hex decode of every byte value");
  /* Malformed seed files still fail (the prefix and newline are found by length). */
  static const char *const bad_hex[] = {
      "0x01010101010101010101010101010101010101010101010101010101010101",    /* 0x + 62 */
      "0x01010101010101010101010101010101010101010101010101010101010101\n",  /* 0x + 62 + \n */
      "01010101010101010101010101010101010101010101010101010101010101010\n", /* 65 + \n */
      "0101010101010101010101010101010101010101010101010101010101010101\n\n",
      "0y0101010101010101010101010101010101010101010101010101010101010101",
      "010101010101010101010101010101010101010101010101010101010101010\n1"};
  for (size_t i = 0; i < sizeof bad_hex / sizeof bad_hex[0]; i++) {
    st = zk_qos_keyset_from_hex(&ks, bad_hex[i], strlen(bad_hex[i]));
    check(st != ZK_OK && ks == NULL, "malformed seed hex is refused");
    zk_qos_keyset_free(ks);
    ks = NULL;
  }
  static const char digits[] = "0123456789abcdefABCDEF";
  for (int variant = 0; variant < 4; variant++) {
    /* 64 hex digits of the seed (mixed case), with "0x" and/or "\n" around them. */
    char hex[70];
    size_t o = 0;
    if (variant & 2) {
      hex[o++] = '0';
      hex[o++] = 'x';
    }
    for (size_t i = 0; i < 32; i++) {
      unsigned hi = seed[i] >> 4, lo = seed[i] & 15u;
      hex[o++] = digits[(hi >= 10 && (i & 1)) ? hi + 6 : hi];
      hex[o++] = digits[(lo >= 10 && (i & 2)) ? lo + 6 : lo];
    }
    if (variant & 1) hex[o++] = '\n';
    SECRET(hex + ((variant & 2) ? 2 : 0), 64);
    st = pub_st(zk_qos_keyset_from_hex(&ks, hex, o));
    PUBLIC(&ks, sizeof ks);
    if (st == ZK_OK) PUBLIC(zk_qos_keyset_public(ks), ZK_QOS_PUBLIC_LEN);
    check(st == ZK_OK && memcmp(zk_qos_keyset_public(ks), pub1, sizeof pub1) == 0,
          "qos keyset from secret hex");
    zk_qos_keyset_free(ks);
    ks = NULL;
  }
}

/* ---- HPKE open ---- */

/* P-256 receiver key from secret bytes: the key object then holds an undefined scalar. */
static zk_key *secret_p256(uint8_t sk[32]) {
  zk_key *k = NULL;
  SECRET(sk, 32);
  zk_status st = pub_st(zk_key_from_private(&k, ZK_CURVE_P256, sk, 32));
  PUBLIC(&k, sizeof k);
  check(st == ZK_OK, "secret P-256 key");
  return k;
}

/*
 * Public copy of a P-256 key whose point was computed from a secret scalar: the point is public,
 * but valgrind propagates the scalar's undefinedness into it. Export, declassify, re-import.
 */
static zk_key *public_of(const zk_key *k) {
  uint8_t pb[ZK_P256_UNCOMPRESSED_LEN];
  size_t pl = sizeof pb;
  zk_key *out = NULL;
  zk_status st = pub_st(zk_key_export_public(k, ZK_PUB_UNCOMPRESSED, pb, &pl));
  PUBLIC(pb, sizeof pb);
  PUBLIC(&pl, sizeof pl);
  if (st == ZK_OK) st = zk_key_from_public(&out, ZK_CURVE_P256, pb, pl);
  check(st == ZK_OK, "public copy");
  return out;
}

static void area_hpke(void) {
  /* DeriveKeyPair from secret ikm (rejection sampling declassifies only the verdict). */
  uint8_t ikm[32];
  fill(ikm, sizeof ikm);
  zk_key *d1 = NULL, *d2 = NULL;
  zk_status st = zk_hpke_derive_keypair(&d1, ikm, sizeof ikm);
  SECRET(ikm, sizeof ikm);
  zk_status st2 = pub_st(zk_hpke_derive_keypair(&d2, ikm, sizeof ikm));
  PUBLIC(&d2, sizeof d2);
  zk_key *d2p = st2 == ZK_OK ? public_of(d2) : NULL;
  check(st == ZK_OK && st2 == ZK_OK && zk_key_public_equal(d1, d2p), "hpke derive_keypair");
  zk_key_free(d2p);
  zk_key_free(d1);
  zk_key_free(d2);

  static const zk_hpke_aead aeads[] = {ZK_HPKE_AEAD_AES_128_GCM, ZK_HPKE_AEAD_AES_256_GCM,
                                       ZK_HPKE_AEAD_CHACHA20_POLY1305};
  static const zk_hpke_mode modes[] = {ZK_HPKE_MODE_BASE, ZK_HPKE_MODE_PSK, ZK_HPKE_MODE_AUTH,
                                       ZK_HPKE_MODE_AUTH_PSK};
  uint8_t skb[32], psk[32], info[8], aad[8], pt[48];
  fill(info, sizeof info);
  fill(aad, sizeof aad);
  fill(pt, sizeof pt);
  zk_key *sender = NULL;
  st = zk_key_generate(&sender, ZK_CURVE_P256);
  PUBLIC(&st, sizeof st);
  check(st == ZK_OK, "sender key");
  for (size_t a = 0; a < 3; a++) {
    for (size_t m = 0; m < 4; m++) {
      fill(skb, sizeof skb);
      skb[0] &= 0x7f;
      fill(psk, sizeof psk);
      zk_key *sk_r = secret_p256(skb);
      zk_key *pk_r = public_of(sk_r);
      zk_hpke_params p;
      memset(&p, 0, sizeof p);
      p.mode = modes[m];
      p.aead = aeads[a];
      p.info = info;
      p.info_len = sizeof info;
      if (m == 1 || m == 3) {
        p.psk = psk;
        p.psk_len = sizeof psk;
        p.psk_id = info;
        p.psk_id_len = sizeof info;
      }
      uint8_t enc[ZK_HPKE_ENC_LEN], ct[sizeof pt + ZK_HPKE_TAG_LEN], out[sizeof pt];
      size_t ct_len = sizeof ct, out_len = sizeof out;
      if (m >= 2) p.auth_key = sender;
      st =
          zk_hpke_seal_once(enc, sizeof enc, ct, &ct_len, &p, pk_r, aad, sizeof aad, pt, sizeof pt);
      PUBLIC(&st, sizeof st);
      PUBLIC(enc, sizeof enc);
      PUBLIC(ct, sizeof ct);
      PUBLIC(&ct_len, sizeof ct_len);
      check(st == ZK_OK, "hpke seal");
      /* Receiver: sk_r secret, PSK secret; auth_key is the sender's public part. */
      zk_key *spub = NULL;
      if (m >= 2) {
        st = zk_key_public_copy(&spub, sender);
        PUBLIC(&st, sizeof st);
        PUBLIC(&spub, sizeof spub);
        p.auth_key = spub;
      }
      SECRET(psk, sizeof psk);
      st = pub_st(
          zk_hpke_open_once(out, &out_len, &p, sk_r, enc, sizeof enc, aad, sizeof aad, ct, ct_len));
      PUBLIC(out, sizeof out);
      PUBLIC(&out_len, sizeof out_len);
      check(st == ZK_OK && out_len == sizeof pt && memcmp(out, pt, sizeof pt) == 0, "hpke open");
      /* A tampered ciphertext: the verdict is public, nothing else may depend on the key. */
      ct[3] ^= 1;
      out_len = sizeof out;
      st = pub_st(
          zk_hpke_open_once(out, &out_len, &p, sk_r, enc, sizeof enc, aad, sizeof aad, ct, ct_len));
      PUBLIC(out, sizeof out);
      check(st == ZK_ERR_HPKE_OPEN, "hpke open rejects a tampered ciphertext");
      ct[3] ^= 1;
      /* Context API: setup_receiver, open, export. */
      zk_hpke_ctx *ctx = NULL;
      st = pub_st(zk_hpke_setup_receiver(&ctx, &p, sk_r, enc, sizeof enc));
      PUBLIC(&ctx, sizeof ctx);
      check(st == ZK_OK, "hpke setup_receiver");
      if (st == ZK_OK) {
        out_len = sizeof out;
        st = pub_st(zk_hpke_open(ctx, out, &out_len, aad, sizeof aad, ct, ct_len));
        PUBLIC(out, sizeof out);
        PUBLIC(&out_len, sizeof out_len);
        check(st == ZK_OK && memcmp(out, pt, sizeof pt) == 0, "hpke ctx open");
        uint8_t ex[32];
        st = pub_st(zk_hpke_export(ctx, ex, sizeof ex, info, sizeof info));
        check(st == ZK_OK, "hpke export");
      }
      zk_hpke_ctx_free(ctx);
      PUBLIC(psk, sizeof psk);
      zk_key_free(spub);
      zk_key_free(pk_r);
      zk_key_free(sk_r);
    }
  }
  zk_key_free(sender);

  /* Bundle decryption on top of HPKE: credential bundle to a secret P-256 key. */
  fill(skb, sizeof skb);
  skb[0] &= 0x7f;
  zk_key *tk = secret_p256(skb), *tpub = public_of(tk);
  char *bundle = NULL;
  size_t blen = 0;
  st = zk_bundle_credential_seal(&bundle, &blen, tpub, pt, 32);
  PUBLIC(&st, sizeof st);
  PUBLIC(&bundle, sizeof bundle);
  PUBLIC(&blen, sizeof blen);
  check(st == ZK_OK, "bundle credential seal");
  if (st == ZK_OK) {
    PUBLIC(bundle, blen + 1);
    uint8_t *o = NULL;
    size_t ol = 0;
    st = pub_st(zk_bundle_credential_open(&o, &ol, bundle, blen, tk));
    PUBLIC(&o, sizeof o);
    PUBLIC(&ol, sizeof ol);
    if (st == ZK_OK) PUBLIC(o, ol);
    check(st == ZK_OK && ol == 32 && memcmp(o, pt, 32) == 0, "bundle credential open");
    zk_free_secret(o, ol);
  }
  zk_free(bundle);
  zk_key_free(tpub);
  zk_key_free(tk);

  /* QOS envelope open with a key set from a secret seed (ECDH + HMAC-SHA512 + AES-GCM). */
  uint8_t seed[32];
  fill(seed, sizeof seed);
  zk_qos_keyset *ks = NULL;
  SECRET(seed, sizeof seed);
  st = pub_st(zk_qos_keyset_from_seed(&ks, seed, sizeof seed));
  PUBLIC(&ks, sizeof ks);
  check(st == ZK_OK, "qos keyset");
  if (st == ZK_OK) {
    const uint8_t *pubp = zk_qos_keyset_public(ks);
    PUBLIC(pubp, ZK_QOS_PUBLIC_LEN);
    zk_qos_pubkey *qp = NULL;
    uint8_t *env = NULL, *o = NULL;
    size_t env_len = 0, ol = 0;
    st = zk_qos_pubkey_parse(&qp, pubp, ZK_QOS_PUBLIC_LEN);
    if (st == ZK_OK) st = zk_qos_envelope_seal(&env, &env_len, qp, pt, sizeof pt);
    PUBLIC(&st, sizeof st);
    PUBLIC(&env, sizeof env);
    PUBLIC(&env_len, sizeof env_len);
    check(st == ZK_OK, "qos envelope seal");
    if (st == ZK_OK) {
      PUBLIC(env, env_len);
      st = pub_st(zk_qos_envelope_open(ks, &o, &ol, env, env_len));
      PUBLIC(&o, sizeof o);
      PUBLIC(&ol, sizeof ol);
      if (st == ZK_OK) PUBLIC(o, ol);
      check(st == ZK_OK && ol == sizeof pt && memcmp(o, pt, ol) == 0, "qos envelope open");
      zk_free_secret(o, ol);
    }
    zk_free(env);
    zk_qos_pubkey_free(qp);
  }
  zk_qos_keyset_free(ks);
}

/* ---- compare and wipe helpers ---- */

static void area_compare(void) {
  static const size_t lens[] = {1, 4, 16, 32, 33, 64, 100};
  for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
    size_t n = lens[li];
    uint8_t a[100], b[100];
    for (size_t diff = 0; diff <= n; diff++) { /* diff == n: equal inputs */
      fill(a, n);
      memcpy(b, a, n);
      if (diff < n) b[diff] ^= 0x20;
      SECRET(a, n);
      SECRET(b, n);
      int eq = zk_ct_equal(a, b, n);
      PUBLIC(&eq, sizeof eq);
      check(eq == (diff == n), "zk_ct_equal");
      zk_wipe(a, n);
      PUBLIC(a, n);
      uint8_t zero[100] = {0};
      check(memcmp(a, zero, n) == 0, "zk_wipe");
    }
  }
  /* zk_free_secret of a secret heap buffer. */
  uint8_t *h = malloc(64);
  if (h != NULL) {
    fill(h, 64);
    SECRET(h, 64);
    zk_free_secret(h, 64);
    g_ops++;
  }
  /* HMAC verify: secret key and secret expected tag; only the verdict is public. */
  uint8_t key[32], msg[40], tag[64];
  fill(key, sizeof key);
  fill(msg, sizeof msg);
  static const zk_hash_alg algs[] = {ZK_HASH_SHA256, ZK_HASH_SHA384, ZK_HASH_SHA512};
  for (size_t a = 0; a < 3; a++) {
    size_t hl = zk_hash_len(algs[a]);
    zk_status st = zk_hmac(algs[a], tag, sizeof tag, key, sizeof key, msg, sizeof msg);
    check(st == ZK_OK, "hmac");
    for (int bad = 0; bad < 2; bad++) {
      if (bad) tag[hl - 1] ^= 1;
      SECRET(key, sizeof key);
      SECRET(tag, hl);
      st = pub_st(zk_hmac_verify(algs[a], tag, hl, key, sizeof key, msg, sizeof msg));
      check(st == (bad ? ZK_ERR_MAC : ZK_OK), "hmac_verify");
      st = pub_st(zk_hmac_verify(algs[a], tag, 16, key, sizeof key, msg, sizeof msg));
      check(st == ZK_OK || bad, "hmac_verify truncated tag");
      PUBLIC(key, sizeof key);
      PUBLIC(tag, sizeof tag);
      if (bad) tag[hl - 1] ^= 1;
    }
  }
  /* AES-GCM open with a secret key: only the tag verdict is public. */
  uint8_t gk[32], nonce[12], pt[40], ct[40], gtag[16], out[40];
  fill(gk, sizeof gk);
  fill(nonce, sizeof nonce);
  fill(pt, sizeof pt);
  zk_status st = zk_aes_gcm_seal(ct, gtag, 16, gk, 32, nonce, 12, msg, 8, pt, sizeof pt);
  check(st == ZK_OK, "gcm seal");
  for (int bad = 0; bad < 2; bad++) {
    if (bad) gtag[0] ^= 1;
    SECRET(gk, sizeof gk);
    st = pub_st(zk_aes_gcm_open(out, gk, 32, nonce, 12, msg, 8, ct, sizeof ct, gtag, 16));
    PUBLIC(out, sizeof out);
    PUBLIC(gk, sizeof gk);
    check(bad ? st == ZK_ERR_DECRYPT : (st == ZK_OK && memcmp(out, pt, sizeof pt) == 0),
          "gcm open with secret key");
  }
}

/* ---- signing ---- */

/*
 * zk_key_sign / zk_key_sign_digest / zk_qos_sign with the private key secret. Every scheme is
 * deterministic here (RFC 6979 on P-256 / P-384 / secp256k1, Ed25519, BIP-340 with a fixed aux),
 * so each signature made with the secret key must equal the one made beforehand with the same
 * key imported from public bytes. The signature is the public output: it is declassified by the
 * library (zk_key_sign_digest) only once it is complete.
 */
static zk_key *key_pair(zk_curve curve, const uint8_t *sk, size_t len, zk_key **secret_key) {
  zk_key *ref = NULL;
  uint8_t tmp[48];
  memcpy(tmp, sk, len);
  check(zk_key_from_private(&ref, curve, tmp, len) == ZK_OK, "reference key");
  SECRET(tmp, len);
  zk_status st = pub_st(zk_key_from_private(secret_key, curve, tmp, len));
  PUBLIC(secret_key, sizeof *secret_key);
  check(st == ZK_OK, "secret key for signing");
  PUBLIC(tmp, len);
  return ref;
}

static void area_sign(void) {
  uint8_t msg[100];
  fill(msg, sizeof msg);
  static const struct {
    zk_curve curve;
    zk_sig_format fmt;
  } cases[] = {
      {ZK_CURVE_P256, ZK_SIG_RAW},
      {ZK_CURVE_P256, ZK_SIG_DER},
      {ZK_CURVE_P384, ZK_SIG_RAW},
      {ZK_CURVE_P384, ZK_SIG_DER},
      {ZK_CURVE_SECP256K1, ZK_SIG_RAW},
      {ZK_CURVE_SECP256K1, ZK_SIG_DER},
      {ZK_CURVE_SECP256K1, ZK_SIG_RECOVERABLE},
      {ZK_CURVE_ED25519, ZK_SIG_EDDSA},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    for (int rep = 0; rep < 4; rep++) {
      size_t len = cases[c].curve == ZK_CURVE_P384 ? 48 : 32;
      uint8_t sk[48];
      fill(sk, len);
      sk[0] &= 0x7f;           /* below every group order */
      if (rep == 1) sk[0] = 0; /* a leading zero byte */
      zk_key *sec = NULL;
      zk_key *ref = key_pair(cases[c].curve, sk, len, &sec);
      zk_wipe(sk, sizeof sk);
      if (sec == NULL || ref == NULL) {
        zk_key_free(ref);
        zk_key_free(sec);
        continue;
      }
      uint8_t want[ZK_MAX_SIG_LEN], got[ZK_MAX_SIG_LEN];
      size_t wl = sizeof want, gl = sizeof got;
      zk_status st = zk_key_sign(ref, cases[c].fmt, want, &wl, msg, (size_t)rep * 25);
      check(st == ZK_OK, "reference signature");
      st = pub_st(zk_key_sign(sec, cases[c].fmt, got, &gl, msg, (size_t)rep * 25));
      PUBLIC(got, sizeof got);
      PUBLIC(&gl, sizeof gl);
      check(st == ZK_OK && gl == wl && memcmp(got, want, wl) == 0, "sign with secret key");
      zk_key_free(ref);
      zk_key_free(sec);
    }
  }

  /* BIP-340 Schnorr: a fixed aux gives a deterministic signature; a random aux (RAND_bytes,
   * secret) a signature that must verify. */
  for (int rep = 0; rep < 4; rep++) {
    uint8_t sk[32], aux[32];
    fill(sk, sizeof sk);
    fill(aux, sizeof aux);
    zk_key *sec = NULL;
    zk_key *ref = key_pair(ZK_CURVE_SECP256K1, sk, sizeof sk, &sec);
    zk_wipe(sk, sizeof sk);
    if (sec == NULL || ref == NULL) {
      zk_key_free(ref);
      zk_key_free(sec);
      continue;
    }
    uint8_t want[64], got[64];
    zk_status st = zki_key_sign_schnorr_aux(ref, want, msg, (size_t)rep * 32, aux);
    check(st == ZK_OK, "reference schnorr");
    SECRET(aux, sizeof aux);
    st = pub_st(zki_key_sign_schnorr_aux(sec, got, msg, (size_t)rep * 32, aux));
    PUBLIC(got, sizeof got);
    check(st == ZK_OK && memcmp(got, want, sizeof got) == 0, "schnorr with secret key and aux");
    size_t gl = sizeof got;
    st = pub_st(zk_key_sign(sec, ZK_SIG_SCHNORR, got, &gl, msg, 32));
    PUBLIC(got, sizeof got);
    PUBLIC(&gl, sizeof gl);
    check(
        st == ZK_OK && gl == 64 && zk_key_verify(ref, ZK_SIG_SCHNORR, 0, got, gl, msg, 32) == ZK_OK,
        "schnorr with random aux");
    zk_key_free(ref);
    zk_key_free(sec);
  }

  /* zk_qos_sign with a key set derived from a secret seed (P-256, RFC 6979). */
  uint8_t seed[32];
  fill(seed, sizeof seed);
  zk_qos_keyset *ref = NULL, *sec = NULL;
  check(zk_qos_keyset_from_seed(&ref, seed, sizeof seed) == ZK_OK, "qos reference key set");
  SECRET(seed, sizeof seed);
  zk_status st = pub_st(zk_qos_keyset_from_seed(&sec, seed, sizeof seed));
  PUBLIC(&sec, sizeof sec);
  PUBLIC(seed, sizeof seed);
  check(st == ZK_OK, "qos key set from secret seed");
  if (ref != NULL && sec != NULL) {
    uint8_t want[ZK_QOS_SIG_LEN], got[ZK_QOS_SIG_LEN];
    check(zk_qos_sign(ref, want, sizeof want, msg, sizeof msg) == ZK_OK, "qos reference sign");
    st = pub_st(zk_qos_sign(sec, got, sizeof got, msg, sizeof msg));
    PUBLIC(got, sizeof got);
    check(st == ZK_OK && memcmp(got, want, sizeof got) == 0, "qos sign with secret key set");
  }
  zk_qos_keyset_free(ref);
  zk_qos_keyset_free(sec);
}

int main(int argc, char **argv) {
  static const struct {
    const char *name;
    void (*run)(void);
  } areas[] = {{"shamir", area_shamir},
               {"kdf", area_kdf},
               {"hpke", area_hpke},
               {"compare", area_compare},
               {"sign", area_sign}};
  /* ZK_CTIME_LABEL (e.g. "opt=O2", set by scripts/ctime.sh) is appended to every CTIME line. */
  const char *label = getenv("ZK_CTIME_LABEL");
  for (int j = 1; j < argc; j++) { /* an unknown area must not pass by checking nothing */
    int known = 0;
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
      known |= strcmp(argv[j], areas[i].name) == 0;
    if (!known) {
      fprintf(stderr, "ctime_check: unknown area %s (shamir, kdf, hpke, compare, sign)\n", argv[j]);
      return 2;
    }
  }
  int rc = 0;
  for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
    int want = argc < 2;
    for (int j = 1; j < argc; j++) want |= strcmp(argv[j], areas[i].name) == 0;
    if (!want) continue;
    g_ops = g_failed = 0;
    g_rng = 0x2545f491u; /* same inputs whether an area runs alone or after the others */
    unsigned long e0 = (unsigned long)VALGRIND_COUNT_ERRORS;
    areas[i].run();
    unsigned long errs = (unsigned long)VALGRIND_COUNT_ERRORS - e0;
    if (g_failed == 0 && errs == 0) {
      printf("CTIME %s: ops=%lu clean%s%s%s\n", areas[i].name, g_ops,
             RUNNING_ON_VALGRIND ? "" : " (functional only: not under valgrind)", label ? " " : "",
             label ? label : "");
    } else {
      printf("CTIME %s: ops=%lu failed=%lu valgrind_errors=%lu%s%s\n", areas[i].name, g_ops,
             g_failed, errs, label ? " " : "", label ? label : "");
      rc = 1;
    }
    fflush(stdout);
  }
  return rc;
}
