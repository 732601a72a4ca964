"""The IKM (PermenPAN-RB 14/2017) against a worked example computed by hand.

Surveys on the finished tickets of the fixture day (tests/report_fixtures.py), elements U1..U9:

  A-001 (A, DUKCAPIL)  4 4 3 3 4 3 4 3 4   sum 32   overall 4
  A-002 (A, DUKCAPIL)  3 3 3 3 3 3 3 3 3   sum 27   overall 3
  S-001 (S, POLRES)    2 3 2 4 3 3 2 2 3   sum 24   overall 2
  B-001 (S, POLRES)    -                            overall 1   (one touch only)

With equal weights 1/9, the index = sum over elements of (element mean / 9) x 25
= (all scores / (respondents x 9)) x 25:

  service A / DUKCAPIL: 59 / 18 = 3.27778 -> 81.94 -> B "Baik"        (76.61 - 88.30)
      element means: U1 3.5, U3 3.0
  service S / POLRES:   24 / 9  = 2.66667 -> 66.67 -> C "Kurang Baik" (65.00 - 76.60)
      overall ratings 2 and 1 -> mean 1.5 of 2
  the venue:            83 / 27 = 3.07407 -> 76.85 -> B "Baik"
      U1 = (4 + 3 + 2) / 3 = 3.0, U3 = (3 + 3 + 2) / 3 = 2.6667; overall 4 3 2 1 -> 2.5 of 4
"""

from __future__ import annotations

from datetime import date

import pytest

from db import unit_of_work
from db.errors import Refused
from db.ikm import IkmSection, ikm_index, ikm_report, record_response
from tests.report_fixtures import fixture_day

DAY = date(2026, 11, 23)
E = [f"U{i}" for i in range(1, 10)]


@pytest.fixture
def surveyed(sessions, now):
    ids = fixture_day(sessions, now)
    answers = {
        "A1": ([4, 4, 3, 3, 4, 3, 4, 3, 4], 4),
        "A2": ([3] * 9, 3),
        "S1": ([2, 3, 2, 4, 3, 3, 2, 2, 3], 2),
        "B1moved": (None, 1),
    }
    for name, (scores, overall) in answers.items():
        with unit_of_work(sessions) as s:
            record_response(s, ids[name], overall=overall,
                            answers=dict(zip(E, scores, strict=True)) if scores else None, now=now)
    return ids


def test_index_and_grade_per_service_and_venue(sessions, surveyed):
    with unit_of_work(sessions) as s:
        r = ikm_report(s, DAY, DAY, by="service")
    rows = {row.key: row for row in r.rows}
    a, svc_s = rows["A"], rows["S"]
    assert (a.respondents, a.index, a.grade, a.label) == (2, 81.94, "B", "Baik")
    assert (a.elements["U1"], a.elements["U3"]) == (3.5, 3.0)
    assert (svc_s.respondents, svc_s.index, svc_s.grade, svc_s.label) == (1, 66.67, "C", "Kurang Baik")
    assert (svc_s.overall_count, svc_s.overall_mean) == (2, 1.5)
    t = r.total
    assert (t.respondents, t.index, t.grade, t.overall_count, t.overall_mean) == (3, 76.85, "B", 4, 2.5)
    assert (t.elements["U1"], t.elements["U3"]) == (3.0, pytest.approx(2.6667, abs=1e-4))
    assert "B" not in rows  # B-001 was surveyed in S, where it was finished


def test_index_per_agency(sessions, surveyed):
    with unit_of_work(sessions) as s:
        rows = {row.key: row for row in ikm_report(s, DAY, DAY, by="agency").rows}
        only = ikm_report(s, DAY, DAY, by="service", agency="polres")
    assert (rows["DUKCAPIL"].index, rows["DUKCAPIL"].grade) == (81.94, "B")
    assert (rows["POLRES"].index, rows["POLRES"].grade) == (66.67, "C")
    assert [row.key for row in only.rows] == ["S"] and only.total.index == 66.67


def test_regulation_intervals_and_a_replaced_regulation():
    cfg = IkmSection()
    assert [cfg.grade_of(x).grade for x in (100, 88.31, 88.30, 76.61, 76.60, 65.00, 64.99, 25)] == [
        "A", "A", "B", "B", "C", "C", "D", "D"]
    assert ikm_index(cfg, dict.fromkeys(E, 4.0)) == pytest.approx(100.0)
    # A newer rule with two weighted elements and its own intervals, from config only.
    other = IkmSection.model_validate({
        "elements": [{"code": "X", "name": "X", "weight": 3}, {"code": "Y", "name": "Y", "weight": 1}],
        "grades": [{"min": 0, "max": 70, "grade": "Z", "label": "Rendah"},
                   {"min": 70.01, "max": 100, "grade": "Y", "label": "Tinggi"}]})
    index = ikm_index(other, {"X": 4.0, "Y": 2.0})  # (4 x 3/4 + 2 x 1/4) x 25 = 87.5
    assert index == 87.5 and other.grade_of(index).grade == "Y"


def test_answers_are_checked(sessions, now):
    ids = fixture_day(sessions, now)
    with unit_of_work(sessions) as s:
        record_response(s, ids["A1"], overall=4, now=now)
    cases = [
        (ids["A1"], {"overall": 3}, "surveyed"),  # one survey per ticket
        (ids["A3"], {"overall": 3}, "state"),  # a no-show is not surveyed
        (ids["S1"], {"answers": {"U1": 4}}, "partial_survey"),  # every element or none
        (ids["S1"], {"overall": 5}, "bad_answer"),
        (ids["S1"], {"answers": dict.fromkeys(E, 0)}, "bad_answer"),
        (ids["S1"], {}, "empty_survey"),
    ]
    for ticket_id, kw, reason in cases:
        with unit_of_work(sessions) as s:
            with pytest.raises(Refused) as e:
                record_response(s, ticket_id, now=now, **kw)
            assert e.value.reason == reason
