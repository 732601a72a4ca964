"""The monthly recap of an agency as a printable PDF: figures, charts (matplotlib), IKM, signature.

Charts are drawn by matplotlib's Agg backend (no GUI) into PNGs the PDF (reportlab) embeds; nothing
is hand-drawn. A4 portrait, Bahasa Indonesia (or English), a signature block for the head of office.
"""

from __future__ import annotations

import calendar
import io
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: never a GUI backend in the core

import matplotlib.pyplot as plt  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # noqa: E402

from db.ikm import IkmReport  # noqa: E402
from db.reports import Report, ReportRow  # noqa: E402

MONTHS_ID = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
T = {
    "id": {
        "title": "Rekapitulasi Bulanan Pelayanan", "period": "Periode", "venue": "Mal Pelayanan Publik",
        "summary": "Ringkasan", "issued": "Tiket diambil", "served": "Dilayani", "no_shows": "Tidak hadir",
        "cancelled": "Dibatalkan", "transferred": "Dialihkan", "wait": "Waktu tunggu (menit): median / p90 / maks",
        "service": "Waktu layanan (menit): median / p90", "target": "Dipanggil dalam target waktu tunggu",
        "per_day": "Pengunjung per hari", "per_hour": "Tiket per jam (jam sibuk)",
        "wait_dist": "Sebaran waktu tunggu", "minutes": "menit", "tickets": "tiket",
        "services": "Per layanan", "code": "Kode", "name": "Layanan",
        "p50": "Tunggu median (mnt)", "p90": "Tunggu p90 (mnt)",
        "ikm": "Indeks Kepuasan Masyarakat (IKM)", "no_ikm": "Belum ada survei pada periode ini.",
        "respondents": "Responden", "index": "IKM", "grade": "Mutu", "rating": "Kinerja",
        "known": "Mengetahui,", "head": "Kepala {agency}", "nip": "NIP.", "made": "{place}, {day}",
        "all": "semua instansi",
    },
    "en": {
        "title": "Monthly Service Recap", "period": "Period", "venue": "Public Service Mall",
        "summary": "Summary", "issued": "Tickets issued", "served": "Served", "no_shows": "No-shows",
        "cancelled": "Cancelled", "transferred": "Transferred", "wait": "Waiting time (min): median / p90 / max",
        "service": "Service time (min): median / p90", "target": "Called within the target wait",
        "per_day": "Visitors per day", "per_hour": "Tickets per hour (busy hours)",
        "wait_dist": "Waiting-time distribution", "minutes": "minutes", "tickets": "tickets",
        "services": "Per service", "code": "Code", "name": "Service",
        "p50": "Wait median (min)", "p90": "Wait p90 (min)",
        "ikm": "Public Satisfaction Index (IKM)", "no_ikm": "No survey in this period yet.",
        "respondents": "Respondents", "index": "IKM", "grade": "Grade", "rating": "Rating",
        "known": "Acknowledged,", "head": "Head of {agency}", "nip": "ID no.", "made": "{place}, {day}",
        "all": "all agencies",
    },
}
BLUE = "#0D47A1"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _num(value: object) -> str:
    return "–" if value is None else str(value)


def _chart(draw, width_mm: float = 170, height_mm: float = 62) -> Image:  # noqa: ANN001 - a callback
    fig, ax = plt.subplots(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=200)
    try:
        draw(ax)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=7)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    finally:
        plt.close(fig)
    buf.seek(0)
    return Image(buf, width=width_mm * mm, height=height_mm * mm)


def monthly_pdf(report: Report, ikm: IkmReport | None, path: Path, *, place: str = "", lang: str = "id") -> Path:
    """Write the printable monthly recap of `report` (one agency or the venue) to `path`."""
    t = T[lang]
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("h1", parent=styles["Title"], fontSize=15, spaceAfter=2)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=11.5, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", parent=styles["Normal"], fontSize=9.5, leading=12)
    month = MONTHS_ID[report.start.month] if lang == "id" else report.start.strftime("%B")
    who = report.agency_name or t["all"]
    story: list[object] = [
        Paragraph(f"{t['title']}<br/>{who}", h1),
        Paragraph(f"{report.venue} · {t['period']}: {month} {report.start.year} "
                  f"({report.start:%d-%m-%Y} – {report.end:%d-%m-%Y})", body),
        Spacer(1, 4 * mm),
        Paragraph(t["summary"], h2),
        _summary_table(report.total, t),
        # A heading never ends a page without its chart or table.
        KeepTogether([Paragraph(t["per_day"], h2), _chart(lambda ax: _per_day(ax, report, t))]),
        KeepTogether([Paragraph(t["per_hour"], h2), _chart(lambda ax: _per_hour(ax, report, t), height_mm=52)]),
        KeepTogether([Paragraph(t["wait_dist"], h2), _chart(lambda ax: _wait_dist(ax, report, t), height_mm=52)]),
        Paragraph(t["services"], h2),
        _services_table(report.sections["service"], t),
        Paragraph(t["ikm"], h2),
    ]
    if ikm is not None and ikm.total.index is not None:
        story.append(Paragraph(f"{ikm.regulation}", body))
        story.append(_ikm_table(ikm, t))
    else:
        story.append(Paragraph(t["no_ikm"], body))
    story.append(Spacer(1, 10 * mm))
    story.append(_signature(report, t, place, lang))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"{t['title']} {who} {month} {report.start.year}",
                            author=report.venue)
    doc.build(story)
    return path


def _table(rows: list[list[object]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1 if header else 0)
    style = [("FONTSIZE", (0, 0), (-1, -1), 8.5), ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9AA8B6")),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 0), (-1, -1), "RIGHT")]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F0")),
                  ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]
    table.setStyle(TableStyle(style))
    return table


def _summary_table(r: ReportRow, t: dict[str, str]) -> Table:
    share = f"{r.within_target * 100:.1f} %" if r.within_target is not None else "–"
    rows = [[t["issued"], r.issued], [t["served"], r.served], [t["no_shows"], r.no_shows],
            [t["cancelled"], r.cancelled], [t["transferred"], r.transferred],
            [t["wait"], f"{_num(r.wait_p50)} / {_num(r.wait_p90)} / {_num(r.wait_max)}"],
            [t["service"], f"{_num(r.service_p50)} / {_num(r.service_p90)}"], [t["target"], share]]
    table = Table(rows, colWidths=[110 * mm, 40 * mm])
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 9), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#C9D3DD"))]))
    return table


def _services_table(rows: tuple[ReportRow, ...], t: dict[str, str]) -> Table:
    head = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=8, leading=9.5)
    data: list[list[object]] = [[Paragraph(x, head) for x in (t["code"], t["name"], t["issued"], t["served"],
                                                               t["no_shows"], t["p50"], t["p90"])]]
    for r in rows:
        data.append([r.key, Paragraph(r.name, ParagraphStyle("cell", fontSize=8, leading=9.5)), r.issued, r.served,
                     r.no_shows, _num(r.wait_p50), _num(r.wait_p90)])
    return _table(data, [12, 64, 21, 19, 19, 18, 18])


def _ikm_table(ikm: IkmReport, t: dict[str, str]) -> Table:
    data: list[list[object]] = [[t["code"], t["name"], t["respondents"], t["index"], t["grade"], t["rating"]]]
    for r in (*ikm.rows, ikm.total):
        data.append([r.key if r.key != "total" else "", r.name or "Total", r.respondents,
                     _num(r.index), r.grade or "–", r.label or "–"])
    return _table(data, [13, 75, 22, 18, 14, 30])


def _per_day(ax, report: Report, t: dict[str, str]) -> None:  # noqa: ANN001 - matplotlib axes
    days = report.sections["day"]
    labels = [r.key[8:10] for r in days]
    ax.bar(labels, [r.issued for r in days], color=BLUE, label=t["issued"])
    ax.plot(labels, [r.served for r in days], color="#E65100", marker="o", markersize=3, label=t["served"])
    ax.set_ylabel(t["tickets"], fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)


def _per_hour(ax, report: Report, t: dict[str, str]) -> None:  # noqa: ANN001 - matplotlib axes
    ax.bar([f"{h.hour:02d}" for h in report.hours], [h.per_day for h in report.hours], color=BLUE)
    ax.set_ylabel(f"{t['tickets']} / hari" if t is T["id"] else f"{t['tickets']} / day", fontsize=8)


def _wait_dist(ax, report: Report, t: dict[str, str]) -> None:  # noqa: ANN001 - matplotlib axes
    bins = report.wait_bins
    labels = [f"{lo}–{lo + 9}" for lo, _ in bins[:-1]] + [f"{bins[-1][0]}+"] if bins else []
    ax.bar(labels, [n for _, n in bins], color=BLUE)
    ax.set_xlabel(t["minutes"], fontsize=8)
    ax.set_ylabel(t["tickets"], fontsize=8)


def _signature(report: Report, t: dict[str, str], place: str, lang: str) -> KeepTogether:
    last = report.end
    day = f"{last.day} {MONTHS_ID[last.month]} {last.year}" if lang == "id" else f"{last:%d %B %Y}"
    who = report.agency_name or report.venue
    lines = [t["made"].format(place=place or "........................", day=day), t["known"],
             t["head"].format(agency=who), "", "", "", "(.......................................)",
             f"{t['nip']} ...............................", ]
    block = Table([[""], *[[Paragraph(x, ParagraphStyle("sig", fontSize=9.5, leading=13))] for x in lines]],
                  colWidths=[80 * mm])
    wrapper = Table([["", block]], colWidths=[94 * mm, 80 * mm])
    return KeepTogether([wrapper])
