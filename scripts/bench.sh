#!/usr/bin/env bash
# Benchmarks: the streaming engine (release build) against aimock on 127.0.0.1, then the
# UI rendering a 10,000-message conversation in Chromium, then the binary and package sizes
# against a bare Tauri window (scripts/bench-size.sh) and the check of the packages it built
# (scripts/package-check.sh: install, launch, uninstall), then the storage queries on a
# seeded 1M-message database (scripts/bench-store.sh; seeding it the first time is slow).
# Figures are printed; BENCHMARKS.md records a run and how it was made.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_system_packages
ensure_node_modules
scripts/with-keychain.sh cargo bench --locked -p confab-core --bench stream
npm run --silent bench:ui
bash scripts/bench-size.sh
bash scripts/package-check.sh --reuse
bash scripts/bench-store.sh
