"""Python's cyclic garbage is collected on the UI thread while job threads run.

Python runs its cycle collector in whichever thread happens to allocate. Run in a job's worker thread, it can
destroy Qt objects that belong to the UI thread (a window or dialog kept alive only by a reference cycle, such
as an exception's traceback holding the frame that held it): their timers cannot be stopped from there
("QBasicTimer::stop: Failed. Possibly trying to stop from a different thread"), and the UI thread's next timer
event reaches freed memory, a segfault (gdb: QCoreApplication::notifyInternal2 from
QTimerInfoList::activateTimers). So while any job thread runs, automatic collection is off and the UI thread
collects on a timer with the interpreter's own thresholds (the way calibre does it); when the last job thread
has ended, automatic collection is on again.

`hold()` when a job thread starts and `release()` once it has ended, both on the UI thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

INTERVAL_MS = 300
ON_TICK: list = []  # called on the UI thread at each tick while held (ui.job_runner: forget ended abandoned jobs)


class _Collector(QObject):
    def __init__(self, parent):
        super().__init__(parent)
        self.holds = 0
        self.timer = QTimer(self, interval=INTERVAL_MS, timeout=self._tick)

    def hold(self) -> None:
        self.holds += 1
        if self.holds == 1:
            gc.disable()
            self.timer.start()

    def release(self) -> None:
        if self.holds == 0:
            return
        self.holds -= 1
        if self.holds == 0:
            self.timer.stop()
            self.collect()
            gc.enable()

    def _tick(self) -> None:
        for hook in list(ON_TICK):
            hook()
        self.collect()

    @staticmethod
    def collect() -> None:
        """What automatic collection would have done by now, generation by generation."""
        threshold, count = gc.get_threshold(), gc.get_count()
        if count[0] > threshold[0]:
            gc.collect(0)
            if count[1] > threshold[1]:
                gc.collect(1)
                if count[2] > threshold[2]:
                    gc.collect(2)


def collector() -> _Collector | None:
    app = QApplication.instance()
    if app is None:
        return None
    found = getattr(app, "_bb_gc_collector", None)
    if found is None:
        found = _Collector(app)
        app._bb_gc_collector = found
    return found


def hold() -> None:
    found = collector()
    if found is not None:
        found.hold()


def release() -> None:
    found = collector()
    if found is not None:
        found.release()
