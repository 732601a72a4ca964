"""Change watchers for the display, built on qtkit's PollingWatcher (same `ChangeWatcher` interface).

`HeartbeatWatcher` also tells when the database last answered, so a database that hangs rather
than fails is noticed. `SqliteFileWatcher` reads the event log as soon as the SQLite files
change - a commit always touches the database or its write-ahead log - and otherwise only once
a second: a call shows sooner and an idle TV costs less than with a 150 ms poll, which spends
~2 ms of CPU per round on opening a connection. A PostgreSQL LISTEN/NOTIFY source can take the
same shape (a listener that calls `poke()`).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from db.database import normalize_url
from qtkit.watcher import ChangeWatcher, PollingWatcher
from qtkit.watcher import make_watcher as qtkit_watcher
from qtkit.worker import DbWorker

log = logging.getLogger(__name__)


# The heartbeat (`heard`, `waiting_since`) and never missing a poke now live in qtkit's PollingWatcher.
HeartbeatWatcher = PollingWatcher


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, None for other databases."""
    url = normalize_url(url)
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    return Path(path) if path and path != ":memory:" else None


def signature(db: Path) -> tuple[int, ...] | None:
    """What changes when anyone commits: the database file and its write-ahead log.

    An empty log counts as none: opening and closing a reading connection creates and removes
    an empty -wal file, and must not look like a change (or the watcher would wake itself).
    """
    try:
        main = os.stat(db)
    except OSError:
        return None
    try:
        wal = os.stat(f"{db}-wal")
        wal_part = (wal.st_size, wal.st_mtime_ns) if wal.st_size else (0, 0)
    except OSError:
        wal_part = (0, 0)
    return (main.st_size, main.st_mtime_ns, *wal_part)


class SqliteFileWatcher(HeartbeatWatcher):
    """Reads the event log when the SQLite files change (looked at every `check_ms`), at least every second."""

    _touched = Signal()

    def __init__(self, worker: DbWorker, path: Path, *, check_ms: int = 40, heartbeat_ms: int = 1000,
                 parent: QObject | None = None) -> None:
        super().__init__(worker, heartbeat_ms, parent)
        self.path = path
        self.check_s = check_ms / 1000
        self._touched.connect(self.poke)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, *, from_now: bool = True) -> None:
        super().start(from_now=from_now)
        if self._thread is None:
            # A thread of its own: a stat() on a stalled network share must never block the GUI.
            self._thread = threading.Thread(target=self._look, name="antre-db-files", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        super().stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None

    def _look(self) -> None:
        last = signature(self.path)
        while not self._stop.wait(self.check_s):
            now = signature(self.path)
            if now != last:
                last = now
                self._touched.emit()


def make_watcher(worker: DbWorker, poll_ms: int = 150, parent: QObject | None = None) -> ChangeWatcher:
    """The best watcher for the worker's database: file changes for SQLite, LISTEN/NOTIFY for PostgreSQL."""
    path = sqlite_file(worker.url)
    if path is not None:
        return SqliteFileWatcher(worker, path, parent=parent)
    return qtkit_watcher(worker, poll_ms, parent)
