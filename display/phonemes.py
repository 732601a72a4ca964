"""How espeak-ng's Indonesian voice should say the words of an announcement it gets wrong.

espeak-ng's `poz/id` reads every "e" as [ɛ] ("empat" [ɛmpat], "belas" [bɛlas]) where Indonesian
has a schwa [ə], and "loket" as [lokət] where it is [lokɛt]; letter names such as "Be" are [be]
in Indonesian, not [bɛ]. Its phoneme input (`[[...]]` in the text, in espeak's own phoneme
mnemonics: `@` is [ə], `E` is [ɛ], `e` is [e], `'` marks the stressed syllable) says them right.
These were checked with `espeak-ng -v id -x` (see tests/test_display_voice.py). The speech worker
applies them only when pyttsx3 drives espeak-ng with its Indonesian voice: SAPI voices, voice
packs and test fakes get the plain words.
"""

from __future__ import annotations

import re

# word (lower case) -> espeak-ng phonemes. Stress: Indonesian stresses the second-to-last
# syllable unless it holds a schwa; then the last.
ESPEAK_ID: dict[str, str] = {
    "empat": "@mp'at",
    "enam": "@n'am",
    "belas": "b@l'as",
    "sebelas": "s@b@l'as",
    "loket": "l'okEt",
    "antrean": "antR2'ean",
    # Words of agency names (said when [speech] agency = true) whose roots espeak gets wrong.
    "kependudukan": "k@p@nduduk'an", "ketenagakerjaan": "k@t@nagak@RdZ'a_|an", "kementerian": "k@m@nt@R2i'an",
    "negeri": "n@g@R2'i", "kerja": "k'@RdZa", "kabupaten": "kabup'atEn",
    # Letter names (KBBI): B is "bé" [be], S is "ès" [ɛs].
    "be": "b'e", "ce": "tS'e", "de": "d'e", "ge": "g'e", "je": "dZ'e", "pe": "p'e", "te": "t'e",
    "we": "w'e", "fe": "f'e", "ye": "j'e", "es": "'Es",
}
_WORD = re.compile(r"[A-Za-z]+")


def is_espeak_indonesian(voice: str) -> bool:
    """espeak-ng's Indonesian voice: 'poz/id' (or the bare language 'id')."""
    v = voice.strip().lower()
    return v.endswith("/id") or v in ("id", "indonesian")


def espeak_text(text: str, table: dict[str, str] | None = None) -> str:
    """The text with the words espeak gets wrong written as phonemes: 'dua belas' -> 'dua [[b@l'as]]'."""
    table = ESPEAK_ID if table is None else table

    def swap(match: re.Match[str]) -> str:
        phonemes = table.get(match.group(0).lower())
        return f"[[{phonemes}]]" if phonemes else match.group(0)

    return _WORD.sub(swap, text)
