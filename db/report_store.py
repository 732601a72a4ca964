"""Closed business days of the reports, stored once: a long report then reads a few rows per day.

A day is closed once it is over in the venue's time zone; its tickets no longer change, so the
groups the report query gives for it (db.reports) are stored in `report_days` and marked done in
`report_cached_days` (a day without tickets has no rows but is marked). Storing is done a month at a
time: read in a read-only transaction, written in a short one, so kiosks and counters never wait
behind it. A correction to an old day's tickets (rare: an engine call on a past ticket) is seen after
`forget_days` (`antre report --rebuild`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from db import lookup
from db.models import ReportCachedDay, ReportDay
from db.reports import day_ranges, days_between, grain_query


def closed_days_to_cache(session: Session, start: date, end: date, *, now: datetime | None = None) -> list[date]:
    """The days of start..end that are over (before today) and not stored yet."""
    last = min(end, lookup.today(session, lookup.utc(now)) - timedelta(days=1))
    if last < start:
        return []
    cached = set(session.scalars(select(ReportCachedDay.business_date).where(
        ReportCachedDay.business_date >= start, ReportCachedDay.business_date <= last)))
    return [d for d in days_between(start, last) if d not in cached]


def day_rows(session: Session, first: date, last: date) -> list[Any]:
    """The report rows of first..last as the report query gives them (read; for cache_days)."""
    venue = lookup.venue(session)
    return list(session.execute(grain_query(session.get_bind().dialect.name, venue.timezone, first, last)[0]).all())


def store_days(session: Session, first: date, last: date, rows: list[Any]) -> None:
    """Store closed days' rows (one short write); days another process stored meanwhile are skipped."""
    done = set(session.scalars(select(ReportCachedDay.business_date).where(
        ReportCachedDay.business_date >= first, ReportCachedDay.business_date <= last)))
    fresh = [r for r in rows if r[0] not in done]
    if fresh:
        keys = ("business_date", "service_id", "counter_id", "operator_id", "issued", "served", "no_shows",
                "cancelled", "transferred", "called", "waits", "spans", "hours")
        session.execute(insert(ReportDay), [dict(zip(keys, (*r[:10], r[10] or "", r[11] or "", r[12] or ""),
                                                     strict=True)) for r in fresh])
    session.add_all(ReportCachedDay(business_date=d) for d in days_between(first, last) if d not in done)


def cache_closed_days(read: Any, write: Any, start: date, end: date, *, now: datetime | None = None,
                      chunk_days: int = 31) -> int:
    """Store the closed days of start..end that are not stored yet, a month at a time: each month is
    read in a read-only transaction and written in a short one, so the writers (kiosks, counters) never
    wait behind a long report. Returns the number of days stored."""
    from db.database import unit_of_work

    with unit_of_work(read) as s:
        missing = closed_days_to_cache(s, start, end, now=now)
    for first, last in day_ranges(missing, chunk_days):
        with unit_of_work(read) as s:
            rows = day_rows(s, first, last)
        with unit_of_work(write) as s:
            store_days(s, first, last, rows)
    return len(missing)


def forget_days(session: Session, first: date, last: date) -> int:
    """Drop the stored figures of first..last (after a correction to old tickets); returns the days dropped.
    The next report reads those days from the tickets again and stores them anew."""
    days = session.execute(delete(ReportCachedDay).where(
        ReportCachedDay.business_date >= first, ReportCachedDay.business_date <= last)).rowcount
    session.execute(delete(ReportDay).where(ReportDay.business_date >= first, ReportDay.business_date <= last))
    return int(days or 0)
