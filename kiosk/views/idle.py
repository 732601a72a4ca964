"""The idle warning: before an idle reset would lose a citizen's choice, say so with a countdown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.texts import tr
from kiosk.views.common import BODY, TITLE, button, label
from qtkit import theme


class IdleWarning(QFrame):
    """A full-window veil with a card: 'Masih di sini?', the seconds left and a 'Lanjutkan' button.

    Any touch on it (the button or anywhere else) keeps the citizen's choices; the window decides.
    """

    touched = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("veil")
        self.setStyleSheet("QFrame#veil { background: rgba(11, 31, 51, 190); }")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 60, 60, 60)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card.setStyleSheet(f"QFrame#card {{ background: #FFFFFF; border: 4px solid {theme.WARN}; border-radius: 24px; }}")
        col = QVBoxLayout(card)
        col.setContentsMargins(48, 40, 48, 40)
        col.setSpacing(24)
        center = Qt.AlignmentFlag.AlignHCenter
        self.title = label("", TITLE, bold=True, color=theme.WARN, align=center)
        self.body = label("", BODY + 6, align=center)
        self.count = label("", 96, bold=True, align=center, wrap=False)
        self.keep = button("", theme.ACCENT, 40, 130)
        self.keep.clicked.connect(self.touched)
        for w in (self.title, self.body, self.count, self.keep):
            col.addWidget(w)
        outer.addWidget(card)
        outer.addStretch(1)
        self.hide()

    def show_countdown(self, seconds: int, lang: str) -> None:
        """Show (or update) the warning with `seconds` left."""
        self.title.setText(tr("idle_title", lang))
        self.body.setText(tr("idle_body", lang, s=seconds))
        self.count.setText(str(seconds))
        self.keep.setText(tr("idle_keep", lang))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def mousePressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.touched.emit()
        event.accept()
