"""SQLite: the WAL is copied back into the database by a thread of the writing process, not inside
a commit (that commit paid ~5 ms, one write in 75: the one-process p99)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from db import open_database, transact
from db.queue import issue_ticket
from db.sqlite_engine import CHECKPOINT_EVERY_S, SAFETY_NET_PAGES
from tests.conftest import MONDAY_9AM


def test_a_writer_copies_the_wal_back_on_its_own_thread(sqlite_url):
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    sessions = open_database(sqlite_url)
    with sessions() as s:
        assert s.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == SAFETY_NET_PAGES
    before = path.stat().st_mtime_ns
    transact(sessions, lambda s: issue_ticket(s, "A", now=MONDAY_9AM))  # a few pages, far below any threshold
    assert path.stat().st_mtime_ns == before, "the commit itself copied nothing into the database file"
    deadline = time.monotonic() + CHECKPOINT_EVERY_S * 5
    while path.stat().st_mtime_ns == before:
        assert time.monotonic() < deadline, "no checkpoint happened on the writer's thread"
        time.sleep(0.05)
    sessions.kw["bind"].dispose()


def _checkpointers() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "antre-checkpoint")


def test_a_reading_process_never_checkpoints(sqlite_url):
    from db.database import read_only

    before = _checkpointers()
    sessions = read_only(open_database(sqlite_url))
    with sessions() as s:
        s.connection().exec_driver_sql("SELECT count(*) FROM tickets").scalar()
    assert _checkpointers() == before, "a display or a status read starts no checkpointing thread"
    sessions.kw["bind"].dispose()
