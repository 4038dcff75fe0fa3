#include "zkt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zk_internal.h"

static unsigned zkt_skips;

const char *zkt_vectors_dir(void) {
  const char *d = getenv("ZK_VECTORS_DIR");
  if (d == NULL || d[0] == '\0') d = "../shared/vectors";
  struct stat st;
  if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) return NULL;
  return d;
}

int zkt_read_file(const char *path, uint8_t **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  size_t cap = 4096, n = 0;
  uint8_t *b = malloc(cap + 1);
  if (b == NULL) {
    fclose(f);
    return -1;
  }
  for (;;) {
    size_t r = fread(b + n, 1, cap - n, f);
    n += r;
    if (n < cap) break;
    cap *= 2;
    uint8_t *nb = realloc(b, cap + 1);
    if (nb == NULL) {
      free(b);
      fclose(f);
      return -1;
    }
    b = nb;
  }
  int err = ferror(f);
  fclose(f);
  if (err) {
    free(b);
    return -1;
  }
  b[n] = 0;
  *buf = b;
  *len = n;
  return 0;
}

int zkt_vector_file_(const char *rel, uint8_t **buf, size_t *len) {
  const char *d = zkt_vectors_dir();
  if (d == NULL) return -1;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", d, rel);
  return zkt_read_file(path, buf, len);
}

json_t *zkt_vector_json_(const char *rel) {
  uint8_t *buf;
  size_t len;
  if (zkt_vector_file_(rel, &buf, &len) != 0) return NULL;
  json_error_t e;
  json_t *j = json_loadb((const char *)buf, len, 0, &e);
  free(buf);
  if (j == NULL) fail_msg("%s: JSON error line %d: %s", rel, e.line, e.text);
  return j;
}

void zkt_note_skip_(const char *what) {
  zkt_skips++;
  fprintf(stderr, "SKIPPED: %s not found (set ZK_VECTORS_DIR)\n", what);
}

uint8_t *zkt_hex(const char *hex, size_t *len) {
  uint8_t *out;
  size_t n;
  zk_status st = zki_hex_decode_alloc(&out, &n, hex, strlen(hex));
  if (st != ZK_OK) fail_msg("bad hex in test data: %.40s", hex);
  if (len != NULL) *len = n;
  return out;
}

char *zkt_tohex(const uint8_t *p, size_t len) {
  char *s = malloc(2 * len + 1);
  assert_non_null(s);
  zki_hex_encode(s, p, len);
  return s;
}

const char *zkt_jstr(const json_t *obj, const char *key) {
  const char *s = json_string_value(json_object_get(obj, key));
  if (s == NULL) fail_msg("test data: missing string member '%s'", key);
  return s;
}

void zkt_report(const char *suite, unsigned long run, unsigned long passed) {
  printf("VECTORS %s: run=%lu passed=%lu\n", suite, run, passed);
  fflush(stdout);
}

int zkt_run_(const char *name, const struct CMUnitTest *tests, size_t n) {
  const char *base = strrchr(name, '/');
  int failed = _cmocka_run_group_tests(base ? base + 1 : name, tests, n, NULL, NULL);
  if (failed == 0 && zkt_skips > 0) {
    fprintf(stderr, "SKIPPED: %u test(s) of %s lacked their vectors\n", zkt_skips, name);
    return 77;
  }
  return failed == 0 ? 0 : 1;
}

size_t zkt_stride(size_t input_len) {
  const char *q = getenv("ZK_TEST_QUICK");
  if (q == NULL || q[0] == '\0' || strcmp(q, "0") == 0) return 1;
  size_t s = input_len / 64;
  return s < 1 ? 1 : s;
}

int zkt_sweep_visits(size_t pos, size_t input_len) {
  return pos % zkt_stride(input_len) == 0 || pos + 1 == input_len;
}

void zkt_report_mutations(const char *suite, unsigned long tried, unsigned long rejected) {
  printf("MUTATIONS %s: tried=%lu rejected=%lu\n", suite, tried, rejected);
  fflush(stdout);
}
