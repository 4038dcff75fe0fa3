/*
 * eif_pcrs: print the measurements of an Enclave Image File, like
 * `nitro-cli describe-eif`, so a reproducible build can be compared with the
 * PCRs of an attestation document.
 *   usage: eif_pcrs <file.eif>
 * Output (JSON): {"EifVersion":4,"Arch":"x86_64","Sections":5,"Ramdisks":2,
 *   "Measurements":{"HashAlgorithm":"Sha384 { ... }","PCR0":"..","PCR1":"..","PCR2":"..",
 *   "PCR8":".."},"IsSigned":true,"SignatureCheck":true}
 */
#include <stdio.h>

#include "zerokey/zerokey.h"

static void hex(const char *name, const uint8_t *p, size_t n, int comma) {
  printf("\"%s\":\"", name);
  for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
  printf("\"%s", comma ? "," : "");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <file.eif>\n", argv[0]);
    return 2;
  }
  zk_eif_info info;
  zk_status st = zk_eif_measure_file(&info, argv[1]);
  if (st != ZK_OK) {
    fprintf(stderr, "%s: %s (%s)\n", argv[1], zk_status_str(st), zk_status_name(st));
    return 1;
  }
  printf(
      "{\"EifVersion\":%u,\"Arch\":\"%s\",\"Sections\":%u,\"Ramdisks\":%u,"
      "\"Measurements\":{\"HashAlgorithm\":\"Sha384 { ... }\",",
      (unsigned)info.version, (info.flags & ZK_EIF_FLAG_AARCH64) ? "aarch64" : "x86_64",
      (unsigned)info.num_sections, (unsigned)info.num_ramdisks);
  hex("PCR0", info.pcr0, ZK_EIF_PCR_LEN, 1);
  hex("PCR1", info.pcr1, ZK_EIF_PCR_LEN, 1);
  hex("PCR2", info.pcr2, ZK_EIF_PCR_LEN, info.has_pcr8);
  if (info.has_pcr8) hex("PCR8", info.pcr8, ZK_EIF_PCR_LEN, 0);
  printf("},\"IsSigned\":%s", info.has_pcr8 ? "true" : "false");
  if (info.has_pcr8) printf(",\"SignatureCheck\":%s", info.pcr0_signature_ok ? "true" : "false");
  printf("}\n");
  return 0;
}
