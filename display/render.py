"""Turning an announcement into one WAV: chime, then the spoken text (repeats, optional English).

The display plays what this writes, and `antre say` writes it to a file for checking and for PA
systems, so both get exactly the same sound. No Qt here.
"""

from __future__ import annotations

import logging
import tempfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from db.announce import Announcement, Form, SpeechSettings
from display.chime import load_chime
from display.tts_worker import SpeechError
from display.voicepack import VoicePack
from display.wavtools import RATE, join, read_mono16, silence, write_mono16

log = logging.getLogger(__name__)
AFTER_CHIME = 0.25  # seconds between the chime and the voice
BETWEEN = 0.7  # between repeats: lets the hall's echo die down
TAIL = 0.3


class Synthesizer(Protocol):
    """Something that speaks a text into a WAV file (pyttsx3 in a worker process, or a test fake)."""

    def synthesize(self, text: str, voice: str, rate: int, volume: float, path: Path) -> str | None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Rendered:
    """One announcement's sound file, and whether the voice made it in."""

    path: Path
    seconds: float
    spoken: bool
    warning: str | None = None


class Renderer:
    """Makes announcement WAVs; one thread at a time (the speech queue's) may call render()."""

    def __init__(self, synth: Synthesizer | None, settings: SpeechSettings | None = None,
                 workdir: Path | None = None) -> None:
        self.synth = synth
        self.settings = settings or SpeechSettings()  # replaced whole when the venue config changes
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="antre-speech-"))
        self.chime = load_chime()
        self._cache: dict[tuple[str, str, int, float, str], array] = {}
        self._pack: tuple[Path, VoicePack | None] | None = None
        self._pack_cache: dict[tuple[str, str, str], array] = {}
        self._count = 0

    def prepare(self) -> None:
        """Start the synthesizer ahead of the first call; raises SpeechError when there is no TTS.

        With a voice pack, missing text-to-speech only costs the words the pack lacks: logged, not raised.
        """
        try:
            if self.synth is None:
                raise SpeechError("text-to-speech is switched off")
            start = getattr(self.synth, "start", None)
            if start is not None:
                start()
        except SpeechError as exc:
            if self.voice_pack() is None:
                raise
            log.warning("text-to-speech unavailable (%s): words the voice pack lacks cannot be said", exc)

    def voice_pack(self) -> VoicePack | None:
        """The settings' voice pack (loaded once per folder), or None for text-to-speech or a broken pack."""
        s = self.settings
        if s.engine != "pack" or not s.pack:
            return None
        folder = Path(s.pack).expanduser()
        if self._pack is None or self._pack[0] != folder:
            try:
                self._pack = (folder, VoicePack.load(folder))
            except ValueError as exc:
                log.error("%s; using text-to-speech", exc)
                self._pack = (folder, None)
        return self._pack[1]

    def speak(self, language: str, text: str) -> tuple[array, str | None]:
        """The samples of one text in one language (from the voice pack, if one is set), and any warning."""
        pack = self.voice_pack()
        if pack is not None and language == pack.language:
            key = ("pack", str(pack.folder), text)
            if key not in self._pack_cache:
                if len(self._pack_cache) > 64:
                    self._pack_cache.clear()
                self._pack_cache[key] = pack.speak(text, lambda words: self._fallback(language, words))[0]
            return self._pack_cache[key], None
        return self.tts(language, text)

    def _fallback(self, language: str, words: str) -> array:
        """Words a voice pack lacks, by text-to-speech; nothing (logged) when that fails too."""
        try:
            return self.tts(language, words)[0]
        except SpeechError as exc:
            log.error("voice pack lacks %r and text-to-speech failed: %s", words, exc)
            return array("h")

    def tts(self, language: str, text: str) -> tuple[array, str | None]:
        """The samples of one text said by the text-to-speech engine, and any warning from it."""
        s = self.settings
        voice = s.voice_for(language)
        key = (voice, text, s.rate, s.volume, language)
        if key in self._cache:  # a recall says the same words again: no need to synthesize twice
            return self._cache[key], None
        if self.synth is None:
            raise SpeechError("text-to-speech is switched off")
        self._count += 1
        tmp = self.workdir / f"speech-{self._count}.wav"  # never a path an engine might still write to
        warning = self.synth.synthesize(text, voice, s.rate, s.volume, tmp)
        try:
            samples = read_mono16(tmp, RATE)
        except (OSError, EOFError, ValueError) as exc:
            raise SpeechError(f"unreadable speech file: {exc}") from None
        finally:
            tmp.unlink(missing_ok=True)
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[key] = samples
        return samples, warning

    def render(self, announcement: Announcement, path: Path, form: Form = "full") -> Rendered:
        """Write chime + speech to `path` (the brief form without the chime); with no working TTS the chime alone."""
        s = self.settings
        pieces = [self.chime, silence(AFTER_CHIME)] if s.chime and form != "brief" else []
        warning: str | None = None
        spoken = False
        for i, (language, text) in enumerate(announcement.parts(form)):
            try:
                samples, note = self.speak(language, text)
            except SpeechError as exc:
                warning = str(exc)
                break
            warning = warning or note
            if i:
                pieces.append(silence(BETWEEN))
            pieces.append(samples)
            spoken = True
        pieces.append(silence(TAIL))
        samples = join(pieces)
        write_mono16(path, samples)
        return Rendered(path, len(samples) / RATE, spoken, warning)

    def close(self) -> None:
        """Stop the synthesizer."""
        if self.synth is not None:
            self.synth.close()


def make_renderer(settings: SpeechSettings, workdir: Path | None = None) -> Renderer:
    """The renderer the settings ask for: text-to-speech in its worker process, with the voice pack if one is set."""
    from display.tts_worker import ProcessSynthesizer

    synth = ProcessSynthesizer(timeout=settings.timeout_seconds)
    return Renderer(synth, settings, workdir)
