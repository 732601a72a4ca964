"""One thread owns the ticket printer: status checks and print jobs run there, in order.

Printing never runs on the GUI thread: a printer that hangs on a TCP connect or an `lp` pipe
freezes only this thread, and results come back to the GUI by signal.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.printers import PrinterState, PrinterStatus, PrintError, PrintJob, TicketPrinter

log = logging.getLogger(__name__)


class PrintService(QObject):
    """Queues status checks and print jobs for one TicketPrinter on a worker thread."""

    status_changed = Signal(object)  # PrinterStatus, after every check
    printed = Signal(int, float)  # job token, perf_counter() when the bytes were handed to the device
    failed = Signal(int, str)  # job token, error text
    preview = Signal(int, object)  # job token, QImage of the ticket as printed (after the job, never before)

    def __init__(self, printer: TicketPrinter | None = None, *, status_seconds: float = 15,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.printer = printer
        self.status = PrinterStatus(PrinterState.UNKNOWN, "not checked yet")
        self._jobs: queue.Queue[tuple[str, int, PrintJob | None] | None] = queue.Queue()
        self._tokens = itertools.count(1)
        self._status_pending = threading.Event()
        self._timer = QTimer(self)
        self._timer.setInterval(int(status_seconds * 1000))
        self._timer.timeout.connect(self.check_status)
        self._thread = threading.Thread(target=self._loop, name="antre-printer", daemon=True)
        self._thread.start()

    def set_printer(self, printer: TicketPrinter, *, status_seconds: float | None = None) -> None:
        """Attach the device (once the venue settings are known) and start watching its status."""
        self.printer = printer
        if status_seconds:
            self._timer.setInterval(int(status_seconds * 1000))
        self._timer.start()
        self.check_status()

    def check_status(self) -> None:
        """Ask the device for its status soon (coalesced: one check in the queue at a time)."""
        if self.printer is None or self._status_pending.is_set():
            return
        self._status_pending.set()
        self._jobs.put(("status", 0, None))

    def submit(self, job: PrintJob) -> int:
        """Queue a ticket; `printed` or `failed` follows with the returned token."""
        token = next(self._tokens)
        self._jobs.put(("print", token, job))
        return token

    def stop(self, timeout: float = 5.0) -> None:
        """Finish queued jobs, close the device and end the thread."""
        self._timer.stop()
        self._jobs.put(None)
        self._thread.join(timeout)

    def _loop(self) -> None:
        while (item := self._jobs.get()) is not None:
            kind, token, job = item
            printer = self.printer
            if printer is None:
                if kind == "print":
                    self.failed.emit(token, "no printer configured")
                continue
            if kind == "status":
                self._status_pending.clear()
                try:
                    status = printer.status()
                except Exception as exc:  # noqa: BLE001 - a device bug reads as an offline printer
                    log.exception("printer status failed")
                    status = PrinterStatus(PrinterState.OFFLINE, str(exc)[:200])
                self.status = status
                self.status_changed.emit(status)
                continue
            assert job is not None
            try:
                printer.print_ticket(job)
            except PrintError as exc:
                log.warning("printing %s failed: %s", job.name, exc)
                self.failed.emit(token, str(exc) or "print failed")
            except Exception as exc:  # noqa: BLE001 - whatever broke, the citizen gets the screen fallback
                log.exception("printing %s failed", job.name)
                self.failed.emit(token, f"{type(exc).__name__}: {exc}"[:200])
            else:
                self.printed.emit(token, time.perf_counter())
            self._preview(token, job, printer)
        if self.printer is not None:
            try:
                self.printer.close()
            except Exception:  # noqa: BLE001
                log.exception("closing the printer failed")

    def _preview(self, token: int, job: PrintJob, printer: TicketPrinter) -> None:
        # Rendered here, after the bytes went out, so the preview never delays the paper.
        if token <= 0 or job.ticket_id <= 0:
            return
        try:
            from PySide6.QtGui import QImage

            from kiosk.ticket_image import render_image

            img = render_image(job.layout, paper_mm=printer.paper_mm)
            data = img.tobytes()
            qimage = QImage(data, img.width, img.height, img.width, QImage.Format.Format_Grayscale8).copy()
        except Exception:  # noqa: BLE001 - a preview is a nicety; the ticket itself is done
            log.exception("ticket preview failed")
            return
        self.preview.emit(token, qimage)
