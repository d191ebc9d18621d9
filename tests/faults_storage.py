#!/usr/bin/env python3
"""Faults of the telemetry store, against the real server twin process.

- bounds: a size cap (--telemetry-max-bytes) prunes the oldest events and
  keeps the database near the cap; events past the retention period
  (TIME_CRUNCH_TELEMETRY_RETENTION_DAYS) are pruned; below the free-space
  floor (--telemetry-min-free-bytes) telemetry answers 503 before writing;
  each pruned event counted in time_crunch_telemetry_pruned_events_total;
- durability: each acknowledged batch is flushed to disk (fdatasync, seen
  with strace) before its 202;
- file size limit: with RLIMIT_FSIZE and SIGXFSZ left at its default (as a
  service manager's LimitFSIZE= leaves it), the server survives the limit,
  answers telemetry 503 and goes on serving previews;
- a database deleted, truncated or corrupted while running makes /readyz
  fail and telemetry and its export answer 503, and the server then refuses
  to start on it (exit 2 with a sentence), as it does on a replaced database
  and on a read-only filesystem;
- an id already stored with other content is rejected (duplicate_id), an
  event with a key given twice is rejected, the contract's largest valid
  batch is accepted, and the database is readable by its owner only.

Run with: python3 tests/faults_storage.py PATH/TO/server   (scripts/test.sh does)
"""
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time

import faults
from checks import check, finish, temp_dir
from faults import TOKEN, events, fixture, post_events
from twin import TwinExited

PREVIEW = "/v1/time-crunch/preview?userKey=u"
DAY_MS = 24 * 3600 * 1000


def server(binary, data_dir=None, args=(), env=None, preexec=None):
    twin = faults.Server(binary, data_dir, preexec)
    twin.extra_args = list(args)
    twin.env.update(env or {})
    return twin


def logging(binary):
    """The binary with its logs (stdout) sent to stderr, where twin.stderr() reads."""
    wrapper = os.path.join(temp_dir(), "logging-server")
    with open(wrapper, "w") as f:
        f.write(f'#!/bin/sh\nexec {binary} "$@" 1>&2\n')
    os.chmod(wrapper, 0o755)
    return wrapper


def try_start(twin):
    """Starts the twin; returns None, or (exit status, stderr) if it exited."""
    try:
        twin.start()
        return None
    except TwinExited as exited:
        return exited.returncode, exited.stderr
    except TimeoutError:
        return "timeout", ""


def answer(twin, method, path, body=None):
    """(status, error code or None); (None, reason) when not answered."""
    try:
        status, data = twin.request(method, path, body, {"content-type": "application/json"}, timeout=10)
    except OSError as e:
        return None, str(e)
    try:
        return status, json.loads(data)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return status, None


def metric(twin, name):
    try:
        _, text = twin.request("GET", "/metrics", port=twin.metrics_port)
    except OSError:
        return None
    for line in text.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def fill(twin, prefix, batches, size=50):
    """Posts batches; returns the ids acknowledged."""
    stored = []
    for n in range(batches):
        batch = events(f"{prefix}{n}", size)
        status, body = post_events(twin, batch)
        if status == 202:
            stored.extend(e["id"] for e in batch)
    return stored


def wait_for(predicate, seconds=5):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def refused_start(twin):
    twin.proc = None
    outcome = try_start(twin)
    if outcome is None:
        return None, f"started and listening at {twin.url}"
    return outcome


# --- bounds ------------------------------------------------------------------

def size_cap(binary):
    cap = 2 * 1024 * 1024
    twin = server(binary, args=["--telemetry-max-bytes", str(cap)])
    started = try_start(twin)
    if started is not None:
        check("size cap: the oldest events are pruned beyond --telemetry-max-bytes", False, f"did not start: {started}")
        return
    stored = fill(twin, "cap", 300)
    exported = twin.exported_ids(TOKEN)
    db = sqlite3.connect(f"file:{os.path.join(twin.data_dir, 'telemetry.sqlite3')}?mode=ro", uri=True)
    pages, free, page = (db.execute(f"PRAGMA {p}").fetchone()[0] for p in ["page_count", "freelist_count", "page_size"])
    db.close()
    pruned = metric(twin, 'time_crunch_telemetry_pruned_events_total{reason="size"}')
    kept_newest = bool(exported) and exported[-1] == stored[-1] and stored[0] not in exported
    check("size cap: the oldest events are pruned beyond --telemetry-max-bytes, the file stays near the cap",
          kept_newest and (pages - free) * page <= cap and pages * page <= cap + 512 * 1024
          and pruned == len(stored) - len(exported),
          f"{len(stored)} stored, {len(exported)} kept, pruned metric {pruned}, live {(pages - free) * page} "
          f"and file {pages * page} bytes for a cap of {cap}")
    twin.close()


def retention(binary):
    data = temp_dir()
    twin = server(binary, data, env={"TIME_CRUNCH_TELEMETRY_RETENTION_DAYS": "30"})
    started = try_start(twin)
    if started is not None:
        check("retention: events received over 30 days ago are pruned", False, f"did not start: {started}")
        return
    old, new = fill(twin, "old", 1), fill(twin, "new", 1)
    twin.stop()
    db = sqlite3.connect(os.path.join(data, "telemetry.sqlite3"))
    db.execute("UPDATE events SET received_at = received_at - ? WHERE id LIKE 'old%'", (31 * DAY_MS,))
    db.commit()
    db.close()
    started = try_start(twin)
    pruned = 'time_crunch_telemetry_pruned_events_total{reason="age"}'
    ok = started is None and wait_for(lambda: metric(twin, pruned) == len(old))
    kept = twin.exported_ids(TOKEN) if started is None else []
    check("retention: events received over 30 days ago are pruned (TIME_CRUNCH_TELEMETRY_RETENTION_DAYS), and counted",
          ok and kept == new, f"start {started}, {len(kept)} kept of {len(old) + len(new)}, "
          f"pruned metric {metric(twin, pruned) if started is None else None}")
    twin.close()


def free_space_floor(binary):
    twin = server(binary, args=["--telemetry-min-free-bytes", str(1 << 60)])
    started = try_start(twin)
    if started is not None:
        check("free-space floor: telemetry answers 503 unavailable before writing", False, f"did not start: {started}")
        return
    status, code = answer(twin, "POST", "/v1/telemetry", json.dumps({"events": events("floor", 5)}))
    preview, _ = answer(twin, "POST", PREVIEW, fixture("fits-as-written"))
    ready, _ = answer(twin, "GET", "/readyz")
    check("free-space floor: below --telemetry-min-free-bytes telemetry answers 503 unavailable, nothing stored; "
          "previews and readiness go on", (status, code) == (503, "unavailable") and not twin.exported_ids(TOKEN)
          and preview == 200 and ready == 200, f"telemetry {status} {code}, preview {preview}, readyz {ready}")
    twin.close()


# --- durability --------------------------------------------------------------

def flushed_before_acknowledged(binary):
    if shutil.which("strace") is None:
        check("durability: every acknowledged batch flushed to disk (strace)", False, "strace is not installed")
        return
    twin = server(binary).start()
    trace = os.path.join(temp_dir(), "strace.txt")
    tracer = subprocess.Popen(["strace", "-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", trace,
                               "-p", str(twin.proc.pid)], stderr=subprocess.DEVNULL)
    wait_for(lambda: os.path.exists(trace), 5)
    time.sleep(1)  # attached to every thread
    batches = 30
    fill(twin, "sync", batches, size=5)
    time.sleep(0.5)
    tracer.terminate()
    tracer.wait()
    with open(trace) as f:
        flushes = sum(1 for line in f if "sync(" in line and "= 0" in line)
    check("durability: each acknowledged batch is flushed to disk before its 202 (synchronous=FULL)",
          flushes >= batches, f"{flushes} fsync/fdatasync for {batches} batches posted one after another")
    twin.close()


# --- file size limit ---------------------------------------------------------

def file_size_limit(binary):
    def limited():
        # SIGXFSZ is left at its default (subprocess restores it): it kills
        # a process that does not handle it.
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, resource.RLIM_INFINITY))

    twin = server(binary, preexec=limited).start()
    refusal = None
    for n in range(2000):
        status, code = answer(twin, "POST", "/v1/telemetry", json.dumps({"events": events(f"x{n}", 50)}))
        if status != 202:
            refusal = (status, code)
            break
    preview, _ = answer(twin, "POST", PREVIEW, fixture("fits-as-written"))
    health, _ = answer(twin, "GET", "/healthz")
    alive = twin.proc.poll() is None
    check("file size limit: with SIGXFSZ at its default the server survives the limit, telemetry answers 503 "
          "unavailable, previews go on", alive and refusal == (503, "unavailable") and preview == 200 and health == 200,
          f"after {n} batches: telemetry {refusal}, process {'alive' if alive else f'exited {twin.proc.returncode}'}, "
          f"preview {preview}")
    twin.close()


# --- a database lost or damaged ----------------------------------------------

def database_lost(binary, name, damage, said, filled=300):
    """Damages the running server's database; readiness, telemetry and the
    export must fail with `said` logged, previews go on, and a restart must
    refuse it."""
    twin = server(logging(binary), env={"RUST_LOG": "warn"}).start()
    fill(twin, "lost", filled)
    twin.exported_ids(TOKEN)  # the whole table read once: what is cached is what was read
    damage(os.path.join(twin.data_dir, "telemetry.sqlite3"), twin)
    ready = wait_for(lambda: answer(twin, "GET", "/readyz")[0] == 503, 3)
    ingest = answer(twin, "POST", "/v1/telemetry", json.dumps({"events": events("after", 5)}))
    export = twin.request("GET", "/v1/admin/telemetry?since=0", headers={"authorization": f"Bearer {TOKEN}"})[0]
    preview, _ = answer(twin, "POST", PREVIEW, fixture("fits-as-written"))
    logged = said in twin.stderr()
    check(f"database {name} while running: /readyz 503, telemetry 503 unavailable, export 503, logged; previews go on",
          ready and ingest == (503, "unavailable") and export == 503 and preview == 200 and logged,
          f"readyz 503: {ready}, telemetry {ingest}, export {export}, preview {preview}, logged {logged}")
    twin.kill()
    outcome = refused_start(twin)
    check(f"database {name}: the server then refuses to start on it, exit 2 with a sentence",
          outcome[0] == 2 and "telemetry database" in outcome[1], f"{outcome[0]}: {str(outcome[1])[-200:]}")
    twin.close()


def delete(path, _):
    for suffix in ["", "-wal", "-shm"]:
        os.remove(path + suffix)


def truncate(path, _):
    os.truncate(path, 0)


def corrupt(path, twin):
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        for at in range(4096 * 2, size - 4096, max(4096, size // 64 // 4096 * 4096)):
            f.seek(at)
            f.write(os.urandom(4096))
    # What the server has not cached (the file is larger than its cache) is read from the file.
    twin.request("GET", "/v1/admin/telemetry?since=0", headers={"authorization": f"Bearer {TOKEN}"})


def replaced(binary):
    data, other = temp_dir(), temp_dir()
    for directory in [data, other]:
        twin = server(binary, directory).start()
        fill(twin, "r", 2)
        twin.stop()
        twin.close()
    for suffix in ["", "-wal", "-shm"]:
        if os.path.exists(os.path.join(other, "telemetry.sqlite3" + suffix)):
            shutil.copy(os.path.join(other, "telemetry.sqlite3" + suffix), os.path.join(data, "telemetry.sqlite3" + suffix))
    twin = server(binary, data)
    outcome = refused_start(twin)
    check("database replaced by another between runs: exit 2 with a sentence",
          outcome[0] == 2 and "replaced" in outcome[1], f"{outcome[0]}: {str(outcome[1])[-200:]}")
    twin.close()


def read_only(binary):
    """A real read-only filesystem: the data directory bind-mounted read-only
    in a mount namespace of the server's own (needs root)."""
    data = temp_dir()
    twin = server(binary, data).start()
    fill(twin, "ro", 2)
    twin.kill()  # its WAL and shared-memory files stay, as after a crash
    twin.close()
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if os.geteuid() != 0 or shutil.which("unshare") is None or probe.returncode != 0:
        check("read-only filesystem at start: exit 2 with a sentence", True, "skipped: needs root and unshare")
        return
    wrapper = os.path.join(temp_dir(), "read-only-server")
    with open(wrapper, "w") as f:
        f.write(f"#!/bin/sh\nexec unshare -m --propagation private sh -c "
                f"'mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"' {data} {binary} \"$@\"\n")
    os.chmod(wrapper, 0o755)
    twin = server(wrapper, data)
    outcome = refused_start(twin)
    check("read-only filesystem at start: the server refuses to start, exit 2 with a sentence",
          outcome[0] == 2 and "not writable" in outcome[1], f"{outcome[0]}: {str(outcome[1])[-200:]}")
    twin.close()


# --- contract ----------------------------------------------------------------

def contract(binary):
    data = os.path.join(temp_dir(), "new-data-dir")
    twin = server(binary, data).start()
    first = events("dup", 1)[0]
    other = dict(first, sessionId="another-session")
    _, body = post_events(twin, [first])
    _, body = post_events(twin, [other])
    conflict = json.loads(body)
    _, body = post_events(twin, [first])
    retry = json.loads(body)
    stored = [row for row in twin.exported_ids(TOKEN) if row == first["id"]]
    check("duplicate id: the same id with other content is rejected (duplicate_id), a true retry acknowledged",
          conflict["accepted"] == 0 and [r["reason"].split(":")[0] for r in conflict["rejected"]] == ["duplicate_id"]
          and retry == {"accepted": 1, "rejected": []} and len(stored) == 1, f"other content: {conflict}; retry: {retry}")

    twice = json.dumps(events("twice", 1)[0])[:-1] + ', "id": "twice-other"}'
    status, body = twin.request("POST", "/v1/telemetry", '{"events": [' + twice + "]}",
                                {"content-type": "application/json"})
    rejected = json.loads(body).get("rejected", []) if status == 202 else None
    check("duplicate keys: an event with a key given twice is rejected, not read with the last value",
          status == 202 and json.loads(body)["accepted"] == 0 and rejected and "duplicate" in rejected[0]["reason"],
          f"{status} {body[:160]}")

    def longest(n, char):
        e = dict(events("long", 1)[0])
        s = lambda tag: (f"{tag}{n}-" + char * 200)[:200]
        e.update(id=s("i"), sessionId=s("s"), userKey=s("u"), fallbackReason=s("f"), errorCode=s("e"), flagValue=True)
        return e
    for what, char in [("ASCII", "x"), ("control characters, escaped", "\u0001")]:
        batch = [longest(n, char) for n in range(500)]
        body = json.dumps({"events": batch}, separators=(",", ":"))
        status, answered = twin.request("POST", "/v1/telemetry", body, {"content-type": "application/json"})
        accepted = json.loads(answered).get("accepted") if status == 202 else answered[:80]
        check(f"body limit: the contract's largest batch ({what}, {len(body) // 1024} KB) is accepted",
              status == 202 and accepted == 500, f"{status} {accepted}")
    status, _ = answer(twin, "POST", PREVIEW, b"{" + b" " * (600 * 1024) + b"}")
    check("body limit: the preview keeps its own 512 KB limit", status == 413, f"{status}")

    modes = {name: os.stat(os.path.join(data, name)).st_mode & 0o777
             for name in os.listdir(data) if name.startswith("telemetry")}
    modes["data dir"] = os.stat(data).st_mode & 0o777
    check("files: the database and the data directory are not readable by others",
          all(mode & 0o077 == 0 for mode in modes.values()), ", ".join(f"{k} {v:o}" for k, v in sorted(modes.items())))
    twin.close()


def main():
    binary = sys.argv[1]
    contract(binary)
    size_cap(binary)
    retention(binary)
    free_space_floor(binary)
    flushed_before_acknowledged(binary)
    file_size_limit(binary)
    database_lost(binary, "deleted", delete, "deleted while in use", filled=5)
    database_lost(binary, "truncated", truncate, "truncated while in use")
    database_lost(binary, "corrupted", corrupt, "database is damaged")
    replaced(binary)
    read_only(binary)

    finish("storage faults")


if __name__ == "__main__":
    main()
