"""Opening hours per weekday, with breaks; the business day in the venue's timezone."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
# {"mon": [["08:00", "12:00"], ["13:00", "15:00"]], ...}; a missing day is closed.
Hours = dict[str, list[list[str]]]


def business_date(now: datetime, tz: str) -> date:
    """The business day that the UTC instant `now` falls on in the venue's timezone."""
    return now.astimezone(ZoneInfo(tz)).date()


def parse_clock(text: str) -> time:
    """'08:00' or '8.00' to a time; raises ValueError with a readable message."""
    cleaned = text.strip().replace(".", ":")
    try:
        hour, minute = cleaned.split(":")
        return time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day like '08:00'") from None


def check_hours(hours: Hours) -> None:
    """Raise ValueError naming the first bad day or interval."""
    for day, spans in hours.items():
        if day not in WEEKDAYS:
            raise ValueError(f"{day!r} is not a weekday (use {', '.join(WEEKDAYS)})")
        previous_end = time(0, 0)
        for span in spans:
            if len(span) != 2:
                raise ValueError(f"{day}: {span!r} must be [open, close]")
            start, end = parse_clock(span[0]), parse_clock(span[1])
            if not start < end:
                raise ValueError(f"{day}: {span[0]}-{span[1]} closes before it opens")
            if start < previous_end:
                raise ValueError(f"{day}: {span[0]}-{span[1]} overlaps the interval before it")
            previous_end = end


def is_open(hours: Hours | None, local: datetime) -> bool:
    """Whether the hours admit the local wall-clock time (no hours means always open)."""
    if hours is None:
        return True
    spans = hours.get(WEEKDAYS[local.weekday()], [])
    now = local.time()
    return any(parse_clock(a) <= now < parse_clock(b) for a, b in spans)


def _fmt(t: str) -> str:
    clock = parse_clock(t)
    return f"{clock.hour:02d}.{clock.minute:02d}"


def describe(hours: Hours | None, lang: str = "id") -> str:
    """A short human summary, e.g. 'Buka Senin-Kamis 08.00-15.00, Jumat 08.00-11.30, 13.00-15.00'."""
    if hours is None:
        return "Buka setiap hari" if lang == "id" else "Open every day"
    names = DAY_NAMES.get(lang, DAY_NAMES["en"])
    groups: list[tuple[int, int, str]] = []
    for index, day in enumerate(WEEKDAYS):
        spans = hours.get(day)
        if not spans:
            continue
        text = ", ".join(f"{_fmt(a)}-{_fmt(b)}" for a, b in spans)
        if groups and groups[-1][1] == index - 1 and groups[-1][2] == text:
            groups[-1] = (groups[-1][0], index, text)
        else:
            groups.append((index, index, text))
    if not groups:
        return "Tutup" if lang == "id" else "Closed"
    parts = [
        f"{names[a]}{'-' + names[b] if b != a else ''} {text}" for a, b, text in groups
    ]
    return ("Buka " if lang == "id" else "Open ") + "; ".join(parts)
