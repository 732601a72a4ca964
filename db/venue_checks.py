"""Checks on the raw venue file that no single field validator can make: size, nesting, control
characters, limits that hold on SQLite and PostgreSQL alike, the ticket code format at every real
prefix length, and the app sections (each validated by the code that reads it)."""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy import Integer, String

from db.models import Agency, Counter, Operator, Service, Ticket, Venue

MAX_FILE_BYTES = 4 * 1024 * 1024  # the 65-service demo venue is ~80 KB
MAX_DEPTH = 10  # services[3].hours.mon[0][0] is 6 deep
MAX_TEXT = 2000  # any text without a column of its own (a requirement, a ticker, a footer)
MAX_ITEMS = 1000  # entries of one list or table
INT_MAX = 2**31 - 1  # PostgreSQL's integer: what SQLite would store and PostgreSQL refuse

# A section of app settings -> a check returning "key: problem" lines (empty when all is well).
SectionCheck = Callable[[dict[str, Any]], list[str]]

# Numbers with a meaning: a sane range each (the rest only has to fit a PostgreSQL integer).
_RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("services", "fee"): (0, 1_000_000_000),  # rupiah; the dearest MPP fee is a few million
    ("services", "completion_minutes"): (0, 366 * 24 * 60),  # a published standard of up to a year
    ("services", "daily_quota"): (1, 10_000),
    ("services", "expected_service_minutes"): (1, 480),
    ("venue", "default_service_minutes"): (1, 480),
}
_MAX_RATIO = 20  # priority_ratio = [1, 2]: one in 1..20 each
_TABLES = {"venue": Venue, "agencies": Agency, "services": Service, "counters": Counter, "operators": Operator}
_COLUMN_OF = {("operators", "name"): "display_name"}
# Prefixes are 1-3 letters; numbers go past 999 where a service has no quota.
_PREFIXES = ("A", "AB", "ABC")
_NUMBERS = (1, 7, 42, 999, 1000, 99_999)


def _walk(value: Any, loc: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(location, problem) for every value too deep, too long, too big or holding control characters."""
    stack = [(value, loc, depth)]
    while stack:
        value, loc, depth = stack.pop()
        if depth > MAX_DEPTH:
            yield loc, f"nested more than {MAX_DEPTH} levels deep"
            continue
        if isinstance(value, dict):
            if len(value) > MAX_ITEMS:
                yield loc, f"has {len(value)} keys (at most {MAX_ITEMS})"
                continue
            for key, item in value.items():
                where = f"{loc}.{key}" if loc else str(key)
                if _bad_chars(key) or len(key) > 200:
                    yield (loc or "(top)"), f"key {key[:40]!r} is not a plain name"
                    continue
                stack.append((item, where, depth + 1))
        elif isinstance(value, list):
            if len(value) > MAX_ITEMS:
                yield loc, f"has {len(value)} entries (at most {MAX_ITEMS})"
                continue
            stack.extend((item, f"{loc}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            if _bad_chars(value):
                yield loc, "holds a control character (NUL or the like): retype it"
            elif len(value) > MAX_TEXT:
                yield loc, f"is {len(value)} characters long (at most {MAX_TEXT})"
        elif isinstance(value, bool):
            pass
        elif isinstance(value, int):
            if not -INT_MAX <= value <= INT_MAX:
                yield loc, f"{value} is out of range (at most {INT_MAX:,})"
        elif isinstance(value, float) and not math.isfinite(value):
            yield loc, "must be a finite number"


def _bad_chars(text: str) -> bool:
    return any(ord(c) < 32 and c not in "\t\n\r" or ord(c) == 127 for c in text)


def _rows(raw: Mapping[str, Any], section: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    value = raw.get(section)
    if section == "venue":
        if isinstance(value, dict):
            yield "venue", value
    elif isinstance(value, list):
        yield from ((f"{section}[{i}]", row) for i, row in enumerate(value) if isinstance(row, dict))


def _column_limits(raw: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Texts longer than their column and numbers outside their sane range, named by key."""
    for section, model in _TABLES.items():
        columns = model.__table__.c
        for where, row in _rows(raw, section):
            for key, value in row.items():
                if isinstance(value, bool):
                    continue
                low_high = _RANGES.get((section, key))
                if low_high and isinstance(value, int):
                    low, high = low_high
                    if value > high:  # below the low end the field's own validator says it
                        yield f"{where}.{key}", f"must be from {low:,} to {high:,}, not {value:,}"
                    continue
                column = columns.get(_COLUMN_OF.get((section, key), key))
                if column is None:
                    continue
                if isinstance(value, str) and isinstance(column.type, String) and column.type.length:
                    if len(value.strip()) > column.type.length:
                        yield f"{where}.{key}", f"is {len(value)} characters long (at most {column.type.length})"
                elif isinstance(value, int) and isinstance(column.type, Integer) and not 0 <= value <= INT_MAX:
                    yield f"{where}.{key}", f"must be from 0 to {INT_MAX:,}, not {value:,}"
    venue = raw.get("venue")
    ratio = venue.get("priority_ratio") if isinstance(venue, dict) else None
    if isinstance(ratio, list):
        for i, n in enumerate(ratio):
            if isinstance(n, int) and not isinstance(n, bool) and n > _MAX_RATIO:
                yield f"venue.priority_ratio[{i}]", f"must be from 1 to {_MAX_RATIO}, not {n:,}"


def code_format_problem(fmt: str) -> str | None:
    """Why the ticket code format is unusable, tried with every prefix length and large numbers; None if fine."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None]
    except ValueError as exc:
        return f"bad format {fmt!r}: {exc}"
    if odd := [f for f in fields if f not in ("prefix", "number")]:
        return f"bad format {fmt!r}: only {{prefix}} and {{number}} may appear, not {{{odd[0]}}}"
    limit = Ticket.__table__.c.code.type.length
    seen: dict[str, tuple[str, int]] = {}
    for prefix in _PREFIXES:
        for number in _NUMBERS:
            try:
                code = fmt.format(prefix=prefix, number=number)
            except (KeyError, IndexError, ValueError, TypeError) as exc:
                return f"bad format {fmt!r} ({exc}): use {{prefix}} and {{number}}, e.g. '{{prefix}}-{{number:03d}}'"
            if prefix not in code or str(number) not in code:
                return (f"format {fmt!r} must show both {{prefix}} and {{number}} in full (it gives {code!r} for "
                        f"prefix {prefix!r}, number {number}), or two services' tickets print alike")
            if len(code) > limit:
                return f"format {fmt!r} gives {code!r} for {prefix}-{number}: more than {limit} characters"
            if code in seen:
                return f"format {fmt!r} gives {code!r} for two tickets"
            seen[code] = (prefix, number)
    return None


def _counter_services(raw: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """A counter listing one service twice (in any case) would insert the same pair twice."""
    for where, row in _rows(raw, "counters"):
        codes = row.get("services")
        if not isinstance(codes, list):
            continue
        first: dict[str, int] = {}
        for j, code in enumerate(codes):
            if isinstance(code, str):
                key = code.strip().upper()
                if key in first:
                    yield f"{where}.services[{j}]", f"{code!r} is listed twice (first at services[{first[key]}])"
                first.setdefault(key, j)


def shape_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key path, problem) for a file too deep, too long or holding control characters anywhere."""
    return list(_walk(raw, ""))


def limit_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key path, problem) for what the field validators cannot see: column sizes, sane ranges, the
    code format at every prefix length, a service listed twice at one counter. Assumes a sane shape."""
    problems = list(_column_limits(raw))
    venue = raw.get("venue")
    fmt = venue.get("code_format") if isinstance(venue, dict) else None
    if isinstance(fmt, str) and (why := code_format_problem(fmt.strip())):
        problems.append(("venue.code_format", why))
    return problems + list(_counter_services(raw)) + list(_operator_rules(raw))


def _operator_rules(raw: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The engine's one rule set for usernames and initial PINs, reported with the key."""
    from db.errors import Refused
    from db.pins import check_new_pin, check_username

    for where, row in _rows(raw, "operators"):
        for key, check in (("username", check_username), ("pin", lambda pin: check_new_pin(pin, initial=True))):
            if isinstance(row.get(key), str):
                try:
                    check(row[key])
                except Refused as exc:
                    yield f"{where}.{key}", str(exc)


def section_problems(raw: Mapping[str, Any], checks: Mapping[str, SectionCheck]) -> list[tuple[str, str]]:
    """(section.key, problem) from each app section's own validator."""
    problems = []
    for name, check in checks.items():
        section = raw.get(name)
        if section is None:
            continue
        if not isinstance(section, dict):
            problems.append((name, f"must be a table ([{name}])"))
            continue
        for line in check(section):
            key, _, why = line.partition(": ")
            problems.append((f"{name}.{key}", why))
    return problems


def speech_check(section: dict[str, Any]) -> list[str]:
    """The [speech] section, checked by the code that reads it (db.announce)."""
    from db.announce import speech_settings
    from db.errors import ConfigError

    try:
        speech_settings(section)
    except ConfigError as exc:
        return strip_settings_prefix(str(exc), "speech")
    return []


def strip_settings_prefix(message: str, section: str) -> list[str]:
    """Turn the apps' 'venue settings [kiosk].key: problem' lines into 'key: problem'."""
    head = f"venue settings [{section}]."
    return [line.removeprefix(head) for line in message.splitlines() if line.strip()]
