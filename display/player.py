"""Playing one announcement WAV at a time through Qt Multimedia.

The player is the sound device behind a small interface: the speech queue starts a file and
waits for `finished`. A backend that never reports the end (a stuck audio server) is cut off
by a watchdog, so the queue never stalls.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

log = logging.getLogger(__name__)
GRACE_MS = 3000  # beyond the file's length before the watchdog gives up on a playback


class WavPlayer(QObject):
    """Plays WAV files one at a time; emits `finished` after each (played, failed or cut off)."""

    finished = Signal()
    problem = Signal(str)

    def play(self, path: Path, seconds: float) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop what is playing (no `finished`)."""


class QtWavPlayer(WavPlayer):
    """QMediaPlayer + QAudioOutput; with no sound card Qt still plays to the end in real time."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        self._status = QMediaPlayer.MediaStatus
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._cut_off)
        self._playing = False

    def play(self, path: Path, seconds: float) -> None:
        self._playing = True
        self._watchdog.start(int(seconds * 1000) + GRACE_MS)
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()

    def _on_status(self, status: object) -> None:
        if status in (self._status.EndOfMedia, self._status.InvalidMedia):
            self._end()

    def _on_error(self, _error: object, message: str) -> None:
        log.warning("sound playback failed: %s", message)
        self.problem.emit(message)
        self._end()

    def _cut_off(self) -> None:
        log.warning("sound playback did not finish; skipped")
        self._player.stop()
        self._end()

    def _end(self) -> None:
        if not self._playing:
            return
        self._playing = False
        self._watchdog.stop()
        self._player.setSource(QUrl())  # release the file so it can be deleted
        self.finished.emit()

    def stop(self) -> None:
        self._playing = False
        self._watchdog.stop()
        self._player.stop()


class TimedPlayer(WavPlayer):
    """Keeps the queue's pace without sound: for machines where Qt Multimedia cannot load."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.finished)

    def play(self, path: Path, seconds: float) -> None:
        self._timer.start(int(seconds * 1000))

    def stop(self) -> None:
        self._timer.stop()


def make_player(parent: QObject | None = None) -> tuple[WavPlayer, str | None]:
    """The Qt Multimedia player, or a silent stand-in and the reason sound cannot play."""
    try:
        return QtWavPlayer(parent), None
    except ImportError as exc:  # pyside6-addons or libpulse missing
        return TimedPlayer(parent), f"Qt Multimedia unavailable: {exc}"
