"""Integrity of a vault: SQLite's quick_check and SQLCipher's cipher_integrity_check.

Policy (measured figures in docs/safety.md):
- At open (`open_checked`) the file is first checked on a READ-ONLY connection, before the normal open
  applies pragmas or migrations, so a damaged vault is never written to.
- Measured on the 2-core machine: cipher_integrity_check (HMAC of every page) costs ~5-8 ms per MB
  (0.2-0.8 s for the 49 MB 10k-contact demo vault, 2-4 s at 100k / 488 MB); quick_check (b-tree and
  record walk) costs ~20-40 ms per MB (0.9-2 s at 10k, 10-21 s at 100k). So the unlock waits for
  cipher_integrity_check up to FOREGROUND_CIPHER_MAX_BYTES and for quick_check up to
  FOREGROUND_QUICK_MAX_BYTES; whatever was skipped runs right after open in the background
  (`run_background_checks`, which also runs the full pair weekly) and on demand
  (`check_open_vault`, `boutique-book verify`).
- Opening (the checks at open, the message naming the newest good backup) lives in core.opening, which
  uses this module and core.backup; this module imports neither (no import circle). `mark_damaged(vault)` switches an open vault to query_only, so a problem found later
  by the background check also stops every further write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from . import errors, kdf, page_problems
from .jobs import Cancelled
from .vault import first_read_error, read_salt, side_files

log = logging.getLogger(__name__)

# Foreground (unlock waits) budgets, about half a second each on the reference machine.
FOREGROUND_CIPHER_MAX_BYTES = 64 * 1024 * 1024
FOREGROUND_QUICK_MAX_BYTES = 16 * 1024 * 1024
FULL_CHECK_EVERY = dt.timedelta(days=7)
LAST_FULL_CHECK_KEY = "integrity.last_full_check"
_MAX_PROBLEMS = 20


@dataclass
class IntegrityReport:
    path: Path
    ok: bool
    problems: list[str] = field(default_factory=list)
    full: bool = True          # cipher_integrity_check ran too
    quick_ms: float = 0.0
    cipher_ms: float = 0.0

    def summary(self) -> str:
        """The first problems on one line (SQLite may return several lines in one row)."""
        lines = [" ".join(line.split()) for p in self.problems for line in str(p).splitlines() if line.strip()]
        return "; ".join(lines[:3]) + (" …" if len(lines) > 3 else "")


    def plain(self) -> str:
        """The problems as a person can read them (core.page_problems); summary() keeps SQLite's words."""
        return page_problems.in_plain_words(self.problems)


def _rows(conn, sql: str) -> list[str]:
    return [str(r[0]) for r in conn.execute(sql).fetchall()]


def quick_check(conn) -> list[str]:
    """Problems found by PRAGMA quick_check (empty list: ok)."""
    rows = _rows(conn, f"PRAGMA quick_check({_MAX_PROBLEMS})")
    return [] if rows == ["ok"] else rows


def cipher_integrity_check(conn) -> list[str]:
    """Problems found by SQLCipher's page HMAC check (it returns no rows when every page is intact)."""
    return _rows(conn, "PRAGMA cipher_integrity_check")[:_MAX_PROBLEMS]


def check_connection(conn, *, full: bool = True, quick: bool = True,
                     cancelled=None) -> tuple[list[str], float, float]:
    """Run the checks on an open, keyed connection (quick_check if `quick`, cipher_integrity_check if
    `full`). A cancel flag interrupts inside the checks (raises Cancelled)."""
    if cancelled is not None:
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, 20000)
    quick_ms = cipher_ms = 0.0
    try:
        problems = []
        if quick:
            started = time.perf_counter()
            problems = quick_check(conn)
            quick_ms = (time.perf_counter() - started) * 1000
        if full:
            started = time.perf_counter()
            problems += cipher_integrity_check(conn)
            cipher_ms = (time.perf_counter() - started) * 1000
    except sqlite.OperationalError as exc:
        if "interrupt" in str(exc) and cancelled is not None and cancelled():
            raise Cancelled() from None
        raise
    except sqlite.DatabaseError as exc:
        problems = [str(exc)]
    finally:
        if cancelled is not None:
            conn.set_progress_handler(None, 0)
    return problems, quick_ms, cipher_ms


def _key_and_read(conn, path, key: bytes) -> None:
    """Key a fresh connection and read its first page: WrongPassphrase when it does not decrypt."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{kdf.key_pragma_value(key)}"')
    conn.execute("PRAGMA temp_store = MEMORY")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite.DatabaseError as exc:
        # A full disk (no room for the -shm), a lock or a file cut short is said as such, never as a wrong
        # passphrase (a retry on a full disk said "the passphrase does not open" before: issue #17).
        raise first_read_error(path, exc, key) from None


def roll_back_hot_journal(path, key: bytes) -> bool:
    """A write killed in rollback-journal mode (a restored backup is switched to WAL, or migrated, on its
    first open) leaves a hot `-journal`: the main file is half-written until SQLite rolls the journal back.
    A read-only reader cannot do that and sees pages that do not decrypt (the book would look as if the
    passphrase were wrong). Under the single-writer lock, one keyed read-write connection rolls it back.
    Returns True when there was a journal to roll back."""
    journal = Path(str(path) + "-journal")
    try:
        if journal.stat().st_size == 0:
            return False
    except OSError:
        return False
    conn = sqlite.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        _key_and_read(conn, path, key)  # the first read rolls the journal back
    finally:
        conn.close()
    log.warning("rolled back the journal of a write that was interrupted")
    return True


@contextlib.contextmanager
def open_readonly(path, key: bytes):
    """A read-only keyed connection that writes nothing to the vault. Raises WrongPassphrase when the
    first page does not decrypt (wrong key or damaged header). Side files (-wal/-shm) that SQLite had to
    create only for this reader are removed again when they hold nothing."""
    path = Path(path)
    read_salt(path)
    before = side_files(path)
    conn = sqlite.connect(f"file:{path.as_posix()}?mode=ro", uri=True, isolation_level=None,
                          check_same_thread=False)
    try:
        _key_and_read(conn, path, key)
        yield conn
    finally:
        conn.close()
        created = side_files(path) - before
        wal = Path(str(path) + "-wal")
        if created and (not wal.exists() or wal.stat().st_size == 0):
            for side in created:
                side.unlink(missing_ok=True)


def check_file(path, key: bytes, *, full: bool = True, quick: bool = True, cancelled=None) -> IntegrityReport:
    """Check a closed vault or backup file without writing to it."""
    path = Path(path)
    with open_readonly(path, key) as conn:
        problems, quick_ms, cipher_ms = check_connection(conn, full=full, quick=quick, cancelled=cancelled)
    return IntegrityReport(path, not problems, problems, full, quick_ms, cipher_ms)


def check_open_vault(vault, *, full: bool = True, quick: bool = True, progress=None,
                     cancelled=None) -> IntegrityReport:
    """On-demand check of an open vault on its own connection (safe from a worker thread). A damaged
    result switches the vault to read-only (mark_damaged)."""
    if progress:
        progress(0, 1)
    conn = vault.connect()
    try:
        problems, quick_ms, cipher_ms = check_connection(conn, full=full, quick=quick, cancelled=cancelled)
    finally:
        conn.close()
    report = IntegrityReport(vault.path, not problems, problems, full, quick_ms, cipher_ms)
    if problems:
        log.error("integrity check found %d problem(s)", len(problems))
        mark_damaged(vault)
    else:
        log.info("integrity check ok (quick %.0f ms, cipher %.0f ms)", quick_ms, cipher_ms)
    if progress:
        progress(1, 1)
    return report


def mark_damaged(vault) -> None:
    """Refuse every further write on this open vault (the app never writes to a vault found damaged)."""
    vault.damaged = True
    if vault.conn is not None:
        with contextlib.suppress(sqlite.Error):
            vault.conn.execute("PRAGMA query_only = ON")


def is_damaged(vault) -> bool:
    return bool(getattr(vault, "damaged", False))


def open_check_plan(path) -> tuple[bool, bool]:
    """(quick_check, cipher_integrity_check) to run in the foreground at open, by file size."""
    try:
        size = Path(path).stat().st_size
        wal = Path(str(path) + "-wal")
        size += wal.stat().st_size if wal.exists() else 0
    except OSError:
        return True, True
    return size <= FOREGROUND_QUICK_MAX_BYTES, size <= FOREGROUND_CIPHER_MAX_BYTES


# -- weekly full check in the background ------------------------------------------------------------
def full_check_due(vault, now: dt.datetime | None = None) -> bool:
    from . import settings

    now = now or dt.datetime.now(dt.timezone.utc)
    last = settings.get(vault, LAST_FULL_CHECK_KEY)
    if not last:
        return True
    try:
        when = dt.datetime.fromisoformat(last)
    except (TypeError, ValueError):
        return True
    return now - when >= FULL_CHECK_EVERY


def run_background_checks(vault, now: dt.datetime | None = None, progress=None, cancelled=None):
    """The background job the app starts after open (and may start again daily): the open checks that
    were too slow for the unlock (vault.deferred_checks), and the full pair when a week has passed.
    Its date is remembered in the vault settings. Returns the report, or None when nothing was due.
    A damaged result has already switched the vault to read-only; show VaultDamaged to the user
    (`opening.damaged_error(vault.path, report.summary(), vault._key)`)."""
    from . import settings

    now = now or dt.datetime.now(dt.timezone.utc)
    if is_damaged(vault):
        return None
    deferred = set(getattr(vault, "deferred_checks", ()))
    due = full_check_due(vault, now)
    if not due and not deferred:
        return None
    report = check_open_vault(vault, full=due or "cipher" in deferred, quick=due or "quick" in deferred,
                              progress=progress, cancelled=cancelled)
    vault.deferred_checks = ()
    if report.ok and due:
        settings.put(vault, LAST_FULL_CHECK_KEY, now.isoformat(timespec="seconds"))
    return report
