"""`antre report bench`: how long a year's report takes, with a floor measured in the same run.

Builds a SQLite file in a temporary folder with the demo venue and DAYS business days of PER_DAY
tickets (waits, services, no-shows, cancels and transfers spread over the venue's counters and
officers); times one report reading every ticket, then storing the closed days once (what
`antre report` does before its first report of them), then `build_report` over the whole period
RUNS times, checked equal to the live one. The floor is a raw sqlite3 `count(*)` of the same
period's tickets on the same file, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from db import open_database, read_only, unit_of_work
from db.config import apply_config, parse_config
from db.models import Counter, Ticket, TicketStatus
from db.reports import build_report
from db.report_store import cache_closed_days

DEMO_VENUE = Path(__file__).resolve().parent.parent / "assets" / "demo-venue.toml"
STATUSES = ([TicketStatus.DONE] * 86 + [TicketStatus.NO_SHOW] * 7 + [TicketStatus.CANCELLED] * 4
            + [TicketStatus.TRANSFERRED] * 3)


def _fill(url: str, days: int, per_day: int, first: date) -> int:
    sessions = open_database(url, create=True)
    with unit_of_work(sessions) as s:
        apply_config(s, parse_config(DEMO_VENUE), base=DEMO_VENUE.parent)
    with unit_of_work(sessions) as s:
        counters = [(c.id, c.operator_id, [x.id for x in c.services]) for c in s.scalars(select(Counter))]
        from db.models import Operator

        operators = [o.id for o in s.scalars(select(Operator))]
    by_service: dict[int, list[int]] = {}
    for cid, _op, services in counters:
        for sid in services:
            by_service.setdefault(sid, []).append(cid)
    services = sorted(by_service)
    officer = {cid: operators[i % len(operators)] for i, (cid, _op, _s) in enumerate(counters)}
    rng = random.Random(13)
    total = 0
    for d in range(days):
        day = first + timedelta(days=d)
        opens = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)  # 08:00 in Jakarta
        numbers: dict[int, int] = {}
        rows: list[dict[str, Any]] = []
        for _ in range(per_day):
            sid = rng.choice(services)
            numbers[sid] = numbers.get(sid, 0) + 1
            queued = opens + timedelta(seconds=rng.uniform(0, 7 * 3600))
            status = rng.choice(STATUSES)
            row: dict[str, Any] = {
                "service_id": sid, "business_date": day, "sequence": numbers[sid], "code": f"X-{numbers[sid]:03d}",
                "priority": False, "status": status, "to_front": False, "queued_at": queued, "issued_at": queued,
                "recall_count": 0, "note": "", "print_failed": False, "counter_id": None, "operator_id": None,
                "called_at": None, "started_at": None, "finished_at": None,
            }
            if status != TicketStatus.CANCELLED:
                cid = rng.choice(by_service[sid])
                called = queued + timedelta(seconds=rng.expovariate(1 / 1200))
                row.update(counter_id=cid, operator_id=officer[cid], called_at=called)
                if status in (TicketStatus.DONE, TicketStatus.TRANSFERRED):
                    started = called + timedelta(seconds=rng.uniform(20, 120))
                    row.update(started_at=started, finished_at=started + timedelta(seconds=rng.uniform(180, 1500)))
            rows.append(row)
        with unit_of_work(sessions) as s:
            s.connection().execute(insert(Ticket.__table__), rows)  # core executemany: no ORM objects
        total += len(rows)
    sessions.kw["bind"].dispose()
    return total


def run(args: argparse.Namespace) -> int:
    """Build the history, time the report and the floor, print both (JSON with --json)."""
    days, per_day, runs = max(1, args.days), max(1, args.per_day), max(1, min(args.runs, 50))
    first = date(2025, 1, 1)
    last = first + timedelta(days=days - 1)
    with tempfile.TemporaryDirectory(prefix="antre-report-bench-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        t0 = time.perf_counter()
        tickets = _fill(url, days, per_day, first)
        fill_s = time.perf_counter() - t0
        write = open_database(url, create=True)  # its own file: bring it to this schema
        sessions = read_only(write)
        raw = sqlite3.connect(path)
        t0 = time.perf_counter()
        with unit_of_work(sessions) as s:
            live = build_report(s, first, last)  # every ticket read: what the first report of a year costs
        live_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        cache_closed_days(sessions, write, first, last)
        cache_s = time.perf_counter() - t0
        report_s, floor_s = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            with unit_of_work(sessions) as s:
                report = build_report(s, first, last)
            report_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            counted = raw.execute("SELECT count(*) FROM tickets WHERE business_date BETWEEN ? AND ?",
                                  (first.isoformat(), last.isoformat())).fetchone()[0]
            floor_s.append(time.perf_counter() - t0)
        raw.close()
        write.kw["bind"].dispose()
        if report.total != live.total or report.sections != live.sections:
            raise SystemExit("report bench: the stored days disagree with the live report")
    result = {
        "tickets": tickets, "days": days, "fill_seconds": round(fill_s, 1), "runs": runs,
        "live_report_s": round(live_s, 3), "store_closed_days_s": round(cache_s, 3),
        "report_p50_s": round(statistics.median(report_s), 3), "report_min_s": round(min(report_s), 3),
        "report_max_s": round(max(report_s), 3),
        "floor_count_p50_s": round(statistics.median(floor_s), 3),
        "check": {"issued": report.total.issued, "counted": counted, "services": len(report.sections["service"])},
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{tickets} tickets over {days} days (history built in {fill_s:.1f} s)\n"
              f"report reading every ticket (no day stored yet): {result['live_report_s']} s; "
              f"storing the closed days once: {result['store_closed_days_s']} s\n"
              f"report of the whole period: p50 {result['report_p50_s']} s (min {result['report_min_s']}, "
              f"max {result['report_max_s']}, {runs} runs)\n"
              f"floor, raw sqlite3 count(*) of the same period: p50 {result['floor_count_p50_s']} s\n"
              f"check: issued {report.total.issued} of {counted} tickets, "
              f"{len(report.sections['service'])} services")
    return 0
