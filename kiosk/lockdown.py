"""The kiosk window's input: the QR scanner (a keyboard that types), the idle timer, the staff exit.

A mixin of KioskWindow. No key does anything at a kiosk except complete a scan; staff leave the
lockdown through a hidden gesture (taps on the logo) and a supervisor/admin PIN.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QWidget

from db.bookings import code_of_scan
from db.errors import DatabaseUnavailable
from db.rescan import RescanResult
from db.ticket_layout import parse_qr
from db.tokens import token_of_scan
from kiosk import actions
from kiosk.keypad import key_action
from kiosk.printers import PrintJob
from kiosk.texts import tr

log = logging.getLogger("kiosk.window")
IDLE_VIEWS = ("home", "agency", "confirm", "staff", "message", "booking")
SCAN_GAP = 1.0  # seconds between keys before a half-typed scan is dropped
STAFF_TAP_WINDOW = 4.0


class InputMixin:
    """Scans, idle timeout, staff gesture and PIN, and the close guard."""

    # --- scanning a ticket again ---------------------------------------------------------------
    def scanned(self, text: str) -> None:
        """The scanner typed a QR text and Enter."""
        if self.busy or self.view in ("staff", "ticket") or self._blocking() in ("config", "loading"):
            return
        if self.db_online is False:
            self._show_block("unavailable")
            return
        token = token_of_scan(text)
        parsed = parse_qr(text)  # tickets printed before signed tokens: ANTRE:id:code
        if token is None and parsed is None:
            # A booking QR from the phone (ANTRE:B:CODE); on the booking screen a bare code too.
            if booking := code_of_scan(text, bare=self.view == "booking"):
                self.scanned_booking(booking)
                return
            self._scan_result(RescanResult("unknown", ""))
            return
        self.busy = True
        op = actions.scan_token(token, self.clock()) if token else actions.scan(*parsed, self.clock())  # type: ignore[misc]
        self.worker.run(op, self._scan_result, self._scan_failed)

    def _scan_result(self, result: RescanResult) -> None:
        self.busy = False
        lang, o = self.lang, result.outcome
        args = {"code": result.code, "n": result.ahead,
                "counter": (result.ticket.counter_name if result.ticket else "") or "loket"}
        kind = {"requeued": "ok", "waiting": "info", "called": "info", "serving": "info"}.get(o, "warn")
        self.message.show_message(kind, tr(f"scan_{o}", lang, **args), tr(f"scan_{o}_body", lang, **args),
                                  action=tr("ok", lang))
        self._show_message_for(self.settings.kiosk.message_seconds)

    def _scan_failed(self, error: Exception) -> None:
        self.busy = False
        if isinstance(error, DatabaseUnavailable):
            self._show_block("unavailable")
        else:
            log.error("scan failed: %s", error)
            self._scan_result(RescanResult("unknown", ""))

    def _show_message_for(self, seconds: int) -> None:
        self._set_view("message")
        self.back_home.start(seconds * 1000)

    # --- staff exit (hidden gesture + PIN) -----------------------------------------------------
    def _corner_tapped(self) -> None:
        now = time.monotonic()
        self._staff_taps = [t for t in self._staff_taps if now - t < STAFF_TAP_WINDOW] + [now]
        if len(self._staff_taps) >= self.settings.kiosk.staff_taps and not self.busy:
            self._staff_taps = []
            self._staff_wrong = 0
            self.staff.start(self.lang)
            self._set_view("staff")

    def _check_pin(self, pin: str) -> None:
        self.worker.run(actions.check_staff_pin(pin), self._pin_checked, lambda _e: self._pin_checked(False))

    def _pin_checked(self, ok: bool) -> None:
        if self.view != "staff":
            return
        self.idle.start()
        if ok:
            status = self.printing.status
            self.staff.show_menu(self.config_error or ("" if status.ready else f"printer: {status.detail}"))
            return
        self._staff_wrong += 1
        if self._staff_wrong >= 3:
            self.go_home()
        else:
            self.staff.wrong()

    def _staff_exit(self) -> None:
        self._may_close = True
        self.exit_requested.emit()
        self.close()

    def _test_print(self) -> None:
        name = self.data.venue.name if self.data else "Antre"
        printer = self.printing.printer.name if self.printing.printer else "none"
        layout = actions.test_layout(name, printer, self.clock().astimezone(), self.columns)
        self.printing.submit(PrintJob(layout, f"test_{int(time.time())}"))

    # --- input: idle timer, scanner keys, lockdown ---------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            if self.keypad.help_down and isinstance(obj, QWidget) and self.isAncestorOf(obj):
                points = event.points() if kind == QEvent.Type.TouchBegin else [event]  # type: ignore[attr-defined]
                if points and self.keypad.touch(points[0].globalPosition().toPoint()):
                    return True  # touch and hear: Help held, the touch reads and never taps
            if self.idle_warning.isVisible():
                self._idle_extend()
                return True  # the touch only keeps the choices; it does not also tap what is under the veil
            if self.view in IDLE_VIEWS:
                self.idle.start()
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            if isinstance(obj, QWidget) and (obj is self or self.isAncestorOf(obj)):
                if kind == QEvent.Type.KeyPress:
                    self._key_press(event)  # type: ignore[arg-type]
                elif kind == QEvent.Type.KeyRelease:
                    self.keypad.key_release(event)  # type: ignore[arg-type]
                # Swallowed either way: keys reach only the keypad and the scanner, never a Qt shortcut.
                return True
        return False

    def _key_press(self, event: QKeyEvent) -> None:
        """A key: any key keeps the idle time (and the choices under a warning); keypad keys navigate."""
        if self.idle_warning.isVisible():
            if key_action(event) is not None:
                self.keypad.speech.stop()
                self._idle_extend()
                return
        elif self.view in IDLE_VIEWS:
            self.idle.start()
        scanning = bool(self._scan_buffer) and time.monotonic() - self._scan_last <= SCAN_GAP
        if not self.keypad.key_press(event, scanning):
            self._scan_key(event)

    def _scan_key(self, event: QKeyEvent) -> None:
        now = time.monotonic()
        if now - self._scan_last > SCAN_GAP:
            self._scan_buffer = ""
        self._scan_last = now
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text, self._scan_buffer = self._scan_buffer, ""
            if text.strip():
                self.scanned(text)
        elif event.text() and event.text().isprintable():
            self._scan_buffer = (self._scan_buffer + event.text())[-200:]

    def _idle_timeout(self) -> None:
        """Nobody touched the screen for idle_seconds: warn if a choice would be lost, else reset now."""
        if self.busy:
            self.idle.start()
            return
        default = self.lang_forced or self.settings.kiosk.language
        if self.view in ("agency", "confirm", "booking") or (self.view == "home" and (self.lang != default or self.keypad.audio)):
            self._idle_left = self.settings.kiosk.idle_warning_seconds
            self.idle_warning.show_countdown(self._idle_left, self.lang)
            self.idle_countdown.start(1000)
            self.keypad.idle_warning(self._idle_left)
        elif self.view in ("staff", "message"):
            self._idle_reset()
        elif self.view == "home":
            self.home.grid.reset_page()  # nothing chosen yet: the first page again, silently
            self._show_home()

    def _idle_tick(self) -> None:
        self._idle_left -= 1
        if self._idle_left <= 0:
            self._idle_reset()
        else:
            self.idle_warning.show_countdown(self._idle_left, self.lang)
            if self._idle_left == 10:
                self.keypad.idle_warning(self._idle_left)  # audio mode: said again 10 s before

    def _idle_extend(self) -> None:
        """A touch during the warning: keep every choice and start the idle time again."""
        self.idle_countdown.stop()
        self.idle_warning.hide()
        if self.view in IDLE_VIEWS:
            self.idle.start()

    def _idle_reset(self) -> None:
        """Back to the start for the next citizen: default language, first page, no agency or service."""
        self.idle_countdown.stop()
        self.idle_warning.hide()
        if self.busy:
            return
        self.keypad.reset()  # the session is over: no audio mode, default volume, normal text
        if self.header.large.isChecked():
            self.set_large_text(False)
        self.lang = self.lang_forced or self.settings.kiosk.language
        self.agency_code = self.service_code = ""
        self.confirm.pages.setCurrentIndex(0)
        self.home.grid.reset_page()
        self.agency.grid.reset_page()
        self.go_home()
        self._retranslate()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.locked and not self._may_close:
            event.ignore()  # Alt+F4 and the like: staff leave through the gesture and PIN
            return
        super().closeEvent(event)
