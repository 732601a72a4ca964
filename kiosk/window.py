"""The kiosk window: screens, navigation and the rules of the flow (one ticket per tap, fallbacks, lockdown).

All database work goes through the DbWorker and all printing through the PrintService; this
class only reacts to their results, so a slow database or printer never freezes the screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from db.errors import ConfigError, DatabaseUnavailable
from db.events import Changes
from db.priority import PriorityCategory, categories
from db.ticket_layout import TicketContent
from kiosk import actions
from kiosk.booking_flow import BookingMixin
from kiosk.issuing import IssuingMixin
from kiosk.keypad import Keypad
from kiosk.lockdown import IDLE_VIEWS, InputMixin
from kiosk.print_service import PrintService
from kiosk.printers import PrintError, TicketPrinter, build_printer
from kiosk.settings import KioskSettings, kiosk_settings
from kiosk.texts import date_text, tr
from kiosk.views.booking import BookingScreen
from kiosk.views.common import LARGE_TEXT, Header, set_text_scale, text_scale
from kiosk.views.confirm import ConfirmScreen
from kiosk.views.home import AgencyScreen, HomeScreen
from kiosk.views.idle import IdleWarning
from kiosk.views.message import MessageScreen, StaffScreen
from kiosk.views.ticket import TicketScreen
from qtkit import theme
from qtkit.speech import Speech
from qtkit.watcher import make_watcher
from qtkit.worker import DbWorker

log = logging.getLogger(__name__)
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
BLOCKING = ("config", "unavailable", "loading", "printer")


class KioskWindow(BookingMixin, IssuingMixin, InputMixin, QWidget):
    """The touch ticket machine."""

    exit_requested = Signal()
    ticket_issued = Signal(object)  # TicketContent
    view_changed = Signal(str)

    def __init__(self, worker: DbWorker, *, printer: TicketPrinter | None = None, printer_spec: str | None = None,
                 lang: str | None = None, fullscreen: bool | None = False, clock: Callable[[], datetime] | None = None,
                 watch_ms: int = 150, size_from_config: bool = False, speech: Speech | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_text_scale(1.0)  # every kiosk starts at normal text size (the scale is shared by its tiles)
        self.worker = worker
        self.clock = clock or (lambda: datetime.now(UTC))
        self.settings: KioskSettings = kiosk_settings()
        self.lang_forced, self.lang = lang, lang or "id"
        self.mode_from_config = fullscreen is None  # until the venue settings are read, stay locked
        self.locked = fullscreen is not False
        self.size_from_config = size_from_config
        self.printer_spec = printer_spec
        self.data: actions.KioskData | None = None
        self.queues: dict = {}
        self.view = ""
        self.busy = False
        self.db_online: bool | None = None
        self.config_error = ""
        self.agency_code = self.service_code = ""
        self.jobs: dict[int, TicketContent] = {}
        self.shown: dict[int, TicketContent] = {}  # the ticket on screen, by print token
        self.unmarked: list[tuple[int, str]] = []
        self.tapped_at = 0.0
        self.last_handed = 0.0
        self._scan_buffer, self._scan_last = "", 0.0
        self._staff_taps: list[float] = []
        self._staff_wrong = 0
        self._may_close = False
        self._ready_logged = False
        self._loading = self._queues_loading = False
        self._queues_again = False

        self.setWindowTitle("Antre - Kiosk")
        self.setStyleSheet(f"KioskWindow {{ background: {theme.PAPER}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.header = Header()
        self.header.lang_clicked.connect(self.toggle_language)
        self.header.large_clicked.connect(lambda: self.set_large_text(text_scale() == 1.0))
        self.header.corner_tapped.connect(self._corner_tapped)
        col.addWidget(self.header)
        self.stack = QStackedWidget()
        # An explicit minimum stops the tallest page (portrait layouts) from stretching a landscape window.
        self.stack.setMinimumSize(1, 1)
        col.addWidget(self.stack, 1)
        self.home = HomeScreen()
        self.agency = AgencyScreen()
        self.confirm = ConfirmScreen()
        self.ticket = TicketScreen()
        self.message = MessageScreen()
        self.staff = StaffScreen()
        self.booking = BookingScreen()
        self.screens: dict[str, QWidget] = {
            "home": self.home, "agency": self.agency, "confirm": self.confirm, "ticket": self.ticket,
            "message": self.message, "staff": self.staff, "booking": self.booking,
        }
        for screen in self.screens.values():
            self.stack.addWidget(screen)
        self.home.agency_chosen.connect(self.open_agency)
        self.agency.service_chosen.connect(self.open_service)
        self.agency.back.connect(self.go_home)
        self.home.booking_requested.connect(self.open_booking)
        self.booking.back.connect(self.go_home)
        self.booking.submitted.connect(self.redeem_booking)
        self.confirm.back.connect(lambda: self.open_agency(self.agency_code))
        self.confirm.take.connect(lambda: self.take(None))
        self.confirm.priority.connect(self.take)
        self.ticket.done.connect(self.go_home)
        self.message.action.connect(self.go_home)
        self.staff.pin_entered.connect(self._check_pin)
        self.staff.cancelled.connect(self.go_home)
        self.staff.exit_requested.connect(self._staff_exit)
        self.staff.test_requested.connect(self._test_print)

        self.printing = PrintService(printer, parent=self)
        self.printing.status_changed.connect(self._printer_status)
        self.printing.printed.connect(self._printed)
        self.printing.failed.connect(self._print_failed)
        self.printing.preview.connect(self._preview)
        self.columns = self._columns_of(printer)
        if printer is not None:
            self.printing.set_printer(printer, status_seconds=self.settings.printer.status_seconds)

        self.watcher = make_watcher(worker, watch_ms, self)
        self.watcher.changed.connect(self._changed)
        self.watcher.online.connect(self._set_online)
        worker.online_changed.connect(self._set_online)

        self.idle = self._timer(self._idle_timeout, single=True)
        self.idle_countdown = self._timer(self._idle_tick)
        self.idle_warning = IdleWarning(self)
        self.idle_warning.touched.connect(self._idle_extend)
        # Keypad and audio mode (issue 14): its focus ring draws over every screen.
        self.keypad = Keypad(self, speech)
        self.view_changed.connect(self.keypad.view_changed)
        self.printing.printed.connect(self.keypad.printed)  # after the window's own slot: the ticket is out
        self.printing.failed.connect(self.keypad.print_failed)
        self._idle_left = 0
        self.back_home = self._timer(self.go_home, single=True)
        self.clock_timer = self._timer(self._tick)
        self.clock_timer.start(1000)
        self.refresh_timer = self._timer(self._load_queues)
        self.refresh_timer.start(30_000)  # opening hours end without any event
        self.printer_retry = self._timer(self.printing.check_status)
        QApplication.instance().installEventFilter(self)
        self.destroyed.connect(self._remove_filter)
        self.idle.setInterval(self.settings.kiosk.idle_seconds * 1000)
        self._apply_mode(self.locked)
        self._tick()
        self._show_block("loading")
        self.watcher.start()

    def _apply_mode(self, locked: bool) -> None:
        """Locked: full screen, no frame, no cursor, no close; else an ordinary window for trying out."""
        self.locked = locked
        if locked:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
            self.setCursor(Qt.CursorShape.BlankCursor)
        else:
            self.setWindowFlags(Qt.WindowType.Window)
            self.unsetCursor()

    def show_kiosk(self) -> None:
        """Show full screen when locked, else as a window."""
        if self.locked:
            self.showFullScreen()
        else:
            self.showNormal()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.header.set_wide(self.width() > self.height() * 1.2)
        if hasattr(self, "idle_warning"):
            self.idle_warning.setGeometry(self.rect())
        if hasattr(self, "keypad"):
            self.keypad.ring.show_on(self.keypad.focused if self.keypad.shown else None)

    def _timer(self, slot: Callable[[], None], *, single: bool = False) -> QTimer:
        t = QTimer(self)
        t.setSingleShot(single)
        t.timeout.connect(slot)
        return t

    # --- loading -----------------------------------------------------------------------------
    def _changed(self, changes: Changes, _events: list) -> None:
        if changes & Changes.CONFIG or self.data is None:
            self._load_all()
        elif changes & (Changes.TICKETS | Changes.COUNTERS):
            self._load_queues()

    def _load_all(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.worker.run(actions.load_all(self.clock()), self._loaded, self._load_failed, read=True)

    def _loaded(self, data: actions.KioskData) -> None:
        self._loading = False
        try:
            self.settings = kiosk_settings(data.venue.section("kiosk"), data.venue.section("printer"))
            self.config_error = ""
        except ConfigError as exc:
            self.config_error = str(exc)
            log.error("%s", exc)
        known = {c.code for c in categories(data.venue.settings)}
        if unknown := [c for c in self.settings.kiosk.priority_categories or () if c not in known]:
            self.config_error = (f"venue settings [kiosk].priority_categories: {', '.join(map(repr, unknown))} "
                                 "not in [[venue.priority_categories]]")
            log.error("%s", self.config_error)
        self.data, self.queues = data, data.queues
        k = self.settings.kiosk
        if not self.lang_forced and self.view in ("", "loading", "home"):
            self.lang = k.language
        self.idle.setInterval(k.idle_seconds * 1000)
        self.printer_retry.setInterval(k.retry_seconds * 1000)
        self.home.booking_button.setVisible(k.bookings)
        self.header.set_venue(data.venue.name, data.venue.address, str(data.venue.settings.get("logo") or ""))
        if self.mode_from_config:
            self.mode_from_config = False
            if k.fullscreen != self.locked:
                self._apply_mode(k.fullscreen)
                self.show_kiosk()
        if self.size_from_config and not self.locked:
            self.resize(*SIZES[k.orientation])
            self.size_from_config = False
        if self.printing.printer is None and not self.config_error:
            try:
                printer = build_printer(self.settings, self.printer_spec)
            except (PrintError, ValueError) as exc:
                self.config_error = f"printer: {exc}"
                log.error("%s", self.config_error)
            else:
                self.columns = self._columns_of(printer)
                self.printing.set_printer(printer, status_seconds=self.settings.printer.status_seconds)
        self._retranslate()
        self._unblock_or_refresh()

    def _load_failed(self, error: Exception) -> None:
        self._loading = False
        if not isinstance(error, DatabaseUnavailable):
            log.error("loading the venue failed: %s", error)

    def _load_queues(self) -> None:
        if self.data is None:
            return
        if self._queues_loading:
            self._queues_again = True
            return
        self._queues_loading = True
        self.worker.run(actions.load_queues(self.clock()), self._queues_loaded, self._queues_failed, read=True)

    def _queues_loaded(self, queues: dict) -> None:
        self._queues_loading = False
        self.queues = queues
        if self.view == "home":
            self._show_home()
        elif self.view == "agency":
            self._show_agency()
        if self._queues_again:
            self._queues_again = False
            self._load_queues()

    def _queues_failed(self, _error: Exception) -> None:
        self._queues_loading = False

    # --- navigation ----------------------------------------------------------------------------
    def _set_view(self, name: str) -> None:
        self.stack.setCurrentWidget(self.screens[name if name in self.screens else "message"])
        if name != self.view:
            self.view = name
            self.view_changed.emit(name)
        if name in IDLE_VIEWS:
            if not self.idle_warning.isVisible():
                self.idle.start()
        else:  # a ticket being printed or a blocking state: no idle reset, no warning
            self.idle.stop()
            self.idle_countdown.stop()
            self.idle_warning.hide()

    def _blocking(self) -> str:
        if self.config_error:
            return "config"
        if self.db_online is False:
            return "unavailable"
        if self.data is None:
            return "loading"
        if not self.printing.status.ready and self.printing.printer is not None:
            return "printer"
        return ""

    def _show_block(self, block: str) -> None:
        lang = self.lang
        if block == "config":
            # The technical reason is for staff: it is in the log, never on the citizen's screen.
            self.message.show_message("error", tr("config_title", lang), tr("printer_help", lang))
        elif block == "unavailable":
            self.message.show_message("wait", tr("unavailable_title", lang), tr("unavailable_body", lang))
        elif block == "loading":
            self.message.show_message("wait", tr("loading", lang))
        else:
            status = self.printing.status
            self.message.show_message("warn", tr("printer_title", lang),
                                      f"{tr('printer_' + status.problem, lang)}. {tr('printer_help', lang)}")
        self.back_home.stop()
        if block == "printer":
            self.printer_retry.start()
        else:
            self.printer_retry.stop()
        self._set_view(block)

    def _unblock_or_refresh(self) -> None:
        """After a change of database, printer or config state: block, unblock or redraw."""
        if self.busy or self.view == "staff":
            return  # a ticket on screen or a staff member at work finishes first
        block = self._blocking()
        if block:
            self._show_block(block)
        elif self.view in BLOCKING or not self.view:
            self.go_home()
        elif self.view == "home":
            self._show_home()

    def go_home(self) -> None:
        self.back_home.stop()
        self.busy = False
        self.confirm.set_busy(False)
        block = self._blocking()
        if block:
            self._show_block(block)
            return
        self.printer_retry.stop()
        if self.view != "home":
            self.home.grid.reset_page()
        self._show_home()
        if self.view != "home" and not self._ready_logged:
            self._ready_logged = True
            name = self.printing.printer.name if self.printing.printer else "none"
            log.info("kiosk ready: home, printer %s, language %s", name, self.lang)
        self._set_view("home")
        self._load_queues()

    def _show_home(self) -> None:
        if self.data is not None:
            self.home.show_agencies(self.data.agencies, self.queues, self.lang)

    def open_agency(self, code: str) -> None:
        if self.busy or self._blocking():
            return
        if code != self.agency_code or self.view != "confirm":
            self.agency.grid.reset_page()
        self.agency_code = code
        self._show_agency()
        self._set_view("agency")

    def _show_agency(self) -> None:
        agency = self._agency()
        if agency is not None:
            self.agency.show_agency(agency, self.queues, self.lang)

    def _agency(self):  # noqa: ANN202 - AgencyView | None
        if self.data is None:
            return None
        return next((a for a in self.data.agencies if a.code == self.agency_code), None)

    def open_service(self, code: str) -> None:
        agency = self._agency()
        service = next((s for s in agency.services if s.code == code), None) if agency else None
        if service is None or self.busy:
            return
        self.service_code = code
        name = agency.name_en if self.lang == "en" else agency.name
        self.confirm.show_service(service, name, self.queues.get(code), self.lang, self._categories())
        self._set_view("confirm")
        self.printing.check_status()  # fresh printer state before the citizen taps "Ambil Antrean"

    def _categories(self) -> list[PriorityCategory]:
        """The venue's priority categories this kiosk offers ([kiosk] priority_categories, else all)."""
        every = categories(self.data.venue.settings if self.data else None)
        offered = self.settings.kiosk.priority_categories
        return [c for c in every if offered is None or c.code in offered]

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "id" else "id"
        self._retranslate()

    def set_large_text(self, on: bool) -> None:
        """The large-text toggle: every screen's text at 150 % (the header keeps its size); the idle reset ends it."""
        # The staff PIN pad and the booking-code pad keep their size: their keys already fill the screen.
        citizen = [s for name, s in self.screens.items() if name not in ("staff", "booking")]
        set_text_scale(LARGE_TEXT if on else 1.0, *citizen, self.idle_warning)
        self.home.grid.relayout()
        self.agency.grid.relayout()
        self._retranslate()

    def _retranslate(self) -> None:
        self.header.set_lang_button(tr("lang_toggle", self.lang))
        self.header.set_large_button(tr("large_text", self.lang), text_scale() != 1.0)
        self._tick()
        if self.view == "home":
            self._show_home()
        elif self.view == "agency":
            self._show_agency()
        elif self.view == "confirm":
            self.open_service(self.service_code)
        elif self.view == "booking":
            self._retranslate_booking()
        elif self.view in BLOCKING:
            self._show_block(self.view)

    def _tick(self) -> None:
        tz = self.data.venue.timezone if self.data else "Asia/Jakarta"
        local = self.clock().astimezone(ZoneInfo(tz))
        self.header.time.setText(f"{local:%H.%M}")
        self.header.date.setText(date_text(local, self.lang))
        date = self.header.date
        date.setMinimumWidth(date.fontMetrics().horizontalAdvance(date.text()) + 2)  # English dates are longer

    def _set_online(self, online: bool) -> None:
        if online == self.db_online:
            return
        self.db_online = online
        if online:
            pending, self.unmarked = self.unmarked, []
            for ticket_id, error in pending:
                self._mark(ticket_id, error)
        self._unblock_or_refresh()

    def _remove_filter(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def shutdown(self) -> None:
        """Stop timers, the watcher and the printer thread (the caller stops the DB worker)."""
        self._remove_filter()
        for t in (self.idle, self.idle_countdown, self.back_home, self.clock_timer, self.refresh_timer,
                  self.printer_retry):
            t.stop()
        self.watcher.stop()
        self.printing.stop()

    @staticmethod
    def _columns_of(printer: TicketPrinter | None) -> int:
        renderer = getattr(printer, "renderer", None)
        return int(getattr(renderer, "columns", 42))
