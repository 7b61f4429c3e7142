"""One job runner, owned by the counter window, for every slow piece of work (print, import, export,
erase, connectors, duplicates, backups, integrity checks).

Why: a job that lives inside its screen and reads the window's own connection dies when locking closes that
connection, and a QThread deleted while it runs aborts the whole process ("QThread: Destroyed while thread is
still running"). So here:
- each job opens its OWN connection to the vault (`Vault.connect()`), inside its worker thread, and closes it
  there when it ends: closing the window's connection on lock cannot pull anything from under it;
- the runner (not the screen) owns the QThread: closing or deleting a screen never deletes a running thread;
- `shutdown()` (lock, quit) cancels every job, waits for it (bounded), and a job that does not stop in time is
  abandoned safely: its thread is handed to a keeper that holds it until it finishes, its results are dropped.

Job functions are plain functions from the core-level modules: fn(vault, progress, cancelled) when they need
the book, fn(progress, cancelled) otherwise (ARCHITECTURE.md: slow work).
"""

from __future__ import annotations

import atexit
import logging
import threading

from PySide6.QtCore import QObject, QThread, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QProgressDialog, QPushButton, QWidget

from ..core.errors import BoutiqueBookError
from ..core.jobs import Cancelled
from ..i18n import _
from . import gc_guard
from .qtcompat import emit

log = logging.getLogger(__name__)
WAIT_MS = 5000          # lock/quit wait this long for each job to stop before abandoning it
_ABANDONED: set = set()  # threads still running after their owner went away; dropped when they finish


def _is_valid(obj) -> bool:
    try:
        import shiboken6

        return obj is not None and shiboken6.isValid(obj)
    except ImportError:  # pragma: no cover
        return obj is not None


def worker_vault(vault):
    """A Vault object on a connection of its own (same file, same derived key, no second key derivation)."""
    from ..core.vault import Vault

    return Vault(vault.path, vault._key, vault.connect())


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn, vault=None):
        super().__init__()
        self._fn = fn
        self._vault = vault
        self._cancel = threading.Event()

    def run(self):
        own = None
        try:
            progress = lambda done, total: emit(self.progressed, int(done), int(total))  # noqa: E731
            if self._vault is not None:
                own = worker_vault(self._vault)
                result = self._fn(own, progress, self._cancel.is_set)
            else:
                result = self._fn(progress, self._cancel.is_set)
        except Cancelled:
            emit(self.cancelled)
        except BoutiqueBookError as exc:
            emit(self.failed, str(exc))
        except OSError as exc:
            emit(self.failed, _("The system refused: {reason}").format(reason=exc.strerror or exc))
        except Exception as exc:  # the user sees one line; the log keeps the rest (file/line/type only)
            if self._cancel.is_set():
                emit(self.cancelled)  # a job that was told to stop may fail on its way out: that is a stop
            else:
                log.error("job failed", exc_info=True)
                emit(self.failed, _("Something went wrong: {reason}").format(reason=type(exc).__name__))
        else:
            if self._cancel.is_set() and self._vault is not None and result is None:
                emit(self.cancelled)
            else:
                emit(self.finished, result)
        finally:
            if own is not None:
                try:
                    own.close()
                except Exception:  # noqa: BLE001  closing must not hide the job's own outcome
                    log.warning("closing a job's connection failed")
            self._vault = None

    def cancel(self):
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()


class Job(QObject):
    """One running piece of work. Owned by a JobRunner; keep no other reference to its thread."""

    done = Signal(object)
    error = Signal(str)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, runner, title: str, fn, vault=None, dialog_parent=None, show_dialog: bool = True,
                 wait_on_stop: bool = True):
        super().__init__(runner)
        self.title = title
        self.wait_on_stop = wait_on_stop
        self.thread = QThread()  # no Qt parent: only the runner/keeper decides when it may go
        self.worker = _Worker(fn, vault)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.dialog = None
        self.uses_vault = vault is not None
        if show_dialog and dialog_parent is not None:
            self.dialog = QProgressDialog(title, _("Cancel"), 0, 0, dialog_parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.canceled.connect(self.worker.cancel)
        self.worker.progressed.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self.done_value = None
        self.detached = False
        self.finished_ok = False
        self.progress = (0, 0)
        self._holds_gc = False

    def start(self):
        gc_guard.hold()  # no cycle collection in the worker thread while it runs (ui.gc_guard)
        self._holds_gc = True
        self.thread.start()
        return self

    def release_gc(self):
        """Once the thread has ended (UI thread only): automatic collection may come back (ui.gc_guard)."""
        if self._holds_gc:
            self._holds_gc = False
            gc_guard.release()

    def cancel(self):
        self.worker.cancel()

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def _on_progress(self, done, total):
        self.progress = (done, total)
        if _is_valid(self.dialog):
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(done)
        runner = self.parent()
        if isinstance(runner, JobRunner):
            runner._progress_changed()

    def _stop(self):
        if _is_valid(self.dialog):
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        self.dialog = None
        self.thread.quit()
        self.thread.wait()
        self.release_gc()

    def _on_finished(self, result):
        if not _is_valid(self):
            return
        self._stop()
        self.finished_ok = True
        self.done_value = result
        if not self.detached:
            emit(self.done, result)
        emit(self.ended)

    def _on_failed(self, message):
        if not _is_valid(self):
            return
        self._stop()
        if not self.detached:
            emit(self.error, message)
        emit(self.ended)

    def _on_cancelled(self):
        if not _is_valid(self):
            return
        self._stop()
        if not self.detached:
            emit(self.cancelled)
        emit(self.ended)


class JobRunner(QObject):
    """The window's jobs: start, show progress in one bar, cancel, and stop all of them before lock/quit."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.jobs: list[Job] = []
        self.bar = None

    # -- a progress bar with Cancel for the status bar ---------------------------------------------------
    def progress_widget(self) -> QWidget:
        host = QWidget()
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(180)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(lambda: [job.cancel() for job in self.running()])
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        host.hide()
        self._host = host
        return host

    def _progress_changed(self):
        if not _is_valid(self) or self.bar is None or not _is_valid(self.bar):
            return
        running = self.running()
        self._host.setVisible(bool(running))
        if running:
            done, total = running[-1].progress
            self.bar.setMaximum(max(total, 0))
            self.bar.setValue(done)
            self.bar.setToolTip(running[-1].title)

    # -- running ------------------------------------------------------------------------------------------
    def run(self, title: str, fn, *, vault=None, on_done=None, on_error=None, on_cancel=None,
            dialog_parent=None, show_dialog: bool = True, wait_on_stop: bool = True) -> Job:
        """Start fn off the UI thread. With `vault`, fn(vault, progress, cancelled) gets its own connection
        to that vault; without, fn(progress, cancelled). wait_on_stop=False only for read-only work that
        cannot be interrupted (an integrity check): lock abandons it at once instead of waiting."""
        job = Job(self, title, fn, vault=vault, dialog_parent=dialog_parent, show_dialog=show_dialog,
                  wait_on_stop=wait_on_stop)
        if on_done:
            job.done.connect(on_done)
        if on_error:
            job.error.connect(on_error)
        else:
            job.error.connect(lambda message: self._warn(dialog_parent, title, message))
        if on_cancel:
            job.cancelled.connect(on_cancel)
        job.ended.connect(lambda: self._forget(job))
        self.jobs.append(job)
        job.start()
        self._progress_changed()
        emit(self.changed)
        return job

    @staticmethod
    def _warn(parent, title, message):
        from PySide6.QtWidgets import QMessageBox

        if parent is None or _is_valid(parent):
            QMessageBox.warning(parent, title, message)

    def _forget(self, job):
        if not _is_valid(self):
            return
        if job in self.jobs:
            self.jobs.remove(job)
        job.deleteLater()
        self._progress_changed()
        emit(self.changed)

    def running(self) -> list[Job]:
        return [job for job in self.jobs if job.is_running()]

    def busy(self) -> bool:
        return bool(self.running())

    def shutdown(self, wait_ms: int = WAIT_MS) -> list[str]:
        """Cancel every job and wait for it (bounded). Returns the titles of jobs abandoned still running.
        After this no job of this runner will call back into a screen."""
        jobs = list(self.jobs)
        for job in jobs:
            job.cancel()
        abandoned = []
        for job in jobs:
            job.detached = True  # no callback into a screen from here on
            if job.thread.isRunning():
                job.thread.quit()  # QThread.quit before its event loop starts makes exec() return at once
                if not job.thread.wait(wait_ms if job.wait_on_stop else 0):
                    abandoned.append(job.title)
                    _abandon(job)
                    continue
            if _is_valid(job.dialog):
                job.dialog.hide()
                job.dialog.deleteLater()
            job.dialog = None
        self.jobs = [job for job in self.jobs if job.thread.isRunning() and job not in jobs]
        for job in jobs:
            if not job.thread.isRunning():
                job.release_gc()
                job.deleteLater()
        self._progress_changed()
        emit(self.changed)
        if abandoned:
            log.warning("abandoned %d job(s) still running after lock", len(abandoned))
        return abandoned


def _abandon(job: Job) -> None:
    """Keep a job's running thread alive (outside any widget) until it ends by itself. Entries are dropped
    from the UI thread once their thread has finished (never from inside the finishing thread)."""
    global _WAIT_AT_EXIT
    prune_abandoned()
    job.setParent(None)
    _ABANDONED.add((job, job.thread, job.worker))
    if not _WAIT_AT_EXIT:
        atexit.register(wait_abandoned)
        _WAIT_AT_EXIT = True


_WAIT_AT_EXIT = False


def wait_abandoned() -> None:
    """Wait until every abandoned job's thread has ended. Run on the way out of the process (atexit): quitting
    right after a lock that walked away from a job (the read-only integrity check is abandoned at once) would
    otherwise destroy a running QThread, which aborts the whole app. An abandoned job was told to stop or
    only reads, so this wait is short."""
    for _job, thread, _worker in list(_ABANDONED):
        if _is_valid(thread):
            thread.wait()
    prune_abandoned()


def prune_abandoned() -> int:
    """Forget abandoned jobs whose thread has ended; returns how many still run."""
    for entry in list(_ABANDONED):
        if entry[1].isFinished():
            _ABANDONED.discard(entry)
            entry[0].release_gc()
    return len(_ABANDONED)


gc_guard.ON_TICK.append(prune_abandoned)  # an abandoned job that ended gives automatic collection back


def default_runner() -> JobRunner:
    """For screens shown on their own (tests, tools): a runner held by the QApplication."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    runner = getattr(app, "_bb_job_runner", None)
    if runner is None or not _is_valid(runner):
        runner = JobRunner(app)
        app._bb_job_runner = runner
    return runner


def runner_for(context) -> JobRunner:
    runner = getattr(context, "jobs", None) if context is not None else None
    return runner if runner is not None and _is_valid(runner) else default_runner()
