#!/usr/bin/env bash
# How close estimates come to real sessions, with and without a personal
# pace: scripts/accuracy.sh FOLDER... (every *.csv under them is one lifter's
# Strong or Hevy export). Prints one JSON line per lifter, then the summary
# line. Method: src/history/accuracy.rs; figures: BENCHMARKS.md.
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: scripts/accuracy.sh FOLDER..." >&2
  exit 2
fi
# The folders are the caller's, resolved before moving to the repository.
folders=()
for folder in "$@"; do folders+=("$(realpath -m "$folder")"); done
cd "$(dirname "$0")/.."
source scripts/env.sh
say "building the accuracy tool (release)"
cargo build --quiet --release -p time-crunch-cli --bin accuracy >&2
exec "$CARGO_TARGET_DIR/release/accuracy" "${folders[@]}"
