"""The one manager unlock of the app: the manager passphrase form (the first unlock sets it, with a repeat
field), used by the Manager tools, the card seasons and the tier rhythms alike.

On success the verified `core.manager.ManagerSession` is kept in `context.extra[SESSION_KEY]` (and
`context.manager_unlocked`), so every screen of this app session sees the same manager session; locking
drops it. No rule lives here: `core.manager.unlock` verifies, the screens only ask for the passphrase.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..core import manager
from ..core.errors import BoutiqueBookError
from ..i18n import _, ngettext
from .qtcompat import emit

SESSION_KEY = "manager_session"


def manager_session(context):
    """The verified manager session of this app session, or None."""
    extra = getattr(context, "extra", None) or {}
    session = extra.get(SESSION_KEY)
    if getattr(context, "manager_unlocked", False) and isinstance(session, manager.ManagerSession):
        return session
    return None


class ManagerUnlockPanel(QWidget):
    """The manager passphrase form. On success it stores the session in the context and emits
    `unlocked(session)`. `first_reason` is shown when no manager passphrase exists yet."""

    unlocked = Signal(object)

    def __init__(self, context, reason: str, parent=None, first_reason: str | None = None):
        super().__init__(parent)
        self.context = context
        self.vault = context.vault
        self._first_reason = first_reason
        box = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        form = QFormLayout()
        self.pass_edit = QLineEdit(self)
        self.pass_edit.setEchoMode(QLineEdit.Password)
        self.pass_edit.setObjectName("managerPassphrase")
        self.confirm_edit = QLineEdit(self)
        self.confirm_edit.setEchoMode(QLineEdit.Password)
        self.confirm_label = QLabel(_("Repeat:"), self)
        form.addRow(_("Manager passphrase:"), self.pass_edit)
        form.addRow(self.confirm_label, self.confirm_edit)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.unlock_button = QPushButton(_("Unlock"), self)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)  # Return in a field presses this default button
        box.addWidget(self.title)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.unlock_button, alignment=Qt.AlignRight)
        box.addStretch(1)
        self._reason = reason
        self.prepare()

    def prepare(self) -> None:
        self._first = not manager.has_credential(self.vault)
        first = self._first_reason or ngettext("No manager passphrase is set yet. Choose one (at least {n} characters), "
                                        "different from the counter passphrase.",
                                                  "No manager passphrase is set yet. Choose one (at least {n} characters), "
                                                  "different from the counter passphrase.", manager.MIN_LENGTH)
        self.title.setText(first.format(n=manager.MIN_LENGTH) if self._first else self._reason)
        self.confirm_label.setVisible(self._first)
        self.confirm_edit.setVisible(self._first)
        self.error.clear()

    def unlock(self):
        passphrase = self.pass_edit.text()
        if not passphrase:
            return None
        if self._first and passphrase != self.confirm_edit.text():
            self.error.setText(_("The two passphrases differ."))
            return None
        try:
            session = manager.unlock(self.vault, passphrase, getattr(self.context, "staff_name", "") or None)
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return None
        finally:
            self.pass_edit.clear()
            self.confirm_edit.clear()
        self.context.manager_unlocked = True
        self.context.extra[SESSION_KEY] = session
        self.error.clear()
        emit(self.unlocked, session)
        return session

    def clear(self) -> None:
        self.pass_edit.clear()
        self.confirm_edit.clear()
        self.error.clear()


class ManagerUnlockDialog(QDialog):
    def __init__(self, context, reason: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Manager"))
        self.session = None
        layout = QVBoxLayout(self)
        self.panel = ManagerUnlockPanel(context, reason, self)
        self.panel.unlocked.connect(self._done)
        layout.addWidget(self.panel)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _done(self, session):
        self.session = session
        self.accept()
