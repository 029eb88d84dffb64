#!/usr/bin/env python3
"""Restore drill for `carejourney store backup` and `store restore`: the runbook's restore steps, run for real.

`serve` runs under load from clients sending commands with Idempotency-Keys on a fast virtual clock. An encrypted
backup (`--encrypt-to` a throwaway age key) is taken while it runs; the commands answered before the backup began
are noted. A restore into the live folder is refused. Then the service is killed (SIGKILL), its data folder removed,
and the backup restored into a new folder (`--identity`) and `serve` started on it. Afterwards: every command
answered before the backup began is in the restored store, with its answer kept for its Idempotency-Key; the
timers that came due while the service was down fired once each, late; no timer fired twice; `store verify` is
clean; the restored folder is 0700 with 0600 files; and the backup file is 0600 with no name in it readable.

Usage: restore_drill.py PATH/TO/carejourney   (stdlib and age only; exits 1 with the reasons on failure)
"""
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from load import TIME_SCALE, Client, Server, free_port, kept_outcome_matches  # noqa: E402  (Tests/support: shared with the crash test)

CLIENTS = 3



def run(*arguments):
    return subprocess.run(arguments, capture_output=True, text=True)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def virtual_now(db):
    """The restored service's clock now: a scaled clock keeps `scale virtualOrigin wallOrigin` in the store."""
    scale, virtual_origin, wall_origin = map(float, db.execute(
        "SELECT value FROM meta WHERE key = 'clock.scaled'").fetchone()[0].split())
    return virtual_origin + (time.time() - wall_origin) * scale


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/carejourney")
    if not shutil.which("age-keygen"):
        raise SystemExit("restore drill: age-keygen is missing: install age (scripts/setup test)")
    work = tempfile.mkdtemp(prefix="carejourney-drill-")
    data_dir = os.path.join(work, "data")
    key = os.path.join(work, "backup-key.txt")
    made = run("age-keygen", "-o", key)
    public_key = made.stderr.strip().removeprefix("Public key: ")
    backup = os.path.join(work, "backups", "carejourney-drill.sqlite.age")
    os.makedirs(os.path.dirname(backup), mode=0o700)
    problems = []

    server = Server(binary, data_dir, free_port())
    server.start()
    stop = threading.Event()
    clients = [Client(server.port, stop) for _ in range(CLIENTS)]
    for c in clients:
        c.start()
    time.sleep(4.0)  # cases open and reach sign-off; their review timers are set on the fast clock

    began = time.monotonic()
    answered_before = [a for c in clients for a in list(c.answered) if a[5] < began and 200 <= a[3] < 300]
    took = run(binary, "store", "backup", "--data-dir", data_dir, "--to", backup, "--encrypt-to", public_key)
    ended = time.monotonic()
    print(took.stdout.rstrip())
    if took.returncode != 0:
        raise SystemExit("restore drill: the backup failed:\n" + took.stdout + took.stderr)
    answered_during = len([a for c in clients for a in list(c.answered) if began <= a[5] < ended])
    if answered_during == 0:
        problems.append("no command was answered while the backup ran: it did not run beside a working service")

    refused = run(binary, "store", "restore", backup, "--data-dir", data_dir, "--identity", key)
    if refused.returncode != 1 or "holds its lock" not in refused.stderr:
        problems.append("a restore into the live data folder was not refused:\n" + refused.stdout + refused.stderr)

    time.sleep(1.0)  # more commands, answered after the backup: the restore goes back to before them
    stop.set()
    for c in clients:
        c.join(timeout=60)
    server.kill()
    shutil.rmtree(data_dir)
    killed_at = time.time()

    restored_dir = os.path.join(work, "restored")
    restored = run(binary, "store", "restore", backup, "--data-dir", restored_dir, "--identity", key)
    print(restored.stdout.rstrip())
    if restored.returncode != 0:
        raise SystemExit("restore drill: the restore failed:\n" + restored.stdout + restored.stderr)
    store = os.path.join(restored_dir, "carejourney.sqlite")
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    pending = db.execute("SELECT case_id, name, due FROM timers").fetchall()
    db.close()

    time.sleep(1.0)  # down a little longer: more virtual days pass
    server = Server(binary, restored_dir, free_port())
    server.start()
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    started_at = virtual_now(db)
    # Timers that came due while the service was down, well before it started again (the timer service calls a
    # fire late when it is over a quarter of a wall second late).
    overdue = [(case, name, due) for case, name, due in pending if due < started_at - 0.25 * float(TIME_SCALE)]
    time.sleep(3.0)  # let them fire
    code = server.stop()
    if code != 0:
        problems.append(f"the restored serve exited {code} on SIGTERM, not 0")

    events = dict(((case, version), name) for case, version, name in db.execute(
        "SELECT case_id, version, name FROM events WHERE actor != 'timer'"))
    for key_, path, name, status, body, _ in answered_before:
        place = (body["id"], body["version"])
        if events.get(place) != name:
            problems.append(f"answered {status} for {name} at {place} before the backup, but the restored store has "
                            f"{events.get(place)!r} there")
        if not kept_outcome_matches(db, key_, name, body):
            problems.append(f"key {key_}: answered before the backup, but its answer is not kept in the restored store")
    fired_late = 0
    for case, name, due in overdue:
        fires = db.execute(
            "SELECT late FROM events WHERE case_id = ? AND name = 'timer-fired' AND json_extract(data, '$.timer') = ? "
            "AND abs(julianday(json_extract(data, '$.due')) - julianday(?, 'unixepoch')) < 1.0 / 86400",
            (case, name, due)).fetchall()
        if len(fires) != 1 or fires[0][0] is None:
            problems.append(f"{case}'s {name} timer, due while the service was down, fired {len(fires)} times "
                            f"(late: {[f[0] for f in fires]}), not once, late")
        else:
            fired_late += 1
    if not overdue:
        problems.append("no timer came due while the service was down: the drill proved nothing about timers")
    for row in db.execute("SELECT case_id, data, COUNT(*) FROM events WHERE name = 'timer-fired' "
                          "GROUP BY case_id, data HAVING COUNT(*) > 1"):
        problems.append(f"timer fired {row[2]} times on {row[0]}: {row[1]}")
    db.close()

    verify = run(binary, "store", "verify", "--data-dir", restored_dir)
    if verify.returncode != 0:
        problems.append("store verify is not clean:\n" + verify.stdout + verify.stderr)
    if mode(restored_dir) != 0o700:
        problems.append(f"the restored folder is {oct(mode(restored_dir))}, not 0700")
    for name in os.listdir(restored_dir):
        if mode(os.path.join(restored_dir, name)) != 0o600:
            problems.append(f"restored {name} is {oct(mode(os.path.join(restored_dir, name)))}, not 0600")
    if mode(backup) != 0o600:
        problems.append(f"the backup file is {oct(mode(backup))}, not 0600")
    content = Path(backup).read_bytes()
    if not content.startswith(b"age-encryption.org/v1\n") or b"Load " in content or b"SQLite format 3" in content:
        problems.append("the backup file is not age-encrypted: names or SQLite pages are readable in it")

    answered_after = len([a for c in clients for a in c.answered if a[5] >= ended])
    print(f"restore drill: {len(answered_before)} commands answered before the backup began, {answered_during} while "
          f"it ran, {answered_after} after it (those are not in it); {len(overdue)} timers came due in the "
          f"{time.time() - killed_at:.0f} s the service was down, {fired_late} fired once, late")
    if problems:
        for p in problems[:20]:
            print("  FAIL:", p)
        print(f"{len(answered_before)} passed, {len(problems)} failed")
        sys.exit(1)
    shutil.rmtree(work)
    print(f"restore drill: {len(answered_before)} passed, 0 failed")


if __name__ == "__main__":
    main()
