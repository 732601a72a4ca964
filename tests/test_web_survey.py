"""The IKM survey on the phone: the ticket page offers it once the ticket is finished; the API records it once.

In-process on both databases (the `db_url` fixture): signed token required, one survey per ticket,
answers checked by the engine, JSON errors, rate-limited like the rest of the API.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from db import unit_of_work
from db.ikm import ikm_report
from db.models import SurveyAnswer, SurveyResponse
from db.queue import call_next, finish
from db.tokens import read, sign, venue_secret
from tests.web_fixtures import issue_with_token
from web.app import create_app

ELEMENTS = [f"U{i}" for i in range(1, 10)]


def _finish(sessions) -> None:
    with unit_of_work(sessions) as s:
        call_next(s, "L1")
        finish(s, "L1")


def _post(client, token, body):
    return client.post(f"/api/v1/tickets/{token}/survey", content=json.dumps(body),
                       headers={"Content-Type": "application/json"})


def _responses(sessions) -> list[tuple[int | None, int, dict[str, int]]]:
    with sessions() as s:
        out = []
        for r in s.scalars(select(SurveyResponse).order_by(SurveyResponse.id)):
            answers = {a.element: a.score for a in s.scalars(select(SurveyAnswer).where(
                SurveyAnswer.response_id == r.id))}
            out.append((r.overall, r.ticket_id, answers))
        return out


def _page_data(html: str, name: str):
    found = re.search(rf"window\.{name}=(.*?);window\.|window\.{name}=(.*?);</script>", html)
    assert found, name
    return json.loads(found.group(1) or found.group(2))


def test_the_page_offers_the_survey_and_one_touch_records_it_once(client, sessions_web, db_url):
    code, token = issue_with_token(db_url)
    page = client.get(f"/t/{token}")
    form = _page_data(page.text, "V")
    assert form["done"] is False and [e["code"] for e in form["elements"]] == ELEMENTS
    assert form["answers"] == ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"]
    assert 'id="survey" hidden' in page.text and "Bagaimana pelayanan yang Anda terima?" in page.text
    r = _post(client, token, {"overall": 4})  # the ticket is still waiting: nothing to rate yet
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_finished"
    _finish(sessions_web)
    r = _post(client, token, {"overall": 4})
    assert r.status_code == 201 and r.json() == {"ticket": code, "overall": 4, "answers": 0}
    again = _post(client, token, {"overall": 1})
    assert again.status_code == 409 and again.json()["error"]["code"] == "surveyed"
    assert [(o, a) for o, _t, a in _responses(sessions_web)] == [(4, {})]
    assert _page_data(client.get(f"/t/{token}").text, "V")["done"] is True


def test_the_nine_elements_with_the_rating_count_in_the_index(client, sessions_web, db_url, now):
    _code, token = issue_with_token(db_url)
    _finish(sessions_web)
    answers = dict(zip(ELEMENTS, [4, 3, 4, 4, 3, 4, 4, 3, 4], strict=True))
    r = _post(client, token, {"overall": 3, "answers": {k.lower(): v for k, v in answers.items()}})
    assert r.status_code == 201 and r.json()["answers"] == 9
    [(overall, _ticket, saved)] = _responses(sessions_web)
    assert overall == 3 and saved == answers
    with sessions_web() as s:
        today = s.scalar(select(SurveyResponse.business_date))
        report = ikm_report(s, today, today)
    # Element means are the single answers: (4*6 + 3*3) / 9 * 25 = 91.67, grade A.
    assert round(report.total.index, 2) == 91.67 and report.total.grade == "A"


@pytest.mark.parametrize("body, status, code", [
    ({}, 422, "invalid"),  # empty: neither a rating nor the elements
    ({"overall": 5}, 422, "invalid"),
    ({"overall": 0}, 422, "invalid"),
    ({"overall": True}, 422, "invalid"),  # a JSON boolean is not a score
    ({"overall": "4"}, 422, "invalid"),
    ({"overall": 4, "answers": {"U1": 4}}, 422, "invalid"),  # every element or none
    ({"answers": {**{e: 4 for e in ELEMENTS}, "U10": 4}}, 422, "invalid"),
    ({"overall": 4, "name": "Ani"}, 422, "invalid"),  # no personal data, no unknown fields
])
def test_bad_surveys_get_a_json_4xx_and_save_nothing(client, sessions_web, db_url, body, status, code):
    _code, token = issue_with_token(db_url)
    _finish(sessions_web)
    r = _post(client, token, body)
    assert r.status_code == status and r.json()["error"]["code"] == code and r.json()["error"]["message"]
    assert _responses(sessions_web) == []


def test_only_a_genuine_token_of_today_may_answer(client, sessions_web, db_url):
    _code, token = issue_with_token(db_url)
    _finish(sessions_web)
    with unit_of_work(sessions_web) as s:
        key = venue_secret(s)
    claim = read(key, token)
    altered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    yesterday = sign(key, claim.ticket_id, claim.business_date - timedelta(days=1))
    forged = sign(b"k" * 32, claim.ticket_id, claim.business_date)
    for bad, status in [(altered, 404), (forged, 404), (yesterday, 410), ("x" * 23, 404)]:
        r = _post(client, bad, {"overall": 4})
        assert r.status_code == status and set(r.json()["error"]) == {"code", "message"}, bad
    r = client.post(f"/api/v1/tickets/{token}/survey", content="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = client.post(f"/api/v1/tickets/{token}/survey", content="overall=4",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    r = client.post(f"/api/v1/tickets/{token}/survey", content=b"{" + b" " * 20_000 + b"}",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert _responses(sessions_web) == []


def test_survey_posts_are_rate_limited_like_the_rest(sessions_web, db_url):
    _code, token = issue_with_token(db_url)
    with TestClient(create_app(sessions_web, rate_limit=3)) as c:
        codes = [_post(c, token, {"overall": 4}).status_code for _ in range(5)]
    assert codes[:3] == [409] * 3 and codes[3:] == [429, 429]


def test_the_survey_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "post" in doc["paths"]["/api/v1/tickets/{token}/survey"]
    assert "Survey" in doc["components"]["schemas"]


def test_a_transferred_ticket_is_rated_where_it_ended_and_the_english_page_asks_in_english(
        client, sessions_web, db_url):
    from db.moves import transfer
    from db.operators import open_counter

    code, token = issue_with_token(db_url)
    with unit_of_work(sessions_web) as s:
        open_counter(s, "L1")
        call_next(s, "L1")
        moved = transfer(s, "L1", "B", note="KK")
        call_next(s, "L1")
        finish(s, "L1")
    en = client.get(f"/t/{token}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "How was the service you received?" in en.text
    assert _page_data(en.text, "V")["answers_en"] == ["Poor", "Fair", "Good", "Very good"]
    r = _post(client, token, {"overall": 2})
    assert r.status_code == 201 and r.json()["ticket"] == moved.code == code  # a transfer keeps the code
    [(_overall, ticket_id, _answers)] = _responses(sessions_web)
    assert ticket_id == moved.id
