#!/usr/bin/env bash
# The shipped package's size against its gate: the .wasm, after wasm-opt -Oz,
# may not exceed 90 KB gzipped (gzip -9). Over the gate the test command
# fails; the figures are printed either way (BENCHMARKS.md records them).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=pkg/time_crunch_bg.wasm
[ -f "$wasm" ] || { echo "no $wasm: run scripts/build-pkg.sh first" >&2; exit 1; }
raw=$(wc -c < "$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
js=$(gzip -9c pkg/time_crunch.js | wc -c)
gate=$((90 * 1024))
printf 'size: time_crunch_bg.wasm %d bytes, %d bytes gzipped (%.1f KB; gate %d KB)\n' "$raw" "$gz" "$(awk -v b="$gz" 'BEGIN { print b / 1024 }')" $((gate / 1024))
printf 'size: time_crunch.js glue %d bytes gzipped\n' "$js"
if [ "$gz" -gt "$gate" ]; then
  echo "size: OVER the gate by $((gz - gate)) bytes gzipped" >&2
  exit 1
fi
