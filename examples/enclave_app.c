/*
 * Enclave application example on a trust backend.
 *
 * The enclave side: open the backend ("nitro" when /dev/nsm exists, else the
 * software "mock"), measure the application's configuration into PCR16 and lock
 * it, generate an ephemeral P-256 key and attest to it. The client side: verify
 * the document (pinned root, PCR16 = expected configuration, nonce), take the
 * key from the verified document only, and HPKE-seal a secret to it. The enclave
 * opens the secret and answers with a COSE_Sign1 receipt the client verifies.
 *
 * Usage: enclave_app [mock|nitro]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zerokey/zerokey.h>

#define CHECK(expr)                                                             \
  do {                                                                          \
    zk_status st_ = (expr);                                                     \
    if (st_ != ZK_OK) {                                                         \
      fprintf(stderr, "enclave_app: %s: %s (%s)\n", #expr, zk_status_name(st_), \
              zk_status_str(st_));                                              \
      exit(1);                                                                  \
    }                                                                           \
  } while (0)

static const char app_config[] = "{\"app\":\"payments-signer\",\"version\":\"1.4.2\"}";
static const char info[] = "enclave_app/v1";

int main(int argc, char **argv) {
  const char *backend =
      argc > 1 ? argv[1] : (access("/dev/nsm", R_OK | W_OK) == 0 ? "nitro" : "mock");
  if (strcmp(backend, "mock") != 0 && strcmp(backend, "nitro") != 0) {
    fprintf(stderr, "usage: enclave_app [mock|nitro]\n");
    return 2;
  }
  printf("enclave_app on the '%s' trust backend\n", backend);

  /* ---------------- enclave ---------------- */
  zk_backend *nsm = NULL;
  CHECK(zk_backend_open(&nsm, backend, NULL));
  zk_nsm_description d;
  CHECK(zk_backend_describe(nsm, &d));
  printf("  module %s, %u PCRs, %zu locked at boot\n", d.module_id, d.max_pcrs, d.n_locked_pcrs);

  uint8_t cfg_digest[ZK_SHA384_LEN], pcr16[ZK_NSM_PCR_MAX_LEN];
  size_t pcr16_len = sizeof pcr16;
  CHECK(zk_sha384(cfg_digest, (const uint8_t *)app_config, sizeof app_config - 1));
  CHECK(zk_backend_extend_pcr(nsm, pcr16, &pcr16_len, 16, cfg_digest, sizeof cfg_digest));
  CHECK(zk_backend_lock_pcr(nsm, 16));
  uint8_t again[ZK_NSM_PCR_MAX_LEN];
  size_t again_len = sizeof again;
  zk_status st = zk_backend_extend_pcr(nsm, again, &again_len, 16, cfg_digest, sizeof cfg_digest);
  printf("  PCR16 extended with SHA-384(config) and locked; extending again -> %s\n",
         zk_status_name(st));
  if (st != ZK_ERR_NSM_READ_ONLY_INDEX) return 1;

  zk_key *eph = NULL;
  CHECK(zk_key_generate(&eph, ZK_CURVE_P256));
  uint8_t eph_pub[ZK_P256_UNCOMPRESSED_LEN];
  size_t eph_pub_len = sizeof eph_pub;
  CHECK(zk_key_export_public(eph, ZK_PUB_UNCOMPRESSED, eph_pub, &eph_pub_len));
  uint8_t nonce[32];
  CHECK(zk_random(nonce, sizeof nonce)); /* in a real deployment the client sends it */
  uint8_t *doc = NULL;
  size_t doc_len = 0;
  CHECK(zk_backend_attest(nsm, &doc, &doc_len, NULL, 0, nonce, sizeof nonce, eph_pub, eph_pub_len));
  printf("  attested to an ephemeral P-256 key (%zu-byte document)\n", doc_len);

  /* ---------------- client ---------------- */
  zk_att_verifier *v = NULL;
  if (strcmp(backend, "mock") == 0) {
    const uint8_t *root;
    size_t root_len;
    CHECK(zk_att_verifier_new(&v, ZK_ATT_VERIFIER_NO_AWS_ROOT));
    CHECK(zk_backend_mock_root_der(nsm, &root, &root_len));
    CHECK(zk_att_verifier_add_root_der(v, root, root_len));
  } else {
    CHECK(zk_att_verifier_new(&v, 0));
  }
  uint64_t now_ms;
  CHECK(zk_backend_time_ms(nsm, &now_ms));
  zk_att_policy *pol = NULL;
  CHECK(zk_att_policy_new(&pol));
  CHECK(zk_att_policy_add_pcr(pol, 16, pcr16, pcr16_len));
  CHECK(zk_att_policy_expect_nonce(pol, nonce, sizeof nonce));
  zk_att_policy_allow_debug(pol, strcmp(backend, "mock") == 0); /* mock boot PCRs are zero */
  zk_att_doc *ad = NULL;
  CHECK(zk_att_verify(v, &ad, doc, doc_len, now_ms / 1000, pol, NULL));
  size_t pk_len;
  const uint8_t *pk = zk_att_doc_public_key(ad, &pk_len);
  zk_key *enclave_pub = NULL;
  CHECK(zk_key_from_public(&enclave_pub, ZK_CURVE_P256, pk, pk_len));
  printf("  client: attestation verified (PCR16 = expected config); key taken from the document\n");

  const char secret[] = "api-secret-for-upstream-exchange";
  zk_hpke_params hp;
  memset(&hp, 0, sizeof hp);
  hp.mode = ZK_HPKE_MODE_BASE;
  hp.aead = ZK_HPKE_AEAD_AES_256_GCM;
  hp.info = (const uint8_t *)info;
  hp.info_len = sizeof info - 1;
  uint8_t enc[ZK_HPKE_ENC_LEN], ct[sizeof secret - 1 + ZK_HPKE_TAG_LEN];
  size_t ct_len = sizeof ct;
  CHECK(zk_hpke_seal_once(enc, sizeof enc, ct, &ct_len, &hp, enclave_pub, NULL, 0,
                          (const uint8_t *)secret, sizeof secret - 1));
  printf("  client: secret sealed to the enclave key (HPKE, %zu-byte ciphertext)\n", ct_len);

  /* ---------------- enclave ---------------- */
  uint8_t pt[sizeof secret];
  size_t pt_len = sizeof pt;
  CHECK(zk_hpke_open_once(pt, &pt_len, &hp, eph, enc, sizeof enc, NULL, 0, ct, ct_len));
  uint8_t digest[ZK_SHA256_LEN];
  CHECK(zk_sha256(digest, pt, pt_len));
  zk_wipe(pt, sizeof pt);
  char receipt[160];
  int rl = snprintf(receipt, sizeof receipt, "{\"type\":\"secret_received\",\"sha256\":\"");
  for (int i = 0; i < 32; i++)
    rl += snprintf(receipt + rl, sizeof receipt - (size_t)rl, "%02x", digest[i]);
  rl += snprintf(receipt + rl, sizeof receipt - (size_t)rl, "\"}");
  uint8_t *cose = NULL;
  size_t cose_len = 0;
  CHECK(zk_cose_sign1_create(&cose, &cose_len, eph, NULL, 0, (const uint8_t *)receipt, (size_t)rl,
                             NULL, 0, ZK_COSE_TAGGED));
  printf("  enclave: secret opened inside; signed receipt returned (%zu bytes)\n", cose_len);

  /* ---------------- client ---------------- */
  zk_cose_sign1 *msg = NULL;
  CHECK(zk_cose_sign1_parse(&msg, cose, cose_len, NULL));
  CHECK(zk_cose_sign1_verify(msg, enclave_pub, NULL, 0));
  size_t plen;
  const uint8_t *payload = zk_cose_sign1_payload(msg, &plen);
  printf("  client: receipt verified with the attested key: %.*s\n", (int)plen, payload);

  ct[0] ^= 1;
  pt_len = sizeof pt;
  st = zk_hpke_open_once(pt, &pt_len, &hp, eph, enc, sizeof enc, NULL, 0, ct, ct_len);
  printf("  a relay flips one ciphertext bit -> %s\n", zk_status_name(st));
  int ok = st == ZK_ERR_HPKE_OPEN;

  zk_cose_sign1_free(msg);
  zk_free(cose);
  zk_key_free(enclave_pub);
  zk_att_doc_free(ad);
  zk_att_policy_free(pol);
  zk_att_verifier_free(v);
  zk_free(doc);
  zk_key_free(eph);
  zk_backend_free(nsm);
  printf("%s\n", ok ? "enclave_app: done" : "enclave_app: UNEXPECTED");
  return ok ? 0 : 1;
}
