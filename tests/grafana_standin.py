"""A stand-in for Grafana's HTTP API, for testing deploy-dashboard (Grafana
itself cannot be installed on these machines). It implements exactly the
three documented endpoints the tool calls, and answers as Grafana does,
errors included:

- GET  /api/health              {"commit", "database": "ok", "version"}; no key needed
- POST /api/dashboards/db       {"dashboard", "folderUid", "overwrite", "message"} ->
                                {"id", "uid", "url", "status": "success", "version", "slug"};
                                400 "bad request data" / "folder not found", 401, 403,
                                412 version-mismatch / name-exists (overwrite false)
- GET  /api/dashboards/uid/UID  {"dashboard", "meta"}; 401, 404 "Dashboard not found"

Keys: --editor-key may save and read, --viewer-key may only read (403 on
save, as Grafana's RBAC answers), no key is 401 "Unauthorized", any other
key 401 "Invalid API key". Dashboards are kept in memory, versioned as
Grafana versions them (1 when created, +1 per save).

Knobs for the failure paths: --delay SECONDS (every answer late: a
timeout), --html (every answer a 200 HTML page, as a login proxy gives),
--redirect (every answer 302 to /login), --drop-panel (a read-back misses
the dashboard's last panel), --database-failing (health 503); --tls CERT KEY
serves HTTPS.

Run with: python3 tests/grafana_standin.py --ready-file FILE [--log FILE] [options]
It binds 127.0.0.1 port 0 and writes {"url"} to the ready file once
listening; --log gets one JSON line per request (method, path,
authorization, body).
"""
import argparse
import json
import os
import re
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = {"commit": "standin", "database": "ok", "version": "11.3.0"}
UNAUTHORIZED = {"extra": None, "message": "Unauthorized", "messageId": "auth.unauthorized", "statusCode": 401, "traceID": ""}
INVALID_KEY = {"extra": None, "message": "Invalid API key", "messageId": "api-keys.invalid", "statusCode": 401, "traceID": ""}
ACCESS_DENIED = {
    "accessErrorId": "ACE5274621960",
    "message": "You'll need additional permissions to perform this action. Permissions needed: any of dashboards:create, dashboards:write",
    "title": "Access denied",
}
MAX_BODY = 10 * 1024 * 1024


def slugify(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class Grafana:
    """The dashboards and folders one stand-in keeps."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.folders = {uid: {"uid": uid, "title": uid.title()} for uid in args.folder}
        self.dashboards = {}  # uid -> {"id", "model", "folderUid", "version"}
        self.next_id = 1

    def save(self, body):
        dashboard = body.get("dashboard") if isinstance(body, dict) else None
        if not isinstance(dashboard, dict):
            return 400, {"message": "bad request data", "traceID": ""}
        title = dashboard.get("title")
        if not isinstance(title, str) or not title.strip():
            return 400, {"message": "Dashboard title cannot be empty", "status": "empty-name"}
        folder = body.get("folderUid") or ""
        if folder and folder not in self.folders:
            return 400, {"message": "folder not found"}
        overwrite = body.get("overwrite") is True
        with self.lock:
            uid = dashboard.get("uid") or f"standin{self.next_id}"
            existing = self.dashboards.get(uid)
            if not overwrite:
                if existing and dashboard.get("version") != existing["version"]:
                    return 412, {"message": "The dashboard has been changed by someone else", "status": "version-mismatch"}
                for other_uid, other in self.dashboards.items():
                    if other_uid != uid and other["folderUid"] == folder and other["model"]["title"] == title:
                        return 412, {"message": "A dashboard with the same name in the folder already exists", "status": "name-exists"}
            if existing:
                number, version = existing["id"], existing["version"] + 1
            else:
                number, version = self.next_id, 1
                self.next_id += 1
            model = dict(dashboard, id=number, uid=uid, version=version)
            self.dashboards[uid] = {"id": number, "model": model, "folderUid": folder, "version": version}
        slug = slugify(title)
        return 200, {"id": number, "uid": uid, "url": f"/d/{uid}/{slug}", "status": "success", "version": version, "slug": slug}

    def read(self, uid):
        with self.lock:
            stored = self.dashboards.get(uid)
            if stored is None:
                return 404, {"message": "Dashboard not found"}
            model = json.loads(json.dumps(stored["model"]))
            folder = stored["folderUid"]
        if self.args.drop_panel and model.get("panels"):
            model["panels"].pop()
        slug = slugify(model["title"])
        meta = {
            "type": "db", "canSave": True, "canEdit": True, "isStarred": False, "slug": slug,
            "url": f"/d/{uid}/{slug}", "version": model["version"], "folderUid": folder,
            "folderTitle": self.folders[folder]["title"] if folder else "General",
            "folderUrl": f"/dashboards/f/{folder}/" if folder else "",
        }
        return 200, {"dashboard": model, "meta": meta}


class Handler(BaseHTTPRequestHandler):
    server_version = "Grafana-standin"
    grafana = None
    log_path = None

    def log_message(self, *_):
        pass

    def handle_one(self, method):
        args = self.grafana.args
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, MAX_BODY)) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = "<not JSON>"
        if self.log_path:
            with open(self.log_path, "a") as log:
                log.write(json.dumps({"method": method, "path": self.path,
                                      "authorization": self.headers.get("Authorization"), "body": body}) + "\n")
        if args.delay:
            time.sleep(args.delay)
        if args.html:
            return self.send(200, b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Single sign-on</body></html>",
                             "text/html; charset=utf-8")
        if args.redirect:
            return self.send(302, b"", "text/html", {"Location": "/login"})
        if method == "GET" and self.path == "/api/health":
            if args.database_failing:
                return self.json(503, dict(VERSION, database="failing"))
            return self.json(200, VERSION)
        save = method == "POST" and self.path == "/api/dashboards/db"
        read = method == "GET" and self.path.startswith("/api/dashboards/uid/")
        if not (save or read):
            return self.json(404, {"message": "Not found"})
        authorization = self.headers.get("Authorization")
        if not authorization:
            return self.json(401, UNAUTHORIZED)
        key = authorization[len("Bearer "):] if authorization.startswith("Bearer ") else None
        if key not in (args.editor_key, args.viewer_key):
            return self.json(401, INVALID_KEY)
        if save:
            if key != args.editor_key:
                return self.json(403, ACCESS_DENIED)
            if body is None or body == "<not JSON>":
                return self.json(400, {"message": "bad request data", "traceID": ""})
            return self.json(*self.grafana.save(body))
        return self.json(*self.grafana.read(self.path[len("/api/dashboards/uid/"):]))

    def do_GET(self):
        self.handle_one("GET")

    def do_POST(self):
        self.handle_one("POST")

    def json(self, status, value):
        self.send(status, json.dumps(value).encode(), "application/json")

    def send(self, status, payload, content_type, headers=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--log")
    parser.add_argument("--editor-key", default="editor-key")
    parser.add_argument("--viewer-key", default="viewer-key")
    parser.add_argument("--folder", action="append", default=[], help="uid of an existing folder (repeatable)")
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--html", action="store_true")
    parser.add_argument("--redirect", action="store_true")
    parser.add_argument("--drop-panel", action="store_true")
    parser.add_argument("--database-failing", action="store_true")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    Handler.grafana = Grafana(args)
    Handler.log_path = args.log
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    scheme = "http"
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    ready = args.ready_file + ".tmp"
    with open(ready, "w") as f:
        json.dump({"url": f"{scheme}://127.0.0.1:{server.server_address[1]}"}, f)
    os.replace(ready, args.ready_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
