#!/usr/bin/env bash
# The whole libzerokey test suite (what CI runs):
#   0. every tracked C file is clang-formatted (scripts/format-check.sh)
#   1. gcc build with -Wall -Wextra -Werror, cmocka suite via ctest (vector counts printed),
#      including failinj (allocation-failure injection over every parser and verifier)
#   2. exported-symbol check: only zk_* may leave libzerokey.so; reproducible-build check
#      (two builds of HEAD in different directories give identical .so/.a; SHA-256 printed)
#   3. the same suite under AddressSanitizer + UndefinedBehaviorSanitizer (clang); exhaustive
#      mutation loops use a stride (ZK_TEST_QUICK=1) there and under valgrind: the gcc run covers every byte
#   4. valgrind memcheck of every unit test: no errors, no leaks; constant-time check (valgrind
#      with secrets marked undefined, negative self-test must be caught)
#   5. every libFuzzer harness built with clang -fsanitize=fuzzer and run on its corpus
#   6. benchmarks: each runs briefly (throughput printed, nothing asserted on time)
#   7. Python (ctypes) and Go (cgo) binding tests
# Installs missing Debian packages first. Vectors: $ZK_VECTORS_DIR or ../shared/vectors.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
bash scripts/deps.sh

if [ -z "${ZK_VECTORS_DIR:-}" ] && [ -d "$ROOT/../shared/vectors" ]; then
  ZK_VECTORS_DIR=$(cd "$ROOT/../shared/vectors" && pwd)
fi
export ZK_VECTORS_DIR=${ZK_VECTORS_DIR:-$ROOT/../shared/vectors}
[ -d "$ZK_VECTORS_DIR" ] || echo "WARNING: vectors directory $ZK_VECTORS_DIR missing: vector suites will report SKIPPED"

JOBS=$(nproc)
OUT=${ZK_CI_BUILD:-$ROOT/build-ci}
FUZZ_SECONDS=${ZK_FUZZ_SECONDS:-10}
step() { printf '\n===== %s =====\n' "$*"; }
t0=$(date +%s)

step "0. style: clang-format"
bash scripts/format-check.sh

step "1. gcc -Werror build + unit tests"
cmake -S . -B "$OUT/gcc" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZK_WERROR=ON \
  -DZK_VECTORS_DIR="$ZK_VECTORS_DIR" >/dev/null
cmake --build "$OUT/gcc" -j"$JOBS"
ctest --test-dir "$OUT/gcc" -j"$JOBS" --output-on-failure
grep -h '^VECTORS ' "$OUT/gcc/Testing/Temporary/LastTest.log" | sort || true
grep -h '^MUTATIONS ' "$OUT/gcc/Testing/Temporary/LastTest.log" | sort || true
grep -h '^MUTATIONS ' "$OUT/gcc/Testing/Temporary/LastTest.log" | awk '
  { for (i = 1; i <= NF; i++) { if ($i ~ /^tried=/) t += substr($i, 7); if ($i ~ /^rejected=/) r += substr($i, 10) } n++ }
  END { printf "MUTATIONS total: %d sweeps, tried=%d rejected=%d (each suite asserts its own rule)\n", n, t, r }'
grep -h '^FAILINJ-SELFTEST\|^FAILINJ-CONFIG\|^FAILINJ total\|^FAILINJ sticky total' "$OUT/gcc/Testing/Temporary/LastTest.log" || true
grep -h '^SKIPPED' "$OUT/gcc/Testing/Temporary/LastTest.log" | sort -u || true

step "2. exported symbols"
bad=$(nm -D --defined-only "$OUT/gcc/libzerokey.so" | awk 'NF==3 && $2 ~ /^[TDBRVW]$/ {print $3}' | grep -v '^zk_' || true)
if [ -n "$bad" ]; then echo "non-zk_ symbols exported:"; echo "$bad"; exit 1; fi
echo "exported: $(nm -D --defined-only "$OUT/gcc/libzerokey.so" | awk 'NF==3 && $2 ~ /^[TDBRVW]$/' | wc -l) symbols, all zk_*"
readelf -d "$OUT/gcc/libzerokey.so" | grep SONAME

step "2b. reproducible build (two directories, same commit)"
bash scripts/repro-check.sh

step "3. ASan + UBSan (clang)"
cmake -S . -B "$OUT/asan" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DZK_SANITIZE=ON \
  -DZK_BUILD_EXAMPLES=OFF -DZK_BUILD_BENCH=OFF -DZK_VECTORS_DIR="$ZK_VECTORS_DIR" >/dev/null
cmake --build "$OUT/asan" -j"$JOBS"
ZK_TEST_QUICK=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$OUT/asan" -j"$JOBS" --output-on-failure

step "4. valgrind memcheck"
# One valgrind per core; each test log goes to $OUT/valgrind-<test>.log.
vg_one() {
  local t=$1 out=$2 name rc
  name=$(basename "$t")
  if ZK_TEST_QUICK=1 valgrind -q --error-exitcode=99 --leak-check=full \
       --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
       "$t" >"$out/valgrind-$name.log" 2>&1; then
    echo "valgrind $name: clean"
  else
    rc=$?
    if [ $rc -eq 77 ]; then echo "valgrind $name: SKIPPED (vectors missing)"; return 0; fi
    echo "valgrind $name: FAILED (rc=$rc)"; tail -40 "$out/valgrind-$name.log"; return 1
  fi
}
export -f vg_one
ls "$OUT"/gcc/tests/test_* | xargs -P "$JOBS" -I{} bash -c 'vg_one "$@"' _ {} "$OUT"

step "4b. constant-time check (valgrind, secrets marked undefined; -O2 and -O0)"
ZK_CTIME_BUILD="$OUT/ctime" bash scripts/ctime.sh

step "5. fuzz harnesses (${FUZZ_SECONDS}s each)"
ZK_FUZZ_SECONDS="$FUZZ_SECONDS" ZK_FUZZ_BUILD="$OUT/fuzz" bash scripts/fuzz.sh

step "6. benchmarks (short runs; figures only)"
for b in "$OUT"/gcc/tests/bench_*; do
  [ -x "$b" ] || continue
  ZK_BENCH_SECONDS=${ZK_BENCH_SECONDS:-0.2} "$b"
done

step "7. bindings"
if [ -x bindings/run-tests.sh ]; then bash bindings/run-tests.sh "$OUT/gcc"; else echo "bindings: none"; fi

step "ALL PASSED in $(( $(date +%s) - t0 )) s"
