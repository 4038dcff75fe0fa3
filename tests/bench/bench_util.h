/* Benchmark helpers: measure throughput, never assert on time. */
#ifndef ZK_BENCH_UTIL_H
#define ZK_BENCH_UTIL_H

#include <stddef.h>

typedef int (*zkb_fn)(void *ctx); /* returns 0 on success; non-zero aborts the benchmark */

/*
 * Run fn repeatedly for at least min_seconds (and at least 3 calls); return
 * operations per second. Exits the process with status 1 if fn fails.
 * Set ZK_BENCH_SECONDS to override min_seconds.
 */
double zkb_rate(const char *label, zkb_fn fn, void *ctx, double min_seconds);

/* Print "<label>: <ops>/s  ratio=<ops/ref_ops>" in a fixed format. */
void zkb_report_ratio(const char *label, double ops, const char *ref_label, double ref_ops);

#endif
