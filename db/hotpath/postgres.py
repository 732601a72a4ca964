"""The hot path on PostgreSQL: each action one data-modifying statement (with BEGIN and COMMIT,
three round trips on the LAN).

Issuing checks the rules in Python against this process's copy of the service's settings, and the
statement re-checks that copy against the rows (a fingerprint), so a supervisor's change is seen at
once; calling reads everything it needs inside its statement.
"""

from __future__ import annotations

import re
import string
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.errors import Contended, QueueEmpty, Refused
from db.hotpath import common
from db.views import IssuedTicket, TicketView

# What the cached copy of a service depends on; the issuing statement compares it with the rows.
_FINGERPRINT = """md5(concat_ws('|', s.code, s.active AND a.active, s.allow_priority,
    coalesce(s.daily_quota::text, '~'), coalesce(s.hours::text, '~'), coalesce(v.hours::text, '~'),
    v.timezone, v.code_format, coalesce(s.expected_service_minutes::text, '~'), v.default_service_minutes))"""
# A service's settings and their fingerprint, in one read (SERVICE_COLUMNS ends with its FROM clause).
_SERVICES = f"SELECT {common.SERVICE_COLUMNS.replace('FROM', f', {_FINGERPRINT} FROM', 1)}"
_SERVICE = text(f"{_SERVICES}\nWHERE s.code = :code")
_ALL_SERVICES = text(_SERVICES)

_cache: dict[tuple[str, str], common.ServiceRow] = {}
_statements: dict[str, Any] = {}


def _with_fingerprint(row: Any) -> common.ServiceRow:
    return common.ServiceRow(**{**common.service_row(row).__dict__, "fingerprint": row[-1]})


def _service(session: Session, code: str) -> common.ServiceRow | None:
    row = session.connection().execute(_SERVICE, {"code": code}).first()
    return None if row is None else _with_fingerprint(row)


def warm(session: Session) -> None:
    """Copy every service's settings in one read (a kiosk does this as it shows its catalogue), so
    issuing never pays a first-time read."""
    url = str(session.get_bind().url)
    for row in session.connection().execute(_ALL_SERVICES):
        svc = _with_fingerprint(row)
        _cache[(url, svc.code.upper())] = svc


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
  WHERE s.id = :sid AND {_FINGERPRINT} = :fp
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
""").bindparams(bindparam("prio", type_=common.BOOL), bindparam("day", type_=common.DAY),
                bindparam("now", type_=common.NOW))


def issue(session: Session, code: str, priority: bool, category: str | None, now: datetime) -> IssuedTicket | None:
    """Issue in one statement, or None (nothing written) for the ORM path to decide."""
    key = (str(session.get_bind().url), code.strip().upper())
    svc = _cache.get(key)
    for _attempt in (1, 2):
        if svc is None:
            svc = _service(session, key[1])
            if svc is None:
                return None
            _cache[key] = svc
        day = common.usable(svc, priority, now)
        code_sql = _code_sql(svc.code_format)
        if day is None or code_sql is None:
            return None
        stmt = _statements.get(code_sql)
        if stmt is None:
            stmt = _statements[code_sql] = _issue_statement(code_sql)
        quota = svc.quota if svc.quota is not None else 2**62
        row = session.connection().execute(stmt, {"sid": svc.id, "fp": svc.fingerprint, "day": day, "quota": quota,
                                                  "prio": priority, "cat": category if priority else None,
                                                  "now": now}).first()
        if row is not None:
            view = common.view(svc.code, svc.name, svc.name_en, svc.agency, row)
            return IssuedTicket(view, row.x_ahead, common.estimate(row.x_ahead, row.x_counters, row.x_recent, svc))
        # Nothing written: the copy is stale, or the quota is used up. Reload once, then let the ORM decide.
        _cache.pop(key, None)
        svc = None
    return None


_PG_DAY = "CAST(:day AS date)"
_CALL = text(f"""
WITH c AS (
  SELECT c.id, c.code, c.name, c.is_open, c.operator_id, c.priority_run, c.run_date,
         {common.TURN.format(day=_PG_DAY)} AS turn
  FROM counters c JOIN venue v ON v.id = 1 AND v.timezone = :tz
  WHERE c.code = :code AND c.active
    AND NOT EXISTS (SELECT 1 FROM tickets a WHERE a.counter_id = c.id AND a.status IN ('called', 'serving'))
), pick AS (
  -- `= ANY(ARRAY(...))`: the counter's services are read once and looked up in the queue index.
  -- Without fresh statistics (a new database, the morning's first tickets) `IN (subquery)` was
  -- run once per ticket of the day.
  SELECT t.id FROM tickets t, c
  WHERE t.service_id = ANY(ARRAY(SELECT cs.service_id FROM c JOIN counter_services cs ON cs.counter_id = c.id
                                   JOIN services s ON s.id = cs.service_id WHERE s.active))
    AND t.business_date = CAST(:day AS date) AND t.status = 'waiting'
  ORDER BY (t.priority = c.turn) DESC, t.to_front DESC, t.queued_at, t.id
  LIMIT 1
  FOR UPDATE OF t SKIP LOCKED
), upd AS (
  UPDATE tickets SET status = 'called', called_at = CAST(:now AS timestamptz), counter_id = c.id,
                     operator_id = c.operator_id, recall_count = 0
  FROM pick, c WHERE tickets.id = pick.id
  RETURNING tickets.*
), cu AS (
  UPDATE counters SET is_open = true, priority_run = {common.NEXT_RUN.format(day=_PG_DAY)},
                      run_date = CAST(:day AS date)
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
""").bindparams(bindparam("day", type_=common.DAY), bindparam("now", type_=common.NOW))


def call(session: Session, params: dict[str, Any]) -> TicketView | None:
    """Call in one statement, or None (nothing written) for the ORM path to decide."""
    try:
        row = session.connection().execute(_CALL, params).first()
    except IntegrityError:
        # The same counter called twice at once from two PCs: the database kept one ticket per counter.
        raise Refused(f"counter {params['code']} is already calling a ticket", reason="busy") from None
    if row is None:
        return _nothing_called(session, params)
    return common.view(row.x_service, row.x_service_name, row.x_service_name_en, row.x_agency, row,
                       row.x_counter, row.x_counter_name, row.x_operator)


def _nothing_called(session: Session, params: dict[str, Any]) -> TicketView | None:
    """Why the statement called nothing, in one read, worded as the ORM path words it: the counter is
    free and nothing waits (QueueEmpty), or a ticket waits that another counter holds (Contended: redo
    in a fresh transaction, see db.queue.call_next). Anything else returns None for the ORM path."""
    found = session.connection().execute(common.ANY_WAITING, {k: params[k] for k in ('code', 'day', 'tz')}).first()
    if found is None or not found.free:
        return None
    if found.waiting:
        raise Contended(f"{found.name}: another counter took that ticket at the same moment; call again")
    raise QueueEmpty(f"no ticket is waiting for {found.name}")


_FINISH = text(f"""
WITH t AS ({common.FINISH.replace(":now", "CAST(:now AS timestamptz)")}
), learn AS (
  UPDATE services SET recent_service_minutes = CASE WHEN recent_service_minutes IS NULL THEN m.minutes
                          ELSE (1 - :w) * recent_service_minutes + :w * m.minutes END
  FROM t, LATERAL (SELECT extract(epoch FROM CAST(:now AS timestamptz) - t.started_at) / 60 AS minutes) m
  WHERE services.id = t.service_id AND CAST(:now AS timestamptz) >= t.started_at
  RETURNING services.id
), e AS (
  INSERT INTO events (at, kind, ticket_id, counter_id, operator_id, service_id, detail)
  SELECT CAST(:now AS timestamptz), 'finished', t.id, t.counter_id, t.operator_id, t.service_id,
         json_build_object('code', t.code) FROM t
  RETURNING id
)
SELECT t.*, s.code AS x_service, s.name AS x_service_name, s.name_en AS x_service_name_en, a.code AS x_agency,
       c.code AS x_counter, c.name AS x_counter_name, o.username AS x_operator, (SELECT count(*) FROM learn) AS x_learnt
FROM t JOIN e ON true JOIN services s ON s.id = t.service_id JOIN agencies a ON a.id = s.agency_id
  JOIN counters c ON c.id = t.counter_id LEFT JOIN operators o ON o.id = t.operator_id
""").bindparams(bindparam("now", type_=common.NOW))


def finish(session: Session, code: str, now: datetime, smoothing: float) -> TicketView | None:
    """Finish in one statement (ticket, moving average, event), or None (nothing written) with no
    ticket in hand, for the ORM path to word."""
    row = session.connection().execute(_FINISH, {"now": now, "code": code, "w": smoothing}).first()
    if row is None:
        return None
    if row.x_learnt:
        common.expire_service_minutes(session, row.service_id)
    return common.view(row.x_service, row.x_service_name, row.x_service_name_en, row.x_agency, row,
                       row.x_counter, row.x_counter_name, row.x_operator)
