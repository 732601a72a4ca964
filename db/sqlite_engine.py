"""SQLite engines for many processes on one file: BEGIN IMMEDIATE, writers queued on an OS file lock,
and a connection that notices when its file moved or vanished instead of making a new empty one."""

from __future__ import annotations

import os
import threading
import time
import weakref
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

from db.errors import DatabaseUnavailable

try:
    import fcntl
except ImportError:  # Windows: SQLite's busy timeout alone queues the writers
    fcntl = None  # type: ignore[assignment]

READ_ONLY = "antre_read_only"


def setup(engine: Engine, file: Path | None) -> None:
    """Configure an engine on a SQLite file (or in memory, with `file` None) for concurrent writers."""
    _sqlite_setup(engine, Path(f"{file}.writer-lock") if file is not None and fcntl else None)
    if file is not None:
        _watch_file(engine, file)
        _never_recreate(engine, file)
        _checkpoint_aside(engine, file)


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


# SQLite checkpoints the WAL inside the commit that takes it past 1 000 pages: about one issue in 75
# then pays for copying the pages and an fsync (5 ms here, against 0.3 ms for the others). Writing
# processes checkpoint on a thread of their own instead, PASSIVE (it never waits for nor blocks a
# writer); the commit's own checkpoint stays as a safety net at ten times the size.
SAFETY_NET_PAGES = 10_000
CHECKPOINT_EVERY_S = 1.0


def _checkpoint_aside(engine: Engine, path: Path) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA wal_autocheckpoint = {SAFETY_NET_PAGES}")

    started = False

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        nonlocal started
        if not started and not conn.get_execution_options().get(READ_ONLY):
            started = True  # the first write: only a process that writes copies its pages back
            threading.Thread(target=_checkpointer, args=(weakref.ref(engine), path), name="antre-checkpoint",
                             daemon=True).start()


def _checkpointer(engine: weakref.ref[Engine], path: Path) -> None:
    """Checkpoint whenever the WAL changed, until the engine is gone; never creates the file."""
    import sqlite3

    wal, seen, conn = Path(f"{path}-wal"), None, None
    try:
        while engine() is not None:
            time.sleep(CHECKPOINT_EVERY_S)
            try:
                st = wal.stat()
                look = (st.st_size, st.st_mtime_ns)
                if look == seen:
                    continue
                if conn is None:
                    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, isolation_level=None,
                                           check_same_thread=False)
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                seen = look
            except (OSError, sqlite3.Error):
                if conn is not None:
                    conn.close()
                conn, seen = None, None  # moved, locked or gone: try again later
    finally:
        if conn is not None:
            conn.close()


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


