"""Numbered schema migrations: files named mNNNN_<what>.py, applied in number order at open.

Each defines SQL (a script) and/or upgrade(conn). Each migration runs in its own transaction
together with the user_version bump, so a crash leaves the vault at the previous version, whole.
Numbers may have gaps (feature areas reserve ranges, see docs/storage.md); user_version is the
number of the last migration applied. Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import Callable

import sqlcipher3.dbapi2 as sqlite


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str
    upgrade: Callable | None


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


def apply_migrations(conn, target: int | None = None) -> list[int]:
    """Apply every migration above the vault's user_version (up to target). Returns versions applied."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= current or (target is not None and migration.version > target):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            if migration.upgrade:
                migration.upgrade(conn)
            conn.execute(f"PRAGMA user_version = {migration.version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(migration.version)
    return applied
