"""The contact list as a Qt item model over SQL pages (never a list of widgets).

Browsing: the ordered ids of every contact are read once (one covering-index scan, ~100k ints) and
rows are filled page by page as the view asks. Searching: ids come from core.search page by page via
fetchMore, so typing never waits for more than one page. A query whose shorter prefix already found
nothing is not run again (as-you-type, like qutebrowser's history completion) — but only when that shorter
query was a real search for words with the same filters: a symbols-only query ("+", "(") is browsing, and
clearing the field forgets everything. Phone-like queries always run: the last digits of a number match whole
("7766" finds 06 99 88 77 66 although "776" found nobody), so a longer number can find more than its prefix.

Each row tells two people apart: name (and "+N same name" under it), tier as a coloured mark,
city, last visit, and the phone's last four digits or the email (core.people_list).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from ..core import people_list, search
from ..core.search import SearchFilters
from ..i18n import _, ngettext
from .qtcompat import emit
from .formatting import date_text
from .labels import kind_label, tier_label
from . import style

log = logging.getLogger(__name__)
PAGE = 200   # ids asked from core.search at a time (fetchMore)
ROWS = 50    # rows read at a time when the view asks for one: a screenful and a bit (38 px rows)
# Plain ints: reading Qt.DisplayRole / comparing with a Qt enum costs ~6 us each in PySide6, and the view
# calls data() for every role of every visible cell (~700 calls per keystroke).
_DISPLAY_ROLE = int(Qt.DisplayRole.value)
_USER_ROLE = int(Qt.UserRole.value)
_TOOLTIP_ROLE = int(Qt.ToolTipRole.value)
_DECORATION_ROLE = int(Qt.DecorationRole.value)
HINT_ROLE = _USER_ROLE + 1      # the name cell's second line alone ("+6 same name", or the kind)


def _filters_key(filters: SearchFilters) -> tuple:
    return (filters.tier, filters.kind, filters.tag, filters.due_only,
            tuple(sorted(filters.due_ids)) if filters.due_only and filters.due_ids else ())


def _query_kind(query: str) -> str | None:
    """"words", "phone", or None when the query searches nothing (symbols only: the list browses)."""
    match = search.build_match(query)
    if match is None:
        return None
    return "phone" if "details" in match else "words"


class ContactListModel(QAbstractTableModel):
    COLUMNS = ("name", "tier", "city", "last_visit", "reach")
    searched = Signal(float)  # milliseconds the last query took

    def __init__(self, vault=None, parent=None):
        super().__init__(parent)
        self._vault = vault
        self._query = ""
        self._filters = SearchFilters()
        self._ids: list[int] = []
        self._pages: dict[int, list] = {}
        self._more = False
        self._browsing_all = False  # no query, no filter: self._ids is the whole book in list order
        self._empty_prefix = None   # (query, kind, filters key) of the last real search that found nobody
        self._tier_colours = style.tier_qcolours()  # the design system's, refreshed when the theme changes
        style.on_theme_change(self._theme_changed)

    def _theme_changed(self) -> None:
        self._tier_colours = style.tier_qcolours()
        if self._ids:
            tier = self.COLUMNS.index("tier")
            emit(self.dataChanged, self.index(0, tier), self.index(len(self._ids) - 1, tier), [Qt.DecorationRole])

    # -- lifecycle -------------------------------------------------------------------------------
    def set_vault(self, vault) -> None:
        self._vault = vault
        self.reload()

    def clear(self) -> None:
        """Forget every row (used on lock: nothing personal stays in memory)."""
        self.beginResetModel()
        self._vault = None
        self._ids, self._pages, self._more, self._query = [], {}, False, ""
        self._empty_prefix = None
        self._browsing_all = False
        self.endResetModel()

    def set_query(self, query: str, filters: SearchFilters | None = None) -> None:
        self._query = query.strip()
        if filters is not None:
            self._filters = filters
        self.reload()

    def reload(self) -> None:
        started = time.perf_counter()
        self.beginResetModel()
        self._pages = {}
        self._browsing_all = False
        kind = _query_kind(self._query) if self._query else None
        if self._vault is None:
            self._ids, self._more = [], False
        elif not self._query:
            self._empty_prefix = None  # a cleared field starts afresh
            self._ids = self._browse_ids()
            self._browsing_all = not self._filters.active()
            self._more = False
        elif self._blocked_by_empty_prefix(kind):
            self._ids, self._more = [], False  # a shorter query of the same kind and filters found nobody
        else:
            self._ids = search.search_ids(self._vault.conn, self._query, PAGE, 0, self._filters)
            self._more = len(self._ids) == PAGE
            if kind == "words" and not self._ids:  # see the module's docstring: never for phone numbers
                self._empty_prefix = (self._query, kind, _filters_key(self._filters))
            elif self._ids:
                self._empty_prefix = None
        self.endResetModel()
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("list query took %.1f ms", elapsed)
        emit(self.searched, elapsed)

    def _blocked_by_empty_prefix(self, kind) -> bool:
        if self._empty_prefix is None or kind != "words":
            return False
        prefix, prefix_kind, filters = self._empty_prefix
        return (kind == prefix_kind and filters == _filters_key(self._filters) and self._query != prefix
                and self._query.startswith(prefix))

    def _browse_ids(self) -> list[int]:
        conn = self._vault.conn
        if not self._filters.active():
            return [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY sort_key, id")]
        return search.browse_ids(conn, 10**9, 0, self._filters)

    # -- Qt model API ------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return [_("Name"), _("Tier"), _("City"), _("Last visit"), _("Phone or email")][section]
        return None

    def canFetchMore(self, parent=QModelIndex()):
        return not parent.isValid() and self._more

    def fetchMore(self, parent=QModelIndex()):
        if not self._more or self._vault is None:
            return
        more = search.search_ids(self._vault.conn, self._query, PAGE, len(self._ids), self._filters)
        known = set(self._ids)
        more = [i for i in more if i not in known]
        self._more = len(more) > 0 and len(more) >= PAGE // 2
        if more:
            self._pages.pop(len(self._ids) // ROWS, None)  # a partly filled chunk gets its new rows too
            self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(more) - 1)
            self._ids.extend(more)
            self.endInsertRows()

    def _row(self, row: int):
        chunk = row // ROWS
        if chunk not in self._pages:
            if len(self._pages) > 256:  # keep memory flat while scrolling through 100k rows
                self._pages.pop(next(iter(self._pages)))
            self._pages[chunk] = self._load_rows(self._ids[chunk * ROWS:(chunk + 1) * ROWS])
        rows = self._pages[chunk]
        offset = row - chunk * ROWS
        found = rows[offset] if offset < len(rows) else None
        # Never another person's row in this place: the id the row stands for is what every action uses.
        return found if found is not None and found.id == self._ids[row] else None

    def _load_rows(self, ids: list[int]) -> list:
        """The rows for these ids. Browsing the whole book, the ids are adjacent in the list's own order: one
        range read (checked against the ids, so a book changed meanwhile still shows the right people)."""
        if self._vault is None or not ids:
            return []
        conn = self._vault.conn
        if self._browsing_all:
            found = people_list.rows_from(conn, ids[0], len(ids))
            if [r.id for r in found] == ids:
                return found
        # Aligned with the ids, a gap where a person has no list row (a row left out must not shift the others
        # up: each row would then show the next person's name while its actions aimed at its own id).
        by_id = {r.id: r for r in people_list.rows(conn, ids)}
        return [by_id.get(i) for i in ids]

    def data(self, index, role=_DISPLAY_ROLE):
        role = getattr(role, "value", role)
        if role not in (_DISPLAY_ROLE, _USER_ROLE, _TOOLTIP_ROLE, _DECORATION_ROLE, HINT_ROLE) \
                or not index.isValid() or self._vault is None:
            return None
        summary = self._row(index.row())
        if summary is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == _DISPLAY_ROLE:
            if column == "name":  # two lines: the name, and under it the same-name hint or the kind
                hint = same_name_hint(summary.same_name) if summary.same_name else kind_label(summary.kind)
                return f"{summary.display_name}\n{hint}"
            if column == "tier":
                return tier_label(summary.tier)
            if column == "city":
                return summary.city
            if column == "last_visit":
                return date_text(summary.last_visit, "short") if summary.last_visit else ""
            return reach_text(summary)
        if role == _USER_ROLE:
            return summary.id
        if role == HINT_ROLE:
            return same_name_hint(summary.same_name) if summary.same_name else kind_label(summary.kind)
        if role == _DECORATION_ROLE:
            if column != "tier":
                return None
            colours = self._tier_colours
            return colours.get(summary.tier) or colours[None]
        return row_tooltip(summary)  # _TOOLTIP_ROLE

    def row_texts(self, row: int) -> list[str]:
        """Everything a row shows, as text (every column, and the name's second line)."""
        texts = [str(self.data(self.index(row, column)) or "") for column in range(len(self.COLUMNS))]
        return texts + [str(self.data(self.index(row, 0), HINT_ROLE) or "")]

    def fit_columns(self, view) -> None:
        """Widths that fit the pane at 1366x768 without a horizontal scrollbar; the last column takes the rest.
        The last visit gets the width of a date in the interface language ("25/11/2026", "2026/11/25" are wider
        than "11/25/26"), taken from the name column so the total stays the same."""
        import datetime as dt

        metrics = view.fontMetrics()
        visit = max(78, metrics.horizontalAdvance(date_text(dt.date(2026, 12, 28), "short")) + 16)
        # The tier: its longest name in this language ("Connaissances") beside its colour mark, so no row
        # reads "Connaissanc…"; also taken from the name column, which keeps at least 120 px.
        mark = view.iconSize().width() if view.iconSize().width() > 0 else 16
        tier = max(104, max(metrics.horizontalAdvance(tier_label(t)) for t in ("family", "friends", "acquaintances"))
                   + mark + 20)
        name = max(120, 210 - (visit - 78) - (tier - 104))  # the pane is 600 px wide at 1366 (counter_window)
        for column, width in enumerate((name, tier, 84, visit)):
            view.setColumnWidth(column, width)

    # -- helpers for the window ----------------------------------------------------------------------
    def contact_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, contact_id: int) -> int:
        try:
            return self._ids.index(contact_id)
        except ValueError:
            return -1

    def all_result_ids(self) -> list[int]:
        """Every id of the current result (for 'apply to the whole search result')."""
        if self._vault is None:
            return []
        if not self._query:
            return list(self._ids)
        return search.search_ids(self._vault.conn, self._query, 10**6, 0, self._filters)

    @property
    def query(self) -> str:
        return self._query


def same_name_hint(others: int) -> str:
    """The row's second line: short enough for the name column in every language ("same name as one ot…" was
    cut at 1366x768); the whole sentence is in the row's tooltip (same_name_text)."""
    return ngettext("+{n} same name", "+{n} same name", others).format(n=others)


def same_name_text(others: int) -> str:
    return _("same name as {n} others").format(n=others) if others > 1 else _("same name as one other")


def reach_text(row) -> str:
    """The last four digits of the phone (never the whole number in a list), else the email."""
    if row.phone_tail:
        return _("phone …{digits}").format(digits=row.phone_tail)
    return row.email


def row_tooltip(row) -> str:
    parts = [row.display_name, tier_label(row.tier), kind_label(row.kind)]
    if row.city:
        parts.append(row.city)
    if row.last_visit:
        parts.append(_("last visit {date}").format(date=date_text(row.last_visit)))
    if row.email:
        parts.append(row.email)
    text = " · ".join(parts)
    if row.same_name:
        text += "\n" + same_name_text(row.same_name) + " — " + _(
            "to compare or merge: select two of them, then Book ▸ Find duplicates / merge the two selected…")
    return text
