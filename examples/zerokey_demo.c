/*
 * libzerokey main demo: one signing request, end to end, on the mock trust backend.
 *
 *   client --stamp--> policy enclave --ruling--> signer enclave --signature result--> client
 *                          ^                          ^
 *                          +---- notarizer enclave ---+   (notarized state, hash-chained)
 *
 * 1. Three enclaves boot on mock NSMs (same image measurement in PCR0-2), each
 *    generates its key and attests to it (public_key field of the document).
 * 2. The client verifies each attestation (pinned mock roots, PCR policy, nonce)
 *    and takes the enclave keys from the verified documents only.
 * 3. The client stamps a request (X-Stamp, P-256 API key, exact body bytes).
 * 4. The notarizer holds the state chain; the policy enclave verifies the stamp
 *    and the current notarization, then signs an ALLOW ruling naming the stamp,
 *    the request and the state.
 * 5. The notarizer advances the chain; the signer checks the ruling and the
 *    chain, signs a secp256k1 transaction digest and emits a signature result.
 * 6. The client verifies stamp -> ruling -> result against the notarized state in
 *    one call, then a tampered request, a forged ruling and a rolled-back state
 *    are each rejected, naming the failing link.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zerokey/zerokey.h>

#define CHECK(expr)                                                             \
  do {                                                                          \
    zk_status st_ = (expr);                                                     \
    if (st_ != ZK_OK) {                                                         \
      fprintf(stderr, "demo: %s failed: %s (%s)\n", #expr, zk_status_name(st_), \
              zk_status_str(st_));                                              \
      exit(1);                                                                  \
    }                                                                           \
  } while (0)

#define LOG_ID "org-demo/state"
#define ACTIVITY "ACTIVITY_TYPE_SIGN_TRANSACTION_V2"

static int unexpected;

static void hexline(const char *label, const uint8_t *p, size_t n) {
  printf("    %-22s ", label);
  for (size_t i = 0; i < n && i < 16; i++) printf("%02x", p[i]);
  printf("%s\n", n > 16 ? "..." : "");
}

static void outcome(const char *what, zk_status got, zk_status want, zk_status detail) {
  int ok = got == want;
  printf("  %-44s -> %s", what, zk_status_name(got));
  if (detail != ZK_OK && detail != got) printf(" (%s)", zk_status_name(detail));
  printf("  %s\n", ok ? "[as expected]" : "[UNEXPECTED]");
  if (!ok) unexpected++;
}

typedef struct enclave {
  const char *role;
  zk_backend *nsm;
  zk_key *key;
  uint8_t *doc;
  size_t doc_len;
} enclave;

/* Boot a mock enclave whose boot PCRs hold the image measurement, generate its
 * key, and attest to the public key (with the client's nonce). */
static void enclave_boot(enclave *e, const char *role, zk_curve curve, const uint8_t *boot_pcrs,
                         uint64_t now_ms, const uint8_t *nonce, size_t nonce_len) {
  zk_backend_options o;
  memset(&o, 0, sizeof o);
  o.mock_time_ms = now_ms;
  o.mock_boot_pcrs = boot_pcrs;
  o.mock_boot_pcrs_len = 16 * 48;
  e->role = role;
  CHECK(zk_backend_open(&e->nsm, "mock", &o));
  CHECK(zk_key_generate(&e->key, curve));
  uint8_t pub[ZK_MAX_PUBKEY_LEN];
  size_t pub_len = sizeof pub;
  CHECK(zk_key_export_public(e->key, ZK_PUB_SPKI_DER, pub, &pub_len));
  CHECK(zk_backend_attest(e->nsm, &e->doc, &e->doc_len, (const uint8_t *)role, strlen(role), nonce,
                          nonce_len, pub, pub_len));
}

static void enclave_free(enclave *e) {
  zk_key_free(e->key);
  zk_free(e->doc);
  zk_backend_free(e->nsm);
}

/* Client side: verify an enclave's attestation and return the key it attests to. */
static zk_key *client_trust_enclave(const zk_att_verifier *v, const enclave *e, const uint8_t *pcr0,
                                    const uint8_t *nonce, size_t nonce_len, uint64_t now_s) {
  zk_att_policy *pol = NULL;
  zk_att_doc *doc = NULL;
  zk_key *key = NULL;
  CHECK(zk_att_policy_new(&pol));
  CHECK(zk_att_policy_add_pcr(pol, 0, pcr0, 48));
  CHECK(zk_att_policy_expect_nonce(pol, nonce, nonce_len));
  CHECK(zk_att_policy_expect_user_data(pol, (const uint8_t *)e->role, strlen(e->role)));
  zk_att_policy_set_max_age(pol, 300);
  zk_status st = zk_att_verify(v, &doc, e->doc, e->doc_len, now_s, pol, NULL);
  outcome(e->role, st, ZK_OK, ZK_OK);
  if (st == ZK_OK) {
    size_t n;
    const uint8_t *spki = zk_att_doc_public_key(doc, &n);
    CHECK(zk_key_from_spki(&key, spki, n));
  }
  zk_att_doc_free(doc);
  zk_att_policy_free(pol);
  if (key == NULL) exit(1);
  return key;
}

static uint8_t *notarize(zk_notarization **rec, const zk_key *k, const zk_notarization *prev,
                         const char *state, uint64_t t, size_t *len) {
  uint8_t sd[ZK_SHA256_LEN];
  CHECK(zk_sha256(sd, (const uint8_t *)state, strlen(state)));
  if (prev == NULL) {
    zk_notarization_info in;
    memset(&in, 0, sizeof in);
    in.log_id = LOG_ID;
    in.sequence = 0;
    memcpy(in.state_digest, sd, sizeof sd);
    in.time_ms = t;
    CHECK(zk_notarization_create(rec, k, &in));
  } else {
    CHECK(zk_notarization_next(rec, k, prev, sd, t));
  }
  uint8_t *b;
  CHECK(zk_notarization_serialize(*rec, &b, len));
  return b;
}

int main(void) {
  const uint64_t t0 = 1767225600000ull; /* 2026-01-01T00:00:00Z: the demo's fixed clock */
  printf("libzerokey %s: end-to-end demo on the mock trust backend\n\n", zk_version());

  /* ---- 1. boot and attest ---- */
  uint8_t boot_pcrs[16 * 48];
  memset(boot_pcrs, 0, sizeof boot_pcrs);
  const char image[] = "zerokey-demo enclave image v1";
  CHECK(zk_sha384(boot_pcrs, (const uint8_t *)image, sizeof image - 1)); /* PCR0 */
  CHECK(zk_sha384(boot_pcrs + 48, (const uint8_t *)"kernel+boot", 11));  /* PCR1 */
  CHECK(zk_sha384(boot_pcrs + 96, (const uint8_t *)"application", 11));  /* PCR2 */
  uint8_t nonce[16];
  CHECK(zk_random(nonce, sizeof nonce));
  enclave policy, notarizer, signer;
  enclave_boot(&policy, "policy", ZK_CURVE_ED25519, boot_pcrs, t0, nonce, sizeof nonce);
  enclave_boot(&notarizer, "notarizer", ZK_CURVE_ED25519, boot_pcrs, t0, nonce, sizeof nonce);
  enclave_boot(&signer, "signer", ZK_CURVE_P256, boot_pcrs, t0, nonce, sizeof nonce);
  printf("1. three enclaves booted on mock NSMs and attested to their keys\n");
  printf("   attestation documents: %zu, %zu, %zu bytes (COSE_Sign1 ES384, Nitro format)\n\n",
         policy.doc_len, notarizer.doc_len, signer.doc_len);

  /* ---- 2. client verifies the attestations ---- */
  printf("2. client verifies each attestation (pinned mock roots, PCR0, nonce, role)\n");
  zk_att_verifier *v = NULL;
  CHECK(zk_att_verifier_new(&v, ZK_ATT_VERIFIER_NO_AWS_ROOT));
  const enclave *all[3] = {&policy, &notarizer, &signer};
  for (int i = 0; i < 3; i++) {
    const uint8_t *root;
    size_t root_len;
    CHECK(zk_backend_mock_root_der(all[i]->nsm, &root, &root_len));
    CHECK(zk_att_verifier_add_root_der(v, root, root_len));
  }
  uint64_t now_s = t0 / 1000 + 1;
  zk_key *policy_pub = client_trust_enclave(v, &policy, boot_pcrs, nonce, sizeof nonce, now_s);
  zk_key *notarizer_pub =
      client_trust_enclave(v, &notarizer, boot_pcrs, nonce, sizeof nonce, now_s);
  zk_key *signer_pub = client_trust_enclave(v, &signer, boot_pcrs, nonce, sizeof nonce, now_s);
  {
    zk_att_verifier *aws = NULL;
    zk_att_doc *doc = NULL;
    CHECK(zk_att_verifier_new(&aws, 0));
    zk_status st = zk_att_verify(aws, &doc, policy.doc, policy.doc_len, now_s, NULL, NULL);
    outcome("policy doc against the AWS root", st, ZK_ERR_ATT_UNTRUSTED_ROOT, ZK_OK);
    zk_att_doc_free(doc);
    zk_att_verifier_free(aws);
  }
  printf("\n");

  /* ---- 3. client stamps a request ---- */
  zk_key *api_key = NULL, *wallet = NULL;
  CHECK(zk_key_generate(&api_key, ZK_CURVE_P256));
  CHECK(zk_key_generate(&wallet, ZK_CURVE_SECP256K1));
  char body[512];
  const char *tx =
      "02f86c0180843b9aca00850ba43b7400825208945aaeb6053f3e94c9b9a09f33669435e7ef1beaed88"
      "0de0b6b3a764000080c0";
  snprintf(body, sizeof body,
           "{\"organizationId\":\"org-demo\",\"parameters\":{\"unsignedTransaction\":\"%s\"},"
           "\"timestampMs\":\"%llu\",\"type\":\"" ACTIVITY "\"}",
           tx, (unsigned long long)(t0 + 1000));
  size_t body_len = strlen(body);
  char *stamp = NULL;
  size_t stamp_len = 0;
  CHECK(
      zk_stamp_create(&stamp, &stamp_len, api_key, ZK_STAMP_P256, (const uint8_t *)body, body_len));
  printf("3. client stamps the request (X-Stamp, P-256 API key over the exact body)\n");
  printf("    X-Stamp: %.60s...\n\n", stamp);

  /* ---- 4. notarized state, policy enclave rules ---- */
  zk_notarization *n0 = NULL, *n1 = NULL, *n2 = NULL;
  size_t n0_len, n1_len, n2_len;
  uint8_t *n0_b = notarize(&n0, notarizer.key, NULL, "state: genesis", t0 - 5000, &n0_len);
  uint8_t *n1_b =
      notarize(&n1, notarizer.key, n0, "state: org-demo policies v7, wallet w1", t0, &n1_len);
  printf("4. notarizer: state chain at sequence 1 (record %zu bytes)\n", n1_len);

  zk_stamp_verify_opts sopts;
  memset(&sopts, 0, sizeof sopts);
  sopts.now_ms = t0 + 1500;
  zk_stamp *st_obj = NULL;
  CHECK(zk_stamp_parse(&st_obj, stamp, stamp_len));
  CHECK(zk_stamp_verify(st_obj, (const uint8_t *)body, body_len, &sopts));
  zk_stamp_free(st_obj);
  CHECK(zk_notarization_verify(n1, notarizer_pub, LOG_ID, t0 + 1500, 60000, 1000));
  zk_ruling_info rin;
  memset(&rin, 0, sizeof rin);
  rin.decision = ZK_RULING_ALLOW;
  rin.organization_id = "org-demo";
  rin.activity_type = ACTIVITY;
  const char *pols[] = {"policy-allow-treasury-signers"};
  rin.policy_ids = pols;
  rin.n_policy_ids = 1;
  rin.issued_at_ms = t0 + 1600;
  rin.expires_at_ms = t0 + 61600;
  CHECK(zk_sha256(rin.stamp_digest, (const uint8_t *)stamp, stamp_len));
  CHECK(zk_sha256(rin.request_digest, (const uint8_t *)body, body_len));
  CHECK(zk_evidence_digest(rin.state_digest, n1_b, n1_len));
  zk_ruling *ruling = NULL;
  uint8_t *ruling_b;
  size_t ruling_len;
  CHECK(zk_ruling_create(&ruling, policy.key, &rin));
  CHECK(zk_ruling_serialize(ruling, &ruling_b, &ruling_len));
  printf("   policy enclave: stamp and notarization verified, ruling ALLOW (%zu bytes)\n",
         ruling_len);

  /* ---- 5. notarizer advances, signer checks and signs ---- */
  uint8_t *n2_b = notarize(&n2, notarizer.key, n1,
                           "state: org-demo policies v7, wallet w1, "
                           "activity 1 approved",
                           t0 + 1700, &n2_len);
  const uint8_t *chain[3] = {n0_b, n1_b, n2_b};
  const size_t lens[3] = {n0_len, n1_len, n2_len};
  zk_chain_opts copts;
  memset(&copts, 0, sizeof copts);
  copts.notarizer = notarizer_pub;
  copts.log_id = LOG_ID;
  copts.now_ms = t0 + 1800;
  copts.max_age_ms = 60000;
  copts.max_skew_ms = 1000;
  zk_chain_result cres;
  CHECK(zk_notarization_chain_verify(&cres, chain, lens, 3, &copts));
  zk_ruling_expect rexp;
  memset(&rexp, 0, sizeof rexp);
  rexp.now_ms = t0 + 1800;
  rexp.stamp_digest = rin.stamp_digest;
  rexp.request_digest = rin.request_digest;
  rexp.state_digest = rin.state_digest; /* a record inside the verified chain */
  rexp.organization_id = "org-demo";
  rexp.activity_type = ACTIVITY;
  CHECK(zk_ruling_verify(ruling, policy_pub, &rexp));
  uint8_t tx_digest[32], sig[ZK_RECOVERABLE_SIG_LEN], wpub[ZK_P256_COMPRESSED_LEN];
  size_t sig_len = sizeof sig, wpub_len = sizeof wpub;
  CHECK(zk_sha256(tx_digest, (const uint8_t *)tx, strlen(tx)));
  CHECK(zk_key_sign_digest(wallet, ZK_SIG_RECOVERABLE, sig, &sig_len, tx_digest, 32));
  CHECK(zk_key_export_public(wallet, ZK_PUB_COMPRESSED, wpub, &wpub_len));
  zk_sig_result_info sin;
  memset(&sin, 0, sizeof sin);
  sin.curve = ZK_CURVE_SECP256K1;
  sin.scheme = ZK_SCHEME_ECDSA_RECOVERABLE;
  sin.public_key = wpub;
  sin.public_key_len = wpub_len;
  memcpy(sin.payload_digest, tx_digest, 32);
  sin.signature = sig;
  sin.signature_len = sig_len;
  CHECK(zk_evidence_digest(sin.ruling_digest, ruling_b, ruling_len));
  sin.time_ms = t0 + 1900;
  zk_sig_result *result = NULL;
  uint8_t *result_b;
  size_t result_len;
  CHECK(zk_sig_result_create(&result, signer.key, &sin, NULL, 0));
  CHECK(zk_sig_result_serialize(result, &result_b, &result_len));
  printf("5. notarizer advanced to sequence 2 (chain of 3 verified with 1 signature check)\n");
  printf("   signer enclave: ruling + chain verified, secp256k1 digest signed,\n");
  printf("   signature result emitted (%zu bytes)\n\n", result_len);

  /* ---- 6. client verifies the whole evidence chain ---- */
  printf("6. client verifies stamp -> ruling -> signature result against the notarized state\n");
  zk_checkpoint seen0;
  memset(&seen0, 0, sizeof seen0);
  seen0.sequence = 0;
  CHECK(zk_evidence_digest(seen0.digest, n0_b, n0_len));
  zk_stamp_verify_opts copt = sopts;
  copt.now_ms = t0 + 2000;
  zk_evidence_trust trust;
  memset(&trust, 0, sizeof trust);
  trust.policy_key = policy_pub;
  trust.notarizer_key = notarizer_pub;
  trust.signer_key = signer_pub;
  trust.stamp_opts = &copt;
  trust.log_id = LOG_ID;
  trust.checkpoint = &seen0;
  trust.now_ms = t0 + 2000;
  trust.notarization_max_age_ms = 60000;
  trust.max_skew_ms = 1000;
  zk_evidence_chain ev;
  memset(&ev, 0, sizeof ev);
  ev.body = (const uint8_t *)body;
  ev.body_len = body_len;
  ev.stamp = stamp;
  ev.stamp_len = stamp_len;
  ev.notarization = n1_b;
  ev.notarization_len = n1_len;
  ev.ruling = ruling_b;
  ev.ruling_len = ruling_len;
  ev.sig_result = result_b;
  ev.sig_result_len = result_len;
  zk_evidence_chain_report rep;
  zk_status st = zk_evidence_chain_verify(&rep, &trust, &ev);
  outcome("honest request", st, ZK_OK, rep.detail);
  if (st == ZK_OK) {
    hexline("stamp digest", rep.stamp_digest, 32);
    hexline("notarization digest", rep.notarization_digest, 32);
    hexline("ruling digest", rep.ruling_digest, 32);
    hexline("result digest", rep.result_digest, 32);
    zk_key *rec = NULL;
    CHECK(zk_key_recover(&rec, sig, sig_len, tx_digest, 32));
    outcome("recovered signer = wallet key",
            zk_key_public_equal(rec, wallet) ? ZK_OK : ZK_ERR_SIGNATURE, ZK_OK, ZK_OK);
    zk_key_free(rec);
  }

  printf("\n   attacks:\n");
  /* tampered request: the relay changes the body after stamping */
  char evil[512];
  memcpy(evil, body, body_len + 1);
  char *amt = strstr(evil, "0de0b6b3a764000");
  if (amt != NULL) amt[0] = '9';
  zk_evidence_chain bad = ev;
  bad.body = (const uint8_t *)evil;
  st = zk_evidence_chain_verify(&rep, &trust, &bad);
  outcome("tampered request body", st, ZK_ERR_CHAIN_STAMP, rep.detail);

  /* forged ruling: same content, signed by a key that is not the attested policy enclave */
  zk_key *rogue = NULL;
  zk_ruling *forged = NULL;
  uint8_t *forged_b;
  size_t forged_len;
  CHECK(zk_key_generate(&rogue, ZK_CURVE_ED25519));
  CHECK(zk_ruling_create(&forged, rogue, &rin));
  CHECK(zk_ruling_serialize(forged, &forged_b, &forged_len));
  bad = ev;
  bad.ruling = forged_b;
  bad.ruling_len = forged_len;
  st = zk_evidence_chain_verify(&rep, &trust, &bad);
  outcome("forged ruling", st, ZK_ERR_CHAIN_RULING, rep.detail);

  /* rolled-back state: the client has since seen sequence 2; evidence that was
   * evaluated on sequence 1 is replayed as if current */
  zk_evidence_trust later = trust;
  later.checkpoint = &cres.head;
  st = zk_evidence_chain_verify(&rep, &later, &ev);
  outcome("replay against rolled-back state", st, ZK_ERR_CHAIN_NOTARIZATION, rep.detail);

  /* a chain that forks: a second record 1 with other state */
  zk_notarization *fork = NULL;
  size_t fork_len;
  uint8_t *fork_b = notarize(&fork, notarizer.key, n0, "state: forged balances", t0, &fork_len);
  const uint8_t *fchain[3] = {n0_b, fork_b, n2_b};
  const size_t flens[3] = {n0_len, fork_len, n2_len};
  zk_chain_result fres;
  st = zk_notarization_chain_verify(&fres, fchain, flens, 3, &copts);
  outcome("chain with a substituted record", st, ZK_ERR_CHAIN_LINK, ZK_OK);

  printf("\n%s\n", unexpected == 0 ? "demo: every check behaved as expected"
                                   : "demo: UNEXPECTED results above");
  zk_free(fork_b);
  zk_notarization_free(fork);
  zk_free(forged_b);
  zk_ruling_free(forged);
  zk_key_free(rogue);
  zk_free(result_b);
  zk_sig_result_free(result);
  zk_free(ruling_b);
  zk_ruling_free(ruling);
  zk_free(n0_b);
  zk_free(n1_b);
  zk_free(n2_b);
  zk_notarization_free(n0);
  zk_notarization_free(n1);
  zk_notarization_free(n2);
  zk_free(stamp);
  zk_key_free(api_key);
  zk_key_free(wallet);
  zk_key_free(policy_pub);
  zk_key_free(notarizer_pub);
  zk_key_free(signer_pub);
  zk_att_verifier_free(v);
  enclave_free(&policy);
  enclave_free(&notarizer);
  enclave_free(&signer);
  return unexpected == 0 ? 0 : 1;
}
