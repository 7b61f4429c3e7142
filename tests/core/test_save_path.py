"""The one save path (core.durable): atomic, fsynced (errors raised), private, one clear error, no leftovers."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys

import pytest

from boutique_book.core import durable
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault

POSIX = not sys.platform.startswith("win")


def _only(folder, *names):
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_saves_atomically_and_privately(tmp_path):
    old = os.umask(0o022)
    try:
        target = durable.save_bytes(tmp_path / "out.pdf", b"%PDF-1.4 new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"%PDF-1.4 new"
    if POSIX:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    _only(tmp_path, "out.pdf")


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_failing_fsync_or_rename_is_reported_and_the_old_file_stays(tmp_path, monkeypatch, step):
    target = tmp_path / "agenda.ics"
    target.write_bytes(b"previous")

    def failing(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(durable.os, step, failing)
    with pytest.raises(durable.SaveFailed) as caught:
        durable.save_bytes(target, b"new contents")
    monkeypatch.undo()
    assert caught.value.kind == "gone" and "\n" not in str(caught.value)
    assert target.read_bytes() == b"previous"
    _only(tmp_path, "agenda.ics")


def test_a_writer_error_inside_the_block_leaves_nothing(tmp_path):
    with pytest.raises(durable.SaveFailed) as caught:
        with durable.open_for_save(tmp_path / "book.csv", "w") as fh:
            fh.write("half a file")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert caught.value.kind == "full" and "free some space" in str(caught.value)
    _only(tmp_path)


def test_parent_is_a_file(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    for target in (tmp_path / "notes.txt" / "out.pdf", tmp_path / "notes.txt" / "deeper" / "out.pdf"):
        with pytest.raises(durable.SaveFailed) as caught:
            durable.save_bytes(target, b"x")
        assert caught.value.kind == "not_a_folder", target
        assert "is a file, not a folder" in str(caught.value)
        # the file that is in the way is named, not the folder path below it ('notes.txt/deeper is a file')
        assert str(caught.value).startswith(f"{tmp_path / 'notes.txt'} is a file"), str(caught.value)
        with pytest.raises(durable.SaveFailed):
            durable.save_bytes(target, b"x", make_parents=True)


def test_missing_folder_and_folder_as_target(tmp_path):
    with pytest.raises(durable.SaveFailed) as caught:
        durable.save_bytes(tmp_path / "unplugged" / "x.vcf", b"x")
    assert caught.value.kind == "missing"
    (tmp_path / "a-folder").mkdir()
    with pytest.raises(durable.SaveFailed) as caught:
        durable.save_bytes(tmp_path / "a-folder", b"x")
    assert caught.value.kind == "is_a_folder"


def test_exclusive_never_replaces(tmp_path):
    (tmp_path / "hq.key").write_text("secret")
    with pytest.raises(durable.SaveFailed) as caught:
        durable.save_text(tmp_path / "hq.key", "other", exclusive=True)
    assert caught.value.kind == "exists"
    assert (tmp_path / "hq.key").read_text() == "secret"


def test_classify_gives_one_sentence_per_cause(tmp_path):
    kinds = {errno.ENOSPC: "full", errno.EROFS: "read_only", errno.EACCES: "read_only", errno.EIO: "gone",
             errno.ENOTDIR: "not_a_folder", errno.ENOENT: "missing", errno.ENAMETOOLONG: "other"}
    for code, kind in kinds.items():
        failed = durable.classify(OSError(code, os.strerror(code)), tmp_path / "x.pdf")
        assert failed.kind == kind
        assert "\n" not in str(failed) and "Traceback" not in str(failed) and "Errno" not in str(failed)


def test_leftovers_of_a_dead_process_are_removed_at_the_next_save_and_open(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    leftover = tmp_path / f".labels.pdf.{dead}.0badc0de.bbsave"
    journal = tmp_path / f".backup.vault.{dead}.0badc0de.bbsave-journal"
    ours = tmp_path / f".other.pdf.{os.getpid()}.12345678.bbsave"  # a save in progress in this process
    unrelated = tmp_path / ".hidden-user-file.bbsave.txt"
    for path in (leftover, journal, ours, unrelated):
        path.write_bytes(b"partial")
    durable.save_bytes(tmp_path / "labels.pdf", b"%PDF")
    assert not leftover.exists() and not journal.exists()
    assert ours.exists() and unrelated.exists()
    # ...and at the next start: opening the vault cleans its folder.
    vault_path = tmp_path / "store" / "boutique.vault"
    Vault.create(vault_path, "a passphrase", KdfParams.fast()).close()
    crashed = vault_path.parent / f".boutique-backup.vault.{dead}.abcdef01.bbsave"
    crashed.write_bytes(b"half a backup")
    Vault.open(vault_path, "a passphrase").close()
    assert not crashed.exists()


@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_an_old_world_readable_vault_becomes_private_when_opened(tmp_path):
    path = tmp_path / "old.vault"
    Vault.create(path, "a passphrase", KdfParams.fast()).close()
    os.chmod(path, 0o644)
    with Vault.open(path, "a passphrase") as vault:
        vault.execute("CREATE TABLE IF NOT EXISTS t(x)")
        for candidate in [path, *vault_side_files(path)]:
            assert stat.S_IMODE(candidate.stat().st_mode) == 0o600, candidate


def vault_side_files(path):
    return [p for p in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")) if p.exists()]


@pytest.fixture
def tmpfs(tmp_path):
    where = tmp_path / "stick"
    where.mkdir()
    from ..conftest import cannot_mount, mount_delegated, mount_mode

    if mount_delegated():  # the test runs again in a user + mount namespace (tests/conftest.py)
        yield None
        return
    if not sys.platform.startswith("linux") or mount_mode() != "direct":
        cannot_mount("needs root on Linux to mount a tmpfs")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
                      capture_output=True).returncode != 0:
        cannot_mount("mounting a tmpfs is not permitted here")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_real_read_only_file_system(tmpfs):
    (tmpfs / "old.pdf").write_bytes(b"old")
    assert subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True).returncode == 0
    with pytest.raises(durable.SaveFailed) as caught:
        durable.save_bytes(tmpfs / "old.pdf", b"new")
    assert caught.value.kind == "read_only" and "cannot be written to" in str(caught.value)
    assert (tmpfs / "old.pdf").read_bytes() == b"old"


def test_real_full_file_system(tmpfs):
    filler = tmpfs / "filler.bin"
    with open(filler, "wb") as fh:
        with pytest.raises(OSError):
            fh.write(b"\0" * (128 * 1024))  # positive control: the stick really is full
            fh.flush()
    with pytest.raises(durable.SaveFailed) as caught:
        durable.save_bytes(tmpfs / "book.vcf", b"x" * 32 * 1024)
    assert caught.value.kind == "full"
    _only(tmpfs, "filler.bin")
    filler.unlink()
    durable.save_bytes(tmpfs / "book.vcf", b"x" * 32 * 1024)
    _only(tmpfs, "book.vcf")
