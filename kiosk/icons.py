"""Pictograms for the priority categories: built-in ones drawn from SVG, or a venue's own image file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

# Simple solid pictograms on a 100x100 canvas, filled with {c} (white on the purple buttons).
_SVG = {
    "elderly": """<circle cx="44" cy="14" r="10" fill="{c}"/>
        <path d="M34 30 h18 l10 30 h-8 l-4 -12 v46 h-9 v-30 h-4 v30 h-9 v-40 l-6 14 h-7 z" fill="{c}"/>
        <rect x="66" y="48" width="5" height="48" rx="2" fill="{c}"/>
        <path d="M58 50 q8 -8 12 0" stroke="{c}" stroke-width="5" fill="none"/>""",
    "wheelchair": """<circle cx="40" cy="13" r="9" fill="{c}"/>
        <path d="M34 26 h10 v22 h22 l10 26 l8 -3 l3 7 l-15 6 l-10 -25 h-28 z" fill="{c}"/>
        <path d="M28 44 a24 24 0 1 0 34 30" stroke="{c}" stroke-width="7" fill="none"/>""",
    "pregnant": """<circle cx="46" cy="13" r="10" fill="{c}"/>
        <path d="M38 28 h14 q20 10 16 32 q-4 10 -14 10 v26 h-9 v-26 h-4 v26 h-9 v-44 l-6 16 h-7 z" fill="{c}"/>""",
    "child": """<circle cx="34" cy="12" r="9" fill="{c}"/>
        <path d="M24 26 h20 l8 28 h-7 l-3 -10 v52 h-8 v-30 h-3 v30 h-8 v-52 l-4 10 h-7 z" fill="{c}"/>
        <circle cx="72" cy="46" r="7" fill="{c}"/>
        <path d="M64 57 h16 l5 20 h-6 l-2 -6 v25 h-6 v-14 h-2 v14 h-6 v-25 l-2 6 h-6 z" fill="{c}"/>""",
}


def svg(name: str, color: str) -> bytes | None:
    """The built-in pictogram `name` as SVG in `color`, or None when there is no such icon."""
    body = _SVG.get(name)
    if body is None:
        return None
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{body.replace("{c}", color)}'
            "</svg>").encode()


@lru_cache(maxsize=64)
def image_for(icon: str, color: str, size: int = 128) -> QImage:
    """The icon drawn at `size` px: a built-in name, an image file, or a null image when neither."""
    data = svg(icon, color)
    if data is not None:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        QSvgRenderer(QByteArray(data)).render(painter, QRectF(0, 0, size, size))
        painter.end()
        return image
    if icon and Path(icon).is_file():
        loaded = QImage(icon)
        if not loaded.isNull():
            return loaded.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
    return QImage()


def icon_for(icon: str, color: str) -> QIcon:
    """A QIcon for a button (empty when the category has no usable icon)."""
    image = image_for(icon, color)
    return QIcon(QPixmap.fromImage(image)) if not image.isNull() else QIcon()
