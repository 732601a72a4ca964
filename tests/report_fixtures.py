"""A fixture day on the small venue whose every report figure is computed by hand in test_reports.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from db import unit_of_work
from db.models import Operator, Service
from db.moves import cancel, transfer
from db.operators import sign_in
from db.queue import call_next, finish, issue_ticket, no_show, start_serving


def fixture_day(sessions: sessionmaker[Session], t0: datetime) -> dict[str, int]:
    """Play the day: each step is one unit of work at t0 + minutes. Returns ticket ids by name."""

    def at(minutes: int) -> datetime:
        return t0 + timedelta(minutes=minutes)

    ids: dict[str, int] = {}
    with unit_of_work(sessions) as s:
        s.execute(update(Service).where(Service.code == "A").values(target_wait_minutes=15))
        s.execute(update(Operator).values(must_change_pin=False))  # they chose their PINs long ago
        sign_in(s, "L1", "siti", "1234", now=at(0))
        sign_in(s, "L3", "budi", "4321", now=at(0))
    steps = [
        (0, lambda s, m: ids.setdefault("A1", issue_ticket(s, "A", now=m).ticket.id)),
        (1, lambda s, m: ids.setdefault("A2", issue_ticket(s, "A", now=m).ticket.id)),
        (2, lambda s, m: ids.setdefault("A3", issue_ticket(s, "A", now=m).ticket.id)),
        (3, lambda s, m: ids.setdefault("A4", issue_ticket(s, "A", now=m).ticket.id)),
        (5, lambda s, m: ids.setdefault("B1", issue_ticket(s, "B", now=m).ticket.id)),
        (6, lambda s, m: ids.setdefault("S1", issue_ticket(s, "S", now=m).ticket.id)),
        (10, lambda s, m: call_next(s, "L1", now=m)),  # A-001 waited 10
        (11, lambda s, m: start_serving(s, "L1", now=m)),
        (12, lambda s, m: call_next(s, "L2", now=m)),  # A-002 waited 11 (nobody signed in at L2)
        (17, lambda s, m: finish(s, "L2", now=m)),  # served 5, counted from the call
        (20, lambda s, m: call_next(s, "L3", now=m)),  # S-001 waited 14
        (20, lambda s, m: start_serving(s, "L3", now=m)),
        (21, lambda s, m: finish(s, "L1", now=m)),  # A-001 served 10
        (21, lambda s, m: call_next(s, "L1", now=m)),  # A-003 waited 19
        (24, lambda s, m: cancel(s, ids["A4"], now=m)),  # A-004 left, never called
        (25, lambda s, m: no_show(s, "L1", now=m)),
        (26, lambda s, m: call_next(s, "L1", now=m)),  # B-001 waited 21
        (26, lambda s, m: start_serving(s, "L1", now=m)),
        (28, lambda s, m: ids.setdefault("B1moved", transfer(s, "L1", "S", now=m).id)),
        (34, lambda s, m: finish(s, "L3", now=m)),  # S-001 served 14
        (40, lambda s, m: call_next(s, "L3", now=m)),  # B-001 in S waited 12 (queued at the transfer)
        (43, lambda s, m: finish(s, "L3", now=m)),  # served 3
    ]
    for minutes, step in steps:
        with unit_of_work(sessions) as s:
            step(s, at(minutes))
    return ids
