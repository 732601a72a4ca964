"""Render every console screen offscreen into OUTDIR/counter/*.png: `python -m counter.screens OUTDIR`.

A seeded SQLite database in a temporary folder, the real window driven through its controller,
QWidget.grab() at 1366x768 (the usual counter PC) and 1920x1080.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SMALL, LARGE = (1366, 768), (1920, 1080)
SURVEY = (1280, 800)  # a tablet or small second monitor facing the citizen


def _wait(cond: Callable[[], bool], timeout: float = 10.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("screen did not settle")
        QApplication.processEvents()
        time.sleep(0.002)
    for _ in range(5):  # let layouts and paints catch up with the last change
        QApplication.processEvents()


def render_all(outdir: Path) -> list[Path]:
    """Render every screen; returns the PNG paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    from counter import sample
    from counter.controller import Phase
    from counter.state import Action
    from counter.survey import SurveyWindow
    from counter.window import CounterWindow, build_console

    app = QApplication.instance() or QApplication([])
    folder = outdir / "counter"
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        url = sample.create(data)
        sample.morning(url)
        window = build_console(url, counter=sample.COUNTER, poll_ms=100)
        c = window.controller

        def idle() -> bool:
            return not c.busy and not c._refreshing

        def shot(name: str, sizes: tuple[tuple[int, int], ...] = (SMALL,), over: QWidget | None = None) -> None:
            for w, h in sizes:
                window.resize(w, h)
                _wait(lambda: window.size().width() == w)
                pixmap = window.grab()
                if over is not None:  # a dialog is its own window: paint it where it would sit
                    painter = QPainter(pixmap)
                    dialog = over.grab()
                    painter.drawPixmap((w - dialog.width()) // 2, (h - dialog.height()) // 3, dialog)
                    painter.end()
                path = folder / f"{name}_{w}x{h}.png"
                pixmap.save(str(path))
                saved.append(path)
            window.resize(*SMALL)

        def sign_in(user: str, pin: str) -> None:
            window.sign_in_page.username.setText(user)
            window.sign_in_page.pin.setText(pin)
            window.sign_in_page.submit()
            _wait(lambda: idle() and c.phase != Phase.SIGN_IN or bool(window.sign_in_page.error.text()))

        def act(action: Action, **kw: object) -> None:
            assert c.act(action, **kw), f"{action} not possible now"
            _wait(lambda: idle() and c.snapshot is not None)

        window.resize(*SMALL)
        window.show()
        _wait(lambda: c.setup is not None and bool(c.online))
        shot("signin", (SMALL, LARGE))
        sign_in("siti.r", "0000")
        shot("signin_wrong_pin")
        sign_in("rina.marlina", sample.FIRST_PINS["rina.marlina"])
        shot("change_pin")
        c.sign_out()
        _wait(lambda: c.phase == Phase.SIGN_IN and idle())
        window.sign_in_page.error.setText("")
        sign_in("siti.r", sample.PINS["siti.r"])
        _wait(lambda: c.snapshot is not None and idle())
        act(Action.OPEN)  # rina's sign-out closed the counter
        shot("free", (SMALL, LARGE))
        act(Action.NEXT)
        for _ in range(3):
            act(Action.RECALL)
        shot("called_recall_suggest", (SMALL, LARGE))
        act(Action.NO_SHOW)
        assert c.snapshot is not None
        priority = next(t.code for t in c.snapshot.waiting if t.priority)
        c.select(priority)
        act(Action.CALL)
        act(Action.START)
        shot("serving", (SMALL, LARGE))
        act(Action.HOLD)
        plain = c.snapshot.waiting[1].code
        c.select(plain)
        shot("parked_and_selected")
        act(Action.CALL)
        window.console.open_transfer()
        dialog = window.console.transfer_dialog
        assert dialog is not None
        dialog.filter.setText("paspor")
        dialog.note.setText("Warga ingin membuat paspor, bukan KTP")
        _wait(lambda: True)
        shot("transfer_dialog", over=dialog)
        dialog.reject()
        survey = SurveyWindow(c.worker)  # the citizen's screen at this counter
        c.ticket_finished.connect(survey.start)
        survey.resize(*SURVEY)
        survey.show()
        _wait(lambda: len(survey.element_groups) == 9)
        act(Action.FINISH)
        _wait(lambda: survey.stack.currentWidget() is survey.ask_page)

        def survey_shot(name: str) -> None:
            _wait(lambda: True)
            path = folder / f"survey_{name}_{SURVEY[0]}x{SURVEY[1]}.png"
            survey.grab().save(str(path))
            saved.append(path)

        survey_shot("ask")
        survey.rate(4)
        survey_shot("rated")
        survey.open_full()
        for code, score in list(zip(survey.element_groups, (4, 3, 3, 4, 3, 4)))[:6]:
            survey.element_groups[code].button(score).click()
        survey_shot("full")
        for code in list(survey.element_groups)[6:]:
            survey.element_groups[code].button(3).click()
        survey.submit()
        survey_shot("thanks")
        survey.close()
        act(Action.BREAK)
        shot("break")
        act(Action.OPEN)
        away = Path(tmp) / "away"
        os.rename(data, away)
        try:
            _wait(lambda: c.online is False)
            shot("offline", (SMALL, LARGE))
        finally:
            os.rename(away, data)
        _wait(lambda: bool(c.online) and idle())
        act(Action.NEXT)  # so the supervisor sees a counter at work
        # The supervisor's screen on the same morning.
        from counter.supervisor import SupervisorWindow
        from qtkit.worker import DbWorker

        boss = SupervisorWindow(DbWorker(url), poll_ms=100)
        boss.resize(*SMALL)
        boss.show()
        boss.username.setText("dewi.lestari")
        boss.pin.setText(sample.PINS["dewi.lestari"])
        boss.submit()
        _wait(lambda: boss.board is not None)
        for index, name in ((0, "counters"), (1, "services"), (3, "report")):
            boss.tabs.setCurrentIndex(index)
            _wait(lambda: True)
            path = folder / f"supervisor_{name}_1366x768.png"
            boss.grab().save(str(path))
            saved.append(path)
        boss.shutdown()
        boss.deleteLater()
        app.processEvents()
        window.shutdown()
        window.deleteLater()

        # A counter whose queue is empty (Imigrasi's passports: nobody waiting yet).
        other: CounterWindow = build_console(url, counter=sample.EMPTY_COUNTER, poll_ms=100)
        other.resize(*SMALL)
        other.show()
        oc = other.controller
        _wait(lambda: oc.setup is not None and bool(oc.online))
        other.sign_in_page.username.setText("fajar.nugroho")
        other.sign_in_page.pin.setText(sample.PINS["fajar.nugroho"])
        other.sign_in_page.submit()
        _wait(lambda: oc.snapshot is not None and not oc.busy)
        assert oc.act(Action.OPEN)
        _wait(lambda: not oc.busy and oc.snapshot is not None and oc.snapshot.counter.is_open)
        assert oc.act(Action.NEXT)
        _wait(lambda: not oc.busy and "KOSONG" in oc.last_notice[1])
        path = folder / "empty_queue_1366x768.png"
        other.grab().save(str(path))
        saved.append(path)
        other.shutdown()
        other.deleteLater()
        app.processEvents()

    return saved


def main() -> int:
    """Entry point: render into the folder given on the command line (default docs/screenshots)."""
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    for path in render_all(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
