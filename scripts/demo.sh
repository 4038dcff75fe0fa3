#!/usr/bin/env bash
# Build libzerokey (installing missing Debian packages) and run the main demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target zerokey_demo >/dev/null
exec ./build/examples/zerokey_demo "$@"
