"""Work-arounds for bugs of the Qt binding in use, each detected at run time (a fixed binding skips them).

PySide6 6.12.0 on Python 3.11: `SignalInstance.emit()` returns `True` without taking a reference, so every
emit from Python code drops one reference to `True` until the interpreter aborts ("bool_dealloc:
deallocating True or False"), after a few hundred to a few thousand emits depending on the process. Python
3.12+ makes True immortal, so the bug is harmless there. `emit()` below gives the reference back when the
binding took it.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    fired = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    result = probe.fired.emit()
    del result
    after = sys.getrefcount(True)
    if after < before:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))  # give back the one the probe took
        return True
    return False


EMIT_LEAKS = _emit_drops_a_reference()


def emit(signal, *args) -> None:
    """signal.emit(*args), without the binding's reference leak."""
    result = signal.emit(*args)
    if EMIT_LEAKS and result is True:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


_NONE_LEAKS: bool | None = None


def _variant_none_drops_a_reference() -> bool:
    """Same binding: a QVariant read back as None (QComboBox.currentData() of an item without data,
    QModelIndex.data() of an empty role) drops one reference to None."""
    from PySide6.QtWidgets import QComboBox

    box = QComboBox()
    box.addItem("-", None)
    before = sys.getrefcount(None)
    value = box.currentData()
    del value
    after = sys.getrefcount(None)
    box.deleteLater()
    if after < before:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
        return True
    return False


def current_data(box):
    """box.currentData(), without the binding's reference leak on None."""
    global _NONE_LEAKS
    if _NONE_LEAKS is None:
        _NONE_LEAKS = _variant_none_drops_a_reference()
    value = box.currentData()
    if value is None and _NONE_LEAKS:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return value
