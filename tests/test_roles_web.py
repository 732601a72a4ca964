"""The PostgreSQL role of `antre web` (kind "web", db/roles.py), on the real throwaway server.

The web application itself runs as a web PC's login: every page and API call it serves works, and
what a public-facing server must not do (call tickets, redeem bookings, change the venue, read the
officers or other secrets, make API keys, rewrite history) is refused by the server.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, time
from zoneinfo import ZoneInfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from antre.cli import main
from db import Refused, open_database, unit_of_work
from db.config import load_config
from db.models import Booking, Operator, SurveyResponse, Ticket

pytestmark = pytest.mark.postgres

_made = iter(range(10**6))


@pytest.fixture
def web_pcs(pg_server: Any, venue_file: Path, tmp_path: Path, capsys: Any) -> Iterator[dict[str, sessionmaker]]:
    """A database at head with the small venue, `antre db roles`, and a web PC and an admin PC."""
    name = f"antre_rolesweb_{os.getpid()}_{next(_made)}"
    pg_server.execute(f"CREATE DATABASE {name}")
    url = pg_server.url(name)
    maker = open_database(url, create=True)
    with unit_of_work(maker) as session:
        load_config(session, venue_file)
    maker.kw["bind"].dispose()
    assert main(["db", "roles", "--db", url]) == 0
    makers: dict[str, sessionmaker] = {}
    for kind in ("web", "admin"):
        pw = tmp_path / f"w{kind}.password"
        assert main(["db", "roles", "add-pc", f"w{kind}", "--kind", kind, "--db", url, "--password-file", str(pw)]) == 0
        login = make_url(url).set(username=f"antre_pc_w{kind}", password=pw.read_text().strip())
        makers[kind] = open_database(login.render_as_string(hide_password=False))
    assert main(["db", "roles", "list", "--db", url, "--json"]) == 0
    listed = capsys.readouterr().out
    assert {p["name"]: p["kinds"] for p in json.loads(listed[listed.index("{"):])["pcs"]}["wweb"] == ["web"]
    yield makers
    for kind, m in makers.items():
        m.kw["bind"].dispose()
    pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    for kind in makers:
        pg_server.execute(f"DROP ROLE IF EXISTS antre_pc_w{kind}")


def refused(maker: sessionmaker[Session], op: Any) -> None:
    with pytest.raises(Refused) as caught:
        with unit_of_work(maker) as session:
            op(session)
    assert caught.value.reason == "role" and "permission denied" in str(caught.value), caught.value


def _json(client: TestClient, method: str, path: str, body: dict | None = None, key: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return client.request(method, path, content=json.dumps(body) if body is not None else None, headers=headers)


def test_the_web_server_runs_as_its_role_and_may_do_nothing_else(web_pcs: dict[str, sessionmaker], now: Any,
                                                                  venue_file: Path) -> None:
    from db.apikeys import add_key
    from db.bookings import add_booking, redeem
    from db.operators import open_counter
    from db.queue import call_next, finish
    from web.app import create_app

    admin, web = web_pcs["admin"], web_pcs["web"]
    with unit_of_work(admin) as s:
        key = add_key(s, "portal").key
        today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
        add_booking(s, "A", now.astimezone(ZoneInfo("Asia/Jakarta")).date(), time(9, 0), code="ADMIN1")
        open_counter(s, "L1")
    with TestClient(create_app(web, rate_limit=0), raise_server_exceptions=False) as client:
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/status").status_code == 200
        issued = _json(client, "POST", "/api/v1/tickets", {"service": "A"}, key)
        assert issued.status_code == 201, issued.text
        token = issued.json()["token"]
        page = client.get(f"/t/{token}")
        assert page.status_code == 200 and issued.json()["code"] in page.text
        assert client.get(f"/api/v1/tickets/{token}").json()["status"] == "waiting"
        booked = _json(client, "POST", "/api/v1/bookings", {"service": "A", "date": str(today), "time": "23:00"}, key)
        assert booked.status_code == 201, booked.text
        code = booked.json()["code"]
        assert _json(client, "GET", f"/api/v1/bookings/{code}", key=key).json()["status"] == "pending"
        assert _json(client, "DELETE", f"/api/v1/bookings/{code}", key=key).json()["status"] == "cancelled"
        assert _json(client, "POST", "/api/v1/tickets", {"service": "A"}, "bad").status_code == 401
        with unit_of_work(admin) as s:  # the counter serves the ticket; the citizen rates it on the phone
            call_next(s, "L1")
            finish(s, "L1")
        rated = _json(client, "POST", f"/api/v1/tickets/{token}/survey",
                      {"overall": 4, "answers": {f"U{i}": 3 for i in range(1, 10)}})
        assert rated.status_code == 201, rated.text
        assert client.get("/healthz").json()["ok"] is True  # the event-log follower reads as the web role
    with unit_of_work(admin) as s:
        assert s.scalar(select(SurveyResponse.overall)) == 4
        assert s.scalar(select(Booking.status).where(Booking.code == code)) == "cancelled"
        assert s.scalar(select(Ticket.status).where(Ticket.code == issued.json()["code"])) == "done"
    # Refused: a counter's work, the kiosk's redeem, configuration, officers, other secrets, keys, history.
    with unit_of_work(admin) as s:
        s.execute(text("INSERT INTO secrets (name, value, created_at) VALUES ('web_session_key', 'x', now())"))
    with unit_of_work(web) as s:
        assert s.scalars(select(Operator.username)).all() == []  # no officer's name or PIN hash
        assert s.scalars(text("SELECT name FROM secrets")).all() == ["ticket_token_key"]
    refused(web, lambda s: call_next(s, "L1"))
    refused(web, lambda s: open_counter(s, "L2"))
    refused(web, lambda s: redeem(s, "ADMIN1", now=now))  # a ticket from a booking is the kiosk's to make
    refused(web, lambda s: load_config(s, venue_file))
    refused(web, lambda s: add_key(s, "eve"))
    refused(web, lambda s: s.execute(text("UPDATE services SET daily_quota = 1")))
    refused(web, lambda s: s.execute(text("UPDATE tickets SET status = 'done'")))
    refused(web, lambda s: s.execute(text("UPDATE bookings SET service_id = service_id")))
    refused(web, lambda s: s.execute(text("DELETE FROM events")))
    refused(web, lambda s: s.execute(text("DELETE FROM survey_responses")))
    refused(web, lambda s: s.execute(text("SELECT * FROM survey_answers")))
    refused(web, lambda s: s.execute(text("SELECT * FROM report_days")))
