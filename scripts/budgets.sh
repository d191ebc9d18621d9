#!/usr/bin/env bash
# Prints the shipped package's size figures against the budget of issue #4
# (the .wasm at most 40 KB gzipped after wasm-opt -Oz). A report while that
# issue is open (the module is over budget, see BENCHMARKS.md): set
# BUDGETS_ENFORCE=1 to fail when over budget.
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=pkg/time_crunch_bg.wasm
[ -f "$wasm" ] || { echo "no $wasm: run scripts/build-pkg.sh first" >&2; exit 1; }
raw=$(wc -c < "$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
js=$(gzip -9c pkg/time_crunch.js | wc -c)
budget=$((40 * 1024))
printf 'budget: time_crunch_bg.wasm %d bytes, %d bytes gzipped (budget %d)\n' "$raw" "$gz" "$budget"
printf 'budget: time_crunch.js glue %d bytes gzipped\n' "$js"
if [ "$gz" -gt "$budget" ]; then
  echo "budget: OVER by $((gz - budget)) bytes gzipped"
  [ "${BUDGETS_ENFORCE:-0}" = 1 ] && exit 1
fi
exit 0
