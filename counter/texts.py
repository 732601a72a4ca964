"""Every word the console shows, in Bahasa Indonesia (default) and English."""

from __future__ import annotations


from db.errors import AntreError, DatabaseUnavailable, Refused

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Konsol Petugas Loket", "Counter officer console"),
    # Actions (button labels).
    "next": ("Panggil Berikutnya", "Call next"),
    "recall": ("Panggil Ulang", "Recall"),
    "start": ("Mulai Layani", "Start serving"),
    "finish": ("Selesai", "Finish"),
    "no_show": ("Tidak Hadir", "No-show"),
    "transfer": ("Alihkan", "Transfer"),
    "hold": ("Tahan", "Hold"),
    "resume": ("Lanjutkan", "Resume"),
    "break": ("Istirahat", "Break"),
    "open": ("Buka Loket", "Open counter"),
    "call": ("Panggil Pilihan", "Call selected"),
    "sign_out": ("Keluar", "Sign out"),
    # States of the counter.
    "state_free": ("LOKET SIAP", "COUNTER READY"),
    "state_closed": ("ISTIRAHAT · LOKET TUTUP", "ON BREAK · COUNTER CLOSED"),
    "state_called": ("DIPANGGIL · MENUNGGU WARGA DATANG", "CALLED · WAITING FOR THE CITIZEN"),
    "state_serving": ("SEDANG DILAYANI", "SERVING"),
    "state_offline": ("TIDAK TERSAMBUNG", "NOT CONNECTED"),
    "idle_free": ("Tekan F1 untuk memanggil\ntiket berikutnya", "Press F1 to call\nthe next ticket"),
    "idle_empty": ("Antrean kosong:\nbelum ada tiket yang menunggu", "The queue is empty:\nno ticket is waiting"),
    "idle_closed": ("Loket tampil TUTUP di layar.\nF8 membuka loket · F1 langsung memanggil",
                    "The display shows this counter CLOSED.\nF8 opens it · F1 calls at once"),
    "idle_offline": ("Server antrean tidak terjangkau.\nMenyambung ulang otomatis…",
                     "The queue server is unreachable.\nReconnecting automatically…"),
    "waited": ("Lama tunggu {minutes}", "Waited {minutes}"),
    "called_ago": ("Dipanggil {clock} lalu", "Called {clock} ago"),
    "serving_for": ("Lama layanan {clock}", "Serving for {clock}"),
    "priority": ("PRIORITAS", "PRIORITY"),
    "recalls": ("Dipanggil ulang {n}×", "Recalled {n}×"),
    "suggest_no_show": ("Sudah dipanggil ulang {n}× — tandai Tidak Hadir? (F5)",
                        "Recalled {n}× already — mark as no-show? (F5)"),
    "transferred_note": ("Catatan: {note}", "Note: {note}"),
    "minutes": ("{n} mnt", "{n} min"),
    # Lists and figures.
    "waiting_title": ("Menunggu ({n})", "Waiting ({n})"),
    "parked_title": ("Ditahan di loket ini ({n})", "Parked at this counter ({n})"),
    "no_waiting": ("Tidak ada tiket yang menunggu", "No ticket is waiting"),
    "today": ("Hari ini", "Today"),
    "fig_counter": ("Loket", "Counter"),
    "fig_officer": ("Anda", "You"),
    "served": ("Dilayani", "Served"),
    "no_shows": ("Tidak hadir", "No-shows"),
    "mean": ("Rata-rata", "Mean"),
    "median": ("Median", "Median"),
    "no_value": ("–", "–"),
    # Banners and notices.
    "offline": ("SERVER ANTREAN TIDAK TERJANGKAU · semua tombol nonaktif · menyambung ulang otomatis…",
                "QUEUE SERVER UNREACHABLE · actions disabled · reconnecting automatically…"),
    "connecting": ("Menyambung ke server antrean…", "Connecting to the queue server…"),
    "back_online": ("Tersambung kembali ke server antrean.", "Connected to the queue server again."),
    "not_done": ("Tidak dilakukan: server antrean tidak terjangkau. Coba lagi setelah tersambung.",
                 "Not done: the queue server is unreachable. Try again once connected."),
    "stale": ("DATA LAMA · terakhir diperbarui pukul {clock}, mungkin sudah berubah",
              "OLD DATA · last updated at {clock}, it may have changed"),
    "stale_short": ("data pukul {clock}", "data of {clock}"),
    "empty": ("ANTREAN KOSONG: tidak ada tiket yang menunggu untuk loket ini.",
              "QUEUE EMPTY: no ticket is waiting for this counter."),
    "did_next": ("{code} dipanggil ke {counter}.", "{code} called to {counter}."),
    "did_call": ("{code} dipanggil ke {counter}.", "{code} called to {counter}."),
    "did_recall": ("{code} dipanggil ulang.", "{code} recalled."),
    "did_start": ("Mulai melayani {code}.", "Serving {code}."),
    "did_finish": ("{code} selesai dilayani.", "{code} finished."),
    "did_no_show": ("{code} ditandai tidak hadir.", "{code} marked as no-show."),
    "did_transfer": ("{code} dialihkan ke layanan {service}.", "{code} transferred to service {service}."),
    "did_hold": ("{code} ditahan. Loket bebas memanggil.", "{code} parked. The counter is free to call."),
    "did_resume": ("{code} dilanjutkan.", "{code} resumed."),
    "did_break": ("Loket ditutup untuk istirahat.", "Counter closed for a break."),
    "did_open": ("Loket dibuka.", "Counter opened."),
    "taken_over": ("Anda telah keluar: loket atau akun dipakai di tempat lain.",
                   "You were signed out: the counter or your account was taken elsewhere."),
    "config_problem": ("Pengaturan venue bermasalah (memakai nilai bawaan): {problems}",
                       "Venue settings problem (defaults used): {problems}"),
    # Sign-in and PIN pages.
    "sign_in_title": ("Masuk ke Loket", "Sign in to a counter"),
    "counter": ("Loket", "Counter"),
    "username": ("Nama pengguna", "Username"),
    "pin": ("PIN", "PIN"),
    "sign_in": ("Masuk", "Sign in"),
    "signing_in": ("Memeriksa…", "Checking…"),
    "fixed_counter": ("Loket PC ini: {name}", "This PC's counter: {name}"),
    "unknown_counter": ("Loket {code} tidak dikenal; pilih loket.", "Counter {code} is unknown; choose one."),
    "fill_in": ("Isi nama pengguna dan PIN.", "Enter username and PIN."),
    "si_unknown": ("Nama pengguna tidak dikenal atau nonaktif.", "Unknown or disabled username."),
    "si_wrong_pin": ("PIN salah. Sisa {left} percobaan sebelum akun terkunci.",
                     "Wrong PIN. {left} tries left before the account locks."),
    "si_wrong_pin_plain": ("PIN salah.", "Wrong PIN."),
    "si_locked": ("Akun terkunci karena terlalu banyak PIN salah. Coba lagi pukul {until}.",
                  "Account locked after too many wrong PINs. Try again at {until}."),
    "si_not_allowed": ("{counter} milik instansi lain. Hubungi supervisor.",
                       "{counter} belongs to another agency. Ask a supervisor."),
    "si_no_pin": ("PIN belum diatur. Hubungi administrator.", "No PIN set yet. Ask an administrator."),
    "pin_title": ("Buat PIN baru", "Choose a new PIN"),
    "pin_why": ("Halo {name}. PIN Anda harus diganti sebelum mulai bekerja.",
                "Hello {name}. Your PIN must be changed before you start."),
    "new_pin": ("PIN baru", "New PIN"),
    "repeat_pin": ("Ulangi PIN baru", "Repeat the new PIN"),
    "save_pin": ("Simpan PIN", "Save PIN"),
    "cancel_sign_out": ("Batal dan keluar", "Cancel and sign out"),
    "pins_differ": ("Kedua PIN tidak sama.", "The two PINs differ."),
    "pin_saved": ("PIN baru tersimpan.", "New PIN saved."),
    # Transfer dialog.
    "transfer_title": ("Alihkan {code} ke layanan lain", "Transfer {code} to another service"),
    "transfer_target": ("Layanan tujuan", "Target service"),
    "transfer_note": ("Catatan untuk loket tujuan (alasan)", "Note for the receiving counter (why)"),
    "cancel": ("Batal", "Cancel"),
    "choose_service": ("Pilih layanan tujuan.", "Choose the target service."),
}

# Refusal reasons of the engine, as the officer should read them.
_REASON: dict[str, tuple[str, str]] = {
    "busy": ("Loket masih memegang tiket: selesaikan, tahan, atau tandai tidak hadir dulu.",
             "The counter still holds a ticket: finish, hold or mark it no-show first."),
    "no_ticket": ("Loket tidak sedang memegang tiket.", "The counter holds no ticket."),
    "state": ("Tiket sudah berubah status (mungkin di loket lain). Daftar diperbarui.",
              "The ticket's state changed (maybe at another counter). The list is refreshed."),
    "empty": _TEXT["empty"],
    "wrong_counter": ("Loket ini tidak melayani tiket itu.", "This counter does not serve that ticket."),
    "same_service": ("Tiket sudah berada di layanan itu.", "The ticket is already in that service."),
    "inactive": ("Layanan tujuan tidak aktif.", "The target service is not offered."),
    "closed": ("Layanan sedang tutup.", "The service is closed now."),
    "bad_pin": ("PIN harus 4–12 angka 0–9.", "A PIN has 4 to 12 digits 0-9."),
    "same_pin": ("PIN baru harus berbeda dari PIN lama.", "The new PIN must differ from the old one."),
    "weak_pin": ("PIN terlalu mudah ditebak (angka berulang atau berurutan).",
                 "The PIN is too easy to guess (repeated or consecutive digits)."),
    "wrong_pin": _TEXT["si_wrong_pin_plain"],
    "locked": ("Akun terkunci karena terlalu banyak PIN salah. Coba lagi beberapa menit lagi.",
               "Account locked after too many wrong PINs. Try again in a few minutes."),
}


class Texts:
    """UI text in one language: `t("next")`, `t("recalls", n=2)`."""

    def __init__(self, lang: str = "id") -> None:
        self.lang = lang if lang in ("id", "en") else "id"
        self._i = 0 if self.lang == "id" else 1

    def __call__(self, key: str, **values: object) -> str:
        return _TEXT[key][self._i].format(**values)

    def error(self, error: Exception) -> str:
        """An engine error as the officer should read it."""
        if isinstance(error, DatabaseUnavailable):
            return self("not_done")
        if isinstance(error, Refused) and error.reason in _REASON:
            return _REASON[error.reason][self._i]
        if isinstance(error, AntreError):
            return str(error)  # e.g. NotFound names the unknown thing; clearer than a vague guess
        return f"{type(error).__name__}: {error}"


def minutes_text(t: Texts, seconds: float) -> str:
    """Whole minutes, e.g. '12 mnt'."""
    return t("minutes", n=max(0, int(seconds // 60)))


def clock_text(seconds: float) -> str:
    """Elapsed time as m:ss, or h:mm:ss past an hour."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def figure_text(t: Texts, value: float | None) -> str:
    """A figure in minutes with one decimal in the language's style (6,5 mnt / 6.5 min)."""
    if value is None:
        return t("no_value")
    number = f"{value:.1f}"
    return t("minutes", n=number.replace(".", ",") if t.lang == "id" else number)
