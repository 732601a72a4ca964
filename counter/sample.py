"""A sample venue and a morning of tickets, for the screenshot tool and the benchmark (not for tests' rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from db import open_database, unit_of_work
from db.config import load_config
from db.operators import set_pin
from db.queue import call_next, finish, issue_ticket, no_show, start_serving

VENUE = """
[venue]
name = "MPP Kota Contoh"
address = "Jl. Merdeka 1"
timezone = "Asia/Jakarta"
priority_ratio = [1, 2]

[counter]
recall_suggest_noshow = 3

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

[[agencies]]
code = "IMIGRASI"
name = "Kantor Imigrasi"
name_en = "Immigration Office"
color = "#00695C"

[[services]]
agency = "DUKCAPIL"
code = "A"
name = "Perekaman KTP-el"
name_en = "ID card recording"
expected_service_minutes = 8

[[services]]
agency = "DUKCAPIL"
code = "B"
name = "Kartu Keluarga"
name_en = "Family card"

[[services]]
agency = "DUKCAPIL"
code = "C"
name = "Akta Kelahiran"
name_en = "Birth certificate"

[[services]]
agency = "POLRES"
code = "S"
name = "Perpanjangan SIM"
name_en = "Driving licence renewal"
allow_priority = false

[[services]]
agency = "IMIGRASI"
code = "P"
name = "Paspor Baru"
name_en = "New passport"

[[counters]]
code = "L1"
name = "Loket 1"
agency = "DUKCAPIL"
services = ["A", "B", "C"]
zone = "Lantai 1"

[[counters]]
code = "L2"
name = "Loket 2"
agency = "DUKCAPIL"
services = ["A", "B"]
zone = "Lantai 1"

[[counters]]
code = "L3"
name = "Loket 3"
agency = "POLRES"
services = ["S"]
zone = "Lantai 2"

[[counters]]
code = "L4"
name = "Loket 4"
agency = "IMIGRASI"
services = ["P"]
zone = "Lantai 2"

[[operators]]
username = "siti"
name = "Siti Rahmawati"
agency = "DUKCAPIL"
pin = "1234"

[[operators]]
username = "rina"
name = "Rina Kusuma"
agency = "DUKCAPIL"
pin = "5678"

[[operators]]
username = "dewi"
name = "Dewi Lestari"
agency = "DUKCAPIL"
pin = "4826"

[[operators]]
username = "andi"
name = "Andi Pratama"
agency = "IMIGRASI"
pin = "7319"
"""

# PINs the seeded accounts already chose (no change asked); dewi keeps her first PIN and must change it.
PINS = {"siti": "2580", "rina": "3691", "andi": "7319"}
FIRST_PINS = {"dewi": "4826"}


def create(folder: Path) -> str:
    """A fresh SQLite database in `folder` with the sample venue; returns its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    venue = folder / "venue.toml"
    venue.write_text(VENUE, encoding="utf-8")
    url = f"sqlite:///{folder / 'antre.sqlite3'}"
    sessions = open_database(url, create=True)
    with unit_of_work(sessions) as s:
        load_config(s, venue)
        for user, pin in PINS.items():
            set_pin(s, user, pin)
    sessions.kw["bind"].dispose()
    return url


def morning(url: str, *, served: int = 9, waiting: int = 14) -> None:
    """Served and no-show history at L1 earlier today, then tickets waiting (some priority)."""
    sessions = open_database(url)
    now = datetime.now(UTC)
    local = now.astimezone(ZoneInfo("Asia/Jakarta"))
    since_midnight = (local - local.replace(hour=0, minute=0, second=0, microsecond=0)).total_seconds()
    span = min(150 * 60.0, max(since_midnight - 60, 60.0))  # stay inside today's business day
    step = span / (served * 2 + waiting + 2)
    at = now - timedelta(seconds=span)
    with unit_of_work(sessions) as s:
        for i in range(served):
            issue_ticket(s, "AB"[i % 2], now=at)
            at += timedelta(seconds=step)
            call_next(s, "L1", now=at)
            if i % 4 == 3:
                no_show(s, "L1", now=at + timedelta(seconds=step * 0.5))
            else:
                start_serving(s, "L1", now=at + timedelta(seconds=20))
                finish(s, "L1", now=at + timedelta(seconds=step * (0.9 + (i % 3) * 0.3)))
            at += timedelta(seconds=step)
        for i in range(waiting):
            priority = i in (3, 9)
            issue_ticket(s, "ABCA"[i % 4], priority=priority, priority_category="lansia" if priority else None,
                         now=at)
            at += timedelta(seconds=step)
    sessions.kw["bind"].dispose()
