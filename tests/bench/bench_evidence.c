/*
 * Evidence throughput, each figure next to the raw primitive measured in the same run.
 *
 * Stamps (1 KiB JSON activity bodies, P-256 API key, DER ECDSA), each a complete
 * zk_stamp_parse (base64url, strict JSON, hex, header digest) + zk_stamp_verify:
 *   pinned:   with the caller's key (the relying party looked the credential up
 *             by publicKey), signature only (ZK_STAMP_NO_TIMESTAMP);
 *   imported: key imported from the stamp (SEC1 point decompression + curve check);
 *   replay:   pinned key plus the replay window (strict JSON parse of the 1 KiB body);
 *   reference: raw OpenSSL EVP_DigestVerify (ECDSA P-256 / SHA-256, pre-parsed key)
 *             of the same body and signature.
 * Notarization chains (N records, Ed25519 notarizer, default N = 100000):
 *   chain:   zk_notarization_chain_verify (head signature + N hash links);
 *   sha256:  raw SHA-256 over the same record bytes (the hashing floor);
 *   sigs:    raw OpenSSL Ed25519 verification of record signatures (what a
 *            verifier checking every record would pay), as records per second.
 * Env: ZK_BENCH_SECONDS (minimum seconds per figure), ZK_BENCH_RECORDS (N).
 */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "zerokey/zerokey.h"
#include "zk_internal.h"

#include "zerokey/notarization.h"

typedef struct {
  char *stamp;
  size_t stamp_len;
  uint8_t body[1024];
  zk_key *key;
  EVP_PKEY *pkey;
  const uint8_t *sig;
  size_t sig_len;
  zk_stamp *parsed;
} stamp_ctx;

static zk_stamp_verify_opts stamp_opts = {.now_ms = 1700000000500ull};

static int stamp_run(const stamp_ctx *c, const zk_key *key, unsigned flags) {
  zk_stamp *st = NULL;
  zk_stamp_verify_opts o = stamp_opts;
  o.key = key;
  o.flags = flags;
  zk_status s = zk_stamp_parse(&st, c->stamp, c->stamp_len);
  if (s == ZK_OK) s = zk_stamp_verify(st, c->body, sizeof c->body, &o);
  zk_stamp_free(st);
  return s != ZK_OK;
}

static int stamp_pinned(void *p) {
  stamp_ctx *c = p;
  return stamp_run(c, c->key, ZK_STAMP_NO_TIMESTAMP);
}

static int stamp_imported(void *p) {
  stamp_ctx *c = p;
  return stamp_run(c, NULL, ZK_STAMP_NO_TIMESTAMP);
}

static int stamp_replay(void *p) {
  stamp_ctx *c = p;
  return stamp_run(c, c->key, 0);
}

static int stamp_raw(void *p) {
  stamp_ctx *c = p;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m != NULL && EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, c->pkey) == 1 &&
           EVP_DigestVerify(m, c->sig, c->sig_len, c->body, sizeof c->body) == 1;
  EVP_MD_CTX_free(m);
  return !ok;
}

typedef struct {
  uint8_t **rec;
  size_t *len;
  size_t n;
  zk_key *notarizer;
  EVP_PKEY *pkey;
  uint8_t **tbs; /* Sig_structure of the first SIG_SAMPLE records */
  size_t *tbs_len;
  size_t next_sig;
} chain_ctx;

#define SIG_SAMPLE 1000
#define STAMP_ROUNDS 5

static int chain_verify(void *p) {
  chain_ctx *c = p;
  zk_chain_opts o = {
      .notarizer = c->notarizer, .now_ms = 1700000000000ull + c->n * 10, .max_age_ms = 60000};
  zk_chain_result r;
  return zk_notarization_chain_verify(&r, (const uint8_t *const *)c->rec, c->len, c->n, &o) !=
         ZK_OK;
}

static int chain_sha256(void *p) {
  chain_ctx *c = p;
  uint8_t d[32];
  unsigned dl;
  for (size_t i = 0; i < c->n; i++)
    if (EVP_Digest(c->rec[i], c->len[i], d, &dl, EVP_sha256(), NULL) != 1) return 1;
  return 0;
}

/* One raw Ed25519 verification of a record signature (cycling over a sample). */
static int one_sig(void *p) {
  chain_ctx *c = p;
  size_t i = c->next_sig++ % SIG_SAMPLE;
  const uint8_t *sig = c->rec[i] + c->len[i] - 64;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m != NULL && EVP_DigestVerifyInit(m, NULL, NULL, NULL, c->pkey) == 1 &&
           EVP_DigestVerify(m, sig, 64, c->tbs[i], c->tbs_len[i]) == 1;
  EVP_MD_CTX_free(m);
  return !ok;
}

static void bench_stamps(void) {
  stamp_ctx c;
  memset(&c, 0, sizeof c);
  /* 1 KiB JSON activity body with a timestamp. */
  const char *head =
      "{\"organizationId\":\"org-1\",\"timestampMs\":\"1700000000000\","
      "\"type\":\"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2\",\"parameters\":{\"payload\":\"";
  size_t hl = strlen(head);
  memcpy(c.body, head, hl);
  memset(c.body + hl, 'a', sizeof c.body - hl - 3);
  memcpy(c.body + sizeof c.body - 3, "\"}}", 3);
  uint8_t sk[32];
  memset(sk, 0x11, sizeof sk);
  if (zk_key_from_private(&c.key, ZK_CURVE_P256, sk, sizeof sk) != ZK_OK ||
      zk_stamp_create(&c.stamp, &c.stamp_len, c.key, ZK_STAMP_P256, c.body, sizeof c.body) !=
          ZK_OK ||
      zk_stamp_parse(&c.parsed, c.stamp, c.stamp_len) != ZK_OK) {
    fprintf(stderr, "stamp setup failed\n");
    exit(1);
  }
  c.sig = zk_stamp_signature(c.parsed, &c.sig_len);
  /* The relying party pins the registered public key (a public-only object). */
  zk_key *priv = c.key;
  if (zk_key_public_copy(&c.key, priv) != ZK_OK) exit(1);
  zk_key_free(priv);
  uint8_t spki[ZK_MAX_PUBKEY_LEN];
  size_t spki_len = sizeof spki;
  if (zk_key_export_public(c.key, ZK_PUB_SPKI_DER, spki, &spki_len) != ZK_OK) exit(1);
  const uint8_t *q = spki;
  c.pkey = d2i_PUBKEY(NULL, &q, (long)spki_len);
  if (c.pkey == NULL || stamp_pinned(&c) || stamp_imported(&c) || stamp_replay(&c) ||
      stamp_raw(&c)) {
    fprintf(stderr, "stamp self-check failed\n");
    exit(1);
  }
  /* The machine may be shared: measure in interleaved rounds and keep each figure's
   * best round, so that load spikes do not land on one side of a ratio only. */
  double raw = 0, pinned = 0, imported = 0, replay = 0;
  for (int round = 0; round < STAMP_ROUNDS; round++) {
    double r = zkb_rate("raw OpenSSL P-256 verify (1 KiB body)", stamp_raw, &c, 0.5);
    double p = zkb_rate("stamp parse+verify, pinned key", stamp_pinned, &c, 0.5);
    double i = zkb_rate("stamp parse+verify, key from the stamp", stamp_imported, &c, 0.5);
    double t = zkb_rate("stamp parse+verify+replay window, pinned", stamp_replay, &c, 0.5);
    raw = r > raw ? r : raw;
    pinned = p > pinned ? p : pinned;
    imported = i > imported ? i : imported;
    replay = t > replay ? t : replay;
  }
  printf("best of %d rounds: raw %.0f/s, pinned %.0f/s, imported %.0f/s, replay %.0f/s\n",
         STAMP_ROUNDS, raw, pinned, imported, replay);
  zkb_report_ratio("stamp verify (pinned key)", pinned, "raw P-256 verify", raw);
  zkb_report_ratio("stamp verify (key imported)", imported, "raw P-256 verify", raw);
  zkb_report_ratio("stamp verify + replay window", replay, "raw P-256 verify", raw);
  EVP_PKEY_free(c.pkey);
  zk_stamp_free(c.parsed);
  zk_free(c.stamp);
  zk_key_free(c.key);
}

static void bench_chain(void) {
  chain_ctx c;
  memset(&c, 0, sizeof c);
  const char *env = getenv("ZK_BENCH_RECORDS");
  c.n = env != NULL ? (size_t)strtoul(env, NULL, 10) : 100000;
  if (c.n < SIG_SAMPLE) c.n = SIG_SAMPLE;
  uint8_t sk[32];
  memset(sk, 0x33, sizeof sk);
  if (zk_key_from_private(&c.notarizer, ZK_CURVE_ED25519, sk, sizeof sk) != ZK_OK) exit(1);
  c.rec = calloc(c.n, sizeof *c.rec);
  c.len = calloc(c.n, sizeof *c.len);
  c.tbs = calloc(SIG_SAMPLE, sizeof *c.tbs);
  c.tbs_len = calloc(SIG_SAMPLE, sizeof *c.tbs_len);
  zk_notarization_info in = {.log_id = "org-1", .time_ms = 1700000000000ull};
  zk_notarization *prev = NULL;
  size_t total = 0;
  for (size_t i = 0; i < c.n; i++) {
    zk_notarization *r = NULL;
    uint8_t st[32];
    memset(st, (int)(i & 0xff), sizeof st);
    zk_status s = i == 0 ? zk_notarization_create(&r, c.notarizer, &in)
                         : zk_notarization_next(&r, c.notarizer, prev, st, in.time_ms + 10 * i);
    if (s != ZK_OK || zk_notarization_serialize(r, &c.rec[i], &c.len[i]) != ZK_OK) exit(1);
    total += c.len[i];
    zk_notarization_free(prev);
    prev = r;
  }
  zk_notarization_free(prev);
  for (size_t i = 0; i < SIG_SAMPLE; i++) {
    zk_cose_sign1 *m = NULL;
    size_t hl, pl;
    if (zk_cose_sign1_parse(&m, c.rec[i], c.len[i], NULL) != ZK_OK) exit(1);
    const uint8_t *h = zk_cose_sign1_protected(m, &hl), *pay = zk_cose_sign1_payload(m, &pl);
    if (zk_cose_sig_structure(&c.tbs[i], &c.tbs_len[i], h, hl, NULL, 0, pay, pl) != ZK_OK) exit(1);
    zk_cose_sign1_free(m);
  }
  uint8_t pub[32];
  size_t pub_len = sizeof pub;
  if (zk_key_export_public(c.notarizer, ZK_PUB_RAW, pub, &pub_len) != ZK_OK) exit(1);
  c.pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, pub_len);
  if (c.pkey == NULL || chain_verify(&c) || one_sig(&c)) {
    fprintf(stderr, "chain self-check failed\n");
    exit(1);
  }
  printf("chain: %zu records, %zu bytes (%.1f bytes/record)\n", c.n, total, (double)total / c.n);
  double chain = zkb_rate("notarization chain verify (all records)", chain_verify, &c, 2.0) * c.n;
  double sha = zkb_rate("raw SHA-256 over the same record bytes", chain_sha256, &c, 1.0) * c.n;
  double sigs = zkb_rate("raw OpenSSL Ed25519 verify (one record)", one_sig, &c, 1.0);
  printf("records/s: chain %.0f, sha256 %.0f, per-record signatures %.0f\n", chain, sha, sigs);
  printf("chain of %zu records: %.3f s; %zu signature checks: %.3f s\n", c.n, c.n / chain, c.n,
         c.n / sigs);
  zkb_report_ratio("chain verify (records/s)", chain, "raw SHA-256 over the bytes", sha);
  zkb_report_ratio("chain verify (records/s)", chain, "one signature check per record", sigs);
  for (size_t i = 0; i < c.n; i++) zk_free(c.rec[i]);
  for (size_t i = 0; i < SIG_SAMPLE; i++) zk_free(c.tbs[i]);
  free(c.rec);
  free(c.len);
  free(c.tbs);
  free(c.tbs_len);
  EVP_PKEY_free(c.pkey);
  zk_key_free(c.notarizer);
}

int main(void) {
  bench_stamps();
  bench_chain();
  return 0;
}
