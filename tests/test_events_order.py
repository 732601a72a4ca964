"""Followers see every event once, in one order, while writers commit out of id order (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from db import open_database
from db.events import Cursor, Listener, event_cursor, follow, record
from db.models import EventKind

pytestmark = pytest.mark.postgres


def _write(session, note: str) -> int:
    record(session, EventKind.COUNTER_OPENED, datetime.now(UTC), note=note)
    session.flush()
    return session.scalar(text("SELECT max(id) FROM events WHERE detail->>'note' = :n"), {"n": note})


def _read_all(sessions, cursor: Cursor) -> tuple[Cursor, list[str], bool]:
    with sessions() as s:
        cursor, events, more = follow(s, cursor)
    return cursor, [e.detail["note"] for e in events], more


def test_a_later_id_committed_first_waits_for_the_earlier_one(pg_db_url):
    sessions = open_database(pg_db_url)
    with sessions() as s:
        start = event_cursor(s)
    first, second = sessions(), sessions()
    first.begin()
    second.begin()
    id1 = _write(first, "first")  # takes the lower id, commits last
    id2 = _write(second, "second")
    assert id1 < id2
    second.commit()

    eager, got, more = _read_all(sessions, start)
    assert got == [] and more, "the committed later id is held back behind the running transaction"
    first.commit()
    eager, got_after, more = _read_all(sessions, eager)
    assert got_after == ["first", "second"] and not more
    _, late, _ = _read_all(sessions, start)  # a follower that only reads now sees the same order
    assert late == got + got_after
    _, nothing, _ = _read_all(sessions, eager)
    assert nothing == [], "nothing is delivered twice"
    sessions.kw["bind"].dispose()


def test_an_older_transaction_with_a_later_id_is_delivered_once_in_one_order(pg_db_url):
    sessions = open_database(pg_db_url)
    with sessions() as s:
        start = event_cursor(s)
    older, younger = sessions(), sessions()
    older.begin()
    older.execute(text("SELECT pg_current_xact_id()"))  # the older transaction takes its xid first
    younger.begin()
    _write(younger, "younger")  # ...but the younger one takes the lower event id
    _write(older, "older")
    older.commit()

    eager, first_batch, _ = _read_all(sessions, start)
    assert first_batch == ["older"], "the older transaction's event is final: nothing can sort before it"
    younger.commit()
    eager, second_batch, more = _read_all(sessions, eager)
    assert second_batch == ["younger"] and not more
    _, late, _ = _read_all(sessions, start)
    assert late == first_batch + second_batch, "every follower gets the same order, however often it reads"
    sessions.kw["bind"].dispose()


def test_a_listener_wakes_on_commit_not_before(pg_db_url):
    sessions = open_database(pg_db_url)
    listener = Listener(pg_db_url)
    assert listener.wait(0.05) is False  # connects and listens
    woke: list[float] = []

    def wait() -> None:
        t = time.monotonic()
        if listener.wait(5):
            woke.append(time.monotonic() - t)

    waiter = threading.Thread(target=wait)
    session = sessions()
    session.begin()
    _write(session, "x")
    waiter.start()
    time.sleep(0.3)
    assert woke == [], "nothing is announced before the commit"
    session.commit()
    waiter.join(6)
    listener.close()
    assert woke and woke[0] < 5, "the commit woke the listener"
    sessions.kw["bind"].dispose()


def test_a_listener_survives_a_server_side_disconnect(pg_db_url, pg_server):
    listener = Listener(pg_db_url)
    listener.wait(0.05)
    pg_server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'antre-listen'")
    assert listener.wait(0.2) is False  # the loss is noticed...
    deadline = time.monotonic() + 5
    while not listener.wait(0.2):  # ...and reconnecting says "read again", since notifications were lost
        assert time.monotonic() < deadline, "the listener did not come back"
    listener.close()


def test_a_counter_listening_for_its_services_sleeps_through_other_services(pg_db_url):
    from db.queue import issue_ticket

    sessions = open_database(pg_db_url)
    with sessions() as s:
        (mine, my_code), (_, other_code) = s.execute(text("SELECT id, code FROM services ORDER BY id LIMIT 2")).all()
    listener = Listener(pg_db_url, {mine})
    listener.wait(0.05)  # connects and listens
    results: list[bool] = []

    def issue(code: str) -> None:
        time.sleep(0.2)
        with sessions.begin() as s:
            issue_ticket(s, code)

    def woke(writer: threading.Thread, timeout: float = 1.5) -> bool:
        writer.start()
        heard = listener.wait(timeout)
        writer.join()
        return heard

    results.append(woke(threading.Thread(target=issue, args=(other_code,))))
    results.append(woke(threading.Thread(target=issue, args=(my_code,))))
    results.append(woke(threading.Thread(target=lambda: (time.sleep(0.2), _commit(sessions, "open")))))
    listener.close()
    assert results == [False, True, False], "only a ticket of its services wakes it"


def _commit(sessions, note: str) -> None:
    with sessions.begin() as s:
        _write(s, note)
