#!/usr/bin/env bash
# Fuzzes the engine with cargo-fuzz (libFuzzer):
#   scripts/fuzz.sh [--fresh] [SECONDS_PER_TARGET] [TARGET...]
# Targets (fuzz/fuzz_targets/): request_json, preview_json, engine, import;
# default all of them, 60 s each. The corpus grows from run to run in
# $TIME_CRUNCH_CACHE/fuzz/corpus/<target>, seeded from tests/fixtures (import:
# from the real Strong and Hevy exports in tests/data/exports, each cut
# to its first 16 KiB so the fuzzer mutates headers and rows, not megabytes);
# --fresh starts from the seeds in a temporary corpus instead (the test
# command's short pass: libFuzzer replays a whole corpus before it looks at
# the clock, so a grown corpus would stretch a short run). A crash or a
# failed check stops the run with its input in
# $TIME_CRUNCH_CACHE/fuzz/artifacts/<target>/: once fixed, copy the input
# into fuzz/regressions/<target>/, where `cargo test` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
fresh=""
if [ "${1:-}" = --fresh ]; then
  fresh="$(mktemp -d -t tc-fuzz-XXXXXX)"
  trap 'rm -rf "$fresh"' EXIT
  shift
fi
seconds="${1:-60}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(request_json preview_json engine import)
command -v cargo-fuzz >/dev/null || die "cargo-fuzz is missing (scripts/setup.sh installs it)"

# Its own build cache: instrumented builds would otherwise evict the tests'.
export CARGO_TARGET_DIR="$TIME_CRUNCH_CACHE/target-fuzz"
# The coverage instrumentation libFuzzer needs works with the stable
# compiler; the address sanitizer would need nightly, and the engine has no
# unsafe code to check, so: --sanitizer none.
# The default build: optimized, with debug assertions and overflow checks.
fuzz=(--sanitizer none)
(cd fuzz && cargo fuzz build "${fuzz[@]}" >/dev/null 2>"$TIME_CRUNCH_CACHE/fuzz-build.log") \
  || { cat "$TIME_CRUNCH_CACHE/fuzz-build.log" >&2; die "building the fuzz targets failed"; }
for target in "${targets[@]}"; do
  corpus="${fresh:-$TIME_CRUNCH_CACHE/fuzz/corpus}/$target"
  artifacts="$TIME_CRUNCH_CACHE/fuzz/artifacts/$target"
  log="$TIME_CRUNCH_CACHE/fuzz/$target.log"
  mkdir -p "$corpus" "$artifacts"
  seeds=(../tests/fixtures)
  limits=()
  # The engine target decodes bytes into a plan; JSON means nothing to it.
  [ "$target" = engine ] && seeds=()
  if [ "$target" = import ]; then
    # libFuzzer reads seed folders recursively and cuts each file to -max_len.
    seeds=(../tests/data/exports)
    limits=(-max_len=16384)
  fi
  [ -d "fuzz/regressions/$target" ] && seeds+=("regressions/$target")
  # -timeout: an input running over 10 s counts as a hang (a failure).
  if ! (cd fuzz && cargo fuzz run "${fuzz[@]}" "$target" "$corpus" "${seeds[@]}" -- \
      -max_total_time="$seconds" -timeout=10 -artifact_prefix="$artifacts/" -print_final_stats=1 "${limits[@]}") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "fuzz target $target failed: the input is in $artifacts/ (log: $log)"
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  echo "fuzz $target: ${runs:-?} inputs in $seconds s, no failure; corpus $(find "$corpus" -type f | wc -l) inputs"
done
