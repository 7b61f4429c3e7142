"""Issue #17, problems 2-4: passphrase generations, verify that knows every backup folder and says what is
wrong with which (documented exit codes), restore that checks a backup fully before touching the live file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from boutique_book import cli
from boutique_book.core import backup, contacts, errors, integrity, manager, opening, verify
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact
from boutique_book.core.vault import Vault, generations

NEW = "a brand new passphrase"
MANAGER = "the manager's own words"


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def book(vault_path, passphrase, monkeypatch):
    with Vault.create(vault_path, passphrase, KdfParams.fast()) as v:
        contacts.add(v, Contact(given_name="Ada", family_name="Lovelace"))
        manager.unlock(v, MANAGER, params=KdfParams.fast())
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    monkeypatch.setenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", MANAGER)
    return vault_path


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- problem 2: a passphrase change does not make verify cry wolf --------------------------------------------
def test_backup_passwd_verify_reports_earlier_passphrase_not_damage(book, passphrase, capsys, monkeypatch):
    assert run(capsys, "--vault", str(book), "backup")[0] == 0
    monkeypatch.setenv("BOUTIQUE_BOOK_NEW_PASSPHRASE", NEW)
    code, out, _ = run(capsys, "--vault", str(book), "passwd")
    assert code == 0 and "fresh verified backup" in out
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", NEW)
    code, out, err = run(capsys, "--vault", str(book), "verify")
    assert code == verify.EXIT_OK, out + err
    assert "FAILED" not in out and "damaged" in out and "earlier passphrase" in out and "generation 1" in out
    backups = backup.list_backups(backup.default_backup_dir(book))
    assert len(backups) == 2
    salts = {integrity.read_salt(b.path) for b in backups}
    assert integrity.read_salt(book) in salts and len(salts) == 2  # one per generation
    with opening.open_book(book, NEW, write=False) as v:
        gens = generations(v.conn)
    assert [g["n"] for g in gens] == [1, 2] and gens[-1]["salt"] == integrity.read_salt(book).hex()


def test_restore_messages_have_no_double_full_stop(book, passphrase, tmp_path):
    with Vault.open(book, passphrase) as v:
        info = backup.create_backup(v)
    with pytest.raises(backup.BackupFailed) as caught:  # onto a new PC: no book there yet
        backup.restore(info.path, tmp_path / "new-pc" / book.name, passphrase="not the passphrase at all")
    assert "does not open" in str(caught.value) and ".." not in str(caught.value)


def test_restoring_an_earlier_generation_backup_keeps_the_current_passphrase(book, passphrase, capsys,
                                                                             monkeypatch):
    with Vault.open(book, passphrase) as v:
        old = backup.create_backup(v)
    monkeypatch.setenv("BOUTIQUE_BOOK_NEW_PASSPHRASE", NEW)
    assert run(capsys, "--vault", str(book), "passwd")[0] == 0
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", NEW)
    monkeypatch.setenv("BOUTIQUE_BOOK_BACKUP_PASSPHRASE", passphrase)
    code, out, err = run(capsys, "--vault", str(book), "restore", str(old.path))
    assert code == 0, err
    assert "earlier passphrase" in out and "current passphrase" in out
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(book, passphrase)  # not silently back on the old passphrase
    with Vault.open(book, NEW) as v:
        assert v.scalar("SELECT count(*) FROM contacts") == 1


# -- problem 3: verify knows the --to folders; its exit codes tell vault from backups -----------------------
def test_verify_finds_backups_written_to_another_folder(book, capsys, tmp_path):
    usb = tmp_path / "usb"
    assert run(capsys, "--vault", str(book), "backup", "--to", str(usb))[0] == 0
    assert not backup.default_backup_dir(book).exists() or not list(backup.default_backup_dir(book).iterdir())
    code, out, _ = run(capsys, "--vault", str(book), "verify")
    assert code == verify.EXIT_OK, out
    assert str(usb) in out and "No backup" not in out


def test_verify_exit_codes_vault_damaged_differs_from_no_backup(book, capsys, tmp_path):
    code, out, _ = run(capsys, "--vault", str(book), "verify")
    assert code == verify.EXIT_NO_RECENT_BACKUP == 3
    usb = tmp_path / "usb"
    assert run(capsys, "--vault", str(book), "backup", "--to", str(usb))[0] == 0
    usb.rename(tmp_path / "unplugged")
    code, out, _ = run(capsys, "--vault", str(book), "verify")
    assert code == 3 and "not reachable" in out
    (tmp_path / "unplugged").rename(usb)
    taken = backup.list_backups(usb)[0].path
    with open(taken, "r+b") as fh:
        fh.seek(taken.stat().st_size // 2)
        fh.write(b"\x13\x37")
    code, out, _ = run(capsys, "--vault", str(book), "verify")
    assert code == verify.EXIT_BACKUP_DAMAGED == 4 and "FAILED" in out


# -- problem 4: restore checks the backup fully before touching the live file --------------------------------
def _future_backup(path, passphrase, tmp_path) -> Path:
    """A backup of this book written by a newer version (it records a migration this code does not know)."""
    with Vault.open(path, passphrase) as v:
        v.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, 'future', 'x')")
        v.execute("PRAGMA user_version = 9999")
        info = backup.create_backup(v, tmp_path / "future")
        v.execute("DELETE FROM schema_migrations WHERE version = 9999")
        v.execute("PRAGMA user_version = 30")
    return info.path


def test_restore_of_a_newer_versions_backup_changes_nothing(book, passphrase, capsys, tmp_path):
    future = _future_backup(book, passphrase, tmp_path)
    with Vault.open(book, passphrase):
        pass
    before = _digest(book)
    code, _, err = run(capsys, "--vault", str(book), "restore", str(future))
    assert code == 1 and "newer Boutique Book" in err and "Nothing was changed" in err
    assert _digest(book) == before
    assert list(book.parent.glob("*.before-restore-*")) == []
    with opening.open_book(book, passphrase) as v:
        assert v.scalar("SELECT count(*) FROM contacts") == 1


def test_restore_of_another_books_backup_needs_confirmation(book, passphrase, capsys, tmp_path):
    other_path = tmp_path / "elsewhere" / book.name
    with Vault.create(other_path, passphrase, KdfParams.fast()) as other:
        contacts.add(other, Contact(given_name="Stranger"))
        foreign = backup.create_backup(other, tmp_path / "foreign").path
    before = _digest(book)
    code, _, err = run(capsys, "--vault", str(book), "restore", str(foreign))
    assert code == 1 and "another book" in err and "--other-book" in err
    assert _digest(book) == before
    code, out, err = run(capsys, "--vault", str(book), "restore", "--other-book", str(foreign))
    assert code == 0, err
    with Vault.open(book, passphrase) as v:
        assert v.scalar("SELECT given_name FROM contacts") == "Stranger"


def test_the_app_restore_says_when_the_book_goes_back_to_an_earlier_passphrase(book, passphrase):
    with opening.open_book(book, passphrase) as v:
        old = backup.create_backup(v)
        v.change_passphrase(NEW, KdfParams.fast())
        session = manager.unlock(v, MANAGER)
        result = backup.restore(old.path, vault=v, passphrase=passphrase, session=session)
        assert result.earlier_passphrase
        assert v.scalar("SELECT count(*) FROM contacts") == 1


@pytest.mark.parametrize("make", [
    lambda: errors.MigrationFailed("book.vault", 180, "step", "no such table: x.", "backups/b.vault"),
    lambda: errors.StorageFailed("book.vault", "the stick was removed."),
    lambda: errors.VaultDamaged("book.vault", "its header is damaged."),
    lambda: backup.BackupFailed("The backup failed (the disk is full.). Nothing was changed."),
])
def test_no_message_ends_a_part_with_a_doubled_full_stop(make):
    """The class of 'backup).. Nothing was changed': any part ending with its own full stop."""
    text = str(make())
    assert ".." not in text.replace("...", "…"), text


def test_paths_and_ellipses_keep_their_dots():
    assert "../usb/b.vault" in str(errors.VaultMissing("../usb/b.vault"))
    assert "wait..." in str(errors.BoutiqueBookError("wait... then retry"))


def test_verify_speaks_without_internal_words(book, passphrase, capsys, monkeypatch, tmp_path):
    """verify printed 'quick_check 5 ms, cipher_integrity_check 1 ms' and SQLite's btree wording."""
    from ..i18n.test_no_internal_words import internal_words

    assert run(capsys, "--vault", str(book), "backup")[0] == 0
    monkeypatch.setenv("BOUTIQUE_BOOK_NEW_PASSPHRASE", NEW)
    assert run(capsys, "--vault", str(book), "passwd")[0] == 0
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", NEW)
    newest = next(b.path for b in backup.list_backups(backup.default_backup_dir(book))
                  if integrity.read_salt(b.path) == integrity.read_salt(book))
    with open(newest, "r+b") as fh:  # the newest backup (current passphrase) gets a damaged page
        fh.seek(newest.stat().st_size // 2)
        fh.write(b"\x13\x37")
    code, out, err = run(capsys, "--vault", str(book), "verify")
    assert code == verify.EXIT_BACKUP_DAMAGED and "FAILED" in out and "earlier passphrase" in out
    text = (out + err).replace(str(tmp_path), "FOLDER")
    assert "ok (checked in" in text and not internal_words(text), internal_words(text)
    for sqlite_words in ("btree", "error code", "HMAC", "***"):
        assert sqlite_words not in text, text


def _earlier_generation_backup(book, passphrase, capsys, monkeypatch):
    with Vault.open(book, passphrase) as v:
        bob = contacts.add(v, Contact(given_name="Bob", family_name="Erasable"))
    assert run(capsys, "--vault", str(book), "backup")[0] == 0
    old = backup.list_backups(backup.default_backup_dir(book))[0].path
    monkeypatch.setenv("BOUTIQUE_BOOK_NEW_PASSPHRASE", NEW)
    assert run(capsys, "--vault", str(book), "passwd")[0] == 0
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", NEW)
    monkeypatch.setenv("BOUTIQUE_BOOK_BACKUP_PASSPHRASE", passphrase)
    return old, bob


def test_restoring_an_earlier_generation_backup_erases_again_who_was_erased(book, passphrase, capsys, monkeypatch):
    """The live book's erasure register was read with the backup's (earlier) passphrase, so it could not be
    read and an erased person came back with the restore (CLI)."""
    old, bob = _earlier_generation_backup(book, passphrase, capsys, monkeypatch)
    code, _, err = run(capsys, "--vault", str(book), "erase", str(bob), "--yes")
    assert code == 0, err
    code, out, err = run(capsys, "--vault", str(book), "restore", str(old))
    assert code == 0, err
    assert "1 erased again" in out and "opens with the current passphrase" in out
    with opening.open_book(book, NEW, write=False) as v:
        assert v.scalar("SELECT count(*) FROM contacts WHERE family_name='Erasable'") == 0
        assert v.scalar("SELECT count(*) FROM contacts WHERE given_name='Ada'") == 1


def test_a_damaged_book_is_recovered_from_an_earlier_generation_backup_and_says_which_passphrase_opens_it(
        book, passphrase, capsys, monkeypatch):
    """The live book (new passphrase) was checked with the backup's passphrase: a damaged book counted as
    healthy, so the counter's recovery asked for the manager; and the restored book silently kept the old
    passphrase."""
    old, _ = _earlier_generation_backup(book, passphrase, capsys, monkeypatch)
    size = book.stat().st_size
    with open(book, "r+b") as fh:  # a damaged page: the live book no longer passes its check
        fh.seek((size // 4096 // 2) * 4096 + 1000)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0x5A]))
    monkeypatch.delenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE")  # the counter, without the manager
    code, out, err = run(capsys, "--vault", str(book), "restore", str(old))
    assert code == 0, err
    assert "opens with the passphrase it had when this backup was made" in out
    with opening.open_book(book, passphrase, write=False) as v:
        assert v.scalar("SELECT count(*) FROM contacts WHERE given_name='Ada'") == 1
