"""Hypothesis drives the engine and a plain in-memory model side by side; they must agree."""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from db import QueueEmpty, Refused, open_database, unit_of_work
from db.models import Event, Ticket
from db.moves import cancel, hold, requeue, resume, transfer
from db.queue import call_next, finish, issue_ticket, no_show, recall, start_serving
from tests.conftest import MONDAY_9AM

COUNTERS = {"L1": ("A", "B"), "L2": ("A",), "L3": ("S",)}
QUOTA = {"B": 3}
NO_PRIORITY = {"S"}
RATIO = (1, 2)
_copies = itertools.count()


class Model:
    """What the rules say should happen, with no database."""

    def __init__(self) -> None:
        self.tickets: dict[int, dict] = {}
        self.issued: dict[str, int] = defaultdict(int)
        self.calls: dict[str, list[bool]] = defaultdict(list)
        self.opened: set[str] = set()
        self.tick = 0

    def next_key(self) -> int:
        self.tick += 1
        return self.tick

    def active(self, counter: str) -> dict | None:
        return next((t for t in self.tickets.values()
                     if t["counter"] == counter and t["status"] in ("called", "serving")), None)

    def expected_call(self, counter: str) -> dict | None:
        waiting = [t for t in self.tickets.values() if t["status"] == "waiting" and t["service"] in COUNTERS[counter]]
        if not waiting:
            return None
        order = sorted(waiting, key=lambda t: (not t["to_front"], t["key"], t["id"]))
        prio = [t for t in order if t["priority"]]
        regular = [t for t in order if not t["priority"]]
        if not prio or not regular:
            return order[0]
        history = list(reversed(self.calls[counter]))
        if not history:
            return prio[0]
        run = next((i for i, p in enumerate(history) if p != history[0]), len(history))
        turn = run < RATIO[0] if history[0] else run >= RATIO[1]
        return prio[0] if turn else regular[0]


class EngineVsModel(RuleBasedStateMachine):
    template: str  # a database URL with the small venue loaded
    workdir: Path
    pg_server: Any = None

    def fresh_copy(self) -> str:
        """A copy of the template database for one example, on the template's backend."""
        if self.pg_server is None:
            self.workdir.mkdir(exist_ok=True)
            path = self.workdir / f"m{id(self)}.sqlite3"
            path.unlink(missing_ok=True)
            # The backup API copies what is still in the template's write-ahead log too.
            with sqlite3.connect(self.template.removeprefix("sqlite:///")) as source, sqlite3.connect(path) as copy:
                source.backup(copy)
            return f"sqlite:///{path}"
        name = f"model_{os.getpid()}_{next(_copies)}"
        self.pg_server.execute(f"CREATE DATABASE {name} TEMPLATE {make_url(self.template).database}")
        return self.pg_server.url(name)

    def __init__(self) -> None:
        super().__init__()
        self.sessions = open_database(self.fresh_copy())
        self.model = Model()
        self.changes = 0
        self.now = MONDAY_9AM
        with self.sessions() as s:
            self.base_events = s.scalar(select(func.count()).select_from(Event))

    def do(self, func, *args, **kw):
        self.now += timedelta(seconds=1)
        with unit_of_work(self.sessions) as s:
            return func(s, *args, now=self.now, **kw)

    @rule(service=st.sampled_from(["A", "B", "S"]), priority=st.booleans())
    def issue(self, service: str, priority: bool) -> None:
        refused = (priority and service in NO_PRIORITY) or self.model.issued[service] >= QUOTA.get(service, 10**9)
        try:
            issued = self.do(issue_ticket, service, priority=priority)
        except Refused:
            assert refused
            return
        assert not refused
        self.model.issued[service] += 1
        assert issued.ticket.code == f"{service}-{self.model.issued[service]:03d}"
        self.model.tickets[issued.ticket.id] = dict(
            id=issued.ticket.id, code=issued.ticket.code, service=service, status="waiting", counter=None,
            priority=priority, to_front=False, key=self.model.next_key())
        self.changes += 1

    @rule(priorities=st.lists(st.booleans(), min_size=2, max_size=6))
    def crowd(self, priorities: list[bool]) -> None:
        """A group arrives at once: enough waiting tickets for the priority ratio to matter."""
        for priority in priorities:
            self.issue("A", priority)

    @rule(counter=st.sampled_from(["L1", "L2"]), times=st.integers(1, 4))
    def serve_several(self, counter: str, times: int) -> None:
        for _ in range(times):
            self.call(counter)
            self._act(counter, finish, ("called", "serving"), "done")

    @rule(counter=st.sampled_from(sorted(COUNTERS)))
    def call(self, counter: str) -> None:
        busy = self.model.active(counter)
        expected = self.model.expected_call(counter)
        try:
            got = self.do(call_next, counter)
        except QueueEmpty:
            assert busy is None and expected is None
            return
        except Refused as exc:
            assert exc.reason == "busy" and busy is not None
            return
        assert busy is None and expected is not None
        assert got.id == expected["id"], (got.code, expected["code"])
        opened = counter not in self.model.opened  # the first call opens a closed counter: one more event
        self.model.opened.add(counter)
        expected.update(status="called", counter=counter)
        self.model.calls[counter].append(expected["priority"])
        self.changes += 2 if opened else 1

    def _act(self, counter: str, func, allowed: tuple[str, ...], new_status: str) -> dict | None:
        held = self.model.active(counter)
        try:
            got = self.do(func, counter)
        except Refused:
            assert held is None or held["status"] not in allowed
            return None
        assert held is not None and held["status"] in allowed and got.id == held["id"]
        held["status"] = new_status
        self.changes += 1
        return held

    @rule(counter=st.sampled_from(sorted(COUNTERS)))
    def do_recall(self, counter: str) -> None:
        self._act(counter, recall, ("called",), "called")

    @rule(counter=st.sampled_from(sorted(COUNTERS)))
    def start(self, counter: str) -> None:
        self._act(counter, start_serving, ("called",), "serving")

    @rule(counter=st.sampled_from(sorted(COUNTERS)))
    def done(self, counter: str) -> None:
        self._act(counter, finish, ("called", "serving"), "done")

    @rule(counter=st.sampled_from(sorted(COUNTERS)))
    def missing(self, counter: str) -> None:
        self._act(counter, no_show, ("called",), "no_show")

    @rule(counter=st.sampled_from(sorted(COUNTERS)))
    def park(self, counter: str) -> None:
        parked = self._act(counter, hold, ("called", "serving"), "held")
        if parked is not None:
            parked["held_key"] = self.model.next_key()

    @rule(counter=st.sampled_from(sorted(COUNTERS)))
    def unpark(self, counter: str) -> None:
        parked = sorted((t for t in self.model.tickets.values() if t["status"] == "held" and t["counter"] == counter),
                        key=lambda t: t["held_key"])
        busy = self.model.active(counter)
        try:
            got = self.do(resume, counter)
        except Refused:
            assert busy is not None or not parked
            return
        assert busy is None and parked
        match = self.model.tickets[got.id]
        assert match["status"] == "held" and match["counter"] == counter
        match["status"] = "serving"
        self.changes += 1

    @precondition(lambda self: any(t["status"] == "no_show" for t in self.model.tickets.values()))
    @rule(data=st.data())
    def come_back(self, data: st.DataObject) -> None:
        ticket = data.draw(st.sampled_from([t for t in self.model.tickets.values() if t["status"] == "no_show"]))
        self.do(requeue, ticket["code"])
        ticket.update(status="waiting", counter=None, to_front=False, key=self.model.next_key())
        self.changes += 1

    @rule(counter=st.sampled_from(sorted(COUNTERS)), into=st.sampled_from(["A", "B", "S"]))
    def move(self, counter: str, into: str) -> None:
        held = self.model.active(counter)
        try:
            moved = self.do(transfer, counter, into)
        except Refused:
            assert held is None or held["service"] == into
            return
        assert held is not None and held["service"] != into and moved.code == held["code"]
        held["status"] = "transferred"
        self.model.tickets[moved.id] = dict(id=moved.id, code=held["code"], service=into, status="waiting",
                                            counter=None, priority=held["priority"], to_front=True,
                                            key=self.model.next_key())
        self.changes += 1

    @precondition(lambda self: any(t["status"] == "waiting" for t in self.model.tickets.values()))
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        ticket = data.draw(st.sampled_from([t for t in self.model.tickets.values() if t["status"] == "waiting"]))
        self.do(cancel, ticket["id"])
        ticket["status"] = "cancelled"
        self.changes += 1

    @invariant()
    def database_matches_model(self) -> None:
        with self.sessions() as s:
            rows = {t.id: t for t in s.scalars(select(Ticket))}
            assert {i: str(t.status) for i, t in rows.items()} == {i: t["status"] for i, t in
                                                                  self.model.tickets.items()}
            active = [t.counter_id for t in rows.values() if str(t.status) in ("called", "serving")]
            assert len(active) == len(set(active)), "a counter holds two tickets"
            seqs = [(t.service_id, t.sequence) for t in rows.values() if t.sequence is not None]
            assert len(seqs) == len(set(seqs)), "duplicate number"
            events = s.scalar(select(func.count()).select_from(Event)) - self.base_events
            assert events == self.changes, "every state change writes exactly one event"

    def teardown(self) -> None:
        url = self.sessions.kw["bind"].url
        self.sessions.kw["bind"].dispose()
        if self.pg_server is not None:
            self.pg_server.execute(f"DROP DATABASE IF EXISTS {url.database} WITH (FORCE)")


@pytest.fixture
def machine(tmp_path, db_url, backend, request):
    EngineVsModel.template = db_url
    EngineVsModel.workdir = tmp_path / "runs"
    EngineVsModel.pg_server = request.getfixturevalue("pg_server") if backend == "postgres" else None
    return EngineVsModel


def test_engine_agrees_with_the_model(machine, backend):
    from hypothesis.stateful import run_state_machine_as_test

    # Each example copies the template database; on PostgreSQL that is a CREATE DATABASE, so fewer
    # examples there (the rules are the same; what differs is the hot path's SQL, hit by every example).
    run_state_machine_as_test(
        machine,
        settings=settings(max_examples=60 if backend == "sqlite" else 25, stateful_step_count=40, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]),
    )
