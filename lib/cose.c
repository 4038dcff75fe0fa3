/*
 * COSE_Sign1 (RFC 9052 section 4.2) on the strict CBOR layer (zk_cbor.h).
 *
 * Profile (see docs/cbor-cose.md):
 *  - message: optional tag 18 in its one-byte form (0xd2), then an array of 4
 *    (definite or indefinite length: real encoders differ), no other tag
 *    anywhere, no trailing bytes, at most ZK_COSE_MAX_LEN bytes;
 *  - protected header: a definite bstr holding a definite, tag-free map that
 *    must contain alg (1) as an integer, one of ES256, ES256K, ES384, EdDSA;
 *  - header labels known to this profile only: alg (1), crit (2), content
 *    type (3), kid (4); crit must be in the protected header, non-empty, and
 *    name only labels present there; a label may not appear in both buckets;
 *  - payload: a definite bstr (nil, i.e. detached, is refused);
 *  - signature: a definite bstr of the exact size for alg (64 or 96 bytes).
 * The Sig_structure is rebuilt from the protected and payload byte strings
 * exactly as received; the payload itself is never re-encoded.
 */
#include <stdlib.h>
#include <string.h>

#include "zerokey/cose.h"
#include "zk_cbor.h"

struct zk_cose_sign1 {
  uint8_t *protected_hdr;
  size_t protected_len;
  uint8_t *payload;
  size_t payload_len;
  uint8_t *signature;
  size_t signature_len;
  uint8_t *kid; /* NULL when absent */
  size_t kid_len;
  int64_t alg;
  int tagged;
};

#define COSE_LABEL_ALG 1
#define COSE_LABEL_CRIT 2
#define COSE_LABEL_CTYP 3
#define COSE_LABEL_KID 4

/* Limits of the header maps (they are small in every real message). */
#define COSE_HDR_MAX_DEPTH 4u
#define COSE_HDR_MAX_ITEMS 64u

static size_t alg_sig_len(int64_t alg) {
  switch (alg) {
    case ZK_COSE_ALG_ES256:
    case ZK_COSE_ALG_ES256K:
      return ZK_P256_RAW_SIG_LEN;
    case ZK_COSE_ALG_ES384:
      return ZK_P384_RAW_SIG_LEN;
    case ZK_COSE_ALG_EDDSA:
      return ZK_ED25519_SIG_LEN;
    default:
      return 0;
  }
}

static int64_t curve_alg(zk_curve c) {
  switch (c) {
    case ZK_CURVE_P256:
      return ZK_COSE_ALG_ES256;
    case ZK_CURVE_SECP256K1:
      return ZK_COSE_ALG_ES256K;
    case ZK_CURVE_P384:
      return ZK_COSE_ALG_ES384;
    case ZK_CURVE_ED25519:
      return ZK_COSE_ALG_EDDSA;
    default:
      return 0;
  }
}

/* ------------------------------------------------------------------------ */
/* Sig_structure                                                             */

zk_status zk_cose_sig_structure(uint8_t **out, size_t *out_len, const uint8_t *protected_hdr,
                                size_t protected_len, const uint8_t *external_aad, size_t aad_len,
                                const uint8_t *payload, size_t payload_len) {
  if (out != NULL) *out = NULL;
  if (out_len != NULL) *out_len = 0;
  if (out == NULL || out_len == NULL || (protected_hdr == NULL && protected_len != 0) ||
      (external_aad == NULL && aad_len != 0) || (payload == NULL && payload_len != 0))
    return ZK_ERR_ARG;

  /* ["Signature1", bstr protected, bstr external_aad, bstr payload]: written
   * with libcbor's head encoders so the payload is copied exactly once. */
  static const uint8_t prefix[] = {0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
  uint8_t h1[9], h2[9], h3[9];
  size_t l1 = cbor_encode_bytestring_start(protected_len, h1, sizeof h1);
  size_t l2 = cbor_encode_bytestring_start(aad_len, h2, sizeof h2);
  size_t l3 = cbor_encode_bytestring_start(payload_len, h3, sizeof h3);
  if (l1 == 0 || l2 == 0 || l3 == 0) return ZK_ERR_INTERNAL;
  size_t total = sizeof prefix + l1 + l2 + l3;
  if (protected_len > SIZE_MAX - total) return ZK_ERR_OVERFLOW;
  total += protected_len;
  if (aad_len > SIZE_MAX - total) return ZK_ERR_OVERFLOW;
  total += aad_len;
  if (payload_len > SIZE_MAX - total) return ZK_ERR_OVERFLOW;
  total += payload_len;

  uint8_t *b = malloc(total);
  if (b == NULL) return ZK_ERR_NOMEM;
  size_t o = 0;
#define PUT(p, n)                      \
  do {                                 \
    if ((n) != 0) memcpy(b + o, p, n); \
    o += (n);                          \
  } while (0)
  PUT(prefix, sizeof prefix);
  PUT(h1, l1);
  PUT(protected_hdr, protected_len);
  PUT(h2, l2);
  PUT(external_aad, aad_len);
  PUT(h3, l3);
  PUT(payload, payload_len);
#undef PUT
  *out = b;
  *out_len = o;
  return ZK_OK;
}

/* ------------------------------------------------------------------------ */
/* Create                                                                    */

zk_status zk_cose_sign1_create(uint8_t **out, size_t *out_len, const zk_key *key,
                               const uint8_t *kid, size_t kid_len, const uint8_t *payload,
                               size_t payload_len, const uint8_t *external_aad, size_t aad_len,
                               unsigned flags) {
  if (out != NULL) *out = NULL;
  if (out_len != NULL) *out_len = 0;
  if (out == NULL || out_len == NULL || key == NULL || (kid == NULL && kid_len != 0) ||
      kid_len > ZK_COSE_MAX_KID_LEN || (payload == NULL && payload_len != 0) ||
      (external_aad == NULL && aad_len != 0) || (flags & ~ZK_COSE_TAGGED) != 0)
    return ZK_ERR_ARG;
  int64_t alg = curve_alg(zk_key_curve(key));
  if (alg == 0) return ZK_ERR_UNSUPPORTED;
  if (!zk_key_has_private(key)) return ZK_ERR_NO_PRIVATE_KEY;
  if (payload_len > ZK_COSE_MAX_LEN) return ZK_ERR_TOO_LARGE;

  zk_status st;
  uint8_t *prot = NULL, *tbs = NULL, *msg = NULL;
  size_t prot_len = 0, tbs_len = 0, msg_len = 0;
  cbor_item_t *hdr = NULL, *arr = NULL, *top = NULL;
  uint8_t sig[ZK_MAX_SIG_LEN];
  size_t sig_len = sizeof sig;

  /* Protected header {1: alg, 4: kid}, deterministic. */
  hdr = cbor_new_definite_map(kid != NULL ? 2 : 1);
  if (hdr == NULL) return ZK_ERR_NOMEM;
  st = zki_cbor_map_put_int(hdr, COSE_LABEL_ALG, zki_cbor_new_int(alg));
  if (st == ZK_OK && kid != NULL)
    st = zki_cbor_map_put_int(hdr, COSE_LABEL_KID, zki_cbor_new_bytes(kid, kid_len));
  if (st == ZK_OK) st = zki_cbor_encode(&prot, &prot_len, hdr);
  cbor_decref(&hdr);
  if (st != ZK_OK) goto done;

  st = zk_cose_sig_structure(&tbs, &tbs_len, prot, prot_len, external_aad, aad_len, payload,
                             payload_len);
  if (st != ZK_OK) goto done;
  st = zk_key_sign(key, alg == ZK_COSE_ALG_EDDSA ? ZK_SIG_EDDSA : ZK_SIG_RAW, sig, &sig_len, tbs,
                   tbs_len);
  if (st != ZK_OK) goto done;
  if (sig_len != alg_sig_len(alg)) {
    st = ZK_ERR_INTERNAL;
    goto done;
  }

  arr = cbor_new_definite_array(4);
  cbor_item_t *parts[4] = {zki_cbor_new_bytes(prot, prot_len), cbor_new_definite_map(0),
                           zki_cbor_new_bytes(payload, payload_len),
                           zki_cbor_new_bytes(sig, sig_len)};
  bool ok = arr != NULL;
  for (size_t i = 0; i < 4; i++) {
    if (ok && parts[i] != NULL && cbor_array_push(arr, parts[i])) {
      /* pushed: the array holds its own reference */
    } else {
      ok = false;
    }
    if (parts[i] != NULL) cbor_decref(&parts[i]);
  }
  if (!ok) {
    st = ZK_ERR_NOMEM;
    goto done;
  }
  if (flags & ZK_COSE_TAGGED) {
    top = cbor_new_tag(ZK_COSE_SIGN1_TAG);
    if (top == NULL) {
      st = ZK_ERR_NOMEM;
      goto done;
    }
    cbor_tag_set_item(top, arr); /* increfs arr */
  } else {
    top = cbor_incref(arr);
  }
  st = zki_cbor_encode(&msg, &msg_len, top);
  if (st != ZK_OK) goto done;
  if (msg_len > ZK_COSE_MAX_LEN) {
    st = ZK_ERR_TOO_LARGE; /* never emit what zk_cose_sign1_parse would refuse */
    goto done;
  }
  *out = msg;
  *out_len = msg_len;
  msg = NULL;

done:
  if (arr != NULL) cbor_decref(&arr);
  if (top != NULL) cbor_decref(&top);
  free(msg);
  free(tbs);
  free(prot);
  return st;
}

/* ------------------------------------------------------------------------ */
/* Parse                                                                     */

/* Length of the (already validated) head at p. */
static size_t head_len(const uint8_t *p) {
  unsigned ai = p[0] & 0x1fu;
  return ai < 24 || ai == 31 ? 1 : 1 + ((size_t)1 << (ai - 24));
}

/* Header label as int or text; other key types are refused. */
typedef struct label {
  bool is_int;
  int64_t i;
  const char *s;
  size_t slen;
} label;

static zk_status get_label(const cbor_item_t *k, label *l) {
  memset(l, 0, sizeof *l);
  if (zki_cbor_get_int(k, &l->i) == ZK_OK) {
    l->is_int = true;
    return ZK_OK;
  }
  if (zki_cbor_get_text(k, &l->s, &l->slen) == ZK_OK) return ZK_OK;
  return ZK_ERR_COSE_HEADER;
}

static bool map_has_label(const cbor_item_t *map, const label *l) {
  size_t n = cbor_map_size(map);
  struct cbor_pair *pairs = cbor_map_handle(map);
  for (size_t i = 0; i < n; i++) {
    label o;
    if (get_label(pairs[i].key, &o) != ZK_OK) continue;
    if (o.is_int != l->is_int) continue;
    if (o.is_int ? o.i == l->i : (o.slen == l->slen && memcmp(o.s, l->s, o.slen) == 0)) return true;
  }
  return false;
}

/* Checks the labels and value types of one header bucket. */
static zk_status check_bucket(const cbor_item_t *bucket, const cbor_item_t *prot,
                              bool is_protected) {
  size_t n = cbor_map_size(bucket);
  struct cbor_pair *pairs = cbor_map_handle(bucket);
  for (size_t i = 0; i < n; i++) {
    label l;
    const cbor_item_t *v = pairs[i].value;
    ZKI_TRY(get_label(pairs[i].key, &l));
    if (!l.is_int) return ZK_ERR_COSE_HEADER; /* no text labels in this profile */
    if (!is_protected && map_has_label(prot, &l)) return ZK_ERR_COSE_HEADER;
    switch (l.i) {
      case COSE_LABEL_ALG:
        if (!is_protected) return ZK_ERR_COSE_HEADER; /* alg must be protected */
        break;                                        /* value checked by the caller */
      case COSE_LABEL_CRIT: {
        if (!is_protected || !cbor_isa_array(v) || cbor_array_size(v) == 0)
          return ZK_ERR_COSE_HEADER;
        size_t m = cbor_array_size(v);
        cbor_item_t **labels = cbor_array_handle(v);
        for (size_t j = 0; j < m; j++) {
          label c;
          ZKI_TRY(get_label(labels[j], &c));
          /* Understood by this implementation and present in the protected bucket. */
          if (!c.is_int ||
              (c.i != COSE_LABEL_ALG && c.i != COSE_LABEL_CTYP && c.i != COSE_LABEL_KID) ||
              !map_has_label(prot, &c))
            return ZK_ERR_COSE_HEADER;
        }
        break;
      }
      case COSE_LABEL_CTYP: {
        uint64_t u;
        const char *t;
        size_t tl;
        if (zki_cbor_get_uint(v, &u) != ZK_OK && zki_cbor_get_text(v, &t, &tl) != ZK_OK)
          return ZK_ERR_COSE_HEADER;
        break;
      }
      case COSE_LABEL_KID: {
        const uint8_t *p;
        size_t pl;
        if (zki_cbor_get_bytes(v, &p, &pl) != ZK_OK || pl > ZK_COSE_MAX_KID_LEN)
          return ZK_ERR_COSE_HEADER;
        break;
      }
      default:
        return ZK_ERR_COSE_HEADER; /* unknown label */
    }
  }
  return ZK_OK;
}

static zk_status copy_bytes(uint8_t **dst, size_t *dst_len, const cbor_item_t *it) {
  const uint8_t *p;
  size_t n;
  ZKI_TRY(zki_cbor_get_bytes(it, &p, &n));
  *dst = zki_memdup(p, n);
  if (*dst == NULL) return ZK_ERR_NOMEM;
  *dst_len = n;
  return ZK_OK;
}

void zk_cose_sign1_free(zk_cose_sign1 *msg) {
  if (msg == NULL) return;
  free(msg->protected_hdr);
  free(msg->payload);
  free(msg->signature);
  free(msg->kid);
  free(msg);
}

zk_status zk_cose_sign1_parse(zk_cose_sign1 **out, const uint8_t *buf, size_t len,
                              size_t *err_off) {
  if (out != NULL) *out = NULL;
  if (err_off != NULL) *err_off = 0;
  if (out == NULL || (buf == NULL && len != 0)) return ZK_ERR_ARG;
  if (len > ZK_COSE_MAX_LEN) {
    if (err_off != NULL) *err_off = ZK_COSE_MAX_LEN;
    return ZK_ERR_TOO_LARGE;
  }
  if (len == 0) return ZK_ERR_TRUNCATED;

  /* Tag 18 only in its shortest form and only on the outside; everything
   * below it is decoded with no tag allowed. */
  size_t base = buf[0] == 0xd2 ? 1 : 0;
  const zki_cbor_limits outer = {
      .max_len = ZK_COSE_MAX_LEN,
      .max_depth = 8,
      .max_items = 1024,
      .allow_indefinite = true,
  };
  cbor_item_t *root = NULL, *prot_map = NULL;
  zk_cose_sign1 *m = NULL;
  size_t off = 0, eoff[4] = {0};
  zk_status st = zki_cbor_decode(&root, buf + base, len - base, &outer, &off);
  if (st != ZK_OK) {
    off += base;
    goto fail;
  }
  off = base;
  if (!cbor_isa_array(root) || cbor_array_size(root) != 4) {
    st = ZK_ERR_COSE_STRUCTURE;
    goto fail;
  }
  /* Offsets of the four elements (for error reporting). */
  eoff[0] = base + head_len(buf + base);
  for (size_t i = 1; i < 4; i++) {
    size_t il;
    st = zki_cbor_item_len(&il, buf + eoff[i - 1], len - eoff[i - 1], &outer, NULL);
    if (st != ZK_OK) {
      st = ZK_ERR_INTERNAL; /* cannot happen after a successful decode */
      goto fail;
    }
    eoff[i] = eoff[i - 1] + il;
  }
  cbor_item_t **el = cbor_array_handle(root);

  m = calloc(1, sizeof *m);
  if (m == NULL) {
    st = ZK_ERR_NOMEM;
    goto fail;
  }
  m->tagged = base != 0;

  /* [0] protected: bstr containing a map. */
  off = eoff[0];
  if (!cbor_isa_bytestring(el[0])) {
    st = ZK_ERR_COSE_STRUCTURE;
    goto fail;
  }
  st = copy_bytes(&m->protected_hdr, &m->protected_len, el[0]);
  if (st != ZK_OK) goto fail;
  if (m->protected_len == 0) {
    st = ZK_ERR_COSE_ALG; /* alg is required in the protected header */
    goto fail;
  }
  {
    const zki_cbor_limits hdr_lim = {
        .max_len = m->protected_len,
        .max_depth = COSE_HDR_MAX_DEPTH,
        .max_items = COSE_HDR_MAX_ITEMS,
    };
    size_t inner = 0;
    st = zki_cbor_decode(&prot_map, m->protected_hdr, m->protected_len, &hdr_lim, &inner);
    if (st != ZK_OK) {
      off = eoff[0] + head_len(buf + eoff[0]) + inner;
      goto fail;
    }
  }
  if (!cbor_isa_map(prot_map)) {
    st = ZK_ERR_COSE_HEADER;
    goto fail;
  }
  st = check_bucket(prot_map, prot_map, true);
  if (st != ZK_OK) goto fail;
  {
    const cbor_item_t *alg = zki_cbor_map_get_int(prot_map, COSE_LABEL_ALG);
    if (alg == NULL || zki_cbor_get_int(alg, &m->alg) != ZK_OK || alg_sig_len(m->alg) == 0) {
      m->alg = 0;
      st = ZK_ERR_COSE_ALG;
      goto fail;
    }
  }

  /* [1] unprotected: a map. */
  off = eoff[1];
  if (!cbor_isa_map(el[1])) {
    st = ZK_ERR_COSE_STRUCTURE;
    goto fail;
  }
  st = check_bucket(el[1], prot_map, false);
  if (st != ZK_OK) goto fail;

  /* kid: protected first, else unprotected. */
  {
    const cbor_item_t *kid = zki_cbor_map_get_int(prot_map, COSE_LABEL_KID);
    if (kid == NULL) kid = zki_cbor_map_get_int(el[1], COSE_LABEL_KID);
    if (kid != NULL) {
      st = copy_bytes(&m->kid, &m->kid_len, kid);
      if (st != ZK_OK) goto fail;
    }
  }

  /* [2] payload: bstr; nil means detached, which this profile refuses. */
  off = eoff[2];
  if (zki_cbor_is_null(el[2])) {
    st = ZK_ERR_COSE_DETACHED;
    goto fail;
  }
  if (!cbor_isa_bytestring(el[2])) {
    st = ZK_ERR_COSE_STRUCTURE;
    goto fail;
  }
  st = copy_bytes(&m->payload, &m->payload_len, el[2]);
  if (st != ZK_OK) goto fail;

  /* [3] signature: bstr of the algorithm's size. */
  off = eoff[3];
  if (!cbor_isa_bytestring(el[3])) {
    st = ZK_ERR_COSE_STRUCTURE;
    goto fail;
  }
  st = copy_bytes(&m->signature, &m->signature_len, el[3]);
  if (st != ZK_OK) goto fail;
  if (m->signature_len != alg_sig_len(m->alg)) {
    st = ZK_ERR_COSE_SIG_SIZE;
    goto fail;
  }

  cbor_decref(&prot_map);
  cbor_decref(&root);
  *out = m;
  return ZK_OK;

fail:
  if (err_off != NULL) *err_off = off;
  if (prot_map != NULL) cbor_decref(&prot_map);
  if (root != NULL) cbor_decref(&root);
  zk_cose_sign1_free(m);
  return st;
}

/* ------------------------------------------------------------------------ */
/* Verify and accessors                                                      */

zk_status zk_cose_sign1_verify(const zk_cose_sign1 *msg, const zk_key *key,
                               const uint8_t *external_aad, size_t aad_len) {
  if (msg == NULL || key == NULL || (external_aad == NULL && aad_len != 0)) return ZK_ERR_ARG;
  int64_t want = curve_alg(zk_key_curve(key));
  if (want == 0 || msg->alg != want) return ZK_ERR_COSE_ALG;
  if (msg->signature_len != alg_sig_len(want)) return ZK_ERR_COSE_SIG_SIZE;

  uint8_t *tbs = NULL;
  size_t tbs_len = 0;
  ZKI_TRY(zk_cose_sig_structure(&tbs, &tbs_len, msg->protected_hdr, msg->protected_len,
                                external_aad, aad_len, msg->payload, msg->payload_len));
  zk_status st = zk_key_verify(key, want == ZK_COSE_ALG_EDDSA ? ZK_SIG_EDDSA : ZK_SIG_RAW, 0,
                               msg->signature, msg->signature_len, tbs, tbs_len);
  free(tbs);
  return st;
}

const uint8_t *zk_cose_sign1_payload(const zk_cose_sign1 *msg, size_t *len) {
  if (len != NULL) *len = msg != NULL ? msg->payload_len : 0;
  return msg != NULL ? msg->payload : NULL;
}

const uint8_t *zk_cose_sign1_protected(const zk_cose_sign1 *msg, size_t *len) {
  if (len != NULL) *len = msg != NULL ? msg->protected_len : 0;
  return msg != NULL ? msg->protected_hdr : NULL;
}

const uint8_t *zk_cose_sign1_signature(const zk_cose_sign1 *msg, size_t *len) {
  if (len != NULL) *len = msg != NULL ? msg->signature_len : 0;
  return msg != NULL ? msg->signature : NULL;
}

const uint8_t *zk_cose_sign1_kid(const zk_cose_sign1 *msg, size_t *len) {
  if (len != NULL) *len = (msg != NULL && msg->kid != NULL) ? msg->kid_len : 0;
  return msg != NULL ? msg->kid : NULL;
}

int64_t zk_cose_sign1_alg(const zk_cose_sign1 *msg) {
  return msg != NULL ? msg->alg : 0;
}

int zk_cose_sign1_is_tagged(const zk_cose_sign1 *msg) {
  return msg != NULL ? msg->tagged : 0;
}
