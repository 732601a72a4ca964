"""Opening a database: URL resolution, engine setup for SQLite and PostgreSQL, schema at head."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db import sqlite_engine
from db.errors import Contended, DatabaseUnavailable, Refused

T = TypeVar("T")
READ_ONLY = sqlite_engine.READ_ONLY  # the execution option of reading sessions (see read_only)
MIGRATIONS = Path(__file__).with_name("migrations")


def default_url() -> str:
    """The database URL: env ANTRE_DB, else this PC's antre.toml (db.pcconfig), else a SQLite file in the
    user data directory."""
    if url := os.environ.get("ANTRE_DB"):
        return url
    from db.pcconfig import pc_database_url

    if url := pc_database_url():
        return url
    import platformdirs

    folder = Path(platformdirs.user_data_dir("antre", appauthor=False))
    return f"sqlite:///{folder / 'antre.sqlite3'}"


def normalize_url(url: str) -> str:
    """Accept a bare file path as a SQLite database; name PostgreSQL's driver explicitly."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().absolute()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_db_engine(url: str, *, create: bool = False) -> Engine:
    """An engine for the URL, configured for concurrent writers; a missing SQLite file is made only with create."""
    if not url or not url.strip():
        raise DatabaseUnavailable("the database URL is empty: give --db a file path or a postgresql:// URL")
    url = normalize_url(url.strip())
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 - a non-numeric port raises here, not later in the driver
    except (ArgumentError, ValueError) as exc:
        raise DatabaseUnavailable(f"not a database URL: {_safe(url)} ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if not path or path == ":memory:":
            engine = create_engine(url, connect_args={"timeout": 30})
            sqlite_engine.setup(engine, None)
            return engine
        file = Path(path).expanduser().absolute()
        if create:
            _create_private_file(file)
        elif not file.exists():
            raise DatabaseUnavailable(f"no database at {file}: create it with `antre init --config VENUE.toml` "
                                      "(or `antre db upgrade`), or check --db / ANTRE_DB")
        engine = create_engine(f"sqlite:///{file}", connect_args={"timeout": 30})
        sqlite_engine.setup(engine, file)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # No pre-ping: on a LAN it would add a round trip to every action. A pooled connection that
        # died with the server fails its first statement instead, and `transact` runs the action
        # again on a fresh one (nothing was committed).
        return create_engine(
            url,
            connect_args={
                "connect_timeout": 5,
                "application_name": os.environ.get("ANTRE_APP", "antre"),
                # A client that stalls inside a transaction (frozen PC, dropped link) holds row locks
                # and the followers' horizon; the server ends such a session instead of waiting forever.
                "options": "-c idle_in_transaction_session_timeout=30000 -c lock_timeout=15000",
            },
        )
    raise DatabaseUnavailable(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")


def _safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1] if "@" in url else url


def _create_private_file(file: Path) -> None:
    # The database holds PIN hashes and the venue secret: owner-only from the first byte. SQLite
    # gives its -wal and -shm files the mode of the database file, and the lock file follows it too.
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(file, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError as exc:
        raise DatabaseUnavailable(f"cannot create the database {file}: {exc.strerror}") from None


def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config(stdout=sys.stdout)  # its default is the sys.stdout of import time
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([\w.-]+|None)['\"]?", re.M)


def schema_head() -> str:
    """The newest migration this Antre ships, read from the files without importing Alembic.

    Alembic's own import costs half a second of CPU; forty PCs starting at eight o'clock pay that
    forty times over. tests/test_schema.py checks this agrees with Alembic's head.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for file in (MIGRATIONS / "versions").glob("*.py"):
        for key, value in _REVISION.findall(file.read_text(encoding="utf-8")):
            (revisions if key == "revision" else parents).add(value)
    heads = revisions - parents
    if len(heads) != 1:
        raise DatabaseUnavailable(f"this Antre's migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def _ensure_schema(engine: Engine) -> None:
    from alembic import command
    from alembic.util.exc import CommandError

    from db.models import Base

    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE serialises concurrent first starts
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7412)"))
        tables = set(inspect(conn).get_table_names())
        cfg = _alembic_config(conn)
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseUnavailable("the database holds other tables but no Antre schema; refusing to touch "
                                          "it (use an empty database for Antre)")
            Base.metadata.create_all(conn)
            command.stamp(cfg, "head")
        else:
            try:
                command.upgrade(cfg, "head")
            except CommandError as exc:  # e.g. a database migrated by a newer Antre
                raise DatabaseUnavailable(f"cannot upgrade the database: {exc} (is this Antre older than "
                                          "the one that last used it?)") from None
    if engine.dialect.name == "sqlite":
        # WAL lets readers (TVs, status) read while one writer writes. The mode is stored in the
        # file, so it is set once here, after the schema is in place; opening never writes to it.
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()


def _check_schema(engine: Engine) -> None:
    """Refuse a database that is not Antre's or not at this Antre's schema, with the command to run."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        if conn.dialect.name == "sqlite":
            _check_sqlite_health(conn)
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables or "tickets" not in tables:
            what = "is empty" if not tables else "is not an Antre database"
            raise DatabaseUnavailable(f"the database {what}: create it with `antre init --config VENUE.toml` "
                                      "(an empty database only)")
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        conn.rollback()
    head = schema_head()
    if version != head:
        raise DatabaseUnavailable(f"the database schema is at {version!r}, this Antre needs {head!r}: run "
                                  "`antre db upgrade` once (if the database is newer, upgrade Antre instead)")


def _check_sqlite_health(conn: Any) -> None:
    # quick_check reads every page but skips index-content checks: a year of tickets takes well under a
    # second, once per process start. A file with one damaged page can still accept writes and lose
    # them later; refusing it at once, with what to do, is the only safe answer.
    try:
        problems = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check(3)")]
    except DatabaseError as exc:
        raise DatabaseUnavailable(f"the database file is damaged or not SQLite: {_reason(exc)}; restore it from "
                                  "a backup (antre backup) or start a new one with `antre init`") from None
    if problems != ["ok"]:
        raise DatabaseUnavailable(f"the database file is damaged ({'; '.join(problems)[:200]}); restore it from a "
                                  "backup (antre backup) or start a new one with `antre init`")


def open_database(url: str | None = None, *, create: bool = False) -> sessionmaker[Session]:
    """A ready sessionmaker for the URL.

    Opening only reads: it checks the database is Antre's and at this Antre's schema, and never
    takes a write lock, so a building of PCs can start at once. `create=True` (antre init, antre db
    upgrade, tests, benchmarks on their own files) creates a missing database and migrates it.
    """
    engine = create_db_engine(url if url is not None else default_url(), create=create)
    try:
        if create:
            _ensure_schema(engine)
        else:
            _check_schema(engine)
    except (DatabaseError, UnicodeDecodeError) as exc:  # unreachable server, unreadable or foreign file
        engine.dispose()
        reason = _reason(exc) if isinstance(exc, DatabaseError) else "the file is not a SQLite database"
        raise DatabaseUnavailable(f"cannot open database {engine.url.render_as_string()}: {reason}") from None
    except DatabaseUnavailable:
        engine.dispose()
        raise
    return sessionmaker(bind=engine, expire_on_commit=False)


def read_only(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for reading only: on SQLite they do not take the write lock."""
    engine = sessions.kw["bind"]
    return sessionmaker(bind=engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


@contextmanager
def unit_of_work(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction for one user action: commit on success, roll back on any error."""
    try:
        with sessions.begin() as session:
            yield session
    except IntegrityError:
        raise  # a broken rule is a bug to see, not an outage
    except DatabaseError as exc:
        raise _translate(exc) from exc


def transact(sessions: sessionmaker[Session], op: Callable[[Session], T],
             *, check: Callable[[Session], object] | None = None) -> T:
    """Run `op(session)` as one unit of work; retried once if the server went away before the commit.

    A connection lost while the action ran (server restarted, LAN blip) committed nothing, so running
    it again is safe. A connection lost during COMMIT may or may not have committed: that is reported,
    never retried, so no action is ever done twice.

    `check(session)` runs first in a reading transaction and may raise to end the action there: an
    officer pressing "call" on an empty queue then never queues for SQLite's writer lock. PostgreSQL
    takes no lock to begin a write, and the action refuses by itself, so there it is not run: one
    transaction, not two, on the LAN.
    """
    if check is not None and sessions.kw["bind"].dialect.name == "sqlite":
        with unit_of_work(read_only(sessions)) as session:
            check(session)
    for attempt in (1, 2, 3):
        committing = False
        try:
            with sessions() as session:
                with session.begin():
                    result = op(session)
                    committing = True
                return result
        except Contended:
            if attempt == 3:
                raise  # a race lost three times running: say so (it is a kind of "empty")
        except IntegrityError:
            raise
        except DBAPIError as exc:
            if exc.connection_invalidated and not committing and attempt == 1:
                continue
            raise _translate(exc, committing=committing) from exc
    raise AssertionError("unreachable")


def _translate(exc: DatabaseError, *, committing: bool = False) -> Exception:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate == "42501":  # insufficient_privilege: this PC's role may not do that
        return Refused(f"this PC's database role may not do that ({_reason(exc)})", reason="role")
    if committing:
        return DatabaseUnavailable(f"the connection was lost while saving; check whether the action took effect "
                                   f"before repeating it ({_reason(exc)})")
    return DatabaseUnavailable(f"database error: {_reason(exc)}")


def _reason(exc: DatabaseError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
