"""The frame around the panels: header (logo, venue, date, clock), running text, offline banner."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget

from display import paint
from display.paint import HIGHLIGHT, OFFLINE, SUB, TEXT
from display.texts import clock, en, long_date, short_date, t

LEFT = Qt.AlignmentFlag.AlignLeft
RIGHT = Qt.AlignmentFlag.AlignRight


class Header(QWidget):
    """Logo, venue name, this screen's zone, today's date and the clock (repainted once a minute)."""

    day_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.title = ""
        self.subtitle = ""
        self.warning = ""
        self.tz = ZoneInfo("Asia/Jakarta")
        self._logo: QPixmap | None = None
        self._logo_path = ""
        self._shown = ("", "")
        self.leg = paint.Legibility(1.0)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)  # cheap: only repaints when the minute or the day changes

    def set_venue(self, title: str, subtitle: str, timezone: str, logo: str) -> None:
        self.title, self.subtitle = title, subtitle
        try:
            self.tz = ZoneInfo(timezone)
        except (KeyError, ValueError):
            self.tz = ZoneInfo("Asia/Jakarta")
        if logo != self._logo_path:
            self._logo_path = logo
            pixmap = QPixmap(logo) if logo and Path(logo).is_file() else QPixmap()
            self._logo = None if pixmap.isNull() else pixmap
        self.update()

    def set_warning(self, text: str) -> None:
        if text != self.warning:
            self.warning = text
            self.update()

    def now(self) -> datetime:
        return datetime.now(UTC).astimezone(self.tz)

    def _tick(self) -> None:
        now = self.now()
        shown = (long_date(now), clock(now))
        if shown != self._shown:
            if self._shown[0] and shown[0] != self._shown[0]:
                self.day_changed.emit()
            self._shown = shown
            self.update()

    def lines(self) -> list[list[tuple[str, str]]]:
        """What the header line may say, best first, as (text, colour) pieces: the first that fits is shown."""
        zone = [(self.subtitle, HIGHLIGHT)] if self.subtitle else []
        title = [(self.title, TEXT)] if self.title else []
        date = [(self._shown[0], SUB)]
        short = [(short_date(self.now()), SUB)]
        options = [zone + title + date, zone + title, zone + date, zone + short, zone, title, date, short]
        if self.warning:
            options = [[("⚠ " + self.warning, HIGHLIGHT)] + o for o in options[1:]] + [[("⚠ " + self.warning,
                                                                                        HIGHLIGHT)]] + options
        return [o for o in options if o]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(paint.BG))
        r = QRectF(self.rect())
        h = r.height()
        now = self.now()
        self._shown = (long_date(now), clock(now))
        left = r.left()
        if self._logo is not None:
            logo = self._logo.scaledToHeight(int(h * 0.86), Qt.TransformationMode.SmoothTransformation)
            p.drawPixmap(int(left), int(r.top() + h * 0.07), logo)
            left += logo.width() + h * 0.25
        # One line, every piece at the size legible from the farthest seat: what does not fit is left out.
        px = self.leg.min_px("a")
        clock_w = paint.advance("00.00", px) * 1.04
        clock_rect = QRectF(r.right() - clock_w, r.top(), clock_w, h)
        paint.text(p, clock_rect, self._shown[1], TEXT, px=px, align=RIGHT, widget="Header")
        room = clock_rect.left() - left - px * 0.5
        sep = "  ·  "
        for pieces in self.lines():
            joined = sep.join(text for text, _ in pieces)
            size = max(px, self.leg.min_px(joined))
            if paint.fits(joined, size, room):
                x = left
                for i, (text, color) in enumerate(pieces):
                    piece = (sep if i else "") + text
                    width = paint.advance(piece, size)
                    paint.text(p, QRectF(x, r.top(), width + 1, h), piece, color, px=size, align=LEFT,
                               widget="Header")
                    x += width
                break
        p.end()


class Ticker(QWidget):
    """Running text along the bottom: a pre-drawn strip moved by a modest timer, nothing re-laid out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.text = ""
        self.speed = 110.0  # px/s at 1080 lines
        self.frames = 0
        self.leg = paint.Legibility(1.0)
        self._strip: QPixmap | None = None
        self._offset = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._step)
        self._fps = 0
        self.set_fps(0)

    def set_text(self, value: str) -> None:
        value = " ".join(value.split())
        if value != self.text:
            self.text = value
            self._strip = None
            self._offset = 0.0
            self.update()

    def set_fps(self, fps: int) -> None:
        """Frames a second; 0 picks by screen size (30, or 20 above 1200 lines)."""
        self._fps = fps
        self._apply_fps()

    def _apply_fps(self) -> None:
        fps = self._fps or (30 if (self.window().height() or 1080) <= 1200 else 20)
        self._timer.setInterval(max(15, round(1000 / fps)))

    def _px_per_second(self) -> float:
        screen_h = self.window().height() or 1080
        return self.speed * screen_h / 1080

    def showEvent(self, event: object) -> None:  # noqa: N802
        self._clock.start()
        self._timer.start()

    def hideEvent(self, event: object) -> None:  # noqa: N802
        self._timer.stop()

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        self._strip = None
        self._apply_fps()

    def _make_strip(self) -> QPixmap:
        h = self.height()
        px = self.leg.min_px(self.text, bold=False)
        f = paint.font(px, bold=False)
        unit = self.text + "     •     "
        paint.record(self.text, px, False, "other", float("inf"), "Ticker")
        width = max(1, int(QFontMetricsF(f).horizontalAdvance(unit)) + 1)
        strip = QPixmap(width, max(1, h))
        strip.fill(QColor(paint.PANEL))
        p = QPainter(strip)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.setFont(f)
        p.setPen(QColor(TEXT))
        p.drawText(QRectF(0, 0, width, h), int(LEFT | Qt.AlignmentFlag.AlignVCenter), unit)
        p.end()
        return strip

    def _step(self) -> None:
        if not self.text:
            return
        elapsed = self._clock.restart() / 1000.0
        before = int(self._offset)
        self._offset += min(elapsed, 0.2) * self._px_per_second()
        dx = int(self._offset) - before
        if dx:
            # Shift the pixels already drawn and paint only the thin strip that comes in at the
            # right: a fraction of the cost of repainting the whole line 30 times a second.
            self.scroll(-dx, 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        if not self.text:
            p.fillRect(self.rect(), QColor(paint.PANEL))
            p.end()
            return
        if self._strip is None or self._strip.height() != self.height():
            self._strip = self._make_strip()
        w = self._strip.width()
        x = -(int(self._offset) % w)
        while x < self.width():
            if x + w > event.rect().left():
                p.drawPixmap(x, 0, self._strip)
            x += w
        p.end()
        self.frames += 1


class Banner(QWidget):
    """A red strip over the top of the panels while the database cannot be reached."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.english = True
        self.leg = paint.Legibility(1.0)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect())
        p.fillRect(r, QColor(OFFLINE))
        box = r.adjusted(r.height() * 0.3, 0, -r.height() * 0.3, 0)
        options = ([f"⚠ {t('offline')} · {en('offline')}"] if self.english else []) + [
            f"⚠ {t('offline')}", f"⚠ {t('offline_short')}", t("offline_short")]
        for message in options:
            px = self.leg.min_px(message)
            if paint.fits(message, px, box.width()):
                paint.text(p, box, message, TEXT, px=px, widget="Banner")
                break
        p.end()
