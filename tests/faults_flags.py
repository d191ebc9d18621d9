#!/usr/bin/env python3
"""The flags file, the admin API and its token, against the real server twin.

- the flags file is read off the request path, regular files only, with a
  size cap: a FIFO put at the flags path while running freezes nothing
  (metrics, health and previews answer at once) and a 300 MB file is
  refused without being read; either at start is exit status 2;
- admin flag changes are durable: a kill switch set with PUT stays in force
  over a `touch` of the flags file, a restart and a kill -9; a flag created
  by PUT survives; GET says where the rule comes from; DELETE clears it;
- the admin token: one shorter than 16 characters is a configuration error
  (exit 2, the token not shown); wrong guesses are throttled per address
  (429, the right token included while throttled) and logged with the
  client's address, never with what was presented;
- a JSON log line has one `message` key.

Run with: python3 tests/faults_flags.py PATH/TO/server   (scripts/test.sh does)
"""
import http.client
import json
import os
import sys
import threading
import time

from checks import check, finish, temp_dir
from twin import Twin, TwinExited

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "flags-faults-test-token"
FLAG = "feature.stream5_time_crunch_mode"
MAX_FLAGS_FILE_BYTES = 1024 * 1024  # examples/server/src/flags_file.rs
FAILED_ATTEMPTS_BURST = 5  # examples/server/src/admin_auth.rs
OVERRIDES_FILE = "flag-overrides.json"  # examples/server/src/flag_overrides.rs





def write_flags(path, rule):
    with open(path, "w") as f:
        json.dump({"flags": {FLAG: rule}}, f)


class Server(Twin):
    """The twin with its JSON log (stdout, which tests/twin.py discards) kept in a file: `log()`."""

    def __init__(self, binary, data_dir, **kwargs):
        log_file = os.path.join(temp_dir(), "log.jsonl")

        def log_to_file():  # in the child, before exec: stdout appended to the log file
            fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(fd, 1)
            os.close(fd)

        super().__init__(binary, data_dir, preexec_fn=log_to_file, **kwargs)
        self.log_file = log_file

    def log(self):
        try:
            with open(self.log_file, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""


def server(binary, data_dir=None, flags=None, token=TOKEN, ready_timeout=30):
    env = {"TIME_CRUNCH_TELEMETRY_RATE": "0", "RUST_LOG": "warn"}
    if token is not None:
        env["TIME_CRUNCH_ADMIN_TOKEN"] = token
    return Server(binary, data_dir or temp_dir(), flags=flags, env=env, ready_timeout=ready_timeout)


def request(port, method, path, body=None, headers=None, timeout=10):
    """(status, body, seconds taken); status None when it failed or timed out."""
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, data, time.monotonic() - started
    except OSError as error:
        return None, str(error).encode(), time.monotonic() - started


def admin(twin, method, key=FLAG, rule=None, token=TOKEN):
    headers = {"authorization": f"Bearer {token}"}
    body = None
    if rule is not None:
        body, headers["content-type"] = json.dumps(rule), "application/json"
    status, data, _ = request(twin.port, method, f"/v1/admin/flags/{key}", body, headers)
    try:
        return status, json.loads(data)
    except ValueError:
        return status, data.decode(errors="replace")


def flag_value(twin, user="u-1"):
    status, data, _ = request(twin.port, "GET", f"/v1/flags/{FLAG}?userKey={user}")
    return json.loads(data)["value"] if status == 200 else f"status {status}"


def preview_request():
    with open(os.path.join(REPO, "tests", "fixtures", "fits-as-written.request.json"), "rb") as f:
        return f.read()


def probe(twin, seconds):
    """Health, metrics and previews for `seconds`: (all answered 200, slowest in s)."""
    preview = preview_request()
    deadline, ok, slowest = time.monotonic() + seconds, True, 0.0
    while time.monotonic() < deadline:
        for port, method, path, body in [(twin.port, "GET", "/healthz", None),
                                         (twin.metrics_port, "GET", "/metrics", None),
                                         (twin.port, "POST", "/v1/time-crunch/preview?userKey=u-1", preview)]:
            status, _, took = request(port, method, path, body, {"content-type": "application/json"}, timeout=3)
            ok, slowest = ok and status == 200, max(slowest, took)
        time.sleep(0.02)
    return ok, slowest


def peak_rss_mb(twin):
    with open(f"/proc/{twin.proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def start_failure(twin, seconds):
    """(exit status, stderr) of a server expected to refuse to start."""
    try:
        twin.start()
        result = None, f"started and listening at {twin.url}"
    except TwinExited as exited:
        result = exited.returncode, exited.stderr
    except TimeoutError:
        result = None, f"still not ready after {seconds} s (stuck)"
    twin.close()
    return result


# --- the flags file ------------------------------------------------------------

def fifo_while_running(binary):
    base = temp_dir()
    flags = os.path.join(base, "flags.json")
    write_flags(flags, {"enabled": True, "rolloutPercent": 100})
    twin = server(binary, flags=flags).start()
    try:
        os.remove(flags)
        os.mkfifo(flags)
        time.sleep(0.6)  # two polls of the watcher
        ok, slowest = probe(twin, 2)
        check("a FIFO at the flags path while running: health, metrics and previews answer at once",
              ok and slowest < 1.0, f"all 200: {ok}, slowest {slowest * 1000:.0f} ms")
        check("... and the previous rules stay in force, with a warning naming the FIFO",
              flag_value(twin) is True and "not a regular file (a FIFO)" in twin.log(), twin.log()[-200:].strip())
    finally:
        twin.kill()  # a server stuck opening the FIFO does not stop on SIGTERM
        twin.close()


def huge_file_while_running(binary):
    base = temp_dir()
    flags = os.path.join(base, "flags.json")
    write_flags(flags, {"enabled": True, "rolloutPercent": 100})
    twin = server(binary, flags=flags).start()
    try:
        before = peak_rss_mb(twin)
        result = {}

        def probing():
            result["ok"], result["slowest"] = probe(twin, 2)

        prober = threading.Thread(target=probing)
        prober.start()
        time.sleep(0.3)
        with open(flags, "r+b") as f:
            f.truncate(300 * 1024 * 1024)  # sparse: no disk used
        prober.join()
        peak = peak_rss_mb(twin)
        check("a 300 MB flags file while running: requests go on meanwhile, none stalled",
              result["ok"] and result["slowest"] < 0.5,
              f"slowest {result['slowest'] * 1000:.0f} ms")
        check("... and the file is refused unread (the server's peak memory stays small)",
              peak is not None and peak < before + 50, f"peak resident memory {before:.0f} -> {peak:.0f} MB")
        check("... with a warning naming the size cap, the previous rules in force",
              f"larger than {MAX_FLAGS_FILE_BYTES} bytes" in twin.log() and flag_value(twin) is True,
              twin.log()[-200:].strip())
    finally:
        twin.kill()
        twin.close()


def bad_flags_file_at_start(binary):
    base = temp_dir()
    fifo = os.path.join(base, "fifo.json")
    os.mkfifo(fifo)
    status, message = start_failure(server(binary, flags=fifo, ready_timeout=10), 10)
    check("a FIFO as the flags file at start: exit status 2 with a sentence",
          status == 2 and "not a regular file (a FIFO)" in message, f"status {status}: {message[:160]}")
    huge = os.path.join(base, "huge.json")
    with open(huge, "wb") as f:
        f.truncate(300 * 1024 * 1024)
    status, message = start_failure(server(binary, flags=huge, ready_timeout=30), 30)
    check("a 300 MB flags file at start: exit status 2, refused for its size",
          status == 2 and f"larger than {MAX_FLAGS_FILE_BYTES} bytes" in message, f"status {status}: {message[:160]}")


# --- admin changes -------------------------------------------------------------

def admin_changes_are_durable(binary):
    base = temp_dir()
    data = os.path.join(base, "data")
    flags = os.path.join(base, "flags.json")
    write_flags(flags, {"enabled": True, "rolloutPercent": 100})
    twin = server(binary, data_dir=data, flags=flags).start()
    try:
        _, body = admin(twin, "GET")
        check("GET names where the rule comes from: the flags file", isinstance(body, dict)
              and body.get("source") == "file", str(body)[:160])
        status, _ = admin(twin, "PUT", rule={"enabled": False})
        created, _ = admin(twin, "PUT", key="made.by.put", rule={"enabled": True, "rolloutPercent": 5})
        _, body = admin(twin, "GET")
        check("a PUT is in force at once and GET says it is the admin's",
              status == 200 and created == 200 and flag_value(twin) is False
              and isinstance(body, dict) and body.get("source") == "admin", str(body)[:160])

        now = time.time() + 2
        os.utime(flags, (now, now))  # a touch: the watcher re-reads the file
        time.sleep(0.8)
        check("a touch of the flags file does not undo the kill switch", flag_value(twin) is False,
              f"flag value {flag_value(twin)}")

        twin.stop()
        twin.start()
        made, body = admin(twin, "GET", key="made.by.put")
        check("a restart does not undo it, and a flag created by PUT survives",
              flag_value(twin) is False and made == 200 and body["rule"]["rolloutPercent"] == 5,
              f"flag value {flag_value(twin)}, made.by.put: {made}")

        admin(twin, "PUT", rule={"enabled": False, "salt": "after-kill"})
        twin.kill()
        twin.start()
        _, body = admin(twin, "GET")
        check("a PUT answered 200 survives a kill -9 right after it",
              isinstance(body, dict) and body.get("rule", {}).get("salt") == "after-kill", str(body)[:160])

        status, body = admin(twin, "DELETE")
        check("DELETE clears the override: the flags file's rule is in force again",
              status == 200 and isinstance(body, dict) and body.get("cleared") is True
              and body.get("source") == "file" and flag_value(twin) is True, f"{status}: {str(body)[:160]}")
        twin.stop()
        twin.start()
        check("... and stays cleared after a restart", flag_value(twin) is True
              and admin(twin, "GET")[1].get("source") == "file")
        status, body = admin(twin, "DELETE", key="made.by.put")
        check("DELETE of a flag only PUT made: unknown afterwards",
              status == 200 and body.get("rule") is None and admin(twin, "GET", key="made.by.put")[0] == 404,
              f"{status}: {str(body)[:160]}")
        names = sorted(os.listdir(data))
        check("the overrides live in the data directory, no temporary file left",
              OVERRIDES_FILE in names and not any(n.endswith(".tmp") for n in names), str(names))
    finally:
        twin.close()

    twin = server(binary).start()  # no flags file: the built-in default
    try:
        _, body = admin(twin, "GET")
        check("without a flags file GET says the rule is the default",
              isinstance(body, dict) and body.get("source") == "default", str(body)[:160])
    finally:
        twin.close()


# --- the admin token -----------------------------------------------------------

def short_token(binary):
    status, message = start_failure(server(binary, token="secret-short", ready_timeout=10), 10)
    check("an admin token shorter than 16 characters: exit status 2 with a sentence, the token not shown",
          status == 2 and "TIME_CRUNCH_ADMIN_TOKEN" in message and "16" in message and "secret-short" not in message,
          f"status {status}: {message[:160]}")


def wrong_guesses(binary):
    twin = server(binary).start()
    try:
        guess = "guess-not-the-token-0042"
        statuses = [admin(twin, "GET", token=guess)[0] for _ in range(FAILED_ATTEMPTS_BURST)]
        after, body = admin(twin, "GET", token=guess)
        right, _ = admin(twin, "GET")
        check(f"wrong admin tokens: {FAILED_ATTEMPTS_BURST} answered 401, then 429 rate_limited",
              statuses == [401] * FAILED_ATTEMPTS_BURST and after == 429
              and isinstance(body, dict) and body["error"]["code"] == "rate_limited", f"{statuses} then {after}")
        check("... and while throttled the right token waits too (no comparison is made)", right == 429,
              f"right token answered {right}")
        log = twin.log()
        lines = [line for line in log.splitlines() if "bearer token" in line]
        check("failed attempts are logged at warn with the client's address, never the token presented",
              len(lines) >= FAILED_ATTEMPTS_BURST and all("127.0.0.1" in line and "WARN" in line for line in lines)
              and guess not in log, lines[-1][:200] if lines else "no log line")
    finally:
        twin.close()


# --- logs ----------------------------------------------------------------------

def one_message_key(binary):
    base = temp_dir()
    flags = os.path.join(base, "flags.json")
    write_flags(flags, {"enabled": True})
    twin = server(binary, flags=flags).start()
    try:
        with open(flags, "w") as f:
            f.write("{ not json")
        time.sleep(0.8)
        counts = []
        for line in twin.log().splitlines():
            keys = []

            def pairs(items, keys=keys):
                keys.extend(k for k, _ in items)
                return dict(items)

            try:
                json.loads(line, object_pairs_hook=pairs)
            except ValueError:
                continue
            counts.append(keys.count("message"))
        check("a warning of the flags watcher is logged, each JSON log line with one `message` key",
              counts and all(c == 1 for c in counts) and "flags file not reloaded" in twin.log(),
              f"`message` keys per line: {counts}")
    finally:
        twin.close()


def main():
    binary = sys.argv[1]
    for part in [fifo_while_running, huge_file_while_running, bad_flags_file_at_start, admin_changes_are_durable,
                 short_token, wrong_guesses, one_message_key]:
        try:
            part(binary)
        except Exception as error:  # one broken part must not hide the others' results
            check(f"{part.__name__} ran to the end", False, f"{type(error).__name__}: {error}")
    finish("faults_flags")


if __name__ == "__main__":
    main()
