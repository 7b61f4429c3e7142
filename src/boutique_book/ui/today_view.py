"""Where the card stands when nobody is open (#22): the staff member's day at a glance.

One QTreeWidget (items, no widget per row): follow-ups due today, birthdays and key dates this week, the cards to
write for the season at hand, the people seen last. Enter or a double-click on a person opens them through
PersonFocus (the list and the card follow); "and 12 more" rows open the agenda or the card seasons. The data
come from core.today, asked only when the view is shown (never during unlock or while a card opens) and at most
once a minute unless something was saved."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem,
                               QTreeWidgetItemIterator, QVBoxLayout, QWidget)

from ..i18n import _, ngettext
from .formatting import heading_date, list_date
from .labels import tier_label

CONTACT, SCREEN = Qt.UserRole, Qt.UserRole + 1
STALE_SECONDS = 60


class TodayView(QWidget):
    openContact = Signal(int)
    openScreen = Signal(str)   # "agenda" | "seasons"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("today")
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.hint = QLabel(_("Enter or a double-click opens the person. Type a name to find anyone."))
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("todayList")
        self.tree.setColumnCount(3)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setIndentation(16)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.setTextElideMode(Qt.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.tree.itemActivated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.tree, 1)
        self._loaded_at = 0.0
        self._key = None

    # -- data ---------------------------------------------------------------------------------------------
    def show_for(self, vault, staff_id, force: bool = False) -> None:
        """Fill from core.today when shown; a second call within a minute for the same person reuses it."""
        key = (id(vault), staff_id)
        if not force and key == self._key and time.monotonic() - self._loaded_at < STALE_SECONDS:
            return
        from ..core.today import today_view

        self.fill(today_view(vault, staff_id))
        self._key, self._loaded_at = key, time.monotonic()

    def mark_stale(self) -> None:
        self._loaded_at = 0.0

    def clear_personal_data(self) -> None:
        self.tree.clear()
        self.title.clear()
        self._key, self._loaded_at = None, 0.0

    def fill(self, data) -> None:
        self.tree.clear()
        self.title.setText(_("Today, {date}").format(date=heading_date(data.today)))
        today = data.today

        def when(row):
            if row.on is None:
                return ""
            if row.overdue:
                return _("overdue since {date}").format(date=list_date(row.on))
            return _("today") if row.on == today else list_date(row.on)

        self._part(_("Your follow-ups today"), data.followups, lambda r: r.what, when,
                   _("Nothing planned for you today."), "agenda")
        self._part(_("Birthdays and key dates this week"), data.key_dates, self._key_date_text, when,
                   _("No birthday or key date this week."), "agenda")
        season = data.season
        if season is not None:
            from ..core.calendar_labels import season_reason

            title = _("Cards to write: {season}, {date}").format(season=season_reason(season.name),
                                                                 date=list_date(season.date))
            empty = (_("Every card on the list is written.") if season.listed else
                     _("Nobody is on this season's list yet: open Card seasons to choose."))
            self._part(title, season.to_write, lambda r: tier_label(r.tier), lambda r: "", empty, "seasons",
                       empty_opens=not season.listed)
        self._part(_("Seen last"), data.seen, lambda r: tier_label(r.tier), lambda r: list_date(r.on),
                   _("Nobody yet."), None)
        self.tree.expandAll()
        first = self._first_person()
        if first is not None:
            self.tree.setCurrentItem(first)

    @staticmethod
    def _key_date_text(row) -> str:
        if row.years:
            return _("{what} ({years})").format(what=row.what, years=row.years)
        return row.what

    def _part(self, title, part, what, when, empty, screen, empty_opens: bool = False) -> None:
        heading = QTreeWidgetItem([title])
        font = QFont(self.tree.font())
        font.setBold(True)
        heading.setFont(0, font)
        heading.setFlags(Qt.ItemIsEnabled)
        self.tree.addTopLevelItem(heading)
        heading.setFirstColumnSpanned(True)
        if not part.rows:
            item = QTreeWidgetItem([empty])
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable if empty_opens else Qt.ItemIsEnabled)
            if empty_opens:
                item.setData(0, SCREEN, screen)
            item.setForeground(0, self.palette().placeholderText())
            item.setToolTip(0, empty)
            heading.addChild(item)
            item.setFirstColumnSpanned(True)
        for row in part.rows:
            texts = [row.name, what(row), when(row)]
            item = QTreeWidgetItem(texts)
            item.setData(0, CONTACT, row.contact_id)
            for column, text in enumerate(texts):
                item.setToolTip(column, text)
            heading.addChild(item)
        if part.more and screen:
            item = QTreeWidgetItem([ngettext("and {n} more…", "and {n} more…", part.more).format(n=part.more)])
            item.setData(0, SCREEN, screen)
            heading.addChild(item)
            item.setFirstColumnSpanned(True)

    def _items(self):
        found = QTreeWidgetItemIterator(self.tree)
        while found.value() is not None:
            yield found.value()
            found += 1

    def _first_person(self):
        return next((item for item in self._items() if item.data(0, CONTACT) is not None), None)

    # -- one keystroke ------------------------------------------------------------------------------------
    def person_ids(self) -> list[int]:
        return [item.data(0, CONTACT) for item in self._items() if item.data(0, CONTACT) is not None]

    def item_for(self, contact_id: int):
        return next((item for item in self._items() if item.data(0, CONTACT) == contact_id), None)

    def _activate(self, item, _column=0) -> None:
        contact_id = item.data(0, CONTACT)
        if contact_id is not None:
            self.openContact.emit(int(contact_id))
            return
        screen = item.data(0, SCREEN)
        if screen:
            self.openScreen.emit(str(screen))
