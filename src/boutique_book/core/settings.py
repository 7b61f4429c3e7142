"""Store-wide settings kept inside the vault (tier rhythms, boutique address, templates...).
Values are JSON. Per-PC, non-personal preferences (window size, language) live in QSettings instead."""

from __future__ import annotations

import json

from . import changelog


def get(vault, key: str, default=None):
    raw = vault.scalar("SELECT value FROM settings WHERE key=?", (key,))
    if raw is None:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def put(vault, key: str, value, actor: str | None = None) -> None:
    """Store a setting; when `actor` is given (a manager action) it is written to the audit log."""
    with vault.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?,?)",
                     (key, json.dumps(value, ensure_ascii=False, sort_keys=True)))
        if actor is not None:
            changelog.audit(conn, actor, "settings", key=key)
