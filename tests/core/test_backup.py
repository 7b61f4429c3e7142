"""core.backup, core.integrity, core.instance_lock, core.storage_location, applog, safety CLI."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys

import pytest

from boutique_book import applog
from boutique_book.cli import main as cli_main
from boutique_book.core import backup, contacts, errors, integrity, jobs, opening, storage_location
from boutique_book.core.backup import BackupInfo, Rotation
from boutique_book.core.instance_lock import InstanceLock, VaultInUse, is_locked
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact, Email
from boutique_book.core.vault import SQLITE_PLAIN_HEADER, Vault

UTC = dt.timezone.utc


# -- what a backup is -------------------------------------------------------------------------------
def test_backup_is_encrypted_with_the_same_key_and_salt(demo_vault, passphrase):
    info = backup.create_backup(demo_vault)
    head = info.path.read_bytes()[:16]
    assert head != SQLITE_PLAIN_HEADER
    assert head == demo_vault.path.read_bytes()[:16]
    assert info.path.parent == demo_vault.path.parent / "backups"
    with Vault.open_with_key(info.path, demo_vault._key, migrate=False) as copy:
        assert copy.scalar("SELECT count(*) FROM contacts") == 300
    with Vault.open(info.path, passphrase, migrate=False) as copy:
        assert copy.scalar("SELECT count(*) FROM moments") == demo_vault.scalar("SELECT count(*) FROM moments")
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(info.path, "not the passphrase")


def test_backup_contains_no_plaintext_and_leaves_no_partial(vault, tmp_path):
    contacts.add(vault, Contact(given_name="Philippa", family_name="Oddlyspecific",
                                emails=[Email("philippa.odd@example.net")]))
    info = backup.create_backup(vault, tmp_path / "usb")
    data = info.path.read_bytes()
    assert b"Oddlyspecific" not in data and b"philippa.odd" not in data
    assert sorted(p.name for p in (tmp_path / "usb").iterdir()) == [info.path.name]


def test_verify_reports_a_damaged_backup(vault):
    contacts.add(vault, Contact(given_name="A"))
    info = backup.create_backup(vault)
    assert backup.verify_backup(info.path, vault=vault).ok
    with open(info.path, "r+b") as fh:
        fh.seek(info.size - 3000)
        fh.write(b"\x00\xff\x00")
    result = backup.verify_backup(info.path, vault=vault)
    assert not result.ok and result.problems


def test_backup_progress_and_cancel(demo_vault):
    seen = []
    backup.create_backup(demo_vault, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(0 <= d <= t for d, t in seen)
    with pytest.raises(jobs.Cancelled):
        backup.create_backup(demo_vault, demo_vault.path.parent / "other", cancelled=lambda: True)
    assert list((demo_vault.path.parent / "other").iterdir()) == []


def test_backup_to_an_unusable_folder_is_a_clear_error(vault, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    with pytest.raises(backup.BackupFailed, match="failed"):
        backup.create_backup(vault, blocker / "sub")


def test_stale_partials_are_cleaned(vault):
    folder = backup.default_backup_dir(vault.path)
    folder.mkdir(parents=True)
    stale = folder / ".boutique-backup-20200101-000000.vault.999.partial"
    stale.write_bytes(b"x")
    os.utime(stale, (0, 0))
    backup.create_backup(vault)
    assert not stale.exists()


# -- rotation ---------------------------------------------------------------------------------------
def _fake(days_ago: float, now: dt.datetime) -> BackupInfo:
    from pathlib import Path

    when = now - dt.timedelta(days=days_ago)
    return BackupInfo(Path(backup.backup_name("b", when)), when, 1)


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    now = dt.datetime(2025, 6, 15, 12, tzinfo=UTC)
    backups = [_fake(d, now) for d in range(0, 500)]  # one a day for 500 days
    keep, delete = backup.plan_rotation(backups, Rotation(), tz=UTC)
    kept_days = sorted(((now - b.taken_at).days for b in keep))
    assert kept_days[:7] == list(range(7))
    assert len({(b.taken_at.year, b.taken_at.month) for b in keep}) == 12
    assert len(keep) < 25 and len(keep) + len(delete) == 500
    assert max(kept_days) < 370
    # several a day: only the newest of each day survives, and the newest of all always does
    many = [_fake(h / 24, now) for h in range(0, 72)]
    keep, _ = backup.plan_rotation(many, Rotation(daily=7, weekly=0, monthly=0), tz=UTC)
    assert many[0] in keep and len(keep) == 4


def test_rotate_touches_only_our_files(vault):
    folder = backup.default_backup_dir(vault.path)
    folder.mkdir(parents=True)
    foreign = folder / "my-notes.txt"
    foreign.write_text("keep me")
    other_vault = folder / "other-backup-20200101-000000.vault"
    other_vault.write_bytes(b"x")
    now = dt.datetime.now(UTC)
    for days in range(10):
        backup.create_backup(vault, now=now - dt.timedelta(days=days), rotate_after=False)
    removed = backup.rotate(folder, "boutique", Rotation(daily=3, weekly=0, monthly=0))
    assert len(removed) == 7
    assert foreign.exists() and other_vault.exists()
    assert len(backup.list_backups(folder, "boutique")) == 3


# -- automatic backups ------------------------------------------------------------------------------
def test_maybe_auto_backup_once_a_day_and_on_close(vault):
    t0 = dt.datetime(2025, 3, 1, 9, tzinfo=UTC)
    first = backup.maybe_auto_backup(vault, t0)
    assert first is not None
    assert backup.maybe_auto_backup(vault, t0 + dt.timedelta(hours=2)) is None  # nothing changed
    contacts.add(vault, Contact(given_name="New"))
    assert backup.maybe_auto_backup(vault, t0 + dt.timedelta(hours=3)) is None  # changed, but < 24 h
    on_close = backup.maybe_auto_backup(vault, t0 + dt.timedelta(hours=4), on_close=True)
    assert on_close is not None and on_close.path != first.path
    assert backup.maybe_auto_backup(vault, t0 + dt.timedelta(hours=5), on_close=True) is None
    contacts.add(vault, Contact(given_name="Later"))
    assert backup.maybe_auto_backup(vault, t0 + dt.timedelta(hours=29)) is not None


# -- restore ----------------------------------------------------------------------------------------
def test_restore_sets_the_current_vault_aside(vault, manager_session):
    contacts.add(vault, Contact(given_name="Kept"))
    info = backup.create_backup(vault)
    contacts.add(vault, Contact(given_name="After"))
    result = backup.restore(info.path, vault=vault, session=manager_session)
    assert vault.scalar("SELECT group_concat(given_name) FROM contacts") == "Kept"
    contacts.add(vault, Contact(given_name="Works"))  # same Vault object, reopened in place
    assert result.set_aside.name.startswith("boutique.vault.before-restore-")
    with Vault.open_with_key(result.set_aside, vault._key, migrate=False) as aside:
        assert aside.scalar("SELECT count(*) FROM contacts") == 2


def test_restore_refuses_a_damaged_backup_and_changes_nothing(vault, manager_session):
    contacts.add(vault, Contact(given_name="Mine"))
    info = backup.create_backup(vault)
    with open(info.path, "r+b") as fh:
        fh.seek(info.size // 2)
        fh.write(b"\xde\xad")
    before = sorted(p.name for p in vault.path.parent.iterdir())
    with pytest.raises(backup.BackupFailed, match="Nothing was changed"):
        backup.restore(info.path, vault=vault, session=manager_session)
    assert sorted(p.name for p in vault.path.parent.iterdir()) == before
    assert vault.scalar("SELECT given_name FROM contacts") == "Mine"


def test_backup_from_before_a_passphrase_change_needs_the_old_passphrase(vault, passphrase, manager_session):
    contacts.add(vault, Contact(given_name="Old"))
    info = backup.create_backup(vault)
    vault.change_passphrase("a brand new passphrase", KdfParams.fast())
    with pytest.raises(backup.NeedsPassphrase):
        backup.restore(info.path, vault=vault, session=manager_session)
    with pytest.raises(backup.BackupFailed):
        backup.restore(info.path, vault=vault, passphrase="wrong", session=manager_session)
    backup.restore(info.path, vault=vault, passphrase=passphrase, session=manager_session)
    assert vault.scalar("SELECT given_name FROM contacts") == "Old"


# -- integrity --------------------------------------------------------------------------------------
def test_open_checked_runs_the_checks_and_opens(vault_path, passphrase):
    Vault.create(vault_path, passphrase, KdfParams.fast()).close()
    with opening.open_checked(vault_path, passphrase) as vault:
        assert vault.last_check.ok and vault.last_check.full
        assert vault.deferred_checks == ()
    with pytest.raises(errors.WrongPassphrase):
        opening.open_checked(vault_path, "nope")


def test_open_check_plan_defers_slow_checks_for_big_vaults(vault, monkeypatch):
    monkeypatch.setattr(integrity, "FOREGROUND_QUICK_MAX_BYTES", 1)
    assert integrity.open_check_plan(vault.path) == (False, True)
    monkeypatch.setattr(integrity, "FOREGROUND_CIPHER_MAX_BYTES", 1)
    assert integrity.open_check_plan(vault.path) == (False, False)
    key = vault._key
    vault.close()
    with opening.open_checked_with_key(vault.path, key) as reopened:
        assert set(reopened.deferred_checks) == {"quick", "cipher"}
        report = integrity.run_background_checks(reopened)
        assert report is not None and report.ok and report.full
        assert integrity.run_background_checks(reopened) is None  # done; next full one in a week
        later = dt.datetime.now(UTC) + dt.timedelta(days=8)
        assert integrity.run_background_checks(reopened, later).ok


# -- single writer ----------------------------------------------------------------------------------
def test_second_instance_is_refused(vault_path):
    first = InstanceLock(vault_path).acquire()
    with pytest.raises(VaultInUse, match="already open"):
        InstanceLock(vault_path).acquire()
    assert is_locked(vault_path)
    first.release()
    assert not is_locked(vault_path)


def test_lock_dies_with_a_killed_process(vault_path):
    code = ("import sys, time; from boutique_book.core.instance_lock import InstanceLock; "
            "lock = InstanceLock(sys.argv[1]).acquire(); print('locked', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(vault_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(VaultInUse, match=f"process {proc.pid}"):
            InstanceLock(vault_path).acquire()
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    with InstanceLock(vault_path) as lock:
        assert lock.held


# -- where the vault lives --------------------------------------------------------------------------
MOUNTS = """\
/dev/vda1 / ext4 rw 0 0
server:/export /mnt/nfs nfs4 rw 0 0
//nas/shop /mnt/smb cifs rw 0 0
me@host:/x /home/me/remote fuse.sshfs rw 0 0
/dev/sdb1 /media/usb vfat rw 0 0
/dev/nvme0n1p2 /home ext4 rw 0 0
/dev/sdc1 /mnt/with\\040space ext4 rw 0 0
"""


@pytest.fixture
def fake_sys(tmp_path):
    root = tmp_path / "sys"
    for disk, removable, bus in (("sdb", "1", "pci0/usb1/1-1"), ("nvme0n1", "0", "pci0/nvme"), ("sdc", "0", "pci0/usb2/2-1")):
        dev = root / "devices" / bus / "block" / disk
        part = dev / (disk + ("p2" if disk.startswith("nvme") else "1"))
        part.mkdir(parents=True)
        (part / "partition").write_text("1")
        (dev / "removable").write_text(removable)
        (root / "class" / "block").mkdir(parents=True, exist_ok=True)
        (root / "class" / "block" / part.name).symlink_to(part)
    return root


@pytest.mark.parametrize("path,kind", [
    ("/mnt/nfs/shop/boutique.vault", "network"), ("/mnt/smb/boutique.vault", "network"),
    ("/home/me/remote/b.vault", "network"), ("/media/usb/b.vault", "removable"),
    ("/home/anne/b.vault", "local"), ("/srv/b.vault", "local"), ("/mnt/with space/b.vault", "removable"),
])
def test_classify_linux(path, kind, fake_sys):
    assert storage_location.classify_linux(path, MOUNTS, fake_sys).kind == kind


def test_live_vault_on_a_share_is_refused(fake_sys):
    where = storage_location.classify_linux("/mnt/smb/b.vault", MOUNTS, fake_sys)
    with pytest.raises(storage_location.UnsafeVaultLocation, match="network share"):
        storage_location.check_live_vault_location("/mnt/smb/b.vault", location=where)
    assert storage_location.check_live_vault_location("/x", location=storage_location.Location("local")).kind == "local"
    assert storage_location.classify(__file__).kind in ("local", "unknown")


# -- log --------------------------------------------------------------------------------------------
def test_log_file_in_user_log_dir_without_exception_messages(tmp_path):
    path = applog.setup_logging(install_excepthook=False)
    try:
        assert str(path).startswith(str(tmp_path)) and path.name == "boutique-book.log"
        assert applog.setup_logging(install_excepthook=False) == path  # idempotent
        try:
            raise ValueError("secret text typed by a user")
        except ValueError:
            logging.getLogger("boutique_book.test").exception("it failed")
    finally:
        applog.shutdown_logging()
    text = path.read_text()
    assert "it failed" in text and "builtins.ValueError (message withheld)" in text
    assert "secret text" not in text


# -- CLI --------------------------------------------------------------------------------------------
def test_cli_backup_verify_restore(vault_path, passphrase, monkeypatch, capsys, tmp_path):
    from boutique_book.core import manager

    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    with Vault.create(vault_path, passphrase, KdfParams.fast()) as vault:
        contacts.add(vault, Contact(given_name="Cli"))
        manager.unlock(vault, "the manager's own", params=KdfParams.fast())
    assert cli_main(["--vault", str(vault_path), "verify"]) == 3  # vault fine, no backup yet (not "damaged")
    assert "No backup made with the current passphrase" in capsys.readouterr().out
    assert cli_main(["--vault", str(vault_path), "backup"]) == 0
    assert cli_main(["--vault", str(vault_path), "backup", "--to", str(tmp_path / "usb")]) == 0
    assert cli_main(["--vault", str(vault_path), "verify"]) == 0
    out = capsys.readouterr().out
    assert "ok" in out and "1 contacts" in out
    usb = backup.list_backups(tmp_path / "usb")[0]
    assert cli_main(["--vault", str(vault_path), "restore", str(usb.path)]) == 1  # restore is a manager act
    assert "BOUTIQUE_BOOK_MANAGER_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", "the manager's own")
    assert cli_main(["--vault", str(vault_path), "restore", str(usb.path)]) == 0
    assert "previous vault was kept" in capsys.readouterr().out
    newest = backup.newest_backup(vault_path)
    with open(newest.path, "r+b") as fh:
        fh.seek(newest.size // 2)
        fh.write(b"\x13\x37")
    assert cli_main(["--vault", str(vault_path), "verify"]) == 4  # vault fine, newest backup damaged
    assert "FAILED" in capsys.readouterr().out
    with InstanceLock(vault_path):
        assert cli_main(["--vault", str(vault_path), "restore", str(usb.path)]) == 1
    assert "already open" in capsys.readouterr().err
