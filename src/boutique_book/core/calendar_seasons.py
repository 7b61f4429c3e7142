"""Card seasons: their dates (moving feasts computed per year), recipient lists, card history.

Season rules (JSON in seasons.rule):

    {"type": "fixed", "month": 12, "day": 25}
    {"type": "easter", "offset": 0, "calendar": "western|orthodox"}   computed (Gauss/Meeus), any year
    {"type": "nth_weekday", "month": 5, "n": 2, "weekday": 6}          2nd Sunday of May (n=-1: last)
    {"type": "fr_mothers_day"}                                         last Sunday of May, or the first
                                                                       Sunday of June when that is Pentecost
    {"type": "table", "name": "lunar_new_year|diwali|eid_al_fitr"}     a small table of dates 2024-2035
    {"type": "dates", "dates": ["2026-05-27", ...]}                    dated by the manager

Lunar New Year, Diwali and Eid follow lunisolar or lunar calendars (and, for Eid, the sighting of the
moon, which differs by a day between countries): no short formula gives the date the customer will
celebrate, so the built-in table lists published dates for 2024-2035 and the manager can override any
year with a "dates" rule. Outside the table those seasons have no date (and say so in the season list).
"""

from __future__ import annotations

import datetime as dt
import json

from . import changelog
from .calendar_rules import nth_weekday
from .errors import NotFound, ValidationError
from .text import nfc
from ..translation import _, ngettext

# Published dates (first day). Eid al-Fitr falls twice in 2033. Diwali: Lakshmi Puja as gazetted in India;
# some regions celebrate a day earlier or later. Lunar New Year: first day of the first lunar month (China).
FEAST_TABLE: dict[str, dict[int, tuple[str, ...]]] = {
    "lunar_new_year": {
        2024: ("02-10",), 2025: ("01-29",), 2026: ("02-17",), 2027: ("02-06",), 2028: ("01-26",),
        2029: ("02-13",), 2030: ("02-03",), 2031: ("01-23",), 2032: ("02-11",), 2033: ("01-31",),
        2034: ("02-19",), 2035: ("02-08",),
    },
    "diwali": {
        2024: ("10-31",), 2025: ("10-20",), 2026: ("11-08",), 2027: ("10-29",), 2028: ("10-17",),
        2029: ("11-05",), 2030: ("10-26",), 2031: ("11-14",), 2032: ("11-02",), 2033: ("10-22",),
        2034: ("11-10",), 2035: ("10-30",),
    },
    "eid_al_fitr": {
        2024: ("04-10",), 2025: ("03-30",), 2026: ("03-20",), 2027: ("03-10",), 2028: ("02-27",),
        2029: ("02-14",), 2030: ("02-05",), 2031: ("01-24",), 2032: ("01-14",), 2033: ("01-02", "12-23"),
        2034: ("12-12",), 2035: ("12-01",),
    },
}
TABLE_YEARS = (2024, 2035)

# Built-in seasons (seeded by migration 0010). Names are keys; moments store them in moments.season.
BUILT_IN = (
    ("christmas", {"type": "fixed", "month": 12, "day": 25}, 21),
    ("new_year", {"type": "fixed", "month": 1, "day": 1}, 21),
    ("lunar_new_year", {"type": "table", "name": "lunar_new_year"}, 21),
    ("easter", {"type": "easter", "offset": 0, "calendar": "western"}, 14),
    ("mothers_day", {"type": "nth_weekday", "month": 5, "n": 2, "weekday": 6}, 10),
    ("eid_al_fitr", {"type": "table", "name": "eid_al_fitr"}, 14),
    ("diwali", {"type": "table", "name": "diwali"}, 14),
)


def easter_western(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def easter_orthodox(year: int) -> dt.date:
    """Orthodox Easter Sunday (Meeus' Julian algorithm), as a Gregorian date (valid 1900-2099)."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    return dt.date(year, month, day + 1) + dt.timedelta(days=13)


def season_dates(rule: dict, year: int) -> list[dt.date]:
    """The date(s) of a season in a year (empty when unknown, e.g. a table feast outside its table)."""
    kind = rule.get("type")
    if kind == "fixed":
        return [dt.date(year, int(rule["month"]), int(rule["day"]))]
    if kind == "easter":
        base = easter_orthodox(year) if rule.get("calendar") == "orthodox" else easter_western(year)
        return [base + dt.timedelta(days=int(rule.get("offset", 0)))]
    if kind == "nth_weekday":
        found = nth_weekday(year, int(rule["month"]), int(rule.get("n", 1)), int(rule.get("weekday", 6)))
        return [found] if found else []
    if kind == "fr_mothers_day":
        last_may = nth_weekday(year, 5, -1, 6)
        pentecost = easter_western(year) + dt.timedelta(days=49)
        return [last_may + dt.timedelta(days=7) if last_may == pentecost else last_may]
    if kind == "table":
        return [dt.date.fromisoformat(f"{year}-{md}") for md in FEAST_TABLE.get(rule.get("name"), {}).get(year, ())]
    if kind == "dates":
        return sorted(d for d in (dt.date.fromisoformat(x) for x in rule.get("dates", ())) if d.year == year)
    raise ValidationError(f"Unknown kind of season date “{kind}”.", field="rule")


def validate_season_rule(rule: dict) -> dict:
    kind = rule.get("type")
    try:
        if kind == "fixed":
            dt.date(2001, int(rule["month"]), int(rule["day"]))  # a common year: no 29 February seasons
        elif kind == "easter":
            int(rule.get("offset", 0))
        elif kind == "nth_weekday":
            if int(rule.get("n", 1)) not in (1, 2, 3, 4, -1) or not 0 <= int(rule.get("weekday", 6)) <= 6:
                raise ValueError
            dt.date(2001, int(rule["month"]), 1)
        elif kind == "table":
            if rule.get("name") not in FEAST_TABLE:
                raise ValueError
        elif kind == "dates":
            rule = {"type": "dates", "dates": sorted({dt.date.fromisoformat(x).isoformat() for x in rule["dates"]})}
        elif kind != "fr_mothers_day":
            raise ValueError
    except (KeyError, ValueError, TypeError):
        raise ValidationError(_("That season date is not valid."), field="rule") from None
    return rule


# -- seasons in the vault --------------------------------------------------------------------------
def list_seasons(vault, active_only: bool = False) -> list[dict]:
    sql = "SELECT id, name, rule, lead_days, active FROM seasons"
    if active_only:
        sql += " WHERE active=1"
    return [{"id": r[0], "name": r[1], "rule": json.loads(r[2]), "lead_days": r[3], "active": bool(r[4])}
            for r in vault.query(sql + " ORDER BY id")]


def get_season(vault, season) -> dict:
    """A season by id or name."""
    column = "id" if isinstance(season, int) else "name"
    row = vault.conn.execute(f"SELECT id, name, rule, lead_days, active FROM seasons WHERE {column}=?",
                             (season,)).fetchone()
    if row is None:
        raise NotFound(f"No season “{season}”.")
    return {"id": row[0], "name": row[1], "rule": json.loads(row[2]), "lead_days": row[3], "active": bool(row[4])}


def save_season(vault, name: str, rule: dict, lead_days: int = 21, active: bool = True,
                actor: str | None = None) -> int:
    """Add a season or change its date rule / lead time (a manager action: audited when actor is given)."""
    name = nfc(name)
    if not name:
        raise ValidationError(_("A season needs a name."), field="name")
    if not 0 <= int(lead_days) <= 120:
        raise ValidationError(ngettext("The lead time must be between 0 and {n} day.", "The lead time must be between 0 and {n} days.",
                                       120).format(n=120), field="lead_days")
    rule = validate_season_rule(rule)
    with vault.transaction() as conn:
        conn.execute(
            "INSERT INTO seasons(name, rule, lead_days, active) VALUES (?,?,?,?) ON CONFLICT(name) DO UPDATE SET "
            "rule=excluded.rule, lead_days=excluded.lead_days, active=excluded.active",
            (name, json.dumps(rule, sort_keys=True), int(lead_days), int(active)))
        season_id = conn.execute("SELECT id FROM seasons WHERE name=?", (name,)).fetchone()[0]
        if actor is not None:
            changelog.audit(conn, actor, "season", name=name)
        return season_id


def set_recipients(vault, season, year: int, tiers=(), tags=(), contact_ids=(), remove_ids=(),
                   by: int | None = None) -> int:
    """Add recipients to a season's list for a year, chosen by tier, tag and/or by hand; remove by hand.
    Returns the size of the list afterwards."""
    season_id = get_season(vault, season)["id"]
    with vault.transaction() as conn:
        if tiers:
            conn.execute(
                f"INSERT OR IGNORE INTO season_recipients(season_id, year, contact_id) SELECT ?, ?, id FROM contacts "
                f"WHERE tier IN ({','.join('?' * len(tiers))})", (season_id, year, *tiers))
        if tags:
            conn.execute(
                f"INSERT OR IGNORE INTO season_recipients(season_id, year, contact_id) SELECT DISTINCT ?, ?, ct.contact_id "
                f"FROM contact_tags ct JOIN tags t ON t.id=ct.tag_id WHERE t.name IN ({','.join('?' * len(tags))})",
                (season_id, year, *tags))
        conn.executemany("INSERT OR IGNORE INTO season_recipients(season_id, year, contact_id) VALUES (?,?,?)",
                         [(season_id, year, int(c)) for c in contact_ids])
        conn.executemany("DELETE FROM season_recipients WHERE season_id=? AND year=? AND contact_id=?",
                         [(season_id, year, int(c)) for c in remove_ids])
        changelog.record(conn, "season", season_id, "recipients", by, f"year={year}")
        return conn.execute("SELECT count(*) FROM season_recipients WHERE season_id=? AND year=?",
                            (season_id, year)).fetchone()[0]


def recipient_ids(vault, season, year: int, status: str | None = None) -> list[int]:
    """The season list (for printing): contact ids in name order."""
    season_id = get_season(vault, season)["id"]
    sql = ("SELECT r.contact_id FROM season_recipients r JOIN contacts c ON c.id=r.contact_id "
           "WHERE r.season_id=? AND r.year=?")
    params: list = [season_id, year]
    if status:
        sql += " AND r.status=?"
        params.append(status)
    return [r[0] for r in vault.query(sql + " ORDER BY c.sort_key, c.id", params)]


def season_list(vault, season, year: int) -> dict:
    """The list for a season and year with its warnings: people who got a card for this season last year
    but are not on this year's list, and the season's date (None when unknown for that year)."""
    info = get_season(vault, season)
    rows = vault.query(
        "SELECT r.contact_id, c.display_name, c.tier, r.status FROM season_recipients r "
        "JOIN contacts c ON c.id=r.contact_id WHERE r.season_id=? AND r.year=? ORDER BY c.sort_key, c.id",
        (info["id"], year))
    missing = vault.query(
        "SELECT DISTINCT m.contact_id, c.display_name, c.tier FROM moments m JOIN contacts c ON c.id=m.contact_id "
        "WHERE m.kind='card_sent' AND m.season=? AND m.season_year=? AND m.contact_id NOT IN "
        "(SELECT contact_id FROM season_recipients WHERE season_id=? AND year=?) ORDER BY c.sort_key, c.id",
        (info["name"], year - 1, info["id"], year))
    dates = season_dates(info["rule"], year)
    return {"season": info, "year": year, "date": dates[0] if dates else None, "dates": dates,
            "recipients": [{"contact_id": r[0], "display_name": r[1], "tier": r[2], "status": r[3]} for r in rows],
            "missing_from_last_year": [{"contact_id": r[0], "display_name": r[1], "tier": r[2]} for r in missing]}


def card_history(vault, season: str, year: int) -> dict:
    """Who did we send a card to for `season` in `year`, and who sent one back (moments of kind card)."""
    def people(kind):
        return [{"contact_id": r[0], "display_name": r[1], "on": r[2]} for r in vault.query(
            "SELECT m.contact_id, c.display_name, min(m.occurred_on) FROM moments m "
            "JOIN contacts c ON c.id=m.contact_id WHERE m.kind=? AND m.season=? AND m.season_year=? "
            "GROUP BY m.contact_id ORDER BY c.sort_key, c.id", (kind, season, year))]

    sent, received = people("card_sent"), people("card_received")
    received_ids = {r["contact_id"] for r in received}
    sent_ids = {r["contact_id"] for r in sent}
    return {"season": season, "year": year, "sent": sent, "received": received,
            "sent_and_answered": [r for r in sent if r["contact_id"] in received_ids],
            "received_not_sent": [r for r in received if r["contact_id"] not in sent_ids]}


def next_season(vault, today: dt.date | None = None) -> tuple[str, int] | None:
    """(name, year) of the active season whose date comes next (today counts). A season without a date in
    a year (a table feast outside its table) is skipped for that year."""
    from .errors import BoutiqueBookError

    today = today or dt.date.today()
    best = None
    for season in list_seasons(vault, active_only=True):
        for year in (today.year, today.year + 1):
            try:
                dates = [d for d in season_dates(season["rule"], year) if d >= today]
            except BoutiqueBookError:
                break
            if dates:
                if best is None or dates[0] < best[0]:
                    best = (dates[0], season["name"], year)
                break
    return (best[1], best[2]) if best else None
