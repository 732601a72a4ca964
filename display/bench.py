"""`python -m display.bench`: call-to-repaint latency (p50/p95) and the idle CPU of the lobby display.

A second process calls tickets through the engine on a seeded demo database (SQLite) and notes
each commit time; the display, shown offscreen at 1920x1080 with speech on, notes when it first
paints that code (large, or at the top of the previous calls while the voice says an earlier one). Then the display sits idle with the running text
moving, and the CPU time of the whole process (all threads) is divided by the wall time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _writer(url: str, calls: int, interval: float, conn: Connection) -> None:
    """Call `calls` tickets, one every `interval` seconds, sending (code, commit time) for each."""
    from db import open_database, unit_of_work
    from db.errors import AntreError
    from db.queue import call_next, finish, issue_ticket

    sessions = open_database(url)
    counters = ["L01", "L02"]
    with unit_of_work(sessions) as s:
        for _ in range(calls + 4):
            issue_ticket(s, "A")
    conn.send("ready")
    conn.recv()
    for i in range(calls):
        counter = counters[i % len(counters)]
        with unit_of_work(sessions) as s:
            try:
                finish(s, counter)
            except AntreError:
                pass
        with unit_of_work(sessions) as s:
            ticket = call_next(s, counter)
        conn.send((ticket.code, time.time()))
        time.sleep(interval)
    conn.send(None)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def run(calls: int, interval: float, idle_seconds: float, mute: bool,
        size: tuple[int, int] = (1920, 1080)) -> dict[str, float]:
    """Measure; returns the figures (milliseconds and percent of one core)."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from display.app import make_speech
    from display.controller import DisplayController
    from display.screens import seed, wait_until
    from display.window import DisplayWindow
    from qtkit.worker import DbWorker

    app = QApplication.instance() or QApplication(sys.argv[:1])
    painted: dict[str, float] = {}

    class PaintClock(QObject):
        # A call is on the screen once it is painted large (being said) or at the top of the previous
        # calls (the voice is still saying an earlier one): the screen does not wait for the voice.
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                now = time.time()
                if obj is window.now_calling and window.now_calling.call is not None:
                    painted.setdefault(window.now_calling.call.code, now)
                elif obj is window.recent:
                    for call in window.recent.shown():
                        painted.setdefault(call.code, now)
            return False

    with tempfile.TemporaryDirectory(prefix="antre-bench-") as tmp:
        url = seed(Path(tmp))
        worker = DbWorker(url)
        window = DisplayWindow()
        window.resize(*size)
        speech = None if mute else make_speech()
        controller = DisplayController(worker, window, speech=speech)
        clock = PaintClock()
        window.now_calling.installEventFilter(clock)
        window.recent.installEventFilter(clock)
        window.show()
        loads: list[int] = []
        controller.loaded.connect(lambda: loads.append(1))
        controller.start()
        wait_until(lambda: bool(loads), 20)

        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        writer = ctx.Process(target=_writer, args=(url, calls, interval, child), daemon=True)
        writer.start()
        wait_until(lambda: parent.poll(), 60)
        parent.recv()
        parent.send("go")
        committed: dict[str, float] = {}
        done = False
        while not done:
            QCoreApplication.processEvents()
            while parent.poll():
                item = parent.recv()
                if item is None:
                    done = True
                    break
                committed[item[0]] = item[1]
            time.sleep(0.002)
        # Calls faster than the screen can give each its 10 s (display.onscreen) wait their turn.
        wait_until(lambda: all(code in painted for code in committed),
                   15 + 10 * len(committed) / max(1, window.onscreen.capacity))
        writer.join(5)
        waited = window.onscreen.waited
        latencies = [(painted[code] - at) * 1000 for code, at in committed.items() if code not in waited]
        announced = speech.pending() if speech is not None else 0
        voice = sorted(speech.latencies) if speech is not None else []
        backlog_max = speech.backlog.most if speech is not None else 0
        merged = speech.backlog.merged if speech is not None else 0
        if speech is not None:
            # The backlog would take minutes to say (calls came every 0.35 s); an idle display's
            # speech thread and worker just block, so drop the backlog before measuring idle.
            speech.stop()
            speech = None
        window.clear_highlight()

        def cpu_over(seconds: float) -> float:
            loop = QEventLoop()  # a real event loop, as QApplication.exec() runs it: sleeps between events
            QTimer.singleShot(int(seconds * 1000), loop.quit)
            wall0, cpu0 = time.monotonic(), time.process_time()
            loop.exec()
            return (time.process_time() - cpu0) / (time.monotonic() - wall0) * 100

        idle_ticker = cpu_over(idle_seconds)
        window.ticker.hide()
        idle_no_ticker = cpu_over(min(idle_seconds, 5.0))
        controller.stop()
        worker.stop()
        window.close()
    assert app is not None
    return {
        "calls": float(len(latencies)),
        "waited": float(len(waited)),
        "waited_max_s": max(waited.values(), default=0.0),
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "idle_cpu_pct": idle_ticker,
        "idle_cpu_no_ticker_pct": idle_no_ticker,
        "announcements_queued": float(announced),
        "voice_started": float(len(voice)),
        "voice_p50_s": statistics.median(voice) if voice else 0.0,
        "voice_max_s": voice[-1] if voice else 0.0,
        "backlog_max": float(backlog_max),
        "merged": float(merged),
    }


def _at_least_one(text: str) -> int:
    """An argparse type: a whole number of at least 1 (no empty sample to take a median of)."""
    number = int(text)  # argparse turns a ValueError into a one-line usage error
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["airtime"]:  # the voice's backlog and latency over a simulated busy hour
        from display.airtime_bench import main as airtime

        return airtime(args_in[1:])
    parser = argparse.ArgumentParser(prog="python -m display.bench", description=__doc__,
                                     epilog="`python -m display.bench airtime --help`: announcement backlog and "
                                            "call -> voice-start latency for a simulated busy hour.")
    parser.add_argument("--calls", type=_at_least_one, default=60)
    parser.add_argument("--interval", type=float, default=0.35, help="seconds between calls")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle CPU measurement")
    parser.add_argument("--mute", action="store_true", help="no speech while measuring")
    parser.add_argument("--size", default="1920x1080", help="window size, e.g. 3840x2160 or 1080x1920")
    args = parser.parse_args(args_in)
    width, height = (int(v) for v in args.size.lower().split("x"))
    figures = run(args.calls, args.interval, args.idle, args.mute, (width, height))
    print(f"call -> repaint over {figures['calls']:.0f} calls (SQLite, file-change watcher + 1 s heartbeat poll): "
          f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, max {figures['max_ms']:.0f} ms")
    if figures["waited"]:
        print(f"  and {figures['waited']:.0f} calls waited for room on the screen (every call stays 10 s; calls came "
              f"faster than it holds): up to {figures['waited_max_s']:.1f} s")
    if not args.mute:
        print(f"voice: {figures['voice_started']:.0f} announcements started while the calls came, call -> voice "
              f"start p50 {figures['voice_p50_s']:.1f} s, max {figures['voice_max_s']:.1f} s; announcement backlog "
              f"max {figures['backlog_max']:.0f}, {figures['announcements_queued']:.0f} still to say at the end, "
              f"{figures['merged']:.0f} merged (a busy hour: python -m display.bench airtime)")
    fps = 30 if height <= 1200 else 20
    print(f"idle CPU, {args.size} with the running text at {fps} fps: {figures['idle_cpu_pct']:.2f} % of one core")
    print(f"idle CPU without the running text: {figures['idle_cpu_no_ticker_pct']:.2f} % of one core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
