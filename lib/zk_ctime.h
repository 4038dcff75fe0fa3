/*
 * Declassification points for the constant-time check (tests/ctime, docs/constant-time.md).
 *
 * ZKI_DECLASSIFY(p, len) marks len bytes at p as public: a value computed from secrets whose
 * disclosure is intended by the API (a validity verdict such as "the scalar is in range" or
 * "the AEAD tag matched"), right before the library branches on it. In normal builds it does
 * nothing. Built with -DZK_CTIME_VALGRIND (scripts/ctime.sh does), it tells valgrind's memcheck
 * that the bytes are defined, so the check reports every OTHER branch or memory index that
 * depends on a secret.
 */
#ifndef ZK_CTIME_H
#define ZK_CTIME_H

#ifdef ZK_CTIME_VALGRIND
#  include <valgrind/memcheck.h>
#  define ZKI_DECLASSIFY(p, len) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (len)))
#else
#  define ZKI_DECLASSIFY(p, len) ((void)(p), (void)(len))
#endif

#endif
