"""Card seasons and tier rhythms.

SeasonsView(context, parent=None, current_contact_id=None): choose a season and a year (default: the next
season to come), see its computed date, build the recipient list by tier, tag or the open person, add back
the people who got a card last year but are not on this year's list, read last year's card history, and
print labels for the list. Adding a season or changing a season's date rule / lead time is a manager action
(enabled only with a manager session in context.extra["manager_session"]; audited with session.actor).

RhythmsDialog(context, parent=None): the tiers' cadences (n + unit, 0 = off) and whether their key dates
make agenda items; manager only (offers to unlock with the manager passphrase, like ManagerDialog).

No SQL here: everything goes through core.calendar_seasons, core.calendar and core.manager.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QPushButton, QSizePolicy, QSpinBox, QSplitter, QStackedWidget,
                               QTableView, QTabWidget, QVBoxLayout, QWidget)

from ..core import calendar, calendar_seasons, common_ground, contacts, manager
from ..core.errors import BoutiqueBookError
from ..core.model import Tier
from ..i18n import _, current_language, ngettext
from ..core.calendar_seasons import next_season  # noqa: F401  (season logic lives in core)
from .formatting import babel_locale, card_date, heading_date, list_date, weekday_names
from .manager_unlock import SESSION_KEY, ManagerUnlockDialog, ManagerUnlockPanel, manager_session  # noqa: F401

TIERS = tuple(t.value for t in Tier)
RULE_TYPES = ("fixed", "easter", "nth_weekday", "fr_mothers_day", "table", "dates")
UNITS = ("days", "weeks", "months")
OWNER_COLUMN = 3  # "Best placed to write" in the season's list


def _status_text(status: str) -> str:
    return {"planned": _("Planned"), "printed": _("Printed"), "sent": _("Sent"),
            "skipped": _("Skipped")}.get(status, status)


def _unit_text(unit: str) -> str:
    return {"days": _("days"), "weeks": _("weeks"), "months": _("months")}.get(unit, unit)


def _table_feast_text(name: str) -> str:
    return {"lunar_new_year": _("Lunar New Year"), "diwali": _("Diwali"),
            "eid_al_fitr": _("Eid al-Fitr")}.get(name, name)


def season_title(name: str) -> str:
    """The season as people call it ("Christmas card", "Diwali card", "Hanukkah card")."""
    return calendar.season_reason(name)


# -- a small read-only model of people ------------------------------------------------------------------
class PeopleModel(QAbstractTableModel):
    """Rows of dicts with a contact_id; columns are (header, function(row) -> text)."""

    def __init__(self, columns, parent=None):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[dict] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rows(self) -> list[dict]:
        return list(self._rows)

    def contact_ids(self) -> list[int]:
        return [r["contact_id"] for r in self._rows]

    def contact_id(self, row: int) -> int:
        return self._rows[row]["contact_id"]

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role=Qt.DisplayRole):
        role = int(role)
        if not index.isValid():
            return None
        if role in (int(Qt.DisplayRole), int(Qt.ToolTipRole)):      # the tooltip: the whole text if elided
            return self._columns[index.column()][1](self._rows[index.row()])
        if role == int(Qt.UserRole):
            return self._rows[index.row()]["contact_id"]
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if int(role) == int(Qt.DisplayRole) and orientation == Qt.Horizontal:
            return self._columns[section][0]
        return None


def _table(model, parent, multi=True) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.ExtendedSelection if multi else QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.Stretch)
    return view


# -- a season's date rule -----------------------------------------------------------------------------------
class SeasonRuleDialog(QDialog):
    """Add a season (season=None) or change a season's date rule, lead time and whether it is in use.
    Returns the values through name(), rule(), lead_days(), active(); the caller saves them."""

    def __init__(self, vault, season: dict | None = None, year: int | None = None, parent=None):
        super().__init__(parent)
        self.vault = vault
        self.season = season
        self.year = year or dt.date.today().year
        self.setWindowTitle(_("Season date") if season else _("New card season"))
        self.setObjectName("seasonRuleDialog")
        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(_("e.g. Hanukkah, Name day of the shop…"))
        if season:
            self.name_edit.setText(season["name"])
            self.name_edit.setReadOnly(True)
            self.name_edit.hide()  # the name is the season's key (moments store it): not editable
            form.addRow(_("Season:"), QLabel(season_title(season["name"]), self))
        else:
            form.addRow(_("Name:"), self.name_edit)

        self.kind = QComboBox(self)
        for key, label in zip(RULE_TYPES, (
                _("The same date every year"), _("Relative to Easter"),
                _("A weekday of a month (e.g. 2nd Sunday of May)"),
                _("French Mother's Day (last Sunday of May; first of June at Pentecost)"),
                _("Published dates (2024–2035)"), _("Dates set by hand"))):
            self.kind.addItem(label, key)
        form.addRow(_("Date:"), self.kind)

        months = babel_locale().months["format"]["wide"]
        days = weekday_names()
        self.stack = QStackedWidget(self)
        # fixed
        page = QWidget(self)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        self.fixed_day = QSpinBox(page)
        self.fixed_day.setRange(1, 31)
        self.fixed_month = QComboBox(page)
        for m in range(1, 13):
            self.fixed_month.addItem(months[m], m)
        row.addWidget(self.fixed_day)
        row.addWidget(self.fixed_month, 1)
        self.stack.addWidget(page)
        # easter
        page = QWidget(self)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        self.easter_offset = QSpinBox(page)
        self.easter_offset.setRange(-100, 100)
        self.easter_offset.setSuffix(" " + _("days"))
        self.easter_calendar = QComboBox(page)
        self.easter_calendar.addItem(_("Western Easter"), "western")
        self.easter_calendar.addItem(_("Orthodox Easter"), "orthodox")
        row.addWidget(self.easter_offset)
        row.addWidget(QLabel(_("from"), page))
        row.addWidget(self.easter_calendar, 1)
        self.stack.addWidget(page)
        # nth weekday
        page = QWidget(self)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        self.nth = QComboBox(page)
        for n, label in ((1, _("1st")), (2, _("2nd")), (3, _("3rd")), (4, _("4th")), (-1, _("last"))):
            self.nth.addItem(label, n)
        self.nth_weekday = QComboBox(page)
        for w in range(7):
            self.nth_weekday.addItem(days[w], w)
        self.nth_month = QComboBox(page)
        for m in range(1, 13):
            self.nth_month.addItem(months[m], m)
        row.addWidget(self.nth)
        row.addWidget(self.nth_weekday)
        row.addWidget(QLabel(_("of"), page))
        row.addWidget(self.nth_month, 1)
        self.stack.addWidget(page)
        # French Mother's Day: nothing to choose
        self.stack.addWidget(QLabel(_("Computed every year."), self))
        # table
        self.table_name = QComboBox(self)
        for name in calendar_seasons.FEAST_TABLE:
            self.table_name.addItem(_table_feast_text(name), name)
        self.stack.addWidget(self.table_name)
        # dates
        self.dates_edit = QPlainTextEdit(self)
        self.dates_edit.setPlaceholderText(_("One date a line, year-month-day: 2027-05-16"))
        self.dates_edit.setMaximumHeight(90)
        self.stack.addWidget(self.dates_edit)
        form.addRow("", self.stack)

        self.lead = QSpinBox(self)
        self.lead.setRange(0, 120)
        self.lead.setSuffix(" " + _("days before"))
        self.lead.setValue(21)
        form.addRow(_("Cards are written:"), self.lead)
        self.active_box = QCheckBox(_("In use (shows in the agenda and the print screen)"), self)
        self.active_box.setChecked(True)
        form.addRow("", self.active_box)
        self.preview = QLabel(self)
        self.preview.setObjectName("rulePreview")
        self.preview.setWordWrap(True)
        form.addRow(_("Falls on:"), self.preview)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        if season:
            self._load(season)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for widget in (self.fixed_day, self.easter_offset):
            widget.valueChanged.connect(self._update_preview)
        for widget in (self.fixed_month, self.easter_calendar, self.nth, self.nth_weekday, self.nth_month,
                       self.table_name):
            widget.currentIndexChanged.connect(self._update_preview)
        self.dates_edit.textChanged.connect(self._update_preview)
        self._kind_changed()

    def _load(self, season: dict) -> None:
        rule = season["rule"]
        kind = rule.get("type")
        if kind in RULE_TYPES:
            self.kind.setCurrentIndex(RULE_TYPES.index(kind))
        if kind == "fixed":
            self.fixed_day.setValue(int(rule["day"]))
            self.fixed_month.setCurrentIndex(int(rule["month"]) - 1)
        elif kind == "easter":
            self.easter_offset.setValue(int(rule.get("offset", 0)))
            self.easter_calendar.setCurrentIndex(1 if rule.get("calendar") == "orthodox" else 0)
        elif kind == "nth_weekday":
            self.nth.setCurrentIndex(max(0, self.nth.findData(int(rule.get("n", 1)))))
            self.nth_weekday.setCurrentIndex(int(rule.get("weekday", 6)))
            self.nth_month.setCurrentIndex(int(rule["month"]) - 1)
        elif kind == "table":
            self.table_name.setCurrentIndex(max(0, self.table_name.findData(rule.get("name"))))
        elif kind == "dates":
            self.dates_edit.setPlainText("\n".join(rule.get("dates", ())))
        self.lead.setValue(int(season["lead_days"]))
        self.active_box.setChecked(bool(season["active"]))

    def _kind_changed(self, *_args) -> None:
        self.stack.setCurrentIndex(self.kind.currentIndex())
        for index in range(self.stack.count()):  # the stack takes the height of the page shown, not the tallest
            policy = QSizePolicy.Preferred if index == self.stack.currentIndex() else QSizePolicy.Ignored
            self.stack.widget(index).setSizePolicy(policy, policy)
        self.stack.adjustSize()
        self.adjustSize()
        self._update_preview()

    def name(self) -> str:
        return self.name_edit.text().strip()

    def lead_days(self) -> int:
        return self.lead.value()

    def active(self) -> bool:
        return self.active_box.isChecked()

    def rule(self) -> dict:
        kind = self.kind.currentData()
        if kind == "fixed":
            return {"type": "fixed", "month": self.fixed_month.currentData(), "day": self.fixed_day.value()}
        if kind == "easter":
            return {"type": "easter", "offset": self.easter_offset.value(), "calendar": self.easter_calendar.currentData()}
        if kind == "nth_weekday":
            return {"type": "nth_weekday", "month": self.nth_month.currentData(), "n": self.nth.currentData(),
                    "weekday": self.nth_weekday.currentData()}
        if kind == "table":
            return {"type": "table", "name": self.table_name.currentData()}
        if kind == "dates":
            return {"type": "dates", "dates": [line.strip() for line in self.dates_edit.toPlainText().splitlines()
                                               if line.strip()]}
        return {"type": "fr_mothers_day"}

    def _update_preview(self, *_args) -> None:
        try:
            rule = calendar_seasons.validate_season_rule(self.rule())
            parts = []
            for year in (self.year, self.year + 1):
                dates = calendar_seasons.season_dates(rule, year)
                parts.append(", ".join(heading_date(d) for d in dates) if dates else
                             _("no date known for {year}").format(year=year))
            self.preview.setText("\n".join(parts))
        except BoutiqueBookError as exc:
            self.preview.setText(str(exc))


# -- the seasons screen ------------------------------------------------------------------------------------
class SeasonsView(QWidget):
    """SeasonsView(context, parent=None, current_contact_id=None): card seasons and their recipient lists."""

    def __init__(self, context, parent=None, current_contact_id: int | None = None):
        super().__init__(parent)
        self.context = context
        self.vault = context.vault
        self.current_contact_id = current_contact_id
        self.print_view = None
        self.setObjectName("seasonsView")
        self._build()
        self._fill_seasons()
        chosen = next_season(self.vault)
        if chosen:
            self.set_season(*chosen)
        else:
            self.reload()

    # -- layout -----------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.season_combo = QComboBox(self)
        self.season_combo.setObjectName("seasonCombo")
        self.season_combo.setMinimumWidth(200)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(dt.date.today().year)
        self.year_spin.setObjectName("seasonYear")
        self.date_label = QLabel(self)
        self.date_label.setObjectName("seasonDate")
        font = self.date_label.font()
        font.setBold(True)
        self.date_label.setFont(font)
        bar.addWidget(QLabel(_("Season"), self))
        bar.addWidget(self.season_combo)
        bar.addWidget(QLabel(_("Year"), self))
        bar.addWidget(self.year_spin)
        bar.addStretch(1)
        self.date_label.setWordWrap(True)  # on its own line: in French it alone was wider than the screen
        self.unlock_button = QPushButton(_("Unlock as manager…"), self)
        self.new_button = QPushButton(_("New season…"), self)
        self.edit_button = QPushButton(_("Date and lead time…"), self)
        for button in (self.unlock_button, self.new_button, self.edit_button):
            bar.addWidget(button)
        self.unlock_button.clicked.connect(self.unlock_manager)
        self.new_button.clicked.connect(lambda: self.edit_season(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_season(new=False))
        outer.addLayout(bar)
        outer.addWidget(self.date_label)

        splitter = QSplitter(Qt.Horizontal, self)
        # left: this year's list
        self.list_box = QGroupBox(_("The list"), self)
        left = QVBoxLayout(self.list_box)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel(_("Add:"), self.list_box))
        self.tier_combo = QComboBox(self.list_box)
        for tier in TIERS:
            self.tier_combo.addItem(calendar.tier_label(tier), tier)
        self.add_tier_button = QPushButton(_("Whole tier"), self.list_box)
        self.tag_combo = QComboBox(self.list_box)
        self.tag_combo.setMinimumWidth(120)
        self.add_tag_button = QPushButton(_("Everyone tagged"), self.list_box)
        # Named after the person it adds: this window stays open while the counter moves on to other people, so
        # "the open person" would soon mean someone else than the one this button adds (issue #16).
        self.add_current_button = QPushButton(_("The open person"), self.list_box)
        if self.current_contact_id is not None:
            self.add_current_button.setText(contacts.get(self.vault, self.current_contact_id).display_name)
            self.add_current_button.setToolTip(_("The open person"))
        for widget in (self.tier_combo, self.add_tier_button, self.tag_combo, self.add_tag_button,
                       self.add_current_button):
            add_row.addWidget(widget)
        add_row.addStretch(1)
        left.addLayout(add_row)
        self.recipients = PeopleModel([(_("Name"), lambda r: r["display_name"]),
                                       (_("Tier"), lambda r: calendar.tier_label(r["tier"])),
                                       (_("Status"), lambda r: _status_text(r["status"])),
                                       (_("Best placed to write"), lambda r: r.get("owner_reason", ""))], self)
        self.recipient_view = _table(self.recipients, self.list_box)
        # the colleague with the strongest common ground and a shared language, with the reason (#25)
        self.recipient_view.horizontalHeader().setSectionResizeMode(OWNER_COLUMN, QHeaderView.Stretch)
        self.recipient_view.setObjectName("recipientTable")
        self.recipient_view.doubleClicked.connect(lambda index: self._open(self.recipients, index))
        self.recipient_view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        left.addWidget(self.recipient_view, 1)
        bottom = QHBoxLayout()
        self.count_label = QLabel(self.list_box)
        self.count_label.setObjectName("recipientCount")
        self.remove_button = QPushButton(_("Remove selected"), self.list_box)
        self.print_button = QPushButton(_("Print labels for this list…"), self.list_box)
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.remove_button)
        bottom.addWidget(self.print_button)
        left.addLayout(bottom)
        splitter.addWidget(self.list_box)

        # right: warnings and history
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.missing_box = QGroupBox(self)
        missing_layout = QVBoxLayout(self.missing_box)
        self.missing_label = QLabel(self.missing_box)
        self.missing_label.setWordWrap(True)
        self.missing_label.setObjectName("missingLabel")
        self.missing = PeopleModel([(_("Name"), lambda r: r["display_name"]),
                                    (_("Tier"), lambda r: calendar.tier_label(r["tier"]))], self)
        self.missing_view = _table(self.missing, self.missing_box)
        self.missing_view.setObjectName("missingTable")
        self.missing_view.doubleClicked.connect(lambda index: self._open(self.missing, index))
        self.add_missing_button = QPushButton(_("Add them to this year's list"), self.missing_box)
        missing_layout.addWidget(self.missing_label)
        missing_layout.addWidget(self.missing_view, 1)
        missing_layout.addWidget(self.add_missing_button, alignment=Qt.AlignRight)
        right_layout.addWidget(self.missing_box, 1)

        self.history_box = QGroupBox(self)
        history_layout = QVBoxLayout(self.history_box)
        self.history_label = QLabel(self.history_box)
        self.history_label.setObjectName("historySummary")
        self.history_label.setWordWrap(True)
        history_layout.addWidget(self.history_label)
        self.history_tabs = QTabWidget(self.history_box)
        self.history_models = {}
        for key in ("sent", "received", "sent_and_answered", "received_not_sent"):
            on = _("Received on") if key in ("received", "received_not_sent") else _("Sent on")
            model = PeopleModel([(_("Name"), lambda r: r["display_name"]),
                                 (on, lambda r: list_date(dt.date.fromisoformat(r["on"]))
                                  if r.get("on") else "")], self)
            view = _table(model, self.history_box)
            view.setObjectName(f"history_{key}")
            view.doubleClicked.connect(lambda index, m=model: self._open(m, index))
            self.history_models[key] = model
            self.history_tabs.addTab(view, "")
        history_layout.addWidget(self.history_tabs, 1)
        right_layout.addWidget(self.history_box, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([660, 540])
        outer.addWidget(splitter, 1)

        self.season_combo.currentIndexChanged.connect(lambda *_a: self.reload())
        self.year_spin.valueChanged.connect(lambda *_a: self.reload())
        self.add_tier_button.clicked.connect(lambda: self.add_tier(self.tier_combo.currentData()))
        self.add_tag_button.clicked.connect(lambda: self.add_tag(self.tag_combo.currentText()))
        self.add_current_button.clicked.connect(self.add_current)
        self.remove_button.clicked.connect(self.remove_selected)
        self.add_missing_button.clicked.connect(self.add_missing)
        self.print_button.clicked.connect(self.print_labels)

    # -- state --------------------------------------------------------------------------------------------
    def _fill_seasons(self, select: str | None = None) -> None:
        select = select or self.season_name()
        self.season_combo.blockSignals(True)
        self.season_combo.clear()
        for season in calendar_seasons.list_seasons(self.vault):
            label = season_title(season["name"])
            if not season["active"]:
                label = _("{season} (not in use)").format(season=label)
            self.season_combo.addItem(label, season["name"])
        index = self.season_combo.findData(select) if select else -1
        self.season_combo.setCurrentIndex(index if index >= 0 else 0)
        self.season_combo.blockSignals(False)
        self.tag_combo.clear()
        self.tag_combo.addItems(contacts.all_tags(self.vault))

    def season_name(self) -> str | None:
        return self.season_combo.currentData()

    def year(self) -> int:
        return self.year_spin.value()

    def set_season(self, name: str, year: int) -> None:
        self.season_combo.blockSignals(True)
        self.year_spin.blockSignals(True)
        index = self.season_combo.findData(name)
        if index >= 0:
            self.season_combo.setCurrentIndex(index)
        self.year_spin.setValue(year)
        self.season_combo.blockSignals(False)
        self.year_spin.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        name, year = self.season_name(), self.year()
        if not name:
            self.clear_personal_data()
            self._update_buttons()
            return
        data = calendar_seasons.season_list(self.vault, name, year)
        self.season_info = data["season"]
        self._show_date(data)
        owners = common_ground.suggest_owners(self.vault, [r["contact_id"] for r in data["recipients"]],
                                              current_language())
        self.recipients.set_rows([{**r, "owner_reason": owners[r["contact_id"]].reason
                                   if r["contact_id"] in owners else ""} for r in data["recipients"]])
        self.count_label.setText(ngettext("{n} person on the list", "{n} people on the list", len(data["recipients"])).format(
            n=len(data["recipients"])))
        self.list_box.setTitle(_("{season} {year}: the list").format(season=season_title(name), year=year))
        missing = data["missing_from_last_year"]
        self.missing.set_rows(missing)
        self.missing_box.setTitle(_("Got a card last year, not on this list ({n})").format(n=len(missing)))
        # the title never wraps: the box is at least as wide as it (the same measure as tests/ui/fit.py)
        self.missing_box.setMinimumWidth(
            self.missing_box.fontMetrics().horizontalAdvance(self.missing_box.title()) + 26)
        self.missing_label.setText(
            ngettext("{n} person got a {season} in {last} and is not on the {year} list.",
                     "{n} people got a {season} in {last} and are not on the {year} list.", len(missing)).format(
                n=len(missing), season=season_title(name), last=year - 1, year=year) if missing else
            _("Everyone who got a card in {last} is on this list.").format(last=year - 1))
        self.missing_label.setProperty("attention", bool(missing))  # coloured by ui.style
        self.missing_label.style().unpolish(self.missing_label)
        self.missing_label.style().polish(self.missing_label)
        self._show_history(name, year - 1)
        self._update_buttons()

    def _show_date(self, data) -> None:
        dates, lead = data["dates"], int(data["season"]["lead_days"])
        if not dates:
            self.date_label.setText(_("No date known for {year}: the manager can date it.").format(year=data["year"]))
            return
        first = dates[0]
        text = ", ".join(heading_date(d) for d in dates)
        write_from = first - dt.timedelta(days=lead)
        days_left = (first - dt.date.today()).days
        text += " · " + _("cards written from {day}").format(day=card_date(write_from))
        if 0 <= days_left <= 366:
            text += " · " + (_("today") if days_left == 0 else ngettext("in {n} day", "in {n} days", days_left).format(n=days_left))
        self.date_label.setText(text)

    def _show_history(self, name: str, year: int) -> None:
        history = calendar_seasons.card_history(self.vault, name, year)
        titles = {"sent": _("Sent ({n})"), "received": _("Received ({n})"),
                  "sent_and_answered": _("Answered ({n})"), "received_not_sent": _("Received, not sent ({n})")}
        for index, (key, model) in enumerate(self.history_models.items()):
            model.set_rows(history[key])
            self.history_tabs.setTabText(index, titles[key].format(n=len(history[key])))
        self.history_box.setTitle(_("Cards in {year}").format(year=year))
        sent, answered = len(history["sent"]), len(history["sent_and_answered"])
        self.history_label.setText(
            _("We sent {sent} cards; {answered} of those people sent one back; {received} cards came in.").format(
                sent=sent, answered=answered, received=len(history["received"])) if sent or history["received"]
            else _("No cards noted for {year}.").format(year=year))

    def _update_buttons(self) -> None:
        has_season = bool(self.season_name())
        for widget in (self.add_tier_button, self.add_current_button, self.print_button):
            widget.setEnabled(has_season)
        self.add_tag_button.setEnabled(has_season and self.tag_combo.count() > 0)
        self.tag_combo.setEnabled(self.tag_combo.count() > 0)
        self.add_current_button.setEnabled(has_season and self.current_contact_id is not None)
        self.remove_button.setEnabled(has_season and bool(self.recipient_view.selectionModel().selectedRows()))
        self.add_missing_button.setEnabled(has_season and self.missing.rowCount() > 0)
        self.print_button.setEnabled(has_season and self.recipients.rowCount() > 0)
        self.update_manager_state()

    def update_manager_state(self) -> None:
        session = manager_session(self.context)
        self.new_button.setEnabled(session is not None)
        self.edit_button.setEnabled(session is not None and bool(self.season_name()))
        self.unlock_button.setVisible(session is None)
        tip = "" if session else _("Only the manager can add seasons or change their dates.")
        self.new_button.setToolTip(tip)
        self.edit_button.setToolTip(tip)

    def changeEvent(self, event):  # noqa: N802  (the manager may unlock in another window)
        if event.type() == QEvent.ActivationChange and self.isActiveWindow():
            self.update_manager_state()
        super().changeEvent(event)

    # -- actions ------------------------------------------------------------------------------------------
    def _change(self, **kwargs) -> int | None:
        name = self.season_name()
        if not name:
            return None
        try:
            size = calendar_seasons.set_recipients(self.vault, name, self.year(),
                                                   by=getattr(self.context, "staff_id", None), **kwargs)
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Card seasons"), str(exc))
            return None
        self.reload()
        self.context.refresh()
        return size

    def add_tier(self, tier: str) -> int | None:
        return self._change(tiers=[tier])

    def add_tag(self, tag: str) -> int | None:
        return self._change(tags=[tag]) if tag else None

    def add_current(self) -> int | None:
        if self.current_contact_id is None:
            return None
        return self._change(contact_ids=[self.current_contact_id])

    def selected_ids(self) -> list[int]:
        return [self.recipients.contact_id(i.row()) for i in self.recipient_view.selectionModel().selectedRows()]

    def remove_selected(self) -> int | None:
        ids = self.selected_ids()
        return self._change(remove_ids=ids) if ids else None

    def add_missing(self) -> int | None:
        ids = self.missing.contact_ids()
        return self._change(contact_ids=ids) if ids else None

    def _open(self, model: PeopleModel, index) -> None:
        if index.isValid():
            self.context.open_contact(model.contact_id(index.row()))

    def print_labels(self):
        """Open the print screen on this season's list (its own season choice, so the list stays live)."""
        from .print_view import WHO, PrintView

        name, year = self.season_name(), self.year()
        if not name:
            return None
        view = PrintView(self.context)
        view.set_mode("labels")
        view.who.setCurrentIndex(WHO.index("season"))
        view.season.setCurrentText(name)
        view.season_year.setValue(year)
        view.mark_printed.setChecked(False)  # labels are not cards: "card sent" is noted when cards print
        view.setParent(self, Qt.Window)
        view.setAttribute(Qt.WA_DeleteOnClose)
        view.setWindowTitle(_("Print: {season} {year}").format(season=season_title(name), year=year))
        view.resize(1100, 720)
        view.show()
        self.print_view = view
        view.destroyed.connect(lambda *_a: setattr(self, "print_view", None))
        return view

    def unlock_manager(self):
        dialog = ManagerUnlockDialog(self.context, _("Adding a season or changing its date needs the manager "
                                                     "passphrase."), self)
        dialog.exec()
        self.update_manager_state()
        return dialog.session

    def edit_season(self, new: bool = False, dialog: SeasonRuleDialog | None = None, run: bool = True):
        """Open the date-rule dialog and save with the manager's name in the audit log. Tests pass a filled
        `dialog` and run=False to skip exec()."""
        session = manager_session(self.context)
        if session is None:
            self.update_manager_state()
            return None
        if dialog is None:
            season = None if new else calendar_seasons.get_season(self.vault, self.season_name())
            dialog = SeasonRuleDialog(self.vault, season, self.year(), self)
        while True:
            if run and dialog.exec() != QDialog.Accepted:
                return None
            try:
                calendar_seasons.save_season(self.vault, dialog.name(), dialog.rule(), dialog.lead_days(),
                                             dialog.active(), actor=session.actor)
                break
            except BoutiqueBookError as exc:
                QMessageBox.warning(self, _("Card seasons"), str(exc))
                if not run:
                    return None
        self._fill_seasons(select=dialog.name())
        self.reload()
        self.context.refresh()
        return dialog.name()

    def clear_personal_data(self) -> None:
        for model in (self.recipients, self.missing, *self.history_models.values()):
            model.clear()
        self.count_label.clear()
        self.missing_label.clear()
        self.history_label.clear()
        self.current_contact_id = None
        if self.print_view is not None:
            self.print_view.clear_personal_data()
            self.print_view.close()
            self.print_view = None


# -- tier rhythms ----------------------------------------------------------------------------------------------
class RhythmsDialog(QDialog):
    """RhythmsDialog(context, parent=None): each tier's cadence and whether its key dates make agenda items."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.vault = context.vault
        self.setWindowTitle(_("Tier rhythms"))
        self.setObjectName("rhythmsDialog")
        self.stack = QStackedWidget(self)
        self.unlock_panel = ManagerUnlockPanel(
            context, _("Changing the tier rhythms needs the manager passphrase."), self)
        self.unlock_panel.unlocked.connect(lambda _session: self._show_form())
        self.stack.addWidget(self.unlock_panel)

        page = QWidget(self)
        box = QVBoxLayout(page)
        intro = QLabel(_("How often each tier should hear from us. A person with no moment within their tier's "
                         "rhythm shows as due in the agenda; any moment resets the clock. 0 switches the rhythm "
                         "off."), page)
        intro.setWordWrap(True)
        box.addWidget(intro)
        grid = QGridLayout()
        grid.addWidget(QLabel(_("Tier"), page), 0, 0)
        grid.addWidget(QLabel(_("Contact at least every"), page), 0, 1, 1, 2)
        grid.addWidget(QLabel(_("Key dates"), page), 0, 3)
        self.rows = {}
        for row, tier in enumerate(TIERS, start=1):
            n = QSpinBox(page)
            n.setRange(0, 520)
            n.setSpecialValueText(_("off"))
            n.setObjectName(f"rhythm_n_{tier}")
            unit = QComboBox(page)
            for key in UNITS:
                unit.addItem(_unit_text(key), key)
            key_dates = QCheckBox(_("birthdays and other key dates"), page)
            grid.addWidget(QLabel(calendar.tier_label(tier), page), row, 0)
            grid.addWidget(n, row, 1)
            grid.addWidget(unit, row, 2)
            grid.addWidget(key_dates, row, 3)
            n.valueChanged.connect(lambda value, u=unit: u.setEnabled(value > 0))
            self.rows[tier] = (n, unit, key_dates)
        box.addLayout(grid)
        self.error = QLabel(page)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        box.addWidget(self.error)
        box.addStretch(1)
        self.stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._load()
        if manager_session(context) is not None:
            self._show_form()
        else:
            self.stack.setCurrentIndex(0)
            self.buttons.button(QDialogButtonBox.Save).setEnabled(False)

    def _load(self) -> None:
        for tier, rhythm in calendar.tier_rhythms(self.vault).items():
            if tier not in self.rows:
                continue
            n, unit, key_dates = self.rows[tier]
            n.setValue(int(rhythm["n"]))
            unit.setCurrentIndex(max(0, unit.findData(rhythm["unit"])))
            unit.setEnabled(int(rhythm["n"]) > 0)
            key_dates.setChecked(bool(rhythm.get("key_dates", True)))

    def _show_form(self) -> None:
        self.stack.setCurrentIndex(1)
        save = self.buttons.button(QDialogButtonBox.Save)
        save.setEnabled(True)
        save.setDefault(True)
        self.rows[TIERS[0]][0].setFocus()

    def set_rhythm(self, tier: str, n: int, unit: str, key_dates: bool) -> None:
        spin, combo, box = self.rows[tier]
        spin.setValue(n)
        combo.setCurrentIndex(combo.findData(unit))
        box.setChecked(key_dates)

    def save(self) -> bool:
        session = manager_session(self.context)
        if session is None:
            self.stack.setCurrentIndex(0)
            self.unlock_panel.prepare()
            return False
        current = calendar.tier_rhythms(self.vault)
        try:
            for tier, (n, unit, key_dates) in self.rows.items():
                wanted = {"n": n.value(), "unit": unit.currentData(), "key_dates": key_dates.isChecked()}
                old = current.get(tier, {})
                if (old.get("n"), old.get("unit"), bool(old.get("key_dates", True))) != tuple(wanted.values()):
                    calendar.set_tier_rhythm(self.vault, tier, wanted["n"], wanted["unit"], wanted["key_dates"],
                                             actor=session.actor)
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return False
        self.context.refresh()
        self.accept()
        return True

    def clear_personal_data(self) -> None:
        self.unlock_panel.clear()
        self.error.clear()
