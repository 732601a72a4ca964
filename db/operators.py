"""Operators: PIN hashing, account administration, sign-in with lockout, counter open/close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lookup
from db.errors import NotFound, Refused
from db.events import record
from db.models import Agency, Counter, EventKind, Operator, Role, Venue
from db.pins import (  # noqa: F401 - hashing and rules live in db.pins; re-exported for callers
    LOCKOUT,
    MAX_FAILED,
    PinCheck,
    check_pin_format,
    check_username,
    guarded_check,
    hash_pin,
    locked_operator,
    store_pin,
    verify_pin,
)

MAX_NAME = Operator.__table__.c.display_name.type.length


def _operator(session: Session, username: str) -> Operator:
    row = session.scalar(select(Operator).where(Operator.username == username.strip().lower()))
    if row is None:
        raise NotFound(f"unknown operator {username!r}")
    return row


def add_operator(
    session: Session,
    username: str,
    display_name: str,
    *,
    role: Role = Role.OPERATOR,
    agency: str | None = None,
    pin: str | None = None,
    must_change_pin: bool = True,
) -> Operator:
    """Create (or update) an operator account."""
    username = check_username(username)
    display_name = display_name.strip()
    if not display_name or len(display_name) > MAX_NAME or not display_name.isprintable():
        raise Refused(f"the name must be 1 to {MAX_NAME} printable characters", reason="bad_name")
    agency_id = None
    if agency:
        found = session.scalar(select(Agency).where(Agency.code == agency.strip().upper()))
        if found is None:
            raise NotFound(f"unknown agency {agency!r}")
        agency_id = found.id
    row = session.scalar(select(Operator).where(Operator.username == username))
    if row is None:
        row = Operator(username=username, display_name=display_name)
        session.add(row)
    row.display_name, row.role, row.agency_id, row.active = display_name, role, agency_id, True
    if pin is not None:
        store_pin(row, pin, must_change=must_change_pin)
    session.flush()
    return row


def set_pin(session: Session, username: str, pin: str, *, must_change: bool = False,
            now: datetime | None = None) -> None:
    """Set an operator's PIN and clear any lockout (logged, without the PIN)."""
    row = _operator(session, username)
    store_pin(row, pin, must_change=must_change)
    session.flush()
    record(session, EventKind.PIN_CHANGED, lookup.utc(now), operator_id=row.id, must_change=must_change)


def disable_operator(session: Session, username: str) -> None:
    """Disable an account; it can no longer sign in (history stays)."""
    row = _operator(session, username)
    row.active = False
    sign_off_everywhere(session, row)


def sign_off_everywhere(session: Session, row: Operator, *, now: datetime | None = None) -> None:
    """Take the operator off every counter they hold (one sign-out event each)."""
    for counter in session.scalars(select(Counter).where(Counter.operator_id == row.id)):
        counter.operator_id = None
        record(session, EventKind.SIGNED_OUT, lookup.utc(now), counter_id=counter.id, operator_id=row.id,
               disabled=True)


@dataclass(frozen=True, slots=True)
class SignIn:
    """Outcome of a sign-in; a refusal is returned, not raised, so its event and count commit.

    `ok` means the PIN was right; `seated` that the counter was taken. An operator who must change
    the PIN is not seated until the change (see db.pins.change_pin with `counter`), except in the
    database `antre demo` makes, whose officers keep the demo's public PINs."""

    ok: bool
    reason: str  # ok, unknown, wrong_pin, locked, disabled, not_allowed, no_pin, must_change_pin
    message: str
    username: str
    display_name: str = ""
    role: str = ""
    must_change_pin: bool = False
    locked_until: datetime | None = None
    tries_left: int | None = None
    seated: bool = False


def _is_demo(session: Session) -> bool:
    # The mark `antre demo` leaves on the database it creates (antre.scratch): only there may its
    # officers work with the demo venue's public first PINs.
    return (lookup.venue(session).settings or {}).get("scratch") == "demo"


def sign_in(session: Session, counter_code: str, username: str, pin: str, *, now: datetime | None = None) -> SignIn:
    """Check username and PIN and take the counter; five wrong PINs lock the account for a while."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    row = locked_operator(session, username[:100])  # parallel sign-ins to one account are counted in turn
    if row is None or not row.active:
        record(session, EventKind.SIGN_IN_FAILED, now, counter_id=ctr.id, username=username[:100], why="unknown")
        return SignIn(False, "unknown", "unknown or disabled user", username)
    if row.pin_hash is None:
        record(session, EventKind.SIGN_IN_FAILED, now, counter_id=ctr.id, operator_id=row.id, why="no_pin")
        return SignIn(False, "no_pin", "no PIN set yet: ask an administrator (antre operator set-pin)", username)
    check = guarded_check(session, row, pin, [row.pin_hash], now, counter_id=ctr.id, operator_id=row.id)
    if not check.ok:
        return SignIn(False, check.reason, check.message, username, locked_until=check.locked_until,
                      tries_left=check.tries_left)
    if row.must_change_pin and not _is_demo(session):
        if problem := _not_allowed(ctr, row):
            record(session, EventKind.SIGN_IN_FAILED, now, counter_id=ctr.id, operator_id=row.id, why="not_allowed")
            return SignIn(False, "not_allowed", problem, username)
        return SignIn(True, "must_change_pin", "the PIN must be changed before taking the counter", row.username,
                      row.display_name, row.role.value, True)
    return take_counter(session, ctr, row, now)


def _not_allowed(ctr: Counter, row: Operator) -> str:
    if row.role == Role.OPERATOR and ctr.agency_id is not None and row.agency_id != ctr.agency_id:
        return f"{ctr.name} belongs to another agency"
    return ""


def take_counter(session: Session, ctr: Counter, row: Operator, now: datetime) -> SignIn:
    """Seat an operator whose PIN was just checked at the counter (signing them out elsewhere)."""
    if problem := _not_allowed(ctr, row):
        record(session, EventKind.SIGN_IN_FAILED, now, counter_id=ctr.id, operator_id=row.id, why="not_allowed")
        return SignIn(False, "not_allowed", problem, row.username)
    if ctr.operator_id not in (None, row.id):
        record(session, EventKind.SIGNED_OUT, now, counter_id=ctr.id, operator_id=ctr.operator_id, replaced=True)
    for other in session.scalars(select(Counter).where(Counter.operator_id == row.id)):
        if other.id != ctr.id:
            other.operator_id = None
            record(session, EventKind.SIGNED_OUT, now, counter_id=other.id, operator_id=row.id, moved=True)
    ctr.operator_id = row.id
    record(session, EventKind.SIGNED_IN, now, counter_id=ctr.id, operator_id=row.id)
    return SignIn(True, "ok", "signed in", row.username, row.display_name, row.role.value, row.must_change_pin,
                  seated=True)


def sign_out(session: Session, counter_code: str, *, now: datetime | None = None) -> None:
    """Leave the counter; it closes so the display and wait estimates drop it."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    if ctr.is_open:
        close_counter(session, counter_code, now=now)
    if ctr.operator_id is not None:
        record(session, EventKind.SIGNED_OUT, now, counter_id=ctr.id, operator_id=ctr.operator_id)
        ctr.operator_id = None


def open_counter(session: Session, counter_code: str, *, now: datetime | None = None) -> None:
    """Open the counter for calls."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    if not ctr.is_open:
        ctr.is_open = True
        record(session, EventKind.COUNTER_OPENED, now, counter_id=ctr.id, operator_id=ctr.operator_id)


def close_counter(session: Session, counter_code: str, *, now: datetime | None = None) -> None:
    """Close the counter (break, end of day); refused while it holds a ticket."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    lookup.require_free(session, ctr)
    if ctr.is_open:
        ctr.is_open = False
        record(session, EventKind.COUNTER_CLOSED, now, counter_id=ctr.id, operator_id=ctr.operator_id)


def check_staff_pin(session: Session, pin: str, *, now: datetime | None = None) -> PinCheck:
    """Whether the PIN belongs to an active supervisor or admin (e.g. to leave the kiosk's lockdown),
    under the same lockout rule as a sign-in: the kiosks' staff PIN has one count, kept on the venue row.
    An account locked at the counters does not open a kiosk either."""
    now = lookup.utc(now)
    venue = lookup.venue(session)
    session.scalar(select(Venue).where(Venue.id == venue.id).with_for_update()
                   .execution_options(populate_existing=True))
    staff = list(session.scalars(
        select(Operator).where(Operator.active, Operator.role.in_((Role.SUPERVISOR, Role.ADMIN)))
    ))
    usable = [s.pin_hash if not (s.locked_until and s.locked_until > now) else None for s in staff]
    return guarded_check(session, venue, pin, usable, now, fields=("staff_failed_attempts", "staff_locked_until"),
                         check="kiosk_staff")


def staff_pin_ok(session: Session, pin: str, *, now: datetime | None = None) -> bool:
    """Whether the PIN opens the kiosk's staff menu (see check_staff_pin)."""
    return check_staff_pin(session, pin, now=now).ok
