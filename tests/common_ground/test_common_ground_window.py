"""Common ground in the real counter window: the line above the card, interests with suggestions, the staff
member's own profile, and the owner suggested in the follow-up dialog (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from boutique_book.core import contacts, interests, moments, staff
from boutique_book.core.model import Contact, Moment


@pytest.fixture
def book(vault, vault_path):
    camille = staff.add(vault, "Camille Laurent")
    hiroshi = staff.add(vault, "Hiroshi Kato")
    interests.set_staff_profile(vault, camille, interests=["storm chasing", "opera"], languages=["fr", "en"],
                                acting_staff_id=camille)
    interests.set_staff_profile(vault, hiroshi, interests=["tea ceremony"], languages=["ja", "en"],
                                acting_staff_id=hiroshi)
    zoe = contacts.add(vault, Contact(given_name="Zoë", family_name="Orageuse", language="fr", country="FR"))
    interests.add_to_contact(vault, zoe, ["storm chasing", "tea ceremony"])
    moments.add(vault, Moment(zoe, "Back from storm chasing in Oklahoma; sings in a choir on Thursdays.",
                              dt.date(2026, 11, 2)))
    yuki = contacts.add(vault, Contact(given_name="Yuki", family_name="Sato", language="ja", country="JP"))
    interests.add_to_contact(vault, yuki, ["tea ceremony"])
    vault.close()
    return {"path": vault_path, "zoe": zoe, "yuki": yuki}


@pytest.fixture
def win(qtbot, book, passphrase):
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import make_application
    from boutique_book.ui.counter_window import CounterWindow

    make_application()
    window = CounterWindow(book["path"])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.unlock_with(Vault.open(book["path"], passphrase), "Camille Laurent")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    yield window
    window.lock()


def test_common_ground_line_above_the_card(qtbot, win, book):
    win.open_contact(book["zoe"])
    strip = win.focus.common_ground
    qtbot.waitUntil(strip.isVisible, timeout=3000)
    full = strip.full_text()
    assert full.startswith("In common: storm chasing, speaks French")
    assert "Hiroshi also: tea ceremony" in full
    assert "Last told us" in full and "storm chasing in Oklahoma" in full
    assert "\n" not in strip.text() and strip.toolTip() == full
    win.open_contact(book["yuki"])  # nothing in common with Camille, but a colleague shares
    assert win.focus.common_ground.full_text() == "Hiroshi also: tea ceremony"
    win.lock()
    assert win.focus.common_ground.full_text() == "" and not win.focus.common_ground.isVisible()


def _when_dialog(qtbot, kind, act):
    def run():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            act(dialog)
        else:
            QTimer.singleShot(50, run)
    QTimer.singleShot(50, run)


def test_interests_dialog_confirms_a_suggestion_with_the_keyboard(qtbot, win, book):
    from boutique_book.ui.common_ground_view import InterestsDialog

    win.open_contact(book["zoe"])
    seen = {}

    def act(dialog):
        seen["title"] = dialog.windowTitle()
        seen["suggested"] = [dialog.suggested.item(i).text() for i in range(dialog.suggested.count())]
        dialog.suggested.item(0).setCheckState(Qt.Checked)  # "choir singing", found in what she told us
        qtbot.keyClicks(dialog.more, "opera")
        dialog.save()

    _when_dialog(qtbot, InterestsDialog, act)
    qtbot.keyClick(win, Qt.Key_I, Qt.ControlModifier | Qt.ShiftModifier)
    assert seen["title"] == "Interests of Zoë Orageuse"
    assert seen["suggested"] == ["choir singing"]
    held = [i.label for i in interests.for_contact(win.vault, book["zoe"])]
    assert held == ["choir singing", "opera", "storm chasing", "tea ceremony"]
    # Camille holds opera too: the line shows it now, rarest first (both held by one person here).
    assert "opera" in win.focus.common_ground.full_text()


def test_my_profile_and_the_owner_suggestion(qtbot, win, book):
    from boutique_book.ui.common_ground_view import StaffProfileDialog
    from boutique_book.ui.followup_dialog import FollowupDialog

    dialog = StaffProfileDialog(win.context, win)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "My profile: Camille Laurent"
    dialog.interests.setText("opera, Teezeremonie")
    dialog.save()
    profile = interests.staff_profile(win.vault, win.context.staff_id)
    assert [i.label for i in profile.interests] == ["opera", "tea ceremony"]
    dialog = StaffProfileDialog(win.context, win)
    qtbot.addWidget(dialog)
    dialog.interests.setText("weather")
    dialog.save()
    assert "Not in the shared vocabulary: weather" in dialog.error.text()  # nothing lost, nothing saved

    followup = FollowupDialog(win.context, book["yuki"], "Yuki Sato", win)
    qtbot.addWidget(followup)
    assert followup.owner_hint.text() == "Suggested: Hiroshi speaks Japanese and shares tea ceremony"
    assert followup.owner.currentText() == "Camille Laurent"
    followup.owner_hint.click()
    assert followup.owner.currentText() == "Hiroshi Kato"


def test_a_card_season_suggests_who_writes_each_card_with_the_reason(qtbot, win, book):
    """Planning a card season: each person on the list shows the colleague best placed to write, and why."""
    from boutique_book.core import calendar_seasons
    from boutique_book.ui.seasons_view import OWNER_COLUMN, SeasonsView

    year = dt.date.today().year + 1
    calendar_seasons.set_recipients(win.vault, "christmas", year, contact_ids=[book["zoe"], book["yuki"]])
    view = SeasonsView(win.context)
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    view.set_season("christmas", year)
    model = view.recipients
    assert model.headerData(OWNER_COLUMN, Qt.Horizontal) == "Best placed to write"
    shown = {model.data(model.index(row, 0)): model.data(model.index(row, OWNER_COLUMN))
             for row in range(model.rowCount())}
    assert shown == {"Zoë Orageuse": "Camille speaks French and shares storm chasing",
                     "Yuki Sato": "Hiroshi speaks Japanese and shares tea ceremony"}
    assert model.data(model.index(0, OWNER_COLUMN), Qt.ToolTipRole) == model.data(model.index(0, OWNER_COLUMN))
