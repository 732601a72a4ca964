"""The kiosk's pure pieces: printer specs and settings, the ticket layout, QR parsing, status bits, rescans."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db import unit_of_work
from db.errors import ConfigError
from db.moves import transfer
from db.queue import call_next, issue_ticket, no_show
from db.rescan import rescan
from db.ticket_layout import Cut, Qr, Text, parse_qr, qr_payload, ticket_content, ticket_layout
from kiosk.escpos_backend import Dummy, EscposRenderer, EscposTicketPrinter, profile_columns, read_status
from kiosk.printers import FilePrinter, NullPrinter, PrinterState, PrintError, build_printer
from kiosk.settings import PrinterSpec, kiosk_settings, parse_printer_spec
from kiosk.texts import duration, rupiah


@pytest.mark.parametrize(("spec", "expected"), [
    ("net:192.0.2.5:9100", PrinterSpec("net", "192.0.2.5", 9100)),
    ("net:printer.local", PrinterSpec("net", "printer.local", 9100)),
    ("usb:04b8:0202", PrinterSpec("usb", vendor=0x04B8, product=0x0202)),
    ("serial:/dev/ttyUSB0", PrinterSpec("serial", "/dev/ttyUSB0")),
    ("cups:TM-T20", PrinterSpec("cups", "TM-T20")),
    ("win:EPSON TM-T82", PrinterSpec("win", "EPSON TM-T82")),
    ("file:/tmp/tickets", PrinterSpec("file", "/tmp/tickets")),
    ("none", PrinterSpec("none")),
])
def test_printer_specs(spec, expected):
    assert parse_printer_spec(spec) == expected
    assert str(parse_printer_spec(str(expected))) == str(expected)


@pytest.mark.parametrize(("spec", "problem"), [
    ("lpt:1", "use net:HOST:PORT"), ("net:host:http", "is not a number"), ("net:host:0", "1-65535"),
    ("usb:epson", "hex"), ("file:", "use net:HOST:PORT"),
])
def test_bad_printer_specs_say_what_to_write(spec, problem):
    with pytest.raises(ValueError, match=problem):
        parse_printer_spec(spec)


def test_settings_defaults_and_located_errors():
    s = kiosk_settings()
    assert (s.kiosk.orientation, s.kiosk.language, s.printer.device, s.profile) == ("portrait", "id", "none", "TM-T88V")
    assert kiosk_settings({}, {"paper_mm": 58}).profile == "RP-F10-58mm"
    assert profile_columns("TM-T88V") == 42 and profile_columns("RP-F10-58mm") == 36
    with pytest.raises(ConfigError) as err:
        kiosk_settings({"orientation": "sideways", "idle_secs": 3})
    assert "venue settings [kiosk].orientation:" in str(err.value)
    assert "venue settings [kiosk].idle_secs: unknown key" in str(err.value)
    with pytest.raises(ConfigError, match=r"\[printer\].device: printer 'lpt1'"):
        kiosk_settings({}, {"device": "lpt1"})


def test_printers_built_from_settings(tmp_path):
    assert isinstance(build_printer(kiosk_settings()), NullPrinter)
    folder = build_printer(kiosk_settings(), f"file:{tmp_path}")
    assert isinstance(folder, FilePrinter) and folder.status().state == PrinterState.OK
    cups = build_printer(kiosk_settings({}, {"device": "cups:TM-T20", "paper_mm": 58}))
    assert isinstance(cups, EscposTicketPrinter) and cups.profile == "RP-F10-58mm" and not cups.status_query
    try:
        import usb.core  # noqa: F401
    except ImportError:
        with pytest.raises(PrintError, match="pyusb"):
            build_printer(kiosk_settings(), "usb:04b8:0202")


def test_qr_text_round_trip():
    assert parse_qr(qr_payload(17, "A-007")) == (17, "A-007")
    assert parse_qr(" antre:17:a-007\r") == (17, "A-007")
    for bad in ("", "ANTRE:x:A-1", "ANTRE:1", "https://antre.example/1", "ANTRE:1:A 1"):
        assert parse_qr(bad) is None


class StatusDevice(Dummy):
    def __init__(self, answers: dict[int, int]) -> None:
        super().__init__(profile="TM-T88V")
        self.answers = answers
        self.asked: list[int] = []

    def _raw(self, msg: bytes) -> None:
        self.asked.append(msg[-1])

    def _read(self) -> bytes:
        return bytes([self.answers[self.asked[-1]]]) if self.answers else b""


@pytest.mark.parametrize(("answers", "state"), [
    ({1: 0x12, 2: 0x12, 4: 0x12}, PrinterState.OK),
    ({1: 0x1A, 2: 0x32, 4: 0x72}, PrinterState.PAPER_OUT),
    ({1: 0x1A, 2: 0x16, 4: 0x12}, PrinterState.COVER_OPEN),
    ({1: 0x12, 2: 0x12, 4: 0x1E}, PrinterState.PAPER_LOW),
    ({1: 0x1A, 2: 0x52, 4: 0x12}, PrinterState.ERROR),
    ({}, PrinterState.UNKNOWN),
])
def test_status_bits(answers, state):
    status = read_status(StatusDevice(answers))
    assert status.state == state
    assert status.ready == (state in (PrinterState.OK, PrinterState.PAPER_LOW, PrinterState.UNKNOWN))


def test_ticket_layout_content(sessions, now):
    with unit_of_work(sessions) as s:
        issued = issue_ticket(s, "A", priority=True, priority_category="lansia", now=now)
        content = ticket_content(s, issued.ticket.id, ahead=4, wait=20)
    lines = ticket_layout(content, "id", columns=42, max_requirements=1)
    texts = [e.text for e in lines if isinstance(e, Text)]
    assert "MPP Uji Coba" in texts and "Perekaman KTP-el" in texts
    code = next(e for e in lines if isinstance(e, Text) and e.text == "A-001")
    assert code.size == 4 and code.bold and code.align == "center"
    assert "PRIORITAS - LANSIA" in texts
    assert "Di depan Anda: 4 orang" in texts and "Perkiraan tunggu: 20 menit" in texts
    assert "- Fotokopi Kartu Keluarga" in texts and "  +1 persyaratan lain di layar anjungan" in texts
    assert "Lokasi loket: Lantai 1" in texts and "Biaya: Gratis" in texts
    assert texts[-1] == "Terima kasih"
    [qr] = [e for e in lines if isinstance(e, Qr)]
    assert qr.data.startswith("ANTRE:T:") and qr.data == content.qr  # the signed token (db.tokens)
    assert isinstance(lines[-1], Cut)
    english = [e.text for e in ticket_layout(content, "en", columns=32) if isinstance(e, Text)]
    assert "Copy of family card"[:20] in " ".join(english) and "People ahead: 4 people" in english
    assert all(len(t) <= 32 for t in english)
    data = EscposRenderer("TM-T88V").render(lines)
    size_4x4 = data.index(b"\x1d!\x33")  # GS ! n: 4x4 characters ...
    assert data.index(b"A-001", size_4x4) < data.index(b"\x1b!\x00", size_4x4)  # ... until ESC ! 0


def test_rescan_follows_a_transfer_and_refuses_yesterday(sessions, now):
    with unit_of_work(sessions) as s:
        first = issue_ticket(s, "A", now=now).ticket
        call_next(s, "L1", now=now)
        transfer(s, "L1", "B", now=now)
        call_next(s, "L1", now=now)
        no_show(s, "L1", now=now)
        old = issue_ticket(s, "A", now=now - timedelta(days=1)).ticket
    with unit_of_work(sessions) as s:
        result = rescan(s, first.id, "A-001", now=now + timedelta(minutes=1))
    assert result.outcome == "requeued" and result.ticket.service == "B" and result.ticket.status == "waiting"
    with unit_of_work(sessions) as s:
        assert rescan(s, old.id, old.code, now=now).outcome == "old"
        assert rescan(s, 9999, "A-001", now=now).outcome == "unknown"
        assert rescan(s, first.id, "A-002", now=now).outcome == "unknown"


def test_words_for_money_and_time():
    assert rupiah(80000) == "Rp80.000" and rupiah(1250000) == "Rp1.250.000"
    assert duration(0, "id") == "Selesai di tempat"
    assert duration(15, "id") == "15 menit"
    assert duration(180, "en") == "3 hours"
    assert duration(4 * 24 * 60, "id") == "4 hari kerja"

