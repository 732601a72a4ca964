"""The screenshot tool renders every console screen, and none of them is blank."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

from counter.screens import render_all


def _colours(path: Path) -> int:
    image = QImage(str(path))
    step = 7
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_every_screen_renders_and_is_not_blank(qtbot: Any, tmp_path: Path) -> None:
    paths = render_all(tmp_path)
    names = {p.name for p in paths}
    for expected in ("signin_1366x768.png", "signin_1920x1080.png", "change_pin_1366x768.png",
                     "free_1366x768.png", "free_1920x1080.png", "called_recall_suggest_1366x768.png",
                     "serving_1920x1080.png", "transfer_dialog_1366x768.png", "break_1366x768.png",
                     "offline_1366x768.png", "empty_queue_1366x768.png", "survey_ask_1280x800.png",
                     "survey_full_1280x800.png", "survey_thanks_1280x800.png"):
        assert expected in names
    for path in paths:
        image = QImage(str(path))
        width, height = (int(x) for x in path.stem.rsplit("_", 1)[1].split("x"))
        assert (image.width(), image.height()) == (width, height), path.name
        assert _colours(path) > 8, f"{path.name} looks blank"
