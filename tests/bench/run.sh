#!/usr/bin/env bash
# The SPEC 9 performance table, with the floor and Cedar measured in the same
# run. Builds the project in Release (build/bench), the floor
# (../shared/peers/limit/limit.c, gcc -O2 -march=native) and the Cedar peer
# (npm install in a copy of ../shared/peers/cedar), runs each RUNS times,
# interleaved so a slow spell of the host hits all three, and prints one
# markdown table of medians. Raw outputs go to build/bench/results/.
#
#   tests/bench/run.sh              everything (about 6 minutes on 2 cores)
#   RUNS=1 tests/bench/run.sh       one run of each
#   QUICK=1 tests/bench/run.sh      skip Cedar per-rule at 10,000 rules
#   SKIP_CEDAR=1 tests/bench/run.sh no Node.js needed; Cedar columns say n/a
#   BUILD_DIR=... tests/bench/run.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
shared="$repo/../shared"
build=${BUILD_DIR:-$repo/build/bench}
results="$build/results"
runs=${RUNS:-3}
quick=${QUICK:-0}
skip_cedar=${SKIP_CEDAR:-0}

note() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

[ -f "$shared/peers/limit/limit.c" ] && [ -d "$shared/peers/cedar" ] && [ -d "$shared/peers/common" ] ||
  die "the shared peers are missing: expected $shared/peers/{limit/limit.c,cedar,common} beside the checkout"
if [ "$skip_cedar" != 1 ]; then
  command -v node >/dev/null && command -v npm >/dev/null ||
    die "Node.js and npm are needed for the Cedar peer (or set SKIP_CEDAR=1)"
fi
command -v python3 >/dev/null || die "python3 is needed to summarize the results"

mkdir -p "$results"
rm -f "$results"/*.txt "$results"/*.jsonl "$results"/*.md

# ---- the machine, and how busy it is (other work on it skews every figure)
machine() {
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cores: $(nproc) ($(lscpu | sed -n 's/^Thread(s) per core: *//p') thread(s) per core)"
  echo "caches: $(lscpu | sed -n 's/^L[23] cache: *//p' | paste -sd, -)"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "kernel: $(uname -sr)"
  echo "compiler: $(${CC:-cc} --version | head -1)"
  echo "node: $( [ "$skip_cedar" = 1 ] && echo "not used" || node --version)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
machine > "$results/machine.txt"

# ---- libtenantiso, Release
note "building libtenantiso (Release) in $build"
graph=ON
[ -d "$repo/src/graph" ] || graph=OFF
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTENANTISO_BUILD_BENCH=ON \
  -DTENANTISO_WITH_GRAPH=$graph >"$results/cmake.log" 2>&1 || die "configure failed: see $results/cmake.log"
cmake --build "$build" --target tenantiso_bench -j "$(nproc)" >>"$results/cmake.log" 2>&1 ||
  die "build failed: see $results/cmake.log"
bench="$build/tests/bench/tenantiso_bench"

# ---- the floor
note "building the floor (limit.c)"
gcc -O2 -march=native -o "$build/limit" "$shared/peers/limit/limit.c"

# ---- the Cedar peer, in a copy (the shared tree stays untouched)
peers="$build/peers"
if [ "$skip_cedar" != 1 ]; then
  note "installing the Cedar peer (npm, pinned by its package-lock)"
  mkdir -p "$peers"
  rm -rf "$peers/common"
  cp -r "$shared/peers/common" "$peers/"
  mkdir -p "$peers/cedar"
  cp "$shared/peers/cedar/"*.js "$shared/peers/cedar/package.json" "$shared/peers/cedar/package-lock.json" "$peers/cedar/"
  chmod -R u+w "$peers"
  (cd "$peers/cedar" && npm ci --no-audit --no-fund >"$results/npm.log" 2>&1) ||
    die "npm ci failed: see $results/npm.log"
fi

# Cedar sizes as the peers' README: "rules:requests:reps".
cedar_groups="10:20000:5 100:20000:5 1000:20000:5 10000:20000:5 100000:20000:5"
cedar_perrule="10:20000:5 1000:1000:5 10000:100:3"
[ "$quick" = 1 ] && cedar_perrule="10:20000:5 1000:1000:5"

run_cedar() {
  local run=$1 enc sizes s n rest m reps
  for enc in groups per-rule; do
    if [ "$enc" = groups ]; then sizes=$cedar_groups; else sizes=$cedar_perrule; fi
    for s in $sizes; do
      n=${s%%:*}; rest=${s#*:}; m=${rest%%:*}; reps=${rest#*:}
      note "run $run: Cedar $enc, $n rules"
      node "$peers/cedar/cedar_peer.js" bench --rules "$n" --requests "$m" --reps "$reps" --encoding "$enc" --json |
        sed "s/^{/{\"run\":$run,/" >>"$results/cedar.jsonl"
    done
  done
}

for i in $(seq "$runs"); do
  note "run $i: floor"
  "$build/limit" >"$results/limit_$i.txt"
  note "run $i: tenantiso_bench"
  "$bench" --kv >"$results/bench_$i.txt" 2>"$results/bench_$i.log" || die "tenantiso_bench failed: see $results/bench_$i.log"
  [ "$skip_cedar" = 1 ] || run_cedar "$i"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/machine.txt"

python3 "$repo/tests/bench/summarize.py" "$results" | tee "$results/summary.md"
