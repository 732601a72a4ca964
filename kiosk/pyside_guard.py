"""Guard against a PySide6 6.12.0 bug on Python 3.11: calls drop references to None, True and False.

Every call of a void method loses one reference to None, and Signal.emit() one to the bool it
returns. Python 3.12 made these objects immortal, so the bug is harmless there; on 3.11 None starts
with a few thousand references and the process aborts ("deallocating None") after a few thousand
Qt calls: a kiosk would die within minutes. Until the dependency is pinned below 6.12 (or the project moves
to Python 3.12), long-running entry points give None enough references to never reach zero.
"""

from __future__ import annotations

import ctypes
import sys


def keep_none_alive() -> None:
    """Add 2**40 references to None, True and False on Python < 3.12 (where they are not immortal)."""
    if sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        if sys.getrefcount(obj) < 1 << 39:
            # ob_refcnt is the first field of every PyObject in release builds.
            ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
