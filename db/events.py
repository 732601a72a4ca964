"""The append-only event log: writing one row per change, reading everything after id N."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
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
    if session.get_bind().dialect.name == "postgresql":
        # Followers read "events after id N": ids must commit in the order they are handed out,
        # so event writers take turns until commit (SQLite writers already do).
        session.execute(text("SELECT pg_advisory_xact_lock(7413)"))
    session.add(
        Event(
            kind=kind,
            at=at,
            ticket_id=ticket.id if ticket else None,
            counter_id=counter_id if counter_id is not None else (ticket.counter_id if ticket else None),
            operator_id=operator_id if operator_id is not None else (ticket.operator_id if ticket else None),
            service_id=ticket.service_id if ticket else None,
            detail=detail,
        )
    )


def events_after(session: Session, last_id: int, *, limit: int = 500) -> list[EventView]:
    """Events with id greater than last_id, oldest first."""
    rows = session.scalars(select(Event).where(Event.id > last_id).order_by(Event.id).limit(limit))
    return [EventView.of(e) for e in rows]


def last_event_id(session: Session) -> int:
    """The id of the newest event, 0 for an empty log."""
    return session.scalar(select(func.max(Event.id))) or 0


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
