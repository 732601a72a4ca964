"""What the lobby display says for a call: ticket codes and counter names read the Indonesian way.

"A-007" at "Loket 3" becomes "Nomor antrean, A, nol nol tujuh, silakan menuju loket tiga." ("antrean" is
KBBI's standard form; no pause between "menuju" and the counter: it is one phrase.) A shorter form,
"A, nol nol tujuh, loket tiga.", is what the display says when calls come faster than speech.
Letters are read by their Indonesian names (B = "Be", Q = "Ki"), numbers digit by digit or as
words (num2words 'id'), short acronyms without vowels are spelled (BPJS = "Be Pe Je Es").
Pure text, no audio and no Qt: the display and `antre say` turn it into sound.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from num2words import num2words

from db.errors import ConfigError

NumberStyle = Literal["digits", "words"]
Form = Literal["full", "once", "brief"]  # how much of an announcement is said (the display picks by backlog)

# Indonesian letter names (KBBI). Written as words so any TTS engine says the name, not a sound.
LETTERS_ID = {
    "A": "A", "B": "Be", "C": "Ce", "D": "De", "E": "E", "F": "Ef", "G": "Ge", "H": "Ha", "I": "I",
    "J": "Je", "K": "Ka", "L": "El", "M": "Em", "N": "En", "O": "O", "P": "Pe", "Q": "Ki", "R": "Er",
    "S": "Es", "T": "Te", "U": "U", "V": "Fe", "W": "We", "X": "Eks", "Y": "Ye", "Z": "Zet",
}
# Acronyms common in an MPP that are spelled although they hold vowels; acronyms without vowels
# (KTP, BPJS, SKCK) are spelled anyway, others (SIM, SAMSAT, DUKCAPIL) are read as words.
SPELLED = frozenset({"KUA", "PDAM", "BRI", "BNI", "BUMN", "UMKM", "OSS", "NIB", "KIA", "IMB", "NIK", "BPOM",
                     "KUR", "PTSP", "BPKAD", "BKD", "ASN", "TKI", "PMI", "BPR"})
_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F]+|\d+|[^\sA-Za-z\d]+")
_VOWELS = set("AEIOU")


@dataclass(frozen=True, slots=True)
class SpeechSettings:
    """The venue's [speech] section with its defaults."""

    enabled: bool = True
    voice: str = ""  # empty: the platform's Indonesian voice (see default_voice)
    voice_en: str = ""
    rate: int = 140  # words per minute; a hall echoes, so slower than the engines' 175-200
    volume: float = 1.0
    repeat: int = 1
    numbers: NumberStyle = "digits"  # how ticket numbers are read
    counter_numbers: NumberStyle = "words"  # "Loket 12" is "loket dua belas"
    english: bool = False
    agency: bool = False
    chime: bool = True
    timeout_seconds: float = 10.0
    pronounce: Mapping[str, str] = field(default_factory=dict)
    engine: Literal["tts", "pack"] = "tts"  # "pack": recorded clips from `pack`, TTS for any word it lacks
    pack: str = ""  # the voice pack folder (with manifest.toml)
    short_after: int = 2  # announcements waiting before the display says calls once, in Indonesian only
    brief_after: int = 3  # waiting before it uses the short form ("A, nol nol tujuh, loket tiga.")

    def voice_for(self, language: str) -> str:
        """The configured voice of a language, else the platform default."""
        chosen = self.voice if language == "id" else self.voice_en
        return chosen or default_voice(language)


def default_voice(language: str, platform: str = sys.platform) -> str:
    """espeak-ng voice ids on Linux, SAPI voice names on Windows."""
    if platform.startswith("win"):
        return "Microsoft Andika" if language == "id" else "Microsoft Zira"
    return "poz/id" if language == "id" else "gmw/en"


def _problem(key: str, message: str) -> ConfigError:
    return ConfigError(f"venue settings [speech].{key}: {message}")


def speech_settings(section: Mapping[str, Any] | None) -> SpeechSettings:
    """Validate the [speech] section; unknown keys and bad values raise ConfigError."""
    raw = dict(section or {})
    known = SpeechSettings.__dataclass_fields__
    for key in raw:
        if key not in known:
            raise _problem(key, f"unknown key (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for key in ("enabled", "english", "agency", "chime"):
        if key in raw:
            if not isinstance(raw[key], bool):
                raise _problem(key, "must be true or false")
            values[key] = raw[key]
    for key in ("voice", "voice_en", "pack"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise _problem(key, "must be a text, e.g. \"poz/id\"")
            values[key] = raw[key].strip()
    for key, low, high in (("rate", 60, 400), ("repeat", 1, 5), ("short_after", 1, 50), ("brief_after", 1, 50)):
        if key in raw:
            if not isinstance(raw[key], int) or isinstance(raw[key], bool) or not low <= raw[key] <= high:
                raise _problem(key, f"must be a whole number from {low} to {high}")
            values[key] = raw[key]
    for key, low, high in (("volume", 0.0, 1.0), ("timeout_seconds", 1.0, 120.0)):
        if key in raw:
            value = raw[key]
            if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
                raise _problem(key, f"must be a number from {low:g} to {high:g}")
            values[key] = float(value)
    for key in ("numbers", "counter_numbers"):
        if key in raw:
            if raw[key] not in ("digits", "words"):
                raise _problem(key, "must be \"digits\" or \"words\"")
            values[key] = raw[key]
    if "engine" in raw:
        if raw["engine"] not in ("tts", "pack"):
            raise _problem("engine", "must be \"tts\" or \"pack\"")
        values["engine"] = raw["engine"]
        if raw["engine"] == "pack" and not str(raw.get("pack") or "").strip():
            raise _problem("pack", "engine = \"pack\" needs pack = \"folder of the voice pack\"")
    if "pronounce" in raw:
        table = raw["pronounce"]
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise _problem("pronounce", "must be a table of word = \"how to say it\"")
        values["pronounce"] = {str(k).upper(): v for k, v in table.items()}
    return SpeechSettings(**values)


def digits_id(digits: str) -> str:
    """'007' -> 'nol nol tujuh'."""
    return " ".join(num2words(int(d), lang="id") for d in digits)


def number_id(digits: str, style: NumberStyle) -> str:
    """A run of digits read digit by digit or as one number ('007' -> 'tujuh', '123' -> 'seratus dua puluh tiga')."""
    if style == "digits":
        return digits_id(digits)
    return str(num2words(int(digits), lang="id"))


def letters_id(letters: str) -> str:
    """'AB' -> 'A Be'."""
    return " ".join(LETTERS_ID.get(ch, ch) for ch in letters.upper())


def read_code(code: str, numbers: NumberStyle = "digits") -> str:
    """A ticket code as spoken: 'A-007' -> 'A, nol nol tujuh'; 'AB-123' (words) -> 'A Be, seratus dua puluh tiga'."""
    groups = []
    for token in _TOKEN.findall(code):
        if token.isdigit():
            groups.append(number_id(token, numbers))
        elif token.isalpha():
            groups.append(letters_id(token))
    return ", ".join(groups)


def _word_id(token: str, pronounce: Mapping[str, str]) -> str:
    upper = token.upper()
    if upper in pronounce:
        return pronounce[upper]
    if token.isupper() and (upper in SPELLED or len(token) == 1 or not _VOWELS & set(upper)):
        return letters_id(token)
    return token.lower()  # plain words: casing means nothing to a voice, and caps may make it spell


def read_name(name: str, numbers: NumberStyle = "words", pronounce: Mapping[str, str] | None = None) -> str:
    """A counter or agency name as spoken: 'Loket 12' -> 'loket dua belas', 'Loket BPJS' -> 'loket Be Pe Je Es'."""
    table = {k.upper(): v for k, v in (pronounce or {}).items()}
    words = []
    for token in _TOKEN.findall(name):
        if token.isdigit():
            words.append(number_id(token, numbers))
        elif token.isalpha():
            words.append(_word_id(token, table))
        elif token in ("&", "+"):
            words.append("dan")
    return " ".join(words)


def read_code_en(code: str, numbers: NumberStyle = "digits") -> str:
    """A ticket code in English: 'A-007' -> 'A, zero zero seven'."""
    groups = []
    for token in _TOKEN.findall(code):
        if token.isdigit():
            groups.append(" ".join(num2words(int(d), lang="en") for d in token) if numbers == "digits"
                          else str(num2words(int(token), lang="en")))
        elif token.isalpha():
            groups.append(" ".join(token.upper()))
    return ", ".join(groups)


def read_name_en(name: str, numbers: NumberStyle = "words") -> str:
    """A counter name in English: 'Loket 3' -> 'counter three'."""
    words = []
    for token in _TOKEN.findall(name):
        if token.isdigit():
            words.append(" ".join(num2words(int(d), lang="en") for d in token) if numbers == "digits"
                         else str(num2words(int(token), lang="en")))
        elif token.isalpha():
            words.append("counter" if token.lower() == "loket" else token)
        elif token in ("&", "+"):
            words.append("and")
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Announcement:
    """The spoken text of one call: Indonesian, optionally English, said `repeat` times."""

    code: str
    counter_name: str
    text: str
    text_en: str = ""
    repeat: int = 1
    text_short: str = ""  # the short form: code and counter only

    def parts(self, form: Form = "full") -> list[tuple[str, str]]:
        """(language, text) in speaking order: all repeats, once in Indonesian, or the short form."""
        if form == "brief":
            return [("id", self.text_short or self.text)]
        if form == "once":
            return [("id", self.text)]
        once = [("id", self.text)] + ([("en", self.text_en)] if self.text_en else [])
        return once * self.repeat


def announcement(code: str, counter_name: str, agency_name: str = "",
                 settings: SpeechSettings | None = None) -> Announcement:
    """The announcement of a call: 'Nomor antrean, A, nol nol tujuh, silakan menuju loket tiga.'"""
    s = settings or SpeechSettings()
    where = read_name(counter_name, s.counter_numbers, s.pronounce)
    spoken_code = read_code(code, s.numbers)
    text = f"Nomor antrean, {spoken_code}, silakan menuju {where}"
    if s.agency and agency_name:
        text += f", {read_name(agency_name, s.counter_numbers, s.pronounce)}"
    text_en = ""
    if s.english:
        text_en = (f"Ticket number, {read_code_en(code, s.numbers)}, please proceed to "
                   f"{read_name_en(counter_name, s.counter_numbers)}.")
    return Announcement(code, counter_name, text + ".", text_en, s.repeat, f"{spoken_code}, {where}.")
