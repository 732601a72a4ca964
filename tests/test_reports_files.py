"""Report files and commands: CSV, XLSX (cells and native charts), the monthly PDF, `antre report`, backup."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from antre.cli import main
from db import unit_of_work
from db.ikm import ikm_report, record_response
from db.report_files import to_csv, to_xlsx
from db.report_pdf import monthly_pdf
from db.reports import build_report
from tests.report_fixtures import fixture_day

DAY = date(2026, 11, 23)


@pytest.fixture
def report_day(sessions, now):
    ids = fixture_day(sessions, now)
    with unit_of_work(sessions) as s:
        record_response(s, ids["A1"], overall=4, answers={f"U{i}": 3 for i in range(1, 10)}, now=now)
    return ids


def test_csv_rows(sessions, report_day):
    with unit_of_work(sessions) as s:
        rows = list(csv.DictReader(io.StringIO(to_csv(build_report(s, DAY, DAY)))))
    total = rows[0]
    assert (total["section"], total["issued"], total["served"], total["wait_p50"]) == ("total", "6", "4", "12")
    a = next(r for r in rows if r["section"] == "service" and r["key"] == "A")
    assert (a["issued"], a["within_target"], a["service_p90"]) == ("4", "0.6667", "10")
    assert [r["issued"] for r in rows if r["section"] == "hour"] == ["6"]


def test_xlsx_has_the_cells_and_a_chart_on_every_sheet(sessions, report_day, tmp_path):
    with unit_of_work(sessions) as s:
        report, ikm = build_report(s, DAY, DAY), ikm_report(s, DAY, DAY)
    path = to_xlsx(report, tmp_path / "r.xlsx", ikm=ikm)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Ringkasan", "Per hari", "Per instansi", "Per layanan", "Per loket", "Per petugas",
                             "Per jam", "IKM"]
    for ws in wb.worksheets:
        assert len(ws._charts) == 1, ws.title  # openpyxl keeps the charts it read
    summary = wb["Ringkasan"]
    assert summary["C5"].value == "Tiket diambil" and (summary["C6"].value, summary["D6"].value) == (6, 4)
    services = {row[0]: row for row in wb["Per layanan"].iter_rows(min_row=2, values_only=True)}
    assert services["A"][1] == "Perekaman KTP-el" and services["A"][2:8] == (4, 2, 1, 1, 0, 3)
    assert services["A"][8:10] == (11, 19) and services["A"][13] == pytest.approx(0.6667)
    counters = {row[0]: row for row in wb["Per loket"].iter_rows(min_row=2, values_only=True)}
    assert counters["-"][1] == "(belum dipanggil)"
    assert list(wb["Per jam"].iter_rows(min_row=2, values_only=True)) == [("09:00", 6, 6.0)]
    ikm_rows = {row[0]: row for row in wb["IKM"].iter_rows(min_row=2, values_only=True)}
    assert ikm_rows["A"][12:15] == (75.0, "C", "Kurang Baik")  # all 3s: 3 x 25


def test_monthly_pdf(sessions, report_day, tmp_path):
    with unit_of_work(sessions) as s:
        report = build_report(s, date(2026, 11, 1), date(2026, 11, 30), agency="DUKCAPIL")
        ikm = ikm_report(s, date(2026, 11, 1), date(2026, 11, 30), agency="DUKCAPIL")
    path = monthly_pdf(report, ikm, tmp_path / "recap.pdf", place="Bandung")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000  # the charts are embedded images
    assert data.count(b"/Subtype /Image") >= 3


def test_report_commands(db_url, report_day, tmp_path, capsys):
    base = ["--db", db_url, "--from", "2026-11-23", "--to", "2026-11-23"]
    assert main(["report", *base, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"]["issued"] == 6 and out["sections"]["service"][0]["key"] == "A"
    assert main(["report", *base, "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("section,key,name,issued")
    assert main(["report", *base, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx")]) == 0
    assert (tmp_path / "r.xlsx").stat().st_size > 5000
    assert main(["report", "ikm", *base, "--by", "agency"]) == 0
    assert "DUKCAPIL" in capsys.readouterr().out
    assert main(["report", "monthly", "--db", db_url, "--month", "2026-11", "--agency", "POLRES",
                 "--out", str(tmp_path / "m.pdf")]) == 0
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["report", "--db", db_url, "--from", "2026-11-23", "--to", "2026-11-01"]) == 1
    assert main(["report", *base, "--agency", "NOPE"]) == 1
    err = capsys.readouterr().err
    assert "before" in err and "unknown agency" in err and "Traceback" not in err
    target = tmp_path / "backup.sqlite3"
    assert main(["backup", "--db", db_url, "--to", str(target)]) == 0
    out = capsys.readouterr().out
    assert ("copied to" in out and target.exists()) or "pg_dump" in out


def test_reimport_command_previews_then_loads_as_admin(db_url, venue_file, tmp_path, capsys):
    changed = tmp_path / "changed.toml"
    changed.write_text(venue_file.read_text(encoding="utf-8").replace("daily_quota = 3", "daily_quota = 9"),
                       encoding="utf-8")
    assert main(["reimport", "--db", db_url, "--config", str(changed)]) == 0
    out = capsys.readouterr().out
    assert "change services B: daily_quota 3 -> 9" in out and "preview only" in out
    assert main(["reimport", "--db", db_url, "--config", str(changed), "--yes", "--as", "siti", "--pin", "1234"]) == 1
    err = capsys.readouterr().err
    assert "not loaded: siti is operator: this needs the admin role" in err and "Traceback" not in err
    assert main(["reimport", "--db", db_url, "--config", str(changed), "--yes", "--as", "admin", "--pin", "0000"]) == 1
    assert "not loaded" in capsys.readouterr().err
    assert main(["reimport", "--db", db_url, "--config", str(changed), "--yes", "--as", "admin", "--pin", "2468"]) == 0
    assert "loaded" in capsys.readouterr().out
    assert main(["reimport", "--db", db_url, "--config", str(changed)]) == 0
    assert capsys.readouterr().out.startswith("no change")
