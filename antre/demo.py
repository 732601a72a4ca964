"""`antre demo`: a live MPP morning. The demo venue in a fresh SQLite file, the real apps as separate
processes, and simulated citizens and officers at a quickened pace. `--headless` runs it offscreen
for N minutes and leaves screenshots, printed tickets, announcements, the event log and a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from antre.demo_world import DemoWorld, demo_services
from antre.scratch import claim, mark
from db import open_database, unit_of_work
from db.config import apply_config, parse_config
from db.events import events_after
from db.models import Ticket
from db.operators import sign_in


def _relaxed_venue(path: Path) -> Any:
    """The demo venue, open at any hour so the demo runs whenever it is started."""
    cfg = parse_config(path)
    services = [s.model_copy(update={"hours": None}) for s in cfg.services]
    return cfg.model_copy(update={"venue": cfg.venue.model_copy(update={"hours": None}), "services": services})


def _staff(cfg: Any, count: int) -> list[tuple[str, str]]:
    """(counter, operator) pairs: each counter with an operator of its agency from the venue file."""
    by_agency: dict[str, list[str]] = defaultdict(list)
    for o in cfg.operators:
        if o.agency and o.pin:
            by_agency[o.agency.upper()].append(o.username)
    pairs, used_agencies = [], defaultdict(int)
    for c in cfg.counters:
        agency = (c.agency or "").upper()
        names = by_agency.get(agency, [])
        if used_agencies[agency] < len(names) and used_agencies[agency] < 2:
            pairs.append((c.code.upper(), names[used_agencies[agency]]))
            used_agencies[agency] += 1
        if len(pairs) == count:
            break
    return pairs


def prepare(folder: Path, venue: Path, counters: int) -> tuple[str, list[tuple[str, str, str]]]:
    """A fresh demo database with officers signed in; returns its URL and (counter, user, pin)."""
    db_file = folder / "demo.sqlite3"
    # A demo.sqlite3 it did not make is left alone; its own from an earlier run is made afresh.
    url = claim(f"sqlite:///{db_file.absolute()}", "demo")
    folder.mkdir(parents=True, exist_ok=True)
    cfg = _relaxed_venue(venue)
    pins = {o.username: o.pin for o in cfg.operators}
    staff = [(c, u, pins[u] or "") for c, u in _staff(cfg, counters)]
    sessions = open_database(url, create=True)
    with unit_of_work(sessions) as s:
        apply_config(s, cfg, base=venue.parent)
        mark(s, "demo")
    for counter, user, pin in staff:
        with unit_of_work(sessions) as s:
            sign_in(s, counter, user, pin)
    sessions.kw["bind"].dispose()
    return url, staff


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "antre", *args], env=env, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for p in processes:
        try:
            p.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            p.kill()


def run_demo(args: argparse.Namespace) -> int:
    out = Path(args.out or (Path.home() / "antre-demo")).absolute()
    url, staff = prepare(out, Path(args.config), args.counters)
    env = dict(os.environ, ANTRE_DB=url)
    if args.headless:
        env.update(QT_QPA_PLATFORM="offscreen", ANTRE_SNAPSHOTS=str(out / "screens"),
                   ANTRE_SNAPSHOT_EVERY=str(args.snapshot_every))
    logs = out / "logs"
    logs.mkdir(exist_ok=True)
    apps: list[subprocess.Popen[bytes]] = []
    sessions = open_database(url)
    try:  # whatever happens from here on (Ctrl-C included), the apps are stopped
        apps.append(_spawn(["kiosk", "--windowed", "--printer", f"file:{out / 'tickets'}"], env, logs / "kiosk.log"))
        apps.append(_spawn(["display", "--windowed", "--record", str(out / "announcements"),
                            *(["--mute"] if args.mute else [])], env, logs / "display.log"))
        for counter, user, pin in staff[: args.consoles]:
            console_env = dict(env, ANTRE_DEMO_SIGNIN=f"{user}:{pin}")
            apps.append(_spawn(["counter", "--counter", counter, "--windowed"], console_env,
                               logs / f"counter-{counter}.log"))
        printer = _ticket_printer(out / "tickets", sessions)
        world = DemoWorld(sessions, [c for c, _, _ in staff], demo_services(sessions, [c for c, _, _ in staff]),
                          speed=args.speed, arrivals_per_minute=args.arrivals, on_issue=printer)
        seconds = args.minutes * 60 if args.minutes is not None else float("inf")
        print(f"Antre demo: {out}\n  database {url}\n  {len(apps)} apps started; citizens arrive every "
              f"~{60 / args.arrivals:.0f} s; Ctrl-C stops it.", file=sys.stderr)
        time.sleep(3)  # let the apps open their windows before the first citizen comes
        world.open_doors(args.crowd)
        world.run(seconds, stop=lambda: not args.headless and all(p.poll() is not None for p in apps))
        if args.headless:
            _wait_for_announcements(out / "announcements", sessions, timeout=90)
            time.sleep(2)  # one more screenshot of the final state
    except KeyboardInterrupt:
        pass
    finally:
        _stop(apps)
    summary = write_outputs(out, sessions)
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else _summary_text(summary, out))
    return 0


def _wait_for_announcements(folder: Path, sessions: Any, *, timeout: float) -> None:
    """Give the display time to make the WAV of every call and recall before the apps stop."""
    from sqlalchemy import func

    from db.models import Event, EventKind

    with sessions() as s:
        calls = s.scalar(select(func.count()).select_from(Event).where(
            Event.kind.in_((EventKind.CALLED, EventKind.RECALLED)))) or 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(list(folder.glob("*.wav"))) < calls:
        time.sleep(0.5)


def _ticket_printer(folder: Path, sessions: Any) -> Any:
    """Print each simulated citizen's ticket with the kiosk's own file printer (PNG + ESC/POS)."""
    from db.catalog import venue_view
    from db.ticket_layout import ticket_content_by_code, ticket_layout
    from kiosk.printers import PrintJob, build_printer
    from kiosk.settings import kiosk_settings

    with sessions() as s:
        venue = venue_view(s)
    settings = kiosk_settings(venue.section("kiosk"), venue.section("printer"))
    printer = build_printer(settings, f"file:{folder}")

    def print_ticket(issued: Any) -> None:
        with unit_of_work(sessions) as s:
            content = ticket_content_by_code(s, issued.ticket.code)
        layout = ticket_layout(content, settings.kiosk.language, columns=printer.renderer.columns,
                               max_requirements=settings.kiosk.ticket_requirements)
        name = f"{issued.ticket.business_date}_{issued.ticket.code}_{issued.ticket.id}"
        printer.print_ticket(PrintJob(layout, name, issued.ticket.id))

    return print_ticket


def write_outputs(out: Path, sessions: Any) -> dict[str, Any]:
    """The event log as JSON lines and a summary: tickets, calls, waits per service."""
    with sessions() as s, (out / "events.jsonl").open("w", encoding="utf-8") as log:
        last = 0
        while batch := events_after(s, last, limit=5000):
            for e in batch:
                log.write(json.dumps(e.to_json(), ensure_ascii=False) + "\n")
            last = batch[-1].id
        rows = s.execute(select(Ticket.code, Ticket.status, Ticket.issued_at, Ticket.called_at, Ticket.service_id,
                                Ticket.sequence)).all()
        from db.models import Service

        codes = dict(s.execute(select(Service.id, Service.code)).all())
    waits: dict[str, list[float]] = defaultdict(list)
    for _, _, issued, called, sid, _ in rows:
        if called:
            waits[codes[sid]].append((called - issued).total_seconds())
    statuses: dict[str, int] = defaultdict(int)
    for row in rows:
        statuses[str(row[1])] += 1
    summary = {
        "tickets_issued": sum(1 for r in rows if r[5] is not None),
        "statuses": dict(statuses),
        "calls": sum(1 for line in (out / "events.jsonl").open() if '"kind": "called"' in line),
        "waits_seconds": {code: {"called": len(v), "median": round(statistics.median(v), 1), "max": round(max(v), 1)}
                          for code, v in sorted(waits.items())},
        "files": {name: len(list((out / name).glob(pattern))) if (out / name).exists() else 0
                  for name, pattern in (("screens", "*.png"), ("tickets", "*.png"), ("announcements", "*.wav"))},
    }
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def _summary_text(summary: dict[str, Any], out: Path) -> str:
    lines = [f"Demo finished: {summary['tickets_issued']} tickets, {summary['calls']} calls.",
             "Waiting time until called (seconds of the quickened demo):"]
    for code, w in summary["waits_seconds"].items():
        lines.append(f"  {code:<4} {w['called']:>3} called, median {w['median']:>6.1f}, max {w['max']:>6.1f}")
    lines.append(f"Outputs in {out}: " + ", ".join(f"{n} {k}" for k, n in summary["files"].items()))
    return "\n".join(lines)
