"""The venue file's `[web]` and `[booking]` sections: the public address and the booking rule."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from db import lookup


class WebSection(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # What the ticket QR opens: PUBLIC_URL/t/TOKEN. Empty: the QR holds the bare token.
    public_url: str = Field("", max_length=200)
    # Requests per minute per client address on the API and pages (0: no limit).
    rate_limit_per_minute: int = Field(240, ge=0, le=100_000)

    @field_validator("public_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not v:
            return v
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("must be an http(s) address such as https://antrean.mpp.example.go.id")
        return v.rstrip("/")


class BookingSection(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # A booking can be redeemed from this many minutes before its slot.
    early_minutes: int = Field(60, ge=0, le=720)
    # Up to this many minutes after the slot it is on time: it goes ahead of walk-ins.
    grace_minutes: int = Field(15, ge=0, le=240)
    # Later than that: join as a walk-in, or refuse the booking.
    late: Literal["walk_in", "refuse"] = "walk_in"
    # On time, ahead of walk-ins (true) or just queued at the slot time among them (false).
    on_time_ahead: bool = True


def web_settings(session: Session) -> WebSection:
    """The venue's [web] settings (defaults when the venue file has none)."""
    return WebSection.model_validate(_section(session, "web"))


def booking_rules(session: Session) -> BookingSection:
    """The venue's [booking] rule (defaults when the venue file has none)."""
    return BookingSection.model_validate(_section(session, "booking"))


def _section(session: Session, name: str) -> dict[str, Any]:
    value = (lookup.venue(session).settings or {}).get(name) or {}
    return value if isinstance(value, dict) else {}
