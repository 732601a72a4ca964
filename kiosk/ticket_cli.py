"""`antre ticket CODE`: render an already issued ticket of today through the kiosk's own code."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from db import open_database, unit_of_work
from db.catalog import venue_view
from db.database import default_url
from db.ticket_layout import Text, ticket_content_by_code, ticket_layout


def main(args: argparse.Namespace) -> int:
    """Write the ticket's ESC/POS bytes and/or PNG; print its text lines when neither is asked."""
    from kiosk.escpos_backend import EscposRenderer
    from kiosk.settings import kiosk_settings
    from kiosk.ticket_image import render_png

    # Not read-only: the ticket's QR token needs the venue's key, made on first use (db.tokens).
    with unit_of_work(open_database(args.db or default_url())) as session:
        content = ticket_content_by_code(session, args.code)
        venue = venue_view(session)
    settings = kiosk_settings(venue.section("kiosk"), venue.section("printer"))
    lang = getattr(args, "lang", None) or settings.kiosk.language
    renderer = EscposRenderer(settings.profile, qr_native=settings.printer.qr == "native", cut=settings.printer.cut)
    layout = ticket_layout(content, lang, columns=renderer.columns,
                           max_requirements=settings.kiosk.ticket_requirements)
    written = {}
    if args.escpos:
        data = renderer.render(layout)
        Path(args.escpos).write_bytes(data)
        written["escpos"] = str(args.escpos)
    if args.png:
        render_png(layout, Path(args.png), paper_mm=settings.printer.paper_mm, columns=renderer.columns)
        written["png"] = str(args.png)
    if args.json:
        print(json.dumps({"id": content.ticket.id, "code": content.ticket.code, "qr": content.qr, **written}))
    elif written:
        print(f"{content.ticket.code}: " + ", ".join(f"{k} -> {v}" for k, v in written.items()))
    else:
        for el in layout:
            if isinstance(el, Text):
                print(el.text.center(renderer.columns) if el.align == "center" else el.text)
    return 0
