"""Starting an app the same way in all three fronts."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def create_app(name: str) -> QApplication:
    """The QApplication, quitting cleanly on Ctrl+C and SIGTERM (`systemctl stop`, the demo)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(name)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes: wake the interpreter twice a second.
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(500)
    return app  # type: ignore[return-value]
