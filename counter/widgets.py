"""Small widgets of the console: the big action button with its key, and a one-line banner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from counter.style import DISABLED_TEXT, NOTICE_COLORS, button_style


class ActionButton(QPushButton):
    """A large button that mirrors a QAction and shows its keyboard shortcut on its face."""

    def __init__(self, action: QAction, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action, self.kind = action, kind
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the shortcuts, never to a stray button
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.key = QLabel(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        for child in (self.key, self.label):
            child.setAlignment(Qt.AlignmentFlag.AlignCenter)
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 8)
        box.setSpacing(2)
        box.addWidget(self.key, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.label, 1)
        self._scale, self._highlight = 1.0, False
        self.clicked.connect(action.trigger)
        action.changed.connect(self._sync)
        self.set_scale(1.0)
        self._sync()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.setStyleSheet(
            button_style(self.kind, scale, highlight=self._highlight)
            + f"QLabel {{ color: #FFFFFF; background: transparent; font-size: {round(21 * scale)}px; }}"
            f"QLabel:disabled {{ color: {DISABLED_TEXT}; }}"
            f"QLabel#key {{ font-size: {round(15 * scale)}px; border: 2px solid #FFFFFF; border-radius: 4px;"
            f" padding: 0px 6px; }}"
            f"QLabel#key:disabled {{ border-color: {DISABLED_TEXT}; }}"
        )
        self.key.setObjectName("key")
        self.setMinimumHeight(round(78 * scale))

    def set_highlight(self, on: bool) -> None:
        """A thick yellow frame: the console suggests this action."""
        if on != self._highlight:
            self._highlight = on
            self.set_scale(self._scale)

    def _sync(self) -> None:
        self.label.setText(self.action.text())
        self.key.setText(self.action.shortcut().toString())
        self.setEnabled(self.action.isEnabled())
        self.setAccessibleName(f"{self.action.text()} ({self.action.shortcut().toString()})")


class Banner(QLabel):
    """A full-width line of text in a notice colour; hidden when empty."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.level = ""
        self.hide()

    def show_text(self, level: str, text: str) -> None:
        self.level = level
        self.setText(text)
        bg, fg = NOTICE_COLORS.get(level, NOTICE_COLORS[""])
        if level == "error" and self.objectName() == "banner":
            bg, fg = "#B71C1C", "#FFFFFF"  # the offline banner must be impossible to overlook
        self.setStyleSheet(f"background: {bg}; color: {fg};")
        self.setVisible(bool(text))
