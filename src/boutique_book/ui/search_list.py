"""Search and list: the search field, the filters, the result model and its view.

It tells the rest of the window one thing: which person is the list's current one (`currentChanged`, an id
or None). Nothing here moves the current row with signals blocked: every listener (the card, the actions)
always hears where the list is.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QHeaderView, QLineEdit, QTableView

from ..core.search import SearchFilters
from ..i18n import _
from .qtcompat import emit
from .contact_model import ContactListModel
from .qtcompat import current_data
from .labels import KINDS, TIERS, kind_label, tier_label


class SearchField(QLineEdit):
    """Down arrow moves into the results; Enter opens the current result."""

    def __init__(self, owner):
        super().__init__()
        self.owner = owner

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key_Down, Qt.Key_PageDown):
            self.owner.focus_results()
            return
        super().keyPressEvent(event)


class ResultsView(QTableView):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            emit(self.owner.activated)
            return
        if event.key() == Qt.Key_Up and self.currentIndex().row() <= 0:
            self.owner.focus_search()
            return
        if event.text() and event.text().isprintable() and not event.modifiers() & Qt.ControlModifier:
            self.owner.focus_search(append=event.text())  # typing in the list keeps searching
            return
        super().keyPressEvent(event)


ROW_HEIGHT = 38


class SearchList(QObject):
    """Owns the search field, the filter boxes, the ContactListModel and the ResultsView."""

    currentChanged = Signal(object)   # contact id of the list's current row, or None
    activated = Signal()              # Enter in the field or the list: open the current person
    searched = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.vault = None
        self.due_ids_for = lambda: set()
        self.field = SearchField(self)
        self.field.setObjectName("search")
        self.field.setPlaceholderText(_("Find: name, phone, email, tag or a word they said"))
        self.field.setClearButtonEnabled(True)
        self.timer = QTimer(self, singleShot=True, interval=40, timeout=self.run)
        self.field.textChanged.connect(lambda _text: self.timer.start())
        self.field.returnPressed.connect(self._on_return)
        self.tier_filter = QComboBox()
        self.tier_filter.addItem(_("All tiers"), None)
        for code in TIERS:
            self.tier_filter.addItem(tier_label(code), code)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(_("All kinds"), None)
        for code in KINDS:
            self.kind_filter.addItem(kind_label(code), code)
        self.tag_filter = QComboBox()
        self.due_filter = QCheckBox(_("Follow-up due"))
        for box in (self.tier_filter, self.kind_filter, self.tag_filter):
            box.currentIndexChanged.connect(lambda _i: self.run())
        self.due_filter.toggled.connect(lambda _on: self.run())

        self.model = ContactListModel()
        self.model.searched.connect(self.searched)
        self.view = ResultsView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.ElideRight)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.Interactive)
        self.view.doubleClicked.connect(lambda _index: emit(self.activated))
        self._whole_result = False
        self._current_id = None
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.model.modelReset.connect(self._after_reset)
        slash = QShortcut(QKeySequence("/"), self.view, self.focus_search)
        slash.setContext(Qt.WidgetShortcut)

    # -- the book -------------------------------------------------------------------------------------
    def open(self, vault, tags) -> None:
        self.vault = vault
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem(_("All tags"), None)
        for tag in tags:
            self.tag_filter.addItem(tag, tag)
        self.tag_filter.blockSignals(False)
        self.model.set_vault(vault)

    def clear(self) -> None:
        """Forget everything (lock): rows, query, filters' tag list."""
        self.timer.stop()
        self.vault = None
        self.model.clear()
        self.field.blockSignals(True)
        self.field.clear()
        self.field.blockSignals(False)
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.blockSignals(False)
        self._whole_result = False
        self._current_id = None

    # -- searching ------------------------------------------------------------------------------------
    def filters(self) -> SearchFilters:
        filters = SearchFilters(tier=current_data(self.tier_filter), kind=current_data(self.kind_filter),
                                tag=current_data(self.tag_filter), due_only=self.due_filter.isChecked())
        if filters.due_only and self.vault is not None:
            filters.due_ids = self.due_ids_for()
        return filters

    def run(self) -> None:
        """Run the field's query now. The current person stays current when they are still in the result;
        otherwise the first row becomes current (and the card follows, through currentChanged)."""
        self.timer.stop()
        if self.vault is None:
            return
        self.model.set_query(self.field.text(), self.filters())

    def _after_reset(self) -> None:
        if self.vault is None:
            return
        self._whole_result = False
        row = self.model.row_of(self._current_id) if self._current_id is not None else -1
        if row < 0:
            row = 0 if self.model.rowCount() else -1
        index = self.model.index(row, 0) if row >= 0 else self.model.index(-1, -1)
        self.view.setCurrentIndex(index)
        if self.current_id() != self._current_id:
            self._current_id = self.current_id()
            emit(self.currentChanged, self._current_id)

    def _on_current_row_changed(self, current, _previous) -> None:
        contact_id = self.model.contact_id(current.row()) if current.isValid() else None
        if contact_id != self._current_id:
            self._current_id = contact_id
            emit(self.currentChanged, contact_id)

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.contact_id(index.row()) if index.isValid() else None

    def make_current(self, contact_id: int) -> bool:
        """Put the list's current row on this person if they are listed (True), else leave it."""
        row = self.model.row_of(contact_id)
        if row < 0:
            return False
        if self.view.currentIndex().row() != row:
            self.view.setCurrentIndex(self.model.index(row, 0))
        return True

    def reload(self) -> None:
        """Same query again after a change; keeps the current person current when still listed."""
        keep = self._current_id
        self.model.reload()
        if keep is not None:
            self.make_current(keep)

    # -- focus ----------------------------------------------------------------------------------------
    def _on_return(self) -> None:
        if self.timer.isActive():
            self.run()  # Enter right after typing acts on the result for what was typed
        emit(self.activated)

    def focus_search(self, append: str = "") -> None:
        self.field.setFocus()
        if append:
            self.field.setText(self.field.text() + append)
        else:
            self.field.selectAll()

    def focus_results(self) -> None:
        if self.timer.isActive():
            self.run()
        if self.model.rowCount():
            self.view.setFocus()
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.model.index(0, 0))

    # -- many at once ---------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        # "The whole result" holds only while every loaded row is still selected (more may not be loaded yet).
        if self._whole_result and rows and len(rows) == self.model.rowCount():
            return self.model.all_result_ids()
        return [cid for cid in (self.model.contact_id(r) for r in rows) if cid is not None]

    def _on_selection_changed(self, *_args) -> None:
        self._whole_result = False  # any other selection replaces "the whole result"

    def select_all(self) -> None:
        self.view.selectAll()
        self._whole_result = True  # after selectAll: its selectionChanged has already fired
