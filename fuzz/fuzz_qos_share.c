/*
 * libFuzzer harness: QOS share envelope, Shamir combination and key parsing.
 * Input: byte 0 selects the entry point, the rest is the input.
 *   0 zk_qos_envelope_open with the key set of seed 0x11 * 32
 *   1 zk_shamir_combine_var: byte 1 = share count c (1..8), the rest is cut
 *     into c shares of equal length (last one takes the remainder)
 *   2 zk_qos_keyset_from_hex (secret file format)
 *   3 zk_qos_pubkey_parse + zk_qos_pubkey_verify over a fixed message
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/qos.h"
#include "zerokey/shamir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zk_qos_keyset *ks;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  if (ks == NULL) {
    uint8_t seed[32];
    memset(seed, 0x11, sizeof seed);
    if (zk_qos_keyset_from_seed(&ks, seed, sizeof seed) != ZK_OK) abort();
  }
  const uint8_t *in = data + 1;
  size_t n = size - 1;
  switch (data[0] & 3) {
    case 0: {
      uint8_t *pt = NULL;
      size_t ptn = 0;
      if (zk_qos_envelope_open(ks, &pt, &ptn, in, n) == ZK_OK) {
        if (pt == NULL || ptn + ZK_QOS_ENVELOPE_OVERHEAD != n) abort();
        zk_free_secret(pt, ptn);
      } else if (pt != NULL || ptn != 0) {
        abort();
      }
      break;
    }
    case 1: {
      if (n < 1) return 0;
      size_t c = (size_t)(in[0] % 8) + 1;
      in++;
      n--;
      const uint8_t *sh[8];
      size_t lens[8];
      size_t each = n / c;
      for (size_t i = 0; i < c; i++) {
        sh[i] = in + i * each;
        lens[i] = i + 1 == c ? n - i * each : each;
      }
      uint8_t out[ZK_SHAMIR_MAX_SECRET_LEN];
      size_t outn = 0;
      zk_status st = zk_shamir_combine_var(out, sizeof out, &outn, sh, lens, c);
      if (st == ZK_OK && outn + 1 != lens[0]) abort();
      if (st != ZK_OK && outn != 0) abort();
      break;
    }
    case 2: {
      zk_qos_keyset *k = NULL;
      if (zk_qos_keyset_from_hex(&k, (const char *)in, n) == ZK_OK) {
        if (zk_qos_keyset_public(k) == NULL) abort();
      } else if (k != NULL) {
        abort();
      }
      zk_qos_keyset_free(k);
      break;
    }
    default: {
      zk_qos_pubkey *pk = NULL;
      size_t pn = n < ZK_QOS_PUBLIC_LEN ? n : ZK_QOS_PUBLIC_LEN;
      if (zk_qos_pubkey_parse(&pk, in, pn) == ZK_OK) {
        (void)zk_qos_pubkey_verify(pk, in + pn, n - pn, (const uint8_t *)"fuzz", 4);
        zk_qos_pubkey_free(pk);
      } else if (pk != NULL) {
        abort();
      }
      break;
    }
  }
  return 0;
}
