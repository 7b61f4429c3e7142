"""Dates, times and numbers for people, in the interface language (Babel/CLDR). Qt-free: every screen, PDF and
the CLI's human output format through here, so one context reads one way everywhere (#22).

One date style per context:
- cards, letters and printed pages for a person: CLDR "long"  ("November 27, 2026", "27 novembre 2026");
- lists, tables, columns and one-line CLI output: CLDR "medium" ("Nov 27, 2026", "27 nov. 2026");
- a heading that names a day (the agenda's day groups, a season's dates): CLDR "full" (with the weekday);
- files for machines (CSV, JSON, iCalendar, file names): ISO 8601 -- `file_date`, never shown as prose.
"""

from __future__ import annotations

import datetime as dt
import functools

from ..i18n import current_language

CARD, LETTER, LIST, HEADING = "long", "long", "medium", "full"


def _language(language: str | None) -> str:
    return language or current_language()


@functools.lru_cache(maxsize=8192)
def _date(value: dt.date, style: str, language: str) -> str:
    # A card shows up to 200 dates; Babel formatting was ~45% of rendering it (docs/benchmarks.md).
    from babel.dates import format_date

    try:
        return format_date(value, format=style, locale=language)
    except Exception:  # an unknown locale: the date still reads, in English
        return format_date(value, format=style, locale="en")


def date_entry_format(language: str | None = None) -> str:
    """A date field's display format (Qt's QDateEdit syntax) in the interface language: CLDR's short date with a
    four-digit year ("M/d/yyyy", "dd/MM/yyyy", "dd.MM.yyyy", "yyyy/MM/dd"); never ISO for a person (#22).
    The language is resolved before the cache: a cache keyed on None kept the first language after a switch."""
    return _date_entry_format(_language(language))


@functools.lru_cache(maxsize=16)
def _date_entry_format(language: str) -> str:
    import re

    from babel import Locale

    try:
        pattern = Locale.parse(language).date_formats["short"].pattern
    except Exception:  # an unknown locale
        pattern = "M/d/y"
    pattern = re.sub(r"y+", "yyyy", pattern)
    return re.sub(r"[^dMy./\-\s]", "", pattern).strip() or "d/M/yyyy"


def card_date(value: dt.date, language: str | None = None) -> str:
    """A date on a person's card, in a letter or a printed page for a person."""
    return _date(value, CARD, _language(language))


def letter_date(value: dt.date, language: str | None = None) -> str:
    return _date(value, LETTER, _language(language))


def list_date(value: dt.date, language: str | None = None) -> str:
    """A date in a list, a table column or a one-line CLI report."""
    return _date(value, LIST, _language(language))


def heading_date(value: dt.date, language: str | None = None) -> str:
    """A heading that names a day ("Friday, November 27, 2026")."""
    return _date(value, HEADING, _language(language))


def month_heading(value: dt.date, language: str | None = None) -> str:
    """A month as a heading ("November 2026", "novembre 2026", "2026年11月")."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=_language(language))


def list_month(value, language: str | None = None) -> str:
    """A month in a list or a table ("Nov 2026", "nov. 2026"); accepts a date or the stored "YYYY-MM"."""
    from babel.dates import format_skeleton

    if isinstance(value, str):
        try:
            value = dt.date(int(value[:4]), int(value[5:7]), 1)
        except ValueError:
            return value
    return format_skeleton("yMMM", value, locale=_language(language))


def range_heading(start: dt.date, end: dt.date, language: str | None = None) -> str:
    """A span of days as a heading ("Nov 23 – 29, 2026")."""
    from babel.dates import format_interval

    return format_interval(start, end, "yMMMd", locale=_language(language))


def file_date(value: dt.date) -> str:
    """ISO 8601, for files read by machines (never for a person)."""
    return value.isoformat()


def date_text(value: dt.date, fmt: str = LIST, language: str | None = None) -> str:
    """A date in one of the CLDR styles; prefer the context functions above."""
    return _date(value, fmt, _language(language))


def _parse_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def datetime_text(value, style: str = LIST, language: str | None = None) -> str:
    """A stored UTC timestamp (ISO text or datetime) in local time: date in the context's style, then the time
    ("Nov 27, 2026, 7:14 PM"). Text that is not a timestamp is returned as it is."""
    from babel.dates import format_datetime

    moment = _parse_datetime(value)
    if moment is None:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    language = _language(language)
    try:
        return format_datetime(moment.astimezone(), format=style, locale=language)
    except Exception:
        return format_datetime(moment.astimezone(), format=style, locale="en")


def card_datetime(value, language: str | None = None) -> str:
    return datetime_text(value, CARD, language)


def list_datetime(value, language: str | None = None) -> str:
    return datetime_text(value, LIST, language)


def partial_date_text(value, language: str | None = None) -> str:
    """A key date that may have no year: "May 17" / "17 mai" / "5月17日", or the long date with its year."""
    language = _language(language)
    if getattr(value, "year", None) is None:
        from babel.dates import format_skeleton

        return format_skeleton("MMMMd", value.in_year(2000), locale=language)
    return card_date(dt.date(value.year, value.month, value.day), language)


def money_text(amount_minor: int | None, currency: str, language: str | None = None) -> str:
    from babel.numbers import format_currency

    if amount_minor is None:
        return ""
    return format_currency(amount_minor / 100, currency or "EUR", locale=_language(language))


def number_text(value, decimals: int | None = None, language: str | None = None) -> str:
    from babel.numbers import format_decimal

    fmt = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=fmt, locale=_language(language))


def babel_locale(language: str | None = None):
    """The CLDR locale of the interface language, with the system's territory when it speaks the same
    language (en on a British PC -> en_GB: Monday first, day/month order)."""
    import locale as _locale

    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    language = _language(language)
    candidate = _locale.getlocale()[0] or ""
    if candidate.split("_")[0] == language:
        try:
            return Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            pass
    likely = get_global("likely_subtags").get(language, language)  # ja -> ja_Jpan_JP: the territory decides
    try:
        return Locale.parse(likely)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(language)


def first_week_day(language: str | None = None) -> int:
    """0 = Monday ... 6 = Sunday (CLDR): Monday in fr/de/it/es, Sunday in en(US) and ja."""
    return babel_locale(language).first_week_day


def weekday_names(width: str = "wide", language: str | None = None) -> list[str]:
    """Monday first, in the interface language ("lundi", "Montag", "月曜日")."""
    names = babel_locale(language).days["format"][width]
    return [names[i] for i in range(7)]


def month_names(width: str = "wide", language: str | None = None) -> list[str]:
    names = babel_locale(language).months["format"][width]
    return [names[i] for i in range(1, 13)]


# -- a date typed by a person (a birthday with or without its year) ------------------------------------------------
def _entry_tokens(language: str | None):
    import re

    return re.findall(r"d+|M+|y+|[^dMy]+", date_entry_format(language))


def partial_date_entry(value, language: str | None = None) -> str:
    """A PartialDate as a person types it in the interface language: "17/05/1980", "5/17/1980", "1980/05/17";
    without its year "17/05", "5/17", "05/17" (the year and the separator beside it left out)."""
    tokens = _entry_tokens(language)
    if value.year is None:
        fields = [t for t in tokens if t[0] in "dM"]
        between = next((t for t in tokens if t[0] not in "dMy"), "/")
        return between.join(_entry_field(t, value) for t in fields)
    return "".join(_entry_field(t, value) if t[0] in "dMy" else t for t in tokens)


def _entry_field(token: str, value) -> str:
    number = {"d": value.day, "M": value.month, "y": value.year}[token[0]]
    return f"{number:04d}" if token[0] == "y" else f"{number:0{len(token)}d}"


def parse_partial_date_entry(text: str, language: str | None = None):
    """What a person typed for a birthday, in the interface language's order ("17/05/1980", "17.5.", "17/05"
    without the year) or as ISO ("1980-05-17", "--05-17"). Raises ValueError when it is no date."""
    import re

    from .model import PartialDate

    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|--\d{2}-?\d{2}", text):
        return PartialDate.parse(text)
    numbers = re.findall(r"\d+", text)
    if not numbers or re.search(r"[^\d\s./\-,年月日]", text):
        raise ValueError(text)
    order = [t[0] for t in _entry_tokens(language) if t[0] in "dMy"]
    if len(numbers) == 2:
        order = [part for part in order if part != "y"]
    if len(numbers) != len(order):
        raise ValueError(text)
    found = dict(zip(order, (int(n) for n in numbers)))
    year = found.get("y")
    if year is not None and not 1000 <= year <= 9999:
        raise ValueError(text)  # a two-digit year is a guess: ask for all four
    return PartialDate(found["M"], found["d"], year)
