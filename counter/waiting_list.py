"""The tickets waiting for this counter (its parked ones first), as a model and a keyboard-friendly view.

A model, not a QTableWidget, and fixed column widths: a busy service has a hundred tickets
waiting, and rebuilding a hundred rows of items after every call, with columns sized to their
contents, took far longer than the call itself (0.4 s). Here a change is one model reset and the
clock only repaints a column.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTableView, QWidget

from counter.state import Snapshot
from counter.style import PARKED_ROW, PRIORITY_MARK
from counter.texts import Texts, minutes_text
from db.views import TicketView
from qtkit import theme

Index = QModelIndex | QPersistentModelIndex
CODE, SERVICE, WAITED, NOTE = range(4)
# "Lama tunggu", not "Menunggu": the list's title already says who is waiting.
HEADERS = {"id": ("Kode", "Layanan", "Lama tunggu", "Ket."), "en": ("Code", "Service", "Waited", "Notes")}


def tag_of(ticket: TicketView, t: Texts) -> str:
    """One tag, the one that matters most; the rest is in the tooltip and the ticket panel."""
    if ticket.status == "held":
        return "DITAHAN" if t.lang == "id" else "PARKED"
    if ticket.priority:
        return t("priority")
    if ticket.transferred_from_id:
        return "DIALIHKAN" if t.lang == "id" else "TRANSFERRED"
    return ""


class WaitingModel(QAbstractTableModel):
    """Rows of TicketView; texts are made when the view asks for them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[TicketView] = []
        self.t = Texts()
        self.long_wait = 30
        self.category: Callable[[str | None], str] = lambda c: c or ""
        self.now = datetime.now(UTC)
        self.bold = QFont()  # the view's font in bold, set by the view when its font changes
        self.bold.setBold(True)

    def set_rows(self, rows: list[TicketView], t: Texts, long_wait: int) -> bool:
        """Replace the rows if they differ; True when they did."""
        same = [(r.id, r.status) for r in rows] == [(r.id, r.status) for r in self.rows]
        if same and t.lang == self.t.lang and long_wait == self.long_wait:
            return False
        self.beginResetModel()
        self.rows, self.t, self.long_wait, self.now = rows, t, long_wait, datetime.now(UTC)
        self.endResetModel()
        return True

    def tick(self) -> None:
        """The clock moved: only the waiting-time column changes."""
        self.now = datetime.now(UTC)
        if self.rows:
            self.dataChanged.emit(self.index(0, WAITED), self.index(len(self.rows) - 1, WAITED))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[self.t.lang][section]
        return None

    def text(self, row: int, column: int) -> str:
        """What a cell shows."""
        ticket = self.rows[row]
        if column == CODE:
            return ticket.code
        if column == SERVICE:
            return ticket.service_name if self.t.lang == "id" else ticket.service_name_en
        if column == WAITED:
            if ticket.status == "held" and ticket.held_at is not None:
                return minutes_text(self.t, (self.now - ticket.held_at).total_seconds())  # parked this long
            if ticket.status != "waiting":
                return self.t("no_value")
            return minutes_text(self.t, (self.now - ticket.queued_at).total_seconds())
        return tag_of(ticket, self.t)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        ticket, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), column)
        if role == Qt.ItemDataRole.FontRole and column in (CODE, NOTE):
            return self.bold
        if role == Qt.ItemDataRole.BackgroundRole and ticket.status == "held":
            return QBrush(QColor(PARKED_ROW))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == NOTE and ticket.priority:
                return QBrush(QColor(PRIORITY_MARK))
            if column == WAITED and ticket.status == "waiting":
                late = (self.now - ticket.queued_at).total_seconds() >= self.long_wait * 60
                return QBrush(QColor(theme.DANGER if late else theme.INK))
        if role == Qt.ItemDataRole.ToolTipRole:
            name = ticket.service_name if self.t.lang == "id" else ticket.service_name_en
            return " · ".join(x for x in (ticket.code, name, self.category(ticket.priority_category), ticket.note)
                              if x)
        return None


class WaitingTable(QTableView):
    """Arrow keys pick a row, Enter or a double-click calls it; the selection survives refreshes."""

    picked = Signal(object)  # the selected ticket code, or None
    activated_code = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = WaitingModel(self)
        self.setModel(self.model_)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(SERVICE, QHeaderView.ResizeMode.Stretch)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.empty = QLabel(self.viewport())
        self.empty.setObjectName("emptyList")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.selectionModel().selectionChanged.connect(self._selection)
        self.activated.connect(lambda index: self.activated_code.emit(self.model_.rows[index.row()].code))
        self._quiet = False

    @property
    def rows(self) -> list[TicketView]:
        return self.model_.rows

    def row_count(self) -> int:
        return len(self.model_.rows)

    def cell(self, row: int, column: int) -> str:
        """The text a cell shows (for tests and the screenshot tool)."""
        return self.model_.text(row, column)

    def render(self, snapshot: Snapshot | None, t: Texts, selected: str | None, long_wait: int) -> None:
        """Show the snapshot's parked and waiting tickets; keep the selection by ticket code."""
        rows = list(snapshot.parked + snapshot.waiting) if snapshot else []
        self._quiet = True  # a reset is not the officer picking a row
        try:
            if self.model_.set_rows(rows, t, long_wait):
                self.fit_columns()
            codes = [r.code for r in rows]
            current = self.selectionModel().selectedRows()
            current_code = codes[current[0].row()] if current and current[0].row() < len(codes) else None
            if selected in codes and selected != current_code:
                self.selectRow(codes.index(selected))
            elif selected not in codes and current:
                self.clearSelection()
        finally:
            self._quiet = False
        self.empty.setText(t("no_waiting") if snapshot is not None else "")
        self.empty.setVisible(not rows)

    def tick(self) -> None:
        self.model_.tick()

    def fit_columns(self) -> None:
        """Size the narrow columns for what they hold now; done on a new list, not per clock tick
        (sizing to contents the Qt way measures every row whenever a cell changes)."""
        bold = QFont(self.font())
        bold.setBold(True)
        self.model_.bold = bold
        wide, plain = QFontMetrics(bold), QFontMetrics(self.font())
        head = QFontMetrics(bold)  # the header's section font is a stylesheet subcontrol: assume the bold body
        model = self.model_
        for column, metrics, extra in ((CODE, wide, []), (WAITED, plain, ["888 mnt"]), (NOTE, wide, [])):
            texts = {model.text(row, column) for row in range(len(model.rows))} | set(extra)
            width = max([metrics.horizontalAdvance(x) for x in texts] + [head.horizontalAdvance(
                HEADERS[model.t.lang][column])])
            self.horizontalHeader().resizeSection(column, width + 16)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.empty.setGeometry(self.viewport().rect())

    def _selection(self) -> None:
        if self._quiet:
            return
        rows = self.selectionModel().selectedRows()
        self.picked.emit(self.model_.rows[rows[0].row()].code if rows else None)
