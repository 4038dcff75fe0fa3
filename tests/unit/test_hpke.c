/*
 * HPKE (RFC 9180): every P-256 / HKDF-SHA256 entry of the RFC test vectors
 * (all modes, all AEADs incl. export-only), plus rejection tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/hpke.h"
#include "zk_hpke_internal.h"
#include "zkt.h"

#define VEC "hpke/rfc9180_p256_sha256_all_modes.json"

static void assert_hex_eq(const uint8_t *got, size_t got_len, const char *want_hex) {
  size_t n;
  uint8_t *want = zkt_hex(want_hex, &n);
  if (n != got_len || memcmp(got, want, n) != 0) {
    char *g = zkt_tohex(got, got_len);
    fail_msg("mismatch: got %s want %s", g, want_hex);
  }
  free(want);
}

static zk_key *derive(const char *ikm_hex) {
  size_t n;
  uint8_t *ikm = zkt_hex(ikm_hex, &n);
  zk_key *k = NULL;
  zkt_assert_ok(zk_hpke_derive_keypair(&k, ikm, n));
  free(ikm);
  return k;
}

static void check_key(const zk_key *k, const char *sk_hex, const char *pk_hex) {
  uint8_t buf[65];
  size_t len = sizeof buf;
  zkt_assert_ok(zk_key_export_private(k, buf, &len));
  assert_hex_eq(buf, len, sk_hex);
  len = sizeof buf;
  zkt_assert_ok(zk_key_export_public(k, ZK_PUB_UNCOMPRESSED, buf, &len));
  assert_hex_eq(buf, len, pk_hex);
}

/* Binds the hex fields of an entry to params (buffers freed by free_params). */
static void load_params(zk_hpke_params *p, const json_t *e, uint8_t **bufs) {
  memset(p, 0, sizeof *p);
  p->mode = (zk_hpke_mode)json_integer_value(json_object_get(e, "mode"));
  p->aead = (zk_hpke_aead)json_integer_value(json_object_get(e, "aead_id"));
  bufs[0] = zkt_hex(zkt_jstr(e, "info"), &p->info_len);
  p->info = bufs[0];
  if (json_object_get(e, "psk") != NULL) {
    bufs[1] = zkt_hex(zkt_jstr(e, "psk"), &p->psk_len);
    bufs[2] = zkt_hex(zkt_jstr(e, "psk_id"), &p->psk_id_len);
    p->psk = bufs[1];
    p->psk_id = bufs[2];
  }
}

static void test_rfc9180_vectors(void **state) {
  (void)state;
  json_t *root;
  ZKT_VECTOR_JSON(VEC, &root);
  assert_true(json_is_array(root));
  unsigned long entries = 0, entries_ok = 0, enc_run = 0, enc_ok = 0, exp_run = 0, exp_ok = 0;
  size_t i;
  json_t *e;
  json_array_foreach(root, i, e) {
    assert_int_equal(json_integer_value(json_object_get(e, "kem_id")), 0x10);
    assert_int_equal(json_integer_value(json_object_get(e, "kdf_id")), 0x01);
    entries++;
    uint8_t *bufs[3] = {NULL, NULL, NULL};
    zk_hpke_params sp, rp;
    load_params(&sp, e, bufs);
    rp = sp;

    zk_key *sk_r = derive(zkt_jstr(e, "ikmR"));
    zk_key *sk_e = derive(zkt_jstr(e, "ikmE"));
    check_key(sk_r, zkt_jstr(e, "skRm"), zkt_jstr(e, "pkRm"));
    check_key(sk_e, zkt_jstr(e, "skEm"), zkt_jstr(e, "pkEm"));
    zk_key *sk_s = NULL, *pk_s = NULL, *pk_r = NULL;
    zkt_assert_ok(zk_key_public_copy(&pk_r, sk_r));
    if (json_object_get(e, "ikmS") != NULL) {
      sk_s = derive(zkt_jstr(e, "ikmS"));
      check_key(sk_s, zkt_jstr(e, "skSm"), zkt_jstr(e, "pkSm"));
      zkt_assert_ok(zk_key_public_copy(&pk_s, sk_s));
      sp.auth_key = sk_s;
      rp.auth_key = pk_s;
    }

    uint8_t enc[ZK_HPKE_ENC_LEN];
    zk_hpke_ctx *s = NULL, *r = NULL;
    zkt_assert_ok(zki_hpke_setup_sender_eph(&s, enc, sizeof enc, &sp, pk_r, sk_e));
    assert_hex_eq(enc, sizeof enc, zkt_jstr(e, "enc"));
    zkt_assert_ok(zk_hpke_setup_receiver(&r, &rp, sk_r, enc, sizeof enc));

    uint8_t ksc[65];
    zkt_assert_ok(zki_hpke_key_schedule_context(ksc, &rp));
    assert_hex_eq(ksc, sizeof ksc, zkt_jstr(e, "key_schedule_context"));
    /* key schedule outputs on both sides */
    uint8_t key[32], nonce[12], exps[32];
    size_t key_len;
    zk_hpke_ctx *both[2] = {s, r};
    for (int side = 0; side < 2; side++) {
      zki_hpke_ctx_schedule(both[side], key, &key_len, nonce, exps);
      assert_hex_eq(exps, 32, zkt_jstr(e, "exporter_secret"));
      if (sp.aead != ZK_HPKE_AEAD_EXPORT_ONLY) {
        assert_hex_eq(key, key_len, zkt_jstr(e, "key"));
        assert_hex_eq(nonce, 12, zkt_jstr(e, "base_nonce"));
      } else {
        assert_int_equal(key_len, 0);
      }
    }

    size_t j;
    json_t *x;
    json_array_foreach(json_object_get(e, "encryptions"), j, x) {
      enc_run++;
      size_t aad_len, pt_len, ct_len;
      uint8_t *aad = zkt_hex(zkt_jstr(x, "aad"), &aad_len);
      uint8_t *pt = zkt_hex(zkt_jstr(x, "pt"), &pt_len);
      uint8_t *want = zkt_hex(zkt_jstr(x, "ct"), &ct_len);
      uint8_t *ct = malloc(pt_len + ZK_HPKE_TAG_LEN);
      uint8_t *back = malloc(pt_len + 1);
      size_t n = pt_len + ZK_HPKE_TAG_LEN;
      assert_int_equal(zk_hpke_ctx_seq(s), j);
      zkt_assert_ok(zk_hpke_seal(s, ct, &n, aad, aad_len, pt, pt_len));
      assert_int_equal(n, ct_len);
      assert_memory_equal(ct, want, ct_len);
      size_t m = pt_len + 1;
      zkt_assert_ok(zk_hpke_open(r, back, &m, aad, aad_len, want, ct_len));
      assert_int_equal(m, pt_len);
      assert_memory_equal(back, pt, pt_len);
      enc_ok++;
      free(aad);
      free(pt);
      free(want);
      free(ct);
      free(back);
    }
    if (sp.aead == ZK_HPKE_AEAD_EXPORT_ONLY) {
      uint8_t ct[32];
      size_t n = sizeof ct;
      zkt_assert_status(zk_hpke_seal(s, ct, &n, NULL, 0, (const uint8_t *)"x", 1), ZK_ERR_STATE);
      zkt_assert_status(zk_hpke_open(r, ct, &n, NULL, 0, ct, sizeof ct), ZK_ERR_STATE);
    }
    json_array_foreach(json_object_get(e, "exports"), j, x) {
      exp_run++;
      size_t ctx_len;
      uint8_t *ectx = zkt_hex(zkt_jstr(x, "exporter_context"), &ctx_len);
      size_t L = (size_t)json_integer_value(json_object_get(x, "L"));
      uint8_t out[64];
      assert_true(L <= sizeof out);
      zkt_assert_ok(zk_hpke_export(s, out, L, ectx, ctx_len));
      assert_hex_eq(out, L, zkt_jstr(x, "exported_value"));
      zkt_assert_ok(zk_hpke_export(r, out, L, ectx, ctx_len));
      assert_hex_eq(out, L, zkt_jstr(x, "exported_value"));
      exp_ok++;
      free(ectx);
    }
    entries_ok++;
    zk_hpke_ctx_free(s);
    zk_hpke_ctx_free(r);
    zk_key_free(sk_r);
    zk_key_free(pk_r);
    zk_key_free(sk_e);
    zk_key_free(sk_s);
    zk_key_free(pk_s);
    for (int b = 0; b < 3; b++) free(bufs[b]);
  }
  json_decref(root);
  zkt_report("hpke-rfc9180-entries", entries, entries_ok);
  zkt_report("hpke-rfc9180-encryptions", enc_run, enc_ok);
  zkt_report("hpke-rfc9180-exports", exp_run, exp_ok);
  assert_int_equal(entries, 16);
  assert_int_equal(enc_run, 12 * 257);
  assert_int_equal(exp_run, 48);
}

/* Fixture for the rejection tests: a fresh receiver, base mode AES-256-GCM. */
typedef struct fx {
  zk_key *sk_r, *pk_r, *other;
  zk_hpke_params p;
  uint8_t enc[ZK_HPKE_ENC_LEN];
  uint8_t ct[64 + ZK_HPKE_TAG_LEN];
  size_t ct_len;
} fx;

static const uint8_t MSG[] = "attack at dawn, bring 32 bytes!";
static const uint8_t AAD[] = "associated";

static void fx_init(fx *f, zk_hpke_mode mode, const uint8_t *psk, size_t psk_len,
                    const zk_key *auth) {
  memset(f, 0, sizeof *f);
  zkt_assert_ok(zk_key_generate(&f->sk_r, ZK_CURVE_P256));
  zkt_assert_ok(zk_key_generate(&f->other, ZK_CURVE_P256));
  zkt_assert_ok(zk_key_public_copy(&f->pk_r, f->sk_r));
  f->p.mode = mode;
  f->p.aead = ZK_HPKE_AEAD_AES_256_GCM;
  f->p.info = (const uint8_t *)"info";
  f->p.info_len = 4;
  f->p.psk = psk;
  f->p.psk_len = psk_len;
  f->p.psk_id = psk ? (const uint8_t *)"id" : NULL;
  f->p.psk_id_len = psk ? 2 : 0;
  f->p.auth_key = auth;
  f->ct_len = sizeof f->ct;
  zkt_assert_ok(zk_hpke_seal_once(f->enc, sizeof f->enc, f->ct, &f->ct_len, &f->p, f->pk_r, AAD,
                                  sizeof AAD, MSG, sizeof MSG));
  assert_int_equal(f->ct_len, sizeof MSG + ZK_HPKE_TAG_LEN);
}

static void fx_free(fx *f) {
  zk_key_free(f->sk_r);
  zk_key_free(f->pk_r);
  zk_key_free(f->other);
}

/* Open with the fixture's parameters; checks that failure leaves pt zeroed. */
static zk_status try_open(const fx *f, const zk_hpke_params *p, const zk_key *sk,
                          const uint8_t *enc, size_t enc_len, const uint8_t *aad, size_t aad_len,
                          const uint8_t *ct, size_t ct_len) {
  uint8_t pt[128];
  memset(pt, 0xAA, sizeof pt);
  size_t n = sizeof pt;
  (void)f;
  zk_status st = zk_hpke_open_once(pt, &n, p, sk, enc, enc_len, aad, aad_len, ct, ct_len);
  if (st != ZK_OK) {
    assert_int_equal(n, 0);
    for (size_t i = 0; i < sizeof pt; i++) assert_int_equal(pt[i], 0);
  } else {
    assert_int_equal(n, sizeof MSG);
    assert_memory_equal(pt, MSG, sizeof MSG);
  }
  return st;
}

static void test_roundtrip_and_wrong_key(void **state) {
  (void)state;
  fx f;
  fx_init(&f, ZK_HPKE_MODE_BASE, NULL, 0, NULL);
  zkt_assert_ok(try_open(&f, &f.p, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len));
  zkt_assert_status(
      try_open(&f, &f.p, f.other, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
      ZK_ERR_HPKE_OPEN);
  /* public-only receiver key */
  zkt_assert_status(
      try_open(&f, &f.p, f.pk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
      ZK_ERR_NO_PRIVATE_KEY);
  /* wrong info */
  zk_hpke_params q = f.p;
  q.info = (const uint8_t *)"infO";
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_OPEN);
  /* wrong AEAD */
  q = f.p;
  q.aead = ZK_HPKE_AEAD_AES_128_GCM;
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_OPEN);
  q.aead = (zk_hpke_aead)4;
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_UNSUPPORTED);
  /* secp256k1 receiver is refused */
  zk_key *k1 = NULL;
  zkt_assert_ok(zk_key_generate(&k1, ZK_CURVE_SECP256K1));
  uint8_t enc[ZK_HPKE_ENC_LEN], ct[128];
  size_t n = sizeof ct;
  zkt_assert_status(zk_hpke_seal_once(enc, sizeof enc, ct, &n, &f.p, k1, NULL, 0, MSG, 4),
                    ZK_ERR_CURVE);
  zk_key_free(k1);
  fx_free(&f);
}

static void test_tamper(void **state) {
  (void)state;
  fx f;
  fx_init(&f, ZK_HPKE_MODE_BASE, NULL, 0, NULL);
  unsigned long tried = 0, rejected = 0;
  uint8_t buf[sizeof f.ct];
  /* every single-byte flip of the ciphertext */
  for (size_t i = 0; i < f.ct_len; i++) {
    memcpy(buf, f.ct, f.ct_len);
    buf[i] ^= 0x01;
    tried++;
    zk_status st = try_open(&f, &f.p, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, buf, f.ct_len);
    if (st == ZK_ERR_HPKE_OPEN) rejected++;
  }
  /* every truncation */
  for (size_t l = 0; l < f.ct_len; l++) {
    tried++;
    zk_status st = try_open(&f, &f.p, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, l);
    if (st == (l < ZK_HPKE_TAG_LEN ? ZK_ERR_TRUNCATED : ZK_ERR_HPKE_OPEN)) rejected++;
  }
  /* every flip of the AAD, and a missing / extended AAD */
  uint8_t aad[sizeof AAD + 1];
  for (size_t i = 0; i < sizeof AAD; i++) {
    memcpy(aad, AAD, sizeof AAD);
    aad[i] ^= 0x80;
    tried++;
    if (try_open(&f, &f.p, f.sk_r, f.enc, sizeof f.enc, aad, sizeof AAD, f.ct, f.ct_len) ==
        ZK_ERR_HPKE_OPEN)
      rejected++;
  }
  tried += 2;
  if (try_open(&f, &f.p, f.sk_r, f.enc, sizeof f.enc, NULL, 0, f.ct, f.ct_len) == ZK_ERR_HPKE_OPEN)
    rejected++;
  memcpy(aad, AAD, sizeof AAD);
  aad[sizeof AAD] = 0;
  if (try_open(&f, &f.p, f.sk_r, f.enc, sizeof f.enc, aad, sizeof aad, f.ct, f.ct_len) ==
      ZK_ERR_HPKE_OPEN)
    rejected++;
  /* every flip of enc: off-curve points fail as ZK_ERR_HPKE_ENC, on-curve ones as HPKE_OPEN */
  uint8_t enc[ZK_HPKE_ENC_LEN];
  unsigned long enc_bad = 0;
  for (size_t i = 0; i < sizeof enc; i++) {
    memcpy(enc, f.enc, sizeof enc);
    enc[i] ^= 0x01;
    tried++;
    zk_status st = try_open(&f, &f.p, f.sk_r, enc, sizeof enc, AAD, sizeof AAD, f.ct, f.ct_len);
    if (st == ZK_ERR_HPKE_ENC) enc_bad++;
    if (st == ZK_ERR_HPKE_ENC || st == ZK_ERR_HPKE_OPEN) rejected++;
  }
  assert_true(enc_bad > 0);
  zkt_report_mutations("hpke-tamper", tried, rejected);
  assert_int_equal(tried, rejected);
  fx_free(&f);
}

static void test_invalid_enc(void **state) {
  (void)state;
  fx f;
  fx_init(&f, ZK_HPKE_MODE_BASE, NULL, 0, NULL);
  uint8_t enc[ZK_HPKE_ENC_LEN];
  /* (1, 1) is not on P-256 */
  memset(enc, 0, sizeof enc);
  enc[0] = 0x04;
  enc[32] = 1;
  enc[64] = 1;
  zkt_assert_status(try_open(&f, &f.p, f.sk_r, enc, sizeof enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_ENC);
  /* all-zero (no valid encoding of the identity) */
  memset(enc, 0, sizeof enc);
  zkt_assert_status(try_open(&f, &f.p, f.sk_r, enc, sizeof enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_ENC);
  zkt_assert_status(try_open(&f, &f.p, f.sk_r, enc, 1, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_ENC);
  /* compressed form of the right point is refused: Nenc is 65 */
  uint8_t comp[33];
  zk_key *pe = NULL;
  zkt_assert_ok(zk_key_from_public(&pe, ZK_CURVE_P256, f.enc, sizeof f.enc));
  size_t n = sizeof comp;
  zkt_assert_ok(zk_key_export_public(pe, ZK_PUB_COMPRESSED, comp, &n));
  zk_key_free(pe);
  zkt_assert_status(try_open(&f, &f.p, f.sk_r, comp, sizeof comp, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_ENC);
  /* truncated / extended enc */
  zkt_assert_status(try_open(&f, &f.p, f.sk_r, f.enc, 64, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_ENC);
  uint8_t longer[66];
  memcpy(longer, f.enc, 65);
  longer[65] = 0;
  zkt_assert_status(try_open(&f, &f.p, f.sk_r, longer, 66, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_ENC);
  zkt_assert_status(try_open(&f, &f.p, f.sk_r, NULL, 0, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_ENC);
  fx_free(&f);
}

static void test_modes(void **state) {
  (void)state;
  uint8_t psk[32], psk2[32];
  memset(psk, 0x42, sizeof psk);
  memset(psk2, 0x43, sizeof psk2);
  zk_key *sk_s = NULL, *pk_s = NULL, *other = NULL;
  zkt_assert_ok(zk_key_generate(&sk_s, ZK_CURVE_P256));
  zkt_assert_ok(zk_key_generate(&other, ZK_CURVE_P256));
  zkt_assert_ok(zk_key_public_copy(&pk_s, sk_s));

  /* psk */
  fx f;
  fx_init(&f, ZK_HPKE_MODE_PSK, psk, sizeof psk, NULL);
  zk_hpke_params q = f.p;
  zkt_assert_ok(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len));
  q.psk = psk2;
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_OPEN);
  q = f.p;
  q.psk_id = (const uint8_t *)"iD";
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_OPEN);
  /* receiver in base mode (no PSK) */
  q = f.p;
  q.mode = ZK_HPKE_MODE_BASE;
  q.psk = q.psk_id = NULL;
  q.psk_len = q.psk_id_len = 0;
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_OPEN);
  /* parameter / mode mismatches are refused before any crypto */
  q = f.p;
  q.mode = ZK_HPKE_MODE_BASE; /* base with a PSK */
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_MODE);
  q = f.p;
  q.psk_id = NULL; /* PSK without id */
  q.psk_id_len = 0;
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_MODE);
  q = f.p;
  q.psk_len = 31; /* too short */
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_MODE);
  q = f.p;
  q.psk = NULL; /* psk mode without PSK */
  q.psk_len = 0;
  q.psk_id = NULL;
  q.psk_id_len = 0;
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_MODE);
  q = f.p;
  q.auth_key = pk_s; /* psk mode with an auth key */
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_HPKE_MODE);
  q = f.p;
  q.mode = (zk_hpke_mode)4;
  zkt_assert_status(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
                    ZK_ERR_UNSUPPORTED);
  fx_free(&f);

  /* auth and auth_psk */
  for (int m = 0; m < 2; m++) {
    fx_init(&f, m ? ZK_HPKE_MODE_AUTH_PSK : ZK_HPKE_MODE_AUTH, m ? psk : NULL, m ? sizeof psk : 0,
            sk_s);
    q = f.p;
    q.auth_key = pk_s;
    zkt_assert_ok(try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len));
    q.auth_key = other; /* wrong sender */
    zkt_assert_status(
        try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
        ZK_ERR_HPKE_OPEN);
    q.auth_key = NULL; /* auth mode without a sender key */
    zkt_assert_status(
        try_open(&f, &q, f.sk_r, f.enc, sizeof f.enc, AAD, sizeof AAD, f.ct, f.ct_len),
        ZK_ERR_HPKE_MODE);
    fx_free(&f);
  }
  /* sender in auth mode needs the private key */
  fx_init(&f, ZK_HPKE_MODE_BASE, NULL, 0, NULL);
  q = f.p;
  q.mode = ZK_HPKE_MODE_AUTH;
  q.auth_key = pk_s;
  uint8_t enc[ZK_HPKE_ENC_LEN], ct[128];
  size_t n = sizeof ct;
  zkt_assert_status(zk_hpke_seal_once(enc, sizeof enc, ct, &n, &q, f.pk_r, NULL, 0, MSG, 4),
                    ZK_ERR_NO_PRIVATE_KEY);
  for (size_t i = 0; i < sizeof enc; i++) assert_int_equal(enc[i], 0);
  assert_int_equal(n, 0);
  fx_free(&f);
  zk_key_free(sk_s);
  zk_key_free(pk_s);
  zk_key_free(other);
}

static void test_sequence(void **state) {
  (void)state;
  zk_key *sk = NULL, *pk = NULL;
  zkt_assert_ok(zk_key_generate(&sk, ZK_CURVE_P256));
  zkt_assert_ok(zk_key_public_copy(&pk, sk));
  zk_hpke_params p;
  memset(&p, 0, sizeof p);
  p.aead = ZK_HPKE_AEAD_CHACHA20_POLY1305;
  uint8_t enc[ZK_HPKE_ENC_LEN], ct0[64], ct1[64], pt[64];
  zk_hpke_ctx *s = NULL, *r = NULL;
  zkt_assert_ok(zk_hpke_setup_sender(&s, enc, sizeof enc, &p, pk));
  zkt_assert_ok(zk_hpke_setup_receiver(&r, &p, sk, enc, sizeof enc));
  size_t n0 = sizeof ct0, n1 = sizeof ct1, m = sizeof pt;
  zkt_assert_ok(zk_hpke_seal(s, ct0, &n0, NULL, 0, MSG, 8));
  zkt_assert_ok(zk_hpke_seal(s, ct1, &n1, NULL, 0, MSG, 8));
  /* out of order: ct1 at seq 0 fails and does not advance the counter */
  zkt_assert_status(zk_hpke_open(r, pt, &m, NULL, 0, ct1, n1), ZK_ERR_HPKE_OPEN);
  assert_int_equal(zk_hpke_ctx_seq(r), 0);
  m = sizeof pt;
  zkt_assert_ok(zk_hpke_open(r, pt, &m, NULL, 0, ct0, n0));
  m = sizeof pt;
  zkt_assert_ok(zk_hpke_open(r, pt, &m, NULL, 0, ct1, n1));
  assert_int_equal(zk_hpke_ctx_seq(r), 2);
  /* wrong direction */
  m = sizeof pt;
  zkt_assert_status(zk_hpke_seal(r, ct0, &m, NULL, 0, MSG, 8), ZK_ERR_STATE);
  m = sizeof pt;
  zkt_assert_status(zk_hpke_open(s, pt, &m, NULL, 0, ct0, n0), ZK_ERR_STATE);
  /* overflow: jump both to 2^64 - 2, one message works, the next is refused */
  zki_hpke_ctx_set_seq(s, UINT64_MAX - 1);
  zki_hpke_ctx_set_seq(r, UINT64_MAX - 1);
  n0 = sizeof ct0;
  zkt_assert_ok(zk_hpke_seal(s, ct0, &n0, NULL, 0, MSG, 8));
  m = sizeof pt;
  zkt_assert_ok(zk_hpke_open(r, pt, &m, NULL, 0, ct0, n0));
  assert_memory_equal(pt, MSG, 8);
  n1 = sizeof ct1;
  zkt_assert_status(zk_hpke_seal(s, ct1, &n1, NULL, 0, MSG, 8), ZK_ERR_HPKE_SEQ);
  assert_int_equal(n1, 0);
  m = sizeof pt;
  zkt_assert_status(zk_hpke_open(r, pt, &m, NULL, 0, ct0, n0), ZK_ERR_HPKE_SEQ);
  assert_int_equal(zk_hpke_ctx_seq(s), UINT64_MAX);
  /* the exporter keeps working */
  uint8_t x[32];
  zkt_assert_ok(zk_hpke_export(s, x, sizeof x, NULL, 0));
  zkt_assert_status(zk_hpke_export(s, x, 0, NULL, 0), ZK_ERR_KDF_LENGTH);
  zk_hpke_ctx_free(s);
  zk_hpke_ctx_free(r);
  zk_hpke_ctx_free(NULL);
  zk_key_free(sk);
  zk_key_free(pk);
}

static void test_args(void **state) {
  (void)state;
  zk_key *k = NULL;
  uint8_t ikm[ZK_HPKE_MAX_INPUT_LEN + 1];
  memset(ikm, 7, sizeof ikm);
  zkt_assert_status(zk_hpke_derive_keypair(&k, ikm, 31), ZK_ERR_ARG);
  assert_null(k);
  zkt_assert_status(zk_hpke_derive_keypair(&k, ikm, sizeof ikm), ZK_ERR_TOO_LARGE);
  zkt_assert_ok(zk_hpke_derive_keypair(&k, ikm, 32));
  zk_key *k2 = NULL;
  zkt_assert_ok(zk_hpke_derive_keypair(&k2, ikm, 32));
  assert_true(zk_key_public_equal(k, k2));
  zk_key_free(k2);
  zk_hpke_params p;
  memset(&p, 0, sizeof p);
  p.aead = ZK_HPKE_AEAD_AES_128_GCM;
  p.info = ikm;
  p.info_len = sizeof ikm;
  uint8_t enc[ZK_HPKE_ENC_LEN], ct[64];
  size_t n = sizeof ct;
  zkt_assert_status(zk_hpke_seal_once(enc, sizeof enc, ct, &n, &p, k, NULL, 0, ikm, 4),
                    ZK_ERR_TOO_LARGE);
  p.info_len = 0;
  n = 4; /* too small for pt + tag */
  zkt_assert_status(zk_hpke_seal_once(enc, sizeof enc, ct, &n, &p, k, NULL, 0, ikm, 4),
                    ZK_ERR_BUFFER_TOO_SMALL);
  n = sizeof ct;
  zkt_assert_status(zk_hpke_seal_once(enc, 64, ct, &n, &p, k, NULL, 0, ikm, 4),
                    ZK_ERR_BUFFER_TOO_SMALL);
  n = sizeof ct;
  zkt_assert_ok(zk_hpke_seal_once(enc, sizeof enc, ct, &n, &p, k, NULL, 0, NULL, 0));
  assert_int_equal(n, ZK_HPKE_TAG_LEN);
  uint8_t pt[1];
  size_t m = 0;
  zkt_assert_ok(zk_hpke_open_once(NULL, &m, &p, k, enc, sizeof enc, NULL, 0, ct, n));
  assert_int_equal(m, 0);
  m = 0;
  zkt_assert_ok(zk_hpke_open_once(pt, &m, &p, k, enc, sizeof enc, NULL, 0, ct, n));
  zkt_assert_status(zk_hpke_seal_once(enc, sizeof enc, ct, &n, NULL, k, NULL, 0, NULL, 0),
                    ZK_ERR_ARG);
  zk_key_free(k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc9180_vectors),
      cmocka_unit_test(test_roundtrip_and_wrong_key),
      cmocka_unit_test(test_tamper),
      cmocka_unit_test(test_invalid_enc),
      cmocka_unit_test(test_modes),
      cmocka_unit_test(test_sequence),
      cmocka_unit_test(test_args),
  };
  return zkt_run_(__FILE__, tests, sizeof tests / sizeof tests[0]);
}
