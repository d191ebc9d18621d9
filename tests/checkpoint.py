#!/usr/bin/env python3
"""The checkpoint tool against a real Prometheus holding 48 hours of
rehearsed rollouts.

Each scenario of the rehearse generator (healthy, one per rollback trigger,
memory growth) is written as OpenMetrics for a rollout that ended a few
minutes ago, under its own job (rehearsal-<scenario>), and backfilled with
`promtool tsdb create-blocks-from openmetrics` into one TSDB. Debian's
Prometheus then serves it with the project's recording and alert rules
(dashboards/alerts.yml) and nothing to scrape. For every scenario the test
runs each hourly update (hours 1-8, 12, 16, ... 48), the 24-hour checkpoint
and the go/no-go, in JSON and markdown, and checks status, triggers, when
they fired, verdict and exit status; then every way the tool must refuse
with exit 2: Prometheus unreachable or answering errors, a start in the
future or unparsable, hours outside the soak or between checkpoints, a
Prometheus without the project's series, a wrong job, and windows with too
little data.

Run with: python3 tests/checkpoint.py TARGET_DIR/debug   (scripts/test.sh does; the folder holding
the checkpoint and rehearse programs, the build scripts/checkpoint.sh runs)
"""
import concurrent.futures
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import traceback

from checks import check, finish, temp_dir
from dashboards import request, start_prometheus, wait_for

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOURS = list(range(1, 9)) + list(range(12, 49, 4))

# Each trigger scenario: its incident (minutes from the start, as passed to
# rehearse), the trigger it must fire, the update hour it must be Red in,
# and the trigger's "for" and range (dashboards/alerts.yml): it fires once
# the condition has held for "for", which starts within the range after
# the incident begins.
INCIDENTS = {
    "success-collapse": dict(at=195, trigger="TimeCrunchLowSuccessRate", hour=4, hold=600, range=600),
    "error-burst": dict(at=320, trigger="TimeCrunchHighErrorRate", hour=6, hold=300, range=300),
    "slow-responses": dict(at=610, trigger="TimeCrunchSlowResponses", hour=12, hold=300, range=300),
    "traffic-stops": dict(at=1800, trigger="TimeCrunchNoRequests", hour=32, hold=1800, range=300),
}
SCENARIOS = ["healthy", "memory-growth", *INCIDENTS]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def run(binary, *args):
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backfill(rehearse, work, start):
    tsdb = os.path.join(work, "tsdb")
    jobs = [(s, f"rehearsal-{s}", ["--hours", "48"]) for s in SCENARIOS]
    # Only the first 6 hours: later windows have too little data.
    jobs.append(("healthy", "rehearsal-short", ["--hours", "6"]))
    for scenario, job, extra in jobs:
        path = os.path.join(work, f"{job}.om")
        incident = ["--incident-at", str(INCIDENTS[scenario]["at"])] if scenario in INCIDENTS else []
        code, _, err = run(rehearse, "--scenario", scenario, "--start", iso(start), "--job", job, "--out", path,
                           *incident, *extra)
        check(f"rehearse writes {job}", code == 0, err.strip())
        proc = subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", path, tsdb],
                              capture_output=True, text=True, timeout=300)
        check(f"promtool backfills {job}", proc.returncode == 0, proc.stderr.strip()[-500:])
        os.remove(path)


def prometheus_config(work, rules=True):
    path = os.path.join(work, "prometheus.yml")
    with open(path, "w") as f:
        f.write("global:\n  evaluation_interval: 15s\n")
        if rules:
            f.write(f"rule_files:\n  - {os.path.join(REPO, 'dashboards', 'alerts.yml')}\n")
        f.write("scrape_configs: []\n")
    return path


def report(checkpoint, url, start, job, what):
    code, out, err = run(checkpoint, "--prometheus", url, "--start", iso(start), "--job", job, *what, "--json")
    lines = out.strip().splitlines()
    try:
        data = json.loads(lines[-1]) if len(lines) == 1 else None
    except ValueError:
        data = None
    return code, data, err


def fired_in_time(firing, start, incident):
    """firedAt lies between incident + hold and incident + range + hold (+ a step's slack)."""
    fired = datetime.datetime.strptime(firing["firedAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    after = (fired - start).total_seconds() - incident["at"] * 60
    return incident["hold"] <= after <= incident["hold"] + incident["range"] + 120, f"{after:.0f} s after the incident"


def check_scenario(checkpoint, url, start, scenario):
    job = f"rehearsal-{scenario}"
    incident = INCIDENTS.get(scenario)
    hourly = {h: report(checkpoint, url, start, job, ["--hour", str(h)]) for h in HOURS}
    for hour, (code, data, err) in hourly.items():
        name = f"{scenario}: hour {hour}"
        if data is None:
            check(name, False, f"exit {code}, no JSON line: {err.strip()}")
            continue
        status, triggers = data["status"], data["triggers"]
        if incident and hour == incident["hour"]:
            ok = status == "red" and code == 1 and [t["name"] for t in triggers] == [incident["trigger"]]
            check(f"{name} is red, naming {incident['trigger']}", ok, f"{status}, exit {code}, {triggers}")
            if triggers:
                check(f"{name}: {incident['trigger']} fired when it should", *fired_in_time(triggers[0], start, incident))
            notes = " ".join(data["notes"]) + data["next"]
            check(f"{name}: the notes say when it fired and to roll back",
                  triggers and triggers[0]["firedAt"] in notes and "rolling-back-with-the-flag" in notes, notes)
        elif scenario == "memory-growth":
            memory = next(c for c in data["checks"] if c["name"] == "Memory")
            ok = triggers == [] and code == 0 and status == ("yellow" if not memory["met"] else "green")
            check(f"{name} has no trigger, yellow exactly when memory grew past 10 %", ok,
                  f"{status}, memory {memory['figure']}")
        else:
            ok = status == "green" and triggers == [] and code == 0 and all(c["met"] for c in data["checks"])
            check(f"{name} is green", ok, f"{status}, exit {code}, {triggers}, "
                  f"{[c['name'] + ' ' + c['figure'] for c in data['checks'] if not c['met']]}")
        check(f"{name}: JSON line ends with status and triggers",
              list(data)[-2:] == ["status", "triggers"], str(list(data)[-3:]))
    if scenario == "memory-growth":
        late = [h for h in HOURS if h >= 12 and hourly[h][1] and hourly[h][1]["status"] == "yellow"]
        check("memory-growth: every update from hour 12 on is yellow for memory", late == [h for h in HOURS if h >= 12],
              str(late))

    code, day, err = report(checkpoint, url, start, job, ["--day"])
    if day is None:
        check(f"{scenario}: day", False, f"exit {code}: {err.strip()}")
    else:
        titles = [b[0] for b in day.get("breakdowns", [])]
        check(f"{scenario}: day has strategies, fallback reasons, flag evaluations, telemetry, trends",
              titles == ["Strategy distribution", "Fallback reasons", "Flag evaluations", "Telemetry ingestion"]
              and all(b[1] for b in day["breakdowns"]) and len(day.get("trends", [])) == 6, str(titles))
        strategies = {s["label"] for s in day["breakdowns"][0][1]}
        check(f"{scenario}: day's strategy distribution names the ladder's strategies",
              strategies == {"full_accessory_blocks", "supersets", "core_plus_supersets", "core_only"}, str(strategies))
        in_first_day = incident and incident["hour"] <= 24
        expected = "red" if in_first_day else ("yellow" if scenario == "memory-growth" else "green")
        check(f"{scenario}: day is {expected}, beta-ready only when green",
              day["status"] == expected and day["betaReady"] == (expected == "green")
              and code == (1 if expected == "red" else 0), f"{day['status']}, betaReady {day['betaReady']}, exit {code}")

    code, final, err = report(checkpoint, url, start, job, ["--final"])
    if final is None:
        check(f"{scenario}: final", False, f"exit {code}: {err.strip()}")
        return
    check(f"{scenario}: final's JSON line ends with status, triggers, verdict",
          list(final)[-3:] == ["status", "triggers", "verdict"], str(list(final)[-3:]))
    unmet = [c["name"] for c in final["checks"] if not c["met"]]
    if scenario == "healthy":
        ok = final["verdict"] == "GO" and code == 0 and final["status"] == "green" and not unmet
        check("healthy: verdict GO, exit 0", ok, f"{final['verdict']}, exit {code}, unmet {unmet}")
    elif scenario == "memory-growth":
        ok = final["verdict"] == "NO-GO" and code == 1 and unmet == ["Memory Stable"] and final["triggers"] == []
        check("memory-growth: verdict NO-GO for memory not stable, exit 1", ok, f"{final['verdict']}, unmet {unmet}")
    else:
        names = [t["name"] for t in final["triggers"]]
        regressions = next(c for c in final["checks"] if c["name"] == "No Regressions")
        ok = (final["verdict"] == "NO-GO" and code == 1 and names == [incident["trigger"]]
              and incident["trigger"] in regressions["figure"])
        check(f"{scenario}: verdict NO-GO naming {incident['trigger']}, exit 1", ok,
              f"{final['verdict']}, exit {code}, {names}, unmet {unmet}")
        if final["triggers"]:
            check(f"{scenario}: final's firedAt is the trigger's", *fired_in_time(final["triggers"][0], start, incident))


def check_markdown(checkpoint, script, url, start):
    """The default output: the plan's update template, and the verdict line."""
    code, out, err = run(checkpoint, "--prometheus", url, "--start", iso(start), "--job", "rehearsal-healthy",
                         "--hour", "1")
    lines = out.splitlines()
    ok = (code == 0 and lines[0] == "**Stream5 Staging Update - Hour 1**" and "Key Metrics:" in lines
          and any(l.startswith("- Success Rate: ") and l.endswith("(Target: >95%) ✅") for l in lines)
          and any(l.startswith("- Error Rate: ") and "(Target: <5%) ✅" in l for l in lines)
          and "Status: Green" in lines and any(l.startswith("Next: Hour 2 update at ") for l in lines))
    check("markdown: hour 1 of the healthy rollout in the update template", ok, out + err)
    code, out, err = run(checkpoint, "--prometheus", url, "--start", iso(start), "--job", "rehearsal-error-burst",
                         "--hour", "6")
    ok = code == 1 and "Status: Red" in out and "TimeCrunchHighErrorRate fired at " in out and "Roll back now" in out
    check("markdown: the error burst's hour 6 is Red, names the trigger, says roll back", ok, out + err)
    # Through the script, as an operator runs it.
    code, out, err = run("bash", script, "--prometheus", url, "--start", iso(start), "--job", "rehearsal-traffic-stops",
                         "--final")
    tail = out.strip().splitlines()[-2:]
    ok = (code == 1 and tail[0] == "verdict: NO-GO" and "TimeCrunchNoRequests" in tail[1]
          and tail[1].startswith("  because: "))
    check("scripts/checkpoint.sh --final: verdict: NO-GO and its reason last, exit 1", ok, f"exit {code}: {tail} {err}")
    code, out, err = run("bash", script, "--prometheus", url, "--start", iso(start), "--job", "rehearsal-healthy",
                         "--final")
    check("scripts/checkpoint.sh --final on the healthy rollout: verdict: GO, exit 0",
          code == 0 and out.strip().splitlines()[-1] == "verdict: GO", f"exit {code}: {out[-300:]} {err}")


def check_refusals(checkpoint, url, empty_url, start):
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    base = ["--job", "rehearsal-healthy"]
    cases = [
        ("Prometheus unreachable", [f"http://127.0.0.1:{free_port()}", iso(start), "--hour", "1"], "could not be reached"),
        ("Prometheus answering 404 (not its base URL)", [url + "/no/such/prefix", iso(start), "--hour", "1"], "answered 404"),
        ("Prometheus rejecting a query (a --job that is no regular expression)",
         [url, iso(start), "--hour", "1", "--job", "(unclosed"], "answered 400"),
        ("--start in the future", [url, iso(now + datetime.timedelta(hours=1)), "--hour", "1"], "in the future"),
        ("--start not RFC 3339", [url, "yesterday at nine", "--hour", "1"], "RFC 3339"),
        ("--hour 0", [url, iso(start), "--hour", "0"], "outside the soak"),
        ("--hour 49", [url, iso(start), "--hour", "49"], "outside the soak"),
        ("--hour 10 (between checkpoints)", [url, iso(start), "--hour", "10"], "not a checkpoint"),
        ("a window not over yet", [url, iso(now - datetime.timedelta(hours=2)), "--hour", "5"], "not enough data"),
        ("a Prometheus without the project's series", [empty_url, iso(start), "--hour", "1"], "none of the project's metrics"),
        ("a wrong --job", [url, iso(start), "--hour", "1", "--job", "no-such-job"], "none of the project's metrics"),
        ("an hour with no data (history ends at hour 6)", [url, iso(start), "--hour", "8", "--job", "rehearsal-short"],
         "not enough data"),
        ("a soak with 6 of 48 hours of data", [url, iso(start), "--final", "--job", "rehearsal-short"], "not enough data"),
        ("no report asked for", [url, iso(start)], "--hour"),
    ]
    for name, (prom, when, *rest), expect in cases:
        args = ["--prometheus", prom, "--start", when, *(rest if "--job" in rest else rest + base), "--json"]
        code, out, err = run(checkpoint, *args)
        check(f"exit 2: {name}", code == 2 and expect in err and out == "", f"exit {code}, stderr: {err.strip()[:300]}")


def main():
    programs = sys.argv[1]
    checkpoint, rehearse = os.path.join(programs, "checkpoint"), os.path.join(programs, "rehearse")
    script = os.path.join(REPO, "scripts", "checkpoint.sh")
    prometheus = shutil.which("prometheus")
    if not prometheus or not shutil.which("promtool"):
        sys.exit("prometheus and promtool are missing (Debian package prometheus; scripts/setup.sh installs it)")
    began = time.time()
    # A rollout that ended 10 minutes ago: its blocks are recent, well inside the retention.
    start = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=48, minutes=10)).replace(
        second=0, microsecond=0)
    work, empty = temp_dir("tc-checkpoint-"), temp_dir("tc-checkpoint-empty-")
    backfill(rehearse, work, start)
    procs = []
    try:
        proc, port = start_prometheus(prometheus, prometheus_config(work), work,
                                      extra_args=["--storage.tsdb.retention.time=30d"])
        procs.append(proc)
        proc, empty_port = start_prometheus(prometheus, prometheus_config(empty, rules=False), empty)
        procs.append(proc)
        wait_for(port, "/-/ready")
        wait_for(empty_port, "/-/ready")
        url, empty_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{empty_port}"
        deadline = time.time() + 30
        while True:  # until every rule has been evaluated once (every 15 s)
            rules = json.loads(request(port, "GET", "/api/v1/rules")[1])
            loaded = [r for g in rules["data"]["groups"] for r in g["rules"]]
            if all(r["health"] == "ok" for r in loaded) or time.time() > deadline:
                break
            time.sleep(0.5)
        check("Prometheus runs the project's recording and alert rules", len(loaded) == 12 and
              all(r["health"] == "ok" for r in loaded), f"{len(loaded)} rules, {[r['health'] for r in loaded]}")
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            for future in [pool.submit(check_scenario, checkpoint, url, start, s) for s in SCENARIOS]:
                future.result()
        check_markdown(checkpoint, script, url, start)
        check_refusals(checkpoint, url, empty_url, start)
    except Exception:  # a broken expectation (say, a missing key) is a failed check, and the summary still runs
        check("the checks ran to their end", False, traceback.format_exc())
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
    finish("checkpoint", f"{time.time() - began:.0f} s")


if __name__ == "__main__":
    main()
