"""`carejourney serve` installed and run where a council runs it — the binary and its folder of its own, both outside
this checkout, with no shipped policy above either: the policy named with --policy is all it needs; a new store with
no policy named is refused with how to put it right.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request

from carejourney import ROOT, binary, free_port


def installed(folder):
    """The binary as an installation holds it, away from the checkout: a hard link (a symbolic one would lead the
    search for a shipped policy back to the checkout) beside its resource bundles."""
    built = os.path.abspath(binary())
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    try:
        os.link(built, bin_folder / "carejourney")
    except OSError:
        shutil.copy2(built, bin_folder / "carejourney")
    for name in os.listdir(os.path.dirname(built)):
        if name.endswith(".resources"):
            os.symlink(os.path.join(os.path.dirname(built), name), bin_folder / name)
    return str(bin_folder / "carejourney")


def serve(folder, *arguments):
    port = free_port()
    process = subprocess.Popen(
        [installed(folder), "serve", "--data-dir", str(folder / "data"), "--http", f"127.0.0.1:{port}",
         "--zmq", f"tcp://127.0.0.1:{free_port()}", "--events", "off", *arguments],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return process, port


def test_serve_with_a_named_policy_needs_no_shipped_one(tmp_path):
    process, port = serve(tmp_path, "--policy", str(ROOT / "workflows" / "wiltshire.yaml"))
    try:
        deadline = time.time() + 60
        stats = None
        while time.time() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5) as response:
                    stats = json.loads(response.read())
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert stats is not None, f"serve did not start:\n{process.stdout.read() if process.poll() is not None else ''}"
        assert stats["cases"] == 0
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_new_store_with_no_policy_named_is_refused_with_the_fix(tmp_path):
    process, _ = serve(tmp_path)
    try:
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # it started after all: stop it, whatever the test says
            process.kill()
            process.wait()
    assert process.returncode == 1, output
    assert "has no policy yet and none was given: pass --policy FILE" in output
    assert f"the store (--data-dir {tmp_path / 'data'})" in output, "the store named as the command line names it"
