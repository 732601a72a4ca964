"""Benchmark: tap on "Ambil Antrean" to the ticket's bytes handed to the printer (`python -m kiosk.bench`).

The real kiosk window (offscreen), its DB worker on a seeded SQLite file, the change watcher
polling alongside, and python-escpos' Network backend writing to a TCP sink on 127.0.0.1. The
clock stops when the socket accepted the last byte, so the printer's own time is excluded.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Sink:
    """A network printer that swallows everything (it never makes the sender wait)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.bytes = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                while chunk := conn.recv(65536):
                    self.bytes += len(chunk)

    def close(self) -> None:
        self.server.close()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(n: int = 200, warmup: int = 10) -> dict[str, float]:
    """Issue n tickets through the GUI; returns p50/p95/max in milliseconds."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.demo_venue import seed
    from kiosk.printers import build_printer
    from kiosk.settings import kiosk_settings
    from kiosk.window import KioskWindow
    from qtkit.worker import DbWorker

    app = QApplication.instance() or QApplication([])
    sink = Sink()
    handed: list[float] = []
    shown: list[float] = []
    with tempfile.TemporaryDirectory(prefix="antre-kiosk-bench-") as tmp:
        url, _ = seed(Path(tmp) / "db", full=False)  # the 12-agency venue: no daily quota to run into
        worker = DbWorker(url)
        printer = build_printer(kiosk_settings({}, {"device": f"net:127.0.0.1:{sink.port}", "status": "off"}))
        w = KioskWindow(worker, printer=printer)
        w.resize(1080, 1920)
        w.show()

        def wait(cond: object, timeout: float = 10.0) -> None:
            end = time.monotonic() + timeout
            while not cond():  # type: ignore[operator]
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
                if time.monotonic() > end:
                    raise TimeoutError("the kiosk did not answer")

        try:
            wait(lambda: w.view == "home")
            for i in range(n + warmup):
                w.go_home()
                w.open_agency("DUKCAPIL")
                w.open_service("A")
                # A citizen reads the Confirm screen for seconds: let the reloads and polls in flight finish.
                wait(lambda: worker.pending() == 0)
                before = w.last_handed
                t0 = time.perf_counter()
                QTest.mouseClick(w.confirm.take_button, Qt.MouseButton.LeftButton)
                wait(lambda: w.view == "ticket")
                t_shown = time.perf_counter()
                wait(lambda: w.last_handed > before)  # noqa: B023 - read at once
                if i >= warmup:
                    handed.append((w.last_handed - t0) * 1000)
                    shown.append((t_shown - t0) * 1000)
        finally:
            w.shutdown()
            worker.stop()
            sink.close()
    return {
        "n": n, "p50": statistics.median(handed), "p95": _percentile(handed, 95), "max": max(handed),
        "shown_p50": statistics.median(shown), "shown_p95": _percentile(shown, 95), "bytes": sink.bytes,
    }


def _at_least_one(text: str) -> int:
    """An argparse type: a whole number of at least 1 (no empty sample to take a median of)."""
    number = int(text)  # argparse turns a ValueError into a one-line usage error
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=_at_least_one, default=200, help="tickets to measure (default 200)")
    args = parser.parse_args(argv)
    r = run(args.n)
    print(f"tap -> bytes handed to printer: p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms "
          f"(n={r['n']}, target p95 < 150 ms)")
    print(f"tap -> ticket on screen:        p50 {r['shown_p50']:.1f} ms, p95 {r['shown_p95']:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
