"""The venue file's [counter] section: validated here, every key optional with a sane default."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class CounterSettings:
    # After this many recalls the console suggests marking the ticket a no-show.
    recall_suggest_noshow: int = 3
    # Waiting longer than this (minutes) is shown in the warning colour in the waiting list.
    long_wait_minutes: int = 30
    # UI language of the console: "id" (Bahasa Indonesia) or "en".
    language: str = "id"


_RANGES = {"recall_suggest_noshow": (1, 20), "long_wait_minutes": (1, 600)}


def parse_settings(section: dict[str, Any]) -> tuple[CounterSettings, list[str]]:
    """Settings from the section, and one line per problem; a bad key keeps its default."""
    known = {f.name for f in fields(CounterSettings)}
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in section.items():
        where = f"venue settings [counter].{key}"
        if key not in known:
            problems.append(f"{where}: unknown key (known: {', '.join(sorted(known))})")
        elif key == "language":
            if value in ("id", "en"):
                values[key] = value
            else:
                problems.append(f"{where}: must be \"id\" or \"en\", not {value!r}")
        else:
            low, high = _RANGES[key]
            if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                values[key] = value
            else:
                problems.append(f"{where}: must be a whole number from {low} to {high}, not {value!r}")
    return CounterSettings(**values), problems
