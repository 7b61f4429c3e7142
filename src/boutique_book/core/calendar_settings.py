"""Calendar settings: tier rhythms, grace days and time zone (settings keys), week and month bounds."""

from __future__ import annotations

import datetime as dt

from . import settings
from .calendar_rules import add_months, zone
from .errors import ValidationError
from .model import Tier
from ..translation import _


RHYTHM_KEY = "tier_rhythms"

CALENDAR_KEY = "calendar"

DEFAULT_RHYTHMS = {
    Tier.FAMILY.value: {"n": 6, "unit": "weeks", "key_dates": True},
    Tier.FRIENDS.value: {"n": 3, "unit": "months", "key_dates": True},
    Tier.ACQUAINTANCES.value: {"n": 12, "unit": "months", "key_dates": True},
}

DEFAULT_CALENDAR = {"grace_days": 30, "timezone": "", "checkin_weeks": 4}

MAX_LEAD_DAYS = 120

# -- settings ---------------------------------------------------------------------------------------
def tier_rhythms(vault) -> dict:
    stored = settings.get(vault, RHYTHM_KEY, {}) or {}
    return {tier: {**default, **(stored.get(tier) or {})} for tier, default in DEFAULT_RHYTHMS.items()}

def set_tier_rhythm(vault, tier: str, n: int, unit: str, key_dates: bool | None = None,
                    actor: str | None = None) -> dict:
    """Change a tier's cadence (n=0 switches the rhythm off). A manager action: audited when actor is given.
    Due dates re-plan at once: they are computed from the clock, never stored."""
    if tier not in DEFAULT_RHYTHMS:
        raise ValidationError(f"Unknown tier “{tier}”.", field="tier")
    if unit not in ("days", "weeks", "months") or not 0 <= int(n) <= 520:
        raise ValidationError(_("A rhythm is 0 (off) or more days, weeks or months."), field="rhythm")
    current = tier_rhythms(vault)
    current[tier].update({"n": int(n), "unit": unit})
    if key_dates is not None:
        current[tier]["key_dates"] = bool(key_dates)
    settings.put(vault, RHYTHM_KEY, current, actor=actor)
    return current

def calendar_settings(vault) -> dict:
    return {**DEFAULT_CALENDAR, **(settings.get(vault, CALENDAR_KEY, {}) or {})}

def timezone(vault) -> dt.tzinfo:
    return zone(calendar_settings(vault).get("timezone"))

def cadence_due(last: dt.date, rhythm: dict) -> dt.date:
    n, unit = rhythm["n"], rhythm["unit"]
    if unit == "months":
        return add_months(last, n)
    return last + dt.timedelta(days=n * (7 if unit == "weeks" else 1))

def cadence_cutoff(day: dt.date, rhythm: dict) -> dt.date:
    """The latest clock date whose due date is on or before `day`."""
    n, unit = rhythm["n"], rhythm["unit"]
    if unit != "months":
        return day - dt.timedelta(days=n * (7 if unit == "weeks" else 1))
    candidate = add_months(day, -n)
    while add_months(candidate + dt.timedelta(days=1), n) <= day:
        candidate += dt.timedelta(days=1)
    return candidate

# -- the agenda ---------------------------------------------------------------------------------------
def week_bounds(day: dt.date, first_weekday: int = 0) -> tuple[dt.date, dt.date]:
    start = day - dt.timedelta(days=(day.weekday() - first_weekday) % 7)
    return start, start + dt.timedelta(days=6)

def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    return start, add_months(start, 1) - dt.timedelta(days=1)

def first_weekday(language: str, region: str = "") -> int:
    """0=Monday ... 6=Sunday, from the CLDR data of the language + the boutique's country (Babel)."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        if region:
            return Locale.parse(f"{language}_{region.upper()}").first_week_day
        return Locale.parse(get_global("likely_subtags").get(language, language)).first_week_day
    except (UnknownLocaleError, ValueError, TypeError):
        return 0
