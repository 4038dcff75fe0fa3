#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double zkb_rate(const char *label, zkb_fn fn, void *ctx, double min_seconds) {
  const char *env = getenv("ZK_BENCH_SECONDS");
  if (env != NULL) min_seconds = atof(env);
  if (min_seconds <= 0) min_seconds = 0.05;
  unsigned long n = 0;
  double start = now_s(), el;
  do {
    for (int i = 0; i < 8; i++, n++) {
      if (fn(ctx) != 0) {
        fprintf(stderr, "benchmark %s: operation failed\n", label);
        exit(1);
      }
    }
    el = now_s() - start;
  } while (el < min_seconds || n < 3);
  double rate = (double)n / el;
  printf("%-48s %12.1f ops/s  (%lu ops in %.2f s)\n", label, rate, n, el);
  fflush(stdout);
  return rate;
}

void zkb_report_ratio(const char *label, double ops, const char *ref_label, double ref_ops) {
  printf("RATIO %-42s %.3f x %s\n", label, ref_ops > 0 ? ops / ref_ops : 0.0, ref_label);
  fflush(stdout);
}
