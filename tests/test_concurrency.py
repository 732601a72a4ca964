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

ISSUERS, CALLERS, PER_ISSUER = 4, 4, 120

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


@pytest.mark.slow
def test_kiosks_and_counters_in_parallel_keep_every_invariant(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    path = tmp_path / "venue.toml"
    path.write_text(VENUE)
    with unit_of_work(open_database(url)) as s:
        load_config(s, path)
    ctx = mp.get_context("spawn")
    start, done, out = ctx.Event(), ctx.Event(), ctx.Queue()
    issuers = [ctx.Process(target=issuer, args=(url, start, out)) for _ in range(ISSUERS)]
    callers = [ctx.Process(target=caller, args=(url, f"C{i}", start, done, out)) for i in range(CALLERS)]
    for p in issuers + callers:
        p.start()
    start.set()
    results = []
    for group in (issuers, callers):
        for _ in group:
            results.append(out.get(timeout=120))
            assert results[-1][0] != "error", results[-1][1]
        done.set()
    for p in issuers + callers:
        p.join(30)
        assert p.exitcode == 0

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
