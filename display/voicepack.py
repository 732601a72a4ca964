"""Voice packs: announcements joined from recorded clips, the way most Indonesian queue systems sound.

A pack is a folder with `manifest.toml` and one WAV per word or phrase:

    [pack]
    name = "Suara MPP Pasirwangi"
    language = "id"

    [clips]
    "nomor antrean" = "clips/nomor-antrean.wav"
    "silakan menuju" = "clips/silakan-menuju.wav"
    "loket" = "clips/loket.wav"
    "be" = "clips/be.wav"        # letter names as spoken ("A", "Be", "Ce", ...)
    "dua" = "clips/dua.wav"      # numbers: nol..sembilan, sepuluh, sebelas, belas, puluh, seratus, ratus, ...

An announcement's text is matched phrase by phrase (longest first); clips within a phrase group
are joined with short crossfades, a comma becomes a short pause, and any word the pack lacks is
said by the text-to-speech engine instead (and logged once), so a partly recorded pack works.
`python -m display.voicepack DIR` makes a complete pack from the text-to-speech engine; a venue
then replaces clips one by one with its announcer's recordings (re-running never overwrites a
clip that is there). No Qt here.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import tomllib
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from db.announce import LETTERS_ID, SpeechSettings, read_name
from display.wavtools import RATE, read_mono16, silence, write_mono16

log = logging.getLogger(__name__)
MANIFEST = "manifest.toml"
CROSSFADE = 0.025  # seconds of overlap between two clips of one phrase group: no click, no gap
COMMA_PAUSE = 0.22  # seconds of silence at a comma
SENTENCE_PAUSE = 0.35
MAX_PHRASE = 4  # words in the longest key
THRESHOLD = 300  # |sample| above this is sound, when trimming clips made by text-to-speech

# What every announcement needs: its fixed phrases, the letter names, and the number words.
NUMBER_WORDS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
                "sebelas", "belas", "puluh", "seratus", "ratus", "seribu", "ribu")
PHRASES = ("nomor antrean", "silakan menuju", "loket")
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[,.;:!?]")


def vocabulary(names: Iterable[str] = (), settings: SpeechSettings | None = None) -> list[str]:
    """Every key a complete pack has: phrases, letters, numbers, and the words of these counter/agency names."""
    s = settings or SpeechSettings()
    keys = [*PHRASES, *(v.lower() for v in LETTERS_ID.values()), *NUMBER_WORDS]
    for name in names:
        keys += read_name(name, s.counter_numbers, s.pronounce).lower().split()
    return list(dict.fromkeys(keys))


def slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "clip"


def crossfade_join(pieces: list[array], seconds: float = CROSSFADE) -> array:
    """Clips joined end to start, each overlap faded linearly from one into the next."""
    out = array("h")
    for piece in pieces:
        n = min(round(seconds * RATE), len(out), len(piece))
        if n <= 0:
            out.extend(piece)
            continue
        start = len(out) - n
        for i in range(n):
            w = (i + 1) / (n + 1)
            out[start + i] = max(-32768, min(32767, round(out[start + i] * (1 - w) + piece[i] * w)))
        out.extend(piece[n:])
    return out


def trim(samples: array, threshold: int = THRESHOLD, keep: float = 0.01) -> array:
    """Samples without the silence before and after the sound (a few ms kept)."""
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return samples
    pad = round(keep * RATE)
    return samples[max(0, loud[0] - pad): loud[-1] + pad + 1]


@dataclass
class VoicePack:
    """A loaded pack: its clips by key (lower-case words), read lazily and kept."""

    folder: Path
    name: str
    language: str
    files: dict[str, Path]

    @classmethod
    def load(cls, folder: Path) -> VoicePack:
        """Read the manifest; raises ValueError naming the problem."""
        path = folder / MANIFEST
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ValueError(f"voice pack {folder}: no {MANIFEST} ({exc.strerror})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"voice pack {path}: {exc}") from None
        clips = data.get("clips")
        if not isinstance(clips, dict) or not all(isinstance(v, str) for v in clips.values()):
            raise ValueError(f"voice pack {path}: [clips] must be a table of \"words\" = \"file.wav\"")
        info = data.get("pack", {})
        files = {" ".join(str(k).lower().split()): folder / v for k, v in clips.items()}
        return cls(folder, str(info.get("name", folder.name)), str(info.get("language", "id")), files)

    def __post_init__(self) -> None:
        self._clips: dict[str, array] = {}
        self._reported: set[str] = set()

    def clip(self, key: str) -> array | None:
        """The samples of one key, or None when the pack lacks it (or its file is unreadable)."""
        if key in self._clips:
            return self._clips[key]
        path = self.files.get(key)
        if path is None:
            return None
        try:
            samples = read_mono16(path)
        except (OSError, EOFError, ValueError) as exc:
            if key not in self._reported:
                self._reported.add(key)
                log.error("voice pack %s: clip %r unreadable (%s); text-to-speech says it", self.name, key, exc)
            return None
        self._clips[key] = samples
        return samples

    def plan(self, text: str) -> list[tuple[str, str]]:
        """The text as ('clip', key) / ('tts', words) / ('pause', ',') steps, longest phrases first."""
        tokens = [t.lower() for t in _TOKEN.findall(text)]
        steps: list[tuple[str, str]] = []
        missing: list[str] = []

        def flush() -> None:
            if missing:
                steps.append(("tts", " ".join(missing)))
                missing.clear()

        i = 0
        while i < len(tokens):
            token = tokens[i]
            if not token.isalnum():
                flush()
                steps.append(("pause", token))
                i += 1
                continue
            for size in range(min(MAX_PHRASE, len(tokens) - i), 0, -1):
                words = tokens[i:i + size]
                if all(w.isalnum() for w in words) and " ".join(words) in self.files:
                    flush()
                    steps.append(("clip", " ".join(words)))
                    i += size
                    break
            else:
                missing.append(token)
                i += 1
        flush()
        return steps

    def speak(self, text: str, fallback: Callable[[str], array]) -> tuple[array, list[str]]:
        """The text from clips (TTS via `fallback` for what the pack lacks); returns samples and the words lacked."""
        groups: list[array] = []
        run: list[array] = []
        lacked: list[str] = []
        for kind, value in self.plan(text):
            if kind == "pause":
                if run:
                    groups.append(crossfade_join(run))
                    run = []
                groups.append(silence(SENTENCE_PAUSE if value in ".!?" else COMMA_PAUSE))
                continue
            samples = self.clip(value) if kind == "clip" else None
            if samples is None:
                words = value
                if words not in self._reported:
                    self._reported.add(words)
                    log.info("voice pack %s lacks %r: said by text-to-speech", self.name, words)
                lacked.append(words)
                samples = trim(fallback(words))
            run.append(samples)
        if run:
            groups.append(crossfade_join(run))
        out = array("h")
        for g in groups:
            out.extend(g)
        return out, lacked


def make_pack(folder: Path, speak: Callable[[str], array], keys: Iterable[str], *, name: str = "",
              force: bool = False) -> tuple[int, int]:
    """Write a clip for every key (keeping clips already there unless `force`) and the manifest.

    Returns (clips made, clips kept). The manifest lists every clip in the folder's manifest
    before, plus the new ones, so recorded clips stay wired in.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clips").mkdir(exist_ok=True)
    try:
        old = VoicePack.load(folder).files
    except ValueError:
        old = {}
    files = {k: p.relative_to(folder).as_posix() for k, p in old.items()}
    made = kept = 0
    for key in keys:
        rel = files.get(key, f"clips/{slug(key)}.wav")
        path = folder / rel
        if path.exists() and not force:
            kept += 1
        else:
            write_mono16(path, trim(speak(key)))
            made += 1
        files[key] = rel
    lines = ["# Antre voice pack: one WAV per word or phrase (22050 Hz mono 16-bit is best; others are converted).",
             "# Replace any clip with a recording of your announcer; `python -m display.voicepack DIR` never",
             "# overwrites a clip that is there (unless --force) and adds clips for new words.", "",
             "[pack]", f"name = {_q(name or folder.name)}", 'language = "id"', "", "[clips]"]
    lines += [f"{_q(k)} = {_q(v)}" for k, v in files.items()]
    (folder / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return made, kept


def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _venue_names(url: str) -> list[str]:
    """The venue's counter and agency names (agency names are said with [speech] agency = true)."""
    from db import open_database, read_only, unit_of_work
    from db.catalog import agencies
    from db.stats import counter_views

    with unit_of_work(read_only(open_database(url))) as session:
        return [c.name for c in counter_views(session)] + [a.name for a in agencies(session)]


def main(argv: list[str] | None = None) -> int:
    """Make (or complete) a voice pack from the text-to-speech engine."""
    parser = argparse.ArgumentParser(prog="python -m display.voicepack", description=main.__doc__)
    parser.add_argument("folder", type=Path, help="the pack folder (created if missing)")
    parser.add_argument("--db", help="also the words of this venue's counter and agency names (database URL)")
    parser.add_argument("--name", default="", help="the pack's name")
    parser.add_argument("--voice", default="", help="text-to-speech voice (default: the platform's Indonesian)")
    parser.add_argument("--rate", type=int, default=140, help="words per minute (140)")
    parser.add_argument("--force", action="store_true", help="remake clips that are already there")
    args = parser.parse_args(argv)
    from display.render import Renderer
    from display.tts_worker import ProcessSynthesizer, SpeechError

    names: list[str] = []
    if args.db:
        try:
            names = _venue_names(args.db)
        except Exception as exc:  # noqa: BLE001 - one clear line
            print(f"voicepack: cannot read the venue's counters: {exc}", file=sys.stderr)
            return 2
    settings = SpeechSettings(voice=args.voice, rate=args.rate)
    with tempfile.TemporaryDirectory(prefix="antre-pack-") as work:
        renderer = Renderer(ProcessSynthesizer(timeout=30), settings, Path(work))
        try:
            made, kept = make_pack(args.folder, lambda key: renderer.speak("id", key)[0], vocabulary(names, settings),
                                   name=args.name, force=args.force)
        except SpeechError as exc:
            print(f"voicepack: text-to-speech failed: {exc}", file=sys.stderr)
            return 1
        finally:
            renderer.close()
    print(f"{args.folder}: {made} clips made, {kept} kept; manifest {args.folder / MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
