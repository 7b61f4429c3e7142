"""Passphrase generations: changing the vault passphrase, and what it means for the backups (docs/safety.md, "Passphrase generations").

A backup keeps the salt — and so the passphrase — of the vault it was taken from. Each passphrase change is
a *generation*: the vault records every generation's salt (core.vault.record_generation), so any backup can
be told apart as "made with the current passphrase", "made with an earlier passphrase (generation N)" or
"a passphrase this book does not record". Older backups are not re-encrypted (they may sit on a USB stick in a
drawer); instead a fresh verified backup with the new passphrase is written at once, so the newest backup
always opens with the passphrase in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import backup
from .vault import generations, read_salt


@dataclass
class PassphraseChanged:
    generation: int
    backup: backup.BackupInfo | None
    backup_error: str = ""


def change(vault, new_passphrase: str, kdf_params=None) -> PassphraseChanged:
    """Change the passphrase of an open vault (its caller holds the single-writer lock), then write a fresh
    verified backup with the new passphrase into the managed backups folder. A failed backup does not undo the
    change: its reason comes back in `backup_error` (say it, and ask for `boutique-book backup`)."""
    vault.change_passphrase(new_passphrase, kdf_params)
    generation = current_generation(vault.conn, read_salt(vault.path))
    try:
        info = backup.create_backup(vault)
    except backup.BackupFailed as exc:
        return PassphraseChanged(generation, None, str(exc))
    return PassphraseChanged(generation, info)


def current_generation(conn, salt: bytes) -> int:
    for g in generations(conn):
        if g.get("salt") == salt.hex():
            return int(g["n"])
    return 1


def generation_of(gens: list[dict], salt: bytes) -> int | None:
    """The generation whose salt this is, or None when the book does not record it."""
    for g in gens:
        if g.get("salt") == salt.hex():
            return int(g["n"])
    return None
