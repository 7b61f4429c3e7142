"""Qt objects of the UI thread are never destroyed by Python's cycle collector running in a job's thread
(ui.gc_guard). It used to happen: a window kept only by a reference cycle was collected in a worker thread,
its timers could not be stopped from there ("QBasicTimer::stop: Failed. Possibly trying to stop from a
different thread") and the next timer event segfaulted the app (the latent crash of the third session's
closing note). The child process below makes exactly that garbage and a job that allocates enough for
several automatic collections; the window must be destroyed on the UI thread, and the process must exit
cleanly."""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = r"""
import gc, sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QVBoxLayout, QWidget
from boutique_book.ui.job_runner import JobRunner

app = QApplication([])
runner = JobRunner(app)
where = []

class Holder:                            # e.g. an exception whose traceback holds the frame that held the window
    pass

class Window(QWidget):                  # a screen of the app: a Python subclass, shown, with a field and a list
    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        self.field = QLineEdit()
        layout.addWidget(self.field)
        layout.addWidget(QTableView())
        QTimer(self).start(20)          # and a running timer, as every real window has


def make_garbage():
    window = Window()                   # kept alive only by a reference cycle
    window.show()
    window.field.setFocus()
    window.destroyed.connect(lambda *_: where.append(threading.current_thread().name))
    holder = Holder()
    holder.cycle, holder.window = holder, window

made, allocated = threading.Event(), threading.Event()

def work(progress, cancelled):
    made.wait(30)                       # the garbage exists; the UI thread waits, allocating nothing
    junk = []
    for _ in range(300000):             # enough allocation for many automatic collections
        junk.append([[]])
    allocated.set()
    return len(junk)

done = []
runner.run("work", work, on_done=done.append, show_dialog=False)
gc.collect()
make_garbage()
made.set()
allocated.wait(60)
while not done:
    app.processEvents()
for _ in range(3):
    gc.collect()
    app.processEvents()
print("destroyed in", where, flush=True)
"""


def test_a_window_in_a_reference_cycle_is_destroyed_on_the_ui_thread():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, f"the app crashed ({done.returncode}): {done.stderr[-1500:]}"
    assert "destroyed in ['MainThread']" in done.stdout, done.stdout + done.stderr[-1500:]
    assert "different thread" not in done.stderr


def test_automatic_collection_comes_back_when_the_jobs_end(qtbot):
    import gc

    from boutique_book.ui.job_runner import JobRunner

    runner = JobRunner()
    was = gc.isenabled()
    ended = []
    runner.run("work", lambda progress, cancelled: sum(range(1000)), on_done=ended.append, show_dialog=False)
    assert not gc.isenabled()                       # off while a job thread runs
    qtbot.waitUntil(lambda: bool(ended) and not runner.busy(), timeout=10000)
    assert gc.isenabled() == was
