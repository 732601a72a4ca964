"""The venue's [display] section, validated with defaults (the demo venue sets none of it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from db.errors import ConfigError


@dataclass(frozen=True, slots=True)
class DisplaySettings:
    """How the lobby display looks and behaves."""

    last_calls: int = 5  # earlier calls listed under "now calling"
    highlight_seconds: float = 8.0  # the new call blinks this long
    media_folder: str = ""  # images (and videos where Qt Multimedia plays them) for the media area
    media_seconds: float = 10.0  # per image
    ticker: str = ""  # running text; empty: the venue's ticker
    ticker_speed: float = 110.0  # pixels per second at 1080 lines (scaled with the screen)
    ticker_fps: int = 0  # 0: 30 frames a second, 20 on screens over 1200 lines (a 4K strip costs 4x to move)
    english: bool = True  # English subtitles under the Indonesian labels
    zones: tuple[str, ...] = ()  # default filters; --zone / --agency override
    agencies: tuple[str, ...] = ()
    offline_after_seconds: float = 5.0  # no answer from the database this long: show "offline"
    title: str = ""  # heading instead of the venue name
    tv_inches: float = 55.0  # the TV's diagonal: with its resolution, the size of a pixel
    viewing_distance_m: float = 10.0  # the farthest seat: letters 4 mm (calls) / 2.5 mm (else) a metre of it
    page_seconds: float = 8.0  # counters and waiting figures that need more than one page turn this often


@dataclass(frozen=True, slots=True)
class Filter:
    """What one TV shows: counters of some zones and/or agencies (empty: everything)."""

    zones: frozenset[str] = field(default_factory=frozenset)
    agencies: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, zones: Any = (), agencies: Any = ()) -> Filter:
        return cls(frozenset(z.strip().casefold() for z in zones if z.strip()),
                   frozenset(a.strip().upper() for a in agencies if a.strip()))

    def __bool__(self) -> bool:
        return bool(self.zones or self.agencies)

    def describe(self) -> str:
        """'Lantai 1 · DUKCAPIL' for the header."""
        return " · ".join([*sorted(z.title() for z in self.zones), *sorted(self.agencies)])


def _problem(key: str, message: str) -> ConfigError:
    return ConfigError(f"venue settings [display].{key}: {message}")


_NUMBERS = {  # key: (type, low, high)
    "last_calls": (int, 0, 20), "highlight_seconds": (float, 0.0, 60.0), "media_seconds": (float, 2.0, 600.0),
    "ticker_speed": (float, 10.0, 1000.0), "ticker_fps": (int, 0, 60),
    "offline_after_seconds": (float, 1.0, 120.0), "tv_inches": (float, 15.0, 150.0),
    "viewing_distance_m": (float, 1.0, 40.0), "page_seconds": (float, 3.0, 120.0),
}


def display_settings(section: Mapping[str, Any] | None) -> DisplaySettings:
    """Validate the [display] section; a problem raises ConfigError naming the key."""
    raw = dict(section or {})
    known = DisplaySettings.__dataclass_fields__
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise _problem(key, f"unknown key (known: {', '.join(sorted(known))})")
        if key in _NUMBERS:
            kind, low, high = _NUMBERS[key]
            ok = isinstance(value, int | float) and not isinstance(value, bool) and (kind is float or
                                                                                 isinstance(value, int))
            if not ok or not low <= value <= high:
                raise _problem(key, f"must be a {'whole ' if kind is int else ''}number from {low:g} to {high:g}")
            values[key] = kind(value)
        elif key == "english":
            if not isinstance(value, bool):
                raise _problem(key, "must be true or false")
            values[key] = value
        elif key in ("zones", "agencies"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _problem(key, "must be a list of texts, e.g. [\"Lantai 1\"]")
            values[key] = tuple(value)
        else:
            if not isinstance(value, str):
                raise _problem(key, "must be a text")
            values[key] = value
    return DisplaySettings(**values)
