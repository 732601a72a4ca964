"""Guard against PySide6 6.12.0 returning True and None without a new reference.

Measured here: every Python-side `signal.emit()` lowers True's reference count by one, and every
call of a method returning void (`painter.setPen`, `widget.resize`, ...) lowers None's. On
CPython 3.11 the process aborts ("bool_dealloc" / "none_dealloc") once a count reaches zero: a
display repainting its ticker or polling every 150 ms dies within minutes. CPython 3.12 makes
these singletons immortal; here we do the same by hand, only when a probe shows the bug.
(The counter app carries a True/False-only guard; this belongs in qtkit - see the report.)
"""

from __future__ import annotations

import ctypes
import sys

_applied = False
_PLENTY = 1 << 40  # more references than emits in years of uptime


def _give(value: object, count: int) -> None:
    ctypes.c_ssize_t.from_address(id(value)).value += count


def dropped_references() -> dict[str, int]:
    """References to True and None that 8 emits and 8 void calls lose on this PySide6 (probed)."""
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        ping = Signal()

    probe = Probe()
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(8):
        probe.ping.emit()
        probe.setObjectName("probe")
    lost = {"True": true_before - sys.getrefcount(True), "None": none_before - sys.getrefcount(None)}
    _give(True, max(lost["True"], 0))  # return what the probe took
    _give(None, max(lost["None"], 0))
    return lost


def guard_refcounts() -> bool:
    """Make True, False and None effectively immortal when PySide6 drops references; True when applied."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    lost = dropped_references()
    if lost["True"] < 8 and lost["None"] < 8:
        return False
    for value in (True, False, None):
        _give(value, _PLENTY)
    _applied = True
    return True
