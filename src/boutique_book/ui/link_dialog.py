"""Link the open person to someone else: search the other person, choose how they are related."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QVBoxLayout)

from ..core import links, search
from ..core.errors import BoutiqueBookError
from ..core.model import LinkType
from ..i18n import _
from .labels import relation_label


class LinkDialog(QDialog):
    def __init__(self, context, contact_id: int, name: str, parent=None):
        super().__init__(parent)
        self.context, self.contact_id = context, contact_id
        self.setWindowTitle(_("Link {name} to…").format(name=name))
        self.setMinimumWidth(460)
        self.kind = QComboBox()
        for link_type in LinkType:
            self.kind.addItem(relation_label(link_type.value), link_type.value)
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Find the other person"))
        self.query.textChanged.connect(self._search)
        self.results = QListWidget()
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Note (optional)"))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.results.itemActivated.connect(lambda _item: self.save())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{name} is…").format(name=name)))
        layout.addWidget(self.kind)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.query.setFocus()

    def _search(self, text: str):
        self.results.clear()
        for row in search.search(self.context.vault.conn, text, limit=30):
            if row.id == self.contact_id:
                continue
            item = QListWidgetItem(f"{row.display_name}  ·  {row.detail}")
            item.setData(Qt.UserRole, row.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def save(self):
        item = self.results.currentItem()
        if item is None:
            self.error.setText(_("Choose the other person first."))
            return
        from .saving import FAILED, attempt

        try:
            saved = attempt(self, _("Link not saved"), links.add, self.context.vault, self.contact_id,
                            item.data(Qt.UserRole), self.kind.currentData(), by=self.context.staff_id,
                            note=self.note.text())
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return
        if saved is not FAILED:
            self.accept()
