"""Models and migrations never drift; a new database is stamped at head, an old one upgraded."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from db import open_database
from db.database import _alembic_config, create_db_engine

ROOT = Path(__file__).resolve().parent.parent


def _head() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def test_alembic_check_finds_no_drift_after_upgrading_an_empty_database(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    with engine.begin() as conn:
        command.check(_alembic_config(conn))  # raises when models and migrations differ


def test_new_database_is_stamped_at_head(tmp_path):
    sessions = open_database(f"sqlite:///{tmp_path / 'n.sqlite3'}")
    with sessions() as s:
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head()


def test_old_database_is_upgraded_on_open(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
        command.downgrade(_alembic_config(conn), "base")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM alembic_version").fetchone() == (0,)
    open_database(f"sqlite:///{path}")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (_head(),)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


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
