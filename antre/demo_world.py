"""The demo's citizens and officers: tickets taken and served through the real engine, in real time.

The clock is the real one; only the pace is quickened (services that take minutes take seconds),
so every app shows and announces exactly what it would on a busy morning.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from db import AntreError, QueueEmpty, unit_of_work
from db.catalog import agencies
from db.operators import open_counter
from db.views import IssuedTicket


@dataclass
class Officer:
    """One simulated officer at a counter: call, wait for the citizen, serve, finish."""

    counter: str
    state: str = "idle"
    until: float = 0.0
    recalls: int = 0
    shows_up: bool = True
    service_minutes: float = 8.0


@dataclass
class DemoWorld:
    sessions: sessionmaker[Session]
    counters: list[str]
    services: list[str]
    speed: float = 30.0
    arrivals_per_minute: float = 12.0
    seed: int = 7
    on_issue: Callable[[IssuedTicket], None] | None = None
    officers: list[Officer] = field(default_factory=list)
    issued: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.officers = [Officer(c) for c in self.counters]
        self.minutes = self._service_minutes()
        for officer in self.officers:
            self._do(open_counter, officer.counter)

    def _service_minutes(self) -> dict[str, float]:
        with self.sessions() as s:
            from db.lookup import service

            return {code: float(service(s, code).expected_service_minutes or 8) for code in self.services}

    def _do(self, func: Callable, *args: object, **kw: object) -> object:
        with unit_of_work(self.sessions) as s:
            return func(s, *args, **kw)

    def arrive(self) -> None:
        """One citizen takes a ticket for one of the demo's services."""
        from db.queue import issue_ticket

        service = self.rng.choice(self.services)
        priority = self.rng.random() < 0.08
        try:
            issued = self._do(issue_ticket, service, priority=priority, priority_category="lansia" if priority else None)
        except AntreError:
            return
        if isinstance(issued, IssuedTicket):
            self.issued += 1
            if self.on_issue:
                self.on_issue(issued)

    def open_doors(self, crowd: int) -> None:
        """The citizens who waited outside before opening all take their tickets at once."""
        for _ in range(crowd):
            self.arrive()

    def step(self, now: float) -> None:
        """Advance the world to monotonic time `now`: arrivals, then each officer's next move."""
        if self.rng.random() < self.arrivals_per_minute / 60 * self._dt:
            self.arrive()
        for officer in self.officers:
            if now >= officer.until:
                self._act(officer, now)

    _dt = 0.2

    def _act(self, o: Officer, now: float) -> None:
        from db.queue import call_next, finish, no_show, recall, start_serving

        try:
            if o.state == "idle":
                ticket = self._do(call_next, o.counter)
                o.state, o.recalls = "called", 0
                o.shows_up = self.rng.random() > 0.06
                o.until = now + self.rng.uniform(4, 8)
                o.service_minutes = self.minutes.get(ticket.service, 8.0)  # type: ignore[attr-defined]
            elif o.state == "called" and o.shows_up:
                self._do(start_serving, o.counter)
                serve = self.rng.lognormvariate(0, 0.4) * o.service_minutes * 60 / self.speed
                o.state, o.until = "serving", now + max(serve, 3)
            elif o.state == "called" and o.recalls < 1:
                self._do(recall, o.counter)
                o.recalls += 1
                o.until = now + 6
            elif o.state == "called":
                self._do(no_show, o.counter)
                o.state, o.until = "idle", now + self.rng.uniform(1, 3)
            elif o.state == "serving":
                self._do(finish, o.counter)
                o.state, o.until = "idle", now + self.rng.uniform(1, 3)
        except QueueEmpty:
            o.state, o.until = "idle", now + 2
        except AntreError:
            # A console at the same counter acted first (or the database hiccuped): carry on from
            # whatever the counter really holds now.
            o.state, o.until = self._counter_state(o.counter), now + 2

    def _counter_state(self, counter: str) -> str:
        from db.stats import counter_views

        try:
            with unit_of_work(self.sessions) as s:
                view = next((c for c in counter_views(s) if c.code == counter), None)
        except AntreError:
            return "idle"
        held = view.ticket.status if view and view.ticket else None
        return held if held in ("called", "serving") else "idle"

    def run(self, seconds: float, *, stop: Callable[[], bool] = lambda: False) -> None:
        """Play the world for `seconds` of real time."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not stop():
            self.step(time.monotonic())
            time.sleep(self._dt)


def demo_services(sessions: sessionmaker[Session], counters: list[str]) -> list[str]:
    """The services the demo's counters serve (so every ticket taken gets called)."""
    from db.stats import counter_views

    with sessions() as s:
        views = {c.code: c for c in counter_views(s)}
        offered = {sv.code for a in agencies(s) for sv in a.services}
    return sorted({code for c in counters for code in views[c].services if code in offered})
