#!/usr/bin/env bash
# The rollout plan's checkpoint reports from Prometheus (examples/checkpoint):
#
#   scripts/checkpoint.sh --prometheus URL --start TIME (--hour N | --day | --final) [--json] [--job JOB]
#
# Builds the tool (a no-op once built) and runs it. Exit status: 0 Green or
# Yellow / verdict: GO, 1 Red / verdict: NO-GO, 2 when no report can be made
# (a sentence on stderr says why; a failed build says so too).
# The dev profile: the tool's time is Prometheus' queries (a report takes
# well under a second), and the test command's native build already holds it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
cargo build --quiet --manifest-path "$root/Cargo.toml" -p time-crunch-checkpoint --bin checkpoint \
  || { printf 'checkpoint: the tool did not build (above)\n' >&2; exit 2; }
exec "$CARGO_TARGET_DIR/debug/checkpoint" "$@"
