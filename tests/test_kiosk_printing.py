"""Tickets reaching paper: the real python-escpos Network backend to a TCP printer on 127.0.0.1,
printer status before issuing, the on-screen fallback, the file printer and `antre ticket`."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from sqlalchemy import select

from antre.cli import main as antre
from db import open_database, unit_of_work
from db.models import Event, EventKind
from db.queue import issue_ticket
from kiosk.printers import PrinterState, build_printer
from kiosk.settings import kiosk_settings
from tests.kiosk_fixtures import (  # noqa: F401 - fixtures
    COVER_OPEN,
    PAPER_OUT,
    STATUS_OK,
    FakeNetPrinter,
    fake_printer,
    free_port,
    kiosk_url,
    make_kiosk,
    tickets,
)
from tests.test_kiosk_flow import CUT, LEFT, QR_COMMAND, to_confirm


def net_printer(spec: str, status: str = "auto"):
    return build_printer(kiosk_settings({}, {"device": spec, "status": status, "timeout_seconds": 2}))


def test_network_printer_receives_the_ticket(qtbot, make_kiosk, kiosk_url, fake_printer):
    w = make_kiosk(net_printer(fake_printer.spec))
    qtbot.waitUntil(lambda: w.printing.status.state == PrinterState.OK)
    to_confirm(qtbot, w)
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    qtbot.waitUntil(lambda: w.view == "ticket")
    qtbot.waitUntil(lambda: CUT in fake_printer.data(), timeout=5000)
    data = fake_printer.data()
    assert b"A-001" in data and QR_COMMAND in data
    assert data.startswith(b"\x1b@")  # one job, initialised, in one piece
    [t] = tickets(kiosk_url)
    assert not t.print_failed


def test_refused_connection_shows_ticket_on_screen_and_marks_it(qtbot, make_kiosk, kiosk_url):
    # No status query (like many cheap printers): the refusal shows up on the first write.
    w = make_kiosk(net_printer(f"net:127.0.0.1:{free_port()}", status="off"))
    to_confirm(qtbot, w)
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    qtbot.waitUntil(lambda: w.view == "ticket" and w.ticket.failed, timeout=5000)
    assert w.ticket.qr.isVisible() and w.ticket.done_button.isVisible()
    assert w.ticket.code.text() == "A-001"
    qtbot.waitUntil(lambda: tickets(kiosk_url)[0].print_failed, timeout=5000)
    [t] = tickets(kiosk_url)
    assert t.status == "waiting"  # the ticket stays valid
    assert w.ticket.qr.toolTip().startswith("ANTRE:T:")  # the signed ticket token (db.tokens)
    sessions = open_database(kiosk_url)
    with sessions() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.ticket_id == t.id)))
    assert kinds == [EventKind.ISSUED, EventKind.PRINT_FAILED]
    qtbot.mouseClick(w.ticket.done_button, LEFT)
    assert w.view == "home"


@pytest.mark.parametrize(("answers", "text"), [(PAPER_OUT, "Kertas tiket habis"), (COVER_OPEN, "Tutup printer")])
def test_printer_problem_is_known_before_issuing(qtbot, make_kiosk, kiosk_url, answers, text):
    fake = FakeNetPrinter(answers)
    try:
        w = make_kiosk(net_printer(fake.spec), home=False)
        qtbot.waitUntil(lambda: w.view == "printer", timeout=5000)
        assert text in w.message.body.text() and "petugas" in w.message.body.text()
        w.open_agency("DUKCAPIL")
        w.take(None)
        assert w.view == "printer"
        fake.status = dict(STATUS_OK)  # staff put paper in / closed the cover
        qtbot.waitUntil(lambda: w.view == "home", timeout=5000)  # retried by itself
        assert tickets(kiosk_url) == []
    finally:
        fake.close()


def test_printer_failing_between_checks_is_caught_at_tap(qtbot, make_kiosk, kiosk_url, fake_printer):
    w = make_kiosk(net_printer(fake_printer.spec))
    to_confirm(qtbot, w)  # the fresh check on entering Confirm says OK...
    qtbot.waitUntil(lambda: fake_printer.connections >= 2)
    fake_printer.status = dict(PAPER_OUT)  # ...then the paper runs out
    w.printing.check_status()
    qtbot.waitUntil(lambda: w.view == "printer", timeout=5000)
    assert tickets(kiosk_url) == []


def test_unreachable_printer_with_status_reads_offline(qtbot, make_kiosk):
    w = make_kiosk(net_printer(f"net:127.0.0.1:{free_port()}"), home=False)
    qtbot.waitUntil(lambda: w.view == "printer", timeout=5000)
    assert w.printing.status.state == PrinterState.OFFLINE
    assert "Printer tidak terhubung" in w.message.body.text()


def test_file_printer_writes_png_and_escpos(qtbot, make_kiosk, kiosk_url, tmp_path):
    folder = tmp_path / "tickets"
    w = make_kiosk(build_printer(kiosk_settings({}, {"device": f"file:{folder}", "paper_mm": 58})))
    to_confirm(qtbot, w)
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    qtbot.waitUntil(lambda: w.view == "ticket" and not w.jobs, timeout=5000)
    [bin_file] = folder.glob("*_A-001_*.bin")
    [png_file] = folder.glob("*_A-001_*.png")
    assert CUT in bin_file.read_bytes() and QR_COMMAND in bin_file.read_bytes()
    with Image.open(png_file) as img:
        assert img.width == 384 and img.height > 600  # 58 mm paper at 203 dpi


def test_antre_ticket_renders_an_issued_ticket(kiosk_url, tmp_path: Path, capsys):
    sessions = open_database(kiosk_url)
    with unit_of_work(sessions) as s:
        issued = issue_ticket(s, "A", priority=True, priority_category="lansia")
    out_bin, out_png = tmp_path / "t.bin", tmp_path / "t.png"
    assert antre(["ticket", issued.ticket.code, "--db", kiosk_url, "--escpos", str(out_bin), "--png",
                  str(out_png)]) == 0
    data = out_bin.read_bytes()
    assert issued.ticket.code.encode() in data and QR_COMMAND in data and CUT in data
    assert b"PRIORITAS - LANSIA" in data and b"ANTRE:T:" in data  # the signed token, its key made here
    with Image.open(out_png) as img:
        assert img.width == 576
        assert len(img.convert("L").getcolors(256) or []) > 2
    assert antre(["ticket", "Z-404", "--db", kiosk_url]) == 1
    assert "no ticket 'Z-404' today" in capsys.readouterr().err


def test_status_keys_are_not_printed(fake_printer):
    printer = net_printer(fake_printer.spec)
    assert printer.status().state == PrinterState.OK
    fake_printer.answer = False
    assert printer.status().state == PrinterState.UNKNOWN  # a mute printer is tried, not refused
    assert fake_printer.data() == b""


def test_key_presses_never_reach_widgets(qtbot, make_kiosk):
    w = make_kiosk(net_printer("net:127.0.0.1:9", status="off"))
    qtbot.keyClicks(w.home, "xyz")
    qtbot.keyClick(w.home, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.view == "message")  # typed text is treated as a (bad) scan, nothing else
    assert w.message.title.text() == "Tiket tidak dikenali"
