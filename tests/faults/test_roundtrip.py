"""Backup then restore round-trips the whole vault: every row of every table, schema version included."""

from __future__ import annotations

from boutique_book.core import backup, contacts, moments
from boutique_book.core.model import Contact
from boutique_book.core.vault import Vault


def dump(conn) -> dict:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    out = {"user_version": conn.execute("PRAGMA user_version").fetchone()[0],
           "schema": sorted(tuple(r) for r in conn.execute("SELECT type, name, sql FROM sqlite_master"))}
    for table in tables:
        out[table] = sorted((tuple(r) for r in conn.execute(f'SELECT * FROM "{table}"')), key=repr)
    return out


def test_backup_then_restore_round_trips_every_row(demo_vault, manager_session, passphrase):
    vault = demo_vault
    before = dump(vault.conn)
    assert len(before["contacts"]) == 300 and before["moments"]
    info = backup.create_backup(vault)
    # Change things after the backup: they must be gone after the restore, and kept in the set-aside file.
    new_id = contacts.add(vault, Contact(given_name="After", family_name="Backup"))
    first_moment = vault.scalar("SELECT min(id) FROM moments")
    moments.delete(vault, first_moment)
    assert dump(vault.conn) != before
    result = backup.restore(info.path, vault=vault, session=manager_session)
    assert vault.is_open
    assert dump(vault.conn) == before
    with Vault.open_with_key(result.set_aside, vault._key, migrate=False) as aside:
        assert aside.scalar("SELECT given_name FROM contacts WHERE id=?", (new_id,)) == "After"
    # The same through a closed vault and the passphrase (the CLI path).
    vault.close()
    backup.restore(info.path, vault.path, passphrase=passphrase, session=manager_session)
    with Vault.open(vault.path, passphrase) as again:
        assert dump(again.conn) == before
