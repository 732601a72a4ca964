"""The kiosk driven like a citizen would: Home -> Agency -> Confirm -> Ticket, plus scan, idle and staff exit."""

from __future__ import annotations

from datetime import timedelta

from tests.kiosk_fixtures import fake_printer, kiosk_url, make_kiosk, tickets  # noqa: F401
from PySide6.QtCore import Qt

from db import open_database, unit_of_work
from db.queue import call_next, issue_ticket, no_show
from db.ticket_layout import qr_payload
from db.tokens import ticket_url
from kiosk.escpos_backend import Dummy, EscposTicketPrinter  # sets python-escpos' cache dir first

LEFT = Qt.MouseButton.LeftButton
QR_COMMAND = b"\x1d(k"
CUT = b"\x1dV"


def dummy_printer() -> tuple[EscposTicketPrinter, Dummy]:
    """The kiosk's real ESC/POS backend writing into python-escpos' Dummy device."""
    dummy = Dummy(profile="TM-T88V")
    return EscposTicketPrinter(lambda: dummy, name="dummy", profile="TM-T88V"), dummy


def tap_agency(qtbot, w, code: str) -> None:
    qtbot.mouseClick(w.home.grid.tiles[w.home.codes.index(code)], LEFT)


def tap_service(qtbot, w, code: str) -> None:
    qtbot.mouseClick(w.agency.grid.tiles[w.agency.codes.index(code)], LEFT)


def to_confirm(qtbot, w, agency: str = "DUKCAPIL", service: str = "A") -> None:
    tap_agency(qtbot, w, agency)
    assert w.view == "agency"
    tap_service(qtbot, w, service)
    assert w.view == "confirm"


def test_three_touches_issue_and_print_one_ticket(qtbot, make_kiosk, kiosk_url):
    printer, dummy = dummy_printer()
    w = make_kiosk(printer)
    assert "Dinas Kependudukan" in w.home.grid.tiles[0].title
    to_confirm(qtbot, w)
    assert "Fotokopi Kartu Keluarga" in w.confirm.req_area.lines[0].text()
    assert w.confirm.priority_button.isVisible()
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    qtbot.waitUntil(lambda: w.view == "ticket")
    assert w.ticket.code.text() == "A-001"
    qtbot.waitUntil(lambda: not w.jobs)
    assert "ambil tiket" in w.ticket.status.text()
    rows = tickets(kiosk_url)
    assert [(t.code, t.status, t.print_failed) for t in rows] == [("A-001", "waiting", False)]
    data = dummy.output
    assert b"A-001" in data and QR_COMMAND in data and CUT in data
    assert b"ANTRE:T:" in data and qr_payload(rows[0].id, "A-001").encode() not in data  # a signed token
    assert b"Fotokopi Kartu Keluarga" in data
    qtbot.waitUntil(lambda: w.view == "home", timeout=4000)  # back Home after ticket_seconds


def test_double_tap_and_taps_while_printing_give_one_ticket(qtbot, make_kiosk, kiosk_url):
    printer, dummy = dummy_printer()
    w = make_kiosk(printer)
    to_confirm(qtbot, w)
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    w.confirm.take.emit()  # a tap that slipped past the disabled button
    qtbot.waitUntil(lambda: w.view == "ticket")
    w.take(None)
    w.confirm.priority.emit("lansia")
    qtbot.waitUntil(lambda: not w.jobs)
    qtbot.wait(200)
    assert [t.code for t in tickets(kiosk_url)] == ["A-001"]
    assert dummy.output.count(CUT) == 1


def test_priority_ticket_records_category(qtbot, make_kiosk, kiosk_url):
    printer, dummy = dummy_printer()
    w = make_kiosk(printer, lang="en")
    to_confirm(qtbot, w)
    qtbot.mouseClick(w.confirm.priority_button, LEFT)
    assert [b.text() for b in w.confirm.prio_buttons] == ["Elderly", "Person with disability", "Pregnant woman"]
    qtbot.mouseClick(w.confirm.prio_buttons[2], LEFT)
    qtbot.waitUntil(lambda: w.view == "ticket")
    assert w.ticket.prio.isVisible() and "Pregnant" in w.ticket.prio.text()
    qtbot.waitUntil(lambda: not w.jobs)
    [t] = tickets(kiosk_url)
    assert (t.priority, t.priority_category) == (True, "ibu_hamil")
    assert b"PRIORITY - PREGNANT WOMAN" in dummy.output


def test_service_without_priority_hides_the_button(qtbot, make_kiosk):
    w = make_kiosk(dummy_printer()[0])
    to_confirm(qtbot, w, "POLRES", "S")
    assert w.confirm.priority_button.isHidden()
    assert "Rp80.000" in w.confirm.fee.text() and "Gratis" not in w.confirm.fee.text()


def test_quota_used_greys_out_the_service(qtbot, make_kiosk, kiosk_url, now):
    sessions = open_database(kiosk_url)
    with unit_of_work(sessions) as s:
        for _ in range(3):
            issue_ticket(s, "B", now=now)
    w = make_kiosk(dummy_printer()[0])
    tap_agency(qtbot, w, "DUKCAPIL")
    tile = w.agency.grid.tiles[w.agency.codes.index("B")]
    qtbot.waitUntil(lambda: not tile.isEnabled())
    assert tile.note == "Kuota hari ini habis"
    qtbot.mouseClick(tile, LEFT)
    assert w.view == "agency"
    assert w.home.grid.tiles[0].lines == ["3 menunggu"]


def test_closed_service_is_greyed_with_its_hours(qtbot, make_kiosk, now):
    sunday = now + timedelta(days=6)
    w = make_kiosk(dummy_printer()[0], clock=lambda: sunday)
    police = w.home.grid.tiles[w.home.codes.index("POLRES")]
    assert not police.isEnabled()  # its only service is closed on Sunday
    qtbot.mouseClick(police, LEFT)
    assert w.view == "home"
    w.open_agency("POLRES")
    tile = w.agency.grid.tiles[0]
    assert not tile.isEnabled()
    assert tile.note == "Buka Senin-Kamis 08.00-12.00; Jumat 08.00-11.00"


def test_refused_at_tap_time_says_why(qtbot, make_kiosk, kiosk_url, now):
    w = make_kiosk(dummy_printer()[0])
    to_confirm(qtbot, w, "DUKCAPIL", "B")
    sessions = open_database(kiosk_url)
    with unit_of_work(sessions) as s:  # another kiosk takes the last numbers meanwhile
        for _ in range(3):
            issue_ticket(s, "B", now=now)
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    qtbot.waitUntil(lambda: w.view == "message")
    assert w.message.title.text() == "Kuota hari ini habis"
    assert len(tickets(kiosk_url)) == 3
    qtbot.waitUntil(lambda: w.view == "home", timeout=4000)


def test_language_toggle_and_idle_timeout(qtbot, make_kiosk):
    w = make_kiosk(dummy_printer()[0])
    assert w.header.lang.text() == "English"
    qtbot.mouseClick(w.header.lang, LEFT)
    assert w.home.title.text() == "Please choose an agency"
    assert w.home.grid.tiles[0].title == "Civil Registry"
    to_confirm(qtbot, w)
    assert w.confirm.take_button.text() == "Take a number"
    w.idle.setInterval(300)
    w.idle.start()
    # Idle with choices made: first a visible warning with a countdown of at least 20 s ...
    qtbot.waitUntil(lambda: w.idle_warning.isVisible(), timeout=3000)
    assert w.view == "confirm" and w.lang == "en"
    assert w.idle_warning.count.text() == "20" and "20 seconds" in w.idle_warning.body.text()
    qtbot.mouseClick(w.idle_warning, LEFT)  # ... which any touch ends, keeping every choice
    assert w.idle_warning.isHidden() and w.view == "confirm" and w.lang == "en" and w.idle.isActive()
    qtbot.waitUntil(lambda: w.idle_warning.isVisible(), timeout=3000)
    qtbot.wait(1100)
    assert w.idle_warning.count.text() == "19"
    w.idle_countdown.setInterval(10)  # the rest of the countdown, faster
    qtbot.waitUntil(lambda: w.view == "home", timeout=3000)
    assert w.lang == "id" and w.home.title.text() == "Silakan pilih instansi" and w.idle_warning.isHidden()


def test_idle_on_home_resets_the_language_too(qtbot, make_kiosk):
    w = make_kiosk(dummy_printer()[0])
    assert w.idle.isActive()  # the idle timer runs on Home as well
    w.idle.setInterval(200)
    w.idle.start()
    qtbot.wait(500)
    assert w.idle_warning.isHidden()  # nothing chosen: nothing to warn about
    qtbot.mouseClick(w.header.lang, LEFT)
    assert w.lang == "en"
    qtbot.waitUntil(lambda: w.idle_warning.isVisible(), timeout=3000)
    assert "Are you still there?" == w.idle_warning.title.text()
    w.idle_countdown.setInterval(10)
    qtbot.waitUntil(lambda: w.lang == "id", timeout=3000)
    assert w.view == "home" and w.header.lang.text() == "English" and w.idle_warning.isHidden()


def test_touching_keeps_the_screen(qtbot, make_kiosk):
    w = make_kiosk(dummy_printer()[0])
    tap_agency(qtbot, w, "DUKCAPIL")
    w.idle.setInterval(400)
    w.idle.start()
    for _ in range(4):
        qtbot.wait(200)
        qtbot.mousePress(w.agency.title, LEFT)
    assert w.view == "agency"
    qtbot.waitUntil(lambda: w.idle_warning.isVisible(), timeout=3000)
    w.idle_countdown.setInterval(10)
    qtbot.waitUntil(lambda: w.view == "home", timeout=3000)


def scan(qtbot, w, text: str) -> None:
    qtbot.keyClicks(w, text)
    qtbot.keyClick(w, Qt.Key.Key_Return)


def test_scan_requeues_todays_no_show(qtbot, make_kiosk, kiosk_url, now):
    sessions = open_database(kiosk_url)
    with unit_of_work(sessions) as s:
        first = issue_ticket(s, "A", now=now).ticket
        issue_ticket(s, "A", now=now + timedelta(minutes=1))
        call_next(s, "L1", now=now)
        no_show(s, "L1", now=now + timedelta(minutes=2))
        signed = ticket_url(s, first.id)
    w = make_kiosk(dummy_printer()[0], clock=lambda: now + timedelta(minutes=5))
    assert signed.startswith("ANTRE:T:")
    scan(qtbot, w, signed)  # the signed token the ticket's QR holds
    qtbot.waitUntil(lambda: w.view == "message")
    assert w.message.kind == "ok"
    assert w.message.title.text() == "Nomor A-001 masuk antrean lagi"
    assert "Di depan Anda: 1 orang" in w.message.body.text()
    assert tickets(kiosk_url)[0].status == "waiting"
    qtbot.waitUntil(lambda: w.view == "home", timeout=4000)
    scan(qtbot, w, qr_payload(first.id, first.code))  # scanned again: still waiting, nothing changes
    qtbot.waitUntil(lambda: w.view == "message")
    assert w.message.title.text() == "Nomor A-001 masih dalam antrean"


def test_scan_of_other_states_gives_clear_messages(qtbot, make_kiosk, kiosk_url, now):
    sessions = open_database(kiosk_url)
    with unit_of_work(sessions) as s:
        old = issue_ticket(s, "A", now=now - timedelta(days=1)).ticket
        called = issue_ticket(s, "A", now=now).ticket
        call_next(s, "L1", now=now)
        signed = ticket_url(s, called.id)
    w = make_kiosk(dummy_printer()[0], lang="en")
    scan(qtbot, w, qr_payload(called.id, called.code))
    qtbot.waitUntil(lambda: w.view == "message")
    assert w.message.title.text() == "Number A-001 is being called"
    assert w.message.body.text() == "Please go to Loket 1 now."
    w.go_home()
    scan(qtbot, w, qr_payload(old.id, old.code))
    qtbot.waitUntil(lambda: w.view == "message" and "not from today" in w.message.title.text())
    w.go_home()
    scan(qtbot, w, qr_payload(called.id, "B-999"))  # a forged or damaged QR
    qtbot.waitUntil(lambda: w.view == "message" and w.message.title.text() == "Ticket not recognised")
    w.go_home()
    scan(qtbot, w, signed[:-3] + ("AAA" if not signed.endswith("AAA") else "BBB"))  # an altered signed token
    qtbot.waitUntil(lambda: w.view == "message" and w.message.title.text() == "Ticket not recognised")
    w.go_home()
    scan(qtbot, w, "https://example.org/not-a-ticket")
    qtbot.waitUntil(lambda: w.view == "message" and w.message.title.text() == "Ticket not recognised")
    assert [t.status for t in tickets(kiosk_url)] == ["waiting", "called"]


def test_lockdown_staff_leave_with_gesture_and_pin(qtbot, make_kiosk):
    w = make_kiosk(dummy_printer()[0], fullscreen=True)
    assert w.windowFlags() & Qt.WindowType.FramelessWindowHint
    w.close()
    assert w.isVisible()  # no leaving by window close / Alt+F4
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    qtbot.keyClick(w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert w.isVisible() and w.view == "home"
    for _ in range(4):
        qtbot.mouseClick(w.header.logo, LEFT)
    assert w.view == "home"  # four taps are not the gesture
    qtbot.mouseClick(w.header.logo, LEFT)
    assert w.view == "staff"

    def enter(pin: str) -> None:
        for digit in pin:
            qtbot.mouseClick(w.staff.keys[digit], LEFT)
        qtbot.mouseClick(w.staff.keys["ok"], LEFT)

    enter("1234")  # siti is an operator, not staff allowed to leave
    qtbot.waitUntil(lambda: w.staff.note.text() == "PIN salah")
    enter("2468")
    qtbot.waitUntil(lambda: w.staff.pages.currentIndex() == 1)
    with qtbot.waitSignal(w.exit_requested):
        qtbot.mouseClick(w.staff.exit_button, LEFT)
    assert not w.isVisible()


def test_staff_pad_gives_up_after_three_wrong_pins(qtbot, make_kiosk):
    w = make_kiosk(dummy_printer()[0])
    for _ in range(5):
        w.header.corner_tapped.emit()
    for attempt in range(3):
        w.staff.pin = "9999"
        qtbot.mouseClick(w.staff.keys["ok"], LEFT)
        if attempt < 2:
            qtbot.waitUntil(lambda: w.staff.note.text() == "PIN salah")
    qtbot.waitUntil(lambda: w.view == "home")




def test_antre_kiosk_command_starts_and_stops(kiosk_url, tmp_path):
    """The real command in its own process (its own QApplication and event loop); Ctrl+C ends it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, "-m", "antre", "kiosk", "--db", kiosk_url, "--printer", f"file:{tmp_path}",
           "--windowed", "--lang", "en"]
    log = tmp_path / "kiosk.log"
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + 20
            while "kiosk ready" not in log.read_text() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert proc.poll() is None, log.read_text()
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log.read_text()
    assert proc.returncode == 0, text
    assert f"kiosk ready: home, printer file:{tmp_path}, language en" in text and "Traceback" not in text
