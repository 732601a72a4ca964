"""`antre display` and `antre say`: the lobby TV and writing an announcement to a WAV."""

from __future__ import annotations

import argparse
from typing import Any

from antre.argtypes import bounded, output_file


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("display", parents=[common], help="start the lobby display that calls numbers aloud")
    p.add_argument("--zone", action="append", default=[], metavar="ZONE", help="only counters of this zone "
                   "(repeatable)")
    p.add_argument("--agency", action="append", default=[], metavar="AGENCY", help="only this agency (repeatable)")
    p.add_argument("--screen", type=bounded(0, 16), default=None, metavar="N", help="screen number to show on")
    p.add_argument("--windowed", action="store_true", help="in a window instead of full screen")
    p.add_argument("--mute", action="store_true", help="no chime and no speech from the loudspeaker")
    p.add_argument("--record", metavar="DIR", help="also save every announcement as a WAV in this folder "
                   "(with --mute: made and saved, not played)")
    p.set_defaults(handler=_display)

    p = sub.add_parser("say", parents=[common], help="write the announcement of a call (chime included) to a WAV")
    p.add_argument("code", metavar="CODE", help="ticket code, e.g. A-007")
    p.add_argument("counter", metavar="COUNTER", help="counter code or name, e.g. L03")
    p.add_argument("--to", required=True, type=output_file, metavar="FILE.wav", help="output WAV file")
    p.add_argument("--numbers", choices=["digits", "words"], help="read the number digit by digit or as words "
                   "(default: the venue's [speech] setting, else digits)")
    p.add_argument("--english", action="store_true", default=None, help="add the English announcement")
    p.add_argument("--with-agency", action="store_true", default=None, help="say the agency's name too")
    p.add_argument("--voice", help="voice id or name (e.g. poz/id, \"Microsoft Andika\")")
    p.add_argument("--rate", type=bounded(60, 400), help="words per minute (60-400)")
    p.add_argument("--repeat", type=bounded(1, 5), help="times the announcement is said (1-5)")
    p.add_argument("--engine", choices=["tts", "pack"], help="text-to-speech or the venue's voice pack "
                   "(default: the venue's [speech] engine)")
    p.add_argument("--pack", metavar="DIR", help="join the announcement from this voice pack's clips")
    p.set_defaults(handler=_say)


def _display(args: argparse.Namespace) -> int:
    from display.app import main

    return main(args)


def _say(args: argparse.Namespace) -> int:
    from display.say_cli import main

    return main(args)
