#!/usr/bin/env bash
# Builds the npm package in pkg/: wasm-pack (ES module, usable from bundlers
# and plain <script type="module">), then wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

say "building the WebAssembly package (pkg/)"
with_wasm_env wasm-pack --quiet build --mode force --target web --release --out-dir pkg -- --features wasm
say "optimizing pkg/time_crunch_bg.wasm with wasm-opt -Oz"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  pkg/time_crunch_bg.wasm -o pkg/time_crunch_bg.wasm.opt
mv pkg/time_crunch_bg.wasm.opt pkg/time_crunch_bg.wasm
cp README.md pkg/README.md
