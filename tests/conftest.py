"""Shared fixtures: a real SQLite database per test, loaded with a small venue."""

from __future__ import annotations

import os
import tempfile

# pytest-qt has no option for this; without it Qt aborts on a machine with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.join(tempfile.gettempdir(), "antre-escpos-cache"))
os.makedirs(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"], exist_ok=True)

from collections.abc import Iterator  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from db import open_database, unit_of_work  # noqa: E402
from db.config import load_config  # noqa: E402

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


@pytest.fixture
def db_url(tmp_path: Path, venue_file: Path) -> str:
    """A fresh SQLite file with the small venue loaded."""
    url = f"sqlite:///{tmp_path / 'antre.sqlite3'}"
    with unit_of_work(open_database(url)) as session:
        load_config(session, venue_file)
    return url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    maker = open_database(db_url)
    yield maker
    maker.kw["bind"].dispose()


@pytest.fixture
def now() -> datetime:
    return MONDAY_9AM
