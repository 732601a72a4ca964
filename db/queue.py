"""The queue engine: issuing tickets and calling them to counters.

Every function takes a Session first, changes state inside the caller's transaction,
writes exactly one event per state change and returns a frozen view.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import hotpath, lookup
from db.errors import Contended, QueueEmpty, Refused
from db.events import record
from db.hours import describe, is_open
from db.models import Counter, DailySequence, EventKind, Ticket, TicketStatus
from db.stats import learn_service_time, position_of
from db.views import IssuedTicket, TicketView

CALLING_ORDER = (Ticket.to_front.desc(), Ticket.queued_at, Ticket.id)


def format_code(fmt: str, prefix: str, number: int) -> str:
    """The display code of a ticket, e.g. '{prefix}-{number:03d}' -> 'A-007'."""
    return fmt.format(prefix=prefix, number=number)


def _next_number(session: Session, service_id: int, day: object) -> int:
    # One atomic statement on both databases: no read-then-write window between processes.
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(DailySequence).values(service_id=service_id, business_date=day, last_number=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[DailySequence.service_id, DailySequence.business_date],
        set_={"last_number": DailySequence.last_number + 1},
    ).returning(DailySequence.last_number)
    return session.execute(stmt).scalar_one()


def issue_ticket(
    session: Session,
    service_code: str,
    *,
    priority: bool = False,
    priority_category: str | None = None,
    now: datetime | None = None,
) -> IssuedTicket:
    """Issue the next ticket of a service today, refusing when closed, inactive or over quota."""
    now = lookup.utc(now)
    fast = hotpath.issue(session, service_code, priority=priority, category=priority_category, now=now)
    if fast is not None:  # the common case, in a few statements; refusals are worded below
        return fast
    venue = lookup.venue(session)
    service = lookup.service(session, service_code)
    if not service.active or not service.agency.active:
        raise Refused(f"service {service.code} is not offered", reason="inactive")
    if priority and not service.allow_priority:
        raise Refused(f"service {service.code} does not take priority tickets", reason="no_priority")
    hours = service.hours if service.hours is not None else venue.hours
    local = now.astimezone(ZoneInfo(venue.timezone))
    if not is_open(hours, local):
        raise Refused(f"service {service.code} is closed now ({describe(hours, 'en')})", reason="closed")
    day = local.date()
    number = _next_number(session, service.id, day)
    if service.daily_quota is not None and number > service.daily_quota:
        # The caller rolls back, so the refused number is not consumed.
        raise Refused(f"service {service.code} has used today's quota of {service.daily_quota}", reason="quota")
    ticket = Ticket(
        service=service,
        business_date=day,
        sequence=number,
        code=format_code(venue.code_format, service.code, number),
        priority=priority,
        priority_category=priority_category if priority else None,
        status=TicketStatus.WAITING,
        queued_at=now,
        issued_at=now,
    )
    session.add(ticket)
    session.flush()
    record(session, EventKind.ISSUED, now, ticket=ticket, code=ticket.code, priority=priority)
    ahead, wait = position_of(session, ticket, newest=True)
    return IssuedTicket(TicketView.of(ticket), ahead, wait)


def prepare_issuing(session: Session) -> None:
    """Read once what issuing needs (as a kiosk starts), so its first tickets cost no more than the rest."""
    hotpath.warm(session)


def counter_service_ids(session: Session, counter_code: str) -> frozenset[int]:
    """The ids of the services a counter calls for (what a waiting counter listens for)."""
    return frozenset(s.id for s in lookup.counter(session, counter_code).services)


def _first_waiting(session: Session, service_ids: list[int], day: object, priority: bool) -> Ticket | None:
    stmt = (
        select(Ticket)
        .where(*_waiting(service_ids, day, priority))
        .order_by(*CALLING_ORDER)
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL: two counters never lock the same row
    )
    return session.scalar(stmt)


def _any_waiting(session: Session, service_ids: list[int], day: object, priority: bool) -> bool:
    # A plain look, no lock: only the row finally chosen is locked, so a counter calling at the
    # same moment is never made to skip a ticket this one looked at but did not take.
    return session.scalar(select(Ticket.id).where(*_waiting(service_ids, day, priority)).limit(1)) is not None


def _waiting(service_ids: list[int], day: object, priority: bool) -> tuple[Any, ...]:
    return (
        Ticket.status == TicketStatus.WAITING,
        Ticket.business_date == day,
        Ticket.service_id.in_(service_ids),
        Ticket.priority == priority,
    )


def _priority_turn(ctr: Counter, day: object, every_p: int, every_r: int) -> bool:
    """Whether the ratio gives the next call to a priority ticket (both kinds waiting)."""
    run = ctr.priority_run if ctr.run_date == day else 0
    if run == 0:
        return True
    return run < every_p if run > 0 else -run >= every_r


def next_run(run: int, run_date: object, day: object, priority: bool) -> int:
    """The counter's run after calling a ticket: +n priority calls in a row, -n regular ones."""
    run = run if run_date == day else 0
    if priority:
        return run + 1 if run > 0 else 1
    return run - 1 if run < 0 else -1


def _call(session: Session, ctr: Counter, ticket: Ticket, now: datetime) -> TicketView:
    if not ctr.is_open:
        ctr.is_open = True
        record(session, EventKind.COUNTER_OPENED, now, counter_id=ctr.id, operator_id=ctr.operator_id)
    ticket.status = TicketStatus.CALLED
    ticket.called_at = now
    ticket.counter_id = ctr.id
    ticket.operator_id = ctr.operator_id
    ticket.recall_count = 0
    ctr.priority_run = next_run(ctr.priority_run, ctr.run_date, ticket.business_date, ticket.priority)
    ctr.run_date = ticket.business_date
    try:
        session.flush()
    except IntegrityError:
        # PostgreSQL: the same counter called twice at once; the database kept one ticket per counter.
        raise Refused(f"{ctr.name} is already calling a ticket", reason="busy") from None
    record(session, EventKind.CALLED, now, ticket=ticket, code=ticket.code, counter=ctr.code)
    return TicketView.of(ticket)


def call_next(session: Session, counter_code: str, *, now: datetime | None = None) -> TicketView:
    """Call the next waiting ticket among the counter's services, honouring the priority ratio."""
    now = lookup.utc(now)
    fast = hotpath.call(session, counter_code, now=now)  # the common case; refusals are worded below
    if fast is not None:
        return fast
    ctr = lookup.counter(session, counter_code)
    lookup.require_free(session, ctr)
    venue = lookup.venue(session)
    day = lookup.today(session, now)
    service_ids = [s.id for s in ctr.services if s.active]
    has_priority = _any_waiting(session, service_ids, day, True)
    has_regular = _any_waiting(session, service_ids, day, False)
    if has_priority and has_regular:
        first = _priority_turn(ctr, day, venue.priority_every, venue.regular_every)
    else:
        first = has_priority
    # The other kind is the fallback when another counter took the last ticket of the first kind.
    chosen = _first_waiting(session, service_ids, day, first) or _first_waiting(session, service_ids, day, not first)
    if chosen is None:
        raise QueueEmpty(f"no ticket is waiting for {ctr.name}")
    if session.get_bind().dialect.name == "postgresql":
        # The one-statement call found nothing it could lock, yet a later statement sees a ticket: it
        # lost a race (the ticket it locked was taken, or this one committed meanwhile). Its lock
        # attempt may have given this transaction an id older than that ticket's issue, and the event
        # order followers see is by transaction id, so the call is made in a fresh transaction.
        raise Contended(f"{ctr.name}: another counter took that ticket at the same moment; call again")
    return _call(session, ctr, chosen, now)


def require_waiting(session: Session, counter_code: str, *, now: datetime | None = None) -> None:
    """Raise QueueEmpty when nothing waits for the counter: a read, run before call_next's write."""
    now = lookup.utc(now)
    waiting = hotpath.any_waiting(session, counter_code, now=now)
    if waiting is not None:
        if not waiting[0]:
            raise QueueEmpty(f"no ticket is waiting for {waiting[1]}")
        return
    ctr = lookup.counter(session, counter_code)
    service_ids = [s.id for s in ctr.services if s.active]
    day = lookup.today(session, now)
    if not (_any_waiting(session, service_ids, day, True) or _any_waiting(session, service_ids, day, False)):
        raise QueueEmpty(f"no ticket is waiting for {ctr.name}")


def call_ticket(session: Session, counter_code: str, code: str, *, now: datetime | None = None) -> TicketView:
    """Call one ticket by code: a late arrival waiting, or a ticket this counter parked."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    lookup.require_free(session, ctr)
    ticket = lookup.ticket_by_code(session, code, lookup.today(session, now))
    if ticket.status == TicketStatus.HELD and ticket.counter_id == ctr.id:
        ticket.status = TicketStatus.SERVING
        ticket.held_at = None
        record(session, EventKind.RESUMED, now, ticket=ticket, code=ticket.code)
        return TicketView.of(ticket)
    if ticket.status != TicketStatus.WAITING:
        raise Refused(f"{ticket.code} is {ticket.status.value.replace('_', '-')}, not waiting", reason="state")
    if ticket.service not in ctr.services:
        raise Refused(f"{ctr.name} does not serve {ticket.service.code}", reason="wrong_counter")
    return _call(session, ctr, ticket, now)


def _require(ticket: Ticket, *allowed: TicketStatus) -> None:
    if ticket.status not in allowed:
        wanted = " or ".join(s.value for s in allowed)
        raise Refused(f"{ticket.code} is {ticket.status.value}, not {wanted}", reason="state")


def recall(session: Session, counter_code: str, *, now: datetime | None = None) -> TicketView:
    """Call the counter's ticket again (it is announced again)."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    ticket = lookup.require_active(session, ctr)
    _require(ticket, TicketStatus.CALLED)
    ticket.recall_count += 1
    record(session, EventKind.RECALLED, now, ticket=ticket, code=ticket.code, counter=ctr.code,
           recall_count=ticket.recall_count)
    return TicketView.of(ticket)


def start_serving(session: Session, counter_code: str, *, now: datetime | None = None) -> TicketView:
    """The citizen arrived at the counter: serving starts."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    ticket = lookup.require_active(session, ctr)
    _require(ticket, TicketStatus.CALLED)
    ticket.status = TicketStatus.SERVING
    ticket.started_at = now
    record(session, EventKind.STARTED, now, ticket=ticket, code=ticket.code)
    return TicketView.of(ticket)


def finish(session: Session, counter_code: str, *, now: datetime | None = None) -> TicketView:
    """Service done; a ticket finished straight from 'called' counts its service from the call."""
    now = lookup.utc(now)
    fast = hotpath.finish(session, counter_code, now=now)
    if fast is not None:  # the common case; "holds no ticket" is worded below
        return fast
    ctr = lookup.counter(session, counter_code)
    ticket = lookup.require_active(session, ctr)
    ticket.started_at = ticket.started_at or ticket.called_at
    ticket.status = TicketStatus.DONE
    ticket.finished_at = now
    if ticket.started_at is not None and now >= ticket.started_at:
        learn_service_time(ticket.service, (now - ticket.started_at).total_seconds() / 60)
    record(session, EventKind.FINISHED, now, ticket=ticket, code=ticket.code)
    return TicketView.of(ticket)


def no_show(session: Session, counter_code: str, *, now: datetime | None = None) -> TicketView:
    """The called citizen did not come; the ticket can be requeued today if they return."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    ticket = lookup.require_active(session, ctr)
    _require(ticket, TicketStatus.CALLED)
    ticket.status = TicketStatus.NO_SHOW
    ticket.no_show_at = now
    record(session, EventKind.NO_SHOW, now, ticket=ticket, code=ticket.code)
    return TicketView.of(ticket)

