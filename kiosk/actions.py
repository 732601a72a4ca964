"""The kiosk's units of work: each builds an `op(session)` for the DB worker (never run on the GUI thread).

They only call engine functions and return frozen views; the window decides what to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from db.bookings import redeem
from db.catalog import AgencyView, VenueView, agencies, venue_view
from db.errors import Refused
from db.moves import mark_print_failed
from db.operators import staff_pin_ok
from db.queue import issue_ticket, prepare_issuing
from db.rescan import RescanResult, rescan
from db.stats import service_queues
from db.ticket_layout import Cut, Element, Feed, Qr, Rule, TicketContent, Text, ticket_content
from db.tokens import verify
from db.views import ServiceQueue

Op = Callable[[Session], Any]


@dataclass(frozen=True, slots=True)
class KioskData:
    venue: VenueView
    agencies: tuple[AgencyView, ...]
    queues: dict[str, ServiceQueue]


def load_all(now: datetime) -> Op:
    """Venue, agencies with their services, and the waiting figures."""

    def op(session: Session) -> KioskData:
        queues = {q.code: q for q in service_queues(session, now=now)}
        prepare_issuing(session)
        return KioskData(venue_view(session), tuple(agencies(session)), queues)

    return op


def load_queues(now: datetime) -> Op:
    """Waiting figures and availability of every service."""
    return lambda session: {q.code: q for q in service_queues(session, now=now)}


def issue(service: str, category: str | None, now: datetime) -> Op:
    """Issue a ticket and take the snapshot the paper and the screen show."""

    def op(session: Session) -> TicketContent:
        issued = issue_ticket(session, service, priority=category is not None, priority_category=category, now=now)
        return ticket_content(session, issued.ticket.id, ahead=issued.ahead, wait=issued.estimated_wait_minutes)

    return op


def redeem_booking(code: str, now: datetime) -> Op:
    """Turn a booking code into its ticket (refusals carry the reason) and take the snapshot to print."""

    def op(session: Session) -> TicketContent:
        done = redeem(session, code, now=now)
        issued = done.issued
        return ticket_content(session, issued.ticket.id, ahead=issued.ahead, wait=issued.estimated_wait_minutes)

    return op


def scan(ticket_id: int, code: str, now: datetime) -> Op:
    """A citizen's ticket scanned again: requeue a no-show of today or report its state."""

    def op(session: Session) -> RescanResult:
        return rescan(session, ticket_id, code, now=now)

    return op


def scan_token(token: str, now: datetime) -> Op:
    """A signed ticket QR scanned again: verify it (forged, altered, other-day refused), then as `scan`."""

    def op(session: Session) -> RescanResult:
        try:
            ticket = verify(session, token, now=now)
        except Refused as exc:
            return RescanResult("old" if exc.reason == "token_other_day" else "unknown", "")
        return rescan(session, ticket.id, ticket.code, now=now)

    return op


def mark_failed(ticket_id: int, error: str) -> Op:
    """Record that the paper did not print; the ticket stays valid."""

    def op(session: Session) -> int:
        mark_print_failed(session, ticket_id, error=error)
        return ticket_id

    return op


def check_staff_pin(pin: str) -> Op:
    """Whether the PIN belongs to a supervisor or admin (to leave the lockdown)."""
    return lambda session: staff_pin_ok(session, pin)


def test_layout(venue: str, printer: str, moment: datetime, columns: int) -> tuple[Element, ...]:
    """A test page for staff: proves text sizes, centering, the QR and the cut work."""
    return (
        Text(venue, size=2, bold=True, align="center"),
        Rule(),
        Text("TES PRINTER / PRINTER TEST", bold=True, align="center"),
        Text(printer[:columns], align="center"),
        Text(f"{moment:%d-%m-%Y %H.%M}", align="center"),
        Feed(),
        Text("A-000", size=4, bold=True, align="center"),
        Qr("ANTRE:0:TEST"),
        Cut(),
    )
