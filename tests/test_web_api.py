"""The web API and pages in-process: public status and ticket, keys, limits, JSON errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from db import open_database, unit_of_work
from db.apikeys import add_key, revoke_key
from db.tokens import read, sign, venue_secret
from tests.web_fixtures import issue_with_token
from web.app import create_app
from web.limits import MAX_BODY


@pytest.fixture
def key(sessions_web):
    with unit_of_work(sessions_web) as s:
        return add_key(s, "portal").key


def _auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_status_is_public_json(client, db_url):
    issue_with_token(db_url)
    body = client.get("/api/v1/status").json()
    assert body["waiting"] == 1 and body["agencies"][0]["code"] == "DUKCAPIL"
    assert body["agencies"][0]["services"][0]["waiting"] == 1


def test_ticket_by_token_and_refusals(client, db_url, sessions_web):
    code, token = issue_with_token(db_url)
    got = client.get(f"/api/v1/tickets/{token}")
    assert got.status_code == 200 and got.json()["code"] == code and got.json()["ahead"] == 0
    assert "operator" not in got.json() and "note" not in got.json()
    altered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    with unit_of_work(sessions_web) as s:
        key = venue_secret(s)
    claim = read(key, token)
    yesterday = sign(key, claim.ticket_id, claim.business_date - timedelta(days=1))
    forged = sign(b"k" * 32, claim.ticket_id, claim.business_date)
    for bad, status in [(altered, 404), (forged, 404), (yesterday, 410), ("x" * 23, 404), ("short", 404)]:
        r = client.get(f"/api/v1/tickets/{bad}")
        assert r.status_code == status, bad
        assert set(r.json()["error"]) == {"code", "message"}
        page = client.get(f"/t/{bad}")
        assert page.status_code == status and code not in page.text


def test_api_without_or_with_a_bad_key_is_refused(client, sessions_web, key):
    body = {"service": "A"}
    assert client.post("/api/v1/tickets", json=body).status_code == 401
    assert client.post("/api/v1/tickets", json=body, headers=_auth(key[:-1] + "x")).status_code == 401
    assert client.post("/api/v1/tickets", json=body, headers={"X-API-Key": "nonsense"}).status_code == 401
    assert client.get("/api/v1/bookings/ABCD").status_code == 401
    ok = client.post("/api/v1/tickets", json=body, headers=_auth(key))
    assert ok.status_code == 201 and ok.json()["code"].startswith("A-")
    assert client.get(f"/api/v1/tickets/{ok.json()['token']}").json()["code"] == ok.json()["code"]
    with unit_of_work(sessions_web) as s:
        revoke_key(s, "portal")
    r = client.post("/api/v1/tickets", json=body, headers=_auth(key))
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_bad_bodies_get_4xx_json(client, key):
    h = _auth(key)
    cases = [
        (dict(content=b"{" * 10, headers={**h, "Content-Type": "application/json"}), 400),
        (dict(content=b"[1,2]", headers={**h, "Content-Type": "application/json"}), 400),
        (dict(content=b"\xff\xfe", headers={**h, "Content-Type": "application/json"}), 400),
        (dict(content=b"[" * 100_00 + b"]" * 100_00, headers={**h, "Content-Type": "application/json"}), 413),
        (dict(content=b"x" * (MAX_BODY + 1), headers={**h, "Content-Type": "application/json"}), 413),
        (dict(content=b"service=A", headers={**h, "Content-Type": "application/x-www-form-urlencoded"}), 415),
        (dict(json={"service": "A", "extra": 1}, headers=h), 422),
        (dict(json={"service": "ZZZ"}, headers=h), 404),
        (dict(json={"service": ""}, headers=h), 422),
        (dict(json={"service": "S", "priority": True}, headers=h), 409),
    ]
    for kwargs, status in cases:
        r = client.post("/api/v1/tickets", **kwargs)
        assert r.status_code == status, (kwargs.get("json") or kwargs.get("content", b"")[:20], r.text)
        assert r.headers["content-type"].startswith("application/json")
        assert "Traceback" not in r.text and set(r.json()["error"]) == {"code", "message"}
    deep = b"[" * 5000 + b"]" * 5000  # under the size limit, too deep for the JSON parser
    r = client.post("/api/v1/bookings", content=deep, headers={**h, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"


def test_bookings_by_api(client, key):
    h = _auth(key)
    today = date.today().isoformat()
    made = client.post("/api/v1/bookings", json={"service": "A", "date": today, "time": "10:30", "name": "Ani"},
                       headers=h)
    assert made.status_code == 201 and made.json()["slot"] == "10:30" and "name" not in made.json()
    code = made.json()["code"]
    assert client.get(f"/api/v1/bookings/{code}", headers=h).json()["status"] == "pending"
    dup = client.post("/api/v1/bookings", json={"service": "A", "date": today, "time": "10:30", "code": code},
                      headers=h)
    assert dup.status_code == 409
    assert client.post("/api/v1/bookings", json={"service": "A", "date": "2026-02-30", "time": "10:30"},
                       headers=h).status_code == 422
    assert client.delete(f"/api/v1/bookings/{code}", headers=h).json()["status"] == "cancelled"
    assert client.get("/api/v1/bookings/NOPE1234", headers=h).status_code == 404


def test_rate_limit_per_client(sessions_web):
    with TestClient(create_app(sessions_web, rate_limit=5)) as c:
        codes = [c.get("/api/v1/status").status_code for _ in range(7)]
        assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
        r = c.get("/api/v1/status")
        assert int(r.headers["retry-after"]) >= 1 and r.json()["error"]["code"] == "rate_limited"


def test_unknown_paths_methods_and_crashes_are_json_for_the_api(client, monkeypatch):
    assert client.get("/api/v1/nothing").json()["error"]["code"] == "not_found"
    r = client.put("/api/v1/status")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    import web.api

    def boom(session):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(web.api, "venue_status", boom)
    r = client.get("/api/v1/status")
    assert r.status_code == 500 and r.json() == {"error": {"code": "internal",
                                                           "message": "internal error; it has been logged"}}


def test_pages_are_small_indonesian_first_and_leak_no_token(client, db_url):
    code, token = issue_with_token(db_url)
    page = client.get(f"/t/{token}")
    assert page.status_code == 200 and code in page.text and 'lang="id"' in page.text
    assert "Di depan Anda" in page.text and len(page.content) < 60_000
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'nonce-" in page.headers["content-security-policy"]
    en = client.get(f"/t/{token}", headers={"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"})
    assert 'lang="en"' in en.text and "Ahead of you" in en.text
    mixed = client.get(f"/t/{token}", headers={"Accept-Language": "id-ID,en;q=0.8"})
    assert 'lang="id"' in mixed.text
    status = client.get("/")
    assert status.status_code == 200 and "Sedang dipanggil" in status.text and len(status.content) < 60_000
    assert "http://" not in status.text.replace("http://www.w3.org", "")  # nothing fetched from elsewhere


def test_openapi_document_and_page(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/api/v1/bookings" in doc["paths"]
    assert "POST /api/v1/tickets" in client.get("/api/docs").text


def test_first_load_of_the_demo_venue_status_page_is_under_60_kb(new_db_url):
    from pathlib import Path

    from db.config import load_config

    url = new_db_url()
    maker = open_database(url)
    with unit_of_work(maker) as s:
        load_config(s, Path(__file__).resolve().parent.parent / "assets" / "demo-venue.toml")
    with TestClient(create_app(maker, rate_limit=0)) as c:
        page = c.get("/", headers={"Accept-Encoding": "identity"})
        zipped = c.get("/", headers={"Accept-Encoding": "gzip"})
    maker.kw["bind"].dispose()
    assert page.status_code == 200 and "Kota Pasirwangi" in page.text
    assert zipped.headers["content-encoding"] == "gzip"
    wire = int(zipped.headers["content-length"])
    print(f"status page of the demo venue: {len(page.content)} bytes, {wire} gzipped")
    assert len(page.content) < 60_000 and wire < 15_000
