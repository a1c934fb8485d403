#!/usr/bin/env bash
# Runs a command with a private, unlocked OS keychain (gnome-keyring's Secret Service on a
# private D-Bus session), so keychain code works on a headless Linux machine or CI.
# Nothing touches the user's real keychain: HOME and XDG_RUNTIME_DIR are temporary.
#   scripts/with-keychain.sh cargo test --workspace
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 command [args...]" >&2; exit 2; }

# macOS and Windows have their keychain in every session already.
[ "$(uname -s)" = "Linux" ] || exec "$@"

if [ -z "${CONFAB_KEYCHAIN_SESSION:-}" ]; then
  export CONFAB_KEYCHAIN_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

keyring_home=$(mktemp -d)
runtime_dir=$(mktemp -d)
chmod 700 "$runtime_dir"
cleanup() { kill "${GNOME_KEYRING_PID:-}" 2>/dev/null || true; rm -rf "$keyring_home" "$runtime_dir"; }
trap cleanup EXIT
# The keyring lives under HOME; keep the caller's cargo/rustup/npm by exporting their homes.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export npm_config_cache="${npm_config_cache:-$HOME/.npm}"
export HOME="$keyring_home" XDG_RUNTIME_DIR="$runtime_dir"
# A non-empty password: an empty one makes the daemon try to open a prompt window.
eval "$(printf 'confab-test' | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL GNOME_KEYRING_PID
"$@"
