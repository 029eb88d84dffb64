"""`carejourney audit reads` as an information governance lead runs it, beside a running service: who read a
person's record, when, how and why; and exports recorded before they are written.

Run after `scripts/setup test`: python3 -m pytest -q Tests/cli
"""
import json
import shutil
import subprocess
import tempfile

import pytest
from carejourney import Server, binary


@pytest.fixture(scope="module")
def server():
    data_dir = tempfile.mkdtemp(prefix="carejourney-audit-")
    running = Server(data_dir, sample=8)
    yield running
    running.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def audit(server, *arguments):
    done = subprocess.run([binary(), "audit", "reads", "--data-dir", server.data_dir, *arguments],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_who_read_a_case_and_what_someone_read(server):
    person = server.get_json("/api/cases/C-1")["person"]["name"]
    status, _ = server.request("GET", "/api/cases/C-1", as_person="ob.reader")
    assert status == 200
    status, _ = server.request("GET", "/api/cases?q=" + person.split()[0].lower(), as_person="sw.jones")
    assert status == 200

    listing = json.loads(audit(server, "--case", "C-1", "--json"))
    reads = listing["reads"]
    assert [read["actor"] for read in reads[:3]] == ["sw.jones", "ob.reader", "tm.ali"]
    assert reads[0]["channel"] == "search" and "C-1" in reads[0]["cases"]
    assert reads[1]["channel"] == "api" and reads[1]["cases"] == ["C-1"]

    by_reader = audit(server, "--actor", "ob.reader")
    assert "1 read(s) of personal data" in by_reader
    assert "ob.reader  api C-1" in by_reader

    # A subject access request names the person: every case of theirs, and every read of them.
    by_person = json.loads(audit(server, "--person", person, "--json"))
    assert "C-1" in [case["id"] for case in by_person["cases"]]
    assert len(by_person["reads"]) >= 3


def test_an_export_is_recorded_before_it_is_written_and_so_is_the_audit(server):
    done = subprocess.run([binary(), "report", "reviews", "--data-dir", server.data_dir, "--from", "2026-01-01",
                           "--to", "2026-12-31"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    exports = json.loads(audit(server, "--actor", "unix:" + subprocess.run(["id", "-un"], capture_output=True,
                                                                            text=True).stdout.strip(), "--json"))
    channels = [read["channel"] for read in exports["reads"]]
    assert "export" in channels and "audit" in channels
    export = next(read for read in exports["reads"] if read["channel"] == "export")
    assert export["detail"] == "review timeliness figures"
    assert export["query"] == "2026-01-01 to 2026-12-31"


def test_a_question_without_a_subject_is_refused():
    done = subprocess.run([binary(), "audit", "reads"], capture_output=True, text=True)
    assert done.returncode != 0
    assert "say whose reads to list: --person, --case or --actor" in done.stderr
