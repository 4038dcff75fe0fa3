/* Allocation shim: see zk_alloc_shim.h. Interposes the malloc family and forwards to glibc. */
#include "zk_alloc_shim.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* glibc's own allocator entry points (exported, GLIBC_2.2.5 on x86_64). */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);
/* Not replaced here: glibc's version works on the chunks __libc_malloc returns. */
extern size_t malloc_usable_size(void *ptr);

/* Replaced functions not declared by <stdlib.h> under _POSIX_C_SOURCE / C11. */
void *memalign(size_t alignment, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);

/* The library is built with -fvisibility=hidden; the replacements must be visible to the
 * shared libraries (libcrypto, libcbor, jansson, libc) for interposition to work. */
#define SHIM_API __attribute__((visibility("default")))

#define MODE_TRACK 1u
#define MODE_ARMED 2u

struct slot {
  uintptr_t ptr; /* 0 = empty */
  size_t size;
};

static struct slot g_table[ZK_SHIM_TABLE_SLOTS];
static size_t g_live;               /* recorded pointers in g_table (under g_lock) */
static size_t g_live_bytes;         /* under g_lock */
static size_t g_peak_bytes;         /* under g_lock */
static int g_overflow;              /* under g_lock */
static unsigned long g_fail_target; /* under g_lock */
static unsigned long g_since_arm;   /* under g_lock */
static int g_sticky;                /* under g_lock: keep failing after the target */

static atomic_uint g_mode;      /* MODE_TRACK | MODE_ARMED */
static atomic_size_t g_entries; /* mirror of g_live for the lock-free fast path */
static atomic_ulong g_count;    /* attempts since reset */
static atomic_int g_failed;
static atomic_flag g_lock = ATOMIC_FLAG_INIT;

static void lock(void) {
  while (atomic_flag_test_and_set_explicit(&g_lock, memory_order_acquire)) {
  }
}
static void unlock(void) {
  atomic_flag_clear_explicit(&g_lock, memory_order_release);
}

static size_t slot_of(uintptr_t p) {
  uint64_t h = (uint64_t)(p >> 4) * UINT64_C(0x9E3779B97F4A7C15);
  return (size_t)(h >> 32) & (ZK_SHIM_TABLE_SLOTS - 1);
}

/* Under g_lock. Returns the slot index holding p, or SIZE_MAX. */
static size_t table_find(uintptr_t p) {
  size_t i = slot_of(p);
  for (size_t n = 0; n < ZK_SHIM_TABLE_SLOTS; n++) {
    if (g_table[i].ptr == p) return i;
    if (g_table[i].ptr == 0) return SIZE_MAX;
    i = (i + 1) & (ZK_SHIM_TABLE_SLOTS - 1);
  }
  return SIZE_MAX;
}

/* Under g_lock. Records p (size bytes); keeps the load factor at or below 1/2. */
static void table_insert(uintptr_t p, size_t size) {
  if (g_live >= ZK_SHIM_TABLE_SLOTS / 2) {
    g_overflow = 1;
    return;
  }
  size_t i = slot_of(p);
  while (g_table[i].ptr != 0 && g_table[i].ptr != p) i = (i + 1) & (ZK_SHIM_TABLE_SLOTS - 1);
  if (g_table[i].ptr == p) { /* stale entry for a reused address: replace it */
    g_live_bytes -= g_table[i].size;
  } else {
    g_live++;
  }
  g_table[i].ptr = p;
  g_table[i].size = size;
  g_live_bytes += size;
  if (g_live_bytes > g_peak_bytes) g_peak_bytes = g_live_bytes;
  atomic_store_explicit(&g_entries, g_live, memory_order_relaxed);
}

/* Under g_lock. Removes slot i (linear probing, backward-shift deletion: no tombstones). */
static void table_remove_at(size_t i) {
  g_live_bytes -= g_table[i].size;
  g_live--;
  size_t hole = i;
  size_t j = i;
  for (;;) {
    j = (j + 1) & (ZK_SHIM_TABLE_SLOTS - 1);
    if (g_table[j].ptr == 0) break;
    size_t home = slot_of(g_table[j].ptr);
    /* Move j into the hole unless its home lies cyclically in (hole, j]. */
    int stays = (hole <= j) ? (hole < home && home <= j) : (hole < home || home <= j);
    if (!stays) {
      g_table[hole] = g_table[j];
      hole = j;
    }
  }
  g_table[hole].ptr = 0;
  g_table[hole].size = 0;
  atomic_store_explicit(&g_entries, g_live, memory_order_relaxed);
}

static atomic_uintptr_t g_exempt_lo, g_exempt_hi, g_exempt_re_lo, g_exempt_re_hi;

static int exempt_realloc(const void *caller) {
  uintptr_t c = (uintptr_t)caller;
  return c >= atomic_load_explicit(&g_exempt_re_lo, memory_order_relaxed) &&
         c < atomic_load_explicit(&g_exempt_re_hi, memory_order_relaxed);
}

/* Called when the injected failure fires: a place for a debugger breakpoint. */
__attribute__((noinline)) static void shim_failure_fired(void) {
  __asm__ volatile("");
}

/* Counts one attempt made from caller; returns 1 if it must fail. */
static int attempt(const void *caller) {
  uintptr_t c = (uintptr_t)caller;
  if (c >= atomic_load_explicit(&g_exempt_lo, memory_order_relaxed) &&
      c < atomic_load_explicit(&g_exempt_hi, memory_order_relaxed))
    return 0;
  atomic_fetch_add_explicit(&g_count, 1, memory_order_relaxed);
  if (!(atomic_load_explicit(&g_mode, memory_order_relaxed) & MODE_ARMED)) return 0;
  int fail = 0;
  lock();
  if (g_fail_target != 0 && ++g_since_arm >= g_fail_target) {
    fail = 1;
    if (!g_sticky) {
      g_fail_target = 0;
      atomic_fetch_and_explicit(&g_mode, ~MODE_ARMED, memory_order_relaxed);
    }
    atomic_store_explicit(&g_failed, 1, memory_order_relaxed);
  }
  unlock();
  if (fail) shim_failure_fired();
  return fail;
}

static void *record(void *p, size_t size) {
  if (p != NULL && (atomic_load_explicit(&g_mode, memory_order_relaxed) & MODE_TRACK)) {
    lock();
    table_insert((uintptr_t)p, size);
    unlock();
  }
  return p;
}

static void forget(void *p) {
  if (p == NULL || atomic_load_explicit(&g_entries, memory_order_relaxed) == 0) return;
  lock();
  size_t i = table_find((uintptr_t)p);
  if (i != SIZE_MAX) table_remove_at(i);
  unlock();
}

SHIM_API void *malloc(size_t size) {
  if (attempt(__builtin_return_address(0))) {
    errno = ENOMEM;
    return NULL;
  }
  return record(__libc_malloc(size), size);
}

SHIM_API void *calloc(size_t nmemb, size_t size) {
  if (attempt(__builtin_return_address(0))) {
    errno = ENOMEM;
    return NULL;
  }
  void *p = __libc_calloc(nmemb, size);
  return record(p, p ? nmemb * size : 0); /* no overflow: calloc succeeded */
}

SHIM_API void free(void *ptr) {
  forget(ptr);
  __libc_free(ptr);
}

SHIM_API void *realloc(void *ptr, size_t size) {
  if (ptr == NULL) {
    if (!exempt_realloc(__builtin_return_address(0)) && attempt(__builtin_return_address(0))) {
      errno = ENOMEM;
      return NULL;
    }
    return record(__libc_malloc(size), size);
  }
  if (size == 0) { /* glibc frees the block and returns NULL */
    free(ptr);
    return NULL;
  }
  if (size > malloc_usable_size(ptr) && !exempt_realloc(__builtin_return_address(0)) &&
      attempt(__builtin_return_address(0))) {
    errno = ENOMEM;
    return NULL; /* the old block stays valid and recorded */
  }
  if (atomic_load_explicit(&g_entries, memory_order_relaxed) == 0) {
    return __libc_realloc(ptr, size);
  }
  /* Hold the lock across the call so a concurrent malloc cannot get ptr's old address
   * between glibc releasing it and the table being updated. glibc does not re-enter us. */
  lock();
  void *q = __libc_realloc(ptr, size);
  if (q != NULL) {
    size_t i = table_find((uintptr_t)ptr);
    if (i != SIZE_MAX) { /* a recorded block stays recorded; an unrecorded one (allocated
                          * before tracking started) stays unrecorded */
      table_remove_at(i);
      table_insert((uintptr_t)q, size);
    }
  }
  unlock();
  return q;
}

static int bad_alignment(size_t alignment) {
  return alignment == 0 || (alignment & (alignment - 1)) != 0;
}

SHIM_API int posix_memalign(void **memptr, size_t alignment, size_t size) {
  if (bad_alignment(alignment) || alignment % sizeof(void *) != 0) return EINVAL;
  if (attempt(__builtin_return_address(0))) return ENOMEM;
  void *p = __libc_memalign(alignment, size);
  if (p == NULL) return ENOMEM;
  *memptr = record(p, size);
  return 0;
}

SHIM_API void *aligned_alloc(size_t alignment, size_t size) {
  if (bad_alignment(alignment)) {
    errno = EINVAL;
    return NULL;
  }
  if (attempt(__builtin_return_address(0))) {
    errno = ENOMEM;
    return NULL;
  }
  return record(__libc_memalign(alignment, size), size);
}

SHIM_API void *memalign(size_t alignment, size_t size) {
  if (attempt(__builtin_return_address(0))) {
    errno = ENOMEM;
    return NULL;
  }
  return record(__libc_memalign(alignment, size), size);
}

SHIM_API void *valloc(size_t size) {
  if (attempt(__builtin_return_address(0))) {
    errno = ENOMEM;
    return NULL;
  }
  return record(__libc_valloc(size), size);
}

SHIM_API void *pvalloc(size_t size) {
  if (attempt(__builtin_return_address(0))) {
    errno = ENOMEM;
    return NULL;
  }
  return record(__libc_pvalloc(size), size);
}

void zk_shim_reset(void) {
  lock();
  /* Removal leaves no tombstones, so an empty table needs no clearing (2 MiB otherwise). */
  if (g_live != 0) memset(g_table, 0, sizeof g_table);
  g_live = 0;
  g_live_bytes = 0;
  g_peak_bytes = 0;
  g_overflow = 0;
  g_fail_target = 0;
  g_since_arm = 0;
  g_sticky = 0;
  atomic_store_explicit(&g_entries, 0, memory_order_relaxed);
  atomic_fetch_and_explicit(&g_mode, ~MODE_ARMED, memory_order_relaxed);
  atomic_store_explicit(&g_count, 0, memory_order_relaxed);
  atomic_store_explicit(&g_failed, 0, memory_order_relaxed);
  unlock();
}

void zk_shim_track(int on) {
  if (on) {
    atomic_fetch_or_explicit(&g_mode, MODE_TRACK, memory_order_relaxed);
  } else {
    atomic_fetch_and_explicit(&g_mode, ~MODE_TRACK, memory_order_relaxed);
  }
}

static void arm(unsigned long n, int sticky) {
  lock();
  g_fail_target = n;
  g_sticky = sticky;
  g_since_arm = 0;
  atomic_store_explicit(&g_failed, 0, memory_order_relaxed);
  if (n != 0) {
    atomic_fetch_or_explicit(&g_mode, MODE_ARMED, memory_order_relaxed);
  } else {
    atomic_fetch_and_explicit(&g_mode, ~MODE_ARMED, memory_order_relaxed);
  }
  unlock();
}

void zk_shim_fail_at(unsigned long n) {
  arm(n, 0);
}

void zk_shim_fail_from(unsigned long n) {
  arm(n, 1);
}

unsigned long zk_shim_count(void) {
  return atomic_load_explicit(&g_count, memory_order_relaxed);
}

size_t zk_shim_live(void) {
  lock();
  size_t v = g_live;
  unlock();
  return v;
}

size_t zk_shim_live_bytes(void) {
  lock();
  size_t v = g_live_bytes;
  unlock();
  return v;
}

size_t zk_shim_peak_bytes(void) {
  lock();
  size_t v = g_peak_bytes;
  unlock();
  return v;
}

int zk_shim_failed(void) {
  return atomic_load_explicit(&g_failed, memory_order_relaxed);
}

int zk_shim_overflowed(void) {
  lock();
  int v = g_overflow;
  unlock();
  return v;
}

void zk_shim_exempt_callers(const void *lo, const void *hi) {
  atomic_store_explicit(&g_exempt_hi, 0, memory_order_relaxed);
  atomic_store_explicit(&g_exempt_lo, (uintptr_t)lo, memory_order_relaxed);
  atomic_store_explicit(&g_exempt_hi, (uintptr_t)hi, memory_order_relaxed);
}

size_t zk_shim_live_list(void **ptrs, size_t *sizes, size_t cap) {
  size_t n = 0;
  lock();
  for (size_t i = 0; i < ZK_SHIM_TABLE_SLOTS; i++) {
    if (g_table[i].ptr == 0) continue;
    if (n < cap) {
      ptrs[n] = (void *)g_table[i].ptr;
      sizes[n] = g_table[i].size;
    }
    n++;
  }
  unlock();
  return n;
}

void zk_shim_exempt_realloc_callers(const void *lo, const void *hi) {
  atomic_store_explicit(&g_exempt_re_hi, 0, memory_order_relaxed);
  atomic_store_explicit(&g_exempt_re_lo, (uintptr_t)lo, memory_order_relaxed);
  atomic_store_explicit(&g_exempt_re_hi, (uintptr_t)hi, memory_order_relaxed);
}
