"""The audit chain of a closed vault against its backups' (the CLI's `verify`): files on disk, so this sits
above core.backup and core.integrity, while core.audit_chain itself reads one open connection only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import audit_chain, backup, copy_places, integrity, manager
from .audit_chain import ChainReport


def _remembered_backups(conn, vault_path) -> list:
    """Backups in the folders `backup --to` wrote to (remembered in the vault, core.old_copies)."""
    found = []
    for place in copy_places.remembered(conn):
        if place.is_dir():
            found += [info.path for info in backup.list_backups(place, stem=Path(vault_path).stem)]
    return found


@dataclass
class AuditCheck:
    """The chain of a vault and how it compares with the chains inside its backups."""

    report: ChainReport
    disagreements: list = field(default_factory=list)   # [(backup path, one sentence)]
    compared: list = field(default_factory=list)        # backups whose head was compared (agreeing or not)
    skipped: list = field(default_factory=list)         # backups given that could not be compared

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.disagreements


def backups_at(place, stem: str | None = None) -> list[Path]:
    """A backup file as given, or the backups in a folder (named like ours; `stem` picks one vault's)."""
    place = Path(place)
    if place.is_dir():
        return [info.path for info in backup.list_backups(place, stem=stem)]
    return [place]


def check(conn, vault_path, key: bytes, backup_paths=(), *, known: bool = True) -> AuditCheck:
    """Verify the chain on `conn` (the vault at vault_path, open or read-only), then compare it with the
    chain inside each backup given (files or folders) and, with `known`, each backup in the managed folder
    beside the vault and in the folders remembered in the vault (`backup --to`, a USB stick plugged in)
    that opens with the same key. Backups made with an earlier passphrase (another salt) are skipped:
    they are not "tampered" (issue #17). A head that left the store before a rewrite is what shows it,
    so the manager can point at a copy the vault does not remember (`--against`, issue #18)."""
    result = AuditCheck(audit_chain.verify(conn))
    vault_path = Path(vault_path)
    given = [p for place in backup_paths for p in backups_at(place)]
    paths = {}
    for path in given:
        paths.setdefault(str(Path(path).resolve()), path)
    if known:
        for path in [*backups_at(backup.default_backup_dir(vault_path), vault_path.stem),
                     *_remembered_backups(conn, vault_path)]:
            paths.setdefault(str(Path(path).resolve()), path)
    salt = integrity.read_salt(vault_path)
    for path in paths.values():
        try:
            if integrity.read_salt(path) != salt:
                result.skipped.append(path)
                continue
            with integrity.open_readonly(path, key) as backup_conn:
                problem = audit_chain.compare_with_backup(conn, backup_conn)
        except Exception:  # not a backup, unreadable: verify reports backups' health on its own
            result.skipped.append(path)
            continue
        result.compared.append(path)
        if problem:
            result.disagreements.append((path, problem))
    return result


def check_files(vault_path, key: bytes, backup_paths=(), *, known: bool = False) -> tuple[ChainReport, list]:
    """`check` on a closed vault, read-only throughout: the backups given and those in the remembered
    folders (with `known`, the managed folder too). Returns (the vault's report, [(backup path, problem)])."""
    with integrity.open_readonly(vault_path, key) as conn:
        paths = [*backup_paths, *([] if known else _remembered_backups(conn, vault_path))]
        result = check(conn, vault_path, key, paths, known=known)
    return result.report, result.disagreements


def verify_audit(vault, session, against=()) -> AuditCheck:
    """The manager's `audit --verify`: recompute the audit log's hash chain (core.audit_chain.verify), then
    compare it with the heads inside the backups beside the vault, in the remembered `backup --to` folders and
    in `against` (backup files or folders the vault may not remember: the USB stick in the manager's drawer).
    A rewrite that recomputed every hash is only seen that way. Needs a manager session of this book."""
    manager.require(session, vault)
    return check(vault.conn, vault.path, vault._key, against)
