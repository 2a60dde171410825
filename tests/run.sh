#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, then builds
# and tests the project three ways -- a normal build, AddressSanitizer +
# UndefinedBehaviorSanitizer, and ThreadSanitizer over the concurrency tests --
# plus a core-only build without the Graph client, then a short run of every
# fuzz target. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

.ci/install-deps.sh || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
passed=0 failed=0 status=0

# Runs one configure/build/test preset and adds its counts to the totals.
run_preset() {
  local preset=$1
  echo "=== $preset: configure and build ==="
  if ! cmake --preset "$preset" >/dev/null || ! cmake --build --preset "$preset" -j "$jobs"; then
    echo "=== $preset: BUILD FAILED ==="
    failed=$((failed + 1)); status=1; return
  fi
  echo "=== $preset: test ==="
  local log; log=$(mktemp)
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  local line; line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    local total fail
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
    fail=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
    passed=$((passed + total - fail)); failed=$((failed + fail))
  elif grep -q 'No tests were found' "$log"; then
    echo "=== $preset: no tests ran ==="; status=1; failed=$((failed + 1))
  fi
  rm -f "$log"
}

for preset in default asan tsan core; do
  run_preset "$preset"
done

# A short run of every libFuzzer target (tests/fuzz/run.sh; longer runs: see
# tests/fuzz/README.md), counted as one test.
echo "=== fuzz: every target for ${TENANTISO_FUZZ_SECONDS:-20} s ==="
if tests/fuzz/run.sh "${TENANTISO_FUZZ_SECONDS:-20}"; then
  passed=$((passed + 1))
else
  echo "=== fuzz: FAILED ==="
  failed=$((failed + 1)); status=1
fi

echo
echo "all presets: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
exit $status
