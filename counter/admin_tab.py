"""The admin tab of the supervisor's screen: operator accounts and the venue file's re-import.

Shown to admins only; every action is an engine call that checks the admin role itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from db.config_diff import preview_file, reimport
from db.errors import AntreError
from db.models import Role
from db.supervision import disable, reset_pin, save_operator


class AdminTab(QWidget):
    """Add, reset or disable an operator; preview a changed venue file, then apply it."""

    def __init__(self, window: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.window_, self.t, self.worker = window, window.t, window.worker
        tab = self
        self.op_user, self.op_name, self.op_agency, self.op_pin = (QLineEdit(tab) for _ in range(4))
        self.op_role = QComboBox(tab)
        for role in Role:
            self.op_role.addItem(role.value, role)
        self.op_save, self.op_reset, self.op_disable = (QPushButton(self.t(k), tab) for k in
                                                        ("op_save", "op_reset", "op_disable"))
        self.op_save.clicked.connect(self.save_operator)
        self.op_reset.clicked.connect(self.reset_pin)
        self.op_disable.clicked.connect(self.disable_operator)
        form = QFormLayout()
        for key, widget in (("op_user", self.op_user), ("op_name", self.op_name), ("op_role", self.op_role),
                            ("op_agency", self.op_agency), ("op_pin", self.op_pin)):
            form.addRow(self.t(key), widget)
        ops = QHBoxLayout()
        for button in (self.op_save, self.op_reset, self.op_disable):
            ops.addWidget(button)
        ops.addStretch(1)
        self.venue_path = QLineEdit(tab)
        self.preview_button, self.apply_button = QPushButton(self.t("preview"), tab), QPushButton(self.t("apply"), tab)
        self.apply_button.setEnabled(False)
        self.preview_button.clicked.connect(self.preview_venue)
        self.apply_button.clicked.connect(self.apply_venue)
        self.changes = QLabel(tab)
        self.changes.setWordWrap(True)
        self.changes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        venue = QHBoxLayout()
        venue.addWidget(QLabel(self.t("venue_file"), tab))
        venue.addWidget(self.venue_path, 1)
        venue.addWidget(self.preview_button)
        venue.addWidget(self.apply_button)
        box = QVBoxLayout(tab)
        box.addLayout(form)
        box.addLayout(ops)
        box.addSpacing(16)
        box.addLayout(venue)
        box.addWidget(self.changes, 1)

    def save_operator(self) -> None:
        user, name, role = self.op_user.text().strip(), self.op_name.text().strip(), Role(self.op_role.currentData())
        agency, pin = self.op_agency.text().strip() or None, self.op_pin.text().strip() or None
        if user:
            self.window_.act(lambda s, actor: save_operator(s, actor, user, name or user, role=role, agency=agency, pin=pin))

    def reset_pin(self) -> None:
        user, pin = self.op_user.text().strip(), self.op_pin.text().strip()
        if user and pin:
            self.window_.act(lambda s, actor: reset_pin(s, actor, user, pin))

    def disable_operator(self) -> None:
        user = self.op_user.text().strip()
        if user:
            self.window_.act(lambda s, actor: disable(s, actor, user))

    def preview_venue(self) -> None:
        path = Path(self.venue_path.text().strip())

        def done(changes: list[Any]) -> None:
            self.changes.setText("\n".join(c.line() for c in changes) or self.t("no_change"))
            self.apply_button.setEnabled(bool(changes))

        def failed(error: Exception) -> None:
            self.changes.setText(str(error) if isinstance(error, AntreError) else self.t("offline"))
            self.apply_button.setEnabled(False)

        self.worker.run(lambda s: preview_file(s, path), done, failed, read=True)

    def apply_venue(self) -> None:
        path = Path(self.venue_path.text().strip())
        self.apply_button.setEnabled(False)
        self.window_.act(lambda s, actor: reimport(s, actor, path))
