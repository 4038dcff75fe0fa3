/*
 * libFuzzer harness: Nitro attestation documents (lib/attestation.c).
 * Input: candidate document bytes. Each input is parsed without verification,
 * then verified twice (cold, then through the chain cache) at a fixed time
 * (1700000000) against the built-in AWS root plus the test root of
 * fuzz/gen_attestation_corpus.py (its key is derived from a fixed scalar, so
 * regenerated seeds still chain to it), with a policy that accepts debug mode:
 * the seeds reach every stage up to the policy.
 * Invariants: on failure the document is NULL and the error offset lies in
 * the input; a parsed document has consistent accessors within the documented
 * limits and is marked unverified; verify succeeds only on inputs that parse,
 * marks the result verified and keeps the exact bytes; the cached second
 * verification returns the same status as the first.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/attestation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_AT 1700000000u

/* Root certificate of fuzz/gen_attestation_corpus.py (CN=zerokey fuzz root). */
static const char fuzz_root_hex[] =
    "308201b83082013da003020102020101300a06082a8648ce3d040303303331153013060355040a0c0c7a6572"
    "6f6b65792066757a7a311a301806035504030c117a65726f6b65792066757a7a20726f6f743020170d323030"
    "3130313030303030305a180f32313230303130313030303030305a303331153013060355040a0c0c7a65726f"
    "6b65792066757a7a311a301806035504030c117a65726f6b65792066757a7a20726f6f743076301006072a86"
    "48ce3d020106052b81040022036200041289ae2cb3c22b3c126ba4efc036e4f085f50aea49bd48a555ba789c"
    "6da07d39973adb5761052008405119353060c14cb781e66134b6f9852ce589f4a787b99649f3e62f25b6a5dd"
    "9c9ad9da9a741929724ea164d3f01bdbc4911cd19d8c470fa3233021300f0603551d130101ff040530030101"
    "ff300e0603551d0f0101ff040403020186300a06082a8648ce3d0403030369003066023100b8c7ac810af1e8"
    "d8978ff902bfd0651a7f88a0bb034f66e0a8ab63e2b700bbb32dd36e6eb85f3c8069aa548c955f8644023100"
    "ddc9eac3852f5ad91ef256427c69e31ce65fb16620067ca726ea3019da12bdb20ef2da45838a4362f665c40b"
    "46f72d32";

static zk_att_verifier *verifier;
static zk_att_policy *policy;

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

static void init(void) {
  uint8_t der[sizeof fuzz_root_hex / 2];
  size_t n = (sizeof fuzz_root_hex - 1) / 2;
  for (size_t i = 0; i < n; i++) {
    int hi = hexval(fuzz_root_hex[2 * i]), lo = hexval(fuzz_root_hex[2 * i + 1]);
    if (hi < 0 || lo < 0) abort();
    der[i] = (uint8_t)(hi << 4 | lo);
  }
  if (zk_att_verifier_new(&verifier, 0) != ZK_OK) abort();
  if (zk_att_verifier_add_root_der(verifier, der, n) != ZK_OK) abort();
  if (zk_att_verifier_set_cache_size(verifier, 8) != ZK_OK) abort();
  if (zk_att_policy_new(&policy) != ZK_OK) abort();
  zk_att_policy_allow_debug(policy, 1);
}

static void check_doc(const zk_att_doc *d, const uint8_t *data, size_t size) {
  size_t len = 0;
  const char *mid = zk_att_doc_module_id(d, &len);
  if (mid == NULL || len == 0 || len > ZK_ATT_MAX_MODULE_ID_LEN) abort();
  if (zk_att_doc_timestamp_ms(d) == 0) abort();
  uint32_t mask = zk_att_doc_pcr_mask(d);
  if (mask == 0) abort();
  for (unsigned i = 0; i < ZK_ATT_MAX_PCRS + 1; i++) {
    const uint8_t *p = zk_att_doc_pcr(d, i, &len);
    int present = i < ZK_ATT_MAX_PCRS && ((mask >> i) & 1u);
    if ((p != NULL) != present) abort();
    if (p != NULL && len != 32 && len != 48 && len != 64) abort();
  }
  size_t n = zk_att_doc_cabundle_count(d);
  if (n == 0 || n > ZK_ATT_MAX_CABUNDLE) abort();
  for (size_t i = 0; i <= n; i++) {
    const uint8_t *c = zk_att_doc_cabundle(d, i, &len);
    if ((c != NULL) != (i < n) || len > ZK_ATT_MAX_CERT_LEN) abort();
  }
  if (zk_att_doc_certificate(d, &len) == NULL || len == 0 || len > ZK_ATT_MAX_CERT_LEN) abort();
  const uint8_t *(*const opt[3])(const zk_att_doc *, size_t *) = {
      zk_att_doc_public_key, zk_att_doc_user_data, zk_att_doc_nonce};
  for (size_t i = 0; i < 3; i++) {
    const uint8_t *p = opt[i](d, &len);
    if (len > ZK_ATT_MAX_FIELD_LEN || (p == NULL && len != 0)) abort();
  }
  const uint8_t *raw = zk_att_doc_bytes(d, &len);
  if (len != size || (size != 0 && memcmp(raw, data, size) != 0)) abort();
  if (zk_att_doc_is_debug(d) && (mask & 1u) == 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (verifier == NULL) init();
  zk_att_doc *d = NULL;
  size_t off = SIZE_MAX;
  zk_status pst = zk_att_parse_unverified(&d, data, size, &off);
  if (pst != ZK_OK) {
    if (d != NULL || off > size) abort();
  } else {
    if (d == NULL || zk_att_doc_is_verified(d)) abort();
    check_doc(d, data, size);
  }
  zk_att_doc_free(d);

  zk_status st[2];
  for (int k = 0; k < 2; k++) {
    d = NULL;
    off = SIZE_MAX;
    st[k] = zk_att_verify(verifier, &d, data, size, FUZZ_AT, policy, &off);
    if (st[k] != ZK_OK) {
      if (d != NULL || off > size) abort();
      continue;
    }
    if (pst != ZK_OK || d == NULL || !zk_att_doc_is_verified(d)) abort();
    check_doc(d, data, size);
    zk_att_doc_free(d);
  }
  if (st[0] != st[1]) abort();
  /* a parse failure must be the verify failure too (parsing comes first) */
  if (pst != ZK_OK && st[0] != pst) abort();
  return 0;
}
