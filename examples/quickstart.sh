#!/usr/bin/env bash
# Quick start: installs what is missing, builds libtenantiso and its CLI, and
# runs them on the bundled Contoso example: validates the policy, decides every
# connection request in examples/contoso/requests.jsonl, and reports what
# switching isolation on would break in Contoso's cross-tenant connection
# report (examples/contoso/connections-report.json), with the allowlist
# entries that would keep it working.
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/install-deps.sh
echo "== building (cmake --preset default)"
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)" --target tenantiso_cli >/dev/null

tenantiso=build/default/src/cli/tenantiso
ex=examples/contoso

out=build/default/quickstart
mkdir -p "$out"

echo
echo "== $tenantiso check $ex/policy.json --domains $ex/domains.json"
"$tenantiso" check "$ex/policy.json" --domains "$ex/domains.json" >"$out/policy.normalized.json"
echo "valid; the normalized policy is in $out/policy.normalized.json"

echo
echo "== $tenantiso eval $ex/policy.json --domains $ex/domains.json --batch $ex/requests.jsonl"
"$tenantiso" eval "$ex/policy.json" --domains "$ex/domains.json" --batch "$ex/requests.jsonl" |
  python3 "$ex/show_decisions.py" "$ex/requests.jsonl"

echo
echo "== one decision as JSON: $tenantiso eval $ex/policy.json --domains $ex/domains.json --creator contoso.com --target tailspintoys.com --json"
"$tenantiso" eval "$ex/policy.json" --domains "$ex/domains.json" \
  --creator contoso.com --target tailspintoys.com --json || true

echo
echo "== $tenantiso report $ex/policy.json $ex/connections-report.json --domains $ex/domains.json"
"$tenantiso" report "$ex/policy.json" "$ex/connections-report.json" --domains "$ex/domains.json"
"$tenantiso" report "$ex/policy.json" "$ex/connections-report.json" --domains "$ex/domains.json" \
  --format html --output "$out/report.html"
echo
echo "The same report as a web page: $out/report.html"
