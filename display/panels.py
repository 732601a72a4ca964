"""The four information panels: now calling, counters, previous calls, waiting per service.

Each panel holds the frozen views it was given and paints them; it repaints only when its data
or the highlight blink changes, so an idle display costs next to nothing.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from db.catalog import AgencyView, CallView
from db.views import CounterView, ServiceQueue
from display import paint
from display.paint import CLOSED, HIGHLIGHT, HIGHLIGHT_INK, PANEL, PANEL_DIM, SUB, TEXT
from display.texts import en, t
from qtkit.theme import text_on

LEFT = Qt.AlignmentFlag.AlignLeft
RIGHT = Qt.AlignmentFlag.AlignRight


class Panel(QWidget):
    """A painted panel with a rounded card and a heading."""

    heading = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.english = True
        self.heading_px: int | None = None  # one heading size for every panel, set by the window
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # it fills every pixel itself

    def radius(self) -> float:
        return min(self.width(), self.height()) * 0.04

    def begin(self) -> tuple[QPainter, QRectF]:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.fillRect(self.rect(), QColor(paint.BG))
        return p, QRectF(self.rect())


class NowCalling(Panel):
    """The latest call, huge: ticket code and counter; blinks amber after a new call or recall."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.call: CallView | None = None
        self.agency_color = paint.PANEL
        self.lit = False  # the highlight blink is in its bright phase
        self.paints = 0  # counted for the call-to-repaint benchmark

    def set_call(self, call: CallView | None, agency_color: str | None = None) -> None:
        self.call = call
        self.agency_color = agency_color or paint.PANEL
        self.update()

    def set_lit(self, lit: bool) -> None:
        if lit != self.lit:
            self.lit = lit
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p, r = self.begin()
        bg, ink, sub = (HIGHLIGHT, HIGHLIGHT_INK, HIGHLIGHT_INK) if self.lit else (PANEL, TEXT, SUB)
        paint.card(p, r, bg, self.radius())
        body = paint.inset(r, 0.05)
        h = body.height()
        paint.title(p, QRectF(body.left(), body.top(), body.width(), h * 0.13), t("now_calling"),
                    en("now_calling"), color=ink, sub_color=sub, english=self.english,
                    px=self.heading_px)
        call = self.call
        if call is None:
            paint.text(p, QRectF(body.left(), body.top() + h * 0.35, body.width(), h * 0.2), t("no_calls"), sub,
                       bold=False)
            p.end()
            return
        # Agency colour stripe: citizens learn "blue is DUKCAPIL" faster than they read.
        stripe = QRectF(body.left(), body.top() + h * 0.17, body.width() * 0.012, h * 0.78)
        paint.card(p, stripe, self.agency_color, stripe.width() / 2)
        inner = body.adjusted(body.width() * 0.035, 0, 0, 0)
        paint.text(p, QRectF(inner.left(), body.top() + h * 0.15, inner.width(), h * 0.44), call.code, ink)
        go = t("go_to") + (f" / {en('go_to')}" if self.english else "")
        paint.text(p, QRectF(inner.left(), body.top() + h * 0.59, inner.width(), h * 0.08), go, sub, bold=False)
        paint.text(p, QRectF(inner.left(), body.top() + h * 0.67, inner.width(), h * 0.22),
                   "→ " + call.counter_name, ink)
        paint.text(p, QRectF(inner.left(), body.top() + h * 0.90, inner.width(), h * 0.10), call.agency_name, sub,
                   bold=False)
        p.end()
        self.paints += 1


class CounterBoard(Panel):
    """Every counter of this screen as a tile: its name, the ticket it serves, or closed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counters: tuple[CounterView, ...] = ()
        self.colors: dict[str, str] = {}
        self.lit_counter: str | None = None
        self.lit = False

    def set_counters(self, counters: tuple[CounterView, ...], colors: dict[str, str]) -> None:
        self.counters, self.colors = counters, colors
        self.update()

    def set_lit(self, counter: str | None, lit: bool) -> None:
        if (counter, lit) != (self.lit_counter, self.lit):
            self.lit_counter, self.lit = counter, lit
            self.update()

    def grid(self, width: float, height: float) -> tuple[int, int]:
        """Columns and rows that give the ticket codes the largest type."""
        n = max(1, len(self.counters))
        codes = [c.ticket.code if c.ticket else "A-000" for c in self.counters] or ["A-000"]
        best = (0, 1, n)
        for cols in range(1, min(n, 8) + 1):
            rows = math.ceil(n / cols)
            w, h = width / cols, height / rows
            px = paint.common_px(codes, w * 0.86, h * 0.54)
            if px > best[0]:
                best = (px, cols, rows)
        return best[1], best[2]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p, r = self.begin()
        paint.card(p, r, PANEL_DIM, self.radius())
        body = paint.inset(r, 0.035)
        head_h = min(body.height() * 0.08, body.width() * 0.07)
        paint.title(p, QRectF(body.left(), body.top(), body.width(), head_h), t("counters"), en("counters"),
                    english=self.english, px=self.heading_px)
        area = body.adjusted(0, head_h * 1.3, 0, 0)
        if not self.counters:
            paint.text(p, QRectF(area.left(), area.top(), area.width(), head_h), t("no_counters"), SUB, bold=False)
            p.end()
            return
        cols, rows = self.grid(area.width(), area.height())
        gap = min(area.width(), area.height()) * 0.02
        tw, th = (area.width() - gap * (cols - 1)) / cols, (area.height() - gap * (rows - 1)) / rows
        codes = [c.ticket.code for c in self.counters if c.ticket] or ["A-000"]
        code_px = paint.common_px(codes, tw * 0.86, th * 0.54)
        name_px = min(int(code_px * 0.8), paint.common_px([c.name for c in self.counters], tw * 0.86, th * 0.36))
        for i, c in enumerate(self.counters):
            tile = QRectF(area.left() + (i % cols) * (tw + gap), area.top() + (i // cols) * (th + gap), tw, th)
            self._tile(p, tile, c, code_px, name_px)
        p.end()

    def _tile(self, p: QPainter, tile: QRectF, c: CounterView, code_px: int, name_px: int) -> None:
        lit = self.lit and c.code == self.lit_counter
        bg = HIGHLIGHT if lit else (PANEL if c.is_open else PANEL_DIM)
        ink = HIGHLIGHT_INK if lit else (TEXT if c.is_open else CLOSED)
        radius = min(tile.width(), tile.height()) * 0.08
        paint.card(p, tile, bg, radius)
        if c.agency and c.is_open:
            stripe = QRectF(tile.left(), tile.top(), tile.width() * 0.025, tile.height())
            paint.card(p, stripe, self.colors.get(c.agency, PANEL), radius / 2)
        inner = tile.adjusted(tile.width() * 0.07, tile.height() * 0.04, -tile.width() * 0.05, -tile.height() * 0.04)
        ih = inner.height()
        paint.text(p, QRectF(inner.left(), inner.top(), inner.width(), ih * 0.38), c.name, ink, px=name_px,
                   bold=False)
        if not c.is_open:
            value, px = t("closed"), min(int(code_px * 0.7), paint.fit_px(t("closed"), inner.width(), ih * 0.5))
        elif c.ticket is None:
            value, px = t("idle"), code_px
        else:
            value, px = c.ticket.code, code_px
        paint.text(p, QRectF(inner.left(), inner.top() + ih * 0.38, inner.width(), ih * 0.62), value, ink, px=px)


class RecentCalls(Panel):
    """The calls before the current one: code and counter, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calls: tuple[CallView, ...] = ()
        self.rows = 5

    def set_calls(self, calls: tuple[CallView, ...], rows: int) -> None:
        self.calls, self.rows = calls[:rows], max(1, rows)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p, r = self.begin()
        paint.card(p, r, PANEL_DIM, self.radius())
        body = paint.inset(r, 0.06)
        head_h = min(body.height() * 0.13, body.width() * 0.09)
        paint.title(p, QRectF(body.left(), body.top(), body.width(), head_h), t("previous"), en("previous"),
                    english=self.english, px=self.heading_px)
        area = body.adjusted(0, head_h * 1.4, 0, 0)
        row_h = area.height() / self.rows
        codes = [c.code for c in self.calls] or ["A-000"]
        names = [c.counter_name for c in self.calls] or ["Loket 00"]
        code_px = paint.common_px(codes, area.width() * 0.42, row_h * 0.8)
        name_px = min(code_px, paint.common_px(names, area.width() * 0.54, row_h * 0.8))
        for i, call in enumerate(self.calls):
            row = QRectF(area.left(), area.top() + i * row_h, area.width(), row_h)
            if i % 2 == 0:
                paint.card(p, row, PANEL, row_h * 0.15)
            pad = row.adjusted(row_h * 0.25, 0, -row_h * 0.25, 0)
            paint.text(p, pad, call.code, TEXT, px=code_px, align=LEFT)
            paint.text(p, pad, call.counter_name, SUB, px=name_px, bold=False, align=RIGHT)
        p.end()


class WaitingBoard(Panel):
    """People waiting per service, or per agency when the services do not fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queues: tuple[ServiceQueue, ...] = ()
        self.agencies: dict[str, AgencyView] = {}
        self.min_row_px = 40  # below this a row is unreadable across the hall: group per agency

    def set_queues(self, queues: tuple[ServiceQueue, ...], agencies: dict[str, AgencyView]) -> None:
        self.queues, self.agencies = queues, agencies
        self.update()

    def lines(self, capacity: int) -> list[tuple[str, str, int, str]]:
        """(code, name, waiting, colour) rows of the services people wait for; per agency when they do
        not fit; the longest queues and how many more when even the agencies do not."""
        colors = {code: a.color for code, a in self.agencies.items()}
        busy = [q for q in self.queues if q.waiting > 0]
        rows = [(q.code, q.name, q.waiting, colors.get(q.agency, PANEL)) for q in busy]
        if len(rows) > capacity:
            totals: dict[str, int] = {}
            for q in busy:
                totals[q.agency] = totals.get(q.agency, 0) + q.waiting
            rows = [(code, self.agencies[code].name if code in self.agencies else code, n, colors.get(code, PANEL))
                    for code, n in totals.items()]
        if len(rows) > capacity:
            shown = sorted(rows, key=lambda row: -row[2])[: capacity - 1]
            rows = [*shown, ("", t("more", n=len(rows) - len(shown)), -1, PANEL_DIM)]
        return rows

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p, r = self.begin()
        paint.card(p, r, PANEL_DIM, self.radius())
        body = paint.inset(r, 0.06)
        head_h = min(body.height() * 0.13, body.width() * 0.09)
        paint.title(p, QRectF(body.left(), body.top(), body.width(), head_h), t("waiting"), en("waiting"),
                    english=self.english, px=self.heading_px)
        area = body.adjusted(0, head_h * 1.4, 0, 0)
        capacity = max(1, int(area.height() // self.min_row_px))
        lines = self.lines(capacity)
        if not lines:
            paint.text(p, QRectF(area.left(), area.top(), area.width(), head_h), t("waiting_none"), SUB,
                       bold=False, align=LEFT)
            p.end()
            return
        row_h = area.height() / max(len(lines), min(capacity, 5))
        chip_w = area.width() * 0.27
        count_w = area.width() * 0.16
        name_x = area.left() + chip_w + row_h * 0.25
        name_w = area.width() - chip_w - count_w - row_h * 0.45
        px = paint.common_px([c for c, *_ in lines if c] or ["A"], chip_w * 0.84, row_h * 0.62)
        count_px = paint.fit_px("000", count_w, row_h * 0.8)
        name_px = max(min(int(count_px * 0.62), int(row_h * 0.45)), 8)
        for i, (code, name, waiting, color) in enumerate(lines):
            row = QRectF(area.left(), area.top() + i * row_h, area.width(), row_h * 0.86)
            if code:
                chip = QRectF(row.left(), row.top(), chip_w, row.height())
                paint.card(p, chip, color, row_h * 0.15)
                paint.text(p, chip, code, text_on(color), px=px)
            label = paint.elide(name, name_px, name_w)
            paint.text(p, QRectF(name_x, row.top(), name_w, row.height()), label, SUB, px=name_px, bold=False,
                       align=LEFT)
            if waiting >= 0:
                paint.text(p, QRectF(row.right() - count_w, row.top(), count_w, row.height()), str(waiting), TEXT,
                           px=count_px, align=RIGHT)
        p.end()
