"""The hot path: issuing and calling in a few Core statements, one on PostgreSQL.

On a LAN every statement is a round trip, and the ORM spends more time than SQLite itself. These
functions do what `db.queue.issue_ticket` and `db.queue.call_next` do in the common case:

- PostgreSQL: one data-modifying statement (with BEGIN and COMMIT: three round trips in all).
  `issue` checks the rules in Python against a per-process copy of the service's settings and
  the statement re-checks that copy against the rows (a fingerprint), so a supervisor's change is
  seen at once; `call` reads everything it needs inside the statement.
- SQLite: the same work as a handful of cached Core statements inside the writer's transaction.

They return None whenever anything is unusual (a refusal, an unknown code, a stale copy) before
writing anything, and the caller then runs the ORM version, which holds the rules and words every
refusal. The Hypothesis model test (tests/test_engine_model.py) drives both paths.
"""

from __future__ import annotations

import json
import math
import re
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Date, bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.errors import QueueEmpty, Refused
from db.hours import is_open
from db.models import Event, EventKind, Service, UTCDateTime
from db.views import IssuedTicket, TicketView

_BOOL, _DAY, _NOW = Boolean(), Date(), UTCDateTime()
_EVENT_INSERT = Event.__table__.insert()

_SERVICE = text("""
SELECT s.id, s.code, s.name, s.name_en, a.code, s.active AND a.active, s.allow_priority, s.daily_quota,
       s.hours, v.hours, v.timezone, v.code_format, s.expected_service_minutes, v.default_service_minutes
FROM services s JOIN agencies a ON a.id = s.agency_id JOIN venue v ON v.id = 1
WHERE s.code = :code
""")

# What the cached copy of a service depends on; the PostgreSQL statement compares it with the rows.
_FINGERPRINT_PG = """md5(concat_ws('|', s.code, s.active AND a.active, s.allow_priority,
    coalesce(s.daily_quota::text, '~'), coalesce(s.hours::text, '~'), coalesce(v.hours::text, '~'),
    v.timezone, v.code_format, coalesce(s.expected_service_minutes::text, '~'), v.default_service_minutes))"""


@dataclass(frozen=True)
class _Service:
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


def _service(session: Session, code: str) -> _Service | None:
    row = session.connection().execute(_SERVICE, {"code": code.strip().upper()}).first()
    if row is None:
        return None
    hours = row[8] if row[8] is not None else row[9]
    return _Service(row[0], row[1], row[2], row[3] or row[2], row[4], bool(row[5]), bool(row[6]), row[7],
                    _json(hours), row[10], row[11], row[12], row[13])


def _json(value: Any) -> Any:
    if isinstance(value, str):  # SQLite hands JSON back as text through a plain text() query
        import json

        return json.loads(value)
    return value


def _usable(svc: _Service | None, priority: bool, now: datetime) -> date | None:
    """The business day when the service takes this ticket now; None when the ORM path must decide."""
    if svc is None or not svc.offered or (priority and not svc.allow_priority) or svc.quota == 0:
        return None
    local = now.astimezone(ZoneInfo(svc.timezone))
    return local.date() if is_open(svc.hours, local) else None


def _estimate(ahead: int, counters: int, recent: float | None, svc: _Service) -> int | None:
    # Same figure as db.stats.estimate: the moving average, else the configured minutes.
    if counters == 0:
        return None
    minutes = max(recent, 0.5) if recent is not None else float(svc.expected_minutes or svc.default_minutes)
    return math.ceil(ahead * minutes / counters)


def _view(svc_code: str, name: str, name_en: str, agency: str, t: Any, counter: str | None = None,
          counter_name: str | None = None, operator: str | None = None) -> TicketView:
    utc = _NOW.process_result_value
    return TicketView(
        id=t.id, code=t.code, service=svc_code, service_name=name, service_name_en=name_en or name, agency=agency,
        status=t.status, priority=bool(t.priority), priority_category=t.priority_category,
        business_date=_date(t.business_date), sequence=t.sequence, issued_at=utc(_dt(t.issued_at), None),
        queued_at=utc(_dt(t.queued_at), None), called_at=utc(_dt(t.called_at), None),
        started_at=utc(_dt(t.started_at), None), finished_at=utc(_dt(t.finished_at), None),
        held_at=utc(_dt(t.held_at), None), counter=counter, counter_name=counter_name, operator=operator,
        recall_count=t.recall_count, transferred_from_id=t.transferred_from_id, print_failed=bool(t.print_failed),
        note=t.note,
    )


def _date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _dt(value: Any) -> datetime | None:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


# --- issuing -------------------------------------------------------------------------------------

_cache: dict[tuple[str, str], _Service] = {}


def issue(session: Session, service_code: str, *, priority: bool, category: str | None,
          now: datetime) -> IssuedTicket | None:
    """Issue a ticket on the hot path, or None to let the ORM path decide (and word any refusal)."""
    if session.get_bind().dialect.name == "postgresql":
        return _issue_pg(session, service_code, priority, category, now)
    return _issue_sqlite(session, service_code, priority, category, now)


def _ticket_values(svc: _Service, day: date, number: int, priority: bool, category: str | None,
                   now: datetime) -> dict[str, Any]:
    from db.queue import format_code

    return {"sid": svc.id, "day": day, "seq": number, "code": format_code(svc.code_format, svc.code, number),
            "prio": priority, "cat": category if priority else None, "now": now}


# SQLite runs in this process: what costs is Python, and SQLAlchemy's per-statement work is most
# of it. The SQLite hot path talks to the sqlite3 connection of the session's own transaction
# directly, storing values exactly as SQLAlchemy's types do (UTC text times, ISO dates, JSON text).
_SQLITE_SERVICE = """
SELECT s.id, s.code, s.name, s.name_en, a.code, s.active AND a.active, s.allow_priority, s.daily_quota,
       s.hours, v.hours, v.timezone, v.code_format, s.expected_service_minutes, v.default_service_minutes
FROM services s JOIN agencies a ON a.id = s.agency_id JOIN venue v ON v.id = 1
WHERE s.code = ?
"""
_SQLITE_NEXT_NUMBER = """
INSERT INTO daily_sequences (service_id, business_date, last_number) SELECT :sid, :day, 1 WHERE :quota >= 1
ON CONFLICT (service_id, business_date) DO UPDATE SET last_number = last_number + 1
WHERE last_number < :quota
RETURNING last_number
"""
_SQLITE_TICKET = """
INSERT INTO tickets (service_id, business_date, sequence, code, priority, priority_category, status, to_front,
                     queued_at, issued_at, recall_count, note, print_failed)
VALUES (:sid, :day, :seq, :code, :prio, :cat, 'waiting', 0, :now, :now, 0, '', 0)
RETURNING *
"""
_SQLITE_POSITION = """
SELECT (SELECT count(*) FROM tickets w WHERE w.service_id = :sid AND w.business_date = :day
          AND w.status = 'waiting' AND w.id != :id AND (w.priority OR NOT :prio)),
       (SELECT count(*) FROM counter_services cs JOIN counters c ON c.id = cs.counter_id
          WHERE cs.service_id = :sid AND c.is_open AND c.active),
       (SELECT recent_service_minutes FROM services WHERE id = :sid)
"""
_SQLITE_EVENT = """
INSERT INTO events (at, kind, ticket_id, counter_id, operator_id, service_id, detail)
VALUES (?, ?, ?, ?, ?, ?, ?)
"""


def _raw(session: Session) -> Any:
    """The sqlite3 connection of the session's transaction (begun, with the writer lock, if not yet)."""
    return session.connection().connection.driver_connection


def _rows(cursor: Any) -> list[SimpleNamespace]:
    names = [d[0] for d in cursor.description]
    return [SimpleNamespace(**dict(zip(names, row))) for row in cursor.fetchall()]


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_event(raw: Any, kind: EventKind, now: datetime, ticket_id: int | None, counter_id: int | None,
                  operator_id: int | None, service_id: int | None, detail: dict[str, Any]) -> None:
    raw.execute(_SQLITE_EVENT, (_stamp(now), kind.value, ticket_id, counter_id, operator_id, service_id,
                                json.dumps(detail)))


def _issue_sqlite(session: Session, code: str, priority: bool, category: str | None,
                  now: datetime) -> IssuedTicket | None:
    raw = _raw(session)
    row = raw.execute(_SQLITE_SERVICE, (code.strip().upper(),)).fetchone()
    if row is None:
        return None
    hours = row[8] if row[8] is not None else row[9]
    svc = _Service(row[0], row[1], row[2], row[3] or row[2], row[4], bool(row[5]), bool(row[6]), row[7],
                   _json(hours), row[10], row[11], row[12], row[13])
    day = _usable(svc, priority, now)
    if day is None:
        return None
    quota = svc.quota if svc.quota is not None else 2**62
    found = raw.execute(_SQLITE_NEXT_NUMBER, {"sid": svc.id, "day": day.isoformat(), "quota": quota}).fetchone()
    if found is None:
        return None  # today's quota is used up: nothing written; the ORM path says so
    v = _ticket_values(svc, day, found[0], priority, category, now)
    ticket = _rows(raw.execute(_SQLITE_TICKET, {"sid": svc.id, "day": day.isoformat(), "seq": found[0],
                                                "code": v["code"], "prio": int(priority), "cat": v["cat"],
                                                "now": _stamp(now)}))[0]
    _sqlite_event(raw, EventKind.ISSUED, now, ticket.id, None, None, svc.id,
                  {"code": ticket.code, "priority": priority})
    ahead, counters, recent = raw.execute(_SQLITE_POSITION, {"sid": svc.id, "day": day.isoformat(),
                                                             "id": ticket.id, "prio": int(priority)}).fetchone()
    view = _view(svc.code, svc.name, svc.name_en, svc.agency, ticket)
    return IssuedTicket(view, ahead, _estimate(ahead, counters, recent, svc))


def _insert_event(session: Session, kind: Any, now: datetime, **values: Any) -> None:
    session.connection().execute(_EVENT_INSERT, {"at": now, "kind": kind, **values})


def _code_sql(fmt: str) -> str | None:
    """The ticket code as SQL over `prefix` and `number`, for the formats Antre accepts; else None."""
    parts = []
    for literal, field, spec, conversion in string.Formatter().parse(fmt):
        if literal:
            parts.append("'" + literal.replace("'", "''") + "'")
        if field is None:
            continue
        if conversion:
            return None
        if field == "prefix" and not spec:
            parts.append("s.code")
        elif field == "number" and (m := re.fullmatch(r"(0?)(\d*)d?", spec or "")):
            width = int(m.group(2) or 0)
            number = "seq.last_number::text"
            parts.append(f"lpad({number}, greatest({width}, length({number})), '0')" if m.group(1) and width
                         else (f"lpad({number}, greatest({width}, length({number})), ' ')" if width else number))
        else:
            return None
    return " || ".join(parts) if parts else "''"


def _issue_statement(code_sql: str) -> Any:
    # One statement: number, ticket, event and position. The fingerprint guard makes it do nothing
    # when the service's settings changed since this process copied them (the caller then reloads).
    return text(f"""
WITH s AS (
  SELECT s.id, s.code FROM services s JOIN agencies a ON a.id = s.agency_id JOIN venue v ON v.id = 1
  WHERE s.id = :sid AND {_FINGERPRINT_PG} = :fp
), seq AS (
  INSERT INTO daily_sequences AS d (service_id, business_date, last_number)
  SELECT s.id, CAST(:day AS date), 1 FROM s WHERE CAST(:quota AS bigint) >= 1
  ON CONFLICT (service_id, business_date) DO UPDATE SET last_number = d.last_number + 1
  WHERE d.last_number < CAST(:quota AS bigint)
  RETURNING d.last_number
), t AS (
  INSERT INTO tickets (service_id, business_date, sequence, code, priority, priority_category, status, to_front,
                       queued_at, issued_at, recall_count, note, print_failed)
  SELECT s.id, CAST(:day AS date), seq.last_number, {code_sql}, CAST(:prio AS boolean), CAST(:cat AS varchar),
         'waiting', false, CAST(:now AS timestamptz), CAST(:now AS timestamptz), 0, '', false
  FROM s, seq
  RETURNING *
), e AS (
  INSERT INTO events (at, kind, ticket_id, service_id, detail)
  SELECT CAST(:now AS timestamptz), 'issued', t.id, t.service_id,
         json_build_object('code', t.code, 'priority', t.priority) FROM t
  RETURNING id
)
SELECT t.*,
  (SELECT count(*) FROM tickets w WHERE w.service_id = :sid AND w.business_date = CAST(:day AS date)
     AND w.status = 'waiting' AND (w.priority OR NOT CAST(:prio AS boolean))) AS x_ahead,
  (SELECT count(*) FROM counter_services cs JOIN counters c ON c.id = cs.counter_id
     WHERE cs.service_id = :sid AND c.is_open AND c.active) AS x_counters,
  (SELECT recent_service_minutes FROM services WHERE id = :sid) AS x_recent
FROM t, e
""").bindparams(bindparam("prio", type_=_BOOL), bindparam("day", type_=_DAY),
                bindparam("now", type_=_NOW))


_statements: dict[str, Any] = {}


def _issue_pg(session: Session, code: str, priority: bool, category: str | None,
              now: datetime) -> IssuedTicket | None:
    key = (str(session.get_bind().url), code.strip().upper())
    svc = _cache.get(key)
    for attempt in (1, 2):
        if svc is None:
            svc = _service_pg(session, code)
            if svc is None:
                return None
            _cache[key] = svc
        day = _usable(svc, priority, now)
        if day is None:
            return None
        code_sql = _code_sql(svc.code_format)
        if code_sql is None:
            return None
        stmt = _statements.get(code_sql)
        if stmt is None:
            stmt = _statements[code_sql] = _issue_statement(code_sql)
        quota = svc.quota if svc.quota is not None else 2**62
        row = session.connection().execute(stmt, {"sid": svc.id, "fp": svc.fingerprint, "day": day, "quota": quota,
                                     "prio": priority, "cat": category if priority else None, "now": now}).first()
        if row is not None:
            view = _view(svc.code, svc.name, svc.name_en, svc.agency, row)
            return IssuedTicket(view, row.x_ahead, _estimate(row.x_ahead, row.x_counters, row.x_recent, svc))
        # Nothing written: the copy is stale, or the quota is used up. Reload once, then let the ORM decide.
        _cache.pop(key, None)
        svc = None
    return None


def _service_pg(session: Session, code: str) -> _Service | None:
    svc = _service(session, code)
    if svc is None:
        return None
    fp = session.connection().execute(text(f"""SELECT {_FINGERPRINT_PG} FROM services s
        JOIN agencies a ON a.id = s.agency_id JOIN venue v ON v.id = 1 WHERE s.id = :sid"""), {"sid": svc.id}).scalar()
    return _Service(**{**svc.__dict__, "fingerprint": fp})


# --- calling -------------------------------------------------------------------------------------

# The counter's turn by the ratio (db.queue._priority_turn), as SQL over its stored run.
_TURN = """CASE WHEN c.run_date IS DISTINCT FROM {day} OR c.priority_run = 0 THEN true
               WHEN c.priority_run > 0 THEN c.priority_run < v.priority_every
               ELSE -c.priority_run >= v.regular_every END"""
_NEXT_RUN = """CASE WHEN upd.priority THEN (CASE WHEN c.run_date = {day} AND c.priority_run > 0
                                                THEN c.priority_run + 1 ELSE 1 END)
                    ELSE (CASE WHEN c.run_date = {day} AND c.priority_run < 0 THEN c.priority_run - 1 ELSE -1 END)
               END"""

_PG_DAY = "CAST(:day AS date)"
_CALL_PG = text(f"""
WITH c AS (
  SELECT c.id, c.code, c.name, c.is_open, c.operator_id, c.priority_run, c.run_date,
         {_TURN.format(day=_PG_DAY)} AS turn
  FROM counters c JOIN venue v ON v.id = 1 AND v.timezone = :tz
  WHERE c.code = :code AND c.active
    AND NOT EXISTS (SELECT 1 FROM tickets a WHERE a.counter_id = c.id AND a.status IN ('called', 'serving'))
), pick AS (
  SELECT t.id FROM tickets t, c
  WHERE t.status = 'waiting' AND t.business_date = CAST(:day AS date)
    AND t.service_id IN (SELECT cs.service_id FROM counter_services cs JOIN services s ON s.id = cs.service_id
                         WHERE cs.counter_id = c.id AND s.active)
  ORDER BY (t.priority = c.turn) DESC, t.to_front DESC, t.queued_at, t.id
  LIMIT 1
  FOR UPDATE OF t SKIP LOCKED
), upd AS (
  UPDATE tickets SET status = 'called', called_at = CAST(:now AS timestamptz), counter_id = c.id,
                     operator_id = c.operator_id, recall_count = 0
  FROM pick, c WHERE tickets.id = pick.id
  RETURNING tickets.*
), cu AS (
  UPDATE counters SET is_open = true, priority_run = {_NEXT_RUN.format(day=_PG_DAY)}, run_date = CAST(:day AS date)
  FROM c, upd WHERE counters.id = c.id
  RETURNING counters.id
), opened AS (
  INSERT INTO events (at, kind, counter_id, operator_id, detail)
  SELECT CAST(:now AS timestamptz), 'counter_opened', c.id, c.operator_id, '{{}}'::json FROM c, upd WHERE NOT c.is_open
  RETURNING id
), e AS (
  INSERT INTO events (at, kind, ticket_id, counter_id, operator_id, service_id, detail)
  SELECT CAST(:now AS timestamptz), 'called', upd.id, upd.counter_id, upd.operator_id, upd.service_id,
         json_build_object('code', upd.code, 'counter', c.code)
  FROM upd, c, (SELECT count(*) AS n FROM opened) o  -- reading `opened` makes its event come first
  RETURNING id
)
SELECT upd.*, c.code AS x_counter, c.name AS x_counter_name, s.code AS x_service, s.name AS x_service_name,
       s.name_en AS x_service_name_en, a.code AS x_agency, o.username AS x_operator
FROM upd JOIN c ON true JOIN cu ON true JOIN e ON true
  JOIN services s ON s.id = upd.service_id JOIN agencies a ON a.id = s.agency_id
  LEFT JOIN operators o ON o.id = upd.operator_id
""").bindparams(bindparam("day", type_=_DAY), bindparam("now", type_=_NOW))


_timezones: dict[str, str] = {}


def call(session: Session, counter_code: str, *, now: datetime) -> TicketView | None:
    """Call the counter's next ticket on the hot path, or None to let the ORM path decide."""
    url = str(session.get_bind().url)
    tz = _timezones.get(url)
    if tz is None:
        tz = session.connection().execute(text("SELECT timezone FROM venue WHERE id = 1")).scalar() or ""
        _timezones[url] = tz
    if not tz:
        return None
    day = now.astimezone(ZoneInfo(tz)).date()
    params = {"code": counter_code.strip().upper(), "day": day, "now": now, "tz": tz}
    if session.get_bind().dialect.name != "postgresql":
        view = _call_sqlite(session, params)
    else:
        try:
            row = session.connection().execute(_CALL_PG, params).first()
        except IntegrityError:
            # The same counter called twice at once from two PCs: the database kept one ticket per counter.
            raise Refused(f"counter {params['code']} is already calling a ticket", reason="busy") from None
        view = row and _view(row.x_service, row.x_service_name, row.x_service_name_en, row.x_agency, row,
                             row.x_counter, row.x_counter_name, row.x_operator)
    if view is None:
        _timezones.pop(url, None)  # empty, busy, unknown, or the venue moved: the ORM path words it
    return view


_SQLITE_COUNTER = f"""
SELECT c.id, c.code, c.name, c.is_open, c.operator_id, c.priority_run, c.run_date,
       {_TURN.format(day=":day")} AS turn, (SELECT username FROM operators WHERE id = c.operator_id) AS username
FROM counters c JOIN venue v ON v.id = 1 AND v.timezone = :tz
WHERE c.code = :code AND c.active
  AND NOT EXISTS (SELECT 1 FROM tickets a WHERE a.counter_id = c.id AND a.status IN ('called', 'serving'))
"""
_SQLITE_PICK = """
SELECT t.id, s.code, s.name, s.name_en, a.code FROM tickets t
JOIN services s ON s.id = t.service_id JOIN agencies a ON a.id = s.agency_id
WHERE t.status = 'waiting' AND t.business_date = :day
  AND t.service_id IN (SELECT cs.service_id FROM counter_services cs JOIN services s ON s.id = cs.service_id
                       WHERE cs.counter_id = :cid AND s.active)
ORDER BY (t.priority = :turn) DESC, t.to_front DESC, t.queued_at, t.id
LIMIT 1
"""
_SQLITE_CALL_TICKET = """
UPDATE tickets SET status = 'called', called_at = :now, counter_id = :cid, operator_id = :op, recall_count = 0
WHERE id = :tid
RETURNING *
"""
_SQLITE_COUNTER_AFTER_CALL = "UPDATE counters SET is_open = 1, priority_run = :run, run_date = :day WHERE id = :cid"


def _call_sqlite(session: Session, params: dict[str, Any]) -> TicketView | None:
    from db.queue import next_run

    raw = _raw(session)
    day, now = params["day"], params["now"]
    found = _rows(raw.execute(_SQLITE_COUNTER, {"code": params["code"], "tz": params["tz"], "day": day.isoformat()}))
    if not found:
        return None
    ctr = found[0]
    svc = raw.execute(_SQLITE_PICK, {"day": day.isoformat(), "cid": ctr.id, "turn": int(bool(ctr.turn))}).fetchone()
    if svc is None:  # the counter is free and nothing waits for it (the ORM path's words)
        raise QueueEmpty(f"no ticket is waiting for {ctr.name}")
    t = _rows(raw.execute(_SQLITE_CALL_TICKET, {"now": _stamp(now), "cid": ctr.id, "op": ctr.operator_id,
                                                "tid": svc[0]}))[0]
    run = next_run(ctr.priority_run, _date(ctr.run_date) if ctr.run_date else None, day, bool(t.priority))
    raw.execute(_SQLITE_COUNTER_AFTER_CALL, {"run": run, "day": day.isoformat(), "cid": ctr.id})
    if not ctr.is_open:
        _sqlite_event(raw, EventKind.COUNTER_OPENED, now, None, ctr.id, ctr.operator_id, None, {})
    _sqlite_event(raw, EventKind.CALLED, now, t.id, ctr.id, ctr.operator_id, t.service_id,
                  {"code": t.code, "counter": ctr.code})
    return _view(svc[1], svc[2], svc[3], svc[4], t, ctr.code, ctr.name, ctr.username)


# --- finishing -----------------------------------------------------------------------------------

_FINISH = """
UPDATE tickets SET status = 'done', started_at = COALESCE(started_at, called_at), finished_at = :now
WHERE status IN ('called', 'serving')
  AND counter_id = (SELECT id FROM counters WHERE code = :code AND active)
RETURNING *
"""
# The moving average of db.stats.learn_service_time, in the same arithmetic.
_LEARN = """
UPDATE services SET recent_service_minutes = CASE WHEN recent_service_minutes IS NULL THEN :m
    ELSE (1 - :w) * recent_service_minutes + :w * :m END
WHERE id = :sid
"""
_NAMES = """
SELECT s.code, s.name, s.name_en, a.code, c.code, c.name, (SELECT username FROM operators WHERE id = :op)
FROM services s JOIN agencies a ON a.id = s.agency_id JOIN counters c ON c.id = :cid
WHERE s.id = :sid
"""


def finish(session: Session, counter_code: str, *, now: datetime) -> TicketView | None:
    """Finish the counter's ticket in a few statements, or None to let the ORM path word a refusal."""
    from db.stats import SMOOTHING

    sqlite = session.get_bind().dialect.name == "sqlite"
    code = counter_code.strip().upper()
    if sqlite:
        raw = _raw(session)
        found = _rows(raw.execute(_FINISH, {"now": _stamp(now), "code": code}))
    else:
        conn = session.connection()
        found = conn.execute(text(_FINISH).bindparams(bindparam("now", type_=_NOW)),
                             {"now": now, "code": code}).fetchall()
    if not found:
        return None  # nothing in hand (or an unknown counter): nothing was written
    t = found[0]
    started = _NOW.process_result_value(_dt(t.started_at), None)
    learn = started is not None and now >= started
    params = {"m": (now - started).total_seconds() / 60 if learn else 0.0, "w": SMOOTHING, "sid": t.service_id}
    detail = {"code": t.code}
    names_params = {"sid": t.service_id, "cid": t.counter_id, "op": t.operator_id}
    if sqlite:
        if learn:
            raw.execute(_LEARN, params)
        _sqlite_event(raw, EventKind.FINISHED, now, t.id, t.counter_id, t.operator_id, t.service_id, detail)
        names = raw.execute(_NAMES, names_params).fetchone()
    else:
        if learn:
            conn.execute(text(_LEARN), params)
        _insert_event(session, EventKind.FINISHED, now, ticket_id=t.id, counter_id=t.counter_id,
                      operator_id=t.operator_id, service_id=t.service_id, detail=detail)
        names = conn.execute(text(_NAMES), names_params).one()
    if learn and (cached := session.identity_map.get(session.identity_key(Service, t.service_id))) is not None:
        session.expire(cached, ["recent_service_minutes"])  # an ORM copy in this session would be stale
    return _view(names[0], names[1], names[2], names[3], t, names[4], names[5], names[6])
