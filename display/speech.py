"""The one announcement queue that owns the speech engine and the sound device.

Calls go in as they arrive; one thread renders them (chime + speech WAV) strictly in order, and
the GUI thread plays the rendered files one after the other. Nothing is dropped when calls come
faster than speech, nothing overlaps, and the screen never waits for the voice. The render
thread is the only caller of the synthesizer, which in turn is the only owner of pyttsx3.
"""

from __future__ import annotations

import itertools
import logging
import queue
import re
import shutil
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from db.announce import Announcement, SpeechSettings
from display.player import WavPlayer
from display.render import Rendered, Renderer

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Job:
    """One announcement on its way to the loudspeaker."""

    seq: int
    announcement: Announcement
    rendered: Rendered | None = None


class AnnouncementQueue(QObject):
    """Announces calls one at a time, in call order."""

    started = Signal(object)  # Job: its sound begins
    finished = Signal(object)  # Job: its sound ended (or it could not be made)
    warning = Signal(str)  # why speech is degraded; "" once it works again
    _rendered = Signal(object)
    _problem = Signal(str)

    def __init__(self, renderer: Renderer, player: WavPlayer | None, parent: QObject | None = None, *,
                 record: Path | None = None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        self.player = player  # None: made (and recorded) but not played
        self.record = record
        self._seq = itertools.count(1)
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._ready: deque[Job] = deque()
        self._current: Job | None = None
        self._open = 0
        self._warning: str | None = None
        self._stopped = False
        self._rendered.connect(self._on_rendered)
        self._problem.connect(self._on_problem)
        if player is not None:
            player.finished.connect(self._on_played)
        self._thread = threading.Thread(target=self._render_loop, name="antre-speech", daemon=True)
        self._thread.start()

    def announce(self, announcement: Announcement) -> Job:
        """Queue an announcement; it plays after every one queued before it."""
        job = Job(next(self._seq), announcement)
        if self._stopped:
            return job
        self._open += 1
        self._jobs.put(job)
        return job

    def pending(self) -> int:
        """Announcements queued, rendering or playing."""
        return self._open

    def set_settings(self, settings: SpeechSettings) -> None:
        """Use new [speech] settings from the next announcement on."""
        self.renderer.settings = settings  # one attribute swap: the render thread sees old or new, whole
        if hasattr(self.renderer.synth, "timeout"):
            self.renderer.synth.timeout = settings.timeout_seconds

    def stop(self, timeout: float = 5.0) -> None:
        """Drop what is queued, stop the sound and the speech worker."""
        self._stopped = True  # a render finishing now must not start a sound whose file is gone
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        self._jobs.put(None)
        self._thread.join(timeout)
        if self.player is not None:
            self.player.stop()
        self._ready.clear()
        self.renderer.close()
        shutil.rmtree(self.renderer.workdir, ignore_errors=True)

    def _render_loop(self) -> None:
        try:
            self.renderer.prepare()  # start the speech worker now, not at the first call
        except Exception as exc:  # noqa: BLE001 - reported; the chime still plays
            self._problem.emit(str(exc))
        while (job := self._jobs.get()) is not None:
            try:
                job.rendered = self.renderer.render(job.announcement, self.renderer.workdir / f"call-{job.seq}.wav")
                if self.record is not None:
                    self._keep(job)
            except Exception:  # noqa: BLE001 - a broken announcement must not stop the next ones
                log.exception("announcement %s could not be made", job.announcement.code)
            self._rendered.emit(job)

    def _keep(self, job: Job) -> None:
        """A copy of the announcement's WAV in the record folder (for PA systems and demos)."""
        assert self.record is not None and job.rendered is not None
        self.record.mkdir(parents=True, exist_ok=True)
        code = re.sub(r"[^A-Za-z0-9-]", "_", job.announcement.code)
        shutil.copyfile(job.rendered.path, self.record / f"{datetime.now():%H%M%S}-{job.seq:04d}-{code}.wav")

    def _on_problem(self, text: str) -> None:
        if text != self._warning:
            self._warning = text
            self.warning.emit(text)

    def _on_rendered(self, job: Job) -> None:
        if self._stopped:
            return
        rendered = job.rendered
        warning = rendered.warning if rendered else "the announcement could not be made"
        if warning != self._warning and (warning or rendered is not None and rendered.spoken):
            self._warning = warning
            self.warning.emit(warning or "")
        if rendered is None:
            self._open -= 1
            self.finished.emit(job)
            return
        self._ready.append(job)
        self._play_next()

    def _play_next(self) -> None:
        if self._current is not None or not self._ready:
            return
        job = self._current = self._ready.popleft()
        assert job.rendered is not None
        self.started.emit(job)
        if self.player is None:
            self._on_played()
        else:
            self.player.play(job.rendered.path, job.rendered.seconds)

    def _on_played(self) -> None:
        job, self._current = self._current, None
        if job is None:
            return
        if job.rendered is not None:
            job.rendered.path.unlink(missing_ok=True)
        self._open -= 1
        self.finished.emit(job)
        self._play_next()
