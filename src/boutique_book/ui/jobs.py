"""Run slow work off the UI thread with a progress bar and a Cancel button.

A job is a plain function fn(progress, cancelled) -> result from a core-level module. It runs in a
QThread; progress is marshalled to the UI thread by a queued signal; Cancel sets a flag the job polls.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Qt
from PySide6.QtWidgets import QProgressDialog

from ..core.errors import BoutiqueBookError
from ..core.jobs import Cancelled
from ..i18n import _


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn):
        super().__init__()
        self._fn = fn
        self._cancel = threading.Event()

    def run(self):
        try:
            result = self._fn(lambda done, total: self.progressed.emit(int(done), int(total)), self._cancel.is_set)
        except Cancelled:
            self.cancelled.emit()
        except BoutiqueBookError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(_("The system refused: {reason}").format(reason=exc.strerror or exc))
        except Exception as exc:  # the user sees one line; the log keeps the rest
            import logging

            # exc_info, not the message: applog keeps file/line/type only, never personal data.
            logging.getLogger(__name__).error("job failed", exc_info=True)
            self.failed.emit(_("Something went wrong: {reason}").format(reason=type(exc).__name__))
        else:
            self.finished.emit(result)

    def cancel(self):
        self._cancel.set()


class Job(QObject):
    """Keep a reference until `done`/`error`/`cancelled` fires."""

    done = Signal(object)
    error = Signal(str)
    cancelled = Signal()

    def __init__(self, parent, title: str, fn, show_dialog: bool = True):
        super().__init__(parent)
        self.thread = QThread(self)
        self.worker = _Worker(fn)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.dialog = None
        if show_dialog:
            self.dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.canceled.connect(self.worker.cancel)
            self.worker.progressed.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)

    def start(self):
        self.thread.start()
        return self

    def cancel(self):
        self.worker.cancel()

    def _on_progress(self, done, total):
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(done)

    def _stop(self):
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
        self.thread.quit()
        self.thread.wait()

    def _on_finished(self, result):
        self._stop()
        self.done.emit(result)

    def _on_failed(self, message):
        self._stop()
        self.error.emit(message)

    def _on_cancelled(self):
        self._stop()
        self.cancelled.emit()


def run_job(parent, title: str, fn, on_done=None, on_error=None, on_cancel=None, show_dialog=True) -> Job:
    job = Job(parent, title, fn, show_dialog)
    if on_done:
        job.done.connect(on_done)
    if on_error:
        job.error.connect(on_error)
    else:
        from PySide6.QtWidgets import QMessageBox

        job.error.connect(lambda message: QMessageBox.warning(parent, title, message))
    if on_cancel:
        job.cancelled.connect(on_cancel)
    return job.start()
