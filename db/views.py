"""Frozen snapshots the engine returns; they never outlive-or-leak an ORM session."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from db.models import Counter, Event, Ticket


@dataclass(frozen=True, slots=True)
class TicketView:
    id: int
    code: str
    service: str
    service_name: str
    service_name_en: str
    agency: str
    status: str
    priority: bool
    priority_category: str | None
    business_date: date
    sequence: int | None
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    held_at: datetime | None
    counter: str | None
    counter_name: str | None
    operator: str | None
    recall_count: int
    transferred_from_id: int | None
    print_failed: bool
    note: str

    @classmethod
    def of(cls, t: Ticket) -> TicketView:
        return cls(
            id=t.id,
            code=t.code,
            service=t.service.code,
            service_name=t.service.name,
            service_name_en=t.service.name_en or t.service.name,
            agency=t.service.agency.code,
            status=str(t.status),
            priority=t.priority,
            priority_category=t.priority_category,
            business_date=t.business_date,
            sequence=t.sequence,
            issued_at=t.issued_at,
            queued_at=t.queued_at,
            called_at=t.called_at,
            started_at=t.started_at,
            finished_at=t.finished_at,
            held_at=t.held_at,
            counter=t.counter.code if t.counter else None,
            counter_name=t.counter.name if t.counter else None,
            operator=t.operator.username if t.operator else None,
            recall_count=t.recall_count,
            transferred_from_id=t.transferred_from_id,
            print_failed=t.print_failed,
            note=t.note,
        )

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    """A new ticket with what the kiosk prints: people ahead and the estimated wait."""

    ticket: TicketView
    ahead: int
    estimated_wait_minutes: int | None

    def to_json(self) -> dict[str, Any]:
        return {**self.ticket.to_json(), "ahead": self.ahead, "estimated_wait_minutes": self.estimated_wait_minutes}


@dataclass(frozen=True, slots=True)
class CounterView:
    code: str
    name: str
    agency: str | None
    zone: str
    is_open: bool
    services: tuple[str, ...]
    operator: str | None
    ticket: TicketView | None

    @classmethod
    def of(cls, c: Counter, ticket: Ticket | None) -> CounterView:
        return cls(
            code=c.code,
            name=c.name,
            agency=c.agency.code if c.agency else None,
            zone=c.zone,
            is_open=c.is_open,
            services=tuple(s.code for s in c.services),
            operator=c.operator.username if c.operator else None,
            ticket=TicketView.of(ticket) if ticket else None,
        )

    def to_json(self) -> dict[str, Any]:
        data = _jsonable(asdict(self))
        data["services"] = list(self.services)
        return data


@dataclass(frozen=True, slots=True)
class ServiceQueue:
    """Waiting figures of one service, for kiosk tiles and status."""

    code: str
    name: str
    name_en: str
    agency: str
    waiting: int
    open_counters: int
    estimated_wait_minutes: int | None
    available: bool
    unavailable_reason: str | None
    unavailable_reason_en: str | None

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    at: datetime
    kind: str
    ticket_id: int | None
    counter_id: int | None
    operator_id: int | None
    service_id: int | None
    detail: dict[str, Any] = field(default_factory=dict)
    txid: int | None = None  # PostgreSQL: the writing transaction, the followers' order (db.events)

    @classmethod
    def of(cls, e: Event) -> EventView:
        return cls(e.id, e.at, str(e.kind), e.ticket_id, e.counter_id, e.operator_id, e.service_id, dict(e.detail),
                   e.txid)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
