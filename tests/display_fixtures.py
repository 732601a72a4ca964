"""Fixtures for the lobby display tests: fakes for the speech device, a display rig, engine helpers.

Fakes stand in only for devices (the TTS engine and the loudspeaker); the database is real
SQLite, and calls are made through the engine, from another process where the test says so.
Heavy imports (Qt, SQLAlchemy) happen inside functions: the fake speech workers below run in
spawned processes that import this module, and should start fast.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
import wave
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

# A second floor counter serving A: lets a zone test show one call and hide another.
FLOOR_2_COUNTER = """
[[counters]]
code = "L4"
name = "Loket 4"
agency = "DUKCAPIL"
services = ["A"]
zone = "Lantai 2"
"""


def tone(path: Path, seconds: float, rate: int = 22050) -> None:
    """A quiet 440 Hz tone: the 'speech' of the fake engines."""
    n = max(1, round(seconds * rate))
    samples = array("h", (round(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(n)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())


class RecordingSynth:
    """A fake TTS engine: records every text and writes a short tone (0.2 s)."""

    def __init__(self, seconds: float = 0.2) -> None:
        self.seconds = seconds
        self.texts: list[str] = []
        self.voices: list[str] = []
        self.threads: set[str] = set()
        self.closed = False
        self._lock = threading.Lock()

    def synthesize(self, text: str, voice: str, rate: int, volume: float, path: Path) -> str | None:
        with self._lock:
            self.texts.append(text)
            self.voices.append(voice)
            self.threads.add(threading.current_thread().name)
        tone(path, self.seconds)
        return None

    def close(self) -> None:
        self.closed = True


def make_recording_player(speed: float = 0.05) -> Any:
    """A fake loudspeaker: 'plays' each file for its length times `speed`, recording start and end."""
    from PySide6.QtCore import QTimer

    from display.player import WavPlayer

    class RecordingPlayer(WavPlayer):
        def __init__(self) -> None:
            super().__init__()
            self.speed = speed
            self.plays: list[tuple[str, float, float]] = []  # file name, start, end (monotonic)
            self.overlaps = 0
            self._playing: tuple[str, float] | None = None
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._end)

        def play(self, path: Path, seconds: float) -> None:
            if self._playing is not None:
                self.overlaps += 1
            self._playing = (path.name, time.monotonic())
            assert path.exists()
            self._timer.start(max(1, int(seconds * 1000 * self.speed)))

        def _end(self) -> None:
            assert self._playing is not None
            name, start = self._playing
            self._playing = None
            self.plays.append((name, start, time.monotonic()))
            self.finished.emit()

        def stop(self) -> None:
            self._timer.stop()
            self._playing = None

    return RecordingPlayer()


@dataclass
class Rig:
    """A running display: window, controller, worker, and the speech queue with fake devices."""

    window: Any
    controller: Any
    worker: Any
    speech: Any
    synth: Any
    player: Any
    finished: list[str] = field(default_factory=list)  # codes, in the order their sound ended


def start_rig(qtbot: Any, url: str, *, filt: Any = None, synth: Any = None, size: tuple[int, int] = (1280, 720),
              speed: float = 0.05, record: Path | None = None, play: bool = True) -> Rig:
    """Build and start a display over the database, as `antre display` does but with fake devices."""
    from display.controller import DisplayController
    from display.render import Renderer
    from display.speech import AnnouncementQueue
    from display.window import DisplayWindow
    from qtkit.worker import DbWorker

    synth = synth if synth is not None else RecordingSynth()
    player = make_recording_player(speed)
    speech = AnnouncementQueue(Renderer(synth), player if play else None, record=record)
    worker = DbWorker(url)
    window = DisplayWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    controller = DisplayController(worker, window, filt=filt, speech=speech)
    rig = Rig(window, controller, worker, speech, synth, player)
    speech.finished.connect(lambda job: rig.finished.append(job.announcement.code))
    window.show()
    with qtbot.waitSignal(controller.loaded, timeout=20_000):  # a loaded 2-core machine
        controller.start()
    return rig


def stop_rig(rig: Rig) -> None:
    rig.controller.stop()
    rig.speech.stop()
    rig.worker.stop()


def _load_display_venue(url: str, tmp_path: Path) -> str:
    from db import open_database, unit_of_work
    from db.config import load_config
    from tests.conftest import SMALL_VENUE

    venue = tmp_path / "venue-display.toml"
    venue.write_text(SMALL_VENUE + FLOOR_2_COUNTER, encoding="utf-8")
    sessions = open_database(url)
    with unit_of_work(sessions) as s:
        load_config(s, venue)
    sessions.kw["bind"].dispose()
    return url


@pytest.fixture
def data_url(new_db_url: Any, tmp_path: Path) -> str:
    """The small venue plus a second-floor counter, on this run's database (SQLite file or PostgreSQL)."""
    return _load_display_venue(new_db_url(), tmp_path)


@pytest.fixture
def sqlite_data_url(tmp_path: Path) -> str:
    """The same venue in a SQLite file in a folder of its own (renamed away in the offline test)."""
    from db import open_database

    folder = tmp_path / "data"
    folder.mkdir()
    url = f"sqlite:///{folder / 'antre.sqlite3'}"
    open_database(url, create=True).kw["bind"].dispose()
    return _load_display_venue(url, tmp_path)


@pytest.fixture
def rig(qtbot: Any, data_url: str) -> Iterator[Rig]:
    r = start_rig(qtbot, data_url)
    yield r
    stop_rig(r)


def engine(url: str, action: Any) -> Any:
    """Run one engine action in this process (its own connection, one unit of work)."""
    from db import open_database, unit_of_work

    sessions = open_database(url)
    try:
        with unit_of_work(sessions) as s:
            return action(s)
    finally:
        sessions.kw["bind"].dispose()


def issue(url: str, service: str, n: int = 1) -> list[str]:
    from db.queue import issue_ticket

    return engine(url, lambda s: [issue_ticket(s, service).ticket.code for _ in range(n)])


ROOT = Path(__file__).resolve().parent.parent


def in_other_process(url: str, code: str) -> str:
    """Run Python code against the database in a separate process (as a counter PC would)."""
    script = "import sys\nfrom db import open_database, unit_of_work\nsessions = open_database(sys.argv[1])\n" + code
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True, timeout=60, env=env,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def antre_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the `antre` command line in a separate process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "antre", *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=ROOT)


# -- speech worker entries for ProcessSynthesizer tests (run in a spawned child) -----------------------------
def fake_tts_serve(conn: Connection) -> None:
    """A TTS worker without pyttsx3: 'HANG' in a text hangs it, 'CRASH' kills it, else a tone."""
    conn.send(("ready", [("fake/id", "Fake Indonesian")]))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        text, _voice, _rate, _volume, path = request
        if "HANG" in text:
            time.sleep(3600)
        if "CRASH" in text:
            os._exit(3)
        tone(Path(path), 0.2)
        conn.send(("ok", None))


def broken_tts_serve(conn: Connection) -> None:
    """A TTS worker on a machine without a speech engine."""
    conn.send(("unavailable", "OSError: libespeak-ng.so.1: cannot open shared object file"))
