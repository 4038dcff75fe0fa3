/*
 * Negative self-test of the constant-time check: deliberately leaky operations on secrets that
 * valgrind MUST report (a check that cannot fail proves nothing). Run under the same valgrind
 * options as ctime_check; scripts/ctime.sh requires a non-zero valgrind error count and exit
 * status. Each leak is counted on its own (VALGRIND_COUNT_ERRORS), and a constant-time control
 * operation must stay at zero, so the counting itself is checked too.
 *
 * Prints "CTIME self-test: leak detected as expected" (leaks=N control=0) when every leak was
 * reported, else "CTIME self-test: FAILED ..." and exits 1. Outside valgrind it exits 77 (skip).
 */
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "zerokey/zerokey.h"

#define SECRET(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))

/* Early-exit comparison: the loop stops at the first differing byte (a timing leak). */
__attribute__((noinline)) static int leaky_memcmp(const volatile uint8_t *a,
                                                  const volatile uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* Table lookup indexed by a secret byte (a cache-timing leak, as in table-driven GF(2^8)). */
__attribute__((noinline)) static uint8_t leaky_lookup(const volatile uint8_t *table, uint8_t idx) {
  return table[idx];
}

/* Branch on a secret bit (as in a naive square-and-multiply). */
__attribute__((noinline)) static uint8_t leaky_branch(uint8_t s) {
  volatile uint8_t r = 1;
  if (s & 0x80) r = (uint8_t)(r * 3);
  return r;
}

int main(void) {
  if (!RUNNING_ON_VALGRIND) {
    printf("CTIME self-test: skipped (not under valgrind)\n");
    return 77;
  }
  uint8_t a[32], b[32], table[256];
  for (int i = 0; i < 256; i++) table[i] = (uint8_t)(i * 7 + 1);
  for (int i = 0; i < 32; i++) a[i] = b[i] = (uint8_t)(i + 1);
  b[20] ^= 1;

  unsigned long leaks = 0, reported = 0, e;
  volatile int sink = 0;

  e = (unsigned long)VALGRIND_COUNT_ERRORS;
  SECRET(a, sizeof a);
  SECRET(b, sizeof b);
  sink += leaky_memcmp(a, b, sizeof a);
  PUBLIC(a, sizeof a);
  PUBLIC(b, sizeof b);
  leaks++;
  reported += (unsigned long)VALGRIND_COUNT_ERRORS > e;

  e = (unsigned long)VALGRIND_COUNT_ERRORS;
  uint8_t idx = 0xa5;
  SECRET(&idx, 1);
  sink += leaky_lookup(table, idx);
  leaks++;
  reported += (unsigned long)VALGRIND_COUNT_ERRORS > e;

  e = (unsigned long)VALGRIND_COUNT_ERRORS;
  uint8_t s = 0x81;
  SECRET(&s, 1);
  sink += leaky_branch(s);
  leaks++;
  reported += (unsigned long)VALGRIND_COUNT_ERRORS > e;

  /* Control: the library's constant-time compare on the same secrets must not be reported. */
  e = (unsigned long)VALGRIND_COUNT_ERRORS;
  SECRET(a, sizeof a);
  SECRET(b, sizeof b);
  int eq = zk_ct_equal(a, b, sizeof a);
  PUBLIC(&eq, sizeof eq);
  PUBLIC(a, sizeof a);
  PUBLIC(b, sizeof b);
  unsigned long control = (unsigned long)VALGRIND_COUNT_ERRORS - e;
  sink += eq;

  (void)sink;
  if (reported == leaks && control == 0 && eq == 0) {
    printf("CTIME self-test: leak detected as expected (leaks=%lu reported=%lu control=0)\n", leaks,
           reported);
    return 0;
  }
  printf("CTIME self-test: FAILED (leaks=%lu reported=%lu control=%lu)\n", leaks, reported,
         control);
  return 1;
}
