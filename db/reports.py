"""Period reports: per day, agency, service, counter and officer; tickets per hour of the day.

One SQL statement does the work: it filters the period on the indexed business date (an index in
grouping order, `ix_tickets_report_grain`), computes every ticket's waiting and service time in the
database, and groups by (day, service, counter, officer), the finest grain any section needs. Per
group it returns the counts per status and, as one aggregated string each, the waits and service
times in whole seconds and the hours of issue. Every section (and the share called within each
service's target, and the maximum wait) is then summed from these groups with numpy, the
percentiles read off one histogram per section: no section needs a second pass over the tickets.

A day that is over does not change, so `db.report_store` stores its groups once (`report_days`)
and a long report reads those few rows per day instead of every ticket; only days not stored yet
(today, or before the first report) are read live, in chunks of days on parallel connections.
`antre report bench` measures a year at 2 000 tickets a day.

Waiting time is from queueing (issue, transfer or requeue) to the call; service time from the start
of service to its end. Percentiles are nearest-rank (the smallest value with at least p of the
values at or below it) over times rounded to whole minutes; the maximum wait is to the second.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Integer, Text, and_, case, cast, func, select
from sqlalchemy.orm import Session

from db import lookup
from db.database import READ_ONLY
from db.errors import NotFound
from db.models import Agency, Counter, Operator, ReportCachedDay, ReportDay, Service, Ticket, TicketStatus

SECTIONS = ("day", "agency", "service", "counter", "officer")
WAIT_BIN, WAIT_BINS = 10, 12  # the distribution: 0-9, 10-19, ... 110+ minutes
NOT_CALLED = "-"  # the counter and officer of tickets nobody called (cancelled or left waiting)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """Figures of one day, agency, service, counter or officer (or the whole period)."""

    key: str
    name: str
    issued: int
    served: int
    no_shows: int
    cancelled: int
    transferred: int
    called: int
    wait_p50: int | None  # minutes
    wait_p90: int | None
    wait_max: float | None  # minutes, exact
    service_p50: int | None
    service_p90: int | None
    within_target: float | None  # share of called tickets called within the service's target wait

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class HourRow:
    """Tickets issued in one hour of the day over the period, and per open day on average."""

    hour: int
    issued: int
    per_day: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Report:
    venue: str
    start: date
    end: date
    agency: str | None
    agency_name: str | None
    total: ReportRow
    sections: dict[str, tuple[ReportRow, ...]]
    hours: tuple[HourRow, ...]
    # How long the called citizens waited: (lower bound in minutes, count) per WAIT_BIN minutes;
    # the last bin holds every longer wait.
    wait_bins: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "wait_bins": [list(b) for b in self.wait_bins],
            "venue": self.venue, "from": self.start.isoformat(), "to": self.end.isoformat(),
            "agency": self.agency, "total": self.total.to_json(),
            "sections": {k: [r.to_json() for r in v] for k, v in self.sections.items()},
            "hours": [h.to_json() for h in self.hours],
        }


def _seconds(dialect: str, later: Any, earlier: Any) -> Any:
    """Whole seconds between two timestamps, computed in the database (rounded)."""
    if dialect == "postgresql":
        return cast(func.round(func.extract("epoch", later - earlier)), Integer)
    return cast((func.julianday(later) - func.julianday(earlier)) * 86400.0 + 0.5, Integer)


def _joined(dialect: str, value: Any) -> Any:
    if dialect == "postgresql":
        return func.string_agg(cast(value, Text), ",")
    return func.group_concat(value, ",")


def _utc_hour_and_shift(dialect: str, column: Any, tz: str, day: date) -> tuple[Any, int]:
    """An expression for the hour of `column`, and the hours to add to make it the venue's local hour."""
    if dialect == "postgresql":
        return cast(func.extract("hour", func.timezone(tz, column)), Integer), 0
    # SQLite has no time zones and its date functions cost a parse per row: read the UTC hour from
    # the stored text (SQLAlchemy writes 'YYYY-MM-DD HH:MM:SS...') and shift by the zone's offset
    # of the period. Indonesia's zones keep one whole-hour offset all year.
    offset = datetime.combine(day, time(12), ZoneInfo(tz)).utcoffset()
    return cast(func.substr(column, 12, 2), Integer), int(offset.total_seconds() // 3600) if offset else 0


def grain_query(dialect: str, tz: str, start: date, end: date, service_ids: Any = None) -> tuple[Any, int]:
    """The one statement of a report: tickets of start..end grouped by (day, service, counter, officer),
    and the hours to add to its hours of issue to make them local."""
    t = Ticket.__table__.c
    status_sum = [func.sum(case((t.status == s.value, 1), else_=0)) for s in
                  (TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED, TicketStatus.TRANSFERRED)]
    done = and_(t.status == TicketStatus.DONE.value, t.started_at.is_not(None), t.finished_at.is_not(None))
    hour, shift = _utc_hour_and_shift(dialect, t.issued_at, tz, start)
    # Each time difference is computed once per ticket: the wait feeds the maximum, the share within
    # target and the percentiles, all read from the one list.
    stmt = (
        select(
            t.business_date, t.service_id, t.counter_id, t.operator_id,
            func.sum(case((t.sequence.is_not(None), 1), else_=0)), *status_sum, func.count(t.called_at),
            _joined(dialect, case((t.called_at.is_not(None), _seconds(dialect, t.called_at, t.queued_at)))),
            _joined(dialect, case((done, _seconds(dialect, t.finished_at, t.started_at)))),
            _joined(dialect, case((t.sequence.is_not(None), hour))),
        )
        .where(t.business_date >= start, t.business_date <= end)
        .group_by(t.business_date, t.service_id, t.counter_id, t.operator_id)
        # Without statistics (no ANALYZE) SQLite may pick the (day, status) index and then sort the
        # whole period for the GROUP BY: several times slower. Name the index made for this query.
        .with_hint(Ticket.__table__, "INDEXED BY ix_tickets_report_grain", "sqlite")
    )
    if service_ids is not None:
        stmt = stmt.where(t.service_id.in_(service_ids))
    return stmt, shift


def days_between(start: date, end: date) -> list[date]:
    """Every day from start to end, both included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def day_ranges(days: list[date], longest: int = 366) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) ranges of at most `longest` days."""
    out: list[tuple[date, date]] = []
    for day in days:
        if out and day == out[-1][1] + timedelta(days=1) and (day - out[-1][0]).days < longest:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def build_report(session: Session, start: date, end: date, *, agency: str | None = None) -> Report:
    """The report of the business days start..end (inclusive), for one agency or the whole venue."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    venue = lookup.venue(session)
    dialect = session.get_bind().dialect.name
    agency_row = None
    if agency:
        agency_row = session.scalar(select(Agency).where(Agency.code == agency.strip().upper()))
        if agency_row is None:
            raise NotFound(f"unknown agency {agency!r}")
    service_ids = select(Service.id).where(Service.agency_id == agency_row.id) if agency_row is not None else None
    _stmt, shift = grain_query(dialect, venue.timezone, start, end, service_ids)
    cached = set(session.scalars(select(ReportCachedDay.business_date).where(
        ReportCachedDay.business_date >= start, ReportCachedDay.business_date <= end)))
    rows: list[Any] = []
    if cached:  # closed days stored by cache_closed_days: a few rows per day instead of every ticket
        d = ReportDay.__table__.c  # Core, not ORM entities: tens of thousands of plain rows
        stored = select(d.business_date, d.service_id, d.counter_id, d.operator_id, d.issued, d.served, d.no_shows,
                        d.cancelled, d.transferred, d.called, d.waits, d.spans, d.hours).where(
            d.business_date >= start, d.business_date <= end)
        if service_ids is not None:
            stored = stored.where(d.service_id.in_(service_ids))
        rows += [r for r in session.connection().execute(stored).all() if r[0] in cached]
    for first, last in day_ranges([day for day in days_between(start, end) if day not in cached]):
        rows += _grain_rows(session, grain_query(dialect, venue.timezone, first, last, service_ids)[0], first, last)
    names = _names(session)
    grains = _Grains(rows, names)
    hours = (_values(r[12] for r in rows)[0] + shift) % 24
    open_days = len({r[0] for r in rows if r[4]})
    per_hour = np.bincount(hours, minlength=24)
    return Report(
        venue=venue.name, start=start, end=end,
        agency=agency_row.code if agency_row else None, agency_name=agency_row.name if agency_row else None,
        total=(grains.rollup(grains.days, lambda d: "total", lambda k: "") or (_EMPTY,))[0],
        sections={
            "day": grains.rollup(grains.days, lambda d: date.fromordinal(d).isoformat(), lambda k: k),
            "agency": grains.rollup(grains.services, names.service_agency.get, names.agency_name.get),
            "service": grains.rollup(grains.services, names.service_code.get, names.service_name.get),
            "counter": grains.rollup(grains.counters, lambda i: names.counter_code.get(i, NOT_CALLED),
                                     names.counter_name.get),
            "officer": grains.rollup(grains.operators, lambda i: names.operator_user.get(i, NOT_CALLED),
                                     names.operator_name.get),
        },
        hours=tuple(HourRow(h, int(n), round(int(n) / open_days, 1) if open_days else 0.0)
                    for h, n in enumerate(per_hour) if n),
        wait_bins=_wait_bins(_round_minutes(grains.waits)),
    )


CHUNK_DAYS, MAX_READERS = 45, 4


def _grain_rows(session: Session, stmt: Any, start: date, end: date) -> list[Any]:
    """The grouped rows of the period. A long period is read in chunks of days on parallel connections:
    each chunk is the same statement over fewer days, so the database's work spreads over the cores.
    Every day lies in one chunk, so each day's figures come from one consistent read."""
    days = (end - start).days + 1
    if days <= CHUNK_DAYS:
        return list(session.connection().execute(stmt).all())
    t = Ticket.__table__.c
    chunks = []
    first = start
    while first <= end:
        last = min(end, first + timedelta(days=CHUNK_DAYS - 1))
        chunks.append(stmt.where(t.business_date >= first, t.business_date <= last))
        first = last + timedelta(days=1)
    engine = session.get_bind()

    def read(chunk: Any) -> list[Any]:
        with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            return list(conn.execute(chunk).all())

    with ThreadPoolExecutor(max_workers=min(MAX_READERS, os.cpu_count() or 1, len(chunks))) as pool:
        return [row for part in pool.map(read, chunks) for row in part]


def _round_minutes(seconds: np.ndarray) -> np.ndarray:
    return (seconds + 30) // 60


def _wait_bins(waits: np.ndarray) -> tuple[tuple[int, int], ...]:
    counts = np.bincount(np.minimum(waits // WAIT_BIN, WAIT_BINS - 1), minlength=WAIT_BINS) if waits.size else \
        np.zeros(WAIT_BINS, dtype=np.int64)
    return tuple((i * WAIT_BIN, int(n)) for i, n in enumerate(counts))


_EMPTY = ReportRow("total", "", 0, 0, 0, 0, 0, 0, None, None, None, None, None, None)


class _Grains:
    """The (day, service, counter, officer) groups of the query, ready to be summed per section."""

    def __init__(self, rows: list[Any], names: _Names) -> None:
        cols = list(zip(*rows, strict=True)) if rows else [()] * 13
        self.days = np.fromiter((d.toordinal() for d in cols[0]), dtype=np.int64, count=len(rows))
        self.services = np.array(cols[1], dtype=np.int64)
        self.counters = np.array([-1 if x is None else x for x in cols[2]], dtype=np.int64)
        self.operators = np.array([-1 if x is None else x for x in cols[3]], dtype=np.int64)
        self.counts = np.array(cols[4:10], dtype=np.int64).reshape(6, len(rows)).T
        self.waits, self.wait_rows = _values(cols[10])
        self.spans, self.span_rows = _values(cols[11])
        target = np.array([names.service_target.get(sid, 30) * 60 for sid in range(int(self.services.max(
            initial=0)) + 1)], dtype=np.int64)
        self.within = self.waits <= target[self.services[self.wait_rows]]
        self.wait_minutes = _round_minutes(self.waits)
        self.span_minutes = _round_minutes(self.spans)

    def rollup(self, column: np.ndarray, key_of: Any, name_of: Any) -> tuple[ReportRow, ...]:
        """One row per distinct key_of(value of column), summed over the groups it covers."""
        uniques, inverse = np.unique(column, return_inverse=True)
        keys: dict[str, int] = {}
        per_unique = np.array([keys.setdefault(key_of(int(u)), len(keys)) for u in uniques], dtype=np.int64)
        group = per_unique[inverse.reshape(-1)] if len(uniques) else np.zeros(0, dtype=np.int64)
        n = len(keys)
        if n == 0:
            return ()
        sums = np.stack([np.bincount(group, weights=self.counts[:, i], minlength=n) for i in range(6)], axis=1)
        sums = sums.astype(np.int64)
        wait_of, span_of = group[self.wait_rows], group[self.span_rows]
        within = np.bincount(wait_of, weights=self.within, minlength=n)
        wait_max = np.full(n, -1, dtype=np.int64)
        np.maximum.at(wait_max, wait_of, self.waits)
        wait_p = _percentiles(self.wait_minutes, wait_of, n, (0.5, 0.9))
        span_p = _percentiles(self.span_minutes, span_of, n, (0.5, 0.9))
        out = []
        for key, g in keys.items():
            issued, served, no_shows, cancelled, transferred, called = (int(x) for x in sums[g])
            out.append(ReportRow(
                key=key, name=name_of(key) or "", issued=issued, served=served, no_shows=no_shows,
                cancelled=cancelled, transferred=transferred, called=called,
                wait_p50=wait_p[g][0], wait_p90=wait_p[g][1],
                wait_max=round(int(wait_max[g]) / 60, 1) if wait_max[g] >= 0 else None,
                service_p50=span_p[g][0], service_p90=span_p[g][1],
                within_target=round(float(within[g]) / called, 4) if called else None,
            ))
        return tuple(sorted(out, key=lambda r: (r.key == NOT_CALLED, r.key)))


@dataclass(frozen=True, slots=True)
class _Names:
    service_code: dict[int, str]
    service_name: dict[str, str]
    service_agency: dict[int, str]
    service_target: dict[int, int]
    agency_name: dict[str, str]
    counter_code: dict[int, str]
    counter_name: dict[str, str]
    operator_user: dict[int, str]
    operator_name: dict[str, str]


def _names(session: Session) -> _Names:
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    services = list(session.scalars(select(Service)))
    counters = list(session.scalars(select(Counter)))
    operators = list(session.scalars(select(Operator)))
    return _Names(
        service_code={s.id: s.code for s in services},
        service_name={s.code: s.name for s in services},
        service_agency={s.id: agencies[s.agency_id].code for s in services},
        service_target={s.id: s.target_wait_minutes for s in services},
        agency_name={a.code: a.name for a in agencies.values()},
        counter_code={c.id: c.code for c in counters},
        counter_name={c.code: c.name for c in counters},
        operator_user={o.id: o.username for o in operators},
        operator_name={o.username: o.display_name for o in operators},
    )


def _values(joined: Iterable[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Parse the per-group minute lists into one array and, per value, the index of its group."""
    texts = [s or "" for s in joined]
    lengths = np.fromiter((s.count(",") + 1 if s else 0 for s in texts), dtype=np.int64, count=len(texts))
    body = ",".join(s for s in texts if s)
    values = np.fromstring(body, sep=",", dtype=np.int64) if body else np.zeros(0, dtype=np.int64)
    return values, np.repeat(np.arange(len(texts)), lengths)


def _percentiles(values: np.ndarray, group: np.ndarray, n_groups: int, ps: tuple[float, ...]) -> list[list[int | None]]:
    """Nearest-rank percentiles of `values` per group, from one 2-D histogram (values are small ints)."""
    if values.size == 0:
        return [[None] * len(ps) for _ in range(n_groups)]
    values = np.minimum(values, 24 * 60)  # a day at most: keeps the histogram small
    width = int(values.max()) + 1
    hist = np.bincount(group * width + values, minlength=n_groups * width).reshape(n_groups, width)
    cum = hist.cumsum(axis=1)
    counts = cum[:, -1]
    # Per group, the first value whose running count reaches rank ceil(p * n), for all groups at once.
    picks = [(cum >= np.maximum(1, np.ceil(p * counts - 1e-9))[:, None]).argmax(axis=1) for p in ps]
    return [[int(pick[g]) for pick in picks] if counts[g] else [None] * len(ps) for g in range(n_groups)]
