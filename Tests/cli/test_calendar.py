"""The council's calendar from the command line: importing GOV.UK's bank holidays, `policy check` and `serve` refusing
a time zone that cannot be loaded, warning when the bank holidays run out, and a scenario's timeline on the policy's
clocks.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import datetime
import json
import select
import subprocess
import time
from pathlib import Path

from carejourney import binary, free_port

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


def council_policy(tmp_path, old, new):
    """A copy of derbyshire.yaml in tmp_path with `old` replaced by `new` (which must be there)."""
    text = (ROOT / "workflows" / "derbyshire.yaml").read_text()
    assert old in text
    policy = tmp_path / "council.yaml"
    policy.write_text(text.replace(old, new))
    return policy


def test_policy_check_and_serve_refuse_a_zone_that_does_not_exist(tmp_path):
    policy = council_policy(tmp_path, "  time-zone: Europe/London", "  time-zone: Europe/Nowhere")
    checked = carejourney("policy", "check", str(policy))
    assert checked.returncode == 1
    assert f"{policy}:28: calendar.time-zone: the time zone 'Europe/Nowhere' cannot be loaded" in checked.stderr
    assert "ICU's, tz " in checked.stderr and "never falls back to GMT" in checked.stderr
    served = carejourney("serve", "--policy", str(policy), "--data-dir", str(tmp_path / "data"), "--http", "127.0.0.1:0")
    assert served.returncode != 0
    assert "the time zone 'Europe/Nowhere' cannot be loaded" in served.stderr
    assert not (tmp_path / "data").exists(), "nothing starts, nothing is created"


def stderr_until(arguments, needle, timeout=120):
    """Runs carejourney with `arguments` until a line of its stderr contains `needle` (or it ends, or `timeout`
    passes), then stops it: the lines read. `policy check` explores the journey for a minute in a debug build, and
    `serve` runs until stopped; the warnings come first."""
    process = subprocess.Popen([binary(), *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT)
    lines = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], max(0.0, deadline - time.monotonic()))
            line = process.stderr.readline() if ready else ""
            if not line:
                break
            lines.append(line)
            if needle in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=60)
    return lines


def test_policy_check_and_serve_warn_when_the_bank_holidays_run_out(tmp_path):
    # A list whose last year is 2026: on any day from 2026 on it ends within 12 months, or has ended.
    (tmp_path / "holidays.yaml").write_text(
        "name: short-list\nsource: a test\ndays:\n  - { date: 2026-12-25, title: \"Christmas Day\" }\n")
    policy = council_policy(tmp_path, "  bank-holidays: england-and-wales", "  bank-holidays: holidays.yaml")
    assert datetime.date.today().year >= 2026
    checked = stderr_until(["policy", "check", str(policy)], "short-list")
    warning = next(line for line in checked if "short-list" in line)
    assert warning.startswith(f"warning: {policy}: the bank holidays 'short-list' of calendar Europe/London ")
    assert "with 2026 (the last year they cover)" in warning
    assert "due days after 2026-12-31 " in warning
    assert "carejourney calendar import bank-holidays.json --output FILE" in warning
    served = stderr_until(["serve", "--policy", str(policy), "--data-dir", str(tmp_path / "data"),
                           "--http", "127.0.0.1:0", "--zmq", f"tcp://127.0.0.1:{free_port()}", "--events", "off"],
                          "short-list")
    assert any("the bank holidays 'short-list' of calendar Europe/London" in line and "with 2026" in line
               for line in served), served


def test_a_timeline_is_shown_on_the_policys_clocks_whatever_its_zone(tmp_path):
    policy = council_policy(tmp_path, "  time-zone: Europe/London", "  time-zone: America/New_York")
    # The example up to its checks (made for London's due day), then on until the review is overdue in either zone.
    text = (ROOT / "examples" / "scenarios" / "uk-calendar.yaml").read_text()
    cut = text.index("  - advance-to: 2026-11-05T23:59 Europe/London")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(text[:cut] + "  - advance-to: 2026-11-06T12:00 Europe/London\n")
    done = carejourney("scenario", "run", str(scenario), "--policy", str(policy))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # 00:30 BST on 10 September is 19:30 on 9 September in New York (EDT, four hours behind GMT).
    assert any(line.startswith("2026-09-09 19:30 -04:00  ada") and "sign-off" in line for line in lines), lines
    # The review is due by the end of 4 November there: 00:00 EST on the 5th.
    assert any("review.first-formal.due" in line and "due 2026-11-05 00:00 -05:00" in line for line in lines)
