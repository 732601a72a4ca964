"""`antre counter`: start the console full screen (or in a window) on this PC's counter."""

from __future__ import annotations

import argparse
import os
from typing import Any

from db.database import default_url


def _supervisor(app: Any, args: argparse.Namespace) -> int:
    from counter.supervisor import SupervisorWindow
    from qtkit.worker import DbWorker

    window = SupervisorWindow(DbWorker(args.db or default_url()), lang=getattr(args, "lang", None) or "id")
    window.resize(1366, 768)
    window.show() if args.windowed else window.showMaximized()
    try:
        return int(app.exec())
    finally:
        window.shutdown()


def main(args: argparse.Namespace) -> int:
    """Run the console until its window closes (or SIGINT/SIGTERM); a free counter is signed out."""

    from counter.window import build_console
    from qtkit.lifecycle import create_app
    from qtkit.snapshots import install_snapshots

    app = create_app("antre-counter")  # Ctrl+C and `systemctl stop` end the shift cleanly
    if getattr(args, "supervisor", False):
        return _supervisor(app, args)
    window = build_console(args.db or default_url(), counter=args.counter, lang=getattr(args, "lang", None))
    # `antre demo` starts consoles already signed in and asks for periodic screenshots.
    user, _, pin = os.environ.get("ANTRE_DEMO_SIGNIN", "").partition(":")
    if user and pin and args.counter:
        window.controller.demo_sign_in(user, pin)
    install_snapshots(window, f"counter-{(args.counter or 'console').upper()}")
    survey = None
    if getattr(args, "survey", False):
        from counter.survey import SurveyWindow

        survey = SurveyWindow(window.controller.worker)
        window.controller.ticket_finished.connect(survey.start)
        screens = app.screens()
        if len(screens) > 1 and not args.windowed:  # the monitor facing the citizen
            survey.setGeometry(screens[1].geometry())
            survey.showFullScreen()
        else:
            survey.resize(1280, 800)
            survey.show()
    if args.windowed:
        window.resize(1366, 768)
        window.show()
    else:
        window.showFullScreen()
    try:
        return int(app.exec())
    finally:
        if survey is not None:
            survey.close()
        window.shutdown()
