"""Starts the server twin for the Python process tests.

The twin listens on port 0 for both the API and the metrics and writes the
addresses it got to a ready file (`--ready-file`, written with a rename, so
it is whole once it exists). Reading that file is the only way these tests
learn a port: picking a "free" port beforehand and handing it over is a
race with every other process binding ports.

    with Twin(binary, data_dir, env={"RUST_LOG": "warn"}) as twin:
        twin.port, twin.metrics_port, twin.url
        twin.kill(); twin.start()   # same data dir; the ports may change
        twin.exported_ids(token)    # every stored event's id, from the admin export
"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time


class TwinExited(RuntimeError):
    """The server exited before it was ready (bad config, unusable data dir...)."""

    def __init__(self, returncode, stderr):
        super().__init__(f"server twin exited with status {returncode} before it was ready:\n{stderr}")
        self.returncode = returncode
        self.stderr = stderr


class Twin:
    def __init__(self, binary, data_dir, *, static_dir=None, pkg_dir=None, flags=None, env=None, extra_args=(),
                 preexec_fn=None, ready_timeout=30):
        self.binary = binary
        self.data_dir = data_dir
        self.static_dir = static_dir or data_dir
        self.pkg_dir = pkg_dir or data_dir
        self.flags = flags
        self.env = dict(os.environ, **(env or {}))
        self.extra_args = list(extra_args)
        self.preexec_fn = preexec_fn  # e.g. resource limits for the child only
        self.ready_timeout = ready_timeout
        # The ready file and the server's stderr, kept apart from the data dir.
        self.dir = tempfile.mkdtemp(prefix="tc-twin-")
        self.ready_file = os.path.join(self.dir, "ready.json")
        self.proc = None
        self.port = self.metrics_port = self.url = None

    def start(self):
        """Starts the server and waits until both its listeners are bound."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        if os.path.exists(self.ready_file):
            os.remove(self.ready_file)  # a restart must not read the last run's ports
        args = [self.binary, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--ready-file",
                self.ready_file, "--data-dir", self.data_dir, "--static-dir", self.static_dir,
                "--pkg-dir", self.pkg_dir]
        if self.flags:
            args += ["--flags", self.flags]
        # stderr goes to a file (a pipe nobody reads could fill and block the server).
        with open(os.path.join(self.dir, "stderr.log"), "wb") as stderr:
            self.proc = subprocess.Popen(args + self.extra_args, env=self.env, stdout=subprocess.DEVNULL,
                                         stderr=stderr, preexec_fn=self.preexec_fn)
        deadline = time.monotonic() + self.ready_timeout
        while not os.path.exists(self.ready_file):
            if self.proc.poll() is not None:
                raise TwinExited(self.proc.returncode, self.stderr())
            if time.monotonic() > deadline:
                self.kill()
                raise TimeoutError(f"server twin not ready after {self.ready_timeout} s:\n{self.stderr()}")
            time.sleep(0.02)
        with open(self.ready_file) as f:
            ready = json.load(f)
        self.url = ready["url"]
        self.port = int(ready["addr"].rsplit(":", 1)[1])
        self.metrics_port = int(ready["metricsAddr"].rsplit(":", 1)[1])
        return self

    def exported_ids(self, token, timeout=30):
        """Every stored event's id from the admin export (`since` paging, in
        seq order); an answer other than 200 fails the test that asked."""
        ids, since = [], 0
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                conn.request("GET", f"/v1/admin/telemetry?since={since}", headers={"authorization": f"Bearer {token}"})
                response = conn.getresponse()
                status, body = response.status, response.read()
            finally:
                conn.close()
            assert status == 200, f"admin export answered {status}: {body[:200]!r}"
            lines = body.decode().splitlines()
            if not lines:
                return ids
            for line in lines:
                row = json.loads(line)
                ids.append(row["event"]["id"])
                since = row["seq"]

    def stderr(self):
        """What the server wrote to stderr so far (its last 4000 characters)."""
        with open(os.path.join(self.dir, "stderr.log"), errors="replace") as f:
            return f.read()[-4000:].strip()

    def stop(self, timeout=15):
        """SIGTERM, then waits. Returns the exit status, or None when it did
        not exit within `timeout` (it is then killed)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        """kill -9, as a crash or the OOM killer would."""
        self.proc.kill()
        self.proc.wait()

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.close()
