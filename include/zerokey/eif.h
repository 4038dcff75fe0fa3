/*
 * libzerokey: Enclave Image File (EIF) parsing and PCR measurement.
 *
 * An EIF (aws-nitro-enclaves-image-format) is what nitro-cli boots; the Nitro
 * hypervisor measures it into PCR0/1/2 (and PCR8 for signed images). Computing
 * the same values from a reproducible build lets a verifier pin the PCRs it
 * expects in an attestation document (see docs/backends.md).
 *
 * Format (all integers big-endian): a 548-byte header (magic ".eif", version,
 * flags, default memory/CPUs, section count, 32 section offsets and sizes,
 * CRC-32 of the whole file except the CRC field), then the sections, each a
 * 12-byte header (type, flags, size) followed by its data.
 *
 * Measurements (SHA-384, extended once from zero): PCRn = SHA-384(0^48 || SHA-384(content))
 *   PCR0: kernel || cmdline || every ramdisk (file order)
 *   PCR1: kernel || cmdline || first ramdisk
 *   PCR2: every ramdisk after the first
 *   PCR8: DER of the signing certificate (signed images only; the signature
 *         over PCR0 is checked and reported in pcr0_signature_ok)
 *
 * The parser is strict and bounded: the section table must describe the
 * sections exactly as laid out, no bytes may follow the last section, the CRC
 * must match, reserved fields must be zero and the section mix must be valid
 * for the version (exactly one kernel, then one cmdline, then >= 1 ramdisk;
 * at most one signature (v3+, <= 32 KiB) and one metadata section (v4, required)).
 */
#ifndef ZEROKEY_EIF_H
#define ZEROKEY_EIF_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZK_EIF_HEADER_LEN 548u
#define ZK_EIF_SECTION_HEADER_LEN 12u
#define ZK_EIF_MAX_SECTIONS 32u
#define ZK_EIF_MAX_SIGNATURE_LEN 32768u
#define ZK_EIF_MAX_METADATA_LEN (1u << 20)
#define ZK_EIF_PCR_LEN 48u
#define ZK_EIF_FLAG_AARCH64 0x1u /* header flags bit 0: 1 = aarch64 image, 0 = x86_64 */

typedef enum zk_eif_section_type {
  ZK_EIF_SECTION_KERNEL = 1,
  ZK_EIF_SECTION_CMDLINE = 2,
  ZK_EIF_SECTION_RAMDISK = 3,
  ZK_EIF_SECTION_SIGNATURE = 4,
  ZK_EIF_SECTION_METADATA = 5
} zk_eif_section_type;

/* What zk_eif_measure reports. */
typedef struct zk_eif_info {
  uint16_t version;     /* 2, 3 or 4 */
  uint16_t flags;       /* ZK_EIF_FLAG_AARCH64 or 0 */
  uint64_t default_mem; /* informational, unused by nitro-cli */
  uint64_t default_cpus;
  uint16_t num_sections;
  uint16_t section_types[ZK_EIF_MAX_SECTIONS];   /* zk_eif_section_type, file order */
  uint64_t section_offsets[ZK_EIF_MAX_SECTIONS]; /* offset of each section header */
  uint64_t section_sizes[ZK_EIF_MAX_SECTIONS];   /* data bytes of each section */
  uint16_t num_ramdisks;
  uint32_t crc32; /* verified */
  uint64_t file_len;
  uint8_t pcr0[ZK_EIF_PCR_LEN];
  uint8_t pcr1[ZK_EIF_PCR_LEN];
  uint8_t pcr2[ZK_EIF_PCR_LEN];
  int has_pcr8; /* 1 for signed images */
  uint8_t pcr8[ZK_EIF_PCR_LEN];
  /* Signed images: 1 if the first signature entry is a COSE_Sign1 (ES256/ES384)
   * that verifies with the signing certificate's key and signs exactly this
   * image's PCR0 (nitro-cli's "SignatureCheck"), else 0. The certificate itself
   * is not validated (no chain, no dates): pin PCR8 to trust a signer. */
  int pcr0_signature_ok;
} zk_eif_info;

/*
 * Parse an EIF held in memory, check it and compute its PCRs.
 * Returns: ZK_OK;
 *   ZK_ERR_TRUNCATED  (file shorter than its header or a section),
 *   ZK_ERR_PARSE      (bad magic),
 *   ZK_ERR_VERSION    (version not 2..4),
 *   ZK_ERR_VALUE      (unknown header/section flags, non-zero reserved fields,
 *                      section count out of 1..32, unused table entries non-zero,
 *                      signature or metadata section over its size limit),
 *   ZK_ERR_EIF_LAYOUT (section offsets/sizes in the table differ from the sections),
 *   ZK_ERR_EIF_SECTIONS (unknown section type; sections missing, duplicated, out of
 *                      order or not allowed in this version),
 *   ZK_ERR_TRAILING   (bytes after the last section),
 *   ZK_ERR_CHECKSUM   (CRC-32 mismatch),
 *   ZK_ERR_JSON       (metadata is not a JSON object),
 *   CBOR statuses / ZK_ERR_TYPE / ZK_ERR_MISSING_FIELD / ZK_ERR_UNKNOWN_FIELD
 *                     (malformed signature section), ZK_ERR_ATT_CERT (signing
 *                     certificate is not a PEM X.509 certificate),
 *   ZK_ERR_ARG, ZK_ERR_NOMEM, ZK_ERR_INTERNAL.
 * Out: *out (zeroed on error). In: eif, eif_len.
 */
ZK_API ZK_WUR zk_status zk_eif_measure(zk_eif_info *out, const uint8_t *eif, size_t eif_len);

/*
 * Same for a file, read in bounded chunks (EIFs are often hundreds of MiB).
 * Returns: as zk_eif_measure, plus ZK_ERR_IO (cannot open / read the file).
 */
ZK_API ZK_WUR zk_status zk_eif_measure_file(zk_eif_info *out, const char *path);

#ifdef __cplusplus
}
#endif
#endif
