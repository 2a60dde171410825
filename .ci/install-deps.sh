#!/usr/bin/env bash
# Installs what building and testing libtenantiso needs, from Debian's
# packages, and only what is missing. Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake pkg-config        # the build
  libcjson-dev libcurl4-openssl-dev       # the library's dependencies
  libcmocka-dev python3 openssl           # the tests (cmocka, the test servers, a test CA)
  clang llvm                              # libFuzzer targets
  valgrind                                # memcheck over the CLI
  libxml2-utils python3-jsonschema        # schema checks of the JUnit and SARIF output
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
