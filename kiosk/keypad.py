"""Keypad navigation and audio mode (after EZ Access): Up, Down, Back, Help and Enter reach everything.

Keys are ordinary keyboard keys so any USB keypad works: arrows (and the numeric keypad's 8/4 up,
2/6 down, 5 enter), Return/Enter, Backspace/Escape for Back, F1 (or "h", "?") for Help, keypad +/-
for the volume. The focused element carries a two-tone ring (black outside, yellow inside) that
reads at 3:1 or more against any background. Help starts audio mode: every focused element is read
(name, role, state) in Indonesian; Help again repeats; any key interrupts. Holding Help while
touching the screen reads the element under the finger without pressing it. A ticket printed in
audio mode is read aloud. The idle reset ends the session: audio mode off, volume back to default.
Headphones: a new audio output (QMediaDevices) starts audio mode where the system reports one.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent, QColor, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QLabel, QLayout, QWidget

from db import kiosk_speech
from db.ticket_layout import TicketContent
from qtkit.speech import RecordingSpeech, Speech

UP, DOWN, ENTER, BACK, HELP, LOUDER, SOFTER = "up", "down", "enter", "back", "help", "louder", "softer"
_K = Qt.Key
_PLAIN = {
    _K.Key_Up: UP, _K.Key_Left: UP, _K.Key_Down: DOWN, _K.Key_Right: DOWN,
    _K.Key_Return: ENTER, _K.Key_Enter: ENTER, _K.Key_Clear: ENTER, _K.Key_Select: ENTER,
    _K.Key_Backspace: BACK, _K.Key_Escape: BACK, _K.Key_Back: BACK,
    _K.Key_F1: HELP, _K.Key_Help: HELP, _K.Key_VolumeUp: LOUDER, _K.Key_VolumeDown: SOFTER,
}
_KEYPAD = {_K.Key_8: UP, _K.Key_4: UP, _K.Key_2: DOWN, _K.Key_6: DOWN, _K.Key_5: ENTER,
           _K.Key_Plus: LOUDER, _K.Key_Minus: SOFTER}
_TYPED_HELP = ("h", "H", "?")  # also the first letter a QR scanner may type: decided after a short wait
TYPED_HELP_MS = 150
RING_OUTER, RING_INNER = QColor("#000000"), QColor("#FFD600")
RING = 5  # px per band


def key_action(event: QKeyEvent) -> str | None:
    """The keypad action of a key press, or None (a typed character, e.g. from the QR scanner)."""
    key = _K(event.key())
    if event.modifiers() & Qt.KeyboardModifier.KeypadModifier and key in _KEYPAD:
        return _KEYPAD[key]
    return _PLAIN.get(key)


def role_of(widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton):
        return "button"
    if isinstance(widget, QLabel) and widget.font().pixelSize() >= 46:
        return "heading"
    return "text"


def name_of(widget: QWidget) -> str:
    """What the element is called: its accessible name, else its text."""
    name = widget.accessibleName()
    if not name and isinstance(widget, (QAbstractButton, QLabel)):
        name = widget.text()
    return kiosk_speech.spoken_text(name)


def readable(widget: QWidget) -> bool:
    if not widget.isVisible() or widget.property("a11y_skip"):
        return False
    if isinstance(widget, QAbstractButton):
        return bool(name_of(widget))
    return isinstance(widget, QLabel) and bool(widget.text().strip()) and widget.pixmap().isNull()


def reading_order(root: QWidget) -> Iterator[QWidget]:
    """The root's readable widgets in layout order (the order a sighted citizen reads the screen)."""

    def from_layout(layout: QLayout) -> Iterator[QWidget]:
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if item.widget() is not None:
                yield from walk(item.widget())
            elif item.layout() is not None:
                yield from from_layout(item.layout())

    def walk(w: QWidget) -> Iterator[QWidget]:
        if not w.isVisible():
            return
        if readable(w):
            yield w
        if isinstance(w, (QAbstractButton, QLabel)):
            return
        if w.layout() is not None:
            yield from from_layout(w.layout())

    yield from walk(root)


class FocusRing(QWidget):
    """Draws the ring around the focused element, on top of everything, never taking a touch."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.target: QWidget | None = None
        self.hide()

    def show_on(self, target: QWidget | None) -> None:
        self.target = target
        window = self.parentWidget()
        self.setGeometry(window.rect())
        self.setVisible(target is not None)
        self.raise_()
        self.update()

    def target_rect(self) -> QRect:
        t = self.target
        if t is None or not t.isVisible():
            return QRect()
        return QRect(t.mapTo(self.parentWidget(), QPoint(0, 0)), t.size())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        r = self.target_rect()
        if r.isNull():
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(Qt.BrushStyle.NoBrush)
        # Outer black band just outside the element, inner yellow band on its edge: one of the two
        # always stands at 3:1 or more against whatever colour is next to it.
        p.setPen(QPen(RING_OUTER, RING))
        p.drawRoundedRect(r.adjusted(-RING - RING // 2, -RING - RING // 2, RING + RING // 2, RING + RING // 2), 22, 22)
        p.setPen(QPen(RING_INNER, RING))
        p.drawRoundedRect(r.adjusted(-RING // 2, -RING // 2, RING // 2, RING // 2), 20, 20)
        p.end()


class Keypad(QObject):
    """Focus, keys and speech for one KioskWindow."""

    def __init__(self, window: QWidget, speech: Speech | None = None) -> None:
        super().__init__(window)
        self.w = window
        self.speech = speech or RecordingSpeech(self)
        self.audio = False
        self.help_down = False
        self.focused: QWidget | None = None
        self.ring = FocusRing(window)
        self.shown = False  # the ring shows once a keypad key was used
        self._typed_help = QTimer(self)
        self._typed_help.setSingleShot(True)
        self._typed_help.timeout.connect(self._typed_help_check)
        self._watch_outputs()

    # --- what can be reached -------------------------------------------------------------------
    def roots(self) -> list[QWidget]:
        veil = self.w.idle_warning
        if veil.isVisible():
            return [veil]
        return [self.w.header, self.w.stack.currentWidget()]

    def elements(self) -> list[QWidget]:
        """Every element of the screen as shown, in reading order (header first)."""
        return [e for root in self.roots() for e in reading_order(root) if e is not self.w.header.logo]

    def _first(self, elements: list[QWidget]) -> QWidget | None:
        body = [e for e in elements if not self.w.header.isAncestorOf(e)]
        return (body or elements or [None])[0]

    # --- keys --------------------------------------------------------------------------------------
    def key_press(self, event: QKeyEvent, scanning: bool) -> bool:
        """A key went down; True if it was a keypad key (else it belongs to the QR scanner)."""
        action = key_action(event)
        if action is None:
            if event.text() in _TYPED_HELP and not scanning:
                self._typed_help.start(TYPED_HELP_MS)  # "h": Help, unless a scan's next letters follow
            return False
        if scanning and (action == ENTER or event.modifiers() & Qt.KeyboardModifier.KeypadModifier and event.text()):
            return False  # Enter ending a scan, or a keypad digit inside one
        if action == HELP and event.isAutoRepeat():
            return True
        self.act(action)
        return True

    def key_release(self, event: QKeyEvent) -> None:
        if key_action(event) == HELP and not event.isAutoRepeat():
            self.help_down = False

    def _typed_help_check(self) -> None:
        if self.w._scan_buffer in _TYPED_HELP:
            self.w._scan_buffer = ""
            self.act(HELP, held=False)

    def act(self, action: str, *, held: bool = True) -> None:
        """Do one keypad action (the window already kept the idle timer and the warning)."""
        self.speech.stop()  # any key interrupts what is being said
        if action == HELP:
            self.help_down = held
            self.help()
            return
        if action in (LOUDER, SOFTER):
            self.speech.set_volume(self.speech.volume + (0.1 if action == LOUDER else -0.1))
            if self.audio:
                self.say(kiosk_speech.volume_text(self.speech.volume, self.w.lang))
            return
        elements = self.elements()
        if action in (UP, DOWN):
            self.move(elements, -1 if action == UP else 1)
        elif action == ENTER:
            self.enter(elements)
        elif action == BACK:
            self.back()

    def move(self, elements: list[QWidget], step: int) -> None:
        if not elements:
            return
        if self.focused in elements and self.shown:
            i = (elements.index(self.focused) + step) % len(elements)
            self.focus(elements[i])
        else:
            self.focus(self._first(elements))

    def enter(self, elements: list[QWidget]) -> None:
        w = self.focused
        if w not in elements or not self.shown:
            self.focus(self._first(elements))
            return
        if isinstance(w, QAbstractButton) and w.isEnabled():
            w.click()
            QTimer.singleShot(0, self, self.follow)
        else:
            self.read(w)  # text, or a button that cannot be chosen: say it (again)

    def back(self) -> None:
        """One step back: the previous page of the flow (never out of the kiosk)."""
        w = self.w
        if w.idle_warning.isVisible():
            return
        if w.view == "agency":
            w.agency.back.emit()
        elif w.view == "confirm":
            if w.confirm.pages.currentIndex() == 1:
                w.confirm.pages.setCurrentIndex(0)
            else:
                w.confirm.back.emit()
        elif w.view == "staff":
            w.staff.cancelled.emit()
        elif w.view == "booking" and hasattr(w, "booking"):
            w.booking.back.emit()
        elif w.view == "message" and w.message.button.isVisible():
            w.message.action.emit()
        elif w.view == "ticket" and w.ticket.done_button.isVisible():
            w.ticket.done.emit()
        QTimer.singleShot(0, self, self.follow)

    def help(self) -> None:
        if not self.audio:
            self.start_audio()
            return
        if self.focused is not None and self.focused.isVisible():
            self.read(self.focused)
        else:
            self.follow()

    # --- focus and speech ------------------------------------------------------------------------
    def focus(self, w: QWidget | None, *, speak: bool = True) -> None:
        self.focused, self.shown = w, w is not None
        self.ring.show_on(w)
        if w is None:
            return
        QAccessible.updateAccessibility(QAccessibleEvent(w, QAccessible.Event.Focus))
        if speak and self.audio:
            self.read(w)

    def follow(self) -> None:
        """After a change of screen or page: keep the focus if it is still shown, else the screen's first element."""
        if not self.shown:
            return
        elements = self.elements()
        if self.focused in elements:
            self.ring.show_on(self.focused)
        else:
            self.focus(self._first(elements))

    def view_changed(self, view: str) -> None:
        after_ticket, self._last_view = getattr(self, "_last_view", "") == "ticket", view
        if self.shown:
            QTimer.singleShot(0, self, lambda: self._new_screen(after_ticket))  # dropped if the window goes

    def _new_screen(self, after_ticket: bool = False) -> None:
        # The ticket is read when issued; back Home after it, the ring moves silently so that reading
        # (longer than the ticket screen stays) is not cut off. Help reads Home.
        quiet = self.w.view == "ticket" or after_ticket
        self.focus(self._first(self.elements()), speak=not quiet)

    def describe(self, w: QWidget) -> str:
        detail: list[str] = []
        if hasattr(w, "lines"):  # a tile: its figures and, when greyed, why
            detail = list(w.lines) + ([w.note] if w.note and not w.isEnabled() else [])
        if isinstance(w, QAbstractButton) and w.isCheckable():
            on = w.isChecked()
            detail = [("on" if on else "off") if self.w.lang == "en" else ("aktif" if on else "tidak aktif")]
        return kiosk_speech.describe(name_of(w), role_of(w), enabled=w.isEnabled(), detail=detail, lang=self.w.lang)

    def say(self, text: str) -> None:
        self.speech.say(text, self.w.lang)

    def read(self, w: QWidget) -> None:
        if self.audio:
            self.say(self.describe(w))

    def start_audio(self) -> None:
        self.audio = True
        elements = self.elements()
        target = self.focused if self.focused in elements and self.shown else self._first(elements)
        self.focus(target, speak=False)
        intro = kiosk_speech.audio_intro(self.w.lang)
        self.say(intro + (" " + self.describe(target) if target is not None else ""))

    def touch(self, pos: QPoint) -> bool:
        """Touch and hear: while Help is held a touch reads the element under it; True: the touch is taken."""
        if not self.help_down:
            return False
        local = self.w.mapFromGlobal(pos)
        for e in self.elements():
            if QRect(e.mapTo(self.w, QPoint(0, 0)), e.size()).contains(local):
                if not self.audio:
                    self.audio = True
                self.speech.stop()
                self.focus(e)
                return True
        return True  # nothing readable there: still never a tap

    def idle_warning(self, seconds: int) -> None:
        if self.audio:
            self.say(kiosk_speech.idle_warning(seconds, self.w.lang))

    def printed(self, _token: int, _handed_at: float) -> None:
        """The ticket came out of the printer: read it (number, service, people ahead, where)."""
        content = self.w.ticket.content
        if self.audio and content is not None and self.w.view == "ticket" and not self.w.ticket.failed:
            self.ticket(content)

    def print_failed(self, _token: int, _error: str) -> None:
        content = self.w.ticket.content
        if self.audio and content is not None and self.w.view == "ticket":
            self.say(kiosk_speech.print_failed_speech(content.ticket.code, self.w.lang))

    def ticket(self, content: TicketContent) -> None:
        if not self.audio:
            return
        lang = self.w.lang
        self.say(kiosk_speech.ticket_speech(content.ticket.code, content.service_name(lang), content.ahead,
                                            list(content.zones), lang))

    def reset(self) -> None:
        """The session is over (idle reset): silence, default volume, no audio mode, no ring."""
        self.audio = self.help_down = False
        self.speech.reset()
        self.focused, self.shown = None, False
        self.ring.show_on(None)

    # --- headphones ----------------------------------------------------------------------------
    def _watch_outputs(self) -> None:
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:
            self.devices = None
            return
        self.devices = QMediaDevices(self)
        self._outputs = len(QMediaDevices.audioOutputs())
        self.devices.audioOutputsChanged.connect(self.outputs_changed)

    def outputs_changed(self, count: int | None = None) -> None:
        """An audio output appeared (headphones plugged into a jack the system reports): audio mode."""
        if count is None:
            from PySide6.QtMultimedia import QMediaDevices

            count = len(QMediaDevices.audioOutputs())
        more, self._outputs = count > self._outputs, count
        if more and not self.audio:
            self.start_audio()

