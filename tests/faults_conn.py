#!/usr/bin/env python3
"""Connections, load shedding and metric series, against the real server
twin process (issue 14, findings 1 to 3). Loopback has the whole of
127.0.0.0/8, so an attacker and a well-behaved client are told apart by
their source address (127.0.0.2 and up, and 127.0.0.1).

- one client cannot take the API down: 520 HTTP/1 connections trickling
  bodies and 3 HTTP/2 cleartext connections with 200 stalled streams each,
  while /healthz and /readyz answer 200 and another client's preview
  succeeds; the stalled bodies are answered 408 `timeout` after the 5 s
  body read timeout (before the 10 s request timeout); the telemetry rate
  limit, the flag and the announced size are answered before a stalled
  body is read;
- connections end: idle HTTP/2 connections, connections that never send a
  byte and slowloris clients are closed within the idle timeout, on the
  API and on the metrics listener;
- a server allowed 256 files (RLIMIT_NOFILE) keeps answering /healthz
  while one client opens 1,050 connections;
- 3,000 requests with made-up methods do not grow /metrics.

HTTP/2 is spoken with a few hand-made frames (prior knowledge, no TLS,
headers as HPACK literals), so this needs nothing beyond the standard library.

Run with: python3 tests/faults_conn.py PATH/TO/server   (scripts/test.sh does)
"""
import faulthandler
import http.client
import json
import os
import resource
import socket
import struct
import sys
import threading
import time

from faults import fixture, post_head, status_and_code
from checks import check, finish, temp_dir
from twin import Twin

FLAG = "feature.stream5_time_crunch_mode"
BODY_TIMEOUT_S = 5  # examples/server/src/config.rs BODY_READ_TIMEOUT_SECONDS
REQUEST_TIMEOUT_S = 10  # config.rs REQUEST_TIMEOUT_SECONDS
IDLE_TIMEOUT_S = 10  # config.rs IDLE_TIMEOUT_SECONDS
CLIENT = "127.0.0.1"  # the well-behaved client





def attacker(n):
    """The n-th attacking client's source address."""
    return f"127.0.0.{n + 1}"


class Server(Twin):
    def __init__(self, binary, env=None, preexec=None):
        data = temp_dir()
        flags = os.path.join(data, "flags.json")
        with open(flags, "w") as f:  # on for "u", off for everyone else
            json.dump({"flags": {FLAG: {"enabled": True, "rolloutPercent": 0, "allow": ["u"]}}}, f)
        super().__init__(binary, data, flags=flags, preexec_fn=preexec,
                         env=dict({"TIME_CRUNCH_TELEMETRY_RATE": "0", "RUST_LOG": "error"}, **(env or {})))

    def request(self, method, path, body=None, port=None, timeout=5):
        conn = http.client.HTTPConnection(CLIENT, port or self.port, timeout=timeout,
                                          source_address=(CLIENT, 0))
        try:
            conn.request(method, path, body=body, headers={"content-type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read()
        except OSError as error:
            return None, repr(error).encode()
        finally:
            conn.close()

    def connect(self, source, port=None, timeout=5):
        return socket.create_connection(("127.0.0.1", port or self.port), timeout=timeout,
                                        source_address=(source, 0))

    def series(self):
        """The sample lines of /metrics (one per series)."""
        status, body = self.request("GET", "/metrics", port=self.metrics_port, timeout=10)
        return [line for line in body.decode(errors="replace").splitlines() if line and not line.startswith("#")]


# --- HTTP/2 with prior knowledge, a few frames by hand -----------------------

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS, SETTINGS_ACK = 0x4, 0x1
HEADERS, END_HEADERS = 0x1, 0x4


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def hpack_literal(name, value):
    """A header as an HPACK literal without indexing, new name, no Huffman."""
    name, value = name.encode(), value.encode()
    assert len(name) < 127 and len(value) < 127
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def h2_open(server, source, port=None):
    """An HTTP/2 connection past its preface and settings exchange."""
    s = server.connect(source, port)
    s.sendall(PREFACE + frame(SETTINGS, 0, 0))
    s.settimeout(1)
    try:
        s.recv(65536)  # the server's SETTINGS (and perhaps more)
        s.sendall(frame(SETTINGS, SETTINGS_ACK, 0))
    except socket.timeout:
        pass
    return s


def h2_stalled_posts(s, path, n):
    """n POST streams whose headers announce a 1000-byte body never sent."""
    block = [hpack_literal(k, v) for k, v in [(":method", "POST"), (":scheme", "http"), (":path", path),
                                               (":authority", "t"), ("content-type", "application/json"),
                                               ("content-length", "1000")]]
    s.sendall(b"".join(frame(HEADERS, END_HEADERS, 2 * i + 1, b"".join(block)) for i in range(n)))


def closed_within(groups, deadline):
    """How many sockets of each group the server closed before `deadline`
    (reading and discarding whatever it sends first, such as a GOAWAY)."""
    closed = {group: 0 for group in groups}
    open_ = [(group, s) for group, sockets in groups.items() for s in sockets]
    while open_ and time.time() < deadline:
        still = []
        for group, s in open_:
            s.setblocking(False)
            try:
                while True:
                    if s.recv(65536) == b"":
                        closed[group] += 1
                        break
            except BlockingIOError:
                still.append((group, s))
            except OSError:  # reset
                closed[group] += 1
        open_ = still
        time.sleep(0.2)
    for sockets in groups.values():
        for s in sockets:
            s.close()
    return closed


# --- finding 1: one client cannot take the API down --------------------------

def one_client_cannot_take_it_down(binary):
    server = Server(binary).start()
    holders = []
    try:
        for _ in range(520):
            s = server.connect(attacker(1))
            holders.append(s)
            try:
                s.sendall(post_head("/v1/telemetry", 1000) + b"{")
            except OSError:
                pass  # closed: past this client's share of connections
        h2 = [h2_open(server, attacker(2)) for _ in range(3)]
        for s in h2:
            h2_stalled_posts(s, "/v1/telemetry", 200)
        holders += h2
        held_at = time.time()
        time.sleep(0.5)
        probes = []
        for _ in range(10):
            probes += [server.request("GET", "/healthz")[0], server.request("GET", "/readyz")[0]]
            time.sleep(0.05)
        check("shedding: /healthz and /readyz answer 200 while one client holds 520 HTTP/1 and 600 HTTP/2 requests",
              probes == [200] * len(probes), f"{probes.count(200)} of {len(probes)} probes 200: {sorted(set(map(str, probes)))}")
        preview = server.request("POST", "/v1/time-crunch/preview?userKey=u", fixture("fits-as-written"))[0]
        check("shedding: another client's preview is answered meanwhile", preview == 200, f"preview {preview}")
        # The first connections got a slot; their stalled bodies are cut by
        # the body read timeout, not the request timeout.
        first = holders[0]
        first.settimeout(REQUEST_TIMEOUT_S + 5)
        try:
            answer = first.recv(65536)
        except OSError:
            answer = b""
        took = time.time() - held_at
        status, code = status_and_code(answer)
        check(f"shedding: a trickled body is answered 408 timeout after {BODY_TIMEOUT_S} s, before the "
              f"{REQUEST_TIMEOUT_S} s request timeout", (status, code) == (408, "timeout")
              and took < BODY_TIMEOUT_S + 2, f"{status} {code} after {took:.1f} s")
    finally:
        for s in holders:
            s.close()
        server.close()


def checks_before_the_body(binary):
    """Each of these requests announces a body and sends one byte of it:
    the answer must come at once, without waiting for the rest."""
    server = Server(binary, env={"TIME_CRUNCH_TELEMETRY_RATE": "1"}).start()  # bursts of 2

    def stalled(path, length=1000, source=attacker(3)):
        s = server.connect(source, timeout=REQUEST_TIMEOUT_S + 5)
        started = time.time()
        s.sendall(post_head(path, length) + b"{")
        try:
            answer = s.recv(65536)
        except OSError:
            answer = b""
        s.close()
        return status_and_code(answer), time.time() - started

    try:
        cases = [("the flag is off for this user", "/v1/time-crunch/preview?userKey=out", 1000, (404, "feature_not_available")),
                 ("a Content-Length over the limit", "/v1/time-crunch/preview?userKey=u", 100 * 1024 * 1024,
                  (413, "payload_too_large"))]
        # Two batches make the burst; they stall and are cut by the body timeout meanwhile.
        burst = [threading.Thread(target=stalled, args=("/v1/telemetry",)) for _ in range(2)]
        for t in burst:
            t.start()
        time.sleep(0.3)
        cases.append(("the client is over its telemetry rate", "/v1/telemetry", 1000, (429, "rate_limited")))
        for name, path, length, want in cases:
            got, took = stalled(path, length)
            check(f"before the body: {name}: {want[0]} {want[1]} at once", got == want and took < 1,
                  f"{got[0]} {got[1]} after {took:.1f} s")
        for t in burst:
            t.join()
    finally:
        server.close()


# --- finding 2: connections end -------------------------------------------------

def connections_end(binary):
    server = Server(binary).start()
    try:
        groups = {}
        # The metrics listener holds few connections (32), and a client half of them.
        for where, port, n in [("API", server.port, 20), ("metrics", server.metrics_port, 5)]:
            groups[f"{where}: {2 * n} idle HTTP/2 connections"] = [h2_open(server, attacker(4), port)
                                                                   for _ in range(2 * n)]
            groups[f"{where}: {n} connections that never send a byte"] = [server.connect(attacker(5), port)
                                                                          for _ in range(n)]
            slow = []
            for _ in range(n):
                s = server.connect(attacker(6), port)
                s.sendall(b"GET /metrics HTTP/1.1\r\nhost: t\r\n")
                slow.append(s)
            groups[f"{where}: {n} slowloris connections"] = slow
        started = time.time()

        def trickle():  # one more header line every second on the slowloris ones
            while time.time() - started < IDLE_TIMEOUT_S + 4:
                for group, sockets in groups.items():
                    if "slowloris" in group:
                        for s in sockets:
                            try:
                                s.send(b"x-slow: 1\r\n")
                            except OSError:
                                pass
                time.sleep(1)

        trickler = threading.Thread(target=trickle)
        trickler.start()
        deadline = started + IDLE_TIMEOUT_S + 4
        counts = closed_within(groups, deadline)
        trickler.join()
        for group, sockets in groups.items():
            check(f"connections end: {group}: closed within {IDLE_TIMEOUT_S + 4} s",
                  counts[group] == len(sockets), f"{counts[group]} of {len(sockets)} closed")
        status = server.request("GET", "/healthz")[0]
        check("connections end: the server still answers", status == 200, f"healthz {status}")
    finally:
        server.close()


def file_limit(binary):
    limit = 256

    def low_file_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    server = Server(binary, preexec=low_file_limit).start()
    held = []
    try:
        opening = time.time()
        for _ in range(1050):
            if time.time() - opening > 10:
                break  # the server stopped accepting
            try:
                s = server.connect(attacker(7), timeout=0.5)
                s.sendall(PREFACE + frame(SETTINGS, 0, 0))
                held.append(s)
            except OSError:
                pass  # refused or closed: the server keeps its files
        probes = []
        for _ in range(5):
            started = time.time()
            status = server.request("GET", "/healthz", timeout=3)[0]
            probes.append((status, time.time() - started))
            time.sleep(0.2)
        answered = [took for status, took in probes if status == 200]
        check(f"file limit {limit}: /healthz answered while one client opens 1,050 connections",
              len(answered) == len(probes), f"{len(answered)} of {len(probes)} probes 200, "
              f"{len(held)} connections opened")
        status = server.request("GET", "/metrics", port=server.metrics_port, timeout=3)[0]
        check(f"file limit {limit}: metrics scraped meanwhile", status == 200, f"metrics {status}")
    finally:
        for s in held:
            s.close()
        server.close()


# --- finding 3: bounded series ---------------------------------------------------

def bounded_series(binary):
    server = Server(binary).start()
    try:
        assert server.request("GET", "/healthz")[0] == 200
        before = server.series()
        for batch in range(6):  # 500 pipelined requests on each of 6 connections
            s = server.connect(CLIENT, timeout=10)
            s.sendall(b"".join(f"M{batch}X{i} /healthz HTTP/1.1\r\nhost: t\r\n\r\n".encode() for i in range(500)))
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
            s.close()
        after = server.series()
        methods = {line.split('method="', 1)[1].split('"', 1)[0] for line in after if 'method="' in line}
        check("bounded series: 3,000 requests with made-up methods add at most one method label value",
              len(after) - len(before) <= 20 and len(methods) <= 8,
              f"{len(before)} series before, {len(after)} after; method labels {sorted(methods)[:10]}")
    finally:
        server.close()


def main():
    binary = sys.argv[1]
    # Every wait here is bounded; should one not be, fail with where it hung.
    faulthandler.dump_traceback_later(120, exit=True)
    # The client side needs more files than 1,050 connections.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    started = time.time()
    # The idle checks wait out the idle timeout; the rest run meanwhile.
    idle = threading.Thread(target=connections_end, args=(binary,))
    idle.start()
    for test in [one_client_cannot_take_it_down, checks_before_the_body, file_limit, bounded_series]:
        test(binary)
    idle.join()
    finish("faults_conn", f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
