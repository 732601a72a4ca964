"""One server-wide follower of the event log that fans changes out to every open page.

However many phones are connected, the database sees one reader: each batch of new events is
turned into the new state of every followed ticket in a fixed number of queries (db.public),
and each connection is handed only its own ticket's state when it changed. A connection that
is slow to read just gets the latest state (states replace each other, nothing queues up).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from db import read_only, unit_of_work
from db.events import event_cursor, follow
from db.public import ticket_states, venue_status

log = logging.getLogger("antre.web")
STATUS_EVERY = 1.0  # seconds between two recomputations of the public status page


class Subscriber:
    """One open page: holds the newest message for it and wakes its stream."""

    __slots__ = ("ticket_id", "latest", "wake", "sent")

    def __init__(self, ticket_id: int | None) -> None:
        self.ticket_id = ticket_id
        self.latest: str | None = None
        self.sent: str | None = None
        self.wake = asyncio.Event()

    def offer(self, message: str) -> None:
        if message != self.sent:
            self.latest = message
            self.wake.set()

    def take(self) -> str | None:
        self.wake.clear()
        message, self.latest = self.latest, None
        if message is not None:
            self.sent = message
        return message


class Hub:
    """Follows the event log for the whole server and offers each subscriber its new state."""

    def __init__(self, sessions: sessionmaker[Session], *, poll_seconds: float = 0.2,
                 clock: Callable[[], Any] | None = None) -> None:
        self.reader = read_only(sessions)
        self.url = sessions.kw["bind"].url
        self.poll_seconds = poll_seconds
        self.by_ticket: dict[int, set[Subscriber]] = {}
        self.status_subs: set[Subscriber] = set()
        self.status_message: str | None = None
        # Service code of each followed ticket as last computed: a change in a service touches its tickets.
        self.service_of: dict[int, int] = {}
        self.batches = 0
        self._status_dirty = False
        self._status_at = 0.0
        self.healthy = True
        self._nudge: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()

    # -- subscriptions (event loop thread only) --------------------------------------------
    def subscribe(self, ticket_id: int | None) -> Subscriber:
        sub = Subscriber(ticket_id)
        if ticket_id is None:
            self.status_subs.add(sub)
        else:
            self.by_ticket.setdefault(ticket_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        if sub.ticket_id is None:
            self.status_subs.discard(sub)
            return
        subs = self.by_ticket.get(sub.ticket_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self.by_ticket[sub.ticket_id]

    @property
    def connections(self) -> int:
        return len(self.status_subs) + sum(len(s) for s in self.by_ticket.values())

    # -- following ---------------------------------------------------------------------------
    async def start(self) -> None:
        self._nudge = asyncio.Event()
        cursor = await asyncio.to_thread(self._cursor)
        self._task = asyncio.create_task(self._run(cursor), name="antre-web-follower")
        if self.url.get_backend_name() == "postgresql":
            loop = asyncio.get_running_loop()
            self._listener = threading.Thread(target=self._listen, args=(loop,), name="antre-web-listen",
                                              daemon=True)
            self._listener.start()

    async def stop(self) -> None:
        self._stop.set()
        if self._nudge is not None:
            self._nudge.set()
        if self._task is not None:
            self._task.cancel()
            # Python 3.11's wait_for can swallow a cancellation that lands as its inner wait ends;
            # the follower also checks the stop flag, and the server never waits on it for ever.
            try:
                await asyncio.wait({self._task}, timeout=5.0)
            except asyncio.CancelledError:
                pass

    def _venue_status(self) -> dict[str, Any]:
        with unit_of_work(self.reader) as session:
            return venue_status(session)

    def _cursor(self) -> Any:
        with unit_of_work(self.reader) as session:
            return event_cursor(session)

    async def _run(self, cursor: Any) -> None:
        assert self._nudge is not None
        while not self._stop.is_set():
            more = False
            try:
                # The followed tickets are read here, on the loop thread that changes them.
                followed = {tid: self.service_of.get(tid) for tid in self.by_ticket}
                batches = self.batches
                cursor, more = await asyncio.to_thread(self._step, cursor, followed, False)
                self._status_dirty |= self.batches != batches
                if self._status_dirty and self.status_subs and time.monotonic() - self._status_at >= STATUS_EVERY:
                    # The whole venue's figures cost ~3 queries a service: at most once a second.
                    self._status_dirty, self._status_at = False, time.monotonic()
                    status = await asyncio.to_thread(self._venue_status)
                    self._offer_all({}, {}, json.dumps(status, separators=(",", ":")))
                self.healthy = True
            except Exception:  # an outage must not end the follower: log, wait, retry
                if self.healthy:
                    log.exception("following the event log failed; retrying")
                self.healthy = False
                await asyncio.sleep(1.0)
                continue
            if more:
                continue
            try:
                # LISTEN (PostgreSQL) wakes us at once; the poll is the fallback and SQLite's way.
                await asyncio.wait_for(self._nudge.wait(), self.poll_seconds)
            except TimeoutError:
                pass
            self._nudge.clear()

    def _step(self, cursor: Any, followed: dict[int, int | None], with_status: bool) -> tuple[Any, bool]:
        """Read new events; if any, compute the states they may change and hand them to the loop."""
        cursor, more, batch = self.compute(cursor, followed, with_status)
        if batch is not None:
            self._loop.call_soon_threadsafe(self._offer_all, *batch)
        return cursor, more

    def compute(self, cursor: Any, followed: dict[int, int | None], with_status: bool) -> tuple[Any, bool, Any]:
        """One batch: (new cursor, more pending, (messages, services, status) or None without events).

        A fixed number of queries whatever the number of followed tickets (db.public.ticket_states).
        """
        with unit_of_work(self.reader) as session:
            cursor, events, more = follow(session, cursor)
            if not events:
                return cursor, more, None
            started = time.perf_counter()
            ids = _affected(events, followed)
            states = ticket_states(session, ids)
            status = venue_status(session) if with_status else None
        messages = {tid: json.dumps(s.to_json(), separators=(",", ":")) for tid, s in states.items()}
        services = {tid: s.service_id for tid, s in states.items()}
        status_message = json.dumps(status, separators=(",", ":")) if status is not None else None
        self.batches += 1
        log.debug("batch of %d events, %d of %d tickets in %.1f ms", len(events), len(ids), len(followed),
                  (time.perf_counter() - started) * 1000)
        return cursor, more, (messages, services, status_message)

    def _offer_all(self, messages: dict[int, str], services: dict[int, int], status_message: str | None) -> None:
        self.service_of.update(services)
        for tid in [t for t in self.service_of if t not in self.by_ticket]:
            del self.service_of[tid]
        for tid, message in messages.items():
            for sub in self.by_ticket.get(tid, ()):
                sub.offer(message)
        if status_message is not None:
            self.status_message = status_message
            for sub in self.status_subs:
                sub.offer(status_message)

    @property
    def _loop(self) -> asyncio.AbstractEventLoop:
        assert self._task is not None
        return self._task.get_loop()

    def _listen(self, loop: asyncio.AbstractEventLoop) -> None:
        """PostgreSQL: LISTEN (db.events.Listener) and nudge the follower at each commit or reconnection."""
        from db.events import Listener

        listener = Listener(self.url.render_as_string(hide_password=False))
        try:
            while not self._stop.is_set():
                if listener.wait(1.0):
                    loop.call_soon_threadsafe(self._nudge_now)
        finally:
            listener.close()

    def _nudge_now(self) -> None:
        if self._nudge is not None:
            self._nudge.set()


def _affected(events: list[Any], followed: dict[int, int | None]) -> list[int]:
    """The followed tickets whose public state the events may change."""
    if any(e.service_id is None for e in events):  # a counter opened or closed, config: estimates move
        return list(followed)
    tickets = {e.ticket_id for e in events}
    services = {e.service_id for e in events}
    return [tid for tid, service in followed.items() if service is None or tid in tickets or service in services]
