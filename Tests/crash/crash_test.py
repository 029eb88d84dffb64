#!/usr/bin/env python3
"""Crash test for `carejourney serve`: commands survive SIGKILL exactly once.

Clients send commands with Idempotency-Keys while the server is killed with SIGKILL several times and
restarted, then stopped with SIGTERM under load (it must drain and exit 0) and started once more. A command whose connection broke is retried with the same key until it is answered. Afterwards:
every command answered 2xx is in the store exactly once (its event at the version it was given, and no
duplicates from retries), `store verify` is clean, and no timer fired twice. Timers run on a fast virtual clock
so reviews come due, and fire late after restarts, during the test.

Usage: crash_test.py PATH/TO/carejourney   (stdlib only; exits 1 with the reasons on failure)
"""
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from load import Client, Server, free_port, kept_outcome_matches  # noqa: E402  (Tests/support: the server and clients the drill shares)

KILLS = 5
CLIENTS = 3



def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/carejourney")
    work = tempfile.mkdtemp(prefix="carejourney-crash-")
    data_dir = os.path.join(work, "data")
    port = free_port()
    server = Server(binary, data_dir, port)
    server.start()

    stop = threading.Event()
    clients = [Client(port, stop) for _ in range(CLIENTS)]
    for c in clients:
        c.start()
    rng = random.Random(7)
    for _ in range(KILLS):
        time.sleep(rng.uniform(0.8, 2.0))
        server.kill()
        time.sleep(rng.uniform(0.5, 1.0))  # down: virtual days pass, timers come due
        server.start()
    time.sleep(1.5)
    # A graceful stop under load: commands in flight are drained and committed, and serve exits 0.
    problems = []
    code = server.stop()
    if code != 0:
        problems.append(f"serve exited {code} on SIGTERM under load, not 0")
    server.start()  # clients whose connection closed retry with the same key
    time.sleep(1.0)
    stop.set()
    for c in clients:
        c.join(timeout=120)
    time.sleep(2.0)  # let the timers due by now fire
    code = server.stop()
    if code != 0:
        problems.append(f"serve exited {code} on SIGTERM, not 0")
    verify = subprocess.run([binary, "store", "verify", "--data-dir", data_dir], capture_output=True, text=True)
    if verify.returncode != 0:
        problems.append("store verify is not clean:\n" + verify.stdout + verify.stderr)

    answered = [a for c in clients for a in c.answered]
    ok = [a for a in answered if 200 <= a[3] < 300]
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'carejourney.sqlite')}?mode=ro", uri=True)
    events = {}
    for case_id, version, name in db.execute("SELECT case_id, version, name FROM events WHERE actor != 'timer'"):
        events[(case_id, version)] = name
    per_case = {}
    for key, path, name, status, body, _ in ok:
        place = (body["id"], body["version"])
        if events.get(place) != name:
            problems.append(f"answered {status} for {name} at {place}, but the store has {events.get(place)!r} there")
        per_case[body["id"]] = per_case.get(body["id"], 0) + 1
        if not kept_outcome_matches(db, key, name, body):
            problems.append(f"key {key}: the stored answer differs from the answer the client got")
    for case_id, count in db.execute("SELECT case_id, COUNT(*) FROM events WHERE actor != 'timer' GROUP BY case_id"):
        if per_case.get(case_id, 0) != count:
            problems.append(f"{case_id}: {count} events from clients, but {per_case.get(case_id, 0)} commands were answered 2xx")
    twice = db.execute("SELECT case_id, data, COUNT(*) FROM events WHERE name = 'timer-fired' GROUP BY case_id, data HAVING COUNT(*) > 1").fetchall()
    for row in twice:
        problems.append(f"timer fired {row[2]} times on {row[0]}: {row[1]}")
    fires, late = db.execute("SELECT COUNT(*), COUNT(late) FROM events WHERE name = 'timer-fired'").fetchone()
    refused = [a for a in answered if a[3] >= 300]
    if refused:
        problems.append(f"{len(refused)} commands were refused, e.g. {refused[0][2]}: {refused[0][4]}")
    if sum(c.retries for c in clients) == 0:
        problems.append("no command was interrupted by a kill: the test proved nothing (make the load longer)")
    if fires == 0 or late == 0:
        problems.append(f"{fires} timers fired, {late} late: the test did not exercise timers over restarts")

    retries = sum(c.retries for c in clients)
    print(f"crash test: {len(answered)} commands answered ({len(ok)} 2xx) across {KILLS} SIGKILLs, "
          f"{retries} retries with the same key; {fires} timers fired ({late} late after restarts)")
    if problems:
        for p in problems[:20]:
            print("  FAIL:", p)
        print(f"{len(ok)} passed, {len(problems)} failed")
        sys.exit(1)
    print(f"crash test: {len(ok)} passed, 0 failed")


if __name__ == "__main__":
    main()
