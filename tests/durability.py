#!/usr/bin/env python3
"""Durability of telemetry ingestion with the real server process.

Posts batches of 50 events from 4 clients, kills the server with SIGKILL in
the middle, restarts it on the same data directory and checks that every
event it acknowledged (202) is stored, and stored once; then that a retried
batch is not stored twice and that SIGTERM shuts the server down cleanly.

Run with: python3 tests/durability.py PATH/TO/server   (scripts/test.sh does)
"""
import http.client
import json
import sys
import tempfile
import threading
import time

from twin import Twin

TOKEN = "durability-test-token"


def server_twin(binary, data_dir):
    # All clients share 127.0.0.1, so the per-client telemetry limit is off here.
    return Twin(binary, data_dir,
                env={"TIME_CRUNCH_ADMIN_TOKEN": TOKEN, "TIME_CRUNCH_TELEMETRY_RATE": "0", "RUST_LOG": "warn"})


# Every event is stamped with the same time, so a batch made again is a true
# retry (same ids, same content), not other events under the same ids.
STARTED_MS = int(time.time() * 1000)


def batch(prefix, n):
    now = STARTED_MS
    return [{"id": f"{prefix}-{i}", "type": "preview_generated", "at": now, "sessionId": prefix,
             "strategy": "supersets", "targetMinutes": 30, "fits": True, "generationMs": 0.05} for i in range(n)]


def post(conn, events):
    conn.request("POST", "/v1/telemetry", body=json.dumps({"events": events}),
                 headers={"content-type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    return response.status, body


def main():
    binary = sys.argv[1]
    data_dir = tempfile.mkdtemp(prefix="tc-durability-")
    server = server_twin(binary, data_dir).start()
    port = server.port
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()

    def client(name):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        n = 0
        while not stop.is_set() and n < 10_000:
            events = batch(f"{name}-{n}", 50)
            n += 1
            try:
                status, body = post(conn, events)
            except OSError:
                return  # the server is gone
            if status == 202 and json.loads(body)["accepted"] == 50:
                with lock:
                    acknowledged.extend(e["id"] for e in events)

    clients = [threading.Thread(target=client, args=(f"c{i}",)) for i in range(4)]
    for c in clients:
        c.start()
    time.sleep(1.5)
    server.kill()
    stop.set()
    for c in clients:
        c.join()

    # The same data directory; the restarted server may listen on other ports.
    server.start()
    port = server.port
    stored = server.exported_ids(TOKEN)
    missing = set(acknowledged) - set(stored)
    duplicates = len(stored) - len(set(stored))
    results = []
    results.append(("every acknowledged event survived kill -9", not missing and len(acknowledged) > 0,
                    f"{len(acknowledged)} acknowledged, {len(stored)} stored, {len(missing)} missing"))
    results.append(("no event stored twice", duplicates == 0, f"{duplicates} duplicates"))

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    retry = batch("c0-0", 50)  # the first batch of client 0, sent again
    status, _ = post(conn, retry)
    after = server.exported_ids(TOKEN)
    results.append(("a retried batch is acknowledged and stored once", status == 202 and len(after) == len(stored),
                    f"status {status}, {len(after)} stored"))

    conn = http.client.HTTPConnection("127.0.0.1", server.metrics_port, timeout=5)
    conn.request("GET", "/metrics")
    metrics = conn.getresponse().read().decode()
    accepted = [line for line in metrics.splitlines() if line.startswith('time_crunch_telemetry_events_total{outcome="duplicate"}')]
    results.append(("metrics served on their own address", "process_resident_memory_bytes" in metrics and accepted == ['time_crunch_telemetry_events_total{outcome="duplicate"} 50'],
                    f"duplicate counter: {accepted}"))

    code = server.stop(timeout=10)  # None: still running after 10 s (then killed)
    server.close()
    results.append(("SIGTERM shuts down cleanly", code == 0, f"exit status {code}"))

    failed = 0
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name} ({detail})")
        failed += 0 if ok else 1
    print(f"durability: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
