"""scripts/modules.py finds every broken rule of the module graph: a forbidden dependency, direct or not, a library
in examples/, libzmq's C API outside ZeroMQ, an import not declared. Each rule is tried on a graph that breaks it.
"""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("modules", ROOT / "scripts" / "modules.py")
modules = importlib.util.module_from_spec(spec)
spec.loader.exec_module(modules)


def target(depends=(), kind="regular", path=None, products=()):
    return {"type": kind, "path": path or "Sources/X", "depends": list(depends), "products": list(products)}


def graph(**changes):
    """A graph that keeps every rule, with `changes` made to it."""
    targets = {
        "CareJourneyCore": target(),
        "CareJourneyReports": target(["CareJourneyCore"]),
        "CareJourneyWire": target(["CareJourneyCore"]),
        "CareJourneySimulation": target(["CareJourneyCore"]),
        "CareJourneyStore": target(["CareJourneyCore"]),
        "CZeroMQ": target(kind="system"),
        "ZeroMQ": target(["CZeroMQ"]),
        "CareJourneyBroker": target(["CareJourneyStore", "ZeroMQ"]),
        "CareJourneyServer": target(["CareJourneyStore", "CareJourneyWire"]),
    }
    targets.update(changes)
    return targets


def test_a_graph_that_keeps_the_rules_has_no_problem():
    assert modules.problems(graph(), {}) == []


def test_the_server_may_not_reach_zeromq_even_through_another_target():
    found = modules.problems(graph(CareJourneyServer=target(["CareJourneyStore", "CareJourneyBroker"])), {})
    assert "CareJourneyServer depends on CareJourneyBroker, which it may not (directly or through another target)" in found
    assert "CareJourneyServer depends on ZeroMQ, which it may not (directly or through another target)" in found
    assert "CareJourneyServer depends on CZeroMQ, which it may not (directly or through another target)" in found


def test_the_core_depends_on_nothing_and_reports_on_the_core_alone():
    found = modules.problems(graph(CareJourneyCore=target(["CareJourneyWire"]),
                                   CareJourneyReports=target(["CareJourneyCore", "CareJourneyStore"])), {})
    assert any(problem.startswith("CareJourneyCore depends on CareJourneyWire") for problem in found)
    assert any(problem.startswith("CareJourneyReports depends on CareJourneyStore") for problem in found)


def test_no_library_lives_in_examples_and_only_zeromq_uses_the_c_api():
    found = modules.problems(graph(Shared=target(path="examples/workers/Shared"),
                                   CareJourneyWorker=target(["CZeroMQ"])), {})
    assert "Shared is a library target under examples/workers/Shared: library targets never live in examples/" in found
    assert "CareJourneyWorker depends on CZeroMQ: only ZeroMQ may use libzmq's C API" in found


def test_an_import_must_be_declared_and_czeromq_imported_by_zeromq_alone():
    imports = {"CareJourneyServer": [(Path("Sources/CareJourneyServer/A.swift"), 3, "CareJourneyReports"),
                                     (Path("Sources/CareJourneyServer/B.swift"), 1, "CZeroMQ")]}
    found = modules.problems(graph(), imports)
    assert ("Sources/CareJourneyServer/A.swift:3: CareJourneyServer imports CareJourneyReports without declaring it "
            "in Package.swift") in found
    assert ("Sources/CareJourneyServer/B.swift:1: imports CZeroMQ; only ZeroMQ may (use the ZeroMQ module's API)"
            in found)


def test_the_mermaid_graph_shows_the_projects_own_targets_and_their_edges():
    drawn = modules.mermaid(graph(Test=target(["CareJourneyCore"], kind="test", path="Tests/Test")))
    assert drawn.startswith("```mermaid\nflowchart BT\n")
    assert "    CareJourneyServer --> CareJourneyStore" in drawn
    assert "Test" not in drawn.replace("```", "")
