#!/usr/bin/env bash
# A rehearsed 48-hour rollout's series as OpenMetrics (examples/checkpoint's
# rehearse), to backfill a Prometheus and run the checkpoints against it:
#
#   scripts/rehearse.sh --scenario healthy|error-burst|slow-responses|success-collapse|traffic-stops|memory-growth \
#       --start TIME [--out FILE] [--job JOB] [--instance ADDR] [--hours 48] [--step 60] [--incident-at MIN]
#   promtool tsdb create-blocks-from openmetrics FILE DATA_DIR
#
# Builds the generator (a no-op once built) and runs it; exit status 2 with a
# sentence on bad options.
# The dev profile: writing 48 hours of series takes well under a second,
# and the test command's native build already holds it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
cargo build --quiet --manifest-path "$root/Cargo.toml" -p time-crunch-checkpoint --bin rehearse \
  || { printf 'rehearse: the generator did not build (above)\n' >&2; exit 2; }
exec "$CARGO_TARGET_DIR/debug/rehearse" "$@"
