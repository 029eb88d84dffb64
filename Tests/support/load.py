"""Load for process-level tests (the crash test, the restore drill): `carejourney serve` on a fast virtual clock that
can be killed and started again, and clients that open cases and walk them to sign-off, each command with an
Idempotency-Key, retried with the same key until it is answered. Stdlib only.
"""
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

TIME_SCALE = "200000"  # 72 hours pass in 1.3 s; 6 weeks in 18 s

JOURNEY = [
    ("start-assessment", {}),
    ("assessment-completed", {"needs": ["personal care"], "outcomes": ["stay at home"]}),
    ("eligibility-decided", {"eligible": True}),
    ("ras-completed", {"points": 45, "informalSupport": "none"}),
    # Every item the shipped policy asks of a plan, and the financial assessment sign-off waits for (as
    # EventCatalog.pathToDelivery).
    ("plan-updated", {
        "metByNetwork": ["family"], "personalBudget": 320,
        "councilManaged": {"services": ["home care"], "weeklyCost": 320},
        "riskManagement": "pendant", "contingencyPlan": "agency cover", "contingencyBudget": 0,
        "informationAndAdvice": "falls prevention class", "importantTo": "her garden",
        "importantFor": "eating well", "decisionsAndControl": "she directs her own care",
        "needsMetByCouncil": [{"need": "personal care", "how": "home care twice a day"}]}),
    ("financial-assessment-completed", {"outcome": "contribution", "weeklyContribution": 40}),
    ("sign-off", {}),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`carejourney serve` on `data_dir` at `port`, its log in serve.log beside the data folder: on a virtual clock
    `time_scale` times the wall clock's (`None`: the wall clock), with `extra` arguments (a node of a PostgreSQL store:
    `extra=["--store", url, "--node", name]`). `start` returns once it answers /healthz."""

    def __init__(self, binary, data_dir, port, time_scale=TIME_SCALE, extra=(), log_name="serve.log", env=None):
        self.binary, self.data_dir, self.port, self.time_scale = binary, data_dir, port, time_scale
        # The broker on a port of its own, so another serve on this machine (a demo, say) does not collide.
        self.mdp = f"tcp://127.0.0.1:{free_port()}"
        self.process = None
        self.extra, self.env = list(extra), env
        self.log = open(os.path.join(os.path.dirname(data_dir), log_name), "ab")

    def start(self):
        clock = ["--time-scale", self.time_scale] if self.time_scale else []
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data-dir", self.data_dir, "--http", f"127.0.0.1:{self.port}", *clock,
             "--zmq", self.mdp, "--events", "off"] + self.extra,
            stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        self.kill()
        raise SystemExit(f"the server did not come up within 60 s (see {self.log.name})")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


class Client(threading.Thread):
    """Opens cases and walks them through the journey, retrying each command with its key until answered: on the
    next of `port`'s servers when it is a list (nodes of one store), else on the same one.

    `answered` lists (key, path, name, status, body, when) with `when` the monotonic time the answer arrived."""

    def __init__(self, port, stop):
        super().__init__(daemon=True)
        self.ports = port if isinstance(port, list) else [port]
        self.stop = stop
        self.answered = []
        self.retries = 0
        self.moved = 0  # retries sent to another server than the one that failed
        self.turn = 0

    @property
    def port(self):
        return self.ports[self.turn % len(self.ports)]

    def failed(self):
        self.retries += 1
        if len(self.ports) > 1:
            self.turn += 1
            self.moved += 1

    def send(self, path, body):
        """Sends until answered: a command in flight is always seen through, even after the stop."""
        key = str(uuid.uuid4())
        data = json.dumps(body).encode()
        while True:
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}{path}", data=data, method="POST",
                headers={"Content-Type": "application/json", "Idempotency-Key": key})
            try:
                with urllib.request.urlopen(request, timeout=10) as r:
                    answer = (key, path, body.get("name", "contact"), r.status, json.loads(r.read()),
                              time.monotonic())
                    self.answered.append(answer)
                    return answer
            except urllib.error.HTTPError as e:
                if e.code == 503:
                    self.failed()
                    time.sleep(0.05)
                    continue
                answer = (key, path, body.get("name", "contact"), e.code, json.loads(e.read() or b"{}"),
                          time.monotonic())
                self.answered.append(answer)
                return answer
            except OSError:
                self.failed()  # the server is down: same key again, once it is back or on another
                time.sleep(0.05)

    def run(self):
        while not self.stop.is_set():
            opened = self.send("/api/cases", {"data": {"name": f"Load {uuid.uuid4().hex[:6]}", "clientType": "adult",
                                                       "route": "gp"}})
            if opened[3] != 201:
                return
            case = opened[4]["id"]
            for name, data in JOURNEY:
                if self.stop.is_set():
                    break
                self.send(f"/api/cases/{case}/events", {"name": name, "data": data})


def kept_outcome_matches(db, key, name, body):
    """Whether the outcome the store keeps for Idempotency-Key `key` is the one the client was answered with: the
    same event on the same case at the same version (the API renders a retry's answer from it)."""
    row = db.execute("SELECT outcome FROM idempotency WHERE key = ?", (key,)).fetchone()
    if not row or row[0] is None:
        return False
    applied = json.loads(row[0]).get("applied", {}).get("_0", {})
    return (applied.get("caseID"), applied.get("version"), applied.get("event")) == (body["id"], body["version"], name)
