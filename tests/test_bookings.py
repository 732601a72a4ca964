"""Bookings: CSV import, redeeming once at the kiosk, the on-time/late rule, clear refusals."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from db import AntreError, Refused, unit_of_work
from db.bookings import add_booking, cancel, find, import_csv, normalize_code, redeem, refusal_text
from db.lookup import venue
from db.queue import call_next, issue_ticket

# MONDAY_9AM (conftest) is 2026-11-23 09:00 in Jakarta.
DAY = date(2026, 11, 23)


def _csv(tmp_path, text):
    path = tmp_path / "bookings.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_reimport_is_safe(sessions, tmp_path):
    path = _csv(tmp_path, "code,service,date,time,name\nMP-1234,A,2026-11-23,09:00,Ani\n"
                          "JKN5678,a,2026-11-23,09:30-10:00,Budi\nX9X9,S,2026-11-24,10:00,\n")
    with unit_of_work(sessions) as s:
        assert import_csv(s, path) == {"added": 3, "unchanged": 0}
    with unit_of_work(sessions) as s:
        assert import_csv(s, path) == {"added": 0, "unchanged": 3}
        b = find(s, "mp 1234")
    assert (b.code, b.service, b.slot_local, b.status) == ("MP1234", "A", "09:00", "pending")


def test_import_is_all_or_nothing_and_names_lines(sessions, tmp_path):
    path = _csv(tmp_path, "code,service,date,time,name\nGOOD1,A,2026-11-23,09:00,\nBAD2,ZZ,2026-11-23,09:00,\n"
                          "BAD3,A,23/11/2026,09:00,\nGOOD1,A,2026-11-23,10:00,\n")
    with unit_of_work(sessions) as s, pytest.raises(AntreError) as err:
        import_csv(s, path)
    message = str(err.value)
    assert ":3: unknown service 'ZZ'" in message and ":4: date" in message and ":5: code GOOD1 is used twice" in message
    with unit_of_work(sessions) as s, pytest.raises(AntreError):
        find(s, "GOOD1")
    with unit_of_work(sessions) as s, pytest.raises(AntreError, match="missing date, time"):
        import_csv(s, _csv(tmp_path, "code,service\nA1B2,A\n"))


def test_on_time_booking_goes_ahead_of_walk_ins_once(sessions, now):
    with unit_of_work(sessions) as s:
        add_booking(s, "A", DAY, time(9, 10), code="BOOK1")
        for _ in range(3):
            issue_ticket(s, "A", now=now - timedelta(minutes=30))
    with unit_of_work(sessions) as s:
        done = redeem(s, "book1", now=now)
    assert done.on_time and done.issued.ahead == 0 and done.booking.status == "used"
    with unit_of_work(sessions) as s:
        assert call_next(s, "L1", now=now + timedelta(minutes=1)).code == done.issued.ticket.code
    with unit_of_work(sessions) as s, pytest.raises(Refused) as err:
        redeem(s, "BOOK1", now=now)
    assert err.value.reason == "booking_used"


def test_late_booking_joins_as_walk_in_or_is_refused(sessions, now):
    with unit_of_work(sessions) as s:
        add_booking(s, "A", DAY, time(8, 0), code="LATE1")
        add_booking(s, "A", DAY, time(8, 0), code="LATE2")
        issue_ticket(s, "A", now=now - timedelta(minutes=5))
    with unit_of_work(sessions) as s:
        late = redeem(s, "LATE1", now=now)  # 60 min after the slot, grace is 15
    assert not late.on_time and late.issued.ahead == 1
    with unit_of_work(sessions) as s:
        v = venue(s)
        v.settings = {**v.settings, "booking": {"late": "refuse", "grace_minutes": 30}}
    with unit_of_work(sessions) as s, pytest.raises(Refused) as err:
        redeem(s, "LATE2", now=now)
    assert err.value.reason == "booking_expired"
    with unit_of_work(sessions) as s:  # refused: still unused, fine within the grace period
        assert redeem(s, "LATE2", now=now - timedelta(minutes=35)).on_time


def test_wrong_early_other_day_expired_and_cancelled_codes_are_refused(sessions, now):
    with unit_of_work(sessions) as s:
        add_booking(s, "A", DAY + timedelta(days=1), time(9, 0), code="TMRW1")
        add_booking(s, "A", DAY - timedelta(days=1), time(9, 0), code="YDAY1")
        add_booking(s, "A", DAY, time(11, 0), code="EARLY1")
        add_booking(s, "A", DAY, time(9, 0), code="GONE1")
        cancel(s, "GONE1")
    cases = {"NOPE99": "booking_unknown", "TMRW1": "booking_other_day", "YDAY1": "booking_expired",
             "EARLY1": "booking_early", "GONE1": "booking_cancelled"}
    for code, reason in cases.items():
        with unit_of_work(sessions) as s, pytest.raises(Refused) as err:
            redeem(s, code, now=now)
        assert err.value.reason == reason, code
        assert refusal_text(reason, "id") and refusal_text(reason, "en")


def test_early_within_window_queues_at_slot_time(sessions, now):
    with unit_of_work(sessions) as s:
        add_booking(s, "A", DAY, time(9, 40), code="SOON1")
        add_booking(s, "A", DAY, time(9, 20), code="SOON2")
    with unit_of_work(sessions) as s:
        first = redeem(s, "SOON1", now=now)
    with unit_of_work(sessions) as s:
        second = redeem(s, "SOON2", now=now + timedelta(minutes=1))
    # The earlier slot goes first although it came later.
    assert second.issued.ahead == 0
    with unit_of_work(sessions) as s:
        assert call_next(s, "L1", now=now + timedelta(minutes=2)).code == second.issued.ticket.code
    assert first.on_time


def test_codes_and_names_are_checked(sessions):
    with unit_of_work(sessions) as s:
        generated = add_booking(s, "B", DAY, time(10, 0))
        assert len(generated.code) == 8
        for bad in ("ab", "x" * 33, "kode!"):
            with pytest.raises(Refused):
                add_booking(s, "A", DAY, time(9, 0), code=bad)
        with pytest.raises(Refused, match="already exists"):
            add_booking(s, "A", DAY, time(9, 0), code=generated.code.lower())
        with pytest.raises(Refused):
            add_booking(s, "A", DAY, time(9, 0), name="a\x00b")
    assert normalize_code(" mp-12 34 ") == "MP1234"


def test_web_and_booking_sections_are_checked_and_stored(venue_file, sessions):
    from db.config import load_config
    from db.web_settings import booking_rules, web_settings

    text = venue_file.read_text(encoding="utf-8")
    venue_file.write_text(text + '\n[web]\npublic_url = "https://antrean.example.go.id/"\n'
                          '\n[booking]\ngrace_minutes = 5\nlate = "refuse"\n', encoding="utf-8")
    with unit_of_work(sessions) as s:
        load_config(s, venue_file)
    with unit_of_work(sessions) as s:
        assert web_settings(s).public_url == "https://antrean.example.go.id"
        assert (booking_rules(s).grace_minutes, booking_rules(s).late) == (5, "refuse")
    for bad, where in [('[web]\npublic_url = "ftp://x"\n', "web.public_url"),
                       ('[booking]\nlate = "never"\n', "booking.late"),
                       ('[booking]\ngrace = 5\n', "booking.grace")]:
        venue_file.write_text(text + "\n" + bad, encoding="utf-8")
        with unit_of_work(sessions) as s, pytest.raises(AntreError) as err:
            load_config(s, venue_file)
        assert where in str(err.value)
