"""Opening a database: URL resolution, engine setup for SQLite and PostgreSQL, schema at head."""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, DisconnectionError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db.errors import Contended, DatabaseUnavailable, Refused

try:
    import fcntl
except ImportError:  # Windows: SQLite's busy timeout alone queues the writers
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
MIGRATIONS = Path(__file__).with_name("migrations")
READ_ONLY = "antre_read_only"


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


def _sqlite_setup(engine: Engine, lock_path: Path | None) -> None:
    # pysqlite's own transaction handling issues BEGIN lazily and DEFERRED; a deferred
    # transaction that reads the last number and then writes gives duplicates across
    # processes. We turn it off and begin every write transaction with BEGIN IMMEDIATE.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
            return
        if lock_path is not None:
            writer_lock(conn.info, lock_path)
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn: Any, record: Any) -> None:
        writer_unlock(record.info)

    @event.listens_for(engine, "close")
    def _close(dbapi_conn: Any, record: Any) -> None:
        handle = record.info.pop("writer_lock", None)
        if handle is not None:
            os.close(handle)  # closing the file also drops its lock

    event.listen(engine, "invalidate", lambda dbapi_conn, record, exc: _close(dbapi_conn, record))


def writer_lock(info: dict[str, Any], lock_path: Path, timeout: float = 30.0) -> None:
    """Queue writers on an OS file lock before BEGIN IMMEDIATE.

    SQLite's own busy handler sleeps with growing back-off (up to 100 ms a try), and any polling
    waiter loses to a process that releases and re-takes the lock a moment later: under
    contention a writer could wait hundreds of milliseconds. A blocking flock is woken by the
    kernel as soon as the lock is free; the kernel also drops the lock if its process dies.
    """
    handle = info.get("writer_lock")
    if handle is None:
        try:
            # Read-only is enough for flock, so a lock file made by another user still works.
            fd = os.open(lock_path, os.O_RDONLY | os.O_CREAT, _mode_of(lock_path.with_suffix("")))
        except OSError as exc:
            raise DatabaseUnavailable(f"cannot open the lock file {lock_path}: {exc.strerror}") from None
        # A bare descriptor, not a file object: an engine dropped without dispose() (a test, a
        # crashed view) must not leave a file object to warn about at garbage collection.
        handle = info["writer_lock"] = fd
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    if not _BlockingTake(handle).wait(timeout):
        # The waiting thread now owns the old handle; the next attempt opens a fresh one.
        info["writer_lock"] = None
        raise DatabaseUnavailable(f"the database stayed busy for {timeout:.0f} s")


def _mode_of(db_file: Path) -> int:
    """The lock file gets the database file's permissions: whoever may write the database may queue."""
    try:
        return db_file.stat().st_mode & 0o666
    except OSError:
        return 0o600


class _BlockingTake:
    """A blocking flock on a helper thread, so a stuck lock holder becomes a timeout, not a hang."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.mutex = threading.Lock()
        self.taken = threading.Event()
        self.abandoned = False
        threading.Thread(target=self._take, name="antre-writer-lock", daemon=True).start()

    def _take(self) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        with self.mutex:
            if not self.abandoned:
                self.taken.set()
                return
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        os.close(self.handle)

    def wait(self, timeout: float) -> bool:
        if self.taken.wait(timeout):
            return True
        with self.mutex:
            self.abandoned = not self.taken.is_set()
            return not self.abandoned


def writer_unlock(info: dict[str, Any]) -> None:
    """Release the writer lock taken by writer_lock (no-op when not held)."""
    handle = info.get("writer_lock")
    if handle is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def _watch_file(engine: Engine, path: Path) -> None:
    # A pooled SQLite connection keeps working on a file that was moved or deleted (network share
    # dropped, disk unplugged) while every other process already sees it gone. Checking the inode on
    # checkout (a stat, microseconds) makes such a connection reconnect, and fail clearly if the file
    # is really unreachable. Pooling itself matters: closing the last connection checkpoints and
    # removes the WAL, which would cost milliseconds per transaction.
    @event.listens_for(engine, "connect")
    def _remember(dbapi_conn: Any, record: Any) -> None:
        record.info["inode"] = _inode(path)

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        if _inode(path) != record.info.get("inode"):
            raise DisconnectionError(f"{path} moved or vanished")


def _never_recreate(engine: Engine, path: Path) -> None:
    # SQLite creates a missing file on connect. Once this engine has seen the database, a file
    # that vanished (share dropped, disk gone) must be an outage, not a new empty database.
    seen = path.exists()

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        nonlocal seen
        if seen or path.exists():
            seen = True
            cargs[:] = [f"file:{quote(str(path))}?mode=rw"]
            cparams["uri"] = True


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


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
            _sqlite_setup(engine, None)
            return engine
        file = Path(path).expanduser().absolute()
        if create:
            _create_private_file(file)
        elif not file.exists():
            raise DatabaseUnavailable(f"no database at {file}: create it with `antre init --config VENUE.toml` "
                                      "(or `antre db upgrade`), or check --db / ANTRE_DB")
        engine = create_engine(f"sqlite:///{file}", connect_args={"timeout": 30})
        _sqlite_setup(engine, Path(f"{file}.writer-lock") if fcntl else None)
        _watch_file(engine, file)
        _never_recreate(engine, file)
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
    officer pressing "call" on an empty queue then never queues for SQLite's writer lock.
    """
    if check is not None:
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
