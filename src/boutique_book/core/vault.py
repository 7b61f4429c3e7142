"""The one place that opens a vault: key, pragmas, migrations.

Storage decisions (see docs/storage.md):
- Argon2id raw key (core.kdf); the KDF descriptor lives in the file's own salt.
- WAL journal with synchronous=FULL: readers (search as you type, background jobs) never block the
  writer, and a committed transaction survives a power cut. Erasure checkpoints with TRUNCATE so
  deleted pages do not linger in the -wal file.
- temp_store=MEMORY (sorts and temp indexes never hit disk in plaintext), secure_delete=ON.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from . import errors, kdf, page_problems
from . import durable
from .durable import fsync_dir as _fsync_dir, fsync_file as _fsync_file
from .migrations import MigrationError, apply_migrations, latest_version, unknown_applied
from ..translation import _

log = logging.getLogger(__name__)

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA busy_timeout = 5000",
)


def default_vault_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("BoutiqueBook", appauthor=False)) / "boutique.vault"


def _raw_connect(path: Path, key_literal: str):
    conn = sqlite.connect(str(path), isolation_level=None, check_same_thread=False)
    # SQLCipher prints "hmac check failed" lines to stderr on a wrong key; the app speaks instead.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{key_literal}"')
    return conn


def first_read_error(path: Path, exc: Exception, key: bytes | None = None) -> Exception:
    """What a failed first read of a freshly keyed connection means, as the error a person sees.

    Only SQLITE_NOTADB ("file is not a database": page 1 fails its HMAC) means the key does not fit. A full
    disk (the -shm/-wal cannot be made), a removed drive or a lock is said as such, never as a wrong
    passphrase; SQLITE_CORRUPT means page 1 DID decrypt (so the passphrase is right) but the pages it leads
    to are missing or damaged: a file cut short at a page boundary, or a damaged page (issue #17, problem 6)."""
    path = Path(path)
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    msg = str(exc).lower()
    if name == "SQLITE_FULL" or "disk is full" in msg or "no space" in msg:
        return errors.DiskFull(path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in msg or "busy" in msg:
        return errors.VaultBusy(path)
    if (name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY")) or "disk i/o" in msg
            or "unable to open" in msg or "readonly" in msg or "read-only" in msg):
        log.info("open failed before the first read: %s", name or type(exc).__name__)
        if _nearly_full(path.parent):
            return errors.DiskFull(path)
        return errors.StorageFailed(path, "the disk could not be written (is it full, read-only or removed?)")
    if name.startswith("SQLITE_CORRUPT") or "malformed" in msg:
        return _damaged_after_first_page(path, key)
    return errors.WrongPassphrase(path)


def _nearly_full(folder: Path) -> bool:
    """Less room than SQLite needs for the -shm (32 kB) and a few -wal pages."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < 256 * 1024
    except OSError:
        return False


def _damaged_after_first_page(path: Path, key: bytes | None) -> Exception:
    """Page 1 decrypted with this key but the file does not read as a whole book. A file cut short at a page
    boundary passes read_salt's whole-pages test; it is told from a damaged page by SQLCipher's page seals:
    when every page that is there still matches its HMAC, what is wrong is pages that are not there."""
    size = path.stat().st_size if path.exists() else 0
    pages = size // PAGE_SIZE
    if key is not None:
        conn = None
        try:
            conn = sqlite.connect(f"file:{path.as_posix()}?mode=ro", uri=True, isolation_level=None,
                                  check_same_thread=False)
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f'PRAGMA key = "{kdf.key_pragma_value(key)}"')
            failing = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
            if not failing:
                return errors.VaultTruncated(path, size, pages=pages)
            return errors.VaultDamaged(path, page_problems.in_plain_words(failing))
        except sqlite.Error:
            pass
        finally:
            if conn is not None:
                conn.close()
    return errors.VaultDamaged(path, "the passphrase is right, but the pages its first page leads to are "
                                     "missing or damaged")


def _configure(conn) -> None:
    for pragma in PRAGMAS:
        conn.execute(pragma)


def side_files(path: Path) -> set[Path]:
    return {Path(str(path) + s) for s in SIDE_SUFFIXES if Path(str(path) + s).exists()}


PAGE_SIZE = 4096  # SQLCipher 4's cipher_page_size, never changed by this app


def read_salt(path: Path) -> bytes:
    """The file's 16-byte SQLCipher salt (which carries the KDF descriptor), checked before any key is derived:
    refuses plaintext SQLite, a truncated file (not a whole number of pages) and KDF parameters out of bounds."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(kdf.SALT_SIZE)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        raise errors.VaultMissing(path) from None
    except IsADirectoryError:
        raise errors.NotAVault(path, "it is a folder") from None
    except PermissionError:
        raise errors.VaultNotWritable(path, "permission denied") from None
    if head == SQLITE_PLAIN_HEADER:
        raise errors.NotAVault(path, "it is an unencrypted SQLite file")
    if size == 0:
        raise errors.NotAVault(path, "the file is empty")
    if len(head) < kdf.SALT_SIZE or (kdf.has_descriptor(head) and size % PAGE_SIZE):
        raise errors.VaultTruncated(path, size)
    if not kdf.has_descriptor(head):
        raise errors.NotAVault(path)
    if kdf.KdfParams.from_salt(head) is None:
        raise errors.VaultDamaged(path, "its header is damaged (the key settings it gives are out of range, "
                                        "so no key was derived)")
    return head


def _make_private(path: Path) -> None:
    """The vault and its -wal/-shm are 0600 (older vaults were created 0644), and a save interrupted by
    a crash in its folder leaves no temporary file behind (core.durable)."""
    for candidate in (path, *(Path(str(path) + s) for s in SIDE_SUFFIXES)):
        durable.tighten(candidate)
    durable.clean_leftovers(path.parent)


def check_not_newer(conn, path) -> None:
    """Refuse a vault that records a migration this code does not know (written by a newer version)."""
    unknown = unknown_applied(conn)
    if unknown:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        raise errors.VaultTooNew(path, max(version, unknown[-1][0]), latest_version())


GENERATIONS_KEY = "passphrase.generations"


def generations(conn) -> list[dict]:
    """[{"n": 1, "salt": hex, "from": iso}, ...] oldest first; empty when the passphrase was never changed."""
    import json

    try:
        row = conn.execute("SELECT value FROM settings WHERE key=?", (GENERATIONS_KEY,)).fetchone()
        return list(json.loads(row[0])) if row else []
    except (sqlite.Error, ValueError, TypeError):
        return []


def record_generation(conn, old_salt: bytes, new_salt: bytes) -> int:
    """Record new_salt as the next passphrase generation (old_salt becomes generation 1 when none was
    recorded). Returns the new generation's number. Runs inside the caller's transaction."""
    import datetime as dt
    import json

    gens = generations(conn)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    if not any(g.get("salt") == old_salt.hex() for g in gens):
        gens.append({"n": len(gens) + 1, "salt": old_salt.hex(), "from": ""})
    gens.append({"n": max(g["n"] for g in gens) + 1, "salt": new_salt.hex(), "from": now})
    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?,?)",
                 (GENERATIONS_KEY, json.dumps(gens, sort_keys=True)))
    return gens[-1]["n"]


class Vault:
    """An open vault. Holds the derived key (not the passphrase) so that worker threads and backups
    can open their own connections without a second key derivation."""

    def __init__(self, path: Path, key: bytes, conn):
        self.path = Path(path)
        self._key = key
        self.conn = conn
        self._tx_depth = 0
        self._lock = threading.RLock()
        self.kdf_ms = 0.0
        self.instance_lock = None   # the single-writer lock when opened for writing (core.opening)
        self.close_hooks: list = []  # called with the vault after the connection closed, before the key is wiped

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path, passphrase: str, kdf_params: kdf.KdfParams | None = None) -> "Vault":
        path = Path(path)
        if not passphrase:
            raise errors.ValidationError(_("The passphrase cannot be empty."), field="passphrase")
        if path.exists():
            raise errors.VaultExists(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise errors.VaultNotWritable(path, exc.strerror or str(exc)) from None
        if not os.access(path.parent, os.W_OK):
            raise errors.VaultNotWritable(path)
        salt = kdf.new_salt(kdf_params or kdf.KdfParams.default())
        key = kdf.derive_key(passphrase, salt)
        try:
            # 0600 from the first byte; SQLite gives the -wal and -shm the main file's mode.
            durable.create_private(path)
        except FileExistsError:
            raise errors.VaultExists(path) from None
        except OSError as exc:
            raise errors.VaultNotWritable(path, exc.strerror or str(exc)) from None
        try:
            conn = _raw_connect(path, kdf.key_pragma_value(key, salt))
            _configure(conn)
            apply_migrations(conn)
        except sqlite.Error as exc:
            for leftover in {path} | side_files(path):
                leftover.unlink(missing_ok=True)
            raise errors.VaultNotWritable(path, str(exc)) from None
        log.info("vault created")
        return cls(path, key, conn)

    @classmethod
    def open(cls, path, passphrase: str, *, migrate: bool = True) -> "Vault":
        path = Path(path)
        salt = read_salt(path)
        started = time.perf_counter()
        key = kdf.derive_key(passphrase, salt)
        kdf_ms = (time.perf_counter() - started) * 1000
        vault = cls.open_with_key(path, key, migrate=migrate)
        vault.kdf_ms = kdf_ms
        return vault

    @classmethod
    def open_with_key(cls, path, key: bytes, *, migrate: bool = True) -> "Vault":
        path = Path(path)
        read_salt(path)
        _make_private(path)
        before = side_files(path)
        conn = _raw_connect(path, kdf.key_pragma_value(key))
        try:
            # A wrong key only shows on the first read; verify before any pragma can write.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite.DatabaseError as exc:
            conn.close()
            for created in side_files(path) - before:
                created.unlink(missing_ok=True)
            raise first_read_error(path, exc, key) from None
        try:
            _configure(conn)
            check_not_newer(conn, path)
            if migrate:
                apply_migrations(conn)
        except MigrationError as exc:
            conn.close()
            raise errors.MigrationFailed(path, exc.migration.version, exc.migration.name, exc.detail) from None
        except sqlite.OperationalError as exc:
            conn.close()
            msg = str(exc)
            if "database is locked" in msg or "database is busy" in msg:
                raise errors.VaultBusy(path) from None
            if "readonly" in msg or "unable to open" in msg or "read-only" in msg:
                raise errors.VaultNotWritable(path) from None
            raise errors.VaultDamaged(path, msg) from None
        except sqlite.DatabaseError as exc:
            conn.close()
            raise errors.VaultDamaged(path, str(exc)) from None
        except errors.VaultError:
            conn.close()
            raise
        return cls(path, key, conn)

    def connect(self):
        """A fresh connection to the same vault (for a worker thread)."""
        conn = _raw_connect(self.path, kdf.key_pragma_value(self._key))
        _configure(conn)
        return conn

    def reopen(self) -> "Vault":
        return Vault.open_with_key(self.path, self._key)

    # -- transactions --------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT; nested use joins the outer transaction."""
        with self._lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield self.conn
                finally:
                    self._tx_depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite.OperationalError as exc:
                raise (self._storage_error(exc) or exc) from None
            self._tx_depth = 1
            try:
                yield self.conn
            except BaseException as exc:
                self._tx_depth = 0
                if self.conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O error)
                    self.conn.execute("ROLLBACK")
                storage = self._storage_error(exc) if isinstance(exc, sqlite.OperationalError) else None
                if storage is not None:
                    raise storage from None
                raise
            else:
                self._tx_depth = 0
                try:
                    self.conn.execute("COMMIT")
                except sqlite.OperationalError as exc:
                    with contextlib.suppress(sqlite.Error):
                        if self.conn.in_transaction:
                            self.conn.execute("ROLLBACK")
                    raise (self._storage_error(exc) or exc) from None

    def _storage_error(self, exc) -> errors.VaultError | None:
        """A clear error for a write that could not reach the disk (see docs/safety.md)."""
        msg = str(exc).lower()
        if "database is locked" in msg or "database is busy" in msg:
            log.info("write refused: the vault stayed locked by another connection")
            return errors.VaultBusy(self.path)
        if "disk is full" in msg:
            log.error("write failed: disk full")
            return errors.DiskFull(self.path)
        if "readonly" in msg or "read-only" in msg:
            if getattr(self, "damaged", False):
                return errors.VaultDamaged(self.path, "it failed its integrity check, so changes are refused")
            return errors.StorageFailed(self.path, "the vault has become read-only")
        if "disk i/o error" in msg or "unable to open" in msg:
            log.error("write failed: disk I/O error")
            return errors.StorageFailed(self.path, "the disk could not be written (was the drive removed?)")
        return None

    def execute(self, sql, params=()):
        return self.conn.execute(sql, params)

    def query(self, sql, params=()):
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql, params=()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    @property
    def schema_version(self) -> int:
        return self.scalar("PRAGMA user_version")

    # -- passphrase ----------------------------------------------------------------------------
    def change_passphrase(self, new_passphrase: str, kdf_params: kdf.KdfParams | None = None) -> None:
        """Rekey by exporting into a new file with a new salt, verifying it, then an atomic rename.
        A crash at any point leaves either the old vault or the new one whole, never a mix.

        The caller holds the single-writer lock (core.opening). Passphrase generations: before the export,
        the vault records the new salt as the next generation (settings 'passphrase.generations'), so both
        files know which generation opens which backup (a backup keeps the salt of the vault it came from)."""
        if not new_passphrase:
            raise errors.ValidationError(_("The new passphrase cannot be empty."), field="passphrase")
        # A new passphrase also moves the vault to today's KDF parameters (older vaults keep theirs until then).
        salt = kdf.new_salt(kdf_params or kdf.KdfParams.default())
        new_key = kdf.derive_key(new_passphrase, salt)
        # Everything in the main file first: the old -wal must hold nothing when the new file takes its name
        # (frames of the old file replayed into the new one would be read with the wrong key).
        busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            raise errors.VaultError(f"{self.path} is being read by another window or program; close it and "
                                    "try again. The passphrase was not changed.")
        tmp = self.path.with_name(self.path.name + ".rekey")
        for leftover in {tmp} | side_files(tmp):
            leftover.unlink(missing_ok=True)
        with self.transaction() as conn:
            record_generation(conn, read_salt(self.path), salt)
        durable.create_private(tmp)
        version = self.schema_version
        self.conn.execute(
            "ATTACH DATABASE ? AS rekeyed KEY \"" + kdf.key_pragma_value(new_key, salt) + "\"", (str(tmp),)
        )
        try:
            self.conn.execute("SELECT sqlcipher_export('rekeyed')")
            self.conn.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
        finally:
            self.conn.execute("DETACH DATABASE rekeyed")
        check = Vault.open_with_key(tmp, new_key, migrate=False)
        ok = check.scalar("PRAGMA quick_check") == "ok"
        check.conn.execute("PRAGMA journal_mode = DELETE")
        check.close()
        if not ok:
            tmp.unlink(missing_ok=True)
            raise errors.VaultDamaged(tmp, "the re-encrypted copy failed its check")
        _fsync_file(tmp)
        self.conn.close()
        self.conn = None
        wal = Path(str(self.path) + "-wal")
        if wal.exists() and wal.stat().st_size > 0:  # a reader kept frames alive: keep the old file
            tmp.unlink(missing_ok=True)
            self.conn = Vault.open_with_key(self.path, self._key).conn
            raise errors.VaultError(f"{self.path} is being read by another window or program; close it and "
                                    "try again. The passphrase was not changed.")
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)
        for side in side_files(self.path):
            side.unlink(missing_ok=True)  # belonged to the old file, which is closed and checkpointed (empty)
        self._key = new_key
        self.conn = Vault.open_with_key(self.path, new_key).conn

    # -- closing -------------------------------------------------------------------------------
    def checkpoint(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        # Under the vault's lock: a restore swapping the file under it (core.backup.restore, in a worker thread)
        # finishes first, so closing never races it and nothing reopens the book after it was closed.
        with self._lock:
            was_open = self.conn is not None
            if self.conn is not None:
                with contextlib.suppress(sqlite.Error):
                    self.checkpoint()
                self.conn.close()
                self.conn = None
        if was_open:
            for hook in self.close_hooks:
                try:
                    hook(self)
                except Exception:  # a hook must never turn a clean close into a failure
                    log.warning("a close step failed", exc_info=True)
        self._key = b"\x00" * 32
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None

    @property
    def is_open(self) -> bool:
        return self.conn is not None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
