"""Signing in at a counter: success, wrong PIN, lockout, agencies, a PIN that must change, signing out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from counter.controller import Phase
from counter.window import CounterWindow
from db import open_database, unit_of_work
from db.models import Counter, EventKind, Operator
from db.operators import sign_in as engine_sign_in
from db.operators import verify_pin
from tests.counter_fixtures import console, counter_url, engine, signed_in  # noqa: F401 - fixtures
from tests.counter_fixtures import PINS, events, key, make_db, open_console, sign_in


def _counter(engine: Any, code: str) -> Counter:
    with unit_of_work(engine) as s:
        return s.scalar(select(Counter).where(Counter.code == code))


def _operator(engine: Any, username: str) -> Operator:
    with unit_of_work(engine) as s:
        return s.scalar(select(Operator).where(Operator.username == username))


def test_sign_in_success(qtbot: Any, console: CounterWindow, engine: Any) -> None:
    page = console.sign_in_page
    assert page.counter.isHidden() and "Loket 1 (L1)" in page.counter_label.text()  # fixed by --counter
    assert not console.console.buttons["next"].isEnabled()  # no action before signing in
    sign_in(qtbot, console, "siti")
    qtbot.waitUntil(lambda: console.stack.currentWidget() is console.console)
    qtbot.waitUntil(lambda: console.controller.snapshot is not None)
    assert "Siti Rahmawati" in console.console.who.text() and "Loket 1" in console.console.where.text()
    assert _counter(engine, "L1").operator_id == _operator(engine, "siti").id
    assert len(events(engine, EventKind.SIGNED_IN)) == 1
    assert page.pin.text() == ""  # the PIN never stays in the field


def test_wrong_pin_is_refused_and_counted(qtbot: Any, console: CounterWindow, engine: Any) -> None:
    sign_in(qtbot, console, "siti", "9999")
    assert console.controller.phase == Phase.SIGN_IN
    assert console.sign_in_page.error.text() == "PIN salah. Sisa 4 percobaan sebelum akun terkunci."
    assert _operator(engine, "siti").failed_attempts == 1
    assert [e.detail["why"] for e in events(engine, EventKind.SIGN_IN_FAILED)] == ["wrong_pin"]
    sign_in(qtbot, console, "nobody", "1234")
    assert console.sign_in_page.error.text() == "Nama pengguna tidak dikenal atau nonaktif."


def test_five_wrong_pins_lock_the_account(qtbot: Any, console: CounterWindow, engine: Any) -> None:
    for _ in range(5):
        sign_in(qtbot, console, "siti", "0000")
    assert console.sign_in_page.error.text().startswith("Akun terkunci")
    sign_in(qtbot, console, "siti")  # the right PIN no longer helps
    assert console.controller.phase == Phase.SIGN_IN
    assert console.sign_in_page.error.text().startswith("Akun terkunci")
    assert _operator(engine, "siti").locked_until is not None
    assert len(events(engine, EventKind.LOCKED_OUT)) == 1
    assert _counter(engine, "L1").operator_id is None


def test_another_agency_cannot_take_the_counter_but_a_supervisor_can(qtbot: Any, console: CounterWindow,
                                                                     engine: Any) -> None:
    sign_in(qtbot, console, "budi")  # POLRES at a DUKCAPIL counter
    assert console.sign_in_page.error.text() == "Loket 1 milik instansi lain. Hubungi supervisor."
    assert console.controller.phase == Phase.SIGN_IN
    sign_in(qtbot, console, "sari")
    qtbot.waitUntil(lambda: console.controller.phase == Phase.CONSOLE)
    assert _counter(engine, "L1").operator_id == _operator(engine, "sari").id


def test_choose_the_counter_when_the_pc_has_none(qtbot: Any, counter_url: str, engine: Any) -> None:
    window = open_console(qtbot, counter_url, counter=None)
    try:
        page = window.sign_in_page
        assert page.counter.isVisible() and page.counter.count() == 3
        page.counter.setCurrentIndex(page.counter.findData("L2"))
        sign_in(qtbot, window, "rina")
        qtbot.waitUntil(lambda: window.controller.snapshot is not None)
        assert window.controller.counter_code == "L2"
        assert _counter(engine, "L2").operator_id == _operator(engine, "rina").id
    finally:
        window.shutdown()


def test_a_pin_that_must_change_is_changed_first(qtbot: Any, tmp_path: Path, venue_file: Path) -> None:
    url = make_db(tmp_path / "fresh", venue_file, must_change=True)
    window = open_console(qtbot, url)
    try:
        sign_in(qtbot, window, "siti")
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.pin_page)
        page = window.pin_page
        assert "harus diganti" in page.why.text()
        assert not window.console.buttons["next"].isEnabled()
        qtbot.keyClicks(page.new, "8642")
        qtbot.keyClicks(page.repeat, "8643")
        page.submit()
        assert page.error.text() == "Kedua PIN tidak sama."
        for weak in (PINS["siti"], "7777"):  # the old PIN again, then a repeated digit
            page.new.setText(weak)
            page.repeat.setText(weak)
            with qtbot.waitSignal(window.controller.pin_done):
                page.submit()
            assert page.error.text() and window.controller.phase == Phase.CHANGE_PIN
        qtbot.keyClicks(page.new, "8642")
        qtbot.keyClicks(page.repeat, "8642")
        with qtbot.waitSignal(window.controller.pin_done):
            qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.console)
        engine = open_database(url)
        row = _operator(engine, "siti")
        assert verify_pin("8642", row.pin_hash) and not row.must_change_pin
        engine.kw["bind"].dispose()
    finally:
        window.shutdown()


def test_sign_out_with_its_key(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    key(qtbot, signed_in, "F8")  # open the counter, so signing out visibly closes it
    qtbot.waitUntil(lambda: signed_in.console.ticket.state == "free")
    assert _counter(engine, "L1").is_open
    qtbot.waitUntil(lambda: signed_in.console.sign_out_button.isEnabled())
    key(qtbot, signed_in, "Q", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: signed_in.stack.currentWidget() is signed_in.sign_in_page)
    row = _counter(engine, "L1")
    assert row.operator_id is None and not row.is_open
    assert len(events(engine, EventKind.SIGNED_OUT)) == 1


def test_taken_over_elsewhere_returns_to_sign_in(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    with unit_of_work(engine) as s:
        assert engine_sign_in(s, "L1", "sari", PINS["sari"]).ok  # a supervisor takes L1 at another PC
    qtbot.waitUntil(lambda: signed_in.controller.phase == Phase.SIGN_IN)
    assert signed_in.sign_in_page.error.text() == "Anda telah keluar: loket atau akun dipakai di tempat lain."


# Run in a child process: once a QApplication's exec() has returned, PySide6 tears down what queued
# signals with Python arguments need, so no later test in the same process could use a worker.
_CHILD = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from antre.cli import main
from counter.window import CounterWindow

app = QApplication([])
seen = {}

def look():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, CounterWindow) and w.isVisible() and w.controller.setup is not None:
            page = w.sign_in_page
            seen.update(size=[w.width(), w.height()], label=page.counter_label.text(), button=page.button.text())
            timer.stop()
            w.close()

timer = QTimer()
timer.timeout.connect(look)
timer.start(20)
code = main(sys.argv[1:])
print(json.dumps({"code": code, **seen}))
"""


def test_antre_counter_starts_the_console(counter_url: str) -> None:
    argv = ["counter", "--db", counter_url, "--counter", "l2", "--windowed", "--lang", "en"]
    done = subprocess.run([sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "code": 0, "size": [1366, 768], "label": "This PC's counter: Loket 2 (L2)", "button": "Sign in"}


def test_antre_demo_starts_a_console_already_signed_in(tmp_path: Path, venue_file: Path) -> None:
    from antre.scratch import mark

    url = make_db(tmp_path / "demo", venue_file, must_change=True)  # the demo keeps the seeded PINs
    with unit_of_work(open_database(url)) as s:
        mark(s, "demo")  # as `antre demo` marks the database it makes: only there do they work unchanged
    wait_for_console = "\n            if w.controller.phase != 'console' or w.controller.snapshot is None: continue"
    child = _CHILD.replace("page = w.sign_in_page", "page = w.sign_in_page" + wait_for_console)
    child = child.replace("seen.update(", "seen.update(phase=str(w.controller.phase), who=w.console.who.text(), ")
    argv = ["counter", "--db", url, "--counter", "L1", "--windowed"]
    done = subprocess.run([sys.executable, "-c", child, *argv], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANTRE_DEMO_SIGNIN": f"siti:{PINS['siti']}"})
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["phase"] == "console" and seen["who"] == "Siti Rahmawati · siti"
    with unit_of_work(open_database(url)) as s:  # closing the console at the end of the demo signed out
        assert s.scalar(select(Counter.operator_id).where(Counter.code == "L1")) is None


def test_closing_the_console_signs_out_a_free_counter(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    key(qtbot, signed_in, "F8")
    qtbot.waitUntil(lambda: signed_in.console.ticket.state == "free")
    assert _counter(engine, "L1").is_open
    signed_in.close()  # the end of the shift: the display must not show an empty open counter
    row = _counter(engine, "L1")
    assert row.operator_id is None and not row.is_open
