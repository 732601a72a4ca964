"""Every screen at the full demo venue (the same code as `python -m kiosk.screens`), checked as a citizen sees it.

On each rendered screen, in both orientations and both languages: no label's text is cut (its
text, word-wrapped where the label wraps, fits the label's contents rectangle), no text is under
the kiosk's 28 px, every touch target is at least 61 px with 8 px between targets. Every text and
background colour pair of the kiosk's theme has a contrast of at least 4.5:1.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from PIL import Image, ImageStat

from kiosk.bench import run as bench
from kiosk.screens import capture
from qtkit import theme
from tests.kiosk_fixtures import contrast, layout_problems

SCREENS = {"1-home", "2-agency", "2-agency-idle-warning", "2-agency-closed", "3-confirm", "3-confirm-priority",
           "3-confirm-fee-fixed", "3-confirm-fee-bill", "4-ticket-printing", "4-ticket-printed",
           "5-ticket-print-failed", "6-scan-requeued", "6-scan-unknown", "7-printer-problem", "8-unavailable",
           "9-staff-pin", "10-booking-entry", "10-booking-refused", "10-booking-ticket",
           "11-keypad-focus", "12-large-text-home", "12-large-text-confirm"}
ROOT = Path(__file__).resolve().parent.parent


def test_every_screen_of_the_full_demo_venue_fits_in_both_orientations_and_languages(qtbot, tmp_path):
    problems: list[str] = []
    seen: list[str] = []

    def check(window, name: str) -> None:
        seen.append(name)
        problems.extend(layout_problems(window, name))

    paths = capture(tmp_path, check=check)
    names = {p.stem for p in paths}
    for orientation, size in (("portrait", (1080, 1920)), ("landscape", (1920, 1080))):
        for lang in ("id", "en"):
            assert {f"{orientation}-{lang}-{s}" for s in SCREENS} <= names
            for screen in SCREENS:
                with Image.open(tmp_path / "kiosk" / f"{orientation}-{lang}-{screen}.png") as img:
                    assert img.size == size
                    grey = img.convert("L")
                    assert ImageStat.Stat(grey).stddev[0] > 20  # not blank: text and tiles on the page
                    assert len(grey.getcolors(256) or []) > 16
    assert len(seen) == 4 * len(SCREENS)
    assert not problems, "\n".join(problems)
    with Image.open(tmp_path / "kiosk" / "ticket-80mm-id.png") as ticket:
        assert ticket.width == 576


def test_the_layout_check_finds_cut_text_and_small_targets(qtbot):
    """The check above can fail: a label too small for its text and a tiny button are both reported."""
    from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

    from kiosk.views.common import label

    root = QWidget()
    qtbot.addWidget(root)
    col = QVBoxLayout(root)
    cut = label("Dinas Kependudukan dan Pencatatan Sipil Kota Pasirwangi", 30)
    cut.setFixedSize(200, 40)
    small = QLabel("kecil")
    small.setStyleSheet("font-size: 12px")
    tiny = QPushButton("OK")
    tiny.setFixedSize(40, 40)
    for w in (cut, small, tiny):
        col.addWidget(w)
    root.resize(600, 400)
    root.show()
    qtbot.waitExposed(root)
    found = "\n".join(layout_problems(root, "test"))
    assert "'Dinas Kependudukan" in found and "is cut" in found
    assert "'kecil' is" in found
    assert "'OK' is 40x40 px" in found


def test_every_theme_text_and_background_pair_reads_at_4_5_to_1():
    from kiosk.views.common import GREY_BG, GREY_INK, PRIORITY, TAKE

    white = "#FFFFFF"
    pairs = {
        "ink on paper": (theme.INK, theme.PAPER), "muted on paper": (theme.MUTED, theme.PAPER),
        "muted on a white card": (theme.MUTED, white), "ink on a white card": (theme.INK, white),
        "header text on accent": (white, theme.ACCENT), "accent on paper": (theme.ACCENT, theme.PAPER),
        "take button": (white, TAKE), "priority button and badge": (white, PRIORITY),
        "danger banner": (white, theme.DANGER), "warning title": (theme.WARN, theme.PAPER),
        "warning title on its card": (theme.WARN, white), "error title": (theme.DANGER, theme.PAPER),
        "message mark ok": (white, theme.OK), "message mark wait": (white, theme.MUTED),
        "message mark warn": (white, theme.WARN), "printed status": (theme.OK, "#E8F5E9"),
        "disabled button and closed tile": (GREY_INK, GREY_BG), "outline button": (theme.INK, white),
        "outline accent button": (theme.ACCENT, white), "staff note": (theme.DANGER, theme.PAPER),
    }
    venue = tomllib.loads((ROOT / "assets" / "demo-venue.toml").read_text(encoding="utf-8"))
    for agency in venue["agencies"]:
        color = agency["color"]
        pairs[f"{agency['code']} tile text"] = (theme.text_on(color), color)
        pairs[f"{agency['code']} badge on its white circle"] = (badge_ink(color), white)
    low = {name: round(contrast(fg, bg), 2) for name, (fg, bg) in pairs.items() if contrast(fg, bg) < 4.5}
    assert low == {}


def badge_ink(color: str) -> str:
    from kiosk.views.common import badge_ink as ink

    return ink(color)


def test_tap_to_printer_latency(qtbot):
    result = bench(n=25, warmup=3)
    assert result["bytes"] > 25 * 500  # every ticket reached the (network) printer
    assert result["p95"] < 1000  # loose here (shared CI machine); `python -m kiosk.bench` gives the figures
