"""What the lobby display reads, as ops for the DB worker: engine views, narrowed to this TV's filter.

These run on the worker thread and only call engine read functions; the filter (zones,
agencies) decides what one TV shows, never a queue rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.catalog import AgencyView, CallView, VenueView, agencies, calls, venue_view
from db.events import EventView
from db.models import EventKind
from db.stats import counter_views, service_queues
from db.views import CounterView, ServiceQueue
from display.settings import Filter

CALL_KINDS = (EventKind.CALLED.value, EventKind.RECALLED.value)


@dataclass(frozen=True, slots=True)
class Catalog:
    """The venue and its agencies: reloaded only on start, reconnection and config changes."""

    venue: VenueView
    agencies: dict[str, AgencyView]

    def service_agency(self) -> dict[str, str]:
        return {s.code: a.code for a in self.agencies.values() for s in a.services}


@dataclass(frozen=True, slots=True)
class CallsUpdate:
    """New calls (oldest first) with the state they leave behind: counters and the latest calls."""

    new: tuple[CallView, ...]
    recent: tuple[CallView, ...]  # newest first, one per ticket
    counters: tuple[CounterView, ...]


@dataclass(frozen=True, slots=True)
class FullLoad:
    catalog: Catalog
    calls: CallsUpdate
    queues: tuple[ServiceQueue, ...]


def counter_shown(c: CounterView, f: Filter, service_agency: dict[str, str]) -> bool:
    """Whether this TV shows the counter."""
    if f.zones and c.zone.casefold() not in f.zones:
        return False
    if f.agencies:
        owners = {c.agency} if c.agency else {service_agency.get(s) for s in c.services}
        return bool(owners & f.agencies)
    return True


def call_shown(call: CallView, f: Filter) -> bool:
    """Whether this TV shows (and announces) the call."""
    if f.zones and call.zone.casefold() not in f.zones:
        return False
    return not f.agencies or call.agency in f.agencies


def _counters(session: Session, f: Filter, service_agency: dict[str, str]) -> tuple[CounterView, ...]:
    return tuple(c for c in counter_views(session) if counter_shown(c, f, service_agency))


def _recent(session: Session, f: Filter, count: int) -> tuple[CallView, ...]:
    # A recall repeats a call: list each ticket once, at its latest call.
    wanted = count + 1
    rows = calls(session, limit=max(40, wanted * (8 if f else 3)))
    out: list[CallView] = []
    seen: set[int] = set()
    for call in rows:
        if call.ticket_id not in seen and call_shown(call, f):
            seen.add(call.ticket_id)
            out.append(call)
            if len(out) == wanted:
                break
    return tuple(out)


def new_call_ids(events: Iterable[EventView]) -> list[int]:
    """Event ids of the calls and recalls in a batch."""
    return [e.id for e in events if e.kind in CALL_KINDS]


def load_catalog(session: Session) -> Catalog:
    """The venue and its agencies."""
    return Catalog(venue_view(session), {a.code: a for a in agencies(session)})


def load_calls(session: Session, f: Filter, service_agency: dict[str, str], event_ids: list[int],
               last_calls: int) -> CallsUpdate:
    """The calls among `event_ids` that this TV shows, plus its counters and latest calls."""
    new = calls(session, event_ids) if event_ids else []
    return CallsUpdate(
        new=tuple(sorted((c for c in new if call_shown(c, f)), key=lambda c: c.event_id)),
        recent=_recent(session, f, last_calls),
        counters=_counters(session, f, service_agency),
    )


def load_queues(session: Session, f: Filter, service_agency: dict[str, str]) -> tuple[ServiceQueue, ...]:
    """Waiting figures of the services this TV's counters serve."""
    queues = service_queues(session)
    if not f:
        return tuple(queues)
    served = {s for c in _counters(session, f, service_agency) for s in c.services}
    return tuple(q for q in queues if q.code in served and (not f.agencies or q.agency in f.agencies))


def load_all(session: Session, f: Filter, last_calls: int) -> FullLoad:
    """Everything the screen shows, for a start, a reconnection or a new venue config."""
    catalog = load_catalog(session)
    owners = catalog.service_agency()
    return FullLoad(catalog, load_calls(session, f, owners, [], last_calls), load_queues(session, f, owners))
