"""Every word the kiosk shows, in Bahasa Indonesia (default) and English."""

from __future__ import annotations

from datetime import datetime

from db.fees import rupiah
from db.ticket_layout import long_date

LANGS = ("id", "en")

_T: dict[str, tuple[str, str]] = {
    "lang_toggle": ("English", "Bahasa Indonesia"),
    "large_text": ("Teks besar", "Large text"),
    "choose_agency": ("Silakan pilih instansi", "Please choose an agency"),
    "choose_service": ("Pilih layanan", "Choose a service"),
    "waiting_n": ("{n} menunggu", "{n} waiting"),
    "waiting_people": ("Menunggu: {n} orang", "Waiting: {n} people"),
    "est_wait": ("Perkiraan tunggu: {m} menit", "Estimated wait: {m} min"),
    "est_none": ("Belum ada loket buka", "No counter open yet"),
    "back": ("Kembali", "Back"),
    "idle_title": ("Masih di sini?", "Are you still there?"),
    "idle_body": ("Pilihan Anda akan dihapus dan layar kembali ke awal dalam {s} detik.",
                  "Your choices will be cleared and the screen will return to the start in {s} seconds."),
    "idle_keep": ("Lanjutkan", "Continue"),
    "page_prev": ("Sebelumnya", "Previous"),
    "page_next": ("Berikutnya", "Next"),
    "page_of": ("Halaman {page} dari {pages}", "Page {page} of {pages}"),
    "requirements": ("Persyaratan yang perlu dibawa", "What to bring"),
    "no_requirements": ("Tidak ada persyaratan khusus", "No special requirements"),
    "where": ("Lokasi loket: {zones}", "Counters at: {zones}"),
    "completion": ("Waktu penyelesaian", "Completion time"),
    "completion_same_day": ("Selesai di tempat", "Done on the spot"),
    "minutes": ("{m} menit", "{m} minutes"),
    "hours": ("{h} jam", "{h} hours"),
    "days": ("{d} hari kerja", "{d} working days"),
    "take": ("Ambil Antrean", "Take a number"),
    "priority": ("Prioritas", "Priority"),
    "priority_take": ("Antrean Prioritas", "Priority number"),
    "priority_for": ("Antrean prioritas untuk {names}.", "Priority numbers are for: {names}."),
    "priority_title": ("Antrean prioritas untuk", "Priority queue for"),
    "your_number": ("Nomor antrean Anda", "Your queue number"),
    "printing": ("Tiket sedang dicetak, silakan ambil di bawah", "Your ticket is printing below"),
    "printed": ("Silakan ambil tiket Anda", "Please take your ticket"),
    "ahead": ("Di depan Anda: {n} orang", "People ahead of you: {n}"),
    "print_failed_title": ("Tiket tidak dapat dicetak", "The ticket could not be printed"),
    "print_failed_body": ("Nomor Anda tetap berlaku. Foto layar ini (nomor dan kode QR), lalu hubungi petugas.",
                          "Your number is valid. Take a photo of this screen (number and QR code) "
                          "and ask the staff."),
    "done": ("Selesai", "Done"),
    "unavailable_title": ("Layanan sementara tidak tersedia", "Service temporarily unavailable"),
    "unavailable_body": ("Mohon tunggu sebentar, kami sedang menyambung kembali.",
                         "Please wait a moment, we are reconnecting."),
    "loading": ("Memuat...", "Loading..."),
    "printer_title": ("Printer tiket bermasalah", "The ticket printer has a problem"),
    "printer_help": ("Mohon hubungi petugas untuk bantuan.", "Please ask the staff for help."),
    "printer_offline": ("Printer tidak terhubung", "Printer is offline"),
    "printer_paper_out": ("Kertas tiket habis", "Out of paper"),
    "printer_cover_open": ("Tutup printer terbuka", "Printer cover is open"),
    "printer_error": ("Printer tiket mengalami gangguan", "The ticket printer has a fault"),
    "config_title": ("Anjungan antrean belum siap digunakan", "This queue kiosk is not ready yet"),
    "refused_closed": ("Layanan ini sedang tutup", "This service is closed now"),
    "refused_quota": ("Kuota hari ini habis", "Today's quota is used up"),
    "refused_inactive": ("Layanan tidak tersedia", "Service not offered"),
    "refused_no_priority": ("Layanan ini tidak melayani antrean prioritas", "This service has no priority queue"),
    "refused_other": ("Tiket tidak dapat diambil", "A ticket cannot be taken"),
    "try_again": ("Silakan coba lagi. Bila masih gagal, hubungi petugas.",
                  "Please try again. If it still fails, ask the staff."),
    "scan_requeued": ("Nomor {code} masuk antrean lagi", "Number {code} is back in the queue"),
    "scan_requeued_body": ("Di depan Anda: {n} orang. Silakan tunggu panggilan.",
                           "People ahead of you: {n}. Please wait for your call."),
    "scan_waiting": ("Nomor {code} masih dalam antrean", "Number {code} is still in the queue"),
    "scan_waiting_body": ("Di depan Anda: {n} orang. Silakan tunggu panggilan.",
                          "People ahead of you: {n}. Please wait for your call."),
    "scan_called": ("Nomor {code} sedang dipanggil", "Number {code} is being called"),
    "scan_called_body": ("Silakan segera menuju {counter}.", "Please go to {counter} now."),
    "scan_serving": ("Nomor {code} sedang dilayani", "Number {code} is being served"),
    "scan_serving_body": ("Silakan kembali ke loket yang melayani Anda.", "Please return to your counter."),
    "scan_done": ("Nomor {code} sudah selesai dilayani", "Number {code} has already been served"),
    "scan_done_body": ("Untuk keperluan lain, silakan ambil nomor baru.", "For anything else, take a new number."),
    "scan_cancelled": ("Nomor {code} sudah dibatalkan", "Number {code} was cancelled"),
    "scan_cancelled_body": ("Silakan ambil nomor baru.", "Please take a new number."),
    "scan_old": ("Tiket ini bukan tiket hari ini", "This ticket is not from today"),
    "scan_old_body": ("Tiket hanya berlaku pada hari diambil. Silakan ambil nomor baru.",
                      "A ticket is valid only on its day. Please take a new number."),
    "scan_unknown": ("Tiket tidak dikenali", "Ticket not recognised"),
    "scan_unknown_body": ("Kode QR ini bukan tiket antrean kami. Hubungi petugas bila perlu.",
                          "This QR code is not one of our tickets. Ask the staff if needed."),
    "staff_title": ("Petugas: masukkan PIN", "Staff: enter PIN"),
    "staff_wrong": ("PIN salah", "Wrong PIN"),
    "staff_checking": ("Memeriksa...", "Checking..."),
    "staff_menu": ("Menu petugas", "Staff menu"),
    "staff_exit": ("Tutup aplikasi anjungan", "Close the kiosk app"),
    "staff_test": ("Cetak tiket uji", "Print a test ticket"),
    "cancel": ("Batal", "Cancel"),
    "ok": ("OK", "OK"),
    "clear": ("Hapus", "Clear"),
    "closed_label": ("Tutup", "Closed"),
    "booking_button": ("Punya kode booking?", "Have a booking code?"),
    "booking_title": ("Masukkan kode booking Anda", "Enter your booking code"),
    "booking_hint": ("Ketik kodenya dengan tombol di bawah, atau pindai kode dari ponsel Anda di pemindai.",
                     "Type the code with the keys below, or scan the code on your phone at the scanner."),
    "booking_key": ("Tombol {k}", "Key {k}"),
    "booking_delete": ("Hapus satu huruf", "Delete one character"),
    "booking_clear": ("Hapus semua", "Clear all"),
    "booking_code_name": ("Kode booking", "Booking code"),
    "booking_submit_name": ("Ambil antrean dengan kode booking", "Take a number with the booking code"),
    "booking_checking": ("Memeriksa kode...", "Checking the code..."),
}


def tr(key: str, lang: str, **args: object) -> str:
    """The text for `key` in `lang` ('id' or 'en'), with {placeholders} filled."""
    pair = _T[key]
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**args) if args else text


__all__ = ["LANGS", "date_text", "duration", "refusal", "rupiah", "tr", "wait_text"]


def duration(minutes: int, lang: str) -> str:
    """A completion time in the units a citizen thinks in."""
    if minutes <= 0:
        return tr("completion_same_day", lang)
    if minutes < 120:
        return tr("minutes", lang, m=minutes)
    if minutes < 24 * 60:
        hours = minutes / 60
        return tr("hours", lang, h=f"{hours:g}" if hours == int(hours) else f"{hours:.1f}".replace(".", ","))
    return tr("days", lang, d=round(minutes / (24 * 60)))


def wait_text(minutes: int | None, lang: str) -> str:
    """'Perkiraan tunggu: 20 menit' or the no-counter text."""
    return tr("est_none", lang) if minutes is None else tr("est_wait", lang, m=minutes)


def date_text(moment: datetime, lang: str) -> str:
    return long_date(moment, lang)


def refusal(reason: str, lang: str) -> str:
    """UI text for an engine refusal code."""
    key = f"refused_{reason}"
    return tr(key if key in _T else "refused_other", lang)
