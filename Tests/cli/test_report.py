"""`carejourney report` as a council runs it: exit codes, what is written and what is not, the JSON figures.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import csv
import io
import json
import os
import subprocess
from pathlib import Path

from carejourney import binary

ROOT = Path(__file__).resolve().parents[2]
TYPICAL = str(ROOT / "examples" / "scenarios" / "typical-year.yaml")
NOT_ELIGIBLE = str(ROOT / "examples" / "scenarios" / "not-eligible.yaml")
YEAR = ["--from", "2026-01-01", "--to", "2026-12-31"]


def report(*arguments):
    # The umask a council's shell may well have: the return must still be owner-only.
    return subprocess.run([binary(), "report", *arguments], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=lambda: os.umask(0o022))


def test_a_complete_return_is_written_to_the_file(tmp_path):
    out = tmp_path / "cld.csv"
    done = report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "E10000007", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "wrote 5 row(s) for 2026-01-01 to 2026-12-31: Request 1, Assessment 1, Service 2, Review 1" in done.stderr
    assert out.stat().st_mode & 0o777 == 0o600, "the return holds NHS numbers: owner-only"
    data = out.read_bytes()
    assert data.count(b"\r\n") == 6 and data.endswith(b"\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [row["Event Type"] for row in rows] == ["Request", "Assessment", "Service", "Service", "Review"]
    assert {row["NHS Number"] for row in rows} == {"9434765919"}
    assert {row["Ethnicity"] for row in rows} == {"A"}  # recorded after the contact, on every row
    assert rows[2]["Service Component"] == "Home Care" and rows[2]["Unit Cost"] == "186.40"


def test_incomplete_rows_are_listed_and_nothing_is_written(tmp_path):
    out = tmp_path / "cld.csv"
    done = report("cld", "--scenario", NOT_ELIGIBLE, *YEAR, "--la-code", "E10000007", "--out", str(out))
    assert done.returncode == 1
    assert not out.exists()
    problems = [line for line in done.stderr.splitlines() if line.startswith("incomplete: ")]
    assert "incomplete: cyril cyril/REQ/20260302/serviceuser/selfreferral: 'NHS Number' is empty; it is mandatory " \
        "on every row (person field). To fix: record it with record-person-details (nhsNumber)" in problems
    assert any("cyril/ASS/20260303/serviceuser/longtermsupportassessment: 'Method of Assessment' is empty" in line
               for line in problems)
    assert "incomplete rows by field: NHS Number 2, Person Stated Gender Code 2, Person Birth Month 2, Ethnicity 2, " \
        "Postcode 2, Primary Support Reason 1, Method of Assessment 1" in done.stderr.splitlines()
    assert "2 of 2 row(s)" in done.stderr and "--allow-incomplete" in done.stderr

    allowed = report("cld", "--scenario", NOT_ELIGIBLE, *YEAR, "--la-code", "E10000007", "--out", str(out),
                     "--allow-incomplete")
    assert allowed.returncode == 0, allowed.stderr
    assert "2 incomplete" in allowed.stderr
    assert not (tmp_path / "cld.csv.partial").exists()
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(row["Event Type"], row["Event Outcome"], row["NHS Number"]) for row in rows] == [
        ("Request", "Progress to Assessment", ""), ("Assessment", "NFA - No services provided: other reason", "")]


def test_a_return_that_cannot_be_written_leaves_the_old_one(tmp_path):
    out = tmp_path / "cld.csv"
    out.write_text("last quarter's\n")
    written = report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "E10000007", "--out", str(out))
    assert written.returncode == 0 and out.read_text().startswith("LA Code,")
    out.write_text("last quarter's\n")
    missing = report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "E10000007",
                     "--out", str(tmp_path / "no-such-folder" / "cld.csv"))
    assert missing.returncode == 1
    assert f"cannot write {tmp_path}/no-such-folder/cld.csv: the folder {tmp_path}/no-such-folder does not exist" \
        in missing.stderr
    assert out.read_text() == "last quarter's\n"


def test_bad_options_are_named_with_how_to_fix_them(tmp_path):
    bad_code = report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "Derby")
    assert bad_code.returncode == 1
    assert "--la-code: 'Derby' is not an LA code" in bad_code.stderr
    backwards = report("reviews", "--scenario", TYPICAL, "--from", "2026-12-31", "--to", "2026-01-01")
    assert backwards.returncode == 1 and "carejourney report:" in backwards.stderr
    no_store = report("requests", *YEAR, "--data-dir", str(tmp_path / "none"))
    assert no_store.returncode == 1
    assert f"there is no store in {tmp_path / 'none'}" in no_store.stderr
    assert not (tmp_path / "none").exists()


def test_review_and_request_figures_as_json():
    reviews = report("reviews", "--scenario", TYPICAL, "--from", "2026-01-01", "--to", "2027-03-31", "--json")
    assert reviews.returncode == 0, reviews.stderr
    figures = json.loads(reviews.stdout)
    assert figures["period"] == {"from": "2026-01-01", "to": "2027-03-31"}
    assert (figures["total"]["firstOnTime"], figures["total"]["firstLate"], figures["total"]["firstMissing"]) == (1, 0, 0)
    assert figures["total"]["yearlyOverdue"] == 0
    requests = report("requests", "--scenario", TYPICAL, *YEAR, "--json")
    assert requests.returncode == 0, requests.stderr
    outcomes = json.loads(requests.stdout)
    assert outcomes["requests"] == 1
    assert outcomes["bySequel"] == {"Long Term Support: Community": 1}
