"""The audit chain of a closed vault against its backups' (the CLI's `verify`): files on disk, so this sits
above core.backup and core.integrity, while core.audit_chain itself reads one open connection only."""

from __future__ import annotations

from pathlib import Path

from . import audit_chain, backup, copy_places, integrity
from .audit_chain import ChainReport


def _remembered_backups(conn, vault_path) -> list:
    """Backups in the folders `backup --to` wrote to (remembered in the vault, core.old_copies)."""
    found = []
    for place in copy_places.remembered(conn):
        if place.is_dir():
            found += [info.path for info in backup.list_backups(place, stem=Path(vault_path).stem)]
    return found


def check_files(vault_path, key: bytes, backup_paths=()) -> tuple[ChainReport, list[tuple[object, str]]]:
    """Verify the chain of a closed vault, then compare it with the chain inside each backup given and each
    backup in the folders remembered in the vault (`backup --to`, a USB stick that is plugged in) that opens
    with the same key (backups made with an earlier passphrase are skipped). Read-only throughout.
    Returns (the vault's report, [(backup path, problem)] for every backup that disagrees)."""
    disagreements = []
    with integrity.open_readonly(vault_path, key) as conn:
        report = audit_chain.verify(conn)
        paths = {}
        for path in [*backup_paths, *_remembered_backups(conn, vault_path)]:
            paths.setdefault(str(Path(path).resolve()), path)
        for path in paths.values():
            try:
                if integrity.read_salt(path) != integrity.read_salt(vault_path):
                    continue
                with integrity.open_readonly(path, key) as backup_conn:
                    problem = audit_chain.compare_with_backup(conn, backup_conn)
            except Exception:  # an unreadable backup is verify's own business, reported there
                continue
            if problem:
                disagreements.append((path, problem))
    return report, disagreements
