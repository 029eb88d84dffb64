"""What the Python tests share: the `carejourney` binary, free loopback ports, a live `carejourney serve` with
a seeded sample population and a token file, and a stopped service's data folder.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`).
"""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def binary():
    given = os.environ.get("CAREJOURNEY_BIN")
    if given:
        return given
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True)
    return os.path.join(path.stdout.strip(), "carejourney")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PEOPLE = {"tm.ali": "manager", "sw.jones": "practitioner", "ob.reader": "viewer"}


class Server:
    """A running `carejourney serve` with a seeded sample population and a token file: `tokens` holds each
    person's token (see PEOPLE); API calls are made as the manager."""

    def __init__(self, data_dir, sample=60):
        self.data_dir = data_dir
        token_file = os.path.join(data_dir, "tokens.yaml")
        self.tokens = {}
        for name, role in PEOPLE.items():
            made = subprocess.run([binary(), "tokens", "add", token_file, name, "--role", role], check=True,
                                  capture_output=True, text=True)
            self.tokens[name] = made.stdout.strip()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(data_dir, "serve.log"), "w")
        self.process = subprocess.Popen(
            [binary(), "serve", "--data-dir", data_dir, "--sample", str(sample), "--http", f"127.0.0.1:{self.port}",
             "--zmq", f"tcp://127.0.0.1:{free_port()}", "--events", "off", "--tokens", token_file],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.get_json("/api/stats")["cases"] >= sample:
                    break
            except (urllib.error.URLError, ConnectionError, KeyError):
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("carejourney serve did not start; see " + self.log.name)

    def request(self, method, path, body=None, headers=None, as_person="tm.ali"):
        data = json.dumps(body).encode() if body is not None else None
        headers = dict(headers or {})
        headers.setdefault("Authorization", f"Bearer {self.tokens[as_person]}")
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get_json(self, path):
        status, body = self.request("GET", path)
        assert status == 200, (path, status, body[:200])
        return json.loads(body)

    def post_json(self, path, body):
        status, answer = self.request("POST", path, body)
        return status, json.loads(answer or b"{}")

    def sign_in(self, browser, name):
        """Signs `browser` in as `name` through the sign-in page."""
        from selenium.webdriver.common.by import By
        browser.delete_all_cookies()
        browser.get(self.base + "/sign-in")
        browser.find_element(By.ID, "token").send_keys(self.tokens[name])
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def sample_store(data_dir, cases=20):
    """Makes `data_dir` a stopped service's data folder holding `cases` sample cases; returns it as a string."""
    port = free_port()
    serve = subprocess.Popen(
        [binary(), "serve", "--data-dir", str(data_dir), "--sample", str(cases), "--http", f"127.0.0.1:{port}",
         "--zmq", f"tcp://127.0.0.1:{free_port()}", "--events", "off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=1) as answer:
                if json.loads(answer.read())["cases"] >= cases:
                    break
        except (OSError, KeyError, ValueError):
            pass
        time.sleep(0.2)
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=60) == 0, "carejourney serve did not stop cleanly"
    return str(data_dir)
