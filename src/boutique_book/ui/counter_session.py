"""The session: who opened the book, who is at the counter, and locking.

`CounterSession` holds the open Vault (the window's own connection, used only on the UI thread), the
single-writer lock, the AppContext, the idle watcher and the clipboard guard. `is_open` is the one fact every
QAction's enabled state is bound to (`openChanged`).

Lock order (ARCHITECTURE.md): cancel every job and wait for it (bounded) -> close every screen and dialog and
wipe what they showed -> close the window's connection -> release the single-writer lock.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ..core.errors import BoutiqueBookError
from .context import AppContext
from .qtcompat import emit

log = logging.getLogger(__name__)
DEFAULT_IDLE_MINUTES = 5
CLIPBOARD_SECONDS = 60


class IdleWatcher(QObject):
    """Counts wall-clock time since the last key or mouse event (time.time: suspend counts too)."""

    def __init__(self, parent):
        super().__init__(parent)
        self.last = time.time()

    def eventFilter(self, obj, event):  # noqa: N802
        # Every event of the application passes here (~40 per keystroke): the watched types are looked up once.
        if event.type() in _INPUT_EVENTS:
            self.last = time.time()
        return False


_INPUT_EVENTS = frozenset((QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                           QEvent.Type.Wheel))


class CounterSession(QObject):
    openChanged = Signal(bool)

    def __init__(self, parent, idle_minutes: int = DEFAULT_IDLE_MINUTES):
        super().__init__(parent)
        self.vault = None
        self.context: AppContext | None = None
        self.instance_lock = None
        self.idle_minutes = idle_minutes
        self.idle = IdleWatcher(self)
        QApplication.instance().installEventFilter(self.idle)
        self.clipboard_text = None
        self.clipboard_timer = QTimer(self, singleShot=True, interval=CLIPBOARD_SECONDS * 1000,
                                      timeout=self.clear_clipboard)
        QGuiApplication.clipboard().dataChanged.connect(self._on_clipboard_changed)

    @property
    def is_open(self) -> bool:
        return self.context is not None and self.vault is not None

    # -- opening ---------------------------------------------------------------------------------------
    def take(self, vault) -> str | None:
        """Hold the single-writer lock for as long as the book is open here. Returns an error line or None."""
        from ..core.instance_lock import InstanceLock

        try:
            held = getattr(vault, "instance_lock", None)  # core.opening took it before any write
            self.instance_lock = held if held is not None and held.held else InstanceLock(vault.path).acquire()
            vault.instance_lock = self.instance_lock
        except BoutiqueBookError as exc:
            vault.close()
            return str(exc)
        self.vault = vault
        return None

    def start(self, staff_id: int, staff_name: str, **hooks) -> AppContext:
        self.context = AppContext(vault=self.vault, staff_id=staff_id, staff_name=staff_name, **hooks)
        self.idle.last = time.time()
        emit(self.openChanged, True)
        return self.context

    def idle_for(self) -> float:
        return time.time() - self.idle.last

    def idle_expired(self) -> bool:
        return self.vault is not None and self.idle_for() > self.idle_minutes * 60

    # -- closing ---------------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the window's connection and release the single-writer lock (after jobs and screens)."""
        self.clear_clipboard()
        if self.vault is not None:
            try:
                self.vault.close()
            except Exception:  # noqa: BLE001  closing must not stop the lock
                log.exception("closing the vault on lock")
        was_open = self.context is not None
        self.vault = None
        self.context = None
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None
        if was_open:
            emit(self.openChanged, False)

    def detach(self):
        """Hand the open vault and its lock to another window (language change): nothing is closed."""
        vault, context = self.vault, self.context
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None
        self.vault = None
        self.context = None
        return vault, context

    # -- the clipboard ---------------------------------------------------------------------------------
    def _on_clipboard_changed(self):
        """Something was copied. If it came from this app (one of its widgets has focus), it may be personal
        data: remember it and clear it after a short while, on lock and on quit, if it is still there."""
        text = QGuiApplication.clipboard().text()
        if text and QApplication.focusWidget() is not None and self.vault is not None:
            self.clipboard_text = text
            self.clipboard_timer.start()

    def clear_clipboard(self):
        clipboard = QGuiApplication.clipboard()
        if self.clipboard_text and clipboard.text() == self.clipboard_text:
            clipboard.clear()
        self.clipboard_text = None
