"""The contact list as a Qt item model over SQL pages (never a list of widgets).

Browsing: the ordered ids of every contact are read once (one covering-index scan, ~100k ints) and
rows are filled page by page as the view asks. Searching: ids come from core.search page by page via
fetchMore, so typing never waits for more than one page. A query whose shorter prefix already found
nothing is not run again (as-you-type, like qutebrowser's history completion).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from ..core import search
from ..core.search import SearchFilters
from ..i18n import _
from .labels import kind_label, tier_label

log = logging.getLogger(__name__)
PAGE = 200
# Plain ints: reading Qt.DisplayRole / comparing with a Qt enum costs ~6 us each in PySide6, and the view
# calls data() for every role of every visible cell (~700 calls per keystroke).
_DISPLAY_ROLE = int(Qt.DisplayRole.value)
_USER_ROLE = int(Qt.UserRole.value)


class ContactListModel(QAbstractTableModel):
    COLUMNS = ("name", "tier", "kind", "detail")
    searched = Signal(float)  # milliseconds the last query took

    def __init__(self, vault=None, parent=None):
        super().__init__(parent)
        self._vault = vault
        self._query = ""
        self._filters = SearchFilters()
        self._ids: list[int] = []
        self._pages: dict[int, list] = {}
        self._more = False
        self._empty_prefix = None

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
        if self._vault is None:
            self._ids, self._more = [], False
        elif not self._query:
            self._ids = self._browse_ids()
            self._more = False
        elif self._empty_prefix and self._query.startswith(self._empty_prefix) and not self._filters.active():
            self._ids, self._more = [], False  # a shorter prefix already matched nothing
        else:
            self._ids = search.search_ids(self._vault.conn, self._query, PAGE, 0, self._filters)
            self._more = len(self._ids) == PAGE
            self._empty_prefix = None if self._ids else self._query
        self.endResetModel()
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("list query took %.1f ms", elapsed)
        self.searched.emit(elapsed)

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
            return [_("Name"), _("Tier"), _("Kind"), _("Email")][section]
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
            self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(more) - 1)
            self._ids.extend(more)
            self.endInsertRows()

    def _row(self, row: int):
        page = row // PAGE
        if page not in self._pages:
            if len(self._pages) > 64:  # keep memory flat while scrolling through 100k rows
                self._pages.pop(next(iter(self._pages)))
            ids = self._ids[page * PAGE:(page + 1) * PAGE]
            self._pages[page] = search.summaries(self._vault.conn, ids) if self._vault else []
        rows = self._pages[page]
        offset = row - page * PAGE
        return rows[offset] if offset < len(rows) else None

    def data(self, index, role=_DISPLAY_ROLE):
        role = getattr(role, "value", role)
        if (role != _DISPLAY_ROLE and role != _USER_ROLE) or not index.isValid() or self._vault is None:
            return None
        summary = self._row(index.row())
        if summary is None:
            return None
        if role == _DISPLAY_ROLE:
            column = self.COLUMNS[index.column()]
            if column == "name":
                return summary.display_name
            if column == "tier":
                return tier_label(summary.tier)
            if column == "kind":
                return kind_label(summary.kind)
            return summary.detail
        return summary.id  # _USER_ROLE

    def fit_columns(self, view) -> None:
        """Widths that fit the pane without a horizontal scrollbar; the last column takes what is left."""
        for column, width in enumerate((210, 90, 90)):
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
