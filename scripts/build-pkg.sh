#!/usr/bin/env bash
# Builds the npm package in pkg/: wasm-pack (ES module, usable from bundlers
# and plain <script type="module">), then wasm-opt -Oz.
#
# With --bench, builds the benchmark variant instead (the same module plus
# `benchEngine`) into $TIME_CRUNCH_CACHE/bench-pkg, for tests/consumer/speed.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

features=wasm
out=pkg
if [ "${1:-}" = --bench ]; then
  features=bench
  out="$TIME_CRUNCH_CACHE/bench-pkg"
fi

say "building the WebAssembly package ($out)"
with_wasm_env wasm-pack --log-level warn build --mode force --target web --release --out-dir "$(realpath -m "$out")" -- --features "$features"
say "optimizing $out/time_crunch_bg.wasm with wasm-opt -Oz"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$out/time_crunch_bg.wasm" -o "$out/time_crunch_bg.wasm.opt"
mv "$out/time_crunch_bg.wasm.opt" "$out/time_crunch_bg.wasm"
if [ "$out" = pkg ]; then
  # The package's own README (wasm-pack copied the repository's), listed in
  # `files` beside what wasm-pack lists there.
  cp src/bindings/README.md pkg/README.md
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
    if (!pkg.files.includes("README.md")) pkg.files.push("README.md");
    fs.writeFileSync("pkg/package.json", JSON.stringify(pkg, null, 2) + "\n");
  '
fi
