"""The Python example worker's answers carry what docs/tasks.md asks of a brokerage reply, the CLD return's fields
included, consistently: a weekly cost within the budget that its unit cost and units a week make up."""
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
