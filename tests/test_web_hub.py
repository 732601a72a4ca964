"""The server-wide follower: its database work per change does not grow with the open pages."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import event

from db import unit_of_work
from db.events import event_cursor
from db.operators import open_counter
from db.queue import call_next, issue_ticket
from web.hub import Hub


def _statements(engine, work):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        result = work()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen), result


def test_one_batch_costs_the_same_queries_for_5_or_300_pages(sessions, now):
    with unit_of_work(sessions) as s:
        open_counter(s, "L1", now=now)
        ids = [issue_ticket(s, "A", now=now + timedelta(seconds=i)).ticket.id for i in range(300)]
    hub = Hub(sessions)
    engine = sessions.kw["bind"]
    costs = []
    for pages in (5, 300):
        with unit_of_work(hub.reader) as s:
            cursor = event_cursor(s)
        with unit_of_work(sessions) as s:
            called = call_next(s, "L1", now=now + timedelta(minutes=1))
        followed = {tid: None for tid in ids[:pages]}
        n, (_, _, batch) = _statements(engine, lambda: hub.compute(cursor, followed, False))
        messages, _, _ = batch
        assert len(messages) == pages
        costs.append(n)
        with unit_of_work(sessions) as s:
            from db.queue import finish

            finish(s, "L1", now=now + timedelta(minutes=2))
    assert costs[0] == costs[1], costs
    # The called ticket's page gets the call; the others get their new place in the queue.
    states = [json.loads(messages[tid]) for tid in ids[:pages]]
    assert [st["status"] for st in states[:2]] == ["done", "called"]
    assert [st["ahead"] for st in states[2:5]] == [0, 1, 2]
