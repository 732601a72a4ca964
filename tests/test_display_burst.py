"""Issue 14: a burst of calls at opening, on the real display over the full demo venue (SQLite and PostgreSQL).

Ten counters call within 2 s. The window's clock is a fake the test moves (no 10 s sleeps); the
database, the controller and the speech queue are real (fake TTS engine and loudspeaker). Every
call's code must be painted, legibly and uncut, from the moment it appears until at least 10 s
later; the voice must announce all ten, in call order.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from display.screens import seed
from tests.display_fixtures import RecordingSynth, engine, make_recording_player

STEP = 0.25  # seconds of the fake clock between two looks at the screen


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def _painted_calls(window: Any, codes: set[str]) -> list[Any]:
    """The ticket codes of `codes` painted now by the call panels (as `Drawn` records)."""
    from display import paint

    paint.RECORD = []
    try:
        for panel in (window.now_calling, window.recent):
            if panel.isVisible():
                panel.grab()
        return [d for d in paint.RECORD if d.text in codes]
    finally:
        paint.RECORD = None


def _open_burst(url: str, counters: list[str]) -> list[str]:
    """A ticket waiting for each counter (issued now, so it is next): the codes, in counter order."""
    from db.queue import issue_ticket
    from db.stats import counter_views

    def issue(s: Any) -> list[str]:
        views = {c.code: c for c in counter_views(s)}
        return [issue_ticket(s, views[code].services[0]).ticket.code for code in counters]

    return engine(url, issue)


def test_ten_counters_calling_within_2_s_each_call_stays_10_s_and_none_is_dropped(
        qtbot: Any, new_db_url: Any, tmp_path: Path) -> None:
    from db.queue import call_next, finish
    from db.stats import counter_views
    from display.controller import DisplayController
    from display.render import Renderer
    from display.speech import AnnouncementQueue
    from display.window import DisplayWindow
    from qtkit.worker import DbWorker

    url = seed(tmp_path, url=new_db_url())
    # Ten open counters, each finishing its ticket so its next call takes the ticket issued for it.
    views = engine(url, counter_views)
    counters = [c.code for c in views if c.is_open and c.services][:10]
    assert len(counters) == 10

    def free(s: Any) -> None:
        for c in counter_views(s):
            if c.code in counters and c.ticket is not None:
                finish(s, c.code)

    engine(url, free)
    clock = Clock()
    synth, player = RecordingSynth(), make_recording_player(0.05)
    speech = AnnouncementQueue(Renderer(synth), player)
    announced: list[str] = []
    speech.finished.connect(lambda job: announced.append(job.announcement.code))
    worker = DbWorker(url)
    window = DisplayWindow(clock=clock)
    qtbot.addWidget(window)
    window.resize(1920, 1080)  # the default 55" TV read from 10 m
    controller = DisplayController(worker, window, speech=speech)
    window.show()
    try:
        with qtbot.waitSignal(controller.loaded, timeout=20_000):
            controller.start()
        leg = window.legibility()
        calls: list[str] = []
        seen: dict[str, list[float]] = {}
        drawn: list[Any] = []

        def look(t: float) -> None:
            window.tick()  # what the window's own timer does when a call comes of age
            painted = _painted_calls(window, set(calls))
            drawn.extend(painted)
            for code in {d.text for d in painted}:
                seen.setdefault(code, []).append(t)

        # The burst: ten calls 0.2 s apart, each waited for on screen before the next.
        for i, counter in enumerate(counters):
            clock.now = 5000.0 + i * 0.2
            _open_burst(url, [counter])
            calls.append(engine(url, lambda s, c=counter: call_next(s, c).code))
            qtbot.waitUntil(lambda code=calls[-1]: code in {c.code for c in window.onscreen.calls()}
                            or code in {c.code for c in window.onscreen.waiting()}, timeout=5000)
            look(round(i * 0.2, 3))
        assert window._burst, "ten calls in 2 s: the list should spread over the paged area"
        assert not window.counters.isVisible() and not window.waiting.isVisible()
        # Then 25 s more of the fake clock, looking every 0.25 s.
        for k in range(1, round(25 / STEP) + 1):
            t = round(1.8 + k * STEP, 3)
            clock.now = 5000.0 + t
            look(t)
        qtbot.waitUntil(lambda: len(announced) == 10, timeout=30_000)
    finally:
        controller.stop()
        speech.stop()
        worker.stop()

    assert sorted(seen) == sorted(calls), "a call never appeared on screen"  # nothing dropped
    for code in calls:
        times = seen[code]
        steps = [round(b - a, 3) for a, b in pairwise(times)]
        shown = times[-1] + STEP - times[0]
        assert shown >= 10, f"{code} was on screen {shown:.2f} s"
        gaps = [g for g, at in zip(steps, times, strict=False) if at < times[0] + 10 and g > STEP + 1e-6]
        assert not gaps, f"{code} left the screen within its first 10 s"
    for d in drawn:  # legible and uncut during the burst too
        assert leg.mm(d.text, d.px, d.bold) >= leg.min_mm(d.role) - 0.05 and d.role in ("now", "call"), d
        assert d.advance <= d.width + 0.5 and d.px * 1.17 <= d.height + 1, d
    assert announced == calls  # the voice said every call, in call order
    # The burst is over: the usual rows again, the counters back in the paged area.
    assert not window._burst and len(window.onscreen.calls()) == window.onscreen.keep


def test_more_calls_than_the_tv_holds_wait_their_turn_and_the_list_says_how_many_are_to_come(
        qtbot: Any, tmp_path: Path) -> None:
    """Twenty calls at once on the default 55" TV (room for 13 at legible size): 7 wait, and say so."""
    from datetime import UTC, datetime

    from db.catalog import CallView
    from display import paint
    from display.screens import Rig
    from display.state import CallsUpdate

    rig = Rig(seed(tmp_path), (1920, 1080))
    try:
        window = rig.window
        clock = Clock()
        window.onscreen.clock = clock
        counters = window.counters.counters
        assert window.onscreen.capacity == 13
        calls = [CallView(10_000 + i, datetime.now(UTC), False, 10_000 + i, f"Z-{i + 1:03d}", "Z", "DUKCAPIL",
                          "Dinas Kependudukan", counters[i % 26].code, counters[i % 26].name, "Lantai 1")
                 for i in range(20)]
        window.show_calls(CallsUpdate(tuple(calls), (), counters), highlight=False)
        leg = window.legibility()
        codes = {c.code for c in calls}
        seen: set[str] = set()
        for second in range(0, 31):
            clock.now = 5000.0 + second
            window.tick()
            paint.RECORD = []
            window.recent.grab()
            window.now_calling.grab()
            drawn, paint.RECORD = paint.RECORD, None
            seen |= {d.text for d in drawn if d.text in codes}
            if second == 0:
                assert {d.text for d in drawn} >= {"+7 MENYUSUL"}
                assert len({d.text for d in drawn if d.text in codes}) == 13
            for d in drawn:
                assert leg.mm(d.text, d.px, d.bold) >= leg.min_mm(d.role) - 0.05, d
                assert d.advance <= d.width + 0.5 and d.px * paint.LINE <= d.height + 1, d
    finally:
        paint.RECORD = None
        rig.close()
    assert seen == codes  # none dropped: the seven appeared once the first had had their 10 s
    assert sorted(window.onscreen.waited) == [f"Z-{n:03d}" for n in range(14, 21)]
