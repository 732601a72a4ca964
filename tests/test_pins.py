"""PINs: one rule set in the engine, one lockout rule for every PIN check, counted under a row lock."""

from __future__ import annotations

import multiprocessing as mp
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db import Refused, open_database, unit_of_work
from db.config import parse_config
from db.models import Event, EventKind, Operator, Venue
from db.operators import add_operator, set_pin, sign_in, staff_pin_ok
from db.pins import LOCKOUT, MAX_FAILED, change_pin, check_new_pin, check_username, is_weak, verify_pin


def do(sessions: Any, func: Any, *args: Any, **kwargs: Any) -> Any:
    with unit_of_work(sessions) as s:
        return func(s, *args, **kwargs)


def failures(sessions: Any, **detail: Any) -> list[Event]:
    with unit_of_work(sessions) as s:
        rows = s.scalars(select(Event).where(Event.kind.in_((EventKind.SIGN_IN_FAILED, EventKind.LOCKED_OUT)))
                         .order_by(Event.id)).all()
        return [e for e in rows if all(e.detail.get(k) == v for k, v in detail.items())]


@pytest.mark.parametrize("name", ["síti", "ахмед", "a", "bad name", "x" * 65, "-lead", "siti\u0000"])
def test_usernames_are_ascii(name: str) -> None:
    with pytest.raises(Refused):
        check_username(name)


def test_username_is_stored_lower_case() -> None:
    assert check_username(" Siti.R ") == "siti.r"


@pytest.mark.parametrize("pin", ["١٢٣٤", "１２３４", "12a4", "123", "1" * 13, "12 34", ""])
def test_a_pin_is_ascii_digits(pin: str) -> None:
    with pytest.raises(Refused) as info:
        check_new_pin(pin, initial=True)
    assert info.value.reason == "bad_pin"


@pytest.mark.parametrize("pin", ["0000", "1234", "9876", "7890", "1212", "123123", "456789"])
def test_weak_pins_are_refused_unless_initial(pin: str) -> None:
    assert is_weak(pin)
    with pytest.raises(Refused) as info:
        check_new_pin(pin)
    assert info.value.reason == "weak_pin"
    check_new_pin(pin, initial=True)  # a one-time PIN that must be changed at the first sign-in


def test_operator_add_and_set_pin_follow_the_rules(sessions: Any) -> None:
    for kwargs in ({"pin": "١٢٣٤"}, {"pin": "0000", "must_change_pin": False}):
        with pytest.raises(Refused):
            do(sessions, add_operator, "rina", "Rina", **kwargs)
    with pytest.raises(Refused):
        do(sessions, add_operator, "rína", "Rina")
    with pytest.raises(Refused):
        do(sessions, add_operator, "rina", "R" * 201)
    with pytest.raises(Refused):
        do(sessions, add_operator, "rina", "Ri\u0000na")
    do(sessions, add_operator, "rina", "Rina", pin="0000")  # initial: must be changed first
    with pytest.raises(Refused):
        do(sessions, set_pin, "rina", "1111")
    do(sessions, set_pin, "rina", "1111", must_change=True)
    do(sessions, set_pin, "rina", "5190")
    with unit_of_work(sessions) as s:
        row = s.scalar(select(Operator).where(Operator.username == "rina"))
        assert verify_pin("5190", row.pin_hash) and not row.must_change_pin


def test_the_venue_file_follows_the_same_rules(tmp_path: Path) -> None:
    from db import ConfigError

    path = tmp_path / "venue.toml"
    path.write_text('[venue]\nname = "M"\n[[agencies]]\ncode = "D"\nname = "D"\n[[services]]\nagency = "D"\n'
                    'code = "A"\nname = "A"\n[[operators]]\nusername = "siti"\nname = "Siti"\npin = "12ab"\n'
                    '[[operators]]\nusername = "budi"\nname = "Budi"\npin = "١٢٣٤"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        parse_config(path)
    text = str(info.value)
    assert "venue.toml: operators[0].pin: a PIN has 4 to 12 digits 0-9" in text
    assert "venue.toml: operators[1].pin:" in text


def test_sign_in_lockout(sessions: Any, now: datetime) -> None:
    for i in range(MAX_FAILED - 1):
        result = do(sessions, sign_in, "L1", "siti", "9999", now=now)
        assert (result.reason, result.tries_left) == ("wrong_pin", MAX_FAILED - 1 - i)
    assert do(sessions, sign_in, "L1", "siti", "9999", now=now).reason == "locked"
    assert do(sessions, sign_in, "L1", "siti", "1234", now=now + timedelta(minutes=1)).reason == "locked"
    assert do(sessions, sign_in, "L1", "siti", "1234", now=now + LOCKOUT + timedelta(seconds=1)).ok
    kinds = [(e.kind, e.detail.get("why")) for e in failures(sessions)]
    assert kinds == [(EventKind.SIGN_IN_FAILED, "wrong_pin")] * MAX_FAILED + [
        (EventKind.LOCKED_OUT, None), (EventKind.SIGN_IN_FAILED, "locked")]


def test_change_pin_counts_under_the_same_rule(sessions: Any, now: datetime) -> None:
    for _ in range(3):
        do(sessions, sign_in, "L1", "siti", "9999", now=now)
    assert do(sessions, change_pin, "siti", "9999", "5190", now=now).reason == "wrong_pin"
    locked = do(sessions, change_pin, "siti", "9998", "5190", now=now)
    assert locked.reason == "locked" and not locked.ok
    assert do(sessions, change_pin, "siti", "1234", "5190", now=now).reason == "locked"  # even the right one
    assert do(sessions, sign_in, "L1", "siti", "1234", now=now).reason == "locked"
    assert [e.detail.get("check") for e in failures(sessions, why="wrong_pin")] == [None] * 3 + ["change_pin"] * 2
    later = now + LOCKOUT + timedelta(seconds=1)
    assert do(sessions, change_pin, "siti", "1234", "5190", now=later).ok
    assert do(sessions, sign_in, "L1", "siti", "5190", now=later).ok


def test_staff_pin_counts_fails_and_locks(sessions: Any, now: datetime) -> None:
    assert do(sessions, staff_pin_ok, "2468", now=now)  # the admin's
    assert not do(sessions, staff_pin_ok, "1234", now=now)  # siti is an operator, not staff
    for _ in range(MAX_FAILED - 1):
        assert not do(sessions, staff_pin_ok, "0000", now=now)
    assert not do(sessions, staff_pin_ok, "2468", now=now)  # locked: the right PIN waits too
    events = failures(sessions, check="kiosk_staff")
    assert [(e.kind, e.detail.get("why")) for e in events] == [
        (EventKind.SIGN_IN_FAILED, "wrong_pin")] * MAX_FAILED + [(EventKind.LOCKED_OUT, None),
                                                                  (EventKind.SIGN_IN_FAILED, "locked")]
    assert do(sessions, staff_pin_ok, "2468", now=now + LOCKOUT + timedelta(seconds=1))
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Venue.staff_failed_attempts)) == 0


def test_an_account_locked_at_the_counters_does_not_open_a_kiosk(sessions: Any, now: datetime) -> None:
    for _ in range(MAX_FAILED):
        do(sessions, sign_in, "L1", "admin", "9999", now=now)
    assert not do(sessions, staff_pin_ok, "2468", now=now)


# --- Many at once: the count is kept under a row lock ------------------------------------------

ATTEMPTERS, TRIES = 6, 5


def _attempt(url: str, what: str, start: Any, out: Any) -> None:
    try:
        sessions = open_database(url)
        start.wait()
        results = []
        for _ in range(TRIES):
            with unit_of_work(sessions) as s:
                if what == "sign_in":
                    results.append(sign_in(s, "L1", "siti", "9999").reason)
                else:
                    results.append("ok" if staff_pin_ok(s, "0000") else "refused")
        out.put(("done", results))
    except BaseException as exc:  # noqa: BLE001 - the parent shows it and fails the test
        out.put(("error", repr(exc)))


@pytest.mark.parametrize("what", ["sign_in", "staff_pin"])
def test_parallel_wrong_pins_lock_after_exactly_max_failed(db_url: str, what: str) -> None:
    """Processes trying wrong PINs at once: exactly MAX_FAILED are checked, then the lock holds."""
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_attempt, args=(db_url, what, start, out)) for _ in range(ATTEMPTERS)]
    for p in procs:
        p.start()
    start.set()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    assert all(kind == "done" for kind, _ in results), results
    sessions = open_database(db_url)
    try:
        detail = {"check": "kiosk_staff"} if what == "staff_pin" else {}
        events = failures(sessions, **detail)
        wrong = [e for e in events if e.kind == EventKind.SIGN_IN_FAILED and e.detail.get("why") == "wrong_pin"]
        locked = [e for e in events if e.kind == EventKind.LOCKED_OUT]
        assert len(wrong) == MAX_FAILED and len(locked) == 1, (len(wrong), len(locked))
        assert len(events) == ATTEMPTERS * TRIES + 1  # every attempt left an event, plus the lockout
        assert sorted(e.detail.get("attempts") for e in wrong) == list(range(1, MAX_FAILED + 1))
    finally:
        sessions.kw["bind"].dispose()


# --- "Must change the PIN" is the engine's rule, not only the console's ---------------------------


def test_a_first_pin_takes_no_counter_until_changed(sessions: Any, now: datetime) -> None:
    from db.models import Counter

    result = do(sessions, sign_in, "L1", "siti", "1234", now=now)  # the venue file's first PIN
    assert (result.ok, result.reason, result.must_change_pin, result.seated) == (True, "must_change_pin", True, False)
    with unit_of_work(sessions) as s:
        assert s.scalar(select(Counter.operator_id).where(Counter.code == "L1")) is None
    with pytest.raises(Refused):  # a weak new PIN: nothing changes, no seat
        do(sessions, change_pin, "siti", "1234", "1111", counter="L1", now=now)
    assert do(sessions, change_pin, "siti", "1234", "5190", counter="L1", now=now).seated
    with unit_of_work(sessions) as s:
        siti = s.scalar(select(Operator).where(Operator.username == "siti"))
        assert s.scalar(select(Counter.operator_id).where(Counter.code == "L1")) == siti.id
        assert not siti.must_change_pin
    assert do(sessions, sign_in, "L2", "siti", "5190", now=now).seated


def test_change_pin_at_another_agencys_counter_saves_nothing(sessions: Any, now: datetime) -> None:
    assert do(sessions, sign_in, "L3", "siti", "1234", now=now).reason == "not_allowed"
    with pytest.raises(Refused):
        do(sessions, change_pin, "siti", "1234", "5190", counter="L3", now=now)
    with unit_of_work(sessions) as s:
        assert verify_pin("1234", s.scalar(select(Operator.pin_hash).where(Operator.username == "siti")))


def test_in_the_demo_database_first_pins_work_unchanged(sessions: Any, now: datetime) -> None:
    from antre.scratch import mark

    with unit_of_work(sessions) as s:
        mark(s, "demo")
    assert do(sessions, sign_in, "L1", "siti", "1234", now=now).seated
