"""Following the event log: other processes write too, so every app turns new events into a signal.

`ChangeWatcher` is the interface the apps use. `PollingWatcher` reads the log through the app's
DbWorker (db.events.follow) on a timer. `ListenWatcher` adds push on PostgreSQL: a thread blocks
in LISTEN and pokes the watcher the moment a writer commits, so a call reaches every screen in
milliseconds while an idle app sends the server one query every few seconds. `make_watcher`
picks the right one for the worker's database.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from db.database import normalize_url
from db.events import Changes, Cursor, EventView, Listener, changes_of, event_cursor, follow
from qtkit.worker import DbWorker

log = logging.getLogger(__name__)


class ChangeWatcher(QObject):
    """Emits `changed(changes, events)` for each batch of new events, and `online(bool)`."""

    changed = Signal(object, list)
    online = Signal(bool)

    def start(self, *, from_now: bool = True) -> None:
        raise NotImplementedError

    def poke(self) -> None:
        """Look for new events now (a push source calls this)."""
        raise NotImplementedError


class PollingWatcher(ChangeWatcher):
    """Reads the event log every `interval_ms` on the worker thread (default 150 ms), and on every poke.

    One read is in flight at a time; a poke that comes during a read starts another right after
    it, so a change is never missed. `heard` and `waiting_since()` tell when the database last
    answered, so a database that hangs rather than fails is noticed.
    """

    heard = Signal()

    def __init__(self, worker: DbWorker, interval_ms: int = 150, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.last_id: Cursor | None = None
        self.polls = 0
        self.last_heard = time.monotonic()
        self._busy = False
        self._again = False
        self._online: bool | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poke)

    def start(self, *, from_now: bool = True) -> None:
        """Begin following; from_now skips history (views load the current state themselves)."""
        if not from_now:
            self.last_id = Cursor()
        self._timer.start()
        self.poke()

    def stop(self) -> None:
        self._timer.stop()

    def waiting_since(self) -> float:
        """Seconds since the database last answered."""
        return time.monotonic() - self.last_heard

    def poke(self) -> None:
        if self._busy:  # a slow database never piles reads up; one more read follows this one
            self._again = True
            return
        self._busy = True
        self.polls += 1
        last = self.last_id

        def op(session: Any) -> tuple[Cursor, list[EventView], bool]:
            if last is None:
                return event_cursor(session), [], False
            return follow(session, last)

        self.worker.run(op, self._got, self._failed, read=True)

    def _set_online(self, value: bool) -> None:
        if value != self._online:
            self._online = value
            self.online.emit(value)

    def _got(self, result: tuple[Cursor, list[EventView], bool]) -> None:
        self._busy = False
        self.last_heard = time.monotonic()
        self.heard.emit()
        first = self._online is not True
        self._set_online(True)
        self.last_id, events, more = result
        if events:
            self.changed.emit(changes_of(events), events)
        elif first:
            # Back online (or first contact): views reload everything they show.
            self.changed.emit(~Changes.NONE, [])
        if more:  # a full batch, or events held back behind a running transaction: soon again
            self._again = False
            QTimer.singleShot(20 if events else 50, self.poke)
        self._repoke()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self._set_online(False)
        self._repoke()

    def _repoke(self) -> None:
        if self._again:
            self._again = False
            self.poke()


class ListenWatcher(PollingWatcher):
    """PostgreSQL: LISTEN for commits on a thread of its own; polls only as a slow fallback."""

    _notified = Signal()

    def __init__(self, worker: DbWorker, interval_ms: int = 3000, parent: QObject | None = None) -> None:
        super().__init__(worker, interval_ms, parent)
        self._notified.connect(self.poke)  # queued: the listener thread never touches the GUI
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, *, from_now: bool = True) -> None:
        super().start(from_now=from_now)
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._listen, name="antre-listen", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        super().stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(3)
            self._thread = None

    def _listen(self) -> None:
        listener = Listener(self.worker.url)
        try:
            while not self._stop.is_set():
                if listener.wait(0.5):
                    self._notified.emit()
        finally:
            listener.close()


def make_watcher(worker: DbWorker, poll_ms: int = 150, parent: QObject | None = None) -> PollingWatcher:
    """Push on PostgreSQL, else polling every `poll_ms`."""
    if normalize_url(worker.url).startswith("postgresql"):
        return ListenWatcher(worker, parent=parent)
    return PollingWatcher(worker, poll_ms, parent)
