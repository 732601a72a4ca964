"""A venue bigger than any MPP today (25 agencies, one with 12 services): every tile reachable by touch.

Pages replace scrolling (a touch kiosk has no scrollbar): every agency and every service can be
reached with the pager, in portrait 1080x1920 and landscape 1920x1080, and no page has cut text,
text under 28 px, a touch target under 61 px or targets closer than 8 px.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.kiosk_fixtures import big_venue_toml, layout_problems, load_venue, open_kiosk  # noqa: F401

LEFT = Qt.MouseButton.LeftButton
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
AGENCIES = [f"Dinas Pelayanan Terpadu Nomor {i + 1} Kabupaten Contoh Jaya" for i in range(25)]
SERVICES = [f"Permohonan Layanan Administrasi Kependudukan Jenis {j + 1}" for j in range(12)]


def visible_titles(grid) -> list[str]:
    return [t.title for t in grid.tiles[:grid.count] if t.isVisible()]


def page_through(qtbot, w, grid, screen: str) -> tuple[list[str], list[str]]:
    """Every tile title met by tapping 'Next' from the first page, and what is wrong on each page."""
    seen, problems = [], []
    assert not grid.pager.prev.isEnabled()
    for page in range(grid.pages):
        seen += visible_titles(grid)
        problems += layout_problems(w, f"{screen} page {page + 1}")
        if page < grid.pages - 1:
            qtbot.mouseClick(grid.pager.next, LEFT)
    assert not grid.pager.next.isEnabled()
    return seen, problems


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_every_agency_and_service_of_a_25_agency_venue_is_reachable(qtbot, new_db_url, open_kiosk, tmp_path,
                                                                     size):
    url = new_db_url()
    load_venue(url, big_venue_toml(), tmp_path)
    w = open_kiosk(url, size=size, clock=lambda: NOW, lang="id")
    grid = w.home.grid
    assert grid.pages > 1 and grid.pager.isVisible()
    seen, problems = page_through(qtbot, w, grid, "home")
    assert seen == AGENCIES
    assert not problems, "\n".join(problems)
    # The last agency, on the last page, opens by touch; back on Home the first page shows again.
    qtbot.mouseClick(next(t for t in grid.tiles if t.isVisible() and t.title == AGENCIES[-1]), LEFT)
    assert w.view == "agency" and w.agency_code == "AG24"
    qtbot.mouseClick(w.agency.back_button, LEFT)
    assert w.view == "home" and grid.page == 0 and visible_titles(grid)[0] == AGENCIES[0]
    # The 12-service agency: every service reachable, the last one opens its standard.
    qtbot.mouseClick(grid.tiles[0], LEFT)
    services = w.agency.grid
    seen, problems = page_through(qtbot, w, services, "agency")
    assert seen == SERVICES
    assert not problems, "\n".join(problems)
    last = next(t for t in services.tiles if t.isVisible() and t.title == SERVICES[-1])
    qtbot.mouseClick(last, LEFT)
    assert w.view == "confirm" and w.confirm.name.text() == SERVICES[-1]
    assert layout_problems(w, "confirm") == []
    assert w.confirm.where.text() == "Lokasi loket: Lantai 1"


FULL_VENUE = Path(__file__).resolve().parent.parent / "assets" / "demo-venue.toml"


def test_every_service_standard_of_the_full_demo_venue_fits_and_every_requirement_is_reachable(
        qtbot, new_db_url, open_kiosk, tmp_path):
    url = new_db_url()
    load_venue(url, FULL_VENUE.read_text(encoding="utf-8"), tmp_path)
    problems: list[str] = []
    paged = 0
    for size in ((1080, 1920), (1920, 1080)):
        w = open_kiosk(url, size=size, clock=lambda: NOW, lang="id")
        for lang in ("id", "en"):
            if w.lang != lang:
                w.toggle_language()
            for agency in w.data.agencies:
                for service in agency.services:
                    w.open_agency(agency.code)
                    w.open_service(service.code)
                    qtbot.wait(1)
                    area = w.confirm.req_area
                    name = f"{size} {lang} {service.code}"
                    problems += layout_problems(w, name)
                    wanted = list(service.requirements_en if lang == "en" else service.requirements)
                    seen = [x.text() for x in area.lines if x.isVisible()]
                    while area.pager.isVisible() and area.pager.next.isEnabled():
                        qtbot.mouseClick(area.pager.next, LEFT)
                        seen += [x.text() for x in area.lines if x.isVisible()]
                        problems += layout_problems(w, f"{name} page {area.page + 1}")
                    paged += len(area.split) > 1
                    if wanted:
                        assert seen == ["\u2610  " + r for r in wanted], name
    assert not problems, "\n".join(problems)
    assert paged > 0  # long lists do page (in portrait at least), so the paging itself is exercised
