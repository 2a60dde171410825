#!/usr/bin/env bash
# valgrind memcheck over the CLI: the bundled Contoso example and a matrix of
# bad input. Every run must show zero memcheck errors and zero definitely or
# indirectly lost bytes (valgrind exits 99 otherwise) and end with the exit
# code SPEC 7 documents: 0 success/allowed, 1 denied or a failed case,
# 2 invalid input or usage, 3 runtime failure (I/O).
#
#   valgrind_cli.sh TENANTISO SOURCE_DIR     (CTest: hardening.valgrind_cli)
#
# Exits 77 (skipped) when valgrind is not installed. Never run it on a
# sanitizer build: valgrind and ASan do not mix (CMake registers it only
# when TENANTISO_SANITIZE is empty). Every run passes --domains, so nothing
# reaches the network, and the TENANTISO_* credentials are cleared.
set -uo pipefail
cli=${1:?usage: valgrind_cli.sh TENANTISO SOURCE_DIR}
src=${2:?usage: valgrind_cli.sh TENANTISO SOURCE_DIR}
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: skipped"
  exit 77
fi
unset TENANTISO_ACCESS_TOKEN TENANTISO_TENANT_ID TENANTISO_CLIENT_ID TENANTISO_CLIENT_SECRET

ex=$src/examples/contoso
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
maps="--domains $ex/domains.json"
C=c0a7b3e1-5d4f-4e2a-9b1c-000000c07050
F=fab41ca0-7e3d-4c1b-8a2f-0000000fab41

# Bad inputs, made here so each says what it is.
printf '{"properties": {"tenantId": "%s", "isDisabled": false,' "$C" >"$tmp/truncated.json"
printf '{"tenantId": "%s", "isDisabled": false, "allowedTenants": [}' "$C" >"$tmp/malformed.json"
: >"$tmp/empty.json"
printf '{"tenantId": "%s", "allowedTenants": "all"}' "$C" >"$tmp/wrong-type.json"
printf '{"tenantId": "{%s}"}' "$C" >"$tmp/braced-guid.json"
printf '{"tenantId": "00000000-0000-0000-0000-000000000000"}' >"$tmp/nil-guid.json"
printf '{"tenantId": "%s", "allowedTenants": [{"domain": "../etc/passwd", "direction": {}}]}' "$C" >"$tmp/bad-domain.json"
printf '{"tenantId": "%s", "allowedTenants": [{"domain": "nobody.example", "direction": {}}]}' "$C" >"$tmp/unknown-domain.json"
printf '{"tenantId": "%s", "x": %s1%s}' "$C" "$(printf '[%.0s' $(seq 100))" "$(printf ']%.0s' $(seq 100))" >"$tmp/deep.json"
printf '{"tenantId": "\xff\xfe"}' >"$tmp/bad-utf8.json"
printf '{"contoso.com": "not-a-guid"}' >"$tmp/bad-map.json"
printf '{"creator": "contoso.com", "target": "%s"}\nnot json\n{"creator": "bad domain", "target": "x"}\n\x00\n{"creator": "%s"}' "$F" "$C" >"$tmp/bad-batch.jsonl"
printf '{"cases": [{"policy": "nope.json"}]}' >"$tmp/bad-cases.json"

runs=0 failures=0
# check NAME WANT_EXIT ARGS...: one run under memcheck.
check() {
  local name=$1 want=$2 rc
  shift 2
  runs=$((runs + 1))
  valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --log-file="$tmp/vg.log" "$cli" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  if [ "$rc" -eq "$want" ] && [ ! -s "$tmp/vg.log" ]; then
    echo "ok    $name (exit $rc)"
    return
  fi
  failures=$((failures + 1))
  echo "FAIL  $name: exit $rc, expected $want: $cli $*"
  sed 's/^/      /' "$tmp/vg.log" "$tmp/err" | head -n 40
}

# The bundled example, as its README runs it.
check "check" 0 check "$ex/policy.json" $maps
check "check --json" 0 check "$ex/policy.json" $maps --json
check "eval allowed" 0 eval "$ex/policy.json" $maps --creator contoso.com --target fabrikam.com
check "eval denied" 1 eval "$ex/policy.json" $maps --creator contoso.com --target tailspintoys.com --json
check "eval policy set (Fabrikam blocks)" 1 eval "$ex/policy.json" "$ex/fabrikam-policy.json" $maps --creator contoso.com --target fabrikam.com --json
check "eval --batch" 0 eval "$ex/policy.json" $maps --batch "$ex/requests.jsonl"
check "eval --batch set" 0 eval "$ex/policy.json" "$ex/fabrikam-policy.json" $maps --batch "$ex/requests.jsonl"
check "eval --batch stdin" 0 eval "$ex/policy.json" $maps --batch - <"$ex/requests.jsonl"
check "test" 0 test "$ex/cases.json"
check "resolve" 0 resolve contoso.com "$C" $maps --json
if "$cli" report --help >/dev/null 2>&1 && [ -f "$ex/connections-report.json" ]; then
  check "report json" 0 report "$ex/policy.json" "$ex/connections-report.json" $maps --format json
  check "report html" 0 report "$ex/policy.json" "$ex/connections-report.json" $maps --format html --output "$tmp/r.html"
  check "report csv" 0 report "$ex/policy.json" "$ex/connections-report.json" $maps --format csv
  check "report --fail-on-blocked" 1 report "$ex/policy.json" "$ex/connections-report.json" $maps --fail-on-blocked
  check "suggest" 0 suggest "$ex/connections-report.json" $maps
  check "diff" 0 diff "$ex/fabrikam-policy.json" "$ex/policy.json" "$ex/connections-report.json" $maps --json
  check "report bad input" 2 report "$ex/policy.json" "$tmp/malformed.json" $maps
fi

# Bad input: each must fail cleanly.
for bad in truncated malformed empty wrong-type braced-guid nil-guid bad-domain unknown-domain deep bad-utf8; do
  check "check $bad" 2 check "$tmp/$bad.json" $maps
done
check "check a missing file" 3 check "$tmp/missing.json" $maps
check "check a directory" 3 check "$tmp" $maps
check "check /dev/null" 2 check /dev/null $maps
check "eval bad creator GUID" 2 eval "$ex/policy.json" $maps --creator "{$C}" --target "$F"
check "eval nil GUID" 2 eval "$ex/policy.json" $maps --creator 00000000-0000-0000-0000-000000000000 --target "$F"
check "eval bad domain" 2 eval "$ex/policy.json" $maps --creator 'contoso.com/x?y' --target "$F" --json
check "eval unknown domain" 2 eval "$ex/policy.json" $maps --creator nobody.example --target "$F"
check "eval bad direction" 2 eval "$ex/policy.json" $maps --creator "$C" --target "$F" --direction sideways
check "eval --batch bad lines" 0 eval "$ex/policy.json" $maps --batch "$tmp/bad-batch.jsonl"
check "eval --batch missing" 3 eval "$ex/policy.json" $maps --batch "$tmp/missing.jsonl"
check "bad domain map" 2 check "$ex/policy.json" --domains "$tmp/bad-map.json"
check "missing domain map" 3 check "$ex/policy.json" --domains "$tmp/missing.json"
check "test bad cases" 2 test "$tmp/bad-cases.json"
check "resolve bad names" 2 resolve '../x' "{$C}" '' $maps
check "unknown flag" 2 check "$ex/policy.json" $maps --frobnicate
check "unknown command" 2 frobnicate
check "no command" 2
check "--version" 0 --version

echo "$runs runs under memcheck, $failures failed"
[ "$failures" -eq 0 ]
