"""Lookups shared by the engine modules: the venue, a counter, a service, the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from db.errors import NotFound, Refused
from db.hours import business_date
from db.models import ACTIVE_STATUSES, Counter, Service, Ticket, Venue


def utc(now: datetime | None) -> datetime:
    """`now` as an aware UTC time; the real clock when None."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware time")
    return now.astimezone(UTC)


def venue(session: Session) -> Venue:
    """The venue row; a database that was never initialised gets the defaults."""
    row = session.get(Venue, 1)  # by primary key: a second lookup in the same session is free
    if row is None:
        row = Venue(id=1, name="Antre", settings={})
        session.add(row)
        session.flush()
    return row


def today(session: Session, now: datetime) -> date:
    """The venue's business day at `now`."""
    return business_date(now, venue(session).timezone)


def service(session: Session, code: str) -> Service:
    """An active service by its code (case-insensitive)."""
    row = session.scalar(
        select(Service).where(Service.code == code.strip().upper()).options(joinedload(Service.agency))
    )
    if row is None:
        raise NotFound(f"unknown service {code!r}")
    return row


def counter(session: Session, code: str) -> Counter:
    """A counter by its code (case-insensitive)."""
    row = session.scalar(
        select(Counter).where(Counter.code == code.strip().upper()).options(selectinload(Counter.services))
    )
    if row is None or not row.active:
        raise NotFound(f"unknown counter {code!r}")
    return row


def active_ticket(session: Session, ctr: Counter) -> Ticket | None:
    """The ticket the counter holds now (called or serving), if any."""
    return session.scalar(
        select(Ticket).where(Ticket.counter_id == ctr.id, Ticket.status.in_(ACTIVE_STATUSES))
    )


def require_active(session: Session, ctr: Counter) -> Ticket:
    """The counter's ticket, or a clear refusal when it holds none."""
    ticket = active_ticket(session, ctr)
    if ticket is None:
        raise Refused(f"{ctr.name} holds no ticket", reason="no_ticket")
    return ticket


def require_free(session: Session, ctr: Counter) -> None:
    """Refuse when the counter already holds a ticket: one ticket per counter."""
    held = active_ticket(session, ctr)
    if held is not None:
        raise Refused(f"{ctr.name} still holds {held.code}: finish, hold or mark it no-show first", reason="busy")


def ticket(session: Session, ticket_id: int) -> Ticket:
    """A ticket by id."""
    row = session.get(Ticket, ticket_id)
    if row is None:
        raise NotFound(f"unknown ticket id {ticket_id}")
    return row


def ticket_by_code(session: Session, code: str, day: date) -> Ticket:
    """The latest ticket with this display code on the business day (a transfer shares its code)."""
    row = session.scalar(
        select(Ticket)
        .where(Ticket.code == code.strip().upper(), Ticket.business_date == day)
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    if row is None:
        raise NotFound(f"no ticket {code!r} today")
    return row
