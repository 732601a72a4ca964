"""The lobby display's window: panels placed by proportion, landscape or portrait, at any resolution."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from db.catalog import AgencyView, CallView, VenueView
from db.views import ServiceQueue
from display import layout, paint
from display.calls import NowCalling, RecentCalls
from display.chrome import Banner, Header, Ticker
from display.media import MediaPanel
from display.onscreen import OnScreen
from display.paint import Legibility
from display.panels import CounterBoard, WaitingBoard
from display.settings import DisplaySettings, Filter
from display.state import CallsUpdate

log = logging.getLogger(__name__)
BLINK_MS = 500


class DisplayWindow(QWidget):
    """Header, now calling, previous calls, a paged area (counters, waiting, media), running text, offline banner.

    Sizes come from the TV's legibility (its pixel pitch and the viewing distance), not from
    proportions of the screen: what cannot be legible is left out or paged, never shrunk.
    Every call stays on screen as text for at least 10 s (display.onscreen); during a burst the
    previous calls take the paged area too. `clock` (monotonic seconds) is injectable for tests.
    """

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
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
        self.onscreen = OnScreen(clock)
        self._age_timer = QTimer(self)  # wakes when a call shown has had its 10 s
        self._age_timer.setSingleShot(True)
        self._age_timer.timeout.connect(self.tick)
        self._burst = False  # more calls younger than 10 s than the usual rows: the list takes the paged area
        self._plan: layout.Plan | None = None  # where the panels go (display.layout)
        self._counter_names: tuple[str, ...] = ()
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
        self.counters.set_counters(update.counters, self.colors())
        names = tuple(c.name for c in update.counters)
        if names != self._counter_names:  # the layout plans for the longest counter name
            self._counter_names = names
            self._layout()
        self.onscreen.add(update.new)
        self.onscreen.settle(update.recent)
        self._show_now()
        self._update_pager()
        if highlight and update.new:
            self.highlight(update.new[-1])

    def speak(self, call: CallView) -> None:
        """The voice is saying this call: it is the one shown large and highlighted, the rest stay listed."""
        self._voice_call = call
        self.onscreen.bring(call)
        self._show_now()
        self.highlight(call)

    def voice_idle(self) -> None:
        """Nothing left to say: the latest call is the one shown large."""
        self.onscreen.pinned = None
        if self._voice_call is not None:
            self._voice_call = None
            self.onscreen.tidy()
            self._show_now()

    def tick(self) -> None:
        """A call shown has had its 10 s: it may leave, a call waiting for room may come in."""
        self.onscreen.tidy()
        self._show_now()

    def _show_now(self) -> None:
        shown = self.onscreen.calls()
        voice = self._voice_call
        now = next((c for c in shown if voice is not None and c.ticket_id == voice.ticket_id), None)
        now = now or (shown[0] if shown else None)
        color = self.agencies[now.agency].color if now and now.agency in self.agencies else None
        self.now_calling.set_call(now, color)
        rest = tuple(c for c in shown if now is None or c.ticket_id != now.ticket_id)
        # While the voice is behind, calls made after the one being said are still to come: marked.
        self.recent.upcoming = frozenset(c.event_id for c in rest if voice is not None
                                         and c.event_id > voice.event_id)
        self._set_burst(len(rest) > self.onscreen.keep - 1)
        self.recent.to_come = len(self.onscreen.waiting())
        self.recent.set_calls(rest, self.settings.last_calls or 1)
        wait = self.onscreen.next_change()
        if wait is None:
            self._age_timer.stop()  # nothing young on screen: no timer runs
        else:
            self._age_timer.start(math.ceil(wait * 1000) + 20)

    def _set_burst(self, burst: bool) -> None:
        """Give the previous calls the paged area too (a burst), or give it back."""
        if burst == self._burst:
            return
        self._burst = burst
        self._place_recent()
        if self._page is not None:
            self._show_page(self._page)
        self._update_pager()

    def _place_recent(self) -> None:
        plan = self._plan
        if plan is None:
            return
        self.recent.setGeometry(plan.burst if self._burst else plan.recent)
        self.recent.fit_rows, self.recent.cols = ((plan.burst_rows, plan.burst_cols) if self._burst
                                                  else (self.onscreen.keep - 1, 1))
        self.recent.raise_()
        self.banner.raise_()

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
        if self._burst:
            self._page_timer.stop()  # the paged area shows the calls until the burst is over
            return
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
            panel.setVisible(kind == name and not self._burst)
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
        codes, names = layout.worst_case([f"{s.code}-000" for a in self.agencies.values() for s in a.services],
                                         list(self._counter_names))
        area = QRect(gap, top, w - 2 * gap, bottom - top)
        if h > w:
            plan = layout.portrait(self.now_calling, self.recent, leg, area, gap, codes, names,
                                   self.settings.last_calls)
        else:
            plan = layout.landscape(self.now_calling, self.recent, leg, area, gap, codes, names)
        self._apply(plan)
        self.onscreen.tidy()
        self._show_now()
        self._update_pager()
        pages = self.counters.pages() if self.counters.counters else 0
        if pages > 3:
            self._too_small(f"the {len(self.counters.counters)} counters need {pages} pages")

    def _apply(self, plan: layout.Plan) -> None:
        self._plan = plan
        self.now_calling.role, self.now_calling.side = plan.role, plan.side
        self.now_calling.setGeometry(plan.now)
        for panel in (self.counters, self.waiting, self.media):
            panel.setGeometry(plan.paged)
        for problem in plan.problems:
            self._too_small(problem)
        # How many calls the list shows usually and during a burst: the 10 s rule keeps within that.
        usual = max(1, min(self.settings.last_calls or 1, plan.rows))
        self.onscreen.keep = 1 + usual
        self.onscreen.capacity = 1 + max(usual, plan.burst_rows * plan.burst_cols)
        self._place_recent()

    def _too_small(self, what: str) -> None:
        """Tell staff (once per size) that this TV cannot show everything legibly from the configured distance."""
        key = (self.width(), self.height(), what)
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%g\" TV at %dx%d read from %g m: %s; a bigger TV, a nearer seat or a TV per floor "
                        "(--zone) helps", self.settings.tv_inches, self.width(), self.height(),
                        self.settings.viewing_distance_m, what)

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        # Escape leaves full screen (a technician at the TV with a keyboard); the app keeps running.
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]
