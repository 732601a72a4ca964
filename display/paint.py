"""Drawing helpers for a TV seen from 10 metres: dark background, big type sized to its box, no clipping.

Every panel paints itself and sizes its type from its own rectangle, so the same code fills a
1920x1080 set, a 3840x2160 set and a portrait screen without anything cut off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPixmap

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


Role = Literal["now", "call", "other"]
NOW_MM_PER_M = 10.7  # the current call's ticket code: ~107 mm capitals from 10 m (issue 14, low vision)
CALL_MM_PER_M = 4.0  # its counter and the last calls: 40 mm letters read from 10 m
OTHER_MM_PER_M = 2.5  # anything else on the screen: 25 mm from 10 m


@dataclass(frozen=True, slots=True)
class Legibility:
    """Minimum letter heights on one TV: its pixel pitch and the viewing distance decide them."""

    mm_per_px: float
    distance_m: float = 10.0

    @classmethod
    def of(cls, width_px: int, height_px: int, diagonal_inches: float, distance_m: float) -> Legibility:
        """A panel of that many pixels and that diagonal (square pixels): 55" at 1920x1080 is 0.634 mm a pixel."""
        return cls(diagonal_inches * 25.4 / math.hypot(max(1, width_px), max(1, height_px)), distance_m)

    def min_mm(self, role: Role) -> float:
        per_m = {"now": NOW_MM_PER_M, "call": CALL_MM_PER_M}.get(role, OTHER_MM_PER_M)
        return self.distance_m * per_m

    def min_px(self, text: str, role: Role = "other", bold: bool = True) -> int:
        """The smallest font pixel size at which `text` is legible for its role (letter height >= minimum)."""
        target = self.min_mm(role) / self.mm_per_px
        return math.ceil(target / letter_ratio(text, bold) - 1e-6)

    def mm(self, text: str, px: int, bold: bool = True) -> float:
        """The height of the text's letters on the TV: cap height for capitals and digits, x-height with lower case."""
        return letter_ratio(text, bold) * px * self.mm_per_px


@lru_cache(maxsize=8)
def _ratios(bold: bool) -> tuple[float, float]:
    m = QFontMetricsF(font(200, bold))
    return m.capHeight() / 200, m.xHeight() / 200


def letter_ratio(text: str, bold: bool = True) -> float:
    """Letter height per pixel size: x-height when the text has lower case (that is what the eye must read)."""
    cap, x = _ratios(bold)
    return x if any(ch.islower() for ch in text) else cap


@dataclass(frozen=True, slots=True)
class Drawn:
    """One text as painted, for the legibility and clipping checks."""

    text: str
    px: int
    bold: bool
    role: Role
    width: float  # of the box it was given
    advance: float  # of the text at that size
    widget: str
    height: float = float("inf")  # of the box it was given


RECORD: list[Drawn] | None = None  # set to a list to record every text painted (tests, screenshots)


def record(value: str, px: int, bold: bool, role: Role, width: float, widget: str = "",
           height: float = float("inf")) -> None:
    if RECORD is not None and value.strip():
        RECORD.append(Drawn(value, px, bold, role, width, QFontMetricsF(font(px, bold)).horizontalAdvance(value),
                            widget, height))


def advance(value: str, px: int, bold: bool = True) -> float:
    """The width of one line of text at that size."""
    return QFontMetricsF(font(px, bold)).horizontalAdvance(value)


def fits(value: str, px: int, width: float, bold: bool = True) -> bool:
    return advance(value, px, bold) <= width


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
         align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter, role: Role = "other", widget: str = "") -> None:
    """Draw one line, at `px` or the largest size that fits the rectangle."""
    size = px if px is not None else fit_px(value, rect.width(), rect.height(), bold)
    record(value, size, bold, role, rect.width(), widget, rect.height())
    flags = int(align | Qt.AlignmentFlag.AlignVCenter)
    if size >= CACHE_FROM_PX:
        # Qt draws glyphs this big as paths (a few ms each): draw them once into a pixmap, then copy it.
        dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        sprite = _sprite(value, size, bold, color, dpr)
        target = QRectF(0, 0, sprite.width() / dpr, sprite.height() / dpr)
        target.moveCenter(rect.center())
        if align & Qt.AlignmentFlag.AlignLeft:
            target.moveLeft(rect.left())
        elif align & Qt.AlignmentFlag.AlignRight:
            target.moveRight(rect.right())
        p.drawPixmap(round(target.left()), round(target.top()), sprite)
        return
    p.setFont(font(size, bold))
    p.setPen(QColor(color))
    p.drawText(rect, flags, value)


CACHE_FROM_PX = 64


@lru_cache(maxsize=256)
def _sprite(value: str, px: int, bold: bool, color: str, dpr: float = 1.0) -> QPixmap:
    """One line of text on a transparent pixmap as wide as its advance and as tall as the font's line."""
    f = font(px, bold)
    m = QFontMetricsF(f)
    image = QImage(max(1, math.ceil(m.horizontalAdvance(value) * dpr)), max(1, math.ceil(m.height() * dpr)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)  # sharp on a scaled (HiDPI) desktop too
    image.fill(Qt.GlobalColor.transparent)
    q = QPainter(image)
    q.setRenderHint(QPainter.RenderHint.Antialiasing)
    q.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    q.setFont(f)
    q.setPen(QColor(color))
    q.drawText(QPointF(0, m.ascent()), value)
    q.end()
    return QPixmap.fromImage(image)


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
