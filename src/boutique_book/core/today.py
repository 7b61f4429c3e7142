"""What the counter shows when nobody is open (#22): the signed-in staff member's follow-ups due today (and
their own overdue ones), birthdays and key dates this week, the cards to write for the season at hand, and the
people seen last. Qt-free; every list is read through an index and capped, so it costs a few milliseconds on a
large book (the screen asks for it only when it is shown, never during unlock or while a card opens)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .calendar_agenda import _Builder, _followup_items, _latest_events, _md_ranges
from .calendar_labels import key_date_reason, season_reason
from .calendar_seasons import list_seasons, season_dates
from .errors import BoutiqueBookError

WEEK_DAYS = 7           # "this week": today and the six days after it
SEASON_AHEAD_DAYS = 60  # a card season is "at hand" from this many days before its date (or its lead time)
LIMIT = 12              # rows per part; the rest is counted ("and 30 more")
SEEN_WINDOW = 400       # the newest moments noted, read for "seen last"


@dataclass(slots=True)
class Row:
    contact_id: int
    name: str
    tier: str
    what: str                  # shown to people (translated)
    on: dt.date | None = None  # the date the row is about
    overdue: bool = False
    years: int | None = None   # a key date with a known year: the age or the anniversary number


@dataclass
class Part:
    rows: list[Row] = field(default_factory=list)
    more: int = 0              # rows not listed


@dataclass
class Season:
    name: str
    year: int
    date: dt.date
    to_write: Part = field(default_factory=Part)
    listed: int = 0            # people on the season's list this year (0: no list yet)


@dataclass
class Today:
    today: dt.date
    followups: Part
    key_dates: Part
    season: Season | None
    seen: Part


def today_view(vault, staff_id: int | None, today: dt.date | None = None, limit: int = LIMIT) -> Today:
    today = today or dt.date.today()
    return Today(today, followups_due(vault, staff_id, today, limit), key_dates_this_week(vault, today, limit),
                 season_at_hand(vault, today, limit), last_seen(vault, today))


def followups_due(vault, staff_id: int | None, today: dt.date, limit: int = LIMIT) -> Part:
    """This staff member's open follow-ups on today, then their overdue ones (the most recent first). Only the
    follow-up source of the agenda is computed (no key dates, rhythms or seasons)."""
    b = _Builder(today, today, today, staff_id, set(), False, None)
    _followup_items(vault.conn, b, _latest_events(vault.conn))
    agenda = b.finish()
    items = [i for i in agenda.days.get(today, []) if not i.handled]
    items += sorted(agenda.overdue, key=lambda i: i.on, reverse=True)
    rows = [Row(i.contact_id, i.display_name, i.tier, i.reason, i.on, i.on < today) for i in items]
    return Part(rows[:limit], max(0, len(rows) - limit))


def key_dates_this_week(vault, today: dt.date, limit: int = LIMIT) -> Part:
    """Birthdays, anniversaries and other key dates falling from today to six days on, in date order (the
    month-day index of contact_dates)."""
    end = today + dt.timedelta(days=WEEK_DAYS - 1)
    ranges = _md_ranges(today, end) or [("01-01", "12-31")]
    sql = ("SELECT d.contact_id, d.kind, d.label, d.value, p.display_name, p.tier FROM contact_dates d "
           "JOIN agenda_people p ON p.contact_id=d.contact_id WHERE "
           + " OR ".join("substr(d.value, -5) BETWEEN ? AND ?" for _ in ranges))
    found = []
    for cid, kind, label, value, name, tier in vault.query(sql, [x for r in ranges for x in r]):
        month, day = int(value[-5:-3]), int(value[-2:])
        occurs = None
        for year in {today.year, end.year}:
            try:
                candidate = dt.date(year, month, day)
            except ValueError:  # 29 February in a common year: celebrated on the 28th
                candidate = dt.date(year, 2, 28)
            if today <= candidate <= end:
                occurs = candidate
        if occurs is None:
            continue
        born = None if value.startswith("-") else int(value[:4])
        years = occurs.year - born if born is not None and occurs.year > born else None
        found.append(Row(cid, name, tier, key_date_reason(kind, label), occurs, years=years))
    found.sort(key=lambda r: (r.on, r.name.casefold()))
    return Part(found[:limit], max(0, len(found) - limit))


def season_at_hand(vault, today: dt.date, limit: int = LIMIT) -> Season | None:
    """The next card season whose date is near (within its lead time or SEASON_AHEAD_DAYS), with the people on
    its list whose card is not written yet."""
    best = None
    for season in list_seasons(vault, active_only=True):
        ahead = dt.timedelta(days=max(int(season["lead_days"] or 0), SEASON_AHEAD_DAYS))
        for year in (today.year, today.year + 1):
            try:
                dates = [d for d in season_dates(season["rule"], year) if today <= d <= today + ahead]
            except BoutiqueBookError:
                continue
            if dates and (best is None or dates[0] < best[2]):
                best = (season, year, dates[0])
                break
    if best is None:
        return None
    season, year, date = best
    rows = vault.query(
        "SELECT r.contact_id, p.display_name, p.tier, r.status FROM season_recipients r "
        "JOIN agenda_people p ON p.contact_id=r.contact_id WHERE r.season_id=? AND r.year=?",
        (season["id"], year))
    what = season_reason(season["name"])
    pending = sorted((Row(cid, name, tier, what, date) for cid, name, tier, status in rows
                      if status not in ("sent", "skipped")), key=lambda r: r.name.casefold())
    return Season(season["name"], year, date, Part(pending[:limit], max(0, len(pending) - limit)), len(rows))


def last_seen(vault, today: dt.date, limit: int = 8, window: int = SEEN_WINDOW) -> Part:
    """The people of the newest moments up to today (a visit, a purchase, a call...), newest first. Read from the
    last `window` moments noted (the end of the table, in rowid order: no scan of the moments, no sort of a
    million rows); a moment noted today at the counter is always among them."""
    rows = vault.query(
        "SELECT m.contact_id, m.occurred_on, p.display_name, p.tier FROM "
        "(SELECT contact_id, occurred_on FROM moments ORDER BY id DESC LIMIT ?) m "
        "JOIN agenda_people p ON p.contact_id=m.contact_id WHERE m.occurred_on <= ?",
        (window, today.isoformat()))
    newest: dict[int, tuple] = {}
    for cid, on, name, tier in rows:
        if cid not in newest or on > newest[cid][0]:
            newest[cid] = (on, name, tier)
    ordered = sorted(newest.items(), key=lambda kv: (kv[1][0], kv[0]), reverse=True)[:limit]
    return Part([Row(cid, name, tier, "", dt.date.fromisoformat(on[:10])) for cid, (on, name, tier) in ordered])
