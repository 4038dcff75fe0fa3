#!/usr/bin/env bash
# Build every libFuzzer harness (clang, -DZK_FUZZ=ON: ASan + UBSan + libFuzzer) and run each
# one on a working copy of its seed corpus fuzz/corpus/<name without fuzz_>/ (the committed
# corpus is never modified). Prints one line per harness:
#   FUZZ <name>: execs=N seconds=S corpus=C crashes=0 exec_per_s=R cov=X ft=Y seeds=K
# and fails (exit 1) if a harness has no binary or no (non-empty) seed corpus, or if any
# harness crashes, leaks, hits a sanitizer report, times out or runs out of memory.
#
# Environment:
#   ZK_FUZZ_SECONDS   seconds per harness (default 60)
#   ZK_FUZZ_BUILD     build directory (default build-fuzz under the repository)
#   ZK_FUZZ_PARALLEL  harnesses run at once (default: nproc)
#   ZK_FUZZ_ONLY      space-separated harness names to run (default: all)
#   ZK_FUZZ_TIMEOUT   per-input timeout in seconds (default 30)
#   ZK_FUZZ_NICE      nice level for the fuzzers (default 0; 10 on shared machines)
#   ZK_FUZZ_NO_BUILD  1: do not (re)build, use the binaries in ZK_FUZZ_BUILD
# Logs: $ZK_FUZZ_BUILD/fuzz-logs/<name>.log; crash/leak/timeout inputs:
# $ZK_FUZZ_BUILD/fuzz-artifacts/<name>/; grown corpora: $ZK_FUZZ_BUILD/fuzz-work/<name>/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${ZK_FUZZ_SECONDS:-60}
BUILD=${ZK_FUZZ_BUILD:-$ROOT/build-fuzz}
PARALLEL=${ZK_FUZZ_PARALLEL:-$(nproc)}
TIMEOUT=${ZK_FUZZ_TIMEOUT:-30}
NICE=${ZK_FUZZ_NICE:-0}
case "$SECONDS_EACH$PARALLEL$TIMEOUT$NICE" in *[!0-9]*) echo "fuzz.sh: numeric settings expected" >&2; exit 2 ;; esac
[ "$PARALLEL" -ge 1 ] || PARALLEL=1

if [ "${ZK_FUZZ_NO_BUILD:-0}" != 1 ]; then
  cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DZK_FUZZ=ON \
    -DZK_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD" -j"$(nproc)" >"$BUILD/fuzz-build.log" 2>&1 || { tail -40 "$BUILD/fuzz-build.log"; exit 1; }
fi

LOGS=$BUILD/fuzz-logs ART=$BUILD/fuzz-artifacts WORK=$BUILD/fuzz-work RES=$BUILD/fuzz-results
rm -rf "$RES"
mkdir -p "$LOGS" "$ART" "$WORK" "$RES"

# Every harness source must have a binary and a non-empty seed corpus.
names=()
missing=0
for src in fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  if [ -n "${ZK_FUZZ_ONLY:-}" ] && [[ " $ZK_FUZZ_ONLY " != *" $name "* ]]; then continue; fi
  corpus=fuzz/corpus/${name#fuzz_}
  if [ ! -x "$BUILD/fuzz/$name" ]; then echo "FUZZ $name: MISSING binary $BUILD/fuzz/$name"; missing=1; continue; fi
  if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
    echo "FUZZ $name: MISSING seed corpus $corpus"; missing=1; continue
  fi
  names+=("$name")
done
[ "$missing" = 0 ] || exit 1
[ "${#names[@]}" -gt 0 ] || { echo "fuzz.sh: no harness selected"; exit 1; }

run_one() {
  set +e +o pipefail # a failing grep / awk must not lose the result line
  local name=$1 short=${1#fuzz_} rc=0 t0 t1
  local work=$WORK/$short log=$LOGS/$name.log art=$ART/$short
  rm -rf "$work" "$art"
  mkdir -p "$work" "$art"
  cp -r "fuzz/corpus/$short"/. "$work"/
  local seeds
  seeds=$(find "fuzz/corpus/$short" -type f | wc -l)
  t0=$(date +%s.%N)
  (cd "$art" && nice -n "$NICE" "$BUILD/fuzz/$name" -max_total_time="$SECONDS_EACH" \
     -rss_limit_mb=2048 -timeout="$TIMEOUT" -print_final_stats=1 -artifact_prefix="$art/" \
     "$work" >"$log" 2>&1) || rc=$?
  t1=$(date +%s.%N)
  local execs secs rate corpus cov ft crashes=0
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", b - a}')
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  corpus=$(find "$work" -type f | wc -l)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  if [ "$rc" != 0 ] || [ -n "$(ls -A "$art")" ] ||
     grep -qE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)|runtime error:|SUMMARY: ' "$log"; then
    crashes=1
  fi
  local line="FUZZ $name: execs=${execs:-0} seconds=$secs corpus=$corpus crashes=$crashes exec_per_s=${rate:-0} cov=${cov:-0} ft=${ft:-0} seeds=$seeds"
  if [ "$crashes" != 0 ]; then
    line="$line FAILED rc=$rc log=$log artifacts=$art"
  fi
  echo "$line" >"$RES/$name"
  echo "$line"
  if [ "$crashes" != 0 ]; then
    grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ 0x' "$log" | head -30 || true
    ls -l "$art" || true
  fi
}

echo "fuzz.sh: ${#names[@]} harnesses, ${SECONDS_EACH}s each, $PARALLEL at a time, build $BUILD"
t_start=$(date +%s)
running=0
for name in "${names[@]}"; do
  run_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$PARALLEL" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

fail=0
for name in "${names[@]}"; do
  if [ ! -f "$RES/$name" ]; then echo "FUZZ $name: no result"; fail=1; continue; fi
  grep -q 'crashes=0' "$RES/$name" || fail=1
done
total=$(cat "$RES"/* 2>/dev/null | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^execs=/) s += substr($i, 7)} END {print s + 0}')
echo "FUZZ total: harnesses=${#names[@]} execs=$total wall_seconds=$(( $(date +%s) - t_start )) failed=$fail"
exit "$fail"
