"""`antre kiosk` and `antre ticket`: the touch ticket machine and re-rendering an issued ticket."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from antre.argtypes import output_file


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("kiosk", parents=[common], help="start the touch ticket kiosk")
    p.add_argument("--printer", metavar="SPEC", help="printer, e.g. net:192.0.2.5:9100, usb:04b8:0202, "
                   "serial:/dev/ttyUSB0, cups:NAME, win:NAME, file:DIR (PNG + ESC/POS files), none")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--fullscreen", dest="fullscreen", action="store_true", default=None,
                      help="full screen, locked down (default from config)")
    mode.add_argument("--windowed", dest="fullscreen", action="store_false", help="in a window, for trying out")
    p.add_argument("--lang", choices=["id", "en"], help="starting language (default id)")
    p.set_defaults(handler=_kiosk)

    p = sub.add_parser("ticket", parents=[common], help="render an issued ticket of today to ESC/POS bytes and PNG")
    p.add_argument("code", metavar="CODE", help="ticket code, e.g. A-007")
    p.add_argument("--escpos", type=output_file, metavar="FILE.bin", help="write the ESC/POS bytes here")
    p.add_argument("--png", type=output_file, metavar="FILE.png", help="write the ticket image here")
    p.add_argument("--lang", choices=["id", "en"], help="ticket language (default from the venue's [kiosk])")
    p.set_defaults(handler=_ticket)


def _kiosk(args: argparse.Namespace) -> int:
    from kiosk.app import main

    return main(args, synthesize=kiosk_voice())


def kiosk_voice(timeout: float = 10.0) -> Callable[[str, Path, str], None]:
    """The kiosk's audio-mode voice: the display's pyttsx3 worker process (the command line composes the apps)."""
    from db.announce import default_voice
    from display.tts_worker import ProcessSynthesizer

    synth = ProcessSynthesizer(timeout=timeout)

    def synthesize(text: str, path: Path, language: str) -> None:
        synth.synthesize(text, default_voice(language), 140, 1.0, path)

    return synthesize


def _ticket(args: argparse.Namespace) -> int:
    from kiosk.ticket_cli import main

    return main(args)
