"""`antre display`: the lobby TV, full screen, following the queue and calling numbers aloud."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from db.announce import SpeechSettings
from db.database import default_url
from display.controller import DisplayController
from display.player import make_player
from display.render import Renderer
from display.settings import Filter
from display.speech import AnnouncementQueue
from display.tts_worker import ProcessSynthesizer
from display.window import DisplayWindow
from qtkit.lifecycle import create_app
from qtkit.snapshots import install_snapshots
from qtkit.worker import DbWorker

log = logging.getLogger(__name__)


def make_speech(settings: SpeechSettings | None = None, *, play: bool = True,
                record: Path | None = None) -> AnnouncementQueue:
    """The announcement queue: pyttsx3 in its worker process, Qt Multimedia playback (unless muted)."""
    settings = settings or SpeechSettings()
    player, problem = make_player() if play else (None, None)
    synth = ProcessSynthesizer(timeout=settings.timeout_seconds)
    queue = AnnouncementQueue(Renderer(synth, settings), player, record=record)
    if problem:
        log.warning("%s", problem)
    return queue


def place(window: DisplayWindow, screen_number: int | None, windowed: bool) -> None:
    """Show the window on the chosen screen, full screen unless asked for a window."""
    screens = QGuiApplication.screens()
    if screen_number is not None and not 0 <= screen_number < len(screens):
        log.warning("no screen %s (there are %d); using the first", screen_number, len(screens))
        screen_number = None
    screen = screens[screen_number] if screen_number is not None else QGuiApplication.primaryScreen()
    if windowed:
        window.resize(1280, 720)
        if screen is not None:
            window.move(screen.availableGeometry().topLeft())
        window.show()
        return
    if screen is not None:
        window.setGeometry(screen.geometry())
        window.setScreen(screen)
    window.setCursor(Qt.CursorShape.BlankCursor)  # no mouse pointer on a TV
    window.showFullScreen()


def main(args: argparse.Namespace) -> int:
    """Start the display; returns the exit code when the window closes."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app("Antre Display")  # Ctrl+C and `systemctl stop` stop the speech worker too
    worker = DbWorker(args.db or default_url())
    window = DisplayWindow()
    record = Path(args.record) if getattr(args, "record", None) else None
    speech = None if args.mute and record is None else make_speech(play=not args.mute, record=record)
    controller = DisplayController(worker, window, filt=Filter.of(args.zone, args.agency), speech=speech)
    place(window, args.screen, args.windowed)
    install_snapshots(window, "display")  # the headless demo's screenshots (ANTRE_SNAPSHOTS)
    controller.start()
    try:
        return int(app.exec())
    finally:
        controller.stop()
        if speech is not None:
            speech.stop()
        worker.stop()
