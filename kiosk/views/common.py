"""Building blocks of the kiosk screens: pixel fonts, large tiles and buttons, the header, a QR widget.

Sizes are in pixels for a 1080-pixel short side (1080x1920 or 1920x1080) read from one metre:
body text at least 28 px, every touch target at least 15 mm (qtkit.theme.mm) and in practice
much larger.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QSizePolicy, QWidget

from db.kiosk_speech import spoken_text
from qtkit import theme

BODY = 30
SMALL = 28
MIN_PX = 28  # no text a citizen reads is smaller than this (1 m from a 1080-pixel-high screen)
TILE_TITLE = 36
TILE_PAD = 14  # above and below a tile's text
LINE_GAP = 6
TITLE = 52
GREY_BG = "#D3D8DE"
GREY_INK = "#2E3B47"
TAKE = "#1B5E20"
PRIORITY = "#4A148C"
MIN_TOUCH_MM = 15
LARGE_TEXT = 1.5  # the large-text toggle (issue 14: at least 150 %)
LARGE_CAP = 66  # px: large text stops growing there (2.2 times the 30 px body text)
_SCALE = {"text": 1.0}


def text_scale() -> float:
    """The screens' text size factor: 1.0, or LARGE_TEXT while a citizen has large text on."""
    return _SCALE["text"]


def set_text_scale(scale: float, *roots: QWidget) -> None:
    """Scale the text of every label and button under `roots` (from the size each was made with)."""
    _SCALE["text"] = scale
    for root in roots:
        for w in root.findChildren(QWidget):
            base = w.property("base_px")
            # A fixed-size mark (the message screen's circle) keeps its size: it is a symbol, not text.
            # So do an on-screen pad's one-character keys: they are sized to their grid.
            key = isinstance(w, QAbstractButton) and len(w.text()) <= 1
            if base and w.minimumSize() != w.maximumSize() and not key:
                w.setFont(px_font(int(base), w.font().bold()))


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def lum(c: QColor) -> float:
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (c.redF(), c.greenF(), c.blueF())]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(QColor(fg)), lum(QColor(bg))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def tile_color(color: str, target: float = 7.0) -> str:
    """The agency colour as a tile's background: darkened (white text) or lightened (black text) to `target`:1."""
    c = QColor(color)
    for _ in range(40):
        ink = theme.text_on(c.name())
        if contrast(ink, c.name()) >= target:
            break
        c = c.darker(106) if ink == "#FFFFFF" else c.lighter(104)
    return c.name()


def badge_ink(color: str) -> str:
    """The agency colour for the mark in a tile's white circle, or ink where that colour is too light."""
    return color if contrast(color, "#FFFFFF") >= 4.5 else theme.INK


def px_font(px: int, bold: bool = False, *, scaled: bool = True) -> QFont:
    """The house font at a pixel size (pixels, not points: the kiosk is specified in pixels), times the text scale."""
    f = QFont(theme.FONT_FAMILY)
    # Large text grows body text by half; headings already over 44 px grow only up to LARGE_CAP.
    size = round(min(px * _SCALE["text"], max(px, LARGE_CAP))) if scaled else px
    f.setPixelSize(size)
    f.setBold(bold)
    return f


def touch(px: int) -> int:
    """At least `px`, and never below the 15 mm minimum touch size."""
    return max(px, theme.mm(MIN_TOUCH_MM))


def label(text: str = "", px: int = BODY, *, bold: bool = False, color: str = theme.INK,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, wrap: bool = True) -> QLabel:
    w = QLabel(text)
    w.setFont(px_font(px, bold))
    w.setProperty("base_px", px)
    w.setStyleSheet(f"color: {color}; background: transparent;")
    w.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    w.setWordWrap(wrap)
    return w


class KioskButton(QPushButton):
    """A push button whose accessible name follows its text, without arrows and marks (screen readers, audio mode)."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setAccessibleName(spoken_text(text))


def button(text: str, color: str, px: int = 36, height: int = 120, *, outline: bool = False) -> QPushButton:
    """A large flat button; `outline` draws a light one for secondary actions (Back, Cancel)."""
    b = KioskButton(text)
    b.setAccessibleName(spoken_text(text))
    b.setFont(px_font(px, True))
    b.setProperty("base_px", px)
    b.setMinimumHeight(touch(height))
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    fg, bg = (color, "#FFFFFF") if outline else (theme.text_on(color), color)
    border = f"4px solid {color}"
    b.setStyleSheet(
        f"QPushButton {{ color: {fg}; background: {bg}; border: {border}; border-radius: 18px; padding: 8px 24px; }}"
        f"QPushButton:pressed {{ background: {QColor(bg).darker(130).name()}; }}"
        f"QPushButton:disabled {{ color: {GREY_INK}; background: {GREY_BG}; border-color: {GREY_BG}; }}"
    )
    return b


_NEEDED: dict[tuple, int] = {}


class Tile(QAbstractButton):
    """A big touch tile: a coloured card with a badge, a bold title and a few lines under it."""

    def __init__(self, color: str = theme.ACCENT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.color = color
        self.title = ""
        self.lines: list[str] = []
        self.badge = ""
        self.note = ""  # why a disabled tile cannot be chosen
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(touch(120))

    def set_content(self, title: str, lines: list[str], *, badge: str = "", note: str = "",
                    enabled: bool = True) -> None:
        self.title, self.lines, self.badge, self.note = title, lines, badge, note
        self.setEnabled(enabled)
        self.setAccessibleName(title)
        # What a screen reader says after the name: the figures and, when greyed out, why.
        self.setAccessibleDescription(". ".join([*lines, *([note] if note and not enabled else [])]))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, 180)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(3, 3, -3, -3)
        # The venue's colour, as near as 7:1 text contrast allows (issue 14: 7:1 where possible).
        bg = QColor(tile_color(self.color) if self.isEnabled() else GREY_BG)
        if self.isDown():
            bg = bg.darker(125)
        ink = QColor(theme.text_on(bg.name()) if self.isEnabled() else GREY_INK)
        path = QPainterPath()
        path.addRoundedRect(r, 22, 22)
        p.fillPath(path, bg)
        x = r.left() + 28
        if self.badge:
            d = self._badge_side(r.height())
            circle = QRectF(x, r.center().y() - d / 2, d, d)
            p.setBrush(QColor(255, 255, 255, 235) if self.isEnabled() else QColor("#FFFFFF"))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawEllipse(circle)
            p.setPen(QPen(QColor(badge_ink(tile_color(self.color)) if self.isEnabled() else GREY_INK)))
            p.setFont(fit_font(self.badge, int(d * 0.42), int(d * 0.78), minimum=12, step=2))
            p.drawText(circle, Qt.AlignmentFlag.AlignCenter, self.badge)
        self._paint_text(p, self.text_rect(), ink)
        p.end()

    def _badge_side(self, height: float) -> float:
        return min(height - 40, 110.0)

    def text_rect(self, width: int | None = None, height: int | None = None) -> QRectF:
        """Where the texts go (beside the badge) in a tile of this size (default: its current size)."""
        w, h = width or self.width(), height or self.height()
        r = QRectF(0, 0, w, h).adjusted(3, 3, -3, -3)
        x = r.left() + 28
        if self.badge:
            x += self._badge_side(r.height()) + 28
        return QRectF(x, r.top() + TILE_PAD, r.right() - x - 24, r.height() - 2 * TILE_PAD)

    def _parts(self, title_px: int) -> list[tuple[str, QFont]]:
        parts: list[tuple[str, QFont]] = [(self.title, px_font(title_px, True))]
        parts += [(line, px_font(SMALL)) for line in self.lines if line]
        if self.note and not self.isEnabled():
            parts.append((self.note, px_font(SMALL, True)))
        return parts

    @staticmethod
    def _heights(parts: list[tuple[str, QFont]], width: float) -> tuple[list[int], int]:
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        heights, widest = [], 0
        for text, f in parts:
            box = QFontMetrics(f).boundingRect(0, 0, int(width), 100_000, flags, text)
            heights.append(box.height())
            widest = max(widest, box.width())
        return heights, widest

    def layout_text(self, rect: QRectF) -> tuple[list[tuple[str, QFont]], list[int], bool]:
        """The texts with the largest title size (36 down to MIN_PX) that fits; `fits` False if none does."""
        title_px = TILE_TITLE
        while True:
            parts = self._parts(title_px)
            heights, widest = self._heights(parts, rect.width())
            fits = sum(heights) + LINE_GAP * (len(parts) - 1) <= rect.height() and widest <= rect.width()
            if fits or title_px <= MIN_PX:
                return parts, heights, fits
            title_px -= 2

    def fits(self) -> bool:
        """Whether every text of the tile shows whole at MIN_PX or larger (checked by the tests)."""
        return self.layout_text(self.text_rect())[2]

    def needed_height(self, width: int) -> int:
        """The smallest tile height (at this width) whose texts fit at the smallest allowed size."""
        key = (width, self.title, tuple(self.lines), self.note, self.isEnabled(), self.badge, _SCALE["text"])
        if key not in _NEEDED:
            _NEEDED[key] = next((h for h in range(120, 800, 10) if self.layout_text(self.text_rect(width, h))[2]),
                                800)
            if len(_NEEDED) > 4096:  # queue figures change the lines: keep the cache small
                _NEEDED.clear()
        return _NEEDED[key]

    def _paint_text(self, p: QPainter, rect: QRectF, ink: QColor) -> None:
        parts, heights, _fits = self.layout_text(rect)
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        y = rect.top() + max(0.0, (rect.height() - sum(heights) - LINE_GAP * (len(parts) - 1)) / 2)
        p.setPen(ink)
        for (text, f), h in zip(parts, heights, strict=True):
            p.setFont(f)
            p.drawText(QRectF(rect.left(), y, rect.width(), h), flags, text)
            y += h + LINE_GAP


class QrWidget(QWidget):
    """A QR code drawn crisp at any size (for the on-screen ticket a citizen can photograph)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: list[list[bool]] = []
        self.setMinimumSize(200, 200)

    def set_data(self, data: str) -> None:
        code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(data)
        code.make(fit=True)
        self.matrix = code.get_matrix()
        self.setToolTip(data)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        side = min(self.width(), self.height())
        p.fillRect(self.rect(), QColor("#FFFFFF"))
        if not self.matrix:
            p.end()
            return
        n = len(self.matrix)
        cell = side // n
        ox, oy = (self.width() - cell * n) // 2, (self.height() - cell * n) // 2
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    p.fillRect(ox + x * cell, oy + y * cell, cell, cell, QColor("#000000"))
        p.end()


class ImageView(QWidget):
    """An image drawn as large as the widget allows, keeping its proportions (the printed-ticket preview)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtGui import QImage

        self.image = QImage()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(1, 1)

    def set_image(self, image: object) -> None:
        self.image = image  # type: ignore[assignment]
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self.image.isNull():
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x, y = (self.width() - size.width()) // 2, (self.height() - size.height()) // 2
        p.fillRect(x + 6, y + 6, size.width(), size.height(), QColor(0, 0, 0, 40))  # a soft shadow: paper
        p.drawImage(QRectF(x, y, size.width(), size.height()), self.image)
        p.end()


def fit_font(text: str, px: int, width: int, *, bold: bool = True, minimum: int = 40, step: int = 8,
             scaled: bool = True) -> QFont:
    """The largest font up to `px` that shows `text` on one line within `width` pixels."""
    f = px_font(px, bold, scaled=scaled)
    while px > minimum and QFontMetrics(f).horizontalAdvance(text) > width:
        px -= step
        f = px_font(px, bold, scaled=scaled)
    return f


class Header(QWidget):
    """Venue name and logo, date and clock, the language toggle; the logo corner hides the staff gesture.

    Portrait puts the clock and the language button on a second row so the venue name has room.
    """

    lang_clicked = Signal()
    large_clicked = Signal()
    corner_tapped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QGridLayout, QVBoxLayout

        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#header {{ background: {theme.ACCENT}; }}")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(28, 16, 28, 16)
        self.grid.setHorizontalSpacing(28)
        self.grid.setVerticalSpacing(10)
        self.logo = QLabel()
        self.logo.setFixedSize(130, 130)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setStyleSheet("background: #FFFFFF; border-radius: 16px;")
        self.logo.mousePressEvent = lambda _e: self.corner_tapped.emit()  # type: ignore[method-assign]
        self.names = QWidget()
        names = QVBoxLayout(self.names)
        names.setContentsMargins(0, 0, 0, 0)
        names.setSpacing(2)
        self.venue = label("", 40, bold=True, color="#FFFFFF")
        self.address = label("", SMALL, color="#FFFFFF")
        names.addWidget(self.venue)
        names.addWidget(self.address)
        self.clock = QWidget()
        clock = QVBoxLayout(self.clock)
        clock.setContentsMargins(0, 0, 0, 0)
        clock.setSpacing(0)
        self.time = label("", 52, bold=True, color="#FFFFFF", wrap=False)
        self.date = label("", SMALL, color="#FFFFFF", wrap=False)
        for w in (self.time, self.date):
            w.setMinimumHeight(w.fontMetrics().height())  # a longer date (English) never squeezes the line
        clock.addWidget(self.time)
        clock.addWidget(self.date)
        self.lang = button("English", "#FFFFFF", 30, 100)
        self.lang.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.lang.setFixedHeight(touch(96))
        self.lang.clicked.connect(self.lang_clicked)
        # The header keeps its size (it has fixed rows): large text is for the screens under it.
        self.large = button("Aa", "#FFFFFF", 30, 100)
        self.large.setProperty("base_px", None)
        self.large.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.large.setFixedHeight(touch(96))
        self.large.setCheckable(True)
        self.large.clicked.connect(self.large_clicked)
        self.wide: bool | None = None
        self.set_wide(False)
        self.names.installEventFilter(self)  # the venue name is fitted to the width its column really gets

    def set_wide(self, wide: bool) -> None:
        """One row (landscape) or two (portrait)."""
        if wide == self.wide:
            return
        self.wide = wide
        for w in (self.logo, self.names, self.clock, self.large, self.lang):
            self.grid.removeWidget(w)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for col in range(5):
            self.grid.setColumnStretch(col, 0)
        if wide:
            self.grid.addWidget(self.logo, 0, 0)
            self.grid.addWidget(self.names, 0, 1)
            self.grid.addWidget(self.clock, 0, 2, right)
            self.grid.addWidget(self.large, 0, 3, right)
            self.grid.addWidget(self.lang, 0, 4, right)
            self.grid.setColumnStretch(1, 1)
            self.setFixedHeight(170)
        else:
            self.grid.addWidget(self.logo, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
            # The large-text toggle beside the venue name: the second row is full with a long English date.
            self.grid.addWidget(self.names, 0, 1, 1, 2)
            self.grid.addWidget(self.large, 0, 3, right)
            self.grid.addWidget(self.clock, 1, 1)
            self.grid.addWidget(self.lang, 1, 2, 1, 2, right)
            self.grid.setColumnStretch(1, 1)
            self.setFixedHeight(250)
        for w in (self.time, self.date):
            w.setAlignment((Qt.AlignmentFlag.AlignRight if wide else Qt.AlignmentFlag.AlignLeft)
                           | Qt.AlignmentFlag.AlignVCenter)

    def set_venue(self, name: str, address: str, logo_path: str = "") -> None:
        from PySide6.QtGui import QPixmap

        self.venue.setText(name)
        self._fit_venue()
        self.address.setText(address)
        self.address.setVisible(bool(address))
        pix = QPixmap(logo_path) if logo_path else QPixmap()
        if not pix.isNull():
            self.logo.setPixmap(pix.scaled(118, 118, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo.setFont(px_font(44, True, scaled=False))
            self.logo.setStyleSheet(f"background: #FFFFFF; color: {theme.ACCENT}; border-radius: 16px;")
            self.logo.setText("MPP")

    def _fit_venue(self) -> None:
        # A long venue name gets a smaller font (never under MIN_PX) rather than a cut second line.
        width = self.names.width() if self.names.width() > 100 else 700
        self.venue.setFont(fit_font(self.venue.text(), 40, width, minimum=MIN_PX, step=2, scaled=False))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_venue()

    def eventFilter(self, obj: object, event: object) -> bool:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent

        if obj is self.names and event.type() == QEvent.Type.Resize:  # type: ignore[attr-defined]
            self._fit_venue()
        return False

    def set_large_button(self, text: str, on: bool) -> None:
        """The large-text toggle: 'Aa+' off, 'Aa-' on; its name says what it does."""
        self.large.setText("Aa−" if on else "Aa+")
        self.large.setChecked(on)
        self.large.setAccessibleName(text)
        self.large.setFixedWidth(QFontMetrics(self.large.font()).horizontalAdvance("Aa+") + 80)

    def set_lang_button(self, text: str) -> None:
        self.lang.setText(text)
        self.lang.setFixedWidth(QFontMetrics(self.lang.font()).horizontalAdvance(text) + 80)
