"""The vault on a real SQLCipher file: encryption at rest, wrong keys, errors, rekey."""

import datetime as dt
import hashlib
import os

import pytest

from boutique_book.core import contacts, errors, moments, search
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact, Email, Moment, Phone
from boutique_book.core.vault import Vault

SECRET_NAME, SECRET_EMAIL, SECRET_NOTE = "Wilhelmina", "wilhelmina.secret@example.org", "xylophonist-daughter"


def _plant(vault):
    cid = contacts.add(vault, Contact(given_name=SECRET_NAME, family_name="Zyx", country="FR",
                                      emails=[Email(SECRET_EMAIL)], phones=[Phone("06 12 34 56 78")]))
    moments.add(vault, Moment(cid, f"Her {SECRET_NOTE} plays on Sunday", dt.date(2026, 1, 5)))
    return cid


def _all_bytes_beside(path):
    blob = b""
    for name in os.listdir(path.parent):
        with open(path.parent / name, "rb") as fh:
            blob += fh.read()
    return blob


def test_planted_data_is_not_in_any_file(vault, vault_path, passphrase):
    _plant(vault)
    blob_open = _all_bytes_beside(vault_path)  # while open: the WAL file counts too
    vault.close()
    blob_closed = _all_bytes_beside(vault_path)
    for blob in (blob_open, blob_closed):
        for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_NOTE):
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in blob
    assert not vault_path.read_bytes().startswith(b"SQLite format 3")


def test_reopen_returns_everything(vault, vault_path, passphrase):
    cid = _plant(vault)
    vault.close()
    with Vault.open(vault_path, passphrase) as again:
        contact = contacts.get(again, cid)
        assert contact.given_name == SECRET_NAME
        assert contact.emails[0].address == SECRET_EMAIL
        assert contact.phones[0].e164 == "+33612345678"
        assert SECRET_NOTE in moments.for_contact(again, cid)[0].text


def test_wrong_passphrase_is_clear_and_changes_nothing(vault, vault_path):
    _plant(vault)
    vault.close()
    before = hashlib.sha256(vault_path.read_bytes()).hexdigest()
    listing = sorted(os.listdir(vault_path.parent))
    with pytest.raises(errors.WrongPassphrase) as info:
        Vault.open(vault_path, "O'Brien's 7 \"red\" rose")
    assert "passphrase does not open" in str(info.value)
    assert hashlib.sha256(vault_path.read_bytes()).hexdigest() == before
    assert sorted(os.listdir(vault_path.parent)) == listing


@pytest.mark.parametrize("passphrase", ["'", "\\", "x'; DROP TABLE contacts; --", "пароль 秘密 🌹", '"""', " "])
def test_any_passphrase_works(tmp_path, passphrase):
    path = tmp_path / "p.vault"
    Vault.create(path, passphrase, KdfParams.fast()).close()
    Vault.open(path, passphrase).close()
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(path, passphrase + "x")


def test_nfc_and_nfd_passphrases_are_the_same(tmp_path):
    path = tmp_path / "n.vault"
    Vault.create(path, "caf\u00e9", KdfParams.fast()).close()
    Vault.open(path, "cafe\u0301").close()


def test_missing_file(tmp_path):
    with pytest.raises(errors.VaultMissing):
        Vault.open(tmp_path / "nothing.vault", "x")
    assert not (tmp_path / "nothing.vault").exists()


def test_not_a_vault(tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("just some text that is long enough")
    with pytest.raises(errors.NotAVault):
        Vault.open(plain, "x")
    sqlite_file = tmp_path / "plain.db"
    sqlite_file.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(errors.NotAVault, match="unencrypted"):
        Vault.open(sqlite_file, "x")
    assert plain.read_text() == "just some text that is long enough"


def test_create_refuses_existing_file(vault_path, vault):
    with pytest.raises(errors.VaultExists):
        Vault.create(vault_path, "x", KdfParams.fast())


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_location(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(errors.VaultNotWritable):
            Vault.create(ro / "v.vault", "x", KdfParams.fast())
    finally:
        ro.chmod(0o700)


def test_read_only_location_even_as_root(tmp_path, monkeypatch):
    """As root, permissions do not bite: simulate the OS refusing the write instead."""
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(errors.VaultNotWritable):
        Vault.create(tmp_path / "v.vault", "x", KdfParams.fast())
    assert not (tmp_path / "v.vault").exists()


def test_pragmas(vault):
    assert vault.scalar("PRAGMA temp_store") == 2  # MEMORY
    assert vault.scalar("PRAGMA secure_delete") == 1
    assert vault.scalar("PRAGMA journal_mode") == "wal"
    assert vault.scalar("PRAGMA synchronous") == 2  # FULL
    assert vault.scalar("PRAGMA foreign_keys") == 1
    assert vault.scalar("PRAGMA cipher_version").startswith("4.")


def test_second_connection_uses_the_derived_key(vault):
    cid = _plant(vault)
    other = vault.connect()
    assert other.execute("SELECT given_name FROM contacts WHERE id=?", (cid,)).fetchone()[0] == SECRET_NAME
    other.close()


def test_change_passphrase(vault, vault_path, passphrase):
    cid = _plant(vault)
    vault.change_passphrase("new ' passphrase")
    assert contacts.get(vault, cid).given_name == SECRET_NAME  # still usable after rekey
    vault.close()
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(vault_path, passphrase)
    with Vault.open(vault_path, "new ' passphrase") as again:
        assert contacts.get(again, cid).given_name == SECRET_NAME
        assert search.search(again.conn, "wilhelmina")[0].id == cid
    assert not vault_path.with_name(vault_path.name + ".rekey").exists()


def test_transaction_rolls_back_on_error(vault):
    with pytest.raises(RuntimeError):
        with vault.transaction():
            contacts.add(vault, Contact(given_name="Half"))
            raise RuntimeError("crash mid-write")
    assert contacts.count(vault) == 0
