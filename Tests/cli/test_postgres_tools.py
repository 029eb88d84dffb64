"""The council's tools on a PostgreSQL store (`--store postgres://…`), as an operator runs them: the reports and
`audit` give the answers they give on the SQLite store the PostgreSQL one was copied from; `policy apply` and
`store dispose` are refused, naming the node, while a node serves the store, run beside it with --dry-run, and
change it as on SQLite once the nodes are stopped; `store backup` and `store restore` answer with PostgreSQL's own
tools and `store copy`.

PostgreSQL is Debian's, started here in a temporary folder (Tests/support/postgres.py). The binary comes from
CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import datetime
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from carejourney import binary, free_port, sample_store
from load import Server
from postgres import PASSWORD, Postgres

ROOT = Path(__file__).resolve().parents[2]
WHAT_IF = str(ROOT / "examples" / "what-if" / "derbyshire-9-month-reviews.yaml")
ENV = {**os.environ, "PGPASSWORD": PASSWORD}


def carejourney(*arguments):
    return subprocess.run([binary(), *arguments], capture_output=True, text=True, timeout=300, env=ENV)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A SQLite store with a sample population, and a PostgreSQL copy of it: (folder, address, server)."""
    folder = sample_store(tmp_path_factory.mktemp("pgtools") / "data", cases=40)
    # Not under pytest's folder, which only its owner may enter: the postgres user (when run as root) must reach it.
    work = tempfile.mkdtemp(prefix="carejourney-pgtools-")
    os.chmod(work, 0o711)
    postgres = Postgres(os.path.join(work, "postgres"))
    postgres.start()
    try:
        postgres.query("postgres", "CREATE DATABASE care")
        url = postgres.url("care")
        copied = carejourney("store", "copy", "--from", folder, "--to", url, "--quiet")
        assert copied.returncode == 0, copied.stderr
        yield folder, url, postgres
    finally:
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


def on_both(stores, *arguments):
    """Runs `carejourney ARGUMENTS` on the SQLite store, then on the PostgreSQL copy: both results."""
    folder, url, _ = stores
    return carejourney(*arguments, "--data-dir", folder), carejourney(*arguments, "--store", url)


PERIOD = ["--from", str(datetime.date.today() - datetime.timedelta(days=730)), "--to", str(datetime.date.today())]


@pytest.mark.parametrize("report", [["reviews", "--json"], ["requests", "--json"], ["ascof", "--json"],
                                    ["cld", "--la-code", "503", "--allow-incomplete"]])
def test_a_report_on_postgresql_is_the_report_on_sqlite(stores, report):
    sqlite, postgres = on_both(stores, "report", *report, *PERIOD)
    assert sqlite.returncode == 0, sqlite.stderr
    assert postgres.returncode == 0, postgres.stderr
    assert len(sqlite.stdout) > 200, sqlite.stdout
    assert postgres.stdout == sqlite.stdout
    assert postgres.stderr == sqlite.stderr


def test_audit_on_postgresql_lists_the_reads_sqlite_lists_and_records_itself(stores):
    # A report's export is recorded in the store it reads, before it is shown: the same on both.
    on_both(stores, "report", "reviews", *PERIOD)
    sqlite, postgres = on_both(stores, "audit", "reads", "--case", "C-3", "--json")
    assert sqlite.returncode == 0 and postgres.returncode == 0, sqlite.stderr + postgres.stderr
    listed = json.loads(sqlite.stdout)["reads"]
    assert json.loads(postgres.stdout)["reads"] == listed
    sqlite, postgres = on_both(stores, "audit", "reads", "--actor", f"unix:{pwd.getpwuid(os.getuid()).pw_name}",
                               "--json")
    assert postgres.returncode == 0, postgres.stderr

    def what(listing):
        return [(read["channel"], read.get("query"), read.get("detail")) for read in json.loads(listing)["reads"]]

    assert what(postgres.stdout) == what(sqlite.stdout)
    assert ("export", PERIOD[1] + " to " + PERIOD[3], "review timeliness figures") in what(postgres.stdout)
    assert ("audit", "case=C-3", f"{len(listed)} reads listed") in what(postgres.stdout)


def test_a_store_that_cannot_be_read_is_named_without_its_password(stores, tmp_path):
    _, url, _ = stores
    missing = url.replace("/care?", "/nosuch?").replace("carejourney@", "carejourney:hunter2@")
    done = carejourney("report", "reviews", *PERIOD, "--store", missing)
    assert done.returncode == 1
    assert done.stderr.startswith("carejourney report: unavailable: "), done.stderr
    assert "nosuch" in done.stderr and "hunter2" not in done.stderr + done.stdout
    folder = carejourney("audit", "reads", "--case", "C-1", "--store", str(tmp_path))
    assert folder.returncode == 1
    assert "--store takes a PostgreSQL address" in folder.stderr and "--data-dir" in folder.stderr, folder.stderr


def test_offline_tools_are_refused_while_a_node_serves_and_change_the_store_as_on_sqlite_after(stores, tmp_path):
    folder, url, postgres = stores
    # The offline tools change the stores: on copies of both, so that the other tests read them as they were.
    sqlite = str(tmp_path / "sqlite")
    shutil.copytree(folder, sqlite)
    postgres.query("postgres", "CREATE DATABASE offline TEMPLATE care")
    offline = postgres.url("offline")
    dispose = ["store", "dispose", "--as-of", "2045-01-01", "--by", "records.officer"]

    os.makedirs(tmp_path / "node" / "data")
    node = Server(binary(), str(tmp_path / "node" / "data"), free_port(), time_scale=None,
                  extra=["--store", offline, "--node", "care-1"], env=ENV)
    node.start()
    try:
        for command in [["policy", "apply", WHAT_IF], dispose]:
            refused = carejourney(*command, "--store", offline)
            assert refused.returncode == 1, refused.stdout
            assert "in-use: " in refused.stderr and "a node serves it (care-1)" in refused.stderr, refused.stderr
            assert "stop every `carejourney serve` on it" in refused.stderr, refused.stderr
        # A dry run only reads: beside the node, and what it says is what it says on SQLite.
        for command in [["policy", "apply", WHAT_IF, "--dry-run"], [*dispose, "--dry-run"]]:
            beside = carejourney(*command, "--store", offline)
            assert beside.returncode == 0, beside.stderr
            assert beside.stdout == carejourney(*command, "--data-dir", sqlite).stdout
    finally:
        assert node.stop() == 0, f"the node did not stop cleanly (see {node.log.name})"

    applied = carejourney("policy", "apply", WHAT_IF, "--store", offline, "--reason", "9-month reviews")
    assert applied.returncode == 0, applied.stderr
    on_sqlite = carejourney("policy", "apply", WHAT_IF, "--data-dir", sqlite, "--reason", "9-month reviews")
    assert applied.stdout == on_sqlite.stdout
    assert " changed (" in applied.stdout and not applied.stdout.startswith("0 open"), applied.stdout
    disposed = carejourney(*dispose, "--store", offline)
    assert disposed.returncode == 0, disposed.stderr
    assert disposed.stdout == carejourney(*dispose, "--data-dir", sqlite).stdout
    assert int(re.search(r"disposed of (\d+), each leaving a certificate", disposed.stdout)[1]) > 0, disposed.stdout
    verified = carejourney("store", "verify", "--store", offline, "--quiet")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert postgres.query("offline", "SELECT count(*) FROM events WHERE name = 'policy-applied'")[0][0] != "0"
    # No node's presence was left behind, and no feed row written for the nodes to read.
    assert postgres.query("offline", "SELECT count(*) FROM node_batches WHERE node <> 'care-1'") == [["0"]]
    vacuum = carejourney(*dispose, "--store", offline, "--vacuum")
    assert vacuum.returncode == 64 and "autovacuum" in vacuum.stderr, vacuum.stderr


@pytest.mark.parametrize("command,words", [
    (["store", "backup"], ["pg_basebackup", "pg_verifybackup", "WAL archiving", "ops/cluster/README.md",
                           "carejourney store copy --from 'postgres://care@db.example:5432/council' --to DIR"]),
    (["store", "restore", "backup.sqlite"], ["base backup", "restore_command", "recovery_target_time",
                                             "carejourney store restore FILE --data-dir DIR",
                                             "store copy --from DIR --to 'postgres://care@db.example:5432/council'"]),
])
def test_backup_and_restore_of_a_postgresql_store_name_postgresqls_tools_and_store_copy(command, words):
    done = carejourney(*command, "--store", "postgres://care:hunter2@db.example/council")
    assert done.returncode == 1
    assert done.stderr.startswith(f"carejourney {' '.join(command[:2])}: a PostgreSQL store is "), done.stderr
    for word in words:
        assert word in done.stderr, f"{word!r} not in {done.stderr}"
    assert "hunter2" not in done.stderr + done.stdout
    assert "Unknown option" not in done.stderr


def test_backup_and_restore_still_need_their_file_or_folder():
    backup = carejourney("store", "backup")
    assert backup.returncode == 64 and "--to FILE is needed" in backup.stderr, backup.stderr
    restore = carejourney("store", "restore", "backup.sqlite")
    assert restore.returncode == 64 and "--data-dir DIR is needed" in restore.stderr, restore.stderr
