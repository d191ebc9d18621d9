#!/usr/bin/env bash
# Load figures of the server twin on loopback (BENCHMARKS.md): preview
# throughput and latency at 64 connections, then telemetry ingestion with
# durability on, in batches of 50, then OFREP's bulk evaluation (200 and
# 304). Each run is bounded to 15 s.
# Needs wrk (Debian package `wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
cargo build --quiet --release -p time-crunch-server
data=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$data"' EXIT
TIME_CRUNCH_TELEMETRY_RATE=0 RUST_LOG=warn "$CARGO_TARGET_DIR/release/server" --addr 127.0.0.1:18080 \
  --metrics-addr 127.0.0.1:19464 --data-dir "$data" --static-dir "$data" --pkg-dir "$data" &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done
say "preview, 64 connections, 15 s"
REQUEST=tests/fixtures/supersets-pull-day.request.json wrk -t2 -c64 -d15s --latency -s benches/load/preview.lua \
  http://127.0.0.1:18080/v1/time-crunch/preview
say "telemetry, batches of 50 events, 64 connections, 15 s (each batch committed to SQLite before the 202)"
wrk -t2 -c64 -d15s --latency -s benches/load/telemetry.lua http://127.0.0.1:18080/v1/telemetry
say "OFREP bulk evaluation (a web provider's poll), 64 connections, 15 s: a new answer (200), then the same tag (304)"
wrk -t2 -c64 -d15s --latency -s benches/load/ofrep.lua http://127.0.0.1:18080/ofrep/v1/evaluate/flags
etag=$(curl -s -D - -o /dev/null -H 'content-type: application/json' -d '{"context":{"targetingKey":"load-user-1"}}' \
  http://127.0.0.1:18080/ofrep/v1/evaluate/flags | tr -d '\r' | sed -n 's/^etag: //Ip')
ETAG=$etag wrk -t2 -c64 -d15s --latency -s benches/load/ofrep.lua http://127.0.0.1:18080/ofrep/v1/evaluate/flags
curl -s http://127.0.0.1:19464/metrics | grep -E '^time_crunch_telemetry_events_total|^time_crunch_http_requests_total.*/ofrep/|^process_resident_memory_bytes'
