"""Shared look: high-contrast palette, sizes in millimetres, agency colours."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QGuiApplication

INK = "#0B1F33"
PAPER = "#F4F6F8"
ACCENT = "#0D47A1"
OK = "#1B5E20"
WARN = "#753F00"
DANGER = "#9E1818"
MUTED = "#44515E"  # 7.5:1 on PAPER (issue 14: text at 7:1 where possible)
FONT_FAMILY = "DejaVu Sans"


def mm(millimetres: float) -> int:
    """Pixels for a physical length on the primary screen (touch targets are specified in mm)."""
    screen = QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen else 96.0
    if not 50 <= dpi <= 400:  # some TVs and offscreen platforms report nonsense
        dpi = 96.0
    return round(millimetres / 25.4 * dpi)


def font(points: float, *, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPointSizeF(points)
    f.setBold(bold)
    return f


def text_on(background: str) -> str:
    """Black or white, whichever reads better on the background colour."""
    c = QColor(background)
    luminance = 0.2126 * c.redF() ** 2.2 + 0.7152 * c.greenF() ** 2.2 + 0.0722 * c.blueF() ** 2.2
    return "#000000" if luminance > 0.22 else "#FFFFFF"
