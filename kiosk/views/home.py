"""Home (one tile per agency) and Agency (one tile per service) screens."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QScroller, QScrollArea, QVBoxLayout, QWidget

from db.catalog import AgencyView
from db.views import ServiceQueue
from kiosk.texts import tr, wait_text
from kiosk.views.common import TITLE, Tile, button, label, touch
from qtkit import theme


def badge_of(agency: AgencyView) -> str:
    """The short mark in a tile's circle: the configured icon text, else the agency code."""
    icon = agency.icon.strip()
    if icon and len(icon) <= 4:
        return icon
    return agency.code[:4]


class TileGrid(QScrollArea):
    """Tiles in a grid that fills the screen; it scrolls by finger drag only when they cannot fit."""

    tile_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(20)
        self.setWidget(self.body)
        self.tiles: list[Tile] = []
        self.portrait_columns, self.landscape_columns = 2, 4

    def ensure(self, count: int) -> list[Tile]:
        while len(self.tiles) < count:
            tile = Tile()
            tile.clicked.connect(lambda _=False, i=len(self.tiles): self.tile_clicked.emit(i))
            self.tiles.append(tile)
        for i, tile in enumerate(self.tiles):
            tile.setVisible(i < count)
        self._place(count)
        return self.tiles[:count]

    def _columns(self, count: int) -> int:
        top = self.window()
        wide = top.width() > top.height() * 1.2
        cols = self.landscape_columns if wide else self.portrait_columns
        return max(1, min(cols, count))

    def _place(self, count: int) -> None:
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        cols = self._columns(count)
        rows = max(1, -(-count // cols))
        spacing = self.grid.spacing()
        height = (self.viewport().height() - spacing * (rows - 1)) // rows if self.viewport().height() else 200
        height = max(touch(150), min(height, 280))
        for i, tile in enumerate(self.tiles[:count]):
            tile.setFixedHeight(height)
            self.grid.addWidget(tile, i // cols, i % cols)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        self.grid.setRowStretch(rows, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place(sum(1 for t in self.tiles if not t.isHidden()))


class HomeScreen(QWidget):
    """One large tile per agency (its colour and mark) with how many citizens wait."""

    agency_chosen = Signal(str)

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
        self.codes: list[str] = []

    def show_agencies(self, agencies: Sequence[AgencyView], queues: dict[str, ServiceQueue], lang: str) -> None:
        self.title.setText(tr("choose_agency", lang))
        tiles = self.grid.ensure(len(agencies))
        self.codes = [a.code for a in agencies]
        for tile, agency in zip(tiles, agencies, strict=True):
            waiting = sum(queues[s.code].waiting for s in agency.services if s.code in queues)
            open_any = any(queues[s.code].available for s in agency.services if s.code in queues)
            tile.color = agency.color
            tile.set_content(agency.name_en if lang == "en" else agency.name, [tr("waiting_n", lang, n=waiting)],
                             badge=badge_of(agency), note=tr("closed_label", lang), enabled=open_any)


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
        tiles = self.grid.ensure(len(services))
        self.codes = [s.code for s in services]
        for tile, service in zip(tiles, services, strict=True):
            q = queues[service.code]
            reason = (q.unavailable_reason_en if lang == "en" else q.unavailable_reason) or tr("closed_label", lang)
            lines = [tr("waiting_people", lang, n=q.waiting)]
            if q.available:
                lines.append(wait_text(q.estimated_wait_minutes, lang))
            tile.color = agency.color
            tile.set_content(service.name_en if lang == "en" else service.name, lines, badge=service.code,
                             note=reason, enabled=q.available)
