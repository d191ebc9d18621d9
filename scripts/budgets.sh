#!/usr/bin/env bash
# The shipped package's size against its gates: the preview module's .wasm,
# after wasm-opt -Oz, may not exceed 90 KB gzipped (gzip -9), and the modal
# component's JavaScript (pkg/modal/modal.js, styles included) 12 KB
# gzipped. Over a gate the test command fails; the figures are printed
# either way (BENCHMARKS.md records them), the training-log module's too.
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
# The training-log module is reported, not gated: it loads only when an
# athlete opens the training-log path, never with the preview.
history=pkg/history/time_crunch_history_bg.wasm
[ -f "$history" ] || { echo "no $history: run scripts/build-pkg.sh first" >&2; exit 1; }
printf 'size: training-log module: %d bytes, %d gzipped (loaded only on the training-log path)\n' \
  "$(wc -c < "$history")" "$(gzip -9c "$history" | wc -c)"
modal=pkg/modal/modal.js
[ -f "$modal" ] || { echo "no $modal: run scripts/build-pkg.sh first" >&2; exit 1; }
modal_gz=$(gzip -9c "$modal" | wc -c)
modal_gate=$((12 * 1024))
printf 'size: modal component (time-crunch/modal) %d bytes, %d bytes gzipped (%.1f KB; gate %d KB)\n' \
  "$(wc -c < "$modal")" "$modal_gz" "$(awk -v b="$modal_gz" 'BEGIN { print b / 1024 }')" $((modal_gate / 1024))
if [ "$gz" -gt "$gate" ]; then
  echo "size: OVER the gate by $((gz - gate)) bytes gzipped" >&2
  exit 1
fi
if [ "$modal_gz" -gt "$modal_gate" ]; then
  echo "size: the modal component is OVER its gate by $((modal_gz - modal_gate)) bytes gzipped" >&2
  exit 1
fi
