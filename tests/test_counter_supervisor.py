"""The supervisor's screen, driven with qtbot: only supervisors get in, and every action lands in the database
as an event naming them."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from counter.supervisor import SupervisorWindow
from db import unit_of_work
from db.models import Event, EventKind, Service, Ticket
from qtkit.worker import DbWorker
from db.operators import add_operator
from db.models import Role
from tests.counter_fixtures import PINS, issue


@pytest.fixture
def staff_url(db_url: str) -> str:
    """The small venue (SQLite or PostgreSQL, as the run's backend) with a supervisor and a second operator."""
    from db import open_database

    maker = open_database(db_url)
    with unit_of_work(maker) as s:
        add_operator(s, "sari", "Sari Supervisor", role=Role.SUPERVISOR, pin=PINS["sari"], must_change_pin=False)
        add_operator(s, "rina", "Rina Kusuma", agency="DUKCAPIL", pin=PINS["rina"], must_change_pin=False)
    maker.kw["bind"].dispose()
    return db_url


@pytest.fixture
def engine(staff_url: str, sessions: Any) -> Any:
    return sessions


@pytest.fixture
def supervisor(qtbot: Any, staff_url: str) -> Any:
    window = SupervisorWindow(DbWorker(staff_url), poll_ms=50)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    yield window
    window.shutdown()


def _sign_in(qtbot: Any, window: SupervisorWindow, user: str) -> None:
    window.username.setText(user)
    window.pin.setText(PINS[user])
    qtbot.mouseClick(window.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.go.isEnabled())


def _rows(table: Any) -> dict[str, list[str]]:
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}


def test_an_operator_is_refused(qtbot: Any, supervisor: SupervisorWindow) -> None:
    _sign_in(qtbot, supervisor, "rina")
    assert supervisor.stack.currentWidget() is supervisor.sign_in_page
    assert supervisor.error.text() == "Hanya supervisor atau admin."


def test_supervisor_sees_counters_and_acts(qtbot: Any, supervisor: SupervisorWindow, engine: Any) -> None:
    first, second = issue(engine, "A", 2)
    _sign_in(qtbot, supervisor, "sari")
    assert supervisor.stack.currentWidget() is supervisor.main_page
    qtbot.waitUntil(lambda: supervisor.service_table.rowCount() == 3 and supervisor.counter_table.rowCount() == 3)
    assert set(_rows(supervisor.counter_table)) == {"L1", "L2", "L3"}
    assert _rows(supervisor.service_table)["A"][3] == "2"  # waiting
    assert _rows(supervisor.report_table)["A"][2] == "2"  # issued today
    supervisor.report_section.setCurrentIndex(supervisor.report_section.findData("agency"))
    assert list(_rows(supervisor.report_table)) == ["DUKCAPIL"]
    qtbot.mouseClick(supervisor.report_button, Qt.MouseButton.LeftButton)  # the venue's today, chosen explicitly
    qtbot.waitUntil(lambda: supervisor.period_report is not None)
    assert supervisor.period_report.total.issued == 2 and list(_rows(supervisor.report_table)) == ["DUKCAPIL"]
    supervisor.report_section.setCurrentIndex(supervisor.report_section.findData("service"))
    # Close service B from its row.
    row = list(_rows(supervisor.service_table)).index("B")
    supervisor.service_table.selectRow(row)
    qtbot.mouseClick(supervisor.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(supervisor.service_table)["B"][4] == "tutup")
    # Today's quota of A.
    supervisor.service_table.selectRow(list(_rows(supervisor.service_table)).index("A"))
    supervisor.quota.setValue(5)
    qtbot.mouseClick(supervisor.quota_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(supervisor.service_table)["A"][5] == "2 / 5")
    # Move one ticket to S, cancel the other.
    supervisor.ticket_code.setText(first)
    supervisor.move_target.setCurrentIndex(supervisor.move_target.findData("S"))
    qtbot.mouseClick(supervisor.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(supervisor.service_table)["S"][3] == "1")
    supervisor.ticket_code.setText(second)
    supervisor.reason.setText("warga pulang")
    qtbot.mouseClick(supervisor.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(supervisor.service_table)["A"][3] == "0")
    with unit_of_work(engine) as s:
        assert s.scalar(select(Service.active).where(Service.code == "B")) is False
        assert s.scalar(select(Service.daily_quota).where(Service.code == "A")) == 5
        statuses = [(t.code, t.status.value, t.service.code) for t in s.scalars(select(Ticket).order_by(Ticket.id))]
        assert statuses == [(first, "transferred", "A"), (second, "cancelled", "A"), (first, "waiting", "S")]
        by = {e.kind.value: e.detail.get("by") for e in s.scalars(select(Event).where(Event.kind.in_(
            [EventKind.SERVICE_CLOSED, EventKind.QUOTA_CHANGED, EventKind.MOVED, EventKind.CANCELLED])))}
    assert by == {"service_closed": "sari", "quota_changed": "sari", "moved": "sari", "cancelled": "sari"}
    # A refusal reads as one line: the cancelled ticket cannot be cancelled again.
    qtbot.mouseClick(supervisor.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: supervisor.notice.text().startswith("Ditolak:"))
    assert "\n" not in supervisor.notice.text()


def test_admin_tab_manages_operators_and_reimports(qtbot: Any, supervisor: SupervisorWindow, engine: Any,
                                                  venue_file: Any, tmp_path: Any) -> None:
    from db.models import Operator

    _sign_in(qtbot, supervisor, "sari")  # a supervisor has no admin tab
    assert supervisor.tabs.indexOf(supervisor.admin_tab) < 0
    supervisor.sign_out()
    supervisor.username.setText("admin")
    supervisor.pin.setText("2468")
    qtbot.mouseClick(supervisor.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: supervisor.stack.currentWidget() is supervisor.main_page)
    assert supervisor.tabs.indexOf(supervisor.admin_tab) >= 0
    supervisor.tabs.setCurrentWidget(supervisor.admin_tab)
    supervisor.admin_tab.op_user.setText("joko")
    supervisor.admin_tab.op_name.setText("Joko Widodo")
    supervisor.admin_tab.op_agency.setText("POLRES")
    supervisor.admin_tab.op_pin.setText("8642")
    qtbot.mouseClick(supervisor.admin_tab.op_save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(supervisor.notice.text()))
    assert supervisor.notice.text() == "Tersimpan."
    supervisor.notice.show_text("", "")
    supervisor.admin_tab.op_user.setText("budi")
    qtbot.mouseClick(supervisor.admin_tab.op_disable, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: supervisor.notice.text() == "Tersimpan.")
    with unit_of_work(engine) as s:
        joko = s.scalar(select(Operator).where(Operator.username == "joko"))
        assert (joko.display_name, joko.must_change_pin) == ("Joko Widodo", True)
        assert s.scalar(select(Operator.active).where(Operator.username == "budi")) is False
    changed = tmp_path / "changed.toml"
    changed.write_text(venue_file.read_text(encoding="utf-8").replace('name = "Loket 2"', 'name = "Loket Dua"'),
                       encoding="utf-8")
    supervisor.admin_tab.venue_path.setText(str(changed))
    qtbot.mouseClick(supervisor.admin_tab.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Loket Dua" in supervisor.admin_tab.changes.text())
    # budi is active in the file: loading it enables him again, and the preview says so.
    assert "change operators budi: active False -> True" in supervisor.admin_tab.changes.text()
    qtbot.mouseClick(supervisor.admin_tab.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(supervisor.counter_table).get("L2", ["", ""])[1] == "Loket Dua")
    with unit_of_work(engine) as s:
        loaded = s.scalars(select(Event).where(Event.kind == EventKind.CONFIG_LOADED).order_by(Event.id)).all()
        assert loaded[-1].detail["by"] == "admin"
