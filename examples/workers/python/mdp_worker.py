#!/usr/bin/env python3
"""A CareJourney task worker in Python, speaking the Majordomo Protocol straight from the RFCs.

MDP/0.2 (rfc.zeromq.org/spec/18) by default, MDP/0.1 (spec/7) with --protocol 0.1: a DEALER socket, READY for
one service, heartbeats every 2.5 s, the broker taken for dead after 3 silent intervals (then reconnect), and
one request at a time answered with a FINAL (0.2) or REPLY (0.1). Give --broker once for each node: a broker that
goes quiet, or turns the worker away (DISCONNECT before any heartbeat), sends it on to the next one listed; a broker
that says DISCONNECT after taking the worker is connected to again. Away from the first broker listed (its home), the
worker goes back there after --return-home-after seconds (60) between two tasks, so that a node that comes back gets
its workers again; while home does not take it back, the wait doubles, up to 16 times.

Task bodies are JSON (docs/tasks.md): the request names the task, case, queue, kind and attempt and carries a
brief; the reply names the task and the data of its reply event.

    python3 examples/workers/python/mdp_worker.py --service brokerage

With CURVE (a broker started with --curve-keys), pass the broker's public key and the file holding this worker's
secret key, as `carejourney keys admit` prints and writes them; the file must be readable by its owner only:

    python3 examples/workers/python/mdp_worker.py --curve-server='KEY' --curve-secret-file brokerage-1.secret
"""
import argparse
import json
import os
import stat
import sys
import time

import zmq

HEARTBEAT_INTERVAL = 2.5
HEARTBEAT_LIVENESS = 3

# Command codes by protocol version (RFC 7 and RFC 18).
COMMANDS = {
    "0.1": {"header": b"MDPW01", "READY": b"\x01", "REQUEST": b"\x02", "FINAL": b"\x03",
            "HEARTBEAT": b"\x04", "DISCONNECT": b"\x05"},
    "0.2": {"header": b"MDPW02", "READY": b"\x01", "REQUEST": b"\x02", "PARTIAL": b"\x03", "FINAL": b"\x04",
            "HEARTBEAT": b"\x05", "DISCONNECT": b"\x06"},
}


def outcome(task):
    """What this example worker does with a task: a provider for brokerage, an advocate for advocacy, …"""
    kind = task["kind"]
    if kind in ("find-provider", "arrange-interim-support"):
        # Hours of home care at an hourly rate, within the budget: with the unit cost, unit, units a week and the
        # provider's CQC location that the CLD return reports (docs/tasks.md#brokerage-replies).
        budget = task["brief"].get("weeklyBudget", 200.0)
        hourly = 21.55
        hours = round(min(budget, 250.0) / hourly, 2)
        return {"provider": "Python Home Care", "weeklyCost": round(hours * hourly, 2), "unitCost": hourly,
                "unitType": "hourly", "plannedUnitsPerWeek": hours, "cqcLocationID": "1-101112131"}
    if kind == "refer-advocacy":
        return {"advocate": "Python Advocacy"}
    if kind == "dp-audit":
        return {"unspent": 0.0}
    return {}


def curve_keys(server, secret_file):
    """The broker's public key and this worker's key pair, the secret read from a file only its owner may read."""
    mode = os.stat(secret_file).st_mode
    if mode & (stat.S_IRGRP | stat.S_IROTH | stat.S_IWGRP | stat.S_IWOTH):
        sys.exit(f"{secret_file}: others may read or change this CURVE secret key file\n"
                 f"  hint: make it readable by its owner only: chmod 600 {secret_file}")
    with open(secret_file, encoding="utf-8") as file:
        lines = [line.strip() for line in file if line.strip() and not line.startswith("#")]
    if not lines or len(lines[0]) != 40:
        sys.exit(f"{secret_file}: holds no CURVE secret key (40 Z85 characters on a line)\n"
                 "  hint: use the file `carejourney keys admit` wrote for this worker")
    secret = lines[0].encode()
    return server.encode(), zmq.curve_public(secret), secret


class Route:
    """Which broker the worker talks to, and when it goes back to its home (the first listed): the rules of the
    Swift SDK's worker session (Sources/CareJourneyWorker/WorkerSession.swift), with the time given, never read."""

    def __init__(self, brokers, return_after):
        self.brokers, self.return_after = brokers, return_after
        self.broker = 0
        self.wait = return_after
        self.return_at = None

    @property
    def home(self):
        return self.broker == 0

    def taken(self):
        """The broker answered (a heartbeat or a request): at home, the waits start again from the first."""
        if self.home:
            self.return_at, self.wait = None, self.return_after

    def move_on(self, now, answered):
        """On to the next broker listed. Leaving home, back after the wait, doubled first if home had not answered
        on this connection."""
        if self.home:
            if not answered:
                self.wait = min(self.wait * 2, 16 * self.return_after)
            self.return_at = now + self.wait
        self.broker = (self.broker + 1) % len(self.brokers)

    def due_home(self, now):
        """Away and due back (checked between tasks): the broker is home again, and the caller reconnects there."""
        if self.return_at is None or now < self.return_at:
            return False
        self.return_at = None
        if self.home:
            return False
        self.broker = 0
        return True


class Worker:
    def __init__(self, endpoints, service, protocol, handler, fail_after=None, heartbeat=HEARTBEAT_INTERVAL,
                 curve=None, return_after=60.0):
        self.endpoints, self.service, self.handler = endpoints, service, handler
        self.route = Route(endpoints, return_after)
        self.curve = curve
        self.c = COMMANDS[protocol]
        self.protocol = protocol
        self.context = zmq.Context()
        self.socket = None
        self.handled = 0
        self.fail_after = fail_after
        self.heartbeat = heartbeat

    def send(self, command, *frames):
        # MDP/0.1 starts every message with an empty frame; MDP/0.2 does not.
        start = [b""] if self.protocol == "0.1" else []
        self.socket.send_multipart([*start, self.c["header"], self.c[command], *frames])

    def connect(self):
        if self.socket is not None:
            self.socket.close(linger=0)
        self.socket = self.context.socket(zmq.DEALER)
        self.socket.linger = 0
        if self.curve:
            self.socket.curve_serverkey, self.socket.curve_publickey, self.socket.curve_secretkey = self.curve
        self.socket.connect(self.endpoints[self.route.broker])
        self.send("READY", self.service.encode())
        self.answered = False
        self.liveness = HEARTBEAT_LIVENESS
        self.next_heartbeat = time.time() + self.heartbeat

    def move_on(self, why):
        """Leaves a broker that went quiet or turned the worker away for the next one listed, after a second."""
        self.route.move_on(time.time(), self.answered)
        print(f"the broker {why}; trying {self.endpoints[self.route.broker]}", file=sys.stderr, flush=True)
        time.sleep(1)
        self.connect()

    def go_home_if_due(self):
        """Between two tasks: away for its wait, the worker says DISCONNECT where it is and goes back home."""
        away = self.endpoints[self.route.broker]
        if self.route.due_home(time.time()):
            self.send("DISCONNECT")
            print(f"going back to {self.endpoints[self.route.broker]} from {away}", file=sys.stderr, flush=True)
            self.connect()

    def run(self):
        self.connect()
        poller = zmq.Poller()
        while True:
            poller = zmq.Poller()
            poller.register(self.socket, zmq.POLLIN)
            events = dict(poller.poll(self.heartbeat * 1000))
            if self.socket in events:
                frames = self.socket.recv_multipart()
                self.liveness = HEARTBEAT_LIVENESS
                if self.protocol == "0.1":
                    if not frames or frames[0] != b"":
                        print("dropped a malformed message", file=sys.stderr)
                        continue
                    frames = frames[1:]
                if len(frames) < 2 or frames[0] != self.c["header"]:
                    print("dropped a malformed message", file=sys.stderr)
                    continue
                command = frames[1]
                if command in (self.c["REQUEST"], self.c["HEARTBEAT"]):
                    self.answered = True
                    self.route.taken()
                if command == self.c["REQUEST"]:
                    client, body = frames[2], frames[4:]
                    task = json.loads(body[0])
                    if self.fail_after is not None and self.handled >= self.fail_after:
                        print(f"taking task {task['task']} and dying without a reply", flush=True)
                        time.sleep(60)
                    if self.protocol == "0.2":
                        progress = {"task": task["task"], "progress": "looking"}
                        self.send("PARTIAL", client, b"", json.dumps(progress).encode())
                    reply = {"task": task["task"], "data": self.handler(task)}
                    self.send("FINAL", client, b"", json.dumps(reply).encode())
                    self.handled += 1
                    print(f"done {task['task']} ({task['kind']}, attempt {task['attempt']})", flush=True)
                elif command == self.c["DISCONNECT"] and self.answered:
                    self.connect()
                elif command == self.c["DISCONNECT"]:
                    self.move_on("turned this worker away")
            else:
                self.liveness -= 1
                if self.liveness == 0:
                    self.move_on("went quiet")
            self.go_home_if_due()
            if time.time() > self.next_heartbeat:
                self.send("HEARTBEAT")
                self.next_heartbeat = time.time() + self.heartbeat


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--broker", action="append", metavar="ENDPOINT",
                        help="a broker's endpoint, once for each node (default tcp://127.0.0.1:5555)")
    parser.add_argument("--service", default="brokerage")
    parser.add_argument("--protocol", choices=["0.1", "0.2"], default="0.2")
    parser.add_argument("--heartbeat", type=float, default=HEARTBEAT_INTERVAL,
                        help="seconds between heartbeats (the broker's own interval)")
    parser.add_argument("--return-home-after", type=float, default=60.0, metavar="SECONDS",
                        help="away from the first broker listed, go back to it after this long (doubling while it "
                             "does not take the worker back)")
    parser.add_argument("--die-after", type=int, default=None,
                        help="for tests: take the next task after N and never answer it")
    parser.add_argument("--curve-server", help="the broker's CURVE public key (with --curve-keys on the broker)")
    parser.add_argument("--curve-secret-file", help="a file holding this worker's CURVE secret key (chmod 600)")
    if any(argument.split("=")[0] in ("--curve-secret", "--curve-public") for argument in sys.argv[1:]):
        parser.error("a key on the command line can be read by every user of this machine: write the secret key to a "
                     "file only you can read (chmod 600 FILE) and pass --curve-secret-file FILE; the public key is "
                     "derived from it")
    args = parser.parse_args()
    if bool(args.curve_server) != bool(args.curve_secret_file):
        parser.error("CURVE needs both --curve-server=KEY and --curve-secret-file FILE")
    if args.return_home_after <= 0:
        parser.error(f"--return-home-after takes a number of seconds above 0, not {args.return_home_after:g}")
    curve = curve_keys(args.curve_server, args.curve_secret_file) if args.curve_server else None
    try:
        Worker(args.broker or ["tcp://127.0.0.1:5555"], args.service, args.protocol, outcome, args.die_after,
               args.heartbeat, curve, args.return_home_after).run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
