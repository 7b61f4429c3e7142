"""Dates and numbers in the interface language (Babel/CLDR)."""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency

from ..core.model import PartialDate
from ..i18n import current_language


def date_text(value: dt.date, fmt: str = "medium") -> str:
    return _date_text(value, fmt, current_language())


@functools.lru_cache(maxsize=4096)
def _date_text(value: dt.date, fmt: str, language: str) -> str:
    # A card shows up to 200 dates; Babel formatting was ~45% of rendering it (docs/benchmarks.md).
    return format_date(value, format=fmt, locale=language)


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


def babel_locale(language: str | None = None):
    """The CLDR locale of the interface language, with the system's territory when it speaks the same
    language (en on a British PC -> en_GB: Monday first, day/month order)."""
    import locale as _locale

    from babel import Locale, UnknownLocaleError

    language = language or current_language()
    for candidate in (_locale.getlocale()[0] or "",):
        if candidate.split("_")[0] == language:
            try:
                return Locale.parse(candidate)
            except (ValueError, UnknownLocaleError):
                break
    from babel.core import get_global

    likely = get_global("likely_subtags").get(language, language)  # ja -> ja_Jpan_JP: the territory decides
    try:
        return Locale.parse(likely)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(language)


def first_week_day(language: str | None = None) -> int:
    """0 = Monday ... 6 = Sunday (CLDR): Monday in fr/de/it/es, Sunday in en(US) and ja."""
    return babel_locale(language).first_week_day


def qt_first_day_of_week(language: str | None = None):
    """The same as a Qt.DayOfWeek for QCalendarWidget.setFirstDayOfWeek (Qt counts Monday = 1)."""
    from PySide6.QtCore import Qt

    return Qt.DayOfWeek(first_week_day(language) + 1)


def weekday_names(width: str = "wide", language: str | None = None) -> list[str]:
    """Monday first, in the interface language ("lundi", "Montag", "月曜日")."""
    names = babel_locale(language).days["format"][width]
    return [names[i] for i in range(7)]


def month_names(width: str = "wide", language: str | None = None) -> list[str]:
    names = babel_locale(language).months["format"][width]
    return [names[i] for i in range(1, 13)]


def number_text(value, decimals: int | None = None) -> str:
    from babel.numbers import format_decimal

    fmt = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=fmt, locale=current_language())
