"""Where older copies of the book still live, and how long they are kept (issue #18).

- Backups in the managed folder (`backups/` beside the vault, rotated), backups written elsewhere
  (`backup --to`, a USB stick: every such folder is remembered in the vault, setting `backup.places`), and
  the books set aside by a restore (`<vault>.before-restore-<time>`, with their -wal/-shm).
- `list_copies` finds them all (a folder that is not mounted right now is listed as out of reach);
  `purge` deletes the ones a manager chose after an erasure, then writes a fresh verified backup so the
  book is never left without one.
- Retention of set-aside books: `prune_before_restore` deletes those older than BEFORE_RESTORE_KEEP_DAYS
  (30 days: time enough to notice that a restore was a mistake); it runs after every managed backup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .copy_places import (BEFORE_RESTORE_KEEP_DAYS, PLACES_KEY, _delete, _mtime,  # noqa: F401 (re-exported)
                          before_restore_files, places, prune_before_restore, remember_place)
from .manager import ManagerSession, require



@dataclass(frozen=True)
class Copy:
    path: Path
    kind: str            # "backup" (managed folder), "backup_elsewhere" (a --to folder), "before_restore"
    modified: dt.datetime | None
    reachable: bool = True


def list_copies(vault) -> list[Copy]:
    """Every older copy of this book the app knows of, oldest first within each kind."""
    from . import backup

    found: list[Copy] = []
    stem = vault.path.stem
    managed = backup.default_backup_dir(vault.path)
    for info in backup.list_backups(managed, stem=stem):
        found.append(Copy(info.path, "backup", _mtime(info.path)))
    for place in places(vault):
        if place.resolve() == managed.resolve():
            continue
        if not place.is_dir():
            found.append(Copy(place, "backup_elsewhere", None, reachable=False))
            continue
        for info in backup.list_backups(place, stem=stem):
            found.append(Copy(info.path, "backup_elsewhere", _mtime(info.path)))
    for path in before_restore_files(vault.path):
        found.append(Copy(path, "before_restore", _mtime(path)))
    return found


def purge(vault, session: ManagerSession, paths) -> dict:
    """Write a fresh verified backup into the managed folder, then delete the chosen older copies (only
    ones `list_copies` knows). A manager act, audited with counts only. Returns {"deleted", "failed", "backup"}."""
    from . import backup, changelog

    require(session, vault)
    known = {c.path.resolve(): c for c in list_copies(vault) if c.reachable}
    fresh = backup.create_backup(vault)  # first: the book is never without a backup, even if a delete fails
    deleted, failed = 0, []
    for path in paths:
        copy = known.get(Path(path).resolve())
        if copy is None:
            continue
        try:
            _delete(copy.path)
            deleted += 1
        except OSError:
            failed.append(copy.path)
    with vault.transaction() as conn:
        changelog.audit(conn, session.actor, "old_copies_purged", deleted=deleted, failed=len(failed))
    return {"deleted": deleted, "failed": failed, "backup": fresh.path}
