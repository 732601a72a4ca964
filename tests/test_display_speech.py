"""Speech for the lobby display: the real pyttsx3 + espeak-ng stack, the worker process, WAV making, playback."""

from __future__ import annotations

import ctypes.util
import time
import wave
from array import array
from pathlib import Path
from typing import Any

import pytest

from db.announce import Announcement, SpeechSettings, announcement
from db.queue import call_next
from display.chime import ASSET, chime_samples
from display.render import Renderer
from display.tts_worker import ProcessSynthesizer, SpeechUnavailable, SynthesisTimeout, pick_voice
from display.wavtools import RATE, duration, read_mono16, rms, write_mono16
from tests.display_fixtures import (  # noqa: F401 - fixtures
    antre_cli,
    broken_tts_serve,
    data_url,
    engine,
    fake_tts_serve,
    issue,
    start_rig,
    stop_rig,
    tone,
)

HAS_ESPEAK = ctypes.util.find_library("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="libespeak-ng is not installed (apt install espeak-ng "
                                  "libespeak-ng1); the real text-to-speech stack cannot run here")
CHIME_SECONDS = len(chime_samples()) / RATE


def speech_part(path: Path) -> array:
    """The samples after the chime."""
    samples = read_mono16(path)
    return samples[round((CHIME_SECONDS + 0.2) * RATE):]


@needs_espeak
def test_real_pyttsx3_and_espeak_make_a_plausible_announcement(tmp_path: Path) -> None:
    renderer = Renderer(ProcessSynthesizer(timeout=20), SpeechSettings(), tmp_path)
    try:
        result = renderer.render(announcement("A-007", "Loket 3"), tmp_path / "call.wav")
    finally:
        renderer.close()
    assert result.spoken and result.warning is None
    with wave.open(str(result.path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
    # "Nomor antrean, A, nol nol tujuh, silakan menuju loket tiga." at 140 wpm takes 4-6 s; plus the chime.
    assert 5.5 < duration(result.path) < 12
    voice = speech_part(result.path)
    assert rms(voice) > 0.03, "the voice part is silent"
    assert max(abs(s) for s in voice) > 8000
    assert rms(read_mono16(result.path)[: round(CHIME_SECONDS * RATE)]) > 0.05, "no chime"


@needs_espeak
def test_antre_say_writes_the_exact_announcement(tmp_path: Path) -> None:
    out = tmp_path / "say.wav"
    done = antre_cli("say", "AB-123", "12", "--to", str(out), "--db", str(tmp_path / "none.sqlite3"),
                     "--numbers", "words")
    assert done.returncode == 0, done.stderr
    assert "Nomor antrean, A Be, seratus dua puluh tiga, silakan menuju loket dua belas." in done.stdout
    assert not (tmp_path / "none.sqlite3").exists(), "saying a code must not create a database"
    assert 6 < duration(out) < 15 and rms(speech_part(out)) > 0.03


def test_antre_say_uses_the_counter_name_and_speech_settings_from_the_database(data_url: str, tmp_path: Path,
                                                                                 monkeypatch: Any) -> None:
    from display import say_cli

    monkeypatch.setattr(say_cli, "ProcessSynthesizer", lambda **_: ProcessSynthesizer(entry=fake_tts_serve))
    out = tmp_path / "l3.wav"
    import argparse

    args = argparse.Namespace(code="S-002", counter="l3", to=str(out), db=data_url, numbers="words",
                              english=True, with_agency=True, voice=None, rate=None, repeat=None)
    assert say_cli.main(args) == 0
    assert duration(out) > CHIME_SECONDS + 2 * 0.2


def test_a_hung_synthesis_is_timed_out_and_the_worker_restarted(tmp_path: Path) -> None:
    synth = ProcessSynthesizer(timeout=1.0, entry=fake_tts_serve)
    renderer = Renderer(synth, SpeechSettings(), tmp_path)
    try:
        started = time.monotonic()
        hung = renderer.render(Announcement("A-001", "Loket 1", "HANG"), tmp_path / "1.wav")
        assert time.monotonic() - started < 5
        assert not hung.spoken and "hung" in (hung.warning or "")
        assert abs(hung.seconds - (CHIME_SECONDS + 0.25 + 0.3)) < 0.01  # the chime still sounds
        assert synth.restarts == 1
        ok = renderer.render(Announcement("A-002", "Loket 1", "Nomor antrean dua"), tmp_path / "2.wav")
        assert ok.spoken and ok.warning is None
        crashed = renderer.render(Announcement("A-003", "Loket 1", "CRASH"), tmp_path / "3.wav")
        assert not crashed.spoken and "crashed" in (crashed.warning or "")
        again = renderer.render(Announcement("A-004", "Loket 1", "Nomor antrean empat"), tmp_path / "4.wav")
        assert again.spoken and synth.restarts == 2
    finally:
        renderer.close()


def test_no_tts_at_all_is_reported_and_retried_later(tmp_path: Path) -> None:
    synth = ProcessSynthesizer(entry=broken_tts_serve, retry_after=60)
    with pytest.raises(SpeechUnavailable, match="libespeak"):
        synth.start()
    started = time.monotonic()
    with pytest.raises(SpeechUnavailable):
        synth.start()  # not retried at every call: no process spawned
    assert time.monotonic() - started < 0.05
    assert isinstance(SynthesisTimeout("x"), Exception)


def test_without_tts_the_display_keeps_working_and_warns(qtbot: Any, data_url: str) -> None:
    issue(data_url, "A")
    r = start_rig(qtbot, data_url, synth=ProcessSynthesizer(entry=broken_tts_serve))
    try:
        qtbot.waitUntil(lambda: "Suara panggilan tidak tersedia" in r.window.header.warning, timeout=10_000)
        engine(data_url, lambda s: call_next(s, "L1"))
        qtbot.waitUntil(lambda: r.finished == ["A-001"], timeout=5000)
        assert r.window.now_calling.call.code == "A-001"
        assert len(r.player.plays) == 1  # the chime alone
    finally:
        stop_rig(r)


def test_speech_settings_from_the_venue_english_and_repeat(qtbot: Any, data_url: str, tmp_path: Path) -> None:
    from db.config import load_config
    from tests.conftest import SMALL_VENUE

    venue = tmp_path / "venue-speech.toml"
    venue.write_text(SMALL_VENUE + '\n[speech]\nenglish = true\nrepeat = 2\nnumbers = "words"\nagency = true\n'
                     'voice_en = "gmw/en-US"\n', encoding="utf-8")
    engine(data_url, lambda s: load_config(s, venue))
    issue(data_url, "A")
    r = start_rig(qtbot, data_url)
    try:
        engine(data_url, lambda s: call_next(s, "L2"))
        qtbot.waitUntil(lambda: r.finished == ["A-001"], timeout=5000)
        assert r.synth.texts == [
            "Nomor antrean, A, satu, silakan menuju loket dua, dinas kependudukan dan pencatatan sipil.",
            "Ticket number, A, one, please proceed to counter two."]
        assert r.synth.voices == ["poz/id", "gmw/en-US"]
        # chime, then id + en said twice: four 0.2 s pieces with pauses between.
        name, start, end = r.player.plays[0]
        assert (end - start) / r.player.speed > CHIME_SECONDS + 4 * 0.2 + 3 * 0.7
    finally:
        stop_rig(r)


def test_qt_multimedia_plays_a_wav_to_its_end(qtbot: Any, tmp_path: Path) -> None:
    from display.player import QtWavPlayer

    path = tmp_path / "short.wav"
    tone(path, 0.3)
    player = QtWavPlayer()
    started = time.monotonic()
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.play(path, 0.3)
    assert time.monotonic() - started >= 0.25  # it really played (no sound card: Qt still keeps time)


def test_the_chime_asset_is_what_the_generator_makes() -> None:
    made = chime_samples()
    with wave.open(str(ASSET)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
    stored = read_mono16(ASSET)
    assert len(stored) == len(made)
    assert max(abs(a - b) for a, b in zip(stored, made, strict=True)) <= 1
    assert 1.5 < len(made) / RATE < 2.5 and 0.1 < rms(made) < 0.4
    assert made[-1] == 0  # ends at silence: no click before the voice


def test_wav_pieces_in_other_formats_are_converted(tmp_path: Path) -> None:
    stereo = tmp_path / "stereo.wav"
    with wave.open(str(stereo), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(1)
        w.setframerate(44100)
        w.writeframes(bytes([255, 128] * 44100))  # 1 s: left loud, right silent
    samples = read_mono16(stereo)
    assert abs(len(samples) - RATE) <= 1
    assert set(samples) == {((255 - 128) << 8) // 2}  # channels averaged, 8 bits widened to 16
    out = tmp_path / "out.wav"
    write_mono16(out, samples)
    assert abs(duration(out) - 1.0) < 0.001


def test_voice_is_picked_by_id_or_name() -> None:
    voices = [("gmw/en", "English (Great Britain)"), ("poz/id", "Indonesian"),
              ("HKLM\\Tokens\\MSTTS_V110_idID_Andika", "Microsoft Andika - Indonesian (Indonesia)")]
    assert pick_voice(voices, "poz/id") == "poz/id"
    assert pick_voice(voices, "indonesian") == "poz/id"
    assert pick_voice(voices, "Microsoft Andika") == voices[2][0]
    assert pick_voice(voices, "klingon") is None


@needs_espeak
def test_real_engine_writes_every_file_even_after_a_pause(tmp_path: Path) -> None:
    # pyttsx3 2.99 runs espeak asynchronously: runAndWait() may return before the WAV exists,
    # most often when the engine has been idle for a moment (as between calls in a hall).
    synth = ProcessSynthesizer(timeout=20)
    try:
        for i in range(6):
            path = tmp_path / f"{i}.wav"
            text = announcement(f"A-{i + 1:03d}", "Loket 1").text
            synth.synthesize(text, "poz/id", 140, 1.0, path)
            assert duration(path) > 3.0
            time.sleep(0.3)
    finally:
        synth.close()


def test_the_worker_waits_for_a_wav_written_after_run_and_wait_returned(tmp_path: Path) -> None:
    import threading

    from display.tts_worker import _wait_written

    finished = threading.Event()
    late = tmp_path / "late.wav"

    def espeak_thread() -> None:  # what pyttsx3's espeak driver does, after runAndWait() returned
        time.sleep(0.3)
        tone(late, 0.5)
        finished.set()

    threading.Thread(target=espeak_thread).start()
    started = time.monotonic()
    _wait_written(finished, late)
    assert time.monotonic() - started >= 0.3 and abs(duration(late) - 0.5) < 0.01

    # A driver that never says "finished": a file that stopped growing is taken as done.
    quiet = tmp_path / "quiet.wav"
    threading.Timer(0.1, lambda: tone(quiet, 0.4)).start()
    started = time.monotonic()
    _wait_written(threading.Event(), quiet, settle=0.2)
    assert 0.3 <= time.monotonic() - started < 2 and abs(duration(quiet) - 0.4) < 0.01


PLAY_ONE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from db.announce import Announcement
from display.app import make_speech

app = QApplication([])
speech = make_speech()
speech.finished.connect(lambda job: app.quit())
speech.started.connect(lambda job: print("playing", round(job.rendered.seconds, 2), job.rendered.spoken, flush=True))
speech.announce(Announcement("A-001", "Loket 1", "Nomor antrean, A, nol nol satu."))
QTimer.singleShot(30000, app.quit)
app.exec()
speech.stop()
"""


@needs_espeak
def test_the_display_plays_the_announcement_into_a_pulseaudio_sink(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    if not (shutil.which("pulseaudio") and shutil.which("parec")):
        pytest.skip("pulseaudio and parec (Debian pulseaudio, pulseaudio-utils) are needed to capture the sound")
    runtime = tmp_path / "pulse"
    runtime.mkdir()
    socket = runtime / "native"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(runtime), "PULSE_SERVER": f"unix:{socket}",
           "QT_QPA_PLATFORM": "offscreen"}
    server = subprocess.Popen(
        ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--use-pid-file=no",
         "--load=module-null-sink sink_name=hall", f"--load=module-native-protocol-unix socket={socket}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    capture = tmp_path / "hall.raw"
    recorder = None
    try:
        deadline = time.monotonic() + 10
        while not socket.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip("pulseaudio would not start here (no null sink to capture the sound)")
            time.sleep(0.05)
        with open(capture, "wb") as out:
            recorder = subprocess.Popen(["parec", "--device=hall.monitor", "--format=s16le", "--rate=22050",
                                         "--channels=1", "--raw"], env=env, stdout=out)
            played = subprocess.run([sys.executable, "-c", PLAY_ONE], env=env, capture_output=True, text=True,
                                    timeout=60, cwd=Path(__file__).resolve().parent.parent)
            time.sleep(0.3)
            recorder.terminate()
            recorder.wait(5)
        assert played.returncode == 0, played.stderr[-2000:]
        assert "playing" in played.stdout and "True" in played.stdout  # the voice made it into the WAV
    finally:
        for proc in (recorder, server):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(5)
    heard = array("h")
    heard.frombytes(capture.read_bytes()[: capture.stat().st_size // 2 * 2])
    loud = [heard[i:i + 2205] for i in range(0, len(heard), 2205)]  # 0.1 s windows
    sounding = sum(1 for w in loud if rms(w) > 0.01) / 10
    # Chime (1.9 s) and "Nomor antrean, A, nol nol satu." (~2 s) came out of the loudspeaker.
    assert sounding > 2.5, f"only {sounding:.1f} s of sound captured"
    assert rms(heard) > 0.01


def test_muted_with_record_makes_and_keeps_each_announcement_without_playing(qtbot: Any, data_url: str,
                                                                              tmp_path: Path) -> None:
    issue(data_url, "A", 2)
    folder = tmp_path / "announcements"
    r = start_rig(qtbot, data_url, record=folder, play=False)
    try:
        engine(data_url, lambda s: call_next(s, "L1"))
        engine(data_url, lambda s: call_next(s, "L2"))
        qtbot.waitUntil(lambda: r.finished == ["A-001", "A-002"], timeout=5000)
        files = sorted(folder.glob("*.wav"), key=lambda p: p.name.split("-")[1])
        assert [p.name.split("-", 2)[2] for p in files] == ["A-001.wav", "A-002.wav"]
        assert all(duration(p) > CHIME_SECONDS for p in files)
        assert r.player.plays == []
    finally:
        stop_rig(r)
