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
  python3-pip python3-setuptools python3-wheel python3-venv  # pip install of examples/python
  golang-go                               # the Go binding (examples/go)
)

# The Node.js binding's one npm package (koffi, no native build step), into
# examples/node/node_modules: fetched here, never when the tests run.
install_node_modules() {
  [ -d "$(dirname "$0")/../examples/node/node_modules/koffi" ] && return 0
  (cd "$(dirname "$0")/../examples/node" && npm ci --no-audit --no-fund --silent)
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The Node.js binding (examples/node): Debian's nodejs and npm, unless a
# node and npm are there already (some nodejs packages bring their own npm).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then install_node_modules; exit; fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_node_modules
