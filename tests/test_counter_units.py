"""The console's Qt-free parts: which actions make sense, the [counter] settings, PIN rules, texts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from counter.console_page import CALL_KEY, KEYS, SIGN_OUT_KEY
from counter.settings import CounterSettings, parse_settings
from counter.state import Action, Snapshot, allowed, load_snapshot, suggest_no_show
from counter.texts import Texts, clock_text, figure_text
from db import NotFound, QueueEmpty, Refused, unit_of_work
from db.models import Operator
from db.operators import verify_pin
from db.pins import change_pin, is_weak
from db.queue import call_next, issue_ticket, recall
from db.stats import DayFigures
from db.views import CounterView, TicketView

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _ticket(status: str, recalls: int = 0) -> TicketView:
    return TicketView(1, "A-001", "A", "KTP", "ID card", "DUKCAPIL", status, False, None, date(2026, 11, 23), 1,
                      T0, T0, T0, None, None, None, "L1", "Loket 1", "siti", recalls, None, False, "")


def _snapshot(ticket: TicketView | None = None, *, is_open: bool = True, parked: int = 0) -> Snapshot:
    figures = DayFigures(0, 0, None, None)
    counter = CounterView("L1", "Loket 1", "DUKCAPIL", "", is_open, ("A",), "siti", ticket)
    held = tuple(replace(_ticket("held"), id=10 + i, code=f"A-01{i}") for i in range(parked))
    return Snapshot(counter, (), held, figures, figures)


def test_actions_follow_the_ticket_in_hand() -> None:
    assert allowed(None) == frozenset()
    assert allowed(_snapshot()) == {Action.NEXT, Action.BREAK}
    assert allowed(_snapshot(is_open=False)) == {Action.NEXT, Action.OPEN}
    assert allowed(_snapshot(parked=1), selected="A-010") == {Action.NEXT, Action.BREAK, Action.RESUME, Action.CALL}
    assert allowed(_snapshot(_ticket("called"))) == {Action.RECALL, Action.START, Action.FINISH, Action.NO_SHOW,
                                                     Action.TRANSFER}
    assert allowed(_snapshot(_ticket("serving"))) == {Action.FINISH, Action.TRANSFER, Action.HOLD}


def test_no_show_is_suggested_after_the_configured_recalls() -> None:
    assert not suggest_no_show(_ticket("called", 2), 3)
    assert suggest_no_show(_ticket("called", 3), 3)
    assert not suggest_no_show(_ticket("serving", 5), 3)
    assert not suggest_no_show(None, 3)


def test_counter_settings_defaults_and_problems() -> None:
    assert parse_settings({}) == (CounterSettings(), [])
    settings, problems = parse_settings({"recall_suggest_noshow": 2, "language": "en"})
    assert settings.recall_suggest_noshow == 2 and settings.language == "en" and problems == []
    settings, problems = parse_settings({"recall_suggest_noshow": 0, "langauge": "en", "long_wait_minutes": True})
    assert settings == CounterSettings()
    assert problems == [
        "venue settings [counter].recall_suggest_noshow: must be a whole number from 1 to 20, not 0",
        "venue settings [counter].langauge: unknown key (known: language, long_wait_minutes, recall_suggest_noshow)",
        "venue settings [counter].long_wait_minutes: must be a whole number from 1 to 600, not True",
    ]


def test_every_action_has_its_own_key() -> None:
    keys = [k for _, k in KEYS] + [CALL_KEY, SIGN_OUT_KEY]
    assert len(keys) == len(set(keys)) == 10


def test_texts() -> None:
    t, en = Texts("id"), Texts("en")
    assert t("next") == "Panggil Berikutnya" and en("next") == "Call next"
    assert t.error(QueueEmpty("x")).startswith("ANTREAN KOSONG")
    assert en.error(Refused("x", reason="busy")).startswith("The counter still holds")
    assert t.error(NotFound("unknown service 'Z'")) == "unknown service 'Z'"
    assert clock_text(75) == "1:15" and clock_text(3725) == "1:02:05"
    assert figure_text(t, 6.5) == "6,5 mnt" and figure_text(en, 6.5) == "6.5 min" and figure_text(t, None) == "–"


def test_change_pin_rules(sessions: Any) -> None:
    assert is_weak("1111") and is_weak("1234") and is_weak("9876") and not is_weak("2580")
    with unit_of_work(sessions) as s:
        # a wrong current PIN is returned, not raised, so its count and event commit
        assert change_pin(s, "siti", "0000", "2580").reason == "wrong_pin"
        for new, reason in (("1234", "same_pin"), ("4444", "weak_pin"), ("12", "bad_pin")):
            with pytest.raises(Refused) as refused:
                change_pin(s, "siti", "1234", new)
            assert refused.value.reason == reason
        change_pin(s, "SITI", "1234", "2580")
    with unit_of_work(sessions) as s:
        row = s.scalar(select(Operator).where(Operator.username == "siti"))
        assert verify_pin("2580", row.pin_hash) and not row.must_change_pin


def test_snapshot_reads_the_counter_in_one_go(sessions: Any, now: datetime) -> None:
    with unit_of_work(sessions) as s:
        a1 = issue_ticket(s, "A", now=now).ticket
        issue_ticket(s, "B", now=now)
        issue_ticket(s, "S", now=now)  # L3's service: not in L1's list
        call_next(s, "L1", now=now)
        recall(s, "L1", now=now)
        snap = load_snapshot(s, "L1", "siti", now=now)
    assert snap.ticket is not None and snap.ticket.code == a1.code and snap.ticket.recall_count == 1
    assert [t.code for t in snap.waiting] == ["B-001"] and snap.parked == ()
    assert snap.counter.is_open and snap.counter_day.served == 0
    after = snap.with_ticket(None)
    assert after.ticket is None and after.waiting == snap.waiting
