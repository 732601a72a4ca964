"""Today's figures for the counter and the officer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from counter.state import Snapshot
from counter.texts import Texts, figure_text
from db.stats import DayFigures


class FiguresBox(QWidget):
    """Today's served, no-shows, mean and median service time: the counter's and the officer's."""

    ROWS = ("served", "no_shows", "mean", "median")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figures")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        self.heads = [QLabel(self) for _ in range(3)]
        for col, label in enumerate(self.heads):
            label.setObjectName("figHead")
            grid.addWidget(label, 0, col, Qt.AlignmentFlag.AlignRight if col else Qt.AlignmentFlag.AlignLeft)
        self.names: list[QLabel] = []
        self.values: dict[tuple[str, int], QLabel] = {}
        for row, key in enumerate(self.ROWS, start=1):
            name = QLabel(self)
            self.names.append(name)
            grid.addWidget(name, row, 0)
            for col in (1, 2):
                value = QLabel(self)
                value.setObjectName("figValue")
                grid.addWidget(value, row, col, Qt.AlignmentFlag.AlignRight)
                self.values[(key, col)] = value
        grid.setColumnStretch(0, 1)

    def render(self, snapshot: Snapshot | None, t: Texts) -> None:
        for label, key in zip(self.heads, ("today", "fig_counter", "fig_officer"), strict=True):
            label.setText(t(key))
        for label, key in zip(self.names, self.ROWS, strict=True):
            label.setText(t(key))
        figures: tuple[DayFigures | None, DayFigures | None] = (
            (snapshot.counter_day, snapshot.officer_day) if snapshot else (None, None)
        )
        for col, fig in zip((1, 2), figures, strict=True):
            self.values[("served", col)].setText(str(fig.served) if fig else "–")
            self.values[("no_shows", col)].setText(str(fig.no_shows) if fig else "–")
            self.values[("mean", col)].setText(figure_text(t, fig.mean_service_minutes if fig else None))
            self.values[("median", col)].setText(figure_text(t, fig.median_service_minutes if fig else None))

