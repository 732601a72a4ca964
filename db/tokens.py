"""Signed ticket tokens: what the ticket's QR holds and what the citizen's phone page is keyed by.

A token is base64url of: version (1 byte), ticket id (4 bytes), business day as days since
2000-01-01 (2 bytes), and the first 10 bytes of HMAC-SHA256 over those 7 bytes with the venue's
secret. 23 characters: a `PUBLIC_URL/t/TOKEN` address fits a small QR (version 3-4), the 80-bit
tag cannot be guessed (and the server rate-limits tries), and ids in the clear tell nothing
without it. A token is good only on its business day.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import struct
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from hashlib import sha256
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import lookup
from db.errors import Refused
from db.models import Secret, Ticket
from db.web_settings import web_settings

VERSION = 1
EPOCH = date(2000, 1, 1)
TAG_BYTES = 10
TOKEN_CHARS = 23  # base64url of 17 bytes, unpadded
SECRET_NAME = "ticket_token_key"
_BODY = struct.Struct(">BIH")
# What the kiosk reads back when the QR holds no address (no PUBLIC_URL configured).
BARE_PREFIX = "ANTRE:T:"

# Refusals a front may show, by reason: (Indonesian, English).
REFUSAL_TEXT = {
    "token_invalid": ("Kode tiket tidak sah.", "This ticket code is not valid."),
    "token_other_day": ("Tiket ini bukan untuk hari ini.", "This ticket is not for today."),
}


@dataclass(frozen=True, slots=True)
class TokenClaim:
    ticket_id: int
    business_date: date


def venue_secret(session: Session, *, create: bool = True) -> bytes | None:
    """The venue's token key (32 random bytes), made and stored on first use."""
    row = session.get(Secret, SECRET_NAME)
    if row is None and create:
        value = secrets.token_hex(32)
        try:
            with session.begin_nested():  # another process may make it at the same moment
                session.add(Secret(name=SECRET_NAME, value=value))
        except IntegrityError:
            pass
        row = session.scalar(select(Secret).where(Secret.name == SECRET_NAME))
    return bytes.fromhex(row.value) if row is not None else None


def _tag(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, sha256).digest()[:TAG_BYTES]


def sign(key: bytes, ticket_id: int, day: date) -> str:
    """The token for a ticket on its business day (a pure function of key, id and day)."""
    if not 0 < ticket_id < 2**32:
        raise ValueError("ticket id out of range for a token")
    body = _BODY.pack(VERSION, ticket_id, (day - EPOCH).days)
    return base64.urlsafe_b64encode(body + _tag(key, body)).decode("ascii").rstrip("=")


def read(key: bytes, token: str) -> TokenClaim:
    """The claim of an authentic token, whatever its day; refuses forged or altered ones."""
    token = token.strip()
    if len(token) != TOKEN_CHARS or not token.isascii():
        raise Refused("not a valid ticket token", reason="token_invalid")
    try:
        raw = base64.urlsafe_b64decode(token + "=")
    except (binascii.Error, ValueError):
        raise Refused("not a valid ticket token", reason="token_invalid") from None
    body, tag = raw[: _BODY.size], raw[_BODY.size:]
    # Base64 has spare bits in the last character: the re-encoding must be the very same string.
    if len(raw) != _BODY.size + TAG_BYTES or base64.urlsafe_b64encode(raw).decode().rstrip("=") != token:
        raise Refused("not a valid ticket token", reason="token_invalid")
    if not hmac.compare_digest(tag, _tag(key, body)):
        raise Refused("not a valid ticket token", reason="token_invalid")
    version, ticket_id, days = _BODY.unpack(body)
    if version != VERSION:
        raise Refused("not a valid ticket token", reason="token_invalid")
    return TokenClaim(ticket_id, EPOCH + timedelta(days=days))


def ticket_token(session: Session, ticket_id: int) -> str:
    """The token of a ticket (by id), made with the venue's key."""
    ticket = lookup.ticket(session, ticket_id)
    key = venue_secret(session)
    assert key is not None
    return sign(key, ticket.id, ticket.business_date)


def verify(session: Session, token: str, *, now: datetime | None = None) -> Ticket:
    """The ticket a token names, refusing forged, altered and other-day tokens."""
    key = venue_secret(session, create=False)
    if key is None:  # no token was ever made here
        raise Refused("not a valid ticket token", reason="token_invalid")
    claim = read(key, token)
    today = lookup.today(session, lookup.utc(now))
    if claim.business_date != today:
        raise Refused(f"this ticket was for {claim.business_date.isoformat()}, not today", reason="token_other_day")
    ticket = session.get(Ticket, claim.ticket_id)
    if ticket is None or ticket.business_date != claim.business_date:
        raise Refused("not a valid ticket token", reason="token_invalid")
    return ticket


def ticket_url(session: Session, ticket_id: int) -> str:
    """What the ticket's QR holds: PUBLIC_URL/t/TOKEN, or ANTRE:T:TOKEN without a public address."""
    token = ticket_token(session, ticket_id)
    public = web_settings(session).public_url
    return f"{public}/t/{token}" if public else f"{BARE_PREFIX}{token}"


def token_of_scan(text: str) -> str | None:
    """The token inside scanned QR text (a ticket address or ANTRE:T:TOKEN), None if there is none."""
    text = text.strip()
    if text.upper().startswith(BARE_PREFIX):
        candidate = text[len(BARE_PREFIX):]
    elif "://" in text:
        path = urlsplit(text).path.rstrip("/")
        head, _, candidate = path.rpartition("/")
        if not head.endswith("/t"):
            return None
    else:
        return None
    return candidate if len(candidate) == TOKEN_CHARS else None


def rescan_scanned(session: Session, text: str, *, now: datetime | None = None) -> Any:
    """The kiosk's requeue scan of a signed QR: verify the token, then the rescan rule (db.rescan).

    Outcomes as `db.rescan.rescan`: "unknown" for anything not a valid token of this venue,
    "old" for an authentic token of another day.
    """
    from db.rescan import RescanResult, rescan

    token = token_of_scan(text)
    if token is None:
        return RescanResult("unknown", "")
    try:
        ticket = verify(session, token, now=now)
    except Refused as exc:
        return RescanResult("old" if exc.reason == "token_other_day" else "unknown", "")
    return rescan(session, ticket.id, ticket.code, now=now)
