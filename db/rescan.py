"""A citizen scans their ticket's QR at the kiosk again: requeue a no-show of today, else say where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lookup
from db.models import Ticket, TicketStatus
from db.moves import requeue_id
from db.stats import position_of
from db.views import TicketView

# Outcomes: requeued, waiting, called, serving, done, cancelled, old, unknown.
_OUTCOME = {
    TicketStatus.WAITING: "waiting",
    TicketStatus.CALLED: "called",
    TicketStatus.SERVING: "serving",
    TicketStatus.HELD: "serving",
    TicketStatus.DONE: "done",
    TicketStatus.CANCELLED: "cancelled",
}


@dataclass(frozen=True, slots=True)
class RescanResult:
    outcome: str
    code: str
    ticket: TicketView | None = None
    ahead: int = 0
    estimated_wait_minutes: int | None = None


def _latest(session: Session, ticket: Ticket) -> Ticket:
    # A transferred ticket lives on as a new row in the target service; the paper keeps the first id.
    seen = 0
    while ticket.status == TicketStatus.TRANSFERRED and seen < 50:
        moved = session.scalar(select(Ticket).where(Ticket.transferred_from_id == ticket.id).limit(1))
        if moved is None:
            break
        ticket, seen = moved, seen + 1
    return ticket


def rescan(session: Session, ticket_id: int, code: str, *, now: datetime | None = None) -> RescanResult:
    """Requeue today's no-show ticket (engine rule), or report its state; the code must match the id."""
    now = lookup.utc(now)
    code = code.strip().upper()
    row = session.get(Ticket, ticket_id)
    if row is None or row.code != code:
        return RescanResult("unknown", code)
    row = _latest(session, row)
    if row.business_date != lookup.today(session, now):
        return RescanResult("old", code, TicketView.of(row))
    if row.status == TicketStatus.NO_SHOW:
        view = requeue_id(session, row.id, now=now)
        session.flush()
        ahead, wait = position_of(session, row)
        return RescanResult("requeued", code, view, ahead, wait)
    ahead, wait = position_of(session, row)
    return RescanResult(_OUTCOME.get(row.status, "unknown"), code, TicketView.of(row), ahead, wait)
