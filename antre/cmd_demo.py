"""`antre demo`: a live MPP morning with the real apps, or a headless run that leaves evidence."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from antre.argtypes import UsageError, bounded
from antre.cmd_simulate import DEMO_VENUE


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="run a live demo: kiosk, display, consoles and citizens",
                       description="Start the demo venue in a fresh SQLite file with the kiosk, the lobby display "
                       "and counter consoles as separate processes, plus simulated citizens and officers.")
    p.add_argument("--headless", action="store_true", help="offscreen, for --minutes, leaving files in --out")
    p.add_argument("--minutes", type=bounded(0.05, 1440, float), default=None,
                   help="how long to run (headless default 2)")
    p.add_argument("--out", metavar="DIR", help="folder for the database and outputs (default ~/antre-demo)")
    p.add_argument("--config", default=str(DEMO_VENUE), metavar="FILE", help="venue TOML (default: the demo venue)")
    p.add_argument("--counters", type=bounded(1, 40), default=8,
                   help="counters worked by simulated officers (default 8)")
    p.add_argument("--consoles", type=bounded(0, 8), default=2, help="counter consoles to open (default 2)")
    # One announcement lasts about 6 s: these defaults keep calls under ~8 a minute so the hall
    # hears each one live instead of a growing backlog.
    p.add_argument("--speed", type=bounded(0.1, 100, float), default=10.0,
                   help="how much faster than real service times (default 10)")
    p.add_argument("--arrivals", type=bounded(0, 600, float), default=8.0, help="citizens per minute (default 8)")
    p.add_argument("--crowd", type=bounded(0, 1000), default=16,
                   help="citizens already waiting when the doors open (default 16)")
    p.add_argument("--snapshot-every", type=bounded(1, 3600, float), default=10.0,
                   help="headless: seconds between screenshots")
    p.add_argument("--mute", action="store_true", help="no sound from the display")
    p.set_defaults(handler=_demo)


def _no_screen() -> bool:
    return sys.platform.startswith("linux") and not any(
        os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _demo(args: argparse.Namespace) -> int:
    from antre.demo import run_demo

    if args.db is not None:
        raise UsageError("the demo makes its own database in --out and uses no other: leave out --db")
    if not args.headless and _no_screen():
        print("antre demo: no screen here (no DISPLAY or WAYLAND_DISPLAY): running headless instead; "
              "see the files it leaves.", file=sys.stderr)
        args.headless = True
    if args.headless and args.minutes is None:
        args.minutes = 2.0
    return run_demo(args)
