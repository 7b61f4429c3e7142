"""Where copies of the book lie besides the vault, below core.backup (which records them) and core.old_copies
(which lists and purges them): the folders `backup --to` wrote to (setting `backup.places`) and the books a
restore set aside (`<vault>.before-restore-<time>`), with their retention.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import settings

PLACES_KEY = "backup.places"
BEFORE_RESTORE_KEEP_DAYS = 30
_SIDE = ("-wal", "-shm", "-journal")


def remember_place(vault, folder) -> None:
    """Remember a folder a backup was written to (outside the managed folder)."""
    folder = str(Path(folder).expanduser().resolve())
    places = list(settings.get(vault, PLACES_KEY) or [])
    if folder not in places:
        settings.put(vault, PLACES_KEY, places + [folder])


LEGACY_FOLDERS_KEY = "backup.folders"  # session 2's second record of the same folders (read, never written)


def remembered(conn) -> list[Path]:
    """The --to folders recorded in the vault, read on any connection (also a read-only one)."""
    import json

    found: list[Path] = []
    for key in (PLACES_KEY, LEGACY_FOLDERS_KEY):
        try:
            row = conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
            values = json.loads(row[0]) if row else []
        except Exception:  # a settings table from before, a damaged value: nothing remembered
            continue
        for value in values if isinstance(values, list) else []:
            if isinstance(value, str) and Path(value) not in found:
                found.append(Path(value))
    return found


def places(vault) -> list[Path]:
    return remembered(vault.conn)


def _mtime(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    except OSError:
        return None


def before_restore_files(vault_path) -> list[Path]:
    vault_path = Path(vault_path)
    return sorted(p for p in vault_path.parent.glob(f"{vault_path.name}.before-restore-*")
                  if not p.name.endswith(_SIDE))


def _delete(path: Path) -> None:
    path.unlink(missing_ok=True)
    for suffix in _SIDE:
        Path(str(path) + suffix).unlink(missing_ok=True)


def _set_aside_at(path: Path) -> dt.datetime | None:
    """When a book was set aside: the local time in its name (see backup.set_aside), else the file's mtime."""
    stamp = path.name.rsplit(".before-restore-", 1)[-1][:15]
    try:
        return dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S").astimezone(dt.timezone.utc)
    except ValueError:
        return _mtime(path)


def prune_before_restore(vault_path, now: dt.datetime | None = None,
                         keep_days: int = BEFORE_RESTORE_KEEP_DAYS) -> list[Path]:
    """Delete books set aside by a restore more than keep_days ago. Returns what was deleted."""
    now = now or dt.datetime.now(dt.timezone.utc)
    removed = []
    for path in before_restore_files(vault_path):
        when = _set_aside_at(path)
        if when is not None and now - when > dt.timedelta(days=keep_days):
            try:
                _delete(path)
            except OSError:
                continue
            removed.append(path)
    return removed
