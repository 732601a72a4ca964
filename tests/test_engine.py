"""Every queue rule, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db import QueueEmpty, Refused, open_database, unit_of_work
from db.errors import NotFound
from db.models import Event, EventKind, Ticket, TicketStatus
from db.moves import cancel, hold, requeue, requeue_id, resume, transfer
from db.operators import close_counter, open_counter
from db.queue import call_next, call_ticket, finish, issue_ticket, no_show, recall, start_serving
from db.stats import counter_views, day_figures, service_queues, ticket_position, waiting_for_counter

MIN = timedelta(minutes=1)


def do(sessions, func, *args, **kw):
    with unit_of_work(sessions) as s:
        return func(s, *args, **kw)


def events(sessions, kind=None):
    with sessions() as s:
        stmt = select(Event.kind).order_by(Event.id)
        return [k for k in s.scalars(stmt) if kind is None or k == kind]


def test_numbers_count_up_per_service_with_the_configured_code(sessions, now):
    codes = [do(sessions, issue_ticket, svc, now=now).ticket.code for svc in ("A", "A", "B", "A")]
    assert codes == ["A-001", "A-002", "B-001", "A-003"]


def test_numbering_restarts_each_business_day_in_jakarta(sessions):
    # 23:30 UTC is already 06:30 the next day in Jakarta (UTC+7).
    late = datetime(2026, 11, 23, 16, 59, tzinfo=UTC)  # 23:59 Jakarta, Monday
    first = do(sessions, issue_ticket, "A", now=late).ticket
    second = do(sessions, issue_ticket, "A", now=late + 2 * MIN).ticket  # 00:01 Tuesday in Jakarta
    assert (first.code, str(first.business_date)) == ("A-001", "2026-11-23")
    assert (second.code, str(second.business_date)) == ("A-001", "2026-11-24")


def test_quota_refuses_with_a_clear_reason_and_consumes_no_number(sessions, now):
    for _ in range(3):
        do(sessions, issue_ticket, "B", now=now)
    with pytest.raises(Refused, match="quota of 3") as info:
        do(sessions, issue_ticket, "B", now=now)
    assert info.value.reason == "quota"
    with sessions() as s:
        assert s.scalar(select(func.max(Ticket.sequence)).where(Ticket.service.has(code="B"))) == 3
    queues = {q.code: q for q in do(sessions, service_queues, now=now)}
    assert not queues["B"].available and queues["B"].unavailable_reason == "Kuota hari ini habis"


def test_closed_hours_refuse_and_describe_the_hours(sessions, now):
    evening = now + timedelta(hours=5)  # 14:00 Jakarta; S is open mornings only
    with pytest.raises(Refused, match="closed") as info:
        do(sessions, issue_ticket, "S", now=evening)
    assert info.value.reason == "closed"
    queues = {q.code: q for q in do(sessions, service_queues, now=evening)}
    assert queues["S"].unavailable_reason == "Buka Senin-Kamis 08.00-12.00; Jumat 08.00-11.00"
    saturday = now + timedelta(days=5)
    with pytest.raises(Refused):
        do(sessions, issue_ticket, "S", now=saturday)
    assert do(sessions, issue_ticket, "S", now=now).ticket.code == "S-001"


def test_priority_refused_where_the_service_does_not_allow_it(sessions, now):
    with pytest.raises(Refused) as info:
        do(sessions, issue_ticket, "S", priority=True, now=now)
    assert info.value.reason == "no_priority"


def test_unknown_service_and_counter(sessions, now):
    with pytest.raises(NotFound):
        do(sessions, issue_ticket, "ZZ", now=now)
    with pytest.raises(NotFound):
        do(sessions, call_next, "L99", now=now)


def test_call_next_takes_the_oldest_across_the_counters_services(sessions, now):
    do(sessions, issue_ticket, "B", now=now)
    do(sessions, issue_ticket, "A", now=now + MIN)
    assert do(sessions, call_next, "L1", now=now + 2 * MIN).code == "B-001"


def test_counter_holds_at_most_one_ticket(sessions, now):
    do(sessions, issue_ticket, "A", now=now)
    do(sessions, issue_ticket, "A", now=now)
    do(sessions, call_next, "L1", now=now)
    with pytest.raises(Refused) as info:
        do(sessions, call_next, "L1", now=now)
    assert info.value.reason == "busy"


def test_empty_queue_says_so(sessions, now):
    with pytest.raises(QueueEmpty, match="no ticket is waiting for Loket 1"):
        do(sessions, call_next, "L1", now=now)


def test_priority_ratio_one_priority_per_two_regular(sessions, now):
    for i in range(6):
        do(sessions, issue_ticket, "A", now=now + i * MIN)
    for i in range(3):
        do(sessions, issue_ticket, "A", priority=True, priority_category="lansia", now=now + (10 + i) * MIN)
    order = []
    for i in range(9):
        t = do(sessions, call_next, "L2", now=now + (20 + i) * MIN)
        order.append("P" if t.priority else "R")
        do(sessions, finish, "L2", now=now + (20 + i) * MIN)
    assert "".join(order) == "PRRPRRPRR"


def test_priority_alone_and_regular_alone_are_called_in_order(sessions, now):
    do(sessions, issue_ticket, "A", priority=True, now=now)
    do(sessions, issue_ticket, "A", priority=True, now=now + MIN)
    assert do(sessions, call_next, "L2", now=now).code == "A-001"
    do(sessions, finish, "L2", now=now)
    assert do(sessions, call_next, "L2", now=now).code == "A-002"


def test_full_cycle_timestamps_and_one_event_per_change(sessions, now):
    t = do(sessions, issue_ticket, "A", now=now).ticket
    do(sessions, call_next, "L1", now=now + MIN)
    do(sessions, recall, "L1", now=now + 2 * MIN)
    do(sessions, start_serving, "L1", now=now + 3 * MIN)
    done = do(sessions, finish, "L1", now=now + 10 * MIN)
    assert done.status == "done" and done.recall_count == 1 and done.counter == "L1"
    assert (done.called_at, done.started_at, done.finished_at) == (now + MIN, now + 3 * MIN, now + 10 * MIN)
    kinds = [k for k in events(sessions) if k != EventKind.CONFIG_LOADED]
    assert kinds == ["issued", "counter_opened", "called", "recalled", "started", "finished"]
    assert t.id == done.id
    figures = do(sessions, day_figures, "L1", now=now)
    assert (figures.served, figures.no_shows, figures.median_service_minutes) == (1, 0, 7.0)


def test_recall_and_start_need_a_called_ticket(sessions, now):
    with pytest.raises(Refused) as info:
        do(sessions, recall, "L1", now=now)
    assert info.value.reason == "no_ticket"
    do(sessions, issue_ticket, "A", now=now)
    do(sessions, call_next, "L1", now=now)
    do(sessions, start_serving, "L1", now=now)
    with pytest.raises(Refused):
        do(sessions, recall, "L1", now=now)


def test_no_show_then_requeue_goes_to_the_back(sessions, now):
    do(sessions, issue_ticket, "A", now=now)
    do(sessions, issue_ticket, "A", now=now + MIN)
    do(sessions, call_next, "L2", now=now + 2 * MIN)
    assert do(sessions, no_show, "L2", now=now + 3 * MIN).status == "no_show"
    back = do(sessions, requeue, "a-001", now=now + 4 * MIN)
    assert back.status == "waiting" and back.counter is None
    assert do(sessions, call_next, "L2", now=now + 5 * MIN).code == "A-002"
    do(sessions, finish, "L2", now=now + 6 * MIN)
    assert do(sessions, call_next, "L2", now=now + 7 * MIN).code == "A-001"


def test_requeue_refuses_other_states_and_other_days(sessions, now):
    t = do(sessions, issue_ticket, "A", now=now).ticket
    with pytest.raises(Refused, match="not a no-show"):
        do(sessions, requeue, "A-001", now=now)
    do(sessions, call_next, "L2", now=now)
    do(sessions, no_show, "L2", now=now)
    with pytest.raises(Refused) as info:
        do(sessions, requeue_id, t.id, now=now + timedelta(days=1))
    assert info.value.reason == "old"
    assert do(sessions, requeue_id, t.id, now=now).status == "waiting"


def test_transfer_keeps_the_code_and_goes_to_the_front(sessions, now):
    for i in range(2):
        do(sessions, issue_ticket, "B", now=now + i * MIN)
    do(sessions, issue_ticket, "A", now=now + 5 * MIN)
    do(sessions, call_next, "L2", now=now + 6 * MIN)  # A-001 at L2 (serves A only)
    moved = do(sessions, transfer, "L2", "B", note="perlu KK baru", now=now + 7 * MIN)
    assert (moved.code, moved.service, moved.status, moved.note) == ("A-001", "B", "waiting", "perlu KK baru")
    with sessions() as s:
        original = s.get(Ticket, moved.transferred_from_id)
        assert original.status == TicketStatus.TRANSFERRED
    # Front of B's queue, ahead of B-001 and B-002 that waited longer.
    assert do(sessions, ticket_position, moved.id)[0] == 0
    assert do(sessions, call_next, "L1", now=now + 8 * MIN).code == "A-001"


def test_transfer_refuses_the_same_service(sessions, now):
    do(sessions, issue_ticket, "A", now=now)
    do(sessions, call_next, "L1", now=now)
    with pytest.raises(Refused, match="already in service A"):
        do(sessions, transfer, "L1", "A", now=now)


def test_hold_frees_the_counter_and_resume_takes_it_back(sessions, now):
    do(sessions, issue_ticket, "A", now=now)
    do(sessions, issue_ticket, "A", now=now + MIN)
    do(sessions, call_next, "L2", now=now)
    parked = do(sessions, hold, "L2", note="fotokopi KK", now=now + 2 * MIN)
    assert parked.status == "held"
    assert do(sessions, call_next, "L2", now=now + 3 * MIN).code == "A-002"
    with pytest.raises(Refused):
        do(sessions, resume, "L2", now=now + 4 * MIN)  # counter busy with A-002
    do(sessions, finish, "L2", now=now + 5 * MIN)
    listed = [t.code for t in do(sessions, waiting_for_counter, "L2", now=now)]
    assert listed == ["A-001"]
    assert do(sessions, resume, "L2", now=now + 6 * MIN).status == "serving"


def test_call_a_specific_ticket_and_a_parked_one(sessions, now):
    for i in range(3):
        do(sessions, issue_ticket, "A", now=now + i * MIN)
    assert do(sessions, call_ticket, "L2", "A-003", now=now).code == "A-003"
    do(sessions, hold, "L2", now=now)
    assert do(sessions, call_ticket, "L2", "A-003", now=now).status == "serving"
    do(sessions, finish, "L2", now=now)
    with pytest.raises(Refused) as info:
        do(sessions, call_ticket, "L3", "A-001", now=now)
    assert info.value.reason == "wrong_counter"


def test_cancel_waiting_only(sessions, now):
    t = do(sessions, issue_ticket, "A", now=now).ticket
    assert do(sessions, cancel, t.id, now=now).status == "cancelled"
    with pytest.raises(Refused):
        do(sessions, cancel, t.id, now=now)
    with pytest.raises(QueueEmpty):
        do(sessions, call_next, "L1", now=now)


def test_close_counter_refused_while_holding_and_drops_out_of_estimates(sessions, now):
    do(sessions, open_counter, "L1", now=now)
    do(sessions, open_counter, "L2", now=now)
    issued = [do(sessions, issue_ticket, "A", now=now) for _ in range(4)]
    assert issued[-1].ahead == 3 and issued[-1].estimated_wait_minutes == 15  # 3 x 10 min / 2 counters
    do(sessions, call_next, "L1", now=now)
    with pytest.raises(Refused):
        do(sessions, close_counter, "L1", now=now)
    do(sessions, finish, "L1", now=now)
    do(sessions, close_counter, "L1", now=now)
    do(sessions, close_counter, "L2", now=now)
    queues = {q.code: q for q in do(sessions, service_queues, now=now)}
    assert queues["A"].open_counters == 0 and queues["A"].estimated_wait_minutes is None
    views = {c.code: c for c in do(sessions, counter_views)}
    assert not views["L1"].is_open and views["L1"].ticket is None


def test_estimates_learn_from_recent_service_times(sessions, now):
    for i in range(5):
        do(sessions, issue_ticket, "A", now=now)
    for i in range(3):
        do(sessions, call_next, "L2", now=now + i * 4 * MIN)
        do(sessions, start_serving, "L2", now=now + i * 4 * MIN)
        do(sessions, finish, "L2", now=now + (i * 4 + 4) * MIN)
    queues = {q.code: q for q in do(sessions, service_queues, now=now)}
    assert queues["A"].waiting == 2 and queues["A"].estimated_wait_minutes == 8  # 2 x 4 min, 1 counter


def test_a_call_auto_opens_a_closed_counter(sessions, now):
    do(sessions, issue_ticket, "A", now=now)
    do(sessions, call_next, "L1", now=now)
    views = {c.code: c for c in do(sessions, counter_views)}
    assert views["L1"].is_open and views["L1"].ticket.code == "A-001"


def test_a_vanished_database_file_is_an_outage_not_a_new_empty_database(sqlite_url, now):
    from pathlib import Path

    from db import DatabaseUnavailable

    sessions = open_database(sqlite_url)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    do(sessions, issue_ticket, "A", now=now)
    moved = path.with_name("moved.sqlite3")
    path.rename(moved)
    with pytest.raises(DatabaseUnavailable):
        do(sessions, issue_ticket, "A", now=now)
    assert not path.exists(), "no empty database was created in its place"
    moved.rename(path)
    assert do(sessions, issue_ticket, "A", now=now).ticket.code == "A-002"


def test_disabling_an_operator_signs_them_out_with_an_event(sessions, now):
    from db.operators import disable_operator, set_pin, sign_in

    do(sessions, set_pin, "siti", "5190")  # her own PIN: the venue file's first one must be changed first
    assert do(sessions, sign_in, "L1", "siti", "5190", now=now).seated
    do(sessions, disable_operator, "siti")
    assert {c.code: c.operator for c in do(sessions, counter_views)}["L1"] is None
    assert events(sessions)[-1] == EventKind.SIGNED_OUT
