"""Booking code entry ("Punya kode booking?"): a large on-screen keypad, or the code scanned from the phone.

Booking codes are letters and digits (db.bookings.CODE_RE: 4 to 32 of A-Z, 0-9; generated ones
skip look-alikes), so the pad has every digit and letter, laid out as on a phone keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.texts import tr
from kiosk.views.common import BODY, TAKE, TITLE, button, fit_font, label
from qtkit import theme

ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
MAX_CODE = 32  # db.bookings.CODE_RE
DELETE, CLEAR = "delete", "clear"


class BookingScreen(QWidget):
    """Type (or scan) a booking code, then 'Ambil Antrean'; a refusal shows here and the code can be fixed."""

    submitted = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = "id"
        self.code = ""
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 20, 28, 20)
        col.setSpacing(12)
        center = Qt.AlignmentFlag.AlignHCenter
        self.title = label("", TITLE, bold=True, align=center)
        self.hint = label("", BODY, color=theme.MUTED, align=center)
        col.addWidget(self.title)
        col.addWidget(self.hint)
        self.display = label("", 80, bold=True, align=Qt.AlignmentFlag.AlignCenter, wrap=False)
        self.display.setMinimumHeight(110)
        self.display.setStyleSheet(f"color: {theme.INK}; background: #FFFFFF; border: 4px solid {theme.ACCENT};"
                                   " border-radius: 18px;")
        col.addWidget(self.display)
        self.note = label("", BODY + 4, bold=True, color=theme.DANGER, align=center)
        self.note.setMinimumHeight(BODY + 16)
        col.addWidget(self.note)
        col.addStretch(1)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        for r, row in enumerate(ROWS):
            for c, ch in enumerate(row):
                b = button(ch, theme.ACCENT, 40, 84)
                b.setMinimumWidth(61)
                b.setStyleSheet(b.styleSheet().replace("padding: 8px 24px", "padding: 4px 0px"))
                b.clicked.connect(lambda _=False, k=ch: self.key(k))
                self.keys[ch] = b
                grid.addWidget(b, r, c)
        self.keys[DELETE] = button("\u232B", theme.INK, 32, 84)
        self.keys[DELETE].setMinimumWidth(61)
        self.keys[DELETE].setStyleSheet(self.keys[DELETE].styleSheet().replace("padding: 8px 24px", "padding: 4px 0px"))
        grid.addWidget(self.keys[DELETE], 2, 9)
        self.keys[CLEAR] = button("", theme.INK, 34, 84, outline=True)
        grid.addWidget(self.keys[CLEAR], 3, 7, 1, 3)
        self.keys[DELETE].clicked.connect(lambda: self.key(DELETE))
        self.keys[CLEAR].clicked.connect(lambda: self.key(CLEAR))
        for c in range(10):
            grid.setColumnStretch(c, 1)
        col.addLayout(grid)
        col.addStretch(1)
        actions = QHBoxLayout()
        actions.setSpacing(24)
        self.back_button = button("", theme.INK, 34, 110, outline=True)
        self.back_button.clicked.connect(self.back)
        self.ok_button = button("", TAKE, 40, 110)
        self.ok_button.clicked.connect(self._submit)
        actions.addWidget(self.back_button, 1)
        actions.addWidget(self.ok_button, 2)
        col.addLayout(actions)
        self.busy = False

    def start(self, lang: str, code: str = "") -> None:
        """A fresh entry (or a scanned code already filled in), in the citizen's language."""
        self.code = code[:MAX_CODE]
        self.note.setText("")
        self.set_busy(False)
        self.retranslate(lang)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(tr("booking_title", lang))
        self.hint.setText(tr("booking_hint", lang))
        self.keys[CLEAR].setText(tr("clear", lang))
        self.back_button.setText("\u2190  " + tr("back", lang))
        self.ok_button.setText(tr("take", lang))
        names = {DELETE: tr("booking_delete", lang), CLEAR: tr("booking_clear", lang)}
        for key, b in self.keys.items():
            b.setAccessibleName(names.get(key, tr("booking_key", lang, k=key)))
        self.display.setAccessibleName(tr("booking_code_name", lang))
        self.back_button.setAccessibleName(tr("back", lang))
        self.ok_button.setAccessibleName(tr("booking_submit_name", lang))
        self._refresh()

    def key(self, key: str) -> None:
        """One tap on the pad."""
        if self.busy:
            return
        if key == DELETE:
            self.code = self.code[:-1]
        elif key == CLEAR:
            self.code = ""
        elif len(self.code) < MAX_CODE:
            self.code += key
        self.note.setText("")
        self._refresh()

    def _refresh(self) -> None:
        text = self.code or "\u2013"
        self.display.setText(text)
        width = max(self.display.width() - 48, 300)
        self.display.setFont(fit_font(text, 80, width, minimum=36, step=4))
        self.ok_button.setEnabled(bool(self.code) and not self.busy)
        self.display.setAccessibleDescription(self.code)

    def _submit(self) -> None:
        if self.code and not self.busy:
            self.set_busy(True)
            self.note.setStyleSheet(f"color: {theme.MUTED}; background: transparent;")
            self.note.setText(tr("booking_checking", self.lang))
            self.submitted.emit(self.code)

    def set_busy(self, busy: bool) -> None:
        """While the code is checked no key does anything (one ticket per booking, one tap taken)."""
        self.busy = busy
        for b in self.keys.values():
            b.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        self.ok_button.setEnabled(bool(self.code) and not busy)

    def refused(self, text: str) -> None:
        """The engine said no: its reason in plain words, the code kept to correct."""
        self.set_busy(False)
        self.note.setStyleSheet(f"color: {theme.DANGER}; background: transparent;")
        self.note.setText(text)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        super().resizeEvent(event)
        # Portrait has height to spare: taller keys are easier to hit; landscape keeps them at 84 px.
        top = self.window()
        height = 84 if top.width() > top.height() * 1.2 else 120
        for b in self.keys.values():
            b.setFixedHeight(height)
        self._refresh()
