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
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port="$(free_port)"
metrics_port="$(free_port)"
data="$(mktemp -d -t tc-rollout-XXXXXX)"
token="rollout-test-token-$RANDOM"
# Every soak call comes from 127.0.0.1, so the per-client telemetry limit is off here.
TIME_CRUNCH_ADMIN_TOKEN="$token" TIME_CRUNCH_TELEMETRY_RATE=0 RUST_LOG=warn \
  "$examples/server" --addr "127.0.0.1:$port" --metrics-addr "127.0.0.1:$metrics_port" \
  --data-dir "$data" --static-dir "$data" --pkg-dir "$data" >"$data/server.log" 2>&1 &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

url="http://127.0.0.1:$port"
metrics="http://127.0.0.1:$metrics_port/metrics"
TIME_CRUNCH_ADMIN_TOKEN="$token" "$examples/verify" --url "$url" --metrics-url "$metrics"

status=0
"$examples/soak" --url "$url" --metrics-url "$metrics" --duration "$duration" --concurrency 8 --rate 400 \
  | tee "$data/soak.txt" || status=$?
grep -qx "verdict: GO" "$data/soak.txt" || { echo "the soak did not end in verdict: GO (exit status $status)" >&2; exit 1; }
[ "$status" = 0 ] || { echo "the soak printed GO but exited with $status" >&2; exit 1; }
