"""`antre web`, `antre booking import|add|cancel`, `antre apikey add|revoke`: the web side's commands."""

from __future__ import annotations

import argparse
from datetime import date, time
from pathlib import Path
from typing import Any

from antre.output import emit
from db import AntreError, open_database, unit_of_work
from db.database import default_url


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("web", parents=[common], help="serve the citizens' phone pages, the status page and the API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: behind a "
                   "reverse proxy; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument("--rate-limit", type=int, metavar="N", help="API requests per minute per client "
                   "(default from the venue's [web]; 0: no limit)")
    p.add_argument("--proxies", default="127.0.0.1", metavar="IPS", help="reverse proxies whose "
                   "X-Forwarded-For is trusted (comma-separated, default 127.0.0.1)")
    p.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    p.set_defaults(handler=_web)

    p = sub.add_parser("booking", parents=[common], help="bookings (janji temu)")
    bsub = p.add_subparsers(dest="booking_command", required=True, metavar="ACTION")
    q = bsub.add_parser("import", parents=[common], help="import bookings from a CSV: code,service,date,time,name")
    q.add_argument("file", metavar="FILE.csv")
    q = bsub.add_parser("add", parents=[common], help="add one booking")
    q.add_argument("service", metavar="SERVICE")
    q.add_argument("date", metavar="YYYY-MM-DD")
    q.add_argument("time", metavar="HH:MM")
    q.add_argument("--code", help="the booking code (default: a new random one)")
    q.add_argument("--name", default="", help="the citizen's name (never shown on public pages)")
    bsub.add_parser("cancel", parents=[common], help="cancel an unused booking").add_argument("code")
    p.set_defaults(handler=_booking)

    p = sub.add_parser("apikey", parents=[common], help="API keys for /api/v1")
    ksub = p.add_subparsers(dest="apikey_command", required=True, metavar="ACTION")
    ksub.add_parser("add", parents=[common], help="make a key (printed once; only its hash is kept)"
                    ).add_argument("name")
    ksub.add_parser("revoke", parents=[common], help="revoke a key").add_argument("name")
    p.set_defaults(handler=_apikey)


def _sessions(args: argparse.Namespace) -> Any:
    return open_database(args.db if args.db is not None else default_url())


def _web(args: argparse.Namespace) -> int:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        raise AntreError("the web server needs its extra: pip install 'antre[web]'") from None
    if not 0 < args.port < 65536:
        raise AntreError(f"port {args.port} is not between 1 and 65535")
    from web.server import serve

    url = args.db if args.db is not None else default_url()
    return serve(url, args.host, args.port, rate_limit=args.rate_limit, proxies=args.proxies,
                 log_level=args.log_level)


def _booking(args: argparse.Namespace) -> int:
    from db.bookings import add_booking, cancel, import_csv

    with unit_of_work(_sessions(args)) as session:
        if args.booking_command == "import":
            counts = import_csv(session, Path(args.file))
            emit(args, counts, f"{counts['added']} bookings added, {counts['unchanged']} already there")
            return 0
        if args.booking_command == "add":
            try:
                day, slot = date.fromisoformat(args.date), time.fromisoformat(args.time)
            except ValueError:
                raise AntreError("give the date as YYYY-MM-DD and the time as HH:MM") from None
            view = add_booking(session, args.service, day, slot, code=args.code, name=args.name, source="cli")
        else:
            view = cancel(session, args.code)
    emit(args, view.to_json(), f"booking {view.code}: {view.service} {view.business_date} {view.slot_local} "
         f"({view.status})")
    return 0


def _apikey(args: argparse.Namespace) -> int:
    from db.apikeys import add_key, revoke_key

    with unit_of_work(_sessions(args)) as session:
        if args.apikey_command == "add":
            new = add_key(session, args.name)
            emit(args, {"name": new.name, "key": new.key},
                 f"API key {new.name}: {new.key}\n(shown only now: store it in the client's secrets)")
        else:
            revoke_key(session, args.name)
            emit(args, {"name": args.name, "revoked": True}, f"API key {args.name} revoked")
    return 0
