"""Periodic screenshots of an app's window, for the headless demo and the README.

Enabled by the environment, so the real apps run unchanged: ANTRE_SNAPSHOTS=DIR saves
DIR/<name>-<HHMMSS>.png every ANTRE_SNAPSHOT_EVERY seconds (default 5) and once at exit.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QWidget


def install_snapshots(window: QWidget, name: str) -> QTimer | None:
    """Start saving screenshots of `window` when ANTRE_SNAPSHOTS names a folder."""
    folder = os.environ.get("ANTRE_SNAPSHOTS")
    if not folder:
        return None
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    try:
        every = max(float(os.environ.get("ANTRE_SNAPSHOT_EVERY", "5")), 0.5)
    except ValueError:
        every = 5.0

    def save() -> None:
        if window.isVisible():
            window.grab().save(str(target / f"{name}-{datetime.now():%H%M%S}.png"))

    timer = QTimer(window)
    timer.timeout.connect(save)
    timer.start(int(every * 1000))
    QTimer.singleShot(1500, save)  # a first picture once the window has drawn its data
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(save)
    return timer
