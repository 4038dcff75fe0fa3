/* Trust backends: the public wrappers around one ops table. */
#include <stdlib.h>
#include <string.h>

#include "zk_backend_internal.h"

struct zk_backend {
  const zk_backend_ops *ops;
  void *ctx;
};

static int ops_complete(const zk_backend_ops *ops) {
  return ops != NULL && ops->name != NULL && ops->random != NULL && ops->attest != NULL &&
         ops->describe_pcr != NULL && ops->extend_pcr != NULL && ops->lock_pcr != NULL &&
         ops->lock_pcrs != NULL && ops->describe != NULL && ops->time_ms != NULL;
}

zk_status zk_backend_from_ops(zk_backend **out, const zk_backend_ops *ops, void *ctx) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (!ops_complete(ops)) return ZK_ERR_ARG;
  zk_backend *b = calloc(1, sizeof(*b));
  if (b == NULL) {
    if (ops->destroy != NULL) ops->destroy(ctx);
    return ZK_ERR_NOMEM;
  }
  b->ops = ops;
  b->ctx = ctx;
  *out = b;
  return ZK_OK;
}

zk_status zk_backend_open(zk_backend **out, const char *name, const zk_backend_options *opts) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (name == NULL) return ZK_ERR_ARG;
  static const zk_backend_options defaults;
  if (opts == NULL) opts = &defaults;
  const zk_backend_ops *ops;
  void *ctx = NULL;
  zk_status st;
  if (strcmp(name, "nitro") == 0) {
    ops = &zki_nitro_ops;
    st = zki_nitro_new(&ctx, opts);
  } else if (strcmp(name, "mock") == 0) {
    ops = &zki_mock_ops;
    st = zki_mock_new(&ctx, opts);
  } else {
    return ZK_ERR_BACKEND;
  }
  if (st != ZK_OK) return st;
  return zk_backend_from_ops(out, ops, ctx);
}

void zk_backend_free(zk_backend *b) {
  if (b == NULL) return;
  if (b->ops->destroy != NULL) b->ops->destroy(b->ctx);
  free(b);
}

const char *zk_backend_name(const zk_backend *b) {
  return b == NULL ? "" : b->ops->name;
}

zk_status zk_backend_random(zk_backend *b, uint8_t *out, size_t len) {
  if (b == NULL || (out == NULL && len > 0)) return ZK_ERR_ARG;
  if (len == 0) return ZK_OK;
  zk_status st = b->ops->random(b->ctx, out, len);
  if (st != ZK_OK) zk_wipe(out, len);
  return st;
}

zk_status zk_backend_attest(zk_backend *b, uint8_t **doc, size_t *doc_len, const uint8_t *user_data,
                            size_t user_data_len, const uint8_t *nonce, size_t nonce_len,
                            const uint8_t *public_key, size_t public_key_len) {
  if (doc != NULL) *doc = NULL;
  if (doc_len != NULL) *doc_len = 0;
  if (b == NULL || doc == NULL || doc_len == NULL) return ZK_ERR_ARG;
  if ((user_data == NULL && user_data_len > 0) || (nonce == NULL && nonce_len > 0) ||
      (public_key == NULL && public_key_len > 0))
    return ZK_ERR_ARG;
  zk_status st = b->ops->attest(b->ctx, doc, doc_len, user_data, user_data_len, nonce, nonce_len,
                                public_key, public_key_len);
  if (st != ZK_OK) {
    free(*doc);
    *doc = NULL;
    *doc_len = 0;
  }
  return st;
}

zk_status zk_backend_describe_pcr(zk_backend *b, int *locked, uint8_t *value, size_t *value_len,
                                  uint16_t index) {
  int lk = 0;
  if (locked != NULL) *locked = 0;
  if (b == NULL || value == NULL || value_len == NULL) return ZK_ERR_ARG;
  size_t cap = *value_len;
  zk_status st = b->ops->describe_pcr(b->ctx, &lk, value, value_len, index);
  if (st != ZK_OK) {
    zk_wipe(value, cap);
    *value_len = 0;
    return st;
  }
  if (locked != NULL) *locked = lk ? 1 : 0;
  return ZK_OK;
}

zk_status zk_backend_extend_pcr(zk_backend *b, uint8_t *value, size_t *value_len, uint16_t index,
                                const uint8_t *data, size_t data_len) {
  if (b == NULL || value == NULL || value_len == NULL || (data == NULL && data_len > 0))
    return ZK_ERR_ARG;
  size_t cap = *value_len;
  zk_status st = b->ops->extend_pcr(b->ctx, value, value_len, index, data, data_len);
  if (st != ZK_OK) {
    zk_wipe(value, cap);
    *value_len = 0;
  }
  return st;
}

zk_status zk_backend_lock_pcr(zk_backend *b, uint16_t index) {
  if (b == NULL) return ZK_ERR_ARG;
  return b->ops->lock_pcr(b->ctx, index);
}

zk_status zk_backend_lock_pcrs(zk_backend *b, uint16_t range) {
  if (b == NULL) return ZK_ERR_ARG;
  return b->ops->lock_pcrs(b->ctx, range);
}

zk_status zk_backend_describe(zk_backend *b, zk_nsm_description *out) {
  if (out != NULL) memset(out, 0, sizeof(*out));
  if (b == NULL || out == NULL) return ZK_ERR_ARG;
  zk_status st = b->ops->describe(b->ctx, out);
  if (st != ZK_OK) memset(out, 0, sizeof(*out));
  return st;
}

zk_status zk_backend_time_ms(zk_backend *b, uint64_t *now_ms) {
  if (now_ms != NULL) *now_ms = 0;
  if (b == NULL || now_ms == NULL) return ZK_ERR_ARG;
  zk_status st = b->ops->time_ms(b->ctx, now_ms);
  if (st != ZK_OK) *now_ms = 0;
  return st;
}

zk_status zk_backend_mock_set_time(zk_backend *b, uint64_t now_ms) {
  if (b == NULL) return ZK_ERR_ARG;
  if (b->ops != &zki_mock_ops) return ZK_ERR_BACKEND;
  return zki_mock_set_time(b->ctx, now_ms);
}

zk_status zk_backend_mock_root_der(const zk_backend *b, const uint8_t **der, size_t *der_len) {
  if (der != NULL) *der = NULL;
  if (der_len != NULL) *der_len = 0;
  if (b == NULL || der == NULL || der_len == NULL) return ZK_ERR_ARG;
  if (b->ops != &zki_mock_ops) return ZK_ERR_BACKEND;
  return zki_mock_root_der(b->ctx, der, der_len);
}
