"""Drawing helpers for a TV seen from 10 metres: dark background, big type sized to its box, no clipping.

Every panel paints itself and sizes its type from its own rectangle, so the same code fills a
1920x1080 set, a 3840x2160 set and a portrait screen without anything cut off.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from qtkit import theme

BG = "#071727"  # darker than theme.INK: less glare in a bright hall, more contrast for the amber
PANEL = "#10304F"
PANEL_DIM = "#0C2238"
TEXT = "#FFFFFF"
SUB = "#C3D2E0"  # subtitles: 9:1 on PANEL
CLOSED = "#8597A8"
HIGHLIGHT = "#FFC400"  # amber: the "look here" colour, with INK text
HIGHLIGHT_INK = theme.INK
OFFLINE = theme.DANGER
LINE = 1.17  # DejaVu Sans line height per pixel size
FAMILY = theme.FONT_FAMILY


@lru_cache(maxsize=4096)
def fit_px(text: str, width: float, height: float, bold: bool = True) -> int:
    """The largest pixel size at which `text` fits in one line of width x height."""
    px = max(6, int(height / LINE))
    if not text:
        return px
    f = QFont(FAMILY)
    f.setBold(bold)
    f.setPixelSize(px)
    advance = QFontMetricsF(f).horizontalAdvance(text)
    while advance > width and px > 6:
        px = max(6, min(px - 1, int(px * width / advance)))
        f.setPixelSize(px)
        advance = QFontMetricsF(f).horizontalAdvance(text)
    return px


def common_px(texts: list[str], width: float, height: float, bold: bool = True) -> int:
    """One size for a set of texts (a column of codes): the largest at which all of them fit."""
    return min((fit_px(s, width, height, bold) for s in texts), default=max(6, int(height / LINE)))


def font(px: int, bold: bool = True) -> QFont:
    f = QFont(FAMILY)
    f.setBold(bold)
    f.setPixelSize(max(6, px))
    return f


def text(p: QPainter, rect: QRectF, value: str, color: str, *, px: int | None = None, bold: bool = True,
         align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> None:
    """Draw one line, at `px` or the largest size that fits the rectangle."""
    size = px if px is not None else fit_px(value, rect.width(), rect.height(), bold)
    p.setFont(font(size, bold))
    p.setPen(QColor(color))
    p.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), value)


def card(p: QPainter, rect: QRectF, color: str, radius: float) -> None:
    """A filled rounded rectangle."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(color))
    p.drawRoundedRect(rect, radius, radius)


def title(p: QPainter, rect: QRectF, main: str, sub: str, *, color: str = TEXT, sub_color: str = SUB,
          english: bool = True, px: int | None = None) -> None:
    """A panel heading: Indonesian in bold capitals, then the English subtitle, smaller, if it fits."""
    size = min(px or 10_000, fit_px(main, rect.width(), rect.height()))
    big = QFontMetricsF(font(size))
    baseline = rect.center().y() + (big.ascent() - big.descent()) / 2
    p.setFont(font(size))
    p.setPen(QColor(color))
    p.drawText(QPointF(rect.left(), baseline), main)
    if not (english and sub):
        return
    sub_font = font(int(size * 0.7), False)
    x = rect.left() + big.horizontalAdvance(main) + size * 0.5
    if x + QFontMetricsF(sub_font).horizontalAdvance(sub) <= rect.right():
        p.setFont(sub_font)
        p.setPen(QColor(sub_color))
        p.drawText(QPointF(x, baseline), sub)


def elide(value: str, px: int, width: float, bold: bool = False) -> str:
    """The text cut with '…' to fit the width at that size."""
    return QFontMetricsF(font(px, bold)).elidedText(value, Qt.TextElideMode.ElideRight, width)


def inset(rect: QRectF, fraction: float) -> QRectF:
    """The rectangle shrunk on every side by a fraction of its smaller side."""
    d = min(rect.width(), rect.height()) * fraction
    return rect.adjusted(d, d, -d, -d)
