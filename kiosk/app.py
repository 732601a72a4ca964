"""`antre kiosk`: start the touch ticket machine."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from db.database import default_url

if TYPE_CHECKING:
    from qtkit.speech import Synthesize


def main(args: argparse.Namespace, synthesize: Synthesize | None = None) -> int:
    """Run the kiosk until staff leave it (hidden gesture + PIN) or, windowed, the window closes.

    `synthesize` is the audio mode's voice (text -> WAV), given by the command line, which owns the
    speech engine shared with the display; without it audio mode shows its ring but stays silent.
    """

    import kiosk.escpos_backend  # noqa: F401 - sets python-escpos' cache folder before anything imports it
    from kiosk.settings import parse_printer_spec
    from kiosk.window import KioskWindow
    from qtkit.lifecycle import create_app
    from qtkit.snapshots import install_snapshots
    from qtkit.speech import WavSpeech
    from qtkit.worker import DbWorker

    # force: importing python-escpos already called basicConfig() with its WARNING-level default.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    if args.printer:
        try:
            parse_printer_spec(args.printer)
        except ValueError as exc:
            print(f"antre kiosk: {exc}", file=sys.stderr)
            return 2
    app = create_app("Antre Kiosk")
    worker = DbWorker(args.db or default_url())
    speech = WavSpeech(synthesize) if synthesize is not None else None
    window = KioskWindow(worker, printer_spec=args.printer, lang=args.lang, fullscreen=args.fullscreen,
                         size_from_config=True, speech=speech)
    window.exit_requested.connect(app.quit)
    window.resize(1080, 1920)
    window.show_kiosk()
    install_snapshots(window, "kiosk")  # the headless demo's screenshots (ANTRE_SNAPSHOTS)
    try:
        return app.exec()
    finally:
        window.shutdown()
        window.close()
        worker.stop()
        if speech is not None:
            speech.close()
