"""The hot path on SQLite: raw statements on the sqlite3 connection of the session's transaction.

SQLite runs in this process, so what costs is Python, and SQLAlchemy's per-statement work is most of
it. These functions talk to the sqlite3 connection of the session's own transaction (begun with the
writer lock like any other), storing values exactly as SQLAlchemy's types do: UTC times as text,
ISO dates, JSON as text, booleans as 0/1.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from db.errors import QueueEmpty
from db.hotpath import common
from db.models import EventKind
from db.views import IssuedTicket, TicketView

_SERVICE = f"SELECT {common.SERVICE_COLUMNS}\nWHERE s.code = ?"
_NEXT_NUMBER = """
INSERT INTO daily_sequences (service_id, business_date, last_number) SELECT :sid, :day, 1 WHERE :quota >= 1
ON CONFLICT (service_id, business_date) DO UPDATE SET last_number = last_number + 1
WHERE last_number < :quota
RETURNING last_number
"""
_TICKET = """
INSERT INTO tickets (service_id, business_date, sequence, code, priority, priority_category, status, to_front,
                     queued_at, issued_at, recall_count, note, print_failed)
VALUES (:sid, :day, :seq, :code, :prio, :cat, 'waiting', 0, :now, :now, 0, '', 0)
RETURNING *
"""
_POSITION = """
SELECT (SELECT count(*) FROM tickets w WHERE w.service_id = :sid AND w.business_date = :day
          AND w.status = 'waiting' AND w.id != :id AND (w.priority OR NOT :prio)),
       (SELECT count(*) FROM counter_services cs JOIN counters c ON c.id = cs.counter_id
          WHERE cs.service_id = :sid AND c.is_open AND c.active),
       (SELECT recent_service_minutes FROM services WHERE id = :sid)
"""
_EVENT = """
INSERT INTO events (at, kind, ticket_id, counter_id, operator_id, service_id, detail)
VALUES (?, ?, ?, ?, ?, ?, ?)
"""
_COUNTER = f"""
SELECT c.id, c.code, c.name, c.is_open, c.operator_id, c.priority_run, c.run_date,
       {common.TURN.format(day=":day")} AS turn, (SELECT username FROM operators WHERE id = c.operator_id) AS username
FROM counters c JOIN venue v ON v.id = 1 AND v.timezone = :tz
WHERE c.code = :code AND c.active
  AND NOT EXISTS (SELECT 1 FROM tickets a WHERE a.counter_id = c.id AND a.status IN ('called', 'serving'))
"""
_PICK = """
SELECT t.id, s.code, s.name, s.name_en, a.code FROM tickets t
JOIN services s ON s.id = t.service_id JOIN agencies a ON a.id = s.agency_id
WHERE t.status = 'waiting' AND t.business_date = :day
  AND t.service_id IN (SELECT cs.service_id FROM counter_services cs JOIN services s ON s.id = cs.service_id
                       WHERE cs.counter_id = :cid AND s.active)
ORDER BY (t.priority = :turn) DESC, t.to_front DESC, t.queued_at, t.id
LIMIT 1
"""
_CALL_TICKET = """
UPDATE tickets SET status = 'called', called_at = :now, counter_id = :cid, operator_id = :op, recall_count = 0
WHERE id = :tid
RETURNING *
"""
_COUNTER_AFTER_CALL = "UPDATE counters SET is_open = 1, priority_run = :run, run_date = :day WHERE id = :cid"


def _raw(session: Session) -> Any:
    """The sqlite3 connection of the session's transaction (begun, with the writer lock, if not yet)."""
    return session.connection().connection.driver_connection


def _rows(cursor: Any) -> list[SimpleNamespace]:
    names = [d[0] for d in cursor.description]
    return [SimpleNamespace(**dict(zip(names, row))) for row in cursor.fetchall()]


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _event(raw: Any, kind: EventKind, now: datetime, ticket_id: int | None, counter_id: int | None,
           operator_id: int | None, service_id: int | None, detail: dict[str, Any]) -> None:
    raw.execute(_EVENT, (_stamp(now), kind.value, ticket_id, counter_id, operator_id, service_id, json.dumps(detail)))


def issue(session: Session, code: str, priority: bool, category: str | None, now: datetime) -> IssuedTicket | None:
    """Issue on SQLite, or None (nothing written) for the ORM path to decide."""
    raw = _raw(session)
    row = raw.execute(_SERVICE, (code.strip().upper(),)).fetchone()
    svc = common.service_row(row) if row is not None else None
    day = common.usable(svc, priority, now)
    if svc is None or day is None:
        return None
    quota = svc.quota if svc.quota is not None else 2**62
    found = raw.execute(_NEXT_NUMBER, {"sid": svc.id, "day": day.isoformat(), "quota": quota}).fetchone()
    if found is None:
        return None  # today's quota is used up: nothing written; the ORM path says so
    ticket = _rows(raw.execute(_TICKET, {"sid": svc.id, "day": day.isoformat(), "seq": found[0],
                                         "code": common.ticket_code(svc, found[0]), "prio": int(priority),
                                         "cat": category if priority else None, "now": _stamp(now)}))[0]
    _event(raw, EventKind.ISSUED, now, ticket.id, None, None, svc.id, {"code": ticket.code, "priority": priority})
    ahead, counters, recent = raw.execute(_POSITION, {"sid": svc.id, "day": day.isoformat(), "id": ticket.id,
                                                      "prio": int(priority)}).fetchone()
    view = common.view(svc.code, svc.name, svc.name_en, svc.agency, ticket)
    return IssuedTicket(view, ahead, common.estimate(ahead, counters, recent, svc))


def call(session: Session, params: dict[str, Any]) -> TicketView | None:
    """Call on SQLite; QueueEmpty when the counter is free and nothing waits; None for the ORM path."""
    from db.queue import next_run

    raw = _raw(session)
    day, now = params["day"], params["now"]
    found = _rows(raw.execute(_COUNTER, {"code": params["code"], "tz": params["tz"], "day": day.isoformat()}))
    if not found:
        return None
    ctr = found[0]
    svc = raw.execute(_PICK, {"day": day.isoformat(), "cid": ctr.id, "turn": int(bool(ctr.turn))}).fetchone()
    if svc is None:  # the counter is free and nothing waits for it (the ORM path's words)
        raise QueueEmpty(f"no ticket is waiting for {ctr.name}")
    t = _rows(raw.execute(_CALL_TICKET, {"now": _stamp(now), "cid": ctr.id, "op": ctr.operator_id,
                                         "tid": svc[0]}))[0]
    run = next_run(ctr.priority_run, common.as_date(ctr.run_date) if ctr.run_date else None, day, bool(t.priority))
    raw.execute(_COUNTER_AFTER_CALL, {"run": run, "day": day.isoformat(), "cid": ctr.id})
    if not ctr.is_open:
        _event(raw, EventKind.COUNTER_OPENED, now, None, ctr.id, ctr.operator_id, None, {})
    _event(raw, EventKind.CALLED, now, t.id, ctr.id, ctr.operator_id, t.service_id,
           {"code": t.code, "counter": ctr.code})
    return common.view(svc[1], svc[2], svc[3], svc[4], t, ctr.code, ctr.name, ctr.username)


def finish(session: Session, code: str, now: datetime, smoothing: float) -> TicketView | None:
    """Finish on SQLite, or None (nothing written) when the counter holds no ticket."""
    raw = _raw(session)
    found = _rows(raw.execute(common.FINISH, {"now": _stamp(now), "code": code}))
    if not found:
        return None
    t = found[0]
    started = common.NOW.process_result_value(common.as_datetime(t.started_at), None)
    if started is not None and now >= started:
        raw.execute(common.LEARN, {"m": (now - started).total_seconds() / 60, "w": smoothing, "sid": t.service_id})
        common.expire_service_minutes(session, t.service_id)
    _event(raw, EventKind.FINISHED, now, t.id, t.counter_id, t.operator_id, t.service_id, {"code": t.code})
    names = raw.execute(common.NAMES, {"sid": t.service_id, "cid": t.counter_id, "op": t.operator_id}).fetchone()
    return common.view(names[0], names[1], names[2], names[3], t, names[4], names[5], names[6])
