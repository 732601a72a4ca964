"""`antre say CODE COUNTER --to FILE.wav [--pack DIR]`: the exact announcement of a call, chime included, as a WAV.

For checking how a code sounds and for feeding a PA system. COUNTER is a counter code looked
up in the database (its name and agency are used), or else read as the counter's name
("Loket 3"; a bare number means "Loket N"). Speech settings come from the venue's [speech]
section when a database is there, then from the options; `--pack DIR` (or [speech] engine = "pack")
joins it from a voice pack's clips. No Qt is loaded.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

from db import AntreError, open_database, read_only, unit_of_work
from db.announce import SpeechSettings, announcement, speech_settings
from db.catalog import agencies, venue_view
from db.database import default_url, normalize_url
from db.stats import counter_views
from display.render import Renderer
from display.tts_worker import ProcessSynthesizer
from display.voicepack import VoicePack


def _existing_database(url: str) -> str | None:
    """The URL, unless it names a SQLite file that does not exist (saying a code must not create one)."""
    url = normalize_url(url)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return url if path.exists() else None
    return url


def _from_database(url: str, counter: str) -> tuple[str, str, SpeechSettings]:
    with unit_of_work(read_only(open_database(url))) as session:
        settings = speech_settings(venue_view(session).section("speech"))
        names = {a.code: a.name for a in agencies(session)}
        for c in counter_views(session):
            if c.code == counter.strip().upper():
                return c.name, names.get(c.agency or "", ""), settings
    return "", "", settings


def main(args: argparse.Namespace) -> int:
    """Write the WAV; prints the spoken text and the file's length."""
    settings = SpeechSettings()
    name, agency = "", ""
    url = _existing_database(args.db or default_url())
    if url is not None:
        try:
            name, agency, settings = _from_database(url, args.counter)
        except AntreError as exc:
            print(f"antre say: database not used ({exc})", file=sys.stderr)
    if not name:
        name = f"Loket {args.counter}" if args.counter.strip().isdigit() else args.counter
    overrides = {k: v for k, v in {
        "numbers": getattr(args, "numbers", None), "english": getattr(args, "english", None),
        "agency": getattr(args, "with_agency", None), "voice": getattr(args, "voice", None),
        "rate": getattr(args, "rate", None), "repeat": getattr(args, "repeat", None),
    }.items() if v is not None}
    if getattr(args, "pack", None):
        overrides.update(engine="pack", pack=args.pack)
    elif getattr(args, "engine", None):
        overrides["engine"] = args.engine
    settings = dataclasses.replace(settings, **overrides)
    if settings.engine == "pack":
        try:
            VoicePack.load(Path(settings.pack).expanduser())
        except ValueError as exc:
            print(f"antre say: {exc}", file=sys.stderr)
            return 2
    ann = announcement(args.code, name, agency, settings)
    with tempfile.TemporaryDirectory(prefix="antre-say-") as work:
        renderer = Renderer(ProcessSynthesizer(timeout=settings.timeout_seconds), settings, Path(work))
        try:
            result = renderer.render(ann, Path(args.to))
        finally:
            renderer.close()
    for _, text in ann.parts()[: 2 if ann.text_en else 1]:
        print(text)
    print(f"{args.to}: {result.seconds:.1f} s")
    if not result.spoken:
        print(f"antre say: only the chime was written: {result.warning}", file=sys.stderr)
        return 1
    if result.warning:
        print(f"antre say: {result.warning}", file=sys.stderr)
    return 0
