"""scripts/modules.py finds every broken rule of the module graph: a forbidden dependency, direct or not, a library
in examples/, libzmq's C API outside ZeroMQ, an import not declared, the wall clock read outside the clock. Each rule is
tried on a graph that breaks it.
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
        "CareJourneyFiles": target(),
        "CareJourneyKit": target(["CareJourneyCore", "CareJourneyFiles", "CareJourneySimulation"]),
        "CareJourneyWorker": target(["CareJourneyWire", "CareJourneyFiles", "ZeroMQ"]),
        "CareJourneyExampleWorkers": target(["CareJourneyCore", "CareJourneyWire"]),
        "CareJourneySamples": target(["CareJourneyStore", "CareJourneyWire", "CareJourneyExampleWorkers"]),
        "CareJourneyPostgres": target(["CareJourneyStore"]),
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


def test_the_worker_sdk_may_not_use_kit():
    found = modules.problems(graph(CareJourneyWorker=target(["CareJourneyWire", "CareJourneyKit", "ZeroMQ"])), {})
    assert "CareJourneyWorker depends on CareJourneyKit, which it may not (directly or through another target)" in found
    assert "CareJourneyWorker depends on CareJourneySimulation, which it may not (directly or through another target)" \
        in found
    assert not any(problem.startswith("CareJourneyKit") for problem in found), found


def test_the_sample_population_plays_the_example_answers_without_the_worker_sdk():
    found = modules.problems(graph(
        CareJourneyExampleWorkers=target(["CareJourneyCore", "CareJourneyWire", "CareJourneyWorker"])), {})
    assert ("CareJourneyExampleWorkers depends on CareJourneyWorker, which it may not (directly or through another "
            "target)") in found
    assert "CareJourneySamples depends on CareJourneyWorker, which it may not (directly or through another target)" \
        in found
    assert "CareJourneySamples depends on ZeroMQ, which it may not (directly or through another target)" in found


def test_the_worker_sdk_importing_kit_without_declaring_it_is_found():
    imports = {"CareJourneyWorker": [(Path("Sources/CareJourneyWorker/WorkerOptions.swift"), 2, "CareJourneyKit")]}
    found = modules.problems(graph(), imports)
    assert found == ["Sources/CareJourneyWorker/WorkerOptions.swift:2: CareJourneyWorker imports CareJourneyKit "
                     "without declaring it in Package.swift"]


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


def test_the_wall_clock_is_read_by_the_clock_and_the_benchmarks_alone():
    reads = {"CareJourneyBroker": [(Path("Sources/CareJourneyBroker/Broker.swift"), 154, "timeIntervalSinceNow")],
             "CareJourneyStore": [(Path("Sources/CareJourneyStore/Engine.swift"), 9, "Date()")],
             "CareJourneyClock": [(Path("Sources/CareJourneyClock/CareClock.swift"), 3, "Date()")],
             "CareJourneyBench": [(Path("Sources/CareJourneyBench/Run.swift"), 5, "Date()")],
             "StoreTests": [(Path("Tests/StoreTests/A.swift"), 7, "Date()")]}
    found = modules.problems(graph(CareJourneyBroker=target(["CareJourneyStore", "ZeroMQ"],
                                                            path="Sources/CareJourneyBroker"),
                                   CareJourneyStore=target(["CareJourneyCore"], path="Sources/CareJourneyStore"),
                                   CareJourneyClock=target(path="Sources/CareJourneyClock"),
                                   CareJourneyBench=target(["CareJourneyClock"], kind="executable",
                                                           path="Sources/CareJourneyBench"),
                                   StoreTests=target(["CareJourneyStore"], kind="test", path="Tests/StoreTests")),
                             {}, reads)
    clock = sorted(problem for problem in found if "reads the wall clock" in problem)
    assert len(clock) == 2, found
    assert clock[0].startswith("Sources/CareJourneyBroker/Broker.swift:154: CareJourneyBroker reads the wall clock "
                               "(timeIntervalSinceNow); take the injected CareClock instead")
    assert clock[1].startswith("Sources/CareJourneyStore/Engine.swift:9: CareJourneyStore reads the wall clock (Date())")
    assert all(problem.endswith("only CareJourneyBench and CareJourneyClock may read it") for problem in clock)


def test_wall_clock_reads_are_found_in_code_and_not_in_comments(tmp_path):
    (tmp_path / "A.swift").write_text("""/// No `Date()` in the core.
let a = Date()  // Date.now
let b = deadline.timeIntervalSinceNow
let c = Date.now
let d = Date(timeIntervalSince1970: 0)
let e = updatedDate()
""")
    found = modules.clock_reads_in(tmp_path)
    assert [(line, read) for _, line, read in found] == [(2, "Date()"), (3, "timeIntervalSinceNow"), (4, "Date.now")]


def test_the_mermaid_graph_shows_the_projects_own_targets_and_their_edges():
    drawn = modules.mermaid(graph(Test=target(["CareJourneyCore"], kind="test", path="Tests/Test")))
    assert drawn.startswith("```mermaid\nflowchart BT\n")
    assert "    CareJourneyServer --> CareJourneyStore" in drawn
    assert "Test" not in drawn.replace("```", "")
