#!/usr/bin/env bash
# Install the Debian 12 packages libzerokey needs, if any is missing (run as root, or with sudo available).
set -euo pipefail
PKGS=(build-essential cmake pkg-config libssl-dev libsecp256k1-dev libcbor-dev libjansson-dev
      libcmocka-dev clang clang-format libclang-rt-14-dev valgrind python3 golang-go)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
