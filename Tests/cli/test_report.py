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
    done = report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "503", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "wrote 5 row(s) for 2026-01-01 to 2026-12-31: Request 1, Assessment 1, Service 2, Review 1" in done.stderr
    assert out.stat().st_mode & 0o777 == 0o600, "the return holds NHS numbers: owner-only"
    data = out.read_bytes()
    assert data.count(b"\r\n") == 6 and data.endswith(b"\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [row["Event Type"] for row in rows] == ["Request", "Assessment", "Service", "Service", "Review"]
    assert {row["NHS Number"] for row in rows} == {"9434765919"}
    # Recorded after the contact, on every row, in the Release 2 wording.
    assert {row["Ethnicity"] for row in rows} == {"White: English, Welsh, Scottish, Northern Irish or British"}
    assert {row["LA Code"] for row in rows} == {"503"}
    assert rows[0]["Reporting Period Start Date"] == "01/01/2026" and rows[0]["Reporting Period End Date"] == "31/12/2026"
    assert rows[2]["Service Component"] == "Home support or domiciliary care" and rows[2]["Unit Cost"] == "186.40"
    assert rows[2]["Event Outcome"] == "Continuation of support or services"  # still open at the period's end
    checked = report("cld", "--check", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "5 row(s): 0 error(s)" in checked.stdout


def test_a_return_to_standard_output_is_the_same_and_leaves_no_file(tmp_path):
    out = tmp_path / "cld.csv"
    assert report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "503", "--out", str(out)).returncode == 0
    env = dict(os.environ, TMPDIR=str(tmp_path))
    printed = subprocess.run([binary(), "report", "cld", "--scenario", TYPICAL, *YEAR, "--la-code", "503"],
                             capture_output=True, cwd=ROOT, env=env)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == out.read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cld.csv"], "the partial copy is removed"


def test_a_quarter_is_the_twelve_months_to_its_end(tmp_path):
    out = tmp_path / "cld.csv"
    done = report("cld", "--scenario", TYPICAL, "--quarter", "2026-27Q3", "--la-code", "503", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "for 2026-01-01 to 2026-12-31" in done.stderr
    both = report("cld", "--scenario", TYPICAL, "--quarter", "2026-27Q3", *YEAR, "--la-code", "503")
    assert both.returncode == 1 and "not both" in both.stderr


def test_check_names_release_1_values_and_exits_1(tmp_path):
    out = tmp_path / "cld.csv"
    assert report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "503", "--out", str(out)).returncode == 0
    old = out.read_text().replace("Service user", "Service User").replace("01/01/2026", "2026-01-01")
    (tmp_path / "old.csv").write_text(old)
    checked = report("cld", "--check", str(tmp_path / "old.csv"))
    assert checked.returncode == 1
    assert "error: Client Type: 'Service User' is a Release 1 value; Release 2 writes 'Service user'" in checked.stdout
    assert "error: Reporting Period Start Date: '2026-01-01' is not a date written DD/MM/YYYY" in checked.stdout


def test_incomplete_rows_are_summarised_listed_to_a_file_and_nothing_is_written(tmp_path):
    out = tmp_path / "cld.csv"
    # Not-eligible's scenario without the details its contact gives, nor who took part in the assessment.
    lines = Path(NOT_ELIGIBLE).read_text().splitlines()
    kept = [line for line in lines if not any(line.strip().startswith(field) for field in (
        "nhsNumber:", "dateOfBirth:", "gender:", "ethnicity:", "postcode:", "accommodationStatus:", "hasUnpaidCarer:",
        "participants:", "primarySupportReason:"))]
    incomplete = tmp_path / "not-eligible.yaml"
    incomplete.write_text("\n".join(kept).replace("../../workflows/", str(ROOT / "workflows") + "/") + "\n")
    NOT_ELIGIBLE_BARE = str(incomplete)
    listed = tmp_path / "incomplete.csv"
    done = report("cld", "--scenario", NOT_ELIGIBLE_BARE, *YEAR, "--la-code", "503", "--out", str(out),
                  "--incomplete-out", str(listed))
    assert done.returncode == 1
    assert not out.exists() and not (tmp_path / "cld.csv.partial").exists()
    # Standard error shows the first few problems, never the whole list.
    problems = [line for line in done.stderr.splitlines() if line.startswith("incomplete: ")]
    assert problems[0] == "incomplete: cyril cyril/REQ/20260302/serviceuser/selfreferral: 'NHS Number' is empty; " \
        "it is mandatory on every row (person field). To fix: record it with record-person-details (nhsNumber)"
    assert len(problems) == 5
    assert "  NHS Number: 2 row(s) lack it; it is mandatory on every row (person field). To fix: record it with " \
        "record-person-details (nhsNumber)" in done.stderr.splitlines()
    assert f"every row and field is listed in {listed}" in done.stderr
    # The file lists every case and field, owner-only.
    assert listed.stat().st_mode & 0o777 == 0o600
    lines = list(csv.DictReader(io.StringIO(listed.read_text())))
    assert {"Case": "cyril", "Event Reference": "cyril/ASS/20260303/serviceuser/longtermassessment",
            "Field": "Method of Assessment"}.items() <= next(
                line for line in lines if line["Field"] == "Method of Assessment").items()
    assert sum(1 for line in lines if line["Field"] == "NHS Number") == 2
    assert len(lines) > len(problems)
    by_field = [line for line in done.stderr.splitlines() if line.startswith("incomplete rows by field: ")]
    assert by_field and "NHS Number 2" in by_field[0] and "Date of Birth 2" in by_field[0] \
        and "Method of Assessment 1" in by_field[0] and "Primary Support Reason 1" in by_field[0]
    assert "2 of 2 row(s)" in done.stderr and "--allow-incomplete" in done.stderr

    allowed = report("cld", "--scenario", NOT_ELIGIBLE_BARE, *YEAR, "--la-code", "503", "--out", str(out),
                     "--allow-incomplete")
    assert allowed.returncode == 0, allowed.stderr
    assert "2 incomplete" in allowed.stderr
    assert not (tmp_path / "cld.csv.partial").exists()
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(row["Event Type"], row["Event Outcome"], row["NHS Number"]) for row in rows] == [
        ("Request", "Progress to assessment, review or reassessment", ""),
        ("Assessment", "NFA: No services offered for other reason", "")]
    # The file written anyway fails the check, naming the blanks.
    checked = report("cld", "--check", str(out))
    assert checked.returncode == 1
    assert "error: NHS Number: blank; it is mandatory on every row (person field)" in checked.stdout


def test_a_return_that_cannot_be_written_leaves_the_old_one(tmp_path):
    out = tmp_path / "cld.csv"
    out.write_text("last quarter's\n")
    written = report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "503", "--out", str(out))
    assert written.returncode == 0 and out.read_text().startswith("LA Code,")
    out.write_text("last quarter's\n")
    missing = report("cld", "--scenario", TYPICAL, *YEAR, "--la-code", "503",
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


def test_ascof_measures_from_the_cld_rows_as_json():
    done = report("ascof", "--scenario", TYPICAL, "--quarter", "2026-27Q3", "--population-65", "50000", "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    by = {(m["id"], m["group"]): m for m in figures["measures"]}
    assert {m["id"] for m in figures["measures"]} == {"2A", "2B", "2C", "2D", "2E", "2E LD", "3D 1a", "3D 2a"}
    # The typical year's one service user lives at home with long-term support and a direct payment.
    assert (by[("2E", "Total")]["numerator"], by[("2E", "Total")]["denominator"]) == (1, 1)
    assert by[("3D 2a", "Total")]["value"] == 100.0
    assert by[("2C", "65 and above")]["value"] == 0.0
