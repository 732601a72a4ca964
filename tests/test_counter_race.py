"""Two consoles in two processes press "next" at the same moment, many times: never the same ticket."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import Counter as Tally
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db import open_database, unit_of_work
from db.models import Event, EventKind, Ticket
from tests.counter_fixtures import PINS, counter_url, issue  # noqa: F401 - fixture

TICKETS_A, TICKETS_B = 40, 3  # L1 serves A and B (quota 3), L2 serves A: both draw from A's queue


def console_process(url: str, counter: str, user: str, ready: Any, go: Any, out: Any) -> None:
    """One officer's PC: a real console window, driven by clicks on its buttons."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from counter.window import build_console

    app = QApplication([])
    window = build_console(url, counter=counter, poll_ms=150)
    window.resize(1366, 768)
    window.show()
    c = window.controller

    def wait(cond: Any, seconds: float = 10.0) -> None:
        end = time.monotonic() + seconds
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError(f"{counter}: timed out")
            app.processEvents()
            time.sleep(0.001)

    def idle() -> bool:
        return not c.busy and not c._refreshing

    wait(lambda: c.setup is not None and c.online)
    window.sign_in_page.username.setText(user)
    window.sign_in_page.pin.setText(PINS[user])
    window.sign_in_page.submit()
    wait(lambda: c.snapshot is not None and idle())
    ready.set()
    go.wait()
    called, failures, buttons = [], [], window.console.buttons
    while True:
        wait(lambda: buttons["next"].isEnabled())
        QTest.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
        wait(idle)
        ticket = c.snapshot.ticket if c.snapshot else None
        if ticket is None:
            level, text = c.last_notice
            if "ANTREAN KOSONG" in text:
                break
            failures.append(text)
            if len(failures) > 5:
                break
            continue
        called.append(ticket.code)
        wait(lambda: buttons["finish"].isEnabled())
        QTest.mouseClick(buttons["finish"], Qt.MouseButton.LeftButton)
        wait(lambda: idle() and c.snapshot is not None and c.snapshot.ticket is None)
    window.shutdown()
    out.put((counter, called, failures))


@pytest.mark.slow
def test_two_consoles_racing_for_next_never_share_a_ticket(counter_url: str, tmp_path: Path) -> None:
    sessions = open_database(counter_url)
    issued = issue(sessions, "A", TICKETS_A - 6) + issue(sessions, "A", 6, priority=True)
    issued += issue(sessions, "B", TICKETS_B)
    ctx = mp.get_context("spawn")
    ready = [ctx.Event(), ctx.Event()]
    go, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=console_process, args=(counter_url, counter, user, ready[i], go, out))
        for i, (counter, user) in enumerate([("L1", "siti"), ("L2", "rina")])
    ]
    for p in procs:
        p.start()
    try:
        for event in ready:
            assert event.wait(60), "a console did not come up"
        go.set()  # both press "next" from the same instant, over and over
        results = {}
        for _ in procs:
            counter, called, failures = out.get(timeout=60)
            results[counter] = (called, failures)
    finally:
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.terminate()
    assert all(p.exitcode == 0 for p in procs)
    for counter, (called, failures) in results.items():
        assert failures == [], f"{counter}: {failures}"
    l1, l2 = results["L1"][0], results["L2"][0]
    both = l1 + l2
    assert len(both) == len(set(both)), [c for c, n in Tally(both).items() if n > 1]
    assert sorted(both) == sorted(issued)  # every ticket served once, none lost
    assert len(l2) >= 5 and all(code.startswith("A") for code in l2)  # they really raced on A
    with unit_of_work(sessions) as s:
        calls = Tally(s.scalars(select(Event.ticket_id).where(Event.kind == EventKind.CALLED)).all())
        assert set(calls.values()) == {1} and len(calls) == len(issued)
        statuses = set(s.scalars(select(Ticket.status)).all())
        assert statuses == {"done"}
    sessions.kw["bind"].dispose()
