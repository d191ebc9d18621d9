#!/usr/bin/env bash
# The rollout tools against a fresh release server twin on loopback:
# examples/verify (every check, admin token included) must pass, then a
# short examples/soak at a fixed rate must end in `verdict: GO`.
#
# Run with: bash tests/rollout.sh TARGET_DIR/release/examples [SOAK_DURATION]
# (scripts/test.sh does, after building server, verify and soak in release).
set -euo pipefail
examples="$1"
duration="${2:-25s}"
data="$(mktemp -d -t tc-rollout-XXXXXX)"
token="rollout-test-token-$RANDOM"
# Port 0 for both listeners: the server writes the ports it got to the ready
# file (all at once, by rename) once both are bound; a port picked here and
# handed over could be taken by someone else in between.
# Every soak call comes from 127.0.0.1, so the per-client telemetry limit is off here.
TIME_CRUNCH_ADMIN_TOKEN="$token" TIME_CRUNCH_TELEMETRY_RATE=0 RUST_LOG=warn \
  "$examples/server" --addr 127.0.0.1:0 --metrics-addr 127.0.0.1:0 --ready-file "$data/ready.json" \
  --data-dir "$data" --static-dir "$data" --pkg-dir "$data" >"$data/server.log" 2>&1 &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 300); do  # 30 s at most
  [ -f "$data/ready.json" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$data/server.log" >&2; echo "the server exited at start" >&2; exit 1; }
  sleep 0.1
done
[ -f "$data/ready.json" ] || { cat "$data/server.log" >&2; echo "the server wrote no ready file within 30 s" >&2; exit 1; }
ready() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$data/ready.json" "$1"; }
url="http://$(ready addr)"
metrics="http://$(ready metricsAddr)/metrics"
TIME_CRUNCH_ADMIN_TOKEN="$token" "$examples/verify" --url "$url" --metrics-url "$metrics"

status=0
"$examples/soak" --url "$url" --metrics-url "$metrics" --duration "$duration" --concurrency 8 --rate 400 \
  | tee "$data/soak.txt" || status=$?
grep -qx "verdict: GO" "$data/soak.txt" || { echo "the soak did not end in verdict: GO (exit status $status)" >&2; exit 1; }
[ "$status" = 0 ] || { echo "the soak printed GO but exited with $status" >&2; exit 1; }
