"""API keys for the web API: made by `antre apikey add NAME`, stored only as SHA-256 hashes.

A key is `antre_<prefix>_<secret>` with 8 + 32 random characters. The prefix finds the row; the
whole key is compared by hash in constant time. A plain hash is enough here (unlike PINs, which
are scrypt-hashed): 190 random bits cannot be brute-forced from a stolen hash.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lookup
from db.errors import AuthError, NotFound, Refused
from db.models import ApiKey

NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
KEY_RE = re.compile(r"^antre_([A-Za-z0-9]{8})_([A-Za-z0-9]{32})$")
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True, slots=True)
class NewKey:
    name: str
    key: str  # shown once; only its hash is kept


def _hash(key: str) -> str:
    return sha256(key.encode("ascii")).hexdigest()


def _random(n: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(n))


def add_key(session: Session, name: str, *, now: datetime | None = None) -> NewKey:
    """Make a new API key called `name` (letters, digits, . _ -); returns the key, shown once."""
    if not NAME_RE.match(name or ""):
        raise Refused("an API key name is 1-64 letters, digits, '.', '_' or '-'", reason="invalid")
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise Refused(f"an API key named {name!r} exists already", reason="duplicate")
    prefix = _random(8)
    while session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)) is not None:
        prefix = _random(8)
    key = f"antre_{prefix}_{_random(32)}"
    session.add(ApiKey(name=name, prefix=prefix, key_hash=_hash(key), created_at=lookup.utc(now)))
    session.flush()
    return NewKey(name, key)


def revoke_key(session: Session, name: str, *, now: datetime | None = None) -> None:
    """Revoke the key called `name`; it stops working at once."""
    row = session.scalar(select(ApiKey).where(ApiKey.name == name))
    if row is None:
        raise NotFound(f"no API key named {name!r}")
    row.revoked_at = row.revoked_at or lookup.utc(now)


def check_key(session: Session, key: str) -> str:
    """The name of the client a valid, unrevoked key belongs to; AuthError otherwise."""
    match = KEY_RE.match((key or "").strip())
    if match is None:
        raise AuthError("invalid API key")
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == match.group(1)))
    if row is None or not hmac.compare_digest(row.key_hash, _hash(match.group(0))) or row.revoked_at is not None:
        raise AuthError("invalid API key")
    return row.name
