"""Capacity planning: a day of arrivals and services played through the real engine on a simulated clock.

"What if Dukcapil opens two more counters?" — the same rules that run the building (priority
ratio, quotas, opening hours) decide who is called when, so the waits it reports are the ones
the building would see under those arrivals and service times.
"""

from __future__ import annotations

import heapq
import math
import random
import statistics
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.config import VenueConfig, apply_config
from db.database import open_database, unit_of_work
from db.errors import QueueEmpty, Refused
from db.hours import WEEKDAYS, parse_clock
from db.models import Ticket, TicketStatus

# Relative arrivals per hour of the day: the morning rush, a lull at noon, a tail before closing.
HOURLY_PROFILE = {7: 0.05, 8: 0.15, 9: 0.19, 10: 0.17, 11: 0.13, 12: 0.08, 13: 0.11, 14: 0.10, 15: 0.07,
                  16: 0.04, 17: 0.02}


@dataclass(frozen=True, slots=True)
class Scenario:
    """What to simulate: the venue, the day, how many citizens come and how many counters open."""

    config: VenueConfig
    day: date
    arrivals: int = 1000
    service_arrivals: dict[str, int] = field(default_factory=dict)
    extra_counters: dict[str, int] = field(default_factory=dict)
    priority_share: float = 0.08
    seed: int = 1


@dataclass(frozen=True, slots=True)
class ServiceResult:
    code: str
    name: str
    served: int
    refused: int
    wait_p50: float
    wait_p90: float
    wait_max: float


@dataclass(frozen=True, slots=True)
class SimulationResult:
    tickets: int
    refused: int
    services: tuple[ServiceResult, ...]
    busiest_hour: int
    busiest_hour_arrivals: int
    worst_wait_hour: int
    worst_wait_hour_p90: float
    last_finish: str


def _with_extra_counters(cfg: VenueConfig, extra: dict[str, int]) -> VenueConfig:
    counters = list(cfg.counters)
    for agency, count in extra.items():
        models = [c for c in cfg.counters if (c.agency or "").upper() == agency.upper()]
        if not models:
            raise Refused(f"agency {agency!r} has no counter to copy", reason="unknown")
        for i in range(count):
            model = models[i % len(models)]
            counters.append(model.model_copy(update={"code": f"X{agency[:6].upper()}{i + 1}",
                                                     "name": f"{model.name} +{i + 1}"}))
    return cfg.model_copy(update={"counters": counters})


def _arrival_times(scenario: Scenario, rng: random.Random, tz: ZoneInfo) -> list[tuple[datetime, str, bool]]:
    cfg = scenario.config
    # Each counter draws an equal share of the day's citizens, split over the services it serves:
    # a building staffs its counters roughly to demand.
    weights: dict[str, float] = defaultdict(float)
    active = [c for c in cfg.counters if c.active]
    for c in active:
        for code in c.services:
            weights[code.upper()] += 1 / len(c.services)
    total = sum(weights.values()) or 1
    per_service = {code: scenario.service_arrivals.get(code, round(scenario.arrivals * w / total))
                   for code, w in weights.items()}
    # Citizens come while the building is open, more of them in the busy hours.
    hours = cfg.venue.hours
    spans = [["08:00", "15:00"]] if hours is None else hours.get(WEEKDAYS[scenario.day.weekday()], [])
    minutes: list[datetime] = []
    for start, end in spans:
        at = datetime.combine(scenario.day, parse_clock(start), tz)
        while at < datetime.combine(scenario.day, parse_clock(end), tz):
            minutes.append(at)
            at += timedelta(minutes=1)
    if not minutes:
        raise Refused(f"the venue is closed on {scenario.day:%A %d-%m-%Y}", reason="closed")
    weights = [HOURLY_PROFILE.get(m.hour, 0.01) for m in minutes]
    arrivals = []
    for code, count in sorted(per_service.items()):
        for at in rng.choices(minutes, weights, k=count):
            arrivals.append((at + timedelta(seconds=rng.uniform(0, 60)), code, rng.random() < scenario.priority_share))
    return sorted(arrivals)


def _service_minutes(cfg: VenueConfig) -> dict[str, float]:
    return {s.code.upper(): float(s.expected_service_minutes or cfg.venue.default_service_minutes)
            for s in cfg.services}


@contextmanager
def _scratch_database() -> Iterator[str]:
    # A private file: one process, no contention, thrown away afterwards.
    with tempfile.TemporaryDirectory(prefix="antre-sim-") as folder:
        yield f"sqlite:///{Path(folder) / 'sim.sqlite3'}"


def simulate(scenario: Scenario) -> SimulationResult:
    """Play the scenario's day through the engine and return waits per service and the busiest hour."""
    rng = random.Random(scenario.seed)
    # Operators play no part in waiting times; leaving them out skips hashing their PINs.
    cfg = _with_extra_counters(scenario.config, scenario.extra_counters).model_copy(update={"operators": []})
    tz = ZoneInfo(cfg.venue.timezone)
    minutes = _service_minutes(cfg)
    counters = {c.code.upper(): {s.upper() for s in c.services} for c in cfg.counters if c.active}
    with _scratch_database() as url:
        sessions = open_database(url, create=True)
        with unit_of_work(sessions) as s:
            apply_config(s, cfg)
        queue: list[tuple[datetime, int, str, str, bool]] = []
        order = 0
        for at, code, priority in _arrival_times(scenario, rng, tz):
            order += 1
            queue.append((at, order, "arrive", code, priority))
        heapq.heapify(queue)
        idle = set(counters)
        refused: dict[str, int] = defaultdict(int)
        last = datetime.combine(scenario.day, time(0, 0), tz)

        # One process owns this scratch file: the whole day is one transaction, so it costs no commits
        # or writer locks. Issuing runs in a savepoint, rolled back alone when refused (a refused
        # number must not be consumed); calling and finishing write nothing before they refuse.
        day = sessions()
        day.begin()

        @contextmanager
        def action(savepoint: bool = False) -> Iterator[Session]:
            if not savepoint:
                yield day
                return
            with day.begin_nested():
                yield day

        def try_call(counter: str, now: datetime) -> None:
            nonlocal order
            try:
                with action() as s:
                    from db.queue import call_next

                    ticket = call_next(s, counter, now=now)
            except QueueEmpty:
                idle.add(counter)
                return
            idle.discard(counter)
            mean = minutes.get(ticket.service, 8.0)
            # Each citizen's service time depends only on the seed and their ticket, so two
            # scenarios differ only by what was changed (e.g. counters), not by random noise.
            draw = random.Random(f"{scenario.seed}:{ticket.code}:{ticket.service}")
            took = draw.lognormvariate(math.log(mean) - 0.125, 0.5)  # mean ~ the configured minutes
            order += 1
            heapq.heappush(queue, (now + timedelta(minutes=took), order, "finish", counter, False))

        from db.queue import finish, issue_ticket

        while queue:
            now, _, kind, name, priority = heapq.heappop(queue)
            last = max(last, now)
            if kind == "arrive":
                try:
                    with action(savepoint=True) as s:
                        issue_ticket(s, name, priority=priority, priority_category="lansia" if priority else None,
                                     now=now)
                except Refused:
                    refused[name] += 1
                    continue
                for counter in sorted(c for c in idle if name in counters[c]):
                    try_call(counter, now)
                    if counter not in idle:
                        break
            else:
                with action() as s:
                    finish(s, name, now=now)
                try_call(name, now)
        day.commit()
        day.close()
        with sessions() as s:
            rows = s.execute(
                select(Ticket.sequence, Ticket.issued_at, Ticket.called_at, Ticket.service_id)
                .where(Ticket.status == TicketStatus.DONE)
            ).all()
            from db.models import Service

            names = {sid: (code, name) for sid, code, name in s.execute(select(Service.id, Service.code,
                                                                                 Service.name))}
        sessions.kw["bind"].dispose()
    return _summarise(rows, names, refused, tz, last)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _summarise(rows: list, names: dict, refused: dict[str, int], tz: ZoneInfo, last: datetime) -> SimulationResult:
    waits: dict[str, list[float]] = defaultdict(list)
    per_hour: dict[int, list[float]] = defaultdict(list)
    for _, issued, called, sid in rows:
        wait = (called - issued).total_seconds() / 60
        waits[names[sid][0]].append(wait)
        per_hour[issued.astimezone(tz).hour].append(wait)
    services = tuple(
        ServiceResult(code, name, len(waits.get(code, [])), refused.get(code, 0), _pct(waits.get(code, []), 0.5),
                      _pct(waits.get(code, []), 0.9), round(max(waits.get(code, [0.0])), 1))
        for code, name in sorted(names.values())
        if waits.get(code) or refused.get(code)
    )
    busiest = max(per_hour, key=lambda h: len(per_hour[h]), default=8)
    worst = max(per_hour, key=lambda h: _pct(per_hour[h], 0.9), default=8)
    return SimulationResult(
        tickets=len(rows), refused=sum(refused.values()), services=services, busiest_hour=busiest,
        busiest_hour_arrivals=len(per_hour.get(busiest, [])), worst_wait_hour=worst,
        worst_wait_hour_p90=_pct(per_hour.get(worst, []), 0.9), last_finish=last.astimezone(tz).strftime("%H:%M"),
    )


def overall_p90(result: SimulationResult) -> float:
    """A one-number summary for comparisons: the median over services of their p90 wait."""
    return statistics.median([s.wait_p90 for s in result.services]) if result.services else 0.0


