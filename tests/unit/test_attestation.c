/*
 * Nitro attestation documents: real AWS documents (vectors/nitro), the QOS
 * document and mock documents minted here with the QOS mock PKI
 * (vectors/turnkey/nitro/mock_pki_*), policy, chain cache, mutations.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkt.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* Real documents                                                            */

#define MAX_DOCS 16

typedef struct real_doc {
  char file[128];
  uint8_t *buf;
  size_t len;
  uint64_t verify_at, valid_from, valid_until, timestamp_ms;
  int debug;
  size_t npcrs;
  json_t *j; /* borrowed from the array */
} real_doc;

typedef struct real_set {
  json_t *arr;
  real_doc d[MAX_DOCS];
  size_t n;
} real_set;

static uint64_t jint(const json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  if (!json_is_integer(v)) fail_msg("documents.json: %s missing", k);
  return (uint64_t)json_integer_value(v);
}

/* Loads documents.json and every positive document (skips when vectors are absent). */
static void load_real(real_set *s) {
  memset(s, 0, sizeof *s);
  ZKT_VECTOR_JSON("nitro/documents.json", &s->arr);
  assert_true(json_is_array(s->arr));
  size_t i;
  json_t *o;
  json_array_foreach(s->arr, i, o) {
    const char *f = zkt_jstr(o, "file");
    if (strncmp(f, "NEGATIVE", 8) == 0) continue;
    assert_true(s->n < MAX_DOCS);
    real_doc *d = &s->d[s->n++];
    snprintf(d->file, sizeof d->file, "%s", f);
    char rel[256];
    snprintf(rel, sizeof rel, "nitro/%s", f);
    ZKT_VECTOR_FILE(rel, &d->buf, &d->len);
    d->verify_at = jint(o, "suggested_attime");
    d->valid_from = jint(o, "valid_from_epoch");
    d->valid_until = jint(o, "valid_until_epoch");
    d->timestamp_ms = jint(o, "timestamp_ms");
    d->npcrs = (size_t)jint(o, "npcrs");
    d->debug = strspn(zkt_jstr(o, "pcr0"), "0") == 96;
    d->j = o;
  }
  assert_true(s->n >= 6);
}

static void free_real(real_set *s) {
  for (size_t i = 0; i < s->n; i++) free(s->d[i].buf);
  json_decref(s->arr);
}

static real_doc *find_doc(real_set *s, const char *prefix) {
  for (size_t i = 0; i < s->n; i++)
    if (strncmp(s->d[i].file, prefix, strlen(prefix)) == 0) return &s->d[i];
  fail_msg("document %s not found", prefix);
  return NULL;
}

/* Policy under which a real document is expected to verify. */
static zk_att_policy *policy_for(const real_doc *d) {
  zk_att_policy *p = NULL;
  zkt_assert_ok(zk_att_policy_new(&p));
  zk_att_policy_allow_debug(p, d->debug);
  return p;
}

static zk_status verify_real(const zk_att_verifier *v, const real_doc *d, uint64_t at,
                             const zk_att_policy *p) {
  zk_att_doc *doc = (zk_att_doc *)(uintptr_t)1; /* must be reset to NULL */
  size_t off = 7;
  zk_status st = zk_att_verify(v, &doc, d->buf, d->len, at, p, &off);
  if (st == ZK_OK) {
    assert_non_null(doc);
    assert_true(zk_att_doc_is_verified(doc));
  } else {
    assert_null(doc);
  }
  zk_att_doc_free(doc);
  return st;
}

/* Compare a byte-string accessor with a JSON hex string or null. */
static void check_field(const uint8_t *p, size_t len, const json_t *j) {
  if (json_is_null(j) || j == NULL) {
    assert_null(p);
    assert_int_equal(len, 0);
    return;
  }
  size_t wl;
  uint8_t *want = zkt_hex(json_string_value(j), &wl);
  assert_non_null(p);
  assert_int_equal(len, wl);
  assert_memory_equal(p, want, wl);
  free(want);
}

static void check_fields(const zk_att_doc *doc, const real_doc *d) {
  size_t len;
  const char *mid = zk_att_doc_module_id(doc, &len);
  const char *want = zkt_jstr(d->j, "module_id");
  assert_int_equal(len, strlen(want));
  assert_memory_equal(mid, want, len);
  assert_int_equal(zk_att_doc_timestamp_ms(doc), d->timestamp_ms);
  static const unsigned idx[] = {0, 1, 2, 3, 4, 8};
  for (size_t i = 0; i < ARRAY_LEN(idx); i++) {
    char key[8];
    snprintf(key, sizeof key, "pcr%u", idx[i]);
    const uint8_t *p = zk_att_doc_pcr(doc, idx[i], &len);
    check_field(p, len, json_object_get(d->j, key));
  }
  uint32_t mask = zk_att_doc_pcr_mask(doc);
  size_t n = 0;
  for (unsigned i = 0; i < 32; i++) n += (mask >> i) & 1u;
  assert_int_equal(n, d->npcrs);
  assert_int_equal(zk_att_doc_is_debug(doc), d->debug);
  const uint8_t *p = zk_att_doc_public_key(doc, &len);
  check_field(p, len, json_object_get(d->j, "public_key"));
  p = zk_att_doc_user_data(doc, &len);
  check_field(p, len, json_object_get(d->j, "user_data"));
  p = zk_att_doc_nonce(doc, &len);
  check_field(p, len, json_object_get(d->j, "nonce"));
  assert_int_equal(zk_att_doc_cabundle_count(doc), (size_t)jint(d->j, "cabundle_len"));
  /* cabundle[0] is byte-identical to the pinned root */
  size_t rl, cl;
  const uint8_t *root = zk_att_aws_root_der(&rl);
  const uint8_t *c0 = zk_att_doc_cabundle(doc, 0, &cl);
  assert_int_equal(rl, cl);
  assert_memory_equal(root, c0, rl);
  assert_non_null(zk_att_doc_certificate(doc, &cl));
  assert_true(cl > 0);
  const uint8_t *raw = zk_att_doc_bytes(doc, &cl);
  assert_int_equal(cl, d->len);
  assert_memory_equal(raw, d->buf, cl);
}

/* ------------------------------------------------------------------------ */
/* Tiny CBOR writer for minted documents                                     */

typedef struct wbuf {
  uint8_t *p;
  size_t n, cap;
} wbuf;

static void w_raw(wbuf *w, const void *src, size_t len) {
  if (w->n + len > w->cap) {
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->n + len) cap *= 2;
    uint8_t *np = realloc(w->p, cap);
    assert_non_null(np);
    w->p = np;
    w->cap = cap;
  }
  if (len) memcpy(w->p + w->n, src, len);
  w->n += len;
}

static void w_byte(wbuf *w, uint8_t b) {
  w_raw(w, &b, 1);
}

static void w_head(wbuf *w, unsigned major, uint64_t v) {
  uint8_t h[9];
  size_t n;
  h[0] = (uint8_t)(major << 5);
  if (v < 24) {
    h[0] |= (uint8_t)v;
    n = 1;
  } else if (v <= 0xff) {
    h[0] |= 24;
    h[1] = (uint8_t)v;
    n = 2;
  } else if (v <= 0xffff) {
    h[0] |= 25;
    h[1] = (uint8_t)(v >> 8);
    h[2] = (uint8_t)v;
    n = 3;
  } else if (v <= 0xffffffffu) {
    h[0] |= 26;
    for (int i = 0; i < 4; i++) h[1 + i] = (uint8_t)(v >> (24 - 8 * i));
    n = 5;
  } else {
    h[0] |= 27;
    for (int i = 0; i < 8; i++) h[1 + i] = (uint8_t)(v >> (56 - 8 * i));
    n = 9;
  }
  w_raw(w, h, n);
}

static void w_bytes(wbuf *w, const uint8_t *p, size_t len) {
  w_head(w, 2, len);
  w_raw(w, p, len);
}

static void w_text(wbuf *w, const char *s) {
  w_head(w, 3, strlen(s));
  w_raw(w, s, strlen(s));
}

/* ------------------------------------------------------------------------ */
/* Mock PKI and minting                                                      */

typedef struct mock_pki {
  uint8_t *root, *inter, *leaf;
  size_t root_len, inter_len, leaf_len;
  zk_key *key; /* leaf private key */
} mock_pki;

static void load_mock(mock_pki *m) {
  memset(m, 0, sizeof *m);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_root.der", &m->root, &m->root_len);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_intermediate.der", &m->inter, &m->inter_len);
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_leaf.der", &m->leaf, &m->leaf_len);
  uint8_t *hex = NULL;
  size_t hl = 0;
  ZKT_VECTOR_FILE("turnkey/nitro/mock_pki_leaf_p384_secret.hex", &hex, &hl);
  while (hl > 0 && (hex[hl - 1] == '\n' || hex[hl - 1] == '\r' || hex[hl - 1] == ' '))
    hex[--hl] = 0;
  size_t sl;
  uint8_t *secret = zkt_hex((const char *)hex, &sl);
  assert_int_equal(sl, 48);
  zkt_assert_ok(zk_key_from_private(&m->key, ZK_CURVE_P384, secret, sl));
  zk_wipe(secret, sl);
  free(secret);
  free(hex);
}

static void free_mock(mock_pki *m) {
  free(m->root);
  free(m->inter);
  free(m->leaf);
  zk_key_free(m->key);
}

#define MOCK_TS_MS UINT64_C(1700000000123)
#define MOCK_AT UINT64_C(1700000000)

/* Knobs for a minted payload; zero = the normal, valid value. */
typedef struct spec {
  int indefinite; /* payload map BF .. FF */
  int pcrs_indefinite, cab_indefinite;
  int optionals;                    /* 0: null, 1: present, 2: omitted */
  size_t pk_len, ud_len, nonce_len; /* sizes when present (default 32) */
  const char *module_id;            /* NULL = default */
  const char *digest;               /* NULL = "SHA384" */
  int ts_kind;                      /* 0 uint, 1 negative int, 2 text */
  uint64_t ts;                      /* 0 with ts_zero = zero */
  int ts_zero;
  int npcrs;          /* 0 = 16; -1 = empty map */
  unsigned bad_index; /* if non-zero: index of the last PCR */
  size_t pcr_len;     /* 0 = 48 */
  int pcr0_zero;
  int cab_n;   /* 0 = [root, intermediate]; -1 = empty; 1 = [root] */
  int corrupt; /* 1: intermediate's signature damaged; 2: leaf's */
  int dup_key, unknown_key, int_key, tag_inside, trailing, not_map;
  unsigned missing;    /* bit per field name index below */
  const uint8_t *cert; /* NULL = mock leaf */
  size_t cert_len;
} spec;

enum { M_MODULE_ID = 1, M_DIGEST = 2, M_TIMESTAMP = 4, M_PCRS = 8, M_CERT = 16, M_CAB = 32 };

static const uint8_t nitro_prot[4] = {0xa1, 0x01, 0x38, 0x22};

static void opt_field(wbuf *w, size_t *count, const char *name, int mode, size_t len,
                      uint8_t fill) {
  if (mode == 2) return;
  w_text(w, name);
  if (mode == 0) {
    w_byte(w, 0xf6);
  } else {
    uint8_t *b = malloc(len + 1);
    assert_non_null(b);
    memset(b, fill, len);
    w_bytes(w, b, len);
    free(b);
  }
  (*count)++;
}

static uint8_t *build_payload(const mock_pki *m, const spec *s, size_t *out_len) {
  wbuf e = {0}, w = {0};
  size_t count = 0;
  if (!(s->missing & M_MODULE_ID)) {
    w_text(&e, "module_id");
    w_text(&e, s->module_id ? s->module_id : "i-0123456789abcdef0-enc0123456789abcdef");
    count++;
  }
  if (!(s->missing & M_DIGEST)) {
    w_text(&e, "digest");
    w_text(&e, s->digest ? s->digest : "SHA384");
    count++;
  }
  if (!(s->missing & M_TIMESTAMP)) {
    w_text(&e, "timestamp");
    if (s->tag_inside) w_head(&e, 6, 1); /* tag 1 (epoch time) is not allowed */
    uint64_t ts = s->ts_zero ? 0 : (s->ts ? s->ts : MOCK_TS_MS);
    if (s->ts_kind == 1)
      w_head(&e, 1, ts);
    else if (s->ts_kind == 2)
      w_text(&e, "1700000000123");
    else
      w_head(&e, 0, ts);
    count++;
  }
  if (!(s->missing & M_PCRS)) {
    w_text(&e, "pcrs");
    int n = s->npcrs == 0 ? 16 : (s->npcrs < 0 ? 0 : s->npcrs);
    if (s->pcrs_indefinite)
      w_byte(&e, 0xbf);
    else
      w_head(&e, 5, (uint64_t)n);
    size_t plen = s->pcr_len ? s->pcr_len : 48;
    for (int i = 0; i < n; i++) {
      unsigned idx = (s->bad_index && i == n - 1) ? s->bad_index : (unsigned)i;
      w_head(&e, 0, idx);
      uint8_t v[80];
      memset(v, (i == 0 && s->pcr0_zero) ? 0 : i + 1, sizeof v);
      w_bytes(&e, v, plen);
    }
    if (s->pcrs_indefinite) w_byte(&e, 0xff);
    count++;
  }
  if (!(s->missing & M_CERT)) {
    w_text(&e, "certificate");
    if (s->cert) {
      w_bytes(&e, s->cert, s->cert_len);
    } else {
      uint8_t *c = malloc(m->leaf_len);
      memcpy(c, m->leaf, m->leaf_len);
      if (s->corrupt == 2) c[m->leaf_len - 1] ^= 1; /* last byte of the ECDSA signature */
      w_bytes(&e, c, m->leaf_len);
      free(c);
    }
    count++;
  }
  if (!(s->missing & M_CAB)) {
    w_text(&e, "cabundle");
    int n = s->cab_n < 0 ? 0 : (s->cab_n == 1 ? 1 : 2);
    if (s->cab_indefinite)
      w_byte(&e, 0x9f);
    else
      w_head(&e, 4, (uint64_t)n);
    if (n >= 1) w_bytes(&e, m->root, m->root_len);
    if (n >= 2) {
      uint8_t *c = malloc(m->inter_len);
      memcpy(c, m->inter, m->inter_len);
      if (s->corrupt == 1) c[m->inter_len - 1] ^= 1;
      w_bytes(&e, c, m->inter_len);
      free(c);
    }
    if (s->cab_indefinite) w_byte(&e, 0xff);
    count++;
  }
  opt_field(&e, &count, "public_key", s->optionals, s->pk_len ? s->pk_len : 32, 0x11);
  opt_field(&e, &count, "user_data", s->optionals, s->ud_len ? s->ud_len : 32, 0x22);
  opt_field(&e, &count, "nonce", s->optionals, s->nonce_len ? s->nonce_len : 32, 0x33);
  if (s->dup_key) {
    w_text(&e, "digest");
    w_text(&e, "SHA384");
    count++;
  }
  if (s->unknown_key) {
    w_text(&e, "extra");
    w_head(&e, 0, 1);
    count++;
  }
  if (s->int_key) {
    w_head(&e, 0, 1);
    w_head(&e, 0, 1);
    count++;
  }
  if (s->not_map) {
    w_head(&w, 4, 1);
    w_head(&w, 0, 1);
  } else {
    if (s->indefinite)
      w_byte(&w, 0xbf);
    else
      w_head(&w, 5, count);
    w_raw(&w, e.p, e.n);
    if (s->indefinite) w_byte(&w, 0xff);
  }
  if (s->trailing) w_byte(&w, 0x00);
  free(e.p);
  *out_len = w.n;
  return w.p;
}

/* COSE_Sign1 over payload with the given protected header; sig_len 0 = 96 (real
 * signature), other lengths produce a filler signature of that size. */
static uint8_t *mint_raw(size_t *out_len, const zk_key *key, const uint8_t *prot, size_t prot_len,
                         const uint8_t *payload, size_t plen, int tagged, size_t sig_len) {
  uint8_t *tbs = NULL;
  size_t tbs_len = 0;
  zkt_assert_ok(zk_cose_sig_structure(&tbs, &tbs_len, prot, prot_len, NULL, 0, payload, plen));
  uint8_t sig[160];
  size_t sl = sizeof sig;
  if (sig_len == 0) {
    zkt_assert_ok(zk_key_sign(key, ZK_SIG_RAW, sig, &sl, tbs, tbs_len));
    assert_int_equal(sl, 96);
  } else {
    assert_true(sig_len <= sizeof sig);
    memset(sig, 0x5a, sig_len);
    sl = sig_len;
  }
  free(tbs);
  wbuf w = {0};
  if (tagged) w_byte(&w, 0xd2);
  w_head(&w, 4, 4);
  w_bytes(&w, prot, prot_len);
  w_byte(&w, 0xa0);
  w_bytes(&w, payload, plen);
  w_bytes(&w, sig, sl);
  *out_len = w.n;
  return w.p;
}

/* Correctly signed documents whose envelope is not encoded the NSM way. */
enum {
  V_UNPROT_KID = 1,
  V_ARRAY_INDEF,
  V_ARRAY_LONG,
  V_PROT_LONG,
  V_PAYLOAD_LONG,
  V_PAYLOAD_CHUNKED,
  V_SIG_LONG
};

static uint8_t *mint_variant(size_t *out_len, const zk_key *key, const uint8_t *payload,
                             size_t plen, int variant) {
  uint8_t *tbs = NULL;
  size_t tbs_len = 0;
  zkt_assert_ok(zk_cose_sig_structure(&tbs, &tbs_len, nitro_prot, 4, NULL, 0, payload, plen));
  uint8_t sig[96];
  size_t sl = sizeof sig;
  zkt_assert_ok(zk_key_sign(key, ZK_SIG_RAW, sig, &sl, tbs, tbs_len));
  free(tbs);
  wbuf w = {0};
  static const uint8_t long_array[2] = {0x98, 0x04}, long_prot[2] = {0x58, 0x04};
  static const uint8_t kid_hdr[4] = {0xa1, 0x04, 0x41, 0x01}, long_sig[3] = {0x59, 0x00, 0x60};
  if (variant == V_ARRAY_INDEF)
    w_byte(&w, 0x9f);
  else if (variant == V_ARRAY_LONG)
    w_raw(&w, long_array, 2);
  else
    w_byte(&w, 0x84);
  if (variant == V_PROT_LONG)
    w_raw(&w, long_prot, 2);
  else
    w_byte(&w, 0x44);
  w_raw(&w, nitro_prot, 4);
  if (variant == V_UNPROT_KID)
    w_raw(&w, kid_hdr, 4);
  else
    w_byte(&w, 0xa0);
  if (variant == V_PAYLOAD_LONG) {
    w_byte(&w, 0x5a);
    for (int i = 0; i < 4; i++) w_byte(&w, (uint8_t)(plen >> (24 - 8 * i)));
    w_raw(&w, payload, plen);
  } else if (variant == V_PAYLOAD_CHUNKED) {
    w_byte(&w, 0x5f);
    w_bytes(&w, payload, plen / 2);
    w_bytes(&w, payload + plen / 2, plen - plen / 2);
    w_byte(&w, 0xff);
  } else {
    w_bytes(&w, payload, plen);
  }
  if (variant == V_SIG_LONG) {
    w_raw(&w, long_sig, 3);
    w_raw(&w, sig, 96);
  } else {
    w_bytes(&w, sig, 96);
  }
  if (variant == V_ARRAY_INDEF) w_byte(&w, 0xff);
  *out_len = w.n;
  return w.p;
}

static uint8_t *mint(size_t *out_len, const mock_pki *m, const spec *s, int tagged) {
  size_t plen;
  uint8_t *payload = build_payload(m, s, &plen);
  uint8_t *doc = mint_raw(out_len, m->key, nitro_prot, sizeof nitro_prot, payload, plen, tagged, 0);
  free(payload);
  return doc;
}

static zk_att_verifier *mock_verifier(const mock_pki *m) {
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, ZK_ATT_VERIFIER_NO_AWS_ROOT));
  zkt_assert_ok(zk_att_verifier_add_root_der(v, m->root, m->root_len));
  assert_int_equal(zk_att_verifier_root_count(v), 1);
  return v;
}

static zk_status verify_buf(const zk_att_verifier *v, const uint8_t *buf, size_t len, uint64_t at,
                            const zk_att_policy *p) {
  zk_att_doc *doc = NULL;
  zk_status st = zk_att_verify(v, &doc, buf, len, at, p, NULL);
  if (st == ZK_OK) {
    assert_non_null(doc);
  } else {
    assert_null(doc);
  }
  zk_att_doc_free(doc);
  return st;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

static void test_builtin_root(void **state) {
  (void)state;
  size_t len;
  const uint8_t *der = zk_att_aws_root_der(&len);
  assert_int_equal(len, 533);
  uint8_t fp[32];
  zkt_assert_ok(zk_sha256(fp, der, len));
  uint8_t *want = zkt_hex("641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b", NULL);
  assert_memory_equal(fp, want, 32);
  free(want);

  /* Identical to the published PEM; adding it again does not duplicate it. */
  uint8_t *pem = NULL;
  size_t pem_len = 0;
  ZKT_VECTOR_FILE("nitro/aws_nitro_root_g1.pem", &pem, &pem_len);
  BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
  X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
  assert_non_null(x);
  unsigned char *d2 = NULL;
  int n = i2d_X509(x, &d2);
  assert_int_equal(n, 533);
  assert_memory_equal(d2, der, 533);
  /* its self-signature verifies */
  assert_int_equal(X509_verify(x, X509_get0_pubkey(x)), 1);
  OPENSSL_free(d2);
  X509_free(x);
  BIO_free(bio);

  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  assert_int_equal(zk_att_verifier_root_count(v), 1);
  zkt_assert_ok(zk_att_verifier_add_root_pem(v, (const char *)pem, pem_len));
  zkt_assert_ok(zk_att_verifier_add_root_der(v, der, len));
  assert_int_equal(zk_att_verifier_root_count(v), 1);

  /* Not roots: garbage, trailing bytes, a non-self-signed CA, a leaf, empty PEM. */
  mock_pki m;
  load_mock(&m);
  zkt_assert_status(zk_att_verifier_add_root_der(v, m.inter, m.inter_len), ZK_ERR_ATT_CERT);
  zkt_assert_status(zk_att_verifier_add_root_der(v, m.leaf, m.leaf_len), ZK_ERR_ATT_CERT);
  uint8_t *tr = malloc(m.root_len + 1);
  memcpy(tr, m.root, m.root_len);
  tr[m.root_len] = 0;
  zkt_assert_status(zk_att_verifier_add_root_der(v, tr, m.root_len + 1), ZK_ERR_ATT_CERT);
  zkt_assert_status(zk_att_verifier_add_root_der(v, tr, m.root_len - 1), ZK_ERR_ATT_CERT);
  tr[m.root_len - 1] ^= 1; /* breaks the self-signature */
  zkt_assert_status(zk_att_verifier_add_root_der(v, tr, m.root_len), ZK_ERR_ATT_CERT);
  free(tr);
  zkt_assert_status(zk_att_verifier_add_root_pem(v, "hello", 5), ZK_ERR_ATT_CERT);
  const char *broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  zkt_assert_status(zk_att_verifier_add_root_pem(v, broken, strlen(broken)), ZK_ERR_ATT_CERT);
  zkt_assert_status(zk_att_verifier_add_root_der(v, NULL, 0), ZK_ERR_ARG);
  assert_int_equal(zk_att_verifier_root_count(v), 1);
  zkt_assert_ok(zk_att_verifier_add_root_der(v, m.root, m.root_len));
  assert_int_equal(zk_att_verifier_root_count(v), 2);
  zkt_assert_status(zk_att_verifier_new(NULL, 0), ZK_ERR_ARG);
  zk_att_verifier *v2 = (zk_att_verifier *)(uintptr_t)1;
  zkt_assert_status(zk_att_verifier_new(&v2, 0x80), ZK_ERR_ARG);
  assert_null(v2);
  zk_att_verifier_free(v);
  zk_att_verifier_free(NULL);
  zk_att_policy_free(NULL);
  zk_att_doc_free(NULL);
  free_mock(&m);
  free(pem);
}

static void test_real_documents(void **state) {
  (void)state;
  real_set s;
  load_real(&s);
  zk_att_verifier *v = NULL, *mock_only = NULL, *empty = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  zkt_assert_ok(zk_att_verifier_new(&empty, ZK_ATT_VERIFIER_NO_AWS_ROOT));
  mock_pki m;
  load_mock(&m);
  mock_only = mock_verifier(&m);
  unsigned long run = 0, passed = 0;
  for (size_t i = 0; i < s.n; i++) {
    real_doc *d = &s.d[i];
    zk_att_policy *p = policy_for(d);
    zk_att_doc *doc = NULL;
    run++;
    zkt_assert_ok(zk_att_verify(v, &doc, d->buf, d->len, d->verify_at, p, NULL));
    check_fields(doc, d);
    assert_false(zk_att_doc_is_tagged(doc));
    zk_att_doc_free(doc);
    passed++;
    /* Validity boundaries of the 3-hour leaf (OpenSSL: notBefore <= t < notAfter). */
    zkt_assert_ok(verify_real(v, d, d->valid_until - 1, p));
    zkt_assert_status(verify_real(v, d, d->valid_until, p), ZK_ERR_ATT_EXPIRED);
    zkt_assert_status(verify_real(v, d, d->valid_until + 1, p), ZK_ERR_ATT_EXPIRED);
    zkt_assert_status(verify_real(v, d, d->valid_from - 1, p), ZK_ERR_ATT_NOT_YET_VALID);
    zkt_assert_status(verify_real(v, d, ZK_ATT_TIME_NOW, p), ZK_ERR_ATT_EXPIRED);
    /* Debug documents need an explicit opt-in; NULL policy = defaults. */
    zkt_assert_status(verify_real(v, d, d->verify_at, NULL), d->debug ? ZK_ERR_ATT_DEBUG : ZK_OK);
    /* Other roots: mock only, none. */
    zkt_assert_status(verify_real(mock_only, d, d->verify_at, p), ZK_ERR_ATT_UNTRUSTED_ROOT);
    zkt_assert_status(verify_real(empty, d, d->verify_at, p), ZK_ERR_ATT_UNTRUSTED_ROOT);
    /* Tag 18 is accepted; other tags, a long-form tag 18 and trailing bytes are not. */
    uint8_t *t = malloc(d->len + 2);
    t[0] = 0xd2;
    memcpy(t + 1, d->buf, d->len);
    zkt_assert_ok(zk_att_verify(v, &doc, t, d->len + 1, d->verify_at, p, NULL));
    assert_true(zk_att_doc_is_tagged(doc));
    zk_att_doc_free(doc);
    t[0] = 0xd1;
    zkt_assert_status(verify_buf(v, t, d->len + 1, d->verify_at, p), ZK_ERR_UNKNOWN_TAG);
    t[0] = 0xd8;
    t[1] = 0x12;
    memcpy(t + 2, d->buf, d->len);
    zkt_assert_status(verify_buf(v, t, d->len + 2, d->verify_at, p), ZK_ERR_UNKNOWN_TAG);
    memcpy(t, d->buf, d->len);
    t[d->len] = 0x00;
    size_t off = 0;
    zkt_assert_status(zk_att_verify(v, &doc, t, d->len + 1, d->verify_at, p, &off),
                      ZK_ERR_TRAILING);
    assert_null(doc);
    assert_int_equal(off, d->len);
    free(t);
    zk_att_policy_free(p);
  }
  zkt_report("attestation-real-documents", run, passed);
  assert_int_equal(run, passed);
  zk_att_verifier_free(v);
  zk_att_verifier_free(mock_only);
  zk_att_verifier_free(empty);
  free_mock(&m);
  free_real(&s);
}

static void test_real_flips(void **state) {
  (void)state;
  real_set s;
  load_real(&s);
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  unsigned long tried = 0, rejected = 0;
  unsigned long by_status[1024] = {0};
  clock_t c0 = clock();
  for (size_t i = 0; i < s.n; i++) {
    real_doc *d = &s.d[i];
    zk_att_policy *p = policy_for(d);
    zkt_assert_ok(verify_real(v, d, d->verify_at, p)); /* the unmutated document passes */
    size_t stride = zkt_stride(d->len);
    for (size_t k = 0; k < d->len; k += stride) {
      d->buf[k] ^= 0x01;
      zk_status st = verify_buf(v, d->buf, d->len, d->verify_at, p);
      d->buf[k] ^= 0x01;
      tried++;
      if (st != ZK_OK)
        rejected++;
      else
        fail_msg("%s: flip at %zu accepted", d->file, k);
      by_status[(unsigned)st < 1024 ? (unsigned)st : 0]++;
    }
    zkt_assert_ok(verify_real(v, d, d->verify_at, p));
    zk_att_policy_free(p);
  }
  zkt_report_mutations("attestation-real-flips", tried, rejected);
  printf("flip statuses:");
  for (unsigned k = 0; k < 1024; k++)
    if (by_status[k]) printf(" %s=%lu", zk_status_name((zk_status)k), by_status[k]);
  uint64_t hits, misses;
  zk_att_verifier_cache_stats(v, &hits, &misses, NULL);
  printf("\ncache hits=%llu misses=%llu, %.1f s cpu\n", (unsigned long long)hits,
         (unsigned long long)misses, (double)(clock() - c0) / CLOCKS_PER_SEC);
  assert_int_equal(tried, rejected);
  assert_true(hits > 0);
  zk_att_verifier_free(v);
  free_real(&s);
}

static void test_real_truncations(void **state) {
  (void)state;
  real_set s;
  load_real(&s);
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  unsigned long tried = 0, rejected = 0;
  for (size_t i = 0; i < s.n; i++) {
    real_doc *d = &s.d[i];
    zk_att_policy *p = policy_for(d);
    size_t stride = zkt_stride(d->len);
    for (size_t k = 0; k < d->len; k += stride) {
      zk_status st = verify_buf(v, d->buf, k, d->verify_at, p);
      tried++;
      if (st != ZK_OK) rejected++;
      zk_att_doc *doc = NULL;
      assert_int_not_equal(zk_att_parse_unverified(&doc, d->buf, k, NULL), ZK_OK);
      assert_null(doc);
    }
    zk_att_policy_free(p);
  }
  zkt_report_mutations("attestation-real-truncations", tried, rejected);
  assert_int_equal(tried, rejected);
  zk_att_verifier_free(v);
  free_real(&s);
}

static void test_negative_document(void **state) {
  (void)state;
  uint8_t *buf = NULL;
  size_t len = 0;
  ZKT_VECTOR_FILE("nitro/NEGATIVE_base_2026-01-03_unrepaired_missing3bytes.cose", &buf, &len);
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  zk_att_policy *p = NULL;
  zkt_assert_ok(zk_att_policy_new(&p));
  zk_att_policy_allow_debug(p, 1);
  zk_att_doc *doc = NULL;
  size_t off = 0;
  zk_status st = zk_att_verify(v, &doc, buf, len, 1767398400 /* 2026-01-03 */, p, &off);
  printf("NEGATIVE document: %s at offset %zu of %zu\n", zk_status_name(st), off, len);
  assert_null(doc);
  /* a parse error (encoding family or COSE structure), never a later stage */
  assert_true((st >= 100 && st < 200) || (st >= 300 && st < 350));
  zk_status st2 = zk_att_parse_unverified(&doc, buf, len, NULL);
  zkt_assert_status(st2, st);
  assert_null(doc);
  zkt_report("attestation-negative", 1, 1);
  zk_att_policy_free(p);
  zk_att_verifier_free(v);
  free(buf);
}

static uint8_t *hexfield(const real_doc *d, const char *k, size_t *len) {
  return zkt_hex(zkt_jstr(d->j, k), len);
}

static void test_policy(void **state) {
  (void)state;
  real_set s;
  load_real(&s);
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  real_doc *nd = find_doc(&s, "evervault_2023-01-18_nondebug");
  real_doc *dbg = find_doc(&s, "evervault_2023-01-18_debug");
  real_doc *qos = find_doc(&s, "qos_2022-07-06");
  real_doc *ga = find_doc(&s, "evervault_2023-09-18_ga");
  zk_att_policy *p = NULL;

  /* PCRs: exact values, sets of accepted values, mismatch, missing index. */
  zkt_assert_ok(zk_att_policy_new(&p));
  static const unsigned idx[] = {0, 1, 2, 3, 4, 8};
  for (size_t i = 0; i < ARRAY_LEN(idx); i++) {
    char key[8];
    snprintf(key, sizeof key, "pcr%u", idx[i]);
    size_t l;
    uint8_t *val = hexfield(nd, key, &l);
    zkt_assert_ok(zk_att_policy_add_pcr(p, idx[i], val, l));
    free(val);
  }
  zkt_assert_ok(verify_real(v, nd, nd->verify_at, p));
  zk_att_policy_free(p);

  size_t l0;
  uint8_t *pcr0 = hexfield(nd, "pcr0", &l0);
  uint8_t wrong[48];
  memcpy(wrong, pcr0, 48);
  wrong[47] ^= 1;
  zkt_assert_ok(zk_att_policy_new(&p));
  zkt_assert_ok(zk_att_policy_add_pcr(p, 0, wrong, 48));
  zkt_assert_status(verify_real(v, nd, nd->verify_at, p), ZK_ERR_ATT_PCR_MISMATCH);
  zkt_assert_ok(zk_att_policy_add_pcr(p, 0, pcr0, 32)); /* right prefix, wrong length */
  zkt_assert_status(verify_real(v, nd, nd->verify_at, p), ZK_ERR_ATT_PCR_MISMATCH);
  zkt_assert_ok(zk_att_policy_add_pcr(p, 0, pcr0, 48)); /* now one of three matches */
  zkt_assert_ok(verify_real(v, nd, nd->verify_at, p));
  zkt_assert_ok(zk_att_policy_add_pcr(p, 20, pcr0, 48)); /* PCR20 absent from the document */
  zkt_assert_status(verify_real(v, nd, nd->verify_at, p), ZK_ERR_ATT_PCR_MISSING);
  zk_att_policy_free(p);

  /* Argument checks. */
  zkt_assert_ok(zk_att_policy_new(&p));
  zkt_assert_status(zk_att_policy_add_pcr(p, 32, pcr0, 48), ZK_ERR_ARG);
  zkt_assert_status(zk_att_policy_add_pcr(p, 0, pcr0, 47), ZK_ERR_ARG);
  zkt_assert_status(zk_att_policy_add_pcr(p, 0, NULL, 48), ZK_ERR_ARG);
  for (unsigned i = 0; i < ZK_ATT_MAX_PCR_CHOICES; i++)
    zkt_assert_ok(zk_att_policy_add_pcr(p, 5, wrong, 48));
  zkt_assert_status(zk_att_policy_add_pcr(p, 5, wrong, 48), ZK_ERR_TOO_LARGE);
  uint8_t big[ZK_ATT_MAX_FIELD_LEN + 1] = {0};
  zkt_assert_status(zk_att_policy_expect_nonce(p, big, sizeof big), ZK_ERR_TOO_LARGE);
  zkt_assert_status(zk_att_policy_expect_user_data(p, NULL, 3), ZK_ERR_ARG);
  zkt_assert_status(zk_att_policy_expect_public_key(NULL, big, 3), ZK_ERR_ARG);
  zkt_assert_status(zk_att_policy_new(NULL), ZK_ERR_ARG);
  zk_att_policy_free(p);
  free(pcr0);

  /* Debug mode: refused by default even when the policy expects the zero PCR0. */
  uint8_t zero[48] = {0};
  zkt_assert_ok(zk_att_policy_new(&p));
  zkt_assert_ok(zk_att_policy_add_pcr(p, 0, zero, 48));
  zkt_assert_status(verify_real(v, dbg, dbg->verify_at, p), ZK_ERR_ATT_DEBUG);
  zk_att_policy_allow_debug(p, 1);
  zkt_assert_ok(verify_real(v, dbg, dbg->verify_at, p));
  zk_att_policy_free(p);

  /* nonce */
  size_t nl;
  uint8_t *nonce = hexfield(nd, "nonce", &nl);
  zkt_assert_ok(zk_att_policy_new(&p));
  zkt_assert_ok(zk_att_policy_expect_nonce(p, nonce, nl));
  zkt_assert_ok(verify_real(v, nd, nd->verify_at, p));
  zkt_assert_status(verify_real(v, qos, qos->verify_at, p), ZK_ERR_ATT_NONCE); /* null nonce */
  nonce[0] ^= 1;
  zkt_assert_ok(zk_att_policy_expect_nonce(p, nonce, nl));
  zkt_assert_status(verify_real(v, nd, nd->verify_at, p), ZK_ERR_ATT_NONCE);
  nonce[0] ^= 1;
  zkt_assert_ok(zk_att_policy_expect_nonce(p, nonce, nl - 1));
  zkt_assert_status(verify_real(v, nd, nd->verify_at, p), ZK_ERR_ATT_NONCE);
  zk_att_policy_free(p);
  free(nonce);

  /* user_data; the GA document binds the SPKI of its TLS certificate. */
  size_t ul;
  uint8_t *ud = hexfield(nd, "user_data", &ul);
  zkt_assert_ok(zk_att_policy_new(&p));
  zkt_assert_ok(zk_att_policy_expect_user_data(p, ud, ul));
  zkt_assert_ok(verify_real(v, nd, nd->verify_at, p));
  ud[ul - 1] ^= 0x80;
  zkt_assert_ok(zk_att_policy_expect_user_data(p, ud, ul));
  zkt_assert_status(verify_real(v, nd, nd->verify_at, p), ZK_ERR_ATT_USER_DATA);
  zk_att_policy_free(p);
  free(ud);
  uint8_t *tls = NULL;
  size_t tls_len = 0;
  ZKT_VECTOR_FILE("nitro/evervault_2023-09-18_ga_tls_cert.der", &tls, &tls_len);
  const unsigned char *tp = tls;
  X509 *tx = d2i_X509(NULL, &tp, (long)tls_len);
  assert_non_null(tx);
  unsigned char *spki = NULL;
  int spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(tx), &spki);
  assert_true(spki_len > 0);
  zkt_assert_ok(zk_att_policy_new(&p));
  zk_att_policy_allow_debug(p, 1);
  zkt_assert_ok(zk_att_policy_expect_user_data(p, spki, (size_t)spki_len));
  zkt_assert_ok(verify_real(v, ga, ga->verify_at, p));
  zkt_assert_status(verify_real(v, nd, nd->verify_at, p), ZK_ERR_ATT_USER_DATA);
  zk_att_policy_free(p);
  OPENSSL_free(spki);
  X509_free(tx);
  free(tls);

  /* public_key (the QOS document carries an 800-byte PEM public key) */
  size_t pl;
  uint8_t *pk = hexfield(qos, "public_key", &pl);
  assert_int_equal(pl, 800);
  zkt_assert_ok(zk_att_policy_new(&p));
  zkt_assert_ok(zk_att_policy_expect_public_key(p, pk, pl));
  zkt_assert_ok(verify_real(v, qos, qos->verify_at, p));
  zkt_assert_status(verify_real(v, nd, nd->verify_at, p), ZK_ERR_ATT_PUBLIC_KEY); /* null */
  pk[400] ^= 4;
  zkt_assert_ok(zk_att_policy_expect_public_key(p, pk, pl));
  zkt_assert_status(verify_real(v, qos, qos->verify_at, p), ZK_ERR_ATT_PUBLIC_KEY);
  zk_att_policy_free(p);
  free(pk);

  /* age and future timestamps; leeway */
  zkt_assert_ok(zk_att_policy_new(&p));
  zk_att_policy_set_max_age(p, 50);
  zkt_assert_status(verify_real(v, nd, nd->verify_at + 100, p), ZK_ERR_ATT_STALE);
  zkt_assert_ok(verify_real(v, nd, nd->verify_at + 50, p));
  zk_att_policy_set_max_age(p, 0);
  zkt_assert_ok(verify_real(v, nd, nd->verify_at + 100, p));
  zkt_assert_status(verify_real(v, nd, nd->verify_at - 1, p), ZK_ERR_ATT_FUTURE);
  zk_att_policy_set_leeway(p, 1);
  zkt_assert_ok(verify_real(v, nd, nd->verify_at - 1, p));
  /* before the chain's notBefore: leeway can cover it, never expiry */
  uint64_t before = nd->valid_from - 1;
  zk_att_policy_set_leeway(p, 0);
  zkt_assert_status(verify_real(v, nd, before, p), ZK_ERR_ATT_NOT_YET_VALID);
  zk_att_policy_set_leeway(p, 2); /* chain fine at before+2, timestamp still ahead */
  zkt_assert_status(verify_real(v, nd, before, p), ZK_ERR_ATT_FUTURE);
  zk_att_policy_set_leeway(p, nd->verify_at - before);
  zkt_assert_ok(verify_real(v, nd, before, p));
  zkt_assert_status(verify_real(v, nd, nd->valid_until, p), ZK_ERR_ATT_EXPIRED);
  zk_att_policy_free(p);

  zk_att_verifier_free(v);
  free_real(&s);
}

static void test_parse_unverified(void **state) {
  (void)state;
  real_set s;
  load_real(&s);
  real_doc *d = find_doc(&s, "evervault_2022-10-13_nonce");
  zk_att_doc *doc = NULL;
  zkt_assert_ok(zk_att_parse_unverified(&doc, d->buf, d->len, NULL));
  assert_false(zk_att_doc_is_verified(doc));
  check_fields(doc, d);
  zk_att_doc_free(doc);
  /* a bad signature still parses, but never verifies */
  d->buf[d->len - 1] ^= 1;
  zkt_assert_ok(zk_att_parse_unverified(&doc, d->buf, d->len, NULL));
  assert_false(zk_att_doc_is_verified(doc));
  zk_att_doc_free(doc);
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  zkt_assert_status(verify_buf(v, d->buf, d->len, d->verify_at, NULL), ZK_ERR_ATT_SIGNATURE);
  d->buf[d->len - 1] ^= 1;
  /* argument checks */
  zkt_assert_status(zk_att_parse_unverified(NULL, d->buf, d->len, NULL), ZK_ERR_ARG);
  zkt_assert_status(zk_att_parse_unverified(&doc, NULL, 5, NULL), ZK_ERR_ARG);
  zkt_assert_status(zk_att_verify(NULL, &doc, d->buf, d->len, 0, NULL, NULL), ZK_ERR_ARG);
  zkt_assert_status(zk_att_verify(v, NULL, d->buf, d->len, 0, NULL, NULL), ZK_ERR_ARG);
  assert_null(zk_att_doc_pcr(NULL, 0, NULL));
  assert_int_equal(zk_att_doc_cabundle_count(NULL), 0);
  assert_false(zk_att_doc_is_verified(NULL));
  zk_att_verifier_free(v);
  free_real(&s);
}

static void test_qos_document(void **state) {
  (void)state;
  uint8_t *buf = NULL;
  size_t len = 0;
  ZKT_VECTOR_FILE("turnkey/nitro/qos_mock_attestation_doc.cose", &buf, &len);
  json_t *j = NULL;
  ZKT_VECTOR_JSON("turnkey/nitro/vectors.json", &j);
  const json_t *o = json_object_get(j, "qos_mock_attestation_doc.cose");
  assert_non_null(o);
  uint64_t at = (uint64_t)json_integer_value(json_object_get(o, "validate_at_unix"));
  mock_pki m;
  load_mock(&m);
  zk_att_verifier *aws = NULL, *mock = mock_verifier(&m);
  zkt_assert_ok(zk_att_verifier_new(&aws, 0));
  zk_att_policy *p = NULL;
  zkt_assert_ok(zk_att_policy_new(&p));
  for (unsigned i = 0; i < 4; i++) {
    char k[8];
    snprintf(k, sizeof k, "pcr%u", i);
    size_t l;
    uint8_t *val = zkt_hex(zkt_jstr(o, k), &l);
    zkt_assert_ok(zk_att_policy_add_pcr(p, i, val, l));
    free(val);
  }
  size_t ul;
  uint8_t *ud = zkt_hex(zkt_jstr(o, "user_data_hex"), &ul);
  zkt_assert_ok(zk_att_policy_expect_user_data(p, ud, ul));
  free(ud);
  /* Despite its name this is a genuine AWS document (vectors.json: trust_anchor
   * aws_nitro_root_g1.pem): it verifies with the AWS root, not the mock root. */
  zk_att_doc *doc = NULL;
  zkt_assert_ok(zk_att_verify(aws, &doc, buf, len, at, p, NULL));
  assert_int_equal(zk_att_doc_timestamp_ms(doc),
                   (uint64_t)json_integer_value(json_object_get(o, "timestamp_ms")));
  zk_att_doc_free(doc);
  zkt_assert_status(verify_buf(mock, buf, len, at, p), ZK_ERR_ATT_UNTRUSTED_ROOT);
  zkt_assert_status(verify_buf(aws, buf, len, 1700000000, p), ZK_ERR_ATT_EXPIRED);
  zkt_report("attestation-qos-document", 3, 3);
  zk_att_policy_free(p);
  zk_att_verifier_free(aws);
  zk_att_verifier_free(mock);
  free_mock(&m);
  json_decref(j);
  free(buf);
}

/* A self-signed P-256 end-entity certificate (for the leaf-key check). */
static uint8_t *p256_cert(size_t *len) {
  EVP_PKEY *k = EVP_EC_gen("P-256");
  assert_non_null(k);
  X509 *x = X509_new();
  assert_non_null(x);
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_NAME *nm = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"p256", -1, -1, 0);
  X509_set_issuer_name(x, nm);
  X509_gmtime_adj(X509_getm_notBefore(x), -86400);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, k);
  assert_true(X509_sign(x, k, EVP_sha256()) > 0);
  unsigned char *der = NULL;
  int n = i2d_X509(x, &der);
  assert_true(n > 0);
  uint8_t *out = malloc((size_t)n);
  memcpy(out, der, (size_t)n);
  OPENSSL_free(der);
  X509_free(x);
  EVP_PKEY_free(k);
  *len = (size_t)n;
  return out;
}

typedef struct mock_case {
  const char *name;
  spec s;
  int tagged;
  zk_status want;
} mock_case;

static void test_mock_documents(void **state) {
  (void)state;
  mock_pki m;
  load_mock(&m);
  zk_att_verifier *v = mock_verifier(&m), *aws = NULL;
  zkt_assert_ok(zk_att_verifier_new(&aws, 0));
  size_t p256_len;
  uint8_t *p256 = p256_cert(&p256_len);
  uint8_t garbage[300];
  memset(garbage, 0x30, sizeof garbage);
  const mock_case cases[] = {
      {"definite map, null optionals", {0}, 0, ZK_OK},
      {"indefinite map", {.indefinite = 1}, 0, ZK_OK},
      {"indefinite pcrs and cabundle",
       {.indefinite = 1, .pcrs_indefinite = 1, .cab_indefinite = 1},
       0,
       ZK_OK},
      {"tagged", {0}, 1, ZK_OK},
      {"optionals present", {.optionals = 1}, 0, ZK_OK},
      {"optionals 1024 bytes",
       {.optionals = 1, .pk_len = 1024, .ud_len = 1024, .nonce_len = 1024},
       0,
       ZK_OK},
      {"optionals omitted", {.optionals = 2}, 1, ZK_OK},
      {"32 PCRs of 64 bytes", {.npcrs = 32, .pcr_len = 64}, 0, ZK_OK},
      {"PCRs of 32 bytes", {.pcr_len = 32}, 0, ZK_OK},
      {"duplicate key", {.dup_key = 1}, 0, ZK_ERR_DUPLICATE_KEY},
      {"duplicate key, indefinite", {.dup_key = 1, .indefinite = 1}, 0, ZK_ERR_DUPLICATE_KEY},
      {"unknown key", {.unknown_key = 1}, 0, ZK_ERR_UNKNOWN_FIELD},
      {"integer key", {.int_key = 1}, 0, ZK_ERR_TYPE},
      {"tag inside payload", {.tag_inside = 1}, 0, ZK_ERR_UNKNOWN_TAG},
      {"trailing byte in payload", {.trailing = 1}, 0, ZK_ERR_TRAILING},
      {"payload not a map", {.not_map = 1}, 0, ZK_ERR_ATT_PAYLOAD},
      {"digest SHA256", {.digest = "SHA256"}, 0, ZK_ERR_ATT_DIGEST},
      {"digest sha384", {.digest = "sha384"}, 0, ZK_ERR_ATT_DIGEST},
      {"empty module_id", {.module_id = ""}, 0, ZK_ERR_ATT_MODULE_ID},
      {"control char in module_id", {.module_id = "i-1\n"}, 0, ZK_ERR_ATT_MODULE_ID},
      {"timestamp zero", {.ts_zero = 1}, 0, ZK_ERR_ATT_TIMESTAMP},
      {"timestamp negative", {.ts_kind = 1}, 0, ZK_ERR_TYPE},
      {"timestamp text", {.ts_kind = 2}, 0, ZK_ERR_TYPE},
      {"timestamp in the future", {.ts = (MOCK_AT + 5) * 1000}, 0, ZK_ERR_ATT_FUTURE},
      {"PCR index 32", {.bad_index = 32}, 0, ZK_ERR_ATT_PCRS},
      {"PCR length 47", {.pcr_len = 47}, 0, ZK_ERR_ATT_PCRS},
      {"PCR map empty", {.npcrs = -1}, 0, ZK_ERR_ATT_PCRS},
      {"33 PCRs", {.npcrs = 33}, 0, ZK_ERR_ATT_PCRS},
      {"PCR0 zero (debug)", {.pcr0_zero = 1}, 0, ZK_ERR_ATT_DEBUG},
      {"cabundle empty", {.cab_n = -1}, 0, ZK_ERR_ATT_CABUNDLE},
      {"cabundle without intermediate", {.cab_n = 1}, 0, ZK_ERR_ATT_UNTRUSTED_ROOT},
      {"intermediate signature damaged", {.corrupt = 1}, 0, ZK_ERR_ATT_CHAIN},
      {"leaf signature damaged", {.corrupt = 2}, 0, ZK_ERR_ATT_CHAIN},
      {"nonce 1025 bytes", {.optionals = 1, .nonce_len = 1025}, 0, ZK_ERR_ATT_FIELD_SIZE},
      {"user_data 1025 bytes", {.optionals = 1, .ud_len = 1025}, 0, ZK_ERR_ATT_FIELD_SIZE},
      {"public_key 1025 bytes", {.optionals = 1, .pk_len = 1025}, 0, ZK_ERR_ATT_FIELD_SIZE},
      {"missing module_id", {.missing = M_MODULE_ID}, 0, ZK_ERR_MISSING_FIELD},
      {"missing digest", {.missing = M_DIGEST}, 0, ZK_ERR_MISSING_FIELD},
      {"missing timestamp", {.missing = M_TIMESTAMP}, 0, ZK_ERR_MISSING_FIELD},
      {"missing pcrs", {.missing = M_PCRS}, 0, ZK_ERR_MISSING_FIELD},
      {"missing certificate", {.missing = M_CERT}, 0, ZK_ERR_MISSING_FIELD},
      {"missing cabundle", {.missing = M_CAB}, 0, ZK_ERR_MISSING_FIELD},
      {"certificate not DER", {.cert = garbage, .cert_len = sizeof garbage}, 0, ZK_ERR_ATT_CERT},
      {"certificate too large", {.cert = garbage, .cert_len = 0}, 0, ZK_ERR_ATT_CERT},
      {"leaf is a CA", {.cert = m.inter, .cert_len = m.inter_len}, 0, ZK_ERR_ATT_LEAF},
      {"leaf key P-256", {.cert = p256, .cert_len = p256_len}, 0, ZK_ERR_ATT_LEAF},
  };
  unsigned long run = 0, passed = 0;
  for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
    spec s = cases[i].s;
    uint8_t *zero_cert = NULL;
    if (s.cert == garbage && s.cert_len == 0) { /* 1025-byte certificate */
      zero_cert = calloc(1, ZK_ATT_MAX_CERT_LEN + 1);
      s.cert = zero_cert;
      s.cert_len = ZK_ATT_MAX_CERT_LEN + 1;
    }
    size_t len;
    uint8_t *doc = mint(&len, &m, &s, cases[i].tagged);
    zk_status st = verify_buf(v, doc, len, MOCK_AT, NULL);
    run++;
    if (st != cases[i].want)
      fail_msg("mock case '%s': got %s, want %s", cases[i].name, zk_status_name(st),
               zk_status_name(cases[i].want));
    passed++;
    if (cases[i].want == ZK_OK) {
      /* same document, AWS root only: untrusted */
      zkt_assert_status(verify_buf(aws, doc, len, MOCK_AT, NULL), ZK_ERR_ATT_UNTRUSTED_ROOT);
      zk_att_doc *d = NULL;
      zkt_assert_ok(zk_att_verify(v, &d, doc, len, MOCK_AT, NULL, NULL));
      assert_int_equal(zk_att_doc_timestamp_ms(d), MOCK_TS_MS);
      assert_int_equal(zk_att_doc_is_tagged(d), cases[i].tagged);
      size_t nl;
      const uint8_t *n = zk_att_doc_nonce(d, &nl);
      if (s.optionals == 1) {
        assert_non_null(n);
        assert_int_equal(nl, s.nonce_len ? s.nonce_len : 32);
      } else {
        assert_null(n);
      }
      zk_att_doc_free(d);
    }
    free(doc);
    free(zero_cert);
  }

  /* Envelope variants built by hand. */
  spec base = {0};
  size_t plen;
  uint8_t *payload = build_payload(&m, &base, &plen);
  zk_key *other = NULL;
  zkt_assert_ok(zk_key_generate(&other, ZK_CURVE_P384));
  struct {
    const char *name;
    uint8_t prot[8];
    size_t prot_len;
    const zk_key *key;
    size_t sig_len;
    zk_status want;
  } env[] = {
      {"signed by another key", {0xa1, 0x01, 0x38, 0x22}, 4, other, 0, ZK_ERR_ATT_SIGNATURE},
      {"alg ES256", {0xa1, 0x01, 0x26}, 3, m.key, 64, ZK_ERR_COSE_ALG},
      {"alg missing", {0xa0}, 1, m.key, 96, ZK_ERR_COSE_ALG},
      {"extra protected header",
       {0xa2, 0x01, 0x38, 0x22, 0x04, 0x41, 0x01},
       7,
       m.key,
       0,
       ZK_ERR_COSE_HEADER},
      {"non-shortest alg", {0xa1, 0x01, 0x39, 0x00, 0x22}, 5, m.key, 0, ZK_ERR_COSE_HEADER},
      {"signature 95 bytes", {0xa1, 0x01, 0x38, 0x22}, 4, m.key, 95, ZK_ERR_COSE_SIG_SIZE},
      {"signature 97 bytes", {0xa1, 0x01, 0x38, 0x22}, 4, m.key, 97, ZK_ERR_COSE_SIG_SIZE},
      {"signature 64 bytes", {0xa1, 0x01, 0x38, 0x22}, 4, m.key, 64, ZK_ERR_COSE_SIG_SIZE},
  };
  for (size_t i = 0; i < ARRAY_LEN(env); i++) {
    size_t len;
    uint8_t *doc =
        mint_raw(&len, env[i].key, env[i].prot, env[i].prot_len, payload, plen, 0, env[i].sig_len);
    zk_status st = verify_buf(v, doc, len, MOCK_AT, NULL);
    run++;
    if (st != env[i].want)
      fail_msg("envelope case '%s': got %s, want %s", env[i].name, zk_status_name(st),
               zk_status_name(env[i].want));
    passed++;
    free(doc);
  }
  static const struct {
    const char *name;
    int variant;
    zk_status want;
  } var[] = {
      {"kid in unprotected header", V_UNPROT_KID, ZK_ERR_COSE_HEADER},
      {"indefinite COSE array", V_ARRAY_INDEF, ZK_ERR_NONCANONICAL},
      {"long-form array head", V_ARRAY_LONG, ZK_ERR_NONCANONICAL},
      {"long-form protected head", V_PROT_LONG, ZK_ERR_NONCANONICAL},
      {"long-form payload head", V_PAYLOAD_LONG, ZK_ERR_NONCANONICAL},
      {"chunked payload", V_PAYLOAD_CHUNKED, ZK_ERR_INDEFINITE},
      {"long-form signature head", V_SIG_LONG, ZK_ERR_NONCANONICAL},
  };
  for (size_t i = 0; i < ARRAY_LEN(var); i++) {
    size_t len;
    uint8_t *doc = mint_variant(&len, m.key, payload, plen, var[i].variant);
    zk_status st = verify_buf(v, doc, len, MOCK_AT, NULL);
    run++;
    if (st != var[i].want)
      fail_msg("envelope encoding '%s': got %s, want %s", var[i].name, zk_status_name(st),
               zk_status_name(var[i].want));
    passed++;
    free(doc);
  }
  /* Oversized document. */
  uint8_t *huge = calloc(1, ZK_ATT_MAX_DOC_LEN + 1);
  zkt_assert_status(verify_buf(v, huge, ZK_ATT_MAX_DOC_LEN + 1, MOCK_AT, NULL), ZK_ERR_TOO_LARGE);
  zkt_assert_status(verify_buf(v, huge, 0, MOCK_AT, NULL), ZK_ERR_TRUNCATED);
  free(huge);
  run += 2;
  passed += 2;
  zkt_report("attestation-mock-documents", run, passed);
  assert_int_equal(run, passed);

  /* Flips and truncations of a minted indefinite-length document with every field set. */
  spec full = {.indefinite = 1, .optionals = 1};
  size_t len;
  uint8_t *doc = mint(&len, &m, &full, 1);
  zkt_assert_ok(verify_buf(v, doc, len, MOCK_AT, NULL));
  unsigned long tried = 0, rejected = 0;
  size_t stride = zkt_stride(len);
  for (size_t k = 0; k < len; k += stride) {
    doc[k] ^= 0x80;
    tried++;
    rejected += verify_buf(v, doc, len, MOCK_AT, NULL) != ZK_OK;
    doc[k] ^= 0x80;
    tried++;
    rejected += verify_buf(v, doc, k, MOCK_AT, NULL) != ZK_OK;
  }
  zkt_report_mutations("attestation-mock-flips-truncations", tried, rejected);
  assert_int_equal(tried, rejected);
  free(doc);

  zk_key_free(other);
  free(payload);
  free(p256);
  zk_att_verifier_free(v);
  zk_att_verifier_free(aws);
  free_mock(&m);
}

static void test_cache(void **state) {
  (void)state;
  real_set s;
  load_real(&s);
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  real_doc *a = &s.d[0];
  zk_att_policy *p = policy_for(a);
  uint64_t h, mi;
  size_t n;
  zkt_assert_ok(verify_real(v, a, a->verify_at, p));
  zkt_assert_ok(verify_real(v, a, a->verify_at, p));
  zk_att_verifier_cache_stats(v, &h, &mi, &n);
  assert_int_equal(h, 1);
  assert_int_equal(mi, 1);
  assert_int_equal(n, 1);
  /* the cached window is re-checked: expiry is reported, never hidden by a hit */
  zkt_assert_status(verify_real(v, a, a->valid_until, p), ZK_ERR_ATT_EXPIRED);
  zkt_assert_status(verify_real(v, a, a->valid_from - 1, p), ZK_ERR_ATT_NOT_YET_VALID);
  zk_att_verifier_cache_stats(v, &h, &mi, &n);
  assert_int_equal(h, 1);
  assert_int_equal(mi, 3);
  /* a hit still checks the document signature and the policy */
  a->buf[a->len - 5] ^= 1;
  zkt_assert_status(verify_real(v, a, a->verify_at, p), ZK_ERR_ATT_SIGNATURE);
  a->buf[a->len - 5] ^= 1;
  zk_att_policy *strict = NULL;
  zkt_assert_ok(zk_att_policy_new(&strict));
  zk_att_policy_allow_debug(strict, 1);
  uint8_t nonce[4] = {1, 2, 3, 4};
  zkt_assert_ok(zk_att_policy_expect_nonce(strict, nonce, 4));
  zkt_assert_status(verify_real(v, a, a->verify_at, strict), ZK_ERR_ATT_NONCE);
  zk_att_policy_free(strict);
  zk_att_verifier_cache_stats(v, &h, &mi, &n);
  assert_int_equal(h, 3);
  /* bounded: two entries, LRU eviction */
  zkt_assert_ok(zk_att_verifier_set_cache_size(v, 2));
  zk_att_verifier_cache_stats(v, NULL, NULL, &n);
  assert_int_equal(n, 0);
  for (size_t i = 0; i < s.n; i++) {
    zk_att_policy *pi = policy_for(&s.d[i]);
    zkt_assert_ok(verify_real(v, &s.d[i], s.d[i].verify_at, pi));
    zk_att_policy_free(pi);
    zk_att_verifier_cache_stats(v, NULL, NULL, &n);
    assert_true(n <= 2);
  }
  assert_int_equal(n, 2);
  zk_att_verifier_clear_cache(v);
  zk_att_verifier_cache_stats(v, NULL, NULL, &n);
  assert_int_equal(n, 0);
  /* disabled */
  zkt_assert_ok(zk_att_verifier_set_cache_size(v, 0));
  zk_att_verifier_cache_stats(v, &h, &mi, NULL);
  zkt_assert_ok(verify_real(v, a, a->verify_at, p));
  zkt_assert_ok(verify_real(v, a, a->verify_at, p));
  uint64_t h2, m2;
  zk_att_verifier_cache_stats(v, &h2, &m2, &n);
  assert_int_equal(h2, h);
  assert_int_equal(m2, mi);
  assert_int_equal(n, 0);
  zkt_assert_status(zk_att_verifier_set_cache_size(v, ZK_ATT_CACHE_MAX + 1), ZK_ERR_ARG);
  /* adding a root empties the cache */
  zkt_assert_ok(zk_att_verifier_set_cache_size(v, 4));
  zkt_assert_ok(verify_real(v, a, a->verify_at, p));
  zk_att_verifier_cache_stats(v, NULL, NULL, &n);
  assert_int_equal(n, 1);
  mock_pki m;
  load_mock(&m);
  zkt_assert_ok(zk_att_verifier_add_root_der(v, m.root, m.root_len));
  zk_att_verifier_cache_stats(v, NULL, NULL, &n);
  assert_int_equal(n, 0);
  free_mock(&m);
  zk_att_policy_free(p);
  zk_att_verifier_free(v);
  free_real(&s);
}

/* Several threads share one const verifier (and its cache). */
typedef struct thr_arg {
  const zk_att_verifier *v;
  const real_set *s;
  int failures;
} thr_arg;

static void *thr_main(void *argp) {
  thr_arg *a = argp;
  for (int r = 0; r < 10; r++) {
    for (size_t i = 0; i < a->s->n; i++) {
      const real_doc *d = &a->s->d[i];
      zk_att_policy *p = NULL;
      if (zk_att_policy_new(&p) != ZK_OK) {
        a->failures++;
        continue;
      }
      zk_att_policy_allow_debug(p, d->debug);
      zk_att_doc *doc = NULL;
      if (zk_att_verify(a->v, &doc, d->buf, d->len, d->verify_at, p, NULL) != ZK_OK) a->failures++;
      zk_att_doc_free(doc);
      zk_att_policy_free(p);
    }
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  real_set s;
  load_real(&s);
  zk_att_verifier *v = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, 0));
  zkt_assert_ok(zk_att_verifier_set_cache_size(v, 3)); /* smaller than the set: evictions race */
  pthread_t th[4];
  thr_arg args[4];
  for (int i = 0; i < 4; i++) {
    args[i] = (thr_arg){v, &s, 0};
    assert_int_equal(pthread_create(&th[i], NULL, thr_main, &args[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(args[i].failures, 0);
  }
  zk_att_verifier_free(v);
  free_real(&s);
}

/* Documents from the mock trust backend verify with its root (same code path as real ones). */
static void test_mock_backend(void **state) {
  (void)state;
  zk_backend *b = NULL;
  zk_backend_options o;
  memset(&o, 0, sizeof o);
  const uint64_t now_ms = UINT64_C(1750000000500);
  o.mock_time_ms = now_ms - 60000; /* the mock issues its chain around this time */
  zkt_assert_ok(zk_backend_open(&b, "mock", &o));
  zkt_assert_ok(zk_backend_mock_set_time(b, now_ms));
  uint8_t pcr16[ZK_NSM_PCR_MAX_LEN];
  size_t pcr16_len = sizeof pcr16;
  zkt_assert_ok(zk_backend_extend_pcr(b, pcr16, &pcr16_len, 16, (const uint8_t *)"app", 3));
  const uint8_t ud[5] = {1, 2, 3, 4, 5}, nonce[3] = {9, 8, 7}, pk[4] = {0xaa, 0xbb, 0xcc, 0xdd};
  uint8_t *doc = NULL;
  size_t len = 0;
  zkt_assert_ok(
      zk_backend_attest(b, &doc, &len, ud, sizeof ud, nonce, sizeof nonce, pk, sizeof pk));
  const uint8_t *root = NULL;
  size_t root_len = 0;
  zkt_assert_ok(zk_backend_mock_root_der(b, &root, &root_len));
  zk_att_verifier *v = NULL, *aws = NULL;
  zkt_assert_ok(zk_att_verifier_new(&v, ZK_ATT_VERIFIER_NO_AWS_ROOT));
  zkt_assert_ok(zk_att_verifier_add_root_der(v, root, root_len));
  zkt_assert_ok(zk_att_verifier_new(&aws, 0));
  zk_att_policy *p = NULL;
  zkt_assert_ok(zk_att_policy_new(&p));
  zk_att_policy_allow_debug(p, 1); /* the mock's boot PCRs may be zero */
  zkt_assert_ok(zk_att_policy_add_pcr(p, 16, pcr16, pcr16_len));
  zkt_assert_ok(zk_att_policy_expect_user_data(p, ud, sizeof ud));
  zkt_assert_ok(zk_att_policy_expect_nonce(p, nonce, sizeof nonce));
  zkt_assert_ok(zk_att_policy_expect_public_key(p, pk, sizeof pk));
  zk_att_policy_set_max_age(p, 60);
  zk_att_doc *d = NULL;
  zkt_assert_ok(zk_att_verify(v, &d, doc, len, now_ms / 1000, p, NULL));
  assert_int_equal(zk_att_doc_timestamp_ms(d), now_ms);
  zk_att_doc_free(d);
  zkt_assert_status(verify_buf(aws, doc, len, now_ms / 1000, p), ZK_ERR_ATT_UNTRUSTED_ROOT);
  zkt_assert_status(verify_buf(v, doc, len, now_ms / 1000 + 61, p), ZK_ERR_ATT_STALE);
  zkt_report("attestation-mock-backend", 3, 3);
  zk_att_policy_free(p);
  zk_att_verifier_free(v);
  zk_att_verifier_free(aws);
  zk_free(doc);
  zk_backend_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_root),      cmocka_unit_test(test_real_documents),
      cmocka_unit_test(test_negative_document), cmocka_unit_test(test_policy),
      cmocka_unit_test(test_parse_unverified),  cmocka_unit_test(test_qos_document),
      cmocka_unit_test(test_mock_documents),    cmocka_unit_test(test_cache),
      cmocka_unit_test(test_threads),           cmocka_unit_test(test_mock_backend),
      cmocka_unit_test(test_real_truncations),  cmocka_unit_test(test_real_flips),
  };
  return zkt_run_(__FILE__, tests, sizeof tests / sizeof tests[0]);
}
