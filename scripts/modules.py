#!/usr/bin/env python3
"""The module graph, from Package.swift as SwiftPM reads it: checked against the house rules, and drawn into
docs/architecture.md so that the picture cannot go stale.

    scripts/modules.py            check the rules (and that no target outside CareJourneyClock and CareJourneyBench
                                  reads the wall clock), and that docs/architecture.md shows the graph as it is
    scripts/modules.py --write    check the rules, and (re)draw the graph in docs/architecture.md

Exit 1 naming every broken rule (which target, which dependency or import, where). scripts/test runs it.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
BEGIN = "<!-- module graph: made by scripts/modules.py --write; do not edit by hand -->"
END = "<!-- end of module graph -->"

# What each target may never depend on, directly or through another target.
FORBIDDEN = {
    "CareJourneyCore": "*",
    "CareJourneyReports": {"*but": {"CareJourneyCore"}},
    "CareJourneyWire": {"*but": {"CareJourneyCore"}},
    "CareJourneySimulation": {"*but": {"CareJourneyCore"}},
    "CareJourneyServer": {"ZeroMQ", "CZeroMQ", "CareJourneyBroker", "CareJourneyWorker", "CareJourneyExampleWorkers",
                          "CareJourneySamples", "CareJourneyRuntime", "CareJourneyDemo", "CareJourneyPostgres"},
    "CareJourneyStore": {"ZeroMQ", "CZeroMQ", "CareJourneyServer", "CareJourneyBroker", "CareJourneyKit",
                         "CareJourneyPostgres"},
    # PostgreSQL's side of the store (postgres-nio): the SQLite store and what it stands on, nothing above it; and
    # nothing a SQLite user's module links (the store, the server, the samples) depends on it.
    "CareJourneyPostgres": {"*but": {"CareJourneyStore", "CareJourneyClock", "CareJourneyCore", "CSQLiteSettings",
                                     "ServiceThread"}},
    "CareJourneyFiles": "*",
    # The worker SDK: what a worker's program links, and no more (not Kit's YAML, crypto and simulation).
    "CareJourneyWorker": {"*but": {"CareJourneyCore", "CareJourneyWire", "CareJourneyClock", "CareJourneyFiles",
                                   "ZeroMQ", "CZeroMQ", "ServiceThread"}},
    # The example workers' answers are functions of a task: the sample population plays them without a broker.
    "CareJourneyExampleWorkers": {"*but": {"CareJourneyCore", "CareJourneyWire"}},
    "CareJourneySamples": {"ZeroMQ", "CZeroMQ", "CareJourneyWorker", "CareJourneyBroker", "CareJourneyServer",
                           "CareJourneyRuntime", "CareJourneyDemo", "CareJourneyPostgres"},
}
# Only this target may use libzmq's C API.
C_ZEROMQ_USER = "ZeroMQ"
# Only these targets may read the wall clock; every other one in Sources/ takes the injected `CareClock`.
CLOCK_READERS = {"CareJourneyClock", "CareJourneyBench"}
WALL_CLOCK_READ = re.compile(r"\bDate\(\)|\bDate\.now\b|\btimeIntervalSinceNow\b")


def dump_package():
    done = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("scripts/modules.py: `swift package dump-package` failed:\n" + done.stderr)
    return json.loads(done.stdout)


def targets_of(package):
    """Each target: its kind, its folder, and the targets and products it depends on."""
    targets = {}
    for target in package["targets"]:
        depends, products = [], []
        for dependency in target["dependencies"]:
            kind, value = next(iter(dependency.items()))
            (products if kind == "product" else depends).append(value[0])
        folder = target.get("path") or ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]
        targets[target["name"]] = {"type": target["type"], "path": folder, "depends": depends, "products": products}
    return targets


def closure(targets, name):
    """Every target `name` depends on, directly or not."""
    seen, todo = set(), list(targets[name]["depends"])
    while todo:
        next_name = todo.pop()
        if next_name in seen or next_name not in targets:
            continue
        seen.add(next_name)
        todo += targets[next_name]["depends"]
    return seen


def imports_in(folder):
    """`(file, line number, module)` for every `import M` in the Swift files under `folder`."""
    found = []
    for file in sorted(Path(folder).rglob("*.swift")):
        for number, line in enumerate(file.read_text().splitlines(), 1):
            match = re.match(r"\s*(?:@testable\s+|@_exported\s+)?import\s+(?:struct\s+|class\s+|enum\s+)?(\w+)", line)
            if match:
                found.append((file, number, match.group(1)))
    return found


def clock_reads_in(folder):
    """`(file, line number, read)` for every hidden read of the wall clock (`Date()`, `Date.now`,
    `timeIntervalSinceNow`) in the Swift files under `folder`, comments aside."""
    found = []
    for file in sorted(Path(folder).rglob("*.swift")):
        for number, line in enumerate(file.read_text().splitlines(), 1):
            code = line.split("//", 1)[0]
            for match in WALL_CLOCK_READ.finditer(code):
                found.append((file, number, match.group(0)))
    return found


def problems(targets, imports, clock_reads=None):
    """Every broken rule, in words. `imports` maps a target to its `(file, line, module)` imports, `clock_reads` to
    its `(file, line, read)` reads of the wall clock."""
    found = []
    for name, rule in FORBIDDEN.items():
        if name not in targets:
            found.append(f"{name}: the rules name a target Package.swift no longer has")
            continue
        reached = closure(targets, name)
        if rule == "*":
            bad = reached
        elif isinstance(rule, dict):
            bad = reached - rule["*but"]
        else:
            bad = reached & rule
        for other in sorted(bad):
            found.append(f"{name} depends on {other}, which it may not (directly or through another target)")
    for name, target in targets.items():
        if target["type"] in ("regular", "system") and target["path"].startswith("examples/"):
            found.append(f"{name} is a library target under {target['path']}: library targets never live in examples/")
        for dependency in target["depends"]:
            if dependency in targets and targets[dependency]["path"].startswith("examples/") \
                    and targets[dependency]["type"] != "executable":
                found.append(f"{name} depends on {dependency}, which lives in examples/")
        if "CZeroMQ" in target["depends"] and name != C_ZEROMQ_USER:
            found.append(f"{name} depends on CZeroMQ: only {C_ZEROMQ_USER} may use libzmq's C API")
        declared = set(target["depends"]) | set(target["products"])
        for file, line, module in imports.get(name, []):
            where = f"{file.relative_to(ROOT) if file.is_absolute() else file}:{line}"
            if module == "CZeroMQ" and name != C_ZEROMQ_USER:
                found.append(f"{where}: imports CZeroMQ; only {C_ZEROMQ_USER} may (use the ZeroMQ module's API)")
            elif module in targets and module != name and module not in declared:
                found.append(f"{where}: {name} imports {module} without declaring it in Package.swift")
        if target["path"].startswith("Sources/") and name not in CLOCK_READERS:
            for file, line, read in (clock_reads or {}).get(name, []):
                where = f"{file.relative_to(ROOT) if file.is_absolute() else file}:{line}"
                found.append(
                    f"{where}: {name} reads the wall clock ({read}); take the injected CareClock instead "
                    f"(`clock.now()`, `clock.milliseconds(until:atMost:)` for a poll's wait), so that tests and "
                    f"--time-scale see one time: only {' and '.join(sorted(CLOCK_READERS))} may read it")
    return found


def mermaid(targets):
    """The graph of the project's own targets (tests and examples aside), as a Mermaid flowchart."""
    shown = {name: t for name, t in targets.items()
             if t["type"] in ("regular", "executable", "system") and not t["path"].startswith(("examples/", "Tests/"))}
    lines = ["```mermaid", "flowchart BT"]
    for name in sorted(shown):
        label = name + (" (command)" if shown[name]["type"] == "executable" else "")
        lines.append(f'    {name}["{label}"]')
    for name in sorted(shown):
        for dependency in sorted(shown[name]["depends"]):
            if dependency in shown:
                lines.append(f"    {name} --> {dependency}")
    lines.append("```")
    return "\n".join(lines)


def main(arguments):
    write = "--write" in arguments
    targets = targets_of(dump_package())
    imports = {name: imports_in(ROOT / t["path"]) for name, t in targets.items()
               if t["type"] != "system" and (ROOT / t["path"]).exists()}
    clock_reads = {name: clock_reads_in(ROOT / t["path"]) for name, t in targets.items()
                   if t["type"] != "system" and (ROOT / t["path"]).exists()}
    found = problems(targets, imports, clock_reads)
    graph = f"{BEGIN}\n{mermaid(targets)}\n{END}"
    text = DOC.read_text()
    if BEGIN not in text or END not in text:
        found.append(f"{DOC.relative_to(ROOT)} has no module graph markers ({BEGIN} … {END})")
    else:
        drawn = text[text.index(BEGIN):text.index(END) + len(END)]
        if drawn != graph:
            if write:
                DOC.write_text(text.replace(drawn, graph))
            else:
                found.append(f"{DOC.relative_to(ROOT)} shows an old module graph: run scripts/modules.py --write")
    for problem in found:
        print(f"modules: {problem}", file=sys.stderr)
    if found:
        return 1
    print(f"modules: {len(targets)} targets keep the rules; docs/architecture.md shows the graph as it is")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
