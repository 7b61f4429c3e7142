"""Numbered schema migrations: files named mNNNN_<what>.py, applied in number order at open.

The vault records every migration applied in the table `schema_migrations` (number, name, when), and
user_version mirrors the highest number applied (so an app from before the table still sees a newer vault).

- Every known migration not yet in the table is applied, in number order, whatever numbers were applied
  before: feature areas reserve number ranges and land in any order (docs/storage.md), so a m0025 that lands
  after a vault reached m0030 still runs. Numbers may have gaps.
- A vault that records a migration this code does not know was written by a newer (or another) version:
  it is refused loudly (errors.VaultTooNew), never opened and never written.
- A vault from before the table (only user_version): the migrations that existed then (LEGACY_VERSIONS) up to
  its user_version count as applied; the table is filled in with them on the first write.
- Each migration runs in its own transaction together with its row in the table and the user_version bump:
  a failure rolls all of it back (errors.MigrationFailed: the vault is as it was, not damaged).
- A migration is frozen: its SQL (and its optional upgrade(conn)) uses only SQL, the standard library and
  third-party packages, never the app's live code (m0002 and m0060 carry their own copy of the indexing code),
  so a later edit of the app cannot change what an old upgrade does. Never edit a shipped migration's effect:
  add a new one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import Callable

import sqlcipher3.dbapi2 as sqlite

TABLE = "schema_migrations"
# The migrations that existed while user_version was the vault's only record (up to commit c6c2aae).
LEGACY_VERSIONS = (1, 2, 3, 10, 20, 30)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str
    upgrade: Callable | None


class MigrationError(Exception):
    """One migration failed (already rolled back). The opener turns it into errors.MigrationFailed."""

    def __init__(self, migration: Migration, detail: str):
        super().__init__(f"migration {migration.version} ({migration.name}) failed: {detail}")
        self.migration = migration
        self.detail = detail


def _discover() -> list[Migration]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = re.fullmatch(r"m(\d{4})_(\w+)", info.name)
        if not match:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(
            Migration(int(match.group(1)), match.group(2), getattr(module, "SQL", ""), getattr(module, "upgrade", None))
        )
    found.sort(key=lambda m: m.version)
    return found


MIGRATIONS = _discover()


def latest_version() -> int:
    return MIGRATIONS[-1].version if MIGRATIONS else 0


def split_statements(script: str) -> list[str]:
    """Split a script into complete statements (triggers keep their inner semicolons)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _has_table(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (TABLE,)).fetchone() is not None


def has_migrations_table(conn) -> bool:
    return _has_table(conn)


def _legacy_applied(user_version: int, known: list[Migration]) -> dict[int, str]:
    names = {m.version: m.name for m in known}
    if user_version > max(LEGACY_VERSIONS):
        # Only a development build that had a later migration under the old runner writes this.
        return {v: n for v, n in names.items() if v <= user_version}
    return {v: names.get(v, "?") for v in LEGACY_VERSIONS if v <= user_version}


def applied_versions(conn, known: list[Migration] | None = None) -> dict[int, str]:
    """{number: name} of the migrations this vault has had (read-only)."""
    known = MIGRATIONS if known is None else known
    if _has_table(conn):
        return {int(v): str(n) for v, n in conn.execute(f"SELECT version, name FROM {TABLE}")}
    return _legacy_applied(conn.execute("PRAGMA user_version").fetchone()[0], known)


def unknown_applied(conn, known: list[Migration] | None = None) -> list[tuple[int, str]]:
    """Migrations the vault records that this code does not know (a newer version wrote it)."""
    known = MIGRATIONS if known is None else known
    numbers = {m.version for m in known}
    found = sorted((v, n) for v, n in applied_versions(conn, known).items() if v not in numbers)
    if not _has_table(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version and version not in numbers and version > (max(numbers) if numbers else 0):
            found.append((version, "?"))
    return found


def pending(conn, known: list[Migration] | None = None, target: int | None = None) -> list[Migration]:
    """Known migrations not yet applied to this vault, in number order (read-only)."""
    known = MIGRATIONS if known is None else known
    done = applied_versions(conn, known)
    return [m for m in known if m.version not in done and (target is None or m.version <= target)]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _ensure_table(conn, known: list[Migration]) -> None:
    if _has_table(conn):
        return
    legacy = _legacy_applied(conn.execute("PRAGMA user_version").fetchone()[0], known)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"CREATE TABLE {TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                     "applied_at TEXT NOT NULL)")
        conn.executemany(f"INSERT INTO {TABLE}(version, name, applied_at) VALUES (?,?,?)",
                         [(v, n, "before " + _now()) for v, n in sorted(legacy.items())])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def apply_migrations(conn, target: int | None = None, known: list[Migration] | None = None) -> list[int]:
    """Apply every known migration not yet applied (up to `target`), each in its own transaction.
    Returns the numbers applied. Raises MigrationError (rolled back) when one fails."""
    known = MIGRATIONS if known is None else known
    todo = pending(conn, known, target)
    if not todo and _has_table(conn):
        return []
    _ensure_table(conn, known)
    applied = []
    for migration in todo:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            if migration.upgrade:
                migration.upgrade(conn)
            conn.execute(f"INSERT INTO {TABLE}(version, name, applied_at) VALUES (?,?,?)",
                         (migration.version, migration.name, _now()))
            top = conn.execute(f"SELECT max(version) FROM {TABLE}").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {int(top)}")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, (sqlite.Error, ValueError, KeyError, TypeError)):
                raise MigrationError(migration, str(exc)) from exc
            raise
        conn.execute("COMMIT")
        applied.append(migration.version)
    return applied
