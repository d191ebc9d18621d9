#!/usr/bin/env python3
"""Load figures of the server twin on PostgreSQL (BENCHMARKS.md, issue 18).

A throwaway cluster (tests/pg_cluster.py; fsync and synchronous_commit on,
as PostgreSQL ships), release server twins on loopback, wrk as the load
(Debian package `wrk`), each run bounded to DURATION seconds:

1. previews with one instance, 64 connections;
2. previews with two instances on the same database, 32 connections each
   (two wrk processes at once; the figure is their sum);
3. telemetry into PostgreSQL with one instance, batches of 50 distinct
   events, 64 connections: each batch committed before its 202; the events
   per second are counted in the database afterwards.

Run with: python3 benches/postgres.py PATH/TO/server [DURATION_SECONDS]
(build it with cargo build --release -p time-crunch-server)
"""
import os
import re
import subprocess
import sys
import tempfile
import threading

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))
from pg_cluster import Cluster  # noqa: E402
from twin import Twin  # noqa: E402

REQUEST = os.path.join(REPO, "tests/fixtures/supersets-pull-day.request.json")


def wrk(url, path, script, connections, duration, results, key):
    """Runs wrk (bounded by -d) and keeps its requests/s, p99 and errors."""
    env = dict(os.environ, REQUEST=REQUEST)
    out = subprocess.run(["wrk", "-t1" if connections <= 32 else "-t2", f"-c{connections}", f"-d{duration}s",
                          "--latency", "-s", os.path.join(REPO, "benches/load", script), url.rstrip("/") + path],
                         capture_output=True, text=True, env=env, timeout=duration + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def percentile(n):
        found = re.search(rf"\b{n}%\s+([\d.]+)(us|ms|s)\b", out)
        return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    results[key] = (rate, percentile(99), int(errors.group(1)) if errors else 0, percentile(50))


def twin(binary, pg):
    env = {"TIME_CRUNCH_DATABASE_URL": pg.url("bench"), "TIME_CRUNCH_TELEMETRY_RATE": "0", "RUST_LOG": "warn"}
    return Twin(binary, tempfile.mkdtemp(prefix="tc-bench-"), env=env)


def main():
    binary = sys.argv[1]
    duration = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    assert 1 <= duration <= 60, "DURATION_SECONDS between 1 and 60"
    results = {}
    with Cluster() as pg:
        pg.create_database("bench")
        with twin(binary, pg) as a, twin(binary, pg) as b:
            wrk(a.url, "/v1/time-crunch/preview", "preview.lua", 64, duration, results, "one")
            runs = [threading.Thread(target=wrk, args=(t.url, "/v1/time-crunch/preview", "preview.lua", 32, duration,
                                                       results, f"two-{n}")) for n, t in enumerate((a, b))]
            for run in runs:
                run.start()
            for run in runs:
                run.join()
            wrk(a.url, "/v1/telemetry", "telemetry.lua", 64, duration, results, "telemetry")
        stored = int(pg.sql("SELECT count(*) FROM telemetry_events", "bench"))
    one, two_a, two_b, telemetry = results["one"], results["two-0"], results["two-1"], results["telemetry"]
    print(f"previews, one instance, 64 connections: {one[0]:,.0f} req/s, p50 {one[3]:.1f} ms, p99 {one[1]:.1f} ms, {one[2]} non-2xx")
    print(f"previews, two instances, 32 connections each: {two_a[0] + two_b[0]:,.0f} req/s "
          f"({two_a[0]:,.0f} + {two_b[0]:,.0f}), p99 {two_a[1]:.1f} / {two_b[1]:.1f} ms, {two_a[2] + two_b[2]} non-2xx")
    print(f"telemetry into PostgreSQL, one instance, batches of 50, 64 connections: {telemetry[0]:,.0f} batches/s "
          f"= {telemetry[0] * 50:,.0f} events/s acknowledged, p50 {telemetry[3]:.1f} ms, p99 {telemetry[1]:.1f} ms, {telemetry[2]} non-2xx; "
          f"{stored:,} events stored = {stored / duration:,.0f} events/s")


if __name__ == "__main__":
    main()
