/*
 * libFuzzer harness: EIF parser and PCR measurement (lib/eif.c).
 * Input: a whole EIF file. Invariants: the output is all-zero on error; on
 * success the section table is consistent with the file length.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/eif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zk_eif_info info;
  zk_status st = zk_eif_measure(&info, data, size);
  if (st != ZK_OK) {
    static const zk_eif_info zero;
    if (memcmp(&info, &zero, sizeof(info)) != 0) abort();
    return 0;
  }
  if (info.file_len != size || info.num_sections == 0 || info.num_ramdisks == 0) abort();
  uint64_t end = ZK_EIF_HEADER_LEN;
  for (unsigned i = 0; i < info.num_sections; i++) {
    if (info.section_offsets[i] != end) abort();
    end += ZK_EIF_SECTION_HEADER_LEN + info.section_sizes[i];
  }
  if (end != size) abort();
  return 0;
}
