#!/usr/bin/env bash
# Run the Python (ctypes) and Go (cgo) binding tests against a built libzerokey.
#
#   bindings/run-tests.sh BUILD_DIR
#
# BUILD_DIR is a CMake build directory in which libzerokey is built. The script
# installs it into a temporary prefix (cmake --install BUILD_DIR --prefix TMP),
# points ZEROKEY_LIB / LD_LIBRARY_PATH / PKG_CONFIG_PATH / CGO_LDFLAGS at that
# prefix, runs both suites, prints every skipped test as a "SKIPPED:" line and
# exits non-zero if anything failed. Vectors: $ZK_VECTORS_DIR (default
# ../shared/vectors next to the repository).
set -u

die() { echo "run-tests.sh: $*" >&2; exit 2; }

[ $# -eq 1 ] || die "usage: $0 BUILD_DIR"
[ -d "$1" ] || die "no such build directory: $1"
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
[ -e "$BUILD/libzerokey.so" ] || die "$BUILD/libzerokey.so not found (build the library first)"

PREFIX=$(mktemp -d "${TMPDIR:-/tmp}/zk-bindings.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$PREFIX"' EXIT

echo "== installing $BUILD into $PREFIX"
if ! cmake --install "$BUILD" --prefix "$PREFIX" >"$PREFIX/install.log" 2>&1; then
  cat "$PREFIX/install.log" >&2
  die "cmake --install failed (build the whole project in $BUILD first: cmake --build $BUILD)"
fi
SO=$(find "$PREFIX" -name 'libzerokey.so' -print -quit)
[ -n "$SO" ] || die "libzerokey.so missing from the install prefix"
LIBDIR=$(dirname "$SO")
PC="$LIBDIR/pkgconfig/zerokey.pc"
[ -f "$PC" ] || die "zerokey.pc missing from the install prefix"
# zerokey.pc records the configure-time CMAKE_INSTALL_PREFIX; the install went
# to a different prefix, so point the copy at it.
sed -i "s|^prefix=.*|prefix=$PREFIX|" "$PC"

export ZEROKEY_LIB="$SO"
export ZEROKEY_INCLUDE="$PREFIX/include"
export LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export CGO_LDFLAGS="-Wl,-rpath,$LIBDIR${CGO_LDFLAGS:+ $CGO_LDFLAGS}"
export GOPROXY=off GOFLAGS="${GOFLAGS:-}" GO111MODULE=on GOTOOLCHAIN=local
# Wrap every C call argument check of cgo in its strictest mode.
export GODEBUG="cgocheck=2${GODEBUG:+,$GODEBUG}"

failed=0
skipped=0

if python3 "$HERE/gen_status.py" --check; then :; else
  echo "WARNING: generated status tables are stale (python3 bindings/gen_status.py)"
fi

echo "== python: unittest (ZEROKEY_LIB=$ZEROKEY_LIB)"
if command -v python3 >/dev/null 2>&1; then
  PYLOG="$PREFIX/python.log"
  (cd "$ROOT" && python3 -m unittest discover -s bindings/python/tests -v) 2>&1 | tee "$PYLOG"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then
    echo "FAILED: python binding tests (exit $rc)"
    failed=1
  fi
  # unittest -v prints "skipped '<reason>'" for every skipped test (the reason may
  # follow the test name on the same line or a stderr note on the next one).
  n=$(grep -o "skipped '.*'" "$PYLOG" | wc -l)
  if [ "$n" -gt 0 ]; then
    skipped=$((skipped + n))
    grep -o "skipped '.*'" "$PYLOG" | sed "s/^skipped '\(.*\)'\$/SKIPPED (python): \1/"
  fi
else
  echo "SKIPPED: python binding tests (python3 not found)"
  skipped=$((skipped + 1))
fi

echo "== go: go test (PKG_CONFIG_PATH=$PKG_CONFIG_PATH)"
if command -v go >/dev/null 2>&1; then
  GOLOG="$PREFIX/go.log"
  (cd "$HERE/go" && go vet . && go test -count=1 -v ./...) 2>&1 | tee "$GOLOG"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then
    echo "FAILED: go binding tests (exit $rc)"
    failed=1
  fi
  # go test -v prints the t.Skipf reason ("SKIPPED: ...") just before "--- SKIP: TestX".
  n=$(grep -c -- "--- SKIP" "$GOLOG" || true)
  if [ "$n" -gt 0 ]; then
    skipped=$((skipped + n))
    grep -E -- "--- SKIP|SKIPPED:" "$GOLOG" | sed 's/^ *//; s/^/SKIPPED (go): /'
  fi
else
  echo "SKIPPED: go binding tests (go toolchain not found)"
  skipped=$((skipped + 1))
fi

echo "== bindings summary: failed=$failed skipped=$skipped"
exit "$failed"
