"""The append-only change log (who did what; field names, never values) and the manager audit log."""

from __future__ import annotations

import json

from . import audit_chain
from .model import utc_now


def record(conn, entity: str, entity_id: int | None, action: str, staff_id: int | None, detail: str = "") -> None:
    conn.execute(
        "INSERT INTO change_log(at, staff_id, entity, entity_id, action, detail) VALUES (?,?,?,?,?,?)",
        (utc_now(), staff_id, entity, entity_id, action, detail),
    )


def history(conn, entity: str, entity_id: int) -> list[dict]:
    rows = conn.execute(
        "SELECT l.at, l.action, l.detail, s.name FROM change_log l LEFT JOIN staff s ON s.id=l.staff_id "
        "WHERE l.entity=? AND l.entity_id=? ORDER BY l.id",
        (entity, entity_id),
    ).fetchall()
    return [{"at": r[0], "action": r[1], "detail": r[2], "staff": r[3] or ""} for r in rows]


def audit(conn, actor: str, action: str, **detail) -> None:
    """One audit entry, chained to the previous one (core.audit_chain). Ids and counts only: never a
    customer's name, a file name or a search text (issue #18)."""
    audit_chain.append(conn, utc_now(), actor, action, json.dumps(detail, sort_keys=True, ensure_ascii=False))


def audit_entries(conn) -> list[dict]:
    return [
        {"id": r[0], "at": r[1], "actor": r[2], "action": r[3], "detail": json.loads(r[4] or "{}")}
        for r in conn.execute("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id")
    ]
