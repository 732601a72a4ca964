"""Fixtures and helpers for the counter console tests: a database in its own folder, a signed-in console."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from counter.controller import Phase
from counter.window import CounterWindow, build_console
from db import open_database, unit_of_work
from db.config import load_config
from db.models import Event, EventKind, Role, Ticket
from db.operators import add_operator, set_pin
from db.queue import issue_ticket

PINS = {"siti": "2486", "rina": "5698", "sari": "1357", "budi": "4721"}  # none weak: set-pin refuses those


def make_db(folder: Path, venue_file: Path, *, must_change: bool = False, url: str | None = None) -> str:
    """The small venue with PINs as in PINS: in `url` (a fresh database on the run's backend), or
    else in a SQLite file in `folder` (its own folder, so a test can move it away)."""
    if url is None:
        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{folder / 'antre.sqlite3'}"
    sessions = open_database(url, create=True)
    with unit_of_work(sessions) as s:
        load_config(s, venue_file)
        set_pin(s, "siti", PINS["siti"], must_change=must_change)
        set_pin(s, "budi", PINS["budi"])
        add_operator(s, "rina", "Rina Kusuma", agency="DUKCAPIL", pin=PINS["rina"], must_change_pin=False)
        add_operator(s, "sari", "Sari Supervisor", role=Role.SUPERVISOR, pin=PINS["sari"], must_change_pin=False)
    sessions.kw["bind"].dispose()
    return url


@pytest.fixture
def counter_url(new_db_url: Callable[..., str], tmp_path: Path, venue_file: Path) -> str:
    """The console's database, on SQLite and on PostgreSQL."""
    return make_db(tmp_path / "data", venue_file, url=new_db_url())


@pytest.fixture
def sqlite_counter_url(tmp_path: Path, venue_file: Path) -> str:
    """A SQLite file in tmp_path/data, for the tests that take the database away by moving its folder."""
    return make_db(tmp_path / "data", venue_file)


@pytest.fixture
def engine(counter_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions of 'another process' (kiosk, CLI) writing to the same database as the console."""
    maker = open_database(counter_url)
    yield maker
    maker.kw["bind"].dispose()


def open_console(qtbot: Any, url: str, counter: str | None = "L1", size: tuple[int, int] = (1366, 768),
                 poll_ms: int = 50) -> CounterWindow:
    """A console window, shown and connected (setup loaded)."""
    window = build_console(url, counter=counter, poll_ms=poll_ms)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.controller.setup is not None and window.controller.online, timeout=5000)
    return window


@pytest.fixture
def console(qtbot: Any, counter_url: str) -> Iterator[CounterWindow]:
    window = open_console(qtbot, counter_url)
    yield window
    window.shutdown()


def sign_in(qtbot: Any, window: CounterWindow, user: str, pin: str | None = None) -> None:
    """Type username and PIN and press Enter, as an officer does; waits for the answer."""
    page = window.sign_in_page
    page.username.clear()
    qtbot.keyClicks(page.username, user)
    qtbot.keyClick(page.username, Qt.Key.Key_Return)
    with qtbot.waitSignal(window.controller.sign_in_done, timeout=5000):
        qtbot.keyClicks(page.pin, pin if pin is not None else PINS[user])
        qtbot.keyClick(page.pin, Qt.Key.Key_Return)


@pytest.fixture
def signed_in(qtbot: Any, console: CounterWindow) -> CounterWindow:
    """The console at L1 with siti signed in and the first snapshot shown."""
    sign_in(qtbot, console, "siti")
    qtbot.waitUntil(lambda: console.controller.phase == Phase.CONSOLE and console.controller.snapshot is not None)
    return console


def issue(sessions: sessionmaker[Session], service: str, n: int = 1, **kw: Any) -> list[str]:
    """Issue tickets as a kiosk would (another connection); returns their codes."""
    with unit_of_work(sessions) as s:
        return [issue_ticket(s, service, **kw).ticket.code for _ in range(n)]


def ticket_rows(sessions: sessionmaker[Session], code: str) -> list[Ticket]:
    """Every row with this code today (a transfer makes a second row with the same code)."""
    with unit_of_work(sessions) as s:
        rows = list(s.scalars(select(Ticket).where(Ticket.code == code).order_by(Ticket.id)))
        for r in rows:
            _ = r.service.code, r.counter
        return rows


def events(sessions: sessionmaker[Session], kind: EventKind) -> list[Event]:
    with unit_of_work(sessions) as s:
        return list(s.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def key(qtbot: Any, window: CounterWindow, name: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
        ) -> None:
    """Press a key on the console as the officer does (the shortcut, not a method call)."""
    qtbot.keyClick(window.console.table, getattr(Qt.Key, f"Key_{name}"), modifier)


def settled(window: CounterWindow) -> Callable[[], bool]:
    """A condition: no action in flight and the snapshot re-read."""
    c = window.controller
    return lambda: not c.busy and not c._refreshing and c.snapshot is not None
