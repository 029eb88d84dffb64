"""The API as schemathesis finds it: every operation in /openapi.yaml, fuzzed and walked statefully with a
manager's token, against a live `carejourney serve`; no answer may be a 5xx or break the schema it is described by.

Run after `scripts/setup test`: python3 -m pytest -q Tests/api
"""
import os
import shutil
import subprocess
import tempfile

import pytest
from carejourney import Server


@pytest.fixture(scope="module")
def server():
    data_dir = tempfile.mkdtemp(prefix="carejourney-api-")
    running = Server(data_dir, sample=30)
    yield running
    running.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def test_no_answer_is_a_server_error_or_breaks_its_schema(server, tmp_path):
    schemathesis = shutil.which("schemathesis")
    assert schemathesis, "schemathesis is not installed: run scripts/setup test"
    report = tmp_path / "junit.xml"
    done = subprocess.run(
        [schemathesis, "run", f"{server.base}/openapi.yaml",
         "--header", f"Authorization: Bearer {server.tokens['tm.ali']}",
         "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
         "--report", "junit", "--report-junit-path", str(report),
         "--seed", os.environ.get("SCHEMATHESIS_SEED", "2026"), "--no-color"],
        capture_output=True, text=True, timeout=900)
    summary = done.stdout[-4000:]
    assert done.returncode == 0, summary + done.stderr[-2000:]
    # The run tested every operation, not none.
    assert "Tested: 0" not in summary
    assert "passed" in summary
