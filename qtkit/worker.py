"""All database work of an app runs on one worker thread; results come back by signal.

Shaped after Anki's CollectionOp: `worker.run(op, success=..., failure=...)`, where `op`
takes a Session inside one unit of work (one transaction per user action) and the
callbacks run on the GUI thread. A slow or unreachable database never freezes the GUI.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session, sessionmaker

from db import AntreError, DatabaseUnavailable, open_database, read_only, transact

log = logging.getLogger(__name__)

Op = Callable[[Session], Any]
Success = Callable[[Any], None]
Failure = Callable[[Exception], None]


class DbWorker(QObject):
    """One thread that owns the app's database connection and runs ops in order."""

    _done = Signal(int, object, object)  # token, result, error
    online_changed = Signal(bool)

    def __init__(self, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self._jobs: queue.Queue[tuple[int, Op, bool, Op | None] | None] = queue.Queue()
        self._callbacks: dict[int, tuple[Success | None, Failure | None]] = {}
        self._tokens = itertools.count(1)
        self._sessions: sessionmaker[Session] | None = None
        self._readers: sessionmaker[Session] | None = None
        self._online: bool | None = None
        self._done.connect(self._deliver)
        self._thread = threading.Thread(target=self._loop, name="antre-db", daemon=True)
        self._thread.start()

    @property
    def online(self) -> bool | None:
        """Last known reachability: None before the first op finished."""
        return self._online

    def run(self, op: Op, success: Success | None = None, failure: Failure | None = None,
            *, read: bool = False, check: Op | None = None) -> None:
        """Queue `op(session)`; `success(result)` or `failure(error)` runs on the GUI thread.

        `check(session)`, if given, runs first in a reading transaction and may raise to end the
        action there (see db.transact).
        """
        token = next(self._tokens)
        self._callbacks[token] = (success, failure)
        self._jobs.put((token, op, read, check))

    def pending(self) -> int:
        """Ops queued or running."""
        return len(self._callbacks)

    def stop(self, timeout: float = 5.0) -> None:
        """Finish queued ops and end the thread."""
        self._jobs.put(None)
        self._thread.join(timeout)
        if self._sessions is not None:
            self._sessions.kw["bind"].dispose()

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            token, op, read, check = job
            try:
                result, error = self._execute(op, read, check), None
            except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI as data
                result, error = None, exc
            self._done.emit(token, result, error)

    def _execute(self, op: Op, read: bool, check: Op | None = None) -> Any:
        if self._sessions is None:
            self._sessions = open_database(self.url)
            self._readers = read_only(self._sessions)
        sessions = self._readers if read else self._sessions
        assert sessions is not None
        return transact(sessions, op, check=check)  # retried once when the server went away mid-action

    def _deliver(self, token: int, result: Any, error: Exception | None) -> None:
        success, failure = self._callbacks.pop(token, (None, None))
        reachable = not isinstance(error, DatabaseUnavailable)
        if reachable != self._online:
            self._online = reachable
            self.online_changed.emit(reachable)
        if error is None:
            if success:
                success(result)
        elif failure:
            failure(error)
        elif isinstance(error, AntreError):
            log.warning("%s", error)
        else:
            log.error("database op failed", exc_info=error)
