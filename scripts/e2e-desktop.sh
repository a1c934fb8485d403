#!/usr/bin/env bash
# The desktop end-to-end test: builds the app (debug, UI embedded), then drives the real
# window through tauri-driver + WebKitWebDriver under Xvfb, with a private keychain and
# aimock as the provider. Screenshots go to target/e2e/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

case "$(uname -s)" in
  Darwin)
    echo "Skipping the desktop end-to-end test: macOS has no WebDriver for its webview."
    exit 0 ;;
  MINGW*|MSYS*|CYGWIN*)
    command -v msedgedriver >/dev/null || {
      echo "The desktop end-to-end test needs msedgedriver (matching your Edge version) on PATH." >&2
      exit 1; } ;;
esac
ensure_tauri_driver

step "build the app (debug, UI embedded)"
npx tauri build --debug --no-bundle

step "desktop end-to-end test"
mkdir -p target/e2e
# Each run has a time limit: a WebDriver that hangs ends the run (and, through timeout's
# process group, everything it started) instead of the whole test command.
run() {
  if [ "$(uname -s)" = "Linux" ]; then
    scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x800x24" \
      timeout --kill-after=30 900 "$@"
  else
    "$@"
  fi
}
e2e() { run node --test --test-timeout=300000 --test-reporter=spec "ui/e2e/desktop/$1.test.mjs"; }

e2e chat
step "versions and branches, a reasoning reply"
e2e versions
step "attachments: an image and a PDF through the file dialog"
e2e attachments
step "agents: build, try, greet, suggest"
e2e agents
step "tools: an MCP server's tool allowed in its card"
e2e tools
step "knowledge: a folder indexed, a question answered with its cited source"
e2e knowledge
step "providers: a key through the keychain"
e2e providers
step "links stay out of the window; Confab's context menu"
e2e navigation
step "keyboard scrolling in a long conversation"
e2e transcript-keys
if [ "$(uname -s)" = "Linux" ]; then
  step "second instance hands over to the first"
  run scripts/check-single-instance.sh target/debug/confab
  # Last: it builds target/debug/confab again, as two signed .deb versions.
  step "updater: an installed .deb updates itself, and refuses a bad signature"
  bash scripts/e2e-updater.sh
fi
