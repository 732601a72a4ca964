"""Several kiosks and counters at once, as separate processes on one SQLite file."""

from __future__ import annotations

import functools
import multiprocessing as mp
import time
from collections import Counter as Tally

import pytest
from sqlalchemy import func, select

from db import QueueEmpty, Refused, open_database, unit_of_work
from db.config import load_config
from db.models import Event, EventKind, Ticket

ISSUERS, CALLERS, FOLLOWERS, PER_ISSUER = 4, 4, 2, 120

VENUE = """
[venue]
name = "MPP Ramai"
[[agencies]]
code = "DUK"
name = "Dukcapil"
[[services]]
agency = "DUK"
code = "A"
name = "KTP"
[[services]]
agency = "DUK"
code = "Q"
name = "Kuota"
daily_quota = 25
""" + "".join(
    f'[[counters]]\ncode = "C{i}"\nname = "Loket {i}"\nservices = ["A", "Q"]\n' for i in range(CALLERS)
)


def reporting(work):
    """Send a worker's failure to the parent at once instead of leaving it waiting."""

    @functools.wraps(work)  # keeps the module-level name, so spawn can pickle it
    def run(*args) -> None:
        out = args[-1]
        try:
            work(*args)
        except BaseException:  # noqa: BLE001 - the parent shows it and fails the test
            import traceback

            out.put(("error", traceback.format_exc(), None))

    return run


@reporting
def issuer(url: str, start: mp.Event, out: mp.Queue) -> None:
    sessions = open_database(url)
    from db.queue import issue_ticket

    start.wait()
    issued, refused = [], 0
    for i in range(PER_ISSUER):
        try:
            with unit_of_work(sessions) as s:
                issued.append(issue_ticket(s, "Q" if i % 3 == 0 else "A", priority=i % 7 == 0).ticket.id)
        except Refused as exc:
            assert exc.reason == "quota"
            refused += 1
    out.put(("issued", issued, refused))


@reporting
def caller(url: str, counter: str, start: mp.Event, issuers_done: mp.Event, out: mp.Queue) -> None:
    sessions = open_database(url)
    from db.queue import call_next, finish

    start.wait()
    called = []
    while True:
        try:
            with unit_of_work(sessions) as s:
                called.append(call_next(s, counter).id)
            with unit_of_work(sessions) as s:
                finish(s, counter)
        except QueueEmpty:
            if issuers_done.is_set():
                break
            time.sleep(0.002)
    out.put(("called", called, counter))


@reporting
def follower(url: str, start: mp.Event, stop: mp.Event, out: mp.Queue) -> None:
    """A TV: follows the log as the apps do, and reports every event it saw, in order."""
    from db.events import Cursor, follow

    sessions = open_database(url)
    cursor = Cursor()  # from the start of the log: the test compares what came after the setup
    start.wait()
    seen: list[int] = []
    finishing = False
    while True:
        with sessions() as s:
            cursor, events, more = follow(s, cursor, limit=50)
        seen.extend(e.id for e in events)
        if not events and not more:
            if finishing:
                break
            if stop.is_set():
                finishing = True  # one more read after the writers stopped: the log is complete
            time.sleep(0.005)
    out.put(("followed", seen, 0))


@pytest.mark.slow
def test_kiosks_and_counters_in_parallel_keep_every_invariant(new_db_url, tmp_path):
    url = new_db_url()
    path = tmp_path / "venue.toml"
    path.write_text(VENUE)
    with unit_of_work(open_database(url)) as s:
        load_config(s, path)
    with open_database(url)() as s:
        before = s.scalar(select(func.max(Event.id)))
    ctx = mp.get_context("spawn")
    start, done, stop, out = ctx.Event(), ctx.Event(), ctx.Event(), ctx.Queue()
    issuers = [ctx.Process(target=issuer, args=(url, start, out)) for _ in range(ISSUERS)]
    callers = [ctx.Process(target=caller, args=(url, f"C{i}", start, done, out)) for i in range(CALLERS)]
    followers = [ctx.Process(target=follower, args=(url, start, stop, out)) for _ in range(FOLLOWERS)]
    for p in issuers + callers + followers:
        p.start()
    start.set()
    results = []
    for group in (issuers, callers):
        for _ in group:
            results.append(out.get(timeout=120))
            assert results[-1][0] != "error", results[-1][1]
        done.set()
    stop.set()
    followed = [out.get(timeout=60) for _ in followers]
    for p in issuers + callers + followers:
        p.join(30)
        assert p.exitcode == 0
    assert all(kind == "followed" for kind, _, _ in followed), followed

    issued = [i for kind, ids, _ in results if kind == "issued" for i in ids]
    refused = sum(extra for kind, _, extra in results if kind == "issued")
    called = [i for kind, ids, _ in results if kind == "called" for i in ids]
    assert len(issued) + refused == ISSUERS * PER_ISSUER
    assert len(issued) == len(set(issued)), "a ticket id handed out twice"
    assert sorted(called) == sorted(issued), "every ticket called exactly once, none lost"
    assert sum(1 for kind, ids, _ in results if kind == "called" and ids) >= 2, "counters really competed"

    with open_database(url)() as s:
        rows = s.execute(select(Ticket.service_id, Ticket.sequence, Ticket.code, Ticket.status)).all()
        assert len(rows) == len(issued)
        by_service: dict[int, list[int]] = {}
        for service_id, seq, _, status in rows:
            by_service.setdefault(service_id, []).append(seq)
            assert status == "done"
        for seqs in by_service.values():
            assert sorted(seqs) == list(range(1, len(seqs) + 1)), "no duplicate and no gap"
        assert max(len(v) for v in by_service.values()) > 25 and min(len(v) for v in by_service.values()) == 25
        kinds = Tally(s.scalars(select(Event.kind)))
        assert kinds[EventKind.ISSUED] == kinds[EventKind.CALLED] == kinds[EventKind.FINISHED] == len(issued)
        per_ticket = Tally(s.scalars(select(Event.ticket_id).where(Event.kind == EventKind.CALLED)))
        assert set(per_ticket.values()) == {1}
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == EventKind.COUNTER_OPENED)) \
            == sum(1 for kind, ids, _ in results if kind == "called" and ids)
        # Every follower saw every event of the run exactly once, all in the same order, and that
        # order keeps each ticket's history in cause-and-effect order.
        logged = set(s.scalars(select(Event.id).where(Event.id > before)))
        kinds_by_id = dict(s.execute(select(Event.id, Event.kind)).all())
        txids = dict(s.execute(select(Event.id, Event.txid)).all())
        ticket_of = dict(s.execute(select(Event.id, Event.ticket_id)).all())
    orders = [[i for i in seen if i > before] for _, seen, _ in followed]
    for seen in orders:
        assert len(seen) == len(set(seen)), "an event delivered twice"
        assert set(seen) == logged, "a follower missed events"
        assert seen == orders[0], "followers disagree on the order"
        step: dict[int, int] = {}
        rank = {EventKind.ISSUED: 0, EventKind.CALLED: 1, EventKind.FINISHED: 2}
        for event_id in seen:
            kind, ticket = kinds_by_id[event_id], ticket_of[event_id]
            if kind in rank:
                history = [(txids[i], i, kinds_by_id[i]) for i in seen if ticket_of[i] == ticket]
                assert rank[kind] == step.get(ticket, -1) + 1, f"ticket {ticket}: {kind} out of order: {history}"
                step[ticket] = rank[kind]
