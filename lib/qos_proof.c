/* QOS boot proofs and app proofs (see include/zerokey/qos_proof.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/qos_proof.h"
#include "zk_internal.h"
#include "zk_json.h"
#include "zk_qos_internal.h"

struct zk_qos_boot_policy {
  bool pin_pcr[4];
  uint8_t pcr[4][ZK_QOS_PCR_LEN];
  bool pin_pivot;
  uint8_t pivot[32];
  bool pin_qk;
  uint8_t qk[ZK_QOS_PUBLIC_LEN];
  int commitment; /* 0, 16 or 17 */
  bool no_share_approvals;
  bool allow_debug;
};

struct zk_qos_boot {
  uint8_t eph[ZK_QOS_PUBLIC_LEN];
  zk_qos_manifest *manifest;
  uint64_t timestamp_ms;
};

zk_status zk_qos_boot_policy_new(zk_qos_boot_policy **out) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = calloc(1, sizeof **out);
  return *out ? ZK_OK : ZK_ERR_NOMEM;
}

void zk_qos_boot_policy_free(zk_qos_boot_policy *p) {
  free(p);
}

zk_status zk_qos_boot_policy_pin_pcr(zk_qos_boot_policy *p, unsigned index, const uint8_t *value,
                                     size_t len) {
  if (p == NULL || value == NULL || index > 3 || len != ZK_QOS_PCR_LEN) return ZK_ERR_ARG;
  memcpy(p->pcr[index], value, len);
  p->pin_pcr[index] = true;
  return ZK_OK;
}

zk_status zk_qos_boot_policy_pin_pivot_hash(zk_qos_boot_policy *p, const uint8_t *hash,
                                            size_t len) {
  if (p == NULL || hash == NULL || len != 32) return ZK_ERR_ARG;
  memcpy(p->pivot, hash, 32);
  p->pin_pivot = true;
  return ZK_OK;
}

zk_status zk_qos_boot_policy_pin_quorum_key(zk_qos_boot_policy *p, const uint8_t *pub, size_t len) {
  if (p == NULL || pub == NULL || len != ZK_QOS_PUBLIC_LEN) return ZK_ERR_ARG;
  memcpy(p->qk, pub, len);
  p->pin_qk = true;
  return ZK_OK;
}

zk_status zk_qos_boot_policy_require_commitment(zk_qos_boot_policy *p, int kind) {
  if (p == NULL || (kind != 0 && kind != ZK_QOS_COMMIT_SETUP && kind != ZK_QOS_COMMIT_LIVE))
    return ZK_ERR_ARG;
  p->commitment = kind;
  return ZK_OK;
}

void zk_qos_boot_policy_require_no_share_approvals(zk_qos_boot_policy *p, int on) {
  if (p) p->no_share_approvals = on != 0;
}

void zk_qos_boot_policy_allow_debug(zk_qos_boot_policy *p, int on) {
  if (p) p->allow_debug = on != 0;
}

void zk_qos_boot_free(zk_qos_boot *b) {
  if (b == NULL) return;
  zk_qos_manifest_free(b->manifest);
  free(b);
}

const uint8_t *zk_qos_boot_ephemeral_key(const zk_qos_boot *b) {
  return b ? b->eph : NULL;
}
const zk_qos_manifest *zk_qos_boot_manifest(const zk_qos_boot *b) {
  return b ? b->manifest : NULL;
}
uint64_t zk_qos_boot_timestamp_ms(const zk_qos_boot *b) {
  return b ? b->timestamp_ms : 0;
}

static bool eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  return an == bn && zk_ct_equal(a, b, an);
}

/* Steps 3..8 on a verified attestation document. */
static zk_status check_boot(const zk_qos_boot_policy *p, const zk_att_doc *doc,
                            const zk_qos_envelope *env, const uint8_t *eph_pub, size_t eph_len) {
  const zk_qos_manifest *m = zk_qos_envelope_manifest(env);
  const uint8_t *hash = zk_qos_manifest_hash(m);
  size_t n;
  if (zk_att_doc_nonce(doc, &n) != NULL) return ZK_ERR_ATT_NONCE;
  const uint8_t *pk = zk_att_doc_public_key(doc, &n);
  if (pk == NULL || n != ZK_QOS_PUBLIC_LEN) return ZK_ERR_QOS_EPHEMERAL_KEY;
  if (eph_pub != NULL && !eq(pk, n, eph_pub, eph_len)) return ZK_ERR_QOS_EPHEMERAL_KEY;
  const uint8_t *ud = zk_att_doc_user_data(doc, &n);
  if (ud == NULL || !eq(ud, n, hash, ZK_QOS_MANIFEST_HASH_LEN)) return ZK_ERR_QOS_MANIFEST_HASH;
  for (unsigned i = 0; i < 4; i++) {
    size_t an, mn;
    const uint8_t *a = zk_att_doc_pcr(doc, i, &an);
    const uint8_t *mv = zk_qos_manifest_pcr(m, i, &mn);
    if (a == NULL) return ZK_ERR_ATT_PCR_MISSING;
    if (!eq(a, an, mv, mn)) return ZK_ERR_QOS_PCR;
    if (p->pin_pcr[i] && !eq(a, an, p->pcr[i], ZK_QOS_PCR_LEN)) return ZK_ERR_QOS_PCR_PIN;
  }
  if (p->pin_pivot && !zk_ct_equal(zk_qos_manifest_pivot_hash(m), p->pivot, 32))
    return ZK_ERR_QOS_PIVOT_HASH;
  if (p->pin_qk) {
    size_t qn;
    const uint8_t *qk = zk_qos_manifest_quorum_key(m, &qn);
    if (!eq(qk, qn, p->qk, ZK_QOS_PUBLIC_LEN)) return ZK_ERR_QOS_QUORUM_KEY;
  }
  ZKI_TRY(zk_qos_envelope_verify_approvals(
      env, p->no_share_approvals ? ZK_QOS_ENV_NO_SHARE_APPROVALS : 0));
  if (p->commitment != 0) {
    size_t cn;
    const uint8_t *c = zk_att_doc_pcr(doc, (unsigned)p->commitment, &cn);
    if (c == NULL) return ZK_ERR_ATT_PCR_MISSING;
    uint8_t want[ZK_QOS_PCR_LEN];
    ZKI_TRY(zk_qos_pcr_commitment(want, NULL, (zk_qos_commitment_kind)p->commitment, hash,
                                  ZK_QOS_MANIFEST_HASH_LEN, pk, ZK_QOS_PUBLIC_LEN));
    if (!eq(c, cn, want, sizeof want)) return ZK_ERR_QOS_PCR_COMMITMENT;
  }
  return ZK_OK;
}

zk_status zk_qos_boot_verify(const zk_att_verifier *v, const zk_qos_boot_policy *p,
                             zk_qos_boot **out, const uint8_t *att, size_t att_len,
                             const zk_qos_envelope *env, const zk_qos_manifest *manifest,
                             const uint8_t *eph_pub, size_t eph_len, uint64_t at_unix) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (v == NULL || att == NULL || env == NULL || (eph_pub == NULL && eph_len > 0))
    return ZK_ERR_ARG;
  zk_qos_boot_policy defaults;
  if (p == NULL) {
    memset(&defaults, 0, sizeof defaults);
    p = &defaults;
  }
  const zk_qos_manifest *em = zk_qos_envelope_manifest(env);
  if (manifest != NULL && !zk_ct_equal(zk_qos_manifest_hash(manifest), zk_qos_manifest_hash(em),
                                       ZK_QOS_MANIFEST_HASH_LEN))
    return ZK_ERR_QOS_MANIFEST_HASH;
  zk_att_policy *ap;
  ZKI_TRY(zk_att_policy_new(&ap));
  zk_att_policy_allow_debug(ap, p->allow_debug);
  zk_att_doc *doc = NULL;
  zk_status st = zk_att_verify(v, &doc, att, att_len, at_unix, ap, NULL);
  zk_att_policy_free(ap);
  if (st == ZK_OK) st = check_boot(p, doc, env, eph_pub, eph_len);
  zk_qos_boot *b = NULL;
  if (st == ZK_OK) {
    b = calloc(1, sizeof *b);
    if (b == NULL) st = ZK_ERR_NOMEM;
  }
  if (st == ZK_OK) {
    size_t n;
    memcpy(b->eph, zk_att_doc_public_key(doc, &n), ZK_QOS_PUBLIC_LEN);
    b->timestamp_ms = zk_att_doc_timestamp_ms(doc);
    uint8_t *mb;
    st = zk_qos_manifest_serialize_borsh(em, &mb, &n);
    if (st == ZK_OK) {
      st = zk_qos_manifest_parse_borsh(&b->manifest, mb, n,
                                       (zk_qos_manifest_version)zk_qos_manifest_version_of(em));
      free(mb);
    }
  }
  zk_att_doc_free(doc);
  if (st != ZK_OK) {
    zk_qos_boot_free(b);
    return st;
  }
  *out = b;
  return ZK_OK;
}

/* ---- Turnkey BootProof JSON ---- */

static zk_status j_b64(json_t *o, const char *k, uint8_t **out, size_t *n) {
  json_t *v = json_object_get(o, k);
  *out = NULL;
  *n = 0;
  if (!json_is_string(v)) return ZK_ERR_QOS_PROOF_FORMAT;
  if (zki_b64_decode_alloc(out, n, json_string_value(v), json_string_length(v)) != ZK_OK)
    return ZK_ERR_QOS_PROOF_FORMAT;
  return ZK_OK;
}

/* Decimal string of at most 19 digits -> value. */
static zk_status dec_u64(json_t *v, uint64_t *out) {
  *out = 0;
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *out = (uint64_t)json_integer_value(v);
    return ZK_OK;
  }
  if (!json_is_string(v)) return ZK_ERR_QOS_PROOF_FORMAT;
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (n == 0 || n > 19) return ZK_ERR_QOS_PROOF_FORMAT;
  uint64_t x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return ZK_ERR_QOS_PROOF_FORMAT;
    x = x * 10 + (uint64_t)(s[i] - '0');
  }
  *out = x;
  return ZK_OK;
}

zk_status zk_qos_boot_proof_verify_json(const zk_att_verifier *v, const zk_qos_boot_policy *p,
                                        zk_qos_boot **out, const char *json, size_t json_len,
                                        uint64_t at_unix) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (v == NULL || json == NULL) return ZK_ERR_ARG;
  if (json_len > ZK_QOS_MAX_PROOF_LEN) return ZK_ERR_TOO_LARGE;
  json_t *j;
  if (zki_json_load_object(&j, (const uint8_t *)json, json_len, ZK_QOS_MAX_PROOF_LEN) != ZK_OK)
    return ZK_ERR_QOS_PROOF_FORMAT;
  static const char *const allowed[] = {"ephemeralPublicKeyHex",
                                        "awsAttestationDocB64",
                                        "qosManifestB64",
                                        "qosManifestEnvelopeB64",
                                        "deploymentLabel",
                                        "enclaveApp",
                                        "owner",
                                        "createdAt",
                                        "qosManifestVersion",
                                        NULL};
  zk_status st = ZK_OK;
  const char *k;
  json_t *val;
  json_object_foreach(j, k, val) {
    bool ok = false;
    for (size_t i = 0; allowed[i]; i++)
      if (strcmp(k, allowed[i]) == 0) ok = true;
    if (!ok) st = ZK_ERR_QOS_PROOF_FORMAT;
  }
  uint8_t *att = NULL, *mb = NULL, *eb = NULL, *eph = NULL;
  size_t att_len = 0, mlen = 0, elen = 0, eph_len = 0;
  zk_qos_manifest *m = NULL;
  zk_qos_envelope *env = NULL;
  if (st == ZK_OK) st = j_b64(j, "awsAttestationDocB64", &att, &att_len);
  if (st == ZK_OK) st = j_b64(j, "qosManifestB64", &mb, &mlen);
  if (st == ZK_OK) st = j_b64(j, "qosManifestEnvelopeB64", &eb, &elen);
  if (st == ZK_OK) {
    json_t *h = json_object_get(j, "ephemeralPublicKeyHex");
    if (!json_is_string(h) ||
        zki_hex_decode_alloc(&eph, &eph_len, json_string_value(h), json_string_length(h)) != ZK_OK)
      st = ZK_ERR_QOS_PROOF_FORMAT;
  }
  if (st == ZK_OK && at_unix == 0) {
    json_t *c = json_object_get(j, "createdAt");
    if (!json_is_object(c))
      st = ZK_ERR_QOS_PROOF_FORMAT;
    else
      st = dec_u64(json_object_get(c, "seconds"), &at_unix);
    if (st == ZK_OK && at_unix == 0) st = ZK_ERR_QOS_PROOF_FORMAT;
  }
  if (st == ZK_OK) st = zk_qos_manifest_parse_borsh(&m, mb, mlen, ZK_QOS_MANIFEST_AUTO);
  if (st == ZK_OK) st = zk_qos_envelope_parse_borsh(&env, eb, elen, ZK_QOS_MANIFEST_AUTO);
  if (st == ZK_OK) st = zk_qos_boot_verify(v, p, out, att, att_len, env, m, eph, eph_len, at_unix);
  zk_qos_envelope_free(env);
  zk_qos_manifest_free(m);
  free(att);
  free(mb);
  free(eb);
  free(eph);
  json_decref(j);
  return st;
}

/* ---- app proofs ---- */

zk_status zk_qos_app_proof_verify(const zk_qos_boot *boot, char **payload, size_t *payload_len,
                                  const char *json, size_t json_len) {
  if (payload == NULL || payload_len == NULL) return ZK_ERR_ARG;
  *payload = NULL;
  *payload_len = 0;
  if (boot == NULL || json == NULL) return ZK_ERR_ARG;
  if (json_len > ZK_QOS_MAX_PROOF_LEN) return ZK_ERR_TOO_LARGE;
  json_t *j;
  if (zki_json_load_object(&j, (const uint8_t *)json, json_len, ZK_QOS_MAX_PROOF_LEN) != ZK_OK ||
      json_object_size(j) != 4) {
    json_decref(j);
    return ZK_ERR_QOS_PROOF_FORMAT;
  }
  json_t *scheme = json_object_get(j, "scheme"), *pub = json_object_get(j, "publicKey");
  json_t *pl = json_object_get(j, "proofPayload"), *sig = json_object_get(j, "signature");
  zk_status st = ZK_OK;
  uint8_t pk[ZK_QOS_PUBLIC_LEN], sg[ZK_QOS_SIG_LEN];
  size_t pkn = 0, sgn = 0;
  if (!json_is_string(scheme) || !json_is_string(pub) || !json_is_string(pl) ||
      !json_is_string(sig))
    st = ZK_ERR_QOS_PROOF_FORMAT;
  if (st == ZK_OK && strcmp(json_string_value(scheme), ZK_QOS_APP_PROOF_SCHEME) != 0)
    st = ZK_ERR_QOS_PROOF_SCHEME;
  if (st == ZK_OK) {
    if (json_string_length(pub) != 2 * ZK_QOS_PUBLIC_LEN)
      st = ZK_ERR_QOS_EPHEMERAL_KEY;
    else if (zki_hex_decode(pk, sizeof pk, &pkn, json_string_value(pub), json_string_length(pub)) !=
             ZK_OK)
      st = ZK_ERR_QOS_PROOF_FORMAT;
  }
  if (st == ZK_OK && !zk_ct_equal(pk, boot->eph, sizeof pk)) st = ZK_ERR_QOS_EPHEMERAL_KEY;
  if (st == ZK_OK && (zki_hex_decode(sg, sizeof sg, &sgn, json_string_value(sig),
                                     json_string_length(sig)) != ZK_OK ||
                      sgn != sizeof sg))
    st = ZK_ERR_QOS_APP_SIGNATURE;
  const char *ps = st == ZK_OK ? json_string_value(pl) : NULL;
  size_t pn = st == ZK_OK ? json_string_length(pl) : 0;
  if (st == ZK_OK &&
      zk_qos_verify(boot->eph, ZK_QOS_PUBLIC_LEN, sg, sgn, (const uint8_t *)ps, pn) != ZK_OK)
    st = ZK_ERR_QOS_APP_SIGNATURE;
  if (st == ZK_OK) {
    /* the signed payload must itself be a typed JSON object */
    json_t *pj;
    if (zki_json_load_object(&pj, (const uint8_t *)ps, pn, SIZE_MAX) != ZK_OK ||
        !json_is_string(json_object_get(pj, "type")) ||
        !json_is_string(json_object_get(pj, "timestampMs")))
      st = ZK_ERR_QOS_PROOF_FORMAT;
    json_decref(pj);
  }
  if (st == ZK_OK) {
    *payload = malloc(pn + 1);
    if (*payload == NULL)
      st = ZK_ERR_NOMEM;
    else {
      memcpy(*payload, ps, pn);
      (*payload)[pn] = '\0';
      *payload_len = pn;
    }
  }
  json_decref(j);
  return st;
}

zk_status zk_qos_app_proof_create(const zk_qos_keyset *eph, char **json, size_t *json_len,
                                  const char *payload, size_t payload_len) {
  if (json == NULL || json_len == NULL) return ZK_ERR_ARG;
  *json = NULL;
  *json_len = 0;
  if (eph == NULL || payload == NULL) return ZK_ERR_ARG;
  if (payload_len > ZK_QOS_MAX_PROOF_LEN / 2) return ZK_ERR_TOO_LARGE;
  uint8_t sig[ZK_QOS_SIG_LEN];
  ZKI_TRY(zk_qos_sign(eph, sig, sizeof sig, (const uint8_t *)payload, payload_len));
  char pubhex[2 * ZK_QOS_PUBLIC_LEN + 1], sighex[2 * ZK_QOS_SIG_LEN + 1];
  zki_hex_encode(pubhex, zk_qos_keyset_public(eph), ZK_QOS_PUBLIC_LEN);
  zki_hex_encode(sighex, sig, sizeof sig);
  json_t *o = json_object();
  json_t *pl = json_stringn(payload, payload_len);
  zk_status st = (o && pl) ? ZK_OK : ZK_ERR_NOMEM;
  if (st == ZK_OK && (json_object_set_new(o, "scheme", json_string(ZK_QOS_APP_PROOF_SCHEME)) ||
                      json_object_set_new(o, "publicKey", json_string(pubhex)) ||
                      json_object_set(o, "proofPayload", pl) ||
                      json_object_set_new(o, "signature", json_string(sighex))))
    st = ZK_ERR_NOMEM;
  if (st == ZK_OK) {
    *json = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (*json == NULL)
      st = ZK_ERR_NOMEM;
    else
      *json_len = strlen(*json);
  }
  json_decref(pl);
  json_decref(o);
  return st;
}

zk_status zki_qos_boot_from_key(zk_qos_boot **out, const uint8_t *eph, size_t eph_len) {
  if (out == NULL) return ZK_ERR_ARG;
  *out = NULL;
  if (eph == NULL || eph_len != ZK_QOS_PUBLIC_LEN) return ZK_ERR_ARG;
  zk_qos_boot *b = calloc(1, sizeof *b);
  if (b == NULL) return ZK_ERR_NOMEM;
  memcpy(b->eph, eph, ZK_QOS_PUBLIC_LEN);
  *out = b;
  return ZK_OK;
}
