"""Stores recorded by an earlier release replay clean under this build (Tests/fixtures/golden/README.md): a change of
the journey's meaning under a recorded policy fails here rather than in a council's store.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import gzip
import shutil
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from carejourney import binary, free_port

GOLDEN = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "golden").glob("*.sqlite.gz"))


def unpacked(golden, tmp_path):
    """A data folder holding a copy of the golden store, migrated to this build's schema as an operator migrates one:
    by starting `carejourney serve` on it once (verify opens a store read-only and never migrates it)."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    with gzip.open(golden) as packed, open(data / "carejourney.sqlite", "wb") as store:
        shutil.copyfileobj(packed, store)
    port = free_port()
    service = subprocess.Popen(
        [binary(), "serve", "--data-dir", str(data), "--http", f"127.0.0.1:{port}", "--zmq",
         f"tcp://127.0.0.1:{free_port()}", "--events", "off"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and service.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            raise AssertionError(f"serve did not start on {golden.name}: {service.communicate()[0]}")
    finally:
        service.terminate()
        service.wait(timeout=60)
    return data


def test_there_are_golden_stores():
    assert len(GOLDEN) >= 2, f"the golden stores are missing from {GOLDEN}"


@pytest.mark.parametrize("golden", GOLDEN, ids=[path.name for path in GOLDEN])
def test_a_store_recorded_by_an_earlier_release_replays_clean(golden, tmp_path):
    data = unpacked(golden, tmp_path)
    with sqlite3.connect(f"file:{data}/carejourney.sqlite?mode=ro", uri=True) as db:
        (cases,) = db.execute("SELECT count(*) FROM cases").fetchone()
        (events,) = db.execute("SELECT count(*) FROM events").fetchone()
    verify = subprocess.run([binary(), "store", "verify", "--data-dir", str(data)], capture_output=True, text=True)
    assert verify.returncode == 0, (
        f"{golden.name} no longer replays as it was recorded: the journey's meaning changed under a recorded policy "
        f"(see Tests/fixtures/golden/README.md)\n{verify.stdout}{verify.stderr}")
    assert f"{cases} case(s), {events} event(s) replayed" in verify.stdout
    assert verify.stdout.splitlines()[-1].startswith("clean:")


def test_a_changed_projection_in_a_golden_store_is_found(tmp_path):
    """The check above can fail: the same store with one case's stage changed by hand is reported."""
    data = unpacked(GOLDEN[0], tmp_path)
    with sqlite3.connect(f"{data}/carejourney.sqlite") as db:
        (case,) = db.execute("SELECT id FROM cases WHERE stage = 'delivery' ORDER BY number LIMIT 1").fetchone()
        db.execute("UPDATE cases SET stage = 'review' WHERE id = ?", (case,))
    verify = subprocess.run([binary(), "store", "verify", "--data-dir", str(data)], capture_output=True, text=True)
    assert verify.returncode == 1, verify.stdout + verify.stderr
    assert case in verify.stdout
