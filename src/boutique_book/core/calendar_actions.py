"""Calendar actions: done (writes a moment), skip, snooze, cases and follow-ups; each one transaction."""

from __future__ import annotations

import datetime as dt
import json

from . import changelog, followups as followup_store, links, moments
from .calendar_agenda import AgendaItem
from .calendar_labels import channel_label
from .calendar_settings import calendar_settings, MAX_LEAD_DAYS
from .errors import NotFound, ValidationError
from .model import Moment, utc_now
from .text import nfc
from ..i18n import _, ngettext


MOMENT_KIND_FOR_CHANNEL = {"card": "card_sent", "letter": "card_sent", "call": "call", "visit": "visit"}

# -- acting on an item ---------------------------------------------------------------------------------
def _anchor(conn, item: AgendaItem, by: int | None) -> int:
    """The followups row that events of this item point at (created for computed sources)."""
    if item.source == "followup":
        return int(item.ref)
    row = conn.execute("SELECT id FROM followups WHERE source=? AND contact_id=? AND source_ref=?",
                       (item.source, item.contact_id, item.ref)).fetchone()
    if row:
        conn.execute("UPDATE followups SET reason=?, channel=?, owner_staff_id=? WHERE id=?",
                     (item.reason, item.channel, item.owner_id, row[0]))
        return row[0]
    rule = {"type": "yearly", "month": item.occurs.month, "day": item.occurs.day} if item.source != "rhythm" \
        else {"type": "once"}
    cur = conn.execute(
        "INSERT INTO followups(contact_id, reason_kind, reason, owner_staff_id, channel, rule, start_date, "
        "source, source_ref, active, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,0,?,?)",
        (item.contact_id, item.reason_kind, item.reason, item.owner_id, item.channel,
         json.dumps(rule, sort_keys=True), item.occurs.isoformat(), item.source, item.ref, utc_now(), by))
    return cur.lastrowid

def _event(conn, followup_id: int, item: AgendaItem, status: str, by, note="", snoozed_to=None, moment_id=None):
    conn.execute(
        "INSERT INTO followup_events(followup_id, due_date, status, snoozed_to, note, handled_at, handled_by, "
        "moment_id) VALUES (?,?,?,?,?,?,?,?)",
        (followup_id, item.due.isoformat(), status, snoozed_to, note, utc_now(), by, moment_id))
    changelog.record(conn, "followup", followup_id, status, by, f"contact={item.contact_id}")

def _close_once(conn, item: AgendaItem) -> None:
    if item.source == "followup":
        conn.execute("UPDATE followups SET active=0 WHERE id=? AND rule LIKE '%\"once\"%'", (int(item.ref),))

def mark_done(vault, item: AgendaItem, by: int | None, note: str = "", on: dt.date | None = None) -> int:
    """Mark an item done: writes a shared moment on the person's card stamped with `by`, in the same
    transaction as the event. Returns the moment id."""
    on = on or dt.date.today()
    note = nfc(note)
    kind = MOMENT_KIND_FOR_CHANNEL.get(item.channel, "story")
    season, season_year = "", None
    if kind == "card_sent":
        if item.source == "season":
            season, season_year = item.reason_kind, int(item.ref.rsplit(":", 1)[1])
        elif item.source == "key_date":
            season, season_year = item.reason_kind, item.occurs.year
    text = f"{item.reason} ({channel_label(item.channel)})" if item.channel else item.reason
    if note:
        text = f"{text}: {note}"
    with vault.transaction() as conn:
        followup_id = _anchor(conn, item, by)
        moment_id = moments.add(vault, Moment(item.contact_id, text, on, kind=kind, season=season,
                                              season_year=season_year, staff_id=by), by=by)
        _event(conn, followup_id, item, "done", by, note, moment_id=moment_id)
        _close_once(conn, item)
        if item.source == "season":
            _season_status(conn, item, "sent")
    item.status, item.followup_id = "done", followup_id
    return moment_id

def skip(vault, item: AgendaItem, reason: str, by: int | None) -> None:
    reason = nfc(reason)
    if not reason:
        raise ValidationError(_("Say why this is skipped."), field="reason")
    with vault.transaction() as conn:
        followup_id = _anchor(conn, item, by)
        _event(conn, followup_id, item, "skipped", by, reason)
        _close_once(conn, item)
        if item.source == "season":
            _season_status(conn, item, "skipped")
    item.status, item.note, item.followup_id = "skipped", reason, followup_id

def snooze(vault, item: AgendaItem, to: dt.date, by: int | None, note: str = "",
           today: dt.date | None = None) -> None:
    if to <= (today or dt.date.today()):
        raise ValidationError(_("Snooze to a date after today."), field="date")
    with vault.transaction() as conn:
        followup_id = _anchor(conn, item, by)
        _event(conn, followup_id, item, "snoozed", by, nfc(note), snoozed_to=to.isoformat())
    item.status, item.on, item.followup_id = "snoozed", to, followup_id

def _season_status(conn, item: AgendaItem, status: str) -> None:
    name, year = item.ref.rsplit(":", 1)
    conn.execute("UPDATE season_recipients SET status=? WHERE contact_id=? AND year=? AND season_id="
                 "(SELECT id FROM seasons WHERE name=?)", (status, item.contact_id, int(year), name))

# -- context --------------------------------------------------------------------------------------------
def item_context(vault, contact_id: int) -> dict:
    """What staff need to act without searching: tier, preferred channel, family and linked people,
    last moment, wishes and preferences, open complaints. Loaded for the item in hand (cheap), not for
    every item of a 100,000-contact agenda."""
    row = vault.conn.execute("SELECT display_name, tier, preferred_channel FROM contacts WHERE id=?",
                             (contact_id,)).fetchone()
    if row is None:
        raise NotFound(f"No contact with number {contact_id}.")
    last = moments.for_contact(vault, contact_id, limit=1)
    return {
        "contact_id": contact_id, "display_name": row[0], "tier": row[1], "preferred_channel": row[2],
        "links": links.for_contact(vault, contact_id)[:12],
        "last_moment": last[0] if last else None,
        "wishes": moments.for_contact(vault, contact_id, limit=5, kinds=("wish", "preference")),
        "open_cases": moments.open_cases(vault, contact_id),
    }

# -- complaints ------------------------------------------------------------------------------------------
def resolve_case(vault, case_id: int, resolution: str, by: int | None, checkin_weeks: int | None = None,
                 today: dt.date | None = None) -> int:
    """Close a complaint case with how it was resolved and schedule a check-in follow-up a few weeks later
    (to see whether the relationship recovered). Returns the check-in follow-up id."""
    resolution = nfc(resolution)
    if not resolution:
        raise ValidationError(_("Say how the complaint was resolved."), field="resolution")
    weeks = checkin_weeks if checkin_weeks is not None else int(calendar_settings(vault)["checkin_weeks"])
    today = today or dt.date.today()
    with vault.transaction() as conn:
        row = conn.execute("SELECT c.contact_id, c.owner_staff_id, c.resolved_at, k.preferred_channel FROM cases c "
                           "JOIN contacts k ON k.id=c.contact_id WHERE c.id=?", (case_id,)).fetchone()
        if row is None:
            raise NotFound("That complaint no longer exists.")
        if row[2] is not None:
            raise ValidationError(_("That complaint is already resolved."), field="case")
        conn.execute("UPDATE cases SET resolved_at=?, resolution=? WHERE id=?", (utc_now(), resolution, case_id))
        changelog.record(conn, "case", case_id, "resolve", by, f"contact={row[0]}")
        return followup_store.add(
            vault, row[0], today + dt.timedelta(weeks=weeks), reason=_("Check-in after the complaint"),
            reason_kind="case_checkin", channel=row[3] if row[3] in ("call", "visit") else "call",
            owner=row[1] if row[1] is not None else by, by=by, source="case", source_ref=str(case_id))

def case(vault, case_id: int) -> dict:
    row = vault.conn.execute("SELECT id, contact_id, moment_id, owner_staff_id, opened_at, resolved_at, resolution "
                             "FROM cases WHERE id=?", (case_id,)).fetchone()
    if row is None:
        raise NotFound("That complaint no longer exists.")
    return dict(zip(("id", "contact_id", "moment_id", "owner_id", "opened_at", "resolved_at", "resolution"), row))

# -- follow-ups of one contact (for the card) ------------------------------------------------------------
def add_followup(vault, contact_id: int, start: dt.date, rule: dict | None = None, reason: str = "",
                 reason_kind: str = "custom", channel: str = "", owner: int | None = None, by: int | None = None,
                 time: str = "", lead_days: int = 0) -> int:
    """A follow-up written by a person, with its rule and optional local time validated."""
    from .calendar_rules import parse_time, validate_rule

    rule = validate_rule(rule or {"type": "once"}, start)
    parse_time(time)
    if not 0 <= int(lead_days) <= MAX_LEAD_DAYS:
        raise ValidationError(ngettext("The lead time must be between 0 and {n} day.", "The lead time must be between 0 and {n} days.",
                                       MAX_LEAD_DAYS).format(n=MAX_LEAD_DAYS),
                              field="lead_days")
    return followup_store.add(vault, contact_id, start, rule, reason=nfc(reason), reason_kind=reason_kind,
                              channel=channel, owner=owner, by=by, lead_days=int(lead_days), time=time)

def cancel_followup(vault, followup_id: int, by: int | None = None) -> None:
    with vault.transaction() as conn:
        if not conn.execute("UPDATE followups SET active=0 WHERE id=?", (followup_id,)).rowcount:
            raise NotFound("That follow-up no longer exists.")
        changelog.record(conn, "followup", followup_id, "cancel", by)
