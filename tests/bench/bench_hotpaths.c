/*
 * Hot paths of libzerokey in one program: for each, throughput, peak heap and
 * allocation count of one call, and the ratio to the raw primitive it is built
 * on, measured in the same run. docs/performance.md keeps the table and explains
 * the references. One greppable line per hot path:
 *
 *   HOT <name>: <ops> ops/s  peak_heap=<B> B  allocs=<n>  raw=<primitive> <ops> ops/s
 *       ratio=<ops/raw>x  raw_peak_heap=<B> B
 *
 * (on one line). Hot paths and references:
 *   stamp_verify          X-Stamp parse + verify, P-256, 1 KiB body, pinned key
 *                         vs raw OpenSSL ECDSA P-256 / SHA-256 verify of the same body
 *   att_verify_cold       real Nitro document, fresh verifier (empty chain cache)
 *   att_verify_warm       same document, chain cache hit
 *                         both vs raw OpenSSL ECDSA P-384 / SHA-384 verify of its Sig_structure
 *   cose_verify_es256     COSE_Sign1 parse + verify, 256 B payload
 *   cose_verify_es384     COSE_Sign1 parse + verify, 4.5 KiB (Nitro-sized) payload
 *                         vs raw OpenSSL ECDSA verify (same curve) of the same Sig_structure
 *   chain_verify          notarization chain verify, reported per record (N records per call)
 *                         vs raw SHA-256 over the same record bytes, per record
 *   hpke_seal, hpke_open  single-shot, DHKEM(P-256) + AES-256-GCM, 32 B plaintext
 *                         vs the raw OpenSSL work: [keygen +] ECDH + HKDF + AES-GCM
 *   shamir_split_KofN     32-byte secret vs RAND_bytes of the randomness it consumes
 *   shamir_combine_KofN   32-byte secret vs the bare GF(2^8) multiply-accumulate of K shares
 *
 * Peak heap needs the allocation shim (tests/common, target zk_alloc_shim; absent in
 * sanitizer builds): one separate untimed call with tracking on; timed loops run
 * with tracking off. Without the shim the heap columns read n/a.
 * Env: ZK_BENCH_SECONDS (time per measurement, default 1), ZK_BENCH_ROUNDS (interleaved
 * rounds, best kept, default 3), ZK_BENCH_RECORDS (chain length, default 10000),
 * ZK_VECTORS_DIR (the Nitro document; SKIPPED lines when missing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "bench_util.h"
#include "zk_shamir_internal.h"

#ifdef ZK_BENCH_HAVE_SHIM
#  include "zk_alloc_shim.h"
#endif

#define SECONDS 1.0
#define SECRET_LEN 32

/* ---- heap ---- */

typedef struct heap {
  int known; /* 0: no shim; 1: exact; 2: lower bound (the shim's table overflowed) */
  size_t peak;
  unsigned long allocs;
} heap;

/* One untimed call of fn with the allocation shim tracking it. */
static heap heap_of(zkb_fn fn, void *ctx, const char *name) {
  heap h = {0, 0, 0};
#ifdef ZK_BENCH_HAVE_SHIM
  zk_shim_reset();
  zk_shim_track(1);
  int rc = fn(ctx);
  zk_shim_track(0);
  h.known = zk_shim_overflowed() ? 2 : 1;
  h.peak = zk_shim_peak_bytes();
  h.allocs = zk_shim_count();
  if (rc != 0) {
    fprintf(stderr, "%s: operation failed under heap tracking\n", name);
    exit(1);
  }
#else
  (void)fn;
  (void)ctx;
  (void)name;
#endif
  return h;
}

static void heap_str(char *out, size_t cap, const char *key, heap h) {
  if (h.known)
    snprintf(out, cap, "%s%s%zu B", key, h.known == 2 ? ">=" : "=", h.peak);
  else
    snprintf(out, cap, "%s=n/a", key);
}

/* ---- one hot path ---- */

typedef struct hot {
  const char *name;
  zkb_fn op;
  void *ctx;
  const char *raw_name; /* NULL: no raw primitive */
  zkb_fn raw;
  void *raw_ctx;
  double per_call; /* units per call (records per chain verify), 1 otherwise */
} hot;

static int rounds(void) {
  const char *e = getenv("ZK_BENCH_ROUNDS");
  int r = e != NULL ? atoi(e) : 3;
  return r < 1 ? 1 : r;
}

/*
 * Interleaved rounds of raw and op, best rate of each kept (the machine may be
 * shared: a load change then hits both sides of a ratio alike), then one
 * tracked call of each for the heap figures.
 */
static void run_hot(const hot *h) {
  double best = 0, raw_best = 0;
  char label[96];
  for (int r = 1, n = rounds(); r <= n; r++) {
    if (h->raw != NULL) {
      snprintf(label, sizeof label, "  raw %s #%d", h->raw_name, r);
      double x = zkb_rate(label, h->raw, h->raw_ctx, SECONDS);
      if (x > raw_best) raw_best = x;
    }
    snprintf(label, sizeof label, "  %s #%d", h->name, r);
    double x = zkb_rate(label, h->op, h->ctx, SECONDS);
    if (x > best) best = x;
  }
  best *= h->per_call;
  raw_best *= h->per_call;
  heap hp = heap_of(h->op, h->ctx, h->name);
  char peak[48], raw_peak[48], allocs[32], raw_part[160];
  heap_str(peak, sizeof peak, "peak_heap", hp);
  if (hp.known)
    snprintf(allocs, sizeof allocs, "allocs=%lu", hp.allocs);
  else
    snprintf(allocs, sizeof allocs, "allocs=n/a");
  if (h->raw != NULL) {
    heap_str(raw_peak, sizeof raw_peak, "raw_peak_heap", heap_of(h->raw, h->raw_ctx, h->raw_name));
    snprintf(raw_part, sizeof raw_part, "raw=%s %.0f ops/s  ratio=%.2fx  %s", h->raw_name, raw_best,
             best / raw_best, raw_peak);
  } else {
    snprintf(raw_part, sizeof raw_part, "raw=none  ratio=n/a");
  }
  printf("HOT %s: %.0f ops/s  %s  %s  %s\n", h->name, best, peak, allocs, raw_part);
  fflush(stdout);
}

/* fn must fail while the byte *flip is altered and succeed again once it is restored. */
static int rejects_altered(zkb_fn fn, void *ctx, uint8_t *flip) {
  *flip ^= 0x01;
  int rejected = fn(ctx) != 0;
  *flip ^= 0x01;
  return rejected && fn(ctx) == 0;
}

/*
 * Self-checks before measuring: op and raw succeed, and each fails on an altered
 * input (op_flip for op, raw_flip for raw; NULL when the path has nothing to
 * reject), so that no figure can come from a path that accepts anything.
 */
static void self_check(const hot *h, uint8_t *op_flip, uint8_t *raw_flip) {
  if (h->op(h->ctx) != 0 || (h->raw != NULL && h->raw(h->raw_ctx) != 0)) {
    fprintf(stderr, "%s: self-check failed\n", h->name);
    exit(1);
  }
  if ((op_flip != NULL && !rejects_altered(h->op, h->ctx, op_flip)) ||
      (raw_flip != NULL && !rejects_altered(h->raw, h->raw_ctx, raw_flip))) {
    fprintf(stderr, "%s: negative self-check failed (altered input accepted)\n", h->name);
    exit(1);
  }
}

/* ---- stamp ---- */

static int stamp_op(void *p) {
  zkb_stamp *c = p;
  return zkb_stamp_run(c, c->key, ZK_STAMP_NO_TIMESTAMP);
}

static void bench_stamp(void) {
  zkb_stamp c;
  zkb_stamp_setup(&c);
  hot h = {"stamp_verify", stamp_op, &c, "ECDSA P-256 verify", zkb_raw_verify_op, &c.raw, 1};
  self_check(&h, &c.body[200], &c.body[200]);
  run_hot(&h);
  zkb_stamp_free(&c);
}

/* ---- attestation ---- */

static void bench_attestation(void) {
  zkb_att a;
  if (zkb_att_setup(&a) != 0) {
    printf("SKIPPED: att_verify_cold, att_verify_warm (%s not found)\n", ZKB_ATT_DOC);
    return;
  }
  hot cold = {"att_verify_cold", zkb_att_cold_op, &a, "ECDSA P-384 verify",
              zkb_raw_verify_op, &a.raw,          1};
  hot warm = {"att_verify_warm", zkb_att_warm_op, &a, "ECDSA P-384 verify",
              zkb_raw_verify_op, &a.raw,          1};
  /* The document's last byte ends the COSE signature; raw reads a DER copy of it. */
  self_check(&cold, &a.doc[a.len - 1], &a.der[a.raw.sig_len - 1]);
  self_check(&warm, &a.doc[a.len - 1], NULL);
  printf("attestation document: %s, %zu bytes\n", ZKB_ATT_DOC, a.len);
  run_hot(&cold);
  run_hot(&warm);
  zkb_att_free(&a);
}

/* ---- COSE ---- */

static void bench_cose(void) {
  static const struct {
    const char *name, *raw_name;
    zk_curve curve;
    size_t payload;
  } cases[2] = {{"cose_verify_es256", "ECDSA P-256 verify", ZK_CURVE_P256, 256},
                {"cose_verify_es384", "ECDSA P-384 verify", ZK_CURVE_P384, 4608}};
  for (int i = 0; i < 2; i++) {
    zkb_cose c;
    zkb_cose_setup(&c, cases[i].curve, cases[i].payload);
    hot h = {
        cases[i].name, zkb_cose_verify_op, &c, cases[i].raw_name, zkb_raw_verify_op, &c.raw, 1};
    /* A payload byte, in the message and in the Sig_structure (which ends with the payload). */
    self_check(&h, &c.msg[c.msg_len - 120], &c.tbs[c.raw.msg_len - 30]);
    run_hot(&h);
    zkb_cose_free(&c);
  }
}

/* ---- notarization chain ---- */

static void bench_chain(void) {
  const char *e = getenv("ZK_BENCH_RECORDS");
  size_t n = e != NULL ? (size_t)strtoul(e, NULL, 10) : 10000;
  if (n < 2) n = 2;
  zkb_chain c;
  zkb_chain_build(&c, n);
  printf("chain: %zu records, %zu bytes (%.1f bytes/record)\n", c.n, c.total,
         (double)c.total / (double)c.n);
  hot h = {"chain_verify_per_record",
           zkb_chain_verify_op,
           &c,
           "SHA-256 over the record",
           zkb_chain_sha256_op,
           &c,
           (double)n};
  /* A record in the middle: its hash no longer matches the link in its successor. */
  self_check(&h, &c.rec[n / 2][c.len[n / 2] / 2], NULL);
  run_hot(&h);
  zkb_chain_free(&c);
}

/* ---- HPKE ---- */

typedef struct hpke_ctx {
  zk_key *sk_r, *pk_r;
  zk_hpke_params p;
  uint8_t pt[SECRET_LEN], enc[ZK_HPKE_ENC_LEN], ct[SECRET_LEN + ZK_HPKE_TAG_LEN];
  uint8_t back[SECRET_LEN];
  uint8_t seal_ct[SECRET_LEN + ZK_HPKE_TAG_LEN], seal_enc[ZK_HPKE_ENC_LEN];
} hpke_ctx;

static int hpke_seal(void *p) {
  hpke_ctx *h = p;
  size_t ct_len = sizeof h->seal_ct;
  return zk_hpke_seal_once(h->seal_enc, sizeof h->seal_enc, h->seal_ct, &ct_len, &h->p, h->pk_r,
                           NULL, 0, h->pt, sizeof h->pt) != ZK_OK;
}

static int hpke_open(void *p) {
  hpke_ctx *h = p;
  size_t n = sizeof h->back;
  return zk_hpke_open_once(h->back, &n, &h->p, h->sk_r, h->enc, sizeof h->enc, NULL, 0, h->ct,
                           sizeof h->ct) != ZK_OK ||
         n != sizeof h->pt;
}

static void bench_hpke(void) {
  hpke_ctx h;
  memset(&h, 0, sizeof h);
  zkb_hpke_raw r;
  zkb_hpke_raw_setup(&r);
  r.len = SECRET_LEN;
  if (zk_key_generate(&h.sk_r, ZK_CURVE_P256) != ZK_OK ||
      zk_key_public_copy(&h.pk_r, h.sk_r) != ZK_OK)
    zkb_die("hpke keys");
  h.p.mode = ZK_HPKE_MODE_BASE;
  h.p.aead = ZK_HPKE_AEAD_AES_256_GCM;
  h.p.info = (const uint8_t *)"turnkey_hpke";
  h.p.info_len = 12;
  memset(h.pt, 0x61, sizeof h.pt);
  size_t ct_len = sizeof h.ct;
  if (zk_hpke_seal_once(h.enc, sizeof h.enc, h.ct, &ct_len, &h.p, h.pk_r, NULL, 0, h.pt,
                        sizeof h.pt) != ZK_OK ||
      ct_len != sizeof h.ct || zkb_hpke_raw_seal_op(&r) != 0)
    zkb_die("hpke seal");
  hot seal = {"hpke_seal", hpke_seal, &h, "keygen+ECDH+HKDF+AES-GCM", zkb_hpke_raw_seal_op, &r, 1};
  hot open = {"hpke_open", hpke_open, &h, "ECDH+HKDF+AES-GCM", zkb_hpke_raw_open_op, &r, 1};
  self_check(&seal, NULL, NULL);
  /* Open reads the fixtures of the last seals: an altered ciphertext byte fails the tag. */
  self_check(&open, &h.ct[3], &r.ct[3]);
  if (memcmp(h.back, h.pt, sizeof h.pt) != 0 || memcmp(r.back, r.pt, SECRET_LEN) != 0)
    zkb_die("hpke: open returned other bytes");
  run_hot(&seal);
  run_hot(&open);
  zk_key_free(h.sk_r);
  zk_key_free(h.pk_r);
  zkb_hpke_raw_free(&r);
}

/* ---- Shamir ---- */

typedef struct shamir_ctx {
  size_t n, k;
  uint8_t secret[SECRET_LEN], out[SECRET_LEN];
  uint8_t shares[5 * ZK_SHAMIR_SHARE_LEN(SECRET_LEN)];
  uint8_t split_shares[5 * ZK_SHAMIR_SHARE_LEN(SECRET_LEN)];
  const uint8_t *pick[5];
  uint8_t rnd[4 * SECRET_LEN];
  uint8_t basis[5];
} shamir_ctx;

static int shamir_split(void *p) {
  shamir_ctx *s = p;
  return zk_shamir_split(s->split_shares, s->n * ZK_SHAMIR_SHARE_LEN(SECRET_LEN), s->n, s->k,
                         s->secret, SECRET_LEN) != ZK_OK;
}

static int shamir_combine(void *p) {
  shamir_ctx *s = p;
  size_t w;
  return zk_shamir_combine(s->out, sizeof s->out, &w, s->pick, ZK_SHAMIR_SHARE_LEN(SECRET_LEN),
                           s->k) != ZK_OK ||
         w != SECRET_LEN;
}

/* Split reference: the randomness a split consumes, (k - 1) coefficients per secret byte. */
static int raw_split(void *p) {
  shamir_ctx *s = p;
  return RAND_bytes(s->rnd, (int)((s->k - 1) * SECRET_LEN)) != 1;
}

/* Combine reference: k constant-time GF(2^8) multiply-accumulates per secret byte with
 * precomputed Lagrange coefficients (no validation, no basis, no allocation). */
static int raw_combine(void *p) {
  shamir_ctx *s = p;
  for (size_t j = 0; j < SECRET_LEN; j++) {
    uint8_t acc = 0;
    for (size_t i = 0; i < s->k; i++) acc ^= zki_gf256_mul(s->pick[i][1 + j], s->basis[i]);
    s->out[j] = acc;
  }
  return 0;
}

static void bench_shamir(void) {
  static const size_t kn[2][2] = {{2, 3}, {3, 5}};
  for (int c = 0; c < 2; c++) {
    shamir_ctx s;
    memset(&s, 0, sizeof s);
    s.k = kn[c][0];
    s.n = kn[c][1];
    for (size_t i = 0; i < SECRET_LEN; i++) s.secret[i] = (uint8_t)(0xa5 ^ (i * 7));
    if (zk_shamir_split(s.shares, sizeof s.shares, s.n, s.k, s.secret, SECRET_LEN) != ZK_OK)
      zkb_die("shamir split");
    /* Combine the last k shares: x = n-k+1 .. n. Lagrange basis at 0: prod x_m / (x_m ^ x_i). */
    for (size_t i = 0; i < s.k; i++) s.pick[i] = s.shares + (s.n - s.k + i) * (SECRET_LEN + 1);
    for (size_t i = 0; i < s.k; i++) {
      uint8_t num = 1, den = 1;
      for (size_t m = 0; m < s.k; m++) {
        if (m == i) continue;
        num = zki_gf256_mul(num, s.pick[m][0]);
        den = zki_gf256_mul(den, (uint8_t)(s.pick[m][0] ^ s.pick[i][0]));
      }
      s.basis[i] = zki_gf256_mul(num, zki_gf256_inv(den));
    }
    if (raw_combine(&s) != 0 || memcmp(s.out, s.secret, SECRET_LEN) != 0)
      zkb_die("shamir raw combine does not reconstruct the secret");
    memset(s.out, 0, sizeof s.out);
    char split_name[32], combine_name[32];
    snprintf(split_name, sizeof split_name, "shamir_split_%zuof%zu", s.k, s.n);
    snprintf(combine_name, sizeof combine_name, "shamir_combine_%zuof%zu", s.k, s.n);
    hot split = {split_name, shamir_split, &s, "RAND_bytes of the coefficients", raw_split, &s, 1};
    hot comb = {
        combine_name, shamir_combine, &s, "GF(2^8) multiply-accumulate", raw_combine, &s, 1};
    self_check(&split, NULL, NULL);
    self_check(&comb, NULL, NULL);
    if (memcmp(s.out, s.secret, SECRET_LEN) != 0) zkb_die("shamir combine: wrong secret");
    /* k - 1 shares must not give the secret back (a combine that ignored shares would). */
    size_t w;
    if (zk_shamir_combine(s.out, sizeof s.out, &w, s.pick, SECRET_LEN + 1, s.k - 1) != ZK_OK ||
        memcmp(s.out, s.secret, SECRET_LEN) == 0)
      zkb_die("shamir combine: k - 1 shares gave the secret");
    run_hot(&split);
    run_hot(&comb);
    zk_wipe(&s, sizeof s);
  }
}

int main(void) {
  printf("libzerokey %s hot paths (%s)\n", zk_version(), OpenSSL_version(OPENSSL_VERSION));
#ifndef ZK_BENCH_HAVE_SHIM
  printf("allocation shim not built in: peak_heap and allocs read n/a\n");
#endif
  bench_stamp();
  bench_attestation();
  bench_cose();
  bench_chain();
  bench_hpke();
  bench_shamir();
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0) printf("RSS peak_rss=%ld KiB\n", ru.ru_maxrss);
  return 0;
}
