"""Dates and numbers in the interface language (Babel/CLDR)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency

from ..core.model import PartialDate
from ..i18n import current_language


def date_text(value: dt.date, fmt: str = "medium") -> str:
    return format_date(value, format=fmt, locale=current_language())


def datetime_text(iso: str) -> str:
    try:
        value = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return format_datetime(value.astimezone(), format="medium", locale=current_language())


def partial_date_text(value: PartialDate) -> str:
    if value.year is None:
        # Day and month only: CLDR skeleton "MMMMd" gives "17 May" / "May 17" / "5月17日".
        from babel.dates import format_skeleton

        return format_skeleton("MMMMd", value.in_year(2000), locale=current_language())
    return date_text(dt.date(value.year, value.month, value.day), "long")


def money_text(amount_minor: int | None, currency: str) -> str:
    if amount_minor is None:
        return ""
    return format_currency(amount_minor / 100, currency or "EUR", locale=current_language())
