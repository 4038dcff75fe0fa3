/*
 * Native C client of the AWS Nitro Secure Module (NSM).
 *
 * Wire protocol (aws-nitro-enclaves-nsm-api, serde_cbor externally tagged
 * enums): a request is a text string (unit variant) or a one-entry map
 * {variant: {field: value, ...}}; a reply has the same shape, or is
 * {"Error": "<name>"} with the ioctl itself succeeding.
 * Device: /dev/nsm, one ioctl NSM_IOCTL_RAW with two {u64 addr, u64 len}
 * descriptors; the driver rewrites the response length.
 */
#include <cbor.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "zk_backend_internal.h"
#include "zk_cbor.h"

/* ---- request encoding ---- */

/* Minimal-width unsigned integer (serde_cbor never pads integers). */
static cbor_item_t *nsm_uint(uint16_t v) {
  return v <= 0xFF ? cbor_build_uint8((uint8_t)v) : cbor_build_uint16(v);
}

/* NULL pointer -> CBOR null, else a bstr (possibly empty). */
static cbor_item_t *nsm_opt_bytes(const uint8_t *p, size_t len) {
  if (p == NULL) return cbor_new_null();
  return cbor_build_bytestring(p, len);
}

/* Append key -> value to map, taking ownership of value (released on failure). */
static int nsm_put(cbor_item_t *map, const char *key, cbor_item_t *value) {
  if (value == NULL) return 0;
  cbor_item_t *k = cbor_build_string(key);
  if (k == NULL) {
    cbor_decref(&value);
    return 0;
  }
  bool ok = cbor_map_add(map, (struct cbor_pair){.key = k, .value = value});
  cbor_decref(&k);
  cbor_decref(&value);
  return ok ? 1 : 0;
}

static const char *nsm_op_name(zki_nsm_op op) {
  switch (op) {
    case ZKI_NSM_DESCRIBE_PCR:
      return "DescribePCR";
    case ZKI_NSM_EXTEND_PCR:
      return "ExtendPCR";
    case ZKI_NSM_LOCK_PCR:
      return "LockPCR";
    case ZKI_NSM_LOCK_PCRS:
      return "LockPCRs";
    case ZKI_NSM_DESCRIBE_NSM:
      return "DescribeNSM";
    case ZKI_NSM_ATTESTATION:
      return "Attestation";
    case ZKI_NSM_GET_RANDOM:
      return "GetRandom";
  }
  return NULL;
}

zk_status zki_nsm_encode(uint8_t **out, size_t *out_len, const zki_nsm_request *req) {
  if (out != NULL) *out = NULL;
  if (out_len != NULL) *out_len = 0;
  if (out == NULL || out_len == NULL || req == NULL) return ZK_ERR_ARG;
  const char *name = nsm_op_name(req->op);
  if (name == NULL) return ZK_ERR_ARG;
  /* Bound the variable fields before allocating anything. */
  size_t var = req->data_len + req->user_data_len + req->nonce_len + req->public_key_len;
  if (req->data_len > ZK_NSM_REQUEST_MAX || req->user_data_len > ZK_NSM_REQUEST_MAX ||
      req->nonce_len > ZK_NSM_REQUEST_MAX || req->public_key_len > ZK_NSM_REQUEST_MAX ||
      var > ZK_NSM_REQUEST_MAX)
    return ZK_ERR_NSM_INPUT_TOO_LARGE;
  if (req->op == ZKI_NSM_EXTEND_PCR && req->data == NULL && req->data_len > 0) return ZK_ERR_ARG;

  cbor_item_t *root = NULL;
  if (req->op == ZKI_NSM_DESCRIBE_NSM || req->op == ZKI_NSM_GET_RANDOM) {
    root = cbor_build_string(name);
    if (root == NULL) return ZK_ERR_NOMEM;
  } else {
    size_t nfields = req->op == ZKI_NSM_EXTEND_PCR ? 2 : req->op == ZKI_NSM_ATTESTATION ? 3 : 1;
    cbor_item_t *inner = cbor_new_definite_map(nfields);
    root = cbor_new_definite_map(1);
    if (inner == NULL || root == NULL) {
      if (inner != NULL) cbor_decref(&inner);
      if (root != NULL) cbor_decref(&root);
      return ZK_ERR_NOMEM;
    }
    int ok = 1;
    switch (req->op) {
      case ZKI_NSM_DESCRIBE_PCR:
      case ZKI_NSM_LOCK_PCR:
        ok = nsm_put(inner, "index", nsm_uint(req->index));
        break;
      case ZKI_NSM_LOCK_PCRS:
        ok = nsm_put(inner, "range", nsm_uint(req->index));
        break;
      case ZKI_NSM_EXTEND_PCR:
        ok = nsm_put(inner, "index", nsm_uint(req->index)) &&
             nsm_put(inner, "data",
                     cbor_build_bytestring(req->data_len > 0 ? req->data : (const uint8_t *)"",
                                           req->data_len));
        break;
      case ZKI_NSM_ATTESTATION:
        ok = nsm_put(inner, "user_data", nsm_opt_bytes(req->user_data, req->user_data_len)) &&
             nsm_put(inner, "nonce", nsm_opt_bytes(req->nonce, req->nonce_len)) &&
             nsm_put(inner, "public_key", nsm_opt_bytes(req->public_key, req->public_key_len));
        break;
      default:
        ok = 0;
        break;
    }
    if (!ok) {
      cbor_decref(&inner);
      cbor_decref(&root);
      return ZK_ERR_NOMEM;
    }
    if (!nsm_put(root, name, inner)) { /* nsm_put released inner */
      cbor_decref(&root);
      return ZK_ERR_NOMEM;
    }
  }
  unsigned char *buf = NULL;
  size_t cap = 0;
  size_t n = cbor_serialize_alloc(root, &buf, &cap);
  cbor_decref(&root);
  if (n == 0) {
    free(buf);
    return ZK_ERR_NOMEM;
  }
  if (n > ZK_NSM_REQUEST_MAX) {
    zk_wipe(buf, n);
    free(buf);
    return ZK_ERR_NSM_INPUT_TOO_LARGE;
  }
  *out = buf;
  *out_len = n;
  return ZK_OK;
}

/* ---- reply decoding ---- */

static const struct {
  const char *name;
  zk_status st;
} nsm_errors[] = {
    {"InvalidArgument", ZK_ERR_NSM_INVALID_ARGUMENT},
    {"InvalidIndex", ZK_ERR_NSM_INVALID_INDEX},
    {"InvalidResponse", ZK_ERR_NSM_INVALID_RESPONSE},
    {"ReadOnlyIndex", ZK_ERR_NSM_READ_ONLY_INDEX},
    {"InvalidOperation", ZK_ERR_NSM_INVALID_OPERATION},
    {"BufferTooSmall", ZK_ERR_NSM_BUFFER_TOO_SMALL},
    {"InputTooLarge", ZK_ERR_NSM_INPUT_TOO_LARGE},
    {"InternalError", ZK_ERR_NSM_INTERNAL_ERROR},
};

zk_status zki_nsm_error_status(const char *name, size_t name_len) {
  if (name == NULL) return ZK_ERR_NSM_UNKNOWN_ERROR;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(nsm_errors); i++) {
    if (strlen(nsm_errors[i].name) == name_len && memcmp(nsm_errors[i].name, name, name_len) == 0)
      return nsm_errors[i].st;
  }
  return ZK_ERR_NSM_UNKNOWN_ERROR;
}

void zki_nsm_reply_clear(zki_nsm_reply *r) {
  if (r == NULL) return;
  if (r->bytes != NULL) zk_free_secret(r->bytes, r->bytes_len);
  memset(r, 0, sizeof(*r));
}

static int text_is(const cbor_item_t *it, const char *s) {
  const char *p;
  size_t n;
  if (zki_cbor_get_text(it, &p, &n) != ZK_OK) return 0;
  return strlen(s) == n && memcmp(p, s, n) == 0;
}

static zk_status get_u16(const cbor_item_t *it, uint16_t *out) {
  uint64_t v;
  if (!cbor_isa_uint(it)) return ZK_ERR_TYPE;
  ZKI_TRY(zki_cbor_get_uint(it, &v));
  if (v > 0xFFFF) return ZK_ERR_VALUE;
  *out = (uint16_t)v;
  return ZK_OK;
}

static zk_status get_bytes_copy(const cbor_item_t *it, uint8_t **out, size_t *out_len) {
  const uint8_t *p;
  size_t n;
  if (!cbor_isa_bytestring(it)) return ZK_ERR_TYPE;
  ZKI_TRY(zki_cbor_get_bytes(it, &p, &n));
  *out = zki_memdup(p, n);
  if (*out == NULL) return ZK_ERR_NOMEM;
  *out_len = n;
  return ZK_OK;
}

/* PCR values are SHA-256/384/512 sized. */
static int pcr_len_ok(size_t n) {
  return n == 32 || n == 48 || n == 64;
}

/* Field bits for missing-field detection. */
enum {
  F_LOCK = 1u << 0,
  F_DATA = 1u << 1,
  F_RANDOM = 1u << 2,
  F_DOCUMENT = 1u << 3,
  F_VMAJ = 1u << 4,
  F_VMIN = 1u << 5,
  F_VPAT = 1u << 6,
  F_MODULE = 1u << 7,
  F_MAXPCRS = 1u << 8,
  F_LOCKED = 1u << 9,
  F_DIGEST = 1u << 10
};

static zk_status decode_field(zki_nsm_reply *r, const cbor_item_t *key, const cbor_item_t *val,
                              unsigned *seen) {
  const char *k;
  size_t kn;
  if (!cbor_isa_string(key)) return ZK_ERR_TYPE;
  ZKI_TRY(zki_cbor_get_text(key, &k, &kn));
#define KEY_IS(s) (kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
  switch (r->op) {
    case ZKI_NSM_DESCRIBE_PCR:
      if (KEY_IS("lock")) {
        /* cbor_is_bool asserts (libcbor 0.8) on a float: check the width first */
        if (!cbor_isa_float_ctrl(val) || !cbor_float_ctrl_is_ctrl(val) || !cbor_is_bool(val))
          return ZK_ERR_TYPE;
        r->locked = cbor_get_bool(val) ? 1 : 0;
        *seen |= F_LOCK;
        return ZK_OK;
      }
      if (KEY_IS("data")) {
        ZKI_TRY(get_bytes_copy(val, &r->bytes, &r->bytes_len));
        *seen |= F_DATA;
        return pcr_len_ok(r->bytes_len) ? ZK_OK : ZK_ERR_VALUE;
      }
      return ZK_ERR_UNKNOWN_FIELD;
    case ZKI_NSM_EXTEND_PCR:
      if (KEY_IS("data")) {
        ZKI_TRY(get_bytes_copy(val, &r->bytes, &r->bytes_len));
        *seen |= F_DATA;
        return pcr_len_ok(r->bytes_len) ? ZK_OK : ZK_ERR_VALUE;
      }
      return ZK_ERR_UNKNOWN_FIELD;
    case ZKI_NSM_GET_RANDOM:
      if (KEY_IS("random")) {
        ZKI_TRY(get_bytes_copy(val, &r->bytes, &r->bytes_len));
        *seen |= F_RANDOM;
        return r->bytes_len > 0 ? ZK_OK : ZK_ERR_VALUE;
      }
      return ZK_ERR_UNKNOWN_FIELD;
    case ZKI_NSM_ATTESTATION:
      if (KEY_IS("document")) {
        ZKI_TRY(get_bytes_copy(val, &r->bytes, &r->bytes_len));
        *seen |= F_DOCUMENT;
        return r->bytes_len > 0 ? ZK_OK : ZK_ERR_VALUE;
      }
      return ZK_ERR_UNKNOWN_FIELD;
    case ZKI_NSM_DESCRIBE_NSM: {
      zk_nsm_description *d = &r->desc;
      if (KEY_IS("version_major")) {
        *seen |= F_VMAJ;
        return get_u16(val, &d->version_major);
      }
      if (KEY_IS("version_minor")) {
        *seen |= F_VMIN;
        return get_u16(val, &d->version_minor);
      }
      if (KEY_IS("version_patch")) {
        *seen |= F_VPAT;
        return get_u16(val, &d->version_patch);
      }
      if (KEY_IS("max_pcrs")) {
        *seen |= F_MAXPCRS;
        return get_u16(val, &d->max_pcrs);
      }
      if (KEY_IS("module_id")) {
        const char *p;
        size_t n;
        if (!cbor_isa_string(val)) return ZK_ERR_TYPE;
        ZKI_TRY(zki_cbor_get_text(val, &p, &n));
        if (n == 0 || n > ZK_NSM_MODULE_ID_MAX || memchr(p, '\0', n) != NULL) return ZK_ERR_VALUE;
        memcpy(d->module_id, p, n);
        d->module_id[n] = '\0';
        *seen |= F_MODULE;
        return ZK_OK;
      }
      if (KEY_IS("locked_pcrs")) {
        if (!cbor_isa_array(val)) return ZK_ERR_TYPE;
        size_t n = cbor_array_size(val);
        if (n > ZK_NSM_MAX_LOCKED) return ZK_ERR_VALUE;
        cbor_item_t **items = cbor_array_handle(val);
        for (size_t i = 0; i < n; i++) ZKI_TRY(get_u16(items[i], &d->locked_pcrs[i]));
        d->n_locked_pcrs = n;
        *seen |= F_LOCKED;
        return ZK_OK;
      }
      if (KEY_IS("digest")) {
        if (!cbor_isa_string(val)) return ZK_ERR_TYPE;
        if (text_is(val, "SHA256"))
          d->digest = ZK_NSM_DIGEST_SHA256;
        else if (text_is(val, "SHA384"))
          d->digest = ZK_NSM_DIGEST_SHA384;
        else if (text_is(val, "SHA512"))
          d->digest = ZK_NSM_DIGEST_SHA512;
        else
          return ZK_ERR_VALUE;
        *seen |= F_DIGEST;
        return ZK_OK;
      }
      return ZK_ERR_UNKNOWN_FIELD;
    }
    default:
      return ZK_ERR_UNKNOWN_FIELD;
  }
#undef KEY_IS
}

static unsigned required_fields(zki_nsm_op op) {
  switch (op) {
    case ZKI_NSM_DESCRIBE_PCR:
      return F_LOCK | F_DATA;
    case ZKI_NSM_EXTEND_PCR:
      return F_DATA;
    case ZKI_NSM_GET_RANDOM:
      return F_RANDOM;
    case ZKI_NSM_ATTESTATION:
      return F_DOCUMENT;
    case ZKI_NSM_DESCRIBE_NSM:
      return F_VMAJ | F_VMIN | F_VPAT | F_MODULE | F_MAXPCRS | F_LOCKED | F_DIGEST;
    default:
      return 0;
  }
}

static zk_status decode_item(zki_nsm_reply *r, zki_nsm_op op, const cbor_item_t *root) {
  const char *name = nsm_op_name(op);
  int unit = op == ZKI_NSM_LOCK_PCR || op == ZKI_NSM_LOCK_PCRS;
  if (cbor_isa_string(root)) {
    /* Unit variants: only LockPCR / LockPCRs succeed with a bare string. */
    const char *p;
    size_t n;
    ZKI_TRY(zki_cbor_get_text(root, &p, &n));
    if (unit && strlen(name) == n && memcmp(p, name, n) == 0) return ZK_OK;
    return ZK_ERR_NSM_RESPONSE_MISMATCH;
  }
  if (!cbor_isa_map(root) || cbor_map_size(root) != 1) return ZK_ERR_NSM_RESPONSE_MISMATCH;
  struct cbor_pair *top = cbor_map_handle(root);
  if (!cbor_isa_string(top[0].key)) return ZK_ERR_NSM_RESPONSE_MISMATCH;
  if (text_is(top[0].key, "Error")) {
    const char *p;
    size_t n;
    if (!cbor_isa_string(top[0].value)) return ZK_ERR_TYPE;
    ZKI_TRY(zki_cbor_get_text(top[0].value, &p, &n));
    return zki_nsm_error_status(p, n);
  }
  if (unit || !text_is(top[0].key, name)) return ZK_ERR_NSM_RESPONSE_MISMATCH;
  const cbor_item_t *inner = top[0].value;
  if (!cbor_isa_map(inner)) return ZK_ERR_TYPE;
  size_t n = cbor_map_size(inner);
  struct cbor_pair *pairs = cbor_map_handle(inner);
  unsigned seen = 0;
  for (size_t i = 0; i < n; i++) ZKI_TRY(decode_field(r, pairs[i].key, pairs[i].value, &seen));
  unsigned need = required_fields(op);
  if ((seen & need) != need) return ZK_ERR_MISSING_FIELD;
  return ZK_OK;
}

zk_status zki_nsm_decode(zki_nsm_reply *out, zki_nsm_op op, const uint8_t *resp, size_t resp_len) {
  if (out == NULL) return ZK_ERR_ARG;
  memset(out, 0, sizeof(*out));
  if (nsm_op_name(op) == NULL || (resp == NULL && resp_len > 0)) return ZK_ERR_ARG;
  if (resp_len > ZK_NSM_RESPONSE_MAX) return ZK_ERR_TOO_LARGE;
  if (resp_len == 0) return ZK_ERR_TRUNCATED;
  zki_cbor_limits lim = {0};
  lim.max_len = ZK_NSM_RESPONSE_MAX;
  lim.max_depth = 4;
  lim.max_items = 4 * ZK_NSM_MAX_LOCKED;
  lim.allow_indefinite = true; /* tolerated: real NSM documents moved to indefinite maps */
  cbor_item_t *root = NULL;
  zk_status st = zki_cbor_decode(&root, resp, resp_len, &lim, NULL);
  if (st != ZK_OK) return st;
  out->op = op;
  st = decode_item(out, op, root);
  cbor_decref(&root);
  if (st != ZK_OK) zki_nsm_reply_clear(out);
  return st;
}

/* ---- device transport ---- */

/* struct nsm_raw of the Linux uapi (two {u64 addr, u64 len} descriptors). */
struct zki_nsm_iovec {
  uint64_t addr;
  uint64_t len;
};
struct zki_nsm_raw {
  struct zki_nsm_iovec request;
  struct zki_nsm_iovec response;
};
_Static_assert(sizeof(struct zki_nsm_raw) == 32, "nsm_raw must be 32 bytes");
/* _IOWR(0x0A, 0, 32-byte struct) = dir 3 << 30 | size 32 << 16 | type 0x0A << 8 | nr 0 */
_Static_assert(((3ul << 30) | (sizeof(struct zki_nsm_raw) << 16) | (0x0Aul << 8)) ==
                   ZK_NSM_IOCTL_RAW,
               "NSM ioctl number");

typedef struct nitro_ctx {
  int fd;
  zk_nsm_transport_fn transport;
  void *transport_ctx;
} nitro_ctx;

static zk_status nsm_ioctl_transport(void *ctx, uint8_t *resp, size_t *resp_len, const uint8_t *req,
                                     size_t req_len) {
  nitro_ctx *c = ctx;
  struct zki_nsm_raw raw;
  memset(&raw, 0, sizeof(raw));
  raw.request.addr = (uint64_t)(uintptr_t)req;
  raw.request.len = req_len;
  raw.response.addr = (uint64_t)(uintptr_t)resp;
  raw.response.len = *resp_len;
  int rc;
  do {
    rc = ioctl(c->fd, ZK_NSM_IOCTL_RAW, &raw);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    *resp_len = 0;
    if (errno == EMSGSIZE) return ZK_ERR_NSM_INPUT_TOO_LARGE;
    if (errno == ENOTTY || errno == EBADF || errno == ENODEV) return ZK_ERR_NSM_DEVICE;
    return ZK_ERR_IO;
  }
  if (raw.response.len > SIZE_MAX) return ZK_ERR_TOO_LARGE;
  *resp_len = (size_t)raw.response.len;
  return ZK_OK;
}

/* Send req, decode the reply into *rep. */
static zk_status nitro_call(nitro_ctx *c, zki_nsm_reply *rep, const zki_nsm_request *req) {
  uint8_t *enc = NULL;
  size_t enc_len = 0;
  memset(rep, 0, sizeof(*rep));
  ZKI_TRY(zki_nsm_encode(&enc, &enc_len, req));
  uint8_t *resp = malloc(ZK_NSM_RESPONSE_MAX);
  if (resp == NULL) {
    zk_free_secret(enc, enc_len);
    return ZK_ERR_NOMEM;
  }
  size_t resp_len = ZK_NSM_RESPONSE_MAX;
  zk_status st;
  if (c->transport != NULL)
    st = c->transport(c->transport_ctx, resp, &resp_len, enc, enc_len);
  else
    st = nsm_ioctl_transport(c, resp, &resp_len, enc, enc_len);
  zk_free_secret(enc, enc_len);
  if (st == ZK_OK && resp_len > ZK_NSM_RESPONSE_MAX) st = ZK_ERR_TOO_LARGE;
  if (st == ZK_OK) st = zki_nsm_decode(rep, req->op, resp, resp_len);
  zk_free_secret(resp, ZK_NSM_RESPONSE_MAX); /* replies may carry random bytes */
  return st;
}

static zk_status copy_pcr(uint8_t *value, size_t *value_len, const zki_nsm_reply *rep) {
  if (rep->bytes_len > *value_len) return ZK_ERR_BUFFER_TOO_SMALL;
  memcpy(value, rep->bytes, rep->bytes_len);
  *value_len = rep->bytes_len;
  return ZK_OK;
}

static zk_status nitro_random(void *ctx, uint8_t *out, size_t len) {
  zki_nsm_request req = {.op = ZKI_NSM_GET_RANDOM};
  size_t done = 0;
  while (done < len) {
    zki_nsm_reply rep;
    ZKI_TRY(nitro_call(ctx, &rep, &req));
    size_t n = rep.bytes_len < len - done ? rep.bytes_len : len - done;
    memcpy(out + done, rep.bytes, n);
    done += n;
    zki_nsm_reply_clear(&rep);
  }
  return ZK_OK;
}

static zk_status nitro_attest(void *ctx, uint8_t **doc, size_t *doc_len, const uint8_t *user_data,
                              size_t user_data_len, const uint8_t *nonce, size_t nonce_len,
                              const uint8_t *public_key, size_t public_key_len) {
  zki_nsm_request req = {.op = ZKI_NSM_ATTESTATION,
                         .user_data = user_data,
                         .user_data_len = user_data_len,
                         .nonce = nonce,
                         .nonce_len = nonce_len,
                         .public_key = public_key,
                         .public_key_len = public_key_len};
  zki_nsm_reply rep;
  ZKI_TRY(nitro_call(ctx, &rep, &req));
  *doc = rep.bytes; /* ownership moves to the caller */
  *doc_len = rep.bytes_len;
  return ZK_OK;
}

static zk_status nitro_describe_pcr(void *ctx, int *locked, uint8_t *value, size_t *value_len,
                                    uint16_t index) {
  zki_nsm_request req = {.op = ZKI_NSM_DESCRIBE_PCR, .index = index};
  zki_nsm_reply rep;
  ZKI_TRY(nitro_call(ctx, &rep, &req));
  zk_status st = copy_pcr(value, value_len, &rep);
  *locked = rep.locked;
  zki_nsm_reply_clear(&rep);
  return st;
}

static zk_status nitro_extend_pcr(void *ctx, uint8_t *value, size_t *value_len, uint16_t index,
                                  const uint8_t *data, size_t data_len) {
  zki_nsm_request req = {
      .op = ZKI_NSM_EXTEND_PCR, .index = index, .data = data, .data_len = data_len};
  zki_nsm_reply rep;
  ZKI_TRY(nitro_call(ctx, &rep, &req));
  zk_status st = copy_pcr(value, value_len, &rep);
  zki_nsm_reply_clear(&rep);
  return st;
}

static zk_status nitro_lock(void *ctx, zki_nsm_op op, uint16_t v) {
  zki_nsm_request req = {.op = op, .index = v};
  zki_nsm_reply rep;
  ZKI_TRY(nitro_call(ctx, &rep, &req));
  zki_nsm_reply_clear(&rep);
  return ZK_OK;
}

static zk_status nitro_lock_pcr(void *ctx, uint16_t index) {
  return nitro_lock(ctx, ZKI_NSM_LOCK_PCR, index);
}

static zk_status nitro_lock_pcrs(void *ctx, uint16_t range) {
  return nitro_lock(ctx, ZKI_NSM_LOCK_PCRS, range);
}

static zk_status nitro_describe(void *ctx, zk_nsm_description *out) {
  zki_nsm_request req = {.op = ZKI_NSM_DESCRIBE_NSM};
  zki_nsm_reply rep;
  ZKI_TRY(nitro_call(ctx, &rep, &req));
  *out = rep.desc;
  zki_nsm_reply_clear(&rep);
  return ZK_OK;
}

static zk_status nitro_time_ms(void *ctx, uint64_t *now_ms) {
  (void)ctx;
  *now_ms = zki_now_ms();
  return *now_ms == 0 ? ZK_ERR_IO : ZK_OK;
}

static void nitro_destroy(void *ctx) {
  nitro_ctx *c = ctx;
  if (c == NULL) return;
  if (c->fd >= 0) (void)close(c->fd);
  free(c);
}

zk_status zki_nitro_new(void **out, const zk_backend_options *opts) {
  *out = NULL;
  nitro_ctx *c = calloc(1, sizeof(*c));
  if (c == NULL) return ZK_ERR_NOMEM;
  c->fd = -1;
  c->transport = opts->transport;
  c->transport_ctx = opts->transport_ctx;
  if (c->transport == NULL) {
    const char *path = opts->nsm_device != NULL ? opts->nsm_device : "/dev/nsm";
    c->fd = open(path, O_RDWR | O_CLOEXEC);
    if (c->fd < 0) {
      free(c);
      return ZK_ERR_NSM_DEVICE;
    }
  }
  *out = c;
  return ZK_OK;
}

const zk_backend_ops zki_nitro_ops = {
    .name = "nitro",
    .random = nitro_random,
    .attest = nitro_attest,
    .describe_pcr = nitro_describe_pcr,
    .extend_pcr = nitro_extend_pcr,
    .lock_pcr = nitro_lock_pcr,
    .lock_pcrs = nitro_lock_pcrs,
    .describe = nitro_describe,
    .time_ms = nitro_time_ms,
    .destroy = nitro_destroy,
};
