"""The Qt binding must not drop references to True/None (PySide6 6.12.0 on Python 3.11 did: the 100,000-person
benchmark's app process aborted with "none_dealloc" while filling the agenda, and "bool_dealloc" after a few
thousand signal emits). pyproject.toml keeps the binding below 6.12; this test runs the raw binding calls,
without ui/qtcompat.py's work-arounds, many thousand times in a child process and expects a clean exit."""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = r"""
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QComboBox, QTreeWidgetItem
app = QApplication([])
class Probe(QObject):
    fired = Signal()
    carried = Signal(object)
probe = Probe()
combo = QComboBox(); combo.addItem("x")
item = QTreeWidgetItem(["a"])
model = QStandardItemModel(1, 1)
before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
for _ in range(20000):
    probe.fired.emit()
    probe.carried.emit(None)
    combo.currentData()
    item.data(0, 300)
    model.index(0, 0).data(300)
print(sys.getrefcount(True) - before_true, sys.getrefcount(None) - before_none)
"""


def test_binding_keeps_references_to_true_and_none():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, f"the Qt binding aborted the process ({done.returncode}): {done.stderr[-600:]}"
    lost_true, lost_none = (int(x) for x in done.stdout.split())
    assert lost_true > -100 and lost_none > -100, (lost_true, lost_none)
