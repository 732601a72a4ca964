"""Every word the lobby display shows: Bahasa Indonesia first, English as the subtitle."""

from __future__ import annotations

from datetime import datetime

TEXT: dict[str, tuple[str, str]] = {
    "now_calling": ("PANGGILAN", "Now calling"),
    "go_to": ("silakan menuju", "please go to"),
    "no_calls": ("Belum ada panggilan", "No calls yet"),
    "counters": ("LOKET", "Counters"),
    "closed": ("TUTUP", "Closed"),
    "idle": ("—", ""),
    "previous": ("PANGGILAN SEBELUMNYA", "Previous calls"),
    "previous_short": ("SEBELUMNYA", "Previous"),
    "to_come": ("+{n} MENYUSUL", "+{n} to come"),  # calls waiting for room on the screen (a burst)
    "waiting": ("MENUNGGU", "Waiting"),
    "waiting_none": ("Tidak ada antrean", "Nobody waiting"),
    "more": ("+{n} lainnya", "+{n} more"),
    "offline": ("TIDAK TERHUBUNG KE SERVER ANTREAN — mencoba lagi…", "Offline — retrying"),
    "offline_short": ("SERVER ANTREAN TERPUTUS", "Offline"),
    "no_speech": ("Suara panggilan tidak tersedia", "Spoken calls unavailable"),
    "config_problem": ("Pengaturan layar bermasalah", "Display settings problem"),
    "no_counters": ("Tidak ada loket di layar ini", "No counters on this screen"),
}

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def t(key: str, **values: object) -> str:
    """The Indonesian text."""
    return TEXT[key][0].format(**values)


def en(key: str, **values: object) -> str:
    """The English subtitle."""
    return TEXT[key][1].format(**values)


def long_date(moment: datetime) -> str:
    """'Senin, 23 November 2026'."""
    return f"{DAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def short_date(moment: datetime) -> str:
    """'Senin, 23 Nov': for a header with little room."""
    return f"{DAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1][:3]}"


def clock(moment: datetime) -> str:
    """'09.41': Indonesian writes the time with a dot."""
    return f"{moment.hour:02d}.{moment.minute:02d}"
