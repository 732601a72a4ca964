"""The console's controller: signs in, runs one engine call per action on the worker, keeps the snapshot.

The widgets only read `controller.snapshot`, `controller.allowed()` and the signals; every decision
about queue rules stays in the engine, every database call runs on the DbWorker's thread.
"""

from __future__ import annotations

import enum
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter.settings import CounterSettings, parse_settings
from counter.state import CALLED, SERVING, Action, Setup, Snapshot, load_setup, load_snapshot, run_action
from counter.state import allowed as allowed_in
from counter.texts import Texts
from db import DatabaseUnavailable, QueueEmpty, Refused, queue
from db.events import BEGINNING, END, Changes, Cursor, position
from db.operators import SignIn, sign_in, sign_out
from db.pins import change_pin
from db.views import TicketView
from qtkit.watcher import ChangeWatcher
from qtkit.worker import DbWorker

REDRAW = Changes.TICKETS | Changes.COUNTERS | Changes.OPERATORS | Changes.CALLS


class Phase(enum.StrEnum):
    SIGN_IN = "sign_in"
    CHANGE_PIN = "change_pin"
    CONSOLE = "console"


class ConsoleController(QObject):
    """State of one counter console; emits `changed` whenever what the screen shows may differ."""

    changed = Signal()
    notice = Signal(str, str)  # level (ok, info, warn, error), text
    sign_in_done = Signal(object)  # SignIn, or an Exception when the attempt did not run
    pin_done = Signal(str)  # "" when saved, else the reason to show
    ticket_finished = Signal(object)  # the TicketView just finished here: the citizen's survey may start

    def __init__(self, worker: DbWorker, watcher: ChangeWatcher, *, counter: str | None = None,
                 lang: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker, self.watcher = worker, watcher
        self.fixed_counter = counter.strip().upper() if counter else None
        self._lang_override = lang
        self.t = Texts(lang or "id")
        self.settings = CounterSettings()
        self.setup: Setup | None = None
        self.phase = Phase.SIGN_IN
        self.counter_code: str | None = None
        self.operator: SignIn | None = None
        self.snapshot: Snapshot | None = None
        self.selected: str | None = None
        self.busy = False
        self.online: bool | None = None
        self.last_notice: tuple[str, str] = ("", "")
        self.config_problems: list[str] = []
        self.fresh_at: datetime | None = None  # when the snapshot shown was read (offline: how old it is)
        self._pin: str | None = None  # only between a sign-in that must change the PIN and the change
        self._demo: tuple[str, str] | None = None  # `antre demo`: sign in by itself once connected
        self._refreshing = False
        self._need = BEGINNING  # a read in flight must be followed by one reflecting at least this event
        watcher.changed.connect(self._on_changes)
        worker.online_changed.connect(self._on_online)

    def start(self) -> None:
        """Begin following the event log; the first contact loads everything."""
        self.watcher.start()

    def demo_sign_in(self, username: str, pin: str) -> None:
        """For `antre demo` only: sign in at the fixed counter as soon as the venue is loaded; the demo's
        seeded accounts keep their first PIN, so the forced PIN change is skipped (the PIN is still checked)."""
        self._demo = (username, pin)
        if self.setup is not None:
            self._demo_go()

    def _demo_go(self) -> None:
        if self._demo and self.fixed_counter and self.phase == Phase.SIGN_IN and not self.busy:
            user, pin = self._demo
            self._demo = None
            self.sign_in(self.fixed_counter, user, pin, change_pin=False)

    def stop(self) -> None:
        """Sign out if the counter is free (closing the console ends the shift), then stop the worker."""
        stop = getattr(self.watcher, "stop", None)
        if stop:
            stop()
        if self.phase != Phase.SIGN_IN and self.counter_code and self.snapshot and self.snapshot.ticket is None:
            counter = self.counter_code
            self.worker.run(lambda s: sign_out(s, counter))  # runs before the worker's stop marker
        self.worker.stop()

    # ---- what the screen may offer ------------------------------------------------------------

    def allowed(self) -> frozenset[Action]:
        """Actions enabled now: none while offline, while an action runs, or outside the console."""
        if not self.online or self.busy or self.phase != Phase.CONSOLE:
            return frozenset()
        return allowed_in(self.snapshot, selected=self.selected)

    def category(self, code: str | None) -> str:
        """A priority category's name in the console's language."""
        if self.setup is None:
            return (code or "").replace("_", " ").capitalize()
        return self.setup.category(code, self.t.lang)

    def fresh_clock(self) -> str:
        """The venue's clock time of the last data read, e.g. '10:42' ('' before the first)."""
        if self.fresh_at is None:
            return ""
        tz = ZoneInfo(self.setup.timezone) if self.setup else UTC
        return self.fresh_at.astimezone(tz).strftime("%H:%M")

    def can_sign_out(self) -> bool:
        return (self.phase != Phase.SIGN_IN and bool(self.online) and not self.busy
                and (self.snapshot is None or self.snapshot.ticket is None))

    def select(self, code: str | None) -> None:
        """The ticket picked in the waiting list (for 'call selected')."""
        if code != self.selected:
            self.selected = code
            self.changed.emit()

    # ---- signing in and out -------------------------------------------------------------------

    def sign_in(self, counter: str, username: str, pin: str, *, change_pin: bool = True) -> None:
        """Check the PIN and take the counter (on the worker); the answer comes by `sign_in_done`."""
        if self.busy:
            return
        counter = counter.strip().upper()
        self._set_busy(True)

        def done(result: SignIn) -> None:
            self._set_busy(False)
            if result.ok:
                self.counter_code, self.operator, self.snapshot, self.selected = counter, result, None, None
                if result.must_change_pin and change_pin:
                    self._pin, self.phase = pin, Phase.CHANGE_PIN
                else:
                    self.phase = Phase.CONSOLE
                    self.refresh()
                self.changed.emit()
            self.sign_in_done.emit(result)

        def failed(error: Exception) -> None:
            self._set_busy(False)
            self.sign_in_done.emit(error)

        self.worker.run(lambda s: sign_in(s, counter, username, pin), done, failed)

    def change_pin(self, new_pin: str) -> None:
        """Save the operator's new PIN; on success the console opens."""
        if self.operator is None or self._pin is None or self.busy:
            return
        username, old = self.operator.username, self._pin
        self._set_busy(True)

        def done(result: Any) -> None:
            if not getattr(result, "ok", True):  # a wrong current PIN is counted (committed), not raised
                failed(Refused(result.message, reason=result.reason))
                return
            self._set_busy(False)
            self._pin = None
            assert self.operator is not None
            self.operator = replace(self.operator, must_change_pin=False)
            self.phase = Phase.CONSOLE
            self.refresh()
            self.changed.emit()
            self.pin_done.emit("")
            self._say("ok", self.t("pin_saved"))

        def failed(error: Exception) -> None:
            self._set_busy(False)
            self.pin_done.emit(self.t.error(error))

        counter = self.counter_code  # the engine seats the operator only once the PIN is changed
        self.worker.run(lambda s: change_pin(s, username, old, new_pin, counter=counter), done, failed)

    def sign_out(self) -> None:
        """Leave the counter (it closes); refused by the engine while a ticket is in hand."""
        if not self.can_sign_out() or self.counter_code is None:
            return
        counter = self.counter_code
        self._set_busy(True)

        def done(_: Any) -> None:
            self._set_busy(False)
            self._to_sign_in()

        self.worker.run(lambda s: sign_out(s, counter), done, self._action_failed)

    def _to_sign_in(self) -> None:
        self.phase, self.operator, self.snapshot, self.selected, self._pin = Phase.SIGN_IN, None, None, None, None
        self.changed.emit()

    # ---- actions ------------------------------------------------------------------------------

    def act(self, action: Action, **kwargs: Any) -> bool:
        """Run one action if it is enabled now; False when it is not (a stray key press)."""
        if action not in self.allowed() or self.counter_code is None:
            return False
        if action == Action.CALL:
            kwargs.setdefault("code", self.selected)
        counter = self.counter_code
        self._set_busy(True)
        # "Call next" looks first in a reading transaction: an empty queue never takes the writer's lock.
        check = (lambda s: queue.require_waiting(s, counter)) if action == Action.NEXT else None
        self.worker.run(lambda s: run_action(s, counter, action, **kwargs),
                        lambda result: self._acted(action, result), self._action_failed, check=check)
        return True

    def _acted(self, action: Action, result: Any) -> None:
        self.busy = False
        if self.snapshot is not None:
            if isinstance(result, TicketView):
                mine = result.status in (CALLED, SERVING) and result.counter == self.counter_code
                self.snapshot = self.snapshot.with_ticket(result if mine else None)
            elif action in (Action.BREAK, Action.OPEN):
                counter = replace(self.snapshot.counter, is_open=action == Action.OPEN)
                self.snapshot = replace(self.snapshot, counter=counter)
        if action == Action.CALL:
            self.selected = None
        self.changed.emit()
        if action == Action.FINISH and isinstance(result, TicketView):
            self.ticket_finished.emit(result)
        self._say("ok", self._done_text(action, result))
        self.refresh()

    def _done_text(self, action: Action, result: Any) -> str:
        if isinstance(result, TicketView):
            if action == Action.CALL and result.status == SERVING:
                action = Action.RESUME  # calling a parked ticket takes it back into service
            name = self.snapshot.counter.name if self.snapshot else self.counter_code
            return self.t(f"did_{action}", code=result.code, counter=name, service=result.service)
        return self.t(f"did_{action}")

    def _action_failed(self, error: Exception) -> None:
        self._set_busy(False)
        if isinstance(error, QueueEmpty):
            self._say("warn", self.t("empty"))
        elif isinstance(error, DatabaseUnavailable):
            self._say("error", self.t("not_done"))
        else:
            self._say("warn" if isinstance(error, Refused) else "error", self.t.error(error))
        self.refresh()  # whatever refused us changed elsewhere: show the truth

    # ---- reading ------------------------------------------------------------------------------

    def refresh(self, at_least: Cursor = END) -> None:
        """Re-read the snapshot; calls made while one read is in flight collapse into one more.

        `at_least` is the newest event the next snapshot must reflect (END: whatever happened
        until now, e.g. our own action, whose event id we do not know).
        """
        if self.phase != Phase.CONSOLE or self.counter_code is None:
            return
        if self._refreshing:
            self._need = max(self._need, at_least)
            return
        self._refreshing, self._need = True, BEGINNING
        counter, user = self.counter_code, self.operator.username if self.operator else None
        self.worker.run(lambda s: load_snapshot(s, counter, user), self._got_snapshot, self._read_failed, read=True)

    def _got_snapshot(self, snapshot: Snapshot) -> None:
        self._refreshing = False
        if self.phase != Phase.CONSOLE or snapshot.counter.code != self.counter_code:
            return
        if self.operator is not None and snapshot.counter.operator != self.operator.username:
            self._to_sign_in()
            self._say("warn", self.t("taken_over"))
            return
        self.snapshot = snapshot
        self.fresh_at = datetime.now(UTC)
        codes = {t.code for t in snapshot.waiting + snapshot.parked}
        if self.selected not in codes:
            self.selected = None
        self.changed.emit()
        if self._need > snapshot.event_id:
            self.refresh()

    def _read_failed(self, error: Exception) -> None:
        self._refreshing, self._need = False, BEGINNING  # the watcher's reload after reconnecting re-reads
        if not isinstance(error, DatabaseUnavailable):
            self._say("error", self.t.error(error))

    def _load_setup(self) -> None:
        def done(setup: Setup) -> None:
            self.setup = setup
            self.settings, self.config_problems = parse_settings(setup.section)
            self.t = Texts(self._lang_override or self.settings.language)
            self.changed.emit()
            self._demo_go()

        self.worker.run(load_setup, done, self._read_failed, read=True)

    def _on_changes(self, changes: Changes, events: list[Any]) -> None:
        if changes & Changes.CONFIG or self.setup is None:
            self._load_setup()
        if changes & REDRAW:
            newest = max((position(e) for e in events), default=END)  # no events: a full reload
            if self._refreshing or self.snapshot is None or newest > self.snapshot.event_id:
                self.refresh(newest)  # our own actions' events are usually already shown

    def _on_online(self, online: bool) -> None:
        was = self.online
        self.online = online
        if online and was is False:
            self._say("ok", self.t("back_online"))
        elif not online and self.last_notice[0] in ("ok", "info"):
            self._say("", "")  # "A-007 called" is old news once the banner says we are cut off
        self.changed.emit()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.changed.emit()

    def _say(self, level: str, text: str) -> None:
        self.last_notice = (level, text)
        self.notice.emit(level, text)
