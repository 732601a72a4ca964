"""How the announcements sound: espeak-ng phoneme fixes, and voice packs of recorded clips."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
from array import array
from pathlib import Path

import pytest

from db.announce import SpeechSettings, announcement
from display.phonemes import ESPEAK_ID, espeak_text, is_espeak_indonesian
from display.render import Renderer
from display.voicepack import CROSSFADE, MANIFEST, VoicePack, crossfade_join, make_pack, vocabulary
from display.wavtools import RATE, duration, read_mono16, write_mono16
from tests.display_fixtures import RecordingSynth, antre_cli

HAS_ESPEAK = ctypes.util.find_library("espeak-ng") is not None and shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng (library and command) is not installed")
SENTENCE = "Nomor antrean, Be, nol empat enam, silakan menuju loket dua belas."


def test_words_espeak_gets_wrong_are_written_as_phonemes() -> None:
    assert espeak_text(SENTENCE) == ("Nomor [[antR2'ean]], [[b'e]], nol [[@mp'at]] [[@n'am]], silakan menuju "
                                     "[[l'okEt]] dua [[b@l'as]].")
    assert espeak_text("sebelas, Es, El") == "[[s@b@l'as]], [['Es]], El"  # whole words only, case-blind
    assert is_espeak_indonesian("poz/id") and not is_espeak_indonesian("Microsoft Andika")
    assert not is_espeak_indonesian("gmw/en")  # English is left alone


def _phonemes(text: str) -> str:
    done = subprocess.run(["espeak-ng", "-v", "id", "-q", "-x", text], capture_output=True, text=True, timeout=30)
    return done.stdout


@needs_espeak
def test_espeak_says_schwa_in_empat_enam_belas_and_e_in_loket() -> None:
    wrong = _phonemes(SENTENCE)
    assert "'Empat" in wrong and "'Enam" in wrong and "b'Elas" in wrong and "l'ok@t" in wrong  # the problem
    fixed = _phonemes(espeak_text(SENTENCE))
    for good in ("@mp'at", "@n'am", "b@l'as", "l'okEt", "b'e"):
        assert good in fixed, fixed
    assert "'Empat" not in fixed and "l'ok@t" not in fixed


@needs_espeak
def test_the_speech_worker_reads_the_phonemes_not_the_brackets(tmp_path: Path) -> None:
    """The WAV our pyttsx3 worker writes for the fixed text is the one espeak-ng itself makes of it.

    pyttsx3 does not pass espeak's phoneme flag: without the worker's fix it reads the brackets
    and mnemonics out as text (about 10.9 s instead of 6.0 s for this sentence).
    """
    from display.tts_worker import ProcessSynthesizer

    renderer = Renderer(ProcessSynthesizer(timeout=30), SpeechSettings(), tmp_path)
    try:
        ours, _ = renderer.speak("id", SENTENCE)  # the worker applies the phoneme table for poz/id
    finally:
        renderer.close()
    reference = tmp_path / "cli.wav"
    subprocess.run(["espeak-ng", "-v", "id", "-s", "140", "-w", str(reference), espeak_text(SENTENCE)], check=True,
                   timeout=30)
    expected = len(read_mono16(reference))
    assert abs(len(ours) - expected) / expected < 0.03, (len(ours) / RATE, expected / RATE)


def tone_speak(lengths: dict[str, float]) -> object:
    """A fake engine for packs: each key a tone whose length is recorded."""
    from tests.display_fixtures import tone

    def speak(key: str) -> array:
        seconds = 0.1 + 0.02 * len(key)
        lengths[key] = seconds
        path = Path(f"/tmp/antre-tone-{abs(hash(key))}.wav")
        tone(path, seconds)
        samples = read_mono16(path)
        path.unlink()
        return samples

    return speak


def test_a_pack_made_from_tts_is_complete_and_keeps_clips_replaced_by_a_recording(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    lengths: dict[str, float] = {}
    keys = vocabulary(["Loket 3", "Loket Kesehatan"])
    assert {"nomor antrean", "silakan menuju", "loket", "be", "ki", "belas", "puluh", "seratus", "kesehatan"} <= set(keys)
    made, kept = make_pack(folder, tone_speak(lengths), keys, name="Uji")  # type: ignore[arg-type]
    assert (made, kept) == (len(keys), 0)
    pack = VoicePack.load(folder)
    assert set(pack.files) == set(keys) and pack.name == "Uji"
    # Every word of an announcement is a clip: nothing left for text-to-speech.
    ann = announcement("AB-123", "Loket 12", settings=SpeechSettings(numbers="words"))
    plan = pack.plan(ann.text)
    assert [v for k, v in plan if k == "clip"][:4] == ["nomor antrean", "a", "be", "seratus"]
    assert not [v for k, v in plan if k == "tts"]
    assert ("clip", "silakan menuju") in plan and ("clip", "loket") in plan
    # The venue records its announcer for one clip: re-running keeps it.
    recorded = read_mono16(pack.files["loket"])[:100]
    write_mono16(pack.files["loket"], recorded)
    made, kept = make_pack(folder, tone_speak({}), [*keys, "imigrasi"])  # type: ignore[arg-type]
    assert (made, kept) == (1, len(keys))
    assert len(read_mono16(VoicePack.load(folder).files["loket"])) == 100


def test_clips_join_with_crossfades_and_missing_words_come_from_tts(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    make_pack(folder, tone_speak({}), ["nomor antrean", "a", "nol", "satu", "silakan menuju", "loket"])  # type: ignore[arg-type]
    pack = VoicePack.load(folder)
    asked: list[str] = []

    def fallback(words: str) -> array:
        asked.append(words)
        return array("h", [5000] * RATE)  # 1 s of "speech"

    samples, lacked = pack.speak("Nomor antrean, A, nol nol satu, silakan menuju loket tiga belas.", fallback)
    assert asked == ["tiga belas"] and lacked == ["tiga belas"]  # one run of missing words, said at once
    clips = [len(pack.clip(k)) for k in ("nomor antrean", "a", "nol", "nol", "satu", "silakan menuju", "loket")]
    fade = round(CROSSFADE * RATE)
    # groups: [nomor antrean] , [a] , [nol nol satu] , [silakan menuju loket <tts>] .
    joined = clips[0] + clips[1] + (clips[2] + clips[3] + clips[4] - 2 * fade) + (clips[5] + clips[6] + RATE - 2 * fade)
    pauses = round(0.22 * RATE) * 3 + round(0.35 * RATE)
    assert len(samples) == joined + pauses
    # A crossfade has no hard step: the overlap runs between the two clips' levels.
    a, b = array("h", [10000] * 2000), array("h", [-10000] * 2000)
    mixed = crossfade_join([a, b])
    assert len(mixed) == 4000 - fade
    steps = [abs(mixed[i + 1] - mixed[i]) for i in range(len(mixed) - 1)]
    assert max(steps) < 20000 / fade * 2


def test_the_renderer_speaks_from_the_pack_and_tts_only_for_what_it_lacks(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    make_pack(folder, tone_speak({}), vocabulary(["Loket 3"]))  # type: ignore[arg-type]
    synth = RecordingSynth()
    settings = SpeechSettings(engine="pack", pack=str(folder))
    renderer = Renderer(synth, settings, tmp_path / "work")
    (tmp_path / "work").mkdir()
    out = renderer.render(announcement("A-007", "Loket 3", settings=settings), tmp_path / "a.wav")
    assert out.spoken and synth.texts == []  # all from clips
    renderer.render(announcement("A-008", "Loket Kesehatan", settings=settings), tmp_path / "b.wav")
    assert synth.texts == ["kesehatan"]  # only the word the pack lacks
    broken = Renderer(synth, SpeechSettings(engine="pack", pack=str(tmp_path / "nowhere")), tmp_path / "work")
    assert broken.voice_pack() is None  # a missing pack: text-to-speech says everything (logged)
    # No text-to-speech at all: the pack still speaks, only the word it lacks is missing.
    mute = Renderer(None, settings, tmp_path / "work")
    mute.prepare()  # no error: the pack carries the announcements
    out = mute.render(announcement("A-009", "Loket Kesehatan", settings=settings), tmp_path / "c.wav")
    assert out.spoken and out.warning is None


def test_antre_say_with_a_voice_pack(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    make_pack(folder, tone_speak({}), vocabulary())  # type: ignore[arg-type]
    out = tmp_path / "say.wav"
    done = antre_cli("say", "B-120", "3", "--to", str(out), "--pack", str(folder), "--numbers", "words",
                     "--db", str(tmp_path / "none.sqlite3"))
    assert done.returncode == 0, done.stderr
    assert "Nomor antrean, Be, seratus dua puluh, silakan menuju loket tiga." in done.stdout
    assert duration(out) > 2.0
    bad = antre_cli("say", "A-1", "3", "--to", str(out), "--pack", str(tmp_path / "none"), "--db",
                    str(tmp_path / "none.sqlite3"))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and MANIFEST in bad.stderr
    assert "Traceback" not in bad.stderr


def test_every_espeak_fix_is_a_word_of_some_announcement() -> None:
    import tomllib

    from display.screens import DEMO

    agencies = [a["name"] for a in tomllib.loads(DEMO.read_text(encoding="utf-8"))["agencies"]]
    with_agency = SpeechSettings(agency=True)
    spoken = " ".join([announcement(f"{p}-{n:03d}", f"Loket {c}", settings=SpeechSettings(numbers=style)).text
                       for p in ("B", "S", "PCD") for n in (4, 6, 11, 14, 46) for c in (4, 12)
                       for style in ("digits", "words")]
                      + [announcement("A-001", "Loket 1", name, with_agency).text for name in agencies]).lower()
    unused = [w for w in ESPEAK_ID if f" {w}" not in spoken.replace(",", " ")]
    assert set(unused) <= {"ge", "je", "te", "we", "fe", "ye", "kabupaten"}, unused  # kabupaten: other venues
