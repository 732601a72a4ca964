"""`antre counter`: start the console full screen (or in a window) on this PC's counter."""

from __future__ import annotations

import argparse
import os

from db.database import default_url


def main(args: argparse.Namespace) -> int:
    """Run the console until its window closes (or SIGINT/SIGTERM); a free counter is signed out."""

    from counter.window import build_console
    from qtkit.lifecycle import create_app
    from qtkit.snapshots import install_snapshots

    app = create_app("antre-counter")  # Ctrl+C and `systemctl stop` end the shift cleanly
    window = build_console(args.db or default_url(), counter=args.counter, lang=getattr(args, "lang", None))
    # `antre demo` starts consoles already signed in and asks for periodic screenshots.
    user, _, pin = os.environ.get("ANTRE_DEMO_SIGNIN", "").partition(":")
    if user and pin and args.counter:
        window.controller.demo_sign_in(user, pin)
    install_snapshots(window, f"counter-{(args.counter or 'console').upper()}")
    if args.windowed:
        window.resize(1366, 768)
        window.show()
    else:
        window.showFullScreen()
    try:
        return int(app.exec())
    finally:
        window.shutdown()
