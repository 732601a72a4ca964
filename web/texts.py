"""Page texts in Bahasa Indonesia (the default) and English, and choosing by Accept-Language."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "lang": "id",
        "title_ticket": "Tiket Antrean",
        "title_status": "Antrean Saat Ini",
        "service": "Layanan",
        "status_waiting": "Menunggu",
        "status_called": "Dipanggil",
        "status_serving": "Sedang dilayani",
        "status_held": "Sedang dilayani",
        "status_done": "Selesai",
        "status_no_show": "Tidak hadir saat dipanggil",
        "status_cancelled": "Dibatalkan",
        "status_transferred": "Dialihkan",
        "ahead": "Di depan Anda",
        "people": "orang",
        "wait": "Perkiraan tunggu",
        "minutes": "menit",
        "no_counter": "belum ada loket yang buka",
        "no_queue": "tanpa antre",
        "go_to": "Silakan menuju",
        "your_number": "Nomor Anda dipanggil",
        "recalled": "Panggilan ulang",
        "ok": "OK, saya menuju ke sana",
        "sound_on": "Aktifkan suara & getar",
        "sound_is_on": "Suara aktif",
        "live": "Terhubung · diperbarui otomatis",
        "reconnecting": "Menyambung ulang…",
        "no_show_help": "Anda tidak hadir saat dipanggil. Hari ini Anda masih bisa kembali mengantre: "
                        "pindai QR tiket ini di kiosk.",
        "done_help": "Terima kasih telah menggunakan layanan kami.",
        "serving_help": "Anda sedang dilayani di",
        "leave_hint": "Anda boleh meninggalkan ruang tunggu: halaman ini akan berbunyi dan bergetar saat "
                      "nomor Anda dipanggil. Biarkan halaman ini terbuka.",
        "status_link": "Lihat antrean semua layanan",
        "now_calling": "Sedang dipanggil",
        "waiting_total": "orang menunggu",
        "no_calls": "Belum ada panggilan hari ini.",
        "closed": "Tutup",
        "invalid_title": "Tiket tidak ditemukan",
        "invalid_body": "Kode pada QR ini tidak sah. Periksa kembali tiket Anda atau tanyakan petugas.",
        "old_title": "Tiket ini bukan untuk hari ini",
        "old_body": "Tiket antrean hanya berlaku pada hari dicetak. Silakan ambil tiket baru di kiosk.",
        "counter": "Loket",
        "updated": "Diperbarui",
        "survey_ask": "Bagaimana pelayanan yang Anda terima?",
        "survey_rated": "Terima kasih atas penilaian Anda. Bersedia mengisi survei lengkap?",
        "survey_more": "Isi survei lengkap ({n} pertanyaan)",
        "survey_send": "Kirim",
        "survey_only": "Kirim penilaian saja",
        "survey_auto": "Terkirim otomatis dalam {n} detik",
        "survey_full": "Survei Kepuasan Masyarakat",
        "survey_left": "Masih {n} pertanyaan belum dijawab",
        "survey_thanks": "Terima kasih! Pendapat Anda membantu kami melayani lebih baik.",
        "survey_done": "Survei untuk tiket ini sudah diisi. Terima kasih!",
        "survey_failed": "Maaf, penilaian belum terkirim. Periksa koneksi Anda lalu coba lagi.",
        "survey_retry": "Coba lagi",
    },
    "en": {
        "lang": "en",
        "title_ticket": "Queue Ticket",
        "title_status": "Queues Now",
        "service": "Service",
        "status_waiting": "Waiting",
        "status_called": "Called",
        "status_serving": "Being served",
        "status_held": "Being served",
        "status_done": "Done",
        "status_no_show": "Missed the call",
        "status_cancelled": "Cancelled",
        "status_transferred": "Transferred",
        "ahead": "Ahead of you",
        "people": "people",
        "wait": "Estimated wait",
        "minutes": "min",
        "no_counter": "no counter open yet",
        "no_queue": "no queue",
        "go_to": "Please go to",
        "your_number": "Your number is called",
        "recalled": "Called again",
        "ok": "OK, on my way",
        "sound_on": "Turn on sound & vibration",
        "sound_is_on": "Sound on",
        "live": "Connected · updates live",
        "reconnecting": "Reconnecting…",
        "no_show_help": "You were not there when called. You can still queue again today: scan this "
                        "ticket's QR at the kiosk.",
        "done_help": "Thank you for using our services.",
        "serving_help": "You are being served at",
        "leave_hint": "You may leave the waiting area: this page will ring and vibrate when your number "
                      "is called. Keep this page open.",
        "status_link": "See the queues of all services",
        "now_calling": "Now calling",
        "waiting_total": "people waiting",
        "no_calls": "No calls yet today.",
        "closed": "Closed",
        "invalid_title": "Ticket not found",
        "invalid_body": "The code in this QR is not valid. Check your ticket or ask the staff.",
        "old_title": "This ticket is not for today",
        "old_body": "A queue ticket is valid only on the day it was printed. Please take a new one at the kiosk.",
        "counter": "Counter",
        "updated": "Updated",
        "survey_ask": "How was the service you received?",
        "survey_rated": "Thank you for your rating. Would you answer the full survey?",
        "survey_more": "Answer the full survey ({n} questions)",
        "survey_send": "Send",
        "survey_only": "Send the rating only",
        "survey_auto": "Sent automatically in {n} s",
        "survey_full": "Public Satisfaction Survey",
        "survey_left": "{n} questions still unanswered",
        "survey_thanks": "Thank you! Your opinion helps us serve better.",
        "survey_done": "The survey for this ticket was already answered. Thank you!",
        "survey_failed": "Sorry, your rating was not sent. Check your connection and try again.",
        "survey_retry": "Try again",
    },
}


def choose_language(accept_language: str | None, query: str | None = None) -> str:
    """'id' unless the phone prefers English over Indonesian (or ?lang= says so)."""
    if query in TEXTS:
        return query
    best: tuple[float, str] = (0.0, "id")
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        if lang not in ("id", "in", "en"):  # "in" is the old code for Indonesian
            continue
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        score = q - position * 1e-3  # equal weights: the earlier wins
        if score > best[0]:
            best = (score, "en" if lang == "en" else "id")
    return best[1]
