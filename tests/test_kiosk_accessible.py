"""Issue 14: every kiosk screen through the accessibility API (as Orca or NVDA see it) and through its pixels.

The full demo venue on the `new_db_url` fixture (SQLite and PostgreSQL), portrait and landscape, in
Bahasa Indonesia. For each screen: every visible interactive element has a role and an Indonesian
name, is at least 61 px both ways with 8 px between targets, and is in the keypad's reach; text
contrast sampled from the grabbed screen is at least 4.5:1 everywhere and 7:1 on the kiosk's own
colours; the keypad's focus ring stands at 3:1 or more against what surrounds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QColor, QImage
from PySide6.QtWidgets import QLabel

from kiosk.demo_venue import DEMO_NOW
from qtkit.speech import RecordingSpeech
from tests.kiosk_fixtures import contrast, load_venue, open_kiosk  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
INTERACTIVE = {QAccessible.Role.Button, QAccessible.Role.PushButton, QAccessible.Role.CheckBox,
               QAccessible.Role.RadioButton, QAccessible.Role.ComboBox, QAccessible.Role.EditableText}
ENGLISH = {"Back", "Next", "Previous", "Take a number", "Continue", "Cancel", "Priority", "Done"}
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


@pytest.fixture
def demo_url(new_db_url, tmp_path) -> str:
    url = new_db_url()
    load_venue(url, (ROOT / "assets" / "demo-venue.toml").read_text(encoding="utf-8"), tmp_path)
    return url


def walk(iface: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    for i in range(iface.childCount()):
        child = iface.child(i)
        if child is None or not child.isValid() or child.state().invisible:
            continue
        yield child
        yield from walk(child)


def screens(w, qtbot) -> Iterator[str]:
    """Show every citizen-facing screen in turn (the caller checks each)."""
    yield "home"
    w.home.grid._move(1)
    yield "home-page-2"
    w.home.grid._move(-1)
    w.open_agency("DUKCAPIL")
    yield "agency"
    w._idle_timeout()
    yield "agency-idle-warning"
    w._idle_extend()
    w.open_agency("POLRES")
    yield "agency-closed"
    w.open_agency("DUKCAPIL")
    w.open_service("A")
    yield "confirm"
    w.confirm.priority_button.click()
    yield "confirm-priority"
    w.confirm.pages.setCurrentIndex(0)
    w.confirm.take_button.click()
    qtbot.waitUntil(lambda: w.view == "ticket", timeout=10000)
    yield "ticket"
    w.go_home()
    w.scanned("bukan tiket")
    qtbot.waitUntil(lambda: w.view == "message")
    yield "message"
    w.go_home()
    if hasattr(w, "open_booking"):
        w.open_booking()
        yield "booking"
        w.go_home()
    for _ in range(5):
        w.header.corner_tapped.emit()
    yield "staff-pin"


def accessibility_problems(w, screen: str) -> list[str]:
    problems: list[str] = []
    veil = w.idle_warning
    # Under the idle warning nothing can be touched until it goes: it is the screen (a modal dialog).
    root = QAccessible.queryAccessibleInterface(veil if veil.isVisible() else w)
    targets: list[tuple[str, QRect, bool]] = []
    for iface in walk(root):
        role, name = iface.role(), iface.text(QAccessible.Text.Name).strip()
        if iface.object() is w.header.logo:
            continue  # the staff gesture's hidden corner, not for citizens
        if role not in INTERACTIVE:
            continue
        where = f"{screen}: {role.name} {name[:40]!r}"
        if not name:
            problems.append(f"{where} has no accessible name")
        if name in ENGLISH or any(ch in name for ch in "\u2190\u25C0\u25B6\u2610"):
            problems.append(f"{where}: not a spoken Indonesian name")
        r = iface.rect()
        if min(r.width(), r.height()) < 61:
            problems.append(f"{where} is {r.width()}x{r.height()} px")
        targets.append((where, r, not iface.state().disabled))
    enabled = [(n, r) for n, r, on in targets if on]
    for i, (na, a) in enumerate(enabled):
        for nb, b in enabled[i + 1:]:
            gap = max(b.left() - a.right() - 1, a.left() - b.right() - 1, b.top() - a.bottom() - 1,
                      a.top() - b.bottom() - 1)
            if gap < 8:
                problems.append(f"{na} and {nb} are {gap} px apart")
    if not targets:
        problems.append(f"{screen}: no interactive element at all")
    # Everything a screen reader reaches, the keypad reaches too (the veil: any key keeps the choices).
    if not w.idle_warning.isVisible():
        reach = set(map(id, w.keypad.elements()))
        for iface in walk(root):
            obj = iface.object()
            if iface.role() in INTERACTIVE and obj is not w.header.logo and id(obj) not in reach:
                problems.append(f"{screen}: {iface.text(QAccessible.Text.Name)!r} not reachable by keys")
    return problems


def text_contrast(image: QImage, rect: QRect) -> float:
    """Contrast of a label's text against its background, sampled from the grabbed screen.

    The background is the commonest colour in the label's box; the text is the pixel farthest
    from it in luminance (anti-aliased edges lie between the two, so this is the glyphs' own ink).
    """
    counts: dict[int, int] = {}
    step = max(1, rect.width() * rect.height() // 40000)
    pixels = [image.pixel(x, y) for y in range(rect.top(), rect.bottom() + 1)
              for x in range(rect.left(), rect.right() + 1, step)]
    for p in pixels:
        counts[p] = counts.get(p, 0) + 1
    bg = QColor(max(counts, key=counts.__getitem__)).name()
    return max((contrast(QColor(p).name(), bg) for p in counts), default=21.0)


def contrast_problems(w, screen: str) -> tuple[list[str], list[float]]:
    image = w.grab().toImage()
    problems, ratios = [], []
    for lab in w.findChildren(QLabel):
        if not lab.isVisible() or not lab.text().strip() or not lab.pixmap().isNull():
            continue
        if w.idle_warning.isVisible() and not w.idle_warning.isAncestorOf(lab):
            continue  # under the veil: dimmed on purpose, and not readable until it goes
        rect = QRect(lab.mapTo(w, QPoint(0, 0)), lab.size()).intersected(image.rect())
        ratio = text_contrast(image, rect)
        ratios.append(ratio)
        if ratio < 4.5:
            problems.append(f"{screen}: {lab.text()[:40]!r} at {ratio:.2f}:1")
    return problems, ratios


def ring_contrast(w) -> float:
    """The focus ring's better band against the pixels just outside it, sampled around the element."""
    image = w.grab().toImage()
    r = w.keypad.ring.target_rect()
    best = 0.0
    outside = QColor(image.pixel(r.center().x(), max(0, r.top() - 20))).name()
    inside = QColor(image.pixel(r.center().x(), r.top() + 12)).name()
    for y in range(r.top() - 12, r.top() + 4):
        band = QColor(image.pixel(r.center().x(), y)).name()
        if band in ("#000000", "#ffd600"):
            best = max(best, min(contrast(band, outside), 21.0), contrast(band, inside))
    return best


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_screen_has_names_roles_sizes_and_contrast(qtbot, open_kiosk, demo_url, orientation):
    w = open_kiosk(demo_url, size=SIZES[orientation], clock=lambda: DEMO_NOW, speech=RecordingSpeech(), lang="id")
    problems: list[str] = []
    ratios: list[float] = []
    seen = []
    for screen in screens(w, qtbot):
        for _ in range(3):
            qtbot.wait(10)
        seen.append(screen)
        problems += accessibility_problems(w, screen)
        found, rs = contrast_problems(w, screen)
        problems += found
        ratios += rs
    assert len(seen) == 11
    assert not problems, "\n".join(problems)
    at_seven = sum(r >= 7 for r in ratios) / len(ratios)
    assert at_seven > 0.9, f"only {at_seven:.0%} of {len(ratios)} texts at 7:1"


def test_agency_tiles_read_at_7_to_1_whatever_the_venue_colour():
    """Tile text and badge marks: the venue's colours, darkened or lightened just enough for 7:1."""
    import tomllib

    from kiosk.views.common import badge_ink, tile_color
    from qtkit import theme

    venue = tomllib.loads((ROOT / "assets" / "demo-venue.toml").read_text(encoding="utf-8"))
    colours = [a["color"] for a in venue["agencies"]] + ["#FFEB3B", "#00BCD4", "#FF9800", "#9E9E9E", "#1565C0"]
    assert any(contrast(theme.text_on(c), c) < 7 for c in colours)  # the venue file alone would not do
    for c in colours:
        bg = tile_color(c)
        assert contrast(theme.text_on(bg), bg) >= 7, (c, bg)
        assert contrast(badge_ink(bg), "#FFFFFF") >= 4.5, (c, bg)


def test_the_focus_ring_stands_out_on_light_and_dark_elements(qtbot, open_kiosk, demo_url):
    w = open_kiosk(demo_url, clock=lambda: DEMO_NOW, speech=RecordingSpeech(), lang="id")
    qtbot.keyClick(w, Qt.Key.Key_Down)  # the title, on the light page
    assert w.keypad.ring.isVisible()
    assert ring_contrast(w) >= 3
    while not hasattr(w.keypad.focused, "lines"):  # a dark agency tile
        qtbot.keyClick(w, Qt.Key.Key_Down)
    assert ring_contrast(w) >= 3


def test_the_walk_finds_a_nameless_or_tiny_button(qtbot, open_kiosk, demo_url):
    """The accessibility check can fail."""
    from PySide6.QtWidgets import QPushButton

    w = open_kiosk(demo_url, clock=lambda: DEMO_NOW, speech=RecordingSpeech())
    bad = QPushButton(w.home)
    bad.setGeometry(5, 5, 30, 30)
    bad.show()
    found = "\n".join(accessibility_problems(w, "test"))
    assert "has no accessible name" in found and "is 30x30 px" in found and "not reachable by keys" in found
    w.home.title.setStyleSheet("color: #A0A8B0; background: transparent;")  # pale grey on the page
    low, ratios = contrast_problems(w, "test")
    assert any("'Silakan pilih instansi' at 2." in p for p in low), low
    assert min(ratios) < 3 < max(ratios)




@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_large_text_is_150_percent_and_cuts_nothing(qtbot, open_kiosk, demo_url, orientation):
    from tests.kiosk_fixtures import layout_problems

    w = open_kiosk(demo_url, size=SIZES[orientation], clock=lambda: DEMO_NOW, speech=RecordingSpeech(), lang="id")
    body = w.confirm.completion  # body text (30 + 2 px)
    normal, title = body.font().pixelSize(), w.home.title.font().pixelSize()
    qtbot.mouseClick(w.header.large, Qt.MouseButton.LeftButton)
    assert w.header.large.isChecked()
    assert body.font().pixelSize() >= 1.5 * normal
    assert w.home.title.font().pixelSize() > title  # headings grow too (up to 66 px)
    problems: list[str] = []
    for screen in screens(w, qtbot):
        qtbot.wait(20)
        problems += layout_problems(w, f"large-{screen}")
        problems += accessibility_problems(w, f"large-{screen}")
    assert not problems, "\n".join(problems)
    w._idle_reset()  # the next citizen starts at the normal size
    assert not w.header.large.isChecked() and body.font().pixelSize() == normal
