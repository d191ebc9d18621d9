#!/usr/bin/env python3
"""Faults a public endpoint meets, against the real server twin process.

- overload: more slow requests than the server handles at once, from several
  clients; the rest are shed with 503 `overloaded` (health checks and
  metrics still served), and it recovers;
- malformed: garbage bytes, a bad request line, broken and deeply nested
  JSON, non-UTF-8, a body shorter than its Content-Length, too many headers;
- oversized: bodies over the limit, announced or chunked, get 413
  `payload_too_large` without the server reading them;
- slow: headers trickled in (slowloris) are cut off after the 10 s limit
  while other clients are served; a body that stalls gets 408 `timeout`
  after the 5 s body read timeout;
- full data directory: the server runs with a file size limit
  (RLIMIT_FSIZE, which needs no privileges) so the telemetry database fills
  up: batches get 503 `unavailable`, previews go on, and when room comes
  back (the limit raised on the running process) it stores again. After a
  kill -9 and restart, every acknowledged event is stored and no refused
  batch is stored in part;
- unusable data directory at start: exit status 2 and a clear message.

After every fault the server must still answer /healthz.

Run with: python3 tests/faults.py PATH/TO/server   (scripts/test.sh does)
"""
import http.client
import json
import os
import resource
import signal
import socket
import sys
import threading
import time

from checks import check, finish, temp_dir
from twin import Twin, TwinExited

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "faults-test-token"
MAX_CONCURRENT = 512  # examples/server/src/config.rs MAX_CONCURRENT_REQUESTS
MAX_PER_CLIENT = 128  # config.rs MAX_CONCURRENT_PER_CLIENT
BODY_TIMEOUT_S = 5  # config.rs BODY_READ_TIMEOUT_SECONDS
MAX_BODY = 512 * 1024  # examples/server/src/config.rs MAX_BODY_BYTES
MAX_TELEMETRY_BODY = 3_200_513  # examples/server/src/config.rs MAX_TELEMETRY_BODY_BYTES
TIMEOUT_S = 10  # examples/server/src/config.rs REQUEST_TIMEOUT_SECONDS
FLAG = "feature.stream5_time_crunch_mode"





class Server(Twin):
    """The server twin (tests/twin.py) with its own data directory, and the
    ways these tests talk to it. A restart (start() again) may get other ports."""

    def __init__(self, binary, data_dir=None, preexec=None):
        super().__init__(binary, data_dir or temp_dir(), preexec_fn=preexec,
                         env={"TIME_CRUNCH_ADMIN_TOKEN": TOKEN, "TIME_CRUNCH_TELEMETRY_RATE": "0",
                              "RUST_LOG": "error"})

    def request(self, method, path, body=None, headers=None, port=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=timeout)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, data

    def healthy(self):
        try:
            return self.proc.poll() is None and self.request("GET", "/healthz", timeout=5) == (200, b"ok")
        except OSError:
            return False

    def raw(self, data, read_timeout=5, close_write=False):
        """Sends raw bytes; returns what the server answered before closing."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout) as s:
            chunks = []
            try:
                s.sendall(data)
                if close_write:
                    s.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server answered and closed before all was sent

            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except (socket.timeout, ConnectionResetError):
                pass
            return b"".join(chunks)


def status_and_code(raw):
    """Status and error code of a raw HTTP/1.1 answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None, None
    try:
        return status, json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return status, None


def fixture(name):
    with open(os.path.join(REPO, "tests", "fixtures", f"{name}.request.json"), "rb") as f:
        return f.read()


def post_head(path, length, extra=b""):
    return (f"POST {path} HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n"
            f"content-length: {length}\r\n").encode() + extra + b"\r\n"


def events(prefix, n):
    now = int(time.time() * 1000)
    return [{"id": f"{prefix}-{i}", "type": "preview_generated", "at": now, "sessionId": prefix,
             "strategy": "supersets", "targetMinutes": 30, "fits": True, "generationMs": 0.05} for i in range(n)]


def post_events(server, batch):
    return server.request("POST", "/v1/telemetry", json.dumps({"events": batch}), {"content-type": "application/json"})


# --- overload ----------------------------------------------------------------

def overload(server):
    # Each of these sends its headers and one byte of a 1 KB body, then
    # stalls: the request holds one of the server's slots (until the body
    # read timeout). They come from several addresses of the loopback
    # network, since one client may hold only its share of the slots.
    holders = []
    for i in range(MAX_CONCURRENT + 8):
        source = f"127.0.0.{2 + i // (MAX_PER_CLIENT - 8)}"
        s = socket.create_connection(("127.0.0.1", server.port), timeout=5, source_address=(source, 0))
        s.sendall(post_head("/v1/telemetry", 1000) + b"{")
        holders.append(s)
    shed, deadline = None, time.time() + BODY_TIMEOUT_S - 1
    while time.time() < deadline and shed is None:
        status, body = server.request("POST", "/v1/time-crunch/preview?userKey=u", fixture("fits-as-written"))
        if status == 503:
            shed = body
        else:
            time.sleep(0.05)
    code = json.loads(shed)["error"]["code"] if shed else None
    health = [server.request("GET", path)[0] for path in ["/healthz", "/readyz"]]
    metrics = server.request("GET", "/metrics", port=server.metrics_port)[0]
    check("overload: requests beyond the limit are shed with 503 overloaded, /healthz and /readyz are not",
          code == "overloaded" and health == [200, 200], f"preview code {code}, health {health}")
    check("overload: metrics are still served while the API sheds", metrics == 200, f"metrics {metrics}")
    started = time.time()
    for s in holders:
        s.close()
    recovered = None
    while time.time() - started < 5:
        if server.request("POST", "/v1/time-crunch/preview?userKey=u", fixture("fits-as-written"))[0] == 200:
            recovered = time.time() - started
            break
        time.sleep(0.05)
    check("overload: recovers once the slow clients are gone", recovered is not None,
          f"previews answered again after {recovered:.2f} s" if recovered is not None else "not within 5 s")


# --- malformed ---------------------------------------------------------------

def malformed(server):
    answer = server.raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(64), close_write=True)
    check("malformed: TLS hello and random bytes: refused, server unharmed",
          (answer == b"" or answer.startswith(b"HTTP/1.1 400")) and server.healthy(), repr(answer[:40]))
    answer = server.raw(b"BREW /coffee HTCPCP/1.0\r\n\r\n", close_write=True)
    check("malformed: bad request line: 400", answer.startswith(b"HTTP/1.1 400") and server.healthy(), repr(answer[:40]))

    cases = [
        ("broken JSON", b'{"plan": ', 400, "invalid_request"),
        ("non-UTF-8 body", b"\xff\xfe\x00{", 400, "invalid_request"),
        ("JSON nested 300,000 deep", b"[" * 300_000, 400, "invalid_request"),
        ("a number too large for any field", b'{"plan": 1e999999, "targetMinutes": 30}', 400, "invalid_request"),
        ("an empty body", b"", 400, "invalid_request"),
    ]
    for name, body, want_status, want_code in cases:
        status, data = server.request("POST", "/v1/time-crunch/preview?userKey=u", body,
                                      {"content-type": "application/json"})
        try:
            code = json.loads(data)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = None
        check(f"malformed: preview with {name}: {want_status} {want_code}",
              (status, code) == (want_status, want_code) and server.healthy(), f"{status} {code}")
    status, data = server.request("POST", "/v1/telemetry", b'{"events": ' + b"[" * 300_000,
                                  {"content-type": "application/json"})
    check("malformed: telemetry nested 300,000 deep: 400 invalid_request",
          status == 400 and json.loads(data)["error"]["code"] == "invalid_request" and server.healthy(), f"{status}")

    # The body ends (the client half-closes) before its Content-Length.
    answer = server.raw(post_head("/v1/time-crunch/preview?userKey=u", 500) + b'{"plan":', close_write=True)
    status, code = status_and_code(answer)
    check("malformed: body shorter than its Content-Length: a typed 400 or a closed connection",
          (answer == b"" or (status == 400 and code == "invalid_request")) and server.healthy(), f"{status} {code}")
    many = b"".join(f"x-h{i}: v\r\n".encode() for i in range(200))
    answer = server.raw(b"GET /healthz HTTP/1.1\r\nhost: t\r\n" + many + b"\r\n")
    check("malformed: 200 headers: 431", answer.startswith(b"HTTP/1.1 431") and server.healthy(), repr(answer[:40]))


# --- oversized ---------------------------------------------------------------

def oversized(server):
    for path, limit in [("/v1/time-crunch/preview?userKey=u", MAX_BODY), ("/v1/telemetry", MAX_TELEMETRY_BODY)]:
        # Announced as 100 MB; the client gives up 1.5 MB past the limit:
        # the server must have answered by then, having read no more than its limit.
        started = time.time()
        answer = server.raw(post_head(path, 100 * 1024 * 1024) + b" " * (limit + 1536 * 1024))
        status, code = status_and_code(answer)
        took = time.time() - started
        check(f"oversized: {path.split('?')[0]} of 100 MB: 413 payload_too_large, not read to the end",
              (status, code) == (413, "payload_too_large") and took < 3, f"{status} {code} in {took:.2f} s")
    # Chunked, no length announced: cut off once past the limit.
    chunk = b"[" + b"1," * 32767 + b"1]"
    body = b""
    for _ in range(MAX_BODY // len(chunk) + 2):
        body += f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    head = (b"POST /v1/time-crunch/preview?userKey=u HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n"
            b"transfer-encoding: chunked\r\n\r\n")
    status, code = status_and_code(server.raw(head + body + b"0\r\n\r\n"))
    check("oversized: chunked body over 512 KB: 413 payload_too_large", (status, code) == (413, "payload_too_large"),
          f"{status} {code}")
    status, _ = server.request("POST", "/v1/time-crunch/preview?userKey=u", fixture("fits-as-written"))
    check("oversized: the server still answers previews", status == 200 and server.healthy(), f"{status}")


# --- slow clients ------------------------------------------------------------

def slow(server):
    def trickle_headers(out):
        """Slowloris: one header line every second, never finishing."""
        started = time.time()
        s = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT_S + 10)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nhost: t\r\n")
            s.setblocking(False)
            for i in range(TIMEOUT_S + 8):
                try:
                    s.sendall(f"x-slow-{i}: 1\r\n".encode())
                    if s.recv(1024) == b"":
                        break
                except BlockingIOError:
                    pass
                except OSError:
                    break
                time.sleep(1)
        finally:
            s.close()
        out.append(time.time() - started)

    def stalled_body(out):
        started = time.time()
        answer = server.raw(post_head("/v1/telemetry", 200) + b'{"events": [', read_timeout=TIMEOUT_S + 10)
        out.append((status_and_code(answer), time.time() - started))

    cut, timed_out = [], []
    threads = [threading.Thread(target=trickle_headers, args=(cut,)) for _ in range(50)]
    threads.append(threading.Thread(target=stalled_body, args=(timed_out,)))
    for t in threads:
        t.start()
    time.sleep(2)
    started = time.time()
    served = server.request("POST", "/v1/time-crunch/preview?userKey=u", fixture("fits-as-written"))[0]
    served_in = time.time() - started
    for t in threads:
        t.join()
    check("slow: 50 slowloris clients do not keep others waiting", served == 200 and served_in < 1,
          f"preview {served} in {served_in * 1000:.0f} ms")
    check(f"slow: headers still incomplete after {TIMEOUT_S} s: connection closed",
          len(cut) == 50 and max(cut) < TIMEOUT_S + 3, f"closed after {min(cut):.1f}–{max(cut):.1f} s" if cut else "")
    ((status, code), took), = timed_out
    check(f"slow: a body stalled past {BODY_TIMEOUT_S} s: 408 timeout", (status, code) == (408, "timeout")
          and BODY_TIMEOUT_S - 1 < took < BODY_TIMEOUT_S + 3, f"{status} {code} after {took:.1f} s")


# --- full and unusable data directory ----------------------------------------

FSIZE_LIMIT = 1 << 20  # 1 MiB: the write-ahead log reaches it after a few thousand events


def full_disk(binary):
    def limited():
        # A full disk fails writes with ENOSPC; a file size limit fails them
        # with EFBIG, and SIGXFSZ (which would kill the process) is ignored
        # as a service manager's LimitFSIZE would need.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE_LIMIT, resource.RLIM_INFINITY))

    server = Server(binary, preexec=limited).start()
    acknowledged, refused, refusal = [], [], None
    for n in range(2000):
        batch = events(f"f{n}", 50)
        status, body = post_events(server, batch)
        if status == 202 and json.loads(body)["accepted"] == 50:
            acknowledged.extend(e["id"] for e in batch)
        else:
            refused.append([e["id"] for e in batch])
            refusal = (status, body)
            if len(refused) >= 3:
                break
    code = json.loads(refusal[1])["error"]["code"] if refusal else None
    check("full data dir: telemetry refused with 503 unavailable once the database cannot grow",
          refusal is not None and refusal[0] == 503 and code == "unavailable",
          f"{len(acknowledged)} events stored first; then {refusal[0] if refusal else None} {code}")
    preview = server.request("POST", "/v1/time-crunch/preview?userKey=u", fixture("fits-as-written"))[0]
    ready = server.request("GET", "/readyz")[0]
    check("full data dir: previews and readiness go on", preview == 200 and ready == 200,
          f"preview {preview}, readyz {ready}")
    resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    batch = events("after-room", 50)
    status, body = post_events(server, batch)
    if status == 202:
        acknowledged.extend(e["id"] for e in batch)
    check("full data dir: stores again once there is room, without a restart", status == 202, f"{status}")

    server.kill()
    server.start()  # the same data directory, still with the file size limit
    stored = set(server.exported_ids(TOKEN))
    missing = [i for i in acknowledged if i not in stored]
    partial = [b for b in refused if any(i in stored for i in b) and not all(i in stored for i in b)]
    check("full data dir: after kill -9, every acknowledged event is stored, no refused batch in part",
          not missing and not partial, f"{len(acknowledged)} acknowledged, {len(missing)} missing, "
          f"{len(partial)} refused batches stored in part")
    server.close()


def unusable_data_dir(binary):
    base = temp_dir()
    blocker = os.path.join(base, "a-file")
    open(blocker, "w").close()
    database_is_a_dir = os.path.join(base, "dir")
    os.makedirs(os.path.join(database_is_a_dir, "telemetry.sqlite3"))
    for name, data_dir, expect in [("under a regular file", os.path.join(blocker, "data"), "cannot create data dir"),
                                   ("whose database is a directory", database_is_a_dir, "cannot open")]:
        twin = Twin(binary, data_dir, static_dir=base, pkg_dir=base, env={"RUST_LOG": "error"}, ready_timeout=15)
        try:
            twin.start()
            status, message = None, f"started and listening at {twin.url}"
        except TwinExited as exited:
            status, message = exited.returncode, exited.stderr
        except TimeoutError:
            status, message = None, "still running after 15 s"
        twin.close()
        check(f"unusable data dir at start ({name}): exit status 2 with a clear message",
              status == 2 and expect in message, f"status {status}: {message[:120]}")


def main():
    binary = sys.argv[1]
    server = Server(binary).start()
    # The slow-client checks take the 10 s limit; the data-directory checks
    # use servers of their own and run meanwhile.
    slow_thread = threading.Thread(target=slow, args=(server,))
    slow_thread.start()
    full_disk(binary)
    unusable_data_dir(binary)
    slow_thread.join()
    malformed(server)
    oversized(server)
    overload(server)
    check("the server is still healthy after every fault", server.healthy())
    code = server.stop()
    server.close()
    check("SIGTERM still shuts down cleanly", code == 0, f"exit status {code}")

    finish("faults")


if __name__ == "__main__":
    main()
