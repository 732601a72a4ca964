"""What the console shows and may do, without Qt: snapshots read in one go, and the action table.

Every console action is exactly one engine call, run by the worker inside one unit of work,
so a failure (database gone, rule refused) leaves nothing half-done.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from db import catalog, moves, operators, priority, queue, stats
from db.errors import NotFound
from db.events import Cursor, event_cursor
from db.stats import DayFigures
from db.views import CounterView, TicketView

CALLED, SERVING = "called", "serving"


class Action(enum.StrEnum):
    NEXT = "next"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    HOLD = "hold"
    RESUME = "resume"
    BREAK = "break"
    OPEN = "open"
    CALL = "call"  # a specific ticket picked from the list (late arrival or parked)


ENGINE: dict[Action, Callable[..., Any]] = {
    Action.NEXT: lambda s, c: queue.call_next(s, c),
    Action.RECALL: lambda s, c: queue.recall(s, c),
    Action.START: lambda s, c: queue.start_serving(s, c),
    Action.FINISH: lambda s, c: queue.finish(s, c),
    Action.NO_SHOW: lambda s, c: queue.no_show(s, c),
    Action.TRANSFER: lambda s, c, service, note="": moves.transfer(s, c, service, note=note),
    Action.HOLD: lambda s, c: moves.hold(s, c),
    Action.RESUME: lambda s, c, code=None: moves.resume(s, c, code),
    Action.BREAK: lambda s, c: operators.close_counter(s, c),
    Action.OPEN: lambda s, c: operators.open_counter(s, c),
    Action.CALL: lambda s, c, code: queue.call_ticket(s, c, code),
}


def run_action(session: Session, counter: str, action: Action, **kwargs: Any) -> Any:
    """Run one console action as its single engine call."""
    return ENGINE[action](session, counter, **kwargs)


@dataclass(frozen=True, slots=True)
class CounterChoice:
    code: str
    name: str
    agency: str | None
    operator: str | None


@dataclass(frozen=True, slots=True)
class ServiceChoice:
    code: str
    name: str
    name_en: str
    agency: str
    agency_name: str


@dataclass(frozen=True, slots=True)
class Setup:
    """What changes only with the venue file: names, counters to sign in at, services to transfer to."""

    venue_name: str
    timezone: str
    section: dict[str, Any]
    counters: tuple[CounterChoice, ...]
    services: tuple[ServiceChoice, ...]
    # Priority categories as the venue names them: code -> (Indonesian, English).
    categories: tuple[tuple[str, str, str], ...] = ()

    def category(self, code: str | None, lang: str) -> str:
        """A ticket's priority category as people say it ('ibu_hamil' -> 'Ibu hamil')."""
        if not code:
            return ""
        for c, name, name_en in self.categories:
            if c == code:
                return name_en or name if lang == "en" else name
        return code.replace("_", " ").capitalize()


def load_setup(session: Session) -> Setup:
    """The venue, its counters and its services, read once per configuration."""
    venue = catalog.venue_view(session)
    counters = tuple(CounterChoice(c.code, c.name, c.agency, c.operator) for c in stats.counter_views(session))
    services = tuple(
        ServiceChoice(s.code, s.name, s.name_en, a.code, a.name)
        for a in catalog.agencies(session)
        for s in a.services
    )
    cats = tuple((c.code, c.name, c.name_en) for c in priority.categories(venue.settings))
    return Setup(venue.name, venue.timezone, venue.section("counter"), counters, services, cats)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One consistent read of everything the console's main screen shows."""

    counter: CounterView
    waiting: tuple[TicketView, ...]
    parked: tuple[TicketView, ...]
    counter_day: DayFigures
    officer_day: DayFigures
    event_id: Cursor = Cursor()  # the log position this read already reflects

    @property
    def ticket(self) -> TicketView | None:
        return self.counter.ticket

    def with_ticket(self, ticket: TicketView | None) -> Snapshot:
        """The snapshot as it will be once the action that returned `ticket` is re-read."""
        waiting = tuple(t for t in self.waiting if ticket is None or t.id != ticket.id)
        parked = tuple(t for t in self.parked if ticket is None or t.id != ticket.id)
        is_open = self.counter.is_open or (ticket is not None and ticket.status == CALLED)
        counter = replace(self.counter, ticket=ticket, is_open=is_open)
        return replace(self, counter=counter, waiting=waiting, parked=parked)


def load_snapshot(session: Session, counter_code: str, operator: str | None, *,
                  now: datetime | None = None) -> Snapshot:
    """The counter, its ticket in hand, the tickets waiting for it, its parked ones and today's figures."""
    seen = event_cursor(session)  # read first: whatever commits later is not claimed as seen
    view = next((c for c in stats.counter_views(session) if c.code == counter_code.upper()), None)
    if view is None:
        raise NotFound(f"unknown counter {counter_code!r}")
    queue_rows = stats.waiting_for_counter(session, counter_code, now=now)
    return Snapshot(
        counter=view,
        waiting=tuple(t for t in queue_rows if t.status == "waiting"),
        parked=tuple(t for t in queue_rows if t.status == "held"),
        counter_day=stats.day_figures(session, counter_code, now=now),
        officer_day=stats.day_figures(session, counter_code, operator=operator, now=now),
        event_id=seen,
    )


def allowed(snapshot: Snapshot | None, *, selected: str | None = None) -> frozenset[Action]:
    """The actions that make sense in this state (the engine still checks every rule)."""
    if snapshot is None:
        return frozenset()
    ticket = snapshot.ticket
    if ticket is None:
        result = {Action.NEXT}
        result.add(Action.BREAK if snapshot.counter.is_open else Action.OPEN)
        if snapshot.parked:
            result.add(Action.RESUME)
        if selected is not None:
            result.add(Action.CALL)
        return frozenset(result)
    if ticket.status == CALLED:
        return frozenset({Action.RECALL, Action.START, Action.FINISH, Action.NO_SHOW, Action.TRANSFER})
    if ticket.status == SERVING:
        return frozenset({Action.FINISH, Action.TRANSFER, Action.HOLD})
    return frozenset()


def suggest_no_show(ticket: TicketView | None, after_recalls: int) -> bool:
    """Whether the citizen has been recalled often enough that no-show is the likely answer."""
    return ticket is not None and ticket.status == CALLED and ticket.recall_count >= after_recalls
