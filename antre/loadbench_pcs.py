"""The PCs of `antre loadbench`: kiosk, counter and display processes, each reporting what it measured."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from typing import Any


def _ready(url: str) -> Any:
    from db import open_database

    return open_database(url)


def kiosk(url: str, services: list[str], plan: dict[str, Any], t0: float, out: Any) -> None:
    """Issues tickets at the planned times (paced), then back to back (saturated)."""
    from db import Refused, transact
    from db.queue import issue_ticket, prepare_issuing

    sessions = _ready(url)
    with sessions() as s:
        prepare_issuing(s)  # the kiosk app does this as it loads its catalogue
    out.put(("ready", "kiosk", time.time() - t0))
    rng = random.Random(plan["seed"])
    samples: dict[str, list[float]] = {"paced": [], "saturated": []}
    issued: list[int] = []
    # Citizens arrive from the start of the hour: arrivals drawn during the boot would all land on
    # its first instant, a burst no real hour has.
    time.sleep(max(0.0, plan["start_at"] - time.time()))
    for phase, until in (("paced", plan["paced_until"]), ("saturated", plan["saturated_until"])):
        while time.time() < until:
            if phase == "paced":
                time.sleep(min(rng.expovariate(plan["rate"]), max(0.0, until - time.time())))
                if time.time() >= until:
                    break
            service = rng.choice(services)
            t = time.perf_counter()
            try:
                ticket = transact(sessions, lambda s: issue_ticket(s, service, priority=rng.random() < 0.1))
            except Refused:
                continue
            samples[phase].append((time.perf_counter() - t) * 1000)
            issued.append(ticket.ticket.id)
    out.put(("kiosk", samples, issued))


def counter(url: str, code: str, plan: dict[str, Any], t0: float, out: Any) -> None:
    """Calls, serves for a (compressed) service time, finishes; idles briefly on an empty queue."""
    from db import QueueEmpty, transact
    from db.events import Listener
    from db.queue import call_next, counter_service_ids, finish, require_waiting

    sessions = _ready(url)
    with sessions() as s:
        mine = counter_service_ids(s, code)
    listener = Listener(url, mine)  # an officer with an empty queue presses "call" when a ticket shows up
    listener.wait(0.0)  # connects and listens now, as the console does when it opens
    try:  # the console's first look, before the hour: the building has been open a while
        transact(sessions, lambda s: call_next(s, code), check=lambda s: require_waiting(s, code))
        raise AssertionError("the queue is empty before the busy hour")
    except QueueEmpty:
        pass
    out.put(("ready", "counter", time.time() - t0))
    rng = random.Random(code)
    calls: dict[str, list[float]] = {"paced": [], "saturated": []}
    finishes: dict[str, list[float]] = {"paced": [], "saturated": []}
    called: list[int] = []
    while time.time() < plan["start_at"]:
        time.sleep(0.01)
    idle_since = time.time()
    empty = True  # what the first look found
    while True:
        now = time.time()
        phase = "paced" if now < plan["paced_until"] else "saturated"
        if now >= plan["saturated_until"] and now - idle_since > plan["drain_idle"]:
            break
        if empty:
            if phase == "paced":
                # The console shows new tickets as they come: LISTEN for this counter's services (a
                # look every 3 s covers a lost notification), a poll every 0.5 s on SQLite.
                listener.wait(3.0 if listener.push else 0.5)
            else:
                time.sleep(0.005)
        t = time.perf_counter()
        try:
            ticket = transact(sessions, lambda s: call_next(s, code), check=lambda s: require_waiting(s, code))
        except QueueEmpty:
            empty = True
            continue
        empty = False
        calls[phase].append((time.perf_counter() - t) * 1000)
        called.append(ticket.id)
        if phase == "paced":
            time.sleep(rng.uniform(0.5, 1.5) * plan["service_seconds"])
        t = time.perf_counter()
        transact(sessions, lambda s: finish(s, code))
        finishes[phase].append((time.perf_counter() - t) * 1000)
        idle_since = time.time()
    listener.close()
    out.put(("counter", {"call": calls, "finish": finishes}, called))


def display(url: str, plan: dict[str, Any], t0: float, done: Any, out: Any) -> None:
    """Follows the log as the TV does: LISTEN on PostgreSQL; on SQLite a look at the file's size and
    time every 20 ms and a read when it changed. Runs until every writer has stopped, then reads the rest."""
    import os

    from db.events import Cursor, Listener, follow

    sessions = _ready(url)
    listener = Listener(url)
    listener.wait(0.0)  # connects and listens now, as the TV does when it starts
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None

    def signature() -> tuple[float, ...]:
        stats = [os.stat(f) for f in (path, f"{path}-wal") if os.path.exists(f)]  # type: ignore[arg-type]
        return tuple(x for st in stats for x in (st.st_size, st.st_mtime_ns))

    out.put(("ready", "display", time.time() - t0))
    cursor, seen, lag = Cursor(), [], []
    last_look, last_read = (), 0.0
    while True:
        finishing = done.is_set()
        with sessions() as s:
            cursor, events, more = follow(s, cursor)
        last_read = time.monotonic()
        arrived = datetime.now(UTC)
        for e in events:
            seen.append(e.id)
            if e.kind == "called" and e.at > plan["start_dt"]:
                lag.append((e.at.timestamp(), (arrived - e.at).total_seconds() * 1000))
        if more:  # as the TV's watcher: a full batch, or events held behind a running transaction
            if listener.push:
                listener.wait(0.02 if events else 0.05)  # the holder's commit notifies
            else:
                time.sleep(0.02 if events else 0.05)
            continue
        if events:
            continue
        if finishing:
            break  # the writers had stopped before this read: nothing more can come
        if listener.push:
            listener.wait(0.5)
            continue
        while not done.is_set() and time.monotonic() - last_read < 1.0:
            time.sleep(0.02)
            look = signature()
            if look != last_look:
                last_look = look
                break
    listener.close()
    out.put(("display", lag, seen))
