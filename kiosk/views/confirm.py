"""Confirm: the service standard (requirements, fee, completion time) and the take/priority buttons."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.catalog import ServiceView
from db.fees import fee_headline, fee_label, fee_note
from db.priority import PriorityCategory
from db.views import ServiceQueue
from kiosk.icons import icon_for
from kiosk.texts import duration, tr, wait_text
from kiosk.views.common import BODY, PRIORITY, SMALL, TAKE, TITLE, button, label, text_scale
from kiosk.views.home import Pager
from qtkit import theme


class RequirementList(QWidget):
    """The requirement lines in the height the layout gives; pages (compact arrows) when they do not fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = QVBoxLayout(self)
        self.col.setContentsMargins(0, 0, 0, 0)
        self.col.setSpacing(10)
        self.col.addStretch(1)
        self.pager = Pager(compact=True)
        self.pager.moved.connect(self.move)
        self.pager.hide()
        self.col.addWidget(self.pager)
        self.lines: list[QLabel] = []
        self.split: list[list[int]] = [[]]
        self.page = 0
        self.lang = "id"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Room for one line and the pager at least, so every page can show something.
        self.setMinimumHeight(self.pager.sizeHint().height() + 60)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, self.minimumHeight())

    def set_lines(self, lines: list[QLabel], lang: str) -> None:
        for w in self.lines:
            self.col.removeWidget(w)
            w.hide()  # deleteLater waits for the event loop: hidden now, so no old line shows under a new one
            w.deleteLater()
        self.lines, self.lang, self.page = lines, lang, 0
        for i, w in enumerate(lines):
            self.col.insertWidget(i, w)
        self.paginate()

    def paginate(self) -> None:
        """Split the lines into pages that fit this widget's height at its width."""
        spacing = self.col.spacing()
        heights = [w.heightForWidth(self.width()) + spacing for w in self.lines]
        # Room for the tallest line and the pager at least (large text makes lines taller).
        self.setMinimumHeight(self.pager.sizeHint().height() + max([60, *heights]))
        room = self.height()
        if sum(heights) - spacing <= room:
            self.split = [list(range(len(self.lines)))]
        else:
            room -= self.pager.sizeHint().height() + spacing
            self.split, used = [[]], 0
            for i, h in enumerate(heights):
                if self.split[-1] and used + h > room:
                    self.split.append([])
                    used = 0
                self.split[-1].append(i)
                used += h
        self.show_page()

    def show_page(self) -> None:
        self.page = max(0, min(self.page, len(self.split) - 1))
        for i, w in enumerate(self.lines):
            w.setVisible(i in self.split[self.page])
        self.pager.setVisible(len(self.split) > 1)
        if len(self.split) > 1:
            self.pager.set_page(self.page, len(self.split), self.lang)

    def move(self, step: int) -> None:
        # The split stays as computed for this size: moving only shows another page of it.
        self.page += step
        self.show_page()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.paginate()


class ConfirmScreen(QWidget):
    """What the citizen must bring and pay, before they queue; 'Ambil Antrean' and 'Prioritas'."""

    take = Signal()
    priority = Signal(str)  # category
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self._build_details()
        self._build_priority()
        self.categories: list[str] = []
        self._lang = "id"

    # --- details page -------------------------------------------------------------------------
    def _build_details(self) -> None:
        page = QWidget()
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, page)
        self.box.setContentsMargins(40, 28, 40, 28)
        self.box.setSpacing(36)
        info = QVBoxLayout()
        info.setSpacing(14)
        self.agency = label("", SMALL + 2, color=theme.MUTED)
        self.name = label("", TITLE, bold=True)
        self.queue = label("", 34, bold=True, color=theme.ACCENT)
        self.where = label("", 34, bold=True)
        info.addWidget(self.agency)
        info.addWidget(self.name)
        info.addWidget(self.queue)
        info.addWidget(self.where)
        card = QFrame()
        card.setObjectName("card")
        card.setStyleSheet(f"QFrame#card {{ background: #FFFFFF; border: 3px solid {theme.INK}; border-radius: 18px; }}")
        self.card = QVBoxLayout(card)
        self.card.setContentsMargins(32, 26, 32, 26)
        self.card.setSpacing(12)
        self.req_title = label("", 36, bold=True)
        self.card.addWidget(self.req_title)
        # The lines get all the height the screen has left; a long list pages inside the card
        # (the screen never scrolls and nothing is cut).
        self.req_area = RequirementList()
        self.card.addWidget(self.req_area, 1)
        rule = QFrame()
        rule.setFixedHeight(3)
        rule.setStyleSheet(f"background: {theme.MUTED};")
        self.card.addSpacing(10)
        self.card.addWidget(rule)
        self.card.addSpacing(6)
        self.fee = label("", BODY + 2)
        self.fee_note = label("", BODY, color=theme.MUTED)
        self.completion = label("", BODY + 2)
        self.card.addWidget(self.fee)
        self.card.addWidget(self.fee_note)
        self.card.addWidget(self.completion)
        info.addSpacing(12)
        info.addWidget(card, 1)
        self.box.addLayout(info, 3)
        actions = QVBoxLayout()
        actions.setSpacing(22)
        actions.addStretch(1)
        self.take_button = button("", TAKE, 56, 160)
        self.take_button.clicked.connect(self.take)
        self.priority_button = button("", PRIORITY, 38, 120)
        self.priority_button.clicked.connect(self._ask_priority)
        self.back_button = button("", theme.INK, 34, 110, outline=True)
        self.back_button.clicked.connect(self.back)
        self.priority_hint = label("", BODY, color=theme.INK)
        actions.addWidget(self.take_button)
        actions.addWidget(self.priority_button)
        actions.addWidget(self.priority_hint)
        actions.addWidget(self.back_button)
        self.box.addLayout(actions, 2)
        self.pages.addWidget(page)

    def _build_priority(self) -> None:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(40, 40, 40, 28)
        col.setSpacing(28)
        self.prio_title = label("", TITLE, bold=True)
        self.prio_service = label("", 36, color=theme.MUTED)
        col.addWidget(self.prio_title)
        col.addWidget(self.prio_service)
        col.addSpacing(20)
        self.prio_grid = QGridLayout()
        self.prio_grid.setSpacing(28)
        col.addLayout(self.prio_grid)
        self.prio_buttons: list = []  # one per category, made when a venue's categories are known
        col.addStretch(1)
        self.prio_back = button("", theme.INK, 34, 110, outline=True)
        self.prio_back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        col.addWidget(self.prio_back)
        self.pages.addWidget(page)

    def _ask_priority(self) -> None:
        self.pages.setCurrentIndex(1)

    def set_busy(self, busy: bool) -> None:
        """Disable every action while a ticket is being issued (a double tap gives one ticket)."""
        for b in [self.take_button, self.priority_button, *self.prio_buttons]:
            b.setEnabled(not busy)

    def _category_buttons(self, count: int) -> None:
        while len(self.prio_buttons) < count:
            i = len(self.prio_buttons)
            b = button("", PRIORITY, 40, 150)
            b.setIconSize(QSize(96, 96))
            b.clicked.connect(lambda _=False, i=i: self.priority.emit(self.categories[i]))
            self.prio_buttons.append(b)
        top = self.window()
        cols = 2 if top.width() > top.height() * 1.2 and count > 2 else 1  # landscape: two columns fit the height
        for i, b in enumerate(self.prio_buttons):
            self.prio_grid.removeWidget(b)
            if i < count:
                self.prio_grid.addWidget(b, i // cols, i % cols)
            b.setVisible(i < count)

    def show_service(self, service: ServiceView, agency_name: str, queue: ServiceQueue | None, lang: str,
                     categories: list[PriorityCategory]) -> None:
        self._lang = lang
        self.pages.setCurrentIndex(0)
        top = self.window()
        wide = top.width() > top.height() * 1.2
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        # Side by side the columns share the width 3:2; stacked, the buttons take what they need.
        self.box.setStretch(0, 3 if wide else 1)
        self.box.setStretch(1, 2 if wide else 0)
        en = lang == "en"
        self.agency.setText(agency_name)
        # Large text: the agency (chosen one screen ago) gives its lines to the requirements.
        self.agency.setVisible(text_scale() == 1.0)
        self.name.setText(service.name_en if en else service.name)
        waiting = queue.waiting if queue else 0
        estimate = queue.estimated_wait_minutes if queue else None
        self.queue.setText(f"{tr('waiting_people', lang, n=waiting)}   \u2022   {wait_text(estimate, lang)}")
        self.req_title.setText(tr("requirements", lang))
        items = list(service.requirements_en if en else service.requirements)
        lines = [label("\u2610  " + item, BODY) for item in items] or [
            label(tr("no_requirements", lang), BODY, color=theme.MUTED)]
        note = fee_note(service.fee_note, service.fee_note_en, lang)
        large = text_scale() != 1.0
        if large and note:  # large text: the fee's note pages with the requirements instead of crowding the card
            lines.append(label(note, BODY, color=theme.MUTED))
        self.req_area.set_lines(lines, lang)
        self.where.setText(tr("where", lang, zones=", ".join(service.zones)))
        self.where.setVisible(bool(service.zones))
        self.fee.setText(f"<b>{fee_label(lang)}:</b> {escape(fee_headline(service.fee_kind, service.fee, lang))}")
        self.fee_note.setText(note)
        self.fee_note.setVisible(bool(note) and not large)
        self.completion.setText(f"<b>{tr('completion', lang)}:</b> {duration(service.completion_minutes, lang)}")
        self.take_button.setText(tr("take", lang))
        names = [c.label(lang) for c in categories]
        self.priority_button.setText(tr("priority_take", lang))
        self.priority_hint.setText(tr("priority_for", lang, names=", ".join(n[:1].lower() + n[1:] for n in names)))
        self.priority_button.setVisible(service.allow_priority and bool(categories))
        # With large text the hint gives its room to the requirements: the priority page names the categories.
        self.priority_hint.setVisible(service.allow_priority and bool(categories) and text_scale() == 1.0)
        self.back_button.setText("\u2190  " + tr("back", lang))
        self.prio_title.setText(tr("priority_title", lang))
        self.prio_service.setText(service.name_en if en else service.name)
        self.categories = [c.code for c in categories]
        self._category_buttons(len(categories))
        for b, c in zip(self.prio_buttons, categories, strict=False):
            b.setText(c.label(lang))
            b.setIcon(icon_for(c.icon, "#FFFFFF"))
        self.prio_back.setText("\u2190  " + tr("back", lang))
        self.set_busy(False)
        for w in (self.fee, self.completion):
            w.setTextFormat(Qt.TextFormat.RichText)
