#!/usr/bin/env bash
# The updater end to end (Linux): builds version N and N+1 as .deb packages (debug, same
# code, the version and the updater's public key set with --config), signs them with a
# throwaway key made here, installs N with dpkg, and runs ui/e2e/desktop/updater.test.mjs:
# the installed app updates itself to N+1 from a server on 127.0.0.1 (and first refuses a
# package whose signature does not match). The package is removed at the end.
# Needs root or passwordless sudo (it installs a package); skipped otherwise. The plugin
# installs a .deb through pkexec or sudo even as root, so sudo is installed when missing.
# Reuses target/ (only the shell crate is built again) and ui/dist when it exists; leaves
# target/debug/confab as version N+1 with the throwaway key (the next build replaces it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [ "$(uname -s)" != "Linux" ]; then
  echo "Skipping the updater end-to-end test: it installs a .deb (Linux only)."
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then as_root=(sudo); else
    echo "Skipping the updater end-to-end test: it needs root or passwordless sudo."
    exit 0
  fi
fi
command -v sudo >/dev/null || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o 'DPkg::Post-Invoke::=' install -y -qq \
    --no-install-recommends sudo >/dev/null
}
ensure_tauri_driver

# Only one package install at a time on this machine, never over someone's installation.
exec 9>/tmp/confab-package-check.lock
flock -w 900 9 || { echo "another package check holds the lock" >&2; exit 1; }
if dpkg-query -W -f='${Status}' confab 2>/dev/null | grep -q "ok installed"; then
  echo "confab is already installed here; remove it first (dpkg -r confab)" >&2
  exit 1
fi

work=$(mktemp -d)
trap '"${as_root[@]}" dpkg -r confab >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

old=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
new="${old%.*}.$((${old##*.} + 1))"

step "a throwaway signing key"
npx tauri signer generate --ci -p "" -w "$work/key" >/dev/null
pubkey=$(cat "$work/key.pub")

[ -f ui/dist/index.html ] || npm run build:ui
build() {
  step "build $1 (.deb, debug, signed with the throwaway key)"
  TAURI_SIGNING_PRIVATE_KEY="$work/key" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="" \
    npx tauri build --debug --bundles deb --config \
    "{\"version\":\"$1\",\"build\":{\"beforeBuildCommand\":null},\"plugins\":{\"updater\":{\"pubkey\":\"$pubkey\"}}}"
  mv "target/debug/bundle/deb/Confab_$1_amd64.deb" "target/debug/bundle/deb/Confab_$1_amd64.deb.sig" "$work/"
}
build "$old"
build "$new"

step "install $old"
"${as_root[@]}" dpkg -i "$work/Confab_${old}_amd64.deb" >/dev/null

step "updater: a bad signature refused, then $old → $new in the real window"
mkdir -p target/e2e
CONFAB_UPDATER_DIR="$work" CONFAB_UPDATER_OLD="$old" CONFAB_UPDATER_NEW="$new" \
  scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x800x24" \
  timeout --kill-after=30 600 \
  node --test --test-timeout=300000 --test-reporter=spec ui/e2e/desktop/updater.test.mjs
