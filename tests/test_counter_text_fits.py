"""On the rendered screens of the full demo venue, every label's text fits its widget (nothing clipped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from counter import sample
from counter.state import Action
from counter.survey import SurveyWindow
from counter.window import build_console


def clipped(root: QWidget) -> list[str]:
    """Visible labels whose text needs more room than the label has."""
    bad = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text() or label.pixmap() is not None and not label.pixmap().isNull():
            continue
        rect = label.contentsRect()
        metrics = label.fontMetrics()
        if label.wordWrap():
            need = label.heightForWidth(rect.width() + label.contentsMargins().left() + label.contentsMargins().right())
            if need > label.height() + 1:
                bad.append(f"{label.objectName() or 'label'} {label.text()!r}: needs {need} px high, has {label.height()}")
        else:
            widest = max(metrics.horizontalAdvance(line) for line in label.text().split("\n"))
            if widest > rect.width() + 1:
                bad.append(f"{label.objectName() or 'label'} {label.text()!r}: needs {widest} px, has {rect.width()}")
    return bad


def test_console_and_survey_texts_fit(qtbot: Any, tmp_path: Path) -> None:
    url = sample.create(tmp_path / "data")
    sample.morning(url)
    window = build_console(url, counter=sample.COUNTER, poll_ms=50)
    qtbot.addWidget(window)
    c = window.controller
    survey = SurveyWindow(c.worker)
    qtbot.addWidget(survey)
    c.ticket_finished.connect(survey.start)
    try:
        for size in ((1366, 768), (1920, 1080)):
            window.resize(*size)
            window.show()
            qtbot.waitUntil(lambda: c.setup is not None and bool(c.online), timeout=10000)
            if c.snapshot is None:
                window.sign_in_page.username.setText("siti.r")
                window.sign_in_page.pin.setText(sample.PINS["siti.r"])
                window.sign_in_page.submit()
                qtbot.waitUntil(lambda: c.snapshot is not None and not c.busy, timeout=10000)
                if not c.snapshot.counter.is_open:
                    assert c.act(Action.OPEN)
                    qtbot.waitUntil(lambda: not c.busy and c.snapshot.counter.is_open)
                assert c.act(Action.NEXT)
                qtbot.waitUntil(lambda: not c.busy and c.snapshot.ticket is not None)
                assert c.act(Action.START)
                qtbot.waitUntil(lambda: not c.busy and c.snapshot.ticket.status == "serving")
            qtbot.wait(50)
            assert clipped(window) == [], size
        survey.resize(1280, 800)
        survey.show()
        qtbot.waitUntil(lambda: len(survey.element_groups) == 9)
        assert c.act(Action.FINISH)
        qtbot.waitUntil(lambda: survey.stack.currentWidget() is survey.ask_page)
        for page in (survey.ask_page, survey.rated_page, survey.full_page, survey.thanks_page):
            survey.stack.setCurrentWidget(page)
            qtbot.wait(20)
            assert clipped(survey) == [], page
    finally:
        survey.close()
        window.shutdown()


def test_the_check_sees_a_clipped_label(qtbot: Any) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    narrow = QLabel("Pencetakan KTP-el (Baru, Rusak, Hilang, Perubahan Data)", root)
    narrow.setGeometry(0, 0, 60, 20)
    wrapped = QLabel("Server antrean tidak terjangkau. Menyambung ulang otomatis…", root)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(0, 30, 80, 16)
    root.resize(200, 100)
    root.show()
    assert len(clipped(root)) == 2
    narrow.setGeometry(0, 0, 600, 20)
    wrapped.setGeometry(0, 30, 600, 40)
    assert clipped(root) == []
