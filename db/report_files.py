"""Reports as files: CSV for scripts, XLSX (openpyxl) with a native Excel chart on every sheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from db.ikm import IkmReport
from db.reports import Report, ReportRow

FIELDS = ("issued", "served", "no_shows", "cancelled", "transferred", "called", "wait_p50", "wait_p90", "wait_max",
          "service_p50", "service_p90", "within_target")
HEADERS = {
    "id": ("Kode", "Nama", "Tiket diambil", "Dilayani", "Tidak hadir", "Dibatalkan", "Dialihkan", "Dipanggil",
           "Tunggu p50 (mnt)", "Tunggu p90 (mnt)", "Tunggu maks (mnt)", "Layanan p50 (mnt)", "Layanan p90 (mnt)",
           "Dipanggil dalam target"),
    "en": ("Code", "Name", "Issued", "Served", "No-shows", "Cancelled", "Transferred", "Called",
           "Wait p50 (min)", "Wait p90 (min)", "Wait max (min)", "Service p50 (min)", "Service p90 (min)",
           "Called within target"),
}
SHEETS = {
    "id": {"total": "Ringkasan", "day": "Per hari", "agency": "Per instansi", "service": "Per layanan",
           "counter": "Per loket", "officer": "Per petugas", "hour": "Per jam", "ikm": "IKM"},
    "en": {"total": "Summary", "day": "Per day", "agency": "Per agency", "service": "Per service",
           "counter": "Per counter", "officer": "Per officer", "hour": "Per hour", "ikm": "IKM"},
}
WORDS = {
    "id": {"title": "Laporan layanan", "period": "Periode", "agency": "Instansi", "all": "Semua instansi",
           "hour": "Jam", "issued": "Tiket diambil", "per_day": "Rata-rata per hari", "index": "Indeks (IKM)",
           "grade": "Mutu", "label": "Kinerja", "respondents": "Responden", "overall": "Penilaian umum (1-4)",
           "not_called": "(belum dipanggil)"},
    "en": {"title": "Service report", "period": "Period", "agency": "Agency", "all": "All agencies",
           "hour": "Hour", "issued": "Issued", "per_day": "Mean per day", "index": "Index (IKM)",
           "grade": "Grade", "label": "Rating", "respondents": "Respondents", "overall": "Overall rating (1-4)",
           "not_called": "(never called)"},
}
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")


def to_csv(report: Report) -> str:
    """Every section and the busy hours as one CSV table (English column names, for scripts)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(("section", "key", "name", *FIELDS))
    w.writerow(("total", "total", "", *(getattr(report.total, f) for f in FIELDS)))
    for section, rows in report.sections.items():
        for r in rows:
            w.writerow((section, r.key, r.name, *(_cell(getattr(r, f)) for f in FIELDS)))
    for h in report.hours:
        w.writerow(("hour", f"{h.hour:02d}", "", h.issued, *([""] * (len(FIELDS) - 1))))
    return out.getvalue()


def _cell(value: object) -> object:
    return "" if value is None else value


def _row_values(r: ReportRow, words: dict[str, str]) -> list[object]:
    name = words["not_called"] if r.key == "-" else r.name
    return [r.key, name, *(getattr(r, f) for f in FIELDS)]


def _header(ws, values: tuple[str, ...] | list[str], row: int = 1) -> None:  # noqa: ANN001 - openpyxl sheet
    for col, text in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font, cell.fill = BOLD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col in range(1, len(values) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 34 if col == 2 else 13


def to_xlsx(report: Report, path: Path, *, ikm: IkmReport | None = None, lang: str = "id") -> Path:
    """Write the report as an XLSX workbook: a summary, one sheet per section, busy hours, IKM."""
    words, names, heads = WORDS[lang], SHEETS[lang], HEADERS[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = names["total"]
    ws["A1"] = f"{words['title']} · {report.venue}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"{words['period']}: {report.start:%d-%m-%Y} – {report.end:%d-%m-%Y}"
    ws["A3"] = f"{words['agency']}: {report.agency_name or words['all']}"
    _header(ws, heads, row=5)
    ws.append(_row_values(report.total, words))
    ws.cell(row=6, column=1, value="total")
    chart = BarChart()
    chart.title = heads[2] + " / " + heads[3] + " / " + heads[4] + " / " + heads[5] + " / " + heads[6]
    chart.add_data(Reference(ws, min_col=3, max_col=7, min_row=5, max_row=6), titles_from_data=True)
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, "A9")
    for section, rows in report.sections.items():
        sheet = wb.create_sheet(names[section])
        _header(sheet, heads)
        for r in rows:
            sheet.append(_row_values(r, words))
        for row in sheet.iter_rows(min_row=2, min_col=14, max_col=14):
            for cell in row:
                cell.number_format = "0.0%"
        sheet.freeze_panes = "C2"
        n = len(rows)
        if section == "day":
            chart = LineChart()
            chart.add_data(Reference(sheet, min_col=3, max_col=4, min_row=1, max_row=n + 1), titles_from_data=True)
        else:
            chart = BarChart()
            chart.type = "bar" if n > 12 else "col"
            chart.add_data(Reference(sheet, min_col=3, max_col=4, min_row=1, max_row=n + 1), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=max(n + 1, 2)))
        chart.title = f"{names[section]}: {heads[2]} / {heads[3]}"
        chart.height, chart.width = max(8, min(30, 0.45 * n)) if section != "day" else 9, 24
        sheet.add_chart(chart, f"A{n + 4}")
    hours = wb.create_sheet(names["hour"])
    _header(hours, [words["hour"], words["issued"], words["per_day"]])
    for h in report.hours:
        hours.append([f"{h.hour:02d}:00", h.issued, h.per_day])
    chart = BarChart()
    chart.title = f"{words['issued']} / {words['hour']}"
    chart.add_data(Reference(hours, min_col=2, min_row=1, max_row=len(report.hours) + 1), titles_from_data=True)
    chart.set_categories(Reference(hours, min_col=1, min_row=2, max_row=max(len(report.hours) + 1, 2)))
    chart.height, chart.width = 9, 20
    hours.add_chart(chart, f"E2")
    if ikm is not None:
        _ikm_sheet(wb.create_sheet(names["ikm"]), ikm, words)
    wb.save(path)
    return path


def _ikm_sheet(ws, ikm: IkmReport, words: dict[str, str]) -> None:  # noqa: ANN001 - openpyxl sheet
    codes = [code for code, _name in ikm.elements]
    _header(ws, ["Kode", "Nama", words["respondents"], *codes, words["index"], words["grade"], words["label"],
                 words["overall"]])
    for r in (*ikm.rows, ikm.total):
        ws.append([r.key, r.name, r.respondents, *(r.elements.get(c) for c in codes), r.index, r.grade, r.label,
                   r.overall_mean])
    n = len(ikm.rows)
    index_col = 4 + len(codes)
    chart = BarChart()
    chart.title = f"{words['index']} · {ikm.regulation}"
    chart.add_data(Reference(ws, min_col=index_col, min_row=1, max_row=n + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=max(n + 1, 2)))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 25, 100
    chart.height, chart.width = 9, 20
    ws.add_chart(chart, f"A{n + 5}")
