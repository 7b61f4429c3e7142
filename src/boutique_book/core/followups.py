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


def for_contact(vault, contact_id: int, today: dt.date | None = None) -> list[dict]:
    """A person's active follow-ups with their next date (for the card)."""
    from .calendar_rules import next_occurrence

    today = today or dt.date.today()
    rows = vault.query(
        "SELECT f.id, f.reason, f.reason_kind, f.channel, f.rule, f.start_date, f.time, coalesce(s.name, '') "
        "FROM followups f LEFT JOIN staff s ON s.id=f.owner_staff_id WHERE f.contact_id=? AND f.active=1",
        (contact_id,))
    result = []
    for fid, reason, reason_kind, channel, rule, start, time, owner in rows:
        rule_dict = json.loads(rule or '{"type": "once"}')
        start_date = dt.date.fromisoformat(start)
        next_date = start_date if rule_dict.get("type") == "once" else next_occurrence(rule_dict, start_date, today)
        result.append({"id": fid, "reason": reason or reason_kind, "channel": channel, "rule": rule_dict,
                       "next": next_date, "time": time, "owner": owner})
    return sorted(result, key=lambda f: f["next"] or dt.date.max)
