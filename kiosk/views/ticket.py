"""Ticket: the code very large while it prints; when printing failed, the code and QR to photograph."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QBoxLayout, QFrame, QVBoxLayout, QWidget

from db.ticket_layout import TicketContent
from kiosk.texts import tr, wait_text
from kiosk.views.common import BODY, PRIORITY, ImageView, QrWidget, button, fit_font, label, text_scale
from qtkit import theme


class TicketScreen(QWidget):
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(40, 30, 40, 30)
        self.box.setSpacing(30)
        main = QVBoxLayout()
        main.setSpacing(14)
        center = Qt.AlignmentFlag.AlignHCenter
        self.failed_banner = label("", 44, bold=True, color="#FFFFFF", align=center)
        self.failed_banner.setStyleSheet(f"background: {theme.DANGER}; color: #FFFFFF; border-radius: 16px; "
                                         "padding: 18px;")
        main.addWidget(self.failed_banner)
        main.addStretch(1)
        self.caption = label("", 44, align=center)
        self.code = label("", 260, bold=True, align=center, wrap=False)
        self.prio = label("", 40, bold=True, color="#FFFFFF", align=center)
        self.prio.setStyleSheet(f"background: {PRIORITY}; color: #FFFFFF; border-radius: 14px; padding: 10px;")
        self.service = label("", 40, bold=True, align=center)
        self.agency = label("", BODY, color=theme.MUTED, align=center)
        self.where = label("", 40, bold=True, align=center)
        self.ahead = label("", 48, bold=True, color=theme.ACCENT, align=center)
        self.wait = label("", 38, align=center)
        for w in (self.caption, self.code, self.prio, self.service, self.agency, self.where, self.ahead, self.wait):
            main.addWidget(w)
        main.addStretch(1)
        self.box.addLayout(main, 3)
        side = QVBoxLayout()
        side.setSpacing(24)
        side.addStretch(1)
        self.qr_frame = QFrame()
        qr_col = QVBoxLayout(self.qr_frame)
        qr_col.setContentsMargins(0, 0, 0, 0)
        self.qr = QrWidget()
        self.qr.setFixedSize(440, 440)
        qr_col.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        self.help = label("", BODY + 4, align=center)
        qr_col.addWidget(self.help)
        side.addWidget(self.qr_frame)
        self.status = label("", 38, bold=True, color=theme.OK, align=center)
        self.status.setStyleSheet(f"color: {theme.OK}; background: #E8F5E9; border-radius: 16px; padding: 22px;")
        self.preview = ImageView()
        side.addWidget(self.preview, 4)
        self.status.setMinimumHeight(150)
        self.status.setSizePolicy(self.status.sizePolicy().horizontalPolicy(), self.status.sizePolicy().Policy.Fixed)
        side.addWidget(self.status)
        side.addStretch(1)
        self.done_button = button("", theme.INK, 40, 130)
        self.done_button.clicked.connect(self.done)
        side.addWidget(self.done_button)
        self.box.addLayout(side, 2)
        self.content: TicketContent | None = None
        self.failed = False

    def show_ticket(self, content: TicketContent, lang: str) -> None:
        """The freshly issued ticket, printing."""
        self.content, self.failed = content, False
        t = content.ticket
        top = self.window()
        wide = top.width() > top.height() * 1.2
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        # Portrait: the code block keeps its natural height and the preview takes the rest.
        self.box.setStretch(0, 3 if wide else 0)
        self.box.setStretch(1, 2 if wide else 1)
        self.caption.setText(tr("your_number", lang))
        self.code.setText(t.code)
        width = (top.width() * (3 if wide else 5)) // 5 - 100
        # The number is already the largest text on the kiosk: with large text it gives up some height
        # (still over 200 px) to the lines under it, which grow by half.
        px = (320 if wide else 300) if text_scale() == 1.0 else 220
        self.code.setFont(fit_font(t.code, px, max(width, 300), scaled=False))
        self.prio.setVisible(t.priority)
        label_text = content.priority_name_in(lang)
        self.prio.setText(tr("priority", lang).upper() + (f"  \u2022  {label_text}" if label_text else ""))
        self.service.setText(content.service_name(lang))
        self.agency.setText(content.agency_name(lang))
        self.where.setText(tr("where", lang, zones=", ".join(content.zones)))
        self.where.setVisible(bool(content.zones))
        self.ahead.setText(tr("ahead", lang, n=content.ahead))
        self.wait.setText(wait_text(content.estimated_wait_minutes, lang))
        self.failed_banner.hide()
        self.preview.set_image(QImage())
        self.preview.hide()
        self.qr_frame.hide()
        self.done_button.hide()
        self.status.show()
        self.set_printing(True, lang)

    def set_printing(self, printing: bool, lang: str) -> None:
        self.status.setText(tr("printing" if printing else "printed", lang))

    def show_failed(self, lang: str) -> None:
        """Printing failed: the ticket stays valid, so show what a citizen can photograph."""
        if self.content is None:
            return
        self.failed = True
        # The banner and the QR take room: a smaller (still huge) number keeps it whole.
        self.code.setFont(fit_font(self.content.ticket.code, 200, max(self.code.width(), 300), scaled=False))
        self.failed_banner.setText(tr("print_failed_title", lang))
        self.failed_banner.show()
        self.qr.set_data(self.content.qr)
        self.help.setText(tr("print_failed_body", lang))
        self.qr_frame.show()
        self.preview.hide()
        self.status.hide()
        self.done_button.setText(tr("done", lang))
        self.done_button.show()

    def show_preview(self, image: QImage) -> None:
        """The ticket as printed (the image backend), beside the big code."""
        if self.failed:
            return
        self.preview.set_image(image)
        self.preview.show()
