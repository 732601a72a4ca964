"""Screenshots of every kiosk screen, both orientations and both languages (`python -m kiosk.screens OUTDIR`).

Real widgets on the offscreen platform over a seeded SQLite database in a temp folder; files go
to OUTDIR/kiosk/<orientation>-<lang>-<screen>.png, plus the printed ticket at 80 and 58 mm.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db import open_database, unit_of_work  # noqa: E402
from db.queue import issue_ticket  # noqa: E402
from db.ticket_layout import ticket_content, ticket_layout  # noqa: E402
from kiosk.demo_venue import DEMO_NOW, seed  # noqa: E402
from kiosk.printers import PrinterState, PrinterStatus, PrintError, PrintJob, TicketPrinter  # noqa: E402

ORIENTATIONS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
Check = Callable[[object, str], None]


class ScreenPrinter(TicketPrinter):
    """A stand-in printer whose status and outcome the script sets; a job waits until released."""

    name = "screenshot"

    def __init__(self) -> None:
        self.state = PrinterStatus(PrinterState.OK)
        self.fail = False
        self.release = threading.Event()

    def status(self) -> PrinterStatus:
        return self.state

    def print_ticket(self, job: PrintJob) -> None:
        self.release.wait(10)
        self.release.clear()
        if self.fail:
            raise PrintError("connection refused")


def _wait(app: object, cond: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        app.processEvents()  # type: ignore[attr-defined]
        if time.monotonic() > end:
            raise TimeoutError("the kiosk did not reach the expected state")
        time.sleep(0.01)
    for _ in range(3):
        app.processEvents()  # type: ignore[attr-defined]


def capture(outdir: Path, *, orientations: tuple[str, ...] = ("portrait", "landscape"),
            langs: tuple[str, ...] = ("id", "en"), check: Check | None = None) -> list[Path]:
    """Render every screen of the full demo venue; returns the PNG paths written.

    `check(window, name)` is called on each screen as shown, before it is saved (the tests look
    for cut text and small touch targets there).
    """
    from PySide6.QtWidgets import QApplication

    from kiosk.window import KioskWindow
    from qtkit.worker import DbWorker

    app = QApplication.instance() or QApplication([])
    target = outdir / "kiosk"
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="antre-kiosk-") as tmp:
        written += _tickets(seed(Path(tmp) / "tickets")[0], target)
        for orientation in orientations:
            for lang in langs:
                folder = Path(tmp) / f"{orientation}-{lang}" / "db"
                url, missed = seed(folder)
                worker = DbWorker(url)
                printer = ScreenPrinter()
                w = KioskWindow(worker, printer=printer, lang=lang, clock=lambda: DEMO_NOW)
                try:
                    w.resize(*ORIENTATIONS[orientation])
                    w.show()
                    written += _walk(app, w, printer, target / f"{orientation}-{lang}-", folder, missed, check)
                finally:
                    printer.release.set()
                    w.shutdown()
                    w.close()
                    w.deleteLater()
                    worker.stop()
                    app.processEvents()
    return written


def _walk(app: object, w: object, printer: ScreenPrinter, prefix: Path, db_folder: Path,
          missed: str, check: Check | None = None) -> list[Path]:
    shots: list[Path] = []

    def shot(name: str) -> None:
        for _ in range(3):
            app.processEvents()  # type: ignore[attr-defined]
        if check is not None:
            check(w, f"{prefix.name}{name}")
        path = Path(f"{prefix}{name}.png")
        w.grab().save(str(path), "PNG", 0)  # type: ignore[attr-defined] - 0: smallest file
        shots.append(path)

    _wait(app, lambda: w.view == "home")  # type: ignore[attr-defined]
    shot("1-home")
    w.open_agency("DUKCAPIL")  # type: ignore[attr-defined]
    shot("2-agency")
    w._idle_timeout()  # type: ignore[attr-defined] - as if nobody touched the screen for idle_seconds
    shot("2-agency-idle-warning")
    w._idle_extend()  # type: ignore[attr-defined]
    w.open_agency("POLRES")  # type: ignore[attr-defined]
    shot("2-agency-closed")
    w.open_agency("DUKCAPIL")  # type: ignore[attr-defined]
    w.open_service("A")  # type: ignore[attr-defined]
    shot("3-confirm")
    w.confirm.priority_button.click()  # type: ignore[attr-defined]
    shot("3-confirm-priority")
    w.confirm.pages.setCurrentIndex(0)  # type: ignore[attr-defined]
    for agency, service, name in (("POLRES", "SK", "fixed"), ("SAMSAT", "PK", "bill")):
        w.open_agency(agency)  # type: ignore[attr-defined]
        w.open_service(service)  # type: ignore[attr-defined]
        shot(f"3-confirm-fee-{name}")
    w.open_agency("DUKCAPIL")  # type: ignore[attr-defined]
    w.open_service("A")  # type: ignore[attr-defined]
    w.confirm.take_button.click()  # type: ignore[attr-defined]
    _wait(app, lambda: w.view == "ticket")  # type: ignore[attr-defined]
    shot("4-ticket-printing")
    printer.release.set()
    _wait(app, lambda: not w.jobs and w.ticket.preview.isVisible())  # type: ignore[attr-defined]
    shot("4-ticket-printed")
    w.go_home()  # type: ignore[attr-defined]
    w.open_agency("DUKCAPIL")  # type: ignore[attr-defined]
    w.open_service("C")  # type: ignore[attr-defined]
    printer.fail = True
    w.confirm.priority.emit("lansia")  # type: ignore[attr-defined]
    _wait(app, lambda: w.view == "ticket")  # type: ignore[attr-defined]
    printer.release.set()
    _wait(app, lambda: w.ticket.failed)  # type: ignore[attr-defined]
    shot("5-ticket-print-failed")
    printer.fail = False
    w.go_home()  # type: ignore[attr-defined]
    w.scanned(missed)  # type: ignore[attr-defined]
    _wait(app, lambda: w.view == "message")  # type: ignore[attr-defined]
    shot("6-scan-requeued")
    w.scanned("hello")  # type: ignore[attr-defined]
    _wait(app, lambda: w.message.kind == "warn")  # type: ignore[attr-defined]
    shot("6-scan-unknown")
    w.go_home()  # type: ignore[attr-defined]
    printer.state = PrinterStatus(PrinterState.PAPER_OUT, "paper end")
    w.printing.check_status()  # type: ignore[attr-defined]
    _wait(app, lambda: w.view == "printer")  # type: ignore[attr-defined]
    shot("7-printer-problem")
    printer.state = PrinterStatus(PrinterState.OK)
    w.printing.check_status()  # type: ignore[attr-defined]
    _wait(app, lambda: w.view == "home")  # type: ignore[attr-defined]
    moved = db_folder.with_name("db-away")
    os.rename(db_folder, moved)
    try:
        _wait(app, lambda: w.view == "unavailable")  # type: ignore[attr-defined]
        shot("8-unavailable")
    finally:
        os.rename(moved, db_folder)
    _wait(app, lambda: w.view == "home")  # type: ignore[attr-defined]
    _booking_shots(app, w, printer, db_folder, shot)
    _access_shots(app, w, shot)
    for _ in range(5):
        w.header.corner_tapped.emit()  # type: ignore[attr-defined]
    w.staff.pin = "2468"  # type: ignore[attr-defined]
    w.staff._refresh()  # type: ignore[attr-defined]
    shot("9-staff-pin")
    return shots


def _booking_shots(app: object, w: object, printer: ScreenPrinter, db_folder: Path,
                   shot: Callable[[str], None]) -> None:
    """'Punya kode booking?': the pad with a code typed, a refused code, the ticket of a good one."""
    from datetime import time as clock_time
    from zoneinfo import ZoneInfo

    from db.bookings import add_booking

    sessions = open_database(f"sqlite:///{db_folder / 'kiosk-demo.sqlite3'}")
    with unit_of_work(sessions) as s:
        day = DEMO_NOW.astimezone(ZoneInfo("Asia/Jakarta")).date()
        add_booking(s, "A", day, clock_time(14, 30), code="MPP7K4QZ", source="csv")
        add_booking(s, "A", day, clock_time(8, 0), code="JKN58XR2", source="csv")
    sessions.kw["bind"].dispose()
    w.home.booking_button.click()  # type: ignore[attr-defined]
    for key in "JKN58":
        w.booking.keys[key].click()  # type: ignore[attr-defined]
    shot("10-booking-entry")
    w.booking.start(w.lang, "MPP7K4QZX")  # type: ignore[attr-defined] - a typo: one letter too many
    w.booking.ok_button.click()  # type: ignore[attr-defined]
    _wait(app, lambda: bool(w._booking_reason))  # type: ignore[attr-defined]
    shot("10-booking-refused")
    w.booking.key("delete")  # type: ignore[attr-defined]
    w.booking.ok_button.click()  # type: ignore[attr-defined]
    _wait(app, lambda: w.view == "ticket")  # type: ignore[attr-defined]
    printer.release.set()
    _wait(app, lambda: not w.jobs and w.ticket.preview.isVisible())  # type: ignore[attr-defined]
    shot("10-booking-ticket")
    w.go_home()  # type: ignore[attr-defined]


def _access_shots(app: object, w: object, shot: Callable[[str], None]) -> None:
    """Issue 14: the keypad's focus ring on an agency tile, and the large-text toggle on Confirm."""
    w.go_home()  # type: ignore[attr-defined]
    _wait(app, lambda: w.view == "home")  # type: ignore[attr-defined]
    w.keypad.focus(w.home.grid.tiles[1])  # type: ignore[attr-defined] - as after Down, Down, Down
    shot("11-keypad-focus")
    w.keypad.reset()  # type: ignore[attr-defined]
    w.set_large_text(True)  # type: ignore[attr-defined]
    shot("12-large-text-home")
    w.open_agency("DUKCAPIL")  # type: ignore[attr-defined]
    w.open_service("A")  # type: ignore[attr-defined]
    shot("12-large-text-confirm")
    w.set_large_text(False)  # type: ignore[attr-defined]
    w.go_home()  # type: ignore[attr-defined]


def _tickets(url: str, target: Path) -> list[Path]:
    """The printed ticket as PNG at 80 and 58 mm (priority ticket, Bahasa Indonesia and English)."""
    from kiosk.escpos_backend import profile_columns
    from kiosk.ticket_image import render_png

    sessions = open_database(url, create=True)
    with unit_of_work(sessions) as s:
        issued = issue_ticket(s, "A", priority=True, priority_category="lansia", now=DEMO_NOW)
        content = ticket_content(s, issued.ticket.id, ahead=issued.ahead, wait=issued.estimated_wait_minutes)
    sessions.kw["bind"].dispose()
    paths = []
    for mm, profile, lang in ((80, "TM-T88V", "id"), (58, "RP-F10-58mm", "en")):
        cols = profile_columns(profile)
        path = target / f"ticket-{mm}mm-{lang}.png"
        render_png(ticket_layout(content, lang, columns=cols), path, paper_mm=mm, columns=cols)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outdir = Path(args[0] if args else "docs/screenshots")
    for path in capture(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
