"""Read-side figures: waiting counts, positions, wait estimates, counters, today's figures."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from db import lookup
from db.hours import describe, is_open
from db.models import (
    ACTIVE_STATUSES,
    Counter,
    DailySequence,
    Operator,
    Service,
    Ticket,
    TicketStatus,
    counter_services,
)
from db.views import CounterView, ServiceQueue, TicketView

SMOOTHING = 0.2  # weight of the newest service time in the moving average


def service_minutes(session: Session, service: Service) -> float:
    """Minutes per citizen: the moving average of recent services, else the configured figure."""
    if service.recent_service_minutes is not None:
        return max(service.recent_service_minutes, 0.5)
    return float(service.expected_service_minutes or lookup.venue(session).default_service_minutes)


def learn_service_time(service: Service, minutes: float) -> None:
    """Fold one finished service into the moving average (recent ones weigh most)."""
    old = service.recent_service_minutes
    service.recent_service_minutes = minutes if old is None else (1 - SMOOTHING) * old + SMOOTHING * minutes


def open_counters(session: Session, service_id: int) -> int:
    """Counters open now that serve the service."""
    return session.scalar(
        select(func.count())
        .select_from(counter_services)
        .join(Counter, Counter.id == counter_services.c.counter_id)
        .where(counter_services.c.service_id == service_id, Counter.is_open, Counter.active)
    ) or 0


def estimate(session: Session, service: Service, ahead: int) -> int | None:
    """Minutes until a citizen with `ahead` people before them is called; None with no counter open."""
    counters = open_counters(session, service.id)
    if counters == 0:
        return None
    return math.ceil(ahead * service_minutes(session, service) / counters)


def position_of(session: Session, ticket: Ticket, *, newest: bool = False) -> tuple[int, int | None]:
    """People ahead of a waiting ticket in its service, and its estimated wait in minutes.

    `newest` says the ticket was just issued: everyone waiting is queued before it, so the
    count needs no ordering terms (the kiosk's hot path).
    """
    if ticket.status != TicketStatus.WAITING:
        return 0, None
    clauses = [Ticket.service_id == ticket.service_id, Ticket.business_date == ticket.business_date,
               Ticket.status == TicketStatus.WAITING, Ticket.id != ticket.id]
    if not newest:
        queued_before = or_(
            Ticket.queued_at < ticket.queued_at,
            and_(Ticket.queued_at == ticket.queued_at, Ticket.id < ticket.id),
        )
        in_class = and_(Ticket.to_front.is_(True), queued_before) if ticket.to_front else or_(
            Ticket.to_front.is_(True), queued_before)
        # Priority tickets go before regular ones (the ratio only spaces them out).
        clauses.append(in_class if ticket.priority else or_(Ticket.priority.is_(True), in_class))
    if ticket.priority:
        clauses.append(Ticket.priority.is_(True))
    ahead = session.scalar(select(func.count()).where(*clauses)) or 0
    return ahead, estimate(session, ticket.service, ahead)


def ticket_position(session: Session, ticket_id: int) -> tuple[int, int | None]:
    """People ahead and estimated wait of a ticket by id."""
    return position_of(session, lookup.ticket(session, ticket_id))


def service_queues(session: Session, *, now: datetime | None = None) -> list[ServiceQueue]:
    """Every active service with its waiting count, wait estimate and whether it takes tickets now."""
    now = lookup.utc(now)
    venue = lookup.venue(session)
    local = now.astimezone(ZoneInfo(venue.timezone))
    day = local.date()
    waiting = dict(
        session.execute(
            select(Ticket.service_id, func.count())
            .where(Ticket.status == TicketStatus.WAITING, Ticket.business_date == day)
            .group_by(Ticket.service_id)
        ).all()
    )
    issued = dict(
        session.execute(
            select(DailySequence.service_id, DailySequence.last_number).where(DailySequence.business_date == day)
        ).all()
    )
    services = session.scalars(
        select(Service).where(Service.active).options(selectinload(Service.agency)).order_by(Service.sort_order)
    ).all()
    result = []
    for s in services:
        hours = s.hours if s.hours is not None else venue.hours
        reason: tuple[str, str] | None = None
        if s.daily_quota is not None and issued.get(s.id, 0) >= s.daily_quota:
            reason = ("Kuota hari ini habis", "Today's quota is used up")
        elif not is_open(hours, local):
            reason = (describe(hours, "id"), describe(hours, "en"))
        count = waiting.get(s.id, 0)
        result.append(
            ServiceQueue(
                code=s.code,
                name=s.name,
                name_en=s.name_en or s.name,
                agency=s.agency.code,
                waiting=count,
                open_counters=open_counters(session, s.id),
                estimated_wait_minutes=estimate(session, s, count),
                available=reason is None and s.agency.active,
                unavailable_reason=reason[0] if reason else None,
                unavailable_reason_en=reason[1] if reason else None,
            )
        )
    return result


def counter_views(session: Session) -> list[CounterView]:
    """Every active counter with its services, operator and the ticket it holds."""
    counters = session.scalars(
        select(Counter).where(Counter.active).order_by(Counter.sort_order, Counter.code)
        .options(selectinload(Counter.services), selectinload(Counter.agency), selectinload(Counter.operator))
    ).all()
    held = {
        t.counter_id: t
        for t in session.scalars(select(Ticket).where(Ticket.status.in_(ACTIVE_STATUSES)))
    }
    return [CounterView.of(c, held.get(c.id)) for c in counters]


def waiting_for_counter(session: Session, counter_code: str, *, now: datetime | None = None) -> list[TicketView]:
    """Tickets waiting today for the counter's services, in calling order, plus those it parked."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    day = lookup.today(session, now)
    rows = session.scalars(
        select(Ticket)
        .where(
            or_(
                and_(Ticket.status == TicketStatus.WAITING, Ticket.business_date == day,
                     Ticket.service_id.in_([s.id for s in ctr.services])),
                and_(Ticket.status == TicketStatus.HELD, Ticket.counter_id == ctr.id),
            )
        )
        .order_by(Ticket.status.desc(), Ticket.priority.desc(), Ticket.to_front.desc(), Ticket.queued_at, Ticket.id)
    ).all()
    return [TicketView.of(t) for t in rows]


@dataclass(frozen=True, slots=True)
class DayFigures:
    """Today's figures for a counter (and optionally one operator at it)."""

    served: int
    no_shows: int
    mean_service_minutes: float | None
    median_service_minutes: float | None


def day_figures(
    session: Session, counter_code: str, *, operator: str | None = None, now: datetime | None = None
) -> DayFigures:
    """Served, no-shows and mean/median service time today at the counter."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    day = lookup.today(session, now)
    clauses = [Ticket.counter_id == ctr.id, Ticket.business_date == day]
    if operator:
        clauses.append(Ticket.operator_id.in_(select(Operator.id).where(Operator.username == operator)))
    rows = session.execute(select(Ticket.status, Ticket.started_at, Ticket.finished_at).where(*clauses)).all()
    spans = [
        (end - start).total_seconds() / 60
        for status, start, end in rows
        if status == TicketStatus.DONE and start and end
    ]
    return DayFigures(
        served=sum(1 for r in rows if r[0] == TicketStatus.DONE),
        no_shows=sum(1 for r in rows if r[0] == TicketStatus.NO_SHOW),
        mean_service_minutes=round(statistics.fmean(spans), 1) if spans else None,
        median_service_minutes=round(statistics.median(spans), 1) if spans else None,
    )
