"""`carejourney simulate` as a planner runs it: the files written, the same figures from the same seed in two
separate processes (so no hash order leaks in), the what-if's difference, and clear errors for bad input.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import json
import subprocess
from pathlib import Path

from carejourney import binary

ROOT = Path(__file__).resolve().parents[2]
POLICY = str(ROOT / "workflows" / "derbyshire.yaml")
WHAT_IF = str(ROOT / "examples" / "what-if" / "derbyshire-9-month-reviews.yaml")
PROFILE = str(ROOT / "examples" / "profiles" / "small-unitary.yaml")


def simulate(*arguments):
    return subprocess.run([binary(), "simulate", *arguments], capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_two_runs_of_a_seed_write_the_same_figures(tmp_path):
    runs = []
    for name in ["a", "b"]:
        done = simulate("--policy", POLICY, "--profile", PROFILE, "--from", "2027-01-04", "--years", "0.5",
                        "--seed", "11", "--out", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        assert "simulated 26 weeks" in done.stdout and "peak memory" in done.stdout
        runs.append({file: (tmp_path / name / file).read_bytes() for file in ["figures.json", "figures.csv", "report.html"]})
    assert runs[0] == runs[1]
    figures = json.loads(runs[0]["figures.json"])
    assert figures["weeks"] == 26 and figures["refusals"] == 0
    assert sum(figures["reviews"]["due"]) > 0
    assert runs[0]["figures.csv"].startswith(b"week,week_start,group,name,measure,value\n0,2027-01-04,queue,")


def test_the_what_if_report_shows_both_policies_and_the_difference(tmp_path):
    done = simulate("--policy", POLICY, "--compare-policy", WHAT_IF, "--profile", PROFILE, "--from", "2027-01-04",
                    "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "compared with 'derbyshire-9-month-reviews'" in done.stdout
    line = next(l for l in done.stdout.splitlines() if "formal reviews due a year" in l)
    assert "reviews a year" in line and "a week at peak" in line and "(+" in line
    html = (tmp_path / "report.html").read_text()
    assert "derbyshire-9-month-reviews" in html and "<svg" in html and "<script" not in html
    assert (tmp_path / "compare-figures.json").exists()


def test_bad_input_is_refused_with_where_and_how(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(PROFILE).read_text().replace("information-and-advice: 0.72", "information-and-advice: 0.92"))
    done = simulate("--policy", POLICY, "--profile", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "routes: the shares must add up to 1" in done.stderr and str(bad) in done.stderr
    done = simulate("--policy", POLICY, "--profile", PROFILE, "--from", "next tuesday", "--out", str(tmp_path / "o"))
    assert done.returncode == 1 and "--from: 'next tuesday' is not a date" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_forecast_starts_from_a_live_store(tmp_path):
    from carejourney import sample_store
    data = sample_store(tmp_path / "data", cases=30)
    done = simulate("--policy", POLICY, "--profile", PROFILE, "--from-store", data, "--years", "0.25",
                    "--out", str(tmp_path / "plan"))
    assert done.returncode == 0, done.stderr
    assert "open case(s)" in done.stdout and "contact(s) in the last 12 months" in done.stdout
    figures = json.loads((tmp_path / "plan" / "figures.json").read_text())
    assert figures["weeks"] == 13 and figures["refusals"] == 0, figures["refusalExamples"]
    assert "liveRefusals" in figures
    opened = sum(values[0] for values in figures["stages"].values())
    assert opened >= 1, "the store's open cases are the starting population"
    refused = simulate("--policy", POLICY, "--profile", PROFILE, "--from-store", str(tmp_path / "nowhere"),
                       "--out", str(tmp_path / "x"))
    assert refused.returncode == 1 and "--from-store:" in refused.stderr
