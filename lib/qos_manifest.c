/*
 * QOS manifests (V0/V1 borsh and JSON), manifest envelopes and approvals
 * (see include/zerokey/qos_manifest.h).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/qos_manifest.h"
#include "zk_borsh.h"
#include "zk_internal.h"
#include "zk_json.h"
#include "zk_qos_internal.h"

typedef struct member {
  char *alias; /* NULL for patch-set members */
  uint8_t *pub;
  size_t pub_len;
} member;

typedef struct qset {
  uint32_t threshold;
  uint32_t n;
  member *m;
} qset;

typedef struct bridge {
  uint8_t kind; /* 0 server, 1 client */
  uint16_t port;
  char *host; /* NULL: client without host */
} bridge;

struct zk_qos_manifest {
  int version;
  char *ns_name;
  uint32_t ns_nonce;
  uint8_t *quorum_key;
  size_t quorum_key_len;
  uint8_t pivot_hash[32];
  uint8_t restart;
  uint32_t n_bridges;
  bridge *bridges;
  bool debug_mode;
  uint32_t n_args;
  char **args;
  qset manifest_set, share_set, patch_set;
  uint8_t *pcr[4];
  size_t pcr_len[4];
  uint8_t *aws_root;
  size_t aws_root_len;
  char *qos_commit;
  uint8_t hash[32];
};

struct zk_qos_approval {
  uint8_t *sig;
  size_t sig_len;
  member who; /* alias "" allowed */
};

typedef struct alist {
  uint32_t n;
  zk_qos_approval *a;
} alist;

struct zk_qos_envelope {
  zk_qos_manifest *manifest;
  alist ms, ss;
};

/* ---- freeing ---- */

static void member_clear(member *m) {
  free(m->alias);
  free(m->pub);
  memset(m, 0, sizeof *m);
}

static void qset_clear(qset *s) {
  for (uint32_t i = 0; i < s->n && s->m; i++) member_clear(&s->m[i]);
  free(s->m);
  memset(s, 0, sizeof *s);
}

void zk_qos_manifest_free(zk_qos_manifest *m) {
  if (m == NULL) return;
  free(m->ns_name);
  free(m->quorum_key);
  for (uint32_t i = 0; i < m->n_bridges && m->bridges; i++) free(m->bridges[i].host);
  free(m->bridges);
  for (uint32_t i = 0; i < m->n_args && m->args; i++) free(m->args[i]);
  free(m->args);
  qset_clear(&m->manifest_set);
  qset_clear(&m->share_set);
  qset_clear(&m->patch_set);
  for (int i = 0; i < 4; i++) free(m->pcr[i]);
  free(m->aws_root);
  free(m->qos_commit);
  free(m);
}

static void approval_clear(zk_qos_approval *a) {
  free(a->sig);
  member_clear(&a->who);
  a->sig = NULL;
  a->sig_len = 0;
}

void zk_qos_approval_free(zk_qos_approval *a) {
  if (a == NULL) return;
  approval_clear(a);
  free(a);
}

static void alist_clear(alist *l) {
  for (uint32_t i = 0; i < l->n && l->a; i++) approval_clear(&l->a[i]);
  free(l->a);
  l->a = NULL;
  l->n = 0;
}

void zk_qos_envelope_free(zk_qos_envelope *env) {
  if (env == NULL) return;
  zk_qos_manifest_free(env->manifest);
  alist_clear(&env->ms);
  alist_clear(&env->ss);
  free(env);
}

/* ---- borsh encoding ---- */

static void w_qset(zki_borsh_w *w, const qset *s, bool with_alias) {
  zki_borsh_w_u32(w, s->threshold);
  zki_borsh_w_u32(w, s->n);
  for (uint32_t i = 0; i < s->n; i++) {
    if (with_alias) zki_borsh_w_string(w, s->m[i].alias);
    zki_borsh_w_bytes(w, s->m[i].pub, s->m[i].pub_len);
  }
}

static void w_manifest(zki_borsh_w *w, const zk_qos_manifest *m) {
  zki_borsh_w_string(w, m->ns_name);
  zki_borsh_w_u32(w, m->ns_nonce);
  zki_borsh_w_bytes(w, m->quorum_key, m->quorum_key_len);
  zki_borsh_w_fixed(w, m->pivot_hash, 32);
  zki_borsh_w_u8(w, m->restart);
  if (m->version == 1) {
    zki_borsh_w_u32(w, m->n_bridges);
    for (uint32_t i = 0; i < m->n_bridges; i++) {
      const bridge *b = &m->bridges[i];
      zki_borsh_w_u8(w, b->kind);
      zki_borsh_w_u16(w, b->port);
      if (b->kind == 0) {
        zki_borsh_w_string(w, b->host);
      } else {
        zki_borsh_w_bool(w, b->host != NULL);
        if (b->host != NULL) zki_borsh_w_string(w, b->host);
      }
    }
    zki_borsh_w_bool(w, m->debug_mode);
  }
  zki_borsh_w_u32(w, m->n_args);
  for (uint32_t i = 0; i < m->n_args; i++) zki_borsh_w_string(w, m->args[i]);
  w_qset(w, &m->manifest_set, true);
  w_qset(w, &m->share_set, true);
  for (int i = 0; i < 4; i++) zki_borsh_w_bytes(w, m->pcr[i], m->pcr_len[i]);
  zki_borsh_w_bytes(w, m->aws_root, m->aws_root_len);
  zki_borsh_w_string(w, m->qos_commit);
  w_qset(w, &m->patch_set, false);
}

zk_status zk_qos_manifest_serialize_borsh(const zk_qos_manifest *m, uint8_t **out,
                                          size_t *out_len) {
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *out_len = 0;
  if (m == NULL) return ZK_ERR_ARG;
  zki_borsh_w w;
  zki_borsh_w_init(&w);
  w_manifest(&w, m);
  return zki_borsh_w_take(&w, out, out_len);
}

static zk_status compute_hash(zk_qos_manifest *m) {
  uint8_t *b;
  size_t n;
  ZKI_TRY(zk_qos_manifest_serialize_borsh(m, &b, &n));
  zk_status st = zk_sha256(m->hash, b, n);
  free(b);
  return st;
}

/* ---- borsh decoding ---- */

static zk_status r_dup(zki_borsh_r *r, uint8_t **out, size_t *out_len, size_t max) {
  const uint8_t *p;
  ZKI_TRY(zki_borsh_bytes(r, &p, out_len, max));
  *out = zki_memdup(p, *out_len);
  if (*out == NULL) return r->err = ZK_ERR_NOMEM;
  return ZK_OK;
}

static zk_status r_qset(zki_borsh_r *r, qset *s, bool with_alias) {
  uint32_t n;
  ZKI_TRY(zki_borsh_u32(r, &s->threshold));
  ZKI_TRY(zki_borsh_count(r, &n, ZK_QOS_MAX_MEMBERS, with_alias ? 8 : 4));
  s->m = calloc(n ? n : 1, sizeof *s->m);
  if (s->m == NULL) return r->err = ZK_ERR_NOMEM;
  s->n = n;
  for (uint32_t i = 0; i < n; i++) {
    if (with_alias) ZKI_TRY(zki_borsh_string(r, &s->m[i].alias, ZK_QOS_MAX_STRING_LEN));
    ZKI_TRY(r_dup(r, &s->m[i].pub, &s->m[i].pub_len, ZK_QOS_MAX_KEY_LEN));
  }
  return ZK_OK;
}

static zk_status r_manifest(zki_borsh_r *r, zk_qos_manifest *m, int version) {
  const uint8_t *p;
  m->version = version;
  ZKI_TRY(zki_borsh_string(r, &m->ns_name, ZK_QOS_MAX_STRING_LEN));
  ZKI_TRY(zki_borsh_u32(r, &m->ns_nonce));
  ZKI_TRY(r_dup(r, &m->quorum_key, &m->quorum_key_len, ZK_QOS_MAX_KEY_LEN));
  ZKI_TRY(zki_borsh_fixed(r, &p, 32));
  memcpy(m->pivot_hash, p, 32);
  ZKI_TRY(zki_borsh_u8(r, &m->restart));
  if (m->restart > 1) return r->err = ZK_ERR_VALUE;
  if (version == 1) {
    uint32_t nb;
    ZKI_TRY(zki_borsh_count(r, &nb, ZK_QOS_MAX_BRIDGES, 3));
    m->bridges = calloc(nb ? nb : 1, sizeof *m->bridges);
    if (m->bridges == NULL) return r->err = ZK_ERR_NOMEM;
    m->n_bridges = nb;
    for (uint32_t i = 0; i < nb; i++) {
      bridge *b = &m->bridges[i];
      ZKI_TRY(zki_borsh_u8(r, &b->kind));
      if (b->kind > 1) return r->err = ZK_ERR_VALUE;
      ZKI_TRY(zki_borsh_u16(r, &b->port));
      bool present = true;
      if (b->kind == 1) ZKI_TRY(zki_borsh_option(r, &present));
      if (present) ZKI_TRY(zki_borsh_string(r, &b->host, ZK_QOS_MAX_STRING_LEN));
    }
    ZKI_TRY(zki_borsh_bool(r, &m->debug_mode));
  }
  uint32_t na;
  ZKI_TRY(zki_borsh_count(r, &na, ZK_QOS_MAX_ARGS, 4));
  m->args = calloc(na ? na : 1, sizeof *m->args);
  if (m->args == NULL) return r->err = ZK_ERR_NOMEM;
  m->n_args = na;
  for (uint32_t i = 0; i < na; i++)
    ZKI_TRY(zki_borsh_string(r, &m->args[i], ZK_QOS_MAX_STRING_LEN));
  ZKI_TRY(r_qset(r, &m->manifest_set, true));
  ZKI_TRY(r_qset(r, &m->share_set, true));
  for (int i = 0; i < 4; i++) ZKI_TRY(r_dup(r, &m->pcr[i], &m->pcr_len[i], ZK_QOS_MAX_PCR_LEN));
  ZKI_TRY(r_dup(r, &m->aws_root, &m->aws_root_len, ZK_QOS_MAX_CERT_LEN));
  ZKI_TRY(zki_borsh_string(r, &m->qos_commit, ZK_QOS_MAX_STRING_LEN));
  ZKI_TRY(r_qset(r, &m->patch_set, false));
  return ZK_OK;
}

static zk_status r_alist(zki_borsh_r *r, alist *l) {
  uint32_t n;
  ZKI_TRY(zki_borsh_count(r, &n, ZK_QOS_MAX_APPROVALS, 12));
  l->a = calloc(n ? n : 1, sizeof *l->a);
  if (l->a == NULL) return r->err = ZK_ERR_NOMEM;
  l->n = n;
  for (uint32_t i = 0; i < n; i++) {
    ZKI_TRY(r_dup(r, &l->a[i].sig, &l->a[i].sig_len, 256));
    ZKI_TRY(zki_borsh_string(r, &l->a[i].who.alias, ZK_QOS_MAX_STRING_LEN));
    ZKI_TRY(r_dup(r, &l->a[i].who.pub, &l->a[i].who.pub_len, ZK_QOS_MAX_KEY_LEN));
  }
  return ZK_OK;
}

static void w_alist(zki_borsh_w *w, const alist *l) {
  zki_borsh_w_u32(w, l->n);
  for (uint32_t i = 0; i < l->n; i++) {
    zki_borsh_w_bytes(w, l->a[i].sig, l->a[i].sig_len);
    zki_borsh_w_string(w, l->a[i].who.alias);
    zki_borsh_w_bytes(w, l->a[i].who.pub, l->a[i].who.pub_len);
  }
}

/* Decode one version; *mo receives the manifest, *envo (if non-NULL) the envelope lists. */
static zk_status decode_one(zk_qos_manifest **mo, alist *ms, alist *ss, const uint8_t *in,
                            size_t in_len, int version) {
  *mo = NULL;
  zk_qos_manifest *m = calloc(1, sizeof *m);
  if (m == NULL) return ZK_ERR_NOMEM;
  zki_borsh_r r;
  zki_borsh_r_init(&r, in, in_len);
  zk_status st = r_manifest(&r, m, version);
  if (st == ZK_OK && ms != NULL) {
    st = r_alist(&r, ms);
    if (st == ZK_OK) st = r_alist(&r, ss);
  }
  if (st == ZK_OK) st = zki_borsh_r_finish(&r);
  if (st == ZK_OK && ms == NULL)
    st = zk_sha256(m->hash, in, in_len);
  else if (st == ZK_OK)
    st = compute_hash(m);
  if (st != ZK_OK) {
    zk_qos_manifest_free(m);
    if (ms != NULL) {
      alist_clear(ms);
      alist_clear(ss);
    }
    return st;
  }
  *mo = m;
  return ZK_OK;
}

static zk_status decode_versions(zk_qos_manifest **mo, alist *ms, alist *ss, const uint8_t *in,
                                 size_t in_len, zk_qos_manifest_version ver) {
  if (in_len > ZK_QOS_MAX_MANIFEST_LEN) return ZK_ERR_TOO_LARGE;
  if (ver == ZK_QOS_MANIFEST_V0 || ver == ZK_QOS_MANIFEST_V1)
    return decode_one(mo, ms, ss, in, in_len, (int)ver);
  if (ver != ZK_QOS_MANIFEST_AUTO) return ZK_ERR_ARG;
  zk_qos_manifest *m1 = NULL, *m0 = NULL;
  alist ms1 = {0, NULL}, ss1 = {0, NULL}, ms0 = {0, NULL}, ss0 = {0, NULL};
  zk_status s1 = decode_one(&m1, ms ? &ms1 : NULL, &ss1, in, in_len, 1);
  zk_status s0 = decode_one(&m0, ms ? &ms0 : NULL, &ss0, in, in_len, 0);
  if (s1 == ZK_OK && s0 == ZK_OK) {
    zk_qos_manifest_free(m1);
    zk_qos_manifest_free(m0);
    alist_clear(&ms1);
    alist_clear(&ss1);
    alist_clear(&ms0);
    alist_clear(&ss0);
    return ZK_ERR_QOS_MANIFEST_VERSION;
  }
  if (s1 == ZK_OK) {
    *mo = m1;
    if (ms) {
      *ms = ms1;
      *ss = ss1;
    }
    return ZK_OK;
  }
  if (s0 == ZK_OK) {
    *mo = m0;
    if (ms) {
      *ms = ms0;
      *ss = ss0;
    }
    return ZK_OK;
  }
  return s1;
}

zk_status zk_qos_manifest_parse_borsh(zk_qos_manifest **out, const uint8_t *in, size_t in_len,
                                      zk_qos_manifest_version ver) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (in == NULL) return ZK_ERR_ARG;
  return decode_versions(out, NULL, NULL, in, in_len, ver);
}

zk_status zk_qos_envelope_parse_borsh(zk_qos_envelope **out, const uint8_t *in, size_t in_len,
                                      zk_qos_manifest_version ver) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (in == NULL) return ZK_ERR_ARG;
  zk_qos_envelope *env = calloc(1, sizeof *env);
  if (env == NULL) return ZK_ERR_NOMEM;
  zk_status st = decode_versions(&env->manifest, &env->ms, &env->ss, in, in_len, ver);
  if (st != ZK_OK) {
    zk_qos_envelope_free(env);
    return st;
  }
  *out = env;
  return ZK_OK;
}

zk_status zk_qos_envelope_serialize_borsh(const zk_qos_envelope *env, uint8_t **out,
                                          size_t *out_len) {
  if (out == NULL || out_len == NULL) return ZK_ERR_ARG;
  *out = NULL;
  *out_len = 0;
  if (env == NULL || env->manifest == NULL) return ZK_ERR_ARG;
  zki_borsh_w w;
  zki_borsh_w_init(&w);
  w_manifest(&w, env->manifest);
  w_alist(&w, &env->ms);
  w_alist(&w, &env->ss);
  return zki_borsh_w_take(&w, out, out_len);
}

/* ---- JSON decoding ---- */

/* Strict object: every key must be in allowed (NULL-terminated). */
static zk_status j_known(json_t *o, const char *const *allowed) {
  if (!json_is_object(o)) return ZK_ERR_TYPE;
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    (void)v;
    bool ok = false;
    for (size_t i = 0; allowed[i]; i++)
      if (strcmp(k, allowed[i]) == 0) ok = true;
    if (!ok) return ZK_ERR_UNKNOWN_FIELD;
  }
  return ZK_OK;
}

static zk_status j_get(json_t *o, const char *k, json_t **v) {
  *v = json_object_get(o, k);
  return *v ? ZK_OK : ZK_ERR_MISSING_FIELD;
}

static zk_status j_string(json_t *o, const char *k, char **out) {
  json_t *v;
  *out = NULL;
  ZKI_TRY(j_get(o, k, &v));
  if (!json_is_string(v)) return ZK_ERR_TYPE;
  size_t n = json_string_length(v);
  const char *s = json_string_value(v);
  if (n > ZK_QOS_MAX_STRING_LEN) return ZK_ERR_TOO_LARGE;
  if (memchr(s, 0, n) != NULL) return ZK_ERR_VALUE;
  *out = malloc(n + 1);
  if (*out == NULL) return ZK_ERR_NOMEM;
  memcpy(*out, s, n + 1);
  return ZK_OK;
}

static zk_status j_uint(json_t *o, const char *k, uint64_t max, uint64_t *out) {
  json_t *v;
  *out = 0;
  ZKI_TRY(j_get(o, k, &v));
  if (!json_is_integer(v)) return ZK_ERR_TYPE;
  json_int_t x = json_integer_value(v);
  if (x < 0 || (uint64_t)x > max) return ZK_ERR_VALUE;
  *out = (uint64_t)x;
  return ZK_OK;
}

/* Hex string (qos_hex: optional 0x prefix) of at most max bytes; exact when exact != 0. */
static zk_status j_hex(json_t *o, const char *k, size_t max, size_t exact, uint8_t **out,
                       size_t *out_len) {
  json_t *v;
  *out = NULL;
  *out_len = 0;
  ZKI_TRY(j_get(o, k, &v));
  if (!json_is_string(v)) return ZK_ERR_TYPE;
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (n >= 2 && s[0] == '0' && s[1] == 'x') {
    s += 2;
    n -= 2;
  }
  if (n % 2) return ZK_ERR_HEX;
  if (n / 2 > max) return ZK_ERR_TOO_LARGE;
  if (exact && n / 2 != exact) return ZK_ERR_VALUE;
  return zki_hex_decode_alloc(out, out_len, s, n);
}

static zk_status j_member(json_t *o, member *m, bool with_alias) {
  static const char *const with[] = {"alias", "pubKey", NULL};
  static const char *const without[] = {"pubKey", NULL};
  ZKI_TRY(j_known(o, with_alias ? with : without));
  if (with_alias) ZKI_TRY(j_string(o, "alias", &m->alias));
  return j_hex(o, "pubKey", ZK_QOS_MAX_KEY_LEN, 0, &m->pub, &m->pub_len);
}

static zk_status j_qset(json_t *o, const char *k, qset *s, bool with_alias) {
  static const char *const allowed[] = {"threshold", "members", NULL};
  json_t *v, *arr;
  uint64_t t;
  ZKI_TRY(j_get(o, k, &v));
  ZKI_TRY(j_known(v, allowed));
  ZKI_TRY(j_uint(v, "threshold", UINT32_MAX, &t));
  s->threshold = (uint32_t)t;
  ZKI_TRY(j_get(v, "members", &arr));
  if (!json_is_array(arr)) return ZK_ERR_TYPE;
  size_t n = json_array_size(arr);
  if (n > ZK_QOS_MAX_MEMBERS) return ZK_ERR_TOO_LARGE;
  s->m = calloc(n ? n : 1, sizeof *s->m);
  if (s->m == NULL) return ZK_ERR_NOMEM;
  s->n = (uint32_t)n;
  for (size_t i = 0; i < n; i++) ZKI_TRY(j_member(json_array_get(arr, i), &s->m[i], with_alias));
  return ZK_OK;
}

static zk_status j_pivot(json_t *p, zk_qos_manifest *m) {
  static const char *const allowed[] = {"hash",      "restart", "bridgeConfig",
                                        "debugMode", "args",    NULL};
  ZKI_TRY(j_known(p, allowed));
  uint8_t *h;
  size_t hn;
  ZKI_TRY(j_hex(p, "hash", 32, 32, &h, &hn));
  memcpy(m->pivot_hash, h, 32);
  free(h);
  json_t *v;
  ZKI_TRY(j_get(p, "restart", &v));
  if (!json_is_string(v)) return ZK_ERR_TYPE;
  if (strcmp(json_string_value(v), "Never") == 0)
    m->restart = 0;
  else if (strcmp(json_string_value(v), "Always") == 0)
    m->restart = 1;
  else
    return ZK_ERR_VALUE;
  v = json_object_get(p, "bridgeConfig");
  if (v != NULL) {
    if (!json_is_array(v)) return ZK_ERR_TYPE;
    size_t n = json_array_size(v);
    if (n > ZK_QOS_MAX_BRIDGES) return ZK_ERR_TOO_LARGE;
    m->bridges = calloc(n ? n : 1, sizeof *m->bridges);
    if (m->bridges == NULL) return ZK_ERR_NOMEM;
    m->n_bridges = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
      static const char *const ballowed[] = {"type", "port", "host", NULL};
      json_t *b = json_array_get(v, i), *t;
      ZKI_TRY(j_known(b, ballowed));
      ZKI_TRY(j_get(b, "type", &t));
      if (!json_is_string(t)) return ZK_ERR_TYPE;
      uint64_t port;
      ZKI_TRY(j_uint(b, "port", UINT16_MAX, &port));
      m->bridges[i].port = (uint16_t)port;
      if (strcmp(json_string_value(t), "server") == 0) {
        m->bridges[i].kind = 0;
        ZKI_TRY(j_string(b, "host", &m->bridges[i].host));
      } else if (strcmp(json_string_value(t), "client") == 0) {
        m->bridges[i].kind = 1;
        json_t *h2 = json_object_get(b, "host");
        if (h2 != NULL && !json_is_null(h2)) ZKI_TRY(j_string(b, "host", &m->bridges[i].host));
      } else {
        return ZK_ERR_VALUE;
      }
    }
  } else {
    m->bridges = calloc(1, sizeof *m->bridges);
    if (m->bridges == NULL) return ZK_ERR_NOMEM;
  }
  v = json_object_get(p, "debugMode");
  if (v != NULL) {
    if (!json_is_boolean(v)) return ZK_ERR_TYPE;
    m->debug_mode = json_is_true(v);
  }
  ZKI_TRY(j_get(p, "args", &v));
  if (!json_is_array(v)) return ZK_ERR_TYPE;
  size_t n = json_array_size(v);
  if (n > ZK_QOS_MAX_ARGS) return ZK_ERR_TOO_LARGE;
  m->args = calloc(n ? n : 1, sizeof *m->args);
  if (m->args == NULL) return ZK_ERR_NOMEM;
  m->n_args = (uint32_t)n;
  for (size_t i = 0; i < n; i++) {
    json_t *a = json_array_get(v, i);
    if (!json_is_string(a)) return ZK_ERR_TYPE;
    if (json_string_length(a) > ZK_QOS_MAX_STRING_LEN) return ZK_ERR_TOO_LARGE;
    if (memchr(json_string_value(a), 0, json_string_length(a))) return ZK_ERR_VALUE;
    m->args[i] = strdup(json_string_value(a));
    if (m->args[i] == NULL) return ZK_ERR_NOMEM;
  }
  return ZK_OK;
}

static zk_status j_manifest(json_t *o, zk_qos_manifest *m) {
  static const char *const allowed[] = {"namespace", "pivot",    "manifestSet", "shareSet",
                                        "enclave",   "patchSet", NULL};
  if (json_is_object(o) && json_object_get(o, "version") != NULL)
    return ZK_ERR_QOS_MANIFEST_VERSION;
  ZKI_TRY(j_known(o, allowed));
  m->version = 1;
  json_t *ns, *pv, *en;
  static const char *const ns_allowed[] = {"name", "nonce", "quorumKey", NULL};
  ZKI_TRY(j_get(o, "namespace", &ns));
  ZKI_TRY(j_known(ns, ns_allowed));
  ZKI_TRY(j_string(ns, "name", &m->ns_name));
  uint64_t nonce;
  ZKI_TRY(j_uint(ns, "nonce", UINT32_MAX, &nonce));
  m->ns_nonce = (uint32_t)nonce;
  ZKI_TRY(j_hex(ns, "quorumKey", ZK_QOS_MAX_KEY_LEN, 0, &m->quorum_key, &m->quorum_key_len));
  ZKI_TRY(j_get(o, "pivot", &pv));
  ZKI_TRY(j_pivot(pv, m));
  ZKI_TRY(j_qset(o, "manifestSet", &m->manifest_set, true));
  ZKI_TRY(j_qset(o, "shareSet", &m->share_set, true));
  static const char *const en_allowed[] = {
      "pcr0", "pcr1", "pcr2", "pcr3", "awsRootCertificate", "qosCommit", NULL};
  ZKI_TRY(j_get(o, "enclave", &en));
  ZKI_TRY(j_known(en, en_allowed));
  static const char *const pcrs[] = {"pcr0", "pcr1", "pcr2", "pcr3"};
  for (int i = 0; i < 4; i++)
    ZKI_TRY(j_hex(en, pcrs[i], ZK_QOS_MAX_PCR_LEN, 0, &m->pcr[i], &m->pcr_len[i]));
  ZKI_TRY(j_hex(en, "awsRootCertificate", ZK_QOS_MAX_CERT_LEN, 0, &m->aws_root, &m->aws_root_len));
  ZKI_TRY(j_string(en, "qosCommit", &m->qos_commit));
  ZKI_TRY(j_qset(o, "patchSet", &m->patch_set, false));
  return compute_hash(m);
}

zk_status zk_qos_manifest_parse_json(zk_qos_manifest **out, const char *json, size_t json_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (json == NULL) return ZK_ERR_ARG;
  json_t *j;
  ZKI_TRY(zki_json_load(&j, (const uint8_t *)json, json_len, ZK_QOS_MAX_MANIFEST_LEN, 0));
  zk_qos_manifest *m = calloc(1, sizeof *m);
  zk_status st = m ? j_manifest(j, m) : ZK_ERR_NOMEM;
  json_decref(j);
  if (st != ZK_OK) {
    zk_qos_manifest_free(m);
    return st;
  }
  *out = m;
  return ZK_OK;
}

static zk_status j_approval(json_t *o, zk_qos_approval *a) {
  static const char *const allowed[] = {"signature", "member", NULL};
  ZKI_TRY(j_known(o, allowed));
  ZKI_TRY(j_hex(o, "signature", 256, 0, &a->sig, &a->sig_len));
  json_t *m;
  ZKI_TRY(j_get(o, "member", &m));
  return j_member(m, &a->who, true);
}

static zk_status j_alist(json_t *o, const char *k, alist *l) {
  json_t *arr;
  ZKI_TRY(j_get(o, k, &arr));
  if (!json_is_array(arr)) return ZK_ERR_TYPE;
  size_t n = json_array_size(arr);
  if (n > ZK_QOS_MAX_APPROVALS) return ZK_ERR_TOO_LARGE;
  l->a = calloc(n ? n : 1, sizeof *l->a);
  if (l->a == NULL) return ZK_ERR_NOMEM;
  l->n = (uint32_t)n;
  for (size_t i = 0; i < n; i++) ZKI_TRY(j_approval(json_array_get(arr, i), &l->a[i]));
  return ZK_OK;
}

zk_status zk_qos_envelope_parse_json(zk_qos_envelope **out, const char *json, size_t json_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (json == NULL) return ZK_ERR_ARG;
  json_t *j;
  ZKI_TRY(zki_json_load(&j, (const uint8_t *)json, json_len, ZK_QOS_MAX_MANIFEST_LEN, 0));
  static const char *const allowed[] = {"manifest", "manifestSetApprovals", "shareSetApprovals",
                                        NULL};
  zk_qos_envelope *env = calloc(1, sizeof *env);
  zk_status st = env ? j_known(j, allowed) : ZK_ERR_NOMEM;
  json_t *mj = NULL;
  if (st == ZK_OK) st = j_get(j, "manifest", &mj);
  if (st == ZK_OK) {
    env->manifest = calloc(1, sizeof *env->manifest);
    st = env->manifest ? j_manifest(mj, env->manifest) : ZK_ERR_NOMEM;
  }
  if (st == ZK_OK) st = j_alist(j, "manifestSetApprovals", &env->ms);
  if (st == ZK_OK) st = j_alist(j, "shareSetApprovals", &env->ss);
  json_decref(j);
  if (st != ZK_OK) {
    zk_qos_envelope_free(env);
    return st;
  }
  *out = env;
  return ZK_OK;
}

/* ---- getters ---- */

const uint8_t *zk_qos_manifest_hash(const zk_qos_manifest *m) {
  return m ? m->hash : NULL;
}
int zk_qos_manifest_version_of(const zk_qos_manifest *m) {
  return m ? m->version : -1;
}
const char *zk_qos_manifest_namespace(const zk_qos_manifest *m) {
  return m ? m->ns_name : NULL;
}
uint32_t zk_qos_manifest_nonce(const zk_qos_manifest *m) {
  return m ? m->ns_nonce : 0;
}
const uint8_t *zk_qos_manifest_quorum_key(const zk_qos_manifest *m, size_t *len) {
  if (len) *len = m ? m->quorum_key_len : 0;
  return m ? m->quorum_key : NULL;
}
const uint8_t *zk_qos_manifest_pivot_hash(const zk_qos_manifest *m) {
  return m ? m->pivot_hash : NULL;
}
const uint8_t *zk_qos_manifest_pcr(const zk_qos_manifest *m, unsigned index, size_t *len) {
  if (len) *len = 0;
  if (m == NULL || index > 3) return NULL;
  if (len) *len = m->pcr_len[index];
  return m->pcr[index];
}

static const qset *set_of(const zk_qos_manifest *m, zk_qos_set_kind set) {
  if (m == NULL) return NULL;
  switch (set) {
    case ZK_QOS_SET_MANIFEST:
      return &m->manifest_set;
    case ZK_QOS_SET_SHARE:
      return &m->share_set;
    case ZK_QOS_SET_PATCH:
      return &m->patch_set;
  }
  return NULL;
}

uint32_t zk_qos_manifest_threshold(const zk_qos_manifest *m, zk_qos_set_kind set) {
  const qset *s = set_of(m, set);
  return s ? s->threshold : 0;
}
size_t zk_qos_manifest_member_count(const zk_qos_manifest *m, zk_qos_set_kind set) {
  const qset *s = set_of(m, set);
  return s ? s->n : 0;
}
zk_status zk_qos_manifest_member(const zk_qos_manifest *m, zk_qos_set_kind set, size_t i,
                                 const char **alias, const uint8_t **pub, size_t *pub_len) {
  if (alias) *alias = NULL;
  if (pub) *pub = NULL;
  if (pub_len) *pub_len = 0;
  const qset *s = set_of(m, set);
  if (s == NULL || alias == NULL || pub == NULL || pub_len == NULL) return ZK_ERR_ARG;
  if (i >= s->n) return ZK_ERR_NOT_FOUND;
  *alias = s->m[i].alias;
  *pub = s->m[i].pub;
  *pub_len = s->m[i].pub_len;
  return ZK_OK;
}

const zk_qos_manifest *zk_qos_envelope_manifest(const zk_qos_envelope *env) {
  return env ? env->manifest : NULL;
}
size_t zk_qos_envelope_approval_count(const zk_qos_envelope *env, zk_qos_set_kind set) {
  if (env == NULL) return 0;
  if (set == ZK_QOS_SET_MANIFEST) return env->ms.n;
  if (set == ZK_QOS_SET_SHARE) return env->ss.n;
  return 0;
}

/* ---- approvals ---- */

static zk_status approval_fill(zk_qos_approval *a, const uint8_t *sig, size_t sig_len,
                               const char *alias, const uint8_t *pub, size_t pub_len) {
  if (sig_len > 256 || pub_len > ZK_QOS_MAX_KEY_LEN) return ZK_ERR_TOO_LARGE;
  if (alias == NULL) alias = "";
  if (strlen(alias) > ZK_QOS_MAX_STRING_LEN) return ZK_ERR_TOO_LARGE;
  a->sig = zki_memdup(sig, sig_len);
  a->sig_len = sig_len;
  a->who.alias = strdup(alias);
  a->who.pub = zki_memdup(pub, pub_len);
  a->who.pub_len = pub_len;
  if (a->sig == NULL || a->who.alias == NULL || a->who.pub == NULL) return ZK_ERR_NOMEM;
  return ZK_OK;
}

zk_status zk_qos_approval_new(zk_qos_approval **out, const uint8_t *sig, size_t sig_len,
                              const char *alias, const uint8_t *pub, size_t pub_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if ((sig == NULL && sig_len) || (pub == NULL && pub_len)) return ZK_ERR_ARG;
  zk_qos_approval *a = calloc(1, sizeof *a);
  if (a == NULL) return ZK_ERR_NOMEM;
  zk_status st = approval_fill(a, sig, sig_len, alias, pub, pub_len);
  if (st != ZK_OK) {
    zk_qos_approval_free(a);
    return st;
  }
  *out = a;
  return ZK_OK;
}

zk_status zk_qos_approval_sign(zk_qos_approval **out, const zk_qos_keyset *ks, const char *alias,
                               const zk_qos_manifest *m) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (ks == NULL || m == NULL || alias == NULL) return ZK_ERR_ARG;
  uint8_t sig[ZK_QOS_SIG_LEN];
  ZKI_TRY(zk_qos_sign(ks, sig, sizeof sig, m->hash, sizeof m->hash));
  return zk_qos_approval_new(out, sig, sizeof sig, alias, zk_qos_keyset_public(ks),
                             ZK_QOS_PUBLIC_LEN);
}

zk_status zk_qos_envelope_new(zk_qos_envelope **out, const zk_qos_manifest *m) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (m == NULL) return ZK_ERR_ARG;
  uint8_t *b;
  size_t n;
  ZKI_TRY(zk_qos_manifest_serialize_borsh(m, &b, &n));
  zk_qos_envelope *env = calloc(1, sizeof *env);
  zk_status st =
      env ? zk_qos_manifest_parse_borsh(&env->manifest, b, n, (zk_qos_manifest_version)m->version)
          : ZK_ERR_NOMEM;
  free(b);
  if (st == ZK_OK) {
    env->ms.a = calloc(1, sizeof *env->ms.a);
    env->ss.a = calloc(1, sizeof *env->ss.a);
    if (env->ms.a == NULL || env->ss.a == NULL) st = ZK_ERR_NOMEM;
  }
  if (st != ZK_OK) {
    zk_qos_envelope_free(env);
    return st;
  }
  *out = env;
  return ZK_OK;
}

zk_status zk_qos_envelope_add_approval(zk_qos_envelope *env, zk_qos_set_kind set,
                                       const zk_qos_approval *a) {
  if (env == NULL || a == NULL) return ZK_ERR_ARG;
  alist *l = set == ZK_QOS_SET_MANIFEST ? &env->ms : set == ZK_QOS_SET_SHARE ? &env->ss : NULL;
  if (l == NULL) return ZK_ERR_ARG;
  if (l->n >= ZK_QOS_MAX_APPROVALS) return ZK_ERR_TOO_LARGE;
  zk_qos_approval *na = calloc(l->n + 1, sizeof *na);
  if (na == NULL) return ZK_ERR_NOMEM;
  zk_status st =
      approval_fill(&na[l->n], a->sig, a->sig_len, a->who.alias, a->who.pub, a->who.pub_len);
  if (st != ZK_OK) {
    approval_clear(&na[l->n]);
    free(na);
    return st;
  }
  if (l->n) memcpy(na, l->a, l->n * sizeof *na);
  free(l->a);
  l->a = na;
  l->n++;
  return ZK_OK;
}

static bool bytes_eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* Set well-formedness: threshold in 1..n; members distinct in alias, encrypt key and sign key. */
static zk_status check_set(const qset *s, bool with_alias) {
  if (s->threshold == 0 || s->threshold > s->n) return ZK_ERR_QOS_SET_THRESHOLD;
  for (uint32_t i = 0; i < s->n; i++) {
    if (s->m[i].pub_len != ZK_QOS_PUBLIC_LEN) return ZK_ERR_QOS_KEY;
    for (uint32_t k = 0; k < i; k++) {
      if (with_alias && strcmp(s->m[i].alias, s->m[k].alias) == 0)
        return ZK_ERR_QOS_DUPLICATE_MEMBER;
      if (memcmp(s->m[i].pub, s->m[k].pub, 65) == 0 ||
          memcmp(s->m[i].pub + 65, s->m[k].pub + 65, 65) == 0)
        return ZK_ERR_QOS_DUPLICATE_MEMBER;
    }
  }
  return ZK_OK;
}

static zk_status verify_list(const zk_qos_manifest *m, zk_qos_set_kind set,
                             const zk_qos_approval *const *ap, size_t n) {
  const qset *s = set_of(m, set);
  if (s == NULL || (ap == NULL && n > 0)) return ZK_ERR_ARG;
  const bool with_alias = set != ZK_QOS_SET_PATCH;
  ZKI_TRY(check_set(s, with_alias));
  if (n > ZK_QOS_MAX_APPROVALS) return ZK_ERR_TOO_LARGE;
  bool used[ZK_QOS_MAX_MEMBERS];
  memset(used, 0, sizeof used);
  size_t valid = 0;
  for (size_t i = 0; i < n; i++) {
    const zk_qos_approval *a = ap[i];
    if (a == NULL) return ZK_ERR_ARG;
    /* find the member */
    uint32_t idx = UINT32_MAX;
    for (uint32_t k = 0; k < s->n; k++) {
      if (!bytes_eq(s->m[k].pub, s->m[k].pub_len, a->who.pub, a->who.pub_len)) continue;
      if (with_alias && strcmp(s->m[k].alias, a->who.alias ? a->who.alias : "") != 0) continue;
      idx = k;
      break;
    }
    if (idx == UINT32_MAX) return ZK_ERR_QOS_APPROVER_UNKNOWN;
    if (used[idx]) return ZK_ERR_QOS_DUPLICATE_APPROVAL;
    used[idx] = true;
    zk_status st =
        zk_qos_verify(a->who.pub, a->who.pub_len, a->sig, a->sig_len, m->hash, sizeof m->hash);
    if (st == ZK_ERR_NOMEM) return st;
    if (st != ZK_OK) return ZK_ERR_QOS_APPROVAL;
    valid++;
  }
  if (valid < s->threshold) return ZK_ERR_QOS_THRESHOLD;
  return ZK_OK;
}

zk_status zk_qos_manifest_verify_approvals(const zk_qos_manifest *m, zk_qos_set_kind set,
                                           const zk_qos_approval *const *approvals, size_t n) {
  if (m == NULL) return ZK_ERR_ARG;
  return verify_list(m, set, approvals, n);
}

static zk_status verify_alist(const zk_qos_manifest *m, zk_qos_set_kind set, const alist *l) {
  const zk_qos_approval *ptrs[ZK_QOS_MAX_APPROVALS];
  if (l->n > ZK_QOS_MAX_APPROVALS) return ZK_ERR_TOO_LARGE;
  for (uint32_t i = 0; i < l->n; i++) ptrs[i] = &l->a[i];
  return verify_list(m, set, ptrs, l->n);
}

zk_status zk_qos_envelope_verify_approvals(const zk_qos_envelope *env, unsigned flags) {
  if (env == NULL || env->manifest == NULL) return ZK_ERR_ARG;
  if ((flags & ~(ZK_QOS_ENV_NO_SHARE_APPROVALS | ZK_QOS_ENV_SHARE_APPROVALS)) != 0 ||
      (flags & ZK_QOS_ENV_NO_SHARE_APPROVALS && flags & ZK_QOS_ENV_SHARE_APPROVALS))
    return ZK_ERR_ARG;
  ZKI_TRY(verify_alist(env->manifest, ZK_QOS_SET_MANIFEST, &env->ms));
  if ((flags & ZK_QOS_ENV_NO_SHARE_APPROVALS) && env->ss.n != 0) return ZK_ERR_QOS_SHARE_APPROVALS;
  if (flags & ZK_QOS_ENV_SHARE_APPROVALS)
    ZKI_TRY(verify_alist(env->manifest, ZK_QOS_SET_SHARE, &env->ss));
  return ZK_OK;
}

/* Internal: the raw approval list of an envelope (for proofs / provisioning). */
const zk_qos_approval *zki_qos_envelope_approval(const zk_qos_envelope *env, zk_qos_set_kind set,
                                                 size_t i) {
  if (env == NULL) return NULL;
  const alist *l = set == ZK_QOS_SET_MANIFEST ? &env->ms
                   : set == ZK_QOS_SET_SHARE  ? &env->ss
                                              : NULL;
  if (l == NULL || i >= l->n) return NULL;
  return &l->a[i];
}

zk_status zki_qos_manifest_as_v0(zk_qos_manifest *m) {
  if (m == NULL) return ZK_ERR_ARG;
  if (m->n_bridges != 0 || m->debug_mode) return ZK_ERR_QOS_MANIFEST_VERSION;
  m->version = 0;
  return compute_hash(m);
}

zk_status zki_qos_approval_check_one(const zk_qos_manifest *m, zk_qos_set_kind set,
                                     const zk_qos_approval *a, size_t *member_index) {
  if (member_index) *member_index = SIZE_MAX;
  const qset *s = set_of(m, set);
  if (s == NULL || a == NULL) return ZK_ERR_ARG;
  const bool with_alias = set != ZK_QOS_SET_PATCH;
  for (uint32_t k = 0; k < s->n; k++) {
    if (!bytes_eq(s->m[k].pub, s->m[k].pub_len, a->who.pub, a->who.pub_len)) continue;
    if (with_alias && strcmp(s->m[k].alias, a->who.alias ? a->who.alias : "") != 0) continue;
    zk_status st =
        zk_qos_verify(a->who.pub, a->who.pub_len, a->sig, a->sig_len, m->hash, sizeof m->hash);
    if (st == ZK_ERR_NOMEM) return st;
    if (st != ZK_OK) return ZK_ERR_QOS_APPROVAL;
    if (member_index) *member_index = k;
    return ZK_OK;
  }
  return ZK_ERR_QOS_APPROVER_UNKNOWN;
}

int zki_qos_manifest_same_set(const zk_qos_manifest *a, const zk_qos_manifest *b,
                              zk_qos_set_kind set) {
  const qset *x = set_of(a, set), *y = set_of(b, set);
  if (x == NULL || y == NULL || x->threshold != y->threshold || x->n != y->n) return 0;
  for (uint32_t i = 0; i < x->n; i++) {
    if ((x->m[i].alias == NULL) != (y->m[i].alias == NULL)) return 0;
    if (x->m[i].alias && strcmp(x->m[i].alias, y->m[i].alias) != 0) return 0;
    if (!bytes_eq(x->m[i].pub, x->m[i].pub_len, y->m[i].pub, y->m[i].pub_len)) return 0;
  }
  return 1;
}
