#!/usr/bin/env python3
"""The cluster drill (issue #19): three `serve` nodes on one PostgreSQL, under load, lose nodes and the database.

PostgreSQL (Debian's, started here in a temporary folder with initdb/pg_ctl, as the `postgres` user when run as
root, stopped by its PID) holds one store; three nodes serve it on a fast virtual clock, each with its own HTTP port
and MDP broker. Clients open cases and walk them to sign-off, every command with an Idempotency-Key, retried with the
same key on the NEXT node when a node fails to answer. Three Python workers (examples/workers/python), each starting
on its own node's broker, failing over to the others and going back home 5 s later, find providers for the brokerage tasks sign-off enqueues. Meanwhile a node is SIGKILLed every few
seconds and started again, then PostgreSQL itself is restarted under the load. Afterwards:

- every command answered 2xx is in the store once, at the version it was answered with, and the outcome the store
  keeps for its key is that answer (so a retry on another node got the first answer);
- no case holds a client event that was not answered 2xx (no command applied twice by its retries);
- `store verify --store` is clean (every projection, timer and open task matches its history; no timer fired
  twice), and no timer-fired event repeats;
- no task is lost or completed twice: every brokerage task is completed, each by one reply event.

Usage: cluster_drill.py PATH/TO/carejourney   (stdlib only; exits 1 with the reasons on failure)
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from load import Client, Server, free_port  # noqa: E402  (Tests/support: the server and clients the drills share)
from postgres import PASSWORD, Postgres  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NODES = 3
KILLS = 5
CLIENTS = 4


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/carejourney")
    work = tempfile.mkdtemp(prefix="carejourney-cluster-")
    os.chmod(work, 0o711)  # the postgres user (when run as root) reaches its folder inside
    postgres = Postgres(os.path.join(work, "postgres"))
    postgres.start()
    try:
        problems = drill(binary, work, postgres)
    finally:
        postgres.stop()
    if problems:
        for p in problems[:20]:
            print("  FAIL:", p)
        print(f"cluster drill: {len(problems)} failed (logs in {work})")
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print("cluster drill: 0 failed")


def drill(binary, work, postgres):
    postgres.query("postgres", "CREATE DATABASE care")
    url = postgres.url("care")
    env = {**os.environ, "PGPASSWORD": PASSWORD}
    nodes = []
    for n in range(NODES):
        folder = os.path.join(work, f"node-{n + 1}", "data")
        os.makedirs(folder)
        nodes.append(Server(binary, folder, free_port(), extra=["--store", url, "--node", f"node-{n + 1}"],
                            env=env))
    nodes[0].extra += ["--policy", str(ROOT / "workflows" / "derbyshire.yaml")]
    for node in nodes:
        node.start()
    # One worker per node, each starting on its own node's broker and failing over to the others, as the SDK's
    # slots spread over the nodes: a node's broker hands out the tasks its node leased.
    worker_log = open(os.path.join(work, "worker.log"), "ab")
    brokers = [node.mdp for node in nodes]
    workers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "examples" / "workers" / "python" / "mdp_worker.py"), "--service", "brokerage",
             "--return-home-after", "5"]
            + [arg for broker in brokers[i:] + brokers[:i] for arg in ("--broker", broker)],
            stdout=worker_log, stderr=worker_log)
        for i in range(NODES)
    ]

    stop = threading.Event()
    ports = [node.port for node in nodes]
    clients = [Client(ports[i:] + ports[:i], stop) for i in range(CLIENTS)]
    for c in clients:
        c.start()
    rng = random.Random(19)
    for _ in range(KILLS):
        time.sleep(rng.uniform(1.5, 3.0))
        victim = rng.choice(nodes)
        victim.kill()
        time.sleep(rng.uniform(0.5, 1.5))
        victim.start()
    time.sleep(2.0)
    postgres.restart()  # every node's connections break at once; they connect again
    time.sleep(4.0)
    stop.set()
    for c in clients:
        c.join(timeout=180)
    problems = []
    if any(c.is_alive() for c in clients):
        problems.append("a client was still waiting for an answer 180 s after the load stopped")
    settle(postgres, problems)
    for n, node in enumerate(nodes):
        try:
            code = node.stop()
        except subprocess.TimeoutExpired:
            node.kill()
            code = "nothing within 60 s (killed)"
        if code != 0:
            problems.append(f"node-{n + 1} exited {code} on SIGTERM, not 0")
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    check(binary, url, env, postgres, clients, problems)
    return problems


def settle(postgres, problems):
    """Waits up to a minute for the brokerage tasks to be found providers (the worker may be failing over)."""
    deadline = time.time() + 60
    while time.time() < deadline:
        left = postgres.query("care", "SELECT count(*) FROM tasks WHERE queue = 'brokerage' AND status = 'open'")
        if left[0][0] == "0":
            return
        time.sleep(1)
    problems.append(f"{left[0][0]} brokerage tasks still open a minute after the load stopped: lost on a node?")


def check(binary, url, env, postgres, clients, problems):
    verify = subprocess.run([binary, "store", "verify", "--store", url, "--quiet"], capture_output=True, text=True,
                            env=env)
    if verify.returncode != 0:
        problems.append("store verify is not clean:\n" + verify.stdout + verify.stderr)

    answered = [a for c in clients for a in c.answered]
    ok = [a for a in answered if 200 <= a[3] < 300]
    events = {(case, int(version)): name for case, version, name in postgres.query(
        "care", "SELECT case_id, version, name FROM events WHERE actor = 'local'")}
    kept = {key: outcome for key, outcome in postgres.query("care", "SELECT key, outcome FROM idempotency")}
    per_case = {}
    for key, path, name, status, body, _ in ok:
        place = (body["id"], body["version"])
        if events.get(place) != name:
            problems.append(f"answered {status} for {name} at {place}, but the store has {events.get(place)!r} there")
        per_case[body["id"]] = per_case.get(body["id"], 0) + 1
        outcome = json.loads(kept.get(key) or "{}").get("applied", {}).get("_0", {})
        if (outcome.get("caseID"), outcome.get("version"), outcome.get("event")) != (body["id"], body["version"], name):
            problems.append(f"key {key}: the stored answer differs from the answer the client got")
    clients_events = {}
    for case, _ in events:
        clients_events[case] = clients_events.get(case, 0) + 1
    for case, count in clients_events.items():
        if per_case.get(case, 0) != count:
            problems.append(f"{case}: {count} events from clients, but {per_case.get(case, 0)} commands answered 2xx")
    for case, data, count in postgres.query(
            "care", "SELECT case_id, data, count(*) FROM events WHERE name = 'timer-fired' "
                    "GROUP BY case_id, data HAVING count(*) > 1"):
        problems.append(f"timer fired {count} times on {case}: {data}")
    fires, late = postgres.query("care", "SELECT count(*), count(late) FROM events WHERE name = 'timer-fired'")[0]
    tasks = postgres.query("care", "SELECT count(*) FROM tasks WHERE queue = 'brokerage'")[0][0]
    for case, task, count in postgres.query(
            "care", "SELECT case_id, data::json->>'task', count(*) FROM events WHERE actor = 'worker' "
                    "GROUP BY case_id, data::json->>'task' HAVING count(*) > 1"):
        problems.append(f"task {task} of {case} was completed {count} times")
    refused = [a for a in answered if a[3] >= 300]
    if refused:
        problems.append(f"{len(refused)} commands were refused, e.g. {refused[0][2]}: {refused[0][4]}")
    moved = sum(c.moved for c in clients)
    if moved == 0:
        problems.append("no command was retried on another node: the drill proved nothing (make the load longer)")
    if int(fires) == 0:
        problems.append("no timer fired: the drill did not exercise timers across nodes")
    if int(tasks) == 0:
        problems.append("no brokerage task was enqueued: the drill did not exercise tasks across nodes")
    print(f"cluster drill: {len(answered)} commands answered ({len(ok)} 2xx) on {NODES} nodes across {KILLS} "
          f"SIGKILLs and a PostgreSQL restart, {moved} retried on another node; {fires} timers fired ({late} late); "
          f"{tasks} brokerage tasks")


if __name__ == "__main__":
    main()
