"""Recurrence rules: leap years, unknown years, month ends, Nth weekday, time zones and DST, year boundary."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from boutique_book.core.calendar_rules import (add_months, local_datetime, next_occurrence, nth_weekday, occurrences,
                                               previous_occurrence, validate_rule)
from boutique_book.core.errors import ValidationError

D = dt.date
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def test_yearly_29_february_falls_on_28_february_in_common_years():
    rule = {"type": "yearly", "month": 2, "day": 29}
    assert occurrences(rule, D(2020, 2, 29), D(2023, 1, 1), D(2028, 12, 31)) == [
        D(2023, 2, 28), D(2024, 2, 29), D(2025, 2, 28), D(2026, 2, 28), D(2027, 2, 28), D(2028, 2, 29)]


def test_leap_year_rule_for_centuries():
    rule = {"type": "yearly", "month": 2, "day": 29}
    assert occurrences(rule, D(1896, 2, 29), D(1900, 1, 1), D(1900, 12, 31)) == [D(1900, 2, 28)]
    assert occurrences(rule, D(1996, 2, 29), D(2000, 1, 1), D(2000, 12, 31)) == [D(2000, 2, 29)]


def test_monthly_on_the_31st_clamps_to_month_ends_and_does_not_drift():
    rule = {"type": "every", "n": 1, "unit": "months"}
    assert occurrences(rule, D(2024, 1, 31), D(2024, 1, 1), D(2024, 6, 30)) == [
        D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31), D(2024, 6, 30)]
    assert occurrences(rule, D(2025, 1, 31), D(2025, 2, 1), D(2025, 3, 31)) == [D(2025, 2, 28), D(2025, 3, 31)]
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)


def test_every_three_months_from_a_month_end():
    rule = {"type": "every", "n": 3, "unit": "months"}
    assert occurrences(rule, D(2025, 11, 30), D(2025, 11, 1), D(2026, 12, 31)) == [
        D(2025, 11, 30), D(2026, 2, 28), D(2026, 5, 30), D(2026, 8, 30), D(2026, 11, 30)]


def test_every_n_days_and_weeks_cross_the_year_boundary():
    fortnightly = {"type": "every", "n": 2, "unit": "weeks"}
    assert occurrences(fortnightly, D(2025, 12, 24), D(2025, 12, 29), D(2026, 1, 11)) == [D(2026, 1, 7)]
    every_10 = {"type": "every", "n": 10, "unit": "days"}
    assert occurrences(every_10, D(2025, 12, 25), D(2025, 12, 30), D(2026, 1, 20)) == [D(2026, 1, 4), D(2026, 1, 14)]
    yearly = {"type": "yearly", "month": 1, "day": 2}
    assert occurrences(yearly, D(2020, 1, 2), D(2025, 12, 29), D(2026, 1, 4)) == [D(2026, 1, 2)]


def test_never_before_the_start_date():
    rule = {"type": "every", "n": 1, "unit": "weeks"}
    assert occurrences(rule, D(2026, 3, 10), D(2026, 3, 1), D(2026, 3, 20)) == [D(2026, 3, 10), D(2026, 3, 17)]
    assert occurrences({"type": "once"}, D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 20)) == []


def test_nth_weekday():
    assert nth_weekday(2026, 10, -1, 6) == D(2026, 10, 25)  # last Sunday of October: DST ends in Europe
    assert nth_weekday(2026, 5, 2, 6) == D(2026, 5, 10)     # second Sunday of May
    assert nth_weekday(2026, 2, 5, 4) is None               # February 2026 has four Fridays
    fifth_friday = {"type": "nth_weekday", "n": 5, "weekday": 4, "every_months": 1}
    found = occurrences(fifth_friday, D(2026, 1, 1), D(2026, 1, 1), D(2026, 6, 30))
    assert found == [D(2026, 1, 30), D(2026, 5, 29)]
    quarterly_first_monday = {"type": "nth_weekday", "n": 1, "weekday": 0, "every_months": 3}
    assert occurrences(quarterly_first_monday, D(2025, 11, 15), D(2025, 11, 1), D(2026, 6, 30)) == [
        D(2026, 2, 2), D(2026, 5, 4)]


def test_previous_and_next_occurrence():
    rule = {"type": "every", "n": 1, "unit": "months"}
    assert previous_occurrence(rule, D(2025, 1, 31), D(2026, 3, 15)) == D(2026, 2, 28)
    assert next_occurrence(rule, D(2025, 1, 31), D(2026, 3, 1)) == D(2026, 3, 31)
    assert previous_occurrence({"type": "once"}, D(2026, 1, 5), D(2026, 1, 5)) is None
    assert previous_occurrence({"type": "yearly", "month": 2, "day": 29}, D(2020, 2, 29), D(2026, 2, 1)) == D(2025, 2, 28)


def test_validation_names_the_problem():
    with pytest.raises(ValidationError):
        validate_rule({"type": "yearly", "month": 4, "day": 31})
    with pytest.raises(ValidationError):
        validate_rule({"type": "every", "n": 0, "unit": "weeks"})
    with pytest.raises(ValidationError):
        validate_rule({"type": "fortnightly"})
    assert validate_rule({"type": "yearly"}, D(2024, 2, 29)) == {"type": "yearly", "month": 2, "day": 29}


def test_weekly_call_keeps_its_local_time_across_the_dst_change():
    rule = {"type": "every", "n": 1, "unit": "weeks"}
    days = occurrences(rule, D(2026, 3, 22), D(2026, 3, 22), D(2026, 4, 5))
    times = [local_datetime(d, "10:00", PARIS) for d in days]
    assert [t.hour for t in times] == [10, 10, 10]
    assert [t.astimezone(dt.timezone.utc).hour for t in times] == [9, 8, 8]  # CET then CEST


def test_time_in_the_spring_gap_moves_forward_and_a_repeated_hour_takes_the_first():
    gap = local_datetime(D(2026, 3, 29), "02:30", PARIS)
    assert (gap.hour, gap.minute) == (3, 30)
    assert gap.utcoffset() == dt.timedelta(hours=2)
    repeated = local_datetime(D(2026, 10, 25), "02:30", PARIS)
    assert repeated.astimezone(dt.timezone.utc) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.timezone.utc)
    # Different zones change on different days (US: second Sunday of March).
    assert local_datetime(D(2026, 3, 8), "02:30", NEW_YORK).hour == 3
    assert local_datetime(D(2026, 3, 9), "09:00", NEW_YORK).utcoffset() == dt.timedelta(hours=-4)
    assert local_datetime(D(2026, 3, 9), "", NEW_YORK) is None
    with pytest.raises(ValidationError):
        local_datetime(D(2026, 3, 9), "25:99", NEW_YORK)
