"""Plan a follow-up for the open person (one-off or recurring), and resolve a complaint case.

The follow-up form shows only what the chosen repeat needs (#22): "Once" and "Every year" need nothing more;
"Every N weeks" asks how many weeks and on which weekday (the weekday moves the date); "Every N months" asks
how many months; "The Nth weekday" asks which one and which weekday."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QVBoxLayout)

from ..core import calendar, staff
from ..core.errors import BoutiqueBookError
from ..i18n import _, ngettext
from .formatting import date_entry_format
from .style import room_for_placeholder
from .labels import CHANNELS, channel_label

WEEKDAYS = lambda: [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"),
                    _("Sunday")]

# Which rows each repeat needs: the rest are hidden, not merely disabled.
NEEDS = {"once": (), "yearly": (), "weeks": ("every", "weekday"), "months": ("every",),
         "nth_weekday": ("which", "weekday")}


class FollowupDialog(QDialog):
    def __init__(self, context, contact_id: int, name: str, parent=None):
        super().__init__(parent)
        self.context, self.contact_id = context, contact_id
        self.setWindowTitle(_("Plan a follow-up with {name}").format(name=name))
        self.date = QDateEdit(QDate.currentDate().addDays(7))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(date_entry_format())  # "04/12/2026", "12/4/2026", "2026/12/04": never ISO
        self.time = QLineEdit()
        self.time.setPlaceholderText(_("optional, e.g. 15:30"))
        self.repeat = QComboBox()
        for code, label in (("once", _("Once")), ("yearly", _("Every year on this date")),
                            ("weeks", _("Every N weeks")), ("months", _("Every N months")),
                            ("nth_weekday", _("The Nth weekday of the month"))):
            self.repeat.addItem(label, code)
        self.every = QSpinBox()
        self.every.setRange(1, 52)
        self.nth = QComboBox()
        for n, label in ((1, _("1st")), (2, _("2nd")), (3, _("3rd")), (4, _("4th")), (-1, _("last"))):
            self.nth.addItem(label, n)
        self.weekday = QComboBox()
        for n, label in enumerate(WEEKDAYS()):
            self.weekday.addItem(label, n)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("e.g. Call back after the alteration"))
        room_for_placeholder(self.reason)
        self.channel = QComboBox()
        for code in CHANNELS:
            self.channel.addItem(channel_label(code), code)
        self.owner = QComboBox()
        for member in staff.all_staff(context.vault):
            self.owner.addItem(member.name, member.id)
        self.owner.setCurrentIndex(max(0, self.owner.findData(context.staff_id)))
        # Common ground: the colleague best placed to reach out, with the reason; one click makes them owner.
        from .common_ground_view import owner_hint

        hint = owner_hint(context.vault, contact_id)
        self.owner_hint = QPushButton()
        self.owner_hint.setFlat(True)
        self.owner_hint.setObjectName("link")
        self.owner_hint.setVisible(hint is not None)
        if hint is not None:
            self.owner_hint.setText(_("Suggested: {reason}").format(reason=hint[1]))
            self.owner_hint.clicked.connect(
                lambda: self.owner.setCurrentIndex(max(0, self.owner.findData(hint[0]))))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        form = QFormLayout()
        self.form = form
        form.addRow(_("Date"), self.date)
        form.addRow(_("Time"), self.time)
        form.addRow(_("Repeat"), self.repeat)
        form.addRow(_("How often"), self.every)
        form.addRow(_("Which"), self.nth)
        form.addRow(_("Weekday"), self.weekday)
        self.repeat_rows = {"every": self.every, "which": self.nth, "weekday": self.weekday}
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("Channel"), self.channel)
        form.addRow(_("Owner"), self.owner)
        form.addRow("", self.owner_hint)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.repeat.currentIndexChanged.connect(lambda _index: self.show_repeat_rows())
        self.every.valueChanged.connect(lambda _value: self._name_unit())
        self.date.dateChanged.connect(lambda _date: self._weekday_from_date())
        self.weekday.activated.connect(lambda _index: self._date_from_weekday())
        self.show_repeat_rows()
        self.reason.setFocus()

    # -- what the repeat needs ----------------------------------------------------------------------------
    def show_repeat_rows(self) -> None:
        """Show the rows the chosen repeat reads, hide the others (with their labels)."""
        kind = self.repeat.currentData()
        needed = NEEDS.get(kind, ())
        for key, widget in self.repeat_rows.items():
            self.form.setRowVisible(widget, key in needed)
        self.every.setMaximum(24 if kind == "months" else 52)
        self._name_unit()
        if kind == "weeks":
            self._weekday_from_date()
        self.adjustSize()

    def _name_unit(self) -> None:
        """The spin box reads as the repeat does: "every [3] weeks" / "toutes les [3] semaines" (plural rules of
        the language through ngettext; the number is the box's own)."""
        n = self.every.value()
        template = (ngettext("every {n} month", "every {n} months", n) if self.repeat.currentData() == "months"
                    else ngettext("every {n} week", "every {n} weeks", n))
        prefix, _n, suffix = template.partition("{n}")
        self.every.setPrefix(prefix)
        self.every.setSuffix(suffix)
        # 1 reads "every week", not "every 1 week"
        self.every.setSpecialValueText(_("every month") if self.repeat.currentData() == "months" else _("every week"))

    def _weekday_from_date(self) -> None:
        """Every N weeks repeats on the date's weekday: the weekday row says which."""
        if self.repeat.currentData() == "weeks":
            self.weekday.setCurrentIndex(self.date.date().dayOfWeek() - 1)

    def _date_from_weekday(self) -> None:
        """Choosing the weekday of a weekly follow-up moves its first date to that weekday (the same week or
        the next days), so what is saved is what the row says."""
        if self.repeat.currentData() != "weeks":
            return
        current = self.date.date()
        ahead = (self.weekday.currentData() - (current.dayOfWeek() - 1)) % 7
        self.date.setDate(current.addDays(ahead))

    def rule(self, start: dt.date) -> dict:
        kind = self.repeat.currentData()
        if kind == "yearly":
            return {"type": "yearly", "month": start.month, "day": start.day}
        if kind in ("weeks", "months"):
            return {"type": "every", "n": self.every.value(), "unit": kind}
        if kind == "nth_weekday":
            return {"type": "nth_weekday", "n": self.nth.currentData(), "weekday": self.weekday.currentData(),
                    "every_months": 1}
        return {"type": "once"}

    def save(self):
        qdate = self.date.date()
        start = dt.date(qdate.year(), qdate.month(), qdate.day())
        if not self.reason.text().strip():
            self.error.setText(_("Say why: the reason is what staff will read in the agenda."))
            return
        from .saving import FAILED, attempt

        try:  # one save path: a storage failure shows one dialog and the form stays open with what was typed
            saved = attempt(self, _("Follow-up not saved"), calendar.add_followup, self.context.vault,
                            self.contact_id, start, self.rule(start), reason=self.reason.text().strip(),
                            channel=self.channel.currentData(), owner=self.owner.currentData(),
                            by=self.context.staff_id, time=self.time.text())
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return
        if saved is not FAILED:
            self.accept()


class ResolveCaseDialog(QDialog):
    def __init__(self, context, case: dict, parent=None):
        super().__init__(parent)
        self.context, self.case = context, case
        self.setWindowTitle(_("Resolve the complaint"))
        self.resolution = QLineEdit()
        self.resolution.setPlaceholderText(_("How was it resolved? e.g. re-hemmed for free, flowers sent"))
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 26)
        self.weeks.setValue(4)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        form = QFormLayout()
        form.addRow(_("Complaint"), QLabel(case.get("text", "")))
        form.addRow(_("Resolution"), self.resolution)
        form.addRow(_("Check in after (weeks)"), self.weeks)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self):
        from .saving import FAILED, attempt

        try:
            saved = attempt(self, _("Not saved"), calendar.resolve_case, self.context.vault, self.case["id"],
                            self.resolution.text(), by=self.context.staff_id, checkin_weeks=self.weeks.value())
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return
        if saved is not FAILED:
            self.accept()
