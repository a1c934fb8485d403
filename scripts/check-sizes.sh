#!/usr/bin/env bash
# Fails when a product source file is over 400 lines: a file that long holds more than one
# idea and should be split along a real seam. Tests and generated files are not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=400
too_long=$(
  {
    find core/src src-tauri/src migrations/src tools/src -name '*.rs'
    find ui/src \( -name '*.ts' -o -name '*.tsx' \) \
      -not -path '*/__tests__/*' -not -name '*.test.*' -not -name 'bindings.ts'
  } | while read -r file; do
    lines=$(wc -l <"$file")
    if [ "$lines" -gt "$limit" ]; then echo "  $file: $lines lines"; fi
  done
)
if [ -n "$too_long" ]; then
  echo "Product files over $limit lines:"
  echo "$too_long"
  exit 1
fi
echo "No product file is over $limit lines."
