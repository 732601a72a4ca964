"""`antre counter`: the officer's console."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("counter", parents=[common], help="start the counter officer's console")
    p.add_argument("--counter", metavar="CODE", help="fix this PC's counter (else chosen at sign-in)")
    p.add_argument("--windowed", action="store_true", help="in a 1366x768 window instead of full screen")
    p.add_argument("--lang", choices=["id", "en"], help="UI language (default: [counter].language, else id)")
    p.add_argument("--survey", action="store_true", help="also open the citizen's IKM survey screen (on the "
                   "second monitor when there is one) after each finished ticket")
    p.add_argument("--supervisor", action="store_true", help="the supervisor's screen instead: every counter "
                   "live, open/close services, quotas, move or cancel tickets, today's report")
    p.set_defaults(handler=_counter)


def _counter(args: argparse.Namespace) -> int:
    from counter.app import main

    return main(args)
