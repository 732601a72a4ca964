"""What the kiosk and the ticket say: fees that mean what they say, KBBI's 'antrean', whole words on paper.

A service that is not free never reads "Gratis"; every text a citizen can see exists in
Bahasa Indonesia and English and carries no raw technical English; a printed ticket never
cuts a word, says where the counters are, and says "keep this ticket" once.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db import open_database, unit_of_work
from db.catalog import agencies
from db.config import parse_config
from db.errors import ConfigError, Refused
from db.fees import fee_headline
from db.queue import issue_ticket
from db.ticket_layout import _TEXT as TICKET_TEXT
from db.ticket_layout import Text, ticket_content, ticket_layout
from kiosk.printers import PrinterState, PrinterStatus, TicketPrinter
from kiosk.texts import _T as KIOSK_TEXT
from tests.conftest import SMALL_VENUE
from tests.kiosk_fixtures import kiosk_url, load_venue, make_kiosk  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "assets" / "demo-venue.toml"
MONDAY_10AM = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def _service_file(tmp_path: Path, fee_lines: str) -> Path:
    text = SMALL_VENUE.replace('fee = 80000\n', fee_lines + "\n")
    path = tmp_path / "venue.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("lines", "problem"), [
    ('fee = 80000\nfee_kind = "free"', "fee is 80000 but fee_kind is 'free'"),
    ('fee = 0\nfee_kind = "fixed"', "fee_kind 'fixed' needs the amount"),
    ('fee = 0\nfee_kind = "bill"', "fee_kind 'bill' needs a fee_note"),
    ('fee = 5000\nfee_kind = "bill"\nfee_note = "PKB"', "fee_kind 'bill' has no fixed amount"),
    ('fee = 0\nfee_kind = "gratis"', "services[2].fee_kind"),
])
def test_a_fee_that_would_say_something_else_is_refused(tmp_path, lines, problem):
    with pytest.raises(ConfigError) as err:
        parse_config(_service_file(tmp_path, lines))
    assert problem in str(err.value) and "venue.toml: services[2]" in str(err.value)


def test_fee_kinds_are_stored_and_implied_for_older_files(sessions):
    with unit_of_work(sessions) as s:
        services = {sv.code: sv for a in agencies(s) for sv in a.services}
    # The small venue gives no fee_kind: an amount is fixed, nothing at all is free.
    assert (services["S"].fee_kind, services["S"].fee) == ("fixed", 80000)
    assert services["A"].fee_kind == "free"
    assert services["A"].zones == ("Lantai 1",) and services["S"].zones == ("Lantai 2",)


def test_no_service_of_the_demo_venue_reads_free_unless_it_is():
    cfg = parse_config(DEMO)
    kinds = {s.code: s.fee_kind for s in cfg.services}
    assert set(kinds.values()) == {"free", "fixed", "bill"}
    for s in cfg.services:
        for lang in ("id", "en"):
            headline = fee_headline(s.fee_kind, s.fee, lang)
            assert (headline in ("Gratis", "Free of charge")) == (s.fee_kind == "free"), s.code
        assert s.fee_note.strip().lower() not in ("gratis", "free"), s.code  # no "Gratis (Gratis)"
        if s.fee_note:
            assert s.fee_note_en, f"{s.code}: the English screen needs the note in English"
    # The services the issue named: vehicle tax and Hajj registration are not free.
    assert kinds["PK"] == "bill" and kinds["HJ"] == "fixed" and kinds["A"] == "free"
    assert [c.code for c in cfg.venue.priority_categories] == ["lansia", "disabilitas", "ibu_hamil", "ibu_balita"]


def test_every_citizen_text_in_both_languages_with_kbbi_words():
    for key, (indonesian, english) in {**KIOSK_TEXT, **TICKET_TEXT}.items():
        assert indonesian.strip() and english.strip(), key
        assert not re.search(r"\bantrian\b|\bgalat\b|\bkiosk\b", indonesian, re.IGNORECASE), (key, indonesian)
    venue = tomllib.loads(DEMO.read_text(encoding="utf-8"))["venue"]
    assert "antrian" not in venue["ticker"].lower() + venue["ticket_footer"].lower()


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("columns", [32, 48])
def test_tickets_of_every_demo_service_keep_words_whole(new_db_url, tmp_path, columns):
    url = new_db_url()
    load_venue(url, DEMO.read_text(encoding="utf-8"), tmp_path)
    sessions = open_database(url)
    checked = 0
    with unit_of_work(sessions) as s:
        services = [sv for a in agencies(s) for sv in a.services]
        for i, sv in enumerate(services):
            category = ("lansia", "ibu_balita", None)[i % 3] if sv.allow_priority else None
            try:
                issued = issue_ticket(s, sv.code, priority=category is not None, priority_category=category,
                                      now=MONDAY_10AM)
            except Refused:
                continue  # closed at this hour
            content = ticket_content(s, issued.ticket.id, ahead=3, wait=15)
            for lang in ("id", "en"):
                lines = [e for e in ticket_layout(content, lang, columns=columns, max_requirements=20)
                         if isinstance(e, Text)]
                printed = [w for e in lines for w in words(e.text)]
                for e in lines:
                    too_long = len(e.text) * e.size > columns
                    assert not too_long or len(words(e.text)) == 1, (sv.code, e.text)
                reqs = sv.requirements_en if lang == "en" else sv.requirements
                note = (sv.fee_note_en or sv.fee_note) if lang == "en" else sv.fee_note
                for source in [*reqs, note]:
                    for w in words(source):
                        assert w in printed, (sv.code, lang, w)  # whole, never "Kartu Kelu..."
                text = "\n".join(e.text for e in lines)
                assert text.count("Simpan tiket ini") + text.count("Keep this ticket") == 1
                assert ("Terlewat panggilan? Pindai kode QR di anjungan antrean." in " ".join(printed)) == (
                    lang == "id")
                fee = next(e.text for e in lines if e.text.startswith(("Biaya:", "Fee:")))
                assert ("Gratis" in fee or "Free" in fee) == (sv.fee_kind == "free"), (sv.code, fee)
                assert any(e.text.startswith(("Lokasi loket: Lantai", "Counters at: Lantai")) for e in lines)
                if category == "ibu_balita":
                    label = "PRIORITAS - IBU MEMBAWA BALITA" if lang == "id" else "PRIORITY - PARENT WITH A TODDLER"
                    assert label in " ".join(e.text for e in lines if e.invert), sv.code
            checked += 1
    sessions.kw["bind"].dispose()
    assert checked >= 55  # nearly every service is open on a Monday at 10:00


class PaperOut(TicketPrinter):
    name = "paper-out"

    def status(self) -> PrinterStatus:
        return PrinterStatus(PrinterState.PAPER_OUT, "paper end")

    def print_ticket(self, job) -> None:  # noqa: ANN001
        raise AssertionError("nothing prints without paper")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_printer_problem_reads_in_plain_words(qtbot, make_kiosk, lang):
    w = make_kiosk(PaperOut(), home=False, lang=lang)
    qtbot.waitUntil(lambda: w.view == "printer", timeout=5000)
    shown = " ".join(x.text() for x in (w.message.title, w.message.body, w.message.detail) if x.isVisible())
    assert "paper end" not in shown and "paper_out" not in shown
    assert shown == {"id": "Printer tiket bermasalah Kertas tiket habis. Mohon hubungi petugas untuk bantuan.",
                     "en": "The ticket printer has a problem Out of paper. Please ask the staff for help."}[lang]


def _kiosk_section(url: str, section: dict) -> None:
    from db.lookup import venue

    sessions = open_database(url)
    with unit_of_work(sessions) as s:
        row = venue(s)
        row.settings = {**row.settings, "kiosk": section}
    sessions.kw["bind"].dispose()


def test_a_kiosk_offers_the_venue_categories_it_lists(qtbot, make_kiosk, kiosk_url):
    from tests.test_kiosk_flow import dummy_printer, to_confirm

    _kiosk_section(kiosk_url, {"priority_categories": ["ibu_hamil"]})
    w = make_kiosk(dummy_printer()[0])
    to_confirm(qtbot, w)
    assert [b.text() for b in w.confirm.prio_buttons if not b.isHidden()] == ["Ibu hamil"]
    assert not w.confirm.prio_buttons[0].icon().isNull()  # the built-in "pregnant" pictogram
    assert w.confirm.priority_hint.text() == "Antrean prioritas untuk ibu hamil."


def test_a_kiosk_listing_an_unknown_category_says_so_to_staff(qtbot, make_kiosk, kiosk_url):
    from tests.test_kiosk_flow import dummy_printer

    _kiosk_section(kiosk_url, {"priority_categories": ["lansia", "veteran"]})
    w = make_kiosk(dummy_printer()[0], home=False)
    qtbot.waitUntil(lambda: w.view == "config", timeout=5000)
    assert "'veteran' not in [[venue.priority_categories]]" in w.config_error
    assert w.message.detail.isHidden()
