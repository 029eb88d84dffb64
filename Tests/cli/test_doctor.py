"""`carejourney store doctor` and `store verify` on a store damaged by hand, as an operator runs them: the words,
the exit codes, `--json`, one case or a sample, and no progress line in piped output.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import json
import sqlite3
import subprocess

from carejourney import binary, sample_store


# Task kinds that stay open when their case closes (TaskKind.outlivingTheCase).
OUTLIVING = ["safeguarding-decision", "safeguarding-enquiry", "complaint-resolution", "written-notification",
             "transfer-handover", "end-services"]


def store(*arguments):
    return subprocess.run([binary(), "store", *arguments], capture_output=True, text=True)


def seeded(tmp_path):
    """A stopped service's store with a few sample cases, and the id of an open one with a timer and a journey task
    (one that closing withdraws)."""
    data = sample_store(tmp_path, cases=20)
    with sqlite3.connect(f"file:{data}/carejourney.sqlite?mode=ro", uri=True) as db:
        (case,) = db.execute(
            "SELECT id FROM cases WHERE stage <> 'closed' AND EXISTS (SELECT 1 FROM timers WHERE case_id = cases.id)"
            " AND EXISTS (SELECT 1 FROM tasks WHERE case_id = cases.id AND status = 'open' AND kind NOT IN"
            f" ({', '.join(repr(kind) for kind in OUTLIVING)})) ORDER BY number LIMIT 1"
        ).fetchone()
    return data, case


def damage(data, *statements):
    """Runs each statement (SQL text, or SQL text and its parameters) on the store."""
    with sqlite3.connect(f"{data}/carejourney.sqlite") as db:
        for statement in statements:
            db.execute(*statement) if isinstance(statement, tuple) else db.execute(statement)


def test_a_clean_store_is_clean_for_both(tmp_path):
    data, _ = seeded(tmp_path)
    doctor = store("doctor", "--data-dir", data)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert doctor.stdout.splitlines()[-1].startswith("clean: every open case has a next step")
    verify = store("verify", "--data-dir", data)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stderr == "", "no progress line when the output is not a terminal"


def test_a_case_left_without_a_step_is_found_with_its_fix(tmp_path):
    data, case = seeded(tmp_path)
    damage(
        data, f"DELETE FROM timers WHERE case_id = '{case}'",
        f"UPDATE tasks SET status = 'completed' WHERE case_id = '{case}' AND status IN ('open', 'failed')")

    doctor = store("doctor", "--data-dir", data)
    assert doctor.returncode == 1
    assert f"  no-next-step: case {case} (" in doctor.stdout
    assert f"    fix: carejourney store verify --case {case} --data-dir {data}" in doctor.stdout
    assert doctor.stdout.splitlines()[-1] == "NOT clean: 1 no-next-step"

    listing = json.loads(store("doctor", "--data-dir", data, "--json").stdout)
    assert listing["counts"]["no-next-step"] == 1
    assert [(finding["caseID"], finding["problem"]) for finding in listing["findings"]] == [(case, "no-next-step")]

    one = store("verify", "--data-dir", data, "--case", case)
    assert one.returncode == 1
    assert one.stdout.startswith("1 case(s), ")
    assert f"  differs: case {case}: timers table " in one.stdout
    assert f"  differs: case {case}: open tasks " in one.stdout
    whole = store("verify", "--data-dir", data, "--json")
    assert whole.returncode == 1
    report = json.loads(whole.stdout)
    assert not report["clean"] and any(f"case {case}: timers table" in line for line in report["differences"])
    assert whole.stderr == ""

    sample = store("verify", "--data-dir", data, "--sample", "3")
    assert sample.stdout.startswith("3 case(s), "), sample.stdout


def test_a_projection_closed_by_hand_is_found(tmp_path):
    data, case = seeded(tmp_path)
    damage(data, f"UPDATE cases SET stage = 'closed' WHERE id = '{case}'")
    doctor = store("doctor", "--data-dir", data)
    assert doctor.returncode == 1
    assert f"  timer-on-closed-case: case {case} is closed, and its timer '" in doctor.stdout
    assert f"  task-on-closed-case: case {case} is closed, and its '" in doctor.stdout
    verify = store("verify", "--data-dir", data, "--case", case)
    assert f"  differs: case {case}: projection columns " in verify.stdout


def test_verify_refuses_a_case_and_a_sample_together(tmp_path):
    data, case = seeded(tmp_path)
    both = store("verify", "--data-dir", data, "--case", case, "--sample", "2")
    assert both.returncode != 0 and "give --case or --sample, not both" in both.stderr


def test_a_snapshot_changed_by_hand_is_found_by_the_fields_that_differ(tmp_path):
    data = sample_store(tmp_path, cases=20)
    with sqlite3.connect(f"file:{data}/carejourney.sqlite?mode=ro", uri=True) as db:
        (case, version, stage) = db.execute(
            "SELECT id, state_version, json_extract(CAST(state AS TEXT), '$.stage') FROM cases"
            " WHERE state_version > 0 ORDER BY number LIMIT 1").fetchone()
    changed = "review" if stage != "review" else "delivery"
    damage(data, ("UPDATE cases SET state = CAST(json_set(CAST(state AS TEXT), '$.stage', ?) AS BLOB) WHERE id = ?",
                  (changed, case)))
    verify = store("verify", "--data-dir", data, "--case", case)
    assert verify.returncode == 1
    assert (f"  differs: case {case}: the stored state (snapshot at version {version}) differs from its replayed "
            f"history: stage: stored {changed}, replayed {stage}\n") in verify.stdout, verify.stdout
