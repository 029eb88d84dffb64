"""The README shows what `carejourney demo` prints: its banner block is compared, line by line, with the banner of
a real demo (numbers, ports and tokens may differ; every word must be the same).

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`).
"""
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from carejourney import binary, free_port

ROOT = Path(__file__).resolve().parents[2]


def code_blocks(text):
    """The README's fenced blocks, each as its lines (without the fences)."""
    blocks, block = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if block is None:
                block = []
            else:
                blocks.append(block)
                block = None
        elif block is not None:
            block.append(line)
    return blocks


def readme_banner():
    for block in code_blocks((ROOT / "README.md").read_text()):
        if block and block[0].startswith("CareJourney demo: "):
            return block
    raise AssertionError("the README shows no demo banner (a block starting 'CareJourney demo: ')")


def demo_banner(folder):
    """Runs a small demo in `folder` (its default data folder, as the README's), returns its banner, stops it."""
    command = [binary(), "demo", "--cases", "60", "--http", f"127.0.0.1:{free_port()}",
               "--zmq", f"tcp://127.0.0.1:{free_port()}", "--events", f"tcp://127.0.0.1:{free_port()}"]
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("seeding "):
                continue  # progress, before the banner (a line a quarter when not a terminal)
            lines.append(line.rstrip("\n"))
            if line.startswith("Stop with Ctrl-C"):
                break
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
    assert lines and lines[-1].startswith("Stop with Ctrl-C"), f"no banner: {lines} {process.stderr.read()}"
    return lines


def shape(line):
    """A line with its figures, ports and tokens made general: the words stay."""
    line = re.sub(r"the token \S+", "the token TOKEN", line)
    return re.sub(r"\d[\d,.]*", "N", line)


def test_the_readme_banner_is_the_demo_banner(tmp_path):
    shown = readme_banner()
    real = demo_banner(tmp_path)
    assert [shape(line) for line in shown] == [shape(line) for line in real]
    # The README's figures are the defaults a newcomer gets: 3,000 cases, the ports and the clock.
    assert "3,000 cases" in shown[0]
    assert "http://127.0.0.1:8080/" in shown[1]
