"""`antre report` (figures, IKM, the monthly PDF, the benchmark) and `antre backup`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from antre.output import emit
from db import AntreError, open_database, read_only, unit_of_work
from db.database import default_url


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in text.split("-"))
        date(year, month, 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-11") from None
    return year, month


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report", parents=[common], help="service figures, the IKM index, the monthly PDF recap",
        description="Reports of a period: `antre report` (figures per day, agency, service, counter and officer, "
        "and the busy hours), `antre report ikm` (the satisfaction index per service or agency), "
        "`antre report monthly` (the printable PDF recap of one agency), `antre report bench`.")
    p.add_argument("kind", nargs="?", default="figures", choices=["figures", "ikm", "monthly", "bench"],
                   help="what to report (default: figures)")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE", help="first business day (default: "
                   "the first of this month)")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last business day (default: today)")
    p.add_argument("--month", type=_month, metavar="YYYY-MM", help="monthly: the month (default: this one)")
    p.add_argument("--agency", metavar="CODE", help="only this agency")
    p.add_argument("--by", choices=["service", "agency"], default="service", help="ikm: rows per service or agency")
    p.add_argument("--format", choices=["text", "csv", "xlsx"], default="text",
                   help="figures: text (default), csv, or xlsx (needs --out)")
    p.add_argument("--out", metavar="FILE", help="write the CSV, XLSX or PDF here (CSV: default standard output)")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="language of XLSX and PDF (default id)")
    p.add_argument("--place", default="", help="monthly: the town printed above the signature")
    p.add_argument("--rebuild", action="store_true", help="forget the stored figures of the period's closed days "
                   "and read them from the tickets again (after correcting old tickets)")
    p.add_argument("--days", type=int, default=365, help="bench: business days of history (default 365)")
    p.add_argument("--per-day", type=int, default=2000, help="bench: tickets a day (default 2000)")
    p.add_argument("--runs", type=int, default=5, help="bench: timed reports (default 5)")
    p.set_defaults(handler=cmd_report)

    b = sub.add_parser("backup", parents=[common], help="copy the database safely while the apps run",
                       description="An online-safe copy of a SQLite database (SQLite's backup API; the apps may "
                       "keep running). For PostgreSQL it prints the pg_dump command to run instead.")
    b.add_argument("--to", dest="target", required=True, metavar="FILE", help="the new file to write")
    b.set_defaults(handler=cmd_backup)

    r = sub.add_parser("reimport", parents=[common], help="preview, then load, a changed venue file (admin)",
                       description="List what loading the venue file would add, change or deactivate; with "
                       "--yes, load it as the admin named by --as (their PIN is asked, and the event log records "
                       "who loaded it).")
    r.add_argument("--config", required=True, metavar="FILE", help="venue TOML file")
    r.add_argument("--as", dest="actor", metavar="ADMIN", help="the admin loading it (needed with --yes)")
    r.add_argument("--pin", help="the admin's PIN (else asked on the terminal or read from stdin)")
    r.add_argument("--yes", action="store_true", help="apply the changes (without it: preview only)")
    r.set_defaults(handler=cmd_reimport)


def _period(session: Any, args: argparse.Namespace) -> tuple[date, date]:
    from datetime import datetime

    from db import lookup

    today = lookup.today(session, datetime.now().astimezone())
    start = args.start or today.replace(day=1)
    end = args.end or (today if start <= today else start)
    if end < start:
        raise AntreError(f"--to {end} is before --from {start}")
    return start, end


def cmd_report(args: argparse.Namespace) -> int:
    if args.kind == "bench":
        from antre.report_bench import run

        return run(args)
    from db.ikm import ikm_report
    from db.reports import build_report

    write = open_database(args.db or default_url())
    sessions = read_only(write)
    with unit_of_work(sessions) as s:
        start, end = _month_period(s, args) if args.kind == "monthly" else _period(s, args)
    if args.rebuild:
        from db.report_store import forget_days

        with unit_of_work(write) as s:
            forget_days(s, start, end)
    if args.kind in ("figures", "monthly"):
        _cache(sessions, write, start, end)
    with unit_of_work(sessions) as s:
        if args.kind == "monthly":
            return _monthly(s, args, start, end)
        if args.kind == "ikm":
            ikm = ikm_report(s, start, end, by=args.by, agency=args.agency)
            emit(args, ikm, _ikm_text(ikm))
            return 0
        report = build_report(s, start, end, agency=args.agency)
        ikm = ikm_report(s, start, end, by="service", agency=args.agency) if args.format == "xlsx" else None
    if args.format == "csv":
        from db.report_files import to_csv

        text = to_csv(report)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"wrote {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    if args.format == "xlsx":
        if not args.out:
            raise AntreError("--format xlsx needs --out FILE.xlsx")
        from db.report_files import to_xlsx

        to_xlsx(report, Path(args.out), ikm=ikm, lang=args.lang)
        emit(args, {"written": args.out}, f"wrote {args.out}")
        return 0
    emit(args, report, _figures_text(report))
    return 0


def _cache(read: Any, write: Any, start: date, end: date) -> None:
    """Store the closed days of the period first (once per day), so long reports stay fast; a database
    this user may not write to is reported live instead."""
    from db.report_store import cache_closed_days

    try:
        cache_closed_days(read, write, start, end)
    except AntreError as exc:
        print(f"antre: reading every ticket (closed days not stored: {exc})", file=sys.stderr)


def _month_period(session: Any, args: argparse.Namespace) -> tuple[date, date]:
    from db.report_pdf import month_bounds

    if args.month:
        return month_bounds(*args.month)
    start, _ = _period(session, args)
    return month_bounds(start.year, start.month)


def _monthly(session: Any, args: argparse.Namespace, start: date, end: date) -> int:
    from db.ikm import ikm_report
    from db.report_pdf import monthly_pdf
    from db.reports import build_report

    if not args.out:
        raise AntreError("monthly needs --out FILE.pdf")
    report = build_report(session, start, end, agency=args.agency)
    ikm = ikm_report(session, start, end, by="service", agency=args.agency)
    monthly_pdf(report, ikm, Path(args.out), place=args.place, lang=args.lang)
    emit(args, {"written": args.out}, f"wrote {args.out}")
    return 0


def _m(value: object) -> str:
    return "-" if value is None else str(value)


def _figures_text(r: Any) -> str:
    lines = [f"{r.venue} · {r.start} .. {r.end}" + (f" · {r.agency}" if r.agency else "")]
    head = f"{'':<22}{'issued':>7}{'served':>7}{'noshow':>7}{'cancel':>7}{'transf':>7}" \
           f"{'wait50':>7}{'wait90':>7}{'waitmx':>7}{'svc50':>6}{'svc90':>6}{'intgt':>7}"
    for section, rows in (("total", (r.total,)), *r.sections.items()):
        lines += ["", f"{section}:", head]
        for row in rows:
            share = f"{row.within_target * 100:.0f}%" if row.within_target is not None else "-"
            lines.append(f"  {row.key[:20]:<20}{row.issued:>7}{row.served:>7}{row.no_shows:>7}{row.cancelled:>7}"
                         f"{row.transferred:>7}{_m(row.wait_p50):>7}{_m(row.wait_p90):>7}{_m(row.wait_max):>7}"
                         f"{_m(row.service_p50):>6}{_m(row.service_p90):>6}{share:>7}")
    lines += ["", "tickets per hour (mean per open day):"]
    lines += [f"  {h.hour:02d}:00 {h.per_day:>7}  {'#' * min(60, round(h.per_day / 5))}" for h in r.hours]
    return "\n".join(lines)


def _ikm_text(ikm: Any) -> str:
    lines = [f"IKM {ikm.start} .. {ikm.end} per {ikm.by} ({ikm.regulation})",
             f"  {'':<10}{'respondents':>12}{'index':>8}  grade"]
    for row in (*ikm.rows, ikm.total):
        grade = f"{row.grade} {row.label}" if row.grade else "-"
        lines.append(f"  {row.key:<10}{row.respondents:>12}{_m(row.index):>8}  {grade}"
                     + (f"   (overall {row.overall_mean} of 4, n={row.overall_count})" if row.overall_count else ""))
    return "\n".join(lines)


def cmd_backup(args: argparse.Namespace) -> int:
    from db.backup import backup

    result = backup(args.db or default_url(), Path(args.target))
    if result.kind == "command":
        emit(args, result, f"PostgreSQL: run this on a machine with the client tools (it asks for the password):\n"
                           f"  {result.command}")
    else:
        emit(args, result, f"copied to {result.target} ({result.bytes / 1e6:.1f} MB)")
    return 0


def cmd_reimport(args: argparse.Namespace) -> int:
    from db.config_diff import preview_file, reimport
    from db.models import Role
    from db.supervision import authenticate

    path = Path(args.config)
    if not args.yes:
        with unit_of_work(read_only(open_database(args.db or default_url()))) as s:
            changes = preview_file(s, path)
        lines = [c.line() for c in changes] or ["no change"]
        emit(args, {"changes": lines, "applied": False}, "\n".join(lines) + "\n(preview only: add --yes to load it)")
        return 0
    if not args.actor:
        raise AntreError("--yes needs --as ADMIN (the admin loading the file)")
    pin = args.pin or _ask_pin(args.actor)
    sessions = open_database(args.db or default_url())
    with unit_of_work(sessions) as s:
        check = authenticate(s, args.actor, pin, Role.ADMIN)
    if not check.ok:
        raise AntreError(f"not loaded: {check.message}")
    with unit_of_work(sessions) as s:
        changes = reimport(s, args.actor, path)
    lines = [c.line() for c in changes] or ["no change"]
    emit(args, {"changes": lines, "applied": True}, "\n".join(lines) + f"\nloaded {path} as {args.actor}")
    return 0


def _ask_pin(user: str) -> str:
    import getpass

    if sys.stdin.isatty():
        return getpass.getpass(f"PIN of {user}: ")
    line = sys.stdin.readline().strip()
    if not line:
        raise AntreError("no PIN given: use --pin or type it on standard input")
    return line
