"""The full demo venue and a morning of tickets, for the screenshot tool and the benchmark (not for tests' rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from db import open_database, unit_of_work
from db.config import apply_config, parse_config
from db.operators import set_pin
from db.queue import call_next, finish, issue_ticket, no_show, start_serving

DEMO_VENUE = Path(__file__).resolve().parent.parent / "assets" / "demo-venue.toml"

# The full demo venue (18 agencies, 65 services, 26 counters). Counter L01 (Dukcapil: services A
# and B) is the one the screenshots follow; L15 (Imigrasi, passports) has nobody waiting.
COUNTER, EMPTY_COUNTER = "L01", "L15"
# PINs the seeded accounts already chose (no change asked); rina keeps her first PIN and must change it.
PINS = {"siti.r": "2580", "budi.santoso": "3691", "fajar.nugroho": "7319", "dewi.lestari": "4826"}
FIRST_PINS = {"rina.marlina": "1234"}
SERVED_SERVICES, WAITING_SERVICES = "AB", "ABAB"


def create(folder: Path) -> str:
    """A fresh SQLite database in `folder` with the demo venue, open at any hour; returns its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'antre.sqlite3'}"
    sessions = open_database(url, create=True)
    cfg = parse_config(DEMO_VENUE)
    # As `antre demo` does: screenshots are made at any hour, so the venue is open around the clock.
    services = [x.model_copy(update={"hours": None}) for x in cfg.services]
    cfg = cfg.model_copy(update={"venue": cfg.venue.model_copy(update={"hours": None}), "services": services})
    with unit_of_work(sessions) as s:
        apply_config(s, cfg, base=DEMO_VENUE.parent)
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
            issue_ticket(s, SERVED_SERVICES[i % 2], now=at)
            at += timedelta(seconds=step)
            call_next(s, COUNTER, now=at)
            if i % 4 == 3:
                no_show(s, COUNTER, now=at + timedelta(seconds=step * 0.5))
            else:
                start_serving(s, COUNTER, now=at + timedelta(seconds=20))
                finish(s, COUNTER, now=at + timedelta(seconds=step * (0.9 + (i % 3) * 0.3)))
            at += timedelta(seconds=step)
        for i in range(waiting):
            category = {3: "lansia", 9: "ibu_hamil"}.get(i)
            issue_ticket(s, WAITING_SERVICES[i % 4], priority=category is not None, priority_category=category,
                         now=at)
            at += timedelta(seconds=step)
    sessions.kw["bind"].dispose()
