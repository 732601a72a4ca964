"""The server goes away: actions that committed nothing are retried once, apps show offline and come
back by themselves when the server does (PostgreSQL, a cluster of this test's own)."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest

from antre import pgtemp
from db import DatabaseUnavailable, open_database, transact, unit_of_work
from db.config import load_config
from db.queue import issue_ticket
from tests.conftest import MONDAY_9AM

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_server(venue_file: Path, pg_server):  # pg_server: skip where no PostgreSQL can start
    cluster = pgtemp.start(max_connections=50)
    with psycopg.connect(cluster.url("postgres").replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("CREATE DATABASE antre")
    url = cluster.url("antre")
    sessions = open_database(url, create=True)
    with unit_of_work(sessions) as s:
        load_config(s, venue_file)
    sessions.kw["bind"].dispose()
    yield cluster, url
    cluster.stop()


def test_an_action_on_a_connection_the_server_dropped_is_retried_once(own_server):
    cluster, url = own_server
    sessions = open_database(url)
    transact(sessions, lambda s: issue_ticket(s, "A", now=MONDAY_9AM))  # the pool now holds a connection
    cluster.pause()
    cluster.resume()  # every pooled connection is now dead, and nobody has noticed yet
    ticket = transact(sessions, lambda s: issue_ticket(s, "A", now=MONDAY_9AM))
    assert ticket.ticket.code == "A-002", "retried on a fresh connection, done exactly once"
    with sessions() as s:
        from sqlalchemy import func, select

        from db.models import Ticket

        assert s.scalar(select(func.count()).select_from(Ticket)) == 2
    sessions.kw["bind"].dispose()


def test_with_the_server_down_an_action_fails_clearly(own_server):
    cluster, url = own_server
    sessions = open_database(url)
    cluster.pause()
    try:
        with pytest.raises(DatabaseUnavailable):
            transact(sessions, lambda s: issue_ticket(s, "A", now=MONDAY_9AM))
    finally:
        cluster.resume()
    assert transact(sessions, lambda s: issue_ticket(s, "A", now=MONDAY_9AM)).ticket.code == "A-001"
    sessions.kw["bind"].dispose()


def test_an_app_shows_offline_and_is_back_soon_after_the_server(own_server, qtbot):
    from qtkit.watcher import ListenWatcher, make_watcher
    from qtkit.worker import DbWorker

    cluster, url = own_server
    worker = DbWorker(url)
    watcher = make_watcher(worker)
    assert isinstance(watcher, ListenWatcher)
    states: list[tuple[bool, float]] = []
    watcher.online.connect(lambda up: states.append((up, time.monotonic())))
    watcher.start()
    qtbot.waitUntil(lambda: bool(states) and states[-1][0] is True, timeout=5000)
    cluster.pause()
    watcher.poke()  # an app notices at its next read (a screen refresh, an action, the fallback poll)
    qtbot.waitUntil(lambda: states[-1][0] is False, timeout=10000)
    cluster.resume()
    back = time.monotonic()
    qtbot.waitUntil(lambda: states[-1][0] is True, timeout=10000)
    took = states[-1][1] - back
    print(f"back online {took:.2f} s after the server")
    assert took < 2.0, f"the app came back {took:.1f} s after the server"
    watcher.stop()
    worker.stop()
