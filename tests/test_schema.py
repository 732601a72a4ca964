"""Models and migrations never drift; only init/upgrade create or migrate; opening only reads and refuses what is not ready."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from db import DatabaseUnavailable, open_database
from db.database import _alembic_config, create_db_engine, schema_head

ROOT = Path(__file__).resolve().parent.parent


def _head() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def test_the_cheap_head_reader_agrees_with_alembic():
    assert schema_head() == _head()


def test_alembic_check_finds_no_drift_after_upgrading_an_empty_database(new_db_url):
    engine = create_db_engine(new_db_url(schema=False), create=True)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    with engine.begin() as conn:
        command.check(_alembic_config(conn))  # raises when models and migrations differ
    engine.dispose()


def test_new_database_is_created_only_on_request_and_stamped_at_head(new_db_url):
    url = new_db_url(schema=False)
    with pytest.raises(DatabaseUnavailable, match="antre init"):
        open_database(url)
    sessions = open_database(url, create=True)
    with sessions() as s:
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head()
    sessions.kw["bind"].dispose()
    open_database(url).kw["bind"].dispose()  # now an ordinary open works


def test_an_old_database_is_refused_until_upgraded(tmp_path):
    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    engine = create_db_engine(url, create=True)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
    engine.dispose()
    with pytest.raises(DatabaseUnavailable, match="antre db upgrade"):
        open_database(url)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",), "opening changed nothing"
    open_database(url, create=True).kw["bind"].dispose()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (_head(),)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_mistyped_path_creates_nothing(tmp_path):
    missing = tmp_path / "no" / "such" / "antre.sqlite3"
    with pytest.raises(DatabaseUnavailable, match="no database at"):
        open_database(str(missing))
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("url", ["", "   "])
def test_an_empty_url_is_an_error_not_the_default_database(url):
    with pytest.raises(DatabaseUnavailable, match="empty"):
        open_database(url)


def test_a_non_numeric_port_is_a_clear_error():
    with pytest.raises(DatabaseUnavailable, match="not a database URL"):
        open_database("postgresql://antre:secret@db-server:54x2/antre")


def test_another_programs_sqlite_file_is_left_alone(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE contacts (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(DatabaseUnavailable, match="not an Antre database"):
        open_database(str(path))
    with pytest.raises(DatabaseUnavailable, match="other tables"):
        open_database(str(path), create=True)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as raw:
        assert [r[0] for r in raw.execute("SELECT name FROM sqlite_master")] == ["contacts"]


def test_a_file_that_is_not_sqlite_is_refused_clearly(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(bytes(range(256)) * 64)  # not UTF-8, not SQLite
    with pytest.raises(DatabaseUnavailable, match="damaged or not SQLite|not a SQLite database|not a database"):
        open_database(str(path))


def test_a_database_with_a_damaged_page_is_refused_at_open(sqlite_url):
    from db import unit_of_work
    from db.queue import issue_ticket

    from tests.conftest import MONDAY_9AM

    sessions = open_database(sqlite_url)
    for _ in range(300):
        with unit_of_work(sessions) as s:
            issue_ticket(s, "A", now=MONDAY_9AM)
    sessions.kw["bind"].dispose()
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
        root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tickets'").fetchone()[0]
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    data[offset + 8: offset + page_size] = b"\xde\xad\xbe\xef" * ((page_size - 8) // 4)  # a torn/overwritten page
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnavailable, match="damaged"):
        open_database(sqlite_url)


def test_a_new_sqlite_database_and_its_side_files_are_owner_only(tmp_path):
    from db import unit_of_work

    old = os.umask(0o022)
    try:
        url = f"sqlite:///{tmp_path / 'private.sqlite3'}"
        sessions = open_database(url, create=True)
        with unit_of_work(sessions) as s:
            s.execute(text("UPDATE alembic_version SET version_num = version_num"))
        for suffix in ("", "-wal", "-shm", ".writer-lock"):
            file = Path(f"{tmp_path / 'private.sqlite3'}{suffix}")
            assert file.exists(), suffix
            assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0, f"{file.name} is readable by others"
        sessions.kw["bind"].dispose()
    finally:
        os.umask(old)


def test_opening_takes_no_write_lock(sqlite_url):
    """A PC starting while another holds the writer lock opens at once (reads only)."""
    path = sqlite_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        sessions = open_database(sqlite_url)  # would wait 30 s (busy timeout) if it took the lock
        sessions.kw["bind"].dispose()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_layering_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_status_never_loads_qt(db_url):
    code = (
        "import sys; from antre.cli import main; rc = main(['status', '--db', %r]);"
        "assert 'PySide6' not in sys.modules, 'Qt loaded'; raise SystemExit(rc)" % db_url
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_calling_on_an_empty_queue_takes_no_write_lock(sqlite_url):
    """An idle counter pressing "call" reads and answers at once, even while a kiosk holds the writer lock."""
    import time

    from db import QueueEmpty, transact
    from db.queue import call_next, require_waiting

    sessions = open_database(sqlite_url)
    path = sqlite_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(QueueEmpty):
            transact(sessions, lambda s: call_next(s, "L1"), check=lambda s: require_waiting(s, "L1"))
        assert time.monotonic() - started < 5, "the empty call waited for the writer"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        sessions.kw["bind"].dispose()
