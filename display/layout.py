"""Where the lobby display's panels go: a plan per TV shape, from the legible sizes the panels ask for.

Landscape: a band across the top for the current call (its code ~107 mm from 10 m beside its
counter), below it the previous calls and the paged area (counters, waiting, media) side by side.
Portrait: the current call, the previous calls, the paged area, stacked. During a burst of calls
the previous calls take the paged area too (`burst`, in columns). Sizes are in the TV's pixels;
the panels' `leg` must be set before planning.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect

from display.calls import NowCalling, RecentCalls
from display.paint import Legibility, Role
from display.panels import tv_name


@dataclass(frozen=True, slots=True)
class Plan:
    """The panels' places and how many calls they hold."""

    now: QRect
    recent: QRect  # the previous calls, usually
    burst: QRect  # the previous calls during a burst (the paged area included)
    paged: QRect
    rows: int  # previous-call rows usually (room permitting, at most [display] last_calls)
    burst_rows: int
    burst_cols: int
    role: Role  # the current call's code size
    side: bool  # its code and counter side by side
    problems: tuple[str, ...] = ()  # what staff should hear about (logged once per size)


def worst_case(codes: list[str], names: list[str]) -> tuple[list[str], list[str]]:
    """The ticket codes and counter names to plan for, never empty."""
    return codes or ["A-000"], names or ["Loket 00"]


def size_now(now: NowCalling, leg: Legibility, width: float, room: float, codes: list[str],
             names: list[str]) -> tuple[Role, bool, float, list[str]]:
    """The current call's size, arrangement and height in a panel `width` wide with at most `room` of height.

    The code at ~107 mm capitals (the "now" role) where that leaves the previous calls their room.
    Landscape 16:9 TVs get it from about 5.2 inches of diagonal per metre of viewing distance with the
    demo venue's widest code and counter (PBB-001 beside LOKET 10): a 55" TV read from 10 m, at 1080p
    or 4K alike (the pixels are only smaller); below that (a 50" from 10 m, a 43" from 9 m) the code is
    as big as the room allows, never under 40 mm, and staff are told. A portrait TV has the height but
    not the width: at 55" (1080 px wide) a code as wide as SA-001 is 107 mm, a wider one (PBB-001, MM-001)
    is drawn as wide as the TV, and staff are told which.
    """
    wheres = [tv_name(n) for n in names]
    role: Role = "now"
    side = now.side_fits(width, codes, wheres, role)
    if now.height_for(role, side) > room:
        role = "call"
        side = now.side_fits(width, codes, wheres, role)
    if role == "now":
        long = [c for c in codes if not side and not now.code_fits(width, [c], "now")]
        problems = [(f"ticket codes as long as {max(long, key=len)} are drawn under {leg.min_mm('now'):.0f} mm "
                     "(as wide as the TV)")] if long else []
        return role, side, now.height_for(role, side), problems
    problem = (f"the current call's code is at {leg.min_mm('call'):.0f} mm capitals or more, not the "
               f"{leg.min_mm('now'):.0f} mm asked for viewers with low vision")
    return role, side, max(now.height_for("call", side), min(room, now.height_for("now", side))), [problem]


def landscape(now: NowCalling, recent: RecentCalls, leg: Legibility, area: QRect, gap: int, codes: list[str],
              names: list[str]) -> Plan:
    """A band across the top for the current call; the previous calls and the paged area side by side below."""
    left, top, right, bottom = area.left(), area.top(), area.right() + 1, area.bottom() + 1
    width, body_h = right - left, bottom - top
    role, side, band, problems = size_now(now, leg, width, body_h - gap - recent.height_for(3), codes, names)
    lower_top = top + round(band) + gap
    lower_h = bottom - lower_top
    fit = max(1, int((lower_h - recent.height_for(0)) // recent.row_h()))
    if fit < 3:  # a TV too small for its distance: the current call keeps its size, fewer previous calls
        problems.append(f"only {fit} previous call(s) fit at legible size")
    split = left + round((width - gap) * 0.5)
    return Plan(QRect(left, top, width, round(band)), QRect(left, lower_top, split - left, lower_h),
                QRect(left, lower_top, width, lower_h), QRect(split + gap, lower_top, right - split - gap, lower_h),
                fit, fit, recent.columns_for(width, codes, names), role, side, tuple(problems))


def portrait(now: NowCalling, recent: RecentCalls, leg: Legibility, area: QRect, gap: int, codes: list[str],
             names: list[str], last_calls: int) -> Plan:
    """The current call, the previous calls and the paged area (at least a third of the screen), stacked."""
    left, top, right, bottom = area.left(), area.top(), area.right() + 1, area.bottom() + 1
    width, body_h = right - left, bottom - top
    role, side, need, problems = size_now(now, leg, width, body_h * 0.7 - recent.height_for(3), codes, names)
    now_h = max(round(need), round(body_h * 0.25))
    rows = max(3, min(last_calls, 4))
    if body_h - now_h - recent.height_for(rows) < body_h * 0.3:
        rows = 3  # the counters keep a third of the screen
    recent_h = round(recent.height_for(rows))
    y = top + now_h + gap
    paged_top = y + recent_h + gap
    burst_rows = int((bottom - y - recent.height_for(0)) // recent.row_h())
    return Plan(QRect(left, top, width, now_h), QRect(left, y, width, recent_h), QRect(left, y, width, bottom - y),
                QRect(left, paged_top, width, bottom - paged_top), rows, max(rows, burst_rows),
                recent.columns_for(width, codes, names), role, side, tuple(problems))
