"""The small editor for a shared moment: Ctrl+M opens it on the card, Ctrl+Enter saves.

The draft lives only in this widget's memory (never on disk); clear_personal_data() drops it on lock.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QDateEdit, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QVBoxLayout)

from ..core import moments
from ..core.errors import BoutiqueBookError
from ..core.model import Moment
from ..i18n import _
from .formatting import date_entry_format
from .qtcompat import emit
from .labels import MOMENT_KINDS, moment_kind_label


class MomentEditor(QFrame):
    saved = Signal(int)
    closed = Signal()

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("momentEditor")
        self.contact_id: int | None = None
        self.moment_id: int | None = None
        self.title = QLabel()
        self.title.setObjectName("editorTitle")
        self.elsewhere = QLabel()
        self.elsewhere.setObjectName("fieldError")
        self.elsewhere.setWordWrap(True)
        self.elsewhere.hide()
        self.person_name = ""
        self.kind = QComboBox()
        for code in MOMENT_KINDS:
            self.kind.addItem(moment_kind_label(code), code)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(date_entry_format())  # the language's own, never ISO
        self.item = QLineEdit()
        self.item.setPlaceholderText(_("Item (for a purchase or a gift)"))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(_("What did they share? (Ctrl+Enter saves, Esc closes)"))
        self.text.setFixedHeight(90)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.save_button = QPushButton(_("Save moment"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(_("Close"))
        cancel.clicked.connect(self.close_editor)
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.date)
        row.addWidget(self.item, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.elsewhere)
        layout.addLayout(row)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save, context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Escape"), self, self.close_editor, context=Qt.WidgetWithChildrenShortcut)
        self.hide()

    def set_elsewhere(self, elsewhere: bool) -> None:
        """The card moved to someone else while this editor is open: it keeps its own person and says so."""
        self.elsewhere.setText(_("Still noting for {name} (the card now shows someone else).").format(
            name=self.person_name or _("the person you opened")) if elsewhere else "")
        self.elsewhere.setVisible(elsewhere)

    def start_new(self, contact_id: int, name: str):
        self.contact_id, self.moment_id = contact_id, None
        self.person_name = name
        self.set_elsewhere(False)
        self.title.setText(_("New moment with {name} — noted by {staff}").format(
            name=name, staff=self.context.staff_name or _("unknown")))
        self.kind.setCurrentIndex(0)
        self.date.setDate(QDate.currentDate())
        self.item.clear()
        self.text.clear()
        self.error.clear()
        self.show()
        self.text.setFocus()

    def start_edit(self, moment_id: int):
        moment = moments.get(self.context.vault, moment_id)
        self.contact_id, self.moment_id = moment.contact_id, moment_id
        from ..core import contacts

        try:
            self.person_name = contacts.get(self.context.vault, moment.contact_id).display_name
        except BoutiqueBookError:
            self.person_name = ""
        self.set_elsewhere(False)
        self.title.setText(_("Edit a moment with {name} noted by {staff}").format(
            name=self.person_name or _("unknown"), staff=moment.staff_name or _("unknown")))
        self.kind.setCurrentIndex(max(0, self.kind.findData(moment.kind)))
        self.date.setDate(QDate(moment.occurred_on.year, moment.occurred_on.month, moment.occurred_on.day))
        self.item.setText(moment.item)
        self.text.setPlainText(moment.text)
        self.error.clear()
        self.show()
        self.text.setFocus()

    def save(self):
        if self.contact_id is None or not self.isVisible():
            return
        qdate = self.date.date()
        moment = Moment(self.contact_id, self.text.toPlainText(), dt.date(qdate.year(), qdate.month(), qdate.day()),
                        kind=self.kind.currentData(), item=self.item.text(), staff_id=self.context.staff_id,
                        id=self.moment_id)
        from .saving import FAILED, attempt

        try:
            if self.moment_id is None:
                moment_id = attempt(self, _("Moment not saved"), moments.add, self.context.vault, moment,
                                    by=self.context.staff_id)
            else:
                moment_id = attempt(self, _("Moment not saved"), moments.update, self.context.vault, moment,
                                    by=self.context.staff_id)
                moment_id = FAILED if moment_id is FAILED else self.moment_id
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))  # the text stays in the editor: nothing is lost
            return
        if moment_id is FAILED:
            self.error.setText(_("Not saved. Your text is kept; try again."))
            return
        self.clear_personal_data()
        self.hide()
        emit(self.saved, moment_id)

    def close_editor(self):
        self.clear_personal_data()
        self.hide()
        emit(self.closed)

    def clear_personal_data(self):
        self.text.clear()
        self.item.clear()
        self.title.clear()
        self.error.clear()
        self.elsewhere.clear()
        self.elsewhere.hide()
        self.person_name = ""
        self.contact_id = self.moment_id = None
