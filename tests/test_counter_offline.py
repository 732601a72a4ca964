"""The database goes away and comes back: a clear banner, no action possible, nothing half-done."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from counter.state import Action
from counter.window import CounterWindow
from db.models import EventKind
from tests.counter_fixtures import console, engine, signed_in, sqlite_counter_url  # noqa: F401 - fixtures
from tests.counter_fixtures import events, issue, key, settled, ticket_rows


@pytest.fixture
def counter_url(sqlite_counter_url: str) -> str:
    """These tests take the database away by moving its folder: a SQLite file (tests/test_reconnect.py
    takes a PostgreSQL server down and up)."""
    return sqlite_counter_url

OFFLINE = "SERVER ANTREAN TIDAK TERJANGKAU"


def test_database_down_and_back(qtbot: Any, signed_in: CounterWindow, engine: Any, tmp_path: Path) -> None:
    window, c = signed_in, signed_in.controller
    code = issue(engine, "A")[0]
    qtbot.waitUntil(lambda: window.console.table.row_count() == 1 and settled(window)())
    data, away = tmp_path / "data", tmp_path / "away"
    os.rename(data, away)
    try:
        qtbot.waitUntil(lambda: window.banner.isVisible() and OFFLINE in window.banner.text(), timeout=5000)
        assert window.console.ticket.state == "offline"
        # What is still shown is marked as old, with the time it was read.
        clock = c.fresh_clock()
        assert clock and window.console.stale.isVisible()
        assert window.console.stale.text().startswith("DATA LAMA") and clock in window.console.stale.text()
        assert f"data pukul {clock}" in window.console.ticket.state_line.text()
        assert window.console.table.row_count() == 1 and not window.console.table.isEnabled()
        assert not any(b.isEnabled() for b in window.console.buttons.values())
        assert not window.console.sign_out_button.isEnabled()
        key(qtbot, window, "F1")  # nothing happens: the key's action is disabled
        assert not c.busy
    finally:
        os.rename(away, data)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)  # reconnected by itself
    qtbot.waitUntil(lambda: not window.console.stale.isVisible())
    qtbot.waitUntil(lambda: window.console.buttons["next"].isEnabled())
    assert ticket_rows(engine, code)[0].status == "waiting"
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.ticket.code.text() == code)


def test_an_action_caught_by_the_outage_is_not_half_done(qtbot: Any, signed_in: CounterWindow, engine: Any,
                                                         tmp_path: Path) -> None:
    window, c = signed_in, signed_in.controller
    code = issue(engine, "A")[0]
    qtbot.waitUntil(lambda: window.console.table.row_count() == 1 and settled(window)())
    data, away = tmp_path / "data", tmp_path / "away"
    os.rename(data, away)
    try:
        # The console has not noticed yet: the press goes out and meets the outage.
        assert c.online and c.act(Action.NEXT)
        qtbot.waitUntil(lambda: not c.busy, timeout=5000)
        assert c.last_notice == ("error", "Tidak dilakukan: server antrean tidak terjangkau. Coba lagi setelah tersambung.")
        assert window.banner.isVisible()
    finally:
        os.rename(away, data)
    qtbot.waitUntil(lambda: c.online and settled(window)(), timeout=5000)
    assert ticket_rows(engine, code)[0].status == "waiting"  # rolled back whole: not called, no event
    assert events(engine, EventKind.CALLED) == []
    assert window.console.ticket.state in ("free", "closed") and window.console.table.row_count() == 1
