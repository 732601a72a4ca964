"""The lobby display over a real SQLite database: calls from other processes, filters, offline, layout."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from db.queue import call_next, finish, recall
from db.stats import counter_views
from display.settings import Filter
from tests.display_fixtures import (  # noqa: F401 - fixtures
    Rig,
    data_url,
    engine,
    in_other_process,
    issue,
    rig,
    sqlite_data_url,
    start_rig,
    stop_rig,
)

CALL_TEN = """
from db.queue import call_next, finish
for i in range(10):
    counter = "L1" if i % 2 == 0 else "L2"
    with unit_of_work(sessions) as s:
        call_next(s, counter)
    with unit_of_work(sessions) as s:
        finish(s, counter)
"""


def call_at(session: Any, counter: str) -> str:
    """Finish the counter's ticket if it holds one, then call the next: what an operator does all day."""
    if any(c.code == counter and c.ticket for c in counter_views(session)):
        finish(session, counter)
    return call_next(session, counter).code


def tile_code(r: Rig, counter: str) -> str | None:
    view = next(c for c in r.window.counters.counters if c.code == counter)
    return view.ticket.code if view.ticket else None


def test_a_call_from_another_process_appears_and_is_announced(qtbot: Any, rig: Rig, data_url: str) -> None:
    issue(data_url, "A")
    assert rig.window.now_calling.call is None

    in_other_process(data_url, "from db.queue import call_next\n"
                               "with unit_of_work(sessions) as s:\n    call_next(s, 'L1')\n")

    qtbot.waitUntil(lambda: rig.window.now_calling.call is not None, timeout=5000)
    call = rig.window.now_calling.call
    assert (call.code, call.counter_name) == ("A-001", "Loket 1")
    assert tile_code(rig, "L1") == "A-001"
    assert rig.window.highlighting()
    ticket = engine(data_url, lambda s: next(c.ticket for c in counter_views(s) if c.code == "L1"))
    assert (ticket.code, ticket.status) == ("A-001", "called")
    qtbot.waitUntil(lambda: rig.finished == ["A-001"], timeout=5000)
    assert rig.synth.texts == ["Nomor antrean, A, nol nol satu, silakan menuju loket satu."]
    assert rig.synth.voices == ["poz/id"]


def test_started_mid_day_it_shows_the_state_at_once_without_announcing(qtbot: Any, data_url: str) -> None:
    issue(data_url, "A", 3)
    engine(data_url, lambda s: (call_next(s, "L1"), finish(s, "L1"), call_next(s, "L2"), call_next(s, "L1")))

    r = start_rig(qtbot, data_url)
    try:
        assert r.window.now_calling.call.code == "A-003"
        assert [c.code for c in r.window.recent.calls] == ["A-002", "A-001"]
        assert (tile_code(r, "L1"), tile_code(r, "L2")) == ("A-003", "A-002")
        assert [q.waiting for q in r.window.waiting.queues if q.code == "A"] == [0]
        qtbot.wait(400)
        assert r.synth.texts == [] and r.speech.pending() == 0
        assert not r.window.highlighting()
    finally:
        stop_rig(r)


def test_a_burst_of_ten_calls_gives_ten_announcements_in_order(qtbot: Any, rig: Rig, data_url: str) -> None:
    codes = issue(data_url, "A", 10)
    rig.player.speed = 0.1  # each announcement "plays" ~0.27 s: the calls come far faster than speech

    in_other_process(data_url, CALL_TEN)

    # The screen shows the last call at once, while the first announcements are still playing.
    qtbot.waitUntil(lambda: rig.window.now_calling.call is not None and rig.window.now_calling.call.code == "A-010",
                    timeout=5000)
    assert len(rig.finished) < 10
    qtbot.waitUntil(lambda: len(rig.finished) == 10, timeout=20_000)
    assert rig.finished == codes
    # Calls came faster than speech: after the first, the brief form ("A, nol nol dua, loket dua.").
    assert rig.synth.texts[0].startswith("Nomor antrean, A, nol nol satu")
    assert any(t.startswith("A, ") for t in rig.synth.texts[1:])
    assert [(t.split(",")[2] if t.startswith("Nomor") else t.split(",")[1]).strip() for t in rig.synth.texts] == [
        "nol nol satu", "nol nol dua", "nol nol tiga", "nol nol empat", "nol nol lima", "nol nol enam",
        "nol nol tujuh", "nol nol delapan", "nol nol sembilan", "nol satu nol"]
    assert rig.player.overlaps == 0
    plays = rig.player.plays
    assert all(a[2] <= b[1] for a, b in zip(plays, plays[1:], strict=False)), "sounds overlapped"
    assert len(rig.synth.threads) == 1, "more than one thread drove the speech engine"


def test_recall_is_announced_again_and_highlights_again(qtbot: Any, rig: Rig, data_url: str) -> None:
    issue(data_url, "A")
    engine(data_url, lambda s: call_next(s, "L2"))
    qtbot.waitUntil(lambda: rig.finished == ["A-001"], timeout=5000)
    assert rig.window.highlighting()
    rig.window.clear_highlight()  # rather than wait the 8 s it lasts

    engine(data_url, lambda s: recall(s, "L2"))

    qtbot.waitUntil(lambda: rig.finished == ["A-001", "A-001"], timeout=5000)
    assert rig.window.highlighting()
    assert len(rig.player.plays) == 2
    # Same words: synthesized once, played twice.
    assert rig.synth.texts == ["Nomor antrean, A, nol nol satu, silakan menuju loket dua."]
    assert [c.code for c in rig.window.recent.calls] == []  # a recall is the same ticket, listed once


def test_zone_filter_shows_and_announces_only_its_floor(qtbot: Any, data_url: str) -> None:
    issue(data_url, "A", 2)
    r = start_rig(qtbot, data_url, filt=Filter.of(["lantai 2"]))
    try:
        assert [c.code for c in r.window.counters.counters] == ["L3", "L4"]
        assert r.window.header.subtitle == "Lantai 2"
        engine(data_url, lambda s: call_next(s, "L1"))  # first floor: not this TV
        engine(data_url, lambda s: call_next(s, "L4"))
        qtbot.waitUntil(lambda: r.finished == ["A-002"], timeout=5000)
        assert r.window.now_calling.call.counter == "L4"
        assert r.synth.texts == ["Nomor antrean, A, nol nol dua, silakan menuju loket empat."]
        assert {q.code for q in r.window.waiting.queues} == {"A", "S"}
    finally:
        stop_rig(r)


def test_agency_filter(qtbot: Any, data_url: str) -> None:
    r = start_rig(qtbot, data_url, filt=Filter.of((), ["polres"]))
    try:
        assert [c.code for c in r.window.counters.counters] == ["L3"]
        assert [q.code for q in r.window.waiting.queues] == ["S"]
    finally:
        stop_rig(r)


def test_offline_mark_when_the_database_goes_away_and_recovery(qtbot: Any, sqlite_data_url: str,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "data"
    away = tmp_path / "data-away"
    data_url = sqlite_data_url
    rig = start_rig(qtbot, data_url)
    try:
        _offline_and_back(qtbot, rig, data_url, folder, away)
    finally:
        stop_rig(rig)


def _offline_and_back(qtbot: Any, rig: Rig, data_url: str, folder: Path, away: Path) -> None:
    assert not rig.window.banner.isVisible()

    os.rename(folder, away)
    try:
        qtbot.waitUntil(lambda: rig.window.banner.isVisible(), timeout=5000)
        assert rig.window.online is False
        qtbot.wait(300)  # the GUI keeps running (the ticker moves) while the database is gone
        frames = rig.window.ticker.frames
        qtbot.wait(300)
        assert rig.window.ticker.frames > frames
    finally:
        os.rename(away, folder)

    qtbot.waitUntil(lambda: not rig.window.banner.isVisible(), timeout=5000)
    issue(data_url, "A")
    engine(data_url, lambda s: call_next(s, "L1"))
    qtbot.waitUntil(lambda: rig.window.now_calling.call is not None, timeout=5000)
    assert rig.window.now_calling.call.code == "A-001"


def test_venue_settings_reach_the_screen(qtbot: Any, data_url: str, tmp_path: Path) -> None:
    from db.catalog import venue_view

    media = tmp_path / "media"
    media.mkdir()
    from display.screens import poster

    poster(media / "a.png", "Satu", "pertama", "#1B5E20")
    poster(media / "b.png", "Dua", "kedua", "#0D47A1")
    venue = tmp_path / "venue-display.toml"
    from tests.conftest import SMALL_VENUE

    venue.write_text(SMALL_VENUE + f'\n[display]\nlast_calls = 3\nticker = "Harap antre dengan tertib"\n'
                     f'media_folder = "{media}"\nzones = ["Lantai 1"]\n', encoding="utf-8")
    from db.config import load_config

    engine(data_url, lambda s: load_config(s, venue))
    assert engine(data_url, lambda s: venue_view(s).section("display"))["last_calls"] == 3
    r = start_rig(qtbot, data_url)
    try:
        assert r.window.ticker.text == "Harap antre dengan tertib"
        assert r.window.recent.rows == 3
        assert [c.code for c in r.window.counters.counters] == ["L1", "L2"]
        assert ("media", 0) in r.window.pages() and r.window.media.current == media / "a.png"
        r.window._show_page(("media", 0))
        assert r.window.media.isVisible() and not r.window.counters.isVisible()
        r.window.media.advance()
        assert r.window.media.current == media / "b.png"
        r.window.media.advance()
        assert r.window.media.current == media / "a.png"
    finally:
        stop_rig(r)


def test_a_bad_display_setting_shows_a_warning_and_uses_defaults(qtbot: Any, data_url: str, tmp_path: Path) -> None:
    from db.config import load_config
    from tests.conftest import SMALL_VENUE

    venue = tmp_path / "venue-bad.toml"
    venue.write_text(SMALL_VENUE + "\n[display]\nlast_calls = \"many\"\n", encoding="utf-8")
    engine(data_url, lambda s: load_config(s, venue))
    r = start_rig(qtbot, data_url)
    try:
        assert "Pengaturan layar bermasalah" in r.window.header.warning
        assert r.window.recent.rows == 5
    finally:
        stop_rig(r)


def test_idle_display_does_not_repaint_except_the_ticker(qtbot: Any, rig: Rig) -> None:
    qtbot.wait(300)
    paints = rig.window.now_calling.paints
    frames = rig.window.ticker.frames
    qtbot.wait(700)
    assert rig.window.now_calling.paints == paints
    assert 5 <= rig.window.ticker.frames - frames <= 30  # ~30 fps, never a busy loop


def test_portrait_and_4k_layouts_keep_panels_apart_and_inside(qtbot: Any, rig: Rig) -> None:
    w = rig.window
    for size in ((1080, 1920), (3840, 2160), (1920, 1080)):
        w.resize(*size)
        w._layout()
        panels = [w.header, w.now_calling, w.counters, w.recent, w.ticker]
        for i, a in enumerate(panels):
            assert w.rect().contains(a.geometry()), (size, a)
            for b in panels[i + 1:]:
                assert not a.geometry().intersects(b.geometry()), (size, a, b)
        # Counters, waiting figures and media take turns in one place.
        assert w.waiting.geometry() == w.counters.geometry() == w.media.geometry()


def test_calls_show_within_300_ms_and_an_idle_watcher_stays_quiet(qtbot: Any, rig: Rig, data_url: str) -> None:
    import time

    watcher = rig.controller.watcher
    polls = watcher.polls
    qtbot.wait(1500)
    assert watcher.polls - polls <= 3, "the watcher woke itself (its own reads look like changes)"

    issue(data_url, "A", 5)
    latencies = []
    for i in range(5):
        counter = "L1" if i % 2 == 0 else "L2"
        code = engine(data_url, lambda s, c=counter: call_at(s, c))
        committed = time.monotonic()
        qtbot.waitUntil(lambda c=code: rig.window.now_calling.call is not None
                        and rig.window.now_calling.call.code == c, timeout=3000)
        latencies.append(time.monotonic() - committed)
    assert sorted(latencies)[2] < 0.3, latencies


def test_waiting_lists_services_then_agencies_then_the_longest_queues(qtbot: Any) -> None:
    from db.catalog import AgencyView
    from db.views import ServiceQueue
    from display.panels import WaitingBoard

    def q(code: str, agency: str, waiting: int) -> ServiceQueue:
        return ServiceQueue(code, f"Layanan {code}", code, agency, waiting, 1, None, True, None, None)

    agencies = {a: AgencyView(a, f"Instansi {a}", a, "#1565C0", "", ()) for a in ("X", "Y", "Z")}
    board = WaitingBoard()
    qtbot.addWidget(board)
    board.set_queues((q("A", "X", 4), q("B", "X", 0), q("C", "Y", 2), q("D", "Z", 7)), agencies)
    assert [(c, n) for c, _, n, _ in board.lines(5)] == [("A", 4), ("C", 2), ("D", 7)]  # nobody waits for B
    assert [(c, n) for c, _, n, _ in board.lines(3)] == [("A", 4), ("C", 2), ("D", 7)]
    board.set_queues((q("A", "X", 4), q("B", "X", 1), q("C", "Y", 2)), agencies)
    assert [(c, n) for c, _, n, _ in board.lines(2)] == [("X", 5), ("Y", 2)]  # per agency
    board.set_queues((q("A", "X", 4), q("C", "Y", 2), q("D", "Z", 7)), agencies)
    lines = board.lines(2)
    assert [(c, n) for c, _, n, _ in lines] == [("Z", 7), ("", -1)] and lines[1][1] == "+2 lainnya"
