"""The today view where the card stands when nobody is open (#22), opening a person in one keystroke."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from boutique_book.core import calendar, moments
from boutique_book.core.model import Moment

from .conftest import PLANTED


def _today_shown(qtbot, win):
    qtbot.waitUntil(lambda: win.focus.today is not None and win.focus.card_stack.currentWidget() is win.focus.today
                    and win.focus.today.tree.topLevelItemCount() > 0, timeout=5000)
    return win.focus.today


def test_nobody_open_after_unlock_shows_the_day_not_an_empty_card(qtbot, open_window):
    win = open_window
    assert win.current_id is None and not win.results.selectionModel().selectedRows()
    today = _today_shown(qtbot, win)
    assert today.isVisible() and not win.card.isVisible()
    headings = [today.tree.topLevelItem(n).text(0) for n in range(today.tree.topLevelItemCount())]
    assert "Your follow-ups today" in headings and "Birthdays and key dates this week" in headings
    assert "Seen last" in headings
    assert today.title.text().startswith("Today, ")


def test_a_row_opens_the_person_with_enter_and_the_window_follows(qtbot, open_window, book):
    win = open_window
    calendar.add_followup(win.vault, book["planted_id"], dt.date.today(), {"type": "once"},
                          reason="Call about the ivory silk", owner=win.context.staff_id)
    today = _today_shown(qtbot, win)
    today.show_for(win.vault, win.context.staff_id, force=True)
    item = today.item_for(book["planted_id"])
    assert item is not None and item.text(1) == "Call about the ivory silk"
    today.tree.setFocus()
    today.tree.setCurrentItem(item)
    qtbot.keyClick(today.tree, Qt.Key_Return)
    assert win.current_id == book["planted_id"]
    assert win.focus.card_stack.currentWidget() is win.card and PLANTED in win.card.toPlainText()
    assert win.list.current_id() == book["planted_id"]  # the list follows the person opened


def test_a_double_click_opens_the_person(qtbot, open_window, book):
    win = open_window
    moments.add(win.vault, Moment(book["planted_id"], "Came for the fitting", dt.date.today(), kind="visit"))
    today = _today_shown(qtbot, win)
    today.show_for(win.vault, win.context.staff_id, force=True)
    item = today.item_for(book["planted_id"])  # seen last: today
    assert item is not None
    today.tree.scrollToItem(item)
    rect = today.tree.visualItemRect(item)
    qtbot.mouseClick(today.tree.viewport(), Qt.LeftButton, pos=rect.center())  # a real double-click: press,
    qtbot.mouseDClick(today.tree.viewport(), Qt.LeftButton, pos=rect.center())  # release, then the double
    assert win.current_id == book["planted_id"]


def test_searching_shows_a_card_and_clearing_brings_the_day_back(qtbot, open_window, book):
    win = open_window
    _today_shown(qtbot, win)
    qtbot.keyClicks(win.search, "Quast")
    qtbot.waitUntil(lambda: win.current_id == book["planted_id"], timeout=5000)
    assert win.focus.card_stack.currentWidget() is win.card
    win.search.setFocus()
    qtbot.keyClick(win.search, Qt.Key_Escape)  # Esc in the search field: nobody open, the day again
    assert win.current_id is None and win.search.text() == "" and win.list.current_id() is None
    assert win.focus.card_stack.currentWidget() is win.focus.today
    assert not any(a.isEnabled() for a in win.person_menu.actions() if a.text() == "Edit contact")


def test_the_view_is_built_only_when_shown_and_emptied_on_lock(qtbot, window, book, passphrase):
    from boutique_book.core.vault import Vault

    assert window.focus.today is None  # not built with the window, nor on the unlock panel
    window.unlock_with(Vault.open(book["path"], passphrase), "Camille Laurent")
    today = _today_shown(qtbot, window)
    assert today.person_ids()
    window.lock()
    assert today.tree.topLevelItemCount() == 0 and today.title.text() == ""
    QApplication.processEvents()
