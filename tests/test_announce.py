"""How Indonesians read ticket codes and counter names aloud: the announcement text (db.announce)."""

from __future__ import annotations

import pytest

from db.announce import (
    LETTERS_ID,
    SpeechSettings,
    announcement,
    default_voice,
    digits_id,
    letters_id,
    number_id,
    read_code,
    read_code_en,
    read_name,
    read_name_en,
    speech_settings,
)
from db.errors import ConfigError


@pytest.mark.parametrize(("code", "digits", "words"), [
    ("A-001", "A, nol nol satu", "A, satu"),
    ("A-007", "A, nol nol tujuh", "A, tujuh"),
    ("B-010", "Be, nol satu nol", "Be, sepuluh"),
    ("B-011", "Be, nol satu satu", "Be, sebelas"),
    ("C-012", "Ce, nol satu dua", "Ce, dua belas"),
    ("D-019", "De, nol satu sembilan", "De, sembilan belas"),
    ("E-020", "E, nol dua nol", "E, dua puluh"),
    ("F-021", "Ef, nol dua satu", "Ef, dua puluh satu"),
    ("G-100", "Ge, satu nol nol", "Ge, seratus"),
    ("H-101", "Ha, satu nol satu", "Ha, seratus satu"),
    ("AB-123", "A Be, satu dua tiga", "A Be, seratus dua puluh tiga"),
    ("JHT-007", "Je Ha Te, nol nol tujuh", "Je Ha Te, tujuh"),
    ("Q-999", "Ki, sembilan sembilan sembilan", "Ki, sembilan ratus sembilan puluh sembilan"),
    ("V-000", "Fe, nol nol nol", "Fe, nol"),
    ("X-1000", "Eks, satu nol nol nol", "Eks, seribu"),
    ("YZ-050", "Ye Zet, nol lima nol", "Ye Zet, lima puluh"),
    ("K-4", "Ka, empat", "Ka, empat"),
    ("A007", "A, nol nol tujuh", "A, tujuh"),  # a venue whose code_format has no dash
    ("a-008", "A, nol nol delapan", "A, delapan"),
    ("PB 012", "Pe Be, nol satu dua", "Pe Be, dua belas"),
])
def test_ticket_codes(code: str, digits: str, words: str) -> None:
    assert read_code(code, "digits") == digits
    assert read_code(code, "words") == words


@pytest.mark.parametrize(("name", "spoken"), [
    ("Loket 1", "loket satu"),
    ("Loket 3", "loket tiga"),
    ("Loket 10", "loket sepuluh"),
    ("Loket 11", "loket sebelas"),
    ("Loket 12", "loket dua belas"),
    ("Loket 21", "loket dua puluh satu"),
    ("Loket 3A", "loket tiga A"),
    ("Loket 2B", "loket dua Be"),
    ("LOKET 5", "loket lima"),
    ("Loket BPJS Kesehatan", "loket Be Pe Je Es kesehatan"),
    ("Loket KTP", "loket Ka Te Pe"),
    ("Loket SKCK", "loket Es Ka Ce Ka"),
    ("Loket SIM", "loket sim"),  # an acronym with vowels is read as a word
    ("Loket SAMSAT", "loket samsat"),
    ("Loket KUA", "loket Ka U A"),  # ...unless Indonesians spell it
    ("Loket PDAM", "loket Pe De A Em"),
    ("Meja 4", "meja empat"),
    ("Loket 1 & 2", "loket satu dan dua"),
    ("L03", "El tiga"),
])
def test_counter_names(name: str, spoken: str) -> None:
    assert read_name(name) == spoken


def test_counter_numbers_digit_by_digit_when_configured() -> None:
    assert read_name("Loket 12", "digits") == "loket satu dua"


def test_pronunciation_overrides_from_config() -> None:
    assert read_name("Loket BJB", pronounce={"bjb": "bank be je be"}) == "loket bank be je be"
    settings = speech_settings({"pronounce": {"DUKCAPIL": "duk capil"}, "agency": True})
    text = announcement("A-001", "Loket 1", "DUKCAPIL", settings).text
    assert text.endswith("loket satu, duk capil.")


def test_the_issue_example_word_for_word() -> None:
    ann = announcement("A-007", "Loket 3")
    assert ann.text == "Nomor antrean, A, nol nol tujuh, silakan menuju loket tiga."  # no pause after "menuju"
    assert ann.text_short == "A, nol nol tujuh, loket tiga."
    assert ann.parts("brief") == [("id", "A, nol nol tujuh, loket tiga.")]


def test_numbers_as_words_read_b_120_as_one_number() -> None:
    ann = announcement("B-120", "Loket 3", settings=SpeechSettings(numbers="words"))
    assert ann.text == "Nomor antrean, Be, seratus dua puluh, silakan menuju loket tiga."
    assert announcement("B-120", "Loket 3").text.startswith("Nomor antrean, Be, satu dua nol,")  # default: digits


def test_numbers_as_words_with_agency_and_english() -> None:
    settings = SpeechSettings(numbers="words", agency=True, english=True, repeat=2)
    ann = announcement("AB-123", "Loket 12", "Dinas Kependudukan dan Pencatatan Sipil", settings)
    assert ann.text == ("Nomor antrean, A Be, seratus dua puluh tiga, silakan menuju loket dua belas, "
                        "dinas kependudukan dan pencatatan sipil.")
    assert ann.text_en == "Ticket number, A B, one hundred and twenty-three, please proceed to counter twelve."
    assert [lang for lang, _ in ann.parts()] == ["id", "en", "id", "en"]
    assert [lang for lang, _ in ann.parts("once")] == ["id"]  # a backlog: once, Indonesian only


def test_agency_is_left_out_unless_asked() -> None:
    assert "dinas" not in announcement("A-001", "Loket 1", "Dinas X").text.lower()
    assert announcement("A-001", "Loket 1", "Dinas X").text.endswith("loket satu.")


def test_english_reading() -> None:
    assert read_code_en("A-007") == "A, zero zero seven"
    assert read_code_en("B-010", "words") == "B, ten"
    assert read_name_en("Loket 3") == "counter three"
    assert read_name_en("Loket 1 & 2") == "counter one and two"


def test_building_blocks() -> None:
    assert digits_id("0123456789") == "nol satu dua tiga empat lima enam tujuh delapan sembilan"
    assert number_id("007", "words") == "tujuh"
    assert number_id("250", "words") == "dua ratus lima puluh"
    assert letters_id("xyz") == "Eks Ye Zet"
    assert len(LETTERS_ID) == 26


def test_default_voices_per_platform() -> None:
    assert default_voice("id", "linux") == "poz/id"
    assert default_voice("id", "win32") == "Microsoft Andika"
    assert SpeechSettings(voice="Microsoft Andika").voice_for("id") == "Microsoft Andika"
    assert SpeechSettings(voice_en="gmw/en-US").voice_for("en") == "gmw/en-US"


def test_speech_settings_defaults_and_values() -> None:
    assert speech_settings(None) == SpeechSettings()
    s = speech_settings({"rate": 160, "repeat": 2, "numbers": "words", "english": True, "volume": 0.8,
                         "voice": " poz/id "})
    assert (s.rate, s.repeat, s.numbers, s.english, s.volume, s.voice) == (160, 2, "words", True, 0.8, "poz/id")


@pytest.mark.parametrize(("section", "message"), [
    ({"numbers": "roman"}, r"\[speech\]\.numbers: must be \"digits\" or \"words\""),
    ({"rate": "fast"}, r"\[speech\]\.rate: must be a whole number from 60 to 400"),
    ({"repeat": 0}, r"\[speech\]\.repeat"),
    ({"english": "yes"}, r"\[speech\]\.english: must be true or false"),
    ({"volume": 2}, r"\[speech\]\.volume"),
    ({"voise": "poz/id"}, r"\[speech\]\.voise: unknown key"),
    ({"pronounce": ["x"]}, r"\[speech\]\.pronounce"),
    ({"engine": "festival"}, r"\[speech\]\.engine: must be \"tts\" or \"pack\""),
    ({"engine": "pack"}, r"\[speech\]\.pack: engine = \"pack\" needs"),
    ({"brief_after": 0}, r"\[speech\]\.brief_after"),
])
def test_speech_settings_problems_name_the_key(section: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        speech_settings(section)
