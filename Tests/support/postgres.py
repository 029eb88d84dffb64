"""A throwaway PostgreSQL cluster for the Python tests and drills: Debian's server programs, started in a temporary
folder with initdb/pg_ctl (as the `postgres` user when run as root: PostgreSQL refuses root) on a free loopback port,
its superuser `carejourney` with the password PASSWORD, stopped by its PID. stdlib only.
"""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from load import free_port

PASSWORD = "drill-secret"


class Postgres:
    """A throwaway PostgreSQL cluster in `folder`, on a free loopback port."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.bin = self.find_bin()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        os.makedirs(folder, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        self.data = os.path.join(folder, "data")
        password_file = os.path.join(folder, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(password_file, "postgres")
        self.run("initdb", "-D", self.data, "--locale=C", "-E", "UTF8", "-U", "carejourney",
                 f"--pwfile={password_file}", "--auth=scram-sha-256", "--no-sync")

    @staticmethod
    def find_bin():
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
        if not versions:
            raise SystemExit("PostgreSQL is not installed: scripts/setup test installs Debian's postgresql")
        return versions[-1].parent

    def run(self, program, *args):
        result = subprocess.run(self.as_postgres + [str(self.bin / program), *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{program} failed: {result.stdout}{result.stderr}")

    def start(self):
        self.run("pg_ctl", "start", "-w", "-t", "60", "-D", self.data, "-l", os.path.join(self.folder, "server.log"),
                 "-o", f"-p {self.port} -h 127.0.0.1 -k {self.folder}")

    def restart(self):
        self.run("pg_ctl", "restart", "-w", "-t", "60", "-m", "fast", "-D", self.data, "-l",
                 os.path.join(self.folder, "server.log"), "-o", f"-p {self.port} -h 127.0.0.1 -k {self.folder}")

    def stop(self):
        pid_file = os.path.join(self.data, "postmaster.pid")
        if os.path.exists(pid_file):
            with open(pid_file) as f:
                pid = int(f.readline())
            os.kill(pid, signal.SIGTERM)
            deadline = time.time() + 60
            while os.path.exists(pid_file) and time.time() < deadline:
                time.sleep(0.1)

    def url(self, database):
        return f"postgres://carejourney@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def query(self, database, sql):
        """The rows of `sql` as lists of text (NULL as None)."""
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "carejourney", "-d", database, "-X", "-A", "-t",
             "-F", "\x1f", "-P", "null=\x1e", "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True, text=True, env={**os.environ, "PGPASSWORD": PASSWORD})
        if result.returncode != 0:
            raise SystemExit(f"psql failed on {sql!r}: {result.stderr}")
        rows = []
        for line in result.stdout.splitlines():
            rows.append([None if v == "\x1e" else v for v in line.split("\x1f")])
        return rows
