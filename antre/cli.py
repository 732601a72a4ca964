"""`antre`: administration and scripting over the queue engine; starts the apps."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from antre.argtypes import UsageError, bounded, text_problem
from antre.output import emit, issued_line, status_text, ticket_line
from db import AntreError, ConfigError, open_database, transact, unit_of_work
from db.database import default_url

Handler = Callable[[argparse.Namespace], int]


def _sessions(args: argparse.Namespace, *, create: bool = False) -> sessionmaker[Session]:
    # Only `init` and `db upgrade` create or migrate; every other command refuses a missing,
    # foreign or out-of-date database with the command to run. An empty --db is an error, not
    # the default database.
    return open_database(args.db if args.db is not None else default_url(), create=create)


def _run(args: argparse.Namespace, action: Callable[[Session], Any]) -> Any:
    return transact(_sessions(args), action)


def cmd_init(args: argparse.Namespace) -> int:
    from antre.venue_sections import app_section_checks
    from db.config import apply_config, parse_config

    checks = app_section_checks()  # the apps' own checks of [kiosk], [printer], [display], [counter]
    path = Path(args.config)
    cfg = parse_config(path, sections=checks)  # a bad venue file is reported before any database is created
    cfg, warning = initial_pins(cfg, path.name)
    with unit_of_work(_sessions(args, create=True)) as session:
        counts = apply_config(session, cfg, base=path.parent)
    if warning:
        print(warning, file=sys.stderr)
    emit(args, counts, "Loaded " + ", ".join(f"{n} {k}" for k, n in counts.items()) + f" from {args.config}")
    return 0


def _category(session: Session, given: str) -> str:
    """The venue's priority category for `given` (any case); refused when the venue defines no such one."""
    from db import lookup
    from db.errors import Refused
    from db.priority import categories

    known = {c.code.casefold(): c.code for c in categories(lookup.venue(session).settings)}
    if given.strip().casefold() not in known:
        raise Refused(f"unknown priority category {given!r}: the venue defines {', '.join(known.values())}",
                      reason="bad_category")
    return known[given.strip().casefold()]


def initial_pins(cfg: Any, name: str) -> tuple[Any, str]:
    """The config as `antre init` loads it, and a warning about the PINs in the file: a demo venue's
    public PINs are dropped; real initial PINs are loaded (they must be changed at the first sign-in)."""
    with_pin = [o.username for o in cfg.operators if o.pin]
    if not with_pin:
        return cfg, ""
    if cfg.venue.demo:
        operators = [o.model_copy(update={"pin": None}) for o in cfg.operators]
        return cfg.model_copy(update={"operators": operators}), (
            f"warning: {name} is a demo venue (demo = true): its {len(with_pin)} public PINs work only in "
            "`antre demo` and were not loaded; give each operator a PIN with `antre operator set-pin USER`")
    from db.pins import is_weak

    weak = [o.username for o in cfg.operators if o.pin and is_weak(o.pin)]
    return cfg, (
        f"warning: {name} holds initial PINs for {len(with_pin)} operators ({', '.join(with_pin[:5])}"
        f"{', ...' if len(with_pin) > 5 else ''}): anyone who reads the file can sign in as them until they "
        "change it at their first sign-in. Hand them out in person, keep the file private, or remove the "
        "PINs and use `antre operator set-pin USER`"
        + (f". Easy to guess: {', '.join(weak[:5])}{', ...' if len(weak) > 5 else ''}" if weak else ""))


def cmd_issue(args: argparse.Namespace) -> int:
    from db.queue import issue_ticket

    if args.category is not None and not args.priority:
        raise UsageError("--category is the category of a priority ticket: add --priority")

    def issue(s: Session) -> Any:
        category = _category(s, args.category) if args.category is not None else None
        return issue_ticket(s, args.service, priority=args.priority, priority_category=category)

    issued = _run(args, issue)
    emit(args, issued, issued_line(issued))
    return 0


def _counter_action(name: str) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        import db.moves
        import db.queue

        func = getattr(db.queue, name, None) or getattr(db.moves, name)
        extra = {"note": args.note} if getattr(args, "note", None) else {}
        positional = [args.service] if name == "transfer" else []
        # "call" looks first in a reading transaction: an empty queue never takes the writer's lock.
        check = (lambda s: db.queue.require_waiting(s, args.counter)) if name == "call_next" else None
        ticket = transact(_sessions(args), lambda s: func(s, args.counter, *positional, **extra), check=check)
        emit(args, ticket, ticket_line(ticket))
        return 0

    return handler


def cmd_requeue(args: argparse.Namespace) -> int:
    from db.moves import requeue

    ticket = _run(args, lambda s: requeue(s, args.code))
    emit(args, ticket, ticket_line(ticket))
    return 0


def cmd_open_close(args: argparse.Namespace) -> int:
    from db.operators import close_counter, open_counter

    func = open_counter if args.command == "open" else close_counter
    _run(args, lambda s: func(s, args.counter))
    emit(args, {"counter": args.counter.upper(), "open": args.command == "open"},
         f"{args.counter.upper()} {'opened' if args.command == 'open' else 'closed'}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from db import read_only
    from db.stats import counter_views, service_queues

    with unit_of_work(read_only(_sessions(args))) as session:
        services, counters = service_queues(session), counter_views(session)
    emit(args, {"services": services, "counters": counters}, status_text(services, counters))
    return 0


def _read_pin(args: argparse.Namespace) -> str:
    if args.pin:
        return str(args.pin)
    if sys.stdin.isatty():
        first = getpass.getpass("New PIN: ")
        if getpass.getpass("Repeat PIN: ") != first:
            raise AntreError("the two PINs differ")
        return first
    line = sys.stdin.readline().strip()
    if not line:
        raise AntreError("no PIN given: use --pin or type it on standard input")
    return line


def cmd_operator(args: argparse.Namespace) -> int:
    from db.models import Role
    from db.operators import add_operator, disable_operator, set_pin

    if args.op_command == "add":
        pin = _read_pin(args) if args.pin or args.ask_pin else None
        _run(args, lambda s: add_operator(s, args.username, args.name or args.username, role=Role(args.role),
                                          agency=args.agency, pin=pin, must_change_pin=not args.permanent))
        msg = f"operator {args.username.lower()} saved" + ("" if pin else " (no PIN yet: antre operator set-pin)")
    elif args.op_command == "set-pin":
        pin = _read_pin(args)
        _run(args, lambda s: set_pin(s, args.username, pin, must_change=args.must_change))
        msg = f"PIN of {args.username.lower()} set"
    else:
        _run(args, lambda s: disable_operator(s, args.username))
        msg = f"operator {args.username.lower()} disabled"
    emit(args, {"username": args.username.lower(), "result": msg}, msg)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    sessions = _sessions(args, create=True)  # creates or upgrades the schema to head
    from sqlalchemy import text

    with sessions() as session:
        head = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    emit(args, {"revision": head}, f"database at revision {head}: {sessions.kw['bind'].url.render_as_string()}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from antre.bench import run_bench

    return run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="database URL or SQLite file (default: $ANTRE_DB, "
                        "else a file in the user data folder)")
    common.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser = argparse.ArgumentParser(prog="antre", description="Antre queue management for Mal Pelayanan Publik.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    add("init", cmd_init, "validate a venue file and load it (safe to re-run)").add_argument(
        "--config", required=True, metavar="FILE", help="venue TOML file")
    p = add("issue", cmd_issue, "issue a ticket for a service")
    p.add_argument("service", metavar="SERVICE", help="service code, e.g. A")
    p.add_argument("--priority", action="store_true", help="priority ticket (elderly, disabled, pregnant)")
    p.add_argument("--category", help="priority category, e.g. lansia")
    for name, func, help in [
        ("call", "call_next", "call the next ticket to a counter"),
        ("recall", "recall", "call the counter's ticket again"),
        ("start", "start_serving", "start serving the counter's ticket"),
        ("finish", "finish", "finish the counter's ticket"),
        ("noshow", "no_show", "mark the counter's ticket as no-show"),
        ("hold", "hold", "park the counter's ticket"),
        ("resume", "resume", "take the counter's oldest parked ticket back"),
        ("transfer", "transfer", "send the counter's ticket to another service"),
    ]:
        p = add(name, _counter_action(func), help)
        p.add_argument("counter", metavar="COUNTER", help="counter code, e.g. L01")
        if name == "transfer":
            p.add_argument("service", metavar="SERVICE", help="target service code")
            p.add_argument("--note", default="", help="why it is transferred")
    add("requeue", cmd_requeue, "put today's no-show ticket back in the queue").add_argument("code", metavar="CODE")
    for name in ("open", "close"):
        add(name, cmd_open_close, f"{name} a counter").add_argument("counter", metavar="COUNTER")
    add("status", cmd_status, "waiting per service and the ticket at each counter")

    op = add("operator", cmd_operator, "manage operator accounts")
    op_sub = op.add_subparsers(dest="op_command", required=True, metavar="ACTION")
    p = op_sub.add_parser("add", parents=[common], help="add or update an operator")
    p.add_argument("username")
    p.add_argument("--name", help="display name")
    p.add_argument("--agency", help="agency code (operators only serve its counters)")
    p.add_argument("--role", choices=["operator", "supervisor", "admin"], default="operator")
    p.add_argument("--pin", help="initial PIN (else none; set it later with set-pin)")
    p.add_argument("--ask-pin", action="store_true", help="read the initial PIN from the terminal or stdin")
    p.add_argument("--permanent", action="store_true", help="do not ask the operator to change the PIN")
    p = op_sub.add_parser("set-pin", parents=[common], help="set an operator's PIN (clears a lockout)")
    p.add_argument("username")
    p.add_argument("--pin", help="the PIN (else asked on the terminal or read from stdin)")
    p.add_argument("--must-change", action="store_true", help="ask the operator to change it at sign-in")
    op_sub.add_parser("disable", parents=[common], help="disable an operator").add_argument("username")

    p = add("db", cmd_db, "database maintenance")
    db_sub = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    from antre import cmd_dbroles

    db_sub.add_parser("upgrade", parents=[cmd_dbroles.late_options()], help="create or migrate the schema to the "
                      "latest", description="Create or migrate the schema to the latest (once, from one PC, before "
                      "the others start).")
    cmd_dbroles.register(db_sub)

    p = add("bench", cmd_bench, "measure issue_ticket and call_next latency (p50/p99)")
    p.add_argument("--n", type=bounded(1, 1_000_000), default=2000, help="operations per measurement (default 2000)")
    p.add_argument("--processes", type=bounded(1, 64), default=8, help="contending processes (default 8)")
    p.add_argument("--history", type=bounded(0, 10_000_000), default=1_000_000,
                   help="tickets of history to add (default 1e6)")
    p.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")

    from antre import cmd_counter, cmd_demo, cmd_display, cmd_kiosk, cmd_simulate, cmd_web
    from antre import cmd_report

    from antre import loadbench

    for module in (cmd_kiosk, cmd_display, cmd_counter, cmd_simulate, cmd_demo, cmd_web, cmd_report, loadbench):
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if problem := text_problem(args):
        parser.error(problem)
    try:
        return int(args.handler(args))
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"antre {args.command}: {exc}", file=sys.stderr)
        return 2
    except AntreError as exc:
        print(f"antre: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except OSError as exc:  # a file to read or write: missing folder, no permission, disk full
        where = f": {exc.filename}" if exc.filename else ""
        print(f"antre: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line for the user, the traceback on request (the tests ask)
        if os.environ.get("ANTRE_DEBUG"):
            raise
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
        print(f"antre: internal error ({type(exc).__name__}: {first}); run again with ANTRE_DEBUG=1 "
              "to see where, and report it", file=sys.stderr)
        return 70
