"""`carejourney store copy` as an operator runs it, without a PostgreSQL server: an address it cannot use is refused
saying what is wrong and how to write one, never repeating the password; a folder that holds a store is never
copied over. The copies to PostgreSQL and back run in the Swift tests (CareJourneyPostgresTests), against a server
they start.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import subprocess

import pytest

from carejourney import binary, sample_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return sample_store(tmp_path_factory.mktemp("copy"), cases=5)


def carejourney(*arguments):
    return subprocess.run([binary(), *arguments], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("address,problem", [
    ("postgres://care:hunter2@db.example:99999/council", "has the port '99999'"),
    ("postgres://care:hunter2@db.example/council?sslmode=maybe", "has sslmode=maybe"),
    ("postgres://care:hunter2@db.example", "names no database"),
    ("postgres://care:hunter2@db example/council", "holds a space"),
])
def test_an_address_it_cannot_use_is_refused_without_the_password(store, address, problem):
    done = carejourney("store", "copy", "--from", store, "--to", address)
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("carejourney store copy: address: the PostgreSQL store's address "), done.stderr
    assert problem in done.stderr and "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE" in done.stderr, done.stderr
    assert "hunter2" not in done.stderr + done.stdout


def test_a_folder_that_holds_a_store_is_never_copied_over(store, tmp_path):
    other = sample_store(tmp_path / "other", cases=2)
    before = open(f"{other}/carejourney.sqlite", "rb").read()
    done = carejourney("store", "copy", "--from", store, "--to", other)
    assert done.returncode == 1
    assert f"{other} already holds a store; a copy never overwrites one" in done.stderr, done.stderr
    assert open(f"{other}/carejourney.sqlite", "rb").read() == before
