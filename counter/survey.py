"""The citizen-facing survey screen at the counter (a second monitor or a tablet-sized window).

When the officer finishes a ticket, the screen asks the citizen for a one-touch rating; they may
then answer the nine IKM elements (PermenPAN-RB 14/2017, from the venue's [ikm] settings) or stop.
Nothing is saved until they stop or send: one engine call records the rating and the answers, tied
to the ticket (and so to its service, agency, counter and officer). An unanswered screen goes back
to idle by itself; a rating left without "Selesai" is saved when the countdown ends.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.ikm import ANSWERS_EN, ANSWERS_ID, IkmSection, ikm_settings, record_response
from db.views import TicketView
from qtkit import theme
from qtkit.worker import DbWorker

# Answer colours from poor to very good: each with white text at >= 4.5:1.
ANSWER_COLORS = ("#B71C1C", "#BF360C", "#2E7D32", "#1B5E20")
TEXT = {
    "idle": ("Terima kasih telah berkunjung.\nSilakan menuju loket bila nomor Anda dipanggil.",
             "Thank you for visiting.\nPlease come to the counter when your number is called."),
    "ask": ("Bagaimana pelayanan yang Anda terima?", "How was the service you received?"),
    "ticket": ("Tiket {code} · {service}", "Ticket {code} · {service}"),
    "more": ("Isi survei lengkap (9 pertanyaan)", "Answer the full survey (9 questions)"),
    "done": ("Selesai", "Done"),
    "rated": ("Terima kasih atas penilaian Anda. Bersedia mengisi survei lengkap?",
              "Thank you for your rating. Would you answer the full survey?"),
    "auto": ("Tersimpan otomatis dalam {n} detik", "Saved automatically in {n} s"),
    "full_title": ("Survei Kepuasan Masyarakat", "Public Satisfaction Survey"),
    "send": ("Kirim", "Send"),
    "left": ("Masih {n} pertanyaan belum dijawab", "{n} questions still unanswered"),
    "thanks": ("Terima kasih!\nPendapat Anda membantu kami melayani lebih baik.",
               "Thank you!\nYour opinion helps us serve better."),
    "failed": ("Maaf, penilaian belum tersimpan. Silakan sampaikan kepada petugas.",
               "Sorry, your rating was not saved. Please tell the officer."),
    "lang": ("English", "Bahasa Indonesia"),
}
ASK_SECONDS, RATED_SECONDS, THANKS_SECONDS, FULL_SECONDS = 60, 12, 5, 180


class SurveyWindow(QWidget):
    """Idle -> ask (one touch) -> rated (more? / done) -> full (nine elements) -> thanks -> idle."""

    saved = Signal(object)  # the SurveyView, or an Exception when saving failed

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.lang = "id"
        self.cfg = IkmSection()
        self.ticket: TicketView | None = None
        self.overall: int | None = None
        self.answers: dict[str, int] = {}
        self.setObjectName("survey")
        self.setWindowTitle("Antre · Survei")
        self.stack = QStackedWidget(self)
        self.idle_page, self.ask_page, self.rated_page, self.full_page, self.thanks_page = (
            QWidget(self) for _ in range(5))
        for page in (self.idle_page, self.ask_page, self.rated_page, self.full_page, self.thanks_page):
            self.stack.addWidget(page)
        self.lang_button = QPushButton(self)
        self.lang_button.setObjectName("lang")
        self.lang_button.clicked.connect(self.toggle_language)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.lang_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 16, 24, 24)
        box.addLayout(top)
        box.addWidget(self.stack, 1)
        self._build_idle()
        self._build_ask()
        self._build_rated()
        self._build_thanks()
        self.full_box = QVBoxLayout(self.full_page)
        self.element_groups: dict[str, QButtonGroup] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.left = 0
        self.setStyleSheet(_stylesheet())
        self._render_texts()
        self.go_idle()
        worker.run(ikm_settings, self._got_settings, lambda _e: None, read=True)

    # ---- building ---------------------------------------------------------------------------------

    def _label(self, parent: QWidget, name: str) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _build_idle(self) -> None:
        self.idle_text = self._label(self.idle_page, "idleText")
        QVBoxLayout(self.idle_page).addWidget(self.idle_text)

    def _build_ask(self) -> None:
        self.ask_title = self._label(self.ask_page, "question")
        self.ask_ticket = self._label(self.ask_page, "ticketLine")
        self.face_buttons: list[QToolButton] = []
        faces = QHBoxLayout()
        faces.setSpacing(18)
        for score in range(1, 5):
            button = QToolButton(self.ask_page)
            button.setObjectName(f"face{score}")
            button.setIcon(face_icon(score, 96))
            button.setIconSize(QSize(96, 96))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setMinimumHeight(180)
            button.setMaximumHeight(340)
            button.clicked.connect(lambda _=False, s=score: self.rate(s))
            self.face_buttons.append(button)
            faces.addWidget(button)
        box = QVBoxLayout(self.ask_page)
        box.addWidget(self.ask_title)
        box.addWidget(self.ask_ticket)
        box.addLayout(faces, 1)

    def _build_rated(self) -> None:
        self.rated_text = self._label(self.rated_page, "question")
        self.more_button = QPushButton(self.rated_page)
        self.more_button.setObjectName("primary")
        self.more_button.clicked.connect(self.open_full)
        self.done_button = QPushButton(self.rated_page)
        self.done_button.setObjectName("secondary")
        self.done_button.clicked.connect(self.submit)
        self.countdown = self._label(self.rated_page, "hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.more_button, 2)
        buttons.addWidget(self.done_button, 1)
        box = QVBoxLayout(self.rated_page)
        box.addStretch(1)
        box.addWidget(self.rated_text)
        box.addSpacing(24)
        box.addLayout(buttons)
        box.addWidget(self.countdown)
        box.addStretch(1)

    def _build_full(self) -> None:
        """The nine elements, each with four answers (rebuilt when the language or the config changes)."""
        while self.full_box.count():
            item = self.full_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
            elif item.layout():
                _clear(item.layout())
        self.element_groups = {}
        title = self._label(self.full_page, "question")
        title.setText(TEXT["full_title"][self._i])
        self.full_box.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        names = ANSWERS_ID if self.lang == "id" else ANSWERS_EN
        for row, element in enumerate(self.cfg.elements):
            name = QLabel(f"{row + 1}. {element.name_en or element.name if self.lang == 'en' else element.name}")
            name.setObjectName("elementName")
            name.setWordWrap(True)
            grid.addWidget(name, row, 0)
            group = QButtonGroup(self.full_page)
            group.setExclusive(True)
            for score in range(1, self.cfg.scale + 1):
                button = QPushButton(names[score - 1] if self.cfg.scale == 4 else str(score), self.full_page)
                button.setObjectName(f"answer{min(score, 4)}")
                button.setCheckable(True)
                button.setMinimumHeight(48)
                group.addButton(button, score)
                grid.addWidget(button, row, score)
            group.idClicked.connect(lambda score, code=element.code.upper(): self.answer(code, score))
            self.element_groups[element.code.upper()] = group
        grid.setColumnStretch(0, 3)
        for col in range(1, self.cfg.scale + 1):
            grid.setColumnStretch(col, 1)
        self.full_box.addLayout(grid, 1)
        self.left_label = self._label(self.full_page, "hint")
        self.send_button = QPushButton(TEXT["send"][self._i], self.full_page)
        self.send_button.setObjectName("primary")
        self.send_button.clicked.connect(self.submit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.left_label, 2)
        bottom.addWidget(self.send_button, 1)
        self.full_box.addLayout(bottom)
        for code, score in self.answers.items():
            if code in self.element_groups and self.element_groups[code].button(score):
                self.element_groups[code].button(score).setChecked(True)
        self._update_full()

    def _build_thanks(self) -> None:
        self.thanks_text = self._label(self.thanks_page, "thanks")
        QVBoxLayout(self.thanks_page).addWidget(self.thanks_text)

    # ---- flow -------------------------------------------------------------------------------------

    @property
    def _i(self) -> int:
        return 0 if self.lang == "id" else 1

    def _got_settings(self, cfg: IkmSection) -> None:
        self.cfg = cfg
        self._build_full()

    def start(self, ticket: TicketView) -> None:
        """A ticket was finished at this counter: ask its citizen (a survey still open is saved first)."""
        if self.ticket is not None and self.overall is not None:
            self.submit()
        self.ticket, self.overall, self.answers = ticket, None, {}
        self.lang = "id"
        self._render_texts()
        self._build_full()
        self.stack.setCurrentWidget(self.ask_page)
        self._count(ASK_SECONDS)

    def rate(self, score: int) -> None:
        """The one-touch rating."""
        if self.ticket is None:
            return
        self.overall = score
        self.stack.setCurrentWidget(self.rated_page)
        self._count(RATED_SECONDS)

    def open_full(self) -> None:
        self.stack.setCurrentWidget(self.full_page)
        self._count(FULL_SECONDS)

    def answer(self, code: str, score: int) -> None:
        self.answers[code] = score
        self._update_full()
        self._count(FULL_SECONDS)

    def _update_full(self) -> None:
        missing = len(self.element_groups) - len([c for c in self.answers if c in self.element_groups])
        self.send_button.setEnabled(missing == 0)
        self.left_label.setText(TEXT["left"][self._i].format(n=missing) if missing else "")

    def submit(self) -> None:
        """Save what the citizen gave (one engine call), then thank them."""
        if self.ticket is None or (self.overall is None and not self.answers):
            self.go_idle()
            return
        ticket_id, overall = self.ticket.id, self.overall
        answers = dict(self.answers) if len(self.answers) == len(self.element_groups) else None
        self.ticket = None
        self.timer.stop()

        def done(view: Any) -> None:
            self.saved.emit(view)

        def failed(error: Exception) -> None:
            self.thanks_text.setText(TEXT["failed"][self._i])
            self.saved.emit(error)

        self.worker.run(lambda s: record_response(s, ticket_id, overall=overall, answers=answers), done, failed)
        self.thanks_text.setText(TEXT["thanks"][self._i])
        self.stack.setCurrentWidget(self.thanks_page)
        self._count(THANKS_SECONDS)

    def go_idle(self) -> None:
        self.ticket, self.overall, self.answers = None, None, {}
        self.timer.stop()
        self.lang = "id"
        self._render_texts()
        self.stack.setCurrentWidget(self.idle_page)

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "id" else "id"
        self._render_texts()
        self._build_full()

    def _count(self, seconds: int) -> None:
        self.left = seconds
        self.timer.start()
        self._show_countdown()

    def _tick(self) -> None:
        self.left -= 1
        self._show_countdown()
        if self.left > 0:
            return
        page = self.stack.currentWidget()
        if page is self.rated_page or (page is self.full_page and self.overall is not None):
            self.submit()  # the rating was given: keep it
        else:
            self.go_idle()

    def _show_countdown(self) -> None:
        self.countdown.setText(TEXT["auto"][self._i].format(n=max(self.left, 0)))

    def _render_texts(self) -> None:
        i = self._i
        self.lang_button.setText(TEXT["lang"][i])
        self.idle_text.setText(TEXT["idle"][i])
        self.ask_title.setText(TEXT["ask"][i])
        if self.ticket is not None:
            name = self.ticket.service_name if self.lang == "id" else self.ticket.service_name_en
            self.ask_ticket.setText(TEXT["ticket"][i].format(code=self.ticket.code, service=name))
        names = ANSWERS_ID if self.lang == "id" else ANSWERS_EN
        for score, button in enumerate(self.face_buttons, start=1):
            button.setText(names[score - 1])
        self.rated_text.setText(TEXT["rated"][i])
        self.more_button.setText(TEXT["more"][i])
        self.done_button.setText(TEXT["done"][i])
        self.thanks_text.setText(TEXT["thanks"][i])
        self._show_countdown()


def face_icon(score: int, size: int) -> QIcon:
    """A drawn face, frowning (1) to smiling (4): no emoji font is needed on the counter PC."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor("#FFFFFF"), size * 0.06)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    m = size * 0.06
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m))
    p.setBrush(QColor("#FFFFFF"))
    for x in (0.36, 0.64):
        p.drawEllipse(QPointF(size * x, size * 0.4), size * 0.045, size * 0.045)
    p.setBrush(Qt.BrushStyle.NoBrush)
    curve = (-0.16, -0.07, 0.07, 0.16)[score - 1]  # mouth: negative frowns, positive smiles
    mouth = QPainterPath(QPointF(size * 0.32, size * 0.68))
    mouth.quadTo(QPointF(size * 0.5, size * (0.68 + curve * 2)), QPointF(size * 0.68, size * 0.68))
    p.drawPath(mouth)
    p.end()
    return QIcon(pixmap)


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
        elif item.layout():
            _clear(item.layout())


def _stylesheet() -> str:
    faces = "".join(
        f"QToolButton#face{i + 1} {{ background: {c}; color: #FFFFFF; font-size: 26px; font-weight: bold;"
        f" border-radius: 16px; padding: 12px; }}"
        f"QPushButton#answer{i + 1}:checked {{ background: {c}; color: #FFFFFF; border-color: {c}; }}"
        for i, c in enumerate(ANSWER_COLORS))
    return f"""
    #survey {{ background: {theme.PAPER}; }}
    QWidget {{ font-family: "{theme.FONT_FAMILY}"; color: {theme.INK}; }}
    #idleText {{ font-size: 34px; color: {theme.INK}; }}
    #question {{ font-size: 32px; font-weight: bold; }}
    #ticketLine {{ font-size: 22px; color: {theme.MUTED}; }}
    #thanks {{ font-size: 38px; font-weight: bold; color: {theme.OK}; }}
    #hint {{ font-size: 18px; color: {theme.MUTED}; }}
    #elementName {{ font-size: 17px; }}
    QPushButton {{ font-size: 16px; padding: 6px; border: 2px solid #8A99A8; border-radius: 8px;
        background: #FFFFFF; color: {theme.INK}; }}
    QPushButton#primary {{ background: {theme.ACCENT}; color: #FFFFFF; font-size: 24px; font-weight: bold;
        min-height: 72px; border: none; }}
    QPushButton#primary:disabled {{ background: #CFD8DC; color: #37474F; }}
    QPushButton#secondary {{ font-size: 24px; font-weight: bold; min-height: 72px; }}
    QPushButton#lang {{ font-size: 16px; padding: 6px 14px; }}
    {faces}
    """
