/*
 * libFuzzer harness: NSM reply decoder (backends/nitro/nsm.c).
 * Input: byte 0 selects the request type the reply answers (op = 1 + byte % 7:
 *   1 DescribePCR 2 ExtendPCR 3 LockPCR 4 LockPCRs 5 DescribeNSM 6 Attestation 7 GetRandom),
 * the rest is the raw reply. The reply is decoded directly and also through the
 * nitro backend with a transport that returns it (public wrappers, fail-closed outputs).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zk_backend_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz_reply {
  const uint8_t *p;
  size_t n;
} fz_reply;

static zk_status fz_transport(void *ctx, uint8_t *resp, size_t *resp_len, const uint8_t *req,
                              size_t req_len) {
  const fz_reply *r = ctx;
  (void)req;
  if (req_len == 0 || req_len > ZK_NSM_REQUEST_MAX) abort();
  size_t n = r->n < *resp_len ? r->n : *resp_len;
  memcpy(resp, r->p, n);
  *resp_len = n;
  return ZK_OK;
}

static int all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  zki_nsm_op op = (zki_nsm_op)(1 + data[0] % 7);
  const uint8_t *reply = data + 1;
  size_t n = size - 1;

  zki_nsm_reply r;
  zk_status st = zki_nsm_decode(&r, op, reply, n);
  if (st != ZK_OK && (r.bytes != NULL || r.bytes_len != 0)) abort();
  if (st == ZK_OK) {
    if ((op == ZKI_NSM_DESCRIBE_PCR || op == ZKI_NSM_EXTEND_PCR) && r.bytes_len != 32 &&
        r.bytes_len != 48 && r.bytes_len != 64)
      abort();
    if (op == ZKI_NSM_DESCRIBE_NSM &&
        (r.desc.n_locked_pcrs > ZK_NSM_MAX_LOCKED || r.desc.module_id[0] == '\0' ||
         memchr(r.desc.module_id, '\0', sizeof(r.desc.module_id)) == NULL))
      abort();
  }
  zki_nsm_reply_clear(&r);

  /* the same bytes through the public API */
  fz_reply fr = {reply, n};
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.transport = fz_transport;
  o.transport_ctx = &fr;
  zk_backend *b = NULL;
  if (zk_backend_open(&b, "nitro", &o) != ZK_OK) abort();
  uint8_t v[ZK_NSM_PCR_MAX_LEN];
  size_t vlen = sizeof(v);
  int locked = 0;
  uint8_t *doc = NULL;
  size_t doc_len = 0;
  zk_nsm_description d;
  switch (op) {
    case ZKI_NSM_DESCRIBE_PCR:
      st = zk_backend_describe_pcr(b, &locked, v, &vlen, 16);
      break;
    case ZKI_NSM_EXTEND_PCR:
      st = zk_backend_extend_pcr(b, v, &vlen, 16, (const uint8_t *)"x", 1);
      break;
    case ZKI_NSM_LOCK_PCR:
      st = zk_backend_lock_pcr(b, 16);
      break;
    case ZKI_NSM_LOCK_PCRS:
      st = zk_backend_lock_pcrs(b, 32);
      break;
    case ZKI_NSM_DESCRIBE_NSM:
      st = zk_backend_describe(b, &d);
      if (st != ZK_OK && !all_zero((const uint8_t *)&d, sizeof(d))) abort();
      break;
    case ZKI_NSM_ATTESTATION:
      st = zk_backend_attest(b, &doc, &doc_len, NULL, 0, (const uint8_t *)"n", 1, NULL, 0);
      if (st != ZK_OK && (doc != NULL || doc_len != 0)) abort();
      break;
    default:
      st = zk_backend_random(b, v, 16); /* a 16-byte request needs one reply */
      if (st != ZK_OK && !all_zero(v, 16)) abort();
      break;
  }
  if ((op == ZKI_NSM_DESCRIBE_PCR || op == ZKI_NSM_EXTEND_PCR) && st != ZK_OK && vlen != 0) abort();
  zk_free(doc);
  zk_backend_free(b);
  return 0;
}
