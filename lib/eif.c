/*
 * EIF parsing and PCR0/1/2/8 measurement (aws-nitro-enclaves-image-format).
 * Sections are streamed in bounded chunks into the CRC and the three
 * measurement hashes; only the signature and metadata sections are buffered.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zerokey/cose.h"
#include "zerokey/eif.h"
#include "zerokey/key.h"
#include "zk_cbor.h"
#include "zk_internal.h"
#include "zk_json.h"

#define EIF_CHUNK 65536u
#define EIF_CRC_OFFSET (ZK_EIF_HEADER_LEN - 4u)

/* ---- byte source: memory or file ---- */

typedef struct eif_src {
  const uint8_t *mem;
  int fd;
  uint64_t len;
} eif_src;

static zk_status src_read(const eif_src *s, uint64_t off, uint8_t *buf, size_t n) {
  if (off > s->len || n > s->len - off) return ZK_ERR_TRUNCATED;
  if (s->mem != NULL) {
    memcpy(buf, s->mem + off, n);
    return ZK_OK;
  }
  while (n > 0) {
    ssize_t r = pread(s->fd, buf, n, (off_t)off);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return r == 0 ? ZK_ERR_TRUNCATED : ZK_ERR_IO;
    buf += r;
    off += (uint64_t)r;
    n -= (size_t)r;
  }
  return ZK_OK;
}

/* ---- CRC-32/IEEE (reflected, poly 0xEDB88320; the crc crate's CRC_32_ISO_HDLC) ----
 * Slicing-by-8: tab[0] is the classic byte table, tab[k][i] advances tab[k-1][i]
 * by one more zero byte, so eight input bytes fold in with eight lookups. */

static uint32_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_build(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_tab[0][i] = c;
  }
  for (int k = 1; k < 8; k++)
    for (int i = 0; i < 256; i++)
      crc_tab[k][i] = (crc_tab[k - 1][i] >> 8) ^ crc_tab[0][crc_tab[k - 1][i] & 0xFFu];
}

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  for (; n >= 8; p += 8, n -= 8) {
    uint32_t lo = crc ^ le32(p), hi = le32(p + 4);
    crc = crc_tab[7][lo & 0xFFu] ^ crc_tab[6][(lo >> 8) & 0xFFu] ^ crc_tab[5][(lo >> 16) & 0xFFu] ^
          crc_tab[4][lo >> 24] ^ crc_tab[3][hi & 0xFFu] ^ crc_tab[2][(hi >> 8) & 0xFFu] ^
          crc_tab[1][(hi >> 16) & 0xFFu] ^ crc_tab[0][hi >> 24];
  }
  for (; n > 0; p++, n--) crc = crc_tab[0][(crc ^ *p) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

static uint16_t be16(const uint8_t *p) {
  return (uint16_t)((p[0] << 8) | p[1]);
}
static uint32_t be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static uint64_t be64(const uint8_t *p) {
  return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/* ---- measurement state ---- */

typedef struct eif_state {
  EVP_MD_CTX *h0, *h1, *h2;
  uint32_t crc;
  uint8_t *sig; /* signature section */
  size_t sig_len;
  int have_kernel, have_cmdline, have_sig, have_meta;
} eif_state;

static int digest_update(EVP_MD_CTX *md, const uint8_t *p, size_t n) {
  return n == 0 || EVP_DigestUpdate(md, p, n) == 1;
}

/* PCR = SHA-384(0^48 || SHA-384(content)); md holds SHA-384(content) in progress. */
static zk_status pcr_final(uint8_t out[ZK_EIF_PCR_LEN], EVP_MD_CTX *md) {
  uint8_t buf[2 * ZK_EIF_PCR_LEN] = {0};
  unsigned n = 0;
  if (EVP_DigestFinal_ex(md, buf + ZK_EIF_PCR_LEN, &n) != 1 || n != ZK_EIF_PCR_LEN)
    return ZK_ERR_INTERNAL;
  if (EVP_Digest(buf, sizeof(buf), out, &n, EVP_sha384(), NULL) != 1 || n != ZK_EIF_PCR_LEN)
    return ZK_ERR_INTERNAL;
  return ZK_OK;
}

/* Array of uint8 (serde_cbor Vec<u8>) -> malloc'd bytes. */
static zk_status u8_array(uint8_t **out, size_t *out_len, const cbor_item_t *it) {
  if (!cbor_isa_array(it)) return ZK_ERR_TYPE;
  size_t n = cbor_array_size(it);
  cbor_item_t **items = cbor_array_handle(it);
  uint8_t *b = malloc(n ? n : 1);
  if (b == NULL) return ZK_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    uint64_t v;
    if (!cbor_isa_uint(items[i]) || zki_cbor_get_uint(items[i], &v) != ZK_OK) {
      free(b);
      return ZK_ERR_TYPE;
    }
    if (v > 0xFF) {
      free(b);
      return ZK_ERR_VALUE;
    }
    b[i] = (uint8_t)v;
  }
  *out = b;
  *out_len = n;
  return ZK_OK;
}

/* serde_cbor bytes of PcrInfo {register_index: 0, register_value: pcr0}: what nitro-cli signs. */
static size_t pcr0_payload(uint8_t *out, const uint8_t pcr0[ZK_EIF_PCR_LEN]) {
  static const uint8_t head[] = {0xA2, 0x6E, 'r', 'e', 'g', 'i',  's',           't',  'e',
                                 'r',  '_',  'i', 'n', 'd', 'e',  'x',           0x00, 0x6E,
                                 'r',  'e',  'g', 'i', 's', 't',  'e',           'r',  '_',
                                 'v',  'a',  'l', 'u', 'e', 0x98, ZK_EIF_PCR_LEN};
  size_t n = sizeof(head);
  memcpy(out, head, n);
  for (size_t i = 0; i < ZK_EIF_PCR_LEN; i++) {
    if (pcr0[i] >= 24) out[n++] = 0x18;
    out[n++] = pcr0[i];
  }
  return n;
}

/*
 * 1 if cose is a COSE_Sign1 that verifies with cert's key (ES256 / ES384) and
 * whose payload is exactly the PcrInfo of this image's PCR0; 0 otherwise.
 */
static int pcr0_signature_ok(X509 *cert, const uint8_t *cose, size_t cose_len,
                             const uint8_t pcr0[ZK_EIF_PCR_LEN]) {
  zk_cose_sign1 *msg = NULL;
  zk_key *key = NULL;
  unsigned char *spki = NULL;
  uint8_t want[34 + 2 * ZK_EIF_PCR_LEN];
  size_t want_len = pcr0_payload(want, pcr0);
  int ok = 0;
  int n = i2d_PUBKEY(X509_get0_pubkey(cert), &spki);
  if (n > 0 && zk_key_from_spki(&key, spki, (size_t)n) == ZK_OK &&
      zk_cose_sign1_parse(&msg, cose, cose_len, NULL) == ZK_OK &&
      zk_cose_sign1_verify(msg, key, NULL, 0) == ZK_OK) {
    size_t plen = 0;
    const uint8_t *pl = zk_cose_sign1_payload(msg, &plen);
    ok = pl != NULL && plen == want_len && memcmp(pl, want, plen) == 0;
  }
  zk_cose_sign1_free(msg);
  zk_key_free(key);
  OPENSSL_free(spki);
  return ok;
}

/*
 * Signature section: CBOR array of {"signing_certificate": [u8...] (PEM),
 * "signature": [u8...] (COSE_Sign1)}. Every entry is checked structurally;
 * PCR8 measures the DER of the first entry's certificate, whose COSE signature
 * over PCR0 is checked (info->pcr0 must be final).
 */
static zk_status measure_signature(zk_eif_info *info, const uint8_t *sec, size_t len) {
  zki_cbor_limits lim = {0};
  lim.max_len = ZK_EIF_MAX_SIGNATURE_LEN;
  lim.max_depth = 4;
  lim.max_items = ZK_EIF_MAX_SIGNATURE_LEN;
  cbor_item_t *root = NULL;
  ZKI_TRY(zki_cbor_decode(&root, sec, len, &lim, NULL));
  zk_status st = ZK_OK;
  uint8_t *pem = NULL, *cose = NULL;
  size_t pem_len = 0, cose_len = 0;
  if (!cbor_isa_array(root)) {
    st = ZK_ERR_TYPE;
  } else if (cbor_array_size(root) == 0) {
    st = ZK_ERR_MISSING_FIELD;
  }
  cbor_item_t **entries = st == ZK_OK ? cbor_array_handle(root) : NULL;
  for (size_t i = 0; st == ZK_OK && i < cbor_array_size(root); i++) {
    const cbor_item_t *e = entries[i];
    if (!cbor_isa_map(e)) {
      st = ZK_ERR_TYPE;
      break;
    }
    struct cbor_pair *pairs = cbor_map_handle(e);
    int have_cert = 0, have_sig = 0;
    for (size_t j = 0; st == ZK_OK && j < cbor_map_size(e); j++) {
      const char *k;
      size_t kn;
      uint8_t *bytes = NULL;
      size_t blen = 0;
      if (!cbor_isa_string(pairs[j].key) || zki_cbor_get_text(pairs[j].key, &k, &kn) != ZK_OK) {
        st = ZK_ERR_TYPE;
      } else if (kn == 19 && memcmp(k, "signing_certificate", 19) == 0) {
        st = u8_array(&bytes, &blen, pairs[j].value);
        have_cert = 1;
        if (st == ZK_OK && i == 0) {
          pem = bytes, pem_len = blen;
          bytes = NULL;
        }
      } else if (kn == 9 && memcmp(k, "signature", 9) == 0) {
        st = u8_array(&bytes, &blen, pairs[j].value);
        have_sig = 1;
        if (st == ZK_OK && blen == 0) st = ZK_ERR_VALUE;
        if (st == ZK_OK && i == 0) {
          cose = bytes, cose_len = blen;
          bytes = NULL;
        }
      } else {
        st = ZK_ERR_UNKNOWN_FIELD;
      }
      free(bytes);
    }
    if (st == ZK_OK && (!have_cert || !have_sig)) st = ZK_ERR_MISSING_FIELD;
  }
  cbor_decref(&root);
  if (st != ZK_OK) {
    free(pem);
    free(cose);
    return st;
  }
  /* PEM -> X.509 -> DER; PCR8 measures the DER. */
  st = ZK_ERR_ATT_CERT;
  BIO *bio = pem_len <= INT32_MAX ? BIO_new_mem_buf(pem, (int)pem_len) : NULL;
  X509 *x = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
  unsigned char *der = NULL;
  int der_len = x != NULL ? i2d_X509(x, &der) : -1;
  if (der_len > 0) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md != NULL && EVP_DigestInit_ex(md, EVP_sha384(), NULL) == 1 &&
        EVP_DigestUpdate(md, der, (size_t)der_len) == 1)
      st = pcr_final(info->pcr8, md);
    else
      st = ZK_ERR_INTERNAL;
    EVP_MD_CTX_free(md);
  }
  if (st == ZK_OK) {
    info->has_pcr8 = 1;
    info->pcr0_signature_ok = pcr0_signature_ok(x, cose, cose_len, info->pcr0);
  }
  OPENSSL_free(der);
  X509_free(x);
  BIO_free(bio);
  free(pem);
  free(cose);
  return st;
}

/* One JSON object; every failure (duplicate key, syntax, not an object) is ZK_ERR_JSON. */
static zk_status check_metadata(const uint8_t *p, size_t n) {
  json_t *j;
  zk_status st = zki_json_load_object(&j, p, n, SIZE_MAX); /* n bounded by the caller */
  json_decref(j);
  return st == ZK_OK ? ZK_OK : ZK_ERR_JSON;
}

/* Stream one section's data into the CRC and the hashes it belongs to. */
static zk_status stream_section(eif_state *s, const eif_src *src, uint64_t off, uint64_t size,
                                uint16_t type, uint16_t ramdisk_idx, uint8_t *chunk) {
  uint8_t *keep = NULL;
  if (type == ZK_EIF_SECTION_SIGNATURE || type == ZK_EIF_SECTION_METADATA) {
    keep = malloc(size ? (size_t)size : 1); /* size bounded by the caller */
    if (keep == NULL) return ZK_ERR_NOMEM;
  }
  uint64_t done = 0;
  zk_status st = ZK_OK;
  while (done < size) {
    size_t n = size - done < EIF_CHUNK ? (size_t)(size - done) : EIF_CHUNK;
    const uint8_t *p = chunk;
    if (src->mem != NULL && off + done <= src->len && n <= src->len - (off + done))
      p = src->mem + off + done; /* in memory: no copy */
    else if ((st = src_read(src, off + done, chunk, n)) != ZK_OK)
      break;
    s->crc = crc_update(s->crc, p, n);
    int ok = 1;
    switch (type) {
      case ZK_EIF_SECTION_KERNEL:
      case ZK_EIF_SECTION_CMDLINE:
        ok = digest_update(s->h0, p, n);
        break;
      case ZK_EIF_SECTION_RAMDISK:
        ok = digest_update(s->h0, p, n) && (ramdisk_idx == 0 || digest_update(s->h2, p, n));
        break;
      default:
        memcpy(keep + done, p, n);
        break;
    }
    if (!ok) {
      st = ZK_ERR_INTERNAL;
      break;
    }
    done += n;
  }
  /* PCR1's content (kernel || cmdline || first ramdisk) is a prefix of PCR0's:
   * snapshot the PCR0 hash once the first ramdisk is in instead of hashing twice. */
  if (st == ZK_OK && type == ZK_EIF_SECTION_RAMDISK && ramdisk_idx == 0 &&
      EVP_MD_CTX_copy_ex(s->h1, s->h0) != 1)
    st = ZK_ERR_INTERNAL;
  if (st == ZK_OK && type == ZK_EIF_SECTION_METADATA) st = check_metadata(keep, (size_t)size);
  if (st == ZK_OK && type == ZK_EIF_SECTION_SIGNATURE) {
    s->sig = keep;
    s->sig_len = (size_t)size;
    keep = NULL;
  }
  free(keep);
  return st;
}

/* Section order rule: kernel, then cmdline, then ramdisks; signature/metadata anywhere after
 * the cmdline; version decides which of signature/metadata may appear. */
static zk_status check_type(eif_state *s, const zk_eif_info *info, uint16_t type) {
  switch (type) {
    case ZK_EIF_SECTION_KERNEL:
      if (s->have_kernel) return ZK_ERR_EIF_SECTIONS;
      s->have_kernel = 1;
      return ZK_OK;
    case ZK_EIF_SECTION_CMDLINE:
      if (!s->have_kernel || s->have_cmdline) return ZK_ERR_EIF_SECTIONS;
      s->have_cmdline = 1;
      return ZK_OK;
    case ZK_EIF_SECTION_RAMDISK:
      if (!s->have_cmdline) return ZK_ERR_EIF_SECTIONS;
      return ZK_OK;
    case ZK_EIF_SECTION_SIGNATURE:
      if (info->version < 3 || s->have_sig || !s->have_cmdline) return ZK_ERR_EIF_SECTIONS;
      s->have_sig = 1;
      return ZK_OK;
    case ZK_EIF_SECTION_METADATA:
      if (info->version < 4 || s->have_meta || !s->have_cmdline) return ZK_ERR_EIF_SECTIONS;
      s->have_meta = 1;
      return ZK_OK;
    default:
      return ZK_ERR_EIF_SECTIONS;
  }
}

static zk_status measure(zk_eif_info *info, const eif_src *src) {
  uint8_t hdr[ZK_EIF_HEADER_LEN];
  if (src->len < ZK_EIF_HEADER_LEN) return ZK_ERR_TRUNCATED;
  ZKI_TRY(src_read(src, 0, hdr, sizeof(hdr)));
  if (memcmp(hdr, ".eif", 4) != 0) return ZK_ERR_PARSE;
  info->version = be16(hdr + 4);
  info->flags = be16(hdr + 6);
  info->default_mem = be64(hdr + 8);
  info->default_cpus = be64(hdr + 16);
  uint16_t reserved = be16(hdr + 24);
  info->num_sections = be16(hdr + 26);
  const uint8_t *offs = hdr + 28, *sizes = hdr + 28 + 8 * ZK_EIF_MAX_SECTIONS;
  uint32_t unused = be32(hdr + EIF_CRC_OFFSET - 4);
  uint32_t want_crc = be32(hdr + EIF_CRC_OFFSET);
  info->file_len = src->len;
  if (info->version < 2 || info->version > 4) return ZK_ERR_VERSION;
  if ((info->flags & ~ZK_EIF_FLAG_AARCH64) != 0 || reserved != 0 || unused != 0)
    return ZK_ERR_VALUE;
  if (info->num_sections == 0 || info->num_sections > ZK_EIF_MAX_SECTIONS) return ZK_ERR_VALUE;
  for (unsigned i = info->num_sections; i < ZK_EIF_MAX_SECTIONS; i++)
    if (be64(offs + 8 * i) != 0 || be64(sizes + 8 * i) != 0) return ZK_ERR_VALUE;

  if (pthread_once(&crc_once, crc_build) != 0) return ZK_ERR_INTERNAL;
  eif_state s;
  memset(&s, 0, sizeof(s));
  s.crc = crc_update(0, hdr, EIF_CRC_OFFSET);
  s.h0 = EVP_MD_CTX_new();
  s.h1 = EVP_MD_CTX_new();
  s.h2 = EVP_MD_CTX_new();
  uint8_t *chunk = malloc(EIF_CHUNK);
  zk_status st = ZK_OK;
  if (s.h0 == NULL || s.h1 == NULL || s.h2 == NULL || chunk == NULL) st = ZK_ERR_NOMEM;
  if (st == ZK_OK && (EVP_DigestInit_ex(s.h0, EVP_sha384(), NULL) != 1 ||
                      EVP_DigestInit_ex(s.h2, EVP_sha384(), NULL) != 1))
    st = ZK_ERR_INTERNAL;

  uint64_t off = ZK_EIF_HEADER_LEN;
  for (unsigned i = 0; st == ZK_OK && i < info->num_sections; i++) {
    uint8_t sh[ZK_EIF_SECTION_HEADER_LEN];
    if (be64(offs + 8 * i) != off) {
      st = ZK_ERR_EIF_LAYOUT;
      break;
    }
    if ((st = src_read(src, off, sh, sizeof(sh))) != ZK_OK) break;
    uint16_t type = be16(sh), sflags = be16(sh + 2);
    uint64_t size = be64(sh + 4);
    if (size != be64(sizes + 8 * i)) {
      st = ZK_ERR_EIF_LAYOUT;
      break;
    }
    if (sflags != 0) {
      st = ZK_ERR_VALUE;
      break;
    }
    if ((st = check_type(&s, info, type)) != ZK_OK) break;
    if ((type == ZK_EIF_SECTION_SIGNATURE && size > ZK_EIF_MAX_SIGNATURE_LEN) ||
        (type == ZK_EIF_SECTION_METADATA && size > ZK_EIF_MAX_METADATA_LEN)) {
      st = ZK_ERR_VALUE;
      break;
    }
    uint64_t data = off + ZK_EIF_SECTION_HEADER_LEN;
    if (data > src->len || size > src->len - data) {
      st = ZK_ERR_TRUNCATED;
      break;
    }
    s.crc = crc_update(s.crc, sh, sizeof(sh));
    info->section_types[i] = type;
    info->section_offsets[i] = off;
    info->section_sizes[i] = size;
    st = stream_section(&s, src, data, size, type, info->num_ramdisks, chunk);
    if (type == ZK_EIF_SECTION_RAMDISK) info->num_ramdisks++;
    off = data + size;
  }
  if (st == ZK_OK && off != src->len) st = ZK_ERR_TRAILING;
  if (st == ZK_OK && (!s.have_kernel || !s.have_cmdline || info->num_ramdisks == 0 ||
                      (info->version >= 4 && !s.have_meta)))
    st = ZK_ERR_EIF_SECTIONS;
  if (st == ZK_OK && s.crc != want_crc) st = ZK_ERR_CHECKSUM;
  info->crc32 = want_crc;
  if (st == ZK_OK) st = pcr_final(info->pcr0, s.h0);
  if (st == ZK_OK) st = pcr_final(info->pcr1, s.h1);
  if (st == ZK_OK) st = pcr_final(info->pcr2, s.h2);
  if (st == ZK_OK && s.have_sig) st = measure_signature(info, s.sig, s.sig_len);
  EVP_MD_CTX_free(s.h0);
  EVP_MD_CTX_free(s.h1);
  EVP_MD_CTX_free(s.h2);
  free(s.sig);
  free(chunk);
  return st;
}

zk_status zk_eif_measure(zk_eif_info *out, const uint8_t *eif, size_t eif_len) {
  if (out != NULL) memset(out, 0, sizeof(*out));
  if (out == NULL || (eif == NULL && eif_len > 0)) return ZK_ERR_ARG;
  eif_src src = {.mem = eif != NULL ? eif : (const uint8_t *)"", .fd = -1, .len = eif_len};
  zk_status st = measure(out, &src);
  if (st != ZK_OK) memset(out, 0, sizeof(*out));
  return st;
}

zk_status zk_eif_measure_file(zk_eif_info *out, const char *path) {
  if (out != NULL) memset(out, 0, sizeof(*out));
  if (out == NULL || path == NULL) return ZK_ERR_ARG;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ZK_ERR_IO;
  struct stat stbuf;
  zk_status st;
  if (fstat(fd, &stbuf) != 0 || !S_ISREG(stbuf.st_mode) || stbuf.st_size < 0) {
    st = ZK_ERR_IO;
  } else {
    eif_src src = {.mem = NULL, .fd = fd, .len = (uint64_t)stbuf.st_size};
    st = measure(out, &src);
  }
  (void)close(fd);
  if (st != ZK_OK) memset(out, 0, sizeof(*out));
  return st;
}
