/*
 * zerokey: command-line front end to libzerokey.
 *
 * Exit codes (docs/cli.md):
 *   0  success (the evidence verified / the operation succeeded)
 *   1  verification failed: the evidence was rejected (the line says why)
 *   2  usage error (unknown subcommand or option, missing argument)
 *   3  input error: a file could not be read, or hex/base64 input is malformed
 *   4  internal error (out of memory, a primitive failed)
 * Errors are printed as one line on stderr: "zerokey: <what>: <STATUS_NAME>: <message>".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zerokey/zerokey.h>

enum { EXIT_VERIFY = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_INTERNAL = 4 };

#define MAX_FILE (64u << 20)

static const char *g_sub = "zerokey";

static int die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die_usage(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "zerokey %s: ", g_sub);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (try 'zerokey %s --help')\n", g_sub);
  return EXIT_USAGE;
}

/* Map a status to an exit code: resource/internal problems are 4, everything
 * else is a rejection of the input (1). */
static int status_exit(zk_status st) {
  if (st == ZK_ERR_NOMEM || st == ZK_ERR_INTERNAL || st == ZK_ERR_RANDOM) return EXIT_INTERNAL;
  if (st == ZK_ERR_IO) return EXIT_INPUT;
  return EXIT_VERIFY;
}

static int fail(const char *what, zk_status st) {
  fprintf(stderr, "zerokey %s: %s: %s: %s\n", g_sub, what, zk_status_name(st), zk_status_str(st));
  return status_exit(st);
}

static int read_file(const char *path, uint8_t **buf, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "zerokey %s: cannot open %s: %s\n", g_sub, path, strerror(errno));
    return EXIT_INPUT;
  }
  size_t cap = 4096, n = 0;
  uint8_t *b = malloc(cap);
  while (b != NULL) {
    n += fread(b + n, 1, cap - n, f);
    if (n < cap || cap >= MAX_FILE) break;
    uint8_t *nb = realloc(b, cap * 2);
    if (nb == NULL) {
      free(b);
      b = NULL;
      break;
    }
    b = nb;
    cap *= 2;
  }
  int err = b == NULL || ferror(f) || (n == cap && cap >= MAX_FILE);
  if (f != stdin) fclose(f);
  if (err) {
    free(b);
    fprintf(stderr, "zerokey %s: cannot read %s (error or larger than %u bytes)\n", g_sub, path,
            MAX_FILE);
    return EXIT_INPUT;
  }
  *buf = b;
  *len = n;
  return 0;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decode hex (optionally 0x-prefixed) into a malloc'd buffer. */
static int parse_hex(const char *what, const char *hex, uint8_t **out, size_t *out_len) {
  if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex += 2;
  size_t n = strlen(hex);
  if (n % 2 != 0) goto bad;
  uint8_t *b = malloc(n / 2 + 1);
  if (b == NULL) return EXIT_INTERNAL;
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      free(b);
      goto bad;
    }
    b[i] = (uint8_t)(hi << 4 | lo);
  }
  *out = b;
  *out_len = n / 2;
  return 0;
bad:
  fprintf(stderr, "zerokey %s: %s: invalid hex\n", g_sub, what);
  return EXIT_INPUT;
}

static void print_hex(FILE *f, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) fprintf(f, "%02x", p[i]);
}

static int parse_u64(const char *what, const char *s, uint64_t *out) {
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
    fprintf(stderr, "zerokey %s: %s: not a non-negative integer: %s\n", g_sub, what, s);
    return EXIT_USAGE;
  }
  *out = v;
  return 0;
}

static int parse_curve(const char *s, zk_curve *c) {
  if (strcmp(s, "p256") == 0)
    *c = ZK_CURVE_P256;
  else if (strcmp(s, "secp256k1") == 0)
    *c = ZK_CURVE_SECP256K1;
  else if (strcmp(s, "ed25519") == 0)
    *c = ZK_CURVE_ED25519;
  else if (strcmp(s, "p384") == 0)
    *c = ZK_CURVE_P384;
  else
    return die_usage("unknown curve '%s' (p256, secp256k1, ed25519, p384)", s);
  return 0;
}

static int want_help(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
  return 0;
}

/* A subcommand's help: on stdout with exit 0 when asked for (--help), on
 * stderr with the usage exit code when the arguments did not make sense. */
static int show_help(int argc, char **argv, const char *text) {
  int asked = want_help(argc, argv);
  fputs(text, asked ? stdout : stderr);
  return asked ? 0 : EXIT_USAGE;
}

/* One command-line option: a value option stores its argument in *val, a flag
 * (val == NULL) sets *flag to 1. */
typedef struct cli_opt {
  const char *name;
  const char **val;
  int *flag;
} cli_opt;

/*
 * Parse argv[start..argc) against opts. Arguments not starting with "--" are
 * positionals, stored in pos[0..*npos) (at most pos_cap; pos may be NULL when
 * none are accepted). Returns 0 or EXIT_USAGE (message printed).
 */
static int parse_opts(int argc, char **argv, int start, const cli_opt *opts, const char **pos,
                      size_t *npos, size_t pos_cap) {
  if (npos != NULL) *npos = 0;
  for (int i = start; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--", 2) != 0) {
      if (pos == NULL || npos == NULL || *npos >= pos_cap)
        return die_usage("unexpected argument '%s'", a);
      pos[(*npos)++] = a;
      continue;
    }
    const cli_opt *o = opts;
    while (o->name != NULL && strcmp(o->name, a) != 0) o++;
    if (o->name == NULL) return die_usage("unknown option %s", a);
    if (o->val == NULL) {
      *o->flag = 1;
    } else {
      if (i + 1 >= argc) return die_usage("option %s needs a value", a);
      *o->val = argv[++i];
    }
  }
  return 0;
}

/* Import a key given as hex: a secret scalar / seed, or a public key (SEC1,
 * raw Ed25519, or DER SubjectPublicKeyInfo). Secret bytes are wiped. */
static int load_key(const char *what, zk_curve c, const char *hex, int secret, zk_key **out) {
  uint8_t *b;
  size_t n;
  int rc = parse_hex(what, hex, &b, &n);
  if (rc != 0) return rc;
  zk_status st;
  if (secret) {
    st = zk_key_from_private(out, c, b, n);
    zk_wipe(b, n);
  } else {
    st = zk_key_from_public(out, c, b, n);
    if (st != ZK_OK && n > 0 && b[0] == 0x30) st = zk_key_from_spki(out, b, n);
  }
  free(b);
  return st == ZK_OK ? 0 : fail(what, st);
}

/* Same with a "CURVE:HEX" specification (e.g. ed25519:0a1b...). */
static int load_key_spec(const char *what, const char *spec, int secret, zk_key **out) {
  const char *colon = strchr(spec, ':');
  char cname[16];
  if (colon == NULL || (size_t)(colon - spec) >= sizeof cname)
    return die_usage("%s wants CURVE:HEX", what);
  memcpy(cname, spec, (size_t)(colon - spec));
  cname[colon - spec] = '\0';
  zk_curve c = ZK_CURVE_NONE;
  int rc = parse_curve(cname, &c);
  return rc != 0 ? rc : load_key(what, c, colon + 1, secret, out);
}

static uint64_t now_ms_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ------------------------------------------------------------------ attest */

static const char attest_help[] =
    "usage: zerokey attest verify DOCUMENT [options]\n"
    "  Verify an AWS Nitro attestation document (COSE_Sign1; '-' reads stdin).\n"
    "  --root FILE          pin this root certificate (DER or PEM) instead of the\n"
    "                       built-in AWS Nitro root G1 (repeatable)\n"
    "  --at UNIX_SECONDS    verification time (default: now)\n"
    "  --pcr N=HEX          require PCR N to equal HEX (repeat N for alternatives)\n"
    "  --allow-debug        accept debug-mode enclaves (all-zero PCR0)\n"
    "  --nonce HEX          require this nonce\n"
    "  --user-data HEX      require this user_data\n"
    "  --public-key HEX     require this public_key\n"
    "  --max-age SECONDS    reject documents older than this\n"
    "  --json               print the verified fields as JSON on stdout\n";

static void json_hex_field(const char *name, const uint8_t *p, size_t n, int comma) {
  printf("  \"%s\": ", name);
  if (p == NULL) {
    printf("null");
  } else {
    printf("\"");
    print_hex(stdout, p, n);
    printf("\"");
  }
  printf("%s\n", comma ? "," : "");
}

static int cmd_attest(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 2 || strcmp(argv[0], "verify") != 0)
    return show_help(argc, argv, attest_help);
  int rc = 0, json = 0;
  uint64_t at = ZK_ATT_TIME_NOW;
  zk_att_verifier *v = NULL;
  zk_att_policy *pol = NULL;
  zk_att_doc *doc = NULL;
  uint8_t *docbuf = NULL, *tmp = NULL;
  size_t doclen = 0, tmplen = 0;
  int custom_root = 0;
  zk_status st;
  if ((st = zk_att_policy_new(&pol)) != ZK_OK) return fail("policy", st);
  for (int i = 2; i < argc && rc == 0; i++) {
    const char *o = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(o, "--json") == 0) {
      json = 1;
    } else if (strcmp(o, "--allow-debug") == 0) {
      zk_att_policy_allow_debug(pol, 1);
    } else if (val == NULL) {
      rc = die_usage("option %s needs a value", o);
    } else if (strcmp(o, "--root") == 0) {
      if (v == NULL && (st = zk_att_verifier_new(&v, ZK_ATT_VERIFIER_NO_AWS_ROOT)) != ZK_OK) {
        rc = fail("verifier", st);
        break;
      }
      custom_root = 1;
      if ((rc = read_file(val, &tmp, &tmplen)) != 0) break;
      if (tmplen > 10 && memcmp(tmp, "-----BEGIN", 10) == 0)
        st = zk_att_verifier_add_root_pem(v, (const char *)tmp, tmplen);
      else
        st = zk_att_verifier_add_root_der(v, tmp, tmplen);
      free(tmp);
      tmp = NULL;
      if (st != ZK_OK) rc = fail(val, st);
      i++;
    } else if (strcmp(o, "--at") == 0) {
      rc = parse_u64("--at", val, &at);
      i++;
    } else if (strcmp(o, "--max-age") == 0) {
      uint64_t s;
      if ((rc = parse_u64("--max-age", val, &s)) == 0) zk_att_policy_set_max_age(pol, s);
      i++;
    } else if (strcmp(o, "--pcr") == 0) {
      const char *eq = strchr(val, '=');
      uint64_t idx;
      char ibuf[8];
      if (eq == NULL || (size_t)(eq - val) >= sizeof ibuf) {
        rc = die_usage("--pcr wants N=HEX, got '%s'", val);
        break;
      }
      memcpy(ibuf, val, (size_t)(eq - val));
      ibuf[eq - val] = '\0';
      if ((rc = parse_u64("--pcr index", ibuf, &idx)) != 0) break;
      if ((rc = parse_hex("--pcr", eq + 1, &tmp, &tmplen)) != 0) break;
      st = zk_att_policy_add_pcr(pol, (unsigned)idx, tmp, tmplen);
      free(tmp);
      tmp = NULL;
      if (st != ZK_OK) rc = fail("--pcr", st);
      i++;
    } else if (strcmp(o, "--nonce") == 0 || strcmp(o, "--user-data") == 0 ||
               strcmp(o, "--public-key") == 0) {
      if ((rc = parse_hex(o, val, &tmp, &tmplen)) != 0) break;
      if (o[2] == 'n')
        st = zk_att_policy_expect_nonce(pol, tmp, tmplen);
      else if (o[2] == 'u')
        st = zk_att_policy_expect_user_data(pol, tmp, tmplen);
      else
        st = zk_att_policy_expect_public_key(pol, tmp, tmplen);
      free(tmp);
      tmp = NULL;
      if (st != ZK_OK) rc = fail(o, st);
      i++;
    } else {
      rc = die_usage("unknown option %s", o);
    }
  }
  if (rc == 0 && !custom_root && (st = zk_att_verifier_new(&v, 0)) != ZK_OK)
    rc = fail("verifier", st);
  if (rc == 0) rc = read_file(argv[1], &docbuf, &doclen);
  if (rc == 0) {
    size_t off = 0;
    st = zk_att_verify(v, &doc, docbuf, doclen, at, pol, &off);
    if (st != ZK_OK) {
      fprintf(stderr, "zerokey attest: %s: %s: %s (offset %zu)\n", argv[1], zk_status_name(st),
              zk_status_str(st), off);
      rc = status_exit(st);
    }
  }
  if (rc == 0) {
    size_t n;
    const char *mid = zk_att_doc_module_id(doc, &n);
    if (json) {
      printf("{\n  \"verified\": true,\n  \"module_id\": \"%.*s\",\n", (int)n, mid);
      printf("  \"timestamp_ms\": %llu,\n", (unsigned long long)zk_att_doc_timestamp_ms(doc));
      printf("  \"debug\": %s,\n  \"pcrs\": {", zk_att_doc_is_debug(doc) ? "true" : "false");
      int first = 1;
      for (unsigned i = 0; i < ZK_ATT_MAX_PCRS; i++) {
        const uint8_t *p = zk_att_doc_pcr(doc, i, &n);
        if (p == NULL) continue;
        printf("%s\n    \"%u\": \"", first ? "" : ",", i);
        print_hex(stdout, p, n);
        printf("\"");
        first = 0;
      }
      printf("\n  },\n");
      const uint8_t *p = zk_att_doc_public_key(doc, &n);
      json_hex_field("public_key", p, n, 1);
      p = zk_att_doc_user_data(doc, &n);
      json_hex_field("user_data", p, n, 1);
      p = zk_att_doc_nonce(doc, &n);
      json_hex_field("nonce", p, n, 0);
      printf("}\n");
    } else {
      printf("OK: attestation verified (module %.*s, timestamp %llu ms)\n", (int)n, mid,
             (unsigned long long)zk_att_doc_timestamp_ms(doc));
    }
  }
  zk_att_doc_free(doc);
  zk_att_policy_free(pol);
  zk_att_verifier_free(v);
  free(docbuf);
  return rc;
}

/* ------------------------------------------------------------------- stamp */

static const char stamp_help[] =
    "usage: zerokey stamp verify --body FILE (--header X_STAMP | --webauthn JSON --key HEX\n"
    "                            --rp-id ID --origin URL) [--now-ms MS] [--no-timestamp]\n"
    "       zerokey stamp create --body FILE --secret HEX --scheme p256|secp256k1|ed25519|eip191\n"
    "  verify: check an X-Stamp (API key) or X-Stamp-Webauthn header against the exact body\n"
    "          bytes; the body's timestampMs must be within the replay window of --now-ms\n"
    "          (default: now) unless --no-timestamp. --key is the registered credential\n"
    "          public key (SEC1 hex for P-256, 32-byte hex for Ed25519).\n"
    "  create: print an X-Stamp header value for the body, signed with the secret key.\n";

static int cmd_stamp(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 1 ||
      (strcmp(argv[0], "verify") != 0 && strcmp(argv[0], "create") != 0))
    return show_help(argc, argv, stamp_help);
  const char *body_path = NULL, *header = NULL, *webauthn = NULL, *keyhex = NULL, *rp = NULL,
             *origin = NULL, *secret = NULL, *scheme_s = NULL, *now_s = NULL;
  int no_ts = 0;
  const cli_opt opts[] = {{"--body", &body_path, NULL},
                          {"--header", &header, NULL},
                          {"--webauthn", &webauthn, NULL},
                          {"--key", &keyhex, NULL},
                          {"--rp-id", &rp, NULL},
                          {"--origin", &origin, NULL},
                          {"--secret", &secret, NULL},
                          {"--scheme", &scheme_s, NULL},
                          {"--now-ms", &now_s, NULL},
                          {"--no-timestamp", NULL, &no_ts},
                          {NULL, NULL, NULL}};
  uint64_t now = 0;
  int rc = parse_opts(argc, argv, 1, opts, NULL, NULL, 0);
  if (rc == 0 && now_s != NULL) rc = parse_u64("--now-ms", now_s, &now);
  if (rc != 0) return rc;
  if (body_path == NULL) return die_usage("%s", "--body is required");
  uint8_t *body = NULL;
  size_t body_len = 0;
  if ((rc = read_file(body_path, &body, &body_len)) != 0) return rc;
  zk_status st;
  zk_key *key = NULL;
  zk_stamp *stamp = NULL;
  if (strcmp(argv[0], "create") == 0) {
    zk_stamp_scheme sc = ZK_STAMP_SCHEME_NONE;
    zk_curve c = ZK_CURVE_NONE;
    if (scheme_s == NULL || secret == NULL) {
      rc = die_usage("%s", "create needs --scheme and --secret");
    } else if (strcmp(scheme_s, "p256") == 0) {
      sc = ZK_STAMP_P256, c = ZK_CURVE_P256;
    } else if (strcmp(scheme_s, "secp256k1") == 0) {
      sc = ZK_STAMP_SECP256K1, c = ZK_CURVE_SECP256K1;
    } else if (strcmp(scheme_s, "eip191") == 0) {
      sc = ZK_STAMP_SECP256K1_EIP191, c = ZK_CURVE_SECP256K1;
    } else if (strcmp(scheme_s, "ed25519") == 0) {
      sc = ZK_STAMP_ED25519, c = ZK_CURVE_ED25519;
    } else {
      rc = die_usage("unknown scheme '%s'", scheme_s);
    }
    if (rc == 0) rc = load_key("--secret", c, secret, 1, &key);
    char *out = NULL;
    size_t out_len = 0;
    if (rc == 0 && (st = zk_stamp_create(&out, &out_len, key, sc, body, body_len)) != ZK_OK)
      rc = fail("create", st);
    if (rc == 0) printf("%s\n", out);
    zk_free(out);
  } else {
    zk_stamp_verify_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.now_ms = now != 0 ? now : now_ms_clock();
    vo.flags = no_ts ? ZK_STAMP_NO_TIMESTAMP : 0;
    const char *origins[1] = {origin};
    if (header != NULL) {
      st = zk_stamp_parse(&stamp, header, strlen(header));
    } else if (webauthn != NULL) {
      st = zk_stamp_parse_webauthn(&stamp, webauthn, strlen(webauthn));
      if (keyhex == NULL || rp == NULL || origin == NULL)
        rc = die_usage("%s", "--webauthn needs --key, --rp-id and --origin");
      vo.rp_id = rp;
      vo.origins = origins;
      vo.n_origins = 1;
    } else {
      rc = die_usage("%s", "verify needs --header or --webauthn");
      st = ZK_OK;
    }
    if (rc == 0 && st != ZK_OK) rc = fail("parse", st);
    if (rc == 0 && keyhex != NULL) {
      /* 64 hex digits: a raw Ed25519 key; otherwise a P-256 key (SEC1 or SPKI) */
      rc = load_key("--key", strlen(keyhex) == 64 ? ZK_CURVE_ED25519 : ZK_CURVE_P256, keyhex, 0,
                    &key);
      vo.key = key;
    }
    if (rc == 0 && (st = zk_stamp_verify(stamp, body, body_len, &vo)) != ZK_OK)
      rc = fail("verify", st);
    if (rc == 0)
      printf("OK: %s stamp verified over %zu body bytes\n",
             zk_stamp_scheme_name(zk_stamp_get_scheme(stamp)), body_len);
  }
  free(body);
  zk_key_free(key);
  zk_stamp_free(stamp);
  return rc;
}

/* -------------------------------------------------------------------- cose */

static const char cose_help[] =
    "usage: zerokey cose sign --secret HEX --curve C --payload FILE [--untagged] > out.cose\n"
    "       zerokey cose verify FILE --public-key HEX --curve C [--print-payload]\n"
    "  Sign or verify a COSE_Sign1 (ES256 p256, ES256K secp256k1, EdDSA ed25519, ES384 p384).\n"
    "  sign writes the binary message to stdout. --public-key is SEC1 (EC) or 32-byte Ed25519.\n";

static int cmd_cose(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 1) return show_help(argc, argv, cose_help);
  int sign = strcmp(argv[0], "sign") == 0;
  if (!sign && strcmp(argv[0], "verify") != 0) return die_usage("unknown action '%s'", argv[0]);
  const char *secret = NULL, *pub = NULL, *curve_s = NULL, *payload = NULL, *file = NULL;
  int untagged = 0, print_payload = 0;
  const cli_opt opts[] = {{"--secret", &secret, NULL},
                          {"--public-key", &pub, NULL},
                          {"--curve", &curve_s, NULL},
                          {"--payload", &payload, NULL},
                          {"--untagged", NULL, &untagged},
                          {"--print-payload", NULL, &print_payload},
                          {NULL, NULL, NULL}};
  size_t npos;
  int rc = parse_opts(argc, argv, 1, opts, &file, &npos, 1);
  if (rc != 0) return rc;
  zk_curve c = ZK_CURVE_NONE;
  if (curve_s == NULL) return die_usage("%s", "--curve is required");
  if ((rc = parse_curve(curve_s, &c)) != 0) return rc;
  uint8_t *in = NULL;
  size_t in_len = 0;
  zk_key *key = NULL;
  zk_status st;
  if (sign) {
    if (secret == NULL || payload == NULL)
      return die_usage("%s", "sign needs --secret and --payload");
    if ((rc = load_key("--secret", c, secret, 1, &key)) != 0) return rc;
    if ((rc = read_file(payload, &in, &in_len)) == 0) {
      uint8_t kid[ZK_SHA256_LEN], pk[ZK_MAX_PUBKEY_LEN], *out = NULL;
      size_t pk_len = sizeof pk, out_len = 0;
      zk_pubkey_format f = c == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_COMPRESSED;
      if ((st = zk_key_export_public(key, f, pk, &pk_len)) != ZK_OK ||
          (st = zk_sha256(kid, pk, pk_len)) != ZK_OK ||
          (st = zk_cose_sign1_create(&out, &out_len, key, kid, sizeof kid, in, in_len, NULL, 0,
                                     untagged ? 0 : ZK_COSE_TAGGED)) != ZK_OK)
        rc = fail("sign", st);
      else if (fwrite(out, 1, out_len, stdout) != out_len)
        rc = EXIT_INTERNAL;
      zk_free(out);
    }
  } else {
    if (pub == NULL || file == NULL) return die_usage("%s", "verify needs FILE and --public-key");
    if ((rc = load_key("--public-key", c, pub, 0, &key)) != 0) return rc;
    if ((rc = read_file(file, &in, &in_len)) == 0) {
      zk_cose_sign1 *msg = NULL;
      size_t off = 0;
      st = zk_cose_sign1_parse(&msg, in, in_len, &off);
      if (st == ZK_OK) st = zk_cose_sign1_verify(msg, key, NULL, 0);
      if (st != ZK_OK) {
        rc = fail(file, st);
      } else if (print_payload) {
        size_t pl;
        const uint8_t *p = zk_cose_sign1_payload(msg, &pl);
        fwrite(p, 1, pl, stdout);
      } else {
        printf("OK: COSE_Sign1 verified (alg %lld)\n", (long long)zk_cose_sign1_alg(msg));
      }
      zk_cose_sign1_free(msg);
    }
  }
  free(in);
  zk_key_free(key);
  return rc;
}

/* -------------------------------------------------------------------- hpke */

static const char hpke_help[] =
    "usage: zerokey hpke seal --to HEX [--info TEXT] [--aad HEX] < plaintext > bundle.hex\n"
    "       zerokey hpke open --secret HEX [--info TEXT] [--aad HEX] < bundle.hex\n"
    "  RFC 9180 base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM.\n"
    "  seal prints hex(enc || ciphertext); --to is the recipient's SEC1 P-256 key.\n"
    "  open reads hex(enc || ciphertext) and writes the plaintext to stdout.\n";

static int cmd_hpke(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 1) return show_help(argc, argv, hpke_help);
  int seal = strcmp(argv[0], "seal") == 0;
  if (!seal && strcmp(argv[0], "open") != 0) return die_usage("unknown action '%s'", argv[0]);
  const char *to = NULL, *secret = NULL, *info = "", *aadhex = NULL;
  const cli_opt opts[] = {{"--to", &to, NULL},
                          {"--secret", &secret, NULL},
                          {"--info", &info, NULL},
                          {"--aad", &aadhex, NULL},
                          {NULL, NULL, NULL}};
  if (parse_opts(argc, argv, 1, opts, NULL, NULL, 0) != 0) return EXIT_USAGE;
  int rc = 0;
  uint8_t *aad = NULL, *in = NULL, *out = NULL;
  size_t aad_len = 0, in_len = 0;
  zk_key *key = NULL;
  zk_status st;
  zk_hpke_params params;
  memset(&params, 0, sizeof params);
  params.mode = ZK_HPKE_MODE_BASE;
  params.aead = ZK_HPKE_AEAD_AES_256_GCM;
  params.info = (const uint8_t *)info;
  params.info_len = strlen(info);
  if (aadhex != NULL && (rc = parse_hex("--aad", aadhex, &aad, &aad_len)) != 0) return rc;
  if (seal) {
    if (to == NULL)
      rc = die_usage("%s", "seal needs --to");
    else
      rc = load_key("--to", ZK_CURVE_P256, to, 0, &key);
    if (rc == 0) rc = read_file("-", &in, &in_len);
    if (rc == 0) {
      size_t ct_len = in_len + ZK_HPKE_TAG_LEN;
      out = malloc(ZK_HPKE_ENC_LEN + ct_len);
      if (out == NULL)
        rc = EXIT_INTERNAL;
      else if ((st = zk_hpke_seal_once(out, ZK_HPKE_ENC_LEN, out + ZK_HPKE_ENC_LEN, &ct_len,
                                       &params, key, aad, aad_len, in, in_len)) != ZK_OK)
        rc = fail("seal", st);
      else {
        print_hex(stdout, out, ZK_HPKE_ENC_LEN + ct_len);
        printf("\n");
      }
    }
  } else {
    if (secret == NULL)
      rc = die_usage("%s", "open needs --secret");
    else
      rc = load_key("--secret", ZK_CURVE_P256, secret, 1, &key);
    uint8_t *raw = NULL;
    size_t raw_len = 0;
    if (rc == 0) rc = read_file("-", &in, &in_len);
    while (rc == 0 && in_len > 0 && (in[in_len - 1] == '\n' || in[in_len - 1] == '\r')) in_len--;
    if (rc == 0) {
      in[in_len] = '\0';
      rc = parse_hex("bundle", (const char *)in, &raw, &raw_len);
    }
    if (rc == 0 && raw_len < ZK_HPKE_ENC_LEN + ZK_HPKE_TAG_LEN)
      rc = fail("bundle", ZK_ERR_TRUNCATED);
    if (rc == 0) {
      size_t pt_len = raw_len - ZK_HPKE_ENC_LEN;
      out = malloc(pt_len + 1);
      if (out == NULL)
        rc = EXIT_INTERNAL;
      else if ((st = zk_hpke_open_once(out, &pt_len, &params, key, raw, ZK_HPKE_ENC_LEN, aad,
                                       aad_len, raw + ZK_HPKE_ENC_LEN,
                                       raw_len - ZK_HPKE_ENC_LEN)) != ZK_OK)
        rc = fail("open", st);
      else {
        fwrite(out, 1, pt_len, stdout);
        zk_wipe(out, pt_len);
      }
    }
    free(raw);
  }
  free(aad);
  free(in);
  free(out);
  zk_key_free(key);
  return rc;
}

/* --------------------------------------------------------------------- eif */

static const char eif_help[] =
    "usage: zerokey eif pcrs FILE.eif [--json]\n"
    "  Compute PCR0, PCR1, PCR2 (and PCR8 for signed images) of an enclave image file,\n"
    "  to compare a reproducible build with an attestation (zerokey attest verify --pcr).\n";

static int cmd_eif(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 2 || strcmp(argv[0], "pcrs") != 0)
    return show_help(argc, argv, eif_help);
  int json = 0;
  const cli_opt opts[] = {{"--json", NULL, &json}, {NULL, NULL, NULL}};
  if (parse_opts(argc, argv, 2, opts, NULL, NULL, 0) != 0) return EXIT_USAGE;
  zk_eif_info info;
  zk_status st = zk_eif_measure_file(&info, argv[1]);
  if (st != ZK_OK) return fail(argv[1], st);
  const uint8_t *pcrs[4] = {info.pcr0, info.pcr1, info.pcr2, info.has_pcr8 ? info.pcr8 : NULL};
  const int idx[4] = {0, 1, 2, 8};
  if (json) printf("{");
  for (int i = 0; i < 4; i++) {
    if (pcrs[i] == NULL) continue;
    if (json)
      printf("%s\"PCR%d\": \"", i ? ", " : "", idx[i]);
    else
      printf("PCR%d ", idx[i]);
    print_hex(stdout, pcrs[i], ZK_EIF_PCR_LEN);
    printf(json ? "\"" : "\n");
  }
  if (json) printf("}\n");
  return 0;
}

/* --------------------------------------------------------------------- key */

static const char key_help[] =
    "usage: zerokey key generate --curve C\n"
    "       zerokey key public --curve C --secret HEX\n"
    "  generate prints 'secret HEX' and 'public HEX' (SEC1 compressed, or raw Ed25519).\n"
    "  The secret is printed: use only for tests and tooling.\n";

static int cmd_key(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 1) return show_help(argc, argv, key_help);
  const char *curve_s = NULL, *secret = NULL;
  const cli_opt opts[] = {
      {"--curve", &curve_s, NULL}, {"--secret", &secret, NULL}, {NULL, NULL, NULL}};
  if (parse_opts(argc, argv, 1, opts, NULL, NULL, 0) != 0) return EXIT_USAGE;
  if (curve_s == NULL) return die_usage("%s", "--curve is required");
  zk_curve c = ZK_CURVE_NONE;
  int rc = parse_curve(curve_s, &c);
  if (rc != 0) return rc;
  zk_key *key = NULL;
  zk_status st;
  int gen = strcmp(argv[0], "generate") == 0;
  if (gen) {
    st = zk_key_generate(&key, c);
  } else if (strcmp(argv[0], "public") == 0) {
    if (secret == NULL) return die_usage("%s", "public needs --secret");
    if ((rc = load_key("--secret", c, secret, 1, &key)) != 0) return rc;
    st = ZK_OK;
  } else {
    return die_usage("unknown action '%s'", argv[0]);
  }
  if (st != ZK_OK) return fail("key", st);
  uint8_t buf[ZK_MAX_PUBKEY_LEN];
  size_t n = sizeof buf;
  if (gen) {
    if ((st = zk_key_export_private(key, buf, &n)) != ZK_OK) {
      zk_key_free(key);
      return fail("export", st);
    }
    printf("secret ");
    print_hex(stdout, buf, n);
    printf("\n");
    zk_wipe(buf, sizeof buf);
    n = sizeof buf;
  }
  st = zk_key_export_public(key, c == ZK_CURVE_ED25519 ? ZK_PUB_RAW : ZK_PUB_COMPRESSED, buf, &n);
  zk_key_free(key);
  if (st != ZK_OK) return fail("export", st);
  printf("public ");
  print_hex(stdout, buf, n);
  printf("\n");
  return 0;
}

/* ------------------------------------------------------ key specifications */

static int parse_digest32(const char *what, const char *hex, uint8_t out[32]) {
  uint8_t *b;
  size_t n;
  int rc = parse_hex(what, hex, &b, &n);
  if (rc != 0) return rc;
  if (n != 32) {
    free(b);
    fprintf(stderr, "zerokey %s: %s: need 32 bytes (64 hex digits)\n", g_sub, what);
    return EXIT_INPUT;
  }
  memcpy(out, b, 32);
  free(b);
  return 0;
}

/* ------------------------------------------------------------------- chain */

static const char chain_help[] =
    "usage: zerokey chain append --secret CURVE:HEX --log ID --state HEX32 [--prev REC]\n"
    "                            [--time-ms MS] > rec.cose\n"
    "       zerokey chain verify --notarizer CURVE:HEX [--log ID] [--checkpoint SEQ:HEX32]\n"
    "                            [--now-ms MS] [--max-age-ms MS] [--all] REC0 REC1 ...\n"
    "  append signs the next notarization record (sequence 0 without --prev).\n"
    "  verify checks a consecutive run of records: links, order, forks against the\n"
    "  checkpoint, the head's signature (every signature with --all) and freshness;\n"
    "  it prints the new checkpoint 'SEQ:DIGEST' to store.\n";

static int cmd_chain(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 1) return show_help(argc, argv, chain_help);
  int append = strcmp(argv[0], "append") == 0;
  if (!append && strcmp(argv[0], "verify") != 0) return die_usage("unknown action '%s'", argv[0]);
  const char *secret = NULL, *notarizer = NULL, *log = NULL, *state = NULL, *prev = NULL,
             *cp = NULL, *now_s = NULL, *age_s = NULL, *time_s = NULL;
  int all = 0;
  const cli_opt opts[] = {{"--secret", &secret, NULL},
                          {"--notarizer", &notarizer, NULL},
                          {"--log", &log, NULL},
                          {"--state", &state, NULL},
                          {"--prev", &prev, NULL},
                          {"--checkpoint", &cp, NULL},
                          {"--now-ms", &now_s, NULL},
                          {"--max-age-ms", &age_s, NULL},
                          {"--time-ms", &time_s, NULL},
                          {"--all", NULL, &all},
                          {NULL, NULL, NULL}};
  uint64_t now = 0, max_age = 300000, t = 0;
  const char **files = calloc((size_t)argc, sizeof *files);
  size_t nfiles = 0;
  if (files == NULL) return EXIT_INTERNAL;
  int rc = parse_opts(argc, argv, 1, opts, files, &nfiles, (size_t)argc);
  if (rc == 0 && now_s != NULL) rc = parse_u64("--now-ms", now_s, &now);
  if (rc == 0 && age_s != NULL) rc = parse_u64("--max-age-ms", age_s, &max_age);
  if (rc == 0 && time_s != NULL) rc = parse_u64("--time-ms", time_s, &t);
  unsigned flags = all ? ZK_CHAIN_VERIFY_ALL : 0;
  zk_key *key = NULL;
  zk_status st;
  if (rc == 0 && append) {
    uint8_t sd[32], *pb = NULL, *out = NULL;
    size_t pl = 0, out_len = 0;
    zk_notarization *pr = NULL, *rec = NULL;
    if (secret == NULL || state == NULL || (prev == NULL && log == NULL))
      rc = die_usage("%s", "append needs --secret, --state and --log (or --prev)");
    if (rc == 0) rc = load_key_spec("--secret", secret, 1, &key);
    if (rc == 0) rc = parse_digest32("--state", state, sd);
    if (t == 0) t = now_ms_clock();
    if (rc == 0 && prev != NULL) {
      if ((rc = read_file(prev, &pb, &pl)) == 0 &&
          (st = zk_notarization_parse(&pr, pb, pl)) != ZK_OK)
        rc = fail(prev, st);
      if (rc == 0 && (st = zk_notarization_next(&rec, key, pr, sd, t)) != ZK_OK)
        rc = fail("append", st);
    } else if (rc == 0) {
      zk_notarization_info in;
      memset(&in, 0, sizeof in);
      in.log_id = log;
      memcpy(in.state_digest, sd, 32);
      in.time_ms = t;
      if ((st = zk_notarization_create(&rec, key, &in)) != ZK_OK) rc = fail("append", st);
    }
    if (rc == 0 && (st = zk_notarization_serialize(rec, &out, &out_len)) != ZK_OK)
      rc = fail("serialize", st);
    if (rc == 0 && fwrite(out, 1, out_len, stdout) != out_len) rc = EXIT_INTERNAL;
    zk_free(out);
    zk_notarization_free(rec);
    zk_notarization_free(pr);
    free(pb);
  } else if (rc == 0) {
    zk_checkpoint ck;
    zk_chain_opts co;
    memset(&co, 0, sizeof co);
    memset(&ck, 0, sizeof ck);
    if (notarizer == NULL || nfiles == 0)
      rc = die_usage("%s", "verify needs --notarizer and at least one record");
    if (rc == 0) rc = load_key_spec("--notarizer", notarizer, 0, &key);
    if (rc == 0 && cp != NULL) {
      const char *colon = strchr(cp, ':');
      char sb[24];
      if (colon == NULL || (size_t)(colon - cp) >= sizeof sb) {
        rc = die_usage("--checkpoint wants SEQ:HEX32, got '%s'", cp);
      } else {
        memcpy(sb, cp, (size_t)(colon - cp));
        sb[colon - cp] = '\0';
        rc = parse_u64("--checkpoint", sb, &ck.sequence);
        if (rc == 0) rc = parse_digest32("--checkpoint", colon + 1, ck.digest);
        co.checkpoint = &ck;
      }
    }
    uint8_t **recs = calloc(nfiles, sizeof *recs);
    size_t *lens = calloc(nfiles, sizeof *lens);
    if (recs == NULL || lens == NULL) rc = EXIT_INTERNAL;
    for (size_t i = 0; rc == 0 && i < nfiles; i++) rc = read_file(files[i], &recs[i], &lens[i]);
    if (rc == 0) {
      co.notarizer = key;
      co.log_id = log;
      co.now_ms = now ? now : now_ms_clock();
      co.max_age_ms = max_age;
      co.max_skew_ms = 5000;
      co.flags = flags;
      zk_chain_result res;
      st = zk_notarization_chain_verify(&res, (const uint8_t *const *)recs, lens, nfiles, &co);
      if (st != ZK_OK) {
        fprintf(stderr, "zerokey chain: record %zu (%s): %s: %s\n", res.failed_index,
                res.failed_index < nfiles ? files[res.failed_index] : "whole chain",
                zk_status_name(st), zk_status_str(st));
        rc = status_exit(st);
      } else {
        printf("OK: %zu records verified; checkpoint %llu:", nfiles,
               (unsigned long long)res.head.sequence);
        print_hex(stdout, res.head.digest, 32);
        printf("\n");
      }
    }
    for (size_t i = 0; recs != NULL && i < nfiles; i++) free(recs[i]);
    free(recs);
    free(lens);
  }
  zk_key_free(key);
  free(files);
  return rc;
}

/* ------------------------------------------------------------------ merkle */

static const char merkle_help[] =
    "usage: zerokey merkle root FILE...                       tree head over the files (leaves)\n"
    "       zerokey merkle prove --index I FILE...            audit path of leaf I (hex lines)\n"
    "       zerokey merkle verify --leaf FILE --index I --size N --root HEX32 [--proof HEX32]...\n"
    "       zerokey merkle consistency --old-size M --old-root HEX32 --size N --root HEX32\n"
    "                                  [--proof HEX32]...\n"
    "  RFC 9162 trees over SHA-256: leaf = H(0x00 || data), node = H(0x01 || left || right).\n";

static int merkle_leaves(char **files, size_t n, uint8_t (**out)[32]) {
  *out = calloc(n ? n : 1, 32);
  if (*out == NULL) return EXIT_INTERNAL;
  for (size_t i = 0; i < n; i++) {
    uint8_t *b;
    size_t l;
    int rc = read_file(files[i], &b, &l);
    if (rc != 0) return rc;
    zk_status st = zk_merkle_leaf_hash((*out)[i], b, l);
    free(b);
    if (st != ZK_OK) return fail(files[i], st);
  }
  return 0;
}

static int cmd_merkle(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 1) return show_help(argc, argv, merkle_help);
  const char *act = argv[0], *leaf = NULL, *root = NULL, *old_root = NULL;
  uint64_t index = 0, size = 0, old_size = 0;
  int have_index = 0;
  char **files = calloc((size_t)argc, sizeof *files);
  uint8_t(*proof)[32] = calloc((size_t)argc, 32);
  size_t nfiles = 0, nproof = 0;
  int rc = files == NULL || proof == NULL ? EXIT_INTERNAL : 0;
  for (int i = 1; i < argc && rc == 0; i++) {
    const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (o[0] != '-') {
      files[nfiles++] = argv[i];
      continue;
    }
    if (val == NULL) {
      rc = die_usage("option %s needs a value", o);
      break;
    }
    i++;
    if (strcmp(o, "--leaf") == 0)
      leaf = val;
    else if (strcmp(o, "--root") == 0)
      root = val;
    else if (strcmp(o, "--old-root") == 0)
      old_root = val;
    else if (strcmp(o, "--index") == 0) {
      rc = parse_u64(o, val, &index);
      have_index = 1;
    } else if (strcmp(o, "--size") == 0)
      rc = parse_u64(o, val, &size);
    else if (strcmp(o, "--old-size") == 0)
      rc = parse_u64(o, val, &old_size);
    else if (strcmp(o, "--proof") == 0)
      rc = parse_digest32(o, val, proof[nproof++]);
    else
      rc = die_usage("unknown option %s", o);
  }
  uint8_t(*leaves)[32] = NULL;
  uint8_t r[32], r2[32];
  zk_status st;
  if (rc != 0) {
  } else if (strcmp(act, "root") == 0 || strcmp(act, "prove") == 0) {
    if (nfiles == 0) rc = die_usage("%s", "give the leaf files");
    if (rc == 0) rc = merkle_leaves(files, nfiles, &leaves);
    if (rc == 0 && (st = zk_merkle_root(r, (const uint8_t(*)[32])leaves, nfiles)) != ZK_OK)
      rc = fail("root", st);
    if (rc == 0 && act[0] == 'r') {
      printf("size %zu root ", nfiles);
      print_hex(stdout, r, 32);
      printf("\n");
    } else if (rc == 0) {
      if (!have_index) rc = die_usage("%s", "prove needs --index");
      uint8_t(*path)[32] = calloc(64, 32);
      size_t cnt = 0;
      if (rc == 0 && path == NULL) rc = EXIT_INTERNAL;
      if (rc == 0 && (st = zk_merkle_inclusion_proof(path, &cnt, 64, (const uint8_t(*)[32])leaves,
                                                     nfiles, (size_t)index)) != ZK_OK)
        rc = fail("prove", st);
      for (size_t i = 0; rc == 0 && i < cnt; i++) {
        printf("--proof ");
        print_hex(stdout, path[i], 32);
        printf("\n");
      }
      free(path);
    }
  } else if (strcmp(act, "verify") == 0) {
    uint8_t lh[32];
    if (leaf == NULL || root == NULL || !have_index || size == 0)
      rc = die_usage("%s", "verify needs --leaf, --index, --size and --root");
    if (rc == 0) rc = parse_digest32("--root", root, r);
    if (rc == 0) {
      uint8_t *b;
      size_t l;
      if ((rc = read_file(leaf, &b, &l)) == 0) {
        st = zk_merkle_leaf_hash(lh, b, l);
        free(b);
        if (st != ZK_OK) rc = fail(leaf, st);
      }
    }
    if (rc == 0 && (st = zk_merkle_verify_inclusion(lh, index, size, (const uint8_t(*)[32])proof,
                                                    nproof, r)) != ZK_OK)
      rc = fail("inclusion", st);
    if (rc == 0)
      printf("OK: leaf %llu is in the tree of %llu leaves\n", (unsigned long long)index,
             (unsigned long long)size);
  } else if (strcmp(act, "consistency") == 0) {
    if (old_root == NULL || root == NULL || size == 0)
      rc = die_usage("%s", "consistency needs --old-size, --old-root, --size and --root");
    if (rc == 0) rc = parse_digest32("--old-root", old_root, r2);
    if (rc == 0) rc = parse_digest32("--root", root, r);
    if (rc == 0 && (st = zk_merkle_verify_consistency(
                        old_size, size, r2, r, (const uint8_t(*)[32])proof, nproof)) != ZK_OK)
      rc = fail("consistency", st);
    if (rc == 0)
      printf("OK: the tree of %llu leaves extends the tree of %llu leaves\n",
             (unsigned long long)size, (unsigned long long)old_size);
  } else {
    rc = die_usage("unknown action '%s'", act);
  }
  free(leaves);
  free(files);
  free(proof);
  return rc;
}

/* ---------------------------------------------------------------- evidence */

static const char evidence_help[] =
    "usage: zerokey evidence ruling --secret CURVE:HEX --body FILE --stamp X_STAMP\n"
    "           --notarization FILE --org ID --activity TYPE [--deny] [--policy-id ID]\n"
    "           [--issued-ms MS] [--ttl-ms MS] > ruling.cose\n"
    "       zerokey evidence result --secret CURVE:HEX --ruling FILE --wallet-secret "
    "secp256k1:HEX\n"
    "           --digest HEX32 [--time-ms MS] > result.cose\n"
    "       zerokey evidence verify-chain --body FILE --stamp X_STAMP --notarization FILE\n"
    "           --ruling FILE --result FILE --policy-key CURVE:HEX --notarizer-key CURVE:HEX\n"
    "           --signer-key CURVE:HEX [--log ID] [--now-ms MS] [--max-age-ms MS]\n"
    "  Verify stamp -> ruling -> signature result against the notarized state in one\n"
    "  call; on failure the line names the broken link and the underlying status.\n"
    "  Keys are the enclave keys taken from verified attestations (CURVE:HEX, SEC1,\n"
    "  raw Ed25519 or DER SPKI).\n"
    "  ruling: sign a policy decision naming the stamp, the request body and the notarized\n"
    "  state (as the policy enclave does; default ALLOW, valid 60 s from --issued-ms/now).\n"
    "  result: sign the digest with the wallet key (recoverable ECDSA) and emit the signature\n"
    "  result naming the ruling (as the signer enclave does).\n";

static int write_all(const uint8_t *p, size_t n) {
  return fwrite(p, 1, n, stdout) == n ? 0 : EXIT_INTERNAL;
}

static int evidence_ruling(int argc, char **argv) {
  const char *secret = NULL, *bodyf = NULL, *stamp = NULL, *nzf = NULL, *org = NULL,
             *activity = NULL, *policy_id = NULL, *issued_s = NULL, *ttl_s = NULL;
  int deny = 0;
  const cli_opt opts[] = {{"--secret", &secret, NULL},
                          {"--body", &bodyf, NULL},
                          {"--stamp", &stamp, NULL},
                          {"--notarization", &nzf, NULL},
                          {"--org", &org, NULL},
                          {"--activity", &activity, NULL},
                          {"--policy-id", &policy_id, NULL},
                          {"--issued-ms", &issued_s, NULL},
                          {"--ttl-ms", &ttl_s, NULL},
                          {"--deny", NULL, &deny},
                          {NULL, NULL, NULL}};
  uint64_t issued = 0, ttl = 60000;
  int rc = parse_opts(argc, argv, 1, opts, NULL, NULL, 0);
  if (rc == 0 && issued_s != NULL) rc = parse_u64("--issued-ms", issued_s, &issued);
  if (rc == 0 && ttl_s != NULL) rc = parse_u64("--ttl-ms", ttl_s, &ttl);
  if (rc != 0) return rc;
  if (!secret || !bodyf || !stamp || !nzf || !org || !activity)
    return die_usage("%s",
                     "ruling needs --secret, --body, --stamp, --notarization, --org, --activity");
  zk_key *key = NULL;
  uint8_t *body = NULL, *nz = NULL, *out = NULL;
  size_t body_len = 0, nz_len = 0, out_len = 0;
  zk_ruling *r = NULL;
  zk_status st;
  if ((rc = load_key_spec("--secret", secret, 1, &key)) == 0 &&
      (rc = read_file(bodyf, &body, &body_len)) == 0 && (rc = read_file(nzf, &nz, &nz_len)) == 0) {
    zk_ruling_info in;
    memset(&in, 0, sizeof in);
    in.decision = deny ? ZK_RULING_DENY : ZK_RULING_ALLOW;
    in.organization_id = org;
    in.activity_type = activity;
    in.policy_ids = &policy_id;
    in.n_policy_ids = policy_id != NULL ? 1 : 0;
    in.issued_at_ms = issued != 0 ? issued : now_ms_clock();
    in.expires_at_ms = in.issued_at_ms + ttl;
    if ((st = zk_sha256(in.stamp_digest, (const uint8_t *)stamp, strlen(stamp))) != ZK_OK ||
        (st = zk_sha256(in.request_digest, body, body_len)) != ZK_OK ||
        (st = zk_evidence_digest(in.state_digest, nz, nz_len)) != ZK_OK ||
        (st = zk_ruling_create(&r, key, &in)) != ZK_OK ||
        (st = zk_ruling_serialize(r, &out, &out_len)) != ZK_OK)
      rc = fail("ruling", st);
    else
      rc = write_all(out, out_len);
  }
  zk_free(out);
  zk_ruling_free(r);
  zk_key_free(key);
  free(body);
  free(nz);
  return rc;
}

static int evidence_result(int argc, char **argv) {
  const char *secret = NULL, *rf = NULL, *wallet_s = NULL, *digest_s = NULL, *time_s = NULL;
  const cli_opt opts[] = {{"--secret", &secret, NULL},          {"--ruling", &rf, NULL},
                          {"--wallet-secret", &wallet_s, NULL}, {"--digest", &digest_s, NULL},
                          {"--time-ms", &time_s, NULL},         {NULL, NULL, NULL}};
  uint64_t t = 0;
  int rc = parse_opts(argc, argv, 1, opts, NULL, NULL, 0);
  if (rc == 0 && time_s != NULL) rc = parse_u64("--time-ms", time_s, &t);
  if (rc != 0) return rc;
  if (!secret || !rf || !wallet_s || !digest_s)
    return die_usage("%s", "result needs --secret, --ruling, --wallet-secret, --digest");
  zk_key *key = NULL, *wallet = NULL;
  uint8_t *ru = NULL, *out = NULL, digest[32];
  size_t ru_len = 0, out_len = 0;
  zk_sig_result *res = NULL;
  zk_status st;
  if ((rc = load_key_spec("--secret", secret, 1, &key)) == 0 &&
      (rc = load_key_spec("--wallet-secret", wallet_s, 1, &wallet)) == 0 &&
      (rc = parse_digest32("--digest", digest_s, digest)) == 0 &&
      (rc = read_file(rf, &ru, &ru_len)) == 0) {
    uint8_t sig[ZK_RECOVERABLE_SIG_LEN], pub[ZK_P256_COMPRESSED_LEN];
    size_t sig_len = sizeof sig, pub_len = sizeof pub;
    zk_sig_result_info in;
    memset(&in, 0, sizeof in);
    in.curve = ZK_CURVE_SECP256K1;
    in.scheme = ZK_SCHEME_ECDSA_RECOVERABLE;
    in.time_ms = t != 0 ? t : now_ms_clock();
    memcpy(in.payload_digest, digest, 32);
    if (zk_key_curve(wallet) != ZK_CURVE_SECP256K1) {
      rc = die_usage("%s", "--wallet-secret must be a secp256k1 key");
    } else if ((st = zk_key_sign_digest(wallet, ZK_SIG_RECOVERABLE, sig, &sig_len, digest, 32)) !=
                   ZK_OK ||
               (st = zk_key_export_public(wallet, ZK_PUB_COMPRESSED, pub, &pub_len)) != ZK_OK ||
               (st = zk_evidence_digest(in.ruling_digest, ru, ru_len)) != ZK_OK) {
      rc = fail("result", st);
    } else {
      in.public_key = pub;
      in.public_key_len = pub_len;
      in.signature = sig;
      in.signature_len = sig_len;
      if ((st = zk_sig_result_create(&res, key, &in, NULL, 0)) != ZK_OK ||
          (st = zk_sig_result_serialize(res, &out, &out_len)) != ZK_OK)
        rc = fail("result", st);
      else
        rc = write_all(out, out_len);
    }
  }
  zk_free(out);
  zk_sig_result_free(res);
  zk_key_free(key);
  zk_key_free(wallet);
  free(ru);
  return rc;
}

static int cmd_evidence(int argc, char **argv) {
  if (want_help(argc, argv) || argc < 1) return show_help(argc, argv, evidence_help);
  if (strcmp(argv[0], "ruling") == 0) return evidence_ruling(argc, argv);
  if (strcmp(argv[0], "result") == 0) return evidence_result(argc, argv);
  if (strcmp(argv[0], "verify-chain") != 0) return show_help(argc, argv, evidence_help);
  const char *bodyf = NULL, *stamp = NULL, *nzf = NULL, *rf = NULL, *resf = NULL, *pk = NULL,
             *nk = NULL, *sk = NULL, *log = NULL, *now_s = NULL, *age_s = NULL;
  const cli_opt opts[] = {{"--body", &bodyf, NULL},       {"--stamp", &stamp, NULL},
                          {"--notarization", &nzf, NULL}, {"--ruling", &rf, NULL},
                          {"--result", &resf, NULL},      {"--policy-key", &pk, NULL},
                          {"--notarizer-key", &nk, NULL}, {"--signer-key", &sk, NULL},
                          {"--log", &log, NULL},          {"--now-ms", &now_s, NULL},
                          {"--max-age-ms", &age_s, NULL}, {NULL, NULL, NULL}};
  uint64_t now = 0, max_age = 300000;
  int rc = parse_opts(argc, argv, 1, opts, NULL, NULL, 0);
  if (rc == 0 && now_s != NULL) rc = parse_u64("--now-ms", now_s, &now);
  if (rc == 0 && age_s != NULL) rc = parse_u64("--max-age-ms", age_s, &max_age);
  if (rc != 0) return rc;
  if (!bodyf || !stamp || !nzf || !rf || !resf || !pk || !nk || !sk)
    return die_usage("%s", "missing a required option");
  zk_key *kp = NULL, *kn = NULL, *ks = NULL;
  uint8_t *body = NULL, *nz = NULL, *ru = NULL, *res = NULL;
  size_t body_len = 0, nz_len = 0, ru_len = 0, res_len = 0;
  if ((rc = load_key_spec("--policy-key", pk, 0, &kp)) == 0 &&
      (rc = load_key_spec("--notarizer-key", nk, 0, &kn)) == 0 &&
      (rc = load_key_spec("--signer-key", sk, 0, &ks)) == 0 &&
      (rc = read_file(bodyf, &body, &body_len)) == 0 && (rc = read_file(nzf, &nz, &nz_len)) == 0 &&
      (rc = read_file(rf, &ru, &ru_len)) == 0 && (rc = read_file(resf, &res, &res_len)) == 0) {
    if (now == 0) now = now_ms_clock();
    zk_stamp_verify_opts so;
    memset(&so, 0, sizeof so);
    so.now_ms = now;
    zk_evidence_trust tr;
    memset(&tr, 0, sizeof tr);
    tr.policy_key = kp;
    tr.notarizer_key = kn;
    tr.signer_key = ks;
    tr.stamp_opts = &so;
    tr.log_id = log;
    tr.now_ms = now;
    tr.notarization_max_age_ms = max_age;
    tr.max_skew_ms = 5000;
    zk_evidence_chain ch;
    memset(&ch, 0, sizeof ch);
    ch.body = body;
    ch.body_len = body_len;
    ch.stamp = stamp;
    ch.stamp_len = strlen(stamp);
    ch.notarization = nz;
    ch.notarization_len = nz_len;
    ch.ruling = ru;
    ch.ruling_len = ru_len;
    ch.sig_result = res;
    ch.sig_result_len = res_len;
    zk_evidence_chain_report rep;
    zk_status st = zk_evidence_chain_verify(&rep, &tr, &ch);
    if (st != ZK_OK) {
      fprintf(stderr, "zerokey evidence: %s (%s): %s\n", zk_status_name(st),
              zk_status_name(rep.detail), zk_status_str(rep.detail));
      rc = status_exit(st);
    } else {
      printf("OK: stamp -> ruling -> signature result verified; ruling ");
      print_hex(stdout, rep.ruling_digest, 32);
      printf("\n");
    }
  }
  zk_key_free(kp);
  zk_key_free(kn);
  zk_key_free(ks);
  free(body);
  free(nz);
  free(ru);
  free(res);
  return rc;
}

/* -------------------------------------------------------------------- main */

static const char main_help[] =
    "usage: zerokey <command> [args]   (zerokey <command> --help for details)\n"
    "commands:\n"
    "  attest   verify an AWS Nitro attestation document against a pinned root and a policy\n"
    "  stamp    create / verify X-Stamp and X-Stamp-Webauthn request stamps\n"
    "  cose     sign / verify COSE_Sign1 evidence\n"
    "  hpke     seal / open RFC 9180 HPKE messages (P-256, AES-256-GCM)\n"
    "  chain    append / verify notarization chains (rollback, fork, gap detection)\n"
    "  merkle   Merkle tree heads, inclusion and consistency proofs (RFC 9162)\n"
    "  evidence create rulings and signature results; verify stamp -> ruling -> result\n"
    "  eif      compute the PCRs of an enclave image file\n"
    "  key      generate keys / derive public keys\n"
    "  version  print the library version\n"
    "exit codes: 0 ok, 1 rejected (verification failed), 2 usage, 3 input, 4 internal\n";

struct command {
  const char *name;
  int (*fn)(int, char **);
};

static const struct command commands[] = {
    {"attest", cmd_attest}, {"stamp", cmd_stamp},   {"cose", cmd_cose},
    {"hpke", cmd_hpke},     {"eif", cmd_eif},       {"key", cmd_key},
    {"chain", cmd_chain},   {"merkle", cmd_merkle}, {"evidence", cmd_evidence},
};

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    fputs(main_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_USAGE : 0;
  }
  if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
    printf("zerokey (libzerokey) %s\n", zk_version());
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (strcmp(argv[1], commands[i].name) == 0) {
      g_sub = commands[i].name;
      return commands[i].fn(argc - 2, argv + 2);
    }
  }
  fprintf(stderr, "zerokey: unknown command '%s' (try 'zerokey --help')\n", argv[1]);
  return EXIT_USAGE;
}
