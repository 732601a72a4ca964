"""Following the event log: other processes write too, so every app turns new events into a signal.

`ChangeWatcher` is the interface the apps use; `PollingWatcher` reads "events after id N" through
the app's DbWorker on a timer. A later PostgreSQL LISTEN/NOTIFY source can replace the timer by
calling `poke()` whenever a notification arrives.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from db.events import Changes, EventView, changes_of, events_after, last_event_id
from qtkit.worker import DbWorker


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
    """Polls the event log every `interval_ms` on the worker thread (default 150 ms)."""

    def __init__(self, worker: DbWorker, interval_ms: int = 150, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.last_id: int | None = None
        self._busy = False
        self._online: bool | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poke)

    def start(self, *, from_now: bool = True) -> None:
        """Begin following; from_now skips history (views load the current state themselves)."""
        if not from_now:
            self.last_id = 0
        self._timer.start()
        self.poke()

    def stop(self) -> None:
        self._timer.stop()

    def poke(self) -> None:
        if self._busy:  # one poll in flight at a time; a slow database never piles them up
            return
        self._busy = True
        last = self.last_id

        def op(session: object) -> tuple[int, list[EventView]]:
            if last is None:
                return last_event_id(session), []  # type: ignore[arg-type]
            events = events_after(session, last)  # type: ignore[arg-type]
            return (events[-1].id if events else last), events

        self.worker.run(op, self._got, self._failed, read=True)

    def _set_online(self, value: bool) -> None:
        if value != self._online:
            self._online = value
            self.online.emit(value)

    def _got(self, result: tuple[int, list[EventView]]) -> None:
        self._busy = False
        first = self._online is not True
        self._set_online(True)
        new_last, events = result
        self.last_id = new_last
        if events:
            self.changed.emit(changes_of(events), events)
        elif first:
            # Back online (or first contact): views reload everything they show.
            self.changed.emit(~Changes.NONE, [])

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self._set_online(False)
