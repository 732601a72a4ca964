"""What the public sees: batch ticket states agree with the engine's own position_of, nothing personal."""

from __future__ import annotations

from datetime import timedelta

from db import unit_of_work
from db.lookup import ticket
from db.moves import transfer
from db.operators import open_counter
from db.public import ticket_states, venue_status
from db.queue import call_next, finish, issue_ticket, no_show
from db.stats import position_of


def test_batch_positions_match_position_of(sessions, now):
    ids = []
    with unit_of_work(sessions) as s:
        open_counter(s, "L1", now=now)
        for i in range(12):
            issued = issue_ticket(s, "B" if i % 4 == 0 else "A", priority=i % 3 == 1, now=now + timedelta(seconds=i))
            ids.append(issued.ticket.id)
        call_next(s, "L1", now=now + timedelta(minutes=1))
    with unit_of_work(sessions) as s:
        states = ticket_states(s, ids)
        for tid in ids:
            expected = position_of(s, ticket(s, tid))
            got = states[tid]
            if got.status == "waiting":
                assert (got.ahead, got.estimated_wait_minutes) == expected, tid
            else:
                assert got.ahead is None and got.counter_name == "Loket 1" and got.zone == "Lantai 1"


def test_transfer_is_followed_and_now_calling_lists_only_live_calls(sessions, now):
    with unit_of_work(sessions) as s:
        a = issue_ticket(s, "A", now=now).ticket
        b = issue_ticket(s, "A", now=now).ticket
        call_next(s, "L1", now=now)
        transfer(s, "L1", "B", now=now)
        call_next(s, "L2", now=now)
        no_show(s, "L2", now=now)
        call_next(s, "L1", now=now)  # a again, now in service B
    with unit_of_work(sessions) as s:
        states = ticket_states(s, [a.id, b.id])
        status = venue_status(s, now=now)
    assert states[a.id].service == "B" and states[a.id].status == "called" and states[a.id].code == a.code
    assert states[b.id].status == "no_show" and states[b.id].counter_name is None
    assert [c["code"] for c in status["calls"]] == [a.code]
    assert "name" not in str(states[a.id].to_json()).lower().replace("service_name", "").replace(
        "agency_name", "").replace("counter_name", "")
    with unit_of_work(sessions) as s:
        finish(s, "L1", now=now)
        assert venue_status(s, now=now)["calls"] == []
