#!/usr/bin/env bash
# The bindings' rows of SPEC 9, with the C figures beside them, from one run:
# ns per decision against a 10,000-entry policy, one call at a time and
# through the batch call, in C, Python (evaluate_many), Go (EvaluateBatch)
# and Node.js (evaluateMany). Builds the project in Release (build/bench),
# installs it into build/bench/prefix for Go's pkg-config, and prints one
# markdown table: the wall clock, and the process's (C: the thread's) CPU
# time, which shows the cost when other work shares the host. Needs python3, go and node with examples/node/node_modules
# (.ci/install-deps.sh). Target: under 200 ns per decision in batches.
#
#   tests/bench/bindings.sh           BUILD_DIR=... to build elsewhere
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$repo/build/bench}
results="$build/results"
mkdir -p "$results"
note() { echo "[$(date +%H:%M:%S)] $*" >&2; }

note "building libtenantiso (Release) in $build"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTENANTISO_BUILD_BENCH=ON >"$results/bindings-cmake.log" 2>&1
cmake --build "$build" --target tenantiso tenantiso_bench tenantiso_cli -j "$(nproc)" >>"$results/bindings-cmake.log" 2>&1
rm -rf "$build/prefix"
cmake --install "$build" --prefix "$build/prefix" >>"$results/bindings-cmake.log" 2>&1
pc=$(find "$build/prefix" -path '*/pkgconfig/tenantiso.pc' | head -n 1)
libdir=$(dirname "$(dirname "$pc")")
export TENANTISO_LIBRARY="$libdir/libtenantiso.so"

out="$results/bindings.txt"
: >"$out"
bench="$build/tests/bench/tenantiso_bench"
note "C"
"$bench" --size 10000 --only decisions --kv 2>/dev/null |
  awk '$1 == "ids_ns" {w = $3} $1 == "ids_cpu_ns" {c = $3} END {print "c evaluate_ids_one_at_a_time", w, c}' >>"$out"
"$bench" --size 10000 --only batch --kv 2>/dev/null |
  awk '$1 == "batch_ns" {w = $3} $1 == "batch_cpu_ns" {c = $3} END {print "c evaluate_batch", w, c}' >>"$out"
note "Python"
python3 "$repo/tests/bench/bench_python.py" "$repo/examples/python" >>"$out"
note "Go"
(
  cd "$repo/examples/go"
  export PKG_CONFIG_PATH="$(dirname "$pc")" LD_LIBRARY_PATH="$libdir" GOPROXY=off GOTOOLCHAIN=local GOFLAGS=
  export GOCACHE="$build/gocache" GOPATH="$build/gopath"
  go test -run '^$' -bench . -benchtime 20x -count 5 . >"$results/bindings-go.txt"
  python3 - "$results/bindings-go.txt" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"Benchmark(\w+?)(-\d+)?\s", line)
    if m:
        wall = float(re.search(r"([\d.]+) ns/decision", line).group(1))
        cpu = float(re.search(r"([\d.]+) cpu-ns/decision", line).group(1))
        runs.setdefault(m.group(1), []).append((wall, cpu))
names = {"EvaluateRequest": "evaluate_request_one_at_a_time", "EvaluateBatch": "evaluate_batch"}
for name, v in runs.items():
    print("go", names.get(name, name), statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
PY
) >>"$out"
note "Node.js"
(cd "$repo/examples/node" && node bench.js) >>"$out"

python3 - "$out" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
print("| binding | call | ns per decision, wall clock | CPU ns per decision | target (SPEC 9) |")
print("|---|---|---:|---:|---|")
for lang, what, ns, cpu in rows:
    batch = "one_at_a_time" not in what
    target = "< 200 ns" if batch and lang != "c" else "-"
    met = "" if target == "-" else (" (met)" if float(ns) < 200 else " (missed)")
    print(f"| {lang} | {what} | {float(ns):.1f} | {float(cpu):.1f} | {target}{met} |")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
