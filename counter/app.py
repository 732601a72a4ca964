"""`antre counter`: start the console full screen (or in a window) on this PC's counter."""

from __future__ import annotations

import argparse
import sys

from db.database import default_url


def main(args: argparse.Namespace) -> int:
    """Run the console until its window closes."""
    from PySide6.QtWidgets import QApplication

    from counter.window import build_console

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("antre-counter")
    window = build_console(args.db or default_url(), counter=args.counter, lang=getattr(args, "lang", None))
    if args.windowed:
        window.resize(1366, 768)
        window.show()
    else:
        window.showFullScreen()
    code = app.exec()
    window.shutdown()
    return int(code)
