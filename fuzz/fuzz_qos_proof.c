/*
 * libFuzzer harness: QOS app proofs, boot proof JSON and canonical JSON.
 * Input: byte 0 selects the entry point, the rest is the input.
 *   0 zk_qos_app_proof_verify against a boot trusting the key set of seed 0x22 * 32
 *   1 zk_qos_boot_proof_verify_json (AWS root pinned, time 1782779620)
 *   2 zk_qos_canonical_json (the output must be a fixed point)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/qos_proof.h"
#include "zk_qos_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_qos_boot *boot;
static zk_att_verifier *verifier;

static void init(void) {
  if (boot != NULL) return;
  uint8_t seed[32];
  memset(seed, 0x22, sizeof seed);
  zk_qos_keyset *ks = NULL;
  if (zk_qos_keyset_from_seed(&ks, seed, sizeof seed) != ZK_OK) abort();
  if (zki_qos_boot_from_key(&boot, zk_qos_keyset_public(ks), ZK_QOS_PUBLIC_LEN) != ZK_OK) abort();
  zk_qos_keyset_free(ks);
  if (zk_att_verifier_new(&verifier, 0) != ZK_OK) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  init();
  const char *in = (const char *)data + 1;
  size_t n = size - 1;
  switch (data[0] % 3) {
    case 0: {
      char *pl = NULL;
      size_t pn = 0;
      if (zk_qos_app_proof_verify(boot, &pl, &pn, in, n) == ZK_OK) {
        if (pl == NULL) abort();
        zk_free(pl);
      } else if (pl != NULL) {
        abort();
      }
      break;
    }
    case 1: {
      zk_qos_boot *b = NULL;
      if (zk_qos_boot_proof_verify_json(verifier, NULL, &b, in, n, 1782779620u) == ZK_OK) {
        if (b == NULL) abort();
      } else if (b != NULL) {
        abort();
      }
      zk_qos_boot_free(b);
      break;
    }
    default: {
      char *c = NULL, *c2 = NULL;
      size_t cn = 0, cn2 = 0;
      if (zk_qos_canonical_json(&c, &cn, in, n) == ZK_OK) {
        if (zk_qos_canonical_json(&c2, &cn2, c, cn) != ZK_OK) abort();
        if (cn2 != cn || memcmp(c, c2, cn) != 0) abort();
      }
      zk_free(c);
      zk_free(c2);
      break;
    }
  }
  return 0;
}
