"""Dates and numbers in the interface language: the Qt-free core.formatting (shared with PDFs and the CLI),
plus the one Qt-specific helper."""

from __future__ import annotations

from ..core.formatting import (  # noqa: F401  (re-exported for the screens)
    CARD, HEADING, LETTER, LIST, babel_locale, card_date, card_datetime, date_entry_format, date_text, datetime_text, file_date,
    first_week_day, heading_date, letter_date, list_date, list_datetime, money_text, month_names, number_text,
    partial_date_text, weekday_names, partial_date_entry, parse_partial_date_entry)


def qt_first_day_of_week(language: str | None = None):
    """The same as a Qt.DayOfWeek for QCalendarWidget.setFirstDayOfWeek (Qt counts Monday = 1)."""
    from PySide6.QtCore import Qt

    return Qt.DayOfWeek(first_week_day(language) + 1)
