"""Fixtures for the dashboard's browser tests: a live `carejourney serve` and a headless Chromium.

The server binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`); screenshots go to
CAREJOURNEY_ARTIFACTS (default: Tests/browser/artifacts).
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from carejourney import ROOT, Server
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ARTIFACTS = Path(os.environ.get("CAREJOURNEY_ARTIFACTS", ROOT / "Tests" / "browser" / "artifacts"))


@pytest.fixture(scope="session")
def server():
    data_dir = tempfile.mkdtemp(prefix="carejourney-browser-")
    running = Server(data_dir)
    yield running
    running.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(server):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    server.sign_in(driver, "sw.jones")
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
