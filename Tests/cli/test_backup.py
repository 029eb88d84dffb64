"""`carejourney store backup` and `store restore` as an operator runs them: owner-only files whatever the umask,
what is printed, and errors that say what, where and how to fix: no age, a bad recipient, a recipients or key file
others may change or read, a full disk (on a small tmpfs: needs root, as CI has). The drill (Tests/drill) runs the
restore end to end under load.

The binary comes from CAREJOURNEY_BIN (or `swift build --show-bin-path`). Run: python3 -m pytest -q Tests/cli
"""
import os
import shutil
import stat
import subprocess
from contextlib import contextmanager

import pytest

from carejourney import binary, sample_store


def carejourney(*arguments, umask=0o022, **environment):
    env = dict(os.environ, **environment)
    return subprocess.run([binary(), *arguments], capture_output=True, text=True, env=env,
                          preexec_fn=lambda: os.umask(umask))


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A stopped service's data folder with 20 sample cases."""
    return sample_store(tmp_path_factory.mktemp("live") / "data")


@pytest.fixture()
def key(tmp_path):
    """A throwaway age key: (key file, public key)."""
    path = tmp_path / "key.txt"
    made = subprocess.run(["age-keygen", "-o", str(path)], capture_output=True, text=True, check=True)
    return str(path), made.stderr.strip().removeprefix("Public key: ")


@contextmanager
def small_disk(path, size):
    """A tmpfs of `size` mounted at `path`: a disk that fills up."""
    os.makedirs(path, mode=0o700)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", path],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (root needed): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", path], check=True)


def test_a_backup_is_owner_only_whatever_the_umask_and_says_what_it_holds(store, tmp_path, key):
    for name, extra in (("plain.sqlite", []), ("encrypted.sqlite.age", ["--encrypt-to", key[1]])):
        out = tmp_path / name
        done = carejourney("store", "backup", "--data-dir", store, "--to", str(out), *extra, umask=0o022)
        assert done.returncode == 0, done.stderr
        assert mode(out) == 0o600
        lines = done.stdout.splitlines()
        assert lines[0].startswith(f"backed up {store} to {out}: {out.stat().st_size} bytes, ")
        assert lines[1].startswith("  holds 20 case(s), ")
        assert "; the last, #" in lines[1] and "committed at 20" in lines[1]
        assert "integrity ok, every case replayed clean" in lines[2]
    assert "encrypted with age to " + key[1] in done.stdout


def test_without_age_it_says_how_to_install_it(store, tmp_path, key):
    out = tmp_path / "b.sqlite.age"
    done = carejourney("store", "backup", "--data-dir", store, "--to", str(out), "--encrypt-to", key[1],
                       PATH="/nonexistent")
    assert done.returncode == 1
    assert "`age` is not installed" in done.stderr and "install it with `apt-get install age`" in done.stderr
    assert not out.exists() and not (tmp_path / "b.sqlite.age.partial").exists()


def test_a_bad_recipient_or_a_recipients_file_others_may_change_is_refused(store, tmp_path, key):
    out = tmp_path / "b.sqlite.age"
    typo = carejourney("store", "backup", "--data-dir", store, "--to", str(out), "--encrypt-to", key[1][:-3])
    assert typo.returncode == 1
    assert f"age refuses the recipient {key[1][:-3]}: give an age public key" in typo.stderr
    missing = carejourney("store", "backup", "--data-dir", store, "--to", str(out), "--encrypt-to", "keys.txt")
    assert "age refuses the recipient the recipients in keys.txt" in missing.stderr
    assert "no such file or directory" in missing.stderr

    recipients = tmp_path / "recipients.txt"
    recipients.write_text(key[1] + "\n")
    recipients.chmod(0o666)
    loose = carejourney("store", "backup", "--data-dir", store, "--to", str(out), "--encrypt-to", str(recipients))
    assert loose.returncode == 1
    assert f"{recipients}: others may change this recipients file, and so add a key that reads every backup" \
        in loose.stderr
    assert f"hint: let only its owner write to it: chmod go-w {recipients}" in loose.stderr
    recipients.chmod(0o644)  # public keys: others may read them
    done = carejourney("store", "backup", "--data-dir", store, "--to", str(out), "--encrypt-to", str(recipients))
    assert done.returncode == 0, done.stderr
    assert f"encrypted with age to the recipients in {recipients}" in done.stdout
    assert not list(tmp_path.glob("*.partial"))


def test_a_key_file_others_may_read_is_refused(store, tmp_path, key):
    out = tmp_path / "b.sqlite.age"
    assert carejourney("store", "backup", "--data-dir", store, "--to", str(out), "--encrypt-to", key[1]).returncode == 0
    os.chmod(key[0], 0o644)
    done = carejourney("store", "restore", str(out), "--data-dir", str(tmp_path / "restored"), "--identity", key[0])
    assert done.returncode == 1
    assert f"{key[0]}: others may read or change this age identity file, and with it the key that opens every backup" \
        in done.stderr
    assert not (tmp_path / "restored").exists()


def test_a_full_disk_is_named_with_the_fix_and_leaves_nothing_behind(store, tmp_path, key):
    size = sum(os.path.getsize(os.path.join(store, name)) for name in os.listdir(store))
    with small_disk(str(tmp_path / "small"), "64k") as small:
        for name, extra in (("plain.sqlite", []), ("encrypted.sqlite.age", ["--encrypt-to", key[1]])):
            done = carejourney("store", "backup", "--data-dir", store, "--to", f"{small}/{name}", *extra)
            assert done.returncode == 1
            assert f"cannot write {small}/{name}.partial: the disk holding {small} is full" in done.stderr
            assert f"free space there (`df -h {small}` shows it) or write to another disk" in done.stderr
            assert os.listdir(small) == []

    # The plaintext copy is made inside the data folder: a data folder's full disk is said as one too.
    with small_disk(str(tmp_path / "tight"), str(size + 64 * 1024)) as tight:
        data = os.path.join(tight, "data")
        shutil.copytree(store, data)
        done = carejourney("store", "backup", "--data-dir", data, "--to", str(tmp_path / "b.sqlite"))
        assert done.returncode == 1
        assert f"cannot write {data}/.backup-" in done.stderr
        assert f"the disk holding {data} is full" in done.stderr
        assert not [name for name in os.listdir(data) if name.startswith(".backup-")]
        assert not (tmp_path / "b.sqlite").exists()


def test_a_restore_onto_a_full_disk_leaves_no_store(store, tmp_path):
    backup = tmp_path / "b.sqlite"
    assert carejourney("store", "backup", "--data-dir", store, "--to", str(backup)).returncode == 0
    with small_disk(str(tmp_path / "small"), "64k") as small:
        target = os.path.join(small, "restored")
        done = carejourney("store", "restore", str(backup), "--data-dir", target)
        assert done.returncode == 1
        assert f"cannot write {target}/.restore-" in done.stderr
        assert f"the disk holding {target} is full" in done.stderr
        assert os.listdir(target) == ["carejourney.lock"]
