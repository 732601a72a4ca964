"""Interruptible speech for an app's audio mode (the kiosk's keypad + headphone mode).

One interface, two backends, one queue owning the device (like the display's announcement queue):
- `RecordingSpeech`: remembers what it was told (tests, and a kiosk with speech switched off).
- `WavSpeech`: one thread turns the newest text into a WAV through a `synthesize(text, path, language)`
  callable (the composition root passes the display's pyttsx3 worker process, so apps never import
  each other), and the GUI thread plays it with QtMultimedia. A newer text or stop() interrupts:
  texts still waiting are dropped and the sound playing stops.
"""

from __future__ import annotations

import logging
import queue
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal

log = logging.getLogger(__name__)
Synthesize = Callable[[str, Path, str], None]  # text, WAV path, language ("id" or "en")
DEFAULT_VOLUME = 0.8


class Speech(QObject):
    """Says one text at a time; a new text interrupts the old one; volume 0..1."""

    spoken = Signal(str)  # a text began (a real backend: its sound started)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.volume = DEFAULT_VOLUME

    def say(self, text: str, language: str = "id") -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Silence now: the sound playing and anything waiting."""
        raise NotImplementedError

    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.1, volume))

    def reset(self) -> None:
        """The next person starts at the default volume, in silence."""
        self.stop()
        self.volume = DEFAULT_VOLUME

    def close(self) -> None:
        self.stop()


class RecordingSpeech(Speech):
    """A speech sink that keeps every text (with the volume it was said at) and every interruption."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.said: list[str] = []
        self.volumes: list[float] = []
        self.stops = 0

    def say(self, text: str, language: str = "id") -> None:
        self.said.append(text)
        self.volumes.append(self.volume)
        self.spoken.emit(text)

    def stop(self) -> None:
        self.stops += 1


class WavSpeech(Speech):
    """Text -> WAV on a worker thread (the synthesizer's only caller) -> QtMultimedia on the GUI thread."""

    _ready = Signal(int, str, str)  # generation, wav path, text

    def __init__(self, synthesize: Synthesize, parent: QObject | None = None, *, folder: Path | None = None,
                 play: bool = True) -> None:
        super().__init__(parent)
        self.synthesize = synthesize
        self.folder = folder or Path(tempfile.mkdtemp(prefix="antre-speech-"))
        self.last_wav: Path | None = None
        self._generation = 0
        self._n = 0
        self._texts: queue.Queue[tuple[int, str, str] | None] = queue.Queue()
        self._player = self._make_player() if play else None
        self._ready.connect(self._play)
        self._thread = threading.Thread(target=self._loop, name="antre-audio-mode", daemon=True)
        self._thread.start()

    @staticmethod
    def _make_player():  # noqa: ANN205 - QSoundEffect or None
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # no QtMultimedia: WAVs are still made (and can be checked), not heard
            return None
        return QSoundEffect()

    def say(self, text: str, language: str = "id") -> None:
        self.stop()
        self._texts.put((self._generation, text, language))

    def stop(self) -> None:
        self._generation += 1  # anything made for an older generation is dropped when it arrives
        if self._player is not None:
            self._player.stop()

    def _loop(self) -> None:
        while (item := self._texts.get()) is not None:
            generation, text, language = item
            if generation != self._generation:
                continue  # interrupted before it was made
            self._n += 1
            path = self.folder / f"say-{self._n % 8}.wav"
            try:
                self.synthesize(text, path, language)
            except Exception as exc:  # noqa: BLE001 - a broken voice must not stop the kiosk
                log.warning("audio mode: could not speak %r: %s", text[:40], exc)
                continue
            self._ready.emit(generation, str(path), text)

    def _play(self, generation: int, path: str, text: str) -> None:
        if generation != self._generation:
            return
        self.last_wav = Path(path)
        if self._player is not None:
            self._player.setVolume(self.volume)
            self._player.setSource(QUrl.fromLocalFile(path))
            self._player.play()
        self.spoken.emit(text)

    def close(self) -> None:
        self.stop()
        self._texts.put(None)
        self._thread.join(2)
