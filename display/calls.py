"""The call panels: the current call (its code ~107 mm high from 10 m where the TV allows) and the calls before it.

Sizes follow the TV's `Legibility` like every panel (display.panels): the current call's code at
its "now" size (10.7 mm a metre) or, where the window had to fall back, at least the "call" size
(4 mm a metre); its counter and the previous calls at least 4 mm a metre. The window asks these
panels how much room they need (`height_for`, `side_fits`, `columns_for`) and places them.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from db.catalog import CallView
from display import paint
from display.paint import HIGHLIGHT, HIGHLIGHT_INK, PANEL, SUB, TEXT, Role
from display.panels import LEFT, RIGHT, Panel, short_names, tv_name
from display.texts import t

COL_PAD, COL_SPACE = 0.15, 0.25  # in columns, per row height: the padding each side, code to counter
CODE_LINE = 1.18  # the height of a big line per pixel size (the font's line is 1.17)


class NowCalling(Panel):
    """The call being made: ticket code and counter; amber while it is spoken.

    Two arrangements: `side` (a landscape band: the code on the left, the heading and the counter
    on its right, one line high) and stacked (heading, code, counter: portrait and narrow TVs).
    """

    heading_key = "now_calling"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.call: CallView | None = None
        self.agency_color = paint.PANEL
        self.lit = False  # the highlight blink is in its bright phase
        self.role: Role = "now"  # the code's size: "now" (~107 mm at 10 m) where the TV has room, else "call"
        self.side = False  # code and counter side by side (set by the window)
        self.paints = 0  # counted for the call-to-repaint benchmark

    def set_call(self, call: CallView | None, agency_color: str | None = None) -> None:
        if call is not self.call or (agency_color or paint.PANEL) != self.agency_color:
            self.call = call
            self.agency_color = agency_color or paint.PANEL
            self.update()

    def set_lit(self, lit: bool) -> None:
        if lit != self.lit:
            self.lit = lit
            self.update()

    # -- sizes the window plans with ---------------------------------------------------------------
    def code_line(self, role: Role) -> float:
        return self.min_px("A-000", role) * CODE_LINE

    def where_line(self) -> float:
        return self.min_px("A", "call") * CODE_LINE

    def stripe_w(self) -> float:
        return max(4.0, self.head_px() * 0.18)

    def gutter(self) -> float:
        return self.head_px() * 0.8

    def inner_width(self, width: float) -> float:
        """The width left for text in a panel this wide (pads and the agency stripe taken off)."""
        return width - 2 * self.pad() - self.stripe_w() * 2.5

    def side_fits(self, width: float, codes: list[str], wheres: list[str], role: Role) -> bool:
        """Whether the widest code at `role` size and the widest counter (40 mm, without its arrow if need be)
        fit side by side; `wheres` are the counters' names as the TV shows them."""
        code_w = max(paint.advance(c, self.min_px(c, role)) for c in codes)
        right_w = max(max(paint.advance(w, self.min_px(w, "call")) for w in wheres),
                      paint.advance(t("now_calling"), self.head_px()))
        return code_w + self.gutter() + right_w <= self.inner_width(width)

    def code_fits(self, width: float, codes: list[str], role: Role) -> bool:
        """Whether every code fits the panel's width at `role` size (stacked)."""
        return all(paint.fits(c, self.min_px(c, role), self.inner_width(width)) for c in codes)

    def height_for(self, role: Role, side: bool) -> float:
        """The panel height its code at `role` size needs, with the counter at 40 mm."""
        pads = self.pad() * 1.2
        if side:
            return pads + max(self.code_line(role), self.head_h() + self.where_line())
        return pads + self.head_h() + self.code_line(role) + self.where_line()

    # -- painting ------------------------------------------------------------------------------------
    def _heading_line(self, p: QPainter, row: QRectF, ink: str, sub: str) -> None:
        """'PANGGILAN' and the agency (its name when that is legible, else its code) on one line."""
        label = self.agency_label(row.width() - paint.advance(t("now_calling"), self.head_px()) - self.head_px())
        if not label:
            self.heading(p, row, [t("now_calling")], color=ink, sub_color=sub)
            return
        name = type(self).__name__
        paint.text(p, QRectF(row.left(), row.top(), row.width(), self.head_h()), t("now_calling"), ink,
                   px=self.head_px(), align=LEFT, widget=name)
        paint.text(p, QRectF(row.left(), row.top(), row.width(), self.head_h()), label, sub,
                   px=self.min_px(label, bold=False), bold=False, align=RIGHT, widget=name)

    def agency_label(self, room: float) -> str:
        """The agency's name if it fits at legible size, else its code, else nothing."""
        if self.call is None:
            return ""
        for label in (self.call.agency_name, self.call.agency or ""):
            if label and paint.fits(label, self.min_px(label, bold=False), room):
                return label
        return ""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        bg, ink, sub = (HIGHLIGHT, HIGHLIGHT_INK, HIGHLIGHT_INK) if self.lit else (PANEL, TEXT, SUB)
        p, body = self.begin(bg)
        name = type(self).__name__
        call = self.call
        if call is None:
            self.heading(p, body, [t("now_calling")], color=ink, sub_color=sub)
            px = self.min_px(t("no_calls"), bold=False)
            if paint.fits(t("no_calls"), px, body.width()):
                paint.text(p, body.adjusted(0, self.head_h(), 0, 0), t("no_calls"), sub, px=px, bold=False,
                           widget=name)
            p.end()
            return
        # Agency colour stripe: citizens learn "blue is DUKCAPIL" faster than they read.
        area = body if self.side else body.adjusted(0, self.head_h(), 0, 0)
        stripe = QRectF(area.left(), area.top() + area.height() * 0.05, self.stripe_w(), area.height() * 0.9)
        paint.card(p, stripe, self.agency_color, stripe.width() / 2)
        inner = area.adjusted(stripe.width() * 2.5, 0, 0, 0)
        where = "→ " + tv_name(call.counter_name)
        if not (self.side and self._paint_side(p, inner, call.code, where, ink, sub)):
            if self.side:  # planned side by side, but this call does not fit that way: stacked beside the stripe
                self._heading_line(p, QRectF(inner.left(), inner.top(), inner.width(), self.head_h()), ink, sub)
                inner = inner.adjusted(0, self.head_h(), 0, 0)
            else:
                self._heading_line(p, QRectF(body.left(), body.top(), body.width(), self.head_h()), ink, sub)
            # A counter name too long for the TV at 40 mm: without the arrow, else the counter's code.
            options = [where, where.removeprefix("→ "), "→ " + call.counter.upper(), call.counter.upper()]
            where = next((w for w in options if paint.fits(w, self.min_px(w, "call"), inner.width())), options[-1])
            self._paint_stacked(p, inner, call.code, where, ink)
        p.end()
        self.paints += 1

    def _paint_side(self, p: QPainter, inner: QRectF, code: str, where: str, ink: str, sub: str) -> bool:
        """Code on the left, heading and counter on its right; False when this call does not fit that way."""
        where_min = self.min_px(where, "call")
        bare = where.removeprefix("→ ")  # the arrow goes first when room is short
        right_need = max(paint.advance(bare, where_min), paint.advance(t("now_calling"), self.head_px()))
        room = inner.width() - self.gutter() - right_need
        role = self.role
        code_px = paint.fit_px(code, room, inner.height())
        if code_px < self.min_px(code, role):
            return False  # a code longer than the layout planned for: stacked, as wide as the panel
        code_w = paint.advance(code, code_px)
        name = type(self).__name__
        paint.text(p, QRectF(inner.left(), inner.top(), code_w, inner.height()), code, ink, px=code_px,
                   align=LEFT, role=role, widget=name)
        right = QRectF(inner.left() + code_w + self.gutter(), inner.top(), inner.width() - code_w - self.gutter(),
                       inner.height())
        self._heading_line(p, QRectF(right.left(), right.top(), right.width(), self.head_h()), ink, sub)
        box = right.adjusted(0, self.head_h(), 0, 0)
        if not paint.fits(where, where_min, box.width()):
            where = bare
        where_px = max(min(paint.fit_px(where, box.width(), box.height()), int(code_px * 0.8)), where_min)
        paint.text(p, box, where, ink, px=where_px, align=LEFT, role="call", widget=name)
        return True

    def _paint_stacked(self, p: QPainter, inner: QRectF, code: str, where: str, ink: str) -> None:
        role = self.role
        code_min, where_min = self.min_px(code, role), self.min_px(where, "call")
        if (not paint.fits(code, code_min, inner.width())  # a long code: as wide as the panel, >= 40 mm
                or inner.height() - where_min * CODE_LINE < code_min * CODE_LINE - 1):  # a band planned side by side
            role, code_min = "call", self.min_px(code, "call")
        where_h = max(where_min * CODE_LINE, inner.height() * 0.32)
        if inner.height() - where_h < code_min * CODE_LINE:
            where_h = max(where_min * CODE_LINE, inner.height() - code_min * CODE_LINE)
        code_box = QRectF(inner.left(), inner.top(), inner.width(), inner.height() - where_h)
        where_box = QRectF(inner.left(), code_box.bottom(), inner.width(), where_h)
        code_px = max(paint.fit_px(code, code_box.width(), code_box.height()), code_min)
        where_px = max(min(paint.fit_px(where, where_box.width(), where_box.height()), int(code_px * 0.8)),
                       where_min)
        name = type(self).__name__
        paint.text(p, code_box, code, ink, px=code_px, role=role, widget=name)
        paint.text(p, where_box, where, ink, px=where_px, role="call", widget=name)


class RecentCalls(Panel):
    """The calls before the current one, newest first: ticket code at call size, the counter beside it.

    Normally one column beside the paged area; during a burst of calls the window gives it the
    paged area too and it lays the calls out in `cols` columns (newest first, down each column).
    """

    heading_key = "previous"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calls: tuple[CallView, ...] = ()
        self.rows = 5  # as configured ([display] last_calls)
        self.fit_rows = 5  # rows per column, as many as the window gave room for
        self.cols = 1
        self.upcoming: frozenset[int] = frozenset()  # event ids of calls the voice has yet to say (amber)
        self.to_come = 0  # calls waiting for room on the screen (they appear as older ones have had their 10 s)

    def set_calls(self, calls: tuple[CallView, ...], rows: int) -> None:
        """The calls to list (the window passes exactly those it keeps on screen); `rows` is the configured count."""
        self.calls, self.rows = calls, max(1, rows)
        self.update()

    def shown(self) -> tuple[CallView, ...]:
        return self.calls[: self.fit_rows * self.cols]

    def row_h(self) -> float:
        return self.min_px("A-000", "call") * 1.3

    def height_for(self, rows: int) -> float:
        """The panel height that shows `rows` calls at legible size."""
        return self.pad() * 1.2 + self.head_h() * 1.15 + rows * self.row_h()

    def col_gap(self) -> float:
        return self.head_px() * 0.5

    def columns_for(self, width: float, codes: list[str], counter_names: list[str]) -> int:
        """How many columns of calls fit a panel this wide, each with the widest code and counter legible."""
        row_h = self.row_h()  # in columns rows do not grow (see paintEvent)
        code_w = max(paint.advance(c, self.min_px(c, "call")) for c in codes)
        word, numbers = short_names(counter_names)
        wheres = numbers if word else [tv_name(n) for n in counter_names]
        where_w = max((paint.advance(w, self.min_px("A")) for w in wheres), default=0.0)
        cell = row_h * (2 * COL_PAD + COL_SPACE) + code_w + where_w
        inner = width - 2 * self.pad()
        return max(1, int((inner + self.col_gap()) // (cell + self.col_gap())))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p, body = self.begin()
        self.heading(p, body, [t("previous"), t("previous_short")],
                     right=t("to_come", n=self.to_come) if self.to_come else "")
        area = body.adjusted(0, self.head_h() * 1.15, 0, 0)
        calls = self.shown()
        if calls:
            cols = max(1, self.cols)
            per_col = min(len(calls), self.fit_rows) if cols == 1 else self.fit_rows
            col_w = (area.width() - self.col_gap() * (cols - 1)) / cols
            row_h = min(area.height() / max(1, per_col), self.row_h() * (1.25 if cols == 1 else 1.0))
            self._paint_rows(p, area, calls, cols, per_col, col_w, row_h)
        p.end()

    def _paint_rows(self, p: QPainter, area: QRectF, calls: tuple[CallView, ...], cols: int, per_col: int,
                    col_w: float, row_h: float) -> None:
        name = type(self).__name__
        codes = [c.code for c in calls]
        wheres = [tv_name(c.counter_name) for c in calls]
        word, numbers = short_names([c.counter_name for c in calls])
        call_min = self.min_px("A", "call")
        # In columns every code has the same size, so the columns line up.
        code_px = call_min if cols > 1 else max(paint.common_px(codes, col_w * 0.55, row_h * 0.82), call_min)
        code_w = max(paint.advance(c, code_px) for c in codes)
        pad_x, space = (row_h * 0.2, row_h * 0.3) if cols == 1 else (row_h * COL_PAD, row_h * COL_SPACE)
        where_room = col_w - 2 * pad_x - code_w - space
        where_px = max(min(code_px, paint.common_px(wheres, where_room, row_h * 0.82)), self.min_px("A"))
        if word and not all(paint.fits(w, where_px, where_room) for w in wheres):
            wheres = numbers  # "26" rather than "LOKET 26" cut: the counter tiles say LOKET
        for i, call in enumerate(calls):
            col, line = divmod(i, per_col)
            row = QRectF(area.left() + col * (col_w + self.col_gap()), area.top() + line * row_h, col_w, row_h)
            if line % 2 == 0:
                paint.card(p, row, PANEL, row_h * 0.15)
            pad = row.adjusted(pad_x, 0, -pad_x, 0)
            ink = HIGHLIGHT if call.event_id in self.upcoming else TEXT
            paint.text(p, QRectF(pad.left(), pad.top(), code_w, pad.height()), call.code, ink, px=code_px,
                       align=LEFT, role="call", widget=name)
            paint.text(p, QRectF(pad.right() - where_room, pad.top(), where_room, pad.height()), wheres[i], SUB,
                       px=where_px, align=RIGHT, widget=name)
