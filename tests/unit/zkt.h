/* Test helpers shared by the cmocka suites. */
#ifndef ZKT_H
#define ZKT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the includes above */
#include <cmocka.h>
#include <jansson.h>

#include "zerokey/zerokey.h"

/* Vectors directory ($ZK_VECTORS_DIR or the CMake default); NULL if it does not exist. */
const char *zkt_vectors_dir(void);

/* Read a whole file (malloc'd, NUL-terminated). Returns 0 on success. */
int zkt_read_file(const char *path, uint8_t **buf, size_t *len);

/*
 * Read vectors/<rel>. When the vectors directory or the file is missing, prints
 * "SKIPPED: <rel> not found" and skips the current test (never passes silently).
 */
#define ZKT_VECTOR_FILE(rel, bufp, lenp)          \
  do {                                            \
    if (zkt_vector_file_(rel, bufp, lenp) != 0) { \
      zkt_note_skip_(rel);                        \
      skip();                                     \
    }                                             \
  } while (0)
/* Same for a JSON vector file: *jp receives a new reference. */
#define ZKT_VECTOR_JSON(rel, jp)                   \
  do {                                             \
    if ((*(jp) = zkt_vector_json_(rel)) == NULL) { \
      zkt_note_skip_(rel);                         \
      skip();                                      \
    }                                              \
  } while (0)

int zkt_vector_file_(const char *rel, uint8_t **buf, size_t *len);
json_t *zkt_vector_json_(const char *rel);
void zkt_note_skip_(const char *what);

/* Hex -> malloc'd bytes; fails the test on bad hex. *len may be NULL. */
uint8_t *zkt_hex(const char *hex, size_t *len);
/* Lowercase hex of bytes, malloc'd. */
char *zkt_tohex(const uint8_t *p, size_t len);
/* JSON object string member (fails the test when absent). */
const char *zkt_jstr(const json_t *obj, const char *key);

/*
 * Stride for exhaustive mutation loops (every byte flipped, every truncation):
 * 1 normally; larger when ZK_TEST_QUICK is set (valgrind runs), so slow
 * instrumented runs still cover every region of the input.
 */
size_t zkt_stride(size_t input_len);
/* Whether a strided sweep visits position (or truncation length) pos of an input of input_len
 * bytes: every zkt_stride-th one, and always the last (input_len - 1). */
int zkt_sweep_visits(size_t pos, size_t input_len);
/* Print "MUTATIONS <suite>: tried=<n> rejected=<m>". */
void zkt_report_mutations(const char *suite, unsigned long tried, unsigned long rejected);

/* Print "VECTORS <suite>: run=<run> passed=<passed>" (the counts the note quotes). */
void zkt_report(const char *suite, unsigned long run, unsigned long passed);

/* Run a cmocka group; exit 77 (ctest "skipped") when nothing failed but something was skipped. */
int zkt_run_(const char *name, const struct CMUnitTest *tests, size_t n);
#define ZKT_MAIN(tests)                                                   \
  int main(void) {                                                        \
    return zkt_run_(__FILE__, tests, sizeof(tests) / sizeof((tests)[0])); \
  }

/* Assert a zk_status equals the expected one, printing both names on failure. */
#define zkt_assert_status(got, want)                                                 \
  do {                                                                               \
    zk_status zkt_g_ = (got), zkt_w_ = (want);                                       \
    if (zkt_g_ != zkt_w_)                                                            \
      fail_msg("%s:%d: got %s, want %s", __FILE__, __LINE__, zk_status_name(zkt_g_), \
               zk_status_name(zkt_w_));                                              \
  } while (0)
#define zkt_assert_ok(expr) zkt_assert_status((expr), ZK_OK)

#endif
