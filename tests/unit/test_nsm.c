/*
 * NSM client (backends/nitro/nsm.c): byte-exact requests and replay of replies.
 *
 * Requests and replies are written here by hand from the wire description in
 * aws-nitro-enclaves-nsm-api (serde_cbor externally tagged enums): CBOR heads
 * as hex, ASCII names appended with txt(). A replay transport checks that the
 * client sent exactly the expected request and hands back the scripted reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk_backend_internal.h"
#include "zkt.h"

/* ---- byte builder ---- */

typedef struct buf {
  uint8_t b[16384];
  size_t n;
} buf;

static void hx(buf *o, const char *hex) {
  size_t n = strlen(hex);
  assert_true(n % 2 == 0);
  for (size_t i = 0; i < n; i += 2) {
    unsigned v;
    assert_int_equal(sscanf(hex + i, "%2x", &v), 1);
    o->b[o->n++] = (uint8_t)v;
  }
}
static void txt(buf *o, const char *s) {
  memcpy(o->b + o->n, s, strlen(s));
  o->n += strlen(s);
}
static void rep(buf *o, uint8_t v, size_t n) {
  memset(o->b + o->n, v, n);
  o->n += n;
}
/* CBOR text string with a one-byte head (length < 24). */
static void tstr(buf *o, const char *s) {
  assert_true(strlen(s) < 24);
  o->b[o->n++] = (uint8_t)(0x60 + strlen(s));
  txt(o, s);
}

/* ---- replay transport ---- */

typedef struct replay {
  const buf *want_req; /* NULL = do not check */
  const buf *reply;
  size_t claim_len; /* if non-zero, report this reply length instead */
  zk_status fail;   /* transport failure to simulate */
  unsigned calls;
} replay;

static zk_status replay_fn(void *ctx, uint8_t *resp, size_t *resp_len, const uint8_t *req,
                           size_t req_len) {
  replay *r = ctx;
  r->calls++;
  if (r->want_req != NULL) {
    if (req_len != r->want_req->n || memcmp(req, r->want_req->b, req_len) != 0) {
      char *g = zkt_tohex(req, req_len), *w = zkt_tohex(r->want_req->b, r->want_req->n);
      print_error("request mismatch\n got  %s\n want %s\n", g, w);
      free(g);
      free(w);
      fail();
    }
  }
  assert_true(req_len <= ZK_NSM_REQUEST_MAX);
  assert_int_equal(*resp_len, ZK_NSM_RESPONSE_MAX);
  if (r->fail != ZK_OK) return r->fail;
  size_t n = r->reply->n < *resp_len ? r->reply->n : *resp_len;
  memcpy(resp, r->reply->b, n);
  *resp_len = r->claim_len ? r->claim_len : r->reply->n;
  return ZK_OK;
}

static zk_backend *open_replay(replay *r) {
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.transport = replay_fn;
  o.transport_ctx = r;
  zk_backend *b = NULL;
  zkt_assert_ok(zk_backend_open(&b, "nitro", &o));
  assert_string_equal(zk_backend_name(b), "nitro");
  return b;
}

/* ---- hand-written requests ---- */

static void req_describe_pcr(buf *o, const char *index_hex) {
  hx(o, "a1"), tstr(o, "DescribePCR"), hx(o, "a1"), tstr(o, "index"), hx(o, index_hex);
}

/* ---- hand-written replies ---- */

static const char *const error_names[] = {"InvalidArgument", "InvalidIndex",     "InvalidResponse",
                                          "ReadOnlyIndex",   "InvalidOperation", "BufferTooSmall",
                                          "InputTooLarge",   "InternalError"};
static const zk_status error_status[] = {ZK_ERR_NSM_INVALID_ARGUMENT,  ZK_ERR_NSM_INVALID_INDEX,
                                         ZK_ERR_NSM_INVALID_RESPONSE,  ZK_ERR_NSM_READ_ONLY_INDEX,
                                         ZK_ERR_NSM_INVALID_OPERATION, ZK_ERR_NSM_BUFFER_TOO_SMALL,
                                         ZK_ERR_NSM_INPUT_TOO_LARGE,   ZK_ERR_NSM_INTERNAL_ERROR};

static void reply_error(buf *o, const char *name) {
  hx(o, "a1"), tstr(o, "Error"), tstr(o, name);
}
static void reply_describe_pcr(buf *o, int lock, uint8_t fill) {
  hx(o, "a1"), tstr(o, "DescribePCR"), hx(o, "a2");
  tstr(o, "lock"), hx(o, lock ? "f5" : "f4");
  tstr(o, "data"), hx(o, "5830"), rep(o, fill, 48);
}
static void reply_extend_pcr(buf *o, uint8_t fill) {
  hx(o, "a1"), tstr(o, "ExtendPCR"), hx(o, "a1"), tstr(o, "data"), hx(o, "5830"), rep(o, fill, 48);
}
static void reply_describe_nsm(buf *o) {
  hx(o, "a1"), tstr(o, "DescribeNSM"), hx(o, "a7");
  tstr(o, "version_major"), hx(o, "01");
  tstr(o, "version_minor"), hx(o, "02");
  tstr(o, "version_patch"), hx(o, "1903e8"); /* 1000 */
  tstr(o, "module_id"), hx(o, "7827"), txt(o, "i-0123456789abcdef0-enc0123456789abcdef");
  tstr(o, "max_pcrs"), hx(o, "1820");
  tstr(o, "locked_pcrs"), hx(o, "90000102030405060708090a0b0c0d0e0f");
  tstr(o, "digest"), tstr(o, "SHA384");
}
static void reply_attestation(buf *o, size_t doc_len) {
  assert_true(doc_len == 256);
  hx(o, "a1"), tstr(o, "Attestation"), hx(o, "a1"), tstr(o, "document"), hx(o, "590100");
  for (size_t i = 0; i < doc_len; i++) o->b[o->n++] = (uint8_t)i;
}
static void reply_random(buf *o, uint8_t fill) {
  hx(o, "a1"), tstr(o, "GetRandom"), hx(o, "a1"), tstr(o, "random"), hx(o, "590100"),
      rep(o, fill, 256);
}

/* ---- operations ---- */

static void test_get_random(void **state) {
  (void)state;
  buf want = {0}, reply = {0};
  hx(&want, "6947657452616e646f6d"); /* "GetRandom" exactly as in the kernel's hwrng path */
  reply_random(&reply, 0xA5);
  replay r = {.want_req = &want, .reply = &reply};
  zk_backend *b = open_replay(&r);
  uint8_t out[600];
  zkt_assert_ok(zk_backend_random(b, out, sizeof(out)));
  assert_int_equal(r.calls, 3); /* 256 + 256 + 88 */
  for (size_t i = 0; i < sizeof(out); i++) assert_int_equal(out[i], 0xA5);
  zk_backend_free(b);
}

static void test_describe_nsm(void **state) {
  (void)state;
  buf want = {0}, reply = {0};
  tstr(&want, "DescribeNSM");
  reply_describe_nsm(&reply);
  replay r = {.want_req = &want, .reply = &reply};
  zk_backend *b = open_replay(&r);
  zk_nsm_description d;
  zkt_assert_ok(zk_backend_describe(b, &d));
  assert_int_equal(d.version_major, 1);
  assert_int_equal(d.version_minor, 2);
  assert_int_equal(d.version_patch, 1000);
  assert_string_equal(d.module_id, "i-0123456789abcdef0-enc0123456789abcdef");
  assert_int_equal(d.max_pcrs, 32);
  assert_int_equal(d.n_locked_pcrs, 16);
  for (unsigned i = 0; i < 16; i++) assert_int_equal(d.locked_pcrs[i], i);
  assert_int_equal(d.digest, ZK_NSM_DIGEST_SHA384);
  zk_backend_free(b);
}

static void test_describe_pcr(void **state) {
  (void)state;
  static const struct {
    uint16_t index;
    const char *hex;
  } idx[] = {{0, "00"},     {16, "10"},      {23, "17"},       {24, "1818"},
             {255, "18ff"}, {256, "190100"}, {65535, "19ffff"}};
  for (size_t i = 0; i < ZKI_ARRAY_LEN(idx); i++) {
    buf want = {0}, reply = {0};
    req_describe_pcr(&want, idx[i].hex);
    reply_describe_pcr(&reply, i % 2, (uint8_t)i);
    replay r = {.want_req = &want, .reply = &reply};
    zk_backend *b = open_replay(&r);
    uint8_t v[ZK_NSM_PCR_MAX_LEN];
    size_t vlen = sizeof(v);
    int locked = -1;
    zkt_assert_ok(zk_backend_describe_pcr(b, &locked, v, &vlen, idx[i].index));
    assert_int_equal(vlen, 48);
    assert_int_equal(locked, (int)(i % 2));
    for (size_t j = 0; j < 48; j++) assert_int_equal(v[j], (uint8_t)i);
    /* too small an output buffer */
    vlen = 47;
    zkt_assert_status(zk_backend_describe_pcr(b, &locked, v, &vlen, idx[i].index),
                      ZK_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(vlen, 0);
    zk_backend_free(b);
  }
}

static void test_extend_pcr(void **state) {
  (void)state;
  buf want = {0}, reply = {0};
  hx(&want, "a1"), tstr(&want, "ExtendPCR"), hx(&want, "a2");
  tstr(&want, "index"), hx(&want, "10");
  tstr(&want, "data"), hx(&want, "43616263"); /* h'616263' */
  reply_extend_pcr(&reply, 0x5C);
  replay r = {.want_req = &want, .reply = &reply};
  zk_backend *b = open_replay(&r);
  uint8_t v[48];
  size_t vlen = sizeof(v);
  zkt_assert_ok(zk_backend_extend_pcr(b, v, &vlen, 16, (const uint8_t *)"abc", 3));
  assert_int_equal(vlen, 48);
  assert_int_equal(v[0], 0x5C);
  zk_backend_free(b);

  /* empty data: bstr of length 0; 300 bytes: two-byte length head */
  buf want2 = {0};
  hx(&want2, "a1"), tstr(&want2, "ExtendPCR"), hx(&want2, "a2");
  tstr(&want2, "index"), hx(&want2, "181f"), tstr(&want2, "data"), hx(&want2, "40");
  r = (replay){.want_req = &want2, .reply = &reply};
  b = open_replay(&r);
  vlen = sizeof(v);
  zkt_assert_ok(zk_backend_extend_pcr(b, v, &vlen, 31, NULL, 0));
  zk_backend_free(b);

  uint8_t big[300];
  memset(big, 0x77, sizeof(big));
  buf want3 = {0};
  hx(&want3, "a1"), tstr(&want3, "ExtendPCR"), hx(&want3, "a2");
  tstr(&want3, "index"), hx(&want3, "11"), tstr(&want3, "data"), hx(&want3, "59012c"),
      rep(&want3, 0x77, 300);
  r = (replay){.want_req = &want3, .reply = &reply};
  b = open_replay(&r);
  vlen = sizeof(v);
  zkt_assert_ok(zk_backend_extend_pcr(b, v, &vlen, 17, big, sizeof(big)));
  zk_backend_free(b);
}

static void test_lock_pcr_and_pcrs(void **state) {
  (void)state;
  buf want = {0}, reply = {0};
  hx(&want, "a1"), tstr(&want, "LockPCR"), hx(&want, "a1"), tstr(&want, "index"), hx(&want, "11");
  tstr(&reply, "LockPCR");
  replay r = {.want_req = &want, .reply = &reply};
  zk_backend *b = open_replay(&r);
  zkt_assert_ok(zk_backend_lock_pcr(b, 17));
  zk_backend_free(b);

  buf want2 = {0}, reply2 = {0};
  hx(&want2, "a1"), tstr(&want2, "LockPCRs"), hx(&want2, "a1"), tstr(&want2, "range"),
      hx(&want2, "1820");
  tstr(&reply2, "LockPCRs");
  r = (replay){.want_req = &want2, .reply = &reply2};
  b = open_replay(&r);
  zkt_assert_ok(zk_backend_lock_pcrs(b, 32));
  zk_backend_free(b);

  /* the two unit replies are not interchangeable */
  r = (replay){.want_req = &want, .reply = &reply2};
  b = open_replay(&r);
  zkt_assert_status(zk_backend_lock_pcr(b, 17), ZK_ERR_NSM_RESPONSE_MISMATCH);
  zk_backend_free(b);
  r = (replay){.want_req = &want2, .reply = &reply};
  b = open_replay(&r);
  zkt_assert_status(zk_backend_lock_pcrs(b, 32), ZK_ERR_NSM_RESPONSE_MISMATCH);
  zk_backend_free(b);
}

static void test_attestation(void **state) {
  (void)state;
  buf reply = {0};
  reply_attestation(&reply, 256);
  /* all three fields present */
  buf want = {0};
  hx(&want, "a1"), tstr(&want, "Attestation"), hx(&want, "a3");
  tstr(&want, "user_data"), hx(&want, "42"), txt(&want, "ud");
  tstr(&want, "nonce"), hx(&want, "43"), txt(&want, "non");
  tstr(&want, "public_key"), hx(&want, "420102");
  replay r = {.want_req = &want, .reply = &reply};
  zk_backend *b = open_replay(&r);
  uint8_t *doc = NULL;
  size_t doc_len = 0;
  static const uint8_t pk[] = {1, 2};
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, (const uint8_t *)"ud", 2,
                                  (const uint8_t *)"non", 3, pk, 2));
  assert_int_equal(doc_len, 256);
  for (size_t i = 0; i < 256; i++) assert_int_equal(doc[i], (uint8_t)i);
  zk_free(doc);
  zk_backend_free(b);

  /* absent fields are CBOR null; a non-NULL empty field is an empty bstr */
  buf want2 = {0};
  hx(&want2, "a1"), tstr(&want2, "Attestation"), hx(&want2, "a3");
  tstr(&want2, "user_data"), hx(&want2, "f6");
  tstr(&want2, "nonce"), hx(&want2, "40");
  tstr(&want2, "public_key"), hx(&want2, "f6");
  r = (replay){.want_req = &want2, .reply = &reply};
  b = open_replay(&r);
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, NULL, 0, (const uint8_t *)"", 0, NULL, 0));
  zk_free(doc);
  zk_backend_free(b);

  /* 1024-byte fields: user_data 1024 + nonce 1024 + public_key 1024 still fits 4096 */
  static uint8_t k[1024];
  memset(k, 0x33, sizeof(k));
  buf want3 = {0};
  hx(&want3, "a1"), tstr(&want3, "Attestation"), hx(&want3, "a3");
  tstr(&want3, "user_data"), hx(&want3, "590400"), rep(&want3, 0x33, 1024);
  tstr(&want3, "nonce"), hx(&want3, "590400"), rep(&want3, 0x33, 1024);
  tstr(&want3, "public_key"), hx(&want3, "590400"), rep(&want3, 0x33, 1024);
  r = (replay){.want_req = &want3, .reply = &reply};
  b = open_replay(&r);
  zkt_assert_ok(zk_backend_attest(b, &doc, &doc_len, k, 1024, k, 1024, k, 1024));
  zk_free(doc);
  /* over the 4096-byte request limit: refused before the device is asked */
  static uint8_t big[1400];
  unsigned calls = r.calls;
  zkt_assert_status(zk_backend_attest(b, &doc, &doc_len, big, 1400, big, 1400, big, 1400),
                    ZK_ERR_NSM_INPUT_TOO_LARGE);
  assert_null(doc);
  assert_int_equal(doc_len, 0);
  static uint8_t huge[5000];
  uint8_t v[48];
  size_t vlen = sizeof(v);
  zkt_assert_status(zk_backend_extend_pcr(b, v, &vlen, 16, huge, sizeof(huge)),
                    ZK_ERR_NSM_INPUT_TOO_LARGE);
  assert_int_equal(r.calls, calls);
  zk_backend_free(b);
}

/* ---- errors ---- */

static void test_error_names(void **state) {
  (void)state;
  unsigned run = 0, passed = 0;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(error_names); i++) {
    buf reply = {0};
    reply_error(&reply, error_names[i]);
    replay r = {.reply = &reply};
    zk_backend *b = open_replay(&r);
    uint8_t v[64];
    size_t vlen = sizeof(v);
    int locked;
    uint8_t *doc = NULL;
    size_t doc_len = 0;
    zk_nsm_description d;
    zk_status got[7];
    got[0] = zk_backend_describe_pcr(b, &locked, v, &vlen, 0);
    vlen = sizeof(v);
    got[1] = zk_backend_extend_pcr(b, v, &vlen, 16, v, 1);
    got[2] = zk_backend_lock_pcr(b, 16);
    got[3] = zk_backend_lock_pcrs(b, 16);
    got[4] = zk_backend_describe(b, &d);
    got[5] = zk_backend_attest(b, &doc, &doc_len, NULL, 0, NULL, 0, NULL, 0);
    got[6] = zk_backend_random(b, v, 8);
    for (size_t j = 0; j < 7; j++) {
      run++;
      zkt_assert_status(got[j], error_status[i]);
      passed++;
    }
    assert_null(doc);
    assert_int_equal(d.max_pcrs, 0); /* zeroed on error */
    for (size_t j = 0; j < 8; j++) assert_int_equal(v[j], 0);
    zk_backend_free(b);
  }
  /* unknown names, wrong case, empty: distinct status; non-text value: type error */
  static const char *const unknown[] = {"Bogus", "invalidindex", "", "InvalidIndex "};
  for (size_t i = 0; i < ZKI_ARRAY_LEN(unknown); i++) {
    buf reply = {0};
    reply_error(&reply, unknown[i]);
    replay r = {.reply = &reply};
    zk_backend *b = open_replay(&r);
    run++;
    zkt_assert_status(zk_backend_lock_pcr(b, 16), ZK_ERR_NSM_UNKNOWN_ERROR);
    passed++;
    zk_backend_free(b);
  }
  buf reply = {0};
  hx(&reply, "a1"), tstr(&reply, "Error"), hx(&reply, "02");
  replay r = {.reply = &reply};
  zk_backend *b = open_replay(&r);
  zkt_assert_status(zk_backend_lock_pcr(b, 16), ZK_ERR_TYPE);
  zk_backend_free(b);
  zkt_report("nsm error names", run, passed);
}

typedef struct scripted {
  const char *what;
  zki_nsm_op op;
  void (*build)(buf *);
  zk_status want;
} scripted;

static void bad_empty_reply(buf *o) {
  (void)o;
}
static void bad_integer(buf *o) {
  hx(o, "00");
}
static void bad_two_entries(buf *o) {
  hx(o, "a2"), tstr(o, "LockPCR"), hx(o, "f6"), tstr(o, "Error"), tstr(o, "InvalidIndex");
}
static void bad_other_variant(buf *o) {
  reply_extend_pcr(o, 1);
}
static void bad_random_as_unit(buf *o) {
  tstr(o, "GetRandom");
}
static void bad_missing_lock(buf *o) {
  hx(o, "a1"), tstr(o, "DescribePCR"), hx(o, "a1"), tstr(o, "data"), hx(o, "5830"), rep(o, 0, 48);
}
static void bad_unknown_field(buf *o) {
  hx(o, "a1"), tstr(o, "ExtendPCR"), hx(o, "a2"), tstr(o, "data"), hx(o, "5830"), rep(o, 0, 48);
  tstr(o, "extra"), hx(o, "00");
}
static void bad_lock_type(buf *o) {
  hx(o, "a1"), tstr(o, "DescribePCR"), hx(o, "a2"), tstr(o, "lock"), hx(o, "01");
  tstr(o, "data"), hx(o, "5830"), rep(o, 0, 48);
}
static void bad_pcr_len(buf *o) {
  hx(o, "a1"), tstr(o, "ExtendPCR"), hx(o, "a1"), tstr(o, "data"), hx(o, "582f"), rep(o, 0, 47);
}
static void bad_data_text(buf *o) {
  hx(o, "a1"), tstr(o, "ExtendPCR"), hx(o, "a1"), tstr(o, "data"), hx(o, "7830"), rep(o, 'a', 48);
}
static void bad_empty_random(buf *o) {
  hx(o, "a1"), tstr(o, "GetRandom"), hx(o, "a1"), tstr(o, "random"), hx(o, "40");
}
static void bad_empty_document(buf *o) {
  hx(o, "a1"), tstr(o, "Attestation"), hx(o, "a1"), tstr(o, "document"), hx(o, "40");
}
static void bad_duplicate(buf *o) {
  hx(o, "a1"), tstr(o, "ExtendPCR"), hx(o, "a2"), tstr(o, "data"), hx(o, "5830"), rep(o, 0, 48);
  tstr(o, "data"), hx(o, "5830"), rep(o, 1, 48);
}
static void bad_trailing(buf *o) {
  reply_random(o, 1), hx(o, "00");
}
static void bad_tag(buf *o) {
  hx(o, "d818"), tstr(o, "LockPCR");
}
static void bad_digest(buf *o) {
  reply_describe_nsm(o);
  memcpy(o->b + o->n - 6, "SHA999", 6);
}
static void bad_version_range(buf *o) {
  reply_describe_nsm(o);
  /* version_patch 1000 -> 0x1a 00 01 00 00 would not fit a u16: rebuild */
  o->n = 0;
  hx(o, "a1"), tstr(o, "DescribeNSM"), hx(o, "a7");
  tstr(o, "version_major"), hx(o, "1a00010000");
  tstr(o, "version_minor"), hx(o, "00"), tstr(o, "version_patch"), hx(o, "00");
  tstr(o, "module_id"), tstr(o, "m"), tstr(o, "max_pcrs"), hx(o, "1820");
  tstr(o, "locked_pcrs"), hx(o, "80"), tstr(o, "digest"), tstr(o, "SHA384");
}
static void bad_module_id_empty(buf *o) {
  hx(o, "a1"), tstr(o, "DescribeNSM"), hx(o, "a7");
  tstr(o, "version_major"), hx(o, "01"), tstr(o, "version_minor"), hx(o, "00");
  tstr(o, "version_patch"), hx(o, "00"), tstr(o, "module_id"), hx(o, "60");
  tstr(o, "max_pcrs"), hx(o, "1820"), tstr(o, "locked_pcrs"), hx(o, "80");
  tstr(o, "digest"), tstr(o, "SHA384");
}
static void bad_locked_too_many(buf *o) {
  hx(o, "a1"), tstr(o, "DescribeNSM"), hx(o, "a7");
  tstr(o, "version_major"), hx(o, "01"), tstr(o, "version_minor"), hx(o, "00");
  tstr(o, "version_patch"), hx(o, "00"), tstr(o, "module_id"), tstr(o, "m");
  tstr(o, "max_pcrs"), hx(o, "1820"), tstr(o, "locked_pcrs"), hx(o, "9841"), rep(o, 0, 65);
  tstr(o, "digest"), tstr(o, "SHA384");
}
static void ok_indefinite(buf *o) {
  hx(o, "bf"), tstr(o, "ExtendPCR"), hx(o, "bf"), tstr(o, "data"), hx(o, "5830"), rep(o, 9, 48),
      hx(o, "ff"), hx(o, "ff");
}

static const scripted cases[] = {
    {"empty reply", ZKI_NSM_LOCK_PCR, bad_empty_reply, ZK_ERR_TRUNCATED},
    {"integer reply", ZKI_NSM_LOCK_PCR, bad_integer, ZK_ERR_NSM_RESPONSE_MISMATCH},
    {"two top-level entries", ZKI_NSM_LOCK_PCR, bad_two_entries, ZK_ERR_NSM_RESPONSE_MISMATCH},
    {"ExtendPCR reply to DescribePCR", ZKI_NSM_DESCRIBE_PCR, bad_other_variant,
     ZK_ERR_NSM_RESPONSE_MISMATCH},
    {"ExtendPCR reply to Attestation", ZKI_NSM_ATTESTATION, bad_other_variant,
     ZK_ERR_NSM_RESPONSE_MISMATCH},
    {"unit reply to GetRandom", ZKI_NSM_GET_RANDOM, bad_random_as_unit,
     ZK_ERR_NSM_RESPONSE_MISMATCH},
    {"missing lock", ZKI_NSM_DESCRIBE_PCR, bad_missing_lock, ZK_ERR_MISSING_FIELD},
    {"unknown field", ZKI_NSM_EXTEND_PCR, bad_unknown_field, ZK_ERR_UNKNOWN_FIELD},
    {"lock not bool", ZKI_NSM_DESCRIBE_PCR, bad_lock_type, ZK_ERR_TYPE},
    {"PCR of 47 bytes", ZKI_NSM_EXTEND_PCR, bad_pcr_len, ZK_ERR_VALUE},
    {"PCR data as text", ZKI_NSM_EXTEND_PCR, bad_data_text, ZK_ERR_TYPE},
    {"empty random", ZKI_NSM_GET_RANDOM, bad_empty_random, ZK_ERR_VALUE},
    {"empty document", ZKI_NSM_ATTESTATION, bad_empty_document, ZK_ERR_VALUE},
    {"duplicate key", ZKI_NSM_EXTEND_PCR, bad_duplicate, ZK_ERR_DUPLICATE_KEY},
    {"trailing byte", ZKI_NSM_GET_RANDOM, bad_trailing, ZK_ERR_TRAILING},
    {"tagged reply", ZKI_NSM_LOCK_PCR, bad_tag, ZK_ERR_UNKNOWN_TAG},
    {"unknown digest", ZKI_NSM_DESCRIBE_NSM, bad_digest, ZK_ERR_VALUE},
    {"version over u16", ZKI_NSM_DESCRIBE_NSM, bad_version_range, ZK_ERR_VALUE},
    {"empty module_id", ZKI_NSM_DESCRIBE_NSM, bad_module_id_empty, ZK_ERR_VALUE},
    {"65 locked PCRs", ZKI_NSM_DESCRIBE_NSM, bad_locked_too_many, ZK_ERR_VALUE},
    {"indefinite maps accepted", ZKI_NSM_EXTEND_PCR, ok_indefinite, ZK_OK},
};

static void test_malformed_replies(void **state) {
  (void)state;
  unsigned passed = 0;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(cases); i++) {
    buf reply = {0};
    cases[i].build(&reply);
    zki_nsm_reply out;
    zk_status st = zki_nsm_decode(&out, cases[i].op, reply.b, reply.n);
    if (st != cases[i].want)
      fail_msg("%s: got %s want %s", cases[i].what, zk_status_name(st),
               zk_status_name(cases[i].want));
    if (st != ZK_OK) assert_null(out.bytes);
    zki_nsm_reply_clear(&out);
    passed++;
  }
  zkt_report("nsm malformed replies", ZKI_ARRAY_LEN(cases), passed);
}

static void test_oversized_and_transport(void **state) {
  (void)state;
  /* the transport claims more bytes than the buffer holds */
  buf reply = {0};
  tstr(&reply, "LockPCR");
  replay r = {.reply = &reply, .claim_len = ZK_NSM_RESPONSE_MAX + 1};
  zk_backend *b = open_replay(&r);
  zkt_assert_status(zk_backend_lock_pcr(b, 16), ZK_ERR_TOO_LARGE);
  zk_backend_free(b);
  /* a reply larger than the response buffer, decoded directly */
  static uint8_t big[ZK_NSM_RESPONSE_MAX + 1];
  zki_nsm_reply out;
  zkt_assert_status(zki_nsm_decode(&out, ZKI_NSM_GET_RANDOM, big, sizeof(big)), ZK_ERR_TOO_LARGE);
  /* a reply that fills the buffer exactly but was cut by the driver */
  buf cut = {0};
  hx(&cut, "a1"), tstr(&cut, "Attestation"), hx(&cut, "a1"), tstr(&cut, "document"),
      hx(&cut, "592ff0"); /* claims 12272 bytes, fewer follow */
  rep(&cut, 0x11, ZK_NSM_RESPONSE_MAX - cut.n);
  assert_int_equal(cut.n, ZK_NSM_RESPONSE_MAX);
  r = (replay){.reply = &cut};
  b = open_replay(&r);
  uint8_t *doc = NULL;
  size_t doc_len = 0;
  zkt_assert_status(zk_backend_attest(b, &doc, &doc_len, NULL, 0, NULL, 0, NULL, 0),
                    ZK_ERR_TRUNCATED);
  assert_null(doc);
  zk_backend_free(b);
  /* transport failures pass through unchanged */
  r = (replay){.reply = &reply, .fail = ZK_ERR_IO};
  b = open_replay(&r);
  zkt_assert_status(zk_backend_lock_pcr(b, 16), ZK_ERR_IO);
  zk_backend_free(b);
  /* the real device path: a node that is not an NSM */
  zk_backend_options o;
  memset(&o, 0, sizeof(o));
  o.nsm_device = "/nonexistent/nsm";
  zkt_assert_status(zk_backend_open(&b, "nitro", &o), ZK_ERR_NSM_DEVICE);
  assert_null(b);
  o.nsm_device = "/dev/null"; /* opens, but the ioctl is refused */
  zkt_assert_ok(zk_backend_open(&b, "nitro", &o));
  zkt_assert_status(zk_backend_lock_pcr(b, 16), ZK_ERR_NSM_DEVICE);
  zk_backend_free(b);
  zkt_assert_status(zk_backend_open(&b, "sgx", NULL), ZK_ERR_BACKEND);
}

/* Every valid reply: all truncations rejected; every single-byte mutation
 * rejected or decoded to something different (never silently ignored). */
typedef struct valid_reply {
  zki_nsm_op op;
  void (*build)(buf *);
} valid_reply;
static void v_describe_pcr(buf *o) {
  reply_describe_pcr(o, 1, 0x42);
}
static void v_extend_pcr(buf *o) {
  reply_extend_pcr(o, 0x17);
}
static void v_lock_pcr(buf *o) {
  tstr(o, "LockPCR");
}
static void v_lock_pcrs(buf *o) {
  tstr(o, "LockPCRs");
}
static void v_attestation(buf *o) {
  reply_attestation(o, 256);
}
static void v_random(buf *o) {
  reply_random(o, 0x99);
}
static const valid_reply valid[] = {{ZKI_NSM_DESCRIBE_PCR, v_describe_pcr},
                                    {ZKI_NSM_EXTEND_PCR, v_extend_pcr},
                                    {ZKI_NSM_LOCK_PCR, v_lock_pcr},
                                    {ZKI_NSM_LOCK_PCRS, v_lock_pcrs},
                                    {ZKI_NSM_DESCRIBE_NSM, reply_describe_nsm},
                                    {ZKI_NSM_ATTESTATION, v_attestation},
                                    {ZKI_NSM_GET_RANDOM, v_random}};

static int same_reply(const zki_nsm_reply *a, const zki_nsm_reply *b) {
  if (a->locked != b->locked || a->bytes_len != b->bytes_len) return 0;
  if (a->bytes_len && memcmp(a->bytes, b->bytes, a->bytes_len) != 0) return 0;
  return memcmp(&a->desc, &b->desc, sizeof(a->desc)) == 0;
}

static void test_truncations_and_mutations(void **state) {
  (void)state;
  unsigned long truncs = 0, muts = 0, rejected = 0;
  for (size_t i = 0; i < ZKI_ARRAY_LEN(valid); i++) {
    buf reply = {0};
    valid[i].build(&reply);
    zki_nsm_reply ref;
    zkt_assert_ok(zki_nsm_decode(&ref, valid[i].op, reply.b, reply.n));
    for (size_t n = 0; n < reply.n; n++) {
      zki_nsm_reply out;
      zk_status st = zki_nsm_decode(&out, valid[i].op, reply.b, n);
      if (st == ZK_OK) fail_msg("op %d: truncation to %zu bytes accepted", valid[i].op, n);
      assert_null(out.bytes);
      truncs++;
    }
    for (size_t pos = 0; pos < reply.n; pos += zkt_stride(reply.n)) {
      static const uint8_t flips[] = {0x01, 0x20, 0x80, 0xFF};
      for (size_t f = 0; f < sizeof(flips); f++) {
        buf m = reply;
        m.b[pos] ^= flips[f];
        zki_nsm_reply out;
        zk_status st = zki_nsm_decode(&out, valid[i].op, m.b, m.n);
        muts++;
        if (st != ZK_OK) {
          rejected++;
        } else if (same_reply(&out, &ref)) {
          fail_msg("op %d: mutation at %zu (^%02x) accepted unchanged", valid[i].op, pos, flips[f]);
        }
        zki_nsm_reply_clear(&out);
      }
    }
    zki_nsm_reply_clear(&ref);
  }
  zkt_report_mutations("nsm reply truncations", truncs, truncs);
  zkt_report_mutations("nsm reply single-byte flips (unsigned: accepted flips decode differently)",
                       muts, rejected);
  printf(
      "  the %lu accepted flips each changed the decoded value (data bytes, lock flag, "
      "version, module_id, locked list)\n",
      muts - rejected);
  assert_true(rejected > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_get_random),
      cmocka_unit_test(test_describe_nsm),
      cmocka_unit_test(test_describe_pcr),
      cmocka_unit_test(test_extend_pcr),
      cmocka_unit_test(test_lock_pcr_and_pcrs),
      cmocka_unit_test(test_attestation),
      cmocka_unit_test(test_error_names),
      cmocka_unit_test(test_malformed_replies),
      cmocka_unit_test(test_oversized_and_transport),
      cmocka_unit_test(test_truncations_and_mutations),
  };
  return zkt_run_(__FILE__, tests, ZKI_ARRAY_LEN(tests));
}
