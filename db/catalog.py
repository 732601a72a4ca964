"""What the venue offers, as views for the fronts: the venue, agencies, services, recent calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db import lookup
from db.hours import describe
from db.models import Agency, Counter, Event, EventKind, Service, Ticket


@dataclass(frozen=True, slots=True)
class VenueView:
    name: str
    address: str
    timezone: str
    settings: dict[str, Any]

    def section(self, name: str) -> dict[str, Any]:
        """One app's settings section ([kiosk], [display], [printer], [speech], [counter])."""
        value = self.settings.get(name, {})
        return dict(value) if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class ServiceView:
    code: str
    agency: str
    name: str
    name_en: str
    requirements: tuple[str, ...]
    requirements_en: tuple[str, ...]
    fee: int
    fee_note: str
    completion_minutes: int
    daily_quota: int | None
    allow_priority: bool
    hours_text: str
    hours_text_en: str
    fee_kind: str = "free"  # db.fees: free / fixed / bill
    fee_note_en: str = ""
    zones: tuple[str, ...] = ()  # where its active counters are ("Lantai 2"), in counter order


@dataclass(frozen=True, slots=True)
class AgencyView:
    code: str
    name: str
    name_en: str
    color: str
    icon: str
    services: tuple[ServiceView, ...]


@dataclass(frozen=True, slots=True)
class CallView:
    """One call or recall as the lobby display shows and announces it."""

    event_id: int
    at: datetime
    recall: bool
    ticket_id: int
    code: str
    service: str
    agency: str
    agency_name: str
    counter: str
    counter_name: str
    zone: str


def venue_view(session: Session) -> VenueView:
    """The venue's name, address, timezone and the fronts' settings."""
    v = lookup.venue(session)
    return VenueView(v.name, v.address, v.timezone, dict(v.settings or {}))


def agencies(session: Session) -> list[AgencyView]:
    """Active agencies in display order, each with its active services."""
    venue = lookup.venue(session)
    rows = session.scalars(
        select(Agency).where(Agency.active).order_by(Agency.sort_order)
        .options(selectinload(Agency.services).selectinload(Service.counters))
    ).all()
    return [
        AgencyView(
            a.code, a.name, a.name_en or a.name, a.color, a.icon,
            tuple(_service_view(s, venue.hours) for s in a.services if s.active),
        )
        for a in rows
    ]


def _service_view(s: Service, venue_hours: Any) -> ServiceView:
    hours = s.hours if s.hours is not None else venue_hours
    return ServiceView(
        code=s.code, agency=s.agency.code, name=s.name, name_en=s.name_en or s.name,
        requirements=tuple(s.requirements or ()), requirements_en=tuple(s.requirements_en or s.requirements or ()),
        fee=s.fee, fee_note=s.fee_note, completion_minutes=s.completion_minutes, daily_quota=s.daily_quota,
        allow_priority=s.allow_priority, hours_text=describe(hours, "id"), hours_text_en=describe(hours, "en"),
        fee_kind=s.fee_kind, fee_note_en=s.fee_note_en, zones=service_zones(s),
    )


def service_zones(s: Service) -> tuple[str, ...]:
    """The zones (floors, wings) of the service's active counters, each once, in counter order."""
    zones: dict[str, None] = {}
    for c in sorted(s.counters, key=lambda c: (c.sort_order, c.code)):
        if c.active and c.zone.strip():
            zones.setdefault(c.zone.strip(), None)
    return tuple(zones)


def service_view(session: Session, code: str) -> ServiceView:
    """One service's published standard."""
    return _service_view(lookup.service(session, code), lookup.venue(session).hours)


def calls(session: Session, events: list[int] | None = None, *, limit: int = 10) -> list[CallView]:
    """Calls and recalls, newest first: the given event ids, or the latest `limit` of today."""
    stmt = (
        select(Event, Ticket, Counter, Service, Agency)
        .join(Ticket, Ticket.id == Event.ticket_id)
        .join(Counter, Counter.id == Event.counter_id)
        .join(Service, Service.id == Ticket.service_id)
        .join(Agency, Agency.id == Service.agency_id)
        .where(Event.kind.in_((EventKind.CALLED, EventKind.RECALLED)))
        .order_by(Event.id.desc())
    )
    if events is not None:
        stmt = stmt.where(Event.id.in_(events))
    else:
        stmt = stmt.where(Ticket.business_date == lookup.today(session, lookup.utc(None))).limit(limit)
    return [
        CallView(e.id, e.at, e.kind == EventKind.RECALLED, t.id, t.code, s.code, a.code, a.name, c.code, c.name,
                 c.zone)
        for e, t, c, s, a in session.execute(stmt).all()
    ]
