"""A throwaway PostgreSQL cluster for the process tests and the benchmark.

Debian's PostgreSQL (`initdb`, `pg_ctl`, `psql`), a cluster in a temporary
directory that listens on a unix socket in that directory only (no TCP
port, so nothing to pick or race for), with password logins
(scram-sha-256). initdb refuses to run as root, so as root the cluster is
run as the unprivileged `postgres` user the Debian package creates.

    with Cluster() as pg:
        pg.url("timecrunch")                  # postgres://…, for --database-url
        pg.create_database("other"); pg.sql("SELECT 1", "other")
        pg.stop(); pg.start()
        pids = pg.freeze(); pg.thaw(pids)     # SIGSTOP / SIGCONT, by pid
"""
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import urllib.parse

USER = "timecrunch"
PASSWORD = "pg-test-password"


def _bin_dir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is missing (Debian package postgresql; scripts/setup.sh installs it)")
    return os.path.dirname(found[-1])


class Cluster:
    def __init__(self):
        self.bin = _bin_dir()
        self.dir = tempfile.mkdtemp(prefix="tc-pg-")
        self.data = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "socket")
        self.log = os.path.join(self.dir, "postgres.log")
        os.mkdir(self.socket)
        self.as_user = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            for path in (self.dir, self.socket):
                os.chown(path, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        password_file = os.path.join(self.dir, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD + "\n")
        if self.as_user:
            os.chown(password_file, pwd.getpwnam("postgres").pw_uid, -1)
        self._run("initdb", "-D", self.data, "-U", USER, "--auth=scram-sha-256", f"--pwfile={password_file}",
                  "-E", "UTF8", "--no-sync", "--no-instructions")
        os.remove(password_file)

    def _run(self, tool, *args):
        result = subprocess.run(self.as_user + [os.path.join(self.bin, tool), *args], capture_output=True, text=True,
                                timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def start(self):
        options = f"-c listen_addresses='' -k {self.socket} -c max_connections=200"
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-o", options, "start")
        return self

    def stop(self, mode="fast"):
        """`fast` disconnects clients and shuts down cleanly; `immediate` is a crash."""
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop")

    def processes(self):
        """The pids of this cluster: the postmaster (postmaster.pid) and its children."""
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            postmaster = int(f.readline())
        pids = [postmaster]
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        stat = f.read()
                except OSError:
                    continue  # ended meanwhile
                if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                    pids.append(int(entry))
        return pids

    def freeze(self):
        """SIGSTOP to every process of this cluster: a host that stops answering
        without closing its connections. Returns the pids, for thaw()."""
        pids = self.processes()
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    def thaw(self, pids):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    def url(self, database, password=PASSWORD, user=USER):
        host = urllib.parse.quote(self.socket, safe="")
        return f"postgres://{user}:{urllib.parse.quote(password, safe='')}@{host}/{database}"

    def sql(self, statement, database="postgres"):
        """Runs SQL through psql; returns its unaligned output without headers."""
        result = subprocess.run(
            [os.path.join(self.bin, "psql"), "-h", self.socket, "-U", USER, "-d", database, "-X", "-q", "-A", "-t",
             "-v", "ON_ERROR_STOP=1", "-c", statement],
            capture_output=True, text=True, timeout=60, env=dict(os.environ, PGPASSWORD=PASSWORD))
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def create_database(self, name):
        self.sql(f'CREATE DATABASE "{name}"')

    def close(self):
        try:
            self.stop("immediate")
        except RuntimeError:
            pass  # not running
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.close()
