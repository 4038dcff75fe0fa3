/* Stamp -> ruling -> signature result against a notarized state, in one call. */
#include <string.h>

#include "zerokey/crypto.h"
#include "zerokey/evidence_chain.h"
#include "zerokey/ruling.h"
#include "zerokey/sig_result.h"
#include "zk_internal.h"
#include "zk_json.h"

/* "organizationId" and "type" of the activity body (malloc'd copies). */
static zk_status body_ids(char **org, char **type, const uint8_t *body, size_t len) {
  json_t *j = NULL;
  *org = *type = NULL;
  ZKI_TRY(zki_json_load_object(&j, body, len, ZK_STAMP_MAX_BODY_JSON_LEN));
  zk_status s = ZK_OK;
  const json_t *o = json_object_get(j, "organizationId"), *t = json_object_get(j, "type");
  if (o == NULL || t == NULL)
    s = ZK_ERR_MISSING_FIELD;
  else if (!json_is_string(o) || !json_is_string(t))
    s = ZK_ERR_TYPE;
  else if ((*org = strdup(json_string_value(o))) == NULL ||
           (*type = strdup(json_string_value(t))) == NULL)
    s = ZK_ERR_NOMEM;
  json_decref(j);
  if (s != ZK_OK) {
    free(*org);
    free(*type);
    *org = *type = NULL;
  }
  return s;
}

static zk_status link_stamp(zk_evidence_chain_report *rep, const zk_evidence_trust *t,
                            const zk_evidence_chain *c) {
  zk_stamp *st = NULL;
  zk_status s = c->stamp_is_webauthn ? zk_stamp_parse_webauthn(&st, c->stamp, c->stamp_len)
                                     : zk_stamp_parse(&st, c->stamp, c->stamp_len);
  if (s == ZK_OK) s = zk_stamp_verify(st, c->body, c->body_len, t->stamp_opts);
  if (s == ZK_OK) s = zk_stamp_digest(st, rep->stamp_digest);
  zk_stamp_free(st);
  return s;
}

static zk_status link_notarization(zk_evidence_chain_report *rep, const zk_evidence_trust *t,
                                   const zk_evidence_chain *c) {
  zk_notarization *n = NULL;
  zk_status s = zk_notarization_parse(&n, c->notarization, c->notarization_len);
  if (s == ZK_OK)
    s = zk_notarization_verify(n, t->notarizer_key, t->log_id, t->now_ms,
                               t->notarization_max_age_ms, t->max_skew_ms);
  if (s == ZK_OK) s = zk_notarization_digest(n, rep->notarization_digest);
  if (s == ZK_OK && t->checkpoint != NULL) {
    uint64_t seq = zk_notarization_get_info(n)->sequence;
    if (seq < t->checkpoint->sequence)
      s = ZK_ERR_CHAIN_ROLLBACK;
    else if (seq == t->checkpoint->sequence &&
             !zk_ct_equal(rep->notarization_digest, t->checkpoint->digest, 32))
      s = ZK_ERR_CHAIN_FORK;
  }
  zk_notarization_free(n);
  return s;
}

static zk_status link_ruling(zk_evidence_chain_report *rep, const zk_evidence_trust *t,
                             const zk_evidence_chain *c) {
  uint8_t req[32];
  char *org = NULL, *type = NULL;
  zk_ruling *r = NULL;
  zk_status s = zk_sha256(req, c->body, c->body_len);
  if (s == ZK_OK) s = body_ids(&org, &type, c->body, c->body_len);
  if (s == ZK_OK) s = zk_ruling_parse(&r, c->ruling, c->ruling_len);
  if (s == ZK_OK) {
    zk_ruling_expect e = {.now_ms = t->now_ms,
                          .max_skew_ms = t->max_skew_ms,
                          .stamp_digest = rep->stamp_digest,
                          .request_digest = req,
                          .state_digest = rep->notarization_digest,
                          .organization_id = org,
                          .activity_type = type};
    s = zk_ruling_verify(r, t->policy_key, &e);
  }
  if (s == ZK_OK) s = zk_ruling_digest(r, rep->ruling_digest);
  zk_ruling_free(r);
  free(org);
  free(type);
  return s;
}

static zk_status link_result(zk_evidence_chain_report *rep, const zk_evidence_trust *t,
                             const zk_evidence_chain *c) {
  zk_sig_result *r = NULL;
  zk_status s = zk_sig_result_parse(&r, c->sig_result, c->sig_result_len);
  if (s == ZK_OK) {
    zk_sig_result_expect e = {
        .ruling_digest = rep->ruling_digest, .message = c->message, .message_len = c->message_len};
    s = zk_sig_result_verify(r, t->signer_key, &e);
  }
  if (s == ZK_OK) s = zk_sig_result_digest(r, rep->result_digest);
  zk_sig_result_free(r);
  return s;
}

zk_status zk_evidence_chain_verify(zk_evidence_chain_report *report, const zk_evidence_trust *t,
                                   const zk_evidence_chain *c) {
  zk_evidence_chain_report local;
  zk_evidence_chain_report *rep = report != NULL ? report : &local;
  memset(rep, 0, sizeof *rep);
  if (t == NULL || c == NULL || t->policy_key == NULL || t->notarizer_key == NULL ||
      t->signer_key == NULL || t->stamp_opts == NULL || t->notarization_max_age_ms == 0 ||
      c->body == NULL || c->stamp == NULL || c->notarization == NULL || c->ruling == NULL ||
      c->sig_result == NULL) {
    rep->detail = ZK_ERR_ARG;
    return ZK_ERR_ARG;
  }
  static const struct {
    zk_status (*fn)(zk_evidence_chain_report *, const zk_evidence_trust *,
                    const zk_evidence_chain *);
    zk_status link;
  } links[] = {{link_stamp, ZK_ERR_CHAIN_STAMP},
               {link_notarization, ZK_ERR_CHAIN_NOTARIZATION},
               {link_ruling, ZK_ERR_CHAIN_RULING},
               {link_result, ZK_ERR_CHAIN_RESULT}};
  for (size_t i = 0; i < ZKI_ARRAY_LEN(links); i++) {
    zk_status s = links[i].fn(rep, t, c);
    if (s != ZK_OK) {
      memset(rep, 0, sizeof *rep);
      rep->detail = s;
      return links[i].link;
    }
  }
  rep->detail = ZK_OK;
  return ZK_OK;
}
