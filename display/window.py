"""The lobby display's window: panels placed by proportion, landscape or portrait, at any resolution."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from db.catalog import AgencyView, CallView, VenueView
from db.views import ServiceQueue
from display import paint
from display.chrome import Banner, Header, Ticker
from display.media import MediaPanel
from display.panels import CounterBoard, NowCalling, RecentCalls, WaitingBoard
from display.settings import DisplaySettings, Filter
from display.state import CallsUpdate

BLINK_MS = 500


class DisplayWindow(QWidget):
    """Header, now calling, counters, previous calls, waiting, media, running text, offline banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Antre — Layar Panggilan")
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(paint.BG))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.settings = DisplaySettings()
        self.agencies: dict[str, AgencyView] = {}
        self.header = Header(self)
        self.now_calling = NowCalling(self)
        self.counters = CounterBoard(self)
        self.recent = RecentCalls(self)
        self.waiting = WaitingBoard(self)
        self.media = MediaPanel(self)
        self.ticker = Ticker(self)
        self.banner = Banner(self)
        self.online: bool | None = None
        self._lit_call: CallView | None = None
        self._blinks_left = 0
        self._blink = QTimer(self)
        self._blink.setInterval(BLINK_MS)
        self._blink.timeout.connect(self._on_blink)
        self._warnings: dict[str, str] = {}
        self.resize(1280, 720)

    # -- data in ---------------------------------------------------------------------------------
    def apply(self, venue: VenueView, agencies: dict[str, AgencyView], settings: DisplaySettings,
              filt: Filter) -> None:
        """Venue, agencies and [display] settings (on start and whenever the venue config changes)."""
        self.settings, self.agencies = settings, agencies
        self.header.set_venue(settings.title or venue.name, filt.describe(), venue.timezone,
                              str(venue.settings.get("logo") or ""))
        self.ticker.speed = settings.ticker_speed
        self.ticker.set_fps(settings.ticker_fps)
        self.ticker.set_text(settings.ticker or str(venue.settings.get("ticker") or ""))
        self.media.set_folder(settings.media_folder, settings.media_seconds)
        for panel in (self.now_calling, self.counters, self.recent, self.waiting, self.banner):
            panel.english = settings.english
        self._layout()
        self.update()

    def colors(self) -> dict[str, str]:
        return {code: a.color for code, a in self.agencies.items()}

    def show_calls(self, update: CallsUpdate, *, highlight: bool = True) -> None:
        """New counters and latest calls; the newest new call blinks."""
        latest = update.recent[0] if update.recent else None
        color = self.agencies[latest.agency].color if latest and latest.agency in self.agencies else None
        self.now_calling.set_call(latest, color)
        self.recent.set_calls(update.recent[1:], self.settings.last_calls or 1)
        self.counters.set_counters(update.counters, self.colors())
        if highlight and update.new:
            self.highlight(update.new[-1])

    def show_queues(self, queues: tuple[ServiceQueue, ...]) -> None:
        self.waiting.set_queues(queues, self.agencies)

    def highlight(self, call: CallView) -> None:
        """Blink the now-calling panel and the counter's tile for the configured seconds."""
        self._lit_call = call
        self._blinks_left = max(0, round(self.settings.highlight_seconds * 1000 / BLINK_MS))
        if self._blinks_left:
            self._blink.start()
            self._set_lit(True)

    def _on_blink(self) -> None:
        self._blinks_left -= 1
        if self._blinks_left <= 0:
            self._blink.stop()  # idle again: no timer runs for the highlight
            self._set_lit(False)
            return
        self._set_lit(self._blinks_left % 2 == 0)

    def _set_lit(self, lit: bool) -> None:
        self.now_calling.set_lit(lit)
        self.counters.set_lit(self._lit_call.counter if self._lit_call else None, lit)

    def clear_highlight(self) -> None:
        self._blink.stop()
        self._set_lit(False)

    def highlighting(self) -> bool:
        return self._blink.isActive()

    def set_online(self, online: bool) -> None:
        self.online = online
        self.banner.setVisible(not online)
        if not online:
            self.banner.raise_()

    def set_warning(self, source: str, text: str) -> None:
        """A problem staff should see (speech, settings); an empty text clears that source."""
        if text:
            self._warnings[source] = text
        else:
            self._warnings.pop(source, None)
        self.header.set_warning(" · ".join(self._warnings.values()))

    # -- layout ----------------------------------------------------------------------------------
    def resizeEvent(self, event: object) -> None:  # noqa: N802
        self._layout()

    def _layout(self) -> None:
        w, h = self.width(), self.height()
        gap = max(4, round(min(w, h) * 0.012))
        has_ticker = bool(self.ticker.text)
        has_media = bool(self.settings.media_folder)
        self.ticker.setVisible(has_ticker)
        self.media.setVisible(has_media)
        portrait = h > w
        unit = min(w, h)
        for panel in (self.now_calling, self.counters, self.recent, self.waiting):
            panel.heading_px = round(unit * 0.04)
        self.waiting.min_row_px = max(20, round(unit * 0.042))  # smaller rows are unreadable across the hall
        header_h = round(h * (0.07 if portrait else 0.1))
        ticker_h = round(h * (0.045 if portrait else 0.065)) if has_ticker else 0
        self.header.setGeometry(gap, gap // 2, w - 2 * gap, header_h)
        if has_ticker:
            self.ticker.setGeometry(0, h - ticker_h, w, ticker_h)
        top = header_h + gap
        bottom = h - ticker_h - gap
        self.banner.setGeometry(0, top, w, round(h * (0.045 if portrait else 0.07)))
        if portrait:
            self._portrait(gap, top, w - gap, bottom, has_media)
        else:
            self._landscape(gap, top, w - gap, bottom, has_media)

    def _landscape(self, left: int, top: int, right: int, bottom: int, media: bool) -> None:
        gap = left
        body_h = bottom - top
        split = left + round((right - left) * 0.56)
        now_h = round(body_h * 0.54)
        self.now_calling.setGeometry(QRect(left, top, split - left, now_h))
        low_top = top + now_h + gap
        low_h = bottom - low_top
        half = (split - left - gap) // 2
        self.recent.setGeometry(QRect(left, low_top, half, low_h))
        beside = QRect(left + half + gap, low_top, split - left - half - gap, low_h)
        right_x = split + gap
        if media:
            self.media.setGeometry(beside)
            counters_h = round(body_h * 0.62)
            self.counters.setGeometry(QRect(right_x, top, right - right_x, counters_h))
            self.waiting.setGeometry(QRect(right_x, top + counters_h + gap, right - right_x,
                                           body_h - counters_h - gap))
        else:
            self.waiting.setGeometry(beside)
            self.counters.setGeometry(QRect(right_x, top, right - right_x, body_h))

    def _portrait(self, left: int, top: int, right: int, bottom: int, media: bool) -> None:
        gap = left
        width = right - left
        body_h = bottom - top
        shares = [0.27, 0.33, 0.22] + ([0.18] if media else [])
        room = body_h - gap * (len(shares) - 1)
        heights = [round(room * share / sum(shares)) for share in shares]
        y = top
        self.now_calling.setGeometry(QRect(left, y, width, heights[0]))
        y += heights[0] + gap
        self.counters.setGeometry(QRect(left, y, width, heights[1]))
        y += heights[1] + gap
        half = (width - gap) // 2
        self.recent.setGeometry(QRect(left, y, half, heights[2]))
        self.waiting.setGeometry(QRect(left + half + gap, y, width - half - gap, heights[2]))
        if media:
            y += heights[2] + gap
            self.media.setGeometry(QRect(left, y, width, bottom - y))

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        # Escape leaves full screen (a technician at the TV with a keyboard); the app keeps running.
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]
