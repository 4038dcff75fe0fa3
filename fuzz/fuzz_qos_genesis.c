/*
 * libFuzzer harness: QOS GenesisOutput parsing.
 * The whole input is a borsh GenesisOutput. A parsed output must re-serialize
 * to the input bytes; share opening and the quorum checks run with the key set
 * of seed 0x11 * 32 (they fail unless the input was made for that key).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/qos_provision.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_qos_keyset *ks;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (ks == NULL) {
    uint8_t seed[32];
    memset(seed, 0x11, sizeof seed);
    if (zk_qos_keyset_from_seed(&ks, seed, sizeof seed) != ZK_OK) abort();
  }
  zk_qos_genesis *g = NULL;
  if (zk_qos_genesis_parse(&g, data, size) != ZK_OK) {
    if (g != NULL) abort();
    return 0;
  }
  uint8_t *b = NULL;
  size_t n = 0;
  if (zk_qos_genesis_serialize(g, &b, &n) != ZK_OK) abort();
  if (n != size || memcmp(b, data, size) != 0) abort();
  zk_free(b);
  uint8_t *share = NULL;
  size_t share_len = 0;
  if (zk_qos_genesis_open_share(g, ks, &share, &share_len) == ZK_OK)
    zk_free_secret(share, share_len);
  (void)zk_qos_genesis_check_quorum(g, ks);
  (void)zk_qos_genesis_check_dr(g, ks);
  zk_qos_genesis_free(g);
  return 0;
}
