"""deploy-dashboard against the Grafana stand-in (tests/grafana_standin.py;
Grafana itself cannot be installed here): a deployment to a profile's
folder is confirmed, saved, verified and its URL printed, with exactly the
documented requests; a redeploy gets the next version; --dry-run prints the
requests and sends nothing; and every failure path ends with its sentence
and exit status: a wrong key (401), a viewer's key (403), an unknown folder,
a dashboard changed by someone else with --no-overwrite (412), a slow
Grafana (timeout), nothing listening (connection refused), an HTML page, a
redirect, a failing database, a read-back missing a panel, and the
configuration and file mistakes (exit 2). A failed save leaves Grafana's
copy as it was.

Run with: python3 tests/deploy_dashboard.py TARGET_DIR/release/deploy-dashboard
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from checks import check, finish, temp_dir

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TOOL = sys.argv[1]
DASHBOARD_FILE = os.path.join(REPO, "dashboards", "time-crunch.json")
DASHBOARD = json.load(open(DASHBOARD_FILE))
EDITOR, VIEWER = "editor-token-0123456789", "viewer-token-0123456789"
# Exit statuses, as README.md documents them.
CONFIG, UNREACHABLE, REFUSED, BAD_ANSWER, NOT_VERIFIED = 2, 3, 4, 5, 6

standins = []


def start_standin(*knobs):
    """A fresh stand-in with the editor and viewer keys and the folder "rollout"; returns (url, log path)."""
    work = temp_dir("tc-grafana-")
    ready, log = os.path.join(work, "ready.json"), os.path.join(work, "requests.jsonl")
    process = subprocess.Popen([sys.executable, os.path.join(HERE, "grafana_standin.py"), "--ready-file", ready,
                                "--log", log, "--editor-key", EDITOR, "--viewer-key", VIEWER, "--folder", "rollout",
                                *knobs])
    standins.append(process)
    deadline = time.monotonic() + 10
    while not os.path.exists(ready):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the Grafana stand-in did not start")
        time.sleep(0.02)
    return json.load(open(ready))["url"], log


def requests_seen(log):
    if not os.path.exists(log):
        return []
    return [json.loads(line) for line in open(log)]


def stored(url):
    """Grafana's copy, read directly (the editor key)."""
    request = urllib.request.Request(f"{url}/api/dashboards/uid/{DASHBOARD['uid']}",
                                     headers={"Authorization": f"Bearer {EDITOR}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        return {"status": error.code}


def deploy(*args, env=None, timeout=30):
    """Runs the tool with only the given GRAFANA_* variables; returns (status, stdout, stderr, seconds)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GRAFANA_")}
    clean.update(env or {})
    started = time.monotonic()
    done = subprocess.run([TOOL, *args], env=clean, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def staging(url, key=EDITOR, folder="rollout"):
    env = {"GRAFANA_URL_STAGING": url, "GRAFANA_API_KEY_STAGING": key,
           # The plain names are the fallback; the profile's must win over them.
           "GRAFANA_URL": "http://127.0.0.1:9", "GRAFANA_API_KEY": "not-this-one"}
    if folder:
        env["GRAFANA_FOLDER_UID_STAGING"] = folder
    return env


def expect_failure(name, result, status, *phrases):
    code, out, err, seconds = result
    ok = code == status and err.startswith("deploy-dashboard: ") and all(p in err for p in phrases) \
        and "panicked" not in err and "verified" not in out
    check(f"{name}: exit {status} with a sentence", ok, f"exit {code}, {seconds:.1f} s, stderr {err.strip()!r}")


def panels_of(model):
    return [(p["id"], p["title"], p["type"], [(t["refId"], t["expr"]) for t in p["targets"]]) for p in model["panels"]]


# --- A deployment, as the rollout plan runs it ------------------------------
url, log = start_standin()
code, out, err, _ = deploy("staging", env=staging(url))
lines = out.splitlines()
check("deploy staging: exit 0 and four steps", code == 0 and len(lines) == 4, f"exit {code}, stderr {err!r}")
check("connectivity confirmed, with Grafana's version", lines[:1] == [f"connectivity confirmed: Grafana 11.3.0 at {url}/ (database ok)"], lines[:1])
check("dashboard deployed into the profile's folder, version 1",
      lines[1:2] == ['dashboard deployed: "Time Crunch" (uid time-crunch) version 1 in folder rollout'], lines[1:2])
check("dashboard verified: every panel compared",
      lines[2:3] == [f"dashboard verified: {len(DASHBOARD['panels'])} panels came back with the same ids, titles, types and queries"], lines[2:3])
check("the URL printed is the dashboard's page on the profile's Grafana",
      lines[3:4] == [f"dashboard URL: {url}/d/time-crunch/time-crunch"], lines[3:4])
seen = requests_seen(log)
check("exactly the documented requests, in order",
      [(r["method"], r["path"]) for r in seen] ==
      [("GET", "/api/health"), ("POST", "/api/dashboards/db"), ("GET", "/api/dashboards/uid/time-crunch")],
      [(r["method"], r["path"]) for r in seen])
check("the health check sends no key; the save and the read send the profile's as a bearer token",
      [r["authorization"] for r in seen] == [None, f"Bearer {EDITOR}", f"Bearer {EDITOR}"])
body = seen[1]["body"] if len(seen) > 1 else {}
check("the save's body: the file's dashboard, the folder, overwrite, a message",
      body.get("dashboard") == DASHBOARD and body.get("folderUid") == "rollout" and body.get("overwrite") is True
      and isinstance(body.get("message"), str) and body["message"] and set(body) == {"dashboard", "folderUid", "overwrite", "message"},
      sorted(body))
copy = stored(url)
check("Grafana's copy has the file's panels, in the folder",
      panels_of(copy["dashboard"]) == panels_of(DASHBOARD) and copy["meta"]["folderUid"] == "rollout")

code, out, err, _ = deploy("staging", "--message", "hour 0 redeploy", env=staging(url))
check("a redeploy overwrites: version 2", code == 0 and "version 2 in folder rollout" in out, err.strip())
check("the redeploy's message reaches Grafana", requests_seen(log)[-2]["body"].get("message") == "hour 0 redeploy")

code, out, err, _ = deploy(env={"GRAFANA_URL": url, "GRAFANA_API_KEY": EDITOR})
check("without a profile the plain names are used, and the General folder",
      code == 0 and "version 3 in the General folder" in out and "folderUid" not in requests_seen(log)[-2]["body"], err.strip())
check("the dashboard moved to the General folder, as Grafana does without folderUid", stored(url)["meta"]["folderUid"] == "")

# --- --dry-run sends nothing ---------------------------------------------------
before = len(requests_seen(log))
code, out, err, _ = deploy("staging", "--dry-run", env=staging(url))
check("--dry-run: exit 0, the three requests shown",
      code == 0 and f"GET {url}/api/health" in out and f"POST {url}/api/dashboards/db" in out
      and f"GET {url}/api/dashboards/uid/time-crunch" in out, f"exit {code}, stderr {err!r}")
check("--dry-run shows the body it would send", '"folderUid": "rollout"' in out and '"overwrite": true' in out
      and '"title": "Time Crunch"' in out)
check("--dry-run names the key's variable, never the key",
      "<GRAFANA_API_KEY_STAGING, 23 characters>" in out and EDITOR not in out + err)
check("--dry-run sent no request at all", len(requests_seen(log)) == before, f"{len(requests_seen(log)) - before} requests")

# --- Grafana refuses -------------------------------------------------------------
version_before = stored(url)["dashboard"]["version"]
expect_failure("a wrong API key (401)", deploy("staging", env=staging(url, key="wrong-token")), REFUSED,
               '401 Unauthorized "Invalid API key"', "GRAFANA_API_KEY_STAGING is not a valid API key")
expect_failure("a viewer's key (403)", deploy("staging", env=staging(url, key=VIEWER)), REFUSED,
               "403 Forbidden", "may not save dashboards", "Editor role")
expect_failure("an unknown folder", deploy("staging", "--folder-uid", "no-such-folder", env=staging(url)), REFUSED,
               '"folder not found"', 'the folder "no-such-folder" does not exist')
expect_failure("changed by someone else, --no-overwrite (412)", deploy("staging", "--no-overwrite", env=staging(url)), REFUSED,
               '412 Precondition Failed "The dashboard has been changed by someone else"', "without --no-overwrite")
check("no failed save changed Grafana's copy", stored(url)["dashboard"]["version"] == version_before)

# --- Grafana unreachable or not answering as Grafana ---------------------------------
slow, _ = start_standin("--delay", "3")
expect_failure("a slow Grafana (--timeout 1)", deploy("staging", "--timeout", "1", env=staging(slow)), UNREACHABLE,
               "no answer within 1 s")
with socket.socket() as probe:  # a port nothing listens on once closed
    probe.bind(("127.0.0.1", 0))
    closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
expect_failure("nothing listening (connection refused)", deploy("staging", env=staging(closed)), UNREACHABLE,
               "could not connect", "GRAFANA_URL_STAGING")
html, _ = start_standin("--html")
expect_failure("an HTML page instead of JSON", deploy("staging", env=staging(html)), BAD_ANSWER,
               "is not JSON (text/html", "a Grafana server?")
redirect, _ = start_standin("--redirect")
expect_failure("a redirect to a login page", deploy("staging", env=staging(redirect)), REFUSED,
               "302 Found to /login", "not a login page or proxy")
failing, _ = start_standin("--database-failing")
expect_failure("Grafana's database failing (health 503)", deploy("staging", env=staging(failing)), REFUSED,
               "503 Service Unavailable (database \"failing\")", "check its database")
dropping, _ = start_standin("--drop-panel")
last = DASHBOARD["panels"][-1]
expect_failure("a read-back missing a panel", deploy("staging", env=staging(dropping)), NOT_VERIFIED,
               "dashboard not verified", f'panel {last["id"]} "{last["title"]}" is missing')

# --- HTTPS, as an operator's Grafana speaks ---------------------------------------------
# A private CA and a certificate for 127.0.0.1 signed by it: trusted through
# SSL_CERT_FILE the deployment goes through, untrusted it stops at the handshake.
tls = temp_dir("tc-grafana-tls-")
openssl = lambda *args: subprocess.run(["openssl", *args], cwd=tls, check=True, capture_output=True)
openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=stand-in CA")
openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=127.0.0.1")
open(os.path.join(tls, "ext"), "w").write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "2",
        "-extfile", "ext")
https, _ = start_standin("--tls", os.path.join(tls, "leaf.pem"), os.path.join(tls, "leaf.key"))
code, out, err, _ = deploy("staging", env=dict(staging(https), SSL_CERT_FILE=os.path.join(tls, "ca.pem")))
check("over HTTPS with the CA trusted: deployed, verified, an https URL",
      code == 0 and https.startswith("https://") and f"dashboard URL: {https}/d/time-crunch/time-crunch" in out, err.strip())
expect_failure("over HTTPS with an untrusted certificate", deploy("staging", env=staging(https)), UNREACHABLE,
               "TLS certificate is not trusted here", "UnknownIssuer")

# --- Configuration and file mistakes (exit 2) -------------------------------------------
expect_failure("no Grafana URL", deploy("staging", env={}), CONFIG, "set GRAFANA_URL_STAGING or GRAFANA_URL")
expect_failure("no API key", deploy("staging", env={"GRAFANA_URL": url}), CONFIG, "set GRAFANA_API_KEY_STAGING or GRAFANA_API_KEY")
expect_failure("a URL without a scheme", deploy(env={"GRAFANA_URL": "grafana.example.com", "GRAFANA_API_KEY": EDITOR}), CONFIG,
               'GRAFANA_URL="grafana.example.com" is not a URL')
work = temp_dir()
broken = os.path.join(work, "broken.json")
open(broken, "w").write('{"uid": "x", "title": ')
expect_failure("a dashboard file that is not JSON", deploy("--dashboard", broken, env=staging(url)), CONFIG, "is not JSON")
nameless = os.path.join(work, "nameless.json")
json.dump({k: v for k, v in DASHBOARD.items() if k != "uid"}, open(nameless, "w"))
expect_failure("a dashboard without a uid", deploy("--dashboard", nameless, env=staging(url)), CONFIG, 'has no "uid"')
expect_failure("a missing dashboard file", deploy("--dashboard", os.path.join(work, "nope.json"), env=staging(url)), CONFIG,
               "cannot read the dashboard")
code, _, err, _ = deploy("staging", "--timeout", "0", env=staging(url))
check("a bad option: exit 2 with clap's sentence", code == 2 and "invalid value '0' for '--timeout" in err, err.strip().splitlines()[0] if err.strip() else "")

for process in standins:
    process.terminate()
    process.wait(timeout=5)
finish("deploy-dashboard", "against the Grafana stand-in")
