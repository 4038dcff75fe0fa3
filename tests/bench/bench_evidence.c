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

static int stamp_pinned(void *p) {
  zkb_stamp *c = p;
  return zkb_stamp_run(c, c->key, ZK_STAMP_NO_TIMESTAMP);
}

static int stamp_imported(void *p) {
  zkb_stamp *c = p;
  return zkb_stamp_run(c, NULL, ZK_STAMP_NO_TIMESTAMP);
}

static int stamp_replay(void *p) {
  zkb_stamp *c = p;
  return zkb_stamp_run(c, c->key, 0);
}

#define SIG_SAMPLE 1000
#define STAMP_ROUNDS 5

typedef struct {
  zkb_chain ch;
  EVP_PKEY *pkey;
  uint8_t **tbs; /* Sig_structure of the first SIG_SAMPLE records */
  size_t *tbs_len;
  size_t next_sig;
} chain_ctx;

/* One raw Ed25519 verification of a record signature (cycling over a sample). */
static int one_sig(void *p) {
  chain_ctx *c = p;
  size_t i = c->next_sig++ % SIG_SAMPLE;
  const uint8_t *sig = c->ch.rec[i] + c->ch.len[i] - 64;
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  int ok = m != NULL && EVP_DigestVerifyInit(m, NULL, NULL, NULL, c->pkey) == 1 &&
           EVP_DigestVerify(m, sig, 64, c->tbs[i], c->tbs_len[i]) == 1;
  EVP_MD_CTX_free(m);
  return !ok;
}

static void bench_stamps(void) {
  zkb_stamp c;
  zkb_stamp_setup(&c);
  if (stamp_pinned(&c) || stamp_imported(&c) || stamp_replay(&c) || zkb_raw_verify_op(&c.raw)) {
    fprintf(stderr, "stamp self-check failed\n");
    exit(1);
  }
  /* The machine may be shared: measure in interleaved rounds and keep each figure's
   * best round, so that load spikes do not land on one side of a ratio only. */
  double raw = 0, pinned = 0, imported = 0, replay = 0;
  for (int round = 0; round < STAMP_ROUNDS; round++) {
    double r = zkb_rate("raw OpenSSL P-256 verify (1 KiB body)", zkb_raw_verify_op, &c.raw, 0.5);
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
  zkb_stamp_free(&c);
}

static void bench_chain(void) {
  chain_ctx c;
  memset(&c, 0, sizeof c);
  const char *env = getenv("ZK_BENCH_RECORDS");
  size_t n = env != NULL ? (size_t)strtoul(env, NULL, 10) : 100000;
  zkb_chain_build(&c.ch, n < SIG_SAMPLE ? SIG_SAMPLE : n);
  c.tbs = calloc(SIG_SAMPLE, sizeof *c.tbs);
  c.tbs_len = calloc(SIG_SAMPLE, sizeof *c.tbs_len);
  if (c.tbs == NULL || c.tbs_len == NULL) exit(1);
  for (size_t i = 0; i < SIG_SAMPLE; i++) {
    zk_cose_sign1 *m = NULL;
    size_t hl, pl;
    if (zk_cose_sign1_parse(&m, c.ch.rec[i], c.ch.len[i], NULL) != ZK_OK) exit(1);
    const uint8_t *h = zk_cose_sign1_protected(m, &hl), *pay = zk_cose_sign1_payload(m, &pl);
    if (zk_cose_sig_structure(&c.tbs[i], &c.tbs_len[i], h, hl, NULL, 0, pay, pl) != ZK_OK) exit(1);
    zk_cose_sign1_free(m);
  }
  uint8_t pub[32];
  size_t pub_len = sizeof pub;
  if (zk_key_export_public(c.ch.notarizer, ZK_PUB_RAW, pub, &pub_len) != ZK_OK) exit(1);
  c.pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, pub_len);
  if (c.pkey == NULL || zkb_chain_verify_op(&c.ch) || one_sig(&c)) {
    fprintf(stderr, "chain self-check failed\n");
    exit(1);
  }
  size_t n_rec = c.ch.n;
  printf("chain: %zu records, %zu bytes (%.1f bytes/record)\n", n_rec, c.ch.total,
         (double)c.ch.total / n_rec);
  double chain =
      zkb_rate("notarization chain verify (all records)", zkb_chain_verify_op, &c.ch, 2.0) * n_rec;
  double sha =
      zkb_rate("raw SHA-256 over the same record bytes", zkb_chain_sha256_op, &c.ch, 1.0) * n_rec;
  double sigs = zkb_rate("raw OpenSSL Ed25519 verify (one record)", one_sig, &c, 1.0);
  printf("records/s: chain %.0f, sha256 %.0f, per-record signatures %.0f\n", chain, sha, sigs);
  printf("chain of %zu records: %.3f s; %zu signature checks: %.3f s\n", n_rec, n_rec / chain,
         n_rec, n_rec / sigs);
  zkb_report_ratio("chain verify (records/s)", chain, "raw SHA-256 over the bytes", sha);
  zkb_report_ratio("chain verify (records/s)", chain, "one signature check per record", sigs);
  for (size_t i = 0; i < SIG_SAMPLE; i++) zk_free(c.tbs[i]);
  free(c.tbs);
  free(c.tbs_len);
  EVP_PKEY_free(c.pkey);
  zkb_chain_free(&c.ch);
}

int main(void) {
  bench_stamps();
  bench_chain();
  return 0;
}
