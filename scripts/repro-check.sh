#!/usr/bin/env bash
# Reproducible-build check: build libzerokey twice from the same commit, in two different
# directories (different source paths, different build paths, different path lengths), and
# require byte-identical libzerokey.so and libzerokey.a. Prints the SHA-256 of both.
#
#   bash scripts/repro-check.sh            # checks HEAD
#   ZK_REPRO_REF=<commit> bash scripts/repro-check.sh
#
# The commit is exported with `git archive`, so uncommitted changes are not part of the check.
# Both builds use the same compiler and flags (RelWithDebInfo: debug info is where absolute
# paths leak) and SOURCE_DATE_EPOCH = the commit time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REF=${ZK_REPRO_REF:-HEAD}
commit=$(git rev-parse --verify "$REF^{commit}")
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct "$commit")
CC=${CC:-gcc}
JOBS=$(nproc)

work=$(mktemp -d "${TMPDIR:-/tmp}/zk-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Two unrelated layouts: a short in-tree build dir, and a long out-of-tree one.
src_a="$work/a/libzerokey"
src_b="$work/second-checkout/somewhere/deeper/zk-src"
bld_a="$src_a/build"
bld_b="$work/out-of-tree/build-dir-b"

build_one() {
  local src=$1 bld=$2
  mkdir -p "$src" "$bld"
  git -C "$ROOT" archive "$commit" | tar -x -C "$src"
  cmake -S "$src" -B "$bld" -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DZK_BUILD_TESTS=OFF -DZK_BUILD_BENCH=OFF -DZK_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$bld" --target zerokey zerokey_static -j"$JOBS" >/dev/null
}

echo "repro: commit $commit, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH, $($CC --version | head -1)"
build_one "$src_a" "$bld_a"
build_one "$src_b" "$bld_b"

status=0
for f in "libzerokey.so.$(sed -n 's/^project(zerokey VERSION \([0-9.]*\).*/\1/p' "$src_a/CMakeLists.txt")" libzerokey.a; do
  a="$bld_a/$f" b="$bld_b/$f"
  [ -f "$a" ] && [ -f "$b" ] || { echo "repro: $f missing"; exit 1; }
  ha=$(sha256sum "$a" | cut -d' ' -f1)
  hb=$(sha256sum "$b" | cut -d' ' -f1)
  if [ "$ha" = "$hb" ]; then
    echo "REPRO $f: identical sha256=$ha size=$(stat -c %s "$a")"
  else
    echo "REPRO $f: DIFFERENT ($ha vs $hb)"
    cmp "$a" "$b" | head -3 || true
    # Where do absolute paths leak? Show strings that name either work directory.
    strings -a "$a" | grep -F "$work" | head -5 || true
    status=1
  fi
done
# Belt and braces: neither artefact may contain a build-machine path.
for f in "$bld_a"/libzerokey.so.* "$bld_a/libzerokey.a"; do
  [ -L "$f" ] && continue
  if strings -a "$f" | grep -qF "$work"; then
    echo "REPRO $(basename "$f"): contains the build path $work"
    status=1
  fi
done
[ $status -eq 0 ] && echo "REPRO: two builds in different directories are byte-identical"
exit $status
