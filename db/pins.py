"""Operators choosing their own PIN: the rules a new PIN must meet (no Qt, no app)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFound, Refused
from db.models import Operator
from db.operators import check_pin_format, set_pin, verify_pin

_DIGITS = "0123456789"


def is_weak(pin: str) -> bool:
    """Whether a PIN is guessable at a glance: one repeated character or a run like 1234 / 9876."""
    if len(set(pin)) == 1:
        return True
    return pin.isdigit() and (pin in _DIGITS or pin in _DIGITS[::-1])


def change_pin(session: Session, username: str, old_pin: str, new_pin: str) -> None:
    """Replace the operator's PIN after checking the old one; the new one must differ and not be weak."""
    row = session.scalar(select(Operator).where(Operator.username == username.strip().lower()))
    if row is None or not row.active:
        raise NotFound(f"unknown operator {username!r}")
    if not verify_pin(old_pin, row.pin_hash):
        raise Refused("the current PIN is wrong", reason="wrong_pin")
    check_pin_format(new_pin)
    if new_pin == old_pin:
        raise Refused("the new PIN must differ from the current one", reason="same_pin")
    if is_weak(new_pin):
        raise Refused("the new PIN is too easy to guess (repeated or consecutive digits)", reason="weak_pin")
    set_pin(session, row.username, new_pin, must_change=False)
