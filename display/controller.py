"""Keeps the lobby display current: follows the event log, reloads what changed, announces new calls.

All reading runs as ops on the app's DbWorker; the watcher is a `ChangeWatcher`, so a later
PostgreSQL LISTEN/NOTIFY source can replace the polling one without touching this class.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from db.announce import SpeechSettings, announcement, speech_settings
from db.catalog import CallView
from db.errors import ConfigError
from db.events import Changes, EventView
from display.settings import DisplaySettings, Filter, display_settings
from display.speech import AnnouncementQueue
from display.state import CallsUpdate, Catalog, FullLoad, load_calls, load_catalog, load_queues, new_call_ids
from display.texts import t
from display.watcher import HeartbeatWatcher, make_watcher
from display.window import DisplayWindow
from qtkit.watcher import ChangeWatcher
from qtkit.worker import DbWorker

log = logging.getLogger(__name__)
ALL = ~Changes.NONE
QUEUES_DELAY_MS = 400  # waiting counts change with every ticket issued: coalesce a burst into one reload


@dataclass(frozen=True, slots=True)
class _Loaded:
    full: FullLoad
    display: DisplaySettings
    speech: SpeechSettings
    problems: tuple[str, ...]
    filt: Filter
    new: tuple[CallView, ...]


class DisplayController(QObject):
    """Turns event-log changes into window updates and announcements."""

    loaded = Signal()  # a full load reached the window
    calls_shown = Signal(object)  # CallsUpdate, after the window has it

    def __init__(self, worker: DbWorker, window: DisplayWindow, *, filt: Filter | None = None,
                 speech: AnnouncementQueue | None = None, watcher: ChangeWatcher | None = None,
                 poll_ms: int = 150, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker, self.window, self.speech = worker, window, speech
        self.cli_filter = filt or Filter()
        self.filter = self.cli_filter
        self.catalog: Catalog | None = None
        self.display = DisplaySettings()
        self.speech_settings = SpeechSettings()
        self.watcher = watcher or make_watcher(worker, poll_ms, self)
        self.watcher.changed.connect(self._on_changed)
        self.watcher.online.connect(self._on_online)
        if isinstance(self.watcher, HeartbeatWatcher):
            self.watcher.heard.connect(self._on_heard)
        self.announced: list[CallView] = []  # for the status line and tests
        self._catching_up = False
        self._db_online: bool | None = None
        self._need_full = False
        self._queues_timer = QTimer(self)
        self._queues_timer.setSingleShot(True)
        self._queues_timer.setInterval(QUEUES_DELAY_MS)
        self._queues_timer.timeout.connect(self._load_queues)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(1000)
        self._watchdog.timeout.connect(self._check_alive)
        window.header.day_changed.connect(lambda: self._reload_all([]))
        if speech is not None:
            speech.warning.connect(self._on_speech_warning)
            speech.started.connect(self._on_speaking)
            speech.finished.connect(self._on_spoken)

    def start(self) -> None:
        """Begin following the event log; the first answer loads the current state at once."""
        self.watcher.start(from_now=True)
        self._watchdog.start()

    def stop(self) -> None:
        self._watchdog.stop()
        self._queues_timer.stop()
        stop = getattr(self.watcher, "stop", None)
        if stop is not None:
            stop()

    # -- following -------------------------------------------------------------------------------
    def _on_changed(self, changes: Changes, events: list[EventView]) -> None:
        ids = new_call_ids(events)
        if changes == ALL and not events or Changes.CONFIG in changes or self._catching_up or self.catalog is None:
            self._reload_all(ids)
            return
        if ids or Changes.COUNTERS in changes:
            self._reload_calls(ids)
        if Changes.TICKETS in changes and not self._queues_timer.isActive():
            self._queues_timer.start()

    def _on_online(self, online: bool) -> None:
        self._db_online = online
        if not online:
            self._catching_up = True  # calls made while we were away: announce only those still standing
        self.window.set_online(online)

    def _on_heard(self) -> None:
        if self.window.online is False and self._db_online:
            self.window.set_online(True)  # the database was slow, not gone: the watcher never saw it offline
        if self._need_full:
            self._need_full = False
            self._reload_all([])

    def _check_alive(self) -> None:
        # A database that hangs (a stalled network share) never fails, it just does not answer.
        waiting = getattr(self.watcher, "waiting_since", None)
        if waiting is not None and waiting() > self.display.offline_after_seconds and self.window.online is not False:
            log.warning("database has not answered for %.0f s", waiting())
            self._catching_up = True
            self.window.set_online(False)

    def _reload_all(self, call_ids: list[int]) -> None:
        cli, last = self.cli_filter, self.display.last_calls

        def op(session: Any) -> _Loaded:
            catalog_filter = cli
            problems = []
            catalog = load_catalog(session)
            try:
                display = display_settings(catalog.venue.section("display"))
            except ConfigError as exc:
                display, problems = DisplaySettings(), [str(exc)]
            try:
                speech = speech_settings(catalog.venue.section("speech"))
            except ConfigError as exc:
                speech, problems = SpeechSettings(), [*problems, str(exc)]
            if not cli:
                catalog_filter = Filter.of(display.zones, display.agencies)
            owners = catalog.service_agency()
            calls = load_calls(session, catalog_filter, owners, call_ids, display.last_calls or last)
            full = FullLoad(catalog, calls, load_queues(session, catalog_filter, owners))
            return _Loaded(full, display, speech, tuple(problems), catalog_filter, calls.new)

        self.worker.run(op, self._got_all, self._failed, read=True)

    def _got_all(self, loaded: _Loaded) -> None:
        catching_up, self._catching_up = self._catching_up, False
        self.catalog, self.display, self.filter = loaded.full.catalog, loaded.display, loaded.filt
        if loaded.speech != self.speech_settings and self.speech is not None:
            self.speech.set_settings(loaded.speech)
        self.speech_settings = loaded.speech
        for problem in loaded.problems:
            log.error("%s", problem)
        self.window.set_warning("config", t("config_problem") if loaded.problems else "")
        self.window.apply(self.catalog.venue, self.catalog.agencies, loaded.display, loaded.filt)
        calls = loaded.full.calls
        new = calls.new
        if catching_up:
            # Announce only calls whose ticket still stands at its counter: the rest are long settled.
            standing = {c.ticket.id for c in calls.counters if c.ticket and c.ticket.status == "called"}
            latest = {c.ticket_id: c for c in new}
            new = tuple(c for c in latest.values() if c.ticket_id in standing)
        self._show(CallsUpdate(new, calls.recent, calls.counters))
        self.window.show_queues(loaded.full.queues)
        self.loaded.emit()

    def _reload_calls(self, call_ids: list[int]) -> None:
        f, owners, last = self.filter, self.catalog.service_agency() if self.catalog else {}, self.display.last_calls
        self.worker.run(lambda s: load_calls(s, f, owners, call_ids, last), self._show, self._failed, read=True)

    def _voice_on(self) -> bool:
        return self.speech is not None and self.speech_settings.enabled

    def _show(self, update: CallsUpdate) -> None:
        # With a voice, the screen highlights the call being said (see _on_speaking), not the newest.
        voice = self._voice_on()
        idle = voice and self.speech is not None and self.speech.pending() == 0
        self.window.show_calls(update, highlight=not voice)
        if update.new:
            if idle:
                self.window.speak(update.new[0])  # it is said next: no wait for the sound to start
            self._announce(update.new)
        self.calls_shown.emit(update)

    def _announce(self, calls: tuple[CallView, ...]) -> None:
        for call in calls:
            self.announced.append(call)
            if self.speech is not None and self.speech_settings.enabled:
                self.speech.announce(announcement(call.code, call.counter_name, call.agency_name,
                                                  self.speech_settings), tag=call)

    def _on_speaking(self, job: Any) -> None:
        if isinstance(job.tag, CallView):
            self.window.speak(job.tag)

    def _on_spoken(self, job: Any) -> None:
        if self.speech is not None and self.speech.pending() == 0:
            self.window.voice_idle()

    def _load_queues(self) -> None:
        f, owners = self.filter, self.catalog.service_agency() if self.catalog else {}
        self.worker.run(lambda s: load_queues(s, f, owners), self.window.show_queues, self._failed, read=True)

    def _failed(self, error: Exception) -> None:
        # The watcher notices an unreachable database and shows the banner; the next answer reloads all.
        log.warning("display reload failed: %s", error)
        self._need_full = True

    def _on_speech_warning(self, text: str) -> None:
        if text:
            log.warning("speech: %s", text)
        self.window.set_warning("speech", t("no_speech") if text else "")
