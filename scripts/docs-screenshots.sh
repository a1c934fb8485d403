#!/usr/bin/env bash
# Screenshots for the user guide, from the real app (debug build) under Xvfb, in English
# and Simplified Chinese: docs/images/<lang>-*.png.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_tauri_driver
step "build the app (debug, UI embedded)"
npx tauri build --debug --no-bundle
step "screenshots for docs/"
scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/desktop/docs-shots.mjs
