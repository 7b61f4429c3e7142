"""No internal word on any screen (#22): every screen and dialog of tests/ui/screens.py, opened the way the app
opens it at 1366x768 in each of the six languages, is scanned (tests/ui/words.py) for snake_case keys, stored
codes standing where their label belongs, bare ISO country/language codes, ISO dates and timestamps, and the
book's raw filesystem path. The scanner has a positive control."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QApplication, QComboBox, QLabel, QLineEdit, QMainWindow, QTableView, QTextBrowser, QVBoxLayout,
                               QWidget)

from boutique_book.i18n import LANGUAGES

from .screens import each_screen, open_counter
from .words import scan

# Screens where a folder is information, not a slip: the first start tells the person setting the shop up where the
# book will be kept; the manager's backups dialog says where the backups are written. Counter screens never do.
PATHS_SHOWN = ("welcome (first start)", "backups")


@pytest.fixture
def english():
    yield
    from boutique_book.ui.settings_view import apply_language

    apply_language("en")


def _manager_tabs(window):
    from boutique_book.core import manager
    from boutique_book.core.kdf import KdfParams
    from boutique_book.ui.manager_unlock import SESSION_KEY
    from boutique_book.ui.manager_view import ManagerDialog

    window.context.extra[SESSION_KEY] = manager.unlock(window.vault, "manager passphrase for the scan", "Manager",
                                                       params=KdfParams.fast())
    dialog = ManagerDialog(window.context, window)
    dialog.show()
    try:
        for index in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(index)
            QApplication.processEvents()
            yield f"manager tools, {dialog.tabs.tabText(index)}", dialog
    finally:
        dialog.close()
        dialog.deleteLater()
        window.context.extra.pop(SESSION_KEY, None)


def _window_with(texts: dict, qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setWindowTitle(texts["title"])
    window.menuBar().addMenu(texts["menu"]).addAction(texts["action"])
    root = QWidget()
    window.setCentralWidget(root)
    layout = QVBoxLayout(root)
    layout.addWidget(QLabel(texts["label"]))
    field = QLineEdit()
    field.setPlaceholderText(texts["placeholder"])
    field.setToolTip(texts["tooltip"])
    layout.addWidget(field)
    combo = QComboBox()
    combo.addItems(texts["combo"])
    layout.addWidget(combo)
    table = QTableView()
    model = QStandardItemModel(0, 2, table)
    model.setHorizontalHeaderLabels(["Name", "Since"])
    for row in texts["rows"]:
        model.appendRow([QStandardItem(cell) for cell in row])
    table.setModel(model)
    layout.addWidget(table)
    browser = QTextBrowser()
    browser.setHtml(texts["html"])
    layout.addWidget(browser)
    window.resize(900, 700)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_scanner_positive_control(qtbot, tmp_path):
    """A planted screen with walk_in / FR / fr / an ISO timestamp / the book's path / raw codes: each is caught,
    wherever it sits; the same screen in words passes."""
    vault = tmp_path / "store" / "boutique.vault"
    bad = _window_with({
        "title": f"Boutique Book — {vault}", "menu": "customer", "action": "Send the christmas cards",
        "label": "First met: walk_in", "placeholder": "acquaintances", "tooltip": "Language: fr",
        "combo": ["Formality", "informal"], "rows": [["Léa Roux", "2026-11-22T10:00:00"], ["Paris", "FR"]],
        "html": "<p>Formality: <b>formal</b></p><p>story — Likes silk</p>"}, qtbot)
    found = " ".join(scan(bad, paths=(tmp_path,)))
    for word in ("'walk_in'", "'FR'", "'fr'", "'2026-11-22T10:00:00'", f"'{tmp_path}'", "'christmas'", "'customer'",
                 "'acquaintances'", "'informal'", "'formal'", "'story'"):
        assert word in found, (word, found)
    good = _window_with({
        "title": "Boutique Book — boutique", "menu": "Customer", "action": "Season: Christmas card",
        "label": "First met: Walked in", "placeholder": "Acquaintances", "tooltip": "Language: French",
        "combo": ["Formality", "Informal"], "rows": [["Léa Roux", "Nov 22, 2026, 10:00"], ["Paris", "France"]],
        "html": "<p>Formality: <b>Formal</b></p><p>Story — Likes silk, léa_roux@example.fr</p>"}, qtbot)
    assert scan(good, paths=(tmp_path,)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_shows_no_internal_word(qtbot, book, passphrase, language, english, tmp_path):
    window = open_counter(book["path"], passphrase, language, person=book["planted_id"])
    qtbot.addWidget(window)
    found, screens = [], []
    try:
        for name, widget in each_screen(window, book["planted_id"], other=1):
            screens.append(name)
            paths = () if name in PATHS_SHOWN else (tmp_path,)
            problems = [f"{name}: {problem}" for problem in scan(widget, paths=paths)]
            found.extend(problems)
        for name, widget in _manager_tabs(window):  # the manager's tools once unlocked: one screen per tab
            screens.append(name)
            found.extend(f"{name}: {problem}" for problem in scan(widget, paths=(tmp_path,)))
    finally:
        window.lock()
    assert len(screens) >= 34, screens
    assert not found, "\n".join(found)


def test_my_profile_names_languages_and_keeps_their_codes(qtbot, vault, english):
    """The staff profile took "language codes, e.g. fr, en, ja"; it now reads and takes names."""
    from types import SimpleNamespace

    from boutique_book.core import interests, staff
    from boutique_book.ui.app import make_application
    from boutique_book.ui.common_ground_view import StaffProfileDialog

    make_application()
    context = SimpleNamespace(vault=vault, staff_id=staff.add(vault, "Camille Laurent"))
    dialog = StaffProfileDialog(context)
    qtbot.addWidget(dialog)
    dialog.languages.setText("Japanese, french, fr")
    dialog.save()
    assert interests.staff_profile(vault, context.staff_id).languages == ["ja", "fr"]
    dialog = StaffProfileDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.languages.text() == "Japanese, French"
    dialog.languages.setText("French, Elvish")
    dialog.save()
    assert "Elvish" in dialog.error.text()  # nothing saved, a one-line message
    assert interests.staff_profile(vault, context.staff_id).languages == ["ja", "fr"]
