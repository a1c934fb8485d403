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
if [ "$(uname -s)" = "Linux" ]; then
  scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x800x24" \
    node --test --test-reporter=spec ui/e2e/desktop/chat.test.mjs
  step "agents: build, try, greet, suggest"
  scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x800x24" \
    node --test --test-reporter=spec ui/e2e/desktop/agents.test.mjs
  step "providers: a key through the keychain"
  scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x800x24" \
    node --test --test-reporter=spec ui/e2e/desktop/providers.test.mjs
  step "second instance hands over to the first"
  scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x800x24" \
    scripts/check-single-instance.sh target/debug/confab
else
  node --test --test-reporter=spec ui/e2e/desktop/chat.test.mjs
  node --test --test-reporter=spec ui/e2e/desktop/agents.test.mjs
  node --test --test-reporter=spec ui/e2e/desktop/providers.test.mjs
fi
