#!/usr/bin/env bash
# Builds every libFuzzer target of the project with clang in build/fuzz and
# runs each for SECONDS (default 20), two at a time. Fails on any crash,
# leak, timeout, out-of-memory or invariant failure (each target aborts when
# one of its invariants does not hold).
#
#   tests/fuzz/run.sh [SECONDS]          the CI step: 14 targets x 20 s, two at a time, about 3 minutes
#   FUZZ_JOBS=2 tests/fuzz/run.sh 3600   the long run: an hour per target
#   FUZZ_ONLY="policy_load batch" tests/fuzz/run.sh 600   some targets only
#   FUZZ_WERROR=OFF tests/fuzz/run.sh    fuzz even while clang warns somewhere
#   FUZZ_BUILD_DIR=build/fuzz2 ...       build (and keep corpora) elsewhere, e.g. for a second run beside the first
#
# Targets: every fuzz_* program the build defines (tests/fuzz, and the Graph
# parsers' and report readers' own targets in tests/graph and tests/report).
# The whole build is instrumented for coverage (-fsanitize=fuzzer-no-link),
# so every target sees inside the library. Each target starts from its
# committed seeds and keeps what it finds in build/fuzz/corpus/NAME, so
# later runs go on from there. A crashing input is saved in
# build/fuzz/artifacts/; replay it with build/fuzz/.../fuzz_NAME FILE.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
secs=${1:-20}
jobs=${FUZZ_JOBS:-2}
build=$(realpath -m "${FUZZ_BUILD_DIR:-$root/build/fuzz}")
work=$build/corpus
artifacts=$build/artifacts

if ! command -v clang >/dev/null; then
  echo "fuzz: clang is needed (libFuzzer)" >&2
  exit 1
fi

cov="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
echo "=== fuzz: configure and build in $build ==="
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTENANTISO_BUILD_FUZZ=ON -DTENANTISO_WERROR="${FUZZ_WERROR:-ON}" -DTENANTISO_BUILD_BENCH=OFF \
  -DCMAKE_C_FLAGS="$cov" >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
targets=$(cmake --build "$build" --target help | grep -oE '\bfuzz_[a-z0-9_]+' | grep -v '_replay$' | sort -u)
[ -n "${FUZZ_ONLY:-}" ] && targets=$(for t in $FUZZ_ONLY; do echo "fuzz_$t"; done)
if [ -z "$targets" ]; then
  echo "fuzz: the build defines no fuzz targets" >&2
  exit 1
fi
# shellcheck disable=SC2086
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target $targets || exit 1

# The committed seeds of a target, and the longest input it is given.
seeds_of() {
  case $1 in
    fuzz_graph_*) echo "$root/tests/graph/fuzz_corpus/${1#fuzz_graph_}" ;;
    fuzz_report_input) echo "$root/tests/report/fuzz_corpus" ;;
    fuzz_tenant_id_*) echo "$root/tests/fuzz/corpus/tenant_id" ;; # the parser's other paths, same inputs
    *) echo "$root/tests/fuzz/corpus/${1#fuzz_}" ;;
  esac
}
max_len_of() {
  case $1 in
    fuzz_tenant_id) echo 128 ;;
    fuzz_domain) echo 512 ;;
    fuzz_batch) echo 70000 ;; # past the CLI's 64 KiB line limit
    fuzz_graph_* | fuzz_report_input) echo 65536 ;;
    *) echo 16384 ;;
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p "$work" "$artifacts"

# Runs one target; its log ends with libFuzzer's final statistics.
run_one() {
  local t=$1 bin seeds
  bin=$(find "$build" -type f -name "$t" -perm -u+x | head -n 1)
  seeds=$(seeds_of "$t")
  mkdir -p "$work/${t#fuzz_}"
  [ -d "$seeds" ] || seeds=
  (cd "$build" && "$bin" "$work/${t#fuzz_}" $seeds -dict="$root/tests/fuzz/json.dict" \
    -max_total_time="$secs" -max_len="$(max_len_of "$t")" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$t-") >"$build/$t.log" 2>&1
}

# "fuzz_x: 123456 runs, cov 321 ft 987, ok" from a log.
summary() {
  local t=$1 rc=$2 log=$build/$1.log runs last
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+')
  printf '%-20s %10s runs  %-22s %s\n' "$t" "${runs:-?}" "${last:-cov: ? ft: ?}" \
    "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc, see $log)")"
}

echo "=== fuzz: $(echo $targets | wc -w) targets, ${secs}s each, $jobs at a time ==="
status=0
set -- $targets
while [ $# -gt 0 ]; do
  batch=() pids=()
  for _ in $(seq "$jobs"); do
    [ $# -gt 0 ] || break
    batch+=("$1"); run_one "$1" & pids+=($!); shift
  done
  for i in "${!batch[@]}"; do
    wait "${pids[$i]}"; rc=$?
    summary "${batch[$i]}" "$rc"
    if [ "$rc" -ne 0 ]; then
      status=1
      grep -E 'ERROR:|invariant failed|SUMMARY:' -A3 "$build/${batch[$i]}.log" | head -n 20
    fi
  done
done
[ $status -eq 0 ] && echo "=== fuzz: no findings ===" || echo "=== fuzz: FINDINGS (inputs in $artifacts) ==="
exit $status
