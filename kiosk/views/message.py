"""Full-screen messages (service unavailable, printer problem, scan results) and the staff PIN pad."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.texts import tr
from kiosk.views.common import BODY, SMALL, TITLE, button, label, px_font
from qtkit import theme

KINDS = {  # kind: (mark, colour)
    "ok": ("\u2713", theme.OK),
    "info": ("i", theme.ACCENT),
    "warn": ("!", theme.WARN),
    "error": ("!", theme.DANGER),
    "wait": ("\u231B", theme.MUTED),
}


class MessageScreen(QWidget):
    """A mark, a large title and a sentence or two; an optional button."""

    action = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(70, 50, 70, 50)
        col.setSpacing(36)
        center = Qt.AlignmentFlag.AlignHCenter
        col.addStretch(2)
        self.mark = label("", 150, bold=True, color="#FFFFFF", align=Qt.AlignmentFlag.AlignCenter, wrap=False)
        self.mark.setFixedSize(240, 240)
        col.addWidget(self.mark, 0, center)
        self.title = label("", TITLE + 8, bold=True, align=center)
        self.body = label("", BODY + 8, align=center)
        self.detail = label("", BODY - 2, color=theme.MUTED, align=center)
        col.addWidget(self.title)
        col.addWidget(self.body)
        col.addWidget(self.detail)
        col.addStretch(3)
        self.button = button("", theme.INK, 40, 130)
        self.button.clicked.connect(self.action)
        col.addWidget(self.button)
        self.kind = ""

    def show_message(self, kind: str, title: str, body: str = "", detail: str = "", action: str = "") -> None:
        self.kind = kind
        mark, color = KINDS.get(kind, KINDS["info"])
        self.mark.setText(mark)
        self.mark.setStyleSheet(f"background: {color}; color: #FFFFFF; border-radius: 120px;")
        self.title.setText(title)
        self.title.setStyleSheet(f"color: {color if kind in ('error', 'warn') else theme.INK}; background: transparent;")
        self.body.setText(body)
        self.body.setVisible(bool(body))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.button.setText(action)
        self.button.setVisible(bool(action))


class StaffScreen(QWidget):
    """A PIN pad on screen (no keyboard at a kiosk), then the staff menu."""

    pin_entered = Signal(str)
    exit_requested = Signal()
    test_requested = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.pin = ""
        pad = QWidget()
        col = QVBoxLayout(pad)
        col.setContentsMargins(120, 20, 120, 20)
        col.setSpacing(14)
        col.addStretch(1)
        center = Qt.AlignmentFlag.AlignHCenter
        self.title = label("", TITLE, bold=True, align=center)
        self.dots = label("", 72, bold=True, align=center, wrap=False)
        self.dots.setMinimumHeight(80)
        self.note = label("", BODY, bold=True, color=theme.DANGER, align=center)
        col.addWidget(self.title)
        col.addWidget(self.dots)
        col.addWidget(self.note)
        grid = QGridLayout()
        grid.setSpacing(14)
        self.keys = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]):
            b = button(key, theme.ACCENT if key not in ("clear", "ok") else theme.INK, 44, 100)
            b.setFixedWidth(260)
            b.clicked.connect(lambda _=False, k=key: self._key(k))
            self.keys[key] = b
            grid.addWidget(b, i // 3, i % 3)
        col.addLayout(grid)
        self.cancel = button("", theme.INK, 34, 100, outline=True)
        self.cancel.clicked.connect(self.cancelled)
        col.addWidget(self.cancel)
        col.addStretch(1)
        self.pages.addWidget(pad)
        menu = QWidget()
        mcol = QVBoxLayout(menu)
        mcol.setContentsMargins(120, 60, 120, 60)
        mcol.setSpacing(30)
        mcol.addStretch(1)
        self.menu_title = label("", TITLE, bold=True, align=center)
        mcol.addWidget(self.menu_title)
        # For staff only (behind the PIN): the technical reason of a configuration or printer problem.
        self.menu_detail = label("", SMALL, color=theme.MUTED, align=center)
        mcol.addWidget(self.menu_detail)
        self.exit_button = button("", theme.DANGER, 40, 150)
        self.exit_button.clicked.connect(self.exit_requested)
        self.test_button = button("", theme.ACCENT, 40, 150)
        self.test_button.clicked.connect(self.test_requested)
        self.menu_back = button("", theme.INK, 34, 120, outline=True)
        self.menu_back.clicked.connect(self.cancelled)
        for b in (self.exit_button, self.test_button, self.menu_back):
            mcol.addWidget(b)
        mcol.addStretch(1)
        self.pages.addWidget(menu)

    def start(self, lang: str) -> None:
        self.lang = lang
        self.pin = ""
        self.pages.setCurrentIndex(0)
        self.title.setText(tr("staff_title", lang))
        self.keys["clear"].setText(tr("clear", lang))
        self.keys["ok"].setText(tr("ok", lang))
        self.cancel.setText(tr("cancel", lang))
        self.note.setText("")
        self._refresh()

    def _key(self, key: str) -> None:
        if key == "clear":
            self.pin = ""
        elif key == "ok":
            if self.pin:
                self.note.setStyleSheet(f"color: {theme.MUTED}; background: transparent;")
                self.note.setText(tr("staff_checking", self.lang))
                self.set_enabled(False)
                self.pin_entered.emit(self.pin)
            return
        elif len(self.pin) < 12:
            self.pin += key
        self._refresh()

    def _refresh(self) -> None:
        self.dots.setText("\u25CF " * len(self.pin) if self.pin else "\u2013")

    def set_enabled(self, enabled: bool) -> None:
        for b in self.keys.values():
            b.setEnabled(enabled)

    def wrong(self) -> None:
        self.pin = ""
        self.set_enabled(True)
        self.note.setStyleSheet(f"color: {theme.DANGER}; background: transparent;")
        self.note.setText(tr("staff_wrong", self.lang))
        self._refresh()

    def show_menu(self, detail: str = "") -> None:
        self.pin = ""
        self.menu_detail.setText(detail)
        self.menu_detail.setVisible(bool(detail))
        self.set_enabled(True)
        self.menu_title.setText(tr("staff_menu", self.lang))
        self.exit_button.setText(tr("staff_exit", self.lang))
        self.test_button.setText(tr("staff_test", self.lang))
        self.menu_back.setText("\u2190  " + tr("back", self.lang))
        self.pages.setCurrentIndex(1)
        self.dots.setFont(px_font(72, True))
