#!/usr/bin/env python3
"""The edges of the server twin's HTTP surface, against the real process.

- every API error in the SPEC §3 envelope: bad path and query parameters,
  unknown paths under /v1 (while other unknown paths still get the page),
  wrong methods (405 with Allow); what hyper answers itself (431) is at
  least the right status;
- configuration mistakes are exit status 2 and a sentence, never a panic or
  a silent default: TIME_CRUNCH_CORS_ORIGINS (`*` alone means any origin),
  settings that are not UTF-8, one port for both listeners, a flag without
  its value;
- static files: no dotfiles, no symlinks out of the root, only known kinds,
  the right content types, no redirect (`//assets` must not send the browser
  to the host "assets"), and security headers (CSP, nosniff, frame and
  referrer policy) on every answer.

Run with: python3 tests/faults_edges.py PATH/TO/server   (scripts/test.sh does)
"""
import http.client
import json
import os
import socket
import subprocess
import sys

from checks import check, finish, temp_dir
from twin import Twin

TOKEN = "faults-edges-token"
MAX_BODY = 512 * 1024  # examples/server/src/config.rs MAX_BODY_BYTES





def request(port, method, path, body=None, headers=None):
    """(status, headers as a lower-case dict, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def envelope_code(status_headers_body):
    """The envelope's code when the answer is a JSON error envelope, else None."""
    _, headers, body = status_headers_body
    if not headers.get("content-type", "").startswith("application/json"):
        return None
    try:
        error = json.loads(body)["error"]
        return error["code"] if isinstance(error.get("message"), str) else None
    except (ValueError, KeyError, TypeError):
        return None


def raw(port, data):
    """Sends raw bytes; returns all the server answered before closing."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        try:
            s.sendall(data)
        except OSError:
            pass  # answered and closed before all was sent
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def site():
    """A page root and a package root with what a careless deploy leaves in them."""
    base = temp_dir()
    page, pkg = os.path.join(base, "page"), os.path.join(base, "pkg")
    for path, content in {
        "page/index.html": "<!doctype html><title>page</title>",
        "page/assets/app.js": "console.log(1)",
        "page/assets/app.css": "body{}",
        "page/.env": "SECRET=page-env",
        "page/.git/config": "[core] page-git",
        "pkg/time_crunch.js": "export default 1;",
        "pkg/module.mjs": "export {};",
        "pkg/time_crunch.d.ts": "export declare const x: number;",
        "pkg/.gitignore": "pkg-gitignore-secret",
        "pkg/.hidden/inner.js": "hidden-dir-secret",
        "pkg/notes.db": "db-secret",
        "outside/secret.js": "outside-secret",
    }.items():
        full = os.path.join(base, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(content)
    with open(os.path.join(pkg, "time_crunch_bg.wasm"), "wb") as f:
        f.write(b"\0asm\1\0\0\0")
    os.symlink(os.path.join(base, "outside", "secret.js"), os.path.join(pkg, "escape.js"))
    os.symlink("time_crunch.js", os.path.join(pkg, "inside.js"))
    os.symlink(".gitignore", os.path.join(pkg, "to-dotfile.js"))
    return page, pkg


def envelope(binary):
    data = temp_dir()
    with Twin(binary, os.path.join(data, "data"), static_dir=data, pkg_dir=data,
              env={"TIME_CRUNCH_ADMIN_TOKEN": TOKEN, "RUST_LOG": "error"}) as twin:
        p = twin.port
        admin = {"authorization": f"Bearer {TOKEN}"}
        for name, answer, status, code in [
            ("path parameter not UTF-8 (/v1/flags/%ff)", request(p, "GET", "/v1/flags/%ff"), 400, "invalid_request"),
            ("?since=abc on the admin export", request(p, "GET", "/v1/admin/telemetry?since=abc", headers=admin),
             400, "invalid_request"),
            ("?userKey=a&userKey=b", request(p, "GET", "/v1/flags/f?userKey=a&userKey=b"), 400, "invalid_request"),
            ("unknown path under /v1", request(p, "GET", "/v1/nope"), 404, "not_found"),
            ("/v1 itself", request(p, "GET", "/v1"), 404, "not_found"),
            ("POST to an unknown nested /v1 path", request(p, "POST", "/v1/flags/a/b", body=b"{}"), 404, "not_found"),
            ("DELETE /v1/telemetry", request(p, "DELETE", "/v1/telemetry"), 405, "method_not_allowed"),
            ("GET /v1/time-crunch/preview", request(p, "GET", "/v1/time-crunch/preview"), 405, "method_not_allowed"),
            # Announced, not sent: the server answers from the announcement
            # before reading (a body it will not read would be cut off mid-send).
            ("PUT announcing more than the body limit",
             request(p, "PUT", "/v1/admin/flags/f", headers={**admin, "content-length": str(MAX_BODY + 1)}),
             413, "payload_too_large"),
        ]:
            check(f"envelope: {name}: {status} {code}", answer[0] == status and envelope_code(answer) == code,
                  f"{answer[0]} {answer[1].get('content-type')} {answer[2][:80]!r}")
        answer = request(p, "DELETE", "/v1/telemetry")
        check("envelope: 405 names the allowed methods", answer[1].get("allow") == "POST", repr(answer[1].get("allow")))

        headers = b"".join(b"x-h-%d: 1\r\n" % i for i in range(200))
        # 2 MB: hyper refuses a head only once its read buffer (about 400 KB,
        # which one large read can overshoot) is full, so a head just over
        # the limit is sometimes read whole and answered.
        for name, head in [("200 headers", headers), ("one 2 MB header", b"x-big: " + b"a" * 2_000_000 + b"\r\n")]:
            answer = raw(p, b"GET /healthz HTTP/1.1\r\nhost: t\r\n" + head + b"\r\n")
            # hyper answers these while parsing the head, before the router
            # (no envelope possible, see examples/server/src/error.rs).
            check(f"headers: {name}: 431, connection closed", answer.startswith(b"HTTP/1.1 431")
                  and b"connection: close" in answer.lower(), repr(answer[:60]))
        check("envelope: healthy after all of it", request(p, "GET", "/healthz")[:3:2] == (200, b"ok"))

    page, pkg = site()
    with Twin(binary, os.path.join(temp_dir(), "data"), static_dir=page, pkg_dir=pkg,
              env={"RUST_LOG": "error"}) as twin:
        answer = request(twin.port, "GET", "/v1/admin/telemetry")
        check("envelope: admin route without an admin token: 404 not_found, not the page",
              answer[0] == 404 and envelope_code(answer) == "not_found", f"{answer[0]} {answer[2][:60]!r}")
        answer = request(twin.port, "GET", "/workouts/today")
        check("page: other unknown paths still get the page (200 text/html)",
              answer[0] == 200 and answer[1].get("content-type", "").startswith("text/html")
              and b"<title>page</title>" in answer[2], f"{answer[0]} {answer[1].get('content-type')}")


def start_status(binary, args, env, timeout=5):
    """Starts the server with these settings; (exit status, stderr), or
    (None, stderr) when it was still running after `timeout` s."""
    cwd = temp_dir()  # a default relative data dir lands here, not in the repository
    base = ["--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--data-dir", os.path.join(cwd, "data"),
            "--static-dir", cwd, "--pkg-dir", cwd]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIME_CRUNCH_")} | {"RUST_LOG": "error"} | env
    proc = subprocess.Popen([binary] + base + args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        _, stderr = proc.communicate(timeout=timeout)
        return proc.returncode, stderr.decode(errors="replace").strip()
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr = proc.communicate()
        return None, stderr.decode(errors="replace").strip()


def configuration(binary):
    data = temp_dir()
    try:
        with Twin(binary, os.path.join(data, "data"), static_dir=data, pkg_dir=data,
                  env={"TIME_CRUNCH_CORS_ORIGINS": "*", "RUST_LOG": "error"}) as twin:
            answer = request(twin.port, "OPTIONS", "/v1/telemetry", headers={
                "origin": "https://any.example", "access-control-request-method": "POST",
                "access-control-request-headers": "content-type"})
            check("config: TIME_CRUNCH_CORS_ORIGINS='*' starts and lets any origin in",
                  answer[1].get("access-control-allow-origin") == "*", repr(answer[1]))
    except Exception as error:  # the server did not start
        check("config: TIME_CRUNCH_CORS_ORIGINS='*' starts and lets any origin in", False, str(error)[:200])

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for name, args, env, sentence in [
        ("CORS * mixed with an origin", [], {"TIME_CRUNCH_CORS_ORIGINS": "*,https://a.example"},
         "TIME_CRUNCH_CORS_ORIGINS"),
        ("a CORS origin with a trailing slash (never matches)", [],
         {"TIME_CRUNCH_CORS_ORIGINS": "https://a.example/"}, "is not an origin"),
        ("a CORS origin without a scheme", [], {"TIME_CRUNCH_CORS_ORIGINS": "a.example"}, "is not an origin"),
        ("an argument that is not UTF-8", ["--flags", b"flags-\xff.json".decode("utf-8", "surrogateescape")], {},
         "not UTF-8"),
        ("an environment value that is not UTF-8",
         [], {"TIME_CRUNCH_FLAGS": b"flags-\xff.json".decode("utf-8", "surrogateescape")}, "TIME_CRUNCH_FLAGS"),
        ("one port for the API and the metrics",
         ["--addr", f"127.0.0.1:{port}", "--metrics-addr", f"127.0.0.1:{port}"], {}, "--metrics-addr"),
        ("a flag without its value", ["--pkg-dir"], {}, "--pkg-dir needs a value"),
    ]:
        status, stderr = start_status(binary, args, env)
        check(f"config: {name}: exit status 2 and a sentence", status == 2 and sentence in stderr
              and "panicked" not in stderr, f"status {status}: {stderr[:160]}")


def static_files(binary):
    page, pkg = site()
    with Twin(binary, os.path.join(temp_dir(), "data"), static_dir=page, pkg_dir=pkg,
              env={"RUST_LOG": "error"}) as twin:
        p = twin.port
        for path, secret in [("/pkg/.gitignore", b"pkg-gitignore-secret"), ("/pkg/%2egitignore", b"pkg-gitignore"),
                             ("/pkg/.hidden/inner.js", b"hidden-dir-secret"),
                             ("/pkg/to-dotfile.js", b"pkg-gitignore-secret"),
                             ("/pkg/escape.js", b"outside-secret"), ("/pkg/notes.db", b"db-secret")]:
            answer = request(p, "GET", path)
            check(f"static: {path} is not served (404)", answer[0] == 404 and secret not in answer[2],
                  f"{answer[0]} {answer[2][:40]!r}")
        for path, secret in [("/.env", b"page-env"), ("/.git/config", b"page-git")]:
            answer = request(p, "GET", path)
            check(f"static: {path} is not served (the page instead)",
                  secret not in answer[2] and b"<title>page</title>" in answer[2], f"{answer[0]} {answer[2][:40]!r}")
        for path, expected in [("/", "text/html; charset=utf-8"), ("/assets/app.js", "text/javascript; charset=utf-8"),
                               ("/assets/app.css", "text/css; charset=utf-8"),
                               ("/pkg/time_crunch.js", "text/javascript; charset=utf-8"),
                               ("/pkg/module.mjs", "text/javascript; charset=utf-8"),
                               ("/pkg/time_crunch_bg.wasm", "application/wasm"),
                               ("/pkg/time_crunch.d.ts", "text/plain; charset=utf-8"),
                               ("/pkg/inside.js", "text/javascript; charset=utf-8")]:
            answer = request(p, "GET", path)
            check(f"static: {path}: 200 {expected}", answer[0] == 200 and answer[1].get("content-type") == expected,
                  f"{answer[0]} {answer[1].get('content-type')}")
        answer = request(p, "GET", "/pkg/time_crunch.js", headers={"range": "bytes=0-5"})
        check("static: ranges still work (206)", answer[0] == 206 and answer[2] == b"export", f"{answer[0]}")
        for path in ["//assets", "/assets", "//pkg", "///evil.example"]:
            answer = request(p, "GET", path)
            location = answer[1].get("location")
            check(f"static: GET {path} does not redirect", location is None and answer[0] == 200,
                  f"{answer[0]} location {location!r}")

        answer = request(p, "GET", "/")
        csp = answer[1].get("content-security-policy", "")
        directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
        check("headers: the page has a CSP allowing only its own scripts and WebAssembly",
              directives.get("script-src") == "script-src 'self' 'wasm-unsafe-eval'"
              and directives.get("default-src") == "default-src 'none'"
              and "'unsafe-inline'" not in csp, repr(csp))
        check("headers: the page cannot be framed (frame-ancestors and X-Frame-Options)",
              directives.get("frame-ancestors") == "frame-ancestors 'none'"
              and answer[1].get("x-frame-options") == "DENY", repr(answer[1].get("x-frame-options")))
        check("headers: the page has a referrer policy", answer[1].get("referrer-policy") == "no-referrer",
              repr(answer[1].get("referrer-policy")))
        for path in ["/", "/pkg/time_crunch.js", "/pkg/time_crunch_bg.wasm", "/v1/flags/f", "/v1/nope"]:
            answer = request(p, "GET", path)
            check(f"headers: {path}: X-Content-Type-Options: nosniff",
                  answer[1].get("x-content-type-options") == "nosniff", repr(answer[1].get("x-content-type-options")))


def main():
    binary = sys.argv[1]
    envelope(binary)
    configuration(binary)
    static_files(binary)
    finish("faults_edges")


if __name__ == "__main__":
    main()
