"""Recurrence rules of follow-ups: pure date arithmetic, no vault.

A rule is a small JSON-able dict (stored in followups.rule):

    {"type": "once"}                                          the start date only
    {"type": "yearly", "month": 2, "day": 29}                 every year; 29 Feb -> 28 Feb in common years
    {"type": "every", "n": 6, "unit": "days|weeks|months"}    every N units from the start date
    {"type": "nth_weekday", "n": 2, "weekday": 6, "every_months": 1}
                                                              the Nth weekday (0=Monday) of every Nth month;
                                                              n=-1 is the last one; months without a 5th are skipped

Month arithmetic always counts from the start date and clamps to the month end (31 Jan -> 28/29 Feb
-> 31 Mar), so a "31st" follow-up never drifts to the 28th for good. Occurrences never fall before the
start date. Times (optional "HH:MM") are local wall-clock times in the boutique's time zone: see
`local_datetime` for DST gaps and repeated hours.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ValidationError
from ..translation import _

RULE_TYPES = ("once", "yearly", "every", "nth_weekday")
UNITS = ("days", "weeks", "months")


def last_day(year: int, month: int) -> int:
    return _cal.monthrange(year, month)[1]


def add_months(start: dt.date, months: int, day: int | None = None) -> dt.date:
    """`start` moved by `months`, on `day` (default start.day) clamped to the month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day or start.day, last_day(year, month)))


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


def yearly_date(month: int, day: int, year: int) -> dt.date:
    """The anniversary of month/day in `year`: 29 February falls on 28 February in common years."""
    return dt.date(year, month, min(day, last_day(year, month)))


def nth_weekday(year: int, month: int, n: int, weekday: int) -> dt.date | None:
    """The nth (1..5, or -1 for the last) `weekday` of a month, or None when the month has no such day."""
    if n == -1:
        last = dt.date(year, month, last_day(year, month))
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (n - 1)
    return dt.date(year, month, day) if day <= last_day(year, month) else None


def validate_rule(rule: dict, start: dt.date | None = None) -> dict:
    """Normalised copy of `rule`, or ValidationError with a sentence a person can act on."""
    kind = rule.get("type", "once")
    if kind not in RULE_TYPES:
        raise ValidationError(f"Unknown repetition “{kind}”.", field="rule")
    if kind == "once":
        return {"type": "once"}
    if kind == "yearly":
        month = int(rule.get("month") or (start.month if start else 0))
        day = int(rule.get("day") or (start.day if start else 0))
        try:
            dt.date(2000, month, day)  # a leap year: 29 February is allowed
        except ValueError:
            raise ValidationError(_("That day does not exist in that month."), field="rule") from None
        return {"type": "yearly", "month": month, "day": day}
    if kind == "every":
        n, unit = int(rule.get("n", 1)), rule.get("unit", "days")
        if n < 1 or unit not in UNITS:
            raise ValidationError(_("Repeat every 1 or more days, weeks or months."), field="rule")
        return {"type": "every", "n": n, "unit": unit}
    n, weekday, every = int(rule.get("n", 1)), int(rule.get("weekday", 0)), int(rule.get("every_months", 1))
    if n not in (1, 2, 3, 4, 5, -1) or not 0 <= weekday <= 6 or every < 1:
        raise ValidationError(_("Choose the 1st to 5th or the last weekday, every 1 or more months."), field="rule")
    return {"type": "nth_weekday", "n": n, "weekday": weekday, "every_months": every}


def occurrences(rule: dict, start: dt.date, lo: dt.date, hi: dt.date) -> list[dt.date]:
    """Every occurrence of `rule` (anchored at `start`) between lo and hi inclusive, in order."""
    lo = max(lo, start)
    if hi < lo:
        return []
    kind = rule.get("type", "once")
    if kind == "once":
        return [start] if lo <= start <= hi else []
    if kind == "yearly":
        month, day = rule.get("month", start.month), rule.get("day", start.day)
        found = (yearly_date(month, day, y) for y in range(lo.year, hi.year + 1))
        return [d for d in found if lo <= d <= hi]
    if kind == "every":
        n, unit = max(1, int(rule.get("n", 1))), rule.get("unit", "days")
        if unit in ("days", "weeks"):
            step = n * (7 if unit == "weeks" else 1)
            k = -(-(lo - start).days // step)  # ceil
            first = start + dt.timedelta(days=k * step)
            count = (hi - first).days // step + 1 if first <= hi else 0
            return [first + dt.timedelta(days=i * step) for i in range(count)]
        k = max(0, months_between(start, lo) // n - 1)
        result = []
        while True:
            d = add_months(start, k * n)
            if d > hi:
                return result
            if d >= lo:
                result.append(d)
            k += 1
    if kind == "nth_weekday":
        n, weekday, every = int(rule.get("n", 1)), int(rule.get("weekday", 0)), max(1, int(rule.get("every_months", 1)))
        k = max(0, months_between(start, lo) // every - 1)
        result = []
        while True:
            month_start = add_months(start.replace(day=1), k * every)
            if month_start > hi:
                return result
            d = nth_weekday(month_start.year, month_start.month, n, weekday)
            if d is not None and lo <= d <= hi:
                result.append(d)
            k += 1
    raise ValidationError(f"Unknown repetition “{kind}”.", field="rule")


def previous_occurrence(rule: dict, start: dt.date, before: dt.date) -> dt.date | None:
    """The latest occurrence strictly before `before` (None if the rule had none yet)."""
    if before <= start:
        return None
    if rule.get("type", "once") == "once":
        return start
    window = 32
    while True:
        lo = max(start, before - dt.timedelta(days=window))
        found = occurrences(rule, start, lo, before - dt.timedelta(days=1))
        if found:
            return found[-1]
        if lo == start:
            return None
        window *= 4


def next_occurrence(rule: dict, start: dt.date, on_or_after: dt.date) -> dt.date | None:
    if rule.get("type", "once") == "once":
        return start if start >= on_or_after else None
    window = 64
    for _ in range(8):
        found = occurrences(rule, start, on_or_after, max(on_or_after, start) + dt.timedelta(days=window))
        if found:
            return found[0]
        window *= 4
    return None


# -- time of day -----------------------------------------------------------------------------------
def parse_time(text: str) -> dt.time | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("“{text}” is not a time of day (use HH:MM).").format(text=text), field="time") from None


def local_datetime(day: dt.date, time_text: str, tz: dt.tzinfo) -> dt.datetime | None:
    """The aware datetime of a follow-up at a wall-clock time in `tz`.

    A time that does not exist (spring-forward gap, e.g. 02:30 on the last Sunday of March in Paris) is
    moved forward by the length of the gap (03:30); a time that exists twice (autumn fall-back) is the
    first one. Returned in `tz` with the correct UTC offset; None when there is no time.
    """
    clock = parse_time(time_text)
    if clock is None:
        return None
    naive = dt.datetime.combine(day, clock)
    # fold=0: before the transition. For a gap this yields the pre-transition offset, i.e. moved forward.
    as_utc = naive.replace(tzinfo=tz, fold=0).astimezone(dt.timezone.utc)
    return as_utc.astimezone(tz)


def system_timezone() -> dt.tzinfo:
    """The machine's IANA zone (DST-aware), falling back to UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    candidates = [name] if name else []
    try:
        candidates.append(Path("/etc/timezone").read_text().strip())
    except OSError:
        pass
    for candidate in candidates:
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    localtime = Path("/etc/localtime")
    if localtime.exists():
        try:
            with open(localtime, "rb") as fh:
                return ZoneInfo.from_file(fh, key="localtime")
        except (OSError, ValueError):
            pass
    return dt.timezone.utc


def zone(name: str | None) -> dt.tzinfo:
    if not name:
        return system_timezone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"Unknown time zone “{name}”.", field="timezone") from None
