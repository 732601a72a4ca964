"""Home (one tile per agency) and Agency (one tile per service) screens."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from db.catalog import AgencyView
from db.views import ServiceQueue
from kiosk.texts import tr, wait_text
from kiosk.views.common import BODY, TITLE, Tile, button, label, touch
from qtkit import theme


GAP = 20  # between tiles: well over the 8 px a finger needs between targets
PAGER_HEIGHT = 100


def badge_of(agency: AgencyView) -> str:
    """The short mark in a tile's circle: the configured icon text, else the agency code."""
    icon = agency.icon.strip()
    if icon and len(icon) <= 4:
        return icon
    return agency.code[:4]


class Pager(QWidget):
    """'Previous', 'page 2 of 3', 'Next': large buttons instead of a scrollbar (a touch kiosk has none)."""

    moved = Signal(int)  # -1 or +1

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.compact = compact  # arrows only: for a pager inside a card
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(24)
        height = 80 if compact else PAGER_HEIGHT
        self.prev = button("", theme.ACCENT, 32, height, outline=True)
        self.next = button("", theme.ACCENT, 32, height)
        self.where = label("", BODY, bold=True, align=Qt.AlignmentFlag.AlignCenter, wrap=False)
        for w in (self.prev, self.next, self.where):
            w.setProperty("base_px", None)  # large text leaves the pager as it is: its words fit its buttons
        self.prev.clicked.connect(lambda: self.moved.emit(-1))
        self.next.clicked.connect(lambda: self.moved.emit(1))
        row.addWidget(self.prev, 2)
        row.addWidget(self.where, 1)
        row.addWidget(self.next, 2)

    def set_page(self, page: int, pages: int, lang: str) -> None:
        self.prev.setText("\u25C0" if self.compact else "\u25C0  " + tr("page_prev", lang))
        self.next.setText("\u25B6" if self.compact else tr("page_next", lang) + "  \u25B6")
        self.prev.setAccessibleName(tr("page_prev", lang))
        self.next.setAccessibleName(tr("page_next", lang))
        self.where.setText(tr("page_of", lang, page=page + 1, pages=pages))
        self.where.setMinimumWidth(QFontMetrics(self.where.font()).horizontalAdvance(self.where.text()) + 8)
        self.prev.setEnabled(page > 0)
        self.next.setEnabled(page < pages - 1)


class TileGrid(QWidget):
    """Tiles in a grid that fills its area; when they do not all fit, pages with a Pager (no scrolling).

    The rows per page follow from the tallest tile's text at the smallest allowed size, so no
    text is ever cut or shrunk below the kiosk's minimum; every page shows whole tiles.
    """

    tile_clicked = Signal(int)  # index in the full list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(GAP)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(GAP)
        col.addWidget(self.body, 1)
        self.pager = Pager()
        self.pager.moved.connect(self._move)
        col.addWidget(self.pager)
        self.tiles: list[Tile] = []
        self.count = 0
        self.page = 0
        self.per_page = 1
        self.lang = "id"
        self.portrait_columns, self.landscape_columns = 2, 4
        self.max_height = 280

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    def ensure(self, count: int, lang: str = "id") -> list[Tile]:
        """`count` tiles to fill in (all of them, on every page); placed after set_content by relayout()."""
        while len(self.tiles) < count:
            tile = Tile(parent=self.body)
            tile.clicked.connect(lambda _=False, i=len(self.tiles): self.tile_clicked.emit(i))
            tile.hide()
            self.tiles.append(tile)
        self.count, self.lang = count, lang
        return self.tiles[:count]

    def reset_page(self) -> None:
        self.page = 0

    def _move(self, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))
        self.relayout()

    def _columns(self) -> int:
        top = self.window()
        wide = top.width() > top.height() * 1.2
        cols = self.landscape_columns if wide else self.portrait_columns
        return max(1, min(cols, self.count or 1))

    def _rows_fitting(self, height: int, tile_height: int) -> int:
        return max(1, (height + GAP) // (tile_height + GAP))

    def relayout(self) -> None:
        """Place the tiles of the current page (after a change of content, size or page)."""
        for tile in self.tiles:
            self.grid.removeWidget(tile)
            tile.hide()
        if not self.count:
            self.pager.hide()
            return
        # Fewer, wider columns when a long word (a name like "Ketenagakerjaan") cannot fit a narrow tile.
        for cols in range(self._columns(), 0, -1):
            width = (max(self.width(), 200) - GAP * (cols - 1)) // cols
            need = max(max(t.needed_height(width) for t in self.tiles[:self.count]), touch(150))
            if need <= max(self.max_height, self.height() // 2):
                break
        area = max(self.height(), need)
        rows = self._rows_fitting(area, need)
        if rows * cols < self.count:  # paging: the pager takes its row from the tiles' area
            rows = self._rows_fitting(area - self.pager.sizeHint().height() - GAP, need)
        self.per_page = rows * cols
        self.page = min(self.page, self.pages - 1)
        paged = self.pages > 1
        self.pager.setVisible(paged)
        if paged:
            self.pager.set_page(self.page, self.pages, self.lang)
        body_h = area - (self.pager.sizeHint().height() + GAP if paged else 0)
        height = max(need, min((body_h - GAP * (rows - 1)) // rows, max(self.max_height, need)))
        first = self.page * self.per_page
        for i, tile in enumerate(self.tiles[first:min(self.count, first + self.per_page)]):
            tile.setFixedHeight(height)
            self.grid.addWidget(tile, i // cols, i % cols)
            tile.show()
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        self.grid.setRowStretch(rows, 1)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 1 if c < cols else 0)  # fewer columns than before: none stays empty

    def page_of(self, index: int) -> int:
        return index // self.per_page

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.relayout()


class HomeScreen(QWidget):
    """One large tile per agency (its colour and mark) with how many citizens wait."""

    agency_chosen = Signal(str)
    booking_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(40, 28, 40, 28)
        col.setSpacing(24)
        self.title = label("", TITLE, bold=True)
        col.addWidget(self.title)
        self.grid = TileGrid()
        self.grid.tile_clicked.connect(lambda i: self.agency_chosen.emit(self.codes[i]))
        col.addWidget(self.grid, 1)
        self.booking_button = button("", theme.ACCENT, 36, 110, outline=True)
        self.booking_button.clicked.connect(self.booking_requested)
        col.addWidget(self.booking_button)
        self.codes: list[str] = []

    def show_agencies(self, agencies: Sequence[AgencyView], queues: dict[str, ServiceQueue], lang: str) -> None:
        self.title.setText(tr("choose_agency", lang))
        self.booking_button.setText(tr("booking_button", lang))
        self.booking_button.setAccessibleName(tr("booking_button", lang))
        tiles = self.grid.ensure(len(agencies), lang)
        self.codes = [a.code for a in agencies]
        for tile, agency in zip(tiles, agencies, strict=True):
            waiting = sum(queues[s.code].waiting for s in agency.services if s.code in queues)
            open_any = any(queues[s.code].available for s in agency.services if s.code in queues)
            tile.color = agency.color
            tile.set_content(agency.name_en if lang == "en" else agency.name, [tr("waiting_n", lang, n=waiting)],
                             badge=badge_of(agency), note=tr("closed_label", lang), enabled=open_any)
        self.grid.relayout()


class AgencyScreen(QWidget):
    """The agency's services: name, people waiting, estimated wait; closed or full ones greyed with why."""

    service_chosen = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(40, 28, 40, 28)
        col.setSpacing(22)
        head = QHBoxLayout()
        head.setSpacing(20)
        self.stripe = QFrame()
        self.stripe.setFixedWidth(22)
        head.addWidget(self.stripe)
        names = QVBoxLayout()
        self.title = label("", 46, bold=True)
        self.subtitle = label("", TITLE - 16, color=theme.MUTED)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        head.addLayout(names, 1)
        col.addLayout(head)
        self.grid = TileGrid()
        self.grid.portrait_columns, self.grid.landscape_columns = 1, 2
        self.grid.tile_clicked.connect(lambda i: self.service_chosen.emit(self.codes[i]))
        self.codes: list[str] = []
        col.addWidget(self.grid, 1)
        self.back_button = button("", theme.INK, 34, 110, outline=True)
        self.back_button.clicked.connect(self.back)
        col.addWidget(self.back_button)

    def show_agency(self, agency: AgencyView, queues: dict[str, ServiceQueue], lang: str) -> None:
        self.stripe.setStyleSheet(f"background: {agency.color}; border-radius: 8px;")
        self.title.setText(agency.name_en if lang == "en" else agency.name)
        self.subtitle.setText(tr("choose_service", lang))
        self.back_button.setText("\u2190  " + tr("back", lang))
        services = [s for s in agency.services if s.code in queues]
        tiles = self.grid.ensure(len(services), lang)
        self.codes = [s.code for s in services]
        for tile, service in zip(tiles, services, strict=True):
            q = queues[service.code]
            reason = (q.unavailable_reason_en if lang == "en" else q.unavailable_reason) or tr("closed_label", lang)
            lines = [tr("waiting_people", lang, n=q.waiting)]
            if q.available:
                lines.append(wait_text(q.estimated_wait_minutes, lang))
            if service.zones:
                lines.append(tr("where", lang, zones=", ".join(service.zones)))
            tile.color = agency.color
            tile.set_content(service.name_en if lang == "en" else service.name, lines, badge=service.code,
                             note=reason, enabled=q.available)
        self.grid.relayout()
