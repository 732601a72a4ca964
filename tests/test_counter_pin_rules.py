"""The console over the engine's PIN rules: a first PIN takes no counter until changed, and a wrong
current PIN at the change is counted (it commits) and shown, not taken for a success."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from counter.controller import Phase
from db import open_database, unit_of_work
from db.models import Counter, Event, EventKind, Operator
from db.operators import set_pin
from tests.counter_fixtures import make_db, open_console, sign_in


def test_the_counter_is_taken_only_after_the_change(qtbot: Any, tmp_path: Path, venue_file: Path) -> None:
    url = make_db(tmp_path / "fresh", venue_file, must_change=True)
    window = open_console(qtbot, url)
    engine = open_database(url)
    try:
        sign_in(qtbot, window, "siti")
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.pin_page)
        with unit_of_work(engine) as s:  # PIN right, but not at the counter yet
            assert s.scalar(select(Counter.operator_id).where(Counter.code == "L1")) is None
        with unit_of_work(engine) as s:  # meanwhile an administrator sets another PIN
            set_pin(s, "siti", "7305", must_change=True)
        page = window.pin_page
        qtbot.keyClicks(page.new, "8642")
        qtbot.keyClicks(page.repeat, "8642")
        with qtbot.waitSignal(window.controller.pin_done):
            qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
        assert page.error.text() == "PIN salah." and window.controller.phase == Phase.CHANGE_PIN
        window.grab().save(str(tmp_path / "change_pin_wrong.png"))
        with unit_of_work(engine) as s:
            failed = s.scalars(select(Event).where(Event.kind == EventKind.SIGN_IN_FAILED)).all()
            assert [e.detail.get("check") for e in failed] == ["change_pin"]
            siti = s.scalar(select(Operator).where(Operator.username == "siti"))
            assert siti.failed_attempts == 1 and siti.must_change_pin
            assert s.scalar(select(Counter.operator_id).where(Counter.code == "L1")) is None
    finally:
        window.shutdown()
        engine.kw["bind"].dispose()
