"""What the public may see: a ticket's state for its holder's phone, and the venue's queues.

Nothing personal and nothing of other tickets beyond counts. `ticket_states` computes many
tickets at once in a fixed number of queries, so a server following the event log pays per
change, not per open phone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db import lookup
from db.models import Agency, Counter, Event, EventKind, Service, Ticket, TicketStatus, counter_services
from db.stats import service_minutes

# A transfer makes a new row; the paper (and its token) keeps the first id.
_MAX_HOPS = 20


@dataclass(frozen=True, slots=True)
class PublicTicket:
    ticket_id: int  # the id the token names (the first one, before any transfer)
    service_id: int
    code: str
    service: str
    service_name: str
    service_name_en: str
    agency_name: str
    agency_name_en: str
    status: str
    ahead: int | None
    estimated_wait_minutes: int | None
    counter_name: str | None
    zone: str | None
    called_at: datetime | None
    recall_count: int
    business_date: date

    @property
    def call_key(self) -> str | None:
        """Changes on every call and recall, so the page alerts once per call."""
        if self.called_at is None or self.status not in ("called", "serving"):
            return None
        return f"{self.called_at.isoformat()}#{self.recall_count}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["called_at"] = self.called_at.isoformat() if self.called_at else None
        data["business_date"] = self.business_date.isoformat()
        data["call_key"] = self.call_key
        del data["ticket_id"], data["service_id"]
        return data


def _latest(session: Session, tickets: dict[int, Ticket]) -> dict[int, Ticket]:
    """Each ticket's live row: follows transfers (in bulk, one query per hop)."""
    result = dict(tickets)
    pending = {tid: t.id for tid, t in tickets.items() if t.status == TicketStatus.TRANSFERRED}
    for _ in range(_MAX_HOPS):
        if not pending:
            break
        moved = {t.transferred_from_id: t for t in session.scalars(
            select(Ticket).where(Ticket.transferred_from_id.in_(set(pending.values()))))}
        nxt = {}
        for origin, current in pending.items():
            row = moved.get(current)
            if row is None:
                continue
            result[origin] = row
            if row.status == TicketStatus.TRANSFERRED:
                nxt[origin] = row.id
        pending = nxt
    return result


def live_ticket_id(session: Session, ticket_id: int) -> int:
    """The id of the ticket's live row: itself, or where its transfers led (the one surveyed when done)."""
    ticket = session.get(Ticket, ticket_id)
    return ticket_id if ticket is None else _latest(session, {ticket_id: ticket})[ticket_id].id


def _positions(session: Session, days: set[date], service_ids: set[int]) -> dict[int, int]:
    """People ahead of every waiting ticket of the services, in the order position_of counts."""
    if not service_ids:
        return {}
    rows = session.execute(
        select(Ticket.id, Ticket.service_id, Ticket.business_date, Ticket.priority, Ticket.to_front,
               Ticket.queued_at)
        .where(Ticket.status == TicketStatus.WAITING, Ticket.business_date.in_(days),
               Ticket.service_id.in_(service_ids))
    ).all()
    by_queue: dict[tuple[int, date], list[Any]] = defaultdict(list)
    for r in rows:
        by_queue[(r.service_id, r.business_date)].append(r)
    ahead = {}
    for queue in by_queue.values():
        # Priority first (the ratio only spaces them out), then to-front, then arrival: as position_of.
        queue.sort(key=lambda r: (not r.priority, not r.to_front, r.queued_at, r.id))
        ahead.update({r.id: i for i, r in enumerate(queue)})
    return ahead


def _open_counters(session: Session, service_ids: set[int]) -> dict[int, int]:
    if not service_ids:
        return {}
    return dict(session.execute(
        select(counter_services.c.service_id, func.count())
        .join(Counter, Counter.id == counter_services.c.counter_id)
        .where(counter_services.c.service_id.in_(service_ids), Counter.is_open, Counter.active)
        .group_by(counter_services.c.service_id)
    ).all())


def ticket_states(session: Session, ticket_ids: list[int]) -> dict[int, PublicTicket]:
    """The public state of many tickets by id (ids not found are left out)."""
    if not ticket_ids:
        return {}
    first: dict[int, Ticket] = {}
    for start in range(0, len(ticket_ids), 500):
        chunk = ticket_ids[start:start + 500]
        first.update({t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(chunk)))})
    live = _latest(session, first)
    waiting_services = {t.service_id for t in live.values() if t.status == TicketStatus.WAITING}
    days = {t.business_date for t in live.values() if t.status == TicketStatus.WAITING}
    ahead = _positions(session, days, waiting_services)
    counters = _open_counters(session, waiting_services)
    services = {s.id: s for s in session.scalars(
        select(Service).where(Service.id.in_({t.service_id for t in live.values()}))
        .options(selectinload(Service.agency)))}
    counter_rows = {c.id: c for c in session.scalars(
        select(Counter).where(Counter.id.in_({t.counter_id for t in live.values() if t.counter_id})))}
    minutes = {sid: service_minutes(session, services[sid]) for sid in waiting_services}
    result = {}
    for tid, t in live.items():
        s = services[t.service_id]
        n = ahead.get(t.id) if t.status == TicketStatus.WAITING else None
        open_n = counters.get(t.service_id, 0)
        wait = math.ceil(n * minutes[t.service_id] / open_n) if n is not None and open_n else None
        ctr = counter_rows.get(t.counter_id) if t.counter_id else None
        shows_counter = t.status in (TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD)
        result[tid] = PublicTicket(
            ticket_id=tid, service_id=t.service_id, code=t.code, service=s.code, service_name=s.name, service_name_en=s.name_en or s.name,
            agency_name=s.agency.name, agency_name_en=s.agency.name_en or s.agency.name, status=str(t.status),
            ahead=n, estimated_wait_minutes=wait,
            counter_name=ctr.name if ctr and shows_counter else None,
            zone=(ctr.zone or None) if ctr and shows_counter else None,
            called_at=t.called_at if shows_counter else None, recall_count=t.recall_count,
            business_date=t.business_date,
        )
    return result


def ticket_state(session: Session, ticket_id: int) -> PublicTicket:
    """The public state of one ticket by id."""
    states = ticket_states(session, [ticket_id])
    if ticket_id not in states:
        lookup.ticket(session, ticket_id)  # raises NotFound
    return states[ticket_id]


def venue_status(session: Session, *, now: datetime | None = None, calls: int = 8) -> dict[str, Any]:
    """Waiting per agency and service, and the latest calls: the public status page and API."""
    from db.stats import service_queues

    now = lookup.utc(now)
    venue = lookup.venue(session)
    day = lookup.today(session, now)
    queues = {q.code: q for q in service_queues(session, now=now)}
    agencies = session.scalars(
        select(Agency).where(Agency.active).order_by(Agency.sort_order).options(selectinload(Agency.services))
    ).all()
    groups = []
    for a in agencies:
        services = [queues[s.code] for s in a.services if s.code in queues]
        if not services:
            continue
        groups.append({
            "code": a.code, "name": a.name, "name_en": a.name_en or a.name, "color": a.color,
            "waiting": sum(q.waiting for q in services),
            "services": [{"code": q.code, "name": q.name, "name_en": q.name_en, "waiting": q.waiting,
                          "open_counters": q.open_counters, "estimated_wait_minutes": q.estimated_wait_minutes,
                          "available": q.available, "unavailable_reason": q.unavailable_reason,
                          "unavailable_reason_en": q.unavailable_reason_en} for q in services],
        })
    # Now calling: tickets still called (or being served) at a counter, the latest call first.
    recent = session.execute(
        select(Event.at, Event.kind, Ticket.code, Counter.name, Counter.zone)
        .join(Ticket, Ticket.id == Event.ticket_id).join(Counter, Counter.id == Event.counter_id)
        .where(Event.kind.in_([EventKind.CALLED, EventKind.RECALLED]), Ticket.business_date == day,
               Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]), Ticket.counter_id == Event.counter_id)
        .order_by(Event.id.desc()).limit(calls * 4)
    ).all()
    seen: set[str] = set()
    recent = [r for r in recent if not (r.code in seen or seen.add(r.code))][:calls]
    return {
        "venue": venue.name,
        "date": day.isoformat(),
        "at": now.isoformat(),
        "waiting": sum(g["waiting"] for g in groups),
        "agencies": groups,
        "calls": [{"code": r.code, "counter_name": r.name, "zone": r.zone or None, "at": r.at.isoformat(),
                   "recall": r.kind == EventKind.RECALLED} for r in recent],
    }
