# Shared set-up for the scripts in this folder: installs what is missing, quietly.
# Sourced, not run.

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

TAURI_DRIVER_VERSION=2.1.0

# System packages (Linux only; macOS and Windows: see the README).
ensure_system_packages() {
  if [ "$(uname -s)" = "Linux" ]; then
    bash scripts/install-deps-linux.sh
  fi
}

# node_modules matching package-lock.json.
ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

# tauri-driver, the WebDriver bridge for the desktop end-to-end test.
ensure_tauri_driver() {
  if ! tauri-driver --help >/dev/null 2>&1 && ! "$HOME/.cargo/bin/tauri-driver" --help >/dev/null 2>&1; then
    cargo install "tauri-driver@$TAURI_DRIVER_VERSION" --locked
  fi
  export PATH="$HOME/.cargo/bin:$PATH"
}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
