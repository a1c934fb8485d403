#!/usr/bin/env bash
# Runs the client scenarios of the MCP conformance suite (@modelcontextprotocol/conformance,
# pinned in package.json) that apply to Confab against its own MCP client
# (tools/src/bin/mcp-conformance-client.rs). One line per scenario; exits non-zero when one
# fails, or when the suite lists a client scenario this script does not know yet.
# Which scenarios do not apply, and why: README, "MCP conformance".
set -euo pipefail
source "$(dirname "$0")/lib.sh"

suite=node_modules/@modelcontextprotocol/conformance/dist/index.js
applicable=(initialize tools_call sse-retry)
# Scenarios that test what Confab does not offer (see the README).
not_applicable=(elicitation-sep1034-client-defaults)
not_applicable_prefix="auth/"

[ -f "$suite" ] || { echo "the conformance suite is not installed: run npm ci" >&2; exit 2; }
cargo build --quiet --locked -p confab-tools --bin mcp-conformance-client
client="$repo_root/target/debug/mcp-conformance-client"
logs="$repo_root/target/mcp-conformance"
mkdir -p "$logs"

failed=0
known=" ${applicable[*]} ${not_applicable[*]} "
listed=$(node "$suite" list --client 2>/dev/null | sed -n 's/^ *- //p')
[ -n "$listed" ] || { echo "the suite listed no client scenario" >&2; exit 2; }
for scenario in $listed; do
  if [[ "$scenario" != "$not_applicable_prefix"* && "$known" != *" $scenario "* ]]; then
    echo "NEW   $scenario: a client scenario this script does not know; decide whether it applies"
    failed=1
  fi
done

for scenario in "${applicable[@]}"; do
  log="$logs/${scenario//\//_}.log"
  if node "$suite" client --command "$client" --scenario "$scenario" --timeout 30000 >"$log" 2>&1; then
    echo "pass  $scenario"
  else
    echo "FAIL  $scenario (log: ${log#"$repo_root"/})"
    tail -n 30 "$log" | sed 's/^/      /'
    failed=1
  fi
done
for scenario in "${not_applicable[@]}" "${not_applicable_prefix}*"; do
  echo "skip  $scenario (does not apply: see the README)"
done
exit "$failed"
