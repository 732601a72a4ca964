"""The hot path: issuing, calling and finishing in as few statements as each database allows.

On a LAN every statement is a round trip, and on SQLite the ORM costs more time than SQLite itself.
These functions do what `db.queue.issue_ticket`, `call_next` and `finish` do in the common case:
one data-modifying statement on PostgreSQL (`postgres`), a few raw statements on SQLite (`sqlite`).
They return None whenever anything is unusual (a refusal, an unknown code, a stale copy) before
writing anything, and the caller then runs the ORM version, which holds the rules and words every
refusal. The Hypothesis model test (tests/test_engine_model.py) drives both paths on both databases.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from db.hotpath import common, postgres, sqlite
from db.views import IssuedTicket, TicketView

_timezones: dict[str, str] = {}


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def issue(session: Session, service_code: str, *, priority: bool, category: str | None,
          now: datetime) -> IssuedTicket | None:
    """Issue a ticket on the hot path, or None to let the ORM path decide (and word any refusal)."""
    backend = postgres if _postgres(session) else sqlite
    return backend.issue(session, service_code, priority, category, now)


def warm(session: Session) -> None:
    """Load what issuing reads every time into this process (PostgreSQL; SQLite reads locally)."""
    if _postgres(session):
        postgres.warm(session)


def _timezone(session: Session) -> str:
    url = str(session.get_bind().url)
    tz = _timezones.get(url)
    if tz is None:
        tz = session.connection().execute(text("SELECT timezone FROM venue WHERE id = 1")).scalar() or ""
        _timezones[url] = tz
    return tz


def call(session: Session, counter_code: str, *, now: datetime) -> TicketView | None:
    """Call the counter's next ticket on the hot path, or None to let the ORM path decide."""
    tz = _timezone(session)
    if not tz:
        return None
    params = {"code": counter_code.strip().upper(), "day": common.day_of(now, tz), "now": now, "tz": tz}
    view = (postgres if _postgres(session) else sqlite).call(session, params)
    if view is None:
        _timezones.pop(str(session.get_bind().url), None)  # empty, busy, unknown, or the venue moved
    return view


def any_waiting(session: Session, counter_code: str, *, now: datetime) -> tuple[bool, str] | None:
    """Whether a ticket waits for the counter, and its name, in one read; None when the counter is
    unknown (the ORM path words that). What an idle counter asks again and again."""
    tz = _timezone(session)
    row = session.connection().execute(common.ANY_WAITING, {
        "code": counter_code.strip().upper(), "day": common.day_of(now, tz) if tz else None, "tz": tz}).first()
    if row is None:
        _timezones.pop(str(session.get_bind().url), None)  # unknown counter, or the venue moved
        return None
    return bool(row[0]), row[1]


def finish(session: Session, counter_code: str, *, now: datetime) -> TicketView | None:
    """Finish the counter's ticket on the hot path, or None to let the ORM path word a refusal."""
    from db.stats import SMOOTHING

    backend = postgres if _postgres(session) else sqlite
    return backend.finish(session, counter_code.strip().upper(), now, SMOOTHING)
