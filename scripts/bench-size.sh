#!/usr/bin/env bash
# Size benchmark: builds Confab's release .deb and a bare Tauri window's (tools/bare-window)
# in the same run, with the same toolchain and release profile, then prints the binary and
# .deb sizes of both and their ratios, and writes them to BENCHMARKS.md.
#   scripts/bench-size.sh            build both, then measure
#   scripts/bench-size.sh --reuse    measure the bundles already built
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bare_dir="$repo_root/tools/bare-window"
bare_target="$repo_root/target/bare-window"

profile() { sed -n '/^\[profile\.release\]/,/^\[/p' "$1" | grep -v '^\[' | grep -v '^#' | grep .; }
[ "$(profile Cargo.toml)" = "$(profile "$bare_dir/Cargo.toml")" ] ||
  { echo "tools/bare-window/Cargo.toml's [profile.release] differs from Cargo.toml's" >&2; exit 1; }

if [ "${1:-}" != "--reuse" ]; then
  ensure_system_packages
  ensure_node_modules
  step "Confab: release build and .deb, .rpm"
  # --no-sign: the updater signature needs the release key, which a check does not have.
  npx tauri build --bundles deb,rpm --no-sign
  step "bare window: release build and .deb"
  if [ ! -d "$bare_target/release" ] && [ -d target/release/deps ]; then
    # A first build starts from a copy of the app's: the crates both use (Tauri, GTK,
    # WebKitGTK bindings) are then reused, not compiled again.
    mkdir -p "$bare_target/release"
    cp -r target/release/deps target/release/build target/release/.fingerprint "$bare_target/release/"
  fi
  (cd "$bare_dir" && CARGO_TARGET_DIR="$bare_target" "$repo_root/node_modules/.bin/tauri" build --bundles deb -- --locked)
fi

app_bin=target/release/confab
app_deb=$(ls -t target/release/bundle/deb/*.deb | head -n 1)
bare_bin="$bare_target/release/bare-window"
bare_deb=$(ls -t "$bare_target"/release/bundle/deb/*.deb | head -n 1)

size() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { # name, confab bytes, bare bytes
  printf '| %s | %s (%s B) | %s (%s B) | **%s×** |\n' "$1" "$(mib "$2")" "$2" "$(mib "$3")" "$3" "$(ratio "$2" "$3")"
}

table=$(
  echo "| file | Confab | bare Tauri window | ratio |"
  echo "| --- | ---: | ---: | ---: |"
  row "binary (stripped)" "$(size "$app_bin")" "$(size "$bare_bin")"
  row ".deb" "$(size "$app_deb")" "$(size "$bare_deb")"
)
about="$(date -u +%Y-%m-%d), $(rustc -V | cut -d' ' -f1-2), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo ' + local changes')"
echo
echo "$table"
echo "($about)"

# The section between the markers in BENCHMARKS.md is replaced; the text around it stays.
begin='<!-- bench-size:begin -->'
end='<!-- bench-size:end -->'
block=$(printf '%s\n%s\n\n%s\n%s' "$begin" "Last run: $about." "$table" "$end")
if grep -q "$begin" BENCHMARKS.md; then
  BLOCK="$block" perl -0pi -e 's/<!-- bench-size:begin -->.*?<!-- bench-size:end -->/$ENV{BLOCK}/s' BENCHMARKS.md
else
  printf '\n## Binary and package size (`npm run bench:size`)\n\n%s\n' "$block" >>BENCHMARKS.md
fi
echo "written to BENCHMARKS.md"
