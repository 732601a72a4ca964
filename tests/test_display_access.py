"""Issue 14, the lobby display for deaf and low-vision citizens: call size on the configured TV, flash rate.

Like tests/test_display_screens.py these run the real window and controller over the display's
seeded demo database (display.screens.seed, SQLite).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest


def _drawn(rig: Any) -> list:
    from display import paint

    paint.RECORD = []
    try:
        rig.window.repaint()
        rig.window.grab()
        return list(paint.RECORD)
    finally:
        paint.RECORD = None


@pytest.mark.parametrize(("inches", "size", "distance"), [
    (55, (1920, 1080), 10),  # the default TV
    (65, (3840, 2160), 10),
    (65, (1920, 1080), 12),
])
def test_the_current_call_is_107_mm_from_10_m_on_the_default_tv_and_bigger(
        qtbot: Any, tmp_path: Path, inches: int, size: tuple[int, int], distance: int) -> None:
    """The full demo venue (18 agencies, 26 counters): the current call's code at >= 10.7 mm a metre of
    distance, its counter and at least 3 previous calls at >= 4 mm a metre, every other text at >= 2.5 mm
    a metre, nothing cut, on every page of the paged area."""
    from display import paint
    from display.screens import Rig, seed

    url = seed(tmp_path, display={"tv_inches": inches, "viewing_distance_m": distance})
    rig = Rig(url, size)
    try:
        leg = rig.window.legibility()
        assert (rig.window.now_calling.role, rig.window.now_calling.side) == ("now", True)
        assert rig.window.now_calling.width() > 0.9 * size[0]  # a band across the TV
        assert len(rig.window.counters.counters) == 26 and len(rig.window.agencies) == 18
        drawn = _drawn(rig)
        for _ in rig.window.pages():
            rig.window.turn_page()
            drawn += _drawn(rig)
        if distance == 10:
            assert rig.window.counters.pages() <= 3  # 65" from 12 m is near the limit: 4 pages, said in the log
    finally:
        rig.close()
    now = [d for d in drawn if d.role == "now"]
    assert now, "the current call's code was not drawn at its own size"
    for d in now:
        assert leg.mm(d.text, d.px, d.bold) >= 107 * distance / 10 - 0.05, f"{d.text!r}: {leg.mm(d.text, d.px):.1f} mm"
    for d in drawn:
        assert leg.mm(d.text, d.px, d.bold) >= leg.min_mm(d.role) - 0.05, f"{d.widget} {d.text!r}"
        assert d.advance <= d.width + 0.5 and d.px * paint.LINE <= d.height + 1, f"{d.widget} {d.text!r} is cut"
    counter = [d for d in drawn if d.widget == "NowCalling" and "LOKET" in d.text]
    assert counter and all(leg.mm(d.text, d.px) >= 4 * distance - 0.05 for d in counter)
    previous = {d.text for d in drawn if d.widget == "RecentCalls" and d.role == "call"}
    assert len(previous) >= 3, previous  # and still three previous calls at 40 mm


def test_a_tv_without_room_for_107_mm_keeps_40_mm_and_tells_staff(
        qtbot: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from display.screens import Rig, seed

    url = seed(tmp_path, display={"tv_inches": 50})  # 50" from 10 m: 107 mm and three previous calls do not fit
    rig = Rig(url, (1920, 1080))
    try:
        caplog.set_level("WARNING", logger="display")
        rig.window._warned.clear()
        rig.window._layout()
        role = rig.window.now_calling.role
        leg = rig.window.legibility()
        drawn = _drawn(rig)
    finally:
        rig.close()
    assert role == "call"
    assert "not the 107 mm asked for viewers with low vision" in caplog.text
    codes = [d for d in drawn if d.widget == "NowCalling" and "-" in d.text]
    assert codes and all(leg.mm(d.text, d.px, d.bold) >= 40 - 0.05 for d in codes)
    assert len({d.text for d in drawn if d.widget == "RecentCalls" and d.role == "call"}) >= 3


def test_a_portrait_tv_says_which_codes_cannot_be_107_mm(
        qtbot: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from display.screens import Rig, seed

    url = seed(tmp_path)
    rig = Rig(url, (1080, 1920))
    try:
        caplog.set_level("WARNING", logger="display")
        rig.window._warned.clear()
        rig.window._layout()
        assert (rig.window.now_calling.role, rig.window.now_calling.side) == ("now", False)
    finally:
        rig.close()
    assert "ticket codes as long as" in caplog.text and "drawn under 107 mm" in caplog.text


def test_the_highlight_flashes_at_most_three_times_a_second_and_the_call_stays_as_text(
        qtbot: Any, tmp_path: Path) -> None:
    from display.screens import Rig, seed

    url = seed(tmp_path, display={"highlight_seconds": 3})
    rig = Rig(url, (1920, 1080))
    try:
        call = rig.window.now_calling.call
        assert call is not None
        changes: list[tuple[float, bool]] = []
        panel = rig.window.now_calling
        original = panel.set_lit

        def recording(lit: bool) -> None:
            if lit != panel.lit:
                changes.append((time.monotonic(), lit))
            original(lit)

        panel.set_lit = recording  # type: ignore[method-assign]
        start = time.monotonic()
        rig.window.highlight(call)
        qtbot.waitUntil(lambda: not rig.window.highlighting(), timeout=6000)
        elapsed = time.monotonic() - start
        flashes = sum(1 for _, lit in changes if lit)
        assert flashes >= 2  # it does flash
        assert flashes / elapsed <= 3.0, f"{flashes} flashes in {elapsed:.1f} s"
        gaps = [b - a for (a, _), (b, _) in zip(changes, changes[1:])]
        assert min(gaps) >= 1 / 6 - 0.02  # no phase shorter than a sixth of a second
        assert rig.window.now_calling.call is call  # after the highlight the call is still shown as text
    finally:
        rig.close()


def test_a_counter_name_too_long_for_the_band_is_neither_cut_nor_shrunk(qtbot: Any, tmp_path: Path) -> None:
    """A call from a counter whose name the layout did not plan for (renamed since): stacked, still legible."""
    from dataclasses import replace

    from display import paint
    from display.screens import Rig, seed
    from display.state import CallsUpdate

    rig = Rig(seed(tmp_path), (1920, 1080))
    try:
        window = rig.window
        leg = window.legibility()
        assert window.now_calling.side
        for name in ("Loket Prioritas Lansia 12", "Loket Pelayanan Prioritas Lansia dan Disabilitas Nomor 12"):
            call = replace(window.now_calling.call, event_id=99_000 + len(name), ticket_id=99_000 + len(name),
                           counter_name=name)
            window.show_calls(CallsUpdate((call,), (), window.counters.counters), highlight=False)
            assert window.now_calling.call == call
            drawn = [d for d in _drawn(rig) if d.widget == "NowCalling"]
            assert any(d.text == call.code for d in drawn)
            assert any(d.role == "call" and d.text != call.code for d in drawn)  # the counter, in some form
            for d in drawn:
                assert leg.mm(d.text, d.px, d.bold) >= leg.min_mm(d.role) - 0.05, d
                assert d.advance <= d.width + 0.5 and d.px * paint.LINE <= d.height + 1, d
    finally:
        rig.close()
