"""Encrypted, verified backups with rotation; restore that never overwrites the current vault in place.

How a backup is written (see docs/safety.md):
- `VACUUM INTO` on a fresh keyed connection to the live vault. Under SQLCipher the output is encrypted
  with the same key AND the same 16-byte salt (checked: its first bytes equal the vault's, so it opens
  with the same passphrase and `Vault.open_with_key(backup, vault._key)`). It reads one consistent
  snapshot (WAL readers never block the shop's writes) and is compacted. No file copy of a live vault,
  no ATTACH with an empty key, nothing plaintext ever touches the disk.
- Safe write: the output goes to a hidden `.partial` name in the destination folder, is fsynced,
  verified (read-only, with the key: the salt matches, quick_check and cipher_integrity_check pass),
  then renamed to its final name and the folder fsynced. A final name therefore always means a whole,
  verified backup; a crash leaves at most a `.partial`, removed by the next backup.
- Rotation applies to the managed folder only (`backups/` next to the vault): the newest backup of each
  of the last 7 days, 4 ISO weeks and 12 months that have one is kept (borg-style), plus the newest.
  A backup written to another folder (USB stick) is never rotated or deleted.
- Backups keep the passphrase the vault had when they were taken (a passphrase change makes a new salt).

Restore: verify the backup, copy it to a temporary name next to the vault, fsync, verify the copy, set
the current vault (and its -wal/-shm) aside under `<name>.before-restore-<time>` (never overwritten,
never deleted), rename the copy into place, open it (migrations bring an older backup up to date).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from glob import escape as glob_escape
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from . import durable, errors, integrity, kdf
from .durable import fsync_dir, fsync_file
from .jobs import Cancelled, check
from .manager import ManagerRequired, require
from .migrations import latest_version, unknown_applied
from .vault import SIDE_SUFFIXES, Vault

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
_NAME_RE = re.compile(r"^(?P<stem>.+)-backup-(?P<ts>\d{8}-\d{6})(?:-(?P<n>\d+))?\.vault$")
_PARTIAL_SUFFIX = ".partial"
_STALE_PARTIAL_SECONDS = 600
_COPY_CHUNK = 1024 * 1024
AUTO_BACKUP_EVERY = dt.timedelta(hours=24)
LAST_BACKUP_KEY = "backup.last"
_write_lock = threading.Lock()  # one backup at a time in this process (auto + manual)


class BackupFailed(errors.BoutiqueBookError):
    """A backup or restore did not complete; nothing was changed."""


class NeedsPassphrase(errors.BoutiqueBookError):
    def __init__(self, path):
        super().__init__(
            f"{Path(path).name} was taken with an earlier passphrase; enter the passphrase the vault had then.")


@dataclass(frozen=True)
class Rotation:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime      # UTC, from the name
    size: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class BackupCheck:
    path: Path
    ok: bool
    problems: list[str] = field(default_factory=list)
    schema_version: int = 0
    contacts: int = 0
    store_id: str = ""
    unknown_migrations: list = field(default_factory=list)  # [(number, name)] this code does not know


@dataclass
class RestoreResult:
    vault_path: Path
    backup: Path
    set_aside: Path | None
    contacts: int
    erasures: object = None    # core.erasure_register.ReapplyReport: erasures applied again to the restored book
    earlier_passphrase: bool = False  # the book now opens with the passphrase the backup was made with


# -- naming and listing -----------------------------------------------------------------------------
def default_backup_dir(vault_path) -> Path:
    return Path(vault_path).parent / BACKUP_DIR_NAME


def _utc(now: dt.datetime | None) -> dt.datetime:
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.astimezone(dt.timezone.utc) if now.tzinfo else now.replace(tzinfo=dt.timezone.utc)


def backup_name(stem: str, when: dt.datetime, n: int = 0) -> str:
    return f"{stem}-backup-{_utc(when):%Y%m%d-%H%M%S}{'-' + str(n) if n else ''}.vault"


def parse_name(name: str):
    match = _NAME_RE.match(name)
    if not match:
        return None
    when = dt.datetime.strptime(match.group("ts"), "%Y%m%d-%H%M%S").replace(tzinfo=dt.timezone.utc)
    return match.group("stem"), when, int(match.group("n") or 0)


def list_backups(folder, stem: str | None = None) -> list[BackupInfo]:
    """Backups in a folder, newest first (only files named like ours; `stem` picks one vault's)."""
    folder = Path(folder)
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        parsed = parse_name(entry.name)
        if not parsed or not entry.is_file() or (stem is not None and parsed[0] != stem):
            continue
        with contextlib.suppress(OSError):
            found.append((parsed[1], parsed[2], BackupInfo(Path(entry.path), parsed[1], entry.stat().st_size)))
    found.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [info for _, _, info in found]


def remember_folder(vault, folder) -> None:
    """Remember (in the vault: core.copy_places, one record) a folder a backup was written to, so `verify`
    looks there too and an erasure lists the copies there."""
    from . import copy_places

    with contextlib.suppress(sqlite.Error, errors.BoutiqueBookError, OSError):
        copy_places.remember_place(vault, folder)


def remembered_folders(conn) -> list[Path]:
    """The --to folders recorded in the vault (read on any connection, also a read-only one)."""
    from . import copy_places

    return copy_places.remembered(conn)


def newest_good_backup(path, key: bytes | None = None, passphrase: str | None = None):
    """The newest backup of this vault (in its default backups folder) that passes its own check."""
    for info in list_backups(default_backup_dir(path), stem=Path(path).stem):
        try:
            if verify_backup(info.path, key=key, passphrase=passphrase).ok:
                return info
        except errors.BoutiqueBookError:
            continue
    return None


def newest_backup(vault_path, folder=None) -> BackupInfo | None:
    backups = list_backups(folder or default_backup_dir(vault_path), stem=Path(vault_path).stem)
    return backups[0] if backups else None


# -- rotation ---------------------------------------------------------------------------------------
def plan_rotation(backups: list[BackupInfo], rotation: Rotation = Rotation(), tz=None) -> tuple[list, list]:
    """(keep, delete) for backups given newest first. Days/weeks/months are counted in local time."""
    ordered = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep: list[BackupInfo] = ordered[:1]
    rules = ((rotation.daily, lambda t: t.date()),
             (rotation.weekly, lambda t: tuple(t.isocalendar())[:2]),
             (rotation.monthly, lambda t: (t.year, t.month)))
    for count, period in rules:
        seen = set()
        for info in ordered:
            if len(seen) >= count:
                break
            key = period(info.taken_at.astimezone(tz))
            if key not in seen:
                seen.add(key)
                if info not in keep:
                    keep.append(info)
    delete = [b for b in ordered if b not in keep]
    return keep, delete


def _newest_per_passphrase(backups: list[BackupInfo]) -> list[BackupInfo]:
    """The newest backup of each passphrase generation (its salt): a forgotten new passphrase must not
    cost the last backup that the previous one opens."""
    seen, newest = set(), []
    for info in sorted(backups, key=lambda b: b.taken_at, reverse=True):
        try:
            salt = integrity.read_salt(info.path)
        except (errors.BoutiqueBookError, OSError):
            continue
        if salt not in seen:
            seen.add(salt)
            newest.append(info)
    return newest


def rotate(folder, stem: str, rotation: Rotation = Rotation(), tz=None) -> list[Path]:
    backups = list_backups(folder, stem)
    keep, delete = plan_rotation(backups, rotation, tz)
    spared = [b for b in _newest_per_passphrase(backups) if b in delete]
    keep += spared
    delete = [b for b in delete if b not in spared]
    removed = []
    for info in delete:
        try:
            info.path.unlink()
            removed.append(info.path)
        except OSError as exc:
            log.warning("could not remove an old backup: %s", exc.strerror)
    if removed:
        log.info("rotation removed %d old backup(s), kept %d", len(removed), len(keep))
    return removed


# -- writing ----------------------------------------------------------------------------------------
def _fsync(path: Path) -> None:
    """Flush a written backup to the device. Errors are reported (OSError), never swallowed: a read-back
    check that passes from the page cache proves nothing about the disk."""
    fsync_file(path)


def _is_partial(name: str) -> bool:
    """A hidden work file of a backup or restore (`.….partial`) or one of its SQLite side files."""
    if not name.startswith("."):
        return False
    return any(name.endswith(_PARTIAL_SUFFIX + side) for side in ("",) + SIDE_SUFFIXES)


def _clean_stale_partials(folder: Path, stem: str | None = None, max_age: float = _STALE_PARTIAL_SECONDS) -> list[str]:
    """Remove leftover work files of backups killed mid-way (`.partial` and its `-journal`/`-wal`/`-shm`).
    In a folder other vaults may share (a USB stick) only files older than `max_age` seconds go."""
    now = time.time()
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not _is_partial(entry.name) or "-backup-" not in entry.name:
                continue
            if stem is not None and not entry.name.startswith(f".{stem}-backup-"):
                continue
            with contextlib.suppress(OSError):
                if now - entry.stat().st_mtime >= max_age:
                    os.unlink(entry.path)
                    removed.append(entry.name)
    return removed


def clean_leftovers(vault_path) -> list[str]:
    """At the start of a writing session (the caller holds the single-writer lock, so no backup, restore or
    passphrase change of this vault is running): remove what a killed one left behind — the restore copy
    `.<name>.restoring.partial`, the passphrase change's `<name>.rekey`, and the `.partial` backups (with their
    `-journal`) in the managed backups folder; in remembered --to folders those older than 10 minutes.
    Never touches the vault itself or its -wal/-shm. Returns the names removed (for the log)."""
    vault_path = Path(vault_path)
    removed = []
    for work in (vault_path.with_name(f".{vault_path.name}.restoring{_PARTIAL_SUFFIX}"),
                 vault_path.with_name(vault_path.name + ".rekey")):
        for leftover in [work] + [Path(str(work) + side) for side in SIDE_SUFFIXES]:
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover.name)
    removed += _undo_half_set_aside(vault_path)
    removed += _clean_stale_partials(default_backup_dir(vault_path), vault_path.stem, max_age=0)
    removed += [p.name for p in durable.clean_leftovers(default_backup_dir(vault_path))]
    if removed:
        log.info("removed %d leftover work file(s) of an interrupted backup, restore or passphrase change",
                 len(removed))
    return removed


def _undo_half_set_aside(vault_path: Path) -> list[str]:
    """A restore killed after `set_aside(keep_in_place=True)` but before its copy replaced the book leaves the
    book in place with a second name (a hard link to the same file), and maybe its -wal/-shm under that name:
    the restore never happened. Give the side files back to the book and drop the second name, so the book
    is whole again and no copy that is not one waits to be purged."""
    removed = []
    for aside in vault_path.parent.glob(glob_escape(vault_path.name) + ".before-restore-*"):
        if aside.name.endswith(SIDE_SUFFIXES):
            continue
        try:
            same = vault_path.exists() and os.path.samefile(aside, vault_path)
        except OSError:
            continue
        if not same:
            continue
        for suffix in SIDE_SUFFIXES:
            side, own = Path(str(aside) + suffix), Path(str(vault_path) + suffix)
            if side.exists():
                if own.exists():
                    side.unlink()
                else:
                    os.replace(side, own)
        aside.unlink()
        fsync_dir(vault_path.parent)
        removed.append(aside.name)
    return removed


def sentence(parts) -> str:
    """Join problem texts into one clause without doubled full stops ('backup).. Nothing')."""
    return "; ".join(str(p).strip().rstrip(".") for p in parts if str(p).strip())


def _storage_error(exc: Exception, where: Path) -> BackupFailed:
    text = getattr(exc, "strerror", None) or str(exc)
    if "full" in text.lower() or getattr(exc, "errno", None) == 28:
        text = "the disk is full"
    return BackupFailed(f"The backup to {where} failed: {text}. The vault and earlier backups are unchanged.")


def key_for_backup(backup_path, *, key: bytes | None = None, vault=None, passphrase: str | None = None) -> bytes:
    """The key that opens a backup: the open vault's key when the backup has the vault's salt (same
    passphrase era), else one derived from `passphrase` with the backup's own salt."""
    salt = integrity.read_salt(Path(backup_path))
    if vault is not None and vault.path.exists():
        with contextlib.suppress(errors.BoutiqueBookError, OSError):
            if integrity.read_salt(vault.path) == salt:
                return vault._key
    if key is not None:
        return key
    if passphrase is not None:
        return kdf.derive_key(passphrase, salt)
    raise NeedsPassphrase(backup_path)


def _store_id(conn) -> str:
    with contextlib.suppress(sqlite.Error):
        row = conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
        return str(row[0]) if row else ""
    return ""


def verify_backup(path, *, key: bytes | None = None, vault=None, passphrase: str | None = None,
                  expected_salt: bytes | None = None, cancelled=None) -> BackupCheck:
    """Open a backup read-only with its key and run quick_check + cipher_integrity_check.
    Never raises for a damaged or undecryptable file: the result says what is wrong."""
    path = Path(path)
    result = BackupCheck(path, False)
    try:
        salt = integrity.read_salt(path)
        if expected_salt is not None and salt != expected_salt:
            result.problems.append("its salt differs from the vault's")
            return result
        use_key = key_for_backup(path, key=key, vault=vault, passphrase=passphrase)
        with integrity.open_readonly(path, use_key) as conn:
            problems, _, _ = integrity.check_connection(conn, full=True, cancelled=cancelled)
            if not problems:
                result.schema_version = conn.execute("PRAGMA user_version").fetchone()[0]
                result.unknown_migrations = unknown_applied(conn)
                with contextlib.suppress(sqlite.Error):
                    result.contacts = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
                result.store_id = _store_id(conn)
        # One readable clause for a person (which pages fail), not SQLite's btree wording (issue #17).
        result.problems = [integrity.IntegrityReport(path, False, problems).plain()] if problems else []
        result.ok = not problems
    except NeedsPassphrase:
        raise
    except (errors.BoutiqueBookError, sqlite.DatabaseError, OSError) as exc:
        result.problems.append(str(exc))
    return result


def create_backup(vault, dest_dir=None, *, now: dt.datetime | None = None, rotate_after: bool | None = None,
                  rotation: Rotation = Rotation(), progress=None, cancelled=None) -> BackupInfo:
    """Write a verified encrypted backup of an open vault into dest_dir (default: backups/ next to the
    vault, rotated). A job per core.jobs: progress(done, total) in bytes, Cancelled leaves nothing."""
    if integrity.is_damaged(vault):
        raise BackupFailed("The vault failed its integrity check; it is not backed up over good backups. "
                           "Restore the newest good backup.")
    managed = dest_dir is None
    dest = Path(dest_dir) if dest_dir is not None else default_backup_dir(vault.path)
    rotate_after = managed if rotate_after is None else rotate_after
    when = _utc(now)
    stem = vault.path.stem
    with _write_lock:
        try:
            dest.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _storage_error(exc, dest) from None
        if not os.access(dest, os.W_OK):
            raise BackupFailed(f"Cannot write a backup to {dest}: the folder is read-only.")
        if not managed:
            remember_folder(vault, dest)  # before the copy, so the backup itself remembers it too
        _clean_stale_partials(dest)
        durable.clean_leftovers(dest)
        n = 0
        while (dest / backup_name(stem, when, n)).exists():
            n += 1
        final = dest / backup_name(stem, when, n)
        tmp = durable.temp_path(final)  # the save path's name: a crash leftover is removed at the next open
        started = time.perf_counter()
        state = {"cancel": False}
        try:
            durable.create_private(tmp)  # 0600 before VACUUM INTO fills it (it accepts an empty file)
        except OSError as exc:
            raise _storage_error(exc, dest) from None
        conn = vault.connect()
        try:
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
            pages = int(conn.execute("PRAGMA page_count").fetchone()[0]) - int(conn.execute("PRAGMA freelist_count").fetchone()[0])
            total = max(1, page_size * pages) * 2  # the copy, then the verification read

            def handler():
                if cancelled is not None and cancelled():
                    state["cancel"] = True
                    return 1
                if progress is not None:
                    with contextlib.suppress(OSError):
                        progress(min(tmp.stat().st_size, total // 2), total)
                return 0

            conn.set_progress_handler(handler, 20000)
            check(cancelled)
            conn.execute("VACUUM INTO ?", (str(tmp),))
        except sqlite.Error as exc:
            _remove(tmp)
            if state["cancel"]:
                raise Cancelled() from None
            raise _storage_error(exc, dest) from None
        except BaseException:
            _remove(tmp)
            raise
        finally:
            conn.close()
        try:
            check(cancelled)
            _fsync(tmp)  # raises OSError (reported below) when the device refuses
            if progress:
                progress(total // 2, total)
            salt = integrity.read_salt(vault.path)
            result = verify_backup(tmp, key=vault._key, expected_salt=salt, cancelled=cancelled)
            if not result.ok:
                raise BackupFailed(f"The backup written to {dest} did not pass its check "
                                   f"({sentence(result.problems[:2])}); it was removed.")
            os.replace(tmp, final)
            fsync_dir(dest)
        except OSError as exc:
            _remove(tmp)
            raise _storage_error(exc, dest) from None
        except BaseException:
            _remove(tmp)
            raise
        info = BackupInfo(final, when, final.stat().st_size)
        log.info("backup written: %d bytes, %d contacts, %.0f ms", info.size, result.contacts,
                 (time.perf_counter() - started) * 1000)
        if rotate_after:
            rotate(dest, stem, rotation)
    _after_backup(vault, dest, managed)
    if progress:
        progress(total, total)
    return info


def _after_backup(vault, dest: Path, managed: bool) -> None:
    """Issue #18: a folder outside the managed one is remembered in the vault (erase lists the copies there);
    after a managed backup, books set aside by a restore more than 30 days ago are deleted."""
    from . import copy_places

    try:
        if managed:
            copy_places.prune_before_restore(vault.path)  # (a --to folder was remembered before the copy)
    except (errors.BoutiqueBookError, sqlite.Error, OSError) as exc:  # never fails a backup that was written
        log.warning("after-backup bookkeeping skipped: %s", type(exc).__name__)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
    for suffix in SIDE_SUFFIXES:
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()


# -- automatic backups ------------------------------------------------------------------------------
def _change_marker(vault) -> list[int]:
    """Cheap fingerprint of 'has anything been saved since': the newest change-log and audit ids."""
    marker = []
    for table in ("change_log", "audit_log"):
        try:
            marker.append(int(vault.scalar(f"SELECT coalesce(max(id), 0) FROM {table}") or 0))
        except sqlite.Error:
            marker.append(0)
    return marker


def maybe_auto_backup(vault, now: dt.datetime | None = None, *, on_close: bool = False, progress=None,
                      cancelled=None) -> BackupInfo | None:
    """The automatic backup into backups/ next to the vault. Returns the new backup or None when none
    was needed. While open: at most once every 24 h, and only if something was saved since the last
    one. On close (`on_close=True`): whenever something was saved since the last backup.
    Raises BackupFailed (a one-line reason) when a backup was due and could not be written."""
    from . import settings

    if integrity.is_damaged(vault) or not vault.is_open:
        return None
    when = _utc(now)
    marker = _change_marker(vault)
    last = settings.get(vault, LAST_BACKUP_KEY) or {}
    newest = newest_backup(vault.path)
    changed = newest is None or last.get("marker") != marker
    if not changed:
        return None
    if not on_close and newest is not None and when - newest.taken_at < AUTO_BACKUP_EVERY:
        return None
    info = create_backup(vault, now=when, progress=progress, cancelled=cancelled)
    with contextlib.suppress(sqlite.Error, errors.BoutiqueBookError):
        settings.put(vault, LAST_BACKUP_KEY, {"at": when.isoformat(timespec="seconds"), "marker": marker})
    return info


# -- restore ----------------------------------------------------------------------------------------
def _copy(src: Path, dst: Path, progress, cancelled) -> None:
    total = src.stat().st_size
    done = 0
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), durable.PRIVATE_MODE)
    with open(src, "rb") as fin, os.fdopen(fd, "wb") as fout:
        while True:
            check(cancelled)
            chunk = fin.read(_COPY_CHUNK)
            if not chunk:
                break
            fout.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        fout.flush()
        os.fsync(fout.fileno())


def set_aside(vault_path, now: dt.datetime | None = None, keep_in_place: bool = False) -> Path | None:
    """Rename the vault (and its -wal/-shm/-journal, which belong to it) out of the way, never over an
    existing file. Returns the new name, or None when there was no vault. `keep_in_place` (restore): the main
    file gets its new name as a hard link and stays under its own name until the restored copy atomically
    replaces it, so a kill -9 in between never leaves the book missing (where links are not supported,
    a rename, and `finish_interrupted_restore` completes the job at the next start)."""
    vault_path = Path(vault_path)
    if not vault_path.exists():
        return None
    stamp = _utc(now).astimezone().strftime("%Y%m%d-%H%M%S")
    n = 0
    while True:
        aside = vault_path.with_name(f"{vault_path.name}.before-restore-{stamp}{'-' + str(n) if n else ''}")
        if not aside.exists() and not any(Path(str(aside) + s).exists() for s in SIDE_SUFFIXES):
            break
        n += 1
    # The -wal first: a crash in between leaves a main file without its WAL only under the new name,
    # and SQLite treats a WAL without main file as absent, so the set-aside pair is whole once both moved.
    for suffix in SIDE_SUFFIXES:
        side = Path(str(vault_path) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    if keep_in_place:
        try:
            os.link(vault_path, aside)
            fsync_dir(vault_path.parent)
            return aside
        except OSError:
            pass
    os.replace(vault_path, aside)
    fsync_dir(vault_path.parent)
    return aside


def finish_interrupted_restore(vault_path) -> bool:
    """A restore killed between setting the book aside and renaming its verified copy into place (only
    possible where hard links are not supported) leaves no book and a `.restoring.partial` copy that had
    passed its check: put the copy in place. Returns True when it did."""
    vault_path = Path(vault_path)
    partial = vault_path.with_name(f".{vault_path.name}.restoring{_PARTIAL_SUFFIX}")
    if vault_path.exists() or not partial.exists() or not list(vault_path.parent.glob(
            glob_escape(vault_path.name) + ".before-restore-*")):
        return False
    os.replace(partial, vault_path)
    fsync_dir(vault_path.parent)
    log.warning("an interrupted restore was completed")
    return True


def _live_is_healthy(target: Path, backup_path: Path, key: bytes, passphrase: str | None) -> bool:
    """Does the (closed) vault at target pass its check? A file whose header cannot be read, or that fails
    its check with the key of this passphrase, counts as damaged; one we have no key for counts as healthy."""
    try:
        salt = integrity.read_salt(target)
    except (errors.BoutiqueBookError, OSError):
        return False
    if salt == integrity.read_salt(backup_path):
        live_key = key
    elif passphrase is not None:
        live_key = kdf.derive_key(passphrase, salt)
    else:
        return True
    try:
        return integrity.check_file(target, live_key, full=False).ok
    except errors.WrongPassphrase:
        return True  # another passphrase's book: not ours to call damaged
    except (errors.BoutiqueBookError, sqlite.DatabaseError, OSError):
        return False


def _check_restore_allowed(target: Path, backup_path: Path, vault, session, key: bytes,
                           passphrase: str | None) -> None:
    """Replacing a healthy book by an older copy is a manager act (it brings back what was changed or
    erased since, and replaces the audit history): it needs a ManagerSession. Without one, a restore is
    allowed only as a recovery: when there is no book at target, or the book is damaged (the open vault
    was found damaged, or the closed file fails its check) -- the counter's "restore the newest good
    backup" at unlock. Nothing is gained by it: whoever holds a backup and its passphrase can read it anyway."""
    if session is not None:
        require(session, vault)
        return
    if vault is not None:
        if integrity.is_damaged(vault):
            return
        raise ManagerRequired()
    if target.exists() and _live_is_healthy(target, backup_path, key, passphrase):
        raise ManagerRequired()


AFTER_RESTORE: list = []  # hooks(vault, backup_path) run on the restored vault before it is handed back


def _check_restorable(checked: BackupCheck, target: Path, vault, key: bytes, passphrase, other_book: bool) -> None:
    """Refuse (nothing changed) a backup written by a newer version or, unless confirmed, of another book."""
    if checked.unknown_migrations or checked.schema_version > latest_version():
        raise BackupFailed(
            f"{checked.path.name} was made by a newer Boutique Book (schema {checked.schema_version}, this version "
            f"knows {latest_version()}): update the app before restoring it. Nothing was changed.")
    if other_book:
        return
    live = ""
    if vault is not None and vault.conn is not None:
        live = _store_id(vault.conn)
    elif target.exists():
        with contextlib.suppress(errors.BoutiqueBookError, sqlite.Error, OSError, ValueError):
            salt = integrity.read_salt(target)
            live_key = key if salt == integrity.read_salt(checked.path) else (
                kdf.derive_key(passphrase, salt) if passphrase is not None else None)
            if live_key is not None:
                with integrity.open_readonly(target, live_key) as conn:
                    live = _store_id(conn)
    if live and checked.store_id and live != checked.store_id:
        raise BackupFailed(
            f"{checked.path.name} is a backup of another book, not of {target.name}. Nothing was changed; "
            "if you really mean to replace this book by that one, confirm it (restore --other-book).")


def restore(backup_path, vault_path=None, *, vault=None, key: bytes | None = None, passphrase: str | None = None,
            now: dt.datetime | None = None, progress=None, cancelled=None, session=None,
            other_book: bool = False, live_passphrase: str | None = None) -> RestoreResult:
    """Replace the vault by a verified copy of a backup; the current vault is set aside, not overwritten.

    Either pass an open `vault` (the app: it is closed, and reopened in place on the restored file, so
    every screen keeps working with the same Vault object) or `vault_path` (the CLI: the vault is not
    open; the caller holds the instance lock). The key: the open vault's when the salts match, else
    `key`, else derived from `passphrase` (the passphrase the vault had when the backup was taken).
    `session`: a ManagerSession, required unless this is a recovery (see _check_restore_allowed).
    `live_passphrase`: the passphrase of the book being replaced when it differs from the backup's (a backup of
    an earlier passphrase generation, CLI): the live book's health, store id and erasure register are read with
    it. Without it, an erased person came back with such a backup (the live register could not be read) and a
    damaged live book counted as healthy (issue #17 audit).

    Before the live file is touched, the backup is checked fully (quick_check + cipher_integrity_check),
    must not come from a newer version (a migration this code does not know) and must be a backup of this
    book (same store id) unless `other_book=True` (the person confirmed). Each hook in AFTER_RESTORE is then
    called with the reopened Vault (e.g. to re-apply erasures made since the backup was taken)."""
    backup_path = Path(backup_path)
    target = Path(vault.path if vault is not None else vault_path)
    if backup_path.resolve() == target.resolve():
        raise BackupFailed("Choose a backup file, not the vault itself.")
    use_key = key_for_backup(backup_path, key=key, vault=vault, passphrase=passphrase)
    live_pass = live_passphrase if live_passphrase is not None else passphrase
    _check_restore_allowed(target, backup_path, vault, session, use_key, live_pass)
    checked = verify_backup(backup_path, key=use_key, cancelled=cancelled)
    if not checked.ok:
        raise BackupFailed(f"{backup_path.name} cannot be restored: {sentence(checked.problems[:2])}. "
                           "Nothing was changed; choose another backup.")
    _check_restorable(checked, target, vault, use_key, live_pass, other_book)
    earlier = False
    with contextlib.suppress(errors.BoutiqueBookError, OSError):
        earlier = target.exists() and integrity.read_salt(target) != integrity.read_salt(backup_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restoring{_PARTIAL_SUFFIX}")
    _remove(tmp)
    try:
        _copy(backup_path, tmp, progress, cancelled)
        copy_check = verify_backup(tmp, key=use_key, cancelled=cancelled)
        if not copy_check.ok:
            raise BackupFailed(f"The copy of {backup_path.name} next to the vault did not pass its check "
                               f"({sentence(copy_check.problems[:2])}); nothing was changed.")
        check(cancelled)
    except OSError as exc:
        _remove(tmp)
        raise _storage_error(exc, target.parent) from None
    except BaseException:
        _remove(tmp)
        raise
    register = _register_snapshot(target, backup_path, vault, use_key, live_pass)
    # Point of no return: from here on the job is not cancellable.
    lock = vault._lock if vault is not None else contextlib.nullcontext()
    with lock:
        if vault is not None and vault.conn is None:
            # The book was closed (locked, quit) while the backup was being copied: its single-writer lock is gone,
            # so the live file is not ours to swap any more. Nothing was changed.
            _remove(tmp)
            raise Cancelled()
        if vault is not None and vault.conn is not None:
            if not integrity.is_damaged(vault):
                with contextlib.suppress(sqlite.Error):
                    vault.checkpoint()
            vault.conn.close()
            vault.conn = None
        aside = None
        try:
            aside = set_aside(target, now, keep_in_place=True)
            os.replace(tmp, target)
            fsync_dir(target.parent)
        except OSError as exc:
            if aside is not None and not target.exists():
                with contextlib.suppress(OSError):
                    os.replace(aside, target)
            _remove(tmp)
            if vault is not None:
                with contextlib.suppress(errors.BoutiqueBookError):
                    vault.conn = Vault.open_with_key(target, vault._key).conn
            raise _storage_error(exc, target.parent) from None
        try:
            reopened = Vault.open_with_key(target, use_key)  # applies migrations to an older backup
        except errors.BoutiqueBookError:
            # Put the previous vault back: the restored copy is only a copy of the backup, which stays.
            with contextlib.suppress(OSError):
                _remove(target)
                if aside is not None:
                    for suffix in SIDE_SUFFIXES:
                        side = Path(str(aside) + suffix)
                        if side.exists():
                            os.replace(side, Path(str(target) + suffix))
                    os.replace(aside, target)
                fsync_dir(target.parent)
            if vault is not None:
                with contextlib.suppress(errors.BoutiqueBookError):
                    vault.conn = Vault.open_with_key(target, vault._key).conn
            raise
        for hook in AFTER_RESTORE:
            hook(reopened, backup_path)
        if vault is not None:
            vault.conn = reopened.conn
            vault._key = use_key
            vault.damaged = False
        # Still under the lock: the erasures made since the backup are made again before anyone can close the book.
        erasures = _reapply_erasures(vault if vault is not None else reopened, register)
    if vault is None:
        reopened.close()
    log.info("restored a backup (%d contacts); previous vault set aside", checked.contacts)
    return RestoreResult(target, backup_path, aside, checked.contacts, erasures, earlier)


def _register_snapshot(target: Path, backup_path: Path, vault, key: bytes, passphrase: str | None):
    """The erasure register to carry into the restored book (core.erasure_register), read-only: the register
    of the book about to be replaced, merged with the registers inside the other copies of this book the
    app knows (the managed backups beside it, the books set aside by earlier restores, the remembered
    `backup --to` folders) that the same key opens. So a book that is missing or damaged (a restore the
    counter may do without the manager) does not let an older backup bring erased people back while a
    later backup still remembers the erasure (session 4 audit)."""
    from . import copy_places as copy_places_lib, erasure_register

    snap = _live_register(target, backup_path, vault, key, passphrase)
    live_keys = {}  # copies made with the live book's passphrase (a later generation than the backup's)
    with contextlib.suppress(errors.BoutiqueBookError, OSError):
        live_salt = integrity.read_salt(target)
        if vault is not None and vault.conn is not None:
            live_keys[live_salt] = vault._key
        elif passphrase is not None and live_salt != integrity.read_salt(backup_path):
            live_keys[live_salt] = kdf.derive_key(passphrase, live_salt)
    sources = [info.path for info in list_backups(default_backup_dir(target), stem=target.stem)]
    sources += copy_places_lib.before_restore_files(target)
    for place in snap.places:
        sources += [info.path for info in list_backups(Path(place), stem=target.stem)]
    seen = {str(Path(backup_path).resolve())}
    for path in sources:
        if str(Path(path).resolve()) in seen:
            continue
        seen.add(str(Path(path).resolve()))
        try:
            salt = integrity.read_salt(path)
            copy_key = key if salt == integrity.read_salt(backup_path) else live_keys.get(salt)
            if copy_key is None:
                continue
            with integrity.open_readonly(path, copy_key) as conn:
                snap = erasure_register.combine(snap, erasure_register.snapshot(conn))
        except Exception:  # not readable with this key, damaged: its register cannot help
            continue
    return snap


def _live_register(target: Path, backup_path: Path, vault, key: bytes, passphrase: str | None):
    """The register of the book about to be replaced; an empty one when that book is missing or unreadable."""
    from . import erasure_register

    if vault is not None and vault.conn is not None:
        return erasure_register.snapshot(vault.conn)
    if not target.exists():
        return erasure_register.Snapshot(None)
    try:
        salt = integrity.read_salt(target)
        live_key = key if salt == integrity.read_salt(backup_path) else (
            kdf.derive_key(passphrase, salt) if passphrase is not None else None)
        if live_key is None:
            return erasure_register.Snapshot(None)
        with integrity.open_readonly(target, live_key) as conn:
            return erasure_register.snapshot(conn)
    except (errors.BoutiqueBookError, sqlite.Error, OSError):
        return erasure_register.Snapshot(None)


def _reapply_erasures(vault, register):
    """The hook every restore runs on the book it brought back: erasures made since the backup are made
    again (core.privacy.reapply_erasures). Returns its report."""
    from .privacy import reapply_erasures

    return reapply_erasures(vault, register)
