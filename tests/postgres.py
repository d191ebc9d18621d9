#!/usr/bin/env python3
"""Two server-twin instances on one real PostgreSQL (issue 18).

Starts its own throwaway cluster (tests/pg_cluster.py: initdb in a temporary
directory, a unix socket, run as the unprivileged `postgres` user when
root), then checks against the real server processes:

- the start: a malformed or non-postgres URL, a refused login, a user who
  may not create the schema and a database migrated by a newer release stop it with exit status 2 and a
  sentence naming what failed (never the password); a database that is
  merely down is waited for, not ready (and telemetry 503) until it answers;
- the same event posted to instance A and to instance B is stored once, the
  export of either instance reads every instance's events, another body
  under a stored id is refused (`duplicate_id`), metrics stay per instance;
- a flag change and its rollback through A are in force on B within 1 s;
  the flags file still works under the shared overrides;
- kill -9 of A during a telemetry burst on both: every event acknowledged
  by either instance is stored exactly once;
- PostgreSQL stopped (cleanly, and as a crash) and started while traffic runs: telemetry answers 503
  `unavailable` with nothing acknowledged, previews and the flag keep
  working from the last rules in force (an override included), an admin
  change answers 503, `/readyz` is 503, and both instances recover by
  themselves;
- PostgreSQL frozen (SIGSTOP, connections open but silent): telemetry
  answers 503 within the query bound, previews and the flag at once, and
  both instances recover once it is thawed.

Run with: python3 tests/postgres.py PATH/TO/server   (scripts/test.sh does)
"""
import http.client
import json
import os
import sys
import threading
import time

from checks import check, finish, temp_dir
from pg_cluster import PASSWORD, Cluster
from twin import Twin, TwinExited

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "postgres-test-admin-token"
FLAG = "feature.stream5_time_crunch_mode"  # src/api.rs
PREVIEW = open(os.path.join(REPO, "tests/fixtures/supersets-pull-day.request.json"), "rb").read()
STARTED_MS = int(time.time() * 1000)
SYNC_SECONDS = 1.0  # issue 18: a change through any instance in force on all within 1 s


def request(twin, method, path, body=None, timeout=10):
    """(status, body bytes); (None, reason) when not answered."""
    conn = http.client.HTTPConnection("127.0.0.1", twin.port, timeout=timeout)
    headers = {"authorization": f"Bearer {TOKEN}", "x-user-key": "pg-test-user"}
    if body is not None:
        headers["content-type"] = "application/json"
        body = body if isinstance(body, bytes) else json.dumps(body)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    except OSError as e:
        return None, str(e).encode()
    finally:
        conn.close()


def error_code(body):
    try:
        return json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def events(prefix, n, extra=None):
    return [dict({"id": f"{prefix}-{i}", "type": "preview_generated", "at": STARTED_MS, "sessionId": prefix,
                  "strategy": "supersets", "targetMinutes": 30, "fits": True, "generationMs": 0.05}, **(extra or {}))
            for i in range(n)]


def post(twin, batch, timeout=10):
    status, body = request(twin, "POST", "/v1/telemetry", {"events": batch}, timeout)
    return status, body


def flag_value(twin, user="pg-test-user"):
    status, body = request(twin, "GET", f"/v1/flags/{FLAG}?userKey={user}", timeout=5)
    return json.loads(body)["value"] if status == 200 else None


def accepted_metric(twin):
    conn = http.client.HTTPConnection("127.0.0.1", twin.metrics_port, timeout=5)
    conn.request("GET", "/metrics")
    for line in conn.getresponse().read().decode().splitlines():
        if line.startswith('time_crunch_telemetry_events_total{outcome="accepted"}'):
            return float(line.split()[1])
    return 0.0


def ready(twin, timeout=5):
    return request(twin, "GET", "/readyz", timeout=timeout)[0]


def wait_for(predicate, seconds):
    """Seconds until `predicate()` held (polled every 10 ms), or None."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.01)
    return None


def instance(binary, url, flags=None, extra_env=None):
    env = {"TIME_CRUNCH_ADMIN_TOKEN": TOKEN, "TIME_CRUNCH_TELEMETRY_RATE": "0", "RUST_LOG": "warn",
           "TIME_CRUNCH_DATABASE_URL": url}
    env.update(extra_env or {})
    return Twin(binary, temp_dir("tc-pg-twin-"), flags=flags, env=env)


def refused_start(binary, url, said, name):
    twin = instance(binary, url)
    try:
        twin.start()
        check(name, False, f"started at {twin.url}")
    except TwinExited as exited:
        ok = exited.returncode == 2 and said in exited.stderr and PASSWORD not in exited.stderr
        check(name, ok, f"exit {exited.returncode}: {exited.stderr.strip()[-300:]}")
    finally:
        twin.close()


def start_refusals(binary, pg):
    refused_start(binary, "mysql://user@localhost/db", "must start with postgres://",
                  "a URL that is not postgres:// is exit 2 with a sentence")
    refused_start(binary, f"postgres://timecrunch:{PASSWORD}@localhost:notaport/db", "malformed",
                  "a malformed URL is exit 2 with a sentence, the password not shown")
    refused_start(binary, pg.url("timecrunch", password="wrong-password"), "refused the login",
                  "a refused login (wrong password) is exit 2 naming it")
    refused_start(binary, pg.url("no_such_database"), "refused the login",
                  "an unknown database is exit 2 naming it")
    pg.create_database("locked")
    pg.sql(f"CREATE ROLE visitor LOGIN PASSWORD '{PASSWORD}'")
    refused_start(binary, pg.url("locked", user="visitor"), "cannot create or migrate the schema",
                  "a user without the right to create the schema is exit 2 naming it")
    pg.create_database("newer")
    pg.sql("CREATE TABLE time_crunch_schema (version integer PRIMARY KEY, name text NOT NULL, "
           "applied_at timestamptz NOT NULL DEFAULT now()); "
           "INSERT INTO time_crunch_schema (version, name) VALUES (1, 'v1'), (99, 'from the future')", "newer")
    refused_start(binary, pg.url("newer"), "schema version 99, newer than",
                  "a database of a newer schema version is exit 2 naming the versions")


def shared_events(a, b):
    batch = events("both", 3)
    first, second = post(a, batch), post(b, batch)
    ok = [s for s, _ in (first, second)] == [202, 202] and all(json.loads(body)["accepted"] == 3
                                                               for _, body in (first, second))
    check("the same batch posted to A and to B is acknowledged by both", ok, f"{first} {second}")
    from_a, from_b = a.exported_ids(TOKEN), b.exported_ids(TOKEN)
    stored = [i for i in from_a if i.startswith("both-")]
    check("... and stored once (A's and B's exports read the same events)",
          stored == ["both-0", "both-1", "both-2"] and from_a == from_b, f"{stored}, {len(from_a)} vs {len(from_b)}")
    status, body = post(b, events("both", 1, {"targetMinutes": 45}))
    reasons = [r["reason"] for r in json.loads(body)["rejected"]] if status == 202 else body
    check("another body under an id A stored is refused by B (duplicate_id)",
          status == 202 and json.loads(body)["accepted"] == 0 and str(reasons).startswith("['duplicate_id"),
          f"{status} {reasons}")
    before_a, before_b = accepted_metric(a), accepted_metric(b)
    status, _ = post(a, events("metrics-a", 7))
    after_a, after_b = accepted_metric(a), accepted_metric(b)
    check("metrics stay per instance: A counts the 7 events it stored, B none of them",
          status == 202 and after_a - before_a == 7 and after_b == before_b, f"A {before_a}->{after_a}, B {before_b}->{after_b}")


def flag_changes(a, b, flags_path):
    check("the flag is on from the flags file on both", flag_value(a) is True and flag_value(b) is True)
    status, _ = request(a, "PUT", f"/v1/admin/flags/{FLAG}", {"enabled": False, "rolloutPercent": 100})
    seen = wait_for(lambda: flag_value(b) is False, 5)
    check("a kill switch through A is in force on B within 1 s", status == 200 and seen is not None
          and seen < SYNC_SECONDS, f"PUT {status}, seen after {seen} s")
    status, body = request(b, "POST", f"/v1/time-crunch/preview?userKey=pg-test-user", PREVIEW)
    check("... B's previews answer 404 feature_not_available", status == 404
          and error_code(body) == "feature_not_available", f"{status}")
    status, body = request(b, "GET", f"/v1/admin/flags/{FLAG}")
    check("... B says the rule comes from the admin API", status == 200 and json.loads(body)["source"] == "admin",
          body.decode()[:200])
    status, _ = request(a, "DELETE", f"/v1/admin/flags/{FLAG}")
    seen = wait_for(lambda: flag_value(b) is True, 5)
    check("its rollback (DELETE through A) is in force on B within 1 s", status == 200 and seen is not None
          and seen < SYNC_SECONDS, f"DELETE {status}, seen after {seen} s")
    with open(flags_path, "w") as f:
        json.dump({"flags": {FLAG: {"enabled": False, "rolloutPercent": 100}}}, f)
    seen = wait_for(lambda: flag_value(a) is False and flag_value(b) is False, 5)
    check("the flags file still works: turned off there, off on both within 1 s", seen is not None
          and seen < SYNC_SECONDS, f"{seen} s")
    with open(flags_path, "w") as f:
        json.dump({"flags": {FLAG: {"enabled": True, "rolloutPercent": 100}}}, f)
    wait_for(lambda: flag_value(a) is True and flag_value(b) is True, 5)


class Burst:
    """Clients posting batches of 50 new events in a loop, noting what was acknowledged."""

    def __init__(self, targets, prefix):
        self.acknowledged, self.refused, self.answers = [], [], []
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(t, f"{prefix}{n}")) for n, t in enumerate(targets)]

    def _client(self, twin, name):
        n = 0
        while not self.stop.is_set() and n < 5000:
            batch = events(f"{name}-{n}", 50)
            n += 1
            status, body = post(twin, batch, timeout=15)
            with self.lock:
                if status == 202 and json.loads(body)["accepted"] == 50:
                    self.acknowledged.extend(e["id"] for e in batch)
                elif status is not None:
                    self.refused.append((status, body))
            if status != 202:
                time.sleep(0.02)  # refused or gone: do not spin

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def kill_during_burst(a, b):
    with Burst([a, b, a, b], "kill") as burst:
        time.sleep(1.5)
        a.kill()
        time.sleep(1.0)
    stored = b.exported_ids(TOKEN)
    counts = {}
    for i in stored:
        counts[i] = counts.get(i, 0) + 1
    missing = [i for i in burst.acknowledged if i not in counts]
    twice = [i for i, c in counts.items() if c > 1]
    check("kill -9 of A during a burst on A and B: every acknowledged event is stored",
          burst.acknowledged and not missing, f"{len(burst.acknowledged)} acknowledged, {len(missing)} missing")
    check("... and stored exactly once", not twice, f"{len(twice)} stored twice")
    a.start()
    check("A restarts on the shared database and is ready", ready(a) == 200)


def database_outage(pg, a, b, mode):
    status, _ = request(a, "PUT", f"/v1/admin/flags/{FLAG}",
                        {"enabled": True, "rolloutPercent": 100, "deny": ["blocked-user"]})
    wait_for(lambda: flag_value(b, "blocked-user") is False, 5)
    answers = {"previews": [], "flags": []}

    def previews():
        while not burst.stop.is_set():
            status, _ = request(b, "POST", "/v1/time-crunch/preview?userKey=pg-test-user", PREVIEW, timeout=5)
            answers["previews"].append(status)
            answers["flags"].append((flag_value(b), flag_value(b, "blocked-user")))
            time.sleep(0.02)

    with Burst([a, b], f"outage-{mode}-") as burst:
        reader = threading.Thread(target=previews)
        reader.start()
        time.sleep(1.0)
        pg.stop(mode)
        stopped = time.monotonic()
        time.sleep(0.5)
        during = {"telemetry": post(a, events("during", 2)), "ready_a": ready(a), "ready_b": ready(b),
                  "put": request(a, "PUT", f"/v1/admin/flags/{FLAG}", {"enabled": False}),
                  "flag_after_put": flag_value(a)}
        previews_before = len(answers["previews"])
        time.sleep(1.5)
        previews_during = answers["previews"][previews_before:]
        flags_during = answers["flags"][previews_before:]
        pg.start()
        back = wait_for(lambda: post(a, events(f"back-a-{time.time()}", 1))[0] == 202
                        and post(b, events(f"back-b-{time.time()}", 1))[0] == 202, 20)
        time.sleep(1.0)
        burst.stop.set()
        reader.join()
    status, body = during["telemetry"]
    check(f"PostgreSQL stopped ({mode}): telemetry answers 503 unavailable, nothing acknowledged",
          status == 503 and error_code(body) == "unavailable" and b"accepted" not in body, f"{status} {body[:160]}")
    refused = [(s, error_code(body)) for s, body in burst.refused]
    check("... every refused batch of the running burst is 503 unavailable",
          all(r == (503, "unavailable") for r in refused), f"{len(refused)} refused: {set(refused)}")
    check("... /readyz is 503 on both instances", during["ready_a"] == 503 and during["ready_b"] == 503,
          f"{during['ready_a']} {during['ready_b']}")
    status, body = during["put"]
    check("... an admin change answers 503 unavailable and leaves the rules in force",
          status == 503 and error_code(body) == "unavailable" and during["flag_after_put"] is True, f"{status}")
    check("... previews keep working (200) throughout", previews_during and all(s == 200 for s in previews_during),
          f"{len(previews_during)} previews: {set(previews_during)}")
    check("... the flag keeps the last rules in force (on, and off for the denied user)",
          flags_during and all(f == (True, False) for f in flags_during), f"{set(flags_during)}")
    check(f"PostgreSQL ({mode}) started again: both instances store telemetry again by themselves",
          back is not None, f"after {back} s (stopped at {round(time.monotonic() - stopped, 1)} s)")
    check("... and are ready", ready(a) == 200 and ready(b) == 200)
    stored = b.exported_ids(TOKEN)
    counts = {}
    for i in stored:
        counts[i] = counts.get(i, 0) + 1
    missing = [i for i in burst.acknowledged if i not in counts]
    check("... every event acknowledged around the outage is stored once",
          burst.acknowledged and not missing and all(counts[i] == 1 for i in burst.acknowledged),
          f"{len(burst.acknowledged)} acknowledged, {len(missing)} missing")
    request(a, "DELETE", f"/v1/admin/flags/{FLAG}")


def frozen_database(pg, a, b):
    """PostgreSQL stops answering without closing connections (SIGSTOP)."""
    answered = {}

    def timed(name, call):
        start = time.monotonic()
        answered[name] = (call(), time.monotonic() - start)

    pids = pg.freeze()
    try:
        time.sleep(0.3)
        timed("telemetry", lambda: post(a, events("frozen", 2), timeout=15))
        timed("preview", lambda: request(b, "POST", "/v1/time-crunch/preview?userKey=pg-test-user", PREVIEW)[0])
        timed("flag", lambda: flag_value(b))
        timed("ready", lambda: ready(b, timeout=15))
    finally:
        pg.thaw(pids)
    (status, body), seconds = answered["telemetry"]
    check("PostgreSQL frozen (SIGSTOP): telemetry answers 503 unavailable within the 5 s query bound",
          status == 503 and error_code(body) == "unavailable" and seconds < 7, f"{status} after {seconds:.1f} s")
    check("... previews and the flag answer at once",
          answered["preview"][0] == 200 and answered["preview"][1] < 1 and answered["flag"][0] is True
          and answered["flag"][1] < 1, f"{answered['preview']} {answered['flag']}")
    check("... /readyz is 503", answered["ready"][0] == 503, f"{answered['ready']}")
    back = wait_for(lambda: post(a, events(f"thawed-a-{time.time()}", 1))[0] == 202
                    and post(b, events(f"thawed-b-{time.time()}", 1))[0] == 202 and ready(a) == 200, 20)
    check("... thawed: both store again and are ready, by themselves", back is not None, f"after {back} s")


def down_at_start(binary, pg):
    pg.stop("fast")
    twin = instance(binary, pg.url("timecrunch"))
    try:
        twin.start()
        check("PostgreSQL down at start: the instance starts and waits", True)
        status, body = post(twin, events("early", 1))
        check("... not ready and telemetry 503 unavailable meanwhile",
              ready(twin) == 503 and status == 503 and error_code(body) == "unavailable", f"{status}")
        pg.start()
        seen = wait_for(lambda: ready(twin) == 200, 15)
        check("... ready once PostgreSQL answers", seen is not None, f"after {seen} s")
        check("... and then stores telemetry", post(twin, events("late", 1))[0] == 202)
    except TwinExited as exited:
        check("PostgreSQL down at start: the instance starts and waits", False, exited.stderr[-300:])
        pg.start()
    finally:
        twin.close()


def main():
    binary = sys.argv[1]
    started = time.monotonic()
    with Cluster() as pg:
        pg.create_database("timecrunch")
        start_refusals(binary, pg)
        flags_path = os.path.join(temp_dir("tc-pg-flags-"), "flags.json")
        with open(flags_path, "w") as f:
            json.dump({"flags": {FLAG: {"enabled": True, "rolloutPercent": 100}}}, f)
        a = instance(binary, pg.url("timecrunch"), flags=flags_path).start()
        b = instance(binary, pg.url("timecrunch"), flags=flags_path).start()
        try:
            check("two instances on one database are ready", ready(a) == 200 and ready(b) == 200)
            shared_events(a, b)
            flag_changes(a, b, flags_path)
            kill_during_burst(a, b)
            database_outage(pg, a, b, "fast")
            database_outage(pg, a, b, "immediate")
            frozen_database(pg, a, b)
        finally:
            a.close()
            b.close()
        down_at_start(binary, pg)
    finish("postgres", f"{round(time.monotonic() - started)} s")


if __name__ == "__main__":
    main()
