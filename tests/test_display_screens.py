"""Screenshots of the lobby display at TV resolutions: rendered by display.screens, checked not blank."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from db.errors import ConfigError
from display.settings import DisplaySettings, Filter, display_settings


def test_every_screen_renders_at_its_size_and_is_not_blank(qtbot: Any, tmp_path: Path) -> None:
    from display.screens import render_all

    files = render_all(tmp_path)
    names = {p.name for p in files}
    assert {"1920x1080.png", "3840x2160.png", "portrait-1080x1920.png", "1920x1080-offline.png",
            "1920x1080-new-call.png", "1920x1080-zone-lantai-2.png", "1920x1080-media.png"} <= names
    for path in files:
        image = QImage(str(path))
        w, h = image.width(), image.height()
        expected = (3840, 2160) if "3840" in path.name else (1080, 1920) if "portrait" in path.name else (1920, 1080)
        assert (w, h) == expected, path.name
        colours = {image.pixel(x, y) for x in range(0, w, w // 64) for y in range(0, h, h // 36)}
        assert len(colours) > 8, f"{path.name} looks blank"
    offline = QImage(str(tmp_path / "display" / "1920x1080-offline.png"))
    new_call = QImage(str(tmp_path / "display" / "1920x1080-new-call.png"))
    assert offline.pixelColor(960, 20).red() > 150  # the red banner over the header
    amber = sum(new_call.pixelColor(x, y).name() == "#ffc400" for x in range(40, 900, 20) for y in range(130, 480, 20))
    assert amber > 0.5 * 43 * 18  # the now-calling panel lit amber
    assert {"1920x1080-counters-2.png", "1920x1080-waiting-1.png", "portrait-1080x1920-counters-2.png"} <= names
    assert {"1920x1080-burst.png", "3840x2160-burst.png"} <= names  # ten calls at once: the list takes the pages


def test_display_settings_defaults_and_values() -> None:
    assert display_settings(None) == DisplaySettings()
    s = display_settings({"last_calls": 8, "highlight_seconds": 5, "zones": ["Lantai 1"], "english": False})
    assert (s.last_calls, s.highlight_seconds, s.zones, s.english) == (8, 5.0, ("Lantai 1",), False)


@pytest.mark.parametrize(("section", "message"), [
    ({"last_calls": "many"}, r"\[display\]\.last_calls: must be a whole number from 0 to 20"),
    ({"highlight_seconds": -1}, r"\[display\]\.highlight_seconds"),
    ({"ticker_fps": 240}, r"\[display\]\.ticker_fps"),
    ({"zones": "Lantai 1"}, r"\[display\]\.zones: must be a list"),
    ({"media_folder": 3}, r"\[display\]\.media_folder: must be a text"),
    ({"colour": "red"}, r"\[display\]\.colour: unknown key"),
    ({"tv_inches": "55 inch"}, r"\[display\]\.tv_inches: must be a number from 15 to 150"),
    ({"viewing_distance_m": 0}, r"\[display\]\.viewing_distance_m: must be a number from 1 to 40"),
    ({"page_seconds": 1}, r"\[display\]\.page_seconds"),
])
def test_display_settings_problems_name_the_key(section: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        display_settings(section)


def test_antre_init_refuses_a_bad_tv_size_in_one_line(tmp_path: Path) -> None:
    from tests.conftest import SMALL_VENUE
    from tests.display_fixtures import antre_cli

    venue = tmp_path / "venue.toml"
    venue.write_text(SMALL_VENUE + "\n[display]\ntv_inches = 5\nviewing_distance_m = 12\n", encoding="utf-8")
    done = antre_cli("init", "--config", str(venue), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert done.returncode == 2, done.stderr
    assert "display.tv_inches" in done.stderr and "15" in done.stderr and "Traceback" not in done.stderr


def test_a_bigger_tv_or_a_nearer_seat_needs_smaller_letters_in_pixels(qtbot: Any) -> None:  # fonts need Qt
    from display.paint import Legibility

    tv55 = Legibility.of(1920, 1080, 55, 10)
    assert round(tv55.mm_per_px, 3) == 0.634
    assert abs(Legibility.of(3840, 2160, 55, 10).min_px("A") / 2 - tv55.min_px("A")) <= 1  # half the pixel
    assert Legibility.of(1920, 1080, 75, 10).min_px("A") < tv55.min_px("A")  # bigger pixels
    assert Legibility.of(1920, 1080, 55, 6).min_px("A", "call") < tv55.min_px("A", "call")
    assert tv55.min_px("a") > tv55.min_px("A")  # lower case is read by its x-height


def test_filter_is_case_blind_and_describes_itself() -> None:
    f = Filter.of(["lantai 2", " "], ["polres"])
    assert f.zones == {"lantai 2"} and f.agencies == {"POLRES"}
    assert f.describe() == "Lantai 2 · POLRES"
    assert not Filter.of()


def test_every_text_is_legible_from_the_farthest_seat_with_the_full_demo_venue(qtbot: Any, tmp_path: Path) -> None:
    """On a 55" TV read from 10 m: the current call and the last 3 calls >= 40 mm, every other text >= 25 mm.

    Letter heights come from the font metrics of each text as painted (cap height, or x-height for
    text with lower case) times the TV's pixel pitch; every page of the paged area is shown in turn,
    and each text must fit the box it was drawn in (nothing clipped).
    """
    from display import paint
    from display.screens import DEMO, Rig, seed

    url = seed(tmp_path)
    counters_in_venue = DEMO.read_text(encoding="utf-8").count("[[counters]]")
    assert counters_in_venue == 26
    for size in ((1920, 1080), (3840, 2160), (1080, 1920)):
        rig = Rig(url, size)
        try:
            leg = rig.window.legibility()
            if size[1] == 1080:
                assert abs(leg.mm_per_px - 0.634) < 0.001  # 55" 16:9 at 1080 lines
            assert leg.min_mm("call") == 40 and leg.min_mm("other") == 25
            assert leg.min_mm("now") == 107  # the current call's capitals from 10 m (issue 14)
            pages = rig.window.pages()
            assert [k for k, _ in pages].count("counters") >= 2, "26 counters cannot all be legible on one page"
            tiles: set[str] = set()
            paint.RECORD = []
            rig.window.ticker._strip = None  # drawn again, so its text is measured too
            for _ in pages:
                rig.window.turn_page()
                rig.window.repaint()
                rig.window.grab()
                tiles |= {d.text for d in paint.RECORD if d.widget == "CounterBoard"}
            drawn, paint.RECORD = paint.RECORD, None
        finally:
            paint.RECORD = None
            rig.close()
        assert drawn, "nothing was recorded"
        for d in drawn:
            mm = leg.mm(d.text, d.px, d.bold)
            assert mm >= leg.min_mm(d.role) - 0.05, f"{size} {d.widget} {d.text!r}: {mm:.1f} mm"
            assert d.advance <= d.width + 0.5, f"{size} {d.widget} {d.text!r} is cut ({d.advance:.0f} > {d.width:.0f})"
            line = d.px * paint.LINE
            assert line <= d.height + 1, f"{size} {d.widget} {d.text!r} runs over its box ({line:.0f} > {d.height:.0f})"
        calls = {d.text for d in drawn if d.role in ("now", "call") and "-" in d.text}
        assert len(calls) >= 4, f"{size}: the current call and at least 3 before it, got {calls}"
        now = [d for d in drawn if d.role == "now"]  # the current call's code at ~107 mm (issue 14)
        assert now and all(leg.mm(d.text, d.px) >= leg.min_mm("now") - 0.05 for d in now), size
        assert {str(n) for n in range(1, 27)} <= tiles, f"{size}: counters missing from the pages"
        assert any(d.widget == "Ticker" for d in drawn) and any(d.widget == "Header" for d in drawn)


def test_a_tv_too_small_for_its_distance_keeps_the_sizes_shows_less_and_says_so(
        qtbot: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from display import paint
    from display.screens import Rig, seed

    url = seed(tmp_path, display={"tv_inches": 43})  # 0.496 mm a pixel at 1080p: 40 mm is 81 px of capital
    rig = Rig(url, (1920, 1080))
    try:
        caplog.set_level("WARNING", logger="display")
        rig.window._warned.clear()
        rig.window._layout()
        leg = rig.window.legibility()
        paint.RECORD = []
        for _ in rig.window.pages():
            rig.window.turn_page()
            rig.window.repaint()
        drawn, paint.RECORD = paint.RECORD, None
    finally:
        paint.RECORD = None
        rig.close()
    assert "43\" TV at 1920x1080 read from 10 m" in caplog.text and "counters need" in caplog.text
    for d in drawn:
        assert leg.mm(d.text, d.px, d.bold) >= leg.min_mm(d.role) - 0.05, d
        assert d.advance <= d.width + 0.5 and d.px * paint.LINE <= d.height + 1, d
    assert len({d.text for d in drawn if d.role in ("now", "call") and "-" in d.text}) >= 2


def _contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""
    def lum(colour: str) -> float:
        c = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_and_background_pair_of_the_display_is_at_least_4_5_to_1() -> None:
    import tomllib

    from display import paint
    from display.screens import DEMO
    from qtkit.theme import text_on

    pairs = {  # text on background, as the panels paint them
        "text on panel": (paint.TEXT, paint.PANEL), "text on dim panel": (paint.TEXT, paint.PANEL_DIM),
        "subtitle on panel": (paint.SUB, paint.PANEL), "subtitle on dim panel": (paint.SUB, paint.PANEL_DIM),
        "closed counter": (paint.CLOSED, paint.PANEL_DIM), "highlighted call": (paint.HIGHLIGHT_INK, paint.HIGHLIGHT),
        "header text": (paint.TEXT, paint.BG), "header date": (paint.SUB, paint.BG),
        "header zone/warning": (paint.HIGHLIGHT, paint.BG), "offline banner": (paint.TEXT, paint.OFFLINE),
        "call still to be said": (paint.HIGHLIGHT, paint.PANEL),
        "call still to be said, odd row": (paint.HIGHLIGHT, paint.PANEL_DIM),
    }
    venue = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    for agency in venue["agencies"]:  # service chips on the waiting pages
        pairs[f"chip {agency['code']}"] = (text_on(agency["color"]), agency["color"])
    low = {name: round(_contrast(*pair), 2) for name, pair in pairs.items() if _contrast(*pair) < 4.5}
    assert not low, low
