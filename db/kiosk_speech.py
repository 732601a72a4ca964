"""What the kiosk says in audio mode (Qt-free): element descriptions, the printed ticket, the idle warning.

Indonesian first (the kiosk's audio mode speaks Indonesian through the display's `poz/id` voice);
English texts exist for a kiosk switched to English. Ticket codes are read the way the lobby
display reads them (db.announce), so a citizen hears the same words at the kiosk and at the call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from db.announce import read_code, read_code_en

ROLES = {  # role key: (id, en)
    "button": ("tombol", "button"),
    "text": ("teks", "text"),
    "heading": ("judul", "heading"),
}
_WORDS = {
    "disabled": ("tidak tersedia", "not available"),
    "focus": ("terpilih", "selected"),
    "audio_on": ("Mode suara aktif. Tekan panah atas atau bawah untuk berpindah, Enter untuk memilih, "
                 "Kembali untuk kembali, dan Bantuan untuk mengulang.",
                 "Audio mode on. Press up or down to move, Enter to choose, Back to go back, "
                 "and Help to repeat."),
    "idle": ("Masih di sini? Pilihan Anda akan dihapus dalam {s} detik. Tekan tombol apa saja untuk melanjutkan.",
             "Are you still there? Your choices will be cleared in {s} seconds. Press any key to continue."),
    "ticket": ("Nomor antrian Anda, {code}. Layanan {service}. {ahead}. {where}Simpan tiket Anda dan tunggu "
               "panggilan.",
               "Your number is {code}. Service: {service}. {ahead}. {where}Keep your ticket and wait for the call."),
    "ahead0": ("Tidak ada orang di depan Anda", "Nobody is ahead of you"),
    "ahead": ("{n} orang di depan Anda", "{n} people ahead of you"),
    "where": ("Lokasi loket, {zones}. ", "Counters at {zones}. "),
    "volume": ("Volume {p} persen", "Volume {p} percent"),
    "print_failed": ("Maaf, tiket tidak tercetak. Nomor antrian Anda tetap berlaku: {code}. Silakan minta bantuan "
                     "petugas.",
                     "Sorry, the ticket did not print. Your number is still valid: {code}. Please ask a member of "
                     "staff for help."),
}
_SYMBOLS = re.compile(r"[\u2190-\u21FF\u2500-\u27BF\u2610\u2611\u25C0\u25B6\u2022\u231B]+")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def spoken_text(text: str) -> str:
    """Visible text as it should be spoken: no arrows, bullets or boxes, no markup, one line."""
    text = re.sub(r"<[^>]+>", "", text)
    text = _SYMBOLS.sub(" ", text)
    return " ".join(text.split())


def describe(name: str, role: str, *, enabled: bool = True, detail: Sequence[str] = (), lang: str = "id") -> str:
    """One element read aloud: its name, its role, its state, then what else it says ('KTP, tombol, 3 menunggu')."""
    parts = [spoken_text(name), _pick(ROLES.get(role, ROLES["text"]), lang)] if role != "text" else [spoken_text(name)]
    if not enabled:
        parts.append(_pick(_WORDS["disabled"], lang))
    parts += [spoken_text(d) for d in detail if spoken_text(d)]
    return ", ".join(p for p in parts if p) + "."


def audio_intro(lang: str = "id") -> str:
    """What audio mode says when it starts (how to use the keypad)."""
    return _pick(_WORDS["audio_on"], lang)


def idle_warning(seconds: int, lang: str = "id") -> str:
    """The spoken idle warning: seconds left and that any key keeps the choices."""
    return _pick(_WORDS["idle"], lang).format(s=seconds)


def volume_text(volume: float, lang: str = "id") -> str:
    """The new volume, said after a volume key."""
    return _pick(_WORDS["volume"], lang).format(p=round(volume * 100))


def print_failed_speech(code: str, lang: str = "id") -> str:
    """Said when the ticket could not be printed: the number stays valid, staff can help."""
    return _pick(_WORDS["print_failed"], lang).format(code=read_code_en(code) if lang == "en" else read_code(code))


def ticket_speech(code: str, service: str, ahead: int, zones: Sequence[str], lang: str = "id") -> str:
    """The printed ticket read aloud: number (as the display calls it), service, people ahead, where to go."""
    ahead_text = _pick(_WORDS["ahead0"], lang) if ahead <= 0 else _pick(_WORDS["ahead"], lang).format(n=ahead)
    where = _pick(_WORDS["where"], lang).format(zones=", ".join(zones)) if zones else ""
    spoken_code = read_code_en(code) if lang == "en" else read_code(code)
    return _pick(_WORDS["ticket"], lang).format(code=spoken_code, service=spoken_text(service), ahead=ahead_text,
                                                where=where)
