"""Unlock panel (passphrase, Caps Lock warning, growing wait after failures) and the staff chooser."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QSizePolicy, QVBoxLayout, QWidget)

from ..core import staff as staff_lib
from ..core.errors import BoutiqueBookError, VaultDamaged, WrongPassphrase
from ..i18n import _
from .style import room_for_placeholder


class CapsLockWatcher(QLabel):
    """Qt cannot ask the keyboard for Caps Lock portably; a letter whose case disagrees with Shift tells."""

    def __init__(self, field: QLineEdit):
        super().__init__(_("Caps Lock is on."))
        self.setObjectName("warning")
        self.hide()
        field.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.KeyPress and event.text().isalpha():
            shift = bool(event.modifiers() & Qt.ShiftModifier)
            text = event.text()
            self.setVisible((text.isupper() and not shift) or (text.islower() and shift))
        return False


def _centred(inner: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(inner)
    row.addStretch(1)
    return row


def open_for_counter(path, passphrase: str):
    """Open the live vault the way the counter needs it: on a safe disk, integrity-checked before any write."""
    from ..core import opening, storage_location

    storage_location.check_live_vault_location(path)
    return opening.open_checked(path, passphrase)


class UnlockPanel(QWidget):
    unlocked = Signal(object)  # the open Vault

    def __init__(self, vault_path, parent=None):
        super().__init__(parent)
        self.vault_path = vault_path
        self.failures = 0
        box = QFrame()
        box.setObjectName("panel")
        box.setMinimumWidth(420)
        box.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Preferred)
        title = QLabel(_("Boutique Book"))
        title.setObjectName("brand")
        self.path_label = QLabel()
        self.path_label.setObjectName("muted")
        self.path_label.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.Password)
        self.passphrase.setPlaceholderText(_("Passphrase"))
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.caps = CapsLockWatcher(self.passphrase)
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.button = QPushButton(_("Unlock"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_unlock)
        self.restore_button = QPushButton(_("Restore the newest good backup"))
        self.restore_button.clicked.connect(self.restore_newest)
        self.restore_button.hide()
        self._damaged_secret = None
        self.jobs = None  # the window's JobRunner (ui.job_runner), set by the window
        layout = QVBoxLayout(box)
        layout.setSpacing(10)
        layout.addWidget(title)
        locked = QLabel(_("The book is locked. Enter the passphrase to open it."))
        locked.setWordWrap(True)
        layout.addWidget(locked)
        layout.addWidget(self.path_label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.caps)
        layout.addWidget(self.message)
        layout.addWidget(self.button)
        layout.addWidget(self.restore_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(_centred(box))
        outer.addStretch(2)
        self._wait = QTimer(self, singleShot=True, timeout=self._end_wait)
        self.set_path(vault_path)

    def set_demo_hint(self):
        """The demo book: say so, and say its passphrase (it protects nothing real)."""
        self.path_label.setText(_("The demo book: made-up people to try things on. Its passphrase is “demo”."))

    def set_path(self, path):
        """Counter staff see the book's name, never the raw path of the vault file (a manager finds it in
        Settings and the CLI)."""
        from pathlib import Path

        self.vault_path = path
        self.path_label.setText(_("Book: {name}").format(name=Path(str(path)).stem))

    def reset(self):
        self.passphrase.clear()
        self.message.clear()
        self.passphrase.setFocus()

    def try_unlock(self):
        if self._wait.isActive():
            return
        secret = self.passphrase.text()
        self.message.setText(_("Opening…"))
        self.restore_button.hide()
        self.repaint()
        try:
            vault = open_for_counter(self.vault_path, secret)
        except VaultDamaged as exc:
            self.message.setText(str(exc))
            self._damaged_secret = secret
            self.restore_button.show()
            return
        except WrongPassphrase:
            self.failures += 1
            delay = min(30, 2 ** (self.failures - 1))
            self.message.setText(_("That passphrase does not open this book. Try again in {n} s.").format(n=delay))
            self.passphrase.selectAll()
            self.passphrase.setEnabled(False)
            self.button.setEnabled(False)
            self._wait.start(delay * 1000)
            return
        except BoutiqueBookError as exc:
            self.message.setText(str(exc))
            return
        finally:
            secret = None
        self.failures = 0
        self.passphrase.clear()
        self.message.clear()
        self.unlocked.emit(vault)

    def restore_newest(self):
        """The vault failed its check: put it aside and bring back the newest backup that passes its own.

        On the window's job runner (`self.jobs`, set by the window): quitting cancels the restore and waits for
        it instead of destroying its running thread. It holds the book's single-writer lock while it works, as
        the command line's restore does, and unlocking waits until it is over."""
        from ..core import backup
        from ..core.instance_lock import InstanceLock
        from .job_runner import default_runner

        secret = self._damaged_secret
        good = backup.newest_good_backup(self.vault_path, passphrase=secret)
        if good is None:
            self.message.setText(_("No backup that passes its check was found. Call for help before changing "
                                   "anything: the damaged file is left as it is."))
            return
        path = self.vault_path

        def work(progress, cancelled):
            held = InstanceLock(path).acquire()
            try:
                return backup.restore(good.path, path, passphrase=secret, progress=progress, cancelled=cancelled)
            finally:
                held.release()

        def done(_result):
            self._restoring(False)
            self.restore_button.hide()
            self.message.setText(_("Restored. The damaged file was kept beside it. Unlock again."))

        def failed(message):
            self._restoring(False)
            self.message.setText(message)

        def cancelled():
            self._restoring(False)
            self.message.setText(_("Cancelled; nothing was written."))

        self._restoring(True)
        runner = self.jobs if self.jobs is not None else default_runner()
        runner.run(_("Restoring"), work, on_done=done, on_error=failed, on_cancel=cancelled, dialog_parent=self)

    def _restoring(self, busy: bool) -> None:
        for widget in (self.passphrase, self.button, self.restore_button):
            widget.setEnabled(not busy)

    def _end_wait(self):
        self.passphrase.setEnabled(True)
        self.button.setEnabled(True)
        self.passphrase.setFocus()


class StaffPanel(QWidget):
    """'Who is at the counter?' Enter picks the highlighted name; typing a new name adds it."""

    chosen = Signal(int, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.vault = None
        box = QFrame()
        box.setObjectName("panel")
        box.setMinimumWidth(420)
        box.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Preferred)
        title = QLabel(_("Who is at the counter?"))
        title.setObjectName("brand")
        title.setWordWrap(True)
        self.list = QListWidget()
        self.list.itemActivated.connect(self._pick_item)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(_("Or type your name and press Enter"))
        room_for_placeholder(self.new_name)
        self.new_name.returnPressed.connect(self._pick_new)
        layout = QVBoxLayout(box)
        layout.addWidget(title)
        layout.addWidget(self.list)
        layout.addWidget(self.new_name)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(_centred(box))
        outer.addStretch(2)

    def load(self, vault, last_name: str = ""):
        self.vault = vault
        self.list.clear()
        for member in staff_lib.all_staff(vault):
            item = QListWidgetItem(member.name)
            item.setData(Qt.UserRole, member.id)
            self.list.addItem(item)
            if member.name == last_name:
                self.list.setCurrentItem(item)
        if self.list.count() and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        (self.list if self.list.count() else self.new_name).setFocus()

    def _pick_item(self, item):
        self.chosen.emit(item.data(Qt.UserRole), item.text())

    def _pick_new(self):
        name = self.new_name.text().strip()
        if name and self.vault is not None:
            self.chosen.emit(staff_lib.add(self.vault, name), name)
            self.new_name.clear()
