"""`antre db roles`: PostgreSQL roles per kind of PC (display, kiosk, counter, web, admin) and one login per PC.

    antre db roles --db ADMIN_URL                     create or update the group roles and their rights
    antre db roles --db ADMIN_URL --print             print that SQL instead (for review or psql)
    antre db roles add-pc kiosk1 --kind kiosk --db ADMIN_URL [--password-file F] [--host LAN_ADDRESS]
    antre db roles remove-pc kiosk1 --db ADMIN_URL
    antre db roles list --db ADMIN_URL

Passwords never appear on the terminal, in the output or in the server's statement log: a PC's password
goes only into its password file (owner-only), and the server receives its SCRAM verifier (db/roles.py).
"""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError

from antre.output import emit
from db import AntreError, open_database, unit_of_work
from db.database import default_url, normalize_url
from db.roles import KINDS, PCS_QUERY, PcRole, drop_pc_sql, group_sql, new_password, pc_role, pc_sql, pcs_of


def late_options() -> argparse.ArgumentParser:
    """--db and --json for the actions under `antre db`, which may come before or after the action.

    argparse copies a subparser's defaults over what the parent parsed (`antre db --db X upgrade` would
    lose X), so these copies default to "not given" and the `db` parser's own defaults stay.
    """
    late = argparse.ArgumentParser(add_help=False)
    late.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                      help="database URL or SQLite file (default: $ANTRE_DB, else a file in the user data folder)")
    late.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print machine-readable JSON")
    return late


def register(db_sub: Any) -> None:
    """Add `roles` (with add-pc, remove-pc, list) under `antre db`."""
    late = late_options()
    late.add_argument("--host", metavar="ADDRESS", default=argparse.SUPPRESS,
                      help="the server's address as the PCs reach it, in the URLs printed (default: the --db host)")

    p = db_sub.add_parser("roles", parents=[late], help="PostgreSQL roles per kind of PC, one login per PC",
                          description="Create or update the PostgreSQL group roles antre_display, antre_kiosk, "
                          "antre_counter, antre_web and antre_admin with what each kind of PC may do, then list each PC's "
                          "login and URL. Run it as the server's superuser after every `antre db upgrade`.")
    p.add_argument("--print", dest="print_sql", action="store_true",
                   help="print the SQL instead of running it (nothing is changed)")
    p.set_defaults(handler=run, roles_action=None)
    actions = p.add_subparsers(dest="roles_action", metavar="ACTION")

    a = actions.add_parser("add-pc", parents=[late], help="create or update PCs' login roles")
    a.add_argument("names", nargs="+", metavar="NAME", help="the PC's name, e.g. kiosk1, tv_lobby, loket03 (role "
                   "antre_pc_NAME); several PCs of one kind at once: loket01 loket02 ...")
    a.add_argument("--kind", required=True, choices=KINDS, help="what the PC is")
    a.add_argument("--password-file", metavar="FILE", type=Path,
                   help="the PC's password: read from FILE if it exists, else made and written there owner-only "
                   "(default: NAME.password in this folder)")
    r = actions.add_parser("remove-pc", parents=[late], help="remove one PC's login role")
    r.add_argument("name")
    actions.add_parser("list", parents=[late], help="each PC's login, kind and URL")


def run(args: argparse.Namespace) -> int:
    url = _admin_url(args)
    action = getattr(args, "roles_action", None)
    if args.print_sql and action is not None:
        raise AntreError("--print shows the group roles' SQL only; a PC's login is made with its password file")
    if args.print_sql:
        sql = group_sql(url.database)
        print("BEGIN;\n" + "".join(f"{s};\n" for s in sql) + "COMMIT;")
        return 0
    maker = open_database(url.render_as_string(hide_password=False))  # refuses a missing or outdated schema
    engine = maker.kw["bind"]
    try:
        if action == "add-pc":
            return _add_pc(args, engine, url)
        if action == "remove-pc":
            _execute(engine, drop_pc_sql(args.name), "remove the PC's role")
            emit(args, {"removed": pc_role(args.name)}, f"removed {pc_role(args.name)}")
            return 0
        if action is None:
            from db.tokens import venue_secret

            with unit_of_work(maker) as session:
                venue_secret(session)  # the kiosks only read the ticket-token key, so it is made here
            _execute(engine, group_sql(url.database), "set up the roles")
        pcs = _pcs(engine)
        lines = [f"roles antre_display, antre_kiosk, antre_counter, antre_admin ready on {url.database}"
                 if action is None else f"{len(pcs)} PC(s) on {url.database}"]
        lines += [f"  {pc.name:<16} {'/'.join(pc.kinds):<8} {_pc_url(args, url, pc.role)}" for pc in pcs]
        emit(args, {"database": url.database,
                    "pcs": [{"name": pc.name, "role": pc.role, "kinds": list(pc.kinds),
                             "url": _pc_url(args, url, pc.role)} for pc in pcs]}, "\n".join(lines))
        return 0
    finally:
        engine.dispose()


def _admin_url(args: argparse.Namespace) -> URL:
    text = getattr(args, "db", None)
    text = normalize_url((text if text is not None else default_url()).strip())
    try:
        url = make_url(text)
    except Exception:
        raise AntreError("--db is not a database URL") from None
    if url.get_backend_name() != "postgresql":
        raise AntreError("antre db roles is for PostgreSQL (a SQLite file has no roles: keep the file owner-only); "
                         "give --db postgresql://postgres@SERVER/antre")
    if not url.database:
        raise AntreError("the --db URL names no database, e.g. postgresql://postgres@SERVER/antre")
    return url


def _pc_url(args: argparse.Namespace, admin: URL, role: str) -> str:
    host = getattr(args, "host", None) or admin.host or "localhost"
    url = URL.create("postgresql", username=role, host=host, port=admin.port, database=admin.database)
    return url.render_as_string(hide_password=True)


def _execute(engine: Any, statements: list[str], what: str) -> None:
    # The DBAPI cursor directly: the statements hold $$ blocks and SCRAM verifiers (with ':'), which
    # SQLAlchemy's text() would take for bind parameters. One transaction: all or nothing.
    raw = engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
        raw.commit()
    except Exception as exc:
        raw.rollback()
        reason = str(getattr(exc, "diag", None) and exc.diag.message_primary or exc).strip().splitlines()[0]
        hint = " (connect as the server's superuser, e.g. postgres)" if getattr(exc, "sqlstate", "") == "42501" else ""
        raise AntreError(f"cannot {what}: {reason}{hint}") from None
    finally:
        raw.close()


def _pcs(engine: Any) -> list[PcRole]:
    raw = engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cur:
            cur.execute(PCS_QUERY)
            rows = cur.fetchall()
        raw.rollback()
    except DatabaseError as exc:  # pragma: no cover - the catalog is readable by everyone
        raise AntreError(f"cannot list the PCs: {exc}") from None
    finally:
        raw.close()
    return pcs_of(rows)


def _add_pc(args: argparse.Namespace, engine: Any, url: URL) -> int:
    names = [n.strip().lower() for n in args.names]
    roles = [pc_role(n) for n in names]  # every name checked before any file or role is made
    if args.password_file and len(names) > 1:
        raise AntreError("--password-file is for one PC; with several, each gets NAME.password here")
    if len(set(names)) < len(names):
        raise AntreError("a PC name is given twice")
    made_pcs, sql, texts = [], [], []
    for name, role in zip(names, roles, strict=True):
        path: Path = args.password_file or Path(f"{name}.password")
        password, made = _password(path)
        sql += pc_sql(name, args.kind, password)
        pc_url = _pc_url(args, url, role)
        made_pcs.append({"name": name, "role": role, "kind": args.kind, "url": pc_url, "password_file": str(path),
                         "password_made": made})
        texts.append("\n".join([
            f"{role}: {args.kind} PC, password {'written to' if made else 'from'} {path}",
            f"URL: {pc_url}",
            "On that PC, in antre.toml (user config folder, or /etc/antre/antre.toml), readable only by its user:",
            "  [database]",
            f'  url = "{pc_url}"',
            f'  password_file = "{path.name}"   # copy {path} next to antre.toml, chmod 600',
        ]))
    _execute(engine, sql, f"set up {', '.join(roles)}")  # one transaction: all the PCs or none
    emit(args, {"pcs": made_pcs}, "\n\n".join(texts))
    return 0


def _password(path: Path) -> tuple[str, bool]:
    """The password in `path` (re-running add-pc keeps it), or a new one written there owner-only."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise AntreError(f"{path} is readable by other users: chmod 600 {path}, or delete it for a new "
                             "password") from None
        password = path.read_text(encoding="utf-8").strip()
        if not password or "\n" in password:
            raise AntreError(f"{path} must hold the password on one line (delete it to make a new one)")
        return password, False
    except OSError as exc:
        raise AntreError(f"cannot write the password file {path}: {exc.strerror}") from None
    password = new_password()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password, True
