"""The one way the app and the CLI open a vault (docs/safety.md, "Opening a vault").

`open_book(path, passphrase, write=True)` does, in this order:
1. reads the 16-byte header: a truncated file, plaintext SQLite or key-derivation settings out of bounds are
   refused here, before any key is derived (core.vault.read_salt, core.kdf bounds);
2. a writer takes the single-writer lock (core.instance_lock) — a second writer gets VaultInUse at once —
   and removes what a killed backup/restore/passphrase change left behind (backup.clean_leftovers);
3. derives the key and checks the file on a read-only connection BEFORE anything can write to it. The check
   is kept cheap with a *state stamp*: after a full check passed, or when a writing session that started
   from a checked state closes cleanly (WAL checkpointed and gone), `<vault>.checked` records an HMAC (keyed
   with the vault key) of the file's size, mtime, ctime and inode. A writer whose stamp still matches the file
   (and no non-empty -wal) skips the check; anything else — a crash (the stamp is removed when a writer
   opens), another program writing the file, a copied file, a flipped byte written by any program — costs one
   full check (quick_check + cipher_integrity_check). The app may defer the slow half of that check to the
   background (`background_checks=True`; the stamp is then written only once it passed);
4. opens normally: a vault that records a migration this code does not know is refused (VaultTooNew); when
   migrations are pending, a verified backup of the vault as it is goes into backups/ first, then each
   migration runs in its own transaction (MigrationFailed names the step and says the vault is unchanged);
5. a reader (write=False) takes no lock and no check (SQLCipher still verifies the HMAC of every page it
   reads) and gets a query_only connection: it cannot write, so it cannot spread damage.

What the stamp does not see: media decay under an unchanged file (same size and times). SQLCipher's page
HMACs catch it on every page read, the app's weekly background check and `boutique-book verify` on every page.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from . import backup, errors, formatting, integrity, kdf, walcheck
from .instance_lock import InstanceLock, is_locked
from .migrations import MigrationError, apply_migrations, has_migrations_table, pending
from .vault import Vault, read_salt

log = logging.getLogger(__name__)

STAMP_SUFFIX = ".checked"


# -- damaged: name the newest good backup ------------------------------------------------------------
def damaged_error(path, detail: str, key: bytes | None = None, passphrase: str | None = None):
    good = backup.newest_good_backup(path, key=key, passphrase=passphrase)
    if good is not None:
        detail += f" — newest good backup: {good.path} ({formatting.list_datetime(good.taken_at)})"
    else:
        detail += " — no good backup found next to the vault"
    return errors.VaultDamaged(path, detail)


# -- the state stamp ---------------------------------------------------------------------------------
def stamp_path(vault_path) -> Path:
    vault_path = Path(vault_path)
    return vault_path.with_name(vault_path.name + STAMP_SUFFIX)


def _file_state(vault_path: Path) -> str | None:
    """The main file's state, or None when a -wal with content exists (then the file alone is not the vault)."""
    wal = Path(str(vault_path) + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return None
        st = vault_path.stat()
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _stamp_mac(key: bytes, state: str) -> str:
    stamp_key = hashlib.sha256(b"boutique-book state stamp\x00" + key).digest()
    return hmac.new(stamp_key, state.encode("ascii"), hashlib.sha256).hexdigest()


def write_stamp(vault_path, key: bytes) -> bool:
    """Record that the file as it is now passed its check (or was written only by a checked session)."""
    vault_path = Path(vault_path)
    state = _file_state(vault_path)
    if state is None:
        return False
    target = stamp_path(vault_path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            json.dump({"v": 1, "mac": _stamp_mac(key, state)}, fh)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False  # no stamp only means a full check next time
    return True


def stamp_matches(vault_path, key: bytes) -> bool:
    vault_path = Path(vault_path)
    state = _file_state(vault_path)
    if state is None:
        return False
    try:
        record = json.loads(stamp_path(vault_path).read_text(encoding="ascii"))
        return hmac.compare_digest(str(record.get("mac", "")), _stamp_mac(key, state))
    except (OSError, ValueError, AttributeError):
        return False


def remove_stamp(vault_path) -> None:
    with contextlib.suppress(OSError):
        stamp_path(vault_path).unlink()


def _stamp_on_close(vault) -> None:
    if getattr(vault, "state_verified", False) and not integrity.is_damaged(vault):
        write_stamp(vault.path, vault._key)


# -- opening -----------------------------------------------------------------------------------------
def open_book(path, passphrase: str | None = None, *, key: bytes | None = None, write: bool = True,
              background_checks: bool = False, full: bool | None = None, migrate: bool = True,
              backup_before_migrating: bool = True, held_lock: InstanceLock | None = None) -> Vault:
    """Open a vault for the app or a CLI command (see the module docstring). `full=True` forces the full
    check even when the stamp matches; `background_checks` lets the app defer the slow half of a check.
    `held_lock`: the caller already holds the single-writer lock (e.g. restore) and keeps it after close."""
    path = Path(path)
    if write and not path.exists() and path.with_name(f".{path.name}.restoring.partial").exists():
        with InstanceLock(path):
            backup.finish_interrupted_restore(path)
    salt = read_salt(path)  # bounds and truncation before any derivation
    if held_lock is not None and not held_lock.held:
        raise ValueError("held_lock must be held")
    lock = None if held_lock is not None or not write else InstanceLock(path).acquire()
    try:
        if write:
            backup.clean_leftovers(path)
        if write or not is_locked(path):  # with a live writer elsewhere, the -wal is its work in progress
            check_wal(path)
        if key is None:
            key = kdf.derive_key(passphrase, salt)
        vault = _open_locked(path, key, passphrase, write=write, background_checks=background_checks, full=full,
                             migrate=migrate, backup_before_migrating=backup_before_migrating, lock=lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return vault


def check_wal(path: Path) -> None:
    """Refuse (before any read-write connection could replay and then checkpoint it) a -wal whose saved
    changes cannot all be read back (core.walcheck)."""
    state = walcheck.inspect(Path(str(path) + "-wal"))
    if state is not None and state.damaged:
        log.info("the -wal file is damaged: %d committed frame(s) beyond the break", state.lost_commits)
        raise errors.VaultDamaged(
            path, f"its -wal file is damaged: {state.lost_commits} saved change(s) after the damaged spot "
                  "cannot be read back. Both files were left exactly as they are (keep them for help)")


def _check(path: Path, key: bytes, passphrase, *, quick: bool, cipher: bool):
    try:
        report = integrity.check_file(path, key, full=cipher, quick=quick)
    except errors.WrongPassphrase:
        raise
    except sqlite.DatabaseError as exc:
        raise damaged_error(path, str(exc), key, passphrase) from None
    if not report.ok:
        log.info("vault failed its open check (%d problem(s)): %s", len(report.problems), report.summary())
        raise damaged_error(path, report.plain(), key, passphrase)
    log.info("open check ok (quick %.0f ms, cipher %.0f ms)", report.quick_ms, report.cipher_ms)
    return report


def _open_locked(path: Path, key: bytes, passphrase, *, write, background_checks, full, migrate,
                 backup_before_migrating, lock) -> Vault:
    report = None
    deferred: tuple[str, ...] = ()
    if write:
        integrity.roll_back_hot_journal(path, key)  # before any read-only reader meets it
        if full is not True and stamp_matches(path, key):
            log.info("open check skipped: the file is as a checked session left it")
        else:
            if background_checks and full is None:
                quick, cipher = integrity.open_check_plan(path)
            else:
                quick, cipher = True, True
            report = _check(path, key, passphrase, quick=quick, cipher=cipher)
            deferred = tuple(name for name, done in (("quick", quick), ("cipher", cipher)) if not done)
        remove_stamp(path)  # until this session closes cleanly, a crash must cost a full check
    vault = Vault.open_with_key(path, key, migrate=False)
    try:
        todo = pending(vault.conn) if migrate else []
        if todo and not write:
            raise errors.VaultError(  # a reader never writes: the app or any writing command updates it first
                f"{path} needs updating to this version of Boutique Book; open it in the app (or run a command "
                "that changes it, e.g. 'boutique-book backup') first.")
        if todo:
            _migrate(vault, passphrase, backup_before_migrating)
        elif write and migrate and not has_migrations_table(vault.conn):
            apply_migrations(vault.conn)  # a vault from before the table: record what it has, change nothing else
        if not write:
            vault.conn.execute("PRAGMA query_only = ON")
    except BaseException:
        vault.close()
        raise
    vault.instance_lock = lock
    vault.last_check = report
    vault.deferred_checks = deferred
    vault.state_verified = write and not deferred
    if write:
        vault.close_hooks.append(_stamp_on_close)
    return vault


def _migrate(vault: Vault, passphrase, backup_before: bool) -> None:
    fresh = not vault.scalar("SELECT count(*) FROM sqlite_master WHERE type='table'")
    taken = None
    if backup_before and not fresh:
        try:
            taken = backup.create_backup(vault)
        except backup.BackupFailed as exc:
            raise errors.VaultError(f"{vault.path} was not updated to this version: the backup that must come "
                                    f"first failed ({backup.sentence([exc])}). Nothing was changed.") from None
        log.info("backup before migrating written")
    try:
        apply_migrations(vault.conn)
    except MigrationError as exc:
        log.info("migration %d failed", exc.migration.version)
        raise errors.MigrationFailed(vault.path, exc.migration.version, exc.migration.name, exc.detail,
                                     taken.path if taken else None) from None


def create_book(path, passphrase: str, kdf_params: kdf.KdfParams | None = None) -> Vault:
    """A new vault, created and returned under the single-writer lock (like open_book(write=True))."""
    path = Path(path)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(path).acquire()
    try:
        vault = Vault.create(path, passphrase, kdf_params)
    except BaseException:
        lock.release()
        raise
    vault.instance_lock = lock
    vault.state_verified = True
    vault.close_hooks.append(_stamp_on_close)
    return vault


def mark_verified(vault) -> None:
    """The app's deferred background check passed: this session may leave a stamp when it closes."""
    vault.state_verified = True


# -- older names (the app's unlock used integrity.open_checked) -------------------------------------
def open_checked(path, passphrase: str, *, full: bool | None = None, migrate: bool = True) -> Vault:
    """The app's open: a writer with the foreground/background check split (see open_book)."""
    return open_book(path, passphrase, write=True, background_checks=True, full=full, migrate=migrate)


def open_checked_with_key(path, key: bytes, *, full: bool | None = None, migrate: bool = True,
                          passphrase: str | None = None) -> Vault:
    return open_book(path, passphrase, key=key, write=True, background_checks=True, full=full, migrate=migrate)
