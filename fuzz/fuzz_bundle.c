/*
 * libFuzzer harness: secure-channel bundle parsing and opening with fixed keys.
 * Input: byte 0 selects the entry point, the rest is the bundle string.
 *   0 export bundle v1   1 credential (base58check)   2 encrypted bundle
 *   3 import target v1 (verify + seal)   4 OAuth secret (hex QOS envelope)
 * Keys: target = DeriveKeyPair(0x11 * 32), enclave signer = DeriveKeyPair(0x22 * 32);
 * QOS key set from seed 0x66 * 32; organizationId "org-fuzz", userId "user-fuzz".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/bundle.h"
#include "zerokey/hpke.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_key *target_key, *signer_pub;
static zk_qos_keyset *fetcher;

static void init_keys(void) {
  if (target_key != NULL) return;
  uint8_t ikm[32];
  zk_key *signer = NULL;
  memset(ikm, 0x11, sizeof ikm);
  if (zk_hpke_derive_keypair(&target_key, ikm, sizeof ikm) != ZK_OK) abort();
  memset(ikm, 0x22, sizeof ikm);
  if (zk_hpke_derive_keypair(&signer, ikm, sizeof ikm) != ZK_OK) abort();
  if (zk_key_public_copy(&signer_pub, signer) != ZK_OK) abort();
  zk_key_free(signer);
  memset(ikm, 0x66, sizeof ikm);
  if (zk_qos_keyset_from_seed(&fetcher, ikm, sizeof ikm) != ZK_OK) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  init_keys();
  const char *b = (const char *)data + 1;
  size_t n = size - 1;
  uint8_t *pt = NULL;
  size_t pt_len = 0;
  char *out = NULL;
  size_t out_len = 0;
  zk_status st;
  switch (data[0] % 5) {
    case 0:
      st = zk_bundle_export_open(&pt, &pt_len, b, n, signer_pub, "org-fuzz", target_key);
      break;
    case 1:
      st = zk_bundle_credential_open(&pt, &pt_len, b, n, target_key);
      break;
    case 2:
      st = zk_bundle_encrypted_open(&pt, &pt_len, b, n, target_key);
      break;
    case 4:
      st = zk_bundle_oauth_secret_open(&pt, &pt_len, fetcher, b, n);
      break;
    default:
      st = zk_bundle_import_seal(&out, &out_len, b, n, signer_pub, "org-fuzz", "user-fuzz",
                                 (const uint8_t *)"secret", 6);
      break;
  }
  /* fail-closed outputs */
  if (st != ZK_OK && (pt != NULL || pt_len != 0 || out != NULL || out_len != 0)) abort();
  zk_free_secret(pt, pt_len);
  zk_free(out);
  return 0;
}
