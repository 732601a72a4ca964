"""The printed ticket: what it says (read from the database) and its lines, for any printer backend.

One layout (lines with size, weight, alignment; a QR code; a cut) is rendered by the kiosk's
ESC/POS backend and its PNG renderer, so the paper, the screen preview and the tests agree.
Sizes are ESC/POS character magnifications (1-8) over the printer's base font.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from db import lookup
from db.catalog import service_zones
from db.fees import fee_headline, fee_label, fee_note
from db.priority import category_label
from db.stats import position_of
from db.tokens import ticket_url
from db.views import TicketView

Align = Literal["left", "center", "right"]
QR_PREFIX = "ANTRE"
_QR_RE = re.compile(rf"^\s*{QR_PREFIX}:(\d{{1,12}}):([A-Za-z0-9_-]{{1,20}})\s*$", re.IGNORECASE)

DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
_TEXT = {
    "number": ("NOMOR ANTREAN", "QUEUE NUMBER"),
    "priority": ("PRIORITAS", "PRIORITY"),
    "ahead": ("Di depan Anda", "People ahead"),
    "people": ("orang", "people"),
    "wait": ("Perkiraan tunggu", "Estimated wait"),
    "minutes": ("menit", "min"),
    "no_estimate": ("belum ada loket buka", "no counter open yet"),
    "requirements": ("Persyaratan:", "Requirements:"),
    "more": ("persyaratan lain di layar anjungan", "more on the kiosk screen"),
    "where": ("Lokasi loket", "Counters at"),
    "keep": ("Simpan tiket ini.", "Keep this ticket."),
    "missed": ("Terlewat panggilan? Pindai kode QR di anjungan antrean.",
               "Missed your call? Scan the QR code at the queue kiosk."),
}


def say(key: str, lang: str) -> str:
    """One ticket phrase in Bahasa Indonesia ('id') or English."""
    pair = _TEXT[key]
    return pair[1] if lang == "en" else pair[0]


def priority_label(category: str | None, lang: str, settings: dict | None = None) -> str:
    """Readable name of a priority category ('lansia' -> 'Lansia' / 'Elderly'), from the venue's list."""
    return category_label(category, lang, settings)


def long_date(moment: datetime, lang: str) -> str:
    """'Senin, 23 November 2026' / 'Monday, 23 November 2026' (no locale needed)."""
    names = DAYS["en" if lang == "en" else "id"]
    months = MONTHS["en" if lang == "en" else "id"]
    return f"{names[moment.weekday()]}, {moment.day} {months[moment.month - 1]} {moment.year}"


def qr_payload(ticket_id: int, code: str) -> str:
    """What the ticket's QR code holds; the kiosk's scanner reads it back with parse_qr."""
    return f"{QR_PREFIX}:{ticket_id}:{code}"


def parse_qr(text: str) -> tuple[int, str] | None:
    """(ticket id, code) from a scanned QR text, or None when it is not an Antre ticket."""
    match = _QR_RE.match(text or "")
    if match is None:
        return None
    return int(match.group(1)), match.group(2).upper()


@dataclass(frozen=True, slots=True)
class TicketContent:
    """Everything a ticket shows, in both languages; a frozen snapshot taken at issue time."""

    ticket: TicketView
    venue: str
    address: str
    timezone: str
    agency: str
    agency_en: str
    requirements: tuple[str, ...]
    requirements_en: tuple[str, ...]
    ahead: int
    estimated_wait_minutes: int | None
    footer: str
    fee_kind: str = "free"
    fee: int = 0
    fee_note: str = ""
    fee_note_en: str = ""
    zones: tuple[str, ...] = ()
    priority_name: str = ""
    priority_name_en: str = ""
    qr_text: str = ""

    @property
    def qr(self) -> str:
        """What the QR code holds: the signed ticket address (db.tokens), else the older id:code text."""
        return self.qr_text or qr_payload(self.ticket.id, self.ticket.code)

    @property
    def local_issued_at(self) -> datetime:
        return self.ticket.issued_at.astimezone(ZoneInfo(self.timezone))

    def service_name(self, lang: str) -> str:
        return self.ticket.service_name_en if lang == "en" else self.ticket.service_name

    def agency_name(self, lang: str) -> str:
        return self.agency_en if lang == "en" else self.agency

    def priority_name_in(self, lang: str) -> str:
        return (self.priority_name_en or self.priority_name) if lang == "en" else self.priority_name

    def fee_text(self, lang: str) -> str:
        """'Biaya: Rp350.000' / 'Biaya: Gratis' / 'Biaya: Sesuai tagihan'."""
        return f"{fee_label(lang)}: {fee_headline(self.fee_kind, self.fee, lang)}"

    def fee_note_in(self, lang: str) -> str:
        return fee_note(self.fee_note, self.fee_note_en, lang)

    def where_text(self, lang: str) -> str:
        """'Lokasi loket: Lantai 2' (empty when the counters have no zone)."""
        return f"{say('where', lang)}: {', '.join(self.zones)}" if self.zones else ""


def ticket_content(
    session: Session, ticket_id: int, *, ahead: int | None = None, wait: int | None = None
) -> TicketContent:
    """The content of a ticket by id; people ahead and wait are computed now unless given."""
    row = lookup.ticket(session, ticket_id)
    venue = lookup.venue(session)
    if ahead is None:
        ahead, wait = position_of(session, row)
    service, agency = row.service, row.service.agency
    settings = venue.settings or {}
    return TicketContent(
        ticket=TicketView.of(row),
        venue=venue.name,
        address=venue.address,
        timezone=venue.timezone,
        agency=agency.name,
        agency_en=agency.name_en or agency.name,
        requirements=tuple(service.requirements or ()),
        requirements_en=tuple(service.requirements_en or service.requirements or ()),
        ahead=ahead,
        estimated_wait_minutes=wait,
        footer=str(settings.get("ticket_footer", "") or ""),
        fee_kind=service.fee_kind, fee=service.fee, fee_note=service.fee_note, fee_note_en=service.fee_note_en,
        zones=service_zones(service),
        priority_name=category_label(row.priority_category, "id", settings) if row.priority else "",
        priority_name_en=category_label(row.priority_category, "en", settings) if row.priority else "",
        qr_text=ticket_url(session, row.id),
    )


def ticket_content_by_code(session: Session, code: str, *, now: datetime | None = None) -> TicketContent:
    """The content of today's ticket with this code (the latest, when a transfer shares it)."""
    now = lookup.utc(now)
    row = lookup.ticket_by_code(session, code, lookup.today(session, now))
    return ticket_content(session, row.id)


# --- layout elements -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    size: int = 1  # magnification of the base font, 1-8
    bold: bool = False
    align: Align = "left"
    invert: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A separator line across the paper."""


@dataclass(frozen=True, slots=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Qr:
    data: str
    module: int = 6  # dot size of one QR module (ESC/POS 1-16)


@dataclass(frozen=True, slots=True)
class Cut:
    """Feed and cut the paper."""


Element = Text | Rule | Feed | Qr | Cut


def _wrap(text: str, width: int, *, first: str = "", rest: str = "", **style: object) -> list[Text]:
    # Words are never cut: a word longer than the line stays whole on its own line, and the
    # renderers shrink that one line to fit the paper.
    lines = textwrap.wrap(text, max(width, 4), initial_indent=first, subsequent_indent=rest,
                          break_long_words=False, break_on_hyphens=False) or [""]
    return [Text(line, **style) for line in lines]  # type: ignore[arg-type]


def _fit_size(text: str, columns: int, wanted: int) -> int:
    size = wanted
    while size > 1 and len(text) * size > columns:
        size -= 1
    return size


def ticket_layout(
    content: TicketContent, lang: str = "id", *, columns: int = 42, max_requirements: int = 5
) -> tuple[Element, ...]:
    """The ticket's lines for a paper `columns` characters wide (font A at size 1)."""
    t = content.ticket
    out: list[Element] = []
    out += _wrap(content.venue, columns // 2, size=2, bold=True, align="center")
    if content.address:
        out += _wrap(content.address, columns, align="center")
    out.append(Rule())
    out += _wrap(content.agency_name(lang), columns, bold=True, align="center")
    out += _wrap(content.service_name(lang), columns, align="center")
    if where := content.where_text(lang):
        out += _wrap(where, columns, bold=True, align="center")
    out.append(Feed())
    out.append(Text(say("number", lang), align="center"))
    out.append(Text(t.code, size=_fit_size(t.code, columns, 4), bold=True, align="center"))
    if t.priority:
        label = say("priority", lang)
        if name := content.priority_name_in(lang) or priority_label(t.priority_category, lang):
            label += " - " + name.upper()
        out += _wrap(label, columns, bold=True, align="center", invert=True)
    out.append(Feed())
    local = content.local_issued_at
    out.append(Text(f"{long_date(local, lang)}  {local:%H.%M}", align="center"))
    out.append(Text(f"{say('ahead', lang)}: {content.ahead} {say('people', lang)}", bold=True, align="center"))
    wait = content.estimated_wait_minutes
    wait_text = f"{wait} {say('minutes', lang)}" if wait is not None else say("no_estimate", lang)
    out.append(Text(f"{say('wait', lang)}: {wait_text}", align="center"))
    out.append(Rule())
    out += _wrap(content.fee_text(lang), columns, bold=True)
    if note := content.fee_note_in(lang):
        out += _wrap(note, columns, first="  ", rest="  ")
    requirements = content.requirements_en if lang == "en" else content.requirements
    if requirements and max_requirements > 0:
        out.append(Text(say("requirements", lang), bold=True))
        for item in requirements[:max_requirements]:
            out += _wrap(item, columns, first="- ", rest="  ")
        if len(requirements) > max_requirements:
            out += _wrap(f"+{len(requirements) - max_requirements} {say('more', lang)}", columns, first="  ",
                         rest="  ")
    out.append(Rule())
    out.append(Qr(content.qr))
    footer = content.footer.strip()
    keep = say("keep", lang)
    # The venue's footer often says "keep this ticket" itself: say it once.
    said = any(footer.lower().startswith(k.lower().rstrip(".")) for k in _TEXT["keep"])
    lines = [say("missed", lang)] if said else [keep, say("missed", lang)]
    for line in lines:
        out += _wrap(line, columns, align="center")
    if footer and footer not in lines:
        out += _wrap(footer, columns, align="center")
    out.append(Cut())
    return tuple(out)
