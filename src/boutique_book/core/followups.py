"""Follow-up storage. The calendar logic (recurrence, agenda, rhythms) lives in core.calendar."""

from __future__ import annotations

import datetime as dt
import json

from . import changelog
from .errors import ValidationError
from .model import utc_now

RULE_TYPES = ("once", "yearly", "every", "nth_weekday")


def add(vault, contact_id: int, start: dt.date, rule: dict | None = None, reason: str = "",
        reason_kind: str = "custom", channel: str = "", owner: int | None = None, by: int | None = None,
        lead_days: int = 0, time: str = "", source: str = "manual", source_ref: str = "") -> int:
    rule = rule or {"type": "once"}
    if rule.get("type") not in RULE_TYPES:
        raise ValidationError(f"Unknown repetition “{rule.get('type')}”.", field="rule")
    with vault.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO followups(contact_id, reason_kind, reason, owner_staff_id, channel, rule, start_date, time, "
            "lead_days, source, source_ref, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (contact_id, reason_kind, reason, owner, channel, json.dumps(rule, sort_keys=True), start.isoformat(),
             time, lead_days, source, source_ref, utc_now(), by))
        changelog.record(conn, "followup", cur.lastrowid, "create", by, f"contact={contact_id}")
        return cur.lastrowid
