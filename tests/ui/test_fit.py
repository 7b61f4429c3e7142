"""Every screen and dialog, in each of the six languages, at 1366x768: nothing cut (issue #22)."""

from __future__ import annotations

import contextlib

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from boutique_book.i18n import LANGUAGES

from .fit import fit_problems
from .screens import each_screen, open_counter


@pytest.fixture
def english():
    yield
    from boutique_book.ui.settings_view import apply_language

    apply_language("en")


def test_fit_check_sees_a_cut_label_button_and_placeholder(qtbot):
    """Positive control: each kind of cut is found; the same widgets with room pass."""
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    label = QLabel("The book is locked. Enter the passphrase to open it.")
    button = QPushButton("Restore the newest good backup")
    field = QLineEdit()
    field.setPlaceholderText("Why (optional): e.g. the customer asked for fewer letters")
    for widget in (label, button, field):
        widget.setMaximumWidth(120)
        layout.addWidget(widget)
    root.show()
    qtbot.waitExposed(root)
    found = " | ".join(fit_problems(root))
    assert "label 'The book is locked" in found and "button 'Restore" in found and "placeholder 'Why" in found
    for widget in (label, button, field):
        widget.setMaximumWidth(16777215)
    root.resize(900, 200)
    qtbot.wait(10)
    assert fit_problems(root) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits_at_1366x768(qtbot, book, passphrase, language, english):
    window = open_counter(book["path"], passphrase, language, person=book["planted_id"])
    qtbot.addWidget(window)
    problems = []
    try:
        for name, widget in each_screen(window, book["planted_id"], other=1):
            problems += [f"{name}: {problem}" for problem in fit_problems(widget)]
    finally:
        window.lock()
    assert not problems, "\n".join(problems)


def test_lock_panel_shows_the_books_name_not_the_raw_vault_path(qtbot, tmp_path):
    from boutique_book.ui.app import make_application
    from boutique_book.ui.unlock import UnlockPanel

    make_application()
    path = tmp_path / "private" / "folder" / "boutique.vault"
    panel = UnlockPanel(path)
    qtbot.addWidget(panel)
    texts = [label.text() for label in panel.findChildren(QLabel)]
    assert not any(str(path.parent) in text for text in texts)
    assert any("boutique" in text for text in texts)


def test_agenda_what_column_is_sized_by_the_pane(qtbot, book, passphrase, english):
    """The agenda's 'What' column squeezed to 'Birthd…'."""
    from boutique_book.ui import agenda_view

    window = open_counter(book["path"], passphrase, "fr")
    qtbot.addWidget(window)
    try:
        agenda = agenda_view.AgendaView(window.context)
        qtbot.addWidget(agenda)
        agenda.resize(1100, 720)
        agenda.show()
        qtbot.waitExposed(agenda)
        qtbot.waitUntil(lambda: agenda.tree.viewport().width() > 600, timeout=5000)
        agenda.refresh()
        assert agenda.tree.columnWidth(1) >= 0.38 * agenda.tree.viewport().width()
        item = agenda.tree.currentItem()  # the agenda opens on an item: the detail pane is not empty
        assert item is not None and item.toolTip(1) == item.text(1)
    finally:
        window.lock()


@contextlib.contextmanager
def _list_in(qtbot, book, passphrase, language):
    """The counter's list in `language`, from its own column widths (a saved header another test left behind
    would be restored instead); the book is locked again afterwards."""
    from boutique_book.ui.counter_window import app_settings

    app_settings().remove("list_header")
    window = open_counter(book["path"], passphrase, language)
    qtbot.addWidget(window)
    try:
        yield window, window.results, window.model
    finally:
        window.lock()


@pytest.mark.parametrize("language", ["fr", "ja"])
def test_list_dates_are_not_cut(qtbot, book, passphrase, language, english):
    """The list's last visit read '25/11/2…' in French and '2026/1…' in Japanese (a fixed 78 px column)."""
    with _list_in(qtbot, book, passphrase, language) as (_window, view, model):
        column = model.COLUMNS.index("last_visit")
        dates = [model.data(model.index(row, column)) for row in range(min(model.rowCount(), 40))]
        dates = [text for text in dates if text]
        assert dates
        need = max(view.fontMetrics().horizontalAdvance(text) for text in dates) + 8  # cell padding
        assert need <= view.columnWidth(column), (need, view.columnWidth(column), dates[:3])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_window_fits_on_a_1366x768_screen(qtbot, book, passphrase, language, english):
    """A window whose minimum size is larger than the screen is cut whatever its labels do: the French card
    seasons window needed 1768 px (its date line and its buttons in one row)."""
    window = open_counter(book["path"], passphrase, language, person=book["planted_id"])
    qtbot.addWidget(window)
    too_big = []
    try:
        for name, widget in each_screen(window, book["planted_id"], other=1):
            hint = widget.minimumSizeHint()
            if hint.width() > 1366 or hint.height() > 768:
                too_big.append(f"{name}: needs {hint.width()}x{hint.height()}")
    finally:
        window.lock()
    assert not too_big, too_big


@pytest.mark.parametrize("language", ["fr", "de", "ja"])
def test_list_tier_names_are_not_cut(qtbot, book, passphrase, language, english):
    """Every French row read 'Connaissanc…' (a fixed 104 px tier column)."""
    from boutique_book.core.labels import tier_label

    with _list_in(qtbot, book, passphrase, language) as (_window, view, model):
        column = model.COLUMNS.index("tier")
        need = max(view.fontMetrics().horizontalAdvance(tier_label(t)) for t in ("family", "friends", "acquaintances"))
        assert need + 16 + 8 <= view.columnWidth(column), (need, view.columnWidth(column))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_name_hint_is_not_cut(qtbot, book, passphrase, language, english):
    """English rows read 'same name as one ot…' under the name at 1366x768: the row's hint must fit the name
    column whole in every language (the full sentence stays in the tooltip)."""
    from boutique_book.ui.contact_model import same_name_hint

    with _list_in(qtbot, book, passphrase, language) as (window, view, model):
        window.resize(1366, 768)
        column = model.COLUMNS.index("name")
        need = max(view.fontMetrics().horizontalAdvance(same_name_hint(n)) for n in (1, 6, 12, 427))
        assert need + 8 <= view.columnWidth(column), (need, view.columnWidth(column), same_name_hint(6))
