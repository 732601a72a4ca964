"""The main screen: the ticket in hand, the action buttons with their keys, the waiting list, figures."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from counter.controller import ConsoleController
from counter.figures import FiguresBox
from counter.state import Action
from counter.ticket_panel import TicketPanel
from counter.transfer import TransferDialog
from counter.waiting_list import WaitingTable
from counter.widgets import ActionButton, Banner

# (button id, key): every action has one key, shown on its button. F7 and F8 are toggles:
# hold <-> resume and break <-> open, whichever makes sense at the moment.
KEYS = (
    ("next", "F1"), ("recall", "F2"), ("start", "F3"), ("finish", "F4"),
    ("no_show", "F5"), ("transfer", "F6"), ("hold", "F7"), ("break", "F8"),
)
CALL_KEY, SIGN_OUT_KEY = "F9", "Ctrl+Q"
TOGGLES = {"hold": (Action.HOLD, Action.RESUME), "break": (Action.BREAK, Action.OPEN)}


class ConsolePage(QWidget):
    """Renders the controller's state; every button and key goes through `controller.act`."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.controller = controller
        self.transfer_dialog: TransferDialog | None = None
        self.actions_by_id: dict[str, QAction] = {}
        self.buttons: dict[str, ActionButton] = {}
        for ident, key in (*KEYS, ("call", CALL_KEY)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setAutoRepeat(False)  # a held-down key must not call ticket after ticket
            action.triggered.connect(lambda _=False, i=ident: self.trigger(i))
            self.addAction(action)
            self.actions_by_id[ident] = action
        self.sign_out_action = QAction(self)
        self.sign_out_action.setShortcut(QKeySequence(SIGN_OUT_KEY))
        self.sign_out_action.setAutoRepeat(False)
        self.sign_out_action.triggered.connect(controller.sign_out)
        self.addAction(self.sign_out_action)

        self.topbar = QWidget(self)
        self.topbar.setObjectName("topbar")
        self.venue, self.where, self.who, self.clock = (QLabel(self.topbar) for _ in range(4))
        self.where.setObjectName("where")
        self.sign_out_button = QPushButton(self.topbar)
        self.sign_out_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_out_button.clicked.connect(self.sign_out_action.trigger)
        top = QHBoxLayout(self.topbar)
        top.setContentsMargins(14, 6, 10, 6)
        top.addWidget(self.where)
        top.addSpacing(18)
        top.addWidget(self.who)
        top.addStretch(1)
        top.addWidget(self.venue)
        top.addSpacing(18)
        top.addWidget(self.clock)
        top.addSpacing(12)
        top.addWidget(self.sign_out_button)

        self.ticket = TicketPanel(self)
        self.notice = Banner("notice", self)
        grid = QGridLayout()
        grid.setSpacing(8)
        for i, (ident, _key) in enumerate(KEYS):
            button = ActionButton(self.actions_by_id[ident], ident, self)
            self.buttons[ident] = button
            grid.addWidget(button, i // 4, i % 4)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.ticket, 1)
        left.addWidget(self.notice)
        left.addLayout(grid)

        self.waiting_title = QLabel(self)
        self.waiting_title.setObjectName("sideTitle")
        self.waiting_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.stale = QLabel(self)
        self.stale.setObjectName("stale")
        self.stale.setWordWrap(True)
        self.stale.hide()
        self.table = WaitingTable(self)
        self.table.model_.category = controller.category
        self.table.picked.connect(controller.select)
        self.table.activated_code.connect(self._activated)
        self.buttons["call"] = ActionButton(self.actions_by_id["call"], "call", self)
        self.figures = FiguresBox(self)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.waiting_title)
        right.addWidget(self.stale)
        right.addWidget(self.table, 1)
        right.addWidget(self.buttons["call"])
        right.addSpacing(6)
        right.addWidget(self.figures)

        body = QHBoxLayout()
        body.setContentsMargins(12, 10, 12, 12)
        body.setSpacing(14)
        body.addLayout(left, 60)
        body.addLayout(right, 40)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.topbar)
        outer.addLayout(body, 1)
        controller.changed.connect(self.render)
        controller.notice.connect(self.notice.show_text)
        self.render()

    # ---- input ----------------------------------------------------------------------------------

    def trigger(self, ident: str) -> None:
        """A button or key: resolve toggles, open the transfer dialog, else act at once."""
        allowed = self.controller.allowed()
        if ident in TOGGLES:
            first, second = TOGGLES[ident]
            self.controller.act(first if first in allowed else second)
        elif ident == "transfer":
            self.open_transfer()
        else:
            self.controller.act(Action(ident))

    def _activated(self, code: str) -> None:
        self.controller.select(code)
        self.controller.act(Action.CALL, code=code)

    def open_transfer(self) -> None:
        """Ask for the target service and a note, then transfer in one engine call."""
        snap, setup = self.controller.snapshot, self.controller.setup
        if Action.TRANSFER not in self.controller.allowed() or snap is None or snap.ticket is None or setup is None:
            return
        dialog = TransferDialog(snap.ticket.code, snap.ticket.service, setup.services, self.controller.t, self)
        dialog.setStyleSheet(self.window().styleSheet())
        dialog.accepted.connect(lambda: self.controller.act(Action.TRANSFER, service=dialog.choice(),
                                                            note=dialog.note.text()))
        dialog.finished.connect(self._transfer_closed)
        dialog.finished.connect(dialog.deleteLater)
        self.transfer_dialog = dialog
        dialog.open()

    def _transfer_closed(self) -> None:
        # Back to the console with the keys live: F-keys act on the active window only.
        self.transfer_dialog = None
        self.window().activateWindow()
        self.table.setFocus()

    # ---- output ---------------------------------------------------------------------------------

    def render(self) -> None:
        """Redraw everything from the controller (cheap: runs on every change)."""
        c, t = self.controller, self.controller.t
        snap, allowed = c.snapshot, c.allowed()
        for ident, action in self.actions_by_id.items():
            if ident in TOGGLES:
                first, second = TOGGLES[ident]
                shown = first if first in allowed or second not in allowed else second
                if ident == "break" and snap is not None and not snap.counter.is_open:
                    shown = second
                action.setText(t(str(shown)))
                action.setEnabled(shown in allowed)
            else:
                picked = f" {c.selected}" if ident == "call" and c.selected else ""
                action.setText(t(ident) + picked)
                action.setEnabled(Action(ident) in allowed)
        self.sign_out_action.setText(t("sign_out"))
        self.sign_out_action.setEnabled(c.can_sign_out())
        self.sign_out_button.setText(f"{t('sign_out')}  [{SIGN_OUT_KEY}]")
        self.sign_out_button.setEnabled(c.can_sign_out())
        self.where.setText(snap.counter.name + f" ({snap.counter.code})" if snap else (c.counter_code or ""))
        operator = c.operator
        self.who.setText(f"{operator.display_name} · {operator.username}" if operator else "")
        self.venue.setText(c.setup.venue_name if c.setup else "")
        self.tick()  # the ticket panel, the clock and the waiting times
        self.buttons["no_show"].set_highlight(not self.ticket.suggest.isHidden())
        self.table.setEnabled(bool(c.online))  # greyed: what it shows may be stale, and says so
        stale = c.online is False and snap is not None
        self.stale.setText(t("stale", clock=c.fresh_clock()) if stale else "")
        self.stale.setVisible(stale)
        self.table.render(snap, t, c.selected, c.settings.long_wait_minutes)
        n_wait = len(snap.waiting) if snap else 0
        n_parked = len(snap.parked) if snap else 0
        title = t("waiting_title", n=n_wait)
        if n_parked:
            title += "  ·  " + t("parked_title", n=n_parked)
        self.waiting_title.setText(title)
        self.figures.render(snap, t)

    def tick(self) -> None:
        """Once a second: running times and the wall clock."""
        c = self.controller
        tz = ZoneInfo(c.setup.timezone) if c.setup else UTC
        self.clock.setText(datetime.now(tz).strftime("%H:%M"))
        self.ticket.render(c.snapshot, c.online, c.t, c.settings.recall_suggest_noshow, c.category, c.fresh_clock())
        self.table.tick()

    def set_scale(self, scale: float) -> None:
        for button in self.buttons.values():
            button.set_scale(scale)
        self.table.verticalHeader().setDefaultSectionSize(round(34 * scale))
