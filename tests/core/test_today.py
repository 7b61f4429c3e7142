"""core.today: what the counter shows when nobody is open (#22)."""

from __future__ import annotations

import datetime as dt

from boutique_book.core import calendar, contacts, moments, staff
from boutique_book.core.calendar_seasons import set_recipients
from boutique_book.core.model import Contact, KeyDate, Moment, PartialDate
from boutique_book.core.today import key_dates_this_week, last_seen, today_view

TODAY = dt.date(2026, 12, 10)  # a Thursday, 15 days before Christmas


def _person(vault, given, family, **kw):
    return contacts.add(vault, Contact(given_name=given, family_name=family, **kw))


def test_the_day_at_a_glance(vault, staff_id):
    other = staff.add(vault, "Jules Morel")
    ines = _person(vault, "Inès", "Garnier", tier="family",
                   dates=[KeyDate("birthday", PartialDate.parse("1980-12-12"))])
    yuki = _person(vault, "Yuki", "Sato", dates=[KeyDate("anniversary", PartialDate.parse("--12-16"))])
    far = _person(vault, "Far", "Away", dates=[KeyDate("birthday", PartialDate.parse("--12-24"))])
    marc = _person(vault, "Marc", "Olivier")
    calendar.add_followup(vault, marc, TODAY, {"type": "once"}, reason="Call back about the hem", owner=staff_id)
    calendar.add_followup(vault, yuki, TODAY - dt.timedelta(days=3), {"type": "once"}, reason="Send the swatches",
                          owner=staff_id)
    calendar.add_followup(vault, ines, TODAY, {"type": "once"}, reason="Not mine", owner=other)
    calendar.add_followup(vault, far, TODAY + dt.timedelta(days=1), {"type": "once"}, reason="Tomorrow",
                          owner=staff_id)
    set_recipients(vault, "christmas", 2026, contact_ids=[ines, marc])
    moments.add(vault, Moment(marc, "Tried the navy coat", TODAY - dt.timedelta(days=1), kind="visit"))
    moments.add(vault, Moment(far, "A later date than today", TODAY + dt.timedelta(days=30), kind="story"))

    day = today_view(vault, staff_id, today=TODAY)

    assert [(r.contact_id, r.what, r.overdue) for r in day.followups.rows] == [
        (marc, "Call back about the hem", False), (yuki, "Send the swatches", True)]
    assert [(r.contact_id, r.on) for r in day.key_dates.rows] == [(ines, dt.date(2026, 12, 12)),
                                                                  (yuki, dt.date(2026, 12, 16))]
    assert day.key_dates.rows[0].years == 46 and day.key_dates.rows[1].years is None
    assert day.key_dates.rows[0].what == "Birthday"
    assert day.season is not None and day.season.name == "christmas" and day.season.date == dt.date(2026, 12, 25)
    assert sorted(r.contact_id for r in day.season.to_write.rows) == sorted([ines, marc])
    assert day.season.listed == 2
    seen = [r.contact_id for r in day.seen.rows]
    assert seen[0] == marc and far not in seen[:1]  # a date after today is not "seen"


def test_parts_are_capped_and_counted(vault, staff_id):
    for n in range(15):
        _person(vault, f"Person{n:02d}", "Birthday", dates=[KeyDate("birthday", PartialDate.parse("--12-11"))])
    part = key_dates_this_week(vault, TODAY, limit=12)
    assert len(part.rows) == 12 and part.more == 3
    ids = [_person(vault, f"Visitor{n:02d}", "Seen") for n in range(10)]
    for n, cid in enumerate(ids):
        moments.add(vault, Moment(cid, "Came by", TODAY - dt.timedelta(days=n), kind="visit"))
    part = last_seen(vault, TODAY, limit=8)
    assert [r.contact_id for r in part.rows] == ids[:8]  # newest first


def test_key_dates_across_the_new_year_and_29_february(vault, staff_id):
    a = _person(vault, "New", "Year", dates=[KeyDate("birthday", PartialDate.parse("--01-02"))])
    b = _person(vault, "Leap", "Day", dates=[KeyDate("birthday", PartialDate.parse("2000-02-29"))])
    rows = key_dates_this_week(vault, dt.date(2026, 12, 29)).rows
    assert [(r.contact_id, r.on) for r in rows] == [(a, dt.date(2027, 1, 2))]
    rows = key_dates_this_week(vault, dt.date(2027, 2, 25)).rows
    assert [(r.contact_id, r.on) for r in rows] == [(b, dt.date(2027, 2, 28))]


def test_no_season_when_none_is_near(vault, staff_id):
    assert today_view(vault, staff_id, today=dt.date(2026, 7, 1)).season is None  # no card season in summer
