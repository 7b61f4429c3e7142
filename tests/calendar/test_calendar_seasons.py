"""Seasons: moving feasts, recipient lists, card history and the "not on this year's list" warning."""

import datetime as dt

import pytest

from boutique_book.core import calendar, calendar_seasons as seasons, moments
from boutique_book.core.errors import ValidationError
from boutique_book.core.model import Moment

D = dt.date


def test_easter_western_and_orthodox():
    assert [seasons.easter_western(y) for y in (2024, 2025, 2026, 2027)] == [
        D(2024, 3, 31), D(2025, 4, 20), D(2026, 4, 5), D(2027, 3, 28)]
    assert [seasons.easter_orthodox(y) for y in (2024, 2025, 2026)] == [D(2024, 5, 5), D(2025, 4, 20), D(2026, 4, 12)]
    assert seasons.season_dates({"type": "easter", "offset": 49}, 2026) == [D(2026, 5, 24)]  # Pentecost


def test_table_feasts_and_their_limits():
    assert seasons.season_dates({"type": "table", "name": "lunar_new_year"}, 2026) == [D(2026, 2, 17)]
    assert seasons.season_dates({"type": "table", "name": "eid_al_fitr"}, 2033) == [D(2033, 1, 2), D(2033, 12, 23)]
    assert seasons.season_dates({"type": "table", "name": "diwali"}, 2040) == []  # outside the table: unknown
    for name, years in seasons.FEAST_TABLE.items():
        assert set(range(2024, 2036)) <= set(years), name


def test_mothers_day_rules():
    assert seasons.season_dates({"type": "nth_weekday", "month": 5, "n": 2, "weekday": 6}, 2026) == [D(2026, 5, 10)]
    assert seasons.season_dates({"type": "fr_mothers_day"}, 2026) == [D(2026, 5, 31)]
    assert seasons.season_dates({"type": "fr_mothers_day"}, 2004) == [D(2004, 6, 6)]  # Pentecost was 30 May


def test_built_in_seasons_are_seeded_and_the_manager_can_add_one(vault):
    names = [s["name"] for s in seasons.list_seasons(vault)]
    assert {"christmas", "new_year", "lunar_new_year", "diwali", "eid_al_fitr", "easter"} <= set(names)
    sid = seasons.save_season(vault, "Eid al-Adha", {"type": "dates", "dates": ["2026-05-27", "2027-05-16"]}, 14,
                              actor="manager")
    assert seasons.season_dates(seasons.get_season(vault, sid)["rule"], 2027) == [D(2027, 5, 16)]
    with pytest.raises(ValidationError):
        seasons.save_season(vault, "Broken", {"type": "fixed", "month": 2, "day": 30})


def test_card_history_and_missing_from_this_years_list(vault, make_person, staff_id):
    anne, bruno, chloe = make_person("Anne", tier="family"), make_person("Bruno"), make_person("Chloé", tier="family")
    for cid in (anne, bruno):
        moments.add(vault, Moment(cid, "Christmas card sent.", D(2025, 12, 10), kind="card_sent", season="christmas",
                                  season_year=2025), by=staff_id)
    moments.add(vault, Moment(bruno, "Lovely card back", D(2025, 12, 22), kind="card_received", season="christmas",
                              season_year=2025))
    history = seasons.card_history(vault, "christmas", 2025)
    assert [p["contact_id"] for p in history["sent"]] == [anne, bruno]
    assert [p["contact_id"] for p in history["sent_and_answered"]] == [bruno]

    size = seasons.set_recipients(vault, "christmas", 2026, tiers=["family"])
    assert size == 2
    listing = seasons.season_list(vault, "christmas", 2026)
    assert {r["contact_id"] for r in listing["recipients"]} == {anne, chloe}
    assert [m["contact_id"] for m in listing["missing_from_last_year"]] == [bruno]
    assert listing["date"] == D(2026, 12, 25)
    seasons.set_recipients(vault, "christmas", 2026, contact_ids=[bruno], remove_ids=[chloe])
    assert seasons.recipient_ids(vault, "christmas", 2026) == [anne, bruno]
    assert seasons.season_list(vault, "christmas", 2026)["missing_from_last_year"] == []


def test_season_cards_show_in_the_agenda_and_done_records_the_card(vault, make_person, staff_id):
    anne = make_person("Anne", tier="family")
    seasons.set_recipients(vault, "christmas", 2026, contact_ids=[anne])
    agenda = calendar.agenda(vault, D(2026, 11, 30), D(2026, 12, 6), today=D(2026, 11, 30))
    [item] = [i for i in agenda.items() if i.source == "season"]
    assert (item.on, item.occurs, item.reason_kind, item.channel) == (D(2026, 12, 4), D(2026, 12, 25), "christmas", "card")
    calendar.mark_done(vault, item, by=staff_id, on=D(2026, 12, 3))
    [card] = moments.for_contact(vault, anne, kinds=("card_sent",))
    assert (card.season, card.season_year, card.staff_id) == ("christmas", 2026, staff_id)
    assert seasons.recipient_ids(vault, "christmas", 2026, status="sent") == [anne]
    again = calendar.agenda(vault, D(2026, 11, 30), D(2026, 12, 6), today=D(2026, 12, 5))
    assert [i.status for i in again.items() if i.source == "season"] == ["done"]
    assert seasons.card_history(vault, "christmas", 2026)["sent"][0]["contact_id"] == anne
