"""Moving a ticket out of the plain call order: transfer, requeue, hold, resume, cancel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lookup
from db.errors import Refused
from db.events import record
from db.models import EventKind, Ticket, TicketStatus
from db.views import TicketView


def transfer(
    session: Session, counter_code: str, service_code: str, *, note: str = "", now: datetime | None = None
) -> TicketView:
    """Send the counter's ticket to another service's queue; it keeps its display code."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    ticket = lookup.require_active(session, ctr)
    target = lookup.service(session, service_code)
    if target.id == ticket.service_id:
        raise Refused(f"{ticket.code} is already in service {target.code}", reason="same_service")
    if not target.active:
        raise Refused(f"service {target.code} is not offered", reason="inactive")
    venue = lookup.venue(session)
    ticket.status = TicketStatus.TRANSFERRED
    ticket.transferred_at = now
    ticket.finished_at = now
    moved = Ticket(
        service=target,
        business_date=ticket.business_date,
        sequence=None,
        code=ticket.code,
        priority=ticket.priority,
        priority_category=ticket.priority_category,
        status=TicketStatus.WAITING,
        to_front=venue.transfer_to_front,
        queued_at=now,
        issued_at=ticket.issued_at,
        transferred_from_id=ticket.id,
        note=note.strip(),
    )
    session.add(moved)
    session.flush()
    record(session, EventKind.TRANSFERRED, now, ticket=ticket, code=ticket.code, to_service=target.code,
           new_ticket_id=moved.id, note=moved.note)
    return TicketView.of(moved)


def requeue(session: Session, code: str, *, now: datetime | None = None) -> TicketView:
    """Put today's no-show ticket back in its queue (at the back, or the front by venue rule)."""
    now = lookup.utc(now)
    ticket = lookup.ticket_by_code(session, code, lookup.today(session, now))
    if ticket.status != TicketStatus.NO_SHOW:
        raise Refused(f"{ticket.code} is {ticket.status.value.replace('_', '-')}, not a no-show", reason="state")
    return _back_to_queue(session, ticket, now)


def requeue_id(session: Session, ticket_id: int, *, now: datetime | None = None) -> TicketView:
    """Requeue by ticket id (the kiosk reads it from the ticket's QR code); only today's no-shows."""
    now = lookup.utc(now)
    ticket = lookup.ticket(session, ticket_id)
    if ticket.business_date != lookup.today(session, now):
        raise Refused(f"{ticket.code} was issued on {ticket.business_date:%d-%m-%Y}, not today", reason="old")
    if ticket.status != TicketStatus.NO_SHOW:
        raise Refused(f"{ticket.code} is {ticket.status.value.replace('_', '-')}, not a no-show", reason="state")
    return _back_to_queue(session, ticket, now)


def _back_to_queue(session: Session, ticket: Ticket, now: datetime) -> TicketView:
    ticket.status = TicketStatus.WAITING
    ticket.to_front = lookup.venue(session).requeue_to_front
    ticket.queued_at = now
    ticket.counter_id = None
    ticket.operator_id = None
    record(session, EventKind.REQUEUED, now, ticket=ticket, code=ticket.code)
    return TicketView.of(ticket)


def hold(session: Session, counter_code: str, *, note: str = "", now: datetime | None = None) -> TicketView:
    """Park the counter's ticket (the citizen fetches a document); the counter is free to call."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    ticket = lookup.require_active(session, ctr)
    ticket.status = TicketStatus.HELD
    ticket.held_at = now
    ticket.started_at = ticket.started_at or ticket.called_at
    if note:
        ticket.note = note.strip()
    record(session, EventKind.HELD, now, ticket=ticket, code=ticket.code)
    return TicketView.of(ticket)


def resume(session: Session, counter_code: str, code: str | None = None, *, now: datetime | None = None) -> TicketView:
    """Take a parked ticket back into service at the counter that parked it (oldest if no code)."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    lookup.require_free(session, ctr)
    parked = sorted(
        (t for t in held_at(session, ctr.id) if code is None or t.code == code.strip().upper()),
        key=lambda t: t.held_at or now,
    )
    if not parked:
        raise Refused(f"{ctr.name} has no parked ticket" + (f" {code}" if code else ""), reason="no_ticket")
    ticket = parked[0]
    ticket.status = TicketStatus.SERVING
    ticket.held_at = None
    record(session, EventKind.RESUMED, now, ticket=ticket, code=ticket.code)
    return TicketView.of(ticket)


def held_at(session: Session, counter_id: int) -> list[Ticket]:
    """Tickets parked at a counter."""
    return list(
        session.scalars(
            select(Ticket).where(Ticket.counter_id == counter_id, Ticket.status == TicketStatus.HELD)
        )
    )


def cancel(session: Session, ticket_id: int, *, reason: str = "", now: datetime | None = None) -> TicketView:
    """Cancel a ticket that is waiting or parked (the citizen left)."""
    now = lookup.utc(now)
    ticket = lookup.ticket(session, ticket_id)
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.HELD):
        raise Refused(f"{ticket.code} is {ticket.status.value}, only waiting or held tickets cancel", reason="state")
    ticket.status = TicketStatus.CANCELLED
    ticket.cancelled_at = now
    record(session, EventKind.CANCELLED, now, ticket=ticket, code=ticket.code, reason=reason)
    return TicketView.of(ticket)


def mark_print_failed(session: Session, ticket_id: int, *, error: str = "", now: datetime | None = None) -> TicketView:
    """Record that the ticket's paper failed to print; the ticket stays valid."""
    now = lookup.utc(now)
    ticket = lookup.ticket(session, ticket_id)
    ticket.print_failed = True
    record(session, EventKind.PRINT_FAILED, now, ticket=ticket, code=ticket.code, error=error)
    return TicketView.of(ticket)
