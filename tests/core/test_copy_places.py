"""One record of the folders `backup --to` wrote to (core.copy_places): `verify` (backup.remembered_folders),
the audit-chain check and the erasure's list of older copies all read the same one. Session 2 kept two
settings (`backup.folders` and `backup.places`) written at different moments; old vaults keep being read."""

from __future__ import annotations

import json

from boutique_book.core import backup, copy_places, old_copies, settings


def test_a_backup_elsewhere_is_remembered_once_and_seen_everywhere(vault, tmp_path):
    usb = tmp_path / "usb"
    info = backup.create_backup(vault, usb)
    assert settings.get(vault, copy_places.PLACES_KEY) == [str(usb.resolve())]
    assert settings.get(vault, copy_places.LEGACY_FOLDERS_KEY) is None  # no second record
    assert backup.remembered_folders(vault.conn) == [usb.resolve()]
    assert [c.path for c in old_copies.list_copies(vault) if c.kind == "backup_elsewhere"] == [info.path]


def test_a_vault_with_only_the_old_record_still_finds_its_folders(vault, tmp_path):
    usb = tmp_path / "stick"
    usb.mkdir()
    vault.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                       (copy_places.LEGACY_FOLDERS_KEY, json.dumps([str(usb)])))
    assert backup.remembered_folders(vault.conn) == [usb]
    assert copy_places.places(vault) == [usb]
