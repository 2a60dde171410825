#!/bin/sh
# Installs the build into a temporary prefix, then builds and runs
# consumer/ against the installed copy: with pkg-config (MODE pkg-config) or
# with find_package(tenantiso) (MODE cmake). Both modes check the installed
# files, the SONAME and that only tiso_* symbols are exported.
# Usage: run-install-test.sh MODE BUILD_DIR CONSUMER_DIR C_COMPILER [SANITIZE]
set -eu
mode=$1 build=$2 consumer=$3 cc=$4 sanitize=${5:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tiso-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail() { echo "install test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log" >&2; fail "cmake --install failed"; }

pc=$(find "$prefix" -path '*/pkgconfig/tenantiso.pc' | head -n 1)
[ -n "$pc" ] || fail "no tenantiso.pc under $prefix"
libdir=$(dirname "$(dirname "$pc")")
[ -f "$prefix/include/tenantiso.h" ] || fail "tenantiso.h not installed"
[ -f "$prefix/include/tenantiso/policy.h" ] || fail "tenantiso/policy.h not installed"
[ -f "$libdir/cmake/tenantiso/tenantisoConfig.cmake" ] || fail "no CMake package config in $libdir/cmake/tenantiso"

# The shared library: a SONAME with the ABI version, and nothing but tiso_* exported.
lib=$(find "$libdir" -maxdepth 1 -name 'libtenantiso.so.*.*' | head -n 1)
[ -n "$lib" ] || fail "no versioned libtenantiso.so.* in $libdir"
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
case $soname in libtenantiso.so.[0-9]*) ;; *) fail "bad SONAME '$soname'" ;; esac
[ -e "$libdir/$soname" ] || fail "no $soname link in $libdir"
[ -e "$libdir/libtenantiso.so" ] || fail "no libtenantiso.so development link"
# The CLI, run from the prefix against the installed library.
[ -x "$prefix/bin/tenantiso" ] || fail "the tenantiso CLI is not installed in $prefix/bin"
version=$(LD_LIBRARY_PATH="$libdir" "$prefix/bin/tenantiso" --version) || fail "the installed CLI does not run"
case $version in "tenantiso "[0-9]*) ;; *) fail "the installed CLI says '$version' to --version" ;; esac

leaked=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | grep -v '^tiso_' | grep -v '^TENANTISO_' || true)
[ -z "$leaked" ] || fail "symbols exported beside tiso_*: $(echo $leaked | head -c 300)"

san=""
[ -z "$sanitize" ] || san="-fsanitize=$sanitize"

if [ "$mode" = pkg-config ]; then
  export PKG_CONFIG_PATH="$(dirname "$pc")"
  flags=$(pkg-config --cflags --libs tenantiso) || fail "pkg-config cannot use tenantiso.pc"
  # shellcheck disable=SC2086
  "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror $san "$consumer/main.c" $flags -o "$tmp/consumer-pc" \
    || fail "building with pkg-config flags '$flags' failed"
  LD_LIBRARY_PATH="$libdir" "$tmp/consumer-pc" || fail "the pkg-config build decided wrongly"
  echo "install test: the pkg-config consumer decides correctly"
  exit 0
fi

# find_package(tenantiso) -> tenantiso::tenantiso
[ "$mode" = cmake ] || fail "unknown mode '$mode'"
cmake -S "$consumer" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$san" >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log" >&2; fail "find_package(tenantiso) failed"; }
cmake --build "$tmp/cmake-build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; fail "building against tenantiso::tenantiso failed"; }
"$tmp/cmake-build/consumer" || fail "the find_package build decided wrongly"

echo "install test: the find_package consumer decides correctly"
