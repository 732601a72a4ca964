"""Every text/background pair of the console's theme reads at >= 4.5:1 (WCAG 2 AA), from the colours."""

from __future__ import annotations

import re

import pytest

from counter import style
from qtkit import theme


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: str, bg: str) -> float:
    """The WCAG contrast ratio of two sRGB colours."""
    high, low = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_formula_on_known_pairs():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#E65100") == pytest.approx(3.79, abs=0.01)  # the old PRIORITAS badge
    assert contrast("#8A99A8", "#FFFFFF") == pytest.approx(2.92, abs=0.01)  # the old greyed table text


@pytest.mark.parametrize(("where", "fg", "bg"), style.TEXT_PAIRS, ids=[p[0] for p in style.TEXT_PAIRS])
def test_every_text_pair_reads(where, fg, bg):
    assert contrast(fg, bg) >= 4.5, f"{where}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"


def test_no_colour_of_the_stylesheets_escapes_the_check():
    listed = {c.upper() for _w, fg, bg in style.TEXT_PAIRS for c in (fg, bg)}
    # Borders, grid lines and focus frames are not text; they are named here on purpose.
    decoration = {style.GRID.upper(), "#FFD54F", "#8A99A8"}  # grid, focus frame, secondary button border
    sheets = style.stylesheet(1.0) + "".join(style.button_style(k, 1.0) for k in (*style.BUTTON_KIND, "other"))
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", sheets)}
    assert used - listed - decoration == set()
    assert theme.INK.upper() in listed
