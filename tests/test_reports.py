"""Report figures against a fixture day whose answers are computed by hand below.

The day (tests/report_fixtures.py), times in minutes after 09:00 Jakarta, target wait of A = 15:

  ticket        service counter officer status       wait  service
  A-001         A       L1      siti    done          10    10
  A-002         A       L2      -       done          11     5   (finished from 'called')
  A-003         A       L1      siti    no-show       19     -
  A-004         A       -       -       cancelled      -     -
  B-001         B       L1      siti    transferred   21     -
  S-001         S       L3      budi    done          14    14
  B-001 (in S)  S       L3      budi    done          12     3   (not issued: it came by transfer)

Percentiles are nearest-rank: the value at rank ceil(p * n) of the sorted values.
"""

from __future__ import annotations

from datetime import date

import pytest

from db import unit_of_work
from db.errors import NotFound
from db.reports import build_report
from tests.report_fixtures import fixture_day

DAY = date(2026, 11, 23)


@pytest.fixture
def report_day(sessions, now):
    return fixture_day(sessions, now)


def _report(sessions, **kw):
    with unit_of_work(sessions) as s:
        return build_report(s, DAY, DAY, **kw)


def test_totals_of_the_fixture_day(sessions, report_day):
    total = _report(sessions).total
    # issued: the six tickets with a number; the transferred copy is not a new citizen.
    assert (total.issued, total.served, total.no_shows, total.cancelled, total.transferred) == (6, 4, 1, 1, 1)
    assert total.called == 6
    # waits sorted: 10 11 12 14 19 21 -> p50 rank 3 = 12, p90 rank ceil(5.4) = 6 = 21
    assert (total.wait_p50, total.wait_p90, total.wait_max) == (12, 21, 21.0)
    # service times sorted: 3 5 10 14 -> p50 rank 2 = 5, p90 rank ceil(3.6) = 4 = 14
    assert (total.service_p50, total.service_p90) == (5, 14)
    # within target: A (15 min) 10 yes, 11 yes, 19 no; B and S (30 min) 21, 14, 12 yes -> 5 of 6
    assert total.within_target == pytest.approx(5 / 6, abs=1e-4)


def test_per_service_agency_counter_officer(sessions, report_day):
    r = _report(sessions)
    svc = {row.key: row for row in r.sections["service"]}
    a = svc["A"]
    assert (a.issued, a.served, a.no_shows, a.cancelled, a.called) == (4, 2, 1, 1, 3)
    assert (a.wait_p50, a.wait_p90, a.wait_max) == (11, 19, 19.0)  # 10 11 19: ranks 2 and 3
    assert (a.service_p50, a.service_p90) == (5, 10)  # 5 10: ranks 1 and 2
    assert a.within_target == pytest.approx(2 / 3, abs=1e-4)
    assert (svc["B"].issued, svc["B"].transferred, svc["B"].wait_p50) == (1, 1, 21)
    s = svc["S"]
    assert (s.issued, s.served, s.wait_p50, s.wait_p90, s.service_p50, s.service_p90) == (1, 2, 12, 14, 3, 14)
    ag = {row.key: row for row in r.sections["agency"]}
    # DUKCAPIL = A + B: waits 10 11 19 21 -> p50 rank 2 = 11, p90 rank 4 = 21; within 3 of 4
    d = ag["DUKCAPIL"]
    assert (d.issued, d.served, d.no_shows, d.cancelled, d.transferred, d.wait_p50, d.wait_p90) == (
        5, 2, 1, 1, 1, 11, 21)
    assert d.within_target == 0.75
    assert (ag["POLRES"].issued, ag["POLRES"].served) == (1, 2)
    ctr = {row.key: row for row in r.sections["counter"]}
    assert (ctr["L1"].issued, ctr["L1"].served, ctr["L1"].wait_p50, ctr["L1"].wait_p90) == (3, 1, 19, 21)
    assert (ctr["L2"].served, ctr["L3"].served, ctr["L3"].issued) == (1, 2, 1)
    assert (ctr["-"].issued, ctr["-"].cancelled, ctr["-"].called) == (1, 1, 0)  # A-004, never called
    off = {row.key: row for row in r.sections["officer"]}
    assert off["siti"] == ctr["L1"].__class__(**{**ctr["L1"].to_json(), "key": "siti", "name": "Siti Rahmawati"})
    assert (off["budi"].served, off["-"].issued, off["-"].served, off["-"].cancelled) == (2, 2, 1, 1)
    assert [row.key for row in r.sections["day"]] == ["2026-11-23"]
    assert [(h.hour, h.issued, h.per_day) for h in r.hours] == [(9, 6, 6.0)]


def test_agency_filter_and_empty_period(sessions, report_day):
    r = _report(sessions, agency="polres")
    assert (r.total.issued, r.total.served, r.agency) == (1, 2, "POLRES")
    assert [row.key for row in r.sections["service"]] == ["S"]
    with unit_of_work(sessions) as s:
        empty = build_report(s, date(2026, 1, 1), date(2026, 1, 31))
        assert (empty.total.issued, empty.total.wait_p50, empty.sections["day"], empty.hours) == (0, None, (), ())
        with pytest.raises(NotFound):
            build_report(s, DAY, DAY, agency="NOPE")


def test_wait_distribution(sessions, report_day):
    bins = dict(_report(sessions).wait_bins)
    # waits 10 11 12 14 19 21: five in 10-19, one in 20-29
    assert (bins[0], bins[10], bins[20], sum(bins.values())) == (0, 5, 1, 6)


def test_a_long_period_read_in_chunks_gives_the_same_figures(sessions, report_day, monkeypatch):
    import db.reports

    whole = _report(sessions)
    monkeypatch.setattr(db.reports, "CHUNK_DAYS", 1)  # the fixture day among empty days, read in 1-day chunks
    with unit_of_work(sessions) as s:
        chunked = build_report(s, date(2026, 11, 20), date(2026, 11, 26))
    assert chunked.total == whole.total and chunked.sections == whole.sections


def test_closed_days_are_stored_and_read_back_to_the_same_figures(sessions, report_day, now):
    from datetime import timedelta

    from sqlalchemy import func, select

    from db.models import ReportDay
    from db.report_store import cache_closed_days

    live, live_polres = _report(sessions), _report(sessions, agency="POLRES")
    later = now + timedelta(days=2)  # the fixture day is over
    assert cache_closed_days(sessions, sessions, date(2026, 11, 20), date(2026, 11, 30), now=later) == 5
    assert cache_closed_days(sessions, sessions, date(2026, 11, 20), date(2026, 11, 30), now=later) == 0
    with unit_of_work(sessions) as s:
        # groups (service, counter, officer): A/L1/siti, A/L2/-, A/-/- (cancelled), B/L1/siti, S/L3/budi
        assert s.scalar(select(func.count()).select_from(ReportDay)) == 5
    cached = _report(sessions)
    assert cached.total == live.total and cached.sections == live.sections and cached.hours == live.hours
    assert _report(sessions, agency="POLRES").sections == live_polres.sections
    # A correction to an old ticket is seen once its day is forgotten (antre report --rebuild).
    from db.models import Ticket, TicketStatus
    from db.report_store import forget_days

    with unit_of_work(sessions) as s:
        s.get(Ticket, report_day["A3"]).status = TicketStatus.CANCELLED  # the no-show was in fact cancelled
    assert _report(sessions).total.no_shows == 1  # still the stored figure
    with unit_of_work(sessions) as s:
        assert forget_days(s, date(2026, 11, 20), date(2026, 11, 30)) == 5
    assert (_report(sessions).total.no_shows, _report(sessions).total.cancelled) == (0, 2)
