"""The agenda: key dates, tier rhythms, follow-ups, handling (done / snooze / skip), filters, cases, context."""

import datetime as dt

import pytest

from boutique_book.core import calendar, contacts, links, moments
from boutique_book.core.errors import ValidationError
from boutique_book.core.model import Moment

D = dt.date
DAY = dt.timedelta(days=1)


def _open(agenda):
    """Open items other than tier rhythms (whose clock starts on the real day the test contact is created)."""
    return [i for i in agenda.items() if not i.handled and i.source != "rhythm"]


# -- tier rhythms ----------------------------------------------------------------------------------------
def test_defaults_are_family_6_weeks_friends_3_months_acquaintances_12_months(vault):
    rhythms = calendar.tier_rhythms(vault)
    assert (rhythms["family"]["n"], rhythms["family"]["unit"]) == (6, "weeks")
    assert (rhythms["friends"]["n"], rhythms["friends"]["unit"]) == (3, "months")
    assert (rhythms["acquaintances"]["n"], rhythms["acquaintances"]["unit"]) == (12, "months")


def test_family_contact_is_due_after_six_weeks_without_a_moment_and_not_after_one(vault, make_person, today):
    anne = make_person("Anne", tier="family")
    assert calendar.rhythm_status(vault, anne, today + dt.timedelta(weeks=1))["due"] is False
    assert calendar.rhythm_status(vault, anne, today + dt.timedelta(weeks=6))["due"] is True
    one_week = today + dt.timedelta(weeks=1)
    assert not calendar.agenda(vault, one_week, one_week, today=one_week).find(anne, "rhythm")
    six_weeks = today + dt.timedelta(weeks=6)
    [item] = calendar.agenda(vault, six_weeks, six_weeks, today=six_weeks).find(anne, "rhythm")
    assert (item.status, item.on, item.tier) == ("due", six_weeks, "family")
    later = six_weeks + dt.timedelta(days=10)
    [overdue] = calendar.agenda(vault, later, later, today=later).overdue
    assert (overdue.contact_id, overdue.status) == (anne, "overdue")


def test_noting_a_moment_resets_the_clock_and_deleting_it_restores_it(vault, make_person, today):
    anne = make_person("Anne", tier="family")
    at = today + dt.timedelta(weeks=6)
    moment_id = moments.add(vault, Moment(anne, "Came by for coffee", today + dt.timedelta(weeks=2), kind="coffee"))
    assert calendar.rhythm_status(vault, anne, at) == {
        "tier": "family", "last_on": today + dt.timedelta(weeks=2), "due_on": today + dt.timedelta(weeks=8),
        "due": False}
    assert not calendar.agenda(vault, at, at, today=at).find(anne)
    moments.delete(vault, moment_id)
    assert calendar.rhythm_status(vault, anne, at)["due"] is True


def test_changing_tier_or_cadence_re_plans(vault, make_person, today, staff_id):
    anne = make_person("Anne", tier="family")
    at = today + dt.timedelta(weeks=7)
    assert calendar.rhythm_status(vault, anne, at)["due"] is True
    contacts.set_tier(vault, anne, "acquaintances", by=staff_id)
    assert calendar.rhythm_status(vault, anne, at)["due"] is False
    calendar.set_tier_rhythm(vault, "acquaintances", 4, "weeks", actor="manager")
    assert calendar.rhythm_status(vault, anne, at)["due_on"] == today + dt.timedelta(weeks=4)
    calendar.set_tier_rhythm(vault, "acquaintances", 0, "weeks")
    assert not calendar.agenda(vault, at, at, today=at).find(anne)
    with pytest.raises(ValidationError):
        calendar.set_tier_rhythm(vault, "acquaintances", 2, "fortnights")


def test_skipping_a_rhythm_closes_the_round(vault, make_person, today, staff_id):
    anne = make_person("Anne", tier="family")
    at = today + dt.timedelta(weeks=6)
    [item] = calendar.agenda(vault, at, at, today=at).find(anne, "rhythm")
    calendar.skip(vault, item, "On holiday until spring", by=staff_id)
    assert not [i for i in calendar.agenda(vault, at, at + dt.timedelta(weeks=5), today=at).items() if not i.handled]
    # The next round starts from the planned day (or the skip, if later): a full cadence after it.
    later = calendar.agenda(vault, at, today + dt.timedelta(weeks=13), today=at)
    assert [i.on for i in later.find(anne, "rhythm") if not i.handled] == [today + dt.timedelta(weeks=12)]
    assert [i.status for i in later.find(anne, "rhythm") if i.handled] == ["skipped"]


# -- key dates --------------------------------------------------------------------------------------------
def test_birthday_appears_lead_days_before_with_the_age_when_the_year_is_known(vault, make_person):
    anne = make_person("Anne", birthday="1956-03-14", lead=10)
    agenda = calendar.agenda(vault, D(2026, 3, 2), D(2026, 3, 8), today=D(2026, 3, 2))
    [item] = agenda.find(anne, "birthday")
    assert (item.on, item.occurs, item.years, item.channel) == (D(2026, 3, 4), D(2026, 3, 14), 70, "card")


def test_birthday_with_unknown_year_and_29_february(vault, make_person):
    anne = make_person("Anne", birthday="--03-14")
    leap = make_person("Leap", birthday="--02-29")
    [item] = calendar.agenda(vault, D(2027, 3, 14), D(2027, 3, 14), today=D(2027, 3, 14)).find(anne, "birthday")
    assert item.years is None
    common = calendar.agenda(vault, D(2027, 2, 22), D(2027, 2, 28), today=D(2027, 2, 22))
    assert [i.on for i in common.find(leap, "birthday")] == [D(2027, 2, 28)]
    leap_year = calendar.agenda(vault, D(2028, 2, 23), D(2028, 2, 29), today=D(2028, 2, 23))
    assert [i.on for i in leap_year.find(leap, "birthday")] == [D(2028, 2, 29)]


def test_no_anniversary_before_the_date_itself(vault, make_person):
    bea = make_person("Béa", dates=[("first_purchase", "2026-06-01")])
    assert not calendar.agenda(vault, D(2026, 5, 25), D(2026, 6, 7), today=D(2026, 5, 25)).find(bea, "first_purchase")
    [item] = calendar.agenda(vault, D(2027, 5, 25), D(2027, 6, 7), today=D(2027, 5, 25)).find(bea, "first_purchase")
    assert item.years == 1


def test_key_dates_across_the_year_boundary(vault, make_person):
    anne = make_person("Anne", birthday="--01-02", lead=3)
    bruno = make_person("Bruno", birthday="--12-31")
    agenda = calendar.agenda(vault, D(2026, 12, 28), D(2027, 1, 3), today=D(2026, 12, 28))
    assert [i.on for i in agenda.find(anne, "birthday")] == [D(2026, 12, 30)]
    assert [i.occurs for i in agenda.find(anne, "birthday")] == [D(2027, 1, 2)]
    assert [i.on for i in agenda.find(bruno, "birthday")] == [D(2026, 12, 31)]
    assert list(agenda.days) == sorted(agenda.days)


def test_missed_birthday_stays_overdue_for_the_grace_period_only(vault, make_person):
    anne = make_person("Anne", birthday="--03-14")
    soon = calendar.agenda(vault, D(2026, 3, 20), D(2026, 3, 20), today=D(2026, 3, 20))
    assert [(i.contact_id, i.status) for i in soon.overdue] == [(anne, "overdue")]
    late = calendar.agenda(vault, D(2026, 4, 20), D(2026, 4, 20), today=D(2026, 4, 20))
    assert not late.find(anne, "birthday")


def test_marking_a_birthday_done_writes_a_moment_stamped_with_the_staff_member(vault, make_person, staff_id):
    anne = make_person("Anne", birthday="--03-14", channel="card")
    [item] = calendar.agenda(vault, D(2026, 3, 14), D(2026, 3, 14), today=D(2026, 3, 14)).find(anne, "birthday")
    moment_id = calendar.mark_done(vault, item, by=staff_id, note="Roses and a card", on=D(2026, 3, 14))
    moment = moments.get(vault, moment_id)
    assert (moment.contact_id, moment.kind, moment.staff_name) == (anne, "card_sent", "Camille Laurent")
    assert "Roses and a card" in moment.text
    after = calendar.agenda(vault, D(2026, 3, 14), D(2026, 3, 14), today=D(2026, 3, 14))
    assert [i.status for i in after.find(anne, "birthday")] == ["done"]
    assert not _open(after)
    assert not calendar.agenda(vault, D(2026, 3, 14), D(2026, 3, 14), today=D(2026, 3, 14),
                               include_handled=False).find(anne)


# -- follow-ups -------------------------------------------------------------------------------------------
def test_one_off_follow_up_stays_overdue_until_handled(vault, make_person, staff_id):
    anne = make_person("Anne")
    calendar.add_followup(vault, anne, D(2026, 1, 10), reason="Call after the alteration", channel="call",
                          owner=staff_id, by=staff_id)
    agenda = calendar.agenda(vault, D(2026, 6, 1), D(2026, 6, 7), today=D(2026, 6, 1))
    [item] = agenda.overdue
    assert (item.reason, item.status, item.on) == ("Call after the alteration", "overdue", D(2026, 1, 10))
    calendar.mark_done(vault, item, by=staff_id)
    assert not calendar.agenda(vault, D(2026, 6, 1), D(2026, 6, 7), today=D(2026, 6, 1)).find(anne, "custom")
    assert moments.for_contact(vault, anne)[0].kind == "call"


def test_snooze_moves_the_item_and_skip_needs_a_reason(vault, make_person, staff_id):
    anne = make_person("Anne")
    fid = calendar.add_followup(vault, anne, D(2026, 1, 10), reason="Invite to the show", channel="email")
    [item] = calendar.agenda(vault, D(2026, 1, 5), D(2026, 1, 11), today=D(2026, 1, 5)).find(anne)
    calendar.snooze(vault, item, D(2026, 1, 20), by=staff_id, today=D(2026, 1, 5))
    assert not calendar.agenda(vault, D(2026, 1, 5), D(2026, 1, 11), today=D(2026, 1, 5)).find(anne, "custom")
    [moved] = calendar.agenda(vault, D(2026, 1, 19), D(2026, 1, 25), today=D(2026, 1, 19)).find(anne, "custom")
    assert (moved.status, moved.on, moved.due, moved.followup_id) == ("snoozed", D(2026, 1, 20), D(2026, 1, 10), fid)
    with pytest.raises(ValidationError):
        calendar.skip(vault, moved, "  ", by=staff_id)
    calendar.skip(vault, moved, "She moved abroad", by=staff_id)
    assert not _open(calendar.agenda(vault, D(2026, 1, 1), D(2026, 2, 28), today=D(2026, 2, 1)))


def test_recurring_follow_up_shows_only_its_latest_missed_occurrence(vault, make_person):
    anne = make_person("Anne")
    calendar.add_followup(vault, anne, D(2026, 1, 5), rule={"type": "every", "n": 1, "unit": "weeks"},
                          reason="Weekly fitting call", channel="call", time="10:30")
    agenda = calendar.agenda(vault, D(2026, 3, 2), D(2026, 3, 8), today=D(2026, 3, 4))
    assert [(i.on, i.status) for i in agenda.find(anne, "custom")] == [(D(2026, 3, 2), "overdue")]
    # Seen on 1 March, the 23 February call is still the latest missed one; 2 March is not due yet.
    future = calendar.agenda(vault, D(2026, 3, 2), D(2026, 3, 8), today=D(2026, 3, 1))
    assert [(i.on, i.status) for i in future.find(anne, "custom")] == [(D(2026, 2, 23), "overdue"), (D(2026, 3, 2), "due")]
    assert future.find(anne, "custom")[0].time == "10:30"


def test_cancelled_follow_up_disappears(vault, make_person):
    anne = make_person("Anne")
    fid = calendar.add_followup(vault, anne, D(2026, 1, 10), reason="Call")
    calendar.cancel_followup(vault, fid)
    assert not calendar.agenda(vault, D(2026, 1, 1), D(2026, 1, 31), today=D(2026, 1, 1)).find(anne, "custom")


def test_filters_by_staff_and_channel(vault, make_person, staff_id, other_staff_id):
    anne = make_person("Anne", birthday="--05-05", channel="call", by=staff_id)
    bruno = make_person("Bruno", birthday="--05-06", channel="card", by=other_staff_id)
    calendar.add_followup(vault, bruno, D(2026, 5, 4), reason="Shoes arrived", channel="sms", owner=staff_id)
    week = (D(2026, 5, 4), D(2026, 5, 10))
    mine = calendar.agenda(vault, *week, today=week[0], staff_id=staff_id)
    assert {(i.contact_id, i.reason_kind) for i in _open(mine)} == {(anne, "birthday"), (bruno, "custom")}
    cards = calendar.agenda(vault, *week, today=week[0], channels=["card"])
    assert {(i.contact_id, i.reason_kind) for i in _open(cards)} == {(bruno, "birthday")}


def test_overdue_list_is_trimmed_with_a_true_total(vault, make_person):
    people = [make_person(f"P{n}", tier="acquaintances", birthday=f"--03-{n + 1:02d}") for n in range(12)]
    agenda = calendar.agenda(vault, D(2026, 3, 20), D(2026, 3, 20), today=D(2026, 3, 20), overdue_limit=5)
    assert len([i for i in agenda.overdue if i.source == "key_date"]) == 5
    assert agenda.overdue_total["key_date"] == 12
    assert agenda.overdue_hidden == sum(agenda.overdue_total.values()) - len(agenda.overdue) >= 7
    assert {i.contact_id for i in agenda.overdue if i.source == "key_date"} == set(people[-5:])  # most recent
    full = calendar.agenda(vault, D(2026, 3, 20), D(2026, 3, 20), today=D(2026, 3, 20), overdue_limit=None)
    assert len([i for i in full.overdue if i.source == "key_date"]) == 12


def test_each_item_carries_its_context(vault, make_person, staff_id):
    anne = make_person("Anne", tier="family", birthday="--03-14", channel="visit")
    paul = make_person("Paul")
    links.add(vault, anne, paul, "spouse")
    moments.add(vault, Moment(anne, "Would love the emerald silk scarf", D(2026, 2, 1), kind="wish"), by=staff_id)
    moments.add(vault, Moment(anne, "Size 38 in shoes", D(2026, 1, 1), kind="preference"), by=staff_id)
    [item] = calendar.agenda(vault, D(2026, 3, 14), D(2026, 3, 14), today=D(2026, 3, 14)).find(anne, "birthday")
    assert (item.tier, item.preferred_channel) == ("family", "visit")
    context = calendar.item_context(vault, item.contact_id)
    assert [(l["other_name"], l["relation"]) for l in context["links"]] == [("Paul Test", "spouse")]
    assert context["last_moment"].text == "Would love the emerald silk scarf"
    assert [m.kind for m in context["wishes"]] == ["wish", "preference"]


# -- complaint cases ----------------------------------------------------------------------------------------
def test_complaint_case_shows_until_resolved_and_schedules_a_check_in(vault, make_person, staff_id, today):
    anne = make_person("Anne", tier="friends", channel="email")
    moments.add(vault, Moment(anne, "The hem came undone after a week", today, kind="complaint"), by=staff_id)
    agenda = calendar.agenda(vault, today, today, today=today)
    [case] = agenda.cases
    assert (case["contact_id"], case["display_name"], case["owner_id"]) == (anne, "Anne Test", staff_id)
    with pytest.raises(ValidationError):
        calendar.resolve_case(vault, case["id"], "", by=staff_id)
    fid = calendar.resolve_case(vault, case["id"], "Re-hemmed for free, flowers sent", by=staff_id, checkin_weeks=3)
    assert calendar.case(vault, case["id"])["resolution"] == "Re-hemmed for free, flowers sent"
    assert not calendar.agenda(vault, today, today, today=today).cases
    check_day = today + dt.timedelta(weeks=3)
    [checkin] = calendar.agenda(vault, check_day, check_day, today=check_day).find(anne, "case_checkin")
    assert (checkin.followup_id, checkin.channel, checkin.owner_id) == (fid, "call", staff_id)
    with pytest.raises(ValidationError):
        calendar.resolve_case(vault, case["id"], "again", by=staff_id)


# -- helpers --------------------------------------------------------------------------------------------------
def test_week_bounds_and_first_weekday_by_locale():
    assert calendar.week_bounds(D(2026, 1, 1), 0) == (D(2025, 12, 29), D(2026, 1, 4))
    assert calendar.week_bounds(D(2026, 1, 1), 6) == (D(2025, 12, 28), D(2026, 1, 3))
    assert calendar.month_bounds(D(2028, 2, 10)) == (D(2028, 2, 1), D(2028, 2, 29))
    assert calendar.first_weekday("en") == 6          # en -> en_US: Sunday
    assert calendar.first_weekday("en", "GB") == 0
    assert calendar.first_weekday("fr") == 0
    assert calendar.first_weekday("ja") == 6


def test_demo_vault_agenda_has_every_source(demo_vault):
    today = dt.date.today()
    agenda = calendar.agenda(demo_vault, today, today + dt.timedelta(days=30), today=today)
    sources = {i.source for i in agenda.items()}
    assert {"followup", "key_date", "rhythm"} <= sources
    assert all(i.display_name for i in agenda.items())
