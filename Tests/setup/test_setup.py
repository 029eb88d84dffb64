"""The README's two commands and what they set up: `scripts/setup`'s check mode on this machine, the README's first
screen, and `.ci/run` being the README's test command.

Run after `scripts/setup test` (as `scripts/test` does): python3 -m pytest -q Tests/setup
"""
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup(*arguments, venv=None):
    environment = dict(os.environ)
    if venv is not None:
        environment["CAREJOURNEY_VENV"] = str(venv)
    return subprocess.run([str(ROOT / "scripts" / "setup"), *arguments], capture_output=True, text=True,
                          cwd=ROOT, env=environment)


def test_with_everything_installed_the_check_has_nothing_to_do():
    for job in ("demo", "test"):
        done = setup("--check", job)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == f"scripts/setup {job}: nothing to install, everything is present\n"


def test_the_check_lists_what_it_would_install_and_installs_nothing(tmp_path):
    venv = tmp_path / "venv"
    done = setup("--check", "test", venv=venv)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    # Each missing tool on a line of its own: what, from where, into where, and why.
    assert [line.split(" (")[0] for line in lines] == [
        "scripts/setup test: would install pyzmq==26.*",
        "scripts/setup test: would install selenium==4.*",
        "scripts/setup test: would install pytest==8.*",
        "scripts/setup test: would install schemathesis==4.*",
    ]
    assert all(f"(PyPI, into {venv}): " in line for line in lines)
    assert "browser tests" in lines[1]
    assert not venv.exists(), "a check installs nothing"


def test_the_demo_needs_no_python_tools(tmp_path):
    done = setup("--check", "demo", venv=tmp_path / "none")
    assert done.returncode == 0
    assert "PyPI" not in done.stdout


def test_a_wrong_call_says_how_to_call_it():
    done = setup("--check")
    assert done.returncode == 2
    assert "say what to set up: 'demo' or 'test'" in done.stderr
    done = setup("tests")
    assert done.returncode == 2
    assert "unknown argument 'tests' (use: scripts/setup [--check] demo|test)" in done.stderr


def first_screen():
    """The README up to its first heading after the title."""
    text = (ROOT / "README.md").read_text()
    return text.split("\n## ", 1)[0].split("\n### ", 1)[0]


def test_the_readme_first_screen_has_exactly_the_two_commands():
    blocks = re.findall(r"```sh\n(.*?)```", first_screen(), re.S)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]
    assert commands == ["scripts/demo", "scripts/test"]
    for command in commands:
        assert os.access(ROOT / command, os.X_OK), f"{command} is not executable"


def test_ci_runs_the_readme_test_command_and_nothing_else():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "exec scripts/test"]
