"""PINs: the one rule set for usernames and PINs, hashing, and the one lockout rule every PIN check
goes through (counter sign-in, PIN change, the kiosk's staff PIN). No Qt, no app."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lookup
from db.errors import NotFound, Refused
from db.events import record
from db.models import EventKind, Operator

MAX_FAILED = 5
LOCKOUT = timedelta(minutes=5)
PIN_LENGTH = (4, 12)
_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~20 ms per check, memory 16 MiB
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}", re.ASCII)
_DIGITS = "0123456789"


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of the PIN, self-describing for later cost changes."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether the PIN matches the stored hash (constant-time compare)."""
    if not stored or len(pin) > 64:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected))
    except (ValueError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(got, expected)


def check_username(username: str) -> str:
    """The username in its stored form (lower case); refused unless 2-64 ASCII letters, digits, '.', '_', '-'."""
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise Refused(f"username {username[:70]!r} must be 2 to 64 ASCII letters, digits, '.', '_' or '-' "
                      "(starting with a letter or digit)", reason="bad_name")
    return name


def check_pin_format(pin: str) -> None:
    """Refuse a PIN that is not 4 to 12 ASCII digits (no other scripts' digits, no letters)."""
    low, high = PIN_LENGTH
    if not (low <= len(pin) <= high and all(c in _DIGITS for c in pin)):
        raise Refused(f"a PIN has {low} to {high} digits 0-9", reason="bad_pin")


def is_weak(pin: str) -> bool:
    """Whether a PIN is guessable at a glance: one repeated digit, a run like 1234 / 9876 / 7890, or a
    short group repeated (1212, 123123)."""
    if len(set(pin)) == 1:
        return True
    if pin.isdigit() and (pin in _DIGITS + _DIGITS[:4] or pin in (_DIGITS + _DIGITS[:4])[::-1]):
        return True
    return any(len(pin) % k == 0 and pin == pin[:k] * (len(pin) // k) for k in range(1, len(pin) // 2 + 1))


def check_new_pin(pin: str, *, initial: bool = False) -> None:
    """The one rule set for a PIN being set: the format always; not weak unless it is an initial PIN that
    must be changed at the first sign-in (a venue file's or an administrator's one-time PIN)."""
    check_pin_format(pin)
    if not initial and is_weak(pin):
        raise Refused("the PIN is too easy to guess (one digit repeated, a run like 1234, or a repeated group)",
                      reason="weak_pin")


def store_pin(row: Operator, pin: str, *, must_change: bool) -> None:
    """Check the PIN against the rules and store its hash; a new PIN clears any lockout."""
    check_new_pin(pin, initial=must_change)
    row.pin_hash, row.must_change_pin = hash_pin(pin), must_change
    row.failed_attempts, row.locked_until = 0, None


@dataclass(frozen=True, slots=True)
class PinCheck:
    """Outcome of one guarded PIN check; a failure is returned, not raised, so its count and event commit."""

    ok: bool
    reason: str  # ok, wrong_pin, locked
    message: str
    locked_until: datetime | None = None
    tries_left: int | None = None
    matched: int | None = None  # which of the candidate hashes matched


def guarded_check(session: Session, guard: Any, pin: str, hashes: Iterable[str | None], now: datetime, *,
                  fields: tuple[str, str] = ("failed_attempts", "locked_until"), **where: Any) -> PinCheck:
    """The one lockout rule: MAX_FAILED wrong PINs in a row lock the guard (an account, or the kiosks'
    staff PIN) for LOCKOUT; while locked even the right PIN is refused. The caller loaded `guard` FOR
    UPDATE, so parallel checks are counted one after another. Every failure is an event (`where` says
    which check and where)."""
    failed_field, until_field = fields
    until = getattr(guard, until_field)
    if until is not None and until > now:
        record(session, EventKind.SIGN_IN_FAILED, now, why="locked", **where)
        return PinCheck(False, "locked", "account locked after too many wrong PINs", locked_until=until)
    for i, stored in enumerate(hashes):
        if verify_pin(pin, stored):
            setattr(guard, failed_field, 0)
            setattr(guard, until_field, None)
            return PinCheck(True, "ok", "PIN accepted", matched=i)
    failed = getattr(guard, failed_field) + 1
    setattr(guard, failed_field, failed)
    record(session, EventKind.SIGN_IN_FAILED, now, why="wrong_pin", attempts=failed, **where)
    if failed >= MAX_FAILED:
        until = now + LOCKOUT
        setattr(guard, failed_field, 0)
        setattr(guard, until_field, until)
        record(session, EventKind.LOCKED_OUT, now, until=until.isoformat(), **where)
        return PinCheck(False, "locked", "account locked after too many wrong PINs", locked_until=until)
    left = MAX_FAILED - failed
    return PinCheck(False, "wrong_pin", f"wrong PIN ({left} tries left)", tries_left=left)


def locked_operator(session: Session, username: str) -> Operator | None:
    """The operator's row, locked until the transaction ends (PostgreSQL; SQLite writers are serialized)."""
    return session.scalar(select(Operator).where(Operator.username == username.strip().lower())
                          .with_for_update().execution_options(populate_existing=True))


@dataclass(frozen=True, slots=True)
class PinChange:
    """Outcome of a PIN change: refused for a wrong or locked current PIN (returned, so the count commits)."""

    ok: bool
    reason: str
    message: str
    tries_left: int | None = None
    locked_until: datetime | None = None
    seated: bool = False


def change_pin(session: Session, username: str, old_pin: str, new_pin: str, *,
               counter: str | None = None, now: datetime | None = None) -> PinChange:
    """Replace the operator's PIN after checking the old one under the lockout rule; the new one must
    follow the rules, differ from the old and not be weak. A bad new PIN raises Refused. With
    `counter`, the operator then takes it (the sign-in a must-change PIN held back)."""
    now = lookup.utc(now)
    row = locked_operator(session, username)
    if row is None or not row.active:
        raise NotFound(f"unknown operator {username!r}")
    check = guarded_check(session, row, old_pin, [row.pin_hash], now, operator_id=row.id, check="change_pin")
    if not check.ok:
        return PinChange(False, check.reason, "the current PIN is wrong" if check.reason == "wrong_pin"
                         else check.message, check.tries_left, check.locked_until)
    if new_pin == old_pin:
        raise Refused("the new PIN must differ from the current one", reason="same_pin")
    check_new_pin(new_pin)
    store_pin(row, new_pin, must_change=False)
    session.flush()
    record(session, EventKind.PIN_CHANGED, now, operator_id=row.id, must_change=False)
    if counter is None:
        return PinChange(True, "ok", "PIN changed")
    from db.operators import take_counter  # operators builds on this module

    seat = take_counter(session, lookup.counter(session, counter), row, now)
    if not seat.ok:
        raise Refused(seat.message, reason=seat.reason)  # nothing is saved: the PIN change rolls back too
    return PinChange(True, "ok", "PIN changed", seated=True)
