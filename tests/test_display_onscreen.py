"""Which calls the lobby display keeps as text (display.onscreen): none leaves before 10 s, none is dropped.

Pure logic on a clock the test moves by hand; tests/test_display_burst.py runs the same rules in
the real window over a database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

from db.catalog import CallView
from display.onscreen import OnScreen


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def call(n: int, ticket: int | None = None, counter: int = 1) -> CallView:
    return CallView(n, datetime(2026, 11, 23, 2, 0, tzinfo=UTC), False, ticket or n, f"A-{ticket or n:03d}", "A",
                    "DUKCAPIL", "Dukcapil", f"L{counter}", f"Loket {counter}", "Lantai 1")


def run(screen: OnScreen, clock: Clock, arrivals: dict[float, list[CallView]], until: float,
        step: float = 0.1) -> dict[str, list[float]]:
    """Move the clock in steps, delivering calls at their times; the times each code was on screen."""
    seen: dict[str, list[float]] = {}
    start = clock.now
    for k in range(round(until / step) + 1):
        t = round(k * step, 6)
        clock.now = start + t
        for at in [a for a in arrivals if a <= t + 1e-9]:
            screen.add(arrivals.pop(at))
        screen.tidy()
        for c in screen.calls():
            seen.setdefault(c.code, []).append(t)
    return seen


def shown_for(times: list[float], step: float = 0.1) -> float:
    """From the first step a code was seen to the first step it was gone."""
    return times[-1] + step - times[0]


def test_a_burst_of_ten_within_2_s_keeps_every_call_10_s_then_returns_to_the_usual_rows() -> None:
    clock = Clock()
    screen = OnScreen(clock)
    screen.keep, screen.capacity = 5, 13  # 55" at 1080p: now + 4 rows, 4 rows x 3 columns in a burst
    arrivals = {i * 0.2: [call(i + 1)] for i in range(10)}

    seen = run(screen, clock, arrivals, until=20)

    assert sorted(seen) == [f"A-{n:03d}" for n in range(1, 11)]  # nothing dropped
    for code, times in seen.items():
        assert shown_for(times) >= 10 - 1e-6, f"{code} shown {shown_for(times):.1f} s"
        assert len(times) >= 100  # every step of its first 10 s
    assert [c.code for c in screen.calls()] == ["A-010", "A-009", "A-008", "A-007", "A-006"]  # the usual 5
    assert screen.next_change() is None and screen.young() == 0
    assert not screen.waited  # 13 fit at once: nobody waited for room


def test_more_calls_than_the_screen_holds_wait_their_turn_in_call_order_and_none_is_dropped() -> None:
    clock = Clock()
    screen = OnScreen(clock)
    screen.keep, screen.capacity = 4, 7
    arrivals = {i * 0.1: [call(i + 1)] for i in range(30)}  # 30 calls in 3 s, room for 7

    seen = run(screen, clock, arrivals, until=60)

    assert sorted(seen) == [f"A-{n:03d}" for n in range(1, 31)]
    first_seen = sorted(seen, key=lambda code: (seen[code][0], code))  # several may come in at one step
    assert first_seen == [f"A-{n:03d}" for n in range(1, 31)]  # they appear in call order
    for code, times in seen.items():
        assert shown_for(times) >= 10 - 1e-6, code
        assert all(b - a <= 0.1 + 1e-6 for a, b in pairwise(times)), f"{code} had a gap"
    assert len(screen.calls()) <= 7 and not screen.waiting()
    assert sorted(screen.waited) == [f"A-{n:03d}" for n in range(8, 31)]  # the first 7 had room at once
    assert abs(screen.waited["A-030"] - (seen["A-030"][0] - 2.9)) < 1e-6  # it came at 2.9 s
    # 30 calls, 7 at a time, each 10 s: the last appears after about 40 s, not before 30 s
    assert 30 <= seen["A-030"][0] <= 45


def test_a_recall_moves_its_ticket_to_the_top_and_starts_its_10_s_again() -> None:
    clock = Clock()
    screen = OnScreen(clock)
    screen.keep, screen.capacity = 2, 5
    screen.add([call(1), call(2), call(3)])
    clock.now += 8
    screen.add([call(4, ticket=1, counter=2)])  # ticket 1 called again, at counter 2
    assert [c.code for c in screen.calls()] == ["A-001", "A-003", "A-002"]
    assert screen.calls()[0].counter == "L2"
    clock.now += 3
    screen.tidy()
    assert [c.code for c in screen.calls()] == ["A-001", "A-003"]  # 2 and 3 had their 10 s; the newest 2 stay
    clock.now += 8
    assert screen.tidy() is False and [c.code for c in screen.calls()] == ["A-001", "A-003"]


def test_calls_made_before_the_screen_looked_fill_the_usual_rows_only() -> None:
    clock = Clock()
    screen = OnScreen(clock)
    screen.keep, screen.capacity = 3, 9
    screen.settle([call(n) for n in (6, 5, 4, 3, 2, 1)])  # a start mid-day: the database's latest calls
    assert [c.code for c in screen.calls()] == ["A-006", "A-005", "A-004"]
    assert screen.next_change() is None  # nothing young, no timer needed
    screen.add([call(7)])
    screen.settle([call(n) for n in (7, 6, 5, 4)])  # the reload after it: known calls keep their time
    assert [c.code for c in screen.calls()] == ["A-007", "A-006", "A-005"]
    assert screen.since(7) == clock.now


def test_the_call_being_said_stays_while_it_is_said_and_comes_back_if_it_had_left() -> None:
    clock = Clock()
    screen = OnScreen(clock)
    screen.keep, screen.capacity = 2, 4
    screen.add([call(1), call(2), call(3)])
    screen.bring(call(1))
    clock.now += 30
    screen.tidy()
    assert [c.code for c in screen.calls()] == ["A-003", "A-002", "A-001"]  # 1 is pinned while it is said
    screen.pinned = None
    screen.tidy()
    assert [c.code for c in screen.calls()] == ["A-003", "A-002"]
    assert screen.bring(call(1)) is True  # the voice says it again (a slow voice): shown again
    assert [c.code for c in screen.calls()] == ["A-003", "A-002", "A-001"]
