"""Voice airtime: the announcement queue keeps up with a busy hall and the screen follows the voice."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from db.announce import SpeechSettings, announcement
from db.catalog import CallView
from display.airtime import Backlog
from display.render import Renderer
from display.speech import AnnouncementQueue
from display.state import CallsUpdate
from tests.display_fixtures import RecordingSynth, make_recording_player


def call(n: int, counter: int = 1, ticket: int | None = None, code: str | None = None) -> CallView:
    return CallView(n, datetime(2026, 11, 23, 2, n, tzinfo=UTC), False, ticket or n, code or f"A-{n:03d}", "A",
                    "DUKCAPIL", "Dinas Kependudukan", f"L{counter}", f"Loket {counter}", "Lantai 1")


def test_backlog_merges_a_recall_with_its_waiting_call_and_shortens_by_length() -> None:
    backlog = Backlog(SpeechSettings(short_after=2, brief_after=4))
    for n in (1, 2, 3):
        backlog.add(announcement(f"A-00{n}", "Loket 1"), n, float(n))
    item, merged = backlog.add(announcement("A-002", "Loket 5"), 99, 9.0)  # called again, elsewhere
    assert merged and item.merged == 1 and backlog.merged == 1
    assert [p.announcement.code for p in backlog] == ["A-001", "A-002", "A-003"]  # its place kept
    assert item.announcement.counter_name == "Loket 5" and item.tag == 99 and item.queued_at == 2.0
    assert [backlog.form(n) for n in (1, 2, 3, 4, 9)] == ["full", "once", "once", "brief", "brief"]
    first, form = backlog.take() or (None, None)
    assert first is not None and first.announcement.code == "A-001" and form == "once"  # 3 were waiting
    assert backlog.most == 3


def make_queue(qtbot: Any, settings: SpeechSettings, speed: float = 0.02) -> tuple[AnnouncementQueue, Any, Any]:
    synth = RecordingSynth(seconds=0.5)
    player = make_recording_player(speed)
    renderer = Renderer(synth, settings)
    return AnnouncementQueue(renderer, player), synth, player


def test_a_burst_is_said_in_order_shorter_as_it_grows_and_nothing_is_dropped(qtbot: Any,
                                                                              caplog: pytest.LogCaptureFixture) -> None:
    settings = SpeechSettings(english=True, repeat=2)
    speech, synth, player = make_queue(qtbot, settings)
    finished: list[Any] = []
    speech.finished.connect(finished.append)
    caplog.set_level(logging.INFO, logger="display")
    try:
        for n in range(1, 9):
            speech.announce(announcement(f"A-{n:03d}", "Loket 1", settings=settings), tag=n)
        speech.announce(announcement("A-005", "Loket 2", settings=settings), tag=50)  # a recall still waiting
        assert speech.pending() == 8
        qtbot.waitUntil(lambda: len(finished) == 8, timeout=15_000)
    finally:
        speech.stop()
    assert [j.announcement.code for j in finished] == [f"A-{n:03d}" for n in range(1, 9)]
    forms = [j.form for j in finished]
    assert forms[0] == "full"  # alone when it came: repeats and English
    assert forms[1] == "brief" and forms[-1] == "full"  # 7 waiting, then the last one alone again
    assert forms.count("once") == 1  # 2 waiting (3 or more: brief)
    merged = next(j for j in finished if j.announcement.code == "A-005")
    assert merged.merged == 1 and merged.tag == 50 and merged.announcement.counter_name == "Loket 2"
    assert "A, nol nol lima, loket dua." in synth.texts  # the brief form, at the recall's counter
    assert player.overlaps == 0
    log = caplog.text
    assert "merged" in log and "announcement backlog 6" in log and "brief form" in log
    assert len(speech.latencies) == 8 and list(speech.latencies) == sorted(speech.latencies)


def test_the_screen_shows_and_highlights_the_call_being_said(qtbot: Any) -> None:
    from display.window import DisplayWindow

    window = DisplayWindow()
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    a, b, c = call(1), call(2, 2), call(3, 3)
    window.show_calls(CallsUpdate((a, b, c), (c, b, a), ()), highlight=False)
    assert window.now_calling.call is c and not window.highlighting()
    window.speak(a)  # the voice is behind: it says A while B and C are on the screen already
    assert window.now_calling.call is a and window.highlighting()
    assert [x.code for x in window.recent.calls] == ["A-003", "A-002"]
    assert window.recent.upcoming == {2, 3}  # still to be said: their codes in amber
    window.voice_idle()
    assert window.now_calling.call is c and [x.code for x in window.recent.calls] == ["A-002", "A-001"]
    assert not window.recent.upcoming


def test_airtime_simulation_of_a_busy_hour_keeps_the_backlog_bounded(tmp_path: Path) -> None:
    from display.airtime_bench import simulate

    durations = {"chime": 1.9, "id": 6.5, "en": 6.0, "gap": 0.7, "brief": 3.2}
    heavy = SpeechSettings(english=True, repeat=2)
    result = simulate(heavy, durations, calls_per_minute=6.0, minutes=60, recall_share=0.1, seed=7)
    assert result.calls > 300 and result.announced + result.merged == result.calls  # none dropped
    assert result.max_backlog <= 8 and result.p95_latency < 60
    unbounded = simulate(heavy, durations, calls_per_minute=6.0, minutes=60, recall_share=0.1, seed=7,
                         adaptive=False)
    assert unbounded.max_backlog > 3 * result.max_backlog  # full announcements alone fall behind


def test_a_merged_recall_shares_the_recorded_wav_of_its_announcement(qtbot: Any, tmp_path: Path) -> None:
    folder = tmp_path / "announcements"
    speech = AnnouncementQueue(Renderer(RecordingSynth(), SpeechSettings()), None, record=folder)
    done: list[Any] = []
    speech.finished.connect(done.append)
    try:
        for n in (1, 2, 3):
            speech.announce(announcement(f"A-00{n}", "Loket 1"))
        speech.announce(announcement("A-003", "Loket 1"))  # the recall of a call still waiting
        qtbot.waitUntil(lambda: len(done) == 3, timeout=10_000)
    finally:
        speech.stop()
    names = sorted(p.name.split("-", 2)[2] for p in folder.glob("*.wav"))
    assert names == ["A-001.wav", "A-002.wav", "A-003.wav", "A-003.wav"]  # one file per call and recall
    linked = [p for p in folder.glob("*+1-A-003.wav")]
    assert len(linked) == 1 and linked[0].stat().st_nlink == 2
