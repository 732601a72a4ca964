"""Kiosk test helpers: a fake network printer (a real TCP server on 127.0.0.1) and a kiosk factory."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db import open_database, unit_of_work
from db.config import load_config
from db.models import Ticket

DLE_EOT = b"\x10\x04"
STATUS_OK = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}
KIOSK_SECTION = """
[kiosk]
ticket_seconds = 2
message_seconds = 2
fallback_seconds = 10
retry_seconds = 1
"""


class FakeNetPrinter:
    """An ESC/POS network printer on 127.0.0.1: keeps every byte, answers DLE EOT n status queries."""

    def __init__(self, status: dict[int, int] | None = None, *, answer: bool = True) -> None:
        self.status = dict(status or STATUS_OK)
        self.answer = answer
        self.received = bytearray()
        self.connections = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def spec(self) -> str:
        return f"net:127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(0.2)
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        pending = b""
        deadline = time.monotonic() + 10
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            pending += chunk
            while (at := pending.find(DLE_EOT)) >= 0 and len(pending) >= at + 3:
                n = pending[at + 2]
                if self.answer:
                    conn.sendall(bytes([self.status.get(n, 0x12)]))
                pending = pending[:at] + pending[at + 3:]
            with self._lock:
                self.received += pending
            pending = b""

    def data(self) -> bytes:
        with self._lock:
            return bytes(self.received)

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        self._thread.join(2)


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fake_printer() -> Iterator[FakeNetPrinter]:
    printer = FakeNetPrinter()
    yield printer
    printer.close()


@pytest.fixture
def kiosk_url(tmp_path: Path, venue_file: Path) -> str:
    """The small venue plus short kiosk timers, in a SQLite file inside its own folder (to move it away)."""
    venue_file.write_text(venue_file.read_text(encoding="utf-8") + KIOSK_SECTION, encoding="utf-8")
    folder = tmp_path / "dbdir"
    folder.mkdir()
    url = f"sqlite:///{folder / 'antre.sqlite3'}"
    sessions = open_database(url, create=True)
    with unit_of_work(sessions) as session:
        load_config(session, venue_file)
    sessions.kw["bind"].dispose()
    return url


@pytest.fixture
def make_kiosk(qtbot: Any, kiosk_url: str, now: datetime) -> Iterator[Callable[..., Any]]:
    """make_kiosk(printer=..., clock=..., **kw) -> a shown KioskWindow on the Home screen."""
    from kiosk.window import KioskWindow
    from qtkit.worker import DbWorker

    made: list[tuple[Any, Any]] = []

    def make(printer: Any = None, *, clock: Callable[[], datetime] | None = None, size: tuple[int, int] = (1080, 1920),
             home: bool = True, **kw: Any) -> Any:
        worker = DbWorker(kiosk_url)
        window = KioskWindow(worker, printer=printer, clock=clock or (lambda: now), **kw)
        made.append((window, worker))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        if home:
            qtbot.waitUntil(lambda: window.view == "home", timeout=5000)
        return window

    yield make
    for window, worker in made:
        window.shutdown()
        worker.stop()


def tickets(url: str) -> list[Ticket]:
    """Every ticket in the database, oldest first (detached rows for assertions)."""
    sessions = open_database(url, create=True)
    with sessions() as session:
        rows = list(session.scalars(select(Ticket).order_by(Ticket.id)))
        session.expunge_all()
    sessions.kw["bind"].dispose()
    return rows
