#!/bin/sh
# go.binding: installs the build into a temporary prefix (cmake --install),
# points pkg-config and the loader at it, and runs `go test` (the README's
# example is Example in example_test.go) and one short pass of the
# benchmarks. No network: no external modules, GOPROXY=off.
# Usage: go_test.sh BUILD_DIR SCRATCH_DIR
set -eu
build=$1 scratch=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v go >/dev/null || { echo "go_test: no go on PATH: run .ci/install-deps.sh (Debian golang-go)" >&2; exit 1; }
rm -rf "$scratch/prefix" && mkdir -p "$scratch"
cmake --install "$build" --prefix "$scratch/prefix" >"$scratch/install.log"
pc=$(find "$scratch/prefix" -path '*/pkgconfig/tenantiso.pc' | head -n 1)
export PKG_CONFIG_PATH="$(dirname "$pc")"
export LD_LIBRARY_PATH="$(dirname "$(dirname "$pc")")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS= CGO_ENABLED=1
export GOCACHE="$scratch/gocache" GOPATH="$scratch/gopath"
cd "$here"
go vet ./...
go test -count=1 -v ./...
go test -count=1 -run '^$' -bench . -benchtime 5x ./...
