#!/usr/bin/env bash
# Style check: every tracked C source and header must be what clang-format (the root
# .clang-format) makes of it. Prints "FORMAT checked=N unformatted=0" and exits 0, or lists the
# files that differ (fix with: git ls-files '*.c' '*.h' | xargs clang-format -i) and exits 1.
# Tables that read better hand-aligned are fenced with "// clang-format off" / "on".
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "FORMAT: clang-format not installed (scripts/deps.sh)"; exit 1; }
n=0
bad=()
while IFS= read -r f; do
  n=$((n + 1))
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.c' '*.h')
if [ ${#bad[@]} -gt 0 ]; then
  printf 'FORMAT not clang-formatted: %s\n' "${bad[@]}"
  echo "FORMAT checked=$n unformatted=${#bad[@]} ($(clang-format --version))"
  exit 1
fi
echo "FORMAT checked=$n unformatted=0 ($(clang-format --version))"
