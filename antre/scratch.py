"""Scratch databases: `antre bench` and `antre demo` fill a database with made-up tickets, rename the
venue and deactivate what their own venue lacks, so they work only on a database they create
themselves and refuse any other. A database they made carries a mark in the venue's settings."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, inspect, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db import lookup
from db.database import normalize_url
from db.errors import AntreError

MARK = "scratch"


class NotScratch(AntreError):
    """The database holds something else than what this command made: it is left alone."""


def _mark_of(settings: object) -> str | None:
    if isinstance(settings, str):
        try:
            settings = json.loads(settings)
        except ValueError:
            return None
    return settings.get(MARK) if isinstance(settings, dict) else None


def _sqlite_mark(path: Path) -> str | None:
    """The mark of an existing SQLite file, read without writing to it; None if it has none."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT settings FROM venue ORDER BY id LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return _mark_of(row[0]) if row else None


def claim(url: str, purpose: str) -> str:
    """The normalized URL if `purpose` may fill it: a SQLite file that does not exist yet or that
    `purpose` made before (it is then removed, to be made afresh), or an empty PostgreSQL database.
    Anything else raises NotScratch and is left as it was."""
    url = normalize_url(url.strip())
    parsed = make_url(url)
    refusal = (f"antre {purpose} fills its database with made-up tickets, so it uses only one it creates: "
               f"{parsed.render_as_string(hide_password=True)} holds other data. Leave out --db (a temporary "
               "file is used) or give a new file name or an empty database")
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or parsed.database == ":memory:":
            raise NotScratch(refusal)
        if path.exists() and _sqlite_mark(path) != purpose:
            raise NotScratch(refusal)
        for suffix in ("", "-wal", "-shm", ".writer-lock"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return url
    engine = create_engine(url, pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    except SQLAlchemyError as exc:
        raise AntreError(f"cannot reach {parsed.render_as_string(hide_password=True)}: "
                         f"{str(getattr(exc, 'orig', None) or exc).strip().splitlines()[0]}") from None
    finally:
        engine.dispose()
    if tables:  # even one a previous run filled: its tickets would collide with the new ones
        raise NotScratch(refusal + " (on PostgreSQL: an empty database, e.g. createdb antre_bench)")
    return url


def mark(session: Session, purpose: str) -> None:
    """Mark the database as made by `purpose` (after its venue was loaded: loading replaces the settings)."""
    row = lookup.venue(session)
    row.settings = {**(row.settings or {}), MARK: purpose}
