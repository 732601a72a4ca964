"""Database down: a clear screen, automatic retry, no crash, nothing lost and nothing doubled."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db import open_database, unit_of_work
from db.moves import mark_print_failed  # noqa: F401 - the engine call the kiosk retries
from tests.kiosk_fixtures import fake_printer, free_port, make_kiosk, sqlite_kiosk_url, tickets  # noqa: F401
from tests.test_kiosk_flow import LEFT, dummy_printer, to_confirm


@pytest.fixture
def kiosk_url(sqlite_kiosk_url: str) -> str:
    """The database goes away by moving its folder: a SQLite file (tests/test_reconnect.py takes a
    PostgreSQL server down and up)."""
    return sqlite_kiosk_url


def db_folder(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///")).parent


def test_database_down_shows_unavailable_then_recovers(qtbot, make_kiosk, kiosk_url):
    w = make_kiosk(dummy_printer()[0])
    folder = db_folder(kiosk_url)
    away = folder.with_name("away")
    os.rename(folder, away)
    try:
        qtbot.waitUntil(lambda: w.view == "unavailable", timeout=5000)
        assert w.message.title.text() == "Layanan sementara tidak tersedia"
        started = time.monotonic()
        qtbot.mouseClick(w.message, LEFT)  # taps do nothing and nothing blocks
        w.open_agency("DUKCAPIL")
        assert w.view == "unavailable" and time.monotonic() - started < 0.5
    finally:
        os.rename(away, folder)
    qtbot.waitUntil(lambda: w.view == "home", timeout=5000)  # retried by itself
    to_confirm(qtbot, w)


def test_database_lost_at_the_tap_issues_nothing(qtbot, make_kiosk, kiosk_url):
    printer, dummy = dummy_printer()
    w = make_kiosk(printer)
    to_confirm(qtbot, w)
    folder = db_folder(kiosk_url)
    away = folder.with_name("away")
    w.watcher.stop()  # the citizen taps before the poller notices
    os.rename(folder, away)
    try:
        qtbot.mouseClick(w.confirm.take_button, LEFT)
        qtbot.waitUntil(lambda: w.view == "unavailable", timeout=5000)
        assert dummy.output == b""
    finally:
        os.rename(away, folder)
    w.watcher.start()
    qtbot.waitUntil(lambda: w.view == "home", timeout=5000)
    assert tickets(kiosk_url) == []
    to_confirm(qtbot, w)
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    qtbot.waitUntil(lambda: w.view == "ticket")
    assert [t.code for t in tickets(kiosk_url)] == ["A-001"]


def test_print_failed_mark_waits_for_the_database(qtbot, make_kiosk, kiosk_url):
    from kiosk.printers import build_printer
    from kiosk.settings import kiosk_settings

    spec = f"net:127.0.0.1:{free_port()}"
    w = make_kiosk(build_printer(kiosk_settings({}, {"device": spec, "status": "off"})))
    to_confirm(qtbot, w)
    w.watcher.stop()
    folder = db_folder(kiosk_url)
    away = folder.with_name("away")

    def issued_then_db_lost(_content: object) -> None:
        os.rename(folder, away)  # the database goes away between issuing and the failed print

    w.ticket_issued.connect(issued_then_db_lost)
    qtbot.mouseClick(w.confirm.take_button, LEFT)
    qtbot.waitUntil(lambda: w.ticket.failed, timeout=5000)
    qtbot.waitUntil(lambda: len(w.unmarked) == 1, timeout=5000)
    assert w.ticket.qr.isVisible()
    os.rename(away, folder)
    w.watcher.start()
    qtbot.waitUntil(lambda: tickets(kiosk_url)[0].print_failed, timeout=5000)
    assert w.unmarked == []
    assert len(tickets(kiosk_url)) == 1


def test_config_error_is_shown_to_staff(qtbot, make_kiosk, kiosk_url):
    sessions = open_database(kiosk_url)
    with unit_of_work(sessions) as s:
        from db.lookup import venue

        row = venue(s)
        row.settings = {**row.settings, "kiosk": {"idle_seconds": 1, "colour": "red"}}
    w = make_kiosk(dummy_printer()[0], home=False)
    qtbot.waitUntil(lambda: w.view == "config", timeout=5000)
    assert w.message.detail.isHidden()  # the technical reason is not for citizens ...
    assert w.message.title.text() == "Anjungan antrean belum siap digunakan"
    w.staff.start(w.lang)  # ... staff see it behind the PIN
    w._set_view("staff")
    w._pin_checked(True)
    assert "venue settings [kiosk].idle_seconds" in w.staff.menu_detail.text()
    assert "venue settings [kiosk].colour: unknown key" in w.staff.menu_detail.text()
    w.go_home()
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert w.view == "config"
