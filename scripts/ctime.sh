#!/usr/bin/env bash
# Constant-time check (docs/constant-time.md): secrets are marked undefined for valgrind's
# memcheck, so a branch or memory address that depends on a secret is an error.
#
#   bash scripts/ctime.sh                  # build dirs: build-ctime/O2, build-ctime/O0
#   ZK_CTIME_BUILD=/tmp/ct bash scripts/ctime.sh
#   ZK_CTIME_OPTS="O2" bash scripts/ctime.sh   # one optimisation level only
#
# For each optimisation level (-O2 as shipped, -O0 where the compiler keeps every branch of the
# source) it builds tests/ctime with -DZK_CTIME_VALGRIND (the library's ZKI_DECLASSIFY points
# become active), then:
#   1. runs the negative self-test: valgrind MUST report its deliberately leaky operations;
#   2. runs the real check over every area: valgrind must report nothing (OpenSSL-internal
#      errors are suppressed by tests/ctime/ctime.supp, each one documented);
#   3. runs the sign area without the libsecp256k1 entries: what they hide must be exactly the
#      reviewed code locations of tests/ctime/secp256k1-reviewed.txt (secp256k1_review.py).
# Greppable lines: "CTIME self-test: leak detected as expected ...", "CTIME <area>: ops=N clean
# opt=O2", "CTIME suppressed: ...", "CTIME secp256k1: ... clean", and finally "CTIME result: clean" (exit 0) or
# "CTIME result: FAILED" (exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${ZK_CTIME_BUILD:-$ROOT/build-ctime}
OPTS=${ZK_CTIME_OPTS:-"O2 O0"}
SUPP=$ROOT/tests/ctime/ctime.supp
JOBS=${ZK_CTIME_JOBS:-2}
VG=(valgrind --error-exitcode=42 --track-origins=yes --num-callers=40 --suppressions="$SUPP" -v)

command -v valgrind >/dev/null || { echo "CTIME result: FAILED (valgrind not installed)"; exit 1; }
fail=0
start=$(date +%s)

for opt in $OPTS; do
  case $opt in
    O2) btype=RelWithDebInfo; cflags="-DZK_CTIME_VALGRIND" ;;   # -O2 -g
    O0) btype=Debug; cflags="-DZK_CTIME_VALGRIND -O0" ;;
    O1|O3|Os) btype=RelWithDebInfo; cflags="-DZK_CTIME_VALGRIND -$opt" ;;
    *) echo "CTIME result: FAILED (unknown optimisation level $opt)"; exit 1 ;;
  esac
  dir=$BUILD/$opt
  mkdir -p "$dir"
  cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=$btype -DCMAKE_C_FLAGS="$cflags" \
        -DZK_BUILD_BENCH=OFF -DZK_BUILD_EXAMPLES=OFF >"$dir/configure.log" 2>&1 \
    || { cat "$dir/configure.log"; echo "CTIME result: FAILED (configure $opt)"; exit 1; }
  cmake --build "$dir" --target ctime_check ctime_selftest -j"$JOBS" >"$dir/build.log" 2>&1 \
    || { tail -40 "$dir/build.log"; echo "CTIME result: FAILED (build $opt)"; exit 1; }
  bin=$dir/tests/ctime

  # 1. Negative self-test: the check must be able to fail. Exit 42 = valgrind reported errors.
  set +e
  "${VG[@]}" --log-file="$dir/selftest.vg.log" "$bin/ctime_selftest" >"$dir/selftest.out" 2>&1
  rc=$?
  set -e
  errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$dir/selftest.vg.log" | tail -1)
  if [ "$rc" -eq 42 ] && [ "${errs:-0}" -gt 0 ] && grep -q "leak detected as expected" "$dir/selftest.out"; then
    echo "$(grep 'CTIME self-test' "$dir/selftest.out") errors=$errs opt=$opt"
  else
    cat "$dir/selftest.out"
    echo "CTIME self-test: FAILED (valgrind rc=$rc errors=${errs:-?}: the check could not see a leak) opt=$opt"
    fail=1
  fi

  # 2. The real check: every area, no unsuppressed error.
  set +e
  ZK_CTIME_LABEL="opt=$opt" "${VG[@]}" --log-file="$dir/check.vg.log" "$bin/ctime_check" \
    >"$dir/check.out" 2>"$dir/check.err"
  rc=$?
  set -e
  cat "$dir/check.out"
  summary=$(grep "ERROR SUMMARY" "$dir/check.vg.log" | tail -1)
  errs=$(echo "$summary" | sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p')
  sup=$(echo "$summary" | sed -n 's/.*(suppressed: \([0-9]*\) from \([0-9]*\)).*/\1 errors from \2 contexts/p')
  used=$(grep -c "used_suppression:" "$dir/check.vg.log" || true)
  total=$(grep -c "^   ctime-" "$SUPP" || true)
  echo "CTIME suppressed: ${sup:-0} inside OpenSSL or libsecp256k1, suppressions used=$used of $total opt=$opt"
  # A suppression nothing needs any more should be deleted (docs/constant-time.md too).
  unused=$(comm -23 <(grep "^   ctime-" "$SUPP" | tr -d ' ' | sort) \
                    <(grep "used_suppression:" "$dir/check.vg.log" | awk '{print $4}' | sort) | tr '\n' ' ')
  [ -z "$unused" ] || echo "CTIME warning: unused suppressions: $unused opt=$opt"
  areas=$(grep -c "^CTIME [a-z]*: ops=[0-9]* clean" "$dir/check.out" || true)
  if [ "$rc" -ne 0 ] || [ "${errs:-1}" -ne 0 ] || [ "$areas" -ne 5 ]; then
    echo "CTIME check: FAILED (valgrind rc=$rc errors=${errs:-?} clean_areas=$areas/5) opt=$opt"
    cat "$dir/check.err"
    # The first error contexts, innermost frames first (full log: $dir/check.vg.log).
    grep -v "^==[0-9]*== *$" "$dir/check.vg.log" | grep -A14 "Conditional jump\|uninitialised value of size\|Syscall param" | head -120 || true
    fail=1
  fi

  # 3. What the libsecp256k1 entries hide: the sign area again without them; every error inside
  #    libsecp256k1 must be a reviewed code location, and every reviewed one must be reported.
  awk '/^{/ { buf = $0; inb = 1; next }
       inb  { buf = buf "\n" $0; if (/^}/) { inb = 0; if (buf !~ /ctime-secp256k1-/) print buf }; next }
            { print }' "$SUPP" >"$dir/no-secp256k1.supp"
  set +e
  valgrind --track-origins=no --num-callers=40 --suppressions="$dir/no-secp256k1.supp" \
    --log-file="$dir/secp256k1.vg.log" "$bin/ctime_check" sign >"$dir/secp256k1.out" 2>&1
  set -e
  secp_so=$(ldd "$bin/ctime_check" | awk '/libsecp256k1/ { print $3 }')
  set +e
  review=$(python3 "$ROOT/tests/ctime/secp256k1_review.py" "$dir/secp256k1.vg.log" "$secp_so" \
             "$ROOT/tests/ctime/secp256k1-reviewed.txt")
  rc=$?
  set -e
  echo "$review" | sed "s/\$/ opt=$opt/"
  if [ "$rc" -eq 3 ]; then
    echo "CTIME warning: libsecp256k1 is not a reviewed build; its suppressions are depth-limited but unchecked opt=$opt"
  elif [ "$rc" -ne 0 ]; then
    echo "CTIME secp256k1 review: FAILED (log: $dir/secp256k1.vg.log) opt=$opt"
    fail=1
  fi
done

echo "CTIME time: $(( $(date +%s) - start ))s"
if [ "$fail" -ne 0 ]; then
  echo "CTIME result: FAILED"
  exit 1
fi
echo "CTIME result: clean"
