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
def kiosk_url(new_db_url: Callable[..., str], venue_file: Path) -> str:
    """The small venue plus short kiosk timers, on SQLite and on PostgreSQL."""
    return _kiosk_db(new_db_url(), venue_file)


@pytest.fixture
def sqlite_kiosk_url(tmp_path: Path, venue_file: Path) -> str:
    """The same in a SQLite file inside its own folder, for the tests that move the folder away."""
    folder = tmp_path / "dbdir"
    folder.mkdir()
    return _kiosk_db(f"sqlite:///{folder / 'antre.sqlite3'}", venue_file)


def _kiosk_db(url: str, venue_file: Path) -> str:
    venue_file.write_text(venue_file.read_text(encoding="utf-8") + KIOSK_SECTION, encoding="utf-8")
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


# --- Checks on rendered screens ----------------------------------------------------------------
MIN_TOUCH_PX = 61  # 15 mm at 96 dpi (the kiosk's 1080-pixel short side, read from about 1 m)
MIN_GAP_PX = 8
MIN_TEXT_PX = 28


def _label_fits(lab: Any) -> bool:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextDocument

    rect = lab.contentsRect()
    m = lab.margin()
    rect = rect.adjusted(m, m, -m, -m)
    text = lab.text()
    rich = lab.textFormat() == Qt.TextFormat.RichText or (
        lab.textFormat() == Qt.TextFormat.AutoText and "<" in text and ">" in text)
    if rich:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(lab.font())
        doc.setHtml(text)
        if lab.wordWrap():
            doc.setTextWidth(rect.width())
        size = doc.size()
        return size.width() <= rect.width() + 1 and size.height() <= rect.height() + 1
    fm = lab.fontMetrics()
    if lab.wordWrap():
        box = fm.boundingRect(rect, int(lab.alignment()) | int(Qt.TextFlag.TextWordWrap), text)
        return box.width() <= rect.width() and box.height() <= rect.height()
    lines = text.split("\n")
    return (max(fm.horizontalAdvance(line) for line in lines) <= rect.width()
            and fm.height() * len(lines) <= rect.height())


def _button_fits(b: Any) -> bool:
    fm = b.fontMetrics()
    icon = b.iconSize().width() + 12 if not b.icon().isNull() else 0
    room = b.contentsRect().width() - 48 - icon  # the buttons' style sheet pads 24 px each side
    lines = b.text().split("\n")
    return max(fm.horizontalAdvance(line) for line in lines) <= room and fm.height() * len(lines) <= b.height()


def layout_problems(window: Any, screen: str) -> list[str]:
    """What a citizen would find wrong on the window as shown: cut text, small text, small or crowded targets."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from kiosk.views.common import Tile

    problems: list[str] = []
    veil = getattr(window, "idle_warning", None)
    if veil is not None and veil.isVisible():
        window = veil  # what is under the idle warning cannot be touched or read until it goes
    labels = [w for w in window.findChildren(QLabel) if w.isVisible() and w.text() and w.pixmap().isNull()]
    for lab in labels:
        name = f"{screen}: label {lab.text()[:40]!r}"
        if not _label_fits(lab):
            problems.append(f"{name} is cut ({lab.width()}x{lab.height()})")
        if lab.font().pixelSize() < MIN_TEXT_PX:
            problems.append(f"{name} is {lab.font().pixelSize()} px")
    boxes = [(lab, QRect(lab.mapTo(window, QPoint(0, 0)), lab.size())) for lab in labels]
    for i, (la, ra) in enumerate(boxes):
        for lb, rb in boxes[i + 1:]:
            if ra.intersects(rb) and not (la.isAncestorOf(lb) or lb.isAncestorOf(la)):
                problems.append(f"{screen}: labels {la.text()[:30]!r} and {lb.text()[:30]!r} overlap")
    targets = [b for b in window.findChildren(QAbstractButton) if b.isVisible()]
    rects: list[tuple[str, QRect]] = []
    for b in targets:
        text = b.title if isinstance(b, Tile) else b.text()
        name = f"{screen}: button {text[:40]!r}"
        if min(b.width(), b.height()) < MIN_TOUCH_PX:
            problems.append(f"{name} is {b.width()}x{b.height()} px")
        if isinstance(b, Tile):
            if not b.fits():
                problems.append(f"{name}: its text does not fit at {MIN_TEXT_PX} px")
        elif b.text():
            if not _button_fits(b):
                problems.append(f"{name}: its text is cut")
            if b.font().pixelSize() < MIN_TEXT_PX:
                problems.append(f"{name} is {b.font().pixelSize()} px")
        if b.isEnabled():
            rects.append((name, QRect(b.mapTo(window, QPoint(0, 0)), b.size())))
    for i, (na, a) in enumerate(rects):
        for nb, b in rects[i + 1:]:
            dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1)
            dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1)
            if max(dx, dy) < MIN_GAP_PX:
                problems.append(f"{na} and {nb} are {max(dx, dy)} px apart")
    return problems


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""

    def lum(c: str) -> float:
        rgb = [int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def big_venue_toml(agencies: int = 25, services: int = 12) -> str:
    """A venue bigger than any MPP today: `agencies` agencies with long names, the first with `services`."""
    out = ['[venue]', 'name = "Mal Pelayanan Publik Kabupaten Contoh"', 'address = "Jl. Raya Contoh 1"', ""]
    letters = [f"{a}{b}" for a in "ABCDEFGHJKLMNPRSTUVWXYZ" for b in "ABCDEFGHJKLMNPRSTUVWXYZ"]
    n = 0
    for i in range(agencies):
        out += ["[[agencies]]", f'code = "AG{i:02d}"',
                f'name = "Dinas Pelayanan Terpadu Nomor {i + 1} Kabupaten Contoh Jaya"',
                f'name_en = "Integrated Service Office Number {i + 1}"', ""]
    for i in range(agencies):
        for j in range(services if i == 0 else 2):
            code = letters[n]
            n += 1
            out += ["[[services]]", f'agency = "AG{i:02d}"', f'code = "{code}"',
                    f'name = "Permohonan Layanan Administrasi Kependudukan Jenis {j + 1}"',
                    f'name_en = "Population administration request, kind {j + 1}"',
                    'requirements = ["Kartu Tanda Penduduk elektronik asli dan fotokopinya", '
                    '"Kartu Keluarga asli", "Surat pengantar dari kelurahan atau desa setempat"]',
                    f'fee_kind = "{("free", "fixed", "bill")[j % 3]}"',
                    f"fee = {50000 if j % 3 == 1 else 0}",
                    'fee_note = "Dibayar melalui bank persepsi setelah tagihan terbit"' if j % 3 == 2 else "",
                    ""]
            out += ["[[counters]]", f'code = "C{code}"', f'name = "Loket {code}"', f'agency = "AG{i:02d}"',
                    f'services = ["{code}"]', f'zone = "Lantai {1 + i % 3}"', ""]
    return "\n".join(out)


@pytest.fixture
def open_kiosk(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """open_kiosk(url, size=(w, h), **kw) -> a shown KioskWindow on any database URL, on Home."""
    from kiosk.window import KioskWindow
    from qtkit.worker import DbWorker

    made: list[tuple[Any, Any]] = []

    def make(url: str, *, size: tuple[int, int] = (1080, 1920), **kw: Any) -> Any:
        worker = DbWorker(url)
        window = KioskWindow(worker, printer=kw.pop("printer", None), **kw)
        made.append((window, worker))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitUntil(lambda: window.view == "home", timeout=10000)
        return window

    yield make
    for window, worker in made:
        window.shutdown()
        worker.stop()


def load_venue(url: str, text: str, folder: Path) -> None:
    """Load a venue file's text into the database at `url`."""
    path = folder / "venue-under-test.toml"
    path.write_text(text, encoding="utf-8")
    sessions = open_database(url)
    with unit_of_work(sessions) as session:
        load_config(session, path)
    sessions.kw["bind"].dispose()
