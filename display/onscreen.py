"""Which calls the lobby display shows as text, so that none leaves the screen before 10 seconds.

A deaf citizen learns of their call only from the screen: a call that is replaced after two
seconds by the next ones of an opening burst is a call missed. Pure logic, no Qt, with an
injectable clock (tests drive it by hand). The rules:

- every call is shown (large as the current call, or in the list of previous calls) for at
  least `min_seconds` (10 s) from the moment it first appears, however many calls follow it;
- the screen shows at most `capacity` calls at once (what fits at legible size with the list
  spread over the paged area); a call arriving when all of them are still young waits its turn
  and appears, in call order, as soon as the oldest has had its 10 s: nothing is dropped;
- when no call is young, the newest `keep` calls are shown (the current call and the usual
  previous-call rows); older ones leave;
- a recall (or a call of the same ticket at another counter) replaces the ticket's entry, moves
  it to the top and starts its 10 s again.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from db.catalog import CallView

MIN_SECONDS = 10.0


@dataclass(slots=True)
class Shown:
    """A call on screen and since when (clock seconds; -inf for a call that was settled before we looked)."""

    call: CallView
    since: float


class OnScreen:
    """The calls on screen, newest first, and those waiting for room."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, min_seconds: float = MIN_SECONDS) -> None:
        self.clock = clock
        self.min_seconds = min_seconds
        self.keep = 4  # the current call and the usual rows of previous calls (set by the window's layout)
        self.capacity = 4  # the most the screen can show at legible size (set by the window's layout)
        self.pinned: int | None = None  # ticket id of the call being said: it stays while it is said
        self.waited: dict[str, float] = {}  # code -> seconds it waited for room (only calls that had to)
        self._shown: list[Shown] = []
        self._waiting: deque[CallView] = deque()
        self._arrived: dict[int, float] = {}  # event id -> when a call now waiting arrived

    def calls(self) -> tuple[CallView, ...]:
        """The calls to show, newest first."""
        return tuple(s.call for s in self._shown)

    def waiting(self) -> tuple[CallView, ...]:
        """Calls with no room on screen yet, oldest first."""
        return tuple(self._waiting)

    def since(self, ticket_id: int) -> float | None:
        return next((s.since for s in self._shown if s.call.ticket_id == ticket_id), None)

    def settle(self, calls: Iterable[CallView]) -> bool:
        """Calls that were made before this screen looked (a start, a reload): shown only if among the newest."""
        changed = False
        for call in calls:
            if not self._has(call):
                self._shown.append(Shown(call, float("-inf")))
                changed = True
        self._sort()
        return self.tidy() or changed

    def add(self, calls: Iterable[CallView]) -> bool:
        """New calls, oldest first: each appears now (or waits for room) and stays at least `min_seconds`."""
        changed = False
        now = self.clock()
        for call in calls:
            if self._has(call) and self._event(call.ticket_id) >= call.event_id:
                continue  # already known (a reload gave it again)
            self._drop(call.ticket_id)
            self._waiting.append(call)
            self._arrived[call.event_id] = now
            changed = True
        return self.tidy(now) or changed

    def bring(self, call: CallView) -> bool:
        """The voice says this call: it is shown (again, if it had left), ahead of any call waiting for room."""
        self.pinned = call.ticket_id
        if any(s.call.ticket_id == call.ticket_id for s in self._shown):
            return False
        waiting = [c for c in self._waiting if c.ticket_id == call.ticket_id]
        for c in waiting:
            self._waiting.remove(c)
        self._waiting.appendleft(waiting[-1] if waiting else call)
        self.tidy()
        return True

    def tidy(self, now: float | None = None) -> bool:
        """Drop calls that have had their time and are not among the newest `keep`; let waiting calls in."""
        now = self.clock() if now is None else now
        before = [s.call.event_id for s in self._shown]
        self._shown = [s for i, s in enumerate(self._shown)
                       if i < self.keep or now - s.since < self.min_seconds or s.call.ticket_id == self.pinned]
        while self._waiting and len(self._shown) < max(1, self.capacity):
            call = self._waiting.popleft()
            wait = now - self._arrived.pop(call.event_id, now)
            if wait > 0:
                if len(self.waited) >= 1000:  # a display runs for weeks: keep the latest only
                    self.waited.pop(next(iter(self.waited)))
                self.waited[call.code] = wait
            self._shown.append(Shown(call, now))
            self._sort()
            # The newest `keep` must include the calls just let in: an old call may now leave.
            self._shown = [s for i, s in enumerate(self._shown)
                           if i < self.keep or now - s.since < self.min_seconds or s.call.ticket_id == self.pinned]
        return [s.call.event_id for s in self._shown] != before

    def next_change(self) -> float | None:
        """Seconds until a call shown comes of age (the screen may then change), or None."""
        now = self.clock()
        ages = [s.since + self.min_seconds - now for s in self._shown if now - s.since < self.min_seconds]
        return max(0.0, min(ages)) if ages else None

    def young(self) -> int:
        """How many calls shown have not had their `min_seconds` yet."""
        now = self.clock()
        return sum(1 for s in self._shown if now - s.since < self.min_seconds)

    def _has(self, call: CallView) -> bool:
        return any(s.call.ticket_id == call.ticket_id for s in self._shown) or any(
            c.ticket_id == call.ticket_id for c in self._waiting)

    def _event(self, ticket_id: int) -> int:
        ids = [s.call.event_id for s in self._shown if s.call.ticket_id == ticket_id]
        ids += [c.event_id for c in self._waiting if c.ticket_id == ticket_id]
        return max(ids, default=-1)

    def _drop(self, ticket_id: int) -> None:
        self._shown = [s for s in self._shown if s.call.ticket_id != ticket_id]
        for c in [c for c in self._waiting if c.ticket_id == ticket_id]:
            self._waiting.remove(c)
            self._arrived.pop(c.event_id, None)

    def _sort(self) -> None:
        self._shown.sort(key=lambda s: -s.call.event_id)
