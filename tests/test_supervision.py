"""Supervisor and admin actions: roles enforced by the engine, every action an event naming its actor."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from db import unit_of_work
from db.backup import backup
from db.config_diff import preview_file, reimport
from db.errors import Refused
from db.models import Event, EventKind, Operator, Role, Service, Ticket, TicketStatus
from db.operators import add_operator, sign_in
from db.queue import issue_ticket
from db.supervision import cancel_ticket, disable, move_ticket, reset_pin, save_operator, set_quota, set_service_open


@pytest.fixture
def staff(sessions):
    with unit_of_work(sessions) as s:
        add_operator(s, "sari", "Sari Supervisor", role=Role.SUPERVISOR, agency="DUKCAPIL", pin="5555")
        add_operator(s, "rudi", "Rudi Venue", role=Role.SUPERVISOR, pin="6666")


def _events(sessions, kind):
    with unit_of_work(sessions) as s:
        return [e.detail for e in s.scalars(select(Event).where(Event.kind == kind).order_by(Event.id))]


def test_operators_cannot_supervise_and_supervisors_cannot_administer(sessions, staff, now):
    cases = [
        ("siti", lambda s: set_service_open(s, "siti", "A", False, now=now)),
        ("siti", lambda s: set_quota(s, "siti", "A", 10, now=now)),
        ("siti", lambda s: cancel_ticket(s, "siti", "A-001", now=now)),
        ("sari", lambda s: save_operator(s, "sari", "new", "New", now=now)),
        ("sari", lambda s: reset_pin(s, "sari", "siti", "9999", now=now)),
        ("sari", lambda s: disable(s, "sari", "siti", now=now)),
        ("sari", lambda s: set_quota(s, "sari", "S", 5, now=now)),  # POLRES: not her agency
        ("ghost", lambda s: set_quota(s, "ghost", "A", 5, now=now)),
    ]
    with unit_of_work(sessions) as s:
        issue_ticket(s, "A", now=now)
    for _who, action in cases:
        with unit_of_work(sessions) as s:
            with pytest.raises(Refused) as e:
                action(s)
            assert e.value.reason == "forbidden"
    with unit_of_work(sessions) as s:
        a = s.scalar(select(Service).where(Service.code == "A"))
        assert (a.active, a.daily_quota) == (True, None)  # nothing happened
        assert s.scalar(select(Ticket.status).where(Ticket.code == "A-001")) == TicketStatus.WAITING


def test_supervisor_closes_a_service_changes_the_quota_moves_and_cancels(sessions, staff, now):
    with unit_of_work(sessions) as s:
        issue_ticket(s, "A", now=now)
        issue_ticket(s, "A", now=now + timedelta(minutes=1))
        set_service_open(s, "sari", "A", False, now=now)
    with unit_of_work(sessions) as s, pytest.raises(Refused) as e:
        issue_ticket(s, "A", now=now)
    assert e.value.reason == "inactive"  # the kiosk can no longer issue it
    with unit_of_work(sessions) as s:
        set_service_open(s, "sari", "A", True, now=now)
        set_quota(s, "rudi", "S", 1, now=now)  # a venue-wide supervisor may touch POLRES
        issue_ticket(s, "S", now=now)
    with unit_of_work(sessions) as s, pytest.raises(Refused) as e:
        issue_ticket(s, "S", now=now)
    assert e.value.reason == "quota"
    with unit_of_work(sessions) as s:
        moved = move_ticket(s, "sari", "A-002", "B", note="salah pilih layanan", now=now + timedelta(minutes=5))
        assert (moved.code, moved.service, moved.status) == ("A-002", "B", "waiting")
        assert moved.queued_at == now + timedelta(minutes=1)  # keeps the time already waited
        cancel_ticket(s, "sari", "A-001", reason="pulang", now=now)
        assert s.scalar(select(Ticket.status).where(Ticket.code == "A-001")) == TicketStatus.CANCELLED
        with pytest.raises(Refused):
            cancel_ticket(s, "sari", "A-001", now=now)  # already cancelled
    assert [d["by"] for d in _events(sessions, EventKind.SERVICE_CLOSED)] == ["sari"]
    assert [d["by"] for d in _events(sessions, EventKind.SERVICE_OPENED)] == ["sari"]
    assert _events(sessions, EventKind.QUOTA_CHANGED)[0] | {} == {
        "by": "rudi", "service": "S", "old": None, "new": 1, "issued_today": 0}
    assert _events(sessions, EventKind.MOVED)[0]["by"] == "sari"
    assert [(d["by"], d["reason"]) for d in _events(sessions, EventKind.CANCELLED)] == [("sari", "pulang")]


def test_admin_manages_operators(sessions, now):
    with unit_of_work(sessions) as s:
        save_operator(s, "admin", "dewi", "Dewi", role=Role.SUPERVISOR, agency="polres", pin="7777", now=now)
        reset_pin(s, "admin", "siti", "8888", now=now)
        disable(s, "admin", "budi", now=now)
        with pytest.raises(Refused):
            disable(s, "admin", "admin", now=now)
    with unit_of_work(sessions) as s:
        dewi = s.scalar(select(Operator).where(Operator.username == "dewi"))
        assert (dewi.role, dewi.must_change_pin) == (Role.SUPERVISOR, True)
        assert s.scalar(select(Operator.active).where(Operator.username == "budi")) is False
        assert sign_in(s, "L1", "siti", "8888", now=now).must_change_pin
    assert _events(sessions, EventKind.OPERATOR_SAVED)[0]["by"] == "admin"
    assert _events(sessions, EventKind.OPERATOR_DISABLED)[0] == {"by": "admin", "username": "budi"}
    assert [d.get("by") for d in _events(sessions, EventKind.PIN_CHANGED)] == ["admin"]


def test_reimport_previews_then_applies_as_admin(sessions, venue_file: Path, tmp_path, now):
    text = venue_file.read_text(encoding="utf-8")
    text = text.replace('daily_quota = 3', 'daily_quota = 5\ntarget_wait_minutes = 20')
    text = text.replace('name = "Loket 2"', 'name = "Loket Dua"')
    cut = text.index("[[counters]]\ncode = \"L3\"")
    text = text[:cut] + text[text.index("[[operators]]"):]  # L3 is gone from the file
    changed = tmp_path / "changed.toml"
    changed.write_text(text, encoding="utf-8")
    with unit_of_work(sessions) as s:
        lines = [c.line() for c in preview_file(s, changed)]
        assert "change services B: daily_quota 3 -> 5; target_wait_minutes 30 -> 20" in lines
        assert "change counters L2: name 'Loket 2' -> 'Loket Dua'" in lines
        assert "remove counters L3" in lines
        assert len(lines) == 3, lines
        assert s.scalar(select(Service.daily_quota).where(Service.code == "B")) == 3  # a preview writes nothing
        with pytest.raises(Refused):
            reimport(s, "siti", changed)
    with unit_of_work(sessions) as s:
        reimport(s, "admin", changed)
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Service.daily_quota).where(Service.code == "B")) == 5
        assert preview_file(s, changed) == []  # loaded: nothing left to change
    last = _events(sessions, EventKind.CONFIG_LOADED)[-1]
    assert last["by"] == "admin" and "remove counters L3" in last["changes"]


def test_backup_copies_a_live_sqlite_database(sessions, db_url, tmp_path, now):
    if not db_url.startswith("sqlite"):
        result = backup(db_url, tmp_path / "antre.dump")
        assert result.kind == "command" and result.command.startswith("pg_dump --format=custom")
        assert "password" not in result.command.lower()
        return
    with unit_of_work(sessions) as s:
        issue_ticket(s, "A", now=now)
    held = sessions()  # another connection with a transaction open, as a running app would have
    held.execute(select(Ticket.id)).all()
    try:
        result = backup(db_url, tmp_path / "copy.sqlite3")
    finally:
        held.close()
    assert result.kind == "copied" and result.bytes > 0
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT code FROM tickets").fetchall() == [("A-001",)]
    with pytest.raises(Exception, match="exists already"):
        backup(db_url, tmp_path / "copy.sqlite3")


def test_authenticate_checks_role_and_counts_wrong_pins(sessions, staff, now):
    from db.supervision import authenticate

    with unit_of_work(sessions) as s:
        assert authenticate(s, "sari", "5555", now=now).ok
        assert authenticate(s, "admin", "2468", Role.ADMIN, now=now).ok
        assert authenticate(s, "sari", "5555", Role.ADMIN, now=now).reason == "not_allowed"
        assert authenticate(s, "siti", "1234", now=now).reason == "not_allowed"  # an operator
        assert authenticate(s, "nobody", "1234", now=now).reason == "unknown"
    for _ in range(5):
        with unit_of_work(sessions) as s:
            result = authenticate(s, "rudi", "0000", now=now)
    assert result.reason == "locked"
    with unit_of_work(sessions) as s:
        assert authenticate(s, "rudi", "6666", now=now).reason == "locked"  # even the right PIN, for now
