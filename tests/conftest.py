"""Shared fixtures: a real database per test (SQLite and PostgreSQL), loaded with a small venue."""

from __future__ import annotations

import os
import tempfile

# pytest-qt has no option for this; without it Qt aborts on a machine with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.join(tempfile.gettempdir(), "antre-escpos-cache"))
os.makedirs(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"], exist_ok=True)

import itertools  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import psycopg  # noqa: E402
import pytest  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from db import open_database, unit_of_work  # noqa: E402
from db.database import normalize_url  # noqa: E402
from db.config import load_config  # noqa: E402

# The web tests' fixtures (the app in-process, `antre web` as a process), for any test that names them.
pytest_plugins = ["tests.web_fixtures"]

SMALL_VENUE = """
[venue]
name = "MPP Uji Coba"
address = "Jl. Merdeka 1"
timezone = "Asia/Jakarta"
priority_ratio = [1, 2]
ticker = "Selamat datang di MPP Uji Coba"
ticket_footer = "Terima kasih"

[[agencies]]
code = "DUKCAPIL"
name = "Dinas Kependudukan dan Pencatatan Sipil"
name_en = "Civil Registry"
color = "#1565C0"

[[agencies]]
code = "POLRES"
name = "Kepolisian Resor"
name_en = "Police"
color = "#5D4037"

[[services]]
agency = "DUKCAPIL"
code = "A"
name = "Perekaman KTP-el"
name_en = "ID card recording"
requirements = ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW"]
requirements_en = ["Copy of family card", "Cover letter from RT/RW"]
completion_minutes = 15
expected_service_minutes = 10

[[services]]
agency = "DUKCAPIL"
code = "B"
name = "Kartu Keluarga"
name_en = "Family card"
requirements = ["KK lama"]
daily_quota = 3

[[services]]
agency = "POLRES"
code = "S"
name = "Perpanjangan SIM"
name_en = "Driving licence renewal"
fee = 80000
allow_priority = false
hours = { mon = [["08:00", "12:00"]], tue = [["08:00", "12:00"]], wed = [["08:00", "12:00"]], thu = [["08:00", "12:00"]], fri = [["08:00", "11:00"]] }

[[counters]]
code = "L1"
name = "Loket 1"
agency = "DUKCAPIL"
services = ["A", "B"]
zone = "Lantai 1"

[[counters]]
code = "L2"
name = "Loket 2"
agency = "DUKCAPIL"
services = ["A"]
zone = "Lantai 1"

[[counters]]
code = "L3"
name = "Loket 3"
agency = "POLRES"
services = ["S"]
zone = "Lantai 2"

[[operators]]
username = "siti"
name = "Siti Rahmawati"
agency = "DUKCAPIL"
pin = "1234"

[[operators]]
username = "budi"
name = "Budi Santoso"
agency = "POLRES"
pin = "4321"

[[operators]]
username = "admin"
name = "Admin MPP"
role = "admin"
pin = "2468"
"""

# A Monday 09:00 in Jakarta: inside every opening hour of the small venue.
MONDAY_9AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def venue_file(tmp_path: Path) -> Path:
    path = tmp_path / "venue.toml"
    path.write_text(SMALL_VENUE, encoding="utf-8")
    return path


# --- Both databases --------------------------------------------------------------------------
# Every test that takes `db_url`, `sessions` or `new_db_url` runs twice: on a SQLite file and on a
# real PostgreSQL server. The server is a throwaway cluster this test run starts itself (initdb +
# pg_ctl on a loopback port), or the one ANTRE_TEST_PG_URL names (an admin URL; a database is
# created per test). Where no server can start, the PostgreSQL runs are skipped with the reason.

_pg_counter = itertools.count()


@dataclass
class PgServer:
    admin_url: str
    template: str | None = None

    def url(self, dbname: str) -> str:
        return make_url(self.admin_url).set(database=dbname).render_as_string(hide_password=False)

    def execute(self, sql: str) -> None:
        with psycopg.connect(self.admin_url.replace("postgresql+psycopg://", "postgresql://"),
                             autocommit=True) as conn:
            conn.execute(sql)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if url := os.environ.get("ANTRE_TEST_PG_URL"):
        yield PgServer(normalize_url(url))
        return
    from antre import pgtemp

    try:
        cluster = pgtemp.start()
    except pgtemp.NoPostgres as exc:
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")
    try:
        yield PgServer(cluster.url("postgres"))
    finally:
        cluster.stop()


def _schema_template(server: PgServer) -> str:
    # Creating the schema costs ~0.3 s; copying a template database costs a tenth of that.
    if server.template is None:
        name = f"antre_tpl_{os.getpid()}"
        server.execute(f"CREATE DATABASE {name}")
        open_database(server.url(name), create=True).kw["bind"].dispose()
        server.template = name
    return server.template


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Which database this run of the test uses."""
    return request.param


@pytest.fixture
def new_db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[..., str]:
    """A factory of URLs of fresh databases on this run's backend: empty, or with the schema at head."""
    made: list[str] = []

    def make(*, schema: bool = True) -> str:
        n = next(_pg_counter)
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / f'antre-{n}.sqlite3'}"
            if schema:
                open_database(url, create=True).kw["bind"].dispose()
            return url
        server: PgServer = request.getfixturevalue("pg_server")
        name = f"antre_{os.getpid()}_{n}"
        template = f" TEMPLATE {_schema_template(server)}" if schema else ""
        server.execute(f"CREATE DATABASE {name}{template}")
        made.append(name)
        return server.url(name)

    yield make
    if made:
        server = request.getfixturevalue("pg_server")
        for name in made:
            server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_url(new_db_url: Callable[..., str], venue_file: Path) -> str:
    """A fresh database (SQLite file or PostgreSQL database) with the small venue loaded."""
    url = new_db_url()
    maker = open_database(url)
    with unit_of_work(maker) as session:
        load_config(session, venue_file)
    maker.kw["bind"].dispose()
    return url


@pytest.fixture
def pg_db_url(pg_server: PgServer, venue_file: Path) -> Iterator[str]:
    """A PostgreSQL database with the small venue, for what only a server has (wire, LISTEN, MVCC)."""
    name = f"antre_{os.getpid()}_{next(_pg_counter)}"
    pg_server.execute(f"CREATE DATABASE {name} TEMPLATE {_schema_template(pg_server)}")
    url = pg_server.url(name)
    maker = open_database(url)
    with unit_of_work(maker) as session:
        load_config(session, venue_file)
    maker.kw["bind"].dispose()
    yield url
    pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_url(tmp_path: Path, venue_file: Path) -> str:
    """A SQLite file with the small venue, for tests of what only a file has (moved, damaged, locked)."""
    url = f"sqlite:///{tmp_path / 'antre.sqlite3'}"
    maker = open_database(url, create=True)
    with unit_of_work(maker) as session:
        load_config(session, venue_file)
    maker.kw["bind"].dispose()
    return url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    maker = open_database(db_url)
    yield maker
    maker.kw["bind"].dispose()


@pytest.fixture
def now() -> datetime:
    return MONDAY_9AM
