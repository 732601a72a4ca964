"""Hostile venue files: every problem is one located line (file and key), nothing reaches the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from antre.venue_sections import app_section_checks
from db import ConfigError, unit_of_work
from db.config import load_config, parse_config
from db.models import Operator, Service
from db.venue_checks import code_format_problem

BASE = """
[venue]
name = "MPP"
[[agencies]]
code = "DUK"
name = "Dukcapil"
[[services]]
agency = "DUK"
code = "A"
name = "KTP"
[[counters]]
code = "L1"
name = "Loket 1"
services = ["A"]
"""


def problems(tmp_path: Path, text: str, *, apps: bool = True) -> str:
    path = tmp_path / "venue.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        parse_config(path, sections=app_section_checks() if apps else None)
    text = str(info.value)
    assert all(line.startswith("venue.toml: ") for line in text.splitlines()), text
    return text


def test_base_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "venue.toml"
    path.write_text(BASE, encoding="utf-8")
    assert parse_config(path, sections=app_section_checks()).venue.name == "MPP"


def test_a_counter_listing_a_service_twice_in_another_case(tmp_path: Path) -> None:
    text = problems(tmp_path, BASE.replace('services = ["A"]', 'services = ["A", "a"]'))
    assert "venue.toml: counters[0].services[1]: 'a' is listed twice (first at services[0])" in text


@pytest.mark.parametrize("nested", [
    "x = " + "[" * 3000 + "]" * 3000,  # tomllib itself recurses
    "[venue.hours]\n" + "a." * 40 + "b = 1",  # parses, but too deep to store and read back sanely
])
def test_deep_nesting_is_one_clear_line(tmp_path: Path, nested: str) -> None:
    text = problems(tmp_path, BASE + "\n" + nested if nested.startswith("x") else BASE.replace(
        '[venue]\nname = "MPP"', '[venue]\nname = "MPP"\n' + nested.replace("[venue.hours]\n", "hours.")))
    assert "nested" in text and "deep" in text and len(text.splitlines()) <= 2


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('code = "A"\nname = "KTP"', f'code = "A"\nname = "KTP"\nfee = {2**63 - 1}',
     "services[0].fee: 9223372036854775807 is out of range (at most 2,147,483,647)"),
    ('code = "A"\nname = "KTP"', 'code = "A"\nname = "KTP"\nfee = 2000000000',
     "services[0].fee: must be from 0 to 1,000,000,000"),
    ('code = "A"\nname = "KTP"', 'code = "A"\nname = "KTP"\ndaily_quota = 5000000000',
     "services[0].daily_quota: 5000000000 is out of range"),
    ('code = "A"\nname = "KTP"', 'code = "A"\nname = "KTP"\ndaily_quota = 50000',
     "services[0].daily_quota: must be from 1 to 10,000"),
    ('code = "A"\nname = "KTP"', 'code = "A"\nname = "KTP"\ncompletion_minutes = 99999999',
     "services[0].completion_minutes: must be from 0 to 527,040"),
    ('name = "KTP"', f'name = "{"K" * 10_000}"', "services[0].name: is 10000 characters long"),
    ('name = "KTP"', f'name = "{"K" * 1000}"', "services[0].name: is 1000 characters long (at most 200)"),
    ('name = "Loket 1"', f'name = "{"L" * 101}"', "counters[0].name: is 101 characters long (at most 100)"),
    ('name = "KTP"', 'name = "KT\\u0000P"', "services[0].name: holds a control character"),
    ('name = "Dukcapil"', 'name = "Duk\\u0007capil"', "agencies[0].name: holds a control character"),
    ('name = "MPP"', 'name = "MPP"\npriority_ratio = [1, 1000]', "venue.priority_ratio[1]: must be from 1 to 20"),
    ('name = "MPP"', 'name = "MPP"\nticker = "' + "x" * 5000 + '"', "venue.ticker: is 5000 characters long"),
    ('name = "MPP"', 'name = "MPP"\n"bad\\u0000key" = 1', "venue: key 'bad\\x00key' is not a plain name"),
    ('code = "A"\nname = "KTP"', 'code = "A"\nname = "KTP"\nrequirements = [' + '"x", ' * 1500 + ']',
     "services[0].requirements: has 1500 entries (at most 1000)"),
])
def test_limits_name_the_key(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in BASE
    assert f"venue.toml: {expected}" in problems(tmp_path, BASE.replace(old, new, 1))


def test_operator_names_and_pins_within_limits(tmp_path: Path) -> None:
    text = problems(tmp_path, BASE + f'[[operators]]\nusername = "siti"\nname = "{"S" * 300}"\npin = "1234"\n')
    assert "venue.toml: operators[0].name: is 300 characters long (at most 200)" in text


@pytest.mark.parametrize(("fmt", "why"), [
    ("{prefix}-{number:03d}", None),
    ("{prefix}{number:04d}", None),
    ("{prefix:.2}-{number:03d}", "must show both"),  # fine for A and AB, but ABC and ABD print alike
    ("{prefix:.1}{number}", "must show both"),
    ("{number:03d}", "must show both"),
    ("{prefix}-{number:020d}", "more than 20 characters"),
    ("{prefix}-{number.real}", "only {prefix} and {number} may appear"),
    ("{prefix}-{number:x}", "must show both"),  # hex: 42 prints as 2a
    ("{prefix}-{number:03d", "bad format"),
    ("{prefix}-{number:s}", "bad format"),
])
def test_code_format_at_every_prefix_length(fmt: str, why: str | None) -> None:
    problem = code_format_problem(fmt)
    assert (problem is None) if why is None else (why in (problem or "")), problem


def test_code_format_problem_in_the_file(tmp_path: Path) -> None:
    text = problems(tmp_path, BASE.replace('name = "MPP"', 'name = "MPP"\ncode_format = "{prefix:.2}{number:03d}"'))
    assert "venue.toml: venue.code_format: format '{prefix:.2}{number:03d}' must show both" in text


APP_SECTIONS = """
[kiosk]
idle_seconds = 1
orientation = "diagonal"
[printer]
device = "lpt:1"
[display]
last_calls = 999
highlight_seconds = nan
[speech]
rate = 5
[counter]
language = "fr"
recal_suggest_noshow = 3
"""


def test_app_sections_are_validated_with_file_and_key(tmp_path: Path) -> None:
    text = problems(tmp_path, BASE + APP_SECTIONS)
    # nan is refused before any section's own check runs
    assert text == "venue.toml: display.highlight_seconds: must be a finite number"
    text = problems(tmp_path, BASE + APP_SECTIONS.replace("highlight_seconds = nan\n", ""))
    for expected in ("kiosk.idle_seconds:", "kiosk.orientation:", "printer.device: ", "display.last_calls: must be",
                     "speech.rate: must be a whole number from 60 to 400", "counter.language: must be",
                     "counter.recal_suggest_noshow: unknown key"):
        assert f"venue.toml: {expected}" in text, (expected, text)


def test_speech_is_checked_even_without_the_apps(tmp_path: Path) -> None:
    assert "venue.toml: speech.rate: must be" in problems(tmp_path, BASE + "[speech]\nrate = 5\n", apps=False)


def test_an_app_section_that_is_not_a_table(tmp_path: Path) -> None:
    assert "venue.toml: kiosk: Input should be a valid dictionary" in problems(tmp_path, 'kiosk = 5\n' + BASE)


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    text = problems(tmp_path, BASE + "# " + "x" * (5 * 2**20) + "\n")
    assert "larger than 4 MB" in text


def test_values_at_the_limits_load_on_the_database(tmp_path: Path, sessions) -> None:
    """The largest values the file allows fit every column, on SQLite and PostgreSQL alike."""
    text = BASE.replace('name = "KTP"', f'name = "{"K" * 200}"\nfee = 1000000000\ndaily_quota = 10000\n'
                        'completion_minutes = 527040\nexpected_service_minutes = 480')
    text = text.replace('code = "A"', 'code = "ABC"').replace('services = ["A"]', 'services = ["abc"]')
    text = text.replace('name = "Loket 1"', f'name = "{"L" * 100}"\nzone = "{"Z" * 50}"')
    text += f'[[operators]]\nusername = "{"u" * 64}"\nname = "{"N" * 200}"\npin = "{"8" * 12}"\n'
    path = tmp_path / "limits.toml"
    path.write_text(text, encoding="utf-8")
    with unit_of_work(sessions) as s:
        load_config(s, path, sections=app_section_checks())
    with unit_of_work(sessions) as s:
        row = s.scalar(select(Service).where(Service.code == "ABC"))
        assert row is not None and (row.fee, row.daily_quota, len(row.name)) == (1_000_000_000, 10_000, 200)
        assert len(s.scalar(select(Operator.display_name).where(Operator.username == "u" * 64)) or "") == 200
