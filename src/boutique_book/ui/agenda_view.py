"""The agenda screen: today / this week / this month, grouped by day, with what is overdue and the open
complaints on top. From an item: open the person, mark done (writes a shared moment stamped with the
staff member at the counter), snooze to a date, skip with a reason. No SQL here: core.calendar does it.

Shortcuts (while the view has focus): Return = open the person, Ctrl+D = done, Ctrl+L = snooze (later),
Ctrl+K = skip, Alt+Left / Alt+Right = previous / next period, Ctrl+T = back to today.
"""

from __future__ import annotations

import datetime as dt
import html

from functools import lru_cache

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox,
                               QPushButton, QSplitter, QTextBrowser, QToolButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from ..core import calendar, contacts, staff
from ..core.errors import BoutiqueBookError
from ..core.formatting import card_date, date_entry_format, heading_date, list_date, month_heading, range_heading
from ..i18n import _, current_language
from .labels import channel_label, relation_label

ROLE_ITEM = Qt.UserRole + 1
GROUP_LIMIT = 100          # rows shown per group; the rest is counted ("… and 1,204 more"). 300 rows in 8 groups
                           # cost ~45 ms of tree items per refresh at 100,000 people (issue 21)
PERIODS = ("today", "week", "month")
STATUS_COLOURS = {"overdue": "#b3261e", "snoozed": "#8a5a00", "done": "#2e7d32", "skipped": "#6b6b6b"}


def _labelled(label: str) -> str:
    """A bold label and its colon, through the catalog's "{label}: {value}" (French: a space before ':')."""
    return _("{label}: {value}").format(label=f"<b>{html.escape(label)}</b>", value="")


def _status_text(status: str) -> str:
    return {"due": _("Due"), "overdue": _("Overdue"), "snoozed": _("Snoozed"), "done": _("Done"),
            "skipped": _("Skipped")}.get(status, status)


class SnoozeDialog(QDialog):
    def __init__(self, default: dt.date, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Snooze until"))
        form = QFormLayout(self)
        self.date_edit = QDateEdit(QDate(default.year, default.month, default.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(date_entry_format())
        self.date_edit.setMinimumDate(QDate.currentDate().addDays(1))
        form.addRow(_("Show it again on"), self.date_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> dt.date:
        q = self.date_edit.date()
        return dt.date(q.year(), q.month(), q.day())


@lru_cache(maxsize=2048)
def _medium_date(day, lang: str) -> str:
    """Agenda rows repeat the same few dates hundreds of times: format each once (Babel costs ~0.15 ms)."""
    return list_date(day, lang)


class AgendaView(QWidget):
    """AgendaView(context, parent=None): the follow-up calendar of the boutique."""

    changed = Signal()   # an item was handled (the card on screen may have a new moment)

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.period = "week"
        self.anchor = dt.date.today()
        self.agenda: calendar.Agenda | None = None
        self._items: list[calendar.AgendaItem] = []
        self._build()
        self.refresh()

    # -- layout -------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.period_group = QButtonGroup(self)
        self.period_buttons = {}
        for key, label in (("today", _("Today")), ("week", _("Week")), ("month", _("Month"))):
            button = QToolButton(text=label, checkable=True)
            button.setObjectName(f"period_{key}")
            self.period_group.addButton(button)
            self.period_buttons[key] = button
            button.clicked.connect(lambda _checked=False, k=key: self.set_period(k))
            bar.addWidget(button)
        self.period_buttons[self.period].setChecked(True)
        self.prev_button = QToolButton(text="◀")
        self.prev_button.setToolTip(_("Previous (Alt+Left)"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QToolButton(text="▶")
        self.next_button.setToolTip(_("Next (Alt+Right)"))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button = QToolButton(text=_("Back to today"))
        self.today_button.clicked.connect(self.go_today)
        self.title = QLabel()
        self.title.setObjectName("agenda_title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        for w in (self.prev_button, self.next_button, self.today_button, self.title):
            bar.addWidget(w)
        bar.addStretch(1)
        self.staff_combo = QComboBox()
        self.staff_combo.setObjectName("staff_filter")
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("channel_filter")
        self.channel_combo.addItem(_("All channels"), None)
        for channel in calendar.CHANNEL_LABELS:
            self.channel_combo.addItem(channel_label(channel), channel)
        self._fill_staff()
        self.staff_combo.currentIndexChanged.connect(self.refresh)
        self.channel_combo.currentIndexChanged.connect(self.refresh)
        bar.addWidget(QLabel(_("Staff")))
        bar.addWidget(self.staff_combo)
        bar.addWidget(QLabel(_("Channel")))
        bar.addWidget(self.channel_combo)
        self.export_button = QPushButton(_("Export .ics…"))
        self.export_button.clicked.connect(self.export_ics)
        bar.addWidget(self.export_button)
        outer.addLayout(bar)

        splitter = QSplitter(Qt.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setObjectName("agenda_tree")
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([_("Person"), _("What"), _("Channel"), _("Status"), _("Owner")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # Sized once per refresh from the rows on screen (ResizeToContents re-measured every row on each
        # expansion: 230 ms of a 430 ms refresh at 10,000 people).
        for column in (0, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        self.tree.currentItemChanged.connect(self._show_context)
        self.tree.itemDoubleClicked.connect(lambda *_: self.open_selected())
        self.tree.setExpandsOnDoubleClick(False)  # open_selected folds and unfolds a group line itself
        splitter.addWidget(self.tree)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.context_view = QTextBrowser()
        self.context_view.setObjectName("agenda_context")
        self.context_view.setOpenLinks(False)
        side_layout.addWidget(self.context_view, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(_("Open person"))
        self.open_button.setToolTip(_("Return"))
        self.done_button = QPushButton(_("Done"))
        self.done_button.setToolTip(_("Writes a moment on the card (Ctrl+D)"))
        self.snooze_button = QPushButton(_("Snooze…"))
        self.snooze_button.setToolTip(_("Show it again later (Ctrl+L)"))
        self.skip_button = QPushButton(_("Skip…"))
        self.skip_button.setToolTip(_("Not this time, with a reason (Ctrl+K)"))
        self.open_button.clicked.connect(self.open_selected)
        self.done_button.clicked.connect(lambda: self.mark_selected_done())
        self.snooze_button.clicked.connect(lambda: self.snooze_selected())
        self.skip_button.clicked.connect(lambda: self.skip_selected())
        for b in (self.open_button, self.done_button, self.snooze_button, self.skip_button):
            buttons.addWidget(b)
        side_layout.addLayout(buttons)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 440])
        outer.addWidget(splitter, 1)
        self.summary = QLabel()
        self.summary.setObjectName("agenda_summary")
        outer.addWidget(self.summary)

        for keys, slot in ((Qt.Key_Return, self.open_selected), (Qt.Key_Enter, self.open_selected),
                           ("Ctrl+D", lambda: self.mark_selected_done()), ("Ctrl+L", lambda: self.snooze_selected()),
                           ("Ctrl+K", lambda: self.skip_selected()), ("Alt+Left", lambda: self.step(-1)),
                           ("Alt+Right", lambda: self.step(1)), ("Ctrl+T", self.go_today)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    def _fill_staff(self) -> None:
        self.staff_combo.blockSignals(True)
        self.staff_combo.clear()
        self.staff_combo.addItem(_("Everyone"), None)
        for member in staff.all_staff(self.context.vault):
            label = _("{name} (me)").format(name=member.name) if member.id == self.context.staff_id else member.name
            self.staff_combo.addItem(label, member.id)
        self.staff_combo.blockSignals(False)

    # -- period ---------------------------------------------------------------------------------------
    def _language(self) -> str:
        return current_language()

    def first_weekday(self) -> int:
        return calendar.first_weekday(self._language(), contacts.home_region(self.context.vault))

    def bounds(self) -> tuple[dt.date, dt.date]:
        if self.period == "today":
            return self.anchor, self.anchor
        if self.period == "week":
            return calendar.week_bounds(self.anchor, self.first_weekday())
        return calendar.month_bounds(self.anchor)

    def set_period(self, period: str) -> None:
        self.period = period
        self.period_buttons[period].setChecked(True)
        self.refresh()

    def step(self, direction: int) -> None:
        if self.period == "today":
            self.anchor += dt.timedelta(days=direction)
        elif self.period == "week":
            self.anchor += dt.timedelta(weeks=direction)
        else:
            self.anchor = calendar.add_months(self.anchor.replace(day=1), direction)
        self.refresh()

    def go_today(self) -> None:
        self.anchor = dt.date.today()
        self.refresh()

    def _title(self, start: dt.date, end: dt.date) -> str:
        lang = self._language()
        if self.period == "today":
            return heading_date(start, lang)
        if self.period == "month":
            return month_heading(start, lang)
        return range_heading(start, end, lang)

    # -- content --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        start, end = self.bounds()
        channel = self.channel_combo.currentData()
        try:
            self.agenda = calendar.agenda(self.context.vault, start, end, today=dt.date.today(),
                                          staff_id=self.staff_combo.currentData(),
                                          channels=[channel] if channel else ())
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Agenda"), str(exc))
            return
        self.title.setText(self._title(start, end))
        self._populate()

    def _populate(self) -> None:
        agenda = self.agenda
        lang = self._language()
        names = {s.id: s.name for s in staff.all_staff(self.context.vault, active_only=False)}
        self.tree.setUpdatesEnabled(False)
        try:
            self._fill(agenda, lang, names)
        finally:
            self.tree.setUpdatesEnabled(True)
        open_count = sum(1 for i in agenda.items() if not i.handled)
        self.summary.setText(_("{open} to do, {overdue} overdue, {done} handled").format(
            open=open_count, overdue=sum(agenda.overdue_total.values()),
            done=sum(1 for i in agenda.items() if i.handled)))
        self._show_context(None)
        self._update_buttons()

    def _fill(self, agenda, lang, names) -> None:
        self.tree.clear()
        self._items = []
        bold = QFont(self.tree.font())
        bold.setBold(True)

        def group(title: str) -> QTreeWidgetItem:
            node = QTreeWidgetItem([title])
            node.setFirstColumnSpanned(True)
            node.setFont(0, bold)
            node.setFlags(Qt.ItemIsEnabled)
            self.tree.addTopLevelItem(node)
            node.setFirstColumnSpanned(True)
            return node

        if agenda.cases:
            node = group(_("Open complaints ({n})").format(n=len(agenda.cases)))
            for case in agenda.cases:
                row = QTreeWidgetItem([case["display_name"], case["text"], "", _("open"), case["owner"]])
                row.setForeground(3, QBrush(QColor(STATUS_COLOURS["overdue"])))
                row.setData(0, ROLE_ITEM, ("case", case["contact_id"]))
                node.addChild(row)
        overdue_node = None
        if agenda.overdue:
            total = sum(agenda.overdue_total.values()) or len(agenda.overdue)
            node = overdue_node = group(_("Overdue ({n})").format(n=f"{total:,}"))
            self._add_rows(node, list(reversed(agenda.overdue)), names, lang, show_date=True,
                           hidden=agenda.overdue_hidden)
        for day, items in agenda.days.items():
            title = heading_date(day, lang)
            if day == agenda.today:
                title = _("Today — {date}").format(date=title)
            self._add_rows(group(title), items, names, lang)
        for index in range(self.tree.topLevelItemCount()):
            node = self.tree.topLevelItem(index)
            # Overdue stays folded into its one line ("Overdue (285)"): Enter or a click opens it. The agenda
            # opens on today and this week, not on a wall of red.
            node.setExpanded(node is not overdue_node)
        self._fit_columns()
        first = self._first_upcoming()
        if first is not None:
            self.tree.setCurrentItem(first)

    def _fit_columns(self) -> None:
        """Person, channel, status and owner sized by their contents (once per refresh), each capped so the
        "What" column keeps at least 40 % of the pane; a cell that still does not fit elides and its tooltip
        holds the whole text."""
        for column in (0, 2, 3, 4):
            self.tree.resizeColumnToContents(column)
        width = max(self.tree.viewport().width(), 600)
        caps = {0: int(width * 0.26), 2: int(width * 0.14), 3: int(width * 0.12), 4: int(width * 0.14)}
        for column, cap in caps.items():
            if self.tree.columnWidth(column) > cap:
                self.tree.setColumnWidth(column, cap)

    def _first_upcoming(self):
        """The first item of today (or of the first day shown), so the detail pane is not empty on opening."""
        for index in range(self.tree.topLevelItemCount()):
            node = self.tree.topLevelItem(index)
            if node.isExpanded() and node.childCount() and node.child(0).data(0, ROLE_ITEM):
                return node.child(0)
        return None

    def _add_rows(self, node, items, names, lang, show_date=False, hidden=0) -> None:
        for item in items[:GROUP_LIMIT]:
            what = item.reason
            if item.years:
                what = _("{reason} ({years})").format(reason=what, years=item.years)
            when = _medium_date(item.on, lang) if show_date else ""
            if item.time:
                when = f"{when} {item.time}".strip()
            if when:
                what = f"{when} · {what}"
            row = QTreeWidgetItem([item.display_name, what, channel_label(item.channel) if item.channel else "",
                                   _status_text(item.status), names.get(item.owner_id, "")])
            row.setToolTip(0, item.display_name)
            row.setToolTip(1, what)  # the cell may elide; the whole text is one hover away
            colour = STATUS_COLOURS.get(item.status)
            if colour:
                row.setForeground(3, QBrush(QColor(colour)))
            row.setData(0, ROLE_ITEM, ("item", len(self._items)))
            self._items.append(item)
            node.addChild(row)
        more = len(items) - GROUP_LIMIT + hidden if len(items) > GROUP_LIMIT else hidden
        if more > 0:
            row = QTreeWidgetItem([_("… and {n} more: narrow with the staff or channel filter").format(n=f"{more:,}")])
            row.setFlags(Qt.ItemIsEnabled)
            node.addChild(row)
            row.setFirstColumnSpanned(True)

    # -- selection ----------------------------------------------------------------------------------
    def selected_item(self) -> calendar.AgendaItem | None:
        current = self.tree.currentItem()
        data = current.data(0, ROLE_ITEM) if current else None
        if data and data[0] == "item":
            return self._items[data[1]]
        return None

    def _selected_contact(self) -> int | None:
        current = self.tree.currentItem()
        data = current.data(0, ROLE_ITEM) if current else None
        if not data:
            return None
        return self._items[data[1]].contact_id if data[0] == "item" else data[1]

    def select_item(self, item: calendar.AgendaItem) -> bool:
        """Make `item` (by key) the current row. Returns False when it is not shown."""
        for index in range(self.tree.topLevelItemCount()):
            node = self.tree.topLevelItem(index)
            for child in range(node.childCount()):
                row = node.child(child)
                data = row.data(0, ROLE_ITEM)
                if data and data[0] == "item" and self._items[data[1]].key == item.key:
                    self.tree.setCurrentItem(row)
                    return True
        return False

    def _update_buttons(self) -> None:
        item = self.selected_item()
        actionable = item is not None and not item.handled
        self.open_button.setEnabled(self._selected_contact() is not None)
        for b in (self.done_button, self.snooze_button, self.skip_button):
            b.setEnabled(actionable)

    def _show_context(self, *_args) -> None:
        self._update_buttons()
        contact_id = self._selected_contact()
        if contact_id is None:
            self.context_view.setHtml(f"<p style='color:#6b6b6b'>{html.escape(_('Choose an item to see who it is.'))}</p>")
            return
        info = calendar.item_context(self.context.vault, contact_id)
        item = self.selected_item()
        lang = self._language()
        e = html.escape
        parts = [f"<h3>{e(info['display_name'])}</h3>",
                 f"<p>{_labelled(_('Tier'))}{e(calendar.tier_label(info['tier']))}"]
        if info["preferred_channel"]:
            parts.append(f" · {_labelled(_('Prefers'))}{e(channel_label(info['preferred_channel']))}")
        parts.append("</p>")
        if item is not None:
            parts.append(f"<p><b>{e(item.reason)}</b> — {e(card_date(item.occurs, lang))}")
            if item.note:
                parts.append(f"<br><i>{e(item.note)}</i>")
            parts.append("</p>")
        for case in info["open_cases"]:
            parts.append(f"<p style='color:{STATUS_COLOURS['overdue']}'>{_labelled(_('Open complaint'))}"
                         f"{e(case['text'])}</p>")
        if info["links"]:
            people = ", ".join(f"{e(l['other_name'])} ({e(relation_label(l['relation']))})" for l in info["links"])
            parts.append(f"<p>{_labelled(_('Family and links'))}{people}</p>")
        last = info["last_moment"]
        if last is not None:
            parts.append(f"<p>{_labelled(_('Last moment'))}{e(list_date(last.occurred_on, lang))}"
                         f" — {e(last.text)}</p>")
        else:
            parts.append(f"<p>{_labelled(_('Last moment'))}{e(_('none yet'))}</p>")
        if info["wishes"]:
            parts.append(f"<p>{_labelled(_('Wishes and preferences')).strip()}</p><ul>")
            parts.extend(f"<li>{e(m.text)}</li>" for m in info["wishes"])
            parts.append("</ul>")
        self.context_view.setHtml("".join(parts))

    # -- actions ------------------------------------------------------------------------------------
    def open_selected(self) -> None:
        current = self.tree.currentItem()
        if current is not None and current.childCount() and current.parent() is None:
            current.setExpanded(not current.isExpanded())  # Enter on a folded line ("Overdue (285)") opens it
            return
        contact_id = self._selected_contact()
        if contact_id is not None:
            self.context.open_contact(contact_id)

    def _after_change(self, item) -> None:
        self.refresh()
        self.select_item(item)
        self.changed.emit()
        self.context.refresh()

    def mark_selected_done(self, note: str = "") -> int | None:
        item = self.selected_item()
        if item is None or item.handled:
            return None
        try:
            moment_id = calendar.mark_done(self.context.vault, item, by=self.context.staff_id, note=note)
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Agenda"), str(exc))
            return None
        self._after_change(item)
        return moment_id

    def snooze_selected(self, to: dt.date | None = None) -> bool:
        item = self.selected_item()
        if item is None or item.handled:
            return False
        if to is None:
            dialog = SnoozeDialog(max(dt.date.today(), item.on) + dt.timedelta(days=7), self)
            if dialog.exec() != QDialog.Accepted:
                return False
            to = dialog.chosen()
        try:
            calendar.snooze(self.context.vault, item, to, by=self.context.staff_id)
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Agenda"), str(exc))
            return False
        self._after_change(item)
        return True

    def skip_selected(self, reason: str | None = None) -> bool:
        item = self.selected_item()
        if item is None or item.handled:
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(self, _("Skip"), _("Why is this skipped?"))
            if not ok:
                return False
        try:
            calendar.skip(self.context.vault, item, reason, by=self.context.staff_id)
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Agenda"), str(exc))
            return False
        self._after_change(item)
        return True

    def export_ics(self, path: str | None = None) -> bool:
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Export the agenda"), "agenda.ics",
                                                        _("Calendar files (*.ics)"))
            if not path:
                return False
        start, end = self.bounds()
        channel = self.channel_combo.currentData()
        try:
            calendar.export_ics(self.context.vault, start, end, path=path, staff_id=self.staff_combo.currentData(),
                                channels=[channel] if channel else ())
        except (BoutiqueBookError, OSError) as exc:
            QMessageBox.warning(self, _("Export the agenda"), str(exc))
            return False
        return True

    # -- locking ------------------------------------------------------------------------------------
    def clear_personal_data(self) -> None:
        self.tree.clear()
        self._items = []
        self.agenda = None
        self.context_view.clear()
        self.summary.clear()
        self.staff_combo.blockSignals(True)
        self.staff_combo.clear()
        self.staff_combo.blockSignals(False)
        self._update_buttons()
