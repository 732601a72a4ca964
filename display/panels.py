"""The information panels: the panel base, counters and waiting (in pages); the call panels are in display.calls.

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

from db.catalog import AgencyView
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
                if not paint.fits(label, px, tile.width()) or px * paint.LINE > tile.height() + 1:
                    label, px = label.split()[0], grid.px
                paint.text(p, tile, label, SUB, px=px, align=LEFT, widget=name)
                continue
            chip = QRectF(tile.left(), tile.top(), grid.label_w, tile.height())
            paint.card(p, chip, color, tile.height() * 0.15)
            paint.text(p, chip, code, text_on(color), px=grid.px, widget=name)
            paint.text(p, tile.adjusted(grid.label_w, 0, -grid.px * 0.3, 0), str(waiting), TEXT, px=grid.px,
                       align=RIGHT, widget=name)
        p.end()
