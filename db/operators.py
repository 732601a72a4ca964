"""Operators: PIN hashing, account administration, sign-in with lockout, counter open/close."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lookup
from db.errors import NotFound, Refused
from db.events import record
from db.models import Agency, Counter, EventKind, Operator, Role

MAX_FAILED = 5
LOCKOUT = timedelta(minutes=5)
_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~20 ms per check, memory 16 MiB


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of the PIN, self-describing for later cost changes."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether the PIN matches the stored hash (constant-time compare)."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def check_pin_format(pin: str) -> None:
    """Refuse PINs that are too short or not digits-and-letters."""
    if len(pin) < 4 or len(pin) > 64 or not pin.isalnum():
        raise Refused("a PIN has 4 to 64 letters or digits", reason="bad_pin")


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
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise Refused(f"username {username!r} may hold only letters, digits, '.', '_' and '-'", reason="bad_name")
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
        check_pin_format(pin)
        row.pin_hash, row.must_change_pin = hash_pin(pin), must_change_pin
    session.flush()
    return row


def set_pin(session: Session, username: str, pin: str, *, must_change: bool = False,
            now: datetime | None = None) -> None:
    """Set an operator's PIN and clear any lockout (logged, without the PIN)."""
    check_pin_format(pin)
    row = _operator(session, username)
    row.pin_hash, row.must_change_pin = hash_pin(pin), must_change
    row.failed_attempts, row.locked_until = 0, None
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
    """Outcome of a sign-in; a refusal is returned, not raised, so its event and count commit."""

    ok: bool
    reason: str  # ok, unknown, wrong_pin, locked, disabled, not_allowed, no_pin
    message: str
    username: str
    display_name: str = ""
    role: str = ""
    must_change_pin: bool = False
    locked_until: datetime | None = None
    tries_left: int | None = None


def sign_in(session: Session, counter_code: str, username: str, pin: str, *, now: datetime | None = None) -> SignIn:
    """Check username and PIN and take the counter; five wrong PINs lock the account for a while."""
    now = lookup.utc(now)
    ctr = lookup.counter(session, counter_code)
    row = session.scalar(select(Operator).where(Operator.username == username.strip().lower()))
    if row is None or not row.active:
        record(session, EventKind.SIGN_IN_FAILED, now, counter_id=ctr.id, username=username, why="unknown")
        return SignIn(False, "unknown", "unknown or disabled user", username)
    if row.locked_until and row.locked_until > now:
        record(session, EventKind.SIGN_IN_FAILED, now, counter_id=ctr.id, operator_id=row.id, why="locked")
        return SignIn(False, "locked", "account locked after too many wrong PINs", username,
                      locked_until=row.locked_until)
    if row.pin_hash is None:
        return SignIn(False, "no_pin", "no PIN set yet: ask an administrator (antre operator set-pin)", username)
    if not verify_pin(pin, row.pin_hash):
        row.failed_attempts += 1
        record(session, EventKind.SIGN_IN_FAILED, now, counter_id=ctr.id, operator_id=row.id, why="wrong_pin",
               attempts=row.failed_attempts)
        if row.failed_attempts >= MAX_FAILED:
            row.failed_attempts, row.locked_until = 0, now + LOCKOUT
            record(session, EventKind.LOCKED_OUT, now, counter_id=ctr.id, operator_id=row.id,
                   until=row.locked_until.isoformat())
            return SignIn(False, "locked", "account locked after too many wrong PINs", username,
                          locked_until=row.locked_until)
        left = MAX_FAILED - row.failed_attempts
        return SignIn(False, "wrong_pin", f"wrong PIN ({left} tries left)", username, tries_left=left)
    if row.role == Role.OPERATOR and ctr.agency_id is not None and row.agency_id != ctr.agency_id:
        record(session, EventKind.SIGN_IN_FAILED, now, counter_id=ctr.id, operator_id=row.id, why="not_allowed")
        return SignIn(False, "not_allowed", f"{ctr.name} belongs to another agency", username)
    row.failed_attempts, row.locked_until = 0, None
    if ctr.operator_id not in (None, row.id):
        record(session, EventKind.SIGNED_OUT, now, counter_id=ctr.id, operator_id=ctr.operator_id, replaced=True)
    for other in session.scalars(select(Counter).where(Counter.operator_id == row.id)):
        if other.id != ctr.id:
            other.operator_id = None
            record(session, EventKind.SIGNED_OUT, now, counter_id=other.id, operator_id=row.id, moved=True)
    ctr.operator_id = row.id
    record(session, EventKind.SIGNED_IN, now, counter_id=ctr.id, operator_id=row.id)
    return SignIn(True, "ok", "signed in", row.username, row.display_name, row.role.value, row.must_change_pin)


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


def staff_pin_ok(session: Session, pin: str) -> bool:
    """Whether the PIN belongs to an active supervisor or admin (e.g. to leave the kiosk's lockdown)."""
    staff = session.scalars(
        select(Operator).where(Operator.active, Operator.role.in_((Role.SUPERVISOR, Role.ADMIN)))
    )
    return any(verify_pin(pin, s.pin_hash) for s in staff)
