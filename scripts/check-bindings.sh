#!/usr/bin/env bash
# Fails when ui/src/bindings.ts differs from what the Rust commands generate.
# With --write, regenerates it instead.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if [ "${1:-}" = "--write" ]; then
  export CONFAB_WRITE_BINDINGS=1
fi
cargo test --locked -p confab --test bindings -- --quiet
