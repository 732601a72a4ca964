"""Supervisor and admin actions, with the roles enforced here rather than only hidden in the UI.

A supervisor opens and closes services, changes a service's quota and moves or cancels waiting
tickets (one bound to an agency only within it); an admin does all that and manages operators.
Every action names its actor: the actor must be an active operator with the role, and the event it
writes carries `by` (the actor's username) in its detail and the actor as its operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import lookup
from db.errors import NotFound, Refused
from db.events import record
from db.models import Agency, DailySequence, Event, EventKind, Operator, Role, Service, Ticket, TicketStatus
from db.operators import SignIn, add_operator, disable_operator, set_pin
from db.pins import guarded_check, locked_operator
from db.views import TicketView

RANK = {Role.OPERATOR: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}


def require_role(session: Session, username: str, role: Role) -> Operator:
    """The active operator `username` if their role is at least `role`; refused otherwise."""
    row = session.scalar(select(Operator).where(Operator.username == username.strip().lower()))
    if row is None or not row.active:
        raise Refused(f"{username!r} is not an active operator", reason="forbidden")
    if RANK[row.role] < RANK[role]:
        raise Refused(f"{row.username} is {row.role.value}: this needs the {role.value} role", reason="forbidden")
    return row


def authenticate(session: Session, username: str, pin: str, role: Role = Role.SUPERVISOR, *,
                 now: datetime | None = None) -> SignIn:
    """Check a supervisor's or admin's PIN (no counter is taken) under the one lockout rule of every
    sign-in; a refusal is returned, not raised, so its count and event commit."""
    now = lookup.utc(now)
    row = locked_operator(session, username[:100])
    if row is None or not row.active:
        record(session, EventKind.SIGN_IN_FAILED, now, username=username[:100], why="unknown", supervision=True)
        return SignIn(False, "unknown", "unknown or disabled user", username)
    check = guarded_check(session, row, pin, [row.pin_hash], now, operator_id=row.id, supervision=True)
    if not check.ok:
        return SignIn(False, check.reason, check.message, username, locked_until=check.locked_until,
                      tries_left=check.tries_left)
    if RANK[row.role] < RANK[role]:
        record(session, EventKind.SIGN_IN_FAILED, now, operator_id=row.id, why="not_allowed", supervision=True)
        return SignIn(False, "not_allowed", f"{row.username} is {row.role.value}: this needs the {role.value} role",
                      username)
    return SignIn(True, "ok", "signed in", row.username, row.display_name, row.role.value, row.must_change_pin)


def _within_agency(actor: Operator, agency_id: int) -> None:
    # A supervisor of one agency supervises only it; an admin (or a venue-wide supervisor) all.
    if actor.role == Role.SUPERVISOR and actor.agency_id is not None and actor.agency_id != agency_id:
        raise Refused(f"{actor.username} supervises another agency", reason="forbidden")


def set_service_open(session: Session, actor: str, service_code: str, is_open: bool, *,
                     now: datetime | None = None) -> bool:
    """Open or close a service for new tickets (the kiosk stops offering it); returns the new state."""
    now = lookup.utc(now)
    who = require_role(session, actor, Role.SUPERVISOR)
    service = lookup.service(session, service_code)
    _within_agency(who, service.agency_id)
    if service.active != is_open:
        service.active = is_open
        kind = EventKind.SERVICE_OPENED if is_open else EventKind.SERVICE_CLOSED
        record(session, kind, now, operator_id=who.id, by=who.username, service=service.code)
    return is_open


def set_quota(session: Session, actor: str, service_code: str, quota: int | None, *,
              now: datetime | None = None) -> int | None:
    """Change a service's daily quota (None: no limit). It holds until changed or the venue file is loaded."""
    now = lookup.utc(now)
    who = require_role(session, actor, Role.SUPERVISOR)
    service = lookup.service(session, service_code)
    _within_agency(who, service.agency_id)
    if quota is not None and quota < 1:
        raise Refused("a quota is at least 1 (or none for no limit)", reason="bad_quota")
    issued = session.scalar(select(DailySequence.last_number).where(
        DailySequence.service_id == service.id, DailySequence.business_date == lookup.today(session, now))) or 0
    old, service.daily_quota = service.daily_quota, quota
    record(session, EventKind.QUOTA_CHANGED, now, operator_id=who.id, by=who.username, service=service.code,
           old=old, new=quota, issued_today=issued)
    return quota


def move_ticket(session: Session, actor: str, code: str, service_code: str, *, note: str = "",
                now: datetime | None = None) -> TicketView:
    """Move today's waiting ticket to another service's queue, keeping its place in time and its code."""
    now = lookup.utc(now)
    who = require_role(session, actor, Role.SUPERVISOR)
    ticket = lookup.ticket_by_code(session, code, lookup.today(session, now))
    _within_agency(who, ticket.service.agency_id)
    target = lookup.service(session, service_code)
    _within_agency(who, target.agency_id)
    if ticket.status != TicketStatus.WAITING:
        raise Refused(f"{ticket.code} is {ticket.status.value}: only a waiting ticket is moved", reason="state")
    if target.id == ticket.service_id:
        raise Refused(f"{ticket.code} is already in service {target.code}", reason="same_service")
    if not target.active:
        raise Refused(f"service {target.code} is closed", reason="inactive")
    ticket.status = TicketStatus.TRANSFERRED
    ticket.transferred_at = now
    moved = Ticket(
        service=target, business_date=ticket.business_date, sequence=None, code=ticket.code,
        priority=ticket.priority, priority_category=ticket.priority_category, status=TicketStatus.WAITING,
        to_front=ticket.to_front, queued_at=ticket.queued_at,  # the citizen keeps the time already waited
        issued_at=ticket.issued_at, transferred_from_id=ticket.id, note=note.strip(),
    )
    session.add(moved)
    session.flush()
    record(session, EventKind.MOVED, now, ticket=ticket, operator_id=who.id, by=who.username, code=ticket.code,
           to_service=target.code, new_ticket_id=moved.id, note=moved.note)
    return TicketView.of(moved)


def cancel_ticket(session: Session, actor: str, code: str, *, reason: str = "",
                  now: datetime | None = None) -> TicketView:
    """Cancel today's waiting or parked ticket (the citizen left), recording who did it."""
    now = lookup.utc(now)
    who = require_role(session, actor, Role.SUPERVISOR)
    ticket = lookup.ticket_by_code(session, code, lookup.today(session, now))
    _within_agency(who, ticket.service.agency_id)
    # The same rule as moves.cancel, which records no actor: a supervisor's cancel must say who.
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.HELD):
        raise Refused(f"{ticket.code} is {ticket.status.value}, only waiting or held tickets cancel", reason="state")
    ticket.status = TicketStatus.CANCELLED
    ticket.cancelled_at = now
    record(session, EventKind.CANCELLED, now, ticket=ticket, operator_id=who.id, by=who.username,
           code=ticket.code, reason=reason)
    return TicketView.of(ticket)


def save_operator(session: Session, actor: str, username: str, name: str, *, role: Role = Role.OPERATOR,
                  agency: str | None = None, pin: str | None = None, now: datetime | None = None) -> str:
    """Add or update an operator account (admin only); a given PIN must be changed at first sign-in."""
    now = lookup.utc(now)
    who = require_role(session, actor, Role.ADMIN)
    row = add_operator(session, username, name, role=role, agency=agency, pin=pin, must_change_pin=True)
    record(session, EventKind.OPERATOR_SAVED, now, operator_id=who.id, by=who.username, username=row.username,
           role=row.role.value, agency=agency.upper() if agency else None, pin_set=pin is not None)
    return row.username


def reset_pin(session: Session, actor: str, username: str, pin: str, *, now: datetime | None = None) -> None:
    """Give an operator a new PIN to change at the next sign-in, clearing a lockout (admin only)."""
    now = lookup.utc(now)
    who = require_role(session, actor, Role.ADMIN)
    set_pin(session, username, pin, must_change=True, now=now)
    _tag_last(session, EventKind.PIN_CHANGED, who)


def disable(session: Session, actor: str, username: str, *, now: datetime | None = None) -> None:
    """Disable an operator (admin only); an admin cannot disable themselves."""
    now = lookup.utc(now)
    who = require_role(session, actor, Role.ADMIN)
    if username.strip().lower() == who.username:
        raise Refused("an admin cannot disable their own account", reason="self")
    if session.scalar(select(Operator.id).where(Operator.username == username.strip().lower())) is None:
        raise NotFound(f"unknown operator {username!r}")
    disable_operator(session, username)
    record(session, EventKind.OPERATOR_DISABLED, now, operator_id=who.id, by=who.username,
           username=username.strip().lower())


def _tag_last(session: Session, kind: EventKind, who: Operator) -> None:
    """Add the actor to the event an engine function just wrote (it records no actor of its own)."""
    for obj in session.new:
        if isinstance(obj, Event) and obj.kind == kind:
            obj.detail = {**obj.detail, "by": who.username, "by_id": who.id}



@dataclass(frozen=True, slots=True)
class ServiceState:
    """A service as a supervisor manages it: open or closed, its quota, issued and waiting today."""

    code: str
    name: str
    name_en: str
    agency: str
    open: bool
    daily_quota: int | None
    issued_today: int
    waiting: int


def service_board(session: Session, *, now: datetime | None = None) -> list[ServiceState]:
    """Every service of an active agency, closed ones included (so they can be opened again)."""
    day = lookup.today(session, lookup.utc(now))
    waiting = dict(session.execute(
        select(Ticket.service_id, func.count()).where(Ticket.status == TicketStatus.WAITING,
                                                      Ticket.business_date == day).group_by(Ticket.service_id)).all())
    issued = dict(session.execute(select(DailySequence.service_id, DailySequence.last_number)
                                  .where(DailySequence.business_date == day)).all())
    rows = session.execute(
        select(Service, Agency.code).join(Agency, Agency.id == Service.agency_id).where(Agency.active)
        .order_by(Agency.sort_order, Service.sort_order)).all()
    return [ServiceState(s.code, s.name, s.name_en or s.name, agency, s.active, s.daily_quota, issued.get(s.id, 0),
                         waiting.get(s.id, 0)) for s, agency in rows]
