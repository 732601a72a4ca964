"""Online bookings at the kiosk: a typed or scanned booking code becomes a ticket, printed like a walk-in's.

A mixin of KioskWindow (kept apart to keep each module short). The code is redeemed on the DB
worker (db.bookings.redeem); the ticket then goes through the same print path as a walk-in
ticket (IssuingMixin._issued). A refusal is shown on the booking screen in the citizen's
language, with the code kept so a typo can be fixed.
"""

from __future__ import annotations

import logging

from db.bookings import refusal_text
from db.errors import DatabaseUnavailable, Refused
from db.rescan import RescanResult
from db.ticket_layout import TicketContent
from kiosk import actions
from kiosk.texts import refusal, tr

log = logging.getLogger("kiosk.window")


class BookingMixin:
    """open_booking() -> the code pad; redeem_booking() -> redeem on the DB worker -> print or say why not."""

    _booking_reason = ""

    def open_booking(self, code: str = "") -> None:
        """'Punya kode booking?' tapped on Home (or a booking QR scanned): the code pad."""
        if self.busy or self._blocking() or not self.settings.kiosk.bookings:
            return
        self._booking_reason = ""
        self.booking.start(self.lang, code)
        self._set_view("booking")

    def scanned_booking(self, code: str) -> None:
        """A booking code read by the scanner: shown on the pad and redeemed at once."""
        if not self.settings.kiosk.bookings:
            self._scan_result(RescanResult("unknown", ""))
            return
        if self.view != "booking":
            self.open_booking(code)
        else:
            self.booking.start(self.lang, code)
        self.redeem_booking(code)

    def redeem_booking(self, code: str) -> None:
        """Exactly one ticket per booking however often 'Ambil Antrean' is tapped."""
        if self.busy or self.view != "booking" or not code:
            return
        self._start_issue(self.booking, actions.redeem_booking(code, self.clock()), self._booking_issued,
                          self._booking_failed)

    def _booking_issued(self, content: TicketContent) -> None:
        self.booking.set_busy(False)
        self._issued(content)

    def _booking_failed(self, error: Exception) -> None:
        self.busy = False
        if isinstance(error, DatabaseUnavailable):
            self.booking.set_busy(False)
            self._show_block("unavailable")
            return
        if isinstance(error, Refused):
            self._booking_reason = error.reason or "other"
        else:
            log.error("redeeming a booking failed: %s", error)  # for staff; the citizen gets plain words
            self._booking_reason = "other"
        self.booking.refused(self._booking_text())
        self.idle.start()

    def _booking_text(self) -> str:
        reason, lang = self._booking_reason, self.lang
        if not reason:
            return ""
        text = refusal_text(reason, lang)
        if text is None:  # the ticket itself was refused: service closed, quota used up, ...
            text = refusal(reason, lang)
            if reason == "other" or text == tr("refused_other", lang):
                text = f"{tr('refused_other', lang)}. {tr('try_again', lang)}"
        return text

    def _retranslate_booking(self) -> None:
        self.booking.retranslate(self.lang)
        if self._booking_reason and not self.booking.busy:
            self.booking.refused(self._booking_text())
