"""`carejourney-bench tasks` and `search` with tiny loads, as smoke tests: they finish and print their figures. CI
times nothing, but a benchmark nobody runs can hang unseen (the tasks benchmark did, and the search benchmark's
searches over HTTP did), so this runs them with the debug build.

The binary comes from CAREJOURNEY_BIN's folder (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import os
import re
import subprocess
from pathlib import Path

import pytest

from carejourney import binary

ROOT = Path(__file__).resolve().parents[2]
# Generous for a debug build on a busy machine; a quiet one finishes in a few seconds.
LIMIT = 120


def bench(*arguments, scratch):
    """The benchmark run with its scratch stores under `scratch` (its temporary folder)."""
    try:
        return subprocess.run(
            [str(Path(binary()).parent / "carejourney-bench"), *arguments], capture_output=True, text=True, cwd=ROOT,
            env={**os.environ, "TMPDIR": str(scratch)}, timeout=LIMIT)
    except subprocess.TimeoutExpired as timeout:
        pytest.fail(f"carejourney-bench {' '.join(arguments)} did not finish in {LIMIT} s; it printed:\n"
                    f"{timeout.stdout.decode() if timeout.stdout else ''}")


def test_the_tasks_benchmark_finishes_a_tiny_load_and_prints_its_figures(tmp_path):
    done = bench("tasks", "--tasks", "200", "--workers", "2", "--slots", "1", "--lock-step", "20", scratch=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout
    assert lines.startswith("carejourney-bench tasks: 200 tasks, 2 workers, synchronous=FULL, libzmq 4."), lines
    assert re.search(r"raw libzmq, one broker hop .*: lock-step p50 \d+ µs, p99 \d+ µs; \d+ round trips/s", lines), lines
    assert re.search(r"while draining: \d+ commits of \d+ commands on average", lines), lines
    assert re.search(r"a committed backlog drained by 2 workers \(2 threads of 1\): 200 tasks in [\d.]+ s = \d+ tasks/s",
                     lines), lines
    assert re.search(r"each task created by a command while 2 workers serve \(2 commits a task\): \d+ tasks/s", lines), \
        lines
    assert re.search(r"lock-step, commit of the task → committed outcome: p50 [\d.]+ ms, p99 [\d.]+ ms", lines), lines
    assert re.search(r"peak memory: \d+ MiB", lines), lines


def test_the_search_benchmark_finishes_its_searches_over_http(tmp_path):
    done = bench("search", "--cases", "300", "--searches", "20", "--http-searches", "5", "--data-dir",
                 str(tmp_path / "search"), scratch=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CaseStore.cases(matching:), after the first pass:" in done.stdout, done.stdout
    assert "GET /api/cases on a live server (loopback, one client):" in done.stdout, done.stdout
    assert re.search(r"overall +5 +[\d.]+ +[\d.]+", done.stdout.split("GET /api/cases")[1]), done.stdout
