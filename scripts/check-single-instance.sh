#!/usr/bin/env bash
# A second launch of the app hands over to the running one and exits (0, within seconds),
# leaving the first running. Run inside scripts/with-keychain.sh (a D-Bus session, which the
# single-instance lock uses on Linux) and a display (xvfb-run).
#   scripts/check-single-instance.sh target/debug/confab
set -euo pipefail
app=${1:?usage: $0 path/to/confab}
data=$(mktemp -d)
export CONFAB_DB="$data/confab.db"
unset CONFAB_API_KEY
"$app" >"$data/first.log" 2>&1 &
first=$!
trap 'kill "$first" 2>/dev/null || true; wait "$first" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do
  [ -f "$CONFAB_DB" ] && break
  kill -0 "$first" 2>/dev/null || { cat "$data/first.log" >&2; echo "the first instance exited" >&2; exit 1; }
  sleep 0.5
done
sleep 2
status=0
timeout 20 "$app" >"$data/second.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$data/second.log" >&2
  echo "the second instance did not hand over and exit (status $status)" >&2
  exit 1
fi
kill -0 "$first" 2>/dev/null || { echo "the first instance did not survive the second launch" >&2; exit 1; }
echo "single instance: the second launch exited and the first is still running"
