"""`antre loadbench`: a building's PCs as separate processes on one database, then the invariants.

8 kiosks, 40 counters and 6 displays (by default) start at once on a database this command creates
itself (a temporary SQLite file, or a database of its own on a throwaway PostgreSQL cluster), loaded
with the demo venue plus extra counters, open at any hour, without quotas. Then:

1. a busy hour at 10x a real MPP's peak: 2 000 tickets a day, 15 % of them in the busiest hour, is
   300 an hour; ten times that is 3 000 an hour. Citizens arrive at that rate (random arrivals) for
   `--seconds` of real time, and the 40 counters serve each ticket for the service time that keeps
   up with it (48 s). `--speedup N` plays the hour N times faster (N x 10x the peak);
2. the same processes saturated for `--saturate-seconds`: kiosks and counters act back to back;
3. a drain: the counters call what is left.

It prints the startup time of all processes, throughput, p50/p99 of issue, call and finish, and
of call -> display (from the time the call records, taken as it starts, to a display having read
it), beside a floor measured in the same run (a raw one-row write transaction on the same
database) and the machine's load; then checks that no number was handed out twice, no ticket
called twice, none lost, and that every display saw every event exactly once and all in the same
order. Bounded in count and time; loopback only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import tempfile
import time
from collections import Counter as Tally
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from antre import loadbench_pcs as pcs
from antre.floor import percentiles as _percentiles
from antre.floor import write_floor

ROOT = Path(__file__).resolve().parent.parent
PEAK_SHARE = 0.15  # of a day's tickets in its busiest hour


def _venue(path: Path, counters: int) -> Any:
    """The demo venue, open at any hour, no quotas, with counters added up to `counters`."""
    from db.config import parse_config

    cfg = parse_config(path)
    services = [s.model_copy(update={"hours": None, "daily_quota": None}) for s in cfg.services]
    extra = []
    base = list(cfg.counters)
    for i in range(max(0, counters - len(base))):
        model = base[i % len(base)]
        extra.append(model.model_copy(update={"code": f"X{i + 1:02d}", "name": f"Loket X{i + 1}"}))
    return cfg.model_copy(update={"venue": cfg.venue.model_copy(update={"hours": None}), "services": services,
                                  "counters": base + extra})


def _database(backend: str, folder: Path) -> tuple[str, Any]:
    """A database of this run's own, and what stops it."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'load.sqlite3'}", None
    from antre import pgtemp

    cluster = pgtemp.start(max_connections=400, durable=True)
    import psycopg

    with psycopg.connect(cluster.url("postgres").replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("CREATE DATABASE antre_load")
    return cluster.url("antre_load"), cluster


def _check(url: str, issued: list[int], called: list[int], displays: list[list[int]], base: int) -> dict[str, Any]:
    from sqlalchemy import func, select

    from db import open_database
    from db.models import Event, EventKind, Ticket

    sessions = open_database(url)
    with sessions() as s:
        rows = s.execute(select(Ticket.id, Ticket.service_id, Ticket.sequence, Ticket.status)).all()
        logged = list(s.scalars(select(Event.id).where(Event.id > base)))
        call_events = Tally(s.scalars(select(Event.ticket_id).where(Event.kind == EventKind.CALLED)))
        waiting = s.scalar(select(func.count()).select_from(Ticket).where(Ticket.status == "waiting"))
    sessions.kw["bind"].dispose()
    numbers = Tally((r.service_id, r.sequence) for r in rows)
    orders = [[i for i in seen if i > base] for seen in displays]
    problems = []
    if any(n > 1 for n in numbers.values()):
        problems.append("a ticket number was handed out twice")
    if len(issued) != len(set(issued)) or set(issued) != {r.id for r in rows}:
        problems.append("issued tickets and the database disagree (lost or invented tickets)")
    if len(called) != len(set(called)) or any(n > 1 for n in call_events.values()):
        problems.append("a ticket was called twice")
    if set(called) != set(call_events):
        problems.append("calls the counters reported and the log disagree")
    for order in orders:
        if len(order) != len(set(order)):
            problems.append("a display saw an event twice")
            break
        if set(order) != set(logged):
            problems.append(f"a display missed {len(set(logged) - set(order))} events")
            break
        if order != orders[0]:
            problems.append("displays saw events in different orders")
            break
    return {"tickets": len(rows), "called": len(called), "left_waiting": waiting, "events": len(logged),
            "ok": not problems, "problems": problems}


def run(backend: str, *, kiosks: int, counters: int, displays: int, tickets: int, seconds: float,
        saturate_seconds: float, start_method: str, boot: float | None = None,
        speedup: float = 1.0) -> dict[str, Any]:
    """One full run; returns the figures (see the module docstring)."""
    from db import open_database, unit_of_work
    from db.config import apply_config
    from db.models import Event

    folder = Path(tempfile.mkdtemp(prefix="antre-load-"))
    url, cluster = _database(backend, folder)
    try:
        cfg = _venue(ROOT / "assets" / "demo-venue.toml", counters)
        sessions = open_database(url, create=True)
        with unit_of_work(sessions) as s:
            apply_config(s, cfg)
        with sessions() as s:
            from sqlalchemy import func, select

            base = s.scalar(select(func.max(Event.id))) or 0
        sessions.kw["bind"].dispose()
        codes = [c.code.upper() for c in cfg.counters][:counters]
        # Citizens ask only for what the counters of this run serve, so every ticket can be called.
        services = sorted({sv.upper() for c in cfg.counters[:counters] for sv in c.services})
        floor = write_floor(url, folder)

        ctx = mp.get_context(start_method)
        if start_method == "forkserver":
            ctx.set_forkserver_preload(["antre.loadbench_pcs", "db", "db.queue", "db.events", "db.models",
                                        "sqlalchemy", "psycopg"])
        out, writers_done = ctx.Queue(), ctx.Event()
        t0 = time.time()
        # Room for every process to start before the hour begins (spawn imports everything anew).
        boot = boot if boot is not None else (3.0 if start_method == "forkserver" else 5.0) + \
            (kiosks + counters + displays) * (0.1 if start_method == "forkserver" else 0.5)
        start_at = t0 + boot
        plan = {"start_at": start_at, "start_dt": datetime.fromtimestamp(start_at, UTC),
                "paced_until": start_at + seconds, "saturated_until": start_at + seconds + saturate_seconds,
                "rate": tickets / 3600 * speedup / kiosks, "service_seconds": counters * 3600 / tickets / speedup,
                "drain_idle": 3.0, "seed": 0}
        procs = []
        for i in range(kiosks):
            procs.append(ctx.Process(target=pcs.kiosk, args=(url, services, {**plan, "seed": i}, t0, out)))
        for code in codes:
            procs.append(ctx.Process(target=pcs.counter, args=(url, code, plan, t0, out)))
        for _ in range(displays):
            procs.append(ctx.Process(target=pcs.display, args=(url, plan, t0, writers_done, out)))
        load_before = os.getloadavg()
        for p in procs:
            p.start()
        ready, results = [], []
        deadline = start_at + seconds + saturate_seconds + 120
        while len(results) < len(procs) and time.time() < deadline:
            try:
                msg = out.get(timeout=max(1.0, deadline - time.time()))
            except Exception:  # noqa: BLE001 - queue.Empty: a process died; reported below
                break
            (ready if msg[0] == "ready" else results).append(msg)
            if sum(1 for r in results if r[0] in ("kiosk", "counter")) == kiosks + len(codes):
                writers_done.set()  # the displays read what is left, then report
        load_after = os.getloadavg()
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
    finally:
        if cluster is not None:
            pass  # stopped after the checks below
    try:
        issued = [i for kind, _, ids in results if kind == "kiosk" for i in ids]
        called = [i for kind, _, ids in results if kind == "counter" for i in ids]
        followed = [ids for kind, _, ids in results if kind == "display"]
        paced_until = plan["paced_until"]
        lags = {"paced": [ms for kind, lag, _ in results if kind == "display" for at, ms in lag if at < paced_until],
                "saturated": [ms for kind, lag, _ in results if kind == "display" for at, ms in lag
                              if at >= paced_until]}
        figures: dict[str, Any] = {"backend": backend, "processes": {"kiosks": kiosks, "counters": len(codes),
                                                                      "displays": displays},
                                   "start_method": start_method,
                                   "startup_s": {"all_ready": round(max(r[2] for r in ready), 2) if ready else None,
                                                 "ready": len(ready), "of": len(procs)},
                                   "floor": floor, "load_avg_before": load_before[0],
                                   "load_avg_after": load_after[0]}
        for phase, span in (("paced", seconds), ("saturated", saturate_seconds)):
            issue = [x for kind, s, _ in results if kind == "kiosk" for x in s[phase]]
            call = [x for kind, s, _ in results if kind == "counter" for x in s["call"][phase]]
            fin = [x for kind, s, _ in results if kind == "counter" for x in s["finish"][phase]]
            figures[phase] = {"issued_per_s": round(len(issue) / span, 1), "issue": _percentiles(issue),
                              "call": _percentiles(call), "finish": _percentiles(fin)}
            for name in ("issue", "call", "finish"):
                p50 = figures[phase][name]["p50_ms"]
                figures[phase][name]["x_floor_p50"] = round(p50 / floor["p50_ms"], 1) if floor["p50_ms"] else None
        for phase in ("paced", "saturated"):
            figures[phase]["call_to_display"] = _percentiles(lags[phase])
        figures["busy_hour"] = {"tickets_per_hour": tickets, "speedup": speedup, "seconds": seconds}
        if len(results) < len(procs):
            got = Tally(kind for kind, _, _ in results)
            figures["invariants"] = {"ok": False, "problems": [
                f"only {len(results)} of {len(procs)} processes reported (one crashed or hung): {dict(got)}, "
                f"exit codes {[p.exitcode for p in procs]}"]}
        else:
            figures["invariants"] = _check(url, issued, called, followed, base)
        return figures
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _print(f: dict[str, Any]) -> None:
    print(f"== {f['backend']}: {f['processes']} ({f['start_method']})")
    print(f"startup: all {f['startup_s']['ready']}/{f['startup_s']['of']} ready in {f['startup_s']['all_ready']} s")
    floor = f["floor"]
    print(f"floor (a raw one-row insert and commit): p50 {floor['p50_ms']} ms p99 {floor['p99_ms']} ms; "
          f"load average {f['load_avg_before']:.1f} before, {f['load_avg_after']:.1f} after")
    hour = f["busy_hour"]
    titles = {"paced": f"busy hour at {hour['tickets_per_hour']} tickets/h x{hour['speedup']:g}",
              "saturated": "saturated (back to back)"}
    for phase in ("paced", "saturated"):
        p = f[phase]
        print(f"{titles[phase]}: {p['issued_per_s']} tickets/s issued")
        for name in ("issue", "call", "finish", "call_to_display"):
            x = p[name]
            ratio = f"  ({x['x_floor_p50']}x floor p50)" if "x_floor_p50" in x else ""
            print(f"  {name:15} n={x['n']:5} p50 {x['p50_ms']:7.2f} ms  p99 {x['p99_ms']:7.2f} ms{ratio}")
    inv = f["invariants"]
    counts = f" ({inv['tickets']} tickets, {inv['called']} called, {inv['events']} events)" if "tickets" in inv else ""
    print("invariants: " + ("OK" if inv["ok"] else "FAILED: " + "; ".join(inv["problems"])) + counts)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `antre loadbench` to the command line."""
    from antre.argtypes import bounded

    p = sub.add_parser("loadbench", help="a building's PCs as processes on one database: latency and invariants",
                       description=__doc__.split("\n")[0])
    p.set_defaults(handler=_command)
    p.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--kiosks", type=bounded(1, 50), default=8)
    p.add_argument("--counters", type=bounded(1, 200), default=40)
    p.add_argument("--displays", type=bounded(1, 50), default=6)
    p.add_argument("--tickets", type=bounded(1, 100_000), default=3000,
                   help="tickets an hour in the busy hour (default 3000: 10x a real MPP's peak hour)")
    p.add_argument("--seconds", type=bounded(1, 3600), default=120, help="real seconds of the busy hour (120)")
    p.add_argument("--speedup", type=bounded(1, 100), default=1, help="play the hour this many times faster (1)")
    p.add_argument("--saturate-seconds", type=bounded(0, 600), default=15)
    p.add_argument("--start-method", choices=["forkserver", "spawn"], default="forkserver",
                   help="forkserver (default): each process starts with the modules loaded, as a PC with its own "
                        "CPU would; spawn: every process imports Python and SQLAlchemy on this machine's cores")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


def _command(args: argparse.Namespace) -> int:
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        figures = run(backend, kiosks=args.kiosks, counters=args.counters, displays=args.displays,
                      tickets=args.tickets, seconds=args.seconds, saturate_seconds=args.saturate_seconds,
                      speedup=args.speedup,
                      start_method=args.start_method)
        if args.json:
            print(json.dumps(figures))
        else:
            _print(figures)
        failed |= not figures["invariants"]["ok"]
    return 1 if failed else 0
