#!/usr/bin/env bash
# Builds the npm package in pkg/: wasm-pack (ES modules, usable from bundlers
# and plain <script type="module">), then wasm-opt -Oz: the preview module
# (time-crunch) and the training-log module (time-crunch/history); then the
# modal component (time-crunch/modal, TypeScript in src/bindings/modal/,
# declared by tsc and bundled by esbuild into pkg/modal/).
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

# build_module FEATURES OUT_DIR OUT_NAME: one WebAssembly module of the crate.
build_module() {
  local features=$1 dir=$2 name=$3
  say "building the WebAssembly module $name ($dir, features $features)"
  # opt-level "s" for the modules only (the native programs keep 3), and
  # wasm-opt until it converges: the preview module stays under its gate
  # (figures and the speed cost of each level in BENCHMARKS.md).
  CARGO_PROFILE_RELEASE_OPT_LEVEL=s with_wasm_env wasm-pack --log-level warn build --mode force --target web --release \
    --out-dir "$(realpath -m "$dir")" --out-name "$name" -- --features "$features"
  say "optimizing $dir/${name}_bg.wasm with wasm-opt -Oz"
  wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$dir/${name}_bg.wasm" -o "$dir/${name}_bg.wasm.opt"
  mv "$dir/${name}_bg.wasm.opt" "$dir/${name}_bg.wasm"
}

build_module "$features" "$out" time_crunch
if [ "$out" = pkg ]; then
  # The training-log module, a second module of the same crate loaded only
  # on the training-log path (pkg/history/, imported as time-crunch/history).
  history_build="$TIME_CRUNCH_CACHE/history-pkg"
  build_module wasm-history "$history_build" time_crunch_history
  rm -rf pkg/history
  mkdir -p pkg/history
  cp "$history_build"/time_crunch_history{.js,_bg.wasm,.d.ts} pkg/history/
  say "building the modal component (pkg/modal/: tsc declarations, esbuild bundle)"
  node src/bindings/modal/build.mjs pkg/modal
  # The package's own README (wasm-pack copied the repository's), and the
  # entry points: the preview module, the training-log module and the modal.
  cp src/bindings/README.md pkg/README.md
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
    for (const file of ["README.md", "history/", "modal/"]) if (!pkg.files.includes(file)) pkg.files.push(file);
    // Importing time-crunch/modal defines the element: a side effect that
    // bundlers must keep (wasm-pack marks the rest of the package pure).
    const effects = Array.isArray(pkg.sideEffects) ? pkg.sideEffects : [];
    if (!effects.includes("./modal/modal.js")) pkg.sideEffects = [...effects, "./modal/modal.js"];
    pkg.exports = {
      ".": { types: "./time_crunch.d.ts", default: "./time_crunch.js" },
      "./history": { types: "./history/time_crunch_history.d.ts", default: "./history/time_crunch_history.js" },
      "./modal": { types: "./modal/modal.d.ts", default: "./modal/modal.js" },
      "./time_crunch_bg.wasm": "./time_crunch_bg.wasm",
      "./history/time_crunch_history_bg.wasm": "./history/time_crunch_history_bg.wasm",
      "./package.json": "./package.json",
    };
    fs.writeFileSync("pkg/package.json", JSON.stringify(pkg, null, 2) + "\n");
  '
fi
