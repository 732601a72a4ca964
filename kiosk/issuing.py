"""Issuing and printing, as the kiosk window does it: one ticket per tap, the printer's outcome on screen.

A mixin of KioskWindow (kept apart to keep each module short); it uses the window's worker,
print service, screens and settings.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from db.errors import DatabaseUnavailable, Refused
from db.ticket_layout import TicketContent, ticket_layout
from kiosk import actions
from kiosk.printers import PrinterState, PrinterStatus, PrintJob
from kiosk.texts import refusal, tr

log = logging.getLogger("kiosk.window")


class IssuingMixin:
    """take() -> issue on the DB worker -> print on the printer thread -> ticket screen or fallback."""

    # --- issuing and printing ------------------------------------------------------------------
    def take(self, category: str | None) -> None:
        """'Ambil Antrean' or a priority category: exactly one ticket however often it is tapped."""
        if self.busy or self.view != "confirm":
            return
        self._start_issue(self.confirm, actions.issue(self.service_code, category, self.clock()), self._issued,
                          self._issue_failed)

    def _start_issue(self, panel: Any, op: actions.Op, done: Callable[[Any], None],
                     failed: Callable[[Exception], None]) -> None:
        """Refused while the printer cannot print; else the screen is busy until the worker answers."""
        if not self.printing.status.ready:
            self._show_block("printer")
            return
        self.busy = True
        self.tapped_at = time.perf_counter()
        panel.set_busy(True)
        self.worker.run(op, done, failed)

    def _issued(self, content: TicketContent) -> None:
        layout = ticket_layout(content, self.lang, columns=self.columns,
                               max_requirements=self.settings.kiosk.ticket_requirements)
        name = f"{content.ticket.business_date:%Y-%m-%d}_{content.ticket.code}_{content.ticket.id}"
        token = self.printing.submit(PrintJob(layout, name, content.ticket.id))
        self.jobs[token] = content
        self.shown = {token: content}
        self.ticket.show_ticket(content, self.lang)
        self._set_view("ticket")
        self.ticket_issued.emit(content)

    def _issue_failed(self, error: Exception) -> None:
        self.busy = False
        self.confirm.set_busy(False)
        if isinstance(error, DatabaseUnavailable):
            self._show_block("unavailable")
        elif isinstance(error, Refused):
            self.message.show_message("warn", refusal(error.reason, self.lang), action=tr("back", self.lang))
            self._show_message_for(self.settings.kiosk.message_seconds)
            self._load_queues()
        else:
            log.error("issuing failed: %s", error)  # the reason is for staff; the citizen gets plain words
            self.message.show_message("error", tr("refused_other", self.lang), tr("try_again", self.lang),
                                      action=tr("back", self.lang))
            self._show_message_for(self.settings.kiosk.message_seconds)

    def _printed(self, token: int, handed_at: float) -> None:
        content = self.jobs.pop(token, None)
        self.last_handed = handed_at
        if content is not None and self.view == "ticket" and self.ticket.content is content:
            self.ticket.set_printing(False, self.lang)
            self.back_home.start(self.settings.kiosk.ticket_seconds * 1000)

    def _preview(self, token: int, image: object) -> None:
        content = self.shown.get(token)
        if content is not None and self.view == "ticket" and self.ticket.content is content:
            self.ticket.show_preview(image)  # type: ignore[arg-type]

    def _print_failed(self, token: int, error: str) -> None:
        content = self.jobs.pop(token, None)
        if content is None:
            return
        self._mark(content.ticket.id, error)
        if self.view == "ticket" and self.ticket.content is content:
            self.ticket.show_failed(self.lang)
            self.back_home.start(self.settings.kiosk.fallback_seconds * 1000)
        self.printing.check_status()

    def _mark(self, ticket_id: int, error: str) -> None:
        def failed(exc: Exception) -> None:
            log.warning("could not mark ticket %s print-failed yet: %s", ticket_id, exc)
            self.unmarked.append((ticket_id, error))

        self.worker.run(actions.mark_failed(ticket_id, error), None, failed)

    def _printer_status(self, status: PrinterStatus) -> None:
        if status.state not in (PrinterState.OK, PrinterState.UNKNOWN):
            log.warning("printer: %s %s", status.state, status.detail)
        if self.view in ("home", "agency", "confirm", "printer") or not self.view:
            self._unblock_or_refresh()
