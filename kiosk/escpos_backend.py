"""ESC/POS through python-escpos: rendering a ticket layout to bytes, the device kinds, status queries.

python-escpos facts that shape this module: its import calls logging.basicConfig() and makes a
temp dir unless ESCPOS_CAPABILITIES_PICKLE_DIR is set, so we set it (to our cache folder) first;
a profile without a media width silently ignores centering and images, so we always pass one;
`Network` connects lazily, so a refused connection shows up on the first write.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _prepare_environment() -> None:
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        Path(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]).mkdir(parents=True, exist_ok=True)
        return
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("antre", appauthor=False)) / "escpos"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(folder)


_prepare_environment()

from escpos.escpos import Escpos  # noqa: E402
from escpos.exceptions import Error as EscposError  # noqa: E402
from escpos.printer import Dummy  # noqa: E402

from db.ticket_layout import Cut, Element, Feed, Qr, Rule, Text  # noqa: E402
from kiosk.printers import PrinterState, PrinterStatus, PrintError, PrintJob, TicketPrinter  # noqa: E402
from kiosk.settings import PrinterSpec  # noqa: E402

DLE_EOT = b"\x10\x04"


def profile_columns(profile: str) -> int:
    """Characters per line of font A on the profile's paper."""
    p = Dummy(profile=profile).profile
    try:
        return int(p.get_columns("a"))
    except Exception:  # noqa: BLE001 - profiles without font data: assume 80 mm
        return 42


class EscposRenderer:
    """Turns a ticket layout into ESC/POS bytes for one printer profile."""

    def __init__(self, profile: str, *, qr_native: bool = True, cut: str = "partial") -> None:
        self.profile = profile
        self.columns = profile_columns(profile)
        self.qr_native = qr_native
        self.cut = "PART" if cut == "partial" else "FULL"

    def render(self, layout: tuple[Element, ...]) -> bytes:
        """The whole ticket as one byte string (the device then gets a single write)."""
        p = Dummy(profile=self.profile)
        self.render_into(p, layout)
        return p.output

    def render_into(self, p: Escpos, layout: tuple[Element, ...]) -> None:
        p.hw("INIT")
        for el in layout:
            if isinstance(el, Text):
                if el.size > 1:
                    p.set(align=el.align, bold=el.bold, custom_size=True, width=el.size, height=el.size,
                          invert=el.invert)
                else:
                    p.set(align=el.align, bold=el.bold, normal_textsize=True, invert=el.invert)
                p.textln(el.text)
            elif isinstance(el, Rule):
                p.set(align="left", bold=False, normal_textsize=True, invert=False)
                p.textln("-" * self.columns)
            elif isinstance(el, Feed):
                p.ln(el.lines)
            elif isinstance(el, Qr):
                p.set(align="center", normal_textsize=True, invert=False)
                if self.qr_native:
                    # ESC a (justification) also places GS ( k codes on Epson-compatible printers.
                    p.qr(el.data, size=el.module, native=True)
                    p.ln()
                else:
                    p.qr(el.data, size=el.module, native=False, center=True)
            elif isinstance(el, Cut):
                p.set(align="left", normal_textsize=True, bold=False, invert=False)
                p.cut(mode=self.cut)


def read_status(dev: Escpos) -> PrinterStatus:
    """Ask DLE EOT 1/2/4 (printer, offline cause, paper sensor); no answer means UNKNOWN."""
    answers = []
    for n in (1, 2, 4):
        dev._raw(DLE_EOT + bytes([n]))
        reply = dev._read()
        if not reply:
            return PrinterStatus(PrinterState.UNKNOWN, "no status answer")
        answers.append(reply[-1])
    printer, cause, paper = answers
    if cause & 0x04:
        return PrinterStatus(PrinterState.COVER_OPEN, "cover open")
    if paper & 0x60 or cause & 0x20:
        return PrinterStatus(PrinterState.PAPER_OUT, "paper end")
    if cause & 0x40:
        return PrinterStatus(PrinterState.ERROR, "printer error")
    if printer & 0x08:
        return PrinterStatus(PrinterState.OFFLINE, "printer reports offline")
    if paper & 0x0C:
        return PrinterStatus(PrinterState.PAPER_LOW, "paper near end")
    return PrinterStatus(PrinterState.OK)


def device_opener(spec: PrinterSpec, profile: str, *, timeout: float = 5.0) -> Callable[[], Escpos]:
    """A function making a fresh python-escpos device for the spec (opened lazily on first write)."""
    kind = spec.kind
    if kind == "net":
        from escpos.printer import Network

        return lambda: Network(spec.target, port=spec.port, timeout=timeout, profile=profile)
    if kind == "usb":
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise PrintError("USB printers need pyusb (pip install pyusb) and libusb")
        return lambda: Usb(spec.vendor, spec.product, timeout=int(timeout * 1000), profile=profile)
    if kind == "serial":
        from escpos.printer import Serial

        if not Serial.is_usable():
            raise PrintError("serial printers need pyserial (pip install pyserial)")
        return lambda: Serial(spec.target, timeout=timeout, profile=profile)
    if kind == "cups":
        from escpos.printer import LP

        # Raw job through CUPS' `lp`: works without pycups (and its C build) on any CUPS host.
        return lambda: LP(spec.target, profile=profile)
    if kind == "win":
        from escpos.printer import Win32Raw

        if not Win32Raw.is_usable():
            raise PrintError("Windows raw printers need pywin32 on Windows")
        return lambda: Win32Raw(spec.target, profile=profile)
    raise PrintError(f"no ESC/POS device for printer kind {kind!r}")


class EscposTicketPrinter(TicketPrinter):
    """A real ESC/POS printer: the ticket is rendered to bytes first, then written in one go."""

    def __init__(self, open_device: Callable[[], Escpos], *, name: str = "escpos", profile: str = "TM-T88V",
                 paper_mm: int = 80, qr_native: bool = True, cut: str = "partial", status_query: bool = False,
                 timeout: float = 5.0) -> None:
        self.open_device = open_device
        self.name, self.profile, self.paper_mm = name, profile, paper_mm
        self.renderer = EscposRenderer(profile, qr_native=qr_native, cut=cut)
        self.status_query = status_query
        self.timeout = timeout
        self.last_bytes = b""

    def status(self) -> PrinterStatus:
        if not self.status_query:
            return PrinterStatus(PrinterState.UNKNOWN)
        dev = self.open_device()
        try:
            _short_reads(dev, min(self.timeout, 1.0))
            return read_status(dev)
        except NotImplementedError:
            return PrinterStatus(PrinterState.UNKNOWN, "device cannot report status")
        except (TimeoutError, socket.timeout):
            return PrinterStatus(PrinterState.UNKNOWN, "no status answer")
        except (EscposError, OSError, RuntimeError, AssertionError) as exc:
            return PrinterStatus(PrinterState.OFFLINE, _one_line(exc))
        finally:
            _close(dev)

    def print_ticket(self, job: PrintJob) -> None:
        data = self.renderer.render(job.layout)
        dev = self.open_device()
        try:
            dev._raw(data)
            self.last_bytes = data
        except (EscposError, OSError, RuntimeError, AssertionError, ValueError) as exc:
            raise PrintError(_one_line(exc)) from exc
        finally:
            _close(dev)


def _short_reads(dev: Any, seconds: float) -> None:
    # A status answer comes in milliseconds; do not wait the print timeout for a mute printer.
    sock = dev.device  # opens the connection (raises when the printer is unreachable)
    if isinstance(sock, socket.socket):
        sock.settimeout(seconds)


def _close(dev: Escpos) -> None:
    try:
        dev.close()
    except Exception:  # noqa: BLE001 - closing a broken device must not hide the real error
        pass


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
