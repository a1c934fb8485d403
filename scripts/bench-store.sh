#!/usr/bin/env bash
# Storage benchmark on a seeded database: BENCH_DB (default target/bench-seed.db) is made
# first when it is missing, with BENCH_MESSAGES messages (default 1,000,000: about 17
# minutes and 1.7 GB) in 10,000 conversations.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${BENCH_DB:-target/bench-seed.db}"
if [[ ! -f "$db" ]]; then
  cargo run --locked --release -p confab-tools --bin seed -- \
    --path "$db" --messages "${BENCH_MESSAGES:-1000000}" --conversations 10000
fi
cargo run --locked --release -p confab-tools --bin store-bench -- --path "$db" "$@"
