"""HQ export onto a full, read-only or vanishing drive: a clear typed error, nothing under the final
name, no temporary file left, and the vault (audit log included) exactly as before."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hq"))

from boutique_book.core import changelog  # noqa: E402
from boutique_book.hq import export, media  # noqa: E402
from hq_fixtures import hq_keys, planted, session  # noqa: E402,F401


def fingerprint(vault) -> str:
    conn = vault.connect()
    try:
        digest = hashlib.sha256()
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
            for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"')):
                digest.update(row.encode())
        return digest.hexdigest()
    finally:
        conn.close()


@pytest.fixture
def ready(planted, session, hq_keys, tmp_path):
    vault = planted[0]
    export.import_public_key(vault, session, hq_keys[0])
    usb = tmp_path / "usb"
    usb.mkdir()
    return vault, session, usb


def _assert_clean(vault, usb: Path, before: str, audit_before: int):
    assert list(usb.iterdir()) == [], list(usb.iterdir())
    assert fingerprint(vault) == before
    assert len(changelog.audit_entries(vault.conn)) == audit_before


def _failing_write(monkeypatch, code: int, after_bytes: int):
    real_write = os.write
    state = {"written": 0}

    def write(fd, data):
        if state["written"] + len(data) > after_bytes:
            room = after_bytes - state["written"]
            if room > 0:  # a short write first, as a real device does, then the error
                state["written"] += real_write(fd, bytes(data[:room]))
                return room
            raise OSError(code, os.strerror(code))
        state["written"] += len(data)
        return real_write(fd, data)

    monkeypatch.setattr(media.os, "write", write)
    return state


@pytest.mark.parametrize("code, error, words", [
    (errno.ENOSPC, media.DestinationFull, "not enough free space"),
    (errno.EIO, media.DestinationGone, "stopped answering"),
    (errno.EROFS, media.DestinationReadOnly, "cannot be written"),
])
def test_write_fails_part_way(ready, monkeypatch, code, error, words):
    vault, session, usb = ready
    before, audit_before = fingerprint(vault), len(changelog.audit_entries(vault.conn))
    monkeypatch.setattr(media, "CHUNK", 4096)
    state = _failing_write(monkeypatch, code, after_bytes=6000)
    with pytest.raises(error, match=words) as caught:
        export.export_bundle(vault, session, "pseudonymised", usb)
    assert state["written"] == 6000  # it really failed part-way, not before starting
    assert "Traceback" not in str(caught.value) and str(usb) in str(caught.value)
    _assert_clean(vault, usb, before, audit_before)


def test_read_only_destination(ready, monkeypatch):
    vault, session, usb = ready
    before, audit_before = fingerprint(vault), len(changelog.audit_entries(vault.conn))
    real_open = os.open

    def read_only_open(path, flags, *args):
        if flags & os.O_CREAT and Path(path).parent == usb:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)

    monkeypatch.setattr(media.os, "open", read_only_open)
    with pytest.raises(media.DestinationReadOnly):
        export.export_bundle(vault, session, "figures", usb)
    _assert_clean(vault, usb, before, audit_before)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_by_permissions(ready):
    vault, session, usb = ready
    before, audit_before = fingerprint(vault), len(changelog.audit_entries(vault.conn))
    usb.chmod(0o500)
    try:
        with pytest.raises(media.DestinationReadOnly):
            export.export_bundle(vault, session, "figures", usb)
    finally:
        usb.chmod(0o700)
    _assert_clean(vault, usb, before, audit_before)


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_drive_pulled_out_at_fsync_or_rename(ready, monkeypatch, step):
    vault, session, usb = ready
    before, audit_before = fingerprint(vault), len(changelog.audit_entries(vault.conn))

    def gone(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(media.os, step, gone)
    with pytest.raises(media.DestinationGone):
        export.export_bundle(vault, session, "pseudonymised", usb)
    monkeypatch.undo()
    _assert_clean(vault, usb, before, audit_before)


def test_read_back_mismatch_removes_the_bundle(ready, monkeypatch):
    vault, session, usb = ready
    before, audit_before = fingerprint(vault), len(changelog.audit_entries(vault.conn))
    import io

    monkeypatch.setattr(media, "open", lambda path, mode="r": io.BytesIO(b"bits the stick lost"), raising=False)
    with pytest.raises(media.VerifyFailed):
        export.export_bundle(vault, session, "figures", usb)
    _assert_clean(vault, usb, before, audit_before)


def test_missing_destination(ready, tmp_path):
    vault, session, usb = ready
    before = fingerprint(vault)
    with pytest.raises(media.DestinationMissing):
        export.export_bundle(vault, session, "figures", tmp_path / "unplugged")
    assert fingerprint(vault) == before


def test_cancel_mid_write_leaves_nothing(ready, monkeypatch):
    from boutique_book.core.jobs import Cancelled

    vault, session, usb = ready
    before, audit_before = fingerprint(vault), len(changelog.audit_entries(vault.conn))
    monkeypatch.setattr(media, "CHUNK", 1024)
    calls = {"n": 0}

    def cancelled():
        calls["n"] += 1
        return calls["n"] > 3

    with pytest.raises(Cancelled):
        export.export_bundle(vault, session, "pseudonymised", usb, cancelled=cancelled)
    _assert_clean(vault, usb, before, audit_before)


def test_success_after_a_failure(ready, monkeypatch):
    vault, session, usb = ready
    _failing_write(monkeypatch, errno.ENOSPC, after_bytes=100)
    with pytest.raises(media.DestinationFull):
        export.export_bundle(vault, session, "figures", usb)
    monkeypatch.undo()
    result = export.export_bundle(vault, session, "figures", usb)
    assert [p.name for p in usb.iterdir()] == [result.path.name]
    assert [e["action"] for e in changelog.audit_entries(vault.conn)].count("hq_export") == 1


# -- a real, size-limited file system --------------------------------------------------------------

@pytest.fixture
def small_tmpfs(tmp_path):
    from ..conftest import cannot_mount, mount_delegated

    mountpoint = tmp_path / "stick"
    mountpoint.mkdir()
    if mount_delegated():  # the test runs again in a user + mount namespace (tests/conftest.py)
        yield None
        return
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mountpoint)],
                              capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        cannot_mount("mount is not available here")
    if done.returncode != 0:
        cannot_mount("mounting a small tmpfs is not permitted here")
    yield mountpoint
    subprocess.run(["umount", str(mountpoint)], capture_output=True, timeout=10)


def test_real_full_filesystem(ready, small_tmpfs):
    vault, session, _ = ready
    filler = small_tmpfs / "holiday-photos.bin"
    with open(filler, "wb") as fh:
        try:
            fh.write(b"\0" * (60 * 1024))
        except OSError:
            pass
    free = os.statvfs(small_tmpfs).f_bavail * os.statvfs(small_tmpfs).f_frsize
    before, audit_before = fingerprint(vault), len(changelog.audit_entries(vault.conn))
    with pytest.raises(media.DestinationFull):
        export.export_bundle(vault, session, "pseudonymised", small_tmpfs)
    assert sorted(p.name for p in small_tmpfs.iterdir()) == ["holiday-photos.bin"], free
    assert fingerprint(vault) == before and len(changelog.audit_entries(vault.conn)) == audit_before
    filler.unlink()
    result = export.export_bundle(vault, session, "pseudonymised", small_tmpfs)
    assert result.path.parent == small_tmpfs and result.path.stat().st_size == result.bytes


def test_real_read_only_filesystem(ready, small_tmpfs):
    vault, session, _ = ready
    done = subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], capture_output=True, timeout=10)
    if done.returncode != 0:
        pytest.skip("remounting read-only is not permitted here")
    before = fingerprint(vault)
    with pytest.raises(media.DestinationReadOnly):
        export.export_bundle(vault, session, "figures", small_tmpfs)
    assert list(small_tmpfs.iterdir()) == [] and fingerprint(vault) == before


def test_linux_drive_listing_from_mounts(tmp_path):
    sys_root = tmp_path / "sys"
    (sys_root / "block" / "sdb").mkdir(parents=True)
    (sys_root / "block" / "sdb" / "removable").write_text("1\n")
    (sys_root / "block" / "sda").mkdir(parents=True)
    (sys_root / "block" / "sda" / "removable").write_text("0\n")
    mounts = ("/dev/sda1 / ext4 rw 0 0\n"
              "/dev/sdb1 /mnt/stick vfat rw 0 0\n"
              "/dev/sdc1 /media/anne/HQ\\040STICK exfat rw 0 0\n"
              "tmpfs /run tmpfs rw 0 0\n")
    drives = media.linux_drives(mounts, sys_root)
    assert [str(d.path) for d in drives] == ["/mnt/stick", "/media/anne/HQ STICK"]
    assert drives[1].label == "HQ STICK"
    assert isinstance(media.removable_drives(), list)
