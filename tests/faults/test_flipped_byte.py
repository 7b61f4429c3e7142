"""A flipped byte in the vault file is detected at open, nothing is written to the damaged file, the
message offers the newest good backup, and restoring it brings the data back."""

from __future__ import annotations

import hashlib

import pytest

from boutique_book.core import backup, demo, errors, integrity, opening
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault

from .conftest import flip_byte


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged_setup(vault_path, passphrase):
    vault = Vault.create(vault_path, passphrase, KdfParams.fast())
    demo.generate(vault, 60, seed=3)
    good = backup.create_backup(vault)
    contacts = vault.scalar("SELECT count(*) FROM contacts")
    vault.close()
    return vault_path, good, contacts


@pytest.mark.parametrize("where", ["middle", "last_page"])
def test_flipped_byte_in_a_data_page_is_detected_and_backup_named(damaged_setup, passphrase, where):
    path, good, _ = damaged_setup
    size = path.stat().st_size
    page = 4096
    offset = (size // page // 2) * page + 1000 if where == "middle" else size - page + 500
    flip_byte(path, offset)
    before = _digest(path)
    with pytest.raises(errors.VaultDamaged) as caught:
        opening.open_checked(path, passphrase)
    message = str(caught.value)
    assert "damaged" in message and str(good.path) in message and "Restore" in message
    assert _digest(path) == before, "nothing may be written to a damaged vault"
    # Only the single-writer lock file may appear (it holds a pid, nothing of the vault).
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(["backups", path.name, path.name + ".lock"])


def test_flipped_byte_in_the_first_page_reads_as_wrong_passphrase_with_restore_advice(damaged_setup, passphrase):
    path, _, _ = damaged_setup
    flip_byte(path, 200)  # inside page 1, after the plaintext salt
    before = _digest(path)
    with pytest.raises(errors.WrongPassphrase, match="restore the newest backup"):
        opening.open_checked(path, passphrase)
    assert _digest(path) == before


def test_restore_after_damage_brings_everything_back(damaged_setup, passphrase):
    path, good, contacts = damaged_setup
    flip_byte(path, path.stat().st_size // 2 + 123)
    with pytest.raises(errors.VaultDamaged):
        opening.open_checked(path, passphrase)
    result = backup.restore(good.path, path, passphrase=passphrase)
    assert result.set_aside is not None and result.set_aside.exists()
    with opening.open_checked(path, passphrase, full=True) as vault:
        assert vault.scalar("SELECT count(*) FROM contacts") == contacts


def test_damage_found_later_blocks_every_write(vault, passphrase):
    from boutique_book.core import contacts
    from boutique_book.core.model import Contact

    contacts.add(vault, Contact(given_name="Before"))
    integrity.mark_damaged(vault)
    with pytest.raises(errors.VaultDamaged):
        contacts.add(vault, Contact(given_name="After"))
    assert vault.scalar("SELECT count(*) FROM contacts") == 1
    with pytest.raises(backup.BackupFailed):
        backup.create_backup(vault)
    assert backup.maybe_auto_backup(vault) is None
