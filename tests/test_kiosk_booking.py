"""'Punya kode booking?' at the kiosk: a code typed on the pad or scanned from the phone becomes a printed ticket.

Driven with qtbot on both databases (the `db_url` fixture): a good code prints a ticket through the
kiosk's real ESC/POS backend and uses the booking; every refusal is said in plain words.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db import open_database, unit_of_work
from db.bookings import add_booking, cancel, code_of_scan, redeem, refusal_text
from db.models import Booking, Ticket
from kiosk.escpos_backend import Dummy, EscposTicketPrinter  # sets python-escpos' cache dir first
from tests.kiosk_fixtures import open_kiosk  # noqa: F401

LEFT = Qt.MouseButton.LeftButton
DAY = date(2026, 11, 23)  # MONDAY_9AM (conftest) in Jakarta


def dummy_printer() -> tuple[EscposTicketPrinter, Dummy]:
    dummy = Dummy(profile="TM-T88V")
    return EscposTicketPrinter(lambda: dummy, name="dummy", profile="TM-T88V"), dummy


def book(url: str, code: str, *, day: date = DAY, slot: time = time(9, 0), service: str = "A") -> None:
    sessions = open_database(url)
    with unit_of_work(sessions) as s:
        add_booking(s, service, day, slot, code=code, source="csv")
    sessions.kw["bind"].dispose()


def rows(url: str) -> tuple[list[tuple[str, str]], dict[str, tuple[str, int | None]]]:
    """(tickets as (code, note), bookings as code -> (status, ticket id))."""
    sessions = open_database(url)
    with sessions() as s:
        tickets = [(t.code, t.note or "") for t in s.scalars(select(Ticket).order_by(Ticket.id))]
        bookings = {b.code: (str(b.status), b.ticket_id) for b in s.scalars(select(Booking))}
    sessions.kw["bind"].dispose()
    return tickets, bookings


def type_code(qtbot, w, code: str) -> None:
    for ch in code:
        qtbot.mouseClick(w.booking.keys[ch], LEFT)


def test_a_typed_booking_code_prints_its_ticket_once(qtbot, open_kiosk, db_url, now):  # noqa: F811
    book(db_url, "MP7K4Q")
    printer, dummy = dummy_printer()
    w = open_kiosk(db_url, printer=printer, clock=lambda: now)
    assert w.home.booking_button.text() == "Punya kode booking?"
    qtbot.mouseClick(w.home.booking_button, LEFT)
    assert w.view == "booking"
    assert not w.booking.ok_button.isEnabled()  # nothing typed yet
    type_code(qtbot, w, "MP7K4X")
    qtbot.mouseClick(w.booking.keys["delete"], LEFT)
    type_code(qtbot, w, "Q")
    assert w.booking.display.text() == "MP7K4Q"
    qtbot.mouseClick(w.booking.ok_button, LEFT)
    qtbot.mouseClick(w.booking.ok_button, LEFT)  # a double tap takes one ticket
    qtbot.waitUntil(lambda: w.view == "ticket")
    assert w.ticket.code.text() == "A-001"
    qtbot.waitUntil(lambda: not w.jobs)
    assert b"A-001" in dummy.output and b"ANTRE:T:" in dummy.output  # printed like a walk-in ticket
    tickets, bookings = rows(db_url)
    assert tickets == [("A-001", "booking MP7K4Q")]
    assert bookings["MP7K4Q"][0] == "used" and bookings["MP7K4Q"][1] is not None


@pytest.mark.parametrize("case", ["unknown", "used", "cancelled", "expired", "other_day", "early"])
def test_each_refusal_is_said_plainly_and_issues_nothing(qtbot, open_kiosk, db_url, now, case):  # noqa: F811
    code = {"unknown": "NOPE42"}.get(case, "BK" + case.upper().replace("_", "")[:6])
    if case != "unknown":
        day = {"expired": DAY - timedelta(days=1), "other_day": DAY + timedelta(days=1)}.get(case, DAY)
        book(db_url, code, day=day, slot=time(11, 0) if case == "early" else time(9, 0))
    sessions = open_database(db_url)
    with unit_of_work(sessions) as s:
        if case == "used":
            redeem(s, code, now=now)
        if case == "cancelled":
            cancel(s, code)
    sessions.kw["bind"].dispose()
    before = rows(db_url)[0]
    w = open_kiosk(db_url, printer=dummy_printer()[0], clock=lambda: now)
    qtbot.mouseClick(w.home.booking_button, LEFT)
    type_code(qtbot, w, code)
    qtbot.mouseClick(w.booking.ok_button, LEFT)
    reason = f"booking_{case}"
    qtbot.waitUntil(lambda: w.booking.note.text() == refusal_text(reason, "id"), timeout=5000)
    assert w.view == "booking" and w.booking.display.text() == code  # kept, to fix a typo
    assert all(b.isEnabled() for b in w.booking.keys.values())
    assert rows(db_url)[0] == before
    qtbot.mouseClick(w.header.lang, LEFT)  # the refusal follows the language
    assert w.booking.note.text() == refusal_text(reason, "en")
    assert w.booking.title.text() == "Enter your booking code"


def test_a_booking_scanned_from_the_phone_is_redeemed_from_any_screen(qtbot, open_kiosk, db_url, now):  # noqa: F811
    book(db_url, "SCAN2345")
    book(db_url, "BARE6789", slot=time(9, 30))
    printer, dummy = dummy_printer()
    w = open_kiosk(db_url, printer=printer, clock=lambda: now)
    qtbot.keyClicks(w, "ANTRE:B:SCAN2345")  # what the booking QR on the phone holds, typed by the scanner
    qtbot.keyClick(w, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.view == "ticket")
    assert w.ticket.code.text() == "A-001"
    qtbot.waitUntil(lambda: not w.jobs)
    w.go_home()
    qtbot.keyClicks(w, "bare6789")  # a bare code (a barcode) counts only on the booking screen
    qtbot.keyClick(w, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.view == "message")
    assert w.message.title.text() == "Tiket tidak dikenali"
    w.go_home()
    qtbot.mouseClick(w.home.booking_button, LEFT)
    qtbot.keyClicks(w, "bare6789")
    qtbot.keyClick(w, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.view == "ticket")
    assert w.ticket.code.text() == "A-002"
    qtbot.waitUntil(lambda: not w.jobs)
    assert dummy.output.count(b"ANTRE:T:") == 2
    assert [c for c, _ in rows(db_url)[0]] == ["A-001", "A-002"]


def test_every_booking_widget_has_an_accessible_name_and_back_goes_home(qtbot, open_kiosk, db_url, now):  # noqa: F811
    from PySide6.QtWidgets import QAbstractButton

    w = open_kiosk(db_url, printer=dummy_printer()[0], clock=lambda: now)
    assert w.home.booking_button.accessibleName() == "Punya kode booking?"
    qtbot.mouseClick(w.home.booking_button, LEFT)
    names = {b.accessibleName() for b in w.booking.findChildren(QAbstractButton)}
    assert "" not in names and len(names) == len(w.booking.findChildren(QAbstractButton))
    assert {"Tombol A", "Tombol 7", "Hapus satu huruf", "Hapus semua", "Kembali"} <= names
    assert w.booking.display.accessibleName() == "Kode booking"
    qtbot.mouseClick(w.booking.back_button, LEFT)
    assert w.view == "home"


def test_code_of_scan_reads_the_booking_qr_and_nothing_else():
    assert code_of_scan("ANTRE:B:mp7k-4q") == "MP7K4Q"
    assert code_of_scan("https://antrean.example.go.id/b/MP7K4Q") == "MP7K4Q"
    assert code_of_scan("https://antrean.example.go.id/t/MP7K4Q") is None  # a ticket address is not a booking
    assert code_of_scan("MP7K4Q") is None
    assert code_of_scan("MP7K4Q", bare=True) == "MP7K4Q"
    assert code_of_scan("ANTRE:B:a!") is None and code_of_scan("", bare=True) is None


def test_a_venue_without_bookings_shows_no_booking_button(qtbot, open_kiosk, new_db_url, venue_file, now):  # noqa: F811
    from tests.kiosk_fixtures import load_venue

    url = new_db_url()
    load_venue(url, venue_file.read_text(encoding="utf-8") + "\n[kiosk]\nbookings = false\n", venue_file.parent)
    book(url, "SCAN2345")
    w = open_kiosk(url, printer=dummy_printer()[0], clock=lambda: now)
    assert not w.home.booking_button.isVisible() and w.settings.kiosk.bookings is False
    qtbot.keyClicks(w, "ANTRE:B:SCAN2345")
    qtbot.keyClick(w, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.view == "message")
    assert w.message.title.text() == "Tiket tidak dikenali"
    assert rows(url)[0] == []
