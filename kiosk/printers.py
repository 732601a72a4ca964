"""The ticket printer interface and the printers that need no ESC/POS device.

A printer takes a PrintJob (the ticket's layout plus a file-safe name) and either prints it or
raises PrintError; `status()` reports what the device says before a ticket is issued. Printers
are only ever driven by kiosk.print_service.PrintService, on its own thread.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path

from db.ticket_layout import Element
from kiosk.settings import KioskSettings, PrinterSpec, parse_printer_spec


class PrinterState(enum.StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # the device cannot report; printing is tried and its error caught
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    state: PrinterState
    detail: str = ""

    @property
    def problem(self) -> str:
        """The kind of trouble to tell the citizen about (a UI text key suffix)."""
        return {PrinterState.PAPER_OUT: "paper_out", PrinterState.COVER_OPEN: "cover_open",
                PrinterState.ERROR: "error"}.get(self.state, "offline")

    @property
    def ready(self) -> bool:
        """Whether a ticket may be issued: the device is fine or cannot tell."""
        return self.state in (PrinterState.OK, PrinterState.UNKNOWN, PrinterState.PAPER_LOW)


@dataclass(frozen=True, slots=True)
class PrintJob:
    layout: tuple[Element, ...]
    name: str  # file-safe, e.g. 2026-11-23_A-007_17
    ticket_id: int = 0


class PrintError(Exception):
    """The ticket did not reach the paper."""


class TicketPrinter:
    """A device that prints ticket layouts; subclasses override print_ticket and maybe status."""

    name = "printer"
    paper_mm = 80
    profile = "TM-T88V"

    def status(self) -> PrinterStatus:
        return PrinterStatus(PrinterState.UNKNOWN)

    def print_ticket(self, job: PrintJob) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release the device (the service calls this when the kiosk stops)."""


class NullPrinter(TicketPrinter):
    """No printer attached: tickets only show on screen (for trying out the kiosk)."""

    name = "none"

    def status(self) -> PrinterStatus:
        return PrinterStatus(PrinterState.OK)

    def print_ticket(self, job: PrintJob) -> None:
        return None


class FilePrinter(TicketPrinter):
    """Writes each ticket as NAME.png (what the paper looks like) and NAME.bin (its ESC/POS bytes)."""

    def __init__(self, folder: Path, *, paper_mm: int = 80, profile: str = "TM-T88V", qr_native: bool = True,
                 cut: str = "partial") -> None:
        self.folder = Path(folder)
        self.paper_mm, self.profile = paper_mm, profile
        self.name = f"file:{self.folder}"
        from kiosk.escpos_backend import EscposRenderer

        self.renderer = EscposRenderer(profile, qr_native=qr_native, cut=cut)

    def status(self) -> PrinterStatus:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return PrinterStatus(PrinterState.OFFLINE, f"cannot create {self.folder}: {exc.strerror}")
        if not os.access(self.folder, os.W_OK):
            return PrinterStatus(PrinterState.OFFLINE, f"cannot write to {self.folder}")
        return PrinterStatus(PrinterState.OK)

    def print_ticket(self, job: PrintJob) -> None:
        from kiosk.ticket_image import render_image

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = self.renderer.render(job.layout)
            # Written under a temporary name, then renamed: a watcher of the folder never sees half a file.
            tmp = self.folder / f".{job.name}.tmp"
            tmp.write_bytes(data)
            tmp.replace(self.folder / f"{job.name}.bin")
            render_image(job.layout, paper_mm=self.paper_mm, columns=self.renderer.columns).save(tmp, "PNG")
            tmp.replace(self.folder / f"{job.name}.png")
        except OSError as exc:
            raise PrintError(f"cannot write ticket files to {self.folder}: {exc.strerror}") from exc


def build_printer(settings: KioskSettings, spec: PrinterSpec | str | None = None) -> TicketPrinter:
    """The printer named by `spec` (e.g. from --printer) or by the venue's [printer] settings."""
    p = settings.printer
    if isinstance(spec, str):
        spec = parse_printer_spec(spec)
    spec = spec or settings.printer_spec
    if spec.kind == "none":
        return NullPrinter()
    qr_native = p.qr == "native"
    if spec.kind == "file":
        return FilePrinter(Path(spec.target).expanduser(), paper_mm=p.paper_mm, profile=settings.profile,
                           qr_native=qr_native, cut=p.cut)
    from kiosk.escpos_backend import EscposTicketPrinter, device_opener

    # Only devices that answer DLE EOT are asked by default; `status = "on"` forces asking.
    asks = {"auto": spec.kind in ("usb", "serial", "net"), "on": True, "off": False}[p.status]
    return EscposTicketPrinter(
        device_opener(spec, settings.profile, timeout=p.timeout_seconds), name=str(spec), profile=settings.profile,
        paper_mm=p.paper_mm, qr_native=qr_native, cut=p.cut, status_query=asks, timeout=p.timeout_seconds,
    )
