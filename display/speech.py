"""The one announcement queue that owns the speech engine and the sound device.

Calls go in as they arrive; one thread renders them (chime + speech WAV) strictly in order, at
most one ahead of the one playing, and the GUI thread plays the rendered files one after the
other. When calls come faster than speech the announcements get shorter and a call of a ticket
still waiting to be said is merged into it (display.airtime); nothing is dropped, nothing
overlaps, and the screen never waits for the voice. The render
thread is the only caller of the synthesizer, which in turn is the only owner of pyttsx3.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import shutil
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from db.announce import Announcement, Form, SpeechSettings
from display.airtime import Backlog, Pending
from display.player import WavPlayer
from display.render import Rendered, Renderer

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Job:
    """One announcement on its way to the loudspeaker."""

    seq: int
    announcement: Announcement
    form: Form = "full"
    tag: Any = None  # the call as the screen knows it
    queued_at: float = 0.0  # monotonic seconds: the call reached the display
    started_at: float | None = None  # its sound began
    merged: int = 0
    rendered: Rendered | None = None


class AnnouncementQueue(QObject):
    """Announces calls one at a time, in call order, shortening them when they come faster than speech."""

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
        self.backlog = Backlog(renderer.settings)
        self.latencies: deque[float] = deque(maxlen=2000)  # call -> voice start, seconds
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._rendering: Job | None = None  # at most one ahead of the player: the form is decided late
        self._ready: deque[Job] = deque()
        self._current: Job | None = None
        self._warning: str | None = None
        self._stopped = False
        self._rendered.connect(self._on_rendered)
        self._problem.connect(self._on_problem)
        if player is not None:
            player.finished.connect(self._on_played)
        self._thread = threading.Thread(target=self._render_loop, name="antre-speech", daemon=True)
        self._thread.start()

    def announce(self, announcement: Announcement, tag: Any = None) -> Pending | None:
        """Queue a call; it is said after every one queued before it (merged with one of its ticket still waiting)."""
        if self._stopped:
            return None
        item, _merged = self.backlog.add(announcement, tag, time.monotonic())
        self._pump()
        return item

    def pending(self) -> int:
        """Announcements queued, rendering or playing."""
        return len(self.backlog) + (self._rendering is not None) + len(self._ready) + (self._current is not None)

    def set_settings(self, settings: SpeechSettings) -> None:
        """Use new [speech] settings from the next announcement on."""
        self.renderer.settings = settings  # one attribute swap: the render thread sees old or new, whole
        self.backlog.settings = settings
        if hasattr(self.renderer.synth, "timeout"):
            self.renderer.synth.timeout = settings.timeout_seconds

    def stop(self, timeout: float = 5.0) -> None:
        """Drop what is queued, stop the sound and the speech worker."""
        self._stopped = True  # a render finishing now must not start a sound whose file is gone
        dropped = self.backlog.clear()
        if dropped:
            log.info("stopping: %d calls not announced (%s)", len(dropped),
                     ", ".join(p.announcement.code for p in dropped))
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

    def _pump(self) -> None:
        """Send the next announcement to be made, once the one before it is made."""
        if self._stopped or self._rendering is not None or self._ready:
            return
        taken = self.backlog.take()
        if taken is None:
            return
        item, form = taken
        job = Job(item.seq, item.announcement, form, item.tag, item.queued_at, merged=item.merged)
        self._rendering = job
        self._jobs.put(job)

    def _render_loop(self) -> None:
        try:
            self.renderer.prepare()  # start the speech worker now, not at the first call
        except Exception as exc:  # noqa: BLE001 - reported; the chime still plays
            self._problem.emit(str(exc))
        while (job := self._jobs.get()) is not None:
            try:
                job.rendered = self.renderer.render(job.announcement, self.renderer.workdir / f"call-{job.seq}.wav",
                                                    job.form)
                if self.record is not None:
                    self._keep(job)
            except Exception:  # noqa: BLE001 - a broken announcement must not stop the next ones
                log.exception("announcement %s could not be made", job.announcement.code)
            self._rendered.emit(job)

    def _keep(self, job: Job) -> None:
        """A copy of the announcement's WAV in the record folder (for PA systems and demos).

        A call merged into this announcement (a recall while its call still waited) was announced
        by this same sound: it gets a link to it, `...-0007+1-A-007.wav`, so every call and recall
        has its file.
        """
        assert self.record is not None and job.rendered is not None
        self.record.mkdir(parents=True, exist_ok=True)
        code = re.sub(r"[^A-Za-z0-9-]", "_", job.announcement.code)
        stamp = f"{datetime.now():%H%M%S}-{job.seq:04d}"
        first = self.record / f"{stamp}-{code}.wav"
        shutil.copyfile(job.rendered.path, first)
        for k in range(1, job.merged + 1):
            other = self.record / f"{stamp}+{k}-{code}.wav"
            try:
                os.link(first, other)
            except OSError:  # a file system without hard links
                shutil.copyfile(first, other)

    def _on_problem(self, text: str) -> None:
        if text != self._warning:
            self._warning = text
            self.warning.emit(text)

    def _on_rendered(self, job: Job) -> None:
        if self._stopped:
            return
        self._rendering = None
        rendered = job.rendered
        warning = rendered.warning if rendered else "the announcement could not be made"
        if warning != self._warning and (warning or rendered is not None and rendered.spoken):
            self._warning = warning
            self.warning.emit(warning or "")
        if rendered is None:
            log.error("call %s could not be announced", job.announcement.code)
            self.finished.emit(job)
        else:
            self._ready.append(job)
        self._play_next()
        self._pump()

    def _play_next(self) -> None:
        if self._current is not None or not self._ready:
            return
        job = self._current = self._ready.popleft()
        assert job.rendered is not None
        job.started_at = time.monotonic()
        latency = job.started_at - job.queued_at
        self.latencies.append(latency)
        waiting = len(self.backlog) + (self._rendering is not None)
        log.log(logging.WARNING if job.form == "brief" else logging.INFO,
                "announcing %s (%s form, %.1f s of sound): %.1f s after the call, announcement backlog %d%s",
                job.announcement.code, job.form, job.rendered.seconds, latency, waiting,
                f", {job.merged} later call(s) of it merged" if job.merged else "")
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
        self.finished.emit(job)
        self._play_next()
        self._pump()
