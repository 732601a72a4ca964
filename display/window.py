"""The lobby display's window: panels placed by proportion, landscape or portrait, at any resolution."""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from db.catalog import AgencyView, CallView, VenueView
from db.views import ServiceQueue
from display import paint
from display.chrome import Banner, Header, Ticker
from display.media import MediaPanel
from display.paint import Legibility
from display.panels import CounterBoard, NowCalling, RecentCalls, WaitingBoard
from display.settings import DisplaySettings, Filter
from display.state import CallsUpdate

log = logging.getLogger(__name__)
BLINK_MS = 500


class DisplayWindow(QWidget):
    """Header, now calling, previous calls, a paged area (counters, waiting, media), running text, offline banner.

    Sizes come from the TV's legibility (its pixel pitch and the viewing distance), not from
    proportions of the screen: what cannot be legible is left out or paged, never shrunk.
    """

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
        self._recent: tuple[CallView, ...] = ()
        self._voice_call: CallView | None = None  # the call being spoken (shown large until the voice is idle)
        self._page: tuple[str, int] | None = None
        self._page_timer = QTimer(self)
        self._page_timer.setInterval(round(self.settings.page_seconds * 1000))
        self._page_timer.timeout.connect(self.turn_page)
        self._warned: set[tuple[int, int, str]] = set()
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
        self._page_timer.setInterval(round(settings.page_seconds * 1000))
        self._layout()
        self.update()

    def colors(self) -> dict[str, str]:
        return {code: a.color for code, a in self.agencies.items()}

    def show_calls(self, update: CallsUpdate, *, highlight: bool = True) -> None:
        """New counters and latest calls; with `highlight` the newest new call blinks (no voice drives it)."""
        self._recent = update.recent
        self.counters.set_counters(update.counters, self.colors())
        self._show_now()
        self._update_pager()
        if highlight and update.new:
            self.highlight(update.new[-1])

    def speak(self, call: CallView) -> None:
        """The voice is saying this call: it is the one shown large and highlighted, the rest stay listed."""
        self._voice_call = call
        self._show_now()
        self.highlight(call)

    def voice_idle(self) -> None:
        """Nothing left to say: the latest call is the one shown large."""
        if self._voice_call is not None:
            self._voice_call = None
            self._show_now()

    def _show_now(self) -> None:
        recent = self._recent
        now = self._voice_call or (recent[0] if recent else None)
        color = self.agencies[now.agency].color if now and now.agency in self.agencies else None
        self.now_calling.set_call(now, color)
        rest = tuple(c for c in recent if now is None or c.ticket_id != now.ticket_id)
        # While the voice is behind, calls made after the one being said are still to come: marked.
        self.recent.upcoming = frozenset(c.event_id for c in rest if self._voice_call is not None
                                         and c.event_id > self._voice_call.event_id)
        self.recent.set_calls(rest, self.settings.last_calls or 1)

    def show_queues(self, queues: tuple[ServiceQueue, ...]) -> None:
        self.waiting.set_queues(queues, self.agencies)
        self._update_pager()

    def highlight(self, call: CallView) -> None:
        """Blink the now-calling panel and the counter's tile (its page brought up) for the configured seconds."""
        self._lit_call = call
        self._blinks_left = max(0, round(self.settings.highlight_seconds * 1000 / BLINK_MS))
        page = self.counters.page_of(call.counter)
        if page is not None and self._blinks_left:
            self._show_page(("counters", page))
            if self._page_timer.isActive():
                self._page_timer.start()  # a full turn on this page from now
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

    # -- pages -----------------------------------------------------------------------------------
    def pages(self) -> list[tuple[str, int]]:
        """What the paged area shows in turn: counter pages, waiting pages, the media."""
        out = [("counters", i) for i in range(self.counters.pages())]
        if any(q.waiting > 0 for q in self.waiting.queues):
            out += [("waiting", i) for i in range(self.waiting.pages())]
        if self.settings.media_folder:
            out.append(("media", 0))
        return out

    def _update_pager(self) -> None:
        pages = self.pages()
        if self._page not in pages:
            self._show_page(pages[0] if pages else ("counters", 0))
        if len(pages) > 1 and not self._page_timer.isActive():
            self._page_timer.start()
        elif len(pages) <= 1:
            self._page_timer.stop()  # one page: nothing turns, nothing repaints

    def turn_page(self) -> None:
        """Show the next page of the paged area."""
        pages = self.pages()
        if not pages:
            return
        index = pages.index(self._page) + 1 if self._page in pages else 0
        self._show_page(pages[index % len(pages)])

    def _show_page(self, page: tuple[str, int]) -> None:
        self._page = page
        kind, number = page
        for name, panel in (("counters", self.counters), ("waiting", self.waiting), ("media", self.media)):
            panel.setVisible(kind == name)
        if kind == "counters":
            self.counters.set_page(number)
        elif kind == "waiting":
            self.waiting.set_page(number)

    # -- layout ----------------------------------------------------------------------------------
    def resizeEvent(self, event: object) -> None:  # noqa: N802
        self._layout()

    def legibility(self) -> Legibility:
        """Minimum letter sizes for this window taken as the whole TV."""
        s = self.settings
        return Legibility.of(self.width(), self.height(), s.tv_inches, s.viewing_distance_m)

    def _layout(self) -> None:
        w, h = self.width(), self.height()
        leg = self.legibility()
        for widget in (self.now_calling, self.counters, self.recent, self.waiting, self.header, self.ticker,
                       self.banner):
            widget.leg = leg
        caps = leg.min_px("A")
        gap = max(4, round(caps * 0.25))
        has_ticker = bool(self.ticker.text)
        self.ticker.setVisible(has_ticker)
        header_h = round(leg.min_px("a") * 1.3)
        ticker_h = round(leg.min_px("a", bold=False) * 1.35) if has_ticker else 0
        self.header.setGeometry(gap, 0, w - 2 * gap, header_h)
        if has_ticker:
            self.ticker.setGeometry(0, h - ticker_h, w, ticker_h)
        top = header_h + gap // 2
        bottom = h - ticker_h - gap
        self.banner.setGeometry(0, 0, w, header_h)
        if h > w:
            self._portrait(gap, top, w - gap, bottom)
        else:
            self._landscape(gap, top, w - gap, bottom)
        self._update_pager()
        pages = self.counters.pages() if self.counters.counters else 0
        if pages > 3:
            self._too_small(f"the {len(self.counters.counters)} counters need {pages} pages")

    def _too_small(self, what: str) -> None:
        """Tell staff (once per size) that this TV cannot show everything legibly from the configured distance."""
        key = (self.width(), self.height(), what)
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%g\" TV at %dx%d read from %g m: %s; a bigger TV, a nearer seat or a TV per floor "
                        "(--zone) helps", self.settings.tv_inches, self.width(), self.height(),
                        self.settings.viewing_distance_m, what)

    def _recent_rows(self, room: float, now_min: float) -> int:
        """As many previous calls as leave the now-calling panel its room: at least 3, at most configured."""
        wanted = max(3, self.settings.last_calls)
        rows = 3
        for n in range(3, wanted + 1):
            if room - self.recent.height_for(n) >= now_min:
                rows = n
        return rows

    def _now_min(self, role: str = "now") -> float:
        """The now-calling panel's height for its code at `role` size ("now": ~107 mm; "call": 40 mm) and the counter."""
        now, call = self.now_calling.min_px("A-000", role), self.now_calling.min_px("A-000", "call")  # type: ignore[arg-type]
        if role == "call":  # as before issue 14: code and counter both at call size
            return self.now_calling.head_h() + call * 1.25 * 2.6 + self.now_calling.pad() * 2
        share = max(0.58, now / (now + call))  # the code's share of the panel (NowCalling.paintEvent)
        inner = max(now * 1.25 / share, call * 1.25 / (1 - share))
        return self.now_calling.head_h() + inner + self.now_calling.pad() * 2

    def _fit_now(self, room: float) -> None:
        """The current call's code at ~107 mm capitals when that leaves 3 previous calls their room, else 40 mm."""
        big = room >= self._now_min("now")
        self.now_calling.role = "now" if big else "call"
        if not big:
            leg = self.legibility()
            self._too_small(f"the current call's code is at {leg.min_mm('call'):.0f} mm capitals, not the "
                            f"{leg.min_mm('now'):.0f} mm asked for viewers with low vision")

    def _landscape(self, left: int, top: int, right: int, bottom: int) -> None:
        gap = left
        body_h = bottom - top
        split = left + round((right - left - gap) * 0.5)
        self._fit_now(body_h - gap - self.recent.height_for(3))
        rows = self._recent_rows(body_h - gap, self._now_min(self.now_calling.role))
        if body_h - gap - self.recent.height_for(rows) < self._now_min(self.now_calling.role):
            # A TV too small for its distance: the current call keeps its size, fewer previous calls.
            rows = max(1, int((body_h - gap - self._now_min("call") - self.recent.height_for(0))
                              // self.recent.row_h()))
            self._too_small(f"only {rows} previous call(s) fit at legible size")
        self.recent.fit_rows = rows
        recent_h = round(self.recent.height_for(rows))
        now_h = body_h - recent_h - gap
        self.now_calling.setGeometry(QRect(left, top, split - left, now_h))
        self.recent.setGeometry(QRect(left, top + now_h + gap, split - left, recent_h))
        paged = QRect(split + gap, top, right - split - gap, body_h)
        for panel in (self.counters, self.waiting, self.media):
            panel.setGeometry(paged)

    def _portrait(self, left: int, top: int, right: int, bottom: int) -> None:
        gap = left
        width = right - left
        body_h = bottom - top
        self._fit_now(body_h * 0.7 - self.recent.height_for(3))  # the counters keep their third
        now_h = max(round(self._now_min(self.now_calling.role)), round(body_h * 0.25))
        rows = max(3, min(self.settings.last_calls, 4))
        if body_h - now_h - self.recent.height_for(rows) < body_h * 0.3:
            rows = 3  # the counters keep a third of the screen
        self.recent.fit_rows = rows
        recent_h = round(self.recent.height_for(rows))
        self.now_calling.setGeometry(QRect(left, top, width, now_h))
        y = top + now_h + gap
        self.recent.setGeometry(QRect(left, y, width, recent_h))
        y += recent_h + gap
        paged = QRect(left, y, width, bottom - y)
        for panel in (self.counters, self.waiting, self.media):
            panel.setGeometry(paged)

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        # Escape leaves full screen (a technician at the TV with a keyboard); the app keeps running.
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]
