"""The follow-up dialog shows only what the chosen repeat needs (#22: "Once" showed Every / Which / Weekday)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog

from .conftest import PLANTED

ROWS = ("every", "which", "weekday")
SHOWN = {"once": set(), "yearly": set(), "weeks": {"every", "weekday"}, "months": {"every"},
         "nth_weekday": {"which", "weekday"}}


@pytest.fixture
def dialog(qtbot, open_window, book):
    from boutique_book.ui.followup_dialog import FollowupDialog

    dialog = FollowupDialog(open_window.context, book["planted_id"], PLANTED, open_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _widgets(dialog):
    return {"every": dialog.every, "which": dialog.nth, "weekday": dialog.weekday}


def _label(dialog, widget):
    return dialog.form.labelForField(widget)


@pytest.mark.parametrize("repeat", list(SHOWN))
def test_each_repeat_shows_only_its_rows(dialog, repeat):
    dialog.repeat.setCurrentIndex(dialog.repeat.findData(repeat))
    for key, widget in _widgets(dialog).items():
        label = _label(dialog, widget)
        if key in SHOWN[repeat]:
            assert widget.isVisible() and label.isVisible(), (repeat, key)
        else:
            assert widget.isHidden() or not widget.isVisible(), (repeat, key)
            assert not label.isVisible(), (repeat, key)


def test_once_is_the_default_and_shows_no_repeat_rows(dialog):
    assert dialog.repeat.currentData() == "once"
    assert not any(w.isVisible() for w in _widgets(dialog).values())
    assert dialog.date.isVisible() and dialog.reason.isVisible()


def test_switching_back_to_once_hides_the_rows_again(dialog):
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("nth_weekday"))
    assert dialog.nth.isVisible() and dialog.weekday.isVisible()
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("once"))
    assert not dialog.nth.isVisible() and not dialog.weekday.isVisible() and not dialog.every.isVisible()


def test_every_names_its_unit_with_the_count(dialog):
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("weeks"))
    dialog.every.setValue(1)
    assert dialog.every.text() == "every week"
    dialog.every.setValue(3)
    assert dialog.every.text() == "every 3 weeks"
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("months"))
    assert dialog.every.text() == "every 3 months" and dialog.every.maximum() == 24


def test_weekly_weekday_follows_the_date_and_moves_it(dialog, open_window, book):
    from boutique_book.core import followups

    dialog.date.setDate(QDate(2031, 1, 6))  # a Monday
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("weeks"))
    assert dialog.weekday.currentData() == 0
    dialog.weekday.setCurrentIndex(3)
    dialog.weekday.activated.emit(3)  # as a person choosing Thursday
    assert dialog.date.date() == QDate(2031, 1, 9)
    dialog.every.setValue(2)
    dialog.reason.setText("Fitting every other Thursday")
    dialog.save()
    assert dialog.result() == QDialog.Accepted
    planned = [f for f in followups.for_contact(open_window.vault, book["planted_id"])
               if f["reason"] == "Fitting every other Thursday"][0]
    assert planned["rule"] == {"type": "every", "n": 2, "unit": "weeks"}
    assert planned["next"] == dt.date(2031, 1, 9) and planned["next"].weekday() == 3


def test_nth_weekday_saves_what_the_rows_show(dialog, open_window, book):
    from boutique_book.core import followups

    dialog.repeat.setCurrentIndex(dialog.repeat.findData("nth_weekday"))
    dialog.nth.setCurrentIndex(dialog.nth.findData(-1))
    dialog.weekday.setCurrentIndex(4)
    dialog.reason.setText("Last Friday: the new collection")
    dialog.save()
    assert dialog.result() == QDialog.Accepted
    planned = [f for f in followups.for_contact(open_window.vault, book["planted_id"])
               if f["reason"] == "Last Friday: the new collection"][0]
    assert planned["rule"] == {"type": "nth_weekday", "n": -1, "weekday": 4, "every_months": 1}


def test_the_date_reads_in_the_interface_language_not_iso(qtbot, open_window, book):
    from boutique_book.ui.followup_dialog import FollowupDialog
    from boutique_book.ui.settings_view import apply_language

    try:
        apply_language("fr")
        dialog = FollowupDialog(open_window.context, book["planted_id"], PLANTED, open_window)
        qtbot.addWidget(dialog)
        dialog.date.setDate(QDate(2026, 12, 4))
        assert dialog.date.text() == "04/12/2026"
        apply_language("ja")
        dialog = FollowupDialog(open_window.context, book["planted_id"], PLANTED, open_window)
        qtbot.addWidget(dialog)
        dialog.date.setDate(QDate(2026, 12, 4))
        assert dialog.date.text() == "2026/12/04"
    finally:
        apply_language("en")
