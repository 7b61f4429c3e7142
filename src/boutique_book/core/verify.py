"""`boutique-book verify`: the vault and its backups, reported separately (docs/safety.md, "verify").

Exit codes (EXIT_*), worst first:
  1  the vault is damaged (or cannot be read with this passphrase): restore a backup;
  4  the vault is fine, but the newest backup (current passphrase) of one of the folders fails its check;
  3  the vault is fine, but there is no backup made with the current passphrase from the last 7 days;
  0  the vault and the newest backup (current passphrase) pass their checks.
A backup made with an earlier passphrase is listed as such — never as damaged — and does not fail verify.
Backups are looked for in `backups/` next to the vault and in every folder a backup was written to with
`backup --to` (remembered in the vault); a folder that is not reachable now (USB stick unplugged) is listed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from . import backup, errors, integrity, kdf
from .generations import generation_of
from .vault import generations

EXIT_OK = 0
EXIT_VAULT_DAMAGED = 1
EXIT_NO_RECENT_BACKUP = 3
EXIT_BACKUP_DAMAGED = 4
RECENT = dt.timedelta(days=7)


@dataclass
class BackupStatus:
    info: backup.BackupInfo
    generation: int | None          # None: a passphrase this book does not record
    current: bool
    checked: bool = False
    ok: bool = False
    contacts: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class FolderStatus:
    path: Path
    reachable: bool
    backups: list[BackupStatus] = field(default_factory=list)


@dataclass
class BookReport:
    path: Path
    vault_ok: bool
    vault_problems: str
    quick_ms: float
    cipher_ms: float
    generation: int
    folders: list[FolderStatus]
    newest: BackupStatus | None      # newest backup made with the current passphrase (checked)
    exit_code: int

    @property
    def earlier(self) -> list[BackupStatus]:
        return [b for f in self.folders for b in f.backups if not b.current]


def verify_book(path, passphrase: str, now: dt.datetime | None = None) -> BookReport:
    path = Path(path)
    now = now or dt.datetime.now(dt.timezone.utc)
    salt = integrity.read_salt(path)
    key = kdf.derive_key(passphrase, salt)
    report = integrity.check_file(path, key, full=True)
    gens, folders = [], [backup.default_backup_dir(path)]
    with contextlib.suppress(errors.BoutiqueBookError, sqlite.Error):
        with integrity.open_readonly(path, key) as conn:
            gens = generations(conn)
            folders += [f for f in backup.remembered_folders(conn) if f not in folders]
    current_gen = generation_of(gens, salt) or 1
    statuses = []
    for folder in folders:
        reachable = folder.is_dir() or folder == folders[0]  # backups/ not made yet: reachable, empty
        status = FolderStatus(folder, reachable)
        for info in backup.list_backups(folder, stem=path.stem) if reachable else []:
            try:
                b_salt = integrity.read_salt(info.path)
            except (errors.BoutiqueBookError, OSError) as exc:
                status.backups.append(BackupStatus(info, None, False, True, False, problems=[str(exc)]))
                continue
            current = b_salt == salt
            generation = current_gen if current else generation_of(gens, b_salt)
            status.backups.append(BackupStatus(info, generation, current))
        statuses.append(status)
    current_backups = sorted((b for f in statuses for b in f.backups if b.current or b.checked),
                             key=lambda b: b.info.taken_at, reverse=True)
    # Check the newest current backup of each folder (and so the newest of all).
    for f in statuses:
        for b in f.backups:
            if b.current:
                checked = backup.verify_backup(b.info.path, key=key)
                b.checked, b.ok, b.contacts, b.problems = True, checked.ok, checked.contacts, checked.problems
                break
    newest = next((b for b in current_backups if b.checked), None)
    newest_ok = next((b for b in current_backups if b.checked and b.ok), None)
    if not report.ok:
        code = EXIT_VAULT_DAMAGED
    elif any(b.checked and not b.ok for b in current_backups):
        code = EXIT_BACKUP_DAMAGED
    elif newest_ok is None or now - newest_ok.info.taken_at > RECENT:
        code = EXIT_NO_RECENT_BACKUP
    else:
        code = EXIT_OK
    return BookReport(path, report.ok, report.plain() if not report.ok else "", report.quick_ms, report.cipher_ms, current_gen,
                      statuses, newest, code)
