"""Long commands show a progress line on a terminal (simulated with `script`), and only there: never in piped
output, with --quiet or with --json.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from carejourney import Server, binary, sample_store

ROOT = Path(__file__).resolve().parents[2]
CLEAR = "\r\x1b[K"
YEAR = ["--from", "2026-01-01", "--to", "2026-12-31"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return sample_store(tmp_path_factory.mktemp("progress"), cases=20)


def on_a_terminal(*arguments, program=None):
    """The command run with standard output and standard error on a pseudo-terminal: what its user sees."""
    command = " ".join(shlex.quote(argument) for argument in [program or binary(), *arguments])
    done = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, cwd=ROOT, timeout=600)
    # Bytes, not text: text mode would turn the carriage returns that redraw the line into line ends.
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def piped(*arguments, program=None):
    return subprocess.run(
        [program or binary(), *arguments], capture_output=True, text=True, cwd=ROOT, timeout=600)


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


def copy_of(data, tmp_path):
    """A copy of the module's store, for a command that changes it."""
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    return str(copy)


def bench():
    return str(Path(binary()).parent / "carejourney-bench")


def shows_progress_on_a_terminal_only(command, title, counted, quiet=True, program=None):
    """Runs `command` (the arguments after the program) on a terminal, and with --quiet: returns the first run.

    On the terminal the line `title: … of … counted` is drawn and cleared; with --quiet, nothing of it is written."""
    shown = on_a_terminal(*command, program=program)
    assert shown.returncode == 0, shown.stdout
    assert f"{title}: starting" in shown.stdout, shown.stdout
    assert f"{title}: " in shown.stdout and f" {counted}" in shown.stdout and " of " in shown.stdout, shown.stdout
    assert CLEAR in shown.stdout, "the line is cleared before the command's own output"
    if quiet:
        silent = on_a_terminal(*command, "--quiet", program=program)
        assert silent.returncode == 0, silent.stdout
        assert f"{title}: starting" not in silent.stdout and CLEAR not in silent.stdout, silent.stdout
    return shown


def test_policy_apply_shows_the_open_cases_it_has_looked_at(data, tmp_path):
    what_if = str(ROOT / "examples" / "what-if" / "derbyshire-9-month-reviews.yaml")
    folder = copy_of(data, tmp_path)
    shown = shows_progress_on_a_terminal_only(
        ["policy", "apply", what_if, "--data-dir", folder, "--dry-run"], "policy apply", "open cases")
    assert "open case(s) examined" in shown.stdout
    plain = piped("policy", "apply", what_if, "--data-dir", folder)
    assert plain.returncode == 0, plain.stderr
    assert "policy apply: " not in plain.stderr and CLEAR not in plain.stderr


def test_store_backup_and_restore_show_the_copy_and_its_check(data, tmp_path):
    backup = str(tmp_path / "backup.sqlite")
    shown = shows_progress_on_a_terminal_only(
        ["store", "backup", "--to", backup, "--data-dir", data], "backup", "cases checked", quiet=False)
    assert "backup: copying the store" in shown.stdout and "backup: writing the file" in shown.stdout
    assert "backed up " in shown.stdout
    quiet = on_a_terminal("store", "backup", "--to", str(tmp_path / "quiet.sqlite"), "--data-dir", data, "--quiet")
    assert quiet.returncode == 0 and "backup: " not in quiet.stdout and CLEAR not in quiet.stdout, quiet.stdout
    plain = piped("store", "backup", "--to", str(tmp_path / "piped.sqlite"), "--data-dir", data)
    assert plain.returncode == 0 and "backup: " not in plain.stderr and CLEAR not in plain.stderr, plain.stderr

    shown = shows_progress_on_a_terminal_only(
        ["store", "restore", backup, "--data-dir", str(tmp_path / "restored")], "restore", "cases checked",
        quiet=False)
    assert "restore: copying the store" in shown.stdout and "restore: moving the store into place" in shown.stdout
    plain = piped("store", "restore", backup, "--data-dir", str(tmp_path / "restored-piped"))
    assert plain.returncode == 0 and "restore: " not in plain.stderr and CLEAR not in plain.stderr, plain.stderr


def test_store_copy_shows_the_rows_copied_then_the_check(data, tmp_path):
    # Between two data folders: the same command as into PostgreSQL (whose tests start a server of their own).
    shown = shows_progress_on_a_terminal_only(
        ["store", "copy", "--from", data, "--to", str(tmp_path / "copy")], "copy", "rows", quiet=False)
    assert "copy: reading events back" in shown.stdout and "copy: moving the store into place" in shown.stdout
    assert "every table read back equal (rows and SHA-256)" in shown.stdout and "replayed clean" in shown.stdout
    quiet = on_a_terminal("store", "copy", "--from", data, "--to", str(tmp_path / "quiet"), "--quiet")
    assert quiet.returncode == 0 and "copy: " not in quiet.stdout and CLEAR not in quiet.stdout, quiet.stdout
    plain = piped("store", "copy", "--from", data, "--to", str(tmp_path / "piped"))
    assert plain.returncode == 0 and "copy: " not in plain.stderr and CLEAR not in plain.stderr, plain.stderr


def test_store_dispose_shows_the_cases_examined_then_removed_and_never_with_json(data, tmp_path):
    far = ["--as-of", "2045-12-31"]
    folder = tmp_path / "closed"
    folder.mkdir(mode=0o700)
    folder = str(folder)
    server = Server(folder, sample=4)
    try:
        for name in ["Ada Lovelace", "Grace Hopper", "Mary Somerville"]:
            status, opened = server.post_json(
                "/api/cases", {"data": {"name": name, "clientType": "adult", "route": "gp"}})
            assert status == 201, opened
            status, _ = server.post_json(f"/api/cases/{opened['id']}/events", {"name": "give-information-and-advice"})
            assert status == 200
    finally:
        server.stop()
    listing = json.loads(piped("store", "dispose", "--data-dir", folder, "--dry-run", "--json", *far).stdout)
    assert listing["examined"] > 0, "the sample holds closed cases"
    due = sum(entry["outcome"] == "due" for entry in listing["cases"])
    assert due > 0, listing
    as_json = on_a_terminal("store", "dispose", "--data-dir", folder, "--dry-run", "--json", *far)
    assert as_json.returncode == 0 and CLEAR not in as_json.stdout and "dispose: " not in as_json.stdout
    assert json.loads(as_json.stdout)["examined"] == listing["examined"]
    shown = shows_progress_on_a_terminal_only(
        ["store", "dispose", "--data-dir", folder, *far], "dispose: examining", "closed cases", quiet=False)
    assert "dispose: removing: " in shown.stdout and f" of {due} cases" in shown.stdout, shown.stdout
    assert f"disposed of {due}, each leaving a certificate" in shown.stdout
    plain = piped("store", "dispose", "--data-dir", folder, *far, "--quiet")
    assert plain.returncode == 0 and "dispose: " not in plain.stderr and CLEAR not in plain.stderr, plain.stderr


def test_simulate_shows_the_weeks_played(tmp_path):
    policy = str(ROOT / "workflows" / "derbyshire.yaml")
    profile = str(ROOT / "examples" / "profiles" / "small-unitary.yaml")
    command = ["simulate", "--policy", policy, "--profile", profile, "--from", "2027-01-04", "--years", "0.25",
               "--out", str(tmp_path / "sim")]
    shown = shows_progress_on_a_terminal_only(command, "simulate", "of 13 weeks")
    assert "simulated 13 weeks" in shown.stdout
    plain = piped(*command)
    assert plain.returncode == 0 and "simulate: " not in plain.stderr and CLEAR not in plain.stderr, plain.stderr


def test_the_benchmarks_show_their_populate_step_and_their_load(tmp_path):
    search = ["search", "--cases", "300", "--searches", "20", "--http-searches", "0"]
    shown = shows_progress_on_a_terminal_only(
        [*search, "--data-dir", str(tmp_path / "search")], "populate", "cases", quiet=False, program=bench())
    assert "populate: 300 of 300 cases (100 %)" in shown.stdout and "populate: indexing names" in shown.stdout
    assert "populated in " in shown.stdout
    plain = piped(*search, "--data-dir", str(tmp_path / "piped"), program=bench())
    assert plain.returncode == 0, plain.stderr
    assert "populate: " not in plain.stderr + plain.stdout and CLEAR not in plain.stderr
    quiet = on_a_terminal(*search, "--data-dir", str(tmp_path / "quiet"), "--quiet", program=bench())
    assert quiet.returncode == 0 and "populate: " not in quiet.stdout and CLEAR not in quiet.stdout, quiet.stdout

    transitions = ["transitions", "--cases", "40", "--clients", "4"]
    shown = shows_progress_on_a_terminal_only(transitions, "transitions", "of 40 cases", program=bench())
    assert "durable transitions: " in shown.stdout
