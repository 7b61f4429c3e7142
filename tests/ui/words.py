"""The no-internal-words scan of a screen (#22): every text a person can read on a widget tree — window titles,
labels, buttons, group and tab titles, placeholders, tooltips, combo items, the cells of the rows a table, tree or
list shows, their headers, a text browser's plain text, the menu bar's actions — and what in it is internal:

- snake_case keys (`walk_in`, `given_name`), outside e-mail addresses, web addresses and file names;
- a season's code in lower case anywhere (`christmas`), any other stored code standing alone where its label belongs (`christmas`, `customer`, `acquaintances`, `story`,
  `formal`): a cell, an item or a segment of a line (between `:`, `,`, `·`, `—`, brackets) that is exactly it;
- a bare ISO country or language code where a name belongs (a segment that is exactly `FR` or `fr`);
- ISO dates and timestamps (`2026-11-22`, `2026-11-22T10:00:00`): people read dates in their language's style;
- a raw filesystem path of the book (the vault's folder or anything under it).

`screen_texts(root)` collects, `internal_words(text, paths)` judges one text, `scan(root, paths)` does both and
returns "where: 'text' -> [words]" lines. tests/ui/test_no_internal_words_on_screen.py runs it over every screen
of tests/ui/screens.py, with a positive control.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel, QLineEdit, QMainWindow,
                               QMenu, QPlainTextEdit, QTabBar, QTextEdit, QTreeView, QWidget)

from boutique_book.core import labels

MAX_ROWS = 60     # rows a view shows at 1366x768, with room
MAX_ITEMS = 200   # combo items looked at (a people picker may hold the whole book)

_NOT_WORD = r"[\w@/.\\{}-]"  # e-mail and web addresses, file names, {template_fields} are not keys
SNAKE = re.compile(rf"(?<!{_NOT_WORD})[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?!{_NOT_WORD})")
ISO = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d-])")
SEGMENTS = re.compile(r"\s*(?:\n|:|：|;|·|•|—|–|\(|\)|（|）|\[|\]|\|| - )\s*")
LIST_ITEMS = re.compile(r"\s*(?:,|、)\s*")  # an ISO code also stands alone as an item of a list ("Nice, FR")
# codes that are also everyday English words are only flagged standing alone (a cell, an item, a segment)
STORED_CODES = (set(labels.TIERS) | set(labels.KINDS) | set(labels.MOMENT_KINDS) | set(labels.CONSENT_PURPOSES)
                | {c for c in labels.CHANNELS if c}
                | {"christmas", "new_year", "easter", "walk_in", "referral", "concierge", "tourism", "online", "press",
                   "formal", "informal", "spouse", "parent_of", "child_of", "friend", "colleague", "referred_by",
                   "birthday", "anniversary", "name_day", "mobile", "home", "work",
                   "open", "done", "snoozed", "cancelled", "overdue", "manager"})


# lower-case language codes a contact's card stores (those of the app and the usual others); the whole ISO 639-1
# list would flag "no" in "Mail: no"
languages = frozenset({"en", "fr", "de", "it", "es", "ja", "zh", "ko", "ru", "pt", "nl", "ar", "sv", "da", "fi",
                       "nb", "pl", "tr", "el", "he", "hi", "cs", "hu", "ro", "uk"})


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset:
    """Every ISO 3166 two-letter country code (CLDR's list)."""
    from babel import Locale

    return frozenset(code for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha())


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def internal_words(text: str, paths=()) -> list[str]:
    """The internal words in one text a person reads (empty when it reads as it should)."""
    text = _plain(text or "").replace("&&", "&")
    if not text.strip():
        return []
    found = SNAKE.findall(text) + ISO.findall(text) + re.findall(r"\b(?:christmas|easter)\b", text)
    countries = _iso_codes()
    for segment in SEGMENTS.split(text):
        segment = segment.strip().rstrip(".…")
        if segment in STORED_CODES:
            found.append(segment)
        for item in LIST_ITEMS.split(segment):
            if item in countries or item in languages:
                found.append(item)
    for path in paths:
        if path and str(path) in text:
            found.append(str(path))
    return found


# -- collecting ------------------------------------------------------------------------------------------------
def _shown(widget: QWidget) -> bool:
    return widget.isVisibleTo(widget.window()) if not widget.isWindow() else widget.isVisible()


def _column_count(model, root) -> int:
    try:
        return model.columnCount(root)
    except TypeError:  # a list model: columnCount is private in the binding
        return 1


def _view_cells(view: QAbstractItemView):
    model = view.model()
    if model is None:
        return
    header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
    header = header() if header else None
    columns = [c for c in range(_column_count(model, view.rootIndex())) if not (header is not None and header.isSectionHidden(c))]
    if header is not None and not header.isHidden():
        for column in columns:
            yield "header", model.headerData(column, Qt.Horizontal, Qt.DisplayRole)
    viewport = view.viewport().rect()
    if isinstance(view, QTreeView):
        index, rows = view.indexAt(QPoint(2, 2)), 0
        while index.isValid() and rows < MAX_ROWS and view.visualRect(index).top() <= viewport.bottom():
            for column in columns:
                cell = index.siblingAtColumn(column)
                yield "cell", model.data(cell, Qt.DisplayRole)
                yield "cell tooltip", model.data(cell, Qt.ToolTipRole)
            index, rows = view.indexBelow(index), rows + 1
        return
    shown = 0
    root = view.rootIndex()
    for row in range(model.rowCount(root)):
        first = model.index(row, columns[0] if columns else 0, root)
        rect = view.visualRect(first)
        if shown >= MAX_ROWS or rect.top() > viewport.bottom():
            break
        if rect.bottom() < 0 or rect.isEmpty():
            continue
        shown += 1
        for column in columns:
            cell = model.index(row, column, root)
            yield "cell", model.data(cell, Qt.DisplayRole)
            yield "cell tooltip", model.data(cell, Qt.ToolTipRole)


def _menu_texts(menu: QMenu, where: str):
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        yield f"{where} > {action.text()}", action.text()
        if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
            yield f"{where} > tooltip", action.toolTip()
        if action.menu() is not None:
            yield from _menu_texts(action.menu(), f"{where} > {action.text()}")


def screen_texts(root: QWidget):
    """(where, text) for every text a person can read on `root` and its visible children."""
    yield "window title", root.windowTitle()
    # the root's own window only: a combo's popup list is read through the combo's items
    widgets = [root] + [w for w in root.findChildren(QWidget) if w.window() is root.window() and _shown(w)]
    for widget in widgets:
        kind = type(widget).__name__
        if widget.toolTip():
            yield f"{kind} tooltip", widget.toolTip()
        if isinstance(widget, QLabel):
            yield "label", widget.text()
        elif isinstance(widget, QAbstractButton):
            yield "button", widget.text()
        elif isinstance(widget, QGroupBox):
            yield "group", widget.title()
        elif isinstance(widget, QLineEdit):
            yield "placeholder", widget.placeholderText()
            yield "field", widget.text()
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            yield "placeholder", widget.placeholderText()
            yield "text", widget.toPlainText()
        elif isinstance(widget, QComboBox):
            for index in range(min(widget.count(), MAX_ITEMS)):
                yield "combo item", widget.itemText(index)
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                yield "tab", widget.tabText(index)
                yield "tab tooltip", widget.tabToolTip(index)
        if isinstance(widget, QAbstractItemView):
            for where, value in _view_cells(widget):
                yield f"{kind} {where}", value
    if isinstance(root, QMainWindow) and root.menuWidget() is not None:
        for action in root.menuBar().actions():
            yield f"menu {action.text()}", action.text()
            if action.menu() is not None:
                yield from _menu_texts(action.menu(), f"menu {action.text()}")


def scan(root: QWidget, paths=()) -> list[str]:
    """"where: 'text' -> [internal words]" for every text on `root` that shows something internal."""
    problems = []
    for where, value in screen_texts(root):
        if not isinstance(value, str) or not value.strip():
            continue
        words = internal_words(value, paths)
        if words:
            shown = value if len(value) < 140 else value[:137] + "…"
            problems.append(f"{where}: {shown!r} -> {sorted(set(words))}")
    return sorted(set(problems))
