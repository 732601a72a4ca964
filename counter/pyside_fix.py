"""A guard for PySide6 6.12.0 on CPython 3.11: its calls drop references to None, True and False.

Under 6.12.0 every Python call of a void C++ method (`label.setText(...)`, `button.click()`) returns
None without taking a reference, and `signal.emit(...)` does the same with True: each call lowers
the singleton's reference count by one, as if it were immortal (CPython >= 3.12 makes it so). On
3.11 a process starts with a few thousand references; once one count reaches zero CPython aborts
("none_dealloc: deallocating None"). A console redraws and polls all day: it would die in minutes.
PySide6 6.11.3 does not do this. The guard makes the singletons effectively immortal by hand, and
only when a probe shows the bug, so a fixed PySide6 or a newer Python is left alone.
"""

from __future__ import annotations

import ctypes
import sys

SINGLETONS = (None, True, False, Ellipsis, NotImplemented)
_PLENTY = 1 << 40  # far beyond the calls of years of uptime; low 32 bits clear on purpose
_applied = False


def _refs(value: object) -> ctypes.c_ssize_t:
    return ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt is PyObject's first field


def calls_drop_references() -> bool:
    """Whether this PySide6 drops a reference to None per void call or to True per emit (probed)."""
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        ping = Signal()

    probe = Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        probe.setObjectName("probe")
        probe.ping.emit()
    dropped_none = none_before - sys.getrefcount(None)
    dropped_true = true_before - sys.getrefcount(True)
    _refs(None).value += max(dropped_none, 0)  # give back what the probe itself took
    _refs(True).value += max(dropped_true, 0)
    return dropped_none >= 16 or dropped_true >= 16


def guard_singletons() -> bool:
    """Make None, True, False, ... effectively immortal if PySide6 drops their references."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not calls_drop_references():
        return False
    for value in SINGLETONS:
        _refs(value).value += _PLENTY
    _applied = True
    return True
