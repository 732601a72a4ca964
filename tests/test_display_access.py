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


def test_the_current_call_is_107_mm_from_10_m_where_the_tv_has_room(qtbot: Any, tmp_path: Path) -> None:
    from display.screens import Rig, seed

    url = seed(tmp_path, display={"tv_inches": 65, "viewing_distance_m": 10})
    rig = Rig(url, (1920, 1080))
    try:
        leg = rig.window.legibility()
        drawn = _drawn(rig)
    finally:
        rig.close()
    now = [d for d in drawn if d.role == "now"]
    assert now, "the current call's code was not drawn at its own size"
    for d in now:
        assert leg.mm(d.text, d.px, d.bold) >= 107 - 0.05, f"{d.text!r}: {leg.mm(d.text, d.px, d.bold):.1f} mm"
        assert d.advance <= d.width + 0.5 and d.px * 1.17 <= d.height + 1, f"{d.text!r} is cut"
    previous = {d.text for d in drawn if d.role == "call" and "-" in d.text}
    assert len(previous) >= 3, previous  # and still three previous calls at 40 mm


def test_a_tv_without_room_for_107_mm_keeps_40_mm_and_tells_staff(
        qtbot: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from display.screens import Rig, seed

    url = seed(tmp_path)  # 55" at 1920x1080 from 10 m: 107 mm and three previous calls do not both fit
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
