"""Calendar queries: the agenda of a period, built from follow-ups, key dates, rhythms and seasons
(see core.calendar for the sources and how overdue works)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field

from . import moments
from .calendar_labels import key_date_reason, rhythm_reason, season_reason
from .calendar_rules import local_datetime, occurrences, previous_occurrence, yearly_date
from .calendar_seasons import season_dates
from .calendar_settings import cadence_cutoff, cadence_due, calendar_settings, MAX_LEAD_DAYS, tier_rhythms
from .errors import NotFound, ValidationError
from ..i18n import _


STATUSES = ("due", "overdue", "snoozed", "done", "skipped")

@dataclass(slots=True)
class AgendaItem:
    source: str                 # followup | key_date | rhythm | season
    ref: str                    # followup id, "birthday:--03-14", "christmas:2025", "" (rhythm)
    contact_id: int
    display_name: str
    tier: str
    reason_kind: str            # birthday, christmas, rhythm, custom, case_checkin...
    reason: str                 # shown to people (translated when computed)
    channel: str
    owner_id: int | None
    due: dt.date                # when the work was planned (occurrence minus lead time)
    occurs: dt.date             # the date itself (the birthday, Christmas...)
    on: dt.date                 # the day it shows on (due, or the snoozed-to date)
    status: str                 # due | overdue | snoozed | done | skipped
    time: str = ""
    followup_id: int | None = None
    note: str = ""              # skip reason / snooze note (never exported)
    years: int | None = None    # for key dates with a known year: the age or the anniversary number
    last_on: str = ""           # rhythm: when the clock last reset
    preferred_channel: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}|{self.ref}|{self.contact_id}|{self.due.isoformat()}"

    @property
    def handled(self) -> bool:
        return self.status in ("done", "skipped")

    def starts_at(self, tz: dt.tzinfo) -> dt.datetime | None:
        return local_datetime(self.on, self.time, tz) if self.time else None

@dataclass
class Agenda:
    start: dt.date
    end: dt.date
    today: dt.date
    overdue: list[AgendaItem] = field(default_factory=list)
    days: dict[dt.date, list[AgendaItem]] = field(default_factory=dict)
    cases: list[dict] = field(default_factory=list)
    overdue_total: dict[str, int] = field(default_factory=dict)   # per source, listed or not

    @property
    def overdue_hidden(self) -> int:
        return sum(self.overdue_total.values()) - len(self.overdue)

    def items(self) -> list[AgendaItem]:
        return self.overdue + [i for day in sorted(self.days) for i in self.days[day]]

    def count(self) -> int:
        return len(self.overdue) + sum(len(v) for v in self.days.values())

    def open_items(self) -> list[AgendaItem]:
        return [i for i in self.items() if not i.handled]

    def find(self, contact_id: int, reason_kind: str | None = None) -> list[AgendaItem]:
        return [i for i in self.items() if i.contact_id == contact_id
                and (reason_kind is None or i.reason_kind == reason_kind)]

def rhythm_status(vault, contact_id: int, today: dt.date | None = None) -> dict:
    """Where a contact stands in their tier's rhythm: clock, next due date, due or not."""
    today = today or dt.date.today()
    row = vault.conn.execute("SELECT tier, last_on FROM agenda_people WHERE contact_id=?", (contact_id,)).fetchone()
    if row is None:
        raise NotFound(f"No contact with number {contact_id}.")
    rhythm = tier_rhythms(vault).get(row[0])
    last = dt.date.fromisoformat(row[1])
    if not rhythm or not rhythm["n"]:
        return {"tier": row[0], "last_on": last, "due_on": None, "due": False}
    due_on = cadence_due(last, rhythm)
    return {"tier": row[0], "last_on": last, "due_on": due_on, "due": due_on <= today}

def _md_ranges(lo: dt.date, hi: dt.date) -> list[tuple[str, str]] | None:
    """Month-day ranges ('MM-DD') covering lo..hi, or None when that is the whole year."""
    if (hi - lo).days >= 365:
        return None
    a, b = lo.strftime("%m-%d"), hi.strftime("%m-%d")
    ranges = [(a, b)] if lo.year == hi.year else [(a, "12-31"), ("01-01", b)]
    covers = lambda md: any(x <= md <= y for x, y in ranges)  # noqa: E731
    if covers("02-28") and not covers("02-29"):
        ranges.append(("02-29", "02-29"))  # 29 Feb birthdays are celebrated on 28 Feb in common years
    return ranges

class _Builder:
    """Collects items: handled ones on their day, open ones on their day or as overdue candidates
    (per source, trimmed to the most recent `overdue_limit` at the end)."""

    def __init__(self, start, end, today, staff_id, channels, include_handled, overdue_limit):
        self.agenda = Agenda(start, end, today)
        self.start, self.end, self.today = start, end, today
        self.staff_id, self.channels, self.include_handled = staff_id, channels, include_handled
        self.overdue_limit = overdue_limit
        self.candidates: dict[str, list[AgendaItem]] = {}
        self.uncounted: dict[str, int] = {}  # overdue items known by count only (not fetched)
        self.seen: set[tuple] = set()

    def place(self, item: AgendaItem) -> None:
        if self.staff_id is not None and item.owner_id != self.staff_id:
            return
        if self.channels and item.channel not in self.channels:
            return
        ident = (item.source, item.contact_id, item.ref, item.due)
        if ident in self.seen:
            return
        if item.handled:
            if self.include_handled and self.start <= item.due <= self.end:
                self.seen.add(ident)
                self.agenda.days.setdefault(item.due, []).append(item)
            return
        if item.on < self.today:
            item.status = "overdue"
        if item.on < self.start:
            if item.on < self.today:
                self.seen.add(ident)
                self.candidates.setdefault(item.source, []).append(item)
            return
        if item.on > self.end:
            return
        self.seen.add(ident)
        self.agenda.days.setdefault(item.on, []).append(item)

    @staticmethod
    def apply_event(item: AgendaItem, event) -> AgendaItem:
        if event is None:
            return item
        status, snoozed_to, note = event[5], event[6], event[7]
        item.followup_id = event[0]
        item.note = note
        if status in ("done", "skipped"):
            item.status = status
        elif status == "snoozed" and snoozed_to:
            item.status = "snoozed"
            item.on = dt.date.fromisoformat(snoozed_to)
        return item

    def finish(self) -> Agenda:
        agenda = self.agenda
        for source, items in self.candidates.items():
            items.sort(key=lambda i: i.on, reverse=True)  # the most recently due are the most actionable
            kept = items if self.overdue_limit is None else items[:self.overdue_limit]
            agenda.overdue.extend(kept)
            agenda.overdue_total[source] = len(items) + self.uncounted.get(source, 0)
        for source, extra in self.uncounted.items():
            agenda.overdue_total.setdefault(source, extra)
        agenda.overdue.sort(key=lambda i: (i.on, i.time or "99", i.display_name))
        for items in agenda.days.values():
            items.sort(key=lambda i: (i.handled, i.time or "99", i.display_name, i.reason))
        agenda.days = dict(sorted(agenda.days.items()))
        return agenda

def _latest_events(conn) -> dict:
    """Latest event per (source, contact, ref, due): the handled state of every item ever touched."""
    rows = conn.execute(
        "SELECT f.id, f.source, f.contact_id, f.source_ref, e.due_date, e.status, e.snoozed_to, e.note, "
        "f.reason_kind, f.reason, f.channel, f.owner_staff_id, f.time, p.display_name, p.tier, p.preferred_channel, "
        "e.handled_at FROM followup_events e JOIN followups f ON f.id=e.followup_id "
        "JOIN agenda_people p ON p.contact_id=f.contact_id "
        "WHERE e.id IN (SELECT max(id) FROM followup_events GROUP BY followup_id, due_date)").fetchall()
    events = {}
    for r in rows:
        source = r[1] if r[1] in ("key_date", "rhythm", "season") else "followup"
        ref = r[3] if source != "followup" else str(r[0])
        events[(source, r[2], ref, r[4])] = r
    return events

def agenda(vault, start: dt.date, end: dt.date, today: dt.date | None = None, staff_id: int | None = None,
           channels=(), include_handled: bool = True, overdue_limit: int | None = 200) -> Agenda:
    """What is due from start to end (inclusive), what is overdue before it, and the open complaint cases,
    filtered by owner (staff_id) and channel.

    Overdue items are listed per source up to `overdue_limit` (the most recently due first; None lists
    all); `Agenda.overdue_total` has the true counts, so a screen can say "and 2,310 more"."""
    today = today or dt.date.today()
    if end < start:
        raise ValidationError(_("The end of the period is before its start."), field="end")
    conn = vault.conn
    channels = set(channels or ())
    grace = int(calendar_settings(vault).get("grace_days", 30))
    rhythms = tier_rhythms(vault)
    b = _Builder(start, end, today, staff_id, channels, include_handled, overdue_limit)
    events = _latest_events(conn)

    # Handled items of the computed sources come from their events (their scans skip them).
    if include_handled:
        for key, ev in events.items():
            source, contact_id, ref, due = key
            if source == "followup" or ev[5] not in ("done", "skipped"):
                continue
            due_date = dt.date.fromisoformat(due)
            if start <= due_date <= end:
                b.place(AgendaItem(source, ref, contact_id, ev[13], ev[14], ev[8], ev[9], ev[10], ev[11], due_date,
                                   due_date, due_date, ev[5], ev[12], ev[0], ev[7], preferred_channel=ev[15]))

    _followup_items(conn, b, events)
    _key_date_items(conn, b, events, rhythms, grace)
    _rhythm_items(conn, b, events, rhythms)
    _season_items(conn, b, events, grace)
    agenda_ = b.finish()

    cases = moments.open_cases(vault)
    if cases:
        owners = dict(conn.execute("SELECT id, owner_staff_id FROM cases WHERE resolved_at IS NULL").fetchall())
        if staff_id is not None:
            cases = [c for c in cases if owners.get(c["id"]) == staff_id]
        ids = sorted({c["contact_id"] for c in cases})
        people = {r[0]: r[1:] for r in conn.execute(
            f"SELECT contact_id, display_name, tier FROM agenda_people WHERE contact_id IN ({','.join('?' * len(ids))})",
            ids)} if ids else {}
        for case_ in cases:
            case_["display_name"], case_["tier"] = people.get(case_["contact_id"], ("", ""))
            case_["owner_id"] = owners.get(case_["id"])
    agenda_.cases = cases
    return agenda_

_RULES: dict[str, dict] = {}

def _rule(text: str) -> dict:
    rule = _RULES.get(text)
    if rule is None:
        rule = _RULES[text] = json.loads(text)
    return rule

def _followup_items(conn, b: _Builder, events) -> None:
    max_lead = min(conn.execute("SELECT max(lead_days) FROM followups").fetchone()[0] or 0, MAX_LEAD_DAYS)
    hi = b.end + dt.timedelta(days=max_lead)
    sql = ("SELECT f.id, f.contact_id, f.reason_kind, f.reason, f.owner_staff_id, f.channel, f.rule, f.start_date, "
           "f.time, f.lead_days, p.display_name, p.tier, p.preferred_channel, f.active FROM followups f "
           "JOIN agenda_people p ON p.contact_id=f.contact_id WHERE f.source NOT IN ('key_date', 'rhythm', 'season') "
           "AND ((f.active=1 AND f.start_date <= ?) OR (f.active=0 AND f.start_date BETWEEN ? AND ?))")
    params: list = [hi.isoformat(), b.start.isoformat(), hi.isoformat()]
    if b.staff_id is not None:
        sql += " AND f.owner_staff_id=?"
        params.append(b.staff_id)
    horizon = min(b.start, b.today)
    for (fid, cid, rkind, reason, owner, channel, rule_text, start_text, time, lead, name, tier,
         preferred, active) in conn.execute(sql, params):
        rule = _rule(rule_text)
        start = dt.date.fromisoformat(start_text)
        lead = dt.timedelta(days=min(int(lead or 0), MAX_LEAD_DAYS))
        if rule.get("type") == "once":
            dates = [start] if start - lead <= b.end else []
        else:
            dates = occurrences(rule, start, b.start + lead, b.end + lead)
            previous = previous_occurrence(rule, start, horizon + lead)
            # Only the latest missed occurrence stays overdue; the next one supersedes it.
            if previous is not None and not [d for d in dates if d - lead <= b.today]:
                dates.insert(0, previous)
        ref = str(fid)
        for occurs in dates:
            due = occurs - lead
            event = events.get(("followup", cid, ref, due.isoformat()))
            if not active and (event is None or event[5] not in ("done", "skipped")):
                continue  # cancelled
            item = AgendaItem("followup", ref, cid, name, tier, rkind, reason, channel or preferred, owner, due,
                              occurs, due, "due", time, fid, preferred_channel=preferred)
            b.place(b.apply_event(item, event))

def _key_date_items(conn, b: _Builder, events, rhythms, grace) -> None:
    """Key dates in the month-day window [overdue_from, end + max lead]: read from the covering index in
    order (no table, no contacts), placed in Python; names are looked up only for the items shown."""
    tiers = [t for t, r in rhythms.items() if r.get("key_dates", True)]
    if not tiers:
        return
    max_lead = min(conn.execute("SELECT max(lead_days) FROM contact_dates").fetchone()[0] or 0, MAX_LEAD_DAYS)
    overdue_from = min(b.today, b.start) - dt.timedelta(days=grace)
    lo = min(overdue_from, b.start)
    hi = b.end + dt.timedelta(days=max_lead)
    ranges = _md_ranges(lo, hi)
    sql = "SELECT d.contact_id, d.kind, d.label, d.value, d.lead_days FROM contact_dates d"
    params: list = []
    if ranges:
        sql += " WHERE " + " OR ".join("substr(d.value, -5) BETWEEN ? AND ?" for _ in ranges)
        params.extend(x for r in ranges for x in r)
    years = range(lo.year, hi.year + 1)
    horizon = min(b.start, b.today)
    shown, overdue = [], []   # (due, occurs, year_of_occurrence, row)
    for row in conn.execute(sql, params):
        value = row[3]
        year = None if value[0] == "-" else int(value[:4])
        month, day = int(value[-5:-3]), int(value[-2:])
        lead = _days(min(row[4] or 0, MAX_LEAD_DAYS))
        for y in years:
            if year is not None and y <= year:
                continue
            occurs = _yearly(month, day, y)
            due = occurs - lead
            if due > b.end or due < overdue_from:
                continue
            if due >= b.start:
                shown.append((due, occurs, y, row))
            elif due < horizon:
                overdue.append((due, occurs, y, row))
    keyed = {(k[1], k[2]) for k in events if k[0] == "key_date"}
    filtered = b.staff_id is not None or bool(b.channels) or len(tiers) < len(rhythms)
    if not filtered and b.overdue_limit is not None and len(overdue) > b.overdue_limit:
        overdue.sort(key=lambda x: x[0], reverse=True)
        with_events = [x for x in overdue[b.overdue_limit:] if (x[3][0], f"{x[3][1]}:{x[3][3]}") in keyed]
        b.uncounted["key_date"] = len(overdue) - b.overdue_limit - len(with_events)
        overdue = overdue[:b.overdue_limit] + with_events
    candidates = shown + overdue
    people = _people(conn, {c[3][0] for c in candidates})
    reasons: dict = {}
    tier_ok = set(tiers)
    for due, occurs, y, (cid, kind, label, value, _lead) in candidates:
        person = people.get(cid)
        if person is None or person[1] not in tier_ok:
            continue
        name, tier, preferred, owner = person
        if (b.staff_id is not None and owner != b.staff_id) or (b.channels and (preferred or "card") not in b.channels):
            continue
        ref = f"{kind}:{value}"
        event = events.get(("key_date", cid, ref, due.isoformat())) if (cid, ref) in keyed else None
        if event is not None and event[5] in ("done", "skipped"):
            continue
        reason = reasons.get((kind, label))
        if reason is None:
            reason = reasons[(kind, label)] = key_date_reason(kind, label)
        year = None if value[0] == "-" else int(value[:4])
        item = AgendaItem("key_date", ref, cid, name, tier, kind, reason, preferred or "card", owner, due, occurs,
                          due, "due", years=(y - year) if year is not None else None, preferred_channel=preferred)
        b.place(b.apply_event(item, event))

def _people(conn, ids) -> dict[int, tuple]:
    """display_name, tier, preferred_channel, owner_id of the given contacts (from agenda_people)."""
    ids = sorted(ids)
    found: dict[int, tuple] = {}
    for n in range(0, len(ids), 5000):
        chunk = ids[n:n + 5000]
        for r in conn.execute("SELECT contact_id, display_name, tier, preferred_channel, owner_id FROM agenda_people "
                              f"WHERE contact_id IN ({','.join('?' * len(chunk))})", chunk):
            found[r[0]] = r[1:]
    return found

@functools.lru_cache(maxsize=256)
def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)

@functools.lru_cache(maxsize=4096)
def _yearly(month: int, day: int, year: int) -> dt.date:
    return yearly_date(month, day, year)

def _rhythm_items(conn, b: _Builder, events, rhythms) -> None:
    event_ids = sorted({key[1] for key in events if key[0] == "rhythm"})
    channel_sql, channel_params = "", []
    if b.channels:
        channel_sql = (f" AND (CASE WHEN preferred_channel='' THEN 'call' ELSE preferred_channel END) "
                       f"IN ({','.join('?' * len(b.channels))})")
        channel_params = sorted(b.channels)
    owner_sql = " AND owner_id=?" if b.staff_id is not None else ""
    owner_params = [b.staff_id] if b.staff_id is not None else []
    columns = "contact_id, last_on, display_name, preferred_channel, owner_id, tier"
    horizon = min(b.start, b.today)
    one_day = dt.timedelta(days=1)
    for tier, rhythm in rhythms.items():
        if not rhythm.get("n"):
            continue
        reason = rhythm_reason(tier, rhythm)
        in_range_from = cadence_cutoff(b.start - one_day, rhythm).isoformat()
        overdue_to = cadence_cutoff(horizon - one_day, rhythm).isoformat()
        until = cadence_cutoff(b.end, rhythm).isoformat()
        filters = owner_sql + channel_sql
        rows = conn.execute(f"SELECT {columns} FROM agenda_people WHERE tier=? AND last_on > ? AND last_on <= ?"
                            f"{filters}", [tier, in_range_from, until, *owner_params, *channel_params]).fetchall()
        overdue_sql = f"FROM agenda_people WHERE tier=? AND last_on <= ?{filters}"
        overdue_params = [tier, overdue_to, *owner_params, *channel_params]
        limit = b.overdue_limit
        if limit is None:
            rows += conn.execute(f"SELECT {columns} {overdue_sql}", overdue_params).fetchall()
        else:
            fetched = conn.execute(f"SELECT {columns} {overdue_sql} ORDER BY last_on DESC LIMIT ?",
                                   [*overdue_params, limit + len(event_ids)]).fetchall()
            total = conn.execute(f"SELECT count(*) {overdue_sql}", overdue_params).fetchone()[0]
            rows += fetched
            # Contacts with rhythm events are handled below, one by one; they are not "unfetched".
            extra = total - len(fetched) - sum(1 for cid in event_ids if cid not in {r[0] for r in fetched} and
                                               _in_window(conn, cid, tier, overdue_to))
            if extra > 0:
                b.uncounted["rhythm"] = b.uncounted.get("rhythm", 0) + extra
        if event_ids:
            marks = ",".join("?" * len(event_ids))
            rows += conn.execute(f"SELECT {columns} FROM agenda_people WHERE tier=? AND contact_id IN ({marks})"
                                 f"{filters}", [tier, *event_ids, *owner_params, *channel_params]).fetchall()
        for cid, last_on, name, preferred, owner, _tier in rows:
            due = cadence_due(dt.date.fromisoformat(last_on), rhythm)
            event = None
            for _attempt in range(4):
                event = events.get(("rhythm", cid, "", due.isoformat())) if event_ids else None
                if event is not None and event[5] == "skipped":
                    # Skipping closes this round: the next one is a full cadence after the skip.
                    due = cadence_due(max(dt.date.fromisoformat(event[16][:10]), due), rhythm)
                    continue
                break
            if due > b.end or (event is not None and event[5] == "done"):
                continue
            item = AgendaItem("rhythm", "", cid, name, tier, "rhythm", reason, preferred or "call", owner, due, due,
                              due, "due", last_on=last_on, preferred_channel=preferred)
            b.place(b.apply_event(item, event))

def _in_window(conn, contact_id: int, tier: str, overdue_to: str) -> bool:
    row = conn.execute("SELECT 1 FROM agenda_people WHERE contact_id=? AND tier=? AND last_on <= ?",
                       (contact_id, tier, overdue_to)).fetchone()
    return row is not None

def _season_items(conn, b: _Builder, events, grace) -> None:
    overdue_from = min(b.today, b.start) - dt.timedelta(days=grace)
    lo = min(overdue_from, b.start)
    for season_id, name, rule_text, lead_days in conn.execute(
            "SELECT id, name, rule, lead_days FROM seasons WHERE active=1").fetchall():
        rule = json.loads(rule_text)
        lead = dt.timedelta(days=int(lead_days))
        for year in range(lo.year, (b.end + lead).year + 1):
            for occurs in season_dates(rule, year):
                due = occurs - lead
                if due > b.end or due < overdue_from:
                    continue
                ref = f"{name}:{year}"
                sql = ("SELECT r.contact_id, r.status, p.display_name, p.tier, p.preferred_channel, p.owner_id "
                       "FROM season_recipients r JOIN agenda_people p ON p.contact_id=r.contact_id "
                       "WHERE r.season_id=? AND r.year=?")
                params: list = [season_id, year]
                if b.staff_id is not None:
                    sql += " AND p.owner_id=?"
                    params.append(b.staff_id)
                reason = season_reason(name)
                for cid, status, cname, tier, preferred, owner in conn.execute(sql, params):
                    event = events.get(("season", cid, ref, due.isoformat()))
                    if event is not None and event[5] in ("done", "skipped"):
                        continue
                    item = AgendaItem("season", ref, cid, cname, tier, name, reason, "card", owner, due, occurs, due,
                                      "due", preferred_channel=preferred)
                    if status in ("sent", "skipped") and event is None:
                        item.status = "done" if status == "sent" else "skipped"
                    b.place(b.apply_event(item, event))

def due_contact_ids(vault, today: dt.date | None = None) -> set[int]:
    """People with something due today or overdue and not yet handled (the counter's "follow-up due" filter)."""
    today = today or dt.date.today()
    found = agenda(vault, today, today, today=today, include_handled=False, overdue_limit=None)
    return {item.contact_id for item in found.open_items()}
