"""The ticket in hand, large: code, service, priority, waiting and serving time, recalls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from counter.state import CALLED, SERVING, Snapshot, suggest_no_show
from counter.style import STATE_COLORS
from counter.texts import Texts, clock_text, minutes_text


def state_of(snapshot: Snapshot | None, online: bool | None) -> str:
    """The panel's colour state: offline, closed (break), free, called or serving."""
    if not online or snapshot is None:
        return "offline"  # also before the first read: nothing known yet
    ticket = snapshot.ticket
    if ticket is None:
        return "free" if snapshot.counter.is_open else "closed"
    return ticket.status if ticket.status in (CALLED, SERVING) else "free"


class TicketPanel(QFrame):
    """Shows the counter's state in colour and its ticket in very large type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketPanel")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.state = ""
        self.state_line = self._label("stateLine")
        self.code = self._label("code")
        self.service = self._label("serviceLine")
        self.badge = self._label("badge")
        self.details = self._label("detailLine")
        self.recalls = self._label("detailLine")
        self.idle = self._label("idle")
        self.suggest = self._label("suggest")
        for label in (self.service, self.details, self.idle, self.suggest):
            label.setWordWrap(True)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.suggest.setAlignment(Qt.AlignmentFlag.AlignCenter)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.badge)
        middle.addSpacing(12)
        middle.addWidget(self.recalls)
        middle.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(18, 10, 18, 12)
        box.setSpacing(4)
        box.addWidget(self.state_line)
        box.addWidget(self.code, 1)
        box.addWidget(self.idle, 1)
        box.addWidget(self.service)
        box.addLayout(middle)
        box.addWidget(self.details)
        box.addWidget(self.suggest)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        return label

    def render(self, snapshot: Snapshot | None, online: bool | None, t: Texts, recall_limit: int,
               category: Callable[[str | None], str] = lambda c: c or "", fresh: str = "") -> None:
        """Redraw from the snapshot (cheap: called on every change and every second).

        `category` names a priority category; `fresh` is the clock time of the last data read,
        shown while offline so the officer knows what is shown may be old."""
        state = state_of(snapshot, online)
        if state != self.state:
            self.state = state
            bg, fg = STATE_COLORS[state]
            self.setStyleSheet(f"#ticketPanel {{ background: {bg}; border-radius: 10px; }}"
                               f"#ticketPanel QLabel {{ color: {fg}; }}"
                               f"#ticketPanel QLabel#badge {{ color: #FFFFFF; }}"
                               f"#ticketPanel QLabel#suggest {{ color: #FFFFFF; }}")
        # Offline, the last ticket known stays on screen (greyed): the officer still knows who sits there.
        ticket = snapshot.ticket if snapshot else None
        titles = {"free": "state_free", "closed": "state_closed", "called": "state_called",
                  "serving": "state_serving", "offline": "state_offline"}
        self.state_line.setText(t(titles[state]) + (f" · {t('stale_short', clock=fresh)}"
                                                     if state == "offline" and fresh else ""))
        if ticket is None:
            if state == "free":
                idle = t("idle_free") if snapshot and snapshot.waiting + snapshot.parked else t("idle_empty")
            else:
                idle = t(f"idle_{state}")
            self.idle.setText(idle)
            self.idle.show()
            for label in (self.code, self.service, self.badge, self.recalls, self.details, self.suggest):
                label.hide()
            return
        now = datetime.now(UTC)
        self.idle.hide()
        self.code.setText(ticket.code)
        self.code.show()
        name = ticket.service_name if t.lang == "id" else ticket.service_name_en
        self.service.setText(f"{ticket.service} · {name} · {ticket.agency}")
        self.service.show()
        label = category(ticket.priority_category)
        self.badge.setText(t("priority") + (f" · {label}" if label else ""))
        self.badge.setVisible(ticket.priority)
        self.recalls.setText(t("recalls", n=ticket.recall_count))
        self.recalls.setVisible(ticket.recall_count > 0)
        parts = []
        if ticket.called_at:
            parts.append(t("waited", minutes=minutes_text(t, (ticket.called_at - ticket.queued_at).total_seconds())))
        if ticket.status == SERVING and ticket.started_at:
            parts.append(t("serving_for", clock=clock_text((now - ticket.started_at).total_seconds())))
        elif ticket.called_at:
            parts.append(t("called_ago", clock=clock_text((now - ticket.called_at).total_seconds())))
        if ticket.note:
            parts.append(t("transferred_note", note=ticket.note))
        self.details.setText("   ·   ".join(parts))
        self.details.show()
        self.suggest.setText(t("suggest_no_show", n=ticket.recall_count))
        self.suggest.setVisible(online is True and suggest_no_show(ticket, recall_limit))
