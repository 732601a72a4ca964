"""Re-importing the venue file: a preview of what would change, then the import by an admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lookup
from db.config import VenueConfig, apply_config, parse_config
from db.models import Agency, Counter, Event, EventKind, Operator, Role, Service
from db.supervision import require_role


@dataclass(frozen=True, slots=True)
class Change:
    """One row the import adds, changes or deactivates, with the fields that differ (old, new)."""

    action: str  # add, change, remove
    section: str  # venue, agencies, services, counters, operators
    code: str
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def line(self) -> str:
        """One readable line, e.g. 'change services A: daily_quota 40 -> 60'."""
        detail = "; ".join(f"{f} {old!r} -> {new!r}" for f, old, new in self.fields)
        return f"{self.action} {self.section} {self.code}" + (f": {detail}" if detail else "")


def _diff(facts: dict[str, Any], wanted: dict[str, Any]) -> tuple[tuple[str, Any, Any], ...]:
    return tuple((k, facts.get(k), v) for k, v in wanted.items() if facts.get(k) != v)


def _facts(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(row, n) for n in names}


def preview(session: Session, cfg: VenueConfig) -> list[Change]:
    """What loading `cfg` would change in the database (nothing is written)."""
    changes: list[Change] = []
    v, vs = lookup.venue(session), cfg.venue
    wanted_venue = {"name": vs.name, "address": vs.address, "timezone": vs.timezone, "code_format": vs.code_format,
                    "default_service_minutes": vs.default_service_minutes, "hours": vs.hours}
    if fields := _diff(_facts(v, tuple(wanted_venue)), wanted_venue):
        changes.append(Change("change", "venue", vs.name, fields))
    agency_code = {a.id: a.code for a in session.scalars(select(Agency))}

    def compare(section: str, facts: dict[str, dict[str, Any]], items: list[tuple[str, dict[str, Any]]],
                *, removes: bool = True) -> None:
        for code, wanted in items:
            if code not in facts:
                changes.append(Change("add", section, code))
            elif diff := _diff(facts[code], wanted):
                changes.append(Change("change", section, code, diff))
        listed = {code for code, _ in items}
        changes.extend(Change("remove", section, code) for code, f in facts.items()
                       if removes and code not in listed and f.get("active", True))

    compare("agencies", {a.code: _facts(a, ("name", "name_en", "color", "active"))
                         for a in session.scalars(select(Agency))},
            [(a.code.upper(), {"name": a.name, "name_en": a.name_en, "color": a.color, "active": True})
             for a in cfg.agencies])
    service_fields = ("name", "name_en", "fee", "daily_quota", "completion_minutes", "expected_service_minutes",
                      "target_wait_minutes", "allow_priority", "active", "hours")
    compare("services", {s.code: _facts(s, service_fields) | {"agency": agency_code[s.agency_id]}
                         for s in session.scalars(select(Service))},
            [(s.code.upper(), {f: getattr(s, f) for f in service_fields} | {"agency": s.agency.upper()})
             for s in cfg.services])
    compare("counters", {c.code: _facts(c, ("name", "zone", "active")) | {
                "agency": agency_code.get(c.agency_id), "services": tuple(x.code for x in c.services)}
                for c in session.scalars(select(Counter))},
            [(c.code.upper(), {"name": c.name, "zone": c.zone, "active": c.active,
                               "agency": c.agency.upper() if c.agency else None,
                               "services": tuple(x.upper() for x in c.services)}) for c in cfg.counters])
    # The venue file never deletes an operator (history names them): no removals listed.
    compare("operators", {o.username: {"name": o.display_name, "role": o.role.value, "active": o.active,
                                       "agency": agency_code.get(o.agency_id)}
                          for o in session.scalars(select(Operator))},
            [(o.username.lower(), {"name": o.name, "role": Role(o.role).value, "active": o.active,
                                   "agency": o.agency.upper() if o.agency else None}) for o in cfg.operators],
            removes=False)
    return changes


def preview_file(session: Session, path: Path) -> list[Change]:
    """Validate the venue file and list what loading it would change."""
    return preview(session, parse_config(path))


def reimport(session: Session, actor: str, path: Path, *, now: datetime | None = None) -> list[Change]:
    """Load the venue file as admin `actor`; returns what changed (the config event names the actor)."""
    who = require_role(session, actor, Role.ADMIN)
    cfg = parse_config(path)
    changes = preview(session, cfg)
    apply_config(session, cfg, base=path.parent)
    for obj in session.new:  # apply_config's own event: add who loaded it and what changed
        if isinstance(obj, Event) and obj.kind == EventKind.CONFIG_LOADED:
            obj.detail = {**obj.detail, "by": who.username, "changes": [c.line() for c in changes][:200]}
    return changes
