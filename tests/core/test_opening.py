"""Issue #17: the one opening path (core.opening) — lock for every writer, header bounds before any key
derivation, truncated files, leftovers of killed jobs, the cheap state-stamp check, import circle untied."""

from __future__ import annotations

import ast
import errno
import hashlib
from pathlib import Path

import pytest

from boutique_book import cli
from boutique_book.core import backup, contacts, errors, integrity, kdf, opening
from boutique_book.core.instance_lock import InstanceLock
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact
from boutique_book.core.vault import Vault

SRC = Path(__file__).resolve().parents[2] / "src" / "boutique_book"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def closed_vault(vault_path, passphrase):
    v = Vault.create(vault_path, passphrase, KdfParams.fast())
    contacts.add(v, Contact(given_name="Ada", family_name="Lovelace"))
    v.close()
    return vault_path


def _run(argv, monkeypatch, capsys, passphrase, **env):
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


# -- problem 1: every writing command takes the single-writer lock ------------------------------------------
WRITE_COMMANDS = [
    ["passwd"],
    ["add-contact", "--given", "Eve"],
    ["backup"],
    ["demo", "--contacts", "2"],
    ["agenda"],
    ["manager-passwd"],
]


@pytest.mark.parametrize("argv", WRITE_COMMANDS, ids=lambda a: a[0])
def test_a_second_writer_gets_one_clear_line_and_nothing_changes(closed_vault, passphrase, monkeypatch, capsys,
                                                                  argv):
    before = _digest(closed_vault)
    holder = InstanceLock(closed_vault).acquire()  # the app (or another command) has the book open
    try:
        code, out, err = _run(argv + ["--vault", str(closed_vault)], monkeypatch, capsys, passphrase,
                              BOUTIQUE_BOOK_NEW_PASSPHRASE="another passphrase",
                              BOUTIQUE_BOOK_MANAGER_PASSPHRASE="manager passphrase")
    finally:
        holder.release()
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "already open on this PC" in err and "close it" in err
    assert _digest(closed_vault) == before
    assert not list(closed_vault.parent.glob("*-wal"))
    with Vault.open(closed_vault, passphrase) as v:  # the passphrase was not changed underneath the holder
        assert v.scalar("SELECT count(*) FROM contacts") == 1


def test_restore_refuses_while_the_book_is_open(closed_vault, passphrase, monkeypatch, capsys):
    with Vault.open(closed_vault, passphrase) as v:
        info = backup.create_backup(v)
    before = _digest(closed_vault)
    holder = InstanceLock(closed_vault).acquire()
    try:
        code, _, err = _run(["restore", "--vault", str(closed_vault), str(info.path)], monkeypatch, capsys,
                            passphrase, BOUTIQUE_BOOK_MANAGER_PASSPHRASE="manager passphrase")
    finally:
        holder.release()
    assert code == 1 and "already open on this PC" in err
    assert _digest(closed_vault) == before


def test_a_reader_cannot_write(closed_vault, passphrase):
    with opening.open_book(closed_vault, passphrase, write=False) as reader:
        assert reader.instance_lock is None
        with pytest.raises(Exception, match="readonly"):
            reader.execute("DELETE FROM contacts")


# -- problem 6: header parameters bounded before any derivation; truncation said as such ------------------
@pytest.mark.parametrize("offset,value", [(14, 24), (14, 21), (13, 64), (15, 200)])
def test_kdf_parameters_out_of_bounds_are_refused_before_deriving(closed_vault, passphrase, monkeypatch,
                                                                   offset, value):
    with open(closed_vault, "r+b") as fh:
        fh.seek(offset)
        fh.write(bytes([value]))
    calls = []
    monkeypatch.setattr(kdf, "argon2id", lambda *a, **k: calls.append(k) or pytest.fail("derived a key"))
    with pytest.raises(errors.VaultDamaged, match="header is damaged"):
        opening.open_book(closed_vault, passphrase)
    assert calls == []


def test_bounds_are_the_documented_ones():
    assert KdfParams.from_salt(bytes(12) + bytes([0xB1, 20, 20, 16])) == KdfParams(20, 20, 16)
    assert KdfParams.from_salt(bytes(12) + bytes([0xB1, 21, 17, 4])) is None
    assert KdfParams.from_salt(bytes(12) + bytes([0xB1, 5, 21, 4])) is None
    assert KdfParams.from_salt(KdfParams.default().descriptor().rjust(16, b"\0")) == KdfParams.default()


@pytest.mark.parametrize("keep", [10, 5000, "minus_one_byte"])
def test_a_truncated_vault_says_so_not_wrong_passphrase(closed_vault, passphrase, keep):
    data = closed_vault.read_bytes()
    keep = len(data) - 1 if keep == "minus_one_byte" else keep
    closed_vault.write_bytes(data[:keep])
    with pytest.raises(errors.VaultTruncated, match="cut short"):
        opening.open_book(closed_vault, passphrase)


@pytest.mark.parametrize("pages", ["first_page_only", "half_the_pages"])
@pytest.mark.parametrize("write", [True, False], ids=["writer", "reader"])
def test_a_vault_cut_at_a_page_boundary_says_cut_short_not_wrong_passphrase(closed_vault, passphrase, pages,
                                                                            write, monkeypatch, capsys):
    """A whole number of pages passes the size test, so this used to read as "the passphrase does not open"."""
    data = closed_vault.read_bytes()
    keep = 4096 if pages == "first_page_only" else (len(data) // 4096 // 2) * 4096
    closed_vault.write_bytes(data[:keep])
    with pytest.raises(errors.VaultTruncated, match="cut short .only its first"):
        opening.open_book(closed_vault, passphrase, write=write)
    argv = ["add-contact", "--given", "Eve"] if write else ["search", "Ada"]
    code, _, err = _run(argv + ["--vault", str(closed_vault)], monkeypatch, capsys, passphrase)
    assert code == 1 and "cut short" in err and "passphrase" not in err and len(err.strip().splitlines()) == 1
    assert closed_vault.read_bytes() == data[:keep]
    with pytest.raises(errors.WrongPassphrase):  # a wrong passphrase on the same file is still said as such
        opening.open_book(closed_vault, "not the passphrase", write=write)


def test_damage_is_said_in_plain_words_not_sqlites(closed_vault, passphrase, monkeypatch, capsys):
    with opening.open_book(closed_vault, passphrase) as v:
        for i in range(60):
            contacts.add(v, Contact(given_name=f"Filler{i}", family_name="x" * 200))
    size = closed_vault.stat().st_size
    page = size // 4096 // 2
    with open(closed_vault, "r+b") as fh:
        fh.seek(page * 4096 + 1000)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0x5A]))
    code, _, err = _run(["add-contact", "--vault", str(closed_vault), "--given", "Eve"], monkeypatch, capsys,
                        passphrase)
    assert code == 1 and "damaged" in err
    assert f"page {page + 1} no longer matches its seal" in err  # SQLite counts pages from 1
    for internal in ("btree", "error code", "***", "HMAC", "Tree "):
        assert internal not in err, err
    code, out, _ = _run(["verify", "--vault", str(closed_vault)], monkeypatch, capsys, passphrase)
    assert code == 1 and f"page {page + 1} no longer matches its seal" in out and "btree" not in out


# -- problem 10: leftovers of killed jobs go at the next start; fsync errors are reported -----------------
def test_leftovers_of_killed_jobs_are_removed_at_the_next_start(closed_vault, passphrase):
    backups = backup.default_backup_dir(closed_vault)
    backups.mkdir()
    stem = closed_vault.stem
    planted = [backups / f".{stem}-backup-20240101-000000.vault.4242.partial",
               backups / f".{stem}-backup-20240101-000000.vault.4242.partial-journal",
               closed_vault.with_name(f".{closed_vault.name}.restoring.partial"),
               closed_vault.with_name(f".{closed_vault.name}.restoring.partial-journal"),
               closed_vault.with_name(closed_vault.name + ".rekey"),
               closed_vault.with_name(closed_vault.name + ".rekey-journal")]
    for leftover in planted:
        leftover.write_bytes(b"x" * 100)  # brand new: no ten-minute grace under the lock
    other = backups / ".other-backup-20240101-000000.vault.1.partial"  # another vault's: not ours to remove
    other.write_bytes(b"x")
    with opening.open_book(closed_vault, passphrase):
        pass
    assert [p for p in planted if p.exists()] == []
    assert other.exists()


def test_backup_fsync_error_is_reported_not_swallowed(closed_vault, passphrase, monkeypatch):
    def failing_fsync(path):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(backup, "fsync_file", failing_fsync)
    with opening.open_book(closed_vault, passphrase) as v:
        with pytest.raises(backup.BackupFailed, match="Input/output error"):
            backup.create_backup(v)
    folder = backup.default_backup_dir(closed_vault)
    assert list(folder.iterdir()) == []


# -- problem 5: write commands refuse a vault that fails its check; the check is cheap when nothing changed --
def test_cli_write_commands_refuse_a_flipped_byte_mid_file(closed_vault, passphrase, monkeypatch, capsys):
    with opening.open_book(closed_vault, passphrase) as v:  # a clean session leaves a stamp
        for i in range(60):
            contacts.add(v, Contact(given_name=f"Filler{i}", family_name="x" * 200))
    assert opening.stamp_path(closed_vault).exists()
    size = closed_vault.stat().st_size
    with open(closed_vault, "r+b") as fh:
        fh.seek((size // 4096 // 2) * 4096 + 1000)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0x5A]))
    before = _digest(closed_vault)
    for argv in (["add-contact", "--given", "Eve"], ["passwd"], ["backup"]):
        code, _, err = _run(argv + ["--vault", str(closed_vault)], monkeypatch, capsys, passphrase,
                            BOUTIQUE_BOOK_NEW_PASSPHRASE="another passphrase")
        assert code == 1 and "damaged" in err and len(err.strip().splitlines()) == 1, argv
        assert _digest(closed_vault) == before, argv


def test_the_check_is_skipped_only_while_the_file_is_as_a_checked_session_left_it(closed_vault, passphrase,
                                                                                  monkeypatch):
    checks = []
    real = integrity.check_file
    monkeypatch.setattr(integrity, "check_file", lambda *a, **k: checks.append(1) or real(*a, **k))
    with opening.open_book(closed_vault, passphrase) as v:   # no stamp yet: full check
        contacts.add(v, Contact(given_name="Bo"))
    assert len(checks) == 1
    with opening.open_book(closed_vault, passphrase):        # closed cleanly since: no check
        pass
    assert len(checks) == 1
    # A session that did not close (kill -9) leaves no stamp: the next open checks again.
    crashed = opening.open_book(closed_vault, passphrase)
    crashed.instance_lock.release()
    crashed.conn.close()
    crashed.conn = None
    with opening.open_book(closed_vault, passphrase):
        pass
    assert len(checks) == 2
    # Another program touching the file (same bytes, new times) also costs a check.
    closed_vault.write_bytes(closed_vault.read_bytes())
    with opening.open_book(closed_vault, passphrase):
        pass
    assert len(checks) == 3


# -- structure: core/backup.py and core/integrity.py no longer import each other ----------------------------
def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names |= {node.module} if node.module else {a.name for a in node.names}
    return names


def test_backup_and_integrity_do_not_import_each_other():
    assert "backup" not in _imports(SRC / "core" / "integrity.py")
    assert "opening" not in _imports(SRC / "core" / "integrity.py")
    assert "opening" not in _imports(SRC / "core" / "backup.py")
