"""Fixtures for the dashboard's browser tests: a live `carejourney serve` and a headless Chromium.

The server binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`); screenshots go to
CAREJOURNEY_ARTIFACTS (default: Tests/browser/artifacts).
"""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("CAREJOURNEY_ARTIFACTS", ROOT / "Tests" / "browser" / "artifacts"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def binary():
    given = os.environ.get("CAREJOURNEY_BIN")
    if given:
        return given
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True)
    return os.path.join(path.stdout.strip(), "carejourney")


class Server:
    """A running `carejourney serve` with a seeded sample population."""

    def __init__(self, data_dir, sample=60):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(data_dir, "serve.log"), "w")
        self.process = subprocess.Popen(
            [binary(), "serve", "--data-dir", data_dir, "--sample", str(sample), "--http", f"127.0.0.1:{self.port}",
             "--zmq", f"tcp://127.0.0.1:{free_port()}", "--events", "off"],
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

    def request(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
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

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture(scope="session")
def server():
    data_dir = tempfile.mkdtemp(prefix="carejourney-browser-")
    running = Server(data_dir)
    yield running
    running.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
