/* Benchmark helpers: measure throughput, never assert on time. */
#ifndef ZK_BENCH_UTIL_H
#define ZK_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "zerokey/zerokey.h"

typedef int (*zkb_fn)(void *ctx); /* returns 0 on success; non-zero aborts the benchmark */

/*
 * Run fn repeatedly for at least min_seconds (and at least 3 calls); return
 * operations per second. Exits the process with status 1 if fn fails.
 * Set ZK_BENCH_SECONDS to override min_seconds.
 */
double zkb_rate(const char *label, zkb_fn fn, void *ctx, double min_seconds);

/* Print "<label>: <ops>/s  ratio=<ops/ref_ops>" in a fixed format. */
void zkb_report_ratio(const char *label, double ops, const char *ref_label, double ref_ops);

/* Print "bench setup failed: <what>" and exit(1). */
void zkb_die(const char *what);

/* The public half of k as an OpenSSL key (via SPKI DER); exits on failure. */
EVP_PKEY *zkb_evp_public(const zk_key *k);

/*
 * Raw OpenSSL signature verification, the reference of every verify path:
 * EVP_DigestVerifyInit + EVP_DigestVerify with a fresh EVP_MD_CTX (md NULL for
 * Ed25519) of a prebuilt message and signature (DER for ECDSA).
 */
typedef struct zkb_raw_verify {
  EVP_PKEY *pkey;
  const EVP_MD *md;
  const uint8_t *sig;
  size_t sig_len;
  const uint8_t *msg;
  size_t msg_len;
} zkb_raw_verify;
int zkb_raw_verify_op(void *raw_verify);

/*
 * COSE_Sign1 fixture: a message signed by a fresh key of curve over payload_len
 * synthetic bytes; raw verifies the same Sig_structure and signature (as DER)
 * with OpenSSL (SHA-256 for P-256, SHA-384 for P-384).
 */
typedef struct zkb_cose {
  zk_key *key;
  uint8_t *msg;
  size_t msg_len;
  uint8_t *tbs;
  uint8_t der[ZK_MAX_SIG_LEN];
  zkb_raw_verify raw;
} zkb_cose;
void zkb_cose_setup(zkb_cose *c, zk_curve curve, size_t payload_len);
int zkb_cose_verify_op(void *cose); /* zk_cose_sign1_parse + zk_cose_sign1_verify */
void zkb_cose_free(zkb_cose *c);

/*
 * X-Stamp fixture: a P-256 stamp over a 1 KiB JSON activity body (with a
 * timestamp), the registered key as a public-only object, and raw = OpenSSL
 * ECDSA P-256 / SHA-256 verification of the same body and DER signature.
 */
typedef struct zkb_stamp {
  char *stamp;
  size_t stamp_len;
  uint8_t body[1024];
  zk_key *key;
  zk_stamp *parsed;
  zkb_raw_verify raw;
} zkb_stamp;
void zkb_stamp_setup(zkb_stamp *c);
/* zk_stamp_parse + zk_stamp_verify with key (NULL: imported from the stamp) and flags. */
int zkb_stamp_run(const zkb_stamp *c, const zk_key *key, unsigned flags);
void zkb_stamp_free(zkb_stamp *c);

/* Notarization chain fixture: n serialized records by one Ed25519 notarizer. */
typedef struct zkb_chain {
  uint8_t **rec;
  size_t *len;
  size_t n;
  size_t total; /* bytes of all records */
  zk_key *notarizer;
} zkb_chain;
void zkb_chain_build(zkb_chain *c, size_t n);
int zkb_chain_verify_op(void *chain); /* zk_notarization_chain_verify of all n records */
int zkb_chain_sha256_op(void *chain); /* raw SHA-256 over each record's bytes */
void zkb_chain_free(zkb_chain *c);

/*
 * Nitro attestation fixture: the real document ZKB_ATT_DOC verified at its own
 * time; warm is a verifier whose chain cache already holds the document's chain;
 * raw verifies the COSE signature (P-384 / SHA-384 over the Sig_structure, the
 * leaf certificate's key) with OpenSSL.
 */
#define ZKB_ATT_DOC "nitro/evervault_2023-01-18_nondebug_pcrs.cose"
#define ZKB_ATT_AT 1674047239u
typedef struct zkb_att {
  uint8_t *doc;
  size_t len;
  zk_att_verifier *warm;
  zk_att_policy *policy;
  uint8_t *tbs;
  uint8_t der[ZK_MAX_SIG_LEN];
  zkb_raw_verify raw;
} zkb_att;
/* Returns 0, or -1 when the vector is missing (nothing to free). Exits on other failures. */
int zkb_att_setup(zkb_att *a);
int zkb_att_cold_op(void *att); /* fresh verifier (empty chain cache) per document */
int zkb_att_warm_op(void *att); /* the warm verifier: chain cache hit */
void zkb_att_free(zkb_att *a);

/*
 * The raw OpenSSL work of HPKE base mode with DHKEM(P-256, HKDF-SHA256) and
 * AES-256-GCM, through the low-level EC_KEY API that lib/key.c uses: the floor
 * of zk_hpke_seal_once / zk_hpke_open_once. One HKDF-SHA256 derive stands for
 * the key schedule.
 *   seal: ephemeral keygen + encode its point + ECDH + HKDF + AES-GCM encrypt;
 *   open: decode the ephemeral point + ECDH + HKDF + AES-GCM decrypt.
 * Set pt / len before use; seal writes enc, ct and tag, open reads them.
 */
typedef struct zkb_hpke_raw {
  EC_KEY *ec_r; /* recipient key pair */
  EVP_KDF *kdf;
  size_t len;
  uint8_t enc[65], tag[16];
  uint8_t pt[1024], ct[1024], back[1024];
} zkb_hpke_raw;
void zkb_hpke_raw_setup(zkb_hpke_raw *r);
int zkb_hpke_raw_seal_op(void *raw);
int zkb_hpke_raw_open_op(void *raw);
void zkb_hpke_raw_free(zkb_hpke_raw *r);
/* HKDF-SHA256 (no salt, info "turnkey_hpke") of a 32-byte ikm; 0 on success. */
int zkb_hkdf_sha256(EVP_KDF *kdf, uint8_t *out, size_t out_len, const uint8_t ikm[32]);
/* AES-256-GCM with key[0..31] and nonce key[32..43]; enc 1 writes tag, enc 0 checks it. */
int zkb_aes256_gcm(int enc, uint8_t *out, uint8_t tag[16], const uint8_t key[44], const uint8_t *in,
                   size_t len);

#endif
