"""pyttsx3 in a worker process of its own, so a hung or crashed synthesis can be killed and restarted.

pyttsx3's engine is a per-process singleton that is unsafe across threads: exactly one owner
must drive it. That owner is a child process started with `spawn` (no inherited Qt or
SQLite state); the parent sends one text at a time and waits with a timeout. A synthesis that
hangs is killed and the next request starts a fresh worker. No Qt here (used by `antre say`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from display.phonemes import espeak_text, is_espeak_indonesian


class SpeechError(Exception):
    """A text could not be turned into sound."""


class SpeechUnavailable(SpeechError):
    """No text-to-speech at all on this machine (pyttsx3 or its engine missing or broken)."""


class SynthesisTimeout(SpeechError):
    """The engine did not finish in time; its worker was killed."""


Voice = tuple[str, str]  # id, name


def pick_voice(voices: list[Voice], wanted: str) -> str | None:
    """The id of the voice named by id or name (exact first, then part of the name: 'Microsoft Andika')."""
    key = wanted.strip().lower()
    if not key:
        return None
    for vid, name in voices:
        if key in (vid.lower(), name.lower()):
            return vid
    for vid, name in voices:
        if key in name.lower() or key in vid.lower():
            return vid
    return None


def serve(conn: Connection) -> None:
    """The worker's main loop: one pyttsx3 engine, one request at a time, until told to stop."""
    # pyttsx3 prints "Audio saved to ..." and espeak may chatter: keep the parent's terminal clean.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    try:
        import pyttsx3

        engine = pyttsx3.init()
        phonemes = _allow_phoneme_input()
        voices = [(str(v.id), str(v.name)) for v in engine.getProperty("voices")]
        default = str(engine.getProperty("voice") or "")
        finished = threading.Event()
        engine.connect("finished-utterance", lambda name=None, completed=True: finished.set())
    except Exception as exc:  # noqa: BLE001 - any failure here means "no TTS", reported as data
        conn.send(("unavailable", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", voices))
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the parent went away
            return
        if request is None:
            return
        text, voice, rate, volume, path = request
        try:
            for _attempt in range(3):
                # pyttsx3 2.99's espeak driver may cancel a synthesis that starts while espeak is
                # still winding down the previous one (no file, "finished" all the same): retry.
                finished.clear()
                said = espeak_text(text) if phonemes and is_espeak_indonesian(voice or default) else text
                warning = _synthesize(engine, voices, default, said, voice, rate, volume, path)
                _wait_written(finished, Path(path))
                if Path(path).exists() and Path(path).stat().st_size > 44:
                    break
            conn.send(("ok", warning))
        except Exception as exc:  # noqa: BLE001
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _allow_phoneme_input() -> bool:
    """Let espeak-ng read `[[...]]` in a text as phonemes (display.phonemes fixes Indonesian vowels with it).

    pyttsx3's espeak driver calls espeak_Synth without the espeakPHONEMES flag, so the brackets
    would be read out as text; the driver looks `_espeak.Synth` up at each call, so wrapping it
    here (in the worker process only) adds the flag. Other drivers (SAPI, NSSpeech) are untouched.
    """
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, OSError):  # not an espeak machine
        return False
    synth = _espeak.Synth
    if getattr(synth, "antre_phonemes", False):
        return True

    def with_phonemes(text: Any, *args: Any, flags: int = 0, **kwargs: Any) -> Any:
        return synth(text, *args, flags=flags | _espeak.PHONEMES, **kwargs)

    with_phonemes.antre_phonemes = True  # type: ignore[attr-defined]
    _espeak.Synth = with_phonemes
    return True


def _wait_written(finished: threading.Event, path: Path, settle: float = 0.3) -> None:
    """Wait until the engine has written the WAV.

    pyttsx3 2.99's espeak driver runs espeak in AUDIO_OUTPUT_RETRIEVAL mode, which is
    asynchronous: runAndWait() may return before the sound is made, and the file is written
    later from espeak's thread ("finished-utterance" follows). Other drivers write before
    returning; for one that never says "finished", a file that stopped growing will do. The
    parent's timeout covers an engine that does neither.
    """
    last, since = -1, time.monotonic()
    while not finished.wait(0.02):
        size = path.stat().st_size if path.exists() else -1
        if size != last:
            last, since = size, time.monotonic()
        elif size > 44 and time.monotonic() - since >= settle:
            return


def _synthesize(engine: Any, voices: list[Voice], default: str, text: str, voice: str, rate: int,
                volume: float, path: str) -> str | None:
    warning = None
    vid = pick_voice(voices, voice)
    if vid is None:
        # A wrong voice name must not silence the hall: speak with the default voice and say so.
        vid, warning = default, f"voice {voice!r} is not installed; using the default voice"
    if vid:
        engine.setProperty("voice", vid)
    engine.setProperty("rate", rate)
    engine.setProperty("volume", volume)
    engine.save_to_file(text, path)
    engine.runAndWait()
    return warning


class ProcessSynthesizer:
    """Synthesizes texts to WAV files through one pyttsx3 worker process, with timeouts and restarts."""

    def __init__(self, *, timeout: float = 10.0, start_timeout: float = 30.0, retry_after: float = 30.0,
                 entry: Callable[[Connection], None] = serve) -> None:
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.retry_after = retry_after
        self.entry = entry
        self.restarts = 0
        self.voices: list[Voice] = []
        self._process: Any = None
        self._conn: Connection | None = None
        self._unavailable: tuple[float, str] | None = None

    def start(self) -> None:
        """Start the worker now (else on the first text); raises SpeechUnavailable."""
        if self._conn is not None:
            return
        if self._unavailable and time.monotonic() - self._unavailable[0] < self.retry_after:
            raise SpeechUnavailable(self._unavailable[1])
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=self.entry, args=(child,), name="antre-tts", daemon=True)
        try:
            process.start()
        except OSError as exc:
            self._mark_unavailable(f"cannot start the speech worker: {exc}")
        child.close()
        self._process, self._conn = process, parent
        reply = self._receive(self.start_timeout, "starting the speech engine")
        if reply[0] != "ready":
            self._kill()
            self._mark_unavailable(str(reply[1]))
        self.voices = list(reply[1])
        self._unavailable = None

    def _mark_unavailable(self, reason: str) -> None:
        self._unavailable = (time.monotonic(), reason)
        raise SpeechUnavailable(reason)

    def synthesize(self, text: str, voice: str, rate: int, volume: float, path: Path) -> str | None:
        """Write the spoken text to `path` (WAV); returns a warning or None, raises SpeechError."""
        self.start()
        assert self._conn is not None
        path.unlink(missing_ok=True)
        try:
            self._conn.send((text, voice, rate, volume, str(path)))
        except (OSError, ValueError) as exc:
            self._kill()
            raise SpeechError(f"speech worker lost: {exc}") from None
        status, detail = self._receive(self.timeout, "speaking")
        if status != "ok":
            raise SpeechError(str(detail))
        if not path.exists() or path.stat().st_size <= 44:
            raise SpeechError("the speech engine wrote no sound")
        return detail

    def _receive(self, timeout: float, doing: str) -> tuple[str, Any]:
        assert self._conn is not None
        try:
            if self._conn.poll(timeout):
                return self._conn.recv()
        except (EOFError, OSError):
            self._kill()
            self.restarts += 1
            raise SpeechError(f"speech worker crashed while {doing}; it restarts on the next call") from None
        self._kill()
        self.restarts += 1
        raise SynthesisTimeout(f"speech engine hung while {doing} (over {timeout:g} s); worker restarted")

    def _kill(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(2)
        self._process, self._conn = None, None

    def close(self) -> None:
        """Stop the worker."""
        if self._conn is not None:
            try:
                self._conn.send(None)
            except (OSError, ValueError):
                pass
            if self._process is not None:
                self._process.join(1)
        self._kill()
