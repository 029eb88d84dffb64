"""The council's calendar from the command line: importing GOV.UK's bank holidays, `serve` refusing a time zone the
system cannot load, and a scenario's timeline on UK clocks.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import json
import subprocess
from pathlib import Path

from carejourney import binary

ROOT = Path(__file__).resolve().parents[2]


def carejourney(*arguments, cwd=ROOT):
    return subprocess.run([binary(), *arguments], capture_output=True, text=True, cwd=cwd, timeout=120)


GOV_UK = {
    "england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "Christmas Day", "date": "2031-12-25", "notes": "", "bunting": True},
        {"title": "Boxing Day", "date": "2031-12-26", "notes": "", "bunting": True},
    ]},
    "scotland": {"division": "scotland", "events": []},
}


def test_a_downloaded_gov_uk_file_imports_into_a_bank_holiday_file(tmp_path):
    downloaded = tmp_path / "bank-holidays.json"
    downloaded.write_text(json.dumps(GOV_UK))
    out = tmp_path / "england-and-wales.yaml"
    done = carejourney("calendar", "import", str(downloaded), "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{out}: 2 bank holidays for england-and-wales (2031–2031)\n"
    text = out.read_text()
    assert "source: https://www.gov.uk/bank-holidays.json (division england-and-wales), imported " in text
    assert '  - { date: 2031-12-26, title: "Boxing Day" }' in text
    # Without --output the list is printed; a division the file lacks is named, with the ones it has.
    assert carejourney("calendar", "import", str(downloaded)).stdout == out.read_text()
    missing = carejourney("calendar", "import", str(downloaded), "--division", "wales")
    assert missing.returncode == 1
    assert "the file has no division 'wales'" in missing.stderr
    assert "england-and-wales, scotland" in missing.stderr


def test_a_file_that_is_not_gov_uks_is_refused(tmp_path):
    bad = tmp_path / "bank-holidays.json"
    bad.write_text("<html>not json</html>")
    done = carejourney("calendar", "import", str(bad), "--output", str(tmp_path / "out.yaml"))
    assert done.returncode == 1
    assert "this is not GOV.UK's bank-holidays.json" in done.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_serve_refuses_a_time_zone_it_cannot_load(tmp_path):
    policy = tmp_path / "council.yaml"
    text = (ROOT / "workflows" / "derbyshire.yaml").read_text()
    policy.write_text(text.replace("  time-zone: Europe/London", "  time-zone: Europe/Londn"))
    done = carejourney("serve", "--policy", str(policy), "--data-dir", str(tmp_path / "data"), "--http", "127.0.0.1:0")
    assert done.returncode != 0
    assert "calendar.time-zone: the time zone 'Europe/Londn' cannot be loaded" in done.stderr
    assert "never falls back to GMT" in done.stderr
    assert not (tmp_path / "data").exists(), "nothing starts, nothing is created"


def test_a_scenarios_timeline_is_shown_on_uk_clocks():
    done = carejourney("scenario", "run", "examples/scenarios/uk-calendar.yaml")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("2026-09-10 00:30 BST  ada") and "sign-off" in line for line in lines)
    assert any("review.first-formal.due" in line and "due 2026-11-06 00:00 GMT" in line for line in lines)
    as_json = carejourney("scenario", "run", "examples/scenarios/uk-calendar.yaml", "--json")
    entries = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert {"at": "2026-11-06T00:00:00Z", "kind": "timer-fired"}.items() <= next(
        entry for entry in entries if entry["name"] == "review.first-formal.due" and entry["kind"] == "timer-fired"
    ).items()
