"""`antre bench`: p50/p99 latency of issue_ticket and call_next, as the apps run them.

Each operation is one unit of work (begin, engine call, commit) through a fresh sessionmaker,
measured in four settings: one process; 8 contending processes (4 issuing, 4 calling) on one
database, each acting every 10-50 ms; the same 8 back to back with no pause (saturation: the
latency is then mostly the queue for the one writer lock); and one process again after adding a
million tickets of history.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from antre.floor import percentiles, write_floor
from antre.scratch import claim, mark
from db import QueueEmpty, open_database, unit_of_work
from db.config import apply_config, parse_config
from db.models import Event, Service, Ticket

COUNTERS = 8
SERVICES = "ABCDEFGH"
# Paced contention: each process acts every 10-50 ms, together ~250 writes a second, about 80 %
# of what one SQLite file takes here (a busy MPP writes well under one a second).
THINK_SECONDS = (0.010, 0.050)


def _venue_file(folder: Path) -> Path:
    lines = ['[venue]\nname = "Bench MPP"\n[[agencies]]\ncode = "AG"\nname = "Agency"\n']
    lines += [f'[[services]]\nagency = "AG"\ncode = "{c}"\nname = "Service {c}"\n' for c in SERVICES]
    lines += [
        f'[[counters]]\ncode = "C{i}"\nname = "Loket {i}"\nservices = ["{SERVICES[i % 8]}", "{SERVICES[(i + 1) % 8]}"]\n'
        for i in range(COUNTERS)
    ]
    path = folder / "bench.toml"
    path.write_text("".join(lines))
    return path


def _prepare(url: str, folder: Path) -> None:
    with unit_of_work(open_database(url, create=True)) as s:
        apply_config(s, parse_config(_venue_file(folder)))
        mark(s, "bench")


def _percentiles(samples: list[float]) -> dict[str, float]:
    return percentiles([x * 1000 for x in samples])  # samples in seconds


# A calling worker stops after this long with nothing to call: issuers act every 10-50 ms, so by
# then they are done (what it could not call stays waiting, as at a real closing time).
IDLE_END_S = 1.0


def _pause(rng: random.Random | None) -> None:
    if rng is not None:
        time.sleep(rng.uniform(*THINK_SECONDS))


def _issue_loop(url: str, n: int, seed: int, rng: random.Random | None = None) -> list[float]:
    from db.queue import issue_ticket

    sessions = open_database(url)
    samples = []
    for i in range(n):
        _pause(rng)
        service = SERVICES[(seed + i) % len(SERVICES)]
        t0 = time.perf_counter()
        with unit_of_work(sessions) as s:
            issue_ticket(s, service, priority=i % 10 == 0)
        samples.append(time.perf_counter() - t0)
    return samples


def _call_loop(url: str, counter: str, n: int, wait_for_more: bool = False,
               rng: random.Random | None = None) -> list[float]:
    from db.queue import call_next, finish

    sessions = open_database(url)
    samples: list[float] = []
    idle_since = time.monotonic()
    while len(samples) < n:
        _pause(rng)
        t0 = time.perf_counter()
        try:
            with unit_of_work(sessions) as s:
                call_next(s, counter)
        except QueueEmpty:
            if not wait_for_more or time.monotonic() - idle_since > IDLE_END_S:
                break
            time.sleep(0.001)
            continue
        samples.append(time.perf_counter() - t0)
        idle_since = time.monotonic()
        with unit_of_work(sessions) as s:
            finish(s, counter)
    return samples


def _single(url: str, n: int) -> dict[str, Any]:
    issue = _issue_loop(url, n, 0)
    calls: list[float] = []
    for i in range(COUNTERS):
        calls += _call_loop(url, f"C{i}", n // COUNTERS)
    return {"issue_ticket": _percentiles(issue), "call_next": _percentiles(calls)}


_start: Any = None


def _init_worker(barrier: Any) -> None:
    global _start
    _start = barrier


def _worker(args: tuple[str, str, int, int, bool]) -> tuple[str, list[float]]:
    kind, url, n, seed, paced = args
    rng = random.Random(seed) if paced else None
    from db.queue import issue_ticket

    with unit_of_work(open_database(url)) as s:  # warm: imports, caches, the first connection
        issue_ticket(s, SERVICES[seed % len(SERVICES)])
    _start.wait()  # every process measured together, none while another is still starting
    if kind == "issue":
        return kind, _issue_loop(url, n, seed, rng)
    return kind, _call_loop(url, f"C{seed}", n, wait_for_more=True, rng=rng)


def _contended(url: str, n: int, processes: int, *, paced: bool) -> dict[str, Any]:
    half = max(processes // 2, 1)
    # Counters start with a full queue, as in a busy morning: they measure calls, not empty polls.
    _issue_loop(url, n, 0)
    jobs = [("issue", url, n // half, i, paced) for i in range(half)]
    jobs += [("call", url, n // (processes - half), i % COUNTERS, paced) for i in range(processes - half)]
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes, initializer=_init_worker, initargs=(ctx.Barrier(processes),)) as pool:
        results = pool.map(_worker, jobs, chunksize=1)
    issue = [x for kind, xs in results if kind == "issue" for x in xs]
    calls = [x for kind, xs in results if kind == "call" for x in xs]
    return {"processes": processes, "paced": paced, "issue_ticket": _percentiles(issue),
            "call_next": _percentiles(calls)}


def add_history(url: str, tickets: int, *, per_day: int = 2000) -> None:
    """Insert finished tickets (and their issued/called/finished events) on past business days."""
    sessions = open_database(url)
    with unit_of_work(sessions) as s:
        services = [(sid, code) for sid, code in s.execute(select(Service.id, Service.code))]
        next_id = (s.scalar(select(Ticket.id).order_by(Ticket.id.desc()).limit(1)) or 0) + 1
    start_day = date.today() - timedelta(days=tickets // per_day + 2)
    done = 0
    while done < tickets:
        day = start_day + timedelta(days=done // per_day)
        base = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
        rows, events = [], []
        for j in range(min(per_day, tickets - done)):
            sid, code = services[j % len(services)]
            seq = j // len(services) + 1
            at = base + timedelta(seconds=10 * j)
            tid = next_id + done + j
            rows.append(dict(id=tid, service_id=sid, business_date=day, sequence=seq, code=f"{code}-{seq:03d}",
                             priority=False, status="done", to_front=False, queued_at=at, issued_at=at,
                             called_at=at, started_at=at, finished_at=at + timedelta(minutes=5),
                             counter_id=None, recall_count=0, note="", print_failed=False))
            events += [dict(at=at, kind=k, ticket_id=tid, service_id=sid, detail={}) for k in
                       ("issued", "called", "finished")]
        with unit_of_work(sessions) as s:
            s.execute(insert(Ticket), rows)
            s.execute(insert(Event), events)
        done += len(rows)


def run_bench(args: argparse.Namespace) -> int:
    n = 300 if args.quick else args.n
    history = 20_000 if args.quick else args.history
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="antre-bench-") as tmp:
        folder = Path(tmp)
        names = ("single", "contended", "saturated", "history")
        own = claim(args.db, "bench") if args.db is not None else None  # never someone's real venue
        urls = {name: own or f"sqlite:///{folder / (name + '.sqlite3')}" for name in names}
        if args.db:
            print("note: --db given; all three runs share it", file=sys.stderr)
        for name, url in urls.items():
            _prepare(url, folder)
        print("one process ...", file=sys.stderr)
        report["one_process"] = _single(urls["single"], n)
        print(f"{args.processes} contending processes, paced ...", file=sys.stderr)
        report["contended"] = _contended(urls["contended"], n, args.processes, paced=True)
        print(f"{args.processes} contending processes, back to back ...", file=sys.stderr)
        report["saturated"] = _contended(urls["saturated"], n, args.processes, paced=False)
        print(f"adding {history:,} tickets of history ...", file=sys.stderr)
        t0 = time.perf_counter()
        add_history(urls["history"], history)
        print(f"  ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        report["with_history"] = {"history_tickets": history, **_single(urls["history"], n)}
        report["floor"] = write_floor(urls["single"], folder, n)
    report["load_average"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        floor = report["floor"]
        for name, block in report.items():
            for op in ("issue_ticket", "call_next"):
                if op not in block:
                    continue
                r = block[op]
                print(f"{name:<14}{op:<14} n={r['n']:<6} p50={r['p50_ms']:7.3f} ms  p99={r['p99_ms']:7.3f} ms  "
                      f"max={r['max_ms']:7.3f} ms  ({r['p50_ms'] / floor['p50_ms']:.0f}x floor p50)")
        print(f"floor: a raw one-row write transaction on the same database kind: p50={floor['p50_ms']:.3f} ms  "
              f"p99={floor['p99_ms']:.3f} ms; load average {report['load_average']}")
    return 0
