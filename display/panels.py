"""The information panels: now calling, previous calls, counters and waiting (the last two in pages).

Every text is at least as tall as the TV's `Legibility` asks for its role (the current and the
last calls: 40 mm letters from 10 m; anything else: 25 mm); a text that cannot be that big in
its box is left out rather than shrunk, and the counters and waiting figures are paged rather
than squeezed. Each panel holds the frozen views it was given and repaints only when its data,
its page or the highlight changes, so an idle display costs next to nothing.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from db.catalog import AgencyView, CallView
from db.views import CounterView, ServiceQueue
from display import paint
from display.paint import CLOSED, HIGHLIGHT, HIGHLIGHT_INK, PANEL, PANEL_DIM, SUB, TEXT, Legibility, Role
from display.texts import en, t
from qtkit.theme import text_on

LEFT = Qt.AlignmentFlag.AlignLeft
RIGHT = Qt.AlignmentFlag.AlignRight
LINE = 1.25  # a line's height per pixel size, with a little air


def tv_name(name: str) -> str:
    """A counter name as the TV shows it: capitals, as on signs ('Loket 3' -> 'LOKET 3')."""
    return " ".join(name.split()).upper()


def short_names(names: list[str]) -> tuple[str, list[str]]:
    """('LOKET', ['1', '2', ...]) when every name starts with the same word: the heading says it once."""
    words = [tv_name(n).split(" ", 1) for n in names]
    if words and all(len(w) == 2 for w in words) and len({w[0] for w in words}) == 1:
        return words[0][0], [w[1] for w in words]
    return "", [tv_name(n) for n in names]


class Panel(QWidget):
    """A painted panel with a rounded card and a heading."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.english = True
        self.leg = Legibility(1.0)  # set by the window from the TV's size and viewing distance
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # it fills every pixel itself

    def min_px(self, text: str, role: Role = "other", bold: bool = True) -> int:
        return self.leg.min_px(text, role, bold)

    def head_px(self) -> int:
        """The size of headings: the legible minimum for capitals (all headings are in capitals)."""
        return self.min_px("A")

    def head_h(self) -> float:
        return self.head_px() * LINE

    def pad(self) -> float:
        return self.head_px() * 0.35

    def radius(self) -> float:
        return min(self.width(), self.height(), self.head_px() * 3) * 0.12

    def begin(self, color: str = PANEL_DIM) -> tuple[QPainter, QRectF]:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.fillRect(self.rect(), QColor(paint.BG))
        r = QRectF(self.rect())
        paint.card(p, r, color, self.radius())
        return p, r.adjusted(self.pad(), self.pad() * 0.6, -self.pad(), -self.pad() * 0.6)

    def heading(self, p: QPainter, body: QRectF, options: list[str], *, right: str = "", color: str = TEXT,
                sub_color: str = SUB) -> None:
        """The first heading of `options` that fits at legible size, then its English subtitle if that fits too.

        `right` (a page number, an agency) is drawn at the right end and keeps its room.
        """
        px = self.head_px()
        row = QRectF(body.left(), body.top(), body.width(), self.head_h())
        room = row.width()
        if right:
            right_w = paint.advance(right, px) + px * 0.5
            paint.text(p, row, right, sub_color, px=px, align=RIGHT, widget=type(self).__name__)
            room -= right_w
        for main in options:
            if paint.fits(main, px, room):
                paint.text(p, QRectF(row.left(), row.top(), room, row.height()), main, color, px=px, align=LEFT,
                           widget=type(self).__name__)
                # The English subtitle in capitals too: in lower case it would have to be bigger than the heading.
                english = en(self.heading_key).upper() if self.english and getattr(self, "heading_key", "") else ""
                if english and main == options[0]:
                    x = paint.advance(main, px) + px * 0.6
                    if paint.fits(english, px, room - x, bold=False):
                        paint.text(p, QRectF(row.left() + x, row.top(), room - x, row.height()), english, sub_color,
                                   px=px, bold=False, align=LEFT, widget=type(self).__name__)
                return


class NowCalling(Panel):
    """The call being made: ticket code and counter, as big as the panel allows; amber while it is spoken."""

    heading_key = "now_calling"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.call: CallView | None = None
        self.agency_color = paint.PANEL
        self.lit = False  # the highlight blink is in its bright phase
        self.role: Role = "now"  # the code's size: "now" (~107 mm at 10 m) where the TV has room, else "call"
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
        head_h = self.head_h()
        if call is None:
            self.heading(p, body, [t("now_calling")], color=ink, sub_color=sub)
            px = self.min_px(t("no_calls"), bold=False)
            if paint.fits(t("no_calls"), px, body.width()):
                paint.text(p, QRectF(body.left(), body.top() + head_h, body.width(), body.height() - head_h),
                           t("no_calls"), sub, px=px, bold=False, widget=name)
            p.end()
            return
        # The heading shares its line with the agency (its name when that is legible, else its code).
        label = self.agency_label(body.width() - paint.advance(t("now_calling"), self.head_px()) - self.head_px())
        if not label:
            self.heading(p, body, [t("now_calling")], color=ink, sub_color=sub)
        else:
            px = self.head_px()
            paint.text(p, QRectF(body.left(), body.top(), body.width(), head_h), t("now_calling"), ink, px=px,
                       align=LEFT, widget=name)
            lpx = self.min_px(label, bold=False)
            paint.text(p, QRectF(body.left(), body.top(), body.width(), head_h), label, sub, px=lpx, bold=False,
                       align=RIGHT, widget=name)
        # Agency colour stripe: citizens learn "blue is DUKCAPIL" faster than they read.
        area = body.adjusted(0, head_h, 0, 0)
        stripe = QRectF(area.left(), area.top() + area.height() * 0.05, max(4.0, self.head_px() * 0.18),
                        area.height() * 0.9)
        paint.card(p, stripe, self.agency_color, stripe.width() / 2)
        inner = area.adjusted(stripe.width() * 2.5, 0, 0, 0)
        where = "→ " + tv_name(call.counter_name)
        # The code gets the share its ~107 mm minimum needs (the window leaves the panel that room).
        role = self.role
        now_min, where_min = self.min_px(call.code, role), self.min_px(where, "call")
        if role == "now" and not paint.fits(call.code, now_min, inner.width()):
            role, now_min = "call", self.min_px(call.code, "call")  # a long code: as wide as the panel, >= 40 mm
        code_h = inner.height() * max(0.58, now_min / (now_min + where_min))
        where_h = inner.height() - code_h
        code_box = QRectF(inner.left(), inner.top(), inner.width(), code_h)
        where_box = QRectF(inner.left(), inner.top() + code_h, inner.width(), where_h)
        code_px = max(paint.fit_px(call.code, code_box.width(), code_box.height()), now_min)
        where_px = max(min(paint.fit_px(where, where_box.width(), where_box.height()), int(code_px * 0.8)),
                       self.min_px(where, "call"))
        paint.text(p, code_box, call.code, ink, px=code_px, role=role, widget=name)
        paint.text(p, where_box, where, ink, px=where_px, role="call", widget=name)
        p.end()
        self.paints += 1


class RecentCalls(Panel):
    """The calls before the current one, newest first: ticket code in call size, the counter beside it."""

    heading_key = "previous"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calls: tuple[CallView, ...] = ()
        self.rows = 5  # as configured ([display] last_calls)
        self.fit_rows = 5  # as many as the window gave room for
        self.upcoming: frozenset[int] = frozenset()  # event ids of calls the voice has yet to say (amber)

    def set_calls(self, calls: tuple[CallView, ...], rows: int) -> None:
        self.calls, self.rows = calls[:rows], max(1, rows)
        self.update()

    def shown(self) -> tuple[CallView, ...]:
        return self.calls[: min(self.rows, self.fit_rows)]

    def row_h(self) -> float:
        return self.min_px("A-000", "call") * 1.3

    def height_for(self, rows: int) -> float:
        """The panel height that shows `rows` calls at legible size."""
        return self.pad() * 1.2 + self.head_h() * 1.15 + rows * self.row_h()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p, body = self.begin()
        name = type(self).__name__
        self.heading(p, body, [t("previous"), t("previous_short")])
        area = body.adjusted(0, self.head_h() * 1.15, 0, 0)
        calls = self.shown()
        if not calls:
            p.end()
            return
        row_h = min(area.height() / len(calls), self.row_h() * 1.25)
        codes = [c.code for c in calls]
        wheres = [tv_name(c.counter_name) for c in calls]
        word, numbers = short_names([c.counter_name for c in calls])
        code_px = max(paint.common_px(codes, area.width() * 0.55, row_h * 0.82), self.min_px("A", "call"))
        code_w = max(paint.advance(c, code_px) for c in codes)
        pad_x = row_h * 0.2
        where_room = area.width() - 2 * pad_x - code_w - row_h * 0.3
        where_px = max(min(code_px, paint.common_px(wheres, where_room, row_h * 0.82)), self.min_px("A"))
        if word and not all(paint.fits(w, where_px, where_room) for w in wheres):
            wheres = numbers  # "26" rather than "LOKET 26" cut: the counter tiles say LOKET
        for i, call in enumerate(calls):
            row = QRectF(area.left(), area.top() + i * row_h, area.width(), row_h)
            if i % 2 == 0:
                paint.card(p, row, PANEL, row_h * 0.15)
            pad = row.adjusted(pad_x, 0, -pad_x, 0)
            ink = HIGHLIGHT if call.event_id in self.upcoming else TEXT
            paint.text(p, QRectF(pad.left(), pad.top(), code_w, pad.height()), call.code, ink, px=code_px,
                       align=LEFT, role="call", widget=name)
            paint.text(p, QRectF(pad.right() - where_room, pad.top(), where_room, pad.height()), wheres[i], SUB,
                       px=where_px, align=RIGHT, widget=name)
        p.end()


@lru_cache(maxsize=256)
def _widest(texts: tuple[str, ...], px: int) -> float:
    return max((paint.advance(s, px) for s in texts), default=0.0)


class Grid:
    """Tiles of `label | value` in columns and rows, in pages when they do not fit at legible size."""

    def __init__(self, labels: list[str], values: list[str], width: float, height: float, min_px: int) -> None:
        self.n = max(1, len(labels))
        labels_t, values_t = tuple(labels) or ("0",), tuple(values) or ("A-000",)
        gap = min_px * 0.3
        best: tuple[int, int, int] | None = None  # px, cols, rows
        px = max(min_px, int(height / LINE))
        while px >= min_px:  # the largest size at which every tile fits on one page
            tw = _widest(labels_t, px) + _widest(values_t, px) + px * 1.6
            th = px * 1.4
            cols = max(1, int((width + gap) // (tw + gap)))
            rows = max(1, int((height + gap) // (th + gap)))
            if cols * rows >= self.n or px == min_px:
                best = (px, cols, rows)
                break
            px = max(min_px, min(px - 1, int(px * 0.94)))
        assert best is not None
        self.px, self.cols, self.rows = best
        self.per_page = self.cols * self.rows
        if self.per_page >= self.n:  # one page: no more rows than needed, so tiles stay close together
            self.rows = math.ceil(self.n / self.cols)
        self.pages = math.ceil(self.n / self.per_page)
        self.per_page = math.ceil(self.n / self.pages)  # balanced: no last page with a lone tile
        self.gap = gap
        self.tile_w = (width - gap * (self.cols - 1)) / self.cols
        self.tile_h = min(self.px * 1.4 * 1.25, (height - gap * (self.rows - 1)) / self.rows)
        self.label_w = _widest(labels_t, self.px) + self.px * 0.6

    def tile(self, area: QRectF, index: int) -> QRectF:
        """Where tile `index` of its page goes."""
        i = index % self.per_page
        return QRectF(area.left() + (i % self.cols) * (self.tile_w + self.gap),
                      area.top() + (i // self.cols) * (self.tile_h + self.gap), self.tile_w, self.tile_h)


class PagedPanel(Panel):
    """A panel whose content may take several pages; the window turns them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = 0

    def body_area(self) -> QRectF:
        r = QRectF(self.rect()).adjusted(self.pad(), self.pad() * 0.6, -self.pad(), -self.pad() * 0.6)
        return r.adjusted(0, self.head_h() * 1.15, 0, 0)

    def grid(self) -> Grid:
        raise NotImplementedError

    def pages(self) -> int:
        return self.grid().pages

    def set_page(self, page: int) -> None:
        page = page % max(1, self.pages())
        if page != self.page:
            self.page = page
            self.update()

    def page_label(self, grid: Grid) -> str:
        return f"{self.page % grid.pages + 1}/{grid.pages}" if grid.pages > 1 else ""


class CounterBoard(PagedPanel):
    """Every counter of this screen as a tile: its name (number), the ticket it serves, or closed."""

    heading_key = "counters"

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

    def page_of(self, counter: str) -> int | None:
        """The page showing that counter."""
        for i, c in enumerate(self.counters):
            if c.code == counter:
                return i // self.grid().per_page
        return None

    def labels(self) -> tuple[str, list[str]]:
        return short_names([c.name for c in self.counters])

    def values(self) -> list[str]:
        return [c.ticket.code if c.ticket else ("—" if c.is_open else t("closed")) for c in self.counters]

    def grid(self) -> Grid:
        area = self.body_area()
        _, labels = self.labels()
        values = [*self.values(), "A-000"]
        return Grid(labels, values, area.width(), area.height(), self.min_px("A"))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p, body = self.begin()
        if not self.counters:
            self.heading(p, body, [t("counters")])
            px = self.min_px(t("no_counters"), bold=False)
            if paint.fits(t("no_counters"), px, body.width()):
                paint.text(p, body.adjusted(0, self.head_h(), 0, 0), t("no_counters"), SUB, px=px, bold=False,
                           widget=type(self).__name__)
            p.end()
            return
        grid = self.grid()
        word, labels = self.labels()
        self.heading(p, body, [word or t("counters")], right=self.page_label(grid))
        area = self.body_area()
        values = self.values()
        first = (self.page % grid.pages) * grid.per_page
        for i in range(first, min(first + grid.per_page, len(self.counters))):
            self._tile(p, grid, grid.tile(area, i), self.counters[i], labels[i], values[i])
        p.end()

    def _tile(self, p: QPainter, grid: Grid, tile: QRectF, c: CounterView, label: str, value: str) -> None:
        lit = self.lit and c.code == self.lit_counter
        bg = HIGHLIGHT if lit else (PANEL if c.is_open else PANEL_DIM)
        ink = HIGHLIGHT_INK if lit else (TEXT if c.is_open else CLOSED)
        radius = tile.height() * 0.15
        paint.card(p, tile, bg, radius)
        stripe_w = max(3.0, grid.px * 0.16)
        if c.agency and c.is_open:
            paint.card(p, QRectF(tile.left(), tile.top(), stripe_w, tile.height()),
                       self.colors.get(c.agency, PANEL), stripe_w / 2)
        name = type(self).__name__
        inner = tile.adjusted(stripe_w + grid.px * 0.3, 0, -grid.px * 0.3, 0)
        paint.text(p, QRectF(inner.left(), inner.top(), grid.label_w, inner.height()), label,
                   ink if lit else (SUB if c.is_open else CLOSED), px=grid.px, align=LEFT, widget=name)
        paint.text(p, QRectF(inner.left() + grid.label_w, inner.top(), inner.width() - grid.label_w,
                             inner.height()), value, ink, px=grid.px, align=RIGHT, widget=name)


class WaitingBoard(PagedPanel):
    """People waiting per service (ticket prefix and count), or per agency when the services need too many pages."""

    heading_key = "waiting"
    MAX_PAGES = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queues: tuple[ServiceQueue, ...] = ()
        self.agencies: dict[str, AgencyView] = {}

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

    def _plan(self) -> tuple[Grid, list[tuple[str, str, int, str]]]:
        area = self.body_area()
        px = self.min_px("A")
        busy = [q for q in self.queues if q.waiting > 0]
        grid = Grid([q.code for q in busy], [str(q.waiting) for q in busy], area.width(), area.height(), px)
        lines = self.lines(grid.per_page * self.MAX_PAGES)
        for _ in range(2):  # per agency the labels are wider: fewer fit a page, so cut again
            labels = [code or name.split()[0] for code, name, *_ in lines]
            values = [str(n) if n >= 0 else "" for _, _, n, _ in lines]
            grid = Grid(labels, values, area.width(), area.height(), px)
            if grid.pages <= self.MAX_PAGES:
                break
            lines = self.lines(grid.per_page * self.MAX_PAGES)
        return grid, lines

    def grid(self) -> Grid:
        return self._plan()[0]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p, body = self.begin()
        grid, lines = self._plan()
        self.heading(p, body, [t("waiting")], right=self.page_label(grid) if lines else "")
        if not lines:
            px = self.min_px(t("waiting_none"), bold=False)
            if paint.fits(t("waiting_none"), px, body.width()):
                paint.text(p, body.adjusted(0, self.head_h(), 0, 0), t("waiting_none"), SUB, px=px, bold=False,
                           widget=type(self).__name__)
            p.end()
            return
        area = self.body_area()
        first = (self.page % grid.pages) * grid.per_page
        name = type(self).__name__
        for i in range(first, min(first + grid.per_page, len(lines))):
            code, label, waiting, color = lines[i]
            tile = grid.tile(area, i)
            if not code:  # "+3 lainnya", or "+3" where the words would be too small
                px = self.min_px(label)
                if not paint.fits(label, px, tile.width()):
                    label, px = label.split()[0], grid.px
                paint.text(p, tile, label, SUB, px=px, align=LEFT, widget=name)
                continue
            chip = QRectF(tile.left(), tile.top(), grid.label_w, tile.height())
            paint.card(p, chip, color, tile.height() * 0.15)
            paint.text(p, chip, code, text_on(color), px=grid.px, widget=name)
            paint.text(p, tile.adjusted(grid.label_w, 0, -grid.px * 0.3, 0), str(waiting), TEXT, px=grid.px,
                       align=RIGHT, widget=name)
        p.end()
