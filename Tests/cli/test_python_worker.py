"""The Python example worker's answers carry what docs/tasks.md asks of a brokerage reply, the CLD return's fields
included, consistently: a weekly cost within the budget that its unit cost and units a week make up. Given several
brokers, it goes back to the first listed after its wait, as the Swift SDK's slots do."""
import importlib.util
import re
from pathlib import Path

import pytest

WORKER = Path(__file__).resolve().parents[2] / "examples" / "workers" / "python" / "mdp_worker.py"


@pytest.fixture(scope="module")
def worker():
    spec = importlib.util.spec_from_file_location("mdp_worker", WORKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", ["find-provider", "arrange-interim-support"])
@pytest.mark.parametrize("budget", [80.0, 188.0, 320.0])
def test_a_brokerage_reply_has_the_returns_fields_and_adds_up(worker, kind, budget):
    reply = worker.outcome({"kind": kind, "brief": {"weeklyBudget": budget}})
    assert reply["provider"]
    assert 0 < reply["weeklyCost"] <= min(budget, 250.0)
    assert reply["unitType"] == "hourly"
    units = reply["plannedUnitsPerWeek"]
    assert 0 < units <= 1000 and round(units, 2) == units
    assert reply["weeklyCost"] == pytest.approx(reply["unitCost"] * units, abs=0.01)
    assert re.fullmatch(r"1-\d+", reply["cqcLocationID"])


def test_a_worker_away_from_home_goes_back_after_its_wait(worker):
    route = worker.Route(["tcp://a", "tcp://b", "tcp://c"], 60)
    route.taken()
    route.move_on(1000, answered=True)
    assert route.broker == 1
    assert not route.due_home(1059)
    assert route.due_home(1060) and route.broker == 0
    assert not route.due_home(2000), "once home, nothing is due"


def test_the_wait_doubles_while_home_does_not_take_the_worker_back_and_starts_again_once_it_does(worker):
    route = worker.Route(["tcp://a", "tcp://b"], 10)
    waits = []
    now = 0
    for _ in range(6):
        route.move_on(now, answered=False)  # home went quiet before answering
        waits.append(route.return_at - now)
        now = route.return_at
        assert route.due_home(now)
    assert waits == [20, 40, 80, 160, 160, 160], "doubled each time, up to 16 times the wait"
    route.taken()
    route.move_on(now, answered=True)
    assert route.return_at - now == 10


def test_moving_on_from_one_away_broker_to_another_keeps_the_time_to_go_home(worker):
    route = worker.Route(["tcp://a", "tcp://b", "tcp://c"], 30)
    route.move_on(0, answered=True)
    route.move_on(5, answered=True)  # b went quiet too: on to c, still due home at 30
    assert route.broker == 2 and route.return_at == 30
    route.move_on(6, answered=True)  # past the last: the first listed is next, and it is home
    assert route.broker == 0


def test_a_worker_leaves_the_broker_it_fled_to_and_goes_home_when_due():
    zmq = pytest.importorskip("zmq")
    import subprocess
    import sys
    import time

    context = zmq.Context()
    home, away = context.socket(zmq.ROUTER), context.socket(zmq.ROUTER)
    home_port = home.bind_to_random_port("tcp://127.0.0.1")
    home.close(linger=0)  # home is down at first: the worker hears nothing there and moves on
    away_port = away.bind_to_random_port("tcp://127.0.0.1")
    worker = subprocess.Popen(
        # Heartbeats of a second (silence for three moves it on): the away broker below answers only from this loop,
        # and at 0.2 s a slow moment here sent the worker fleeing again, each flight doubling its wait to go home.
        [sys.executable, str(WORKER), "--service", "brokerage", "--heartbeat", "1", "--return-home-after", "2",
         "--broker", f"tcp://127.0.0.1:{home_port}", "--broker", f"tcp://127.0.0.1:{away_port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        poller = zmq.Poller()
        poller.register(away, zmq.POLLIN)
        commands = []
        deadline = time.time() + 20
        while time.time() < deadline and b"\x06" not in commands:
            if poller.poll(100):
                frames = away.recv_multipart()
                commands.append(frames[2])
                if frames[2] == b"\x01":  # READY: the away broker takes the worker and keeps it alive
                    identity = frames[0]
                if b"\x01" in commands:
                    away.send_multipart([identity, b"MDPW02", b"\x05"])  # HEARTBEAT
        assert b"\x01" in commands, "the worker never came to the second broker"
        assert b"\x06" in commands, "the worker never said DISCONNECT to the broker it fled to"
        home = context.socket(zmq.ROUTER)
        home.bind(f"tcp://127.0.0.1:{home_port}")
        assert home.poll(10_000), "the worker did not come home"
        assert home.recv_multipart()[1:3] == [b"MDPW02", b"\x01"]
    finally:
        worker.kill()
        worker.wait()
        context.destroy(linger=0)
