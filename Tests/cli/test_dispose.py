"""`carejourney store dispose` as a records team runs it: the listing (text and JSON), a legal hold honoured, the
service running refused, certificates left and the store verifying clean afterwards.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import json
import sqlite3
import subprocess

from carejourney import Server, binary

FAR = ["--as-of", "2045-12-31"]  # past every period of the shipped schedule but the safeguarding one


def store(*arguments):
    return subprocess.run([binary(), "store", *arguments], capture_output=True, text=True)


def test_dispose_lists_then_removes_what_is_past_its_period_keeping_held_cases(tmp_path):
    data = str(tmp_path)
    server = Server(data, sample=10)
    try:
        ids = []
        for name in ["Ada Lovelace", "Grace Hopper", "Mary Somerville"]:
            status, opened = server.post_json(
                "/api/cases", {"data": {"name": name, "clientType": "adult", "route": "gp"}})
            assert status == 201, opened
            status, _ = server.post_json(f"/api/cases/{opened['id']}/events", {"name": "give-information-and-advice"})
            assert status == 200
            ids.append(opened["id"])
        held = ids[0]
        status, _ = server.post_json(f"/api/cases/{held}/events", {"name": "hold", "data": {"reason": "an inquiry"}})
        assert status == 200
        running = store("dispose", "--data-dir", data, *FAR)
        assert running.returncode == 1, "the service holds the store"
    finally:
        server.stop()

    listing = store("dispose", "--data-dir", data, "--dry-run", "--json", *FAR)
    assert listing.returncode == 0, listing.stderr
    report = json.loads(listing.stdout)
    assert report["dryRun"] and report["policy"] == "derbyshire"
    outcomes = {entry["case"]: entry["outcome"] for entry in report["cases"]}
    assert outcomes[held] == "held"
    due = [case for case, outcome in outcomes.items() if outcome == "due"]
    assert set(ids[1:]) <= set(due), outcomes
    assert {entry["rule"] for entry in report["cases"]} <= {"information-and-advice", "carers", "adults"}

    text = store("dispose", "--data-dir", data, "--dry-run", *FAR)
    assert text.stdout.splitlines()[0].startswith("as of 2045-12-31 under policy 'derbyshire': ")
    assert f"  {held}  closed " in text.stdout and ": kept: legal hold by tm.ali since " in text.stdout
    assert text.stdout.splitlines()[-1].startswith(f"would dispose of {len(due)}; kept: 1 on legal hold")
    assert "Lovelace" not in listing.stdout + text.stdout

    done = store("dispose", "--data-dir", data, "--by", "records.team", *FAR)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith(f"disposed of {len(due)}, each leaving a certificate")
    with sqlite3.connect(f"file:{data}/carejourney.sqlite?mode=ro", uri=True) as db:
        certificates = db.execute("SELECT case_id, disposed_by FROM disposal_certificates").fetchall()
        assert sorted(certificates) == sorted((case, "records.team") for case in due)
        assert db.execute("SELECT COUNT(*) FROM events WHERE case_id = ?", (due[0],)).fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM events WHERE case_id = ?", (held,)).fetchone()[0] > 0

    verify = store("verify", "--data-dir", data)
    assert verify.returncode == 0, verify.stdout
    again = store("dispose", "--data-dir", data, *FAR)
    assert again.stdout.splitlines()[-1].startswith("disposed of 0")
    wrong = store("dispose", "--data-dir", data, "--as-of", "2045-13-01")
    assert wrong.returncode == 1 and "is not a date" in wrong.stderr
