"""Click-to-ticket latency of the console: `python -m counter.bench [N]` prints p50/p95 in milliseconds.

Measured path: a mouse click on "Panggil Berikutnya" in the real window (offscreen) -> the worker
runs call_next on SQLite -> the result comes back to the GUI thread -> the big code label shows the
ticket and the window has painted. The watcher keeps polling every 150 ms meanwhile, as in use.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def run(n: int = 100, pause_ms: int = 0, waiting: int = 100) -> dict[str, float]:
    """Call and finish `n` tickets through the window; returns p50, p95 and max in ms.

    `pause_ms` is the officer's pace between the previous action settling and the next click;
    0 clicks again the moment the buttons allow (reads of the last action may still be queued).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from counter import sample
    from counter.window import build_console
    from db import open_database, unit_of_work
    from db.queue import issue_ticket

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        url = sample.create(Path(tmp) / "data")
        sample.morning(url, waiting=0)
        sessions = open_database(url)
        with unit_of_work(sessions) as s:
            for i in range(n + waiting):
                issue_ticket(s, "AB"[i % 2])  # the services of sample.COUNTER
        sessions.kw["bind"].dispose()
        window = build_console(url, counter=sample.COUNTER)
        window.resize(1366, 768)
        window.show()
        c = window.controller

        def wait(cond: object) -> None:
            end = time.monotonic() + 10
            while not cond():  # type: ignore[operator]
                if time.monotonic() > end:
                    raise TimeoutError("console did not answer")
                # Sleep until an event comes, as the real event loop does: a busy loop here
                # would hold the GIL and slow the worker thread, inflating the figures.
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

        wait(lambda: c.setup is not None and c.online)
        window.sign_in_page.username.setText("siti.r")
        window.sign_in_page.pin.setText(sample.PINS["siti.r"])
        window.sign_in_page.submit()
        wait(lambda: c.snapshot is not None and not c.busy and not c._refreshing)
        label, buttons = window.console.ticket.code, window.console.buttons
        samples = []
        for _ in range(n):
            wait(lambda: buttons["next"].isEnabled())
            if pause_ms:
                wait(lambda: not c._refreshing)
                QTest.qWait(pause_ms)
            before = label.text() if label.isVisible() else ""
            start = time.perf_counter()
            QTest.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
            wait(lambda: label.isVisible() and label.text() != before)
            window.repaint()  # the code is on screen, not only in the label
            samples.append((time.perf_counter() - start) * 1000)
            wait(lambda: buttons["finish"].isEnabled())
            QTest.mouseClick(buttons["finish"], Qt.MouseButton.LeftButton)
            wait(lambda: not label.isVisible() and not c.busy)
        window.shutdown()
        window.deleteLater()
        app.processEvents()
    samples.sort()
    return {
        "n": float(len(samples)),
        "p50": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)],
        "max": samples[-1],
    }


def main() -> int:
    """Both paces, each over `n` calls (argv[1], default 100) with 100 more tickets waiting."""
    try:
        n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    except ValueError:
        n = 0
    if n < 1:
        print("usage: python -m counter.bench [N]   (N: calls to measure, a whole number of at least 1)",
              file=sys.stderr)
        return 2
    for label, pause in (("officer pace, 300 ms after the last action settled", 300), ("back-to-back", 0)):
        r = run(n, pause)
        print(f"click -> ticket shown, SQLite, {label} (n={int(r['n'])}): "
              f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
