"""The app sections of the venue file, each checked by the app that reads it, so `antre init` refuses
a bad [kiosk], [printer], [display] or [counter] before any app starts. Only the apps' settings
modules are imported (plain pydantic and dataclasses): no Qt is loaded."""

from __future__ import annotations

from typing import Any

from db.errors import ConfigError
from db.venue_checks import SectionCheck, strip_settings_prefix


def _kiosk(section: dict[str, Any]) -> list[str]:
    from kiosk.settings import kiosk_settings

    try:
        kiosk_settings(kiosk=section)
    except ConfigError as exc:
        return strip_settings_prefix(str(exc), "kiosk")
    return []


def _printer(section: dict[str, Any]) -> list[str]:
    from kiosk.settings import kiosk_settings

    try:
        kiosk_settings(printer=section)
    except ConfigError as exc:
        return strip_settings_prefix(str(exc), "printer")
    return []


def _display(section: dict[str, Any]) -> list[str]:
    from display.settings import display_settings

    try:
        display_settings(section)
    except ConfigError as exc:
        return strip_settings_prefix(str(exc), "display")
    return []


def _counter(section: dict[str, Any]) -> list[str]:
    from counter.settings import parse_settings

    return [line for problem in parse_settings(section)[1] for line in strip_settings_prefix(problem, "counter")]


def app_section_checks() -> dict[str, SectionCheck]:
    """Section name -> check returning 'key: problem' lines."""
    return {"kiosk": _kiosk, "printer": _printer, "display": _display, "counter": _counter}
