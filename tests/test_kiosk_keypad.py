"""Issue 14: the kiosk used with a keypad only, in audio mode (a recording speech sink), on both databases.

The full demo venue (assets/demo-venue.toml) on the `new_db_url` fixture (SQLite and PostgreSQL).
Only qtbot.keyClick drives the kiosk: no mouse, no method calls.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton

from kiosk.demo_venue import DEMO_NOW
from qtkit.speech import DEFAULT_VOLUME, RecordingSpeech
from tests.kiosk_fixtures import load_venue, open_kiosk, tickets  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
K = Qt.Key
PAD = Qt.KeyboardModifier.KeypadModifier


@pytest.fixture
def demo_url(new_db_url, tmp_path) -> str:
    url = new_db_url()
    load_venue(url, (ROOT / "assets" / "demo-venue.toml").read_text(encoding="utf-8"), tmp_path)
    return url


@pytest.fixture
def kiosk(open_kiosk, demo_url):
    speech = RecordingSpeech()
    w = open_kiosk(demo_url, printer=None, clock=lambda: DEMO_NOW, speech=speech, lang="id")
    return w


def press(qtbot, w, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(w, key, modifier)


def focus_on(qtbot, w, accept, limit: int = 80) -> None:
    """Down until the focused element passes `accept` (as a blind citizen listens and goes on)."""
    for _ in range(limit):
        if w.keypad.focused is not None and accept(w.keypad.focused):
            return
        press(qtbot, w, K.Key_Down)
    raise AssertionError(f"never focused; last: {w.keypad.focused!r}")


def test_keypad_only_agency_service_ticket_spoken(qtbot, kiosk, demo_url):
    w, speech = kiosk, kiosk.keypad.speech
    press(qtbot, w, K.Key_F1)  # Help: audio mode, how to use it, then the focused element
    assert w.keypad.audio
    assert speech.said[-1].startswith("Mode suara aktif") and "Silakan pilih instansi" in speech.said[-1]
    assert w.keypad.ring.isVisible() and w.keypad.focused is w.home.title
    focus_on(qtbot, w, lambda e: getattr(e, "title", "").startswith("Dinas Kependudukan dan Pencatatan Sipil"))
    assert speech.said[-1].startswith("Dinas Kependudukan dan Pencatatan Sipil Kota Pasirwangi, tombol,")
    assert "menunggu" in speech.said[-1]
    press(qtbot, w, K.Key_Return)
    qtbot.waitUntil(lambda: w.view == "agency")
    qtbot.waitUntil(lambda: w.keypad.focused is w.agency.title)
    focus_on(qtbot, w, lambda e: getattr(e, "title", "") == "Perekaman KTP-el")
    press(qtbot, w, K.Key_5, PAD)  # the numeric keypad's 5 is Enter
    qtbot.waitUntil(lambda: w.view == "confirm")
    focus_on(qtbot, w, lambda e: e is w.confirm.take_button)
    assert speech.said[-1] == "Ambil Antrean, tombol." or speech.said[-1].endswith(", tombol.")
    press(qtbot, w, K.Key_Enter)
    qtbot.waitUntil(lambda: w.view == "ticket", timeout=10000)
    qtbot.waitUntil(lambda: speech.said[-1].startswith("Nomor antrian Anda"), timeout=5000)
    said = speech.said[-1]
    code = w.ticket.code.text()
    assert code.startswith("A-") and "Perekaman KTP-el" in said and "di depan Anda" in said
    assert "Lokasi loket" in said
    assert [t.code for t in tickets(demo_url)][-1:] == [code]
    qtbot.waitUntil(lambda: w.view == "home", timeout=15000)  # after ticket_seconds
    qtbot.wait(50)
    assert speech.said[-1] == said  # going Home does not cut the ticket's reading off
    press(qtbot, w, K.Key_F1)
    assert speech.said[-1].startswith("Silakan pilih instansi")  # Help reads where the citizen is now


def test_back_up_repeat_interrupt_and_touch_and_hear(qtbot, kiosk):
    w, speech = kiosk, kiosk.keypad.speech
    press(qtbot, w, K.Key_Down)  # a key without audio mode: the ring shows, nothing is said
    assert w.keypad.ring.isVisible() and speech.said == []
    press(qtbot, w, K.Key_F1)
    focus_on(qtbot, w, lambda e: getattr(e, "title", "").startswith("Kantor Imigrasi"))
    press(qtbot, w, K.Key_Return)
    qtbot.waitUntil(lambda: w.view == "agency")
    qtbot.waitUntil(lambda: w.keypad.focused is w.agency.title)
    assert speech.said[-1].startswith("Kantor Imigrasi")  # a new screen reads its title
    stops = speech.stops
    press(qtbot, w, K.Key_8, PAD)  # up from the title: the header (language button)
    assert speech.stops > stops  # any key interrupts the speech first
    assert w.header.isAncestorOf(w.keypad.focused)
    before = len(speech.said)
    press(qtbot, w, K.Key_F1)  # Help again: the same element once more
    assert speech.said[-1] == speech.said[before - 1]
    press(qtbot, w, K.Key_Backspace)  # Back
    qtbot.waitUntil(lambda: w.view == "home")
    # Touch and hear: Help held, a touch on a tile reads it and does not open it.
    tile = w.home.grid.tiles[0]
    qtbot.keyPress(w, K.Key_F1)
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(30, 30))
    assert w.view == "home" and w.keypad.focused is tile
    assert speech.said[-1].startswith(tile.title)
    qtbot.keyRelease(w, K.Key_F1)
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(30, 30))
    qtbot.waitUntil(lambda: w.view == "agency")  # released: a touch taps again


def test_escape_and_alt_f4_do_not_leave_the_locked_kiosk(qtbot, open_kiosk, demo_url):
    w = open_kiosk(demo_url, clock=lambda: DEMO_NOW, fullscreen=True, speech=RecordingSpeech())
    press(qtbot, w, K.Key_Escape)
    qtbot.keyClick(w, K.Key_F4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(w, K.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    assert w.isVisible() and w.view == "home"
    w.close()  # a close from outside (window manager) is ignored while locked
    assert w.isVisible()


def test_volume_resets_and_idle_warning_is_spoken_before_the_reset(qtbot, kiosk):
    w, speech = kiosk, kiosk.keypad.speech
    press(qtbot, w, K.Key_F1)
    press(qtbot, w, K.Key_Plus, PAD, times=2)
    assert speech.volume == pytest.approx(DEFAULT_VOLUME + 0.2)
    assert speech.said[-1] == "Volume 100 persen"
    w._idle_timeout()  # as if idle_seconds passed with no key: the warning, spoken, 20 s ahead
    assert w.idle_warning.isVisible()
    assert w.settings.kiosk.idle_warning_seconds >= 20
    assert speech.said[-1].startswith("Masih di sini?") and "20 detik" in speech.said[-1]
    press(qtbot, w, K.Key_Down)  # any key keeps the session
    assert not w.idle_warning.isVisible() and w.keypad.audio
    w._idle_timeout()
    for _ in range(w.settings.kiosk.idle_warning_seconds - 10):
        w._idle_tick()
    assert w.idle_warning.isVisible() and "10 detik" in speech.said[-1]  # said again 10 s before the reset
    for _ in range(10):
        w._idle_tick()
    assert not w.idle_warning.isVisible()
    assert not w.keypad.audio and speech.volume == DEFAULT_VOLUME and not w.keypad.ring.isVisible()


def test_typed_h_is_help_but_a_scan_starting_with_h_is_a_scan(qtbot, kiosk):
    w = kiosk
    qtbot.keyClicks(w, "h")
    qtbot.waitUntil(lambda: w.keypad.audio, timeout=1000)
    assert w._scan_buffer == ""
    w.keypad.reset()
    qtbot.keyClicks(w, "hello")
    qtbot.keyClick(w, K.Key_Return)
    qtbot.waitUntil(lambda: w.view == "message", timeout=3000)  # read as a (foreign) scan, not Help
    assert not w.keypad.audio


def test_every_button_reachable_by_keys_on_each_screen(qtbot, kiosk):
    """Down walks every visible button of a screen and comes back round to the first element."""
    w = kiosk
    for open_screen in (lambda: None, lambda: w.open_agency("DUKCAPIL"), lambda: w.open_service("A")):
        open_screen()
        qtbot.wait(20)
        buttons = {b for b in w.stack.currentWidget().findChildren(QAbstractButton) if b.isVisible()}
        buttons |= {w.header.lang}
        seen = set()
        press(qtbot, w, K.Key_Down)
        first = w.keypad.focused
        for _ in range(200):
            seen.add(w.keypad.focused)
            press(qtbot, w, K.Key_Down)
            if w.keypad.focused is first:
                break
        assert buttons <= seen, [b.accessibleName() for b in buttons - seen]


def test_audio_mode_speaks_through_pyttsx3_and_espeak_to_a_wav(qtbot, open_kiosk, demo_url, tmp_path):
    """The real voice end to end: Help -> the display's pyttsx3 worker (poz/id) -> a WAV with sound in it."""
    import array
    import wave

    from antre.cmd_kiosk import kiosk_voice
    from qtkit.speech import WavSpeech

    speech = WavSpeech(kiosk_voice(timeout=30), folder=tmp_path)
    try:
        w = open_kiosk(demo_url, clock=lambda: DEMO_NOW, speech=speech, lang="id")
        with qtbot.waitSignal(speech.spoken, timeout=60000) as spoken:
            press(qtbot, w, K.Key_F1)
        assert spoken.args[0].startswith("Mode suara aktif")
        with wave.open(str(speech.last_wav)) as f:
            frames = f.readframes(f.getnframes())
            assert f.getsampwidth() == 2 and f.getnframes() / f.getframerate() > 3  # a long sentence
        samples = array.array("h", frames)
        loud = sum(1 for s in samples if abs(s) > 1000)
        assert loud > len(samples) // 20  # speech, not silence
        # Interrupting: a key while a long text is being made drops it; the next text is what is heard.
        press(qtbot, w, K.Key_Down)
        with qtbot.waitSignal(speech.spoken, timeout=60000) as spoken:
            pass
        assert spoken.args[0] == w.keypad.describe(w.keypad.focused)
    finally:
        speech.close()


def test_a_new_audio_output_starts_audio_mode(qtbot, kiosk):
    """Headphones that the system reports as a new output (QMediaDevices.audioOutputsChanged) start audio mode."""
    w, speech = kiosk, kiosk.keypad.speech
    if w.keypad.devices is None:
        pytest.skip("no QtMultimedia")
    before = w.keypad._outputs
    w.keypad.outputs_changed(before)  # the same outputs (a default switched): nothing
    assert not w.keypad.audio
    w.keypad.outputs_changed(before + 1)  # one more output: plugged in
    assert w.keypad.audio and speech.said[-1].startswith("Mode suara aktif")


def test_a_ticket_that_did_not_print_is_said_so_with_its_number(qtbot, open_kiosk, demo_url):
    from kiosk.screens import ScreenPrinter

    printer = ScreenPrinter()
    printer.fail = True
    printer.release.set()
    speech = RecordingSpeech()
    w = open_kiosk(demo_url, printer=printer, clock=lambda: DEMO_NOW, speech=speech, lang="id")
    try:
        press(qtbot, w, K.Key_F1)
        focus_on(qtbot, w, lambda e: getattr(e, "title", "").startswith("Dinas Kependudukan"))
        press(qtbot, w, K.Key_Return)
        qtbot.waitUntil(lambda: w.view == "agency")
        focus_on(qtbot, w, lambda e: getattr(e, "title", "") == "Perekaman KTP-el")
        press(qtbot, w, K.Key_Return)
        qtbot.waitUntil(lambda: w.view == "confirm")
        focus_on(qtbot, w, lambda e: e is w.confirm.take_button)
        press(qtbot, w, K.Key_Return)
        qtbot.waitUntil(lambda: w.ticket.failed, timeout=15000)
        qtbot.waitUntil(lambda: speech.said[-1].startswith("Maaf, tiket tidak tercetak"), timeout=3000)
        assert "A, nol nol" in speech.said[-1]
        assert not any(s.startswith("Nomor antrian Anda") for s in speech.said)
    finally:
        printer.release.set()
