"""The shipped systemd units run CareJourney the safe way: systemd-analyze rates their exposure OK or better, and
they keep the settings docs/security.md promises (secrets as credentials, owner-only files, no new privileges). The
backup unit runs hourly with no network, writes encrypted copies, and its script, run for real, keeps 48 hours of
hourly and 30 days of daily copies, and prunes nothing when a backup fails.

Run: python3 -m pytest -q Tests/ops
"""
import os
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

from carejourney import binary, sample_store

UNIT = Path(__file__).resolve().parents[2] / "ops" / "systemd" / "carejourney.service"
BACKUP = UNIT.parent / "carejourney-backup.service"
TIMER = UNIT.parent / "carejourney-backup.timer"


def unit_settings(path):
    """Each key's values, continuation lines joined."""
    settings = {}
    for line in path.read_text().replace("\\\n", " ").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_systemd_analyze_rates_the_unit_ok_or_better():
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: run scripts/setup test"
    done = subprocess.run([analyze, "security", "--offline=yes", str(UNIT)], capture_output=True, text=True)
    verdict = re.search(r"Overall exposure level for carejourney\.service: ([0-9.]+) (\w+)", done.stdout)
    assert verdict, done.stdout[-2000:] + done.stderr
    score, level = float(verdict.group(1)), verdict.group(2)
    assert level in ("SAFE", "OK"), f"{score} {level}"
    assert score < 2.0, "docs/security.md records 1.0 OK; a change that raises it should say why there"


def test_the_unit_keeps_its_promises():
    settings = unit_settings(UNIT)
    assert settings["UMask"] == ["0077"]
    assert settings["StateDirectoryMode"] == ["0700"]
    assert settings["NoNewPrivileges"] == ["yes"]
    assert settings["ProtectSystem"] == ["strict"]
    assert settings["PrivateTmp"] == ["yes"]
    credentials = " ".join(settings["LoadCredential"])
    assert "tokens:" in credentials and "curve-keys:" in credentials
    command = UNIT.read_text().split("ExecStart=", 1)[1].split("\n#", 1)[0]
    assert "--tokens ${CREDENTIALS_DIRECTORY}/tokens" in command
    assert "--curve-keys ${CREDENTIALS_DIRECTORY}/curve-keys" in command
    assert "--public-url https://" in command


def test_systemd_analyze_rates_the_backup_unit_ok_or_better():
    done = subprocess.run([shutil.which("systemd-analyze") or "systemd-analyze", "security", "--offline=yes",
                           str(BACKUP)], capture_output=True, text=True)
    verdict = re.search(r"Overall exposure level for carejourney-backup\.service: ([0-9.]+) (\w+)", done.stdout)
    assert verdict, done.stdout[-2000:] + done.stderr
    assert verdict.group(2) in ("SAFE", "OK"), verdict.group(0)


def test_the_backup_runs_hourly_encrypted_owner_only_and_offline():
    timer = unit_settings(TIMER)
    assert timer["OnCalendar"] == ["hourly"] and timer["Persistent"] == ["true"]
    backup = unit_settings(BACKUP)
    assert backup["Type"] == ["oneshot"]
    assert backup["UMask"] == ["0077"] and backup["StateDirectoryMode"] == ["0700"]
    assert backup["PrivateNetwork"] == ["yes"] and backup["RestrictAddressFamilies"] == ["AF_UNIX"]
    assert '--encrypt-to "$$RECIPIENTS"' in backup["ExecStart"][0]


def backup_script(environment):
    """The backup unit's ExecStart, as its shell runs it, with `environment` over the unit's own."""
    settings = unit_settings(BACKUP)
    env = dict(os.environ)
    env.update(value.split("=", 1) for value in settings["Environment"])
    env.update(environment)
    command = settings["ExecStart"][0].replace("$$", "$").replace("%%", "%")
    script = command.split("-euc '", 1)[1].rsplit("'", 1)[0]
    return lambda: subprocess.run(["/bin/sh", "-euc", script], env=env, capture_output=True, text=True)


def test_the_backup_units_script_keeps_48_hours_of_hourly_and_30_days_of_daily_copies(tmp_path):
    key = tmp_path / "key.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    recipients = tmp_path / "recipients.txt"
    recipients.write_text(made.stderr.strip().removeprefix("Public key: ") + "\n")
    backups = tmp_path / "backups"
    run = backup_script({"CAREJOURNEY": binary(), "DATA": sample_store(tmp_path / "data", cases=5),
                         "BACKUPS": str(backups), "RECIPIENTS": str(recipients)})
    done = run()
    assert done.returncode == 0, done.stdout + done.stderr
    hourly, daily = sorted((backups / "hourly").iterdir()), sorted((backups / "daily").iterdir())
    assert len(hourly) == 1 and len(daily) == 1
    assert hourly[0].stat().st_ino == daily[0].stat().st_ino, "the day's copy is the first hourly one, linked"
    assert hourly[0].read_bytes().startswith(b"age-encryption.org/v1\n")
    assert stat.S_IMODE(hourly[0].stat().st_mode) == 0o600

    def old(folder, name, hours):
        path = backups / folder / f"carejourney-{name}.sqlite.age"
        path.write_bytes(b"")
        moment = time.time() - hours * 3600
        os.utime(path, (moment, moment))
        return path

    hourly_kept, hourly_gone = old("hourly", "kept", 47), old("hourly", "gone", 49)
    daily_kept, daily_gone = old("daily", "kept", 29 * 24), old("daily", "gone", 31 * 24)
    other = old("hourly", "x", 100).rename(backups / "hourly" / "notes.txt")  # not a copy: never pruned

    # A backup that fails prunes nothing.
    broken = backup_script({"CAREJOURNEY": binary(), "DATA": str(tmp_path / "no-store"),
                            "BACKUPS": str(backups), "RECIPIENTS": str(recipients)})
    assert broken().returncode != 0
    assert hourly_gone.exists() and daily_gone.exists()

    time.sleep(1.1)  # the next copy's name is the next second's
    done = run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert hourly_kept.exists() and daily_kept.exists() and other.exists()
    assert not hourly_gone.exists() and not daily_gone.exists()
    assert len(list((backups / "hourly").glob("carejourney-2*.sqlite.age"))) == 2
    assert len(list((backups / "daily").glob("carejourney-2*.sqlite.age"))) == 1, "one copy a day"
