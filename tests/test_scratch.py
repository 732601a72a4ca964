"""Destructive commands touch only databases they made; `antre init` is honest about PINs in the file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from antre.scratch import NotScratch, claim
from db import open_database, unit_of_work
from db.models import Operator, Service, Ticket, Venue
from db.operators import sign_in

ROOT = Path(__file__).resolve().parent.parent


def antre(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "antre", *args], check=False, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def snapshot(url: str) -> tuple[str, int, int]:
    sessions = open_database(url)
    try:
        with unit_of_work(sessions) as s:
            return (s.scalar(select(Venue.name)) or "", s.scalar(select(func.count()).where(Service.active)) or 0,
                    s.scalar(select(func.count(Ticket.id))) or 0)
    finally:
        sessions.kw["bind"].dispose()


def test_bench_refuses_a_real_venue(db_url: str) -> None:
    before = snapshot(db_url)
    done = antre("bench", "--db", db_url, "--n", "20", "--history", "10", "--processes", "2")
    assert done.returncode == 1 and "holds other data" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert snapshot(db_url) == before  # not renamed, nothing deactivated, no ticket added


def test_bench_refuses_a_foreign_sqlite_file(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    other.write_bytes(b"not a database at all, but someone's file")
    with pytest.raises(NotScratch):
        claim(str(other), "bench")
    assert other.read_bytes().startswith(b"not a database")


def test_bench_runs_on_a_database_it_creates_and_again_on_it(tmp_path: Path) -> None:
    own = tmp_path / "bench.sqlite3"
    args = ["bench", "--db", str(own), "--n", "20", "--history", "10", "--processes", "2", "--json"]
    first = antre(*args)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["one_process"]["issue_ticket"]["n"] == 20 and report["one_process"]["issue_ticket"]["p50_ms"] > 0
    assert antre(*args).returncode == 0  # its own database: allowed again
    with pytest.raises(NotScratch):
        claim(str(own), "demo")  # but not for another purpose


def test_the_demo_leaves_a_database_it_did_not_make_alone(tmp_path: Path, db_url: str) -> None:
    from antre.demo import prepare

    if not db_url.startswith("sqlite"):
        pytest.skip("the demo's database is always a SQLite file")
    folder = tmp_path / "out"
    folder.mkdir()
    shutil.copy(db_url.removeprefix("sqlite:///"), folder / "demo.sqlite3")
    with pytest.raises(NotScratch):
        prepare(folder, ROOT / "assets" / "demo-venue.toml", 2)
    assert snapshot(f"sqlite:///{folder / 'demo.sqlite3'}")[0] == "MPP Uji Coba"
    fresh = tmp_path / "fresh"
    url, staff = prepare(fresh, ROOT / "assets" / "demo-venue.toml", 2)
    assert len(staff) == 2 and snapshot(url)[0].startswith("Mal Pelayanan Publik")
    url, _ = prepare(fresh, ROOT / "assets" / "demo-venue.toml", 2)  # its own: made afresh
    assert snapshot(url)[2] == 0


def test_init_warns_about_initial_pins(tmp_path: Path, venue_file: Path) -> None:
    done = antre("init", "--config", str(venue_file), "--db", str(tmp_path / "a.sqlite3"))
    assert done.returncode == 0, done.stderr
    assert "warning: venue.toml holds initial PINs for 3 operators (siti, budi, admin)" in done.stderr
    assert done.stderr.rstrip().endswith("Easy to guess: siti, budi")  # 1234 and 4321; 2468 is not a run


def test_the_demo_venue_pins_work_only_in_the_demo(tmp_path: Path) -> None:
    db = tmp_path / "real.sqlite3"
    done = antre("init", "--config", str(ROOT / "assets" / "demo-venue.toml"), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "is a demo venue (demo = true): its 30 public PINs work only in `antre demo`" in done.stderr
    sessions = open_database(f"sqlite:///{db}")
    try:
        with unit_of_work(sessions) as s:
            assert s.scalar(select(func.count()).where(Operator.pin_hash.is_not(None))) == 0
        with unit_of_work(sessions) as s:
            assert sign_in(s, "L01", "admin", "2468").reason == "no_pin"
    finally:
        sessions.kw["bind"].dispose()


@pytest.mark.parametrize("module", ["kiosk/bench.py", "counter/bench.py", "display/bench.py"])
def test_app_benchmarks_make_their_own_database(module: str) -> None:
    """The apps' benchmarks seed a temporary database and take no --db and no ANTRE_DB."""
    source = (ROOT / module).read_text(encoding="utf-8")
    assert "TemporaryDirectory" in source
    assert not any(word in source for word in ("default_url", "ANTRE_DB", '"--db"', "args.db")), module


@pytest.mark.parametrize("argv", [["kiosk.bench", "--n", "0"], ["display.bench", "--calls", "0"],
                                  ["counter.bench", "0"], ["counter.bench", "abc"]])
def test_app_benchmarks_refuse_an_empty_run_in_one_line(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", *argv], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "at least 1" in done.stderr
