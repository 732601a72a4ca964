"""A realistic venue for screenshots and the benchmark (the lobby of a mid-sized MPP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from db import open_database, unit_of_work
from db.config import load_config
from db.operators import open_counter
from db.queue import call_next, issue_ticket, no_show
from db.tokens import ticket_url

# Monday 14:30 in Jakarta: most offices are open; in the full demo venue POLRES' and IMIGRASI's
# morning services (until 14:00) are closed, so the screenshots show both kinds of tile.
DEMO_NOW = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)

_AGENCIES = [
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Civil Registry", "#0D47A1", "KTP"),
    ("IMIGRASI", "Kantor Imigrasi", "Immigration Office", "#004D40", "PSP"),
    ("POLRES", "Kepolisian Resor (SIM & SKCK)", "Police (licences, records)", "#3E2723", "POL"),
    ("BPJSKES", "BPJS Kesehatan", "Health Insurance (BPJS)", "#1B5E20", ""),
    ("BPJSTK", "BPJS Ketenagakerjaan", "Employment Insurance", "#006064", ""),
    ("SAMSAT", "Samsat (Pajak Kendaraan)", "Vehicle Tax Office", "#B71C1C", "PKB"),
    ("PAJAK", "Kantor Pelayanan Pajak Pratama", "Tax Office", "#E65100", "NPWP"),
    ("DPMPTSP", "Perizinan Terpadu Satu Pintu", "One-Stop Permits", "#4A148C", "IZIN"),
    ("BPN", "Badan Pertanahan Nasional", "Land Agency", "#33691E", ""),
    ("KEMENAG", "Kementerian Agama", "Religious Affairs", "#263238", "KUA"),
    ("PDAM", "PDAM Tirta Kencana", "Water Utility", "#01579B", "AIR"),
    ("PLN", "PLN (Listrik)", "Electricity (PLN)", "#F57F17", ""),
]

_SERVICES = [
    ("DUKCAPIL", "A", "Perekaman KTP-el", "ID card recording",
     ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW", "Hadir sendiri untuk foto dan sidik jari"],
     ["Copy of family card", "Cover letter from RT/RW", "Come in person for photo and fingerprints"], 0, 15, None),
    ("DUKCAPIL", "B", "Kartu Keluarga (baru / perubahan)", "Family card (new / change)",
     ["KK lama asli", "Fotokopi buku nikah / akta cerai", "Surat keterangan pindah (bila pindah)"],
     ["Original old family card", "Copy of marriage or divorce certificate", "Moving letter (if moving)"], 0,
     60, 3),
    ("DUKCAPIL", "C", "Akta Kelahiran", "Birth certificate",
     ["Surat keterangan lahir", "Fotokopi KK dan KTP orang tua"], ["Birth letter", "Copies of parents' IDs"],
     0, 30, None),
    ("IMIGRASI", "P", "Paspor baru / penggantian", "New or replacement passport",
     ["KTP-el asli", "Kartu Keluarga asli", "Akta lahir / ijazah / buku nikah", "Bukti bayar PNBP"],
     ["Original ID card", "Original family card", "Birth / school / marriage certificate", "Fee receipt"],
     350000, 4 * 24 * 60, None),
    ("POLRES", "S", "Perpanjangan SIM A / C", "Driving licence renewal",
     ["SIM lama", "KTP-el asli", "Surat keterangan sehat", "Hasil tes psikologi"],
     ["Old licence", "Original ID card", "Health certificate", "Psychology test result"], 80000, 60, None),
    ("POLRES", "K", "SKCK", "Police clearance (SKCK)", ["KTP-el", "Pas foto 4x6 latar merah (6 lembar)"],
     ["ID card", "Six 4x6 photos, red background"], 30000, 30, None),
    ("BPJSKES", "D", "Pendaftaran & perubahan data", "Registration and data changes", ["KTP-el", "KK"],
     ["ID card", "Family card"], 0, 20, None),
    ("BPJSTK", "E", "Klaim Jaminan Hari Tua", "Old-age savings claim",
     ["Kartu peserta", "KTP-el", "Surat keterangan berhenti bekerja", "Buku tabungan"],
     ["Member card", "ID card", "Letter of resignation", "Bank book"], 0, 60, None),
    ("SAMSAT", "F", "Pajak kendaraan tahunan", "Yearly vehicle tax", ["STNK asli", "KTP-el pemilik"],
     ["Original vehicle registration", "Owner's ID card"], 0, 20, None),
    ("PAJAK", "G", "Pendaftaran NPWP", "Tax number registration", ["KTP-el"], ["ID card"], 0, 30, None),
    ("DPMPTSP", "H", "Izin usaha (NIB)", "Business licence (NIB)", ["KTP-el", "NPWP"], ["ID card", "Tax number"],
     0, 24 * 60, None),
    ("BPN", "J", "Pengecekan sertifikat tanah", "Land certificate check", ["Sertifikat asli", "KTP-el"],
     ["Original certificate", "ID card"], 50000, 3 * 24 * 60, None),
    ("KEMENAG", "M", "Pendaftaran nikah", "Marriage registration", ["N1-N4 dari kelurahan", "KTP-el calon"],
     ["Forms N1-N4 from the village office", "IDs of the couple"], 0, 30, None),
    ("PDAM", "W", "Pasang baru & pengaduan", "New connection and complaints", ["KTP-el", "Rekening terakhir"],
     ["ID card", "Last bill"], 0, 15, None),
    ("PLN", "L", "Pasang baru & tambah daya", "New connection, more power", ["KTP-el", "Denah lokasi"],
     ["ID card", "Site sketch"], 0, 20, None),
]


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def demo_venue_toml(printer_device: str = "none") -> str:
    """The venue file text: 12 agencies, 15 services, counters, an admin; [printer] device as given."""
    out = [
        "[venue]", 'name = "Mal Pelayanan Publik Kota Harapan"', 'address = "Jl. Jenderal Sudirman 45, Harapan"',
        'timezone = "Asia/Jakarta"', 'ticket_footer = "Terima kasih atas kunjungan Anda"', "",
        "[kiosk]", 'orientation = "portrait"', "",
        "[printer]", f'device = "{printer_device}"', "paper_mm = 80", "",
    ]
    for code, name, name_en, color, icon in _AGENCIES:
        out += ["[[agencies]]", f'code = "{code}"', f'name = "{name}"', f'name_en = "{name_en}"',
                f'color = "{color}"', f'icon = "{icon}"', ""]
    for agency, code, name, name_en, req, req_en, fee, minutes, quota in _SERVICES:
        out += ["[[services]]", f'agency = "{agency}"', f'code = "{code}"', f'name = "{name}"',
                f'name_en = "{name_en}"', f"requirements = {_toml_list(req)}",
                f"requirements_en = {_toml_list(req_en)}", f"fee = {fee}", f"completion_minutes = {minutes}"]
        if quota:
            out.append(f"daily_quota = {quota}")
        if code == "S":
            out.append('hours = { mon = [["13:00", "15:00"]], tue = [["13:00", "15:00"]], '
                       'wed = [["13:00", "15:00"]], thu = [["13:00", "15:00"]], fri = [["13:00", "15:00"]] }')
        out.append("")
    for i, (agency, code, *_rest) in enumerate(_SERVICES, start=1):
        out += ["[[counters]]", f'code = "L{i:02d}"', f'name = "Loket {i}"', f'agency = "{agency}"',
                f'services = ["{code}"]', 'zone = "Lantai 1"', ""]
    out += ["[[operators]]", 'username = "admin"', 'name = "Admin MPP"', 'role = "admin"', 'pin = "2468"', ""]
    return "\n".join(out)


FULL_VENUE = Path(__file__).resolve().parent.parent / "assets" / "demo-venue.toml"


def seed(folder: Path, *, full: bool = True) -> tuple[str, str]:
    """A database with a busy afternoon and one no-show to scan back (its QR text).

    `full`: the project's demo venue (assets/demo-venue.toml: 18 agencies, 65 services, 26
    counters), the size the screenshots and screen tests check; else the 12-agency venue above.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if full:
        venue = FULL_VENUE
        counters = ("L01", "L02", "L03", "L04", "L06", "L07", "L09", "L15", "L17", "L20")
        queues = (("A", 9), ("B", 3), ("C", 4), ("PB", 12), ("SK", 5), ("JN", 6), ("PK", 7), ("AIR", 2))
    else:
        venue = folder / "venue.toml"
        venue.write_text(demo_venue_toml(), encoding="utf-8")
        counters = ("L01", "L02", "L03", "L04", "L07", "L09")
        queues = (("A", 9), ("B", 3), ("C", 4), ("P", 12), ("K", 5), ("D", 6), ("F", 7), ("W", 2))
    url = f"sqlite:///{folder / 'kiosk-demo.sqlite3'}"
    sessions = open_database(url, create=True)
    with unit_of_work(sessions) as s:
        load_config(s, venue)
        for code in counters:
            open_counter(s, code, now=DEMO_NOW)
        earlier = DEMO_NOW - timedelta(minutes=90)
        for service, n in queues:
            for i in range(n):
                issue_ticket(s, service, now=earlier + timedelta(minutes=2 * i))
        call_next(s, "L01", now=earlier)
        missed = no_show(s, "L01", now=earlier + timedelta(minutes=3))
        qr = ticket_url(s, missed.id)
    sessions.kw["bind"].dispose()
    return url, qr
