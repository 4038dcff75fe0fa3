/*
 * Internal machinery shared by the evidence kinds (lib/evidence.c): the
 * canonical COSE_Sign1 envelope, payload map checks and typed field access.
 */
#ifndef ZK_EVIDENCE_INTERNAL_H
#define ZK_EVIDENCE_INTERNAL_H

#include "zerokey/cose.h"
#include "zerokey/evidence.h"
#include "zk_cbor.h"

typedef struct zki_ev {
  uint8_t *bytes; /* exact COSE bytes (owned) */
  size_t len;
  uint8_t digest[ZK_EVIDENCE_DIGEST_LEN]; /* SHA-256(bytes) */
  uint8_t kid[ZK_EVIDENCE_KID_LEN];
  zk_cose_sign1 *cose;
  cbor_item_t *payload; /* decoded payload map */
} zki_ev;

/*
 * Encode payload (a map; the caller keeps its reference) deterministically,
 * sign it with key into the canonical envelope, then open the result exactly
 * as a verifier would (so created and parsed evidence are the same object).
 */
zk_status zki_ev_seal(zki_ev *ev, const zk_key *key, const cbor_item_t *payload, const char *type,
                      const char *const *fields, size_t n_fields);

/*
 * Parse evidence of the given type: canonical envelope, canonical payload map
 * whose keys are exactly within fields[] ("type" and "v" implied), type and
 * version checked. Nothing is verified cryptographically.
 * Returns: ZK_OK, COSE/CBOR parse statuses, ZK_ERR_NONCANONICAL, ZK_ERR_EV_TYPE,
 *          ZK_ERR_VERSION, ZK_ERR_UNKNOWN_FIELD, ZK_ERR_MISSING_FIELD, ZK_ERR_TYPE,
 *          ZK_ERR_TOO_LARGE, ZK_ERR_NOMEM.
 */
zk_status zki_ev_open(zki_ev *ev, const uint8_t *buf, size_t len, const char *type,
                      const char *const *fields, size_t n_fields);

/*
 * Check that key signed ev: kid matches (else ZK_ERR_EV_SIGNER), algorithm
 * matches the key's curve (ZK_ERR_COSE_ALG), low S for ECDSA (ZK_ERR_HIGH_S),
 * signature valid (ZK_ERR_SIGNATURE).
 */
zk_status zki_ev_check_signer(const zki_ev *ev, const zk_key *key);

void zki_ev_clear(zki_ev *ev);

/*
 * The fixed first bytes of every canonical envelope signed by key:
 * d2 84 | bstr(protected {1: alg, 4: kid}) | a0. Used by readers that check
 * canonical evidence byte for byte instead of decoding it.
 * Returns: ZK_OK, ZK_ERR_ARG, ZK_ERR_UNSUPPORTED (not an evidence curve), ZK_ERR_INTERNAL.
 * Out: out[0..*out_len) (*out_len 0 on error).
 */
#define ZKI_EV_PREFIX_MAX 48
zk_status zki_ev_envelope_prefix(uint8_t out[ZKI_EV_PREFIX_MAX], size_t *out_len,
                                 const zk_key *key);

/* The public _serialize / _digest of every kind: a malloc'd copy of the exact
 * bytes, and their SHA-256. ev may be NULL (ZK_ERR_ARG). */
zk_status zki_ev_serialize(const zki_ev *ev, uint8_t **out, size_t *out_len);
zk_status zki_ev_copy_digest(const zki_ev *ev, uint8_t out[ZK_EVIDENCE_DIGEST_LEN]);

/*
 * One evidence kind: its payload type and fields, and how to fill / free its
 * object (a struct whose FIRST member is a zki_ev).
 */
typedef struct zki_ev_kind {
  const char *type;
  const char *const *fields;
  size_t n_fields;
  size_t obj_size;
  zk_status (*load)(void *obj); /* fill the kind's info from obj->ev.payload */
  void (*free)(void *obj);      /* the kind's public _free */
} zki_ev_kind;

/* New object of kind k parsed from buf (zki_ev_open + load). *out NULL on error. */
zk_status zki_ev_parse_kind(void **out, const zki_ev_kind *k, const uint8_t *buf, size_t len);
/* New object of kind k: payload (caller keeps its reference) sealed with key, then loaded. */
zk_status zki_ev_create_kind(void **out, const zki_ev_kind *k, const zk_key *key,
                             const cbor_item_t *payload);

/* Typed payload fields. Missing: ZK_ERR_MISSING_FIELD; wrong CBOR type: ZK_ERR_TYPE;
 * wrong size / value: ZK_ERR_VALUE. */
zk_status zki_ev_get_uint(const zki_ev *ev, const char *name, uint64_t *out);
zk_status zki_ev_get_digest(const zki_ev *ev, const char *name, uint8_t out[32]);
zk_status zki_ev_get_bytes(const zki_ev *ev, const char *name, const uint8_t **p, size_t *len,
                           size_t min, size_t max);
/* Text: 1..max bytes, no NUL; *out is a malloc'd NUL-terminated copy. */
zk_status zki_ev_get_text(const zki_ev *ev, const char *name, char **out, size_t max);

/* Builders: put fields into a payload map (take no ownership of inputs). */
zk_status zki_ev_put_text(cbor_item_t *map, const char *name, const char *value, size_t max);
zk_status zki_ev_put_uint(cbor_item_t *map, const char *name, uint64_t v);
zk_status zki_ev_put_bytes(cbor_item_t *map, const char *name, const uint8_t *p, size_t len);

/* New payload map with "type" and "v" set. NULL on allocation failure. */
cbor_item_t *zki_ev_new_payload(const char *type);

/* Check an identifier / text given by a caller: 1..max bytes. */
zk_status zki_ev_check_text(const char *s, size_t max);

/*
 * Chain walk fast path (lib/notarization.c). A record that is byte for byte
 * the canonical encoding of a notarization signed under the trusted kid, with
 * the same log id as its predecessor, is read without decoding; anything else
 * is "not recognised" and goes through the strict parser, so that the accepted
 * set and every status are those of zk_notarization_parse.
 */
typedef struct zki_nz_fast {
  uint8_t prefix[ZKI_EV_PREFIX_MAX]; /* zki_ev_envelope_prefix of the notarizer */
  size_t prefix_len;
} zki_nz_fast;

typedef struct zki_nz_view {
  uint64_t sequence, time_ms;
  uint8_t prev_digest[32], state_digest[32];
  uint8_t digest[32]; /* SHA-256 of the record bytes */
} zki_nz_view;

/*
 * 1 if buf is recognised: then zk_notarization_parse(buf) would succeed with
 * kid = the notarizer's, log id = log[0..log_len) and the fields in *out.
 * 0 otherwise (*out unspecified); the caller must then use the strict parser.
 * log must be a log id the strict parser accepted (the predecessor's): its
 * bytes are compared, not re-validated.
 */
int zki_notarization_fast_read(zki_nz_view *out, const zki_nz_fast *fx, const char *log,
                               size_t log_len, const uint8_t *buf, size_t len);

#endif
