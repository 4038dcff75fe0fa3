/*
 * Allocation shim for tests and benchmarks: counts, tracks and fails heap allocations.
 *
 * Linking the static library `zk_alloc_shim` into an executable replaces malloc, calloc,
 * realloc, free, posix_memalign, aligned_alloc, memalign, valloc and pvalloc for the whole
 * process (glibc's documented malloc replacement: the executable's definitions interpose the
 * ones in libc.so). Every call is forwarded to glibc's allocator (__libc_malloc and friends),
 * so allocations made by libzerokey, OpenSSL, libcbor, jansson and libc itself are all seen.
 * Only for glibc builds without sanitizers (ASan/UBSan own malloc): the CMake target does not
 * exist when ZK_SANITIZE or ZK_FUZZ is on.
 *
 * Model:
 *  - an "allocation attempt" is a call to malloc, calloc, memalign, posix_memalign,
 *    aligned_alloc, valloc, pvalloc, realloc(NULL, n), or a realloc that grows a block
 *    (n larger than the block's usable size). free and shrinking reallocs are not attempts.
 *    malloc(0)-style zero-size requests are attempts too.
 *  - while tracking is on, every successful allocation is recorded (pointer -> requested size)
 *    in a fixed-size table inside the shim (the shim itself never allocates). A free or realloc
 *    of a recorded pointer updates the table whether or not tracking is still on; a free of a
 *    pointer that is not recorded (allocated before tracking started) is forwarded silently,
 *    and a realloc of such a pointer stays unrecorded (it is not a new allocation).
 *  - at most one failure is injected per zk_shim_fail_at() call: the chosen attempt returns
 *    NULL (errno = ENOMEM; posix_memalign returns ENOMEM; realloc leaves the block intact).
 *    zk_shim_fail_from() instead fails the chosen attempt and every later one (memory stays
 *    exhausted), until disarmed.
 *
 * Usage (CMake): target_link_libraries(<exe> PRIVATE zk_alloc_shim). Peak memory of a call:
 *   zk_shim_reset(); zk_shim_track(1); call(); zk_shim_track(0); peak = zk_shim_peak_bytes();
 * (requested bytes of blocks allocated during the window; blocks that existed before it, and
 * their reallocs, are not counted).
 *
 * Cost: with tracking off, no failure armed and no recorded pointer live, each call is one
 * relaxed atomic increment and a few relaxed loads in front of glibc's allocator. The slow
 * path takes a spinlock, so the shim is safe (not fast) with several threads.
 *
 * Limits: the table holds ZK_SHIM_TABLE_SLOTS / 2 live recorded allocations; beyond that,
 * further allocations are not recorded and zk_shim_overflowed() reports it. Allocations made
 * by glibc internals that bypass the public symbols (none known in 2.36 for the functions
 * above) are not seen.
 */
#ifndef ZK_ALLOC_SHIM_H
#define ZK_ALLOC_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Capacity of the pointer table (power of two). */
#define ZK_SHIM_TABLE_SLOTS (1u << 17)

/* Zero the attempt counter, live/peak figures and overflow flag, forget every recorded
 * pointer, and disarm any pending failure. The tracking on/off state is left unchanged. */
void zk_shim_reset(void);

/* Start (on != 0) or stop (on == 0) recording new allocations. Stopping does not forget
 * pointers already recorded: their frees still decrement the live figures. */
void zk_shim_track(int on);

/* Fail the n-th allocation attempt counted from this call (1-based); 0 disarms. Exactly one
 * attempt fails; later attempts succeed. Also clears the zk_shim_failed() flag. */
void zk_shim_fail_at(unsigned long n);

/* Fail the n-th allocation attempt counted from this call (1-based) and every attempt after
 * it, until zk_shim_fail_at(0) or zk_shim_reset(); 0 disarms. Also clears zk_shim_failed(). */
void zk_shim_fail_from(unsigned long n);

/* Allocation attempts since the last zk_shim_reset() (counted whether or not tracking is on,
 * including the attempt made to fail; exempt callers, see below, are not counted). */
unsigned long zk_shim_count(void);

/* Recorded allocations not yet freed, and their requested bytes. */
size_t zk_shim_live(void);
size_t zk_shim_live_bytes(void);

/* High-water mark of zk_shim_live_bytes() since the last zk_shim_reset(). */
size_t zk_shim_peak_bytes(void);

/* 1 if the failure armed by the last zk_shim_fail_at() / zk_shim_fail_from() has fired (at
 * least once), else 0. */
int zk_shim_failed(void);

/* 1 if an allocation could not be recorded because the table was full since the last reset
 * (live figures are then an underestimate), else 0. */
int zk_shim_overflowed(void);

/* Exempt allocation attempts whose immediate caller (the return address of the malloc-family
 * call) lies in [lo, hi): they are neither counted nor failed (they are still recorded while
 * tracking). For third-party code known to mishandle allocation failure, so that failure
 * injection can go on past it. lo == hi removes the exemption; zk_shim_reset keeps it. */
void zk_shim_exempt_callers(const void *lo, const void *hi);
/* Same, for realloc calls only (growth of existing blocks). */
void zk_shim_exempt_realloc_callers(const void *lo, const void *hi);

/* Debugging: copy up to cap recorded live pointers and their sizes; returns how many are live. */
size_t zk_shim_live_list(void **ptrs, size_t *sizes, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* ZK_ALLOC_SHIM_H */
