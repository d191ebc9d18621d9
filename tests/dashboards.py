#!/usr/bin/env python3
"""The dashboards and alerts against a real Prometheus scraping the real
server twin.

Starts the server twin and Debian's Prometheus (scraping every second, with
dashboards/alerts.yml loaded), drives traffic once the twin is scraped
(server previews, a few bad requests, client telemetry of every event type,
finished sessions among them), then runs every dashboard panel query, the
dashboard's variable query, every recording rule and every alert expression
(its signal, without the threshold) against that Prometheus, and checks that
each parses and returns data and that every rule evaluates without error.

Run with: python3 tests/dashboards.py PATH/TO/server   (scripts/test.sh does)
"""
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

from twin import Twin

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def request(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"content-type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read().decode()


def wait_for(port, path, deadline_s=60):
    deadline = time.time() + deadline_s
    while time.time() < deadline:
        try:
            if request(port, "GET", path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"nothing answered {path} on port {port}")


def start_prometheus(prometheus, config, work, deadline_s=60, extra_args=()):
    """Prometheus on port 0, its data in WORK/tsdb; returns (process, port). It
    has no ready file, but it logs the address it bound ('msg="Listening on"
    address=127.0.0.1:P', Prometheus 2.x and 3.x alike), so no port is picked
    beforehand. extra_args: more flags (tests/checkpoint.py sets the retention)."""
    log_path = os.path.join(work, "prometheus.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([prometheus, f"--config.file={config}", f"--storage.tsdb.path={work}/tsdb",
                                 "--web.listen-address=127.0.0.1:0", "--log.level=info", *extra_args],
                                stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.time() + deadline_s
    while time.time() < deadline:
        with open(log_path, errors="replace") as log:
            text = log.read()
        found = re.search(r'msg="Listening on" address=127\.0\.0\.1:(\d+)', text)
        if found:
            return proc, int(found.group(1))
        if proc.poll() is not None:
            sys.exit(f"prometheus exited with status {proc.returncode} at start:\n{text[-2000:]}")
        time.sleep(0.05)
    proc.kill()
    sys.exit(f"prometheus did not log the address it listens on within {deadline_s} s")


def query(port, expr):
    status, body = request(port, "GET", "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    return status, json.loads(body)


def wait_for_first_scrape(prom, deadline_s=30):
    """Until Prometheus has scraped the twin once: traffic before that would
    be in the first sample, not in any increase (the alerts over completed
    sessions need 20 counted in their window)."""
    deadline = time.time() + deadline_s
    while time.time() < deadline:
        if query(prom, 'up{job="time-crunch"} == 1')[1]["data"]["result"]:
            return
        time.sleep(0.1)
    sys.exit(f"prometheus did not scrape the server twin within {deadline_s} s")


def drive_traffic(api):
    fixtures = os.path.join(REPO, "tests", "fixtures")
    requests = [open(os.path.join(fixtures, f)).read() for f in sorted(os.listdir(fixtures))
                if f.endswith(".request.json") and not f.startswith("error-")]
    now = lambda: int(time.time() * 1000)
    n = 0
    for round_ in range(8):
        for body in requests:
            request(api, "POST", "/v1/time-crunch/preview?userKey=u1", body)
        request(api, "POST", "/v1/time-crunch/preview", '{"plan": 1}')
        request(api, "GET", "/v1/flags/feature.stream5_time_crunch_mode?userKey=u2")
        events = []
        for kind, extra in [
            ("modal_opened", {}),
            ("preview_generated", {"strategy": "supersets", "targetMinutes": 40, "fits": True, "generationMs": 0.06}),
            ("preview_generated", {"strategy": "core_only", "targetMinutes": 15, "fits": False,
                                   "fallbackReason": "target_below_minimum", "generationMs": 0.04}),
            ("preview_failed", {"errorCode": "invalid_plan"}),
            ("flag_evaluated", {"flagValue": True}),
            ("preview_applied", {}),
        ] + [
            # Finished sessions: 4 of 5 within their target of 40 minutes.
            ("session_completed", {"strategy": "supersets", "targetMinutes": 40, "estimatedMinutes": 38.5,
                                   "actualMinutes": actual})
            for actual in (34.0, 36.0, 39.5, 40.0, 47.5)
        ]:
            n += 1
            events.append(dict({"id": f"e{n}", "type": kind, "at": now(), "sessionId": "s"}, **extra))
        events.append({"id": "bad", "type": "modal_opened", "at": 0, "sessionId": "s"})
        status, _ = request(api, "POST", "/v1/telemetry", json.dumps({"events": events}))
        assert status == 202, status
        time.sleep(1)


def signal_of(expr):
    """The alert's signal: its expression without the final comparison."""
    parts = re.split(r"\s(?:>|<|==)\s(?=[^()]*$)", expr.strip())
    return parts[0]


def main():
    server_binary = sys.argv[1]
    prometheus = shutil.which("prometheus")
    if not prometheus:
        sys.exit("prometheus is missing (Debian package prometheus; scripts/setup.sh installs it)")
    work = tempfile.mkdtemp(prefix="tc-dashboards-")
    server = Twin(server_binary, work, env={"RUST_LOG": "warn", "TIME_CRUNCH_TELEMETRY_RATE": "0"}).start()
    api = server.port
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {os.path.join(REPO, "dashboards", "alerts.yml")}
scrape_configs:
  - job_name: time-crunch
    static_configs:
      - targets: ["127.0.0.1:{server.metrics_port}"]
""")
    prometheus_proc = None
    results = []
    try:
        prometheus_proc, prom = start_prometheus(prometheus, config, work)
        wait_for(prom, "/-/ready")
        wait_for_first_scrape(prom)
        drive_traffic(api)
        time.sleep(3)  # let the last scrape and rule evaluation land

        dashboard = json.load(open(os.path.join(REPO, "dashboards", "time-crunch.json")))
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                expr = target["expr"].replace("$__rate_interval", "20s").replace("$job", ".*")
                status, body = query(prom, expr)
                ok = status == 200 and body.get("status") == "success" and len(body["data"]["result"]) > 0
                results.append((f"panel '{panel['title']}' {target['refId']}", ok,
                                body.get("error", f"{len(body.get('data', {}).get('result', []))} series")))
        for variable in dashboard["templating"]["list"]:
            if variable["type"] == "query":
                status, body = request(prom, "GET", "/api/v1/label/job/values?" +
                                       urllib.parse.urlencode({"match[]": "process_resident_memory_bytes"}))
                values = json.loads(body).get("data", [])
                results.append((f"variable '{variable['name']}'", status == 200 and "time-crunch" in values, str(values)))

        status, body = request(prom, "GET", "/api/v1/rules")
        groups = json.loads(body)["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        results.append(("every rule of alerts.yml is loaded", len(rules) == 12, f"{len(rules)} rules"))
        for rule in rules:
            ok = rule["health"] == "ok"
            if rule["type"] == "recording":
                status, body = query(prom, rule["name"])
                ok = ok and len(body["data"]["result"]) > 0
                results.append((f"recording rule {rule['name']}", ok, rule.get("lastError") or "has data"))
            else:
                status, body = query(prom, signal_of(rule["query"]))
                ok = ok and status == 200 and len(body["data"]["result"]) > 0
                results.append((f"alert {rule['name']} (signal: {signal_of(rule['query'])})", ok,
                                rule.get("lastError") or f"state {rule['state']}"))
    finally:
        if prometheus_proc is not None:
            prometheus_proc.terminate()
            prometheus_proc.wait(timeout=10)
        server.close()
        shutil.rmtree(work, ignore_errors=True)

    failed = 0
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name} ({detail})")
        failed += 0 if ok else 1
    print(f"dashboards: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
