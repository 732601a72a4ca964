"""What both backends' hot paths share: the service's settings, the rules checked in Python, the view."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Date, bindparam, text
from sqlalchemy.orm import Session

from db.hours import is_open
from db.models import Service, UTCDateTime
from db.views import TicketView

BOOL, DAY, NOW = Boolean(), Date(), UTCDateTime()


@dataclass(frozen=True)
class ServiceRow:
    """What issuing needs to know of a service (and the venue), read in one query."""

    id: int
    code: str
    name: str
    name_en: str
    agency: str
    offered: bool
    allow_priority: bool
    quota: int | None
    hours: Any
    timezone: str
    code_format: str
    expected_minutes: int | None
    default_minutes: int
    fingerprint: str = ""


def service_row(row: Any) -> ServiceRow:
    """A ServiceRow from the columns of the services/agencies/venue query both backends run."""
    hours = row[8] if row[8] is not None else row[9]
    return ServiceRow(row[0], row[1], row[2], row[3] or row[2], row[4], bool(row[5]), bool(row[6]), row[7],
                      _json(hours), row[10], row[11], row[12], row[13])


SERVICE_COLUMNS = """s.id, s.code, s.name, s.name_en, a.code, s.active AND a.active, s.allow_priority, s.daily_quota,
       s.hours, v.hours, v.timezone, v.code_format, s.expected_service_minutes, v.default_service_minutes
FROM services s JOIN agencies a ON a.id = s.agency_id JOIN venue v ON v.id = 1"""


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value  # SQLite hands JSON back as text


def usable(svc: ServiceRow | None, priority: bool, now: datetime) -> date | None:
    """The business day when the service takes this ticket now; None when the ORM path must decide."""
    if svc is None or not svc.offered or (priority and not svc.allow_priority) or svc.quota == 0:
        return None
    local = now.astimezone(ZoneInfo(svc.timezone))
    return local.date() if is_open(svc.hours, local) else None


def estimate(ahead: int, counters: int, recent: float | None, svc: ServiceRow) -> int | None:
    # Same figure as db.stats.estimate: the moving average, else the configured minutes.
    if counters == 0:
        return None
    minutes = max(recent, 0.5) if recent is not None else float(svc.expected_minutes or svc.default_minutes)
    return math.ceil(ahead * minutes / counters)


def ticket_code(svc: ServiceRow, number: int) -> str:
    """The printed code, e.g. A-007, by the venue's code format."""
    from db.queue import format_code

    return format_code(svc.code_format, svc.code, number)


def view(svc_code: str, name: str, name_en: str, agency: str, t: Any, counter: str | None = None,
          counter_name: str | None = None, operator: str | None = None) -> TicketView:
    utc = NOW.process_result_value
    return TicketView(
        id=t.id, code=t.code, service=svc_code, service_name=name, service_name_en=name_en or name, agency=agency,
        status=t.status, priority=bool(t.priority), priority_category=t.priority_category,
        business_date=as_date(t.business_date), sequence=t.sequence, issued_at=utc(as_datetime(t.issued_at), None),
        queued_at=utc(as_datetime(t.queued_at), None), called_at=utc(as_datetime(t.called_at), None),
        started_at=utc(as_datetime(t.started_at), None), finished_at=utc(as_datetime(t.finished_at), None),
        held_at=utc(as_datetime(t.held_at), None), counter=counter, counter_name=counter_name, operator=operator,
        recall_count=t.recall_count, transferred_from_id=t.transferred_from_id, print_failed=bool(t.print_failed),
        note=t.note,
    )


def as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def as_datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def day_of(now: datetime, timezone: str) -> date:
    """The business day at `now` in the venue's time zone."""
    return now.astimezone(ZoneInfo(timezone)).date()


# The counter's turn by the ratio (db.queue._priority_turn), as SQL over its stored run.
TURN = """CASE WHEN c.run_date IS DISTINCT FROM {day} OR c.priority_run = 0 THEN true
               WHEN c.priority_run > 0 THEN c.priority_run < v.priority_every
               ELSE -c.priority_run >= v.regular_every END"""
NEXT_RUN = """CASE WHEN upd.priority THEN (CASE WHEN c.run_date = {day} AND c.priority_run > 0
                                                THEN c.priority_run + 1 ELSE 1 END)
                    ELSE (CASE WHEN c.run_date = {day} AND c.priority_run < 0 THEN c.priority_run - 1 ELSE -1 END)
               END"""


# An idle counter's question, the same on both databases (the venue's zone guards the cached day).
ANY_WAITING = text("""
SELECT EXISTS (SELECT 1 FROM counter_services cs JOIN services s ON s.id = cs.service_id AND s.active
               JOIN tickets t ON t.service_id = cs.service_id AND t.business_date = :day AND t.status = 'waiting'
               WHERE cs.counter_id = c.id) AS waiting, c.name,
       NOT EXISTS (SELECT 1 FROM tickets a WHERE a.counter_id = c.id AND a.status IN ('called', 'serving')) AS free
FROM counters c JOIN venue v ON v.id = 1 AND v.timezone = :tz
WHERE c.code = :code AND c.active
""").bindparams(bindparam("day", type_=DAY))

# Finishing: the same UPDATE on both databases, and the moving average of db.stats.learn_service_time.
FINISH = """
UPDATE tickets SET status = 'done', started_at = COALESCE(started_at, called_at), finished_at = :now
WHERE status IN ('called', 'serving')
  AND counter_id = (SELECT id FROM counters WHERE code = :code AND active)
RETURNING *
"""
LEARN = """
UPDATE services SET recent_service_minutes = CASE WHEN recent_service_minutes IS NULL THEN :m
    ELSE (1 - :w) * recent_service_minutes + :w * :m END
WHERE id = :sid
"""
NAMES = """
SELECT s.code, s.name, s.name_en, a.code, c.code, c.name, (SELECT username FROM operators WHERE id = :op)
FROM services s JOIN agencies a ON a.id = s.agency_id JOIN counters c ON c.id = :cid
WHERE s.id = :sid
"""


def expire_service_minutes(session: Session, service_id: int) -> None:
    """An ORM copy of the service in this session would hold the old moving average."""
    cached = session.identity_map.get(session.identity_key(Service, service_id))
    if cached is not None:
        session.expire(cached, ["recent_service_minutes"])
