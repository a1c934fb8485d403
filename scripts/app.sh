#!/usr/bin/env bash
# Installs what is missing, then runs Confab in development mode (hot-reloading UI).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_system_packages
ensure_node_modules
exec npx tauri dev "$@"
