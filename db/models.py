"""The typed ORM models: venue, agencies, services, counters, operators, tickets, events."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite drops the offset, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Antre stores only aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    TRANSFERRED = "transferred"


ACTIVE_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)


class EventKind(enum.StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    REQUEUED = "requeued"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    HELD = "held"
    RESUMED = "resumed"
    PRINT_FAILED = "print_failed"
    COUNTER_OPENED = "counter_opened"
    COUNTER_CLOSED = "counter_closed"
    SIGNED_IN = "signed_in"
    SIGNED_OUT = "signed_out"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKED_OUT = "locked_out"
    PIN_CHANGED = "pin_changed"
    CONFIG_LOADED = "config_loaded"
    # Supervisor and admin actions; detail["by"] names who did it.
    SERVICE_OPENED = "service_opened"
    SERVICE_CLOSED = "service_closed"
    QUOTA_CHANGED = "quota_changed"
    MOVED = "moved"
    OPERATOR_SAVED = "operator_saved"
    OPERATOR_DISABLED = "operator_disabled"


class Role(enum.StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings with a named CHECK: portable, readable in psql/sqlite3.
    return Enum(cls, name=name, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda e: [m.value for m in e])


class Venue(Base):
    """The one row describing the building; settings the engine needs are columns."""

    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    code_format: Mapped[str] = mapped_column(String(64), default="{prefix}-{number:03d}")
    priority_every: Mapped[int] = mapped_column(Integer, default=1)
    regular_every: Mapped[int] = mapped_column(Integer, default=2)
    transfer_to_front: Mapped[bool] = mapped_column(Boolean, default=True)
    requeue_to_front: Mapped[bool] = mapped_column(Boolean, default=False)
    default_service_minutes: Mapped[int] = mapped_column(Integer, default=8)
    # Venue opening hours (see db.hours); a service may override them. Null means always open.
    hours: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Presentation settings the fronts read (logo, languages, ticker, footer, kiosk/display options).
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The kiosks' staff PIN has no username: its lockout count lives here (see db.pins.guarded_check).
    staff_failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    staff_locked_until: Mapped[datetime | None]


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    color: Mapped[str] = mapped_column(String(9), default="#1565C0")
    icon: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    services: Mapped[list[Service]] = relationship(back_populates="agency", order_by="Service.sort_order")


counter_services = Table(
    "counter_services",
    Base.metadata,
    Column("counter_id", ForeignKey("counters.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
)


class Service(Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    requirements: Mapped[list[Any]] = mapped_column(default=list)
    requirements_en: Mapped[list[Any]] = mapped_column(default=list)
    fee: Mapped[int] = mapped_column(Integer, default=0)
    fee_note: Mapped[str] = mapped_column(String(200), default="")
    # What `fee` means: "free", "fixed" (the amount) or "bill" (set by a bill or assessment, see the note).
    fee_kind: Mapped[str] = mapped_column(String(10), default="free", server_default="free")
    fee_note_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    completion_minutes: Mapped[int] = mapped_column(Integer, default=0)
    expected_service_minutes: Mapped[int | None] = mapped_column(Integer)
    # Moving average of recent service times, updated as tickets finish; drives wait estimates.
    recent_service_minutes: Mapped[float | None]
    daily_quota: Mapped[int | None] = mapped_column(Integer)
    # Reports count the share of citizens called within this wait (a service standard).
    target_wait_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # {"mon": [["08:00", "12:00"], ["13:00", "15:00"]], ...}; null means the venue's hours.
    hours: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    allow_priority: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    agency: Mapped[Agency] = relationship(back_populates="services")
    counters: Mapped[list[Counter]] = relationship(secondary=counter_services, back_populates="services")


class Operator(Base):
    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.OPERATOR)
    pin_hash: Mapped[str | None] = mapped_column(String(300))
    must_change_pin: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Counter(Base):
    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    zone: Mapped[str] = mapped_column(String(50), default="", index=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The priority ratio's memory: +n after n priority calls in a row today, -n after n regular
    # ones (run_date says which day). Kept on the row the call updates anyway, so choosing the
    # next ticket needs no read of the event log (one statement on the hot path).
    priority_run: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    run_date: Mapped[date | None] = mapped_column(Date)

    services: Mapped[list[Service]] = relationship(
        secondary=counter_services, back_populates="counters", order_by="Service.sort_order"
    )
    agency: Mapped[Agency | None] = relationship()
    operator: Mapped[Operator | None] = relationship()


class DailySequence(Base):
    """Last number handed out per service and business day; bumped by one atomic upsert."""

    __tablename__ = "daily_sequences"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("service_id", "business_date", "sequence"),
        # The queue as call_next reads it, in calling order. Not a partial index on status: SQLite
        # cannot use one when the status comes as a bound parameter.
        Index("ix_tickets_queue", "service_id", "business_date", "status", "priority", "to_front", "queued_at"),
        Index("ix_tickets_counter_status", "counter_id", "status"),
        # A counter holds at most one ticket, enforced by the database itself.
        Index(
            "uq_tickets_active_counter",
            "counter_id",
            unique=True,
            sqlite_where=text("status IN ('called', 'serving')"),
            postgresql_where=text("status IN ('called', 'serving')"),
        ),
        Index("ix_tickets_day_status", "business_date", "status"),
        # Reports group a period by day, service, counter and officer: read in this order, no sort.
        Index("ix_tickets_report_grain", "business_date", "service_id", "counter_id", "operator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    business_date: Mapped[date] = mapped_column(Date)
    # Null for a ticket created by transfer: it keeps the code of the ticket it came from.
    sequence: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20), index=True)
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    priority_category: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus, "ticket_status"), default=TicketStatus.WAITING)
    to_front: Mapped[bool] = mapped_column(Boolean, default=False)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    no_show_at: Mapped[datetime | None]
    held_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    transferred_at: Mapped[datetime | None]
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    print_failed: Mapped[bool] = mapped_column(Boolean, default=False)

    service: Mapped[Service] = relationship()
    counter: Mapped[Counter | None] = relationship()
    operator: Mapped[Operator | None] = relationship()


class Event(Base):
    """Append-only log: one row per state change. Followers read it in order (see db.events)."""

    __tablename__ = "events"
    # call_next reads a counter's recent calls to apply the priority ratio; followers on
    # PostgreSQL read in (txid, id) order below the horizon.
    __table_args__ = (
        Index("ix_events_counter_kind", "counter_id", "kind", "id"),
        Index("ix_events_txid_id", "txid", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "event_kind"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # PostgreSQL fills it with the writing transaction's id (EVENTS_DDL); NULL on SQLite.
    txid: Mapped[int | None] = mapped_column(BigInteger, server_default=FetchedValue())


# PostgreSQL only: each event row records its transaction (for the followers' horizon), and each
# statement that inserts events wakes the listeners at commit. Run at create_all and by migration.
EVENTS_DDL = (
    "ALTER TABLE events ALTER COLUMN txid SET DEFAULT pg_current_xact_id()::text::bigint",
    # Every statement that writes events wakes the followers (channel antre_events), and each service
    # its events touch has a channel of its own (antre_service_<id>): a counter waiting for a ticket
    # listens only to its services', and PostgreSQL wakes it for nothing else.
    "CREATE OR REPLACE FUNCTION antre_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE sid bigint; BEGIN "
    "PERFORM pg_notify('antre_events', ''); "
    "FOR sid IN SELECT DISTINCT service_id FROM new_events WHERE service_id IS NOT NULL LIMIT 200 LOOP "
    "PERFORM pg_notify('antre_service_' || sid, ''); END LOOP; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS events_notify ON events",
    "CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS new_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION antre_notify_events()",
)
for _statement in EVENTS_DDL:
    event.listen(Event.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))


class Secret(Base):
    """Per-venue secrets the server side needs (the ticket-token key), made on first use."""

    __tablename__ = "secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BookingStatus(enum.StrEnum):
    PENDING = "pending"
    USED = "used"
    CANCELLED = "cancelled"


class Booking(Base):
    """An appointment (janji temu) booked ahead; redeemed once at the kiosk for a ticket."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    business_date: Mapped[date] = mapped_column(Date, index=True)
    slot_at: Mapped[datetime]
    name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20), default="csv")
    status: Mapped[BookingStatus] = mapped_column(_enum(BookingStatus, "booking_status"),
                                                  default=BookingStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))

    service: Mapped[Service] = relationship()


class ApiKey(Base):
    """A key for the web API; only its SHA-256 is stored (the key itself is shown once)."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class SurveyResponse(Base):
    """One citizen's IKM survey after a finished ticket, tied to where and by whom they were served."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_day_service", "business_date", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    business_date: Mapped[date] = mapped_column(Date)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    # The one-touch overall rating, 1-4 like the elements; null when only the elements were answered.
    overall: Mapped[int | None] = mapped_column(Integer)


class ReportDay(Base):
    """A closed business day's report figures per (service, counter, officer), kept so a year's report
    reads these few rows instead of every ticket again (db.reports; a day is closed once it is over)."""

    __tablename__ = "report_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    issued: Mapped[int] = mapped_column(Integer)
    served: Mapped[int] = mapped_column(Integer)
    no_shows: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[int] = mapped_column(Integer)
    transferred: Mapped[int] = mapped_column(Integer)
    called: Mapped[int] = mapped_column(Integer)
    # Comma-separated whole seconds (waits, service times) and hours of issue, as the report query gives them.
    waits: Mapped[str] = mapped_column(Text, default="")
    spans: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[str] = mapped_column(Text, default="")


class ReportCachedDay(Base):
    """A business day whose ReportDay rows are complete (a day without tickets has none)."""

    __tablename__ = "report_cached_days"

    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyAnswer(Base):
    """One element's answer (1-4) of a survey; elements are codes from the IKM config (U1..U9)."""

    __tablename__ = "survey_answers"

    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"),
                                             primary_key=True)
    element: Mapped[str] = mapped_column(String(10), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
