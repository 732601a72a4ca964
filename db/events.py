"""The append-only event log: writing one row per change, and following it from other processes.

Followers must see every event exactly once and in the same order, while writers at different
counters commit in parallel. On SQLite writers take turns, so ids commit in order and a follower
reads "after id N". On PostgreSQL a sequence hands out ids at insert and a later id can commit
first, so each event also stores its transaction id (`txid`, an xid8 as a bigint) and followers read
only below the horizon: `pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still
running. Everything below it has committed or aborted and nothing more can appear there, so reading
in (txid, id) order up to the horizon gives every follower the same order, each event once. A
transaction's first write comes after it has read the state it changes (the engine locks rows it
then updates), so two events of one ticket keep their cause-and-effect order.

Each event insert also fires a statement trigger that NOTIFYs `antre_events` at commit, so followers
wake at once (LISTEN) instead of polling.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal_column, select, tuple_
from sqlalchemy.orm import Session

from db.models import Event, EventKind, Ticket
from db.views import EventView


def record(
    session: Session,
    kind: EventKind,
    at: datetime,
    *,
    ticket: Ticket | None = None,
    counter_id: int | None = None,
    operator_id: int | None = None,
    **detail: Any,
) -> None:
    """Append one event; ticket events take counter, operator and service from the ticket."""
    session.add(
        Event(
            txid=_TXID if session.get_bind().dialect.name == "postgresql" else None,
            kind=kind,
            at=at,
            ticket_id=ticket.id if ticket else None,
            counter_id=counter_id if counter_id is not None else (ticket.counter_id if ticket else None),
            operator_id=operator_id if operator_id is not None else (ticket.operator_id if ticket else None),
            service_id=ticket.service_id if ticket else None,
            detail=detail,
        )
    )


_TXID = literal_column("pg_current_xact_id()::text::bigint")
_HORIZON = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
NOTIFY_CHANNEL = "antre_events"


@dataclass(frozen=True, order=True)
class Cursor:
    """A follower's place in the log: (txid, id) of the last event it has, or a horizon (txid, 0)."""

    txid: int = 0
    id: int = 0


BEGINNING = Cursor()
END = Cursor(2**63, 2**63)  # after every event: "whatever happened until now"


def position(event: EventView) -> Cursor:
    """Where an event sits in the followers' order."""
    return Cursor(event.txid or 0, event.id)


def events_after(session: Session, last_id: int, *, limit: int = 500) -> list[EventView]:
    """Events with id greater than last_id, oldest first: for history; live followers use `follow`."""
    rows = session.scalars(select(Event).where(Event.id > last_id).order_by(Event.id).limit(limit))
    return [EventView.of(e) for e in rows]


def event_cursor(session: Session) -> Cursor:
    """A cursor at now: whatever committed before is behind it; `follow` from it gives the rest.

    A view that reads this first and then its state may get some events it already reflects
    again (harmless), never miss one.
    """
    if session.get_bind().dialect.name == "postgresql":
        return Cursor(session.scalar(select(_HORIZON)) or 0, 0)
    return Cursor(0, session.scalar(select(func.max(Event.id))) or 0)


def follow(session: Session, cursor: Cursor, *, limit: int = 500) -> tuple[Cursor, list[EventView], bool]:
    """The events after `cursor` that every follower can see in the same order.

    Returns the new cursor, the events, and whether more are known to be pending (a full batch,
    or on PostgreSQL committed events held back behind a transaction still running): the caller
    reads again soon instead of waiting for the next notification.
    """
    if session.get_bind().dialect.name != "postgresql":
        events = events_after(session, cursor.id, limit=limit)
        return (position(events[-1]) if events else cursor), events, len(events) == limit
    horizon = session.scalar(select(_HORIZON)) or 0
    after = tuple_(Event.txid, Event.id) > tuple_(cursor.txid, cursor.id)
    rows = session.scalars(
        select(Event).where(after, Event.txid < horizon).order_by(Event.txid, Event.id).limit(limit)
    ).all()
    events = [EventView.of(e) for e in rows]
    if len(events) == limit:
        return position(events[-1]), events, True
    held = session.scalar(select(Event.id).where(after, Event.txid >= horizon).limit(1)) is not None
    return Cursor(max(horizon, cursor.txid), 0), events, held


class Changes(enum.Flag):
    """What a batch of events touched, so a view redraws only that."""

    NONE = 0
    TICKETS = enum.auto()
    CALLS = enum.auto()
    COUNTERS = enum.auto()
    OPERATORS = enum.auto()
    CONFIG = enum.auto()


_CHANGES = {
    EventKind.CALLED: Changes.TICKETS | Changes.CALLS | Changes.COUNTERS,
    EventKind.RECALLED: Changes.TICKETS | Changes.CALLS | Changes.COUNTERS,
    EventKind.COUNTER_OPENED: Changes.COUNTERS,
    EventKind.COUNTER_CLOSED: Changes.COUNTERS,
    EventKind.SIGNED_IN: Changes.OPERATORS | Changes.COUNTERS,
    EventKind.SIGNED_OUT: Changes.OPERATORS | Changes.COUNTERS,
    EventKind.SIGN_IN_FAILED: Changes.OPERATORS,
    EventKind.LOCKED_OUT: Changes.OPERATORS,
    EventKind.CONFIG_LOADED: Changes.CONFIG | Changes.COUNTERS | Changes.TICKETS,
}


def changes_of(events: Iterable[EventView]) -> Changes:
    """The union of what the events touched; any other kind touches tickets and counters."""
    result = Changes.NONE
    for e in events:
        result |= _CHANGES.get(EventKind(e.kind), Changes.TICKETS | Changes.COUNTERS)
    return result


class Listener:
    """Waits for commits that wrote events: LISTEN on PostgreSQL (no Qt, no polling).

    `wait(timeout)` returns True when a writer committed, or when the connection came back after
    being lost (notifications sent meanwhile are gone, so the follower must read anyway). On
    SQLite, or with no server, it just sleeps and returns False: the caller's poll covers it.
    With `services` it hears only commits whose events touch one of those services (a counter
    waiting for a ticket), so the rest of the building's work never wakes it.
    """

    def __init__(self, url: str, services: Collection[int] | None = None) -> None:
        from db.database import normalize_url

        self.url = normalize_url(url)
        self.push = self.url.startswith("postgresql")
        # A counter waiting for a ticket listens to its services' channels only (see EVENTS_DDL).
        self.channels = [NOTIFY_CHANNEL] if services is None else [f"antre_service_{int(s)}" for s in services]
        self._conn: Any = None
        self._lost = False

    def _connect(self) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        self._conn = psycopg.connect(
            host=url.host, port=url.port, dbname=url.database, user=url.username, password=url.password,
            connect_timeout=5, application_name="antre-listen", autocommit=True, **url.query,
        )
        for channel in self.channels:
            self._conn.execute(f"LISTEN {channel}")

    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` seconds for a commit; True if the log may have changed."""
        if not self.push:
            time.sleep(timeout)
            return False
        import psycopg

        try:
            if self._conn is None or self._conn.closed:
                self._connect()
                if self._lost:
                    self._lost = False
                    return True
            heard = False
            for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                heard = True
            while heard and any(True for _ in self._conn.notifies(timeout=0.0, stop_after=1)):
                pass  # one read covers every commit so far: drain what queued up meanwhile
            return heard
        except (psycopg.Error, OSError):
            self.close()
            self._lost = True
            time.sleep(min(timeout, 0.5))  # the server is away: try again soon, never spin
            return False

    def close(self) -> None:
        """Stop listening."""
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a dead connection may fail; it is gone either way
                pass
            self._conn = None
