"""The console window: a banner for the database state above three pages (sign-in, new PIN, console)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from counter.console_page import ConsolePage
from counter.controller import ConsoleController, Phase
from counter.signin_page import PinPage, SignInPage
from counter.style import scale_for, stylesheet
from counter.widgets import Banner
from qtkit.watcher import make_watcher
from qtkit.worker import DbWorker


class CounterWindow(QWidget):
    """One officer's console; it owns the controller and stops the worker when closed."""

    def __init__(self, controller: ConsoleController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("page")
        self.banner = Banner("banner", self)
        self.stack = QStackedWidget(self)
        self.sign_in_page = SignInPage(controller, self)
        self.pin_page = PinPage(controller, self)
        self.console = ConsolePage(controller, self)
        for page in (self.sign_in_page, self.pin_page, self.console):
            self.stack.addWidget(page)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.banner)
        box.addWidget(self.stack, 1)
        self._scale = 0.0
        self._phase: Phase | None = None
        self._stopped = False
        self.apply_scale(768)
        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self.console.tick)
        self.clock.start()
        controller.changed.connect(self.render)
        self.render()

    def render(self) -> None:
        c, t = self.controller, self.controller.t
        self.setWindowTitle(f"Antre · {t('title')}" + (f" · {c.counter_code}" if c.counter_code else ""))
        if c.online is False:
            self.banner.show_text("error", t("offline"))
        elif c.online is None:
            self.banner.show_text("info", t("connecting"))
        elif c.config_problems:
            self.banner.show_text("warn", t("config_problem", problems="; ".join(c.config_problems)))
        else:
            self.banner.show_text("", "")
        if c.phase != self._phase:
            self._phase = c.phase
            page = {Phase.SIGN_IN: self.sign_in_page, Phase.CHANGE_PIN: self.pin_page,
                    Phase.CONSOLE: self.console}[c.phase]
            self.stack.setCurrentWidget(page)
            if c.phase == Phase.SIGN_IN:
                field = self.sign_in_page.pin if self.sign_in_page.username.text() else self.sign_in_page.username
                field.setFocus()
            elif c.phase == Phase.CHANGE_PIN:
                self.pin_page.new.setFocus()
            else:
                self.console.table.setFocus()

    def apply_scale(self, height: int) -> None:
        scale = round(scale_for(height), 2)
        if scale != self._scale:
            self._scale = scale
            self.setStyleSheet(stylesheet(scale))
            self.console.set_scale(scale)
            for page in (self.sign_in_page, self.pin_page):
                page.card.setMinimumWidth(round(560 * scale))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.apply_scale(event.size().height())
        super().resizeEvent(event)

    def shutdown(self) -> None:
        """Stop the clock, the watcher and the worker (idempotent)."""
        if not self._stopped:
            self._stopped = True
            self.clock.stop()
            self.controller.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)


def build_console(url: str, *, counter: str | None = None, lang: str | None = None,
                  poll_ms: int = 150) -> CounterWindow:
    """The console for a database URL, started (it connects and loads in the background)."""
    worker = DbWorker(url)
    watcher = make_watcher(worker, poll_ms)
    controller = ConsoleController(worker, watcher, counter=counter, lang=lang)
    window = CounterWindow(controller)
    worker.setParent(window)
    watcher.setParent(window)
    controller.setParent(window)
    controller.start()
    return window
