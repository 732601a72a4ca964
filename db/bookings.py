"""Bookings (janji temu): imported from CSV or made by the API, redeemed once at the kiosk.

A redeemed booking becomes a ticket of its service through the same `issue_ticket` rules
(hours, quota), then joins the queue by the venue's `[booking]` rule: on time (from
`early_minutes` before the slot to `grace_minutes` after it) it is queued at its slot time,
ahead of walk-ins unless `on_time_ahead = false`; later it joins as a walk-in, or is refused
when `late = "refuse"`.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lookup
from db.errors import AntreError, NotFound, Refused
from db.models import Booking, BookingStatus
from db.queue import issue_ticket
from db.stats import position_of
from db.views import IssuedTicket, TicketView
from db.web_settings import booking_rules

CODE_RE = re.compile(r"^[A-Z0-9]{4,32}$")
# Generated codes avoid look-alikes (0/O, 1/I/L) so they can be typed on a keypad from a phone.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_ROWS = 20_000
# What a booking QR on the citizen's phone holds (or PUBLIC_URL/b/CODE), read by the kiosk's scanner.
SCAN_PREFIX = "ANTRE:B:"

# What a front shows for each refusal reason: (Indonesian, English).
REFUSAL_TEXT = {
    "booking_unknown": ("Kode booking tidak ditemukan. Periksa kembali kodenya.",
                        "Booking code not found. Please check the code."),
    "booking_used": ("Kode booking ini sudah dipakai.", "This booking code has already been used."),
    "booking_cancelled": ("Booking ini sudah dibatalkan.", "This booking was cancelled."),
    "booking_expired": ("Booking ini sudah lewat waktunya.", "This booking has expired."),
    "booking_other_day": ("Booking ini untuk hari lain.", "This booking is for another day."),
    "booking_early": ("Terlalu awal: silakan kembali mendekati jam booking Anda.",
                      "Too early: please come back closer to your booking time."),
}


@dataclass(frozen=True, slots=True)
class BookingView:
    code: str
    service: str
    business_date: date
    slot_at: datetime
    slot_local: str
    status: str
    source: str
    ticket_id: int | None

    @classmethod
    def of(cls, b: Booking, tz: str) -> BookingView:
        local = b.slot_at.astimezone(ZoneInfo(tz))
        return cls(b.code, b.service.code, b.business_date, b.slot_at, local.strftime("%H:%M"),
                   str(b.status), b.source, b.ticket_id)

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "service": self.service, "date": self.business_date.isoformat(),
                "slot": self.slot_local, "slot_at": self.slot_at.isoformat(), "status": self.status,
                "source": self.source}


@dataclass(frozen=True, slots=True)
class Redeemed:
    """A booking turned into a ticket: the ticket as issued and whether it counted as on time."""

    issued: IssuedTicket
    booking: BookingView
    on_time: bool


def normalize_code(code: str) -> str:
    """A booking code as stored: upper case, without spaces or dashes (as typed on a keypad)."""
    return re.sub(r"[\s\-]", "", code or "").upper()


def new_code() -> str:
    """A fresh random booking code, 8 characters (40 bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _parse_slot(day_text: str, time_text: str) -> tuple[date, time]:
    try:
        day = date.fromisoformat(day_text.strip())
    except ValueError:
        raise ValueError(f"date {day_text!r} is not YYYY-MM-DD") from None
    slot = time_text.strip().split("-", 1)[0].strip()  # "09:00-09:30" takes the start
    try:
        return day, time.fromisoformat(slot)
    except ValueError:
        raise ValueError(f"time {time_text!r} is not HH:MM") from None


def add_booking(
    session: Session, service_code: str, day: date, slot: time, *, code: str | None = None, name: str = "",
    source: str = "api",
) -> BookingView:
    """Create one booking; a code given is checked and must be new, else one is generated."""
    venue = lookup.venue(session)
    service = lookup.service(session, service_code)
    if not service.active:
        raise Refused(f"service {service.code} is not offered", reason="inactive")
    if len(name) > 200 or "\x00" in name:
        raise Refused("name must be at most 200 characters, without NUL", reason="invalid")
    if code is None:
        code = new_code()
        while session.scalar(select(Booking.id).where(Booking.code == code)) is not None:
            code = new_code()
    code = normalize_code(code)
    if not CODE_RE.match(code):
        raise Refused("a booking code is 4 to 32 letters and digits", reason="invalid")
    if session.scalar(select(Booking.id).where(Booking.code == code)) is not None:
        raise Refused(f"booking code {code} already exists", reason="duplicate")
    slot_at = datetime.combine(day, slot, ZoneInfo(venue.timezone))
    row = Booking(code=code, service=service, business_date=day, slot_at=lookup.utc(slot_at), name=name.strip(),
                  source=source, status=BookingStatus.PENDING)
    session.add(row)
    session.flush()
    return BookingView.of(row, venue.timezone)


def import_csv(session: Session, path: Path) -> dict[str, int]:
    """Import bookings from a CSV (code, service, date, time, name); all rows or none.

    A row whose code exists with the same service, date and time is skipped, so re-importing a
    file is safe; the same code with other data is an error naming the line.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AntreError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    missing = {"code", "service", "date", "time"} - set(fields)
    if missing:
        raise AntreError(f"{path}: the header needs columns code, service, date, time (and name); "
                         f"missing {', '.join(sorted(missing))}")
    venue = lookup.venue(session)
    problems: list[str] = []
    added = skipped = 0
    seen: dict[str, int] = {}
    batch = session.begin_nested()  # all rows or none, whatever the caller does with its transaction
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            batch.rollback()
            raise AntreError(f"{path}: more than {MAX_ROWS} rows; split the file")
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        code = normalize_code(row.get("code", ""))
        try:
            if code in seen:
                raise ValueError(f"code {code} is used twice (first on line {seen[code]})")
            seen[code] = number
            day, slot = _parse_slot(row.get("date", ""), row.get("time", ""))
            existing = session.scalar(select(Booking).where(Booking.code == code))
            if existing is not None:
                same = (existing.service.code == row.get("service", "").upper() and existing.business_date == day
                        and existing.slot_at == lookup.utc(datetime.combine(day, slot, ZoneInfo(venue.timezone))))
                if not same:
                    raise ValueError(f"code {code} already exists with another service, date or time")
                skipped += 1
                continue
            with session.begin_nested():
                add_booking(session, row.get("service", ""), day, slot, code=code, name=row.get("name", ""),
                            source="csv")
            added += 1
        except (ValueError, AntreError) as exc:
            problems.append(f"{path}:{number}: {exc}")
    if problems:
        batch.rollback()
        shown = problems[:10] + ([f"... and {len(problems) - 10} more"] if len(problems) > 10 else [])
        raise AntreError("; ".join(shown) if len(shown) == 1 else "\n".join(shown))
    batch.commit()
    return {"added": added, "unchanged": skipped}


def find(session: Session, code: str) -> BookingView:
    """A booking by code."""
    row = _row(session, code)
    return BookingView.of(row, lookup.venue(session).timezone)


def _row(session: Session, code: str, *, lock: bool = False) -> Booking:
    stmt = select(Booking).where(Booking.code == normalize_code(code))
    if lock:
        stmt = stmt.with_for_update()  # PostgreSQL: two kiosks redeeming the same code at once
    row = session.scalar(stmt)
    if row is None:
        raise NotFound(f"no booking with code {normalize_code(code)!r}")
    return row


def cancel(session: Session, code: str) -> BookingView:
    """Cancel a booking that was not used yet."""
    row = _row(session, code, lock=True)
    if row.status == BookingStatus.USED:
        raise Refused(f"booking {row.code} was already used", reason="booking_used")
    row.status = BookingStatus.CANCELLED
    return BookingView.of(row, lookup.venue(session).timezone)


def redeem(session: Session, code: str, *, now: datetime | None = None) -> Redeemed:
    """Turn a booking into a ticket at the kiosk, once, queued by the venue's booking rule."""
    now = lookup.utc(now)
    venue = lookup.venue(session)
    try:
        row = _row(session, code, lock=True)
    except NotFound:
        raise Refused(f"no booking with code {normalize_code(code)!r}", reason="booking_unknown") from None
    if row.status == BookingStatus.USED:
        raise Refused(f"booking {row.code} was already used", reason="booking_used")
    if row.status == BookingStatus.CANCELLED:
        raise Refused(f"booking {row.code} was cancelled", reason="booking_cancelled")
    today = lookup.today(session, now)
    if row.business_date < today:
        raise Refused(f"booking {row.code} was for {row.business_date.isoformat()}", reason="booking_expired")
    if row.business_date > today:
        raise Refused(f"booking {row.code} is for {row.business_date.isoformat()}, not today",
                      reason="booking_other_day")
    rules = booking_rules(session)
    slot_local = row.slot_at.astimezone(ZoneInfo(venue.timezone)).strftime("%H:%M")
    if now < row.slot_at - timedelta(minutes=rules.early_minutes):
        raise Refused(f"booking {row.code} is at {slot_local}: too early, come back from "
                      f"{rules.early_minutes} minutes before", reason="booking_early")
    on_time = now <= row.slot_at + timedelta(minutes=rules.grace_minutes)
    if not on_time and rules.late == "refuse":
        raise Refused(f"booking {row.code} was at {slot_local}: more than {rules.grace_minutes} minutes late",
                      reason="booking_expired")
    issued = issue_ticket(session, row.service.code, now=now)
    ticket = lookup.ticket(session, issued.ticket.id)
    if on_time:
        # Joins the queue at its slot time (an early arrival waits behind those booked before it).
        ticket.queued_at = row.slot_at
        ticket.to_front = rules.on_time_ahead
    ticket.note = f"booking {row.code}"
    row.status = BookingStatus.USED
    row.used_at = now
    row.ticket_id = ticket.id
    session.flush()
    ahead, wait = position_of(session, ticket)
    return Redeemed(IssuedTicket(TicketView.of(ticket), ahead, wait), BookingView.of(row, venue.timezone), on_time)


def code_of_scan(text: str, *, bare: bool = False) -> str | None:
    """The booking code in scanned text: ANTRE:B:CODE or an address ending in /b/CODE (a bare code if `bare`)."""
    text = (text or "").strip()
    if text.upper().startswith(SCAN_PREFIX):
        candidate = text[len(SCAN_PREFIX):]
    elif "://" in text:
        head, _, candidate = urlsplit(text).path.rstrip("/").rpartition("/")
        if not head.endswith("/b"):
            return None
    elif bare:
        candidate = text
    else:
        return None
    code = normalize_code(candidate)
    return code if CODE_RE.match(code) else None


def refusal_text(reason: str, lang: str = "id") -> str | None:
    """The citizen-facing sentence for a booking refusal reason, in Indonesian or English."""
    pair = REFUSAL_TEXT.get(reason)
    return None if pair is None else pair[0 if lang == "id" else 1]
