"""Signing in (counter, username, PIN) and choosing a new PIN when the account must change it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from counter.controller import ConsoleController, Phase
from db.operators import SignIn


def _centered(page: QWidget, card: QFrame) -> None:
    outer = QVBoxLayout(page)
    outer.addStretch(1)
    outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
    outer.addStretch(2)


class _Card(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setMinimumWidth(560)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(36, 28, 36, 28)
        self.box.setSpacing(8)

    def label(self, name: str = "") -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        if name:
            label.setObjectName(name)
        self.box.addWidget(label)
        return label

    def field(self, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit(self)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(64)
        self.box.addWidget(edit)
        return edit


class SignInPage(QWidget):
    """Counter (fixed for this PC or chosen), username and PIN; Enter signs in."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.controller = controller
        self.card = card = _Card(self)
        self.title = card.label("cardTitle")
        self.venue = card.label("venueName")
        self.counter_label = card.label()
        self.counter = QComboBox(card)
        card.box.addWidget(self.counter)
        self.username_label = card.label()
        self.username = card.field()
        self.pin_label = card.label()
        self.pin = card.field(secret=True)
        card.box.addSpacing(8)
        self.error = card.label("formError")
        self.button = QPushButton(card)
        card.box.addWidget(self.button)
        _centered(self, card)
        self._counters: tuple[str, ...] = ()
        self.button.clicked.connect(self.submit)
        self.username.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.submit)
        controller.changed.connect(self.render)
        controller.sign_in_done.connect(self._done)
        controller.notice.connect(self._notice)
        self.render()

    def _notice(self, level: str, text: str) -> None:
        # e.g. "signed out: the counter was taken elsewhere" arrives as the page switches here
        if self.controller.phase == Phase.SIGN_IN and level in ("warn", "error"):
            self.error.setText(text)

    def chosen_counter(self) -> str | None:
        """The fixed counter when it exists, else the one picked in the list."""
        fixed = self.controller.fixed_counter
        if fixed and fixed in self._counters:
            return fixed
        data = self.counter.currentData()
        return str(data) if data else None

    def submit(self) -> None:
        """Send the sign-in to the worker (scrypt runs there, never on the GUI thread)."""
        c, t = self.controller, self.controller.t
        if not self.button.isEnabled():
            return
        counter = self.chosen_counter()
        if not counter or not self.username.text().strip() or not self.pin.text():
            self.error.setText(t("fill_in"))
            return
        self.error.setText("")
        c.sign_in(counter, self.username.text(), self.pin.text())

    def _done(self, result: object) -> None:
        t = self.controller.t
        self.pin.clear()
        if isinstance(result, Exception):
            self.error.setText(t.error(result))
            return
        assert isinstance(result, SignIn)
        if result.ok:
            self.error.setText("")
            return
        if result.reason == "wrong_pin":
            left = result.tries_left
            self.error.setText(t("si_wrong_pin", left=left) if left is not None else t("si_wrong_pin_plain"))
        elif result.reason == "locked":
            tz = ZoneInfo(self.controller.setup.timezone if self.controller.setup else "Asia/Jakarta")
            until = result.locked_until.astimezone(tz).strftime("%H:%M") if result.locked_until else "?"
            self.error.setText(t("si_locked", until=until))
        elif result.reason == "not_allowed":
            self.error.setText(t("si_not_allowed", counter=self.counter_name(self.chosen_counter())))
        elif result.reason in ("unknown", "no_pin"):
            self.error.setText(t(f"si_{result.reason}"))
        else:
            self.error.setText(result.message)
        self.pin.setFocus()

    def counter_name(self, code: str | None) -> str:
        setup = self.controller.setup
        found = next((c for c in setup.counters if c.code == code), None) if setup else None
        return found.name if found else (code or "")

    def render(self) -> None:
        c, t = self.controller, self.controller.t
        self.title.setText(t("sign_in_title"))
        self.venue.setText(c.setup.venue_name if c.setup else t("connecting"))
        self.username_label.setText(t("username"))
        self.pin_label.setText(t("pin"))
        self.button.setText(t("signing_in") if c.busy and c.phase == Phase.SIGN_IN else t("sign_in"))
        self.button.setEnabled(bool(c.online) and not c.busy and c.setup is not None)
        counters = tuple(x.code for x in c.setup.counters) if c.setup else ()
        if counters != self._counters:
            self._counters = counters
            current = self.counter.currentData()
            self.counter.clear()
            for x in c.setup.counters if c.setup else ():
                self.counter.addItem(f"{x.name} ({x.code})" + (f" — {x.agency}" if x.agency else ""), x.code)
            index = self.counter.findData(c.fixed_counter or current)
            self.counter.setCurrentIndex(max(index, 0))
        fixed = c.fixed_counter
        if fixed and fixed in self._counters:
            self.counter_label.setText(t("fixed_counter", name=f"{self.counter_name(fixed)} ({fixed})"))
            self.counter.hide()
        else:
            unknown = fixed and c.setup is not None
            self.counter_label.setText(t("unknown_counter", code=fixed) if unknown else t("counter"))
            self.counter.show()


class PinPage(QWidget):
    """An account that must change its PIN chooses a new one before the console opens."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.controller = controller
        self.card = card = _Card(self)
        self.title = card.label("cardTitle")
        self.why = card.label()
        self.new_label = card.label()
        self.new = card.field(secret=True)
        self.repeat_label = card.label()
        self.repeat = card.field(secret=True)
        card.box.addSpacing(8)
        self.error = card.label("formError")
        self.save = QPushButton(card)
        self.cancel = QPushButton(card)
        self.cancel.setObjectName("secondary")
        card.box.addWidget(self.save)
        card.box.addWidget(self.cancel)
        _centered(self, card)
        self.new.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        self.save.clicked.connect(self.submit)
        self.cancel.clicked.connect(controller.sign_out)
        controller.changed.connect(self.render)
        controller.pin_done.connect(self._done)
        self.render()

    def submit(self) -> None:
        t = self.controller.t
        if not self.save.isEnabled():
            return
        if self.new.text() != self.repeat.text():
            self.error.setText(t("pins_differ"))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        self.error.setText("")
        self.controller.change_pin(self.new.text())

    def _done(self, problem: str) -> None:
        self.error.setText(problem)
        self.new.clear()
        self.repeat.clear()
        self.new.setFocus()

    def render(self) -> None:
        c, t = self.controller, self.controller.t
        self.title.setText(t("pin_title"))
        self.why.setText(t("pin_why", name=c.operator.display_name if c.operator else ""))
        self.new_label.setText(t("new_pin"))
        self.repeat_label.setText(t("repeat_pin"))
        self.save.setText(t("save_pin"))
        self.cancel.setText(t("cancel_sign_out"))
        ready = bool(c.online) and not c.busy
        self.save.setEnabled(ready)
        self.cancel.setEnabled(ready)
