"""Screenshots of every screen (the same code as `python -m kiosk.screens`) and the latency benchmark."""

from __future__ import annotations

from PIL import Image, ImageStat

from kiosk.bench import run as bench
from kiosk.screens import capture

SCREENS = {"1-home", "2-agency", "2-agency-closed", "3-confirm", "3-confirm-priority", "4-ticket-printing",
           "4-ticket-printed", "5-ticket-print-failed", "6-scan-requeued", "6-scan-unknown", "7-printer-problem",
           "8-unavailable", "9-staff-pin"}


def test_every_screen_in_both_orientations_and_languages(qtbot, tmp_path):
    paths = capture(tmp_path)
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
    with Image.open(tmp_path / "kiosk" / "ticket-80mm-id.png") as ticket:
        assert ticket.width == 576


def test_tap_to_printer_latency(qtbot):
    result = bench(n=25, warmup=3)
    assert result["bytes"] > 25 * 500  # every ticket reached the (network) printer
    assert result["p95"] < 1000  # loose here (shared CI machine); `python -m kiosk.bench` gives the figures
