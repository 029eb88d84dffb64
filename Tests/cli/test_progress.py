"""Long commands show a progress line on a terminal (simulated with `script`), and only there: never in piped
output, with --quiet or with --json.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import json
import shlex
import subprocess
from pathlib import Path

import pytest

from carejourney import binary, sample_store

ROOT = Path(__file__).resolve().parents[2]
CLEAR = "\r\x1b[K"
YEAR = ["--from", "2026-01-01", "--to", "2026-12-31"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return sample_store(tmp_path_factory.mktemp("progress"), cases=20)


def on_a_terminal(*arguments):
    """The command run with standard output and standard error on a pseudo-terminal: what its user sees."""
    command = " ".join(shlex.quote(argument) for argument in [binary(), *arguments])
    done = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, cwd=ROOT, timeout=120)
    # Bytes, not text: text mode would turn the carriage returns that redraw the line into line ends.
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def piped(*arguments):
    return subprocess.run([binary(), *arguments], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("command", [
    ["report", "reviews", *YEAR], ["report", "requests", *YEAR], ["report", "ascof", *YEAR],
    ["report", "cld", *YEAR, "--la-code", "503", "--allow-incomplete", "--out", "OUT"],
])
def test_a_report_shows_how_many_cases_it_has_read_on_a_terminal_only(data, command, tmp_path):
    command = [str(tmp_path / "cld.csv") if argument == "OUT" else argument for argument in command]
    shown = on_a_terminal(*command, "--data-dir", data)
    assert shown.returncode == 0, shown.stdout
    assert "report: starting" in shown.stdout
    assert "report: 1 of " in shown.stdout and " cases" in shown.stdout, shown.stdout
    assert CLEAR in shown.stdout, "the line is cleared before the command's own output"
    quiet = on_a_terminal(*command, "--data-dir", data, "--quiet")
    assert quiet.returncode == 0 and "report: " not in quiet.stdout and CLEAR not in quiet.stdout
    plain = piped(*command, "--data-dir", data)
    assert plain.returncode == 0, plain.stderr
    assert "report: " not in plain.stderr + plain.stdout and CLEAR not in plain.stderr


def test_json_on_a_terminal_is_never_mixed_with_progress(data):
    shown = on_a_terminal("report", "reviews", *YEAR, "--data-dir", data, "--json")
    assert shown.returncode == 0, shown.stdout
    assert CLEAR not in shown.stdout
    assert "total" in json.loads(shown.stdout)


def test_store_verify_shows_its_progress_on_a_terminal_only(data):
    shown = on_a_terminal("store", "verify", "--data-dir", data)
    assert shown.returncode == 0, shown.stdout
    assert "verify: " in shown.stdout and " of " in shown.stdout and CLEAR in shown.stdout
    assert "clean: every projection" in shown.stdout
    plain = piped("store", "verify", "--data-dir", data)
    assert plain.returncode == 0 and "verify: " not in plain.stderr and CLEAR not in plain.stderr
