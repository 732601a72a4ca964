"""Choosing where to send the ticket in hand: a keyboard-first list of services and a note."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.state import ServiceChoice
from counter.texts import Texts

CODE_ROLE = Qt.ItemDataRole.UserRole


class TransferDialog(QDialog):
    """Type to filter, arrows to pick, Tab to the note, Enter to transfer, Esc to cancel."""

    def __init__(self, code: str, current_service: str, services: tuple[ServiceChoice, ...], t: Texts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("transfer_title", code=code))
        self.setModal(True)
        self.t = t
        self.title = QLabel(t("transfer_title", code=code), self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(t("transfer_target") + " …")
        self.services = QListWidget(self)
        for s in services:
            if s.code == current_service:
                continue
            name = s.name if t.lang == "id" else s.name_en
            item = QListWidgetItem(f"{s.code} · {name} — {s.agency}")
            item.setData(CODE_ROLE, s.code)
            self.services.addItem(item)
        if self.services.count():
            self.services.setCurrentRow(0)
        self.note = QLineEdit(self)
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(t("transfer_note"))
        self.error = QLabel("", self)
        self.error.setStyleSheet("color: #B71C1C; font-weight: bold;")
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(t("transfer"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = buttons.addButton(t("cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.filter.textChanged.connect(self._filter)
        self.services.itemDoubleClicked.connect(lambda _: self._accept())
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.filter)
        box.addWidget(self.services, 1)
        box.addWidget(QLabel(t("transfer_note"), self))
        box.addWidget(self.note)
        box.addWidget(self.error)
        box.addWidget(buttons)
        self.filter.installEventFilter(self)
        self.filter.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Arrow keys in the filter box move through the list, so the hands never leave the keys.
        if watched is self.filter and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                step = -1 if event.key() == Qt.Key.Key_Up else 1
                row = self.services.currentRow() + step
                while 0 <= row < self.services.count() and self.services.item(row).isHidden():
                    row += step
                if 0 <= row < self.services.count():
                    self.services.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def choice(self) -> str | None:
        """The chosen service code."""
        item = self.services.currentItem()
        return item.data(CODE_ROLE) if item is not None and not item.isHidden() else None

    def select(self, code: str) -> None:
        """Pick a service by code (tests and the screenshot tool use this)."""
        for i in range(self.services.count()):
            if self.services.item(i).data(CODE_ROLE) == code:
                self.services.setCurrentRow(i)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        first = None
        for i in range(self.services.count()):
            item = self.services.item(i)
            hit = needle in item.text().lower()
            item.setHidden(not hit)
            if hit and first is None:
                first = i
        if first is not None:
            self.services.setCurrentRow(first)

    def _accept(self) -> None:
        if self.choice() is None:
            self.error.setText(self.t("choose_service"))
            return
        self.accept()
