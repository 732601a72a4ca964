"""Keeping the voice from falling behind the calls: the order, merging and length of announcements.

Pure logic, no Qt and no sound: the display's announcement queue asks it what to say next, and
`python -m display.airtime` runs it on a simulated clock for a busy hour. The rules:

- calls are said in call order, each at least once: nothing is dropped;
- a call for a ticket that is still waiting to be said (a recall, or a call at another counter)
  takes the place of the waiting one: one announcement, at the earlier place, with the newer
  counter; the merge is counted and logged, not silent;
- the more announcements wait, the shorter each one: the full form (repeats, English) when the
  voice keeps up, once in Indonesian when `short_after` wait, the brief form ("A, nol nol tujuh,
  loket tiga.", no chime) when `brief_after` wait.
"""

from __future__ import annotations

import itertools
import logging
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from db.announce import Announcement, Form, SpeechSettings

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Pending:
    """One call waiting for the voice."""

    seq: int
    announcement: Announcement
    tag: Any  # what the screen knows the call by (a CallView)
    queued_at: float  # when the call reached the display (monotonic seconds)
    merged: int = 0  # later calls of the same ticket folded into this one


@dataclass(slots=True)
class Backlog:
    """The announcements not yet started, oldest first."""

    settings: SpeechSettings = field(default_factory=SpeechSettings)
    merged: int = 0
    most: int = 0  # the longest the backlog has been
    _items: deque[Pending] = field(default_factory=deque)
    _seq: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Pending]:
        return iter(self._items)

    def add(self, announcement: Announcement, tag: Any, now: float) -> tuple[Pending, bool]:
        """Queue a call; returns its entry and whether it was merged into one already waiting."""
        for item in self._items:
            if item.announcement.code == announcement.code:
                item.announcement, item.tag = announcement, tag  # the newer counter, at the earlier place
                item.merged += 1
                self.merged += 1
                log.info("call of %s merged with its announcement still waiting (backlog %d)",
                         announcement.code, len(self._items))
                return item, True
        item = Pending(next(self._seq), announcement, tag, now)
        self._items.append(item)
        self.most = max(self.most, len(self._items))
        return item, False

    def form(self, waiting: int) -> Form:
        """How much to say when `waiting` announcements (this one included) wait."""
        if waiting >= self.settings.brief_after:
            return "brief"
        if waiting >= self.settings.short_after:
            return "once"
        return "full"

    def take(self) -> tuple[Pending, Form] | None:
        """The next announcement to say and its form (decided now, by the backlog at this moment)."""
        if not self._items:
            return None
        form = self.form(len(self._items))
        return self._items.popleft(), form

    def clear(self) -> list[Pending]:
        """Drop everything (the display is stopping); returns what was dropped."""
        dropped = list(self._items)
        self._items.clear()
        return dropped


def seconds_of(form: Form, settings: SpeechSettings, durations: dict[str, float]) -> float:
    """Airtime of one announcement in a form, from measured piece lengths (see `measure`)."""
    if form == "brief":
        return durations["brief"]
    chime = durations["chime"] if settings.chime else 0.0
    if form == "once":
        return chime + durations["id"]
    one = durations["id"] + (durations["gap"] + durations["en"] if settings.english else 0.0)
    return chime + one * settings.repeat + durations["gap"] * (settings.repeat - 1)
