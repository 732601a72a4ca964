"""The image backend: a ticket layout drawn as it comes out of a thermal printer (PNG).

Used for the on-screen preview, the demo's file printer and tests. One ESC/POS character cell
of font A is 12x24 dots; a line of magnification n is n times that.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from db.ticket_layout import Cut, Element, Feed, Qr, Rule, Text

PAPER_DOTS = {80: 576, 58: 384}  # printable width at 203 dpi
MARGIN = 16
CELL_H = 24
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/truetype/noto", "C:/Windows/Fonts")
FONT_FILES = {False: ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "arial.ttf"),
              True: ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf", "arialbd.ttf")}


@lru_cache(maxsize=64)
def _font(px: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for folder in FONT_DIRS:
        for name in FONT_FILES[bold]:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), px)
    return ImageFont.load_default(size=px)


def _qr_image(data: str, module: int) -> Image.Image:
    code = qrcode.QRCode(box_size=module, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def render_image(layout: tuple[Element, ...], *, paper_mm: int = 80, columns: int = 42) -> Image.Image:
    """The ticket as a greyscale image, paper width at 203 dpi."""
    width = PAPER_DOTS.get(paper_mm, 576)
    usable = width - 2 * MARGIN
    blocks: list[tuple[int, object]] = []  # (height, what to draw)
    for el in layout:
        if isinstance(el, Text):
            font = _fitting_font(el, usable, columns)
            blocks.append((CELL_H * el.size + 4, (el, font)))
        elif isinstance(el, Rule):
            blocks.append((CELL_H, "rule"))
        elif isinstance(el, Feed):
            blocks.append((CELL_H * el.lines, None))
        elif isinstance(el, Qr):
            img = _qr_image(el.data, el.module)
            blocks.append((img.height + 8, img))
        elif isinstance(el, Cut):
            blocks.append((CELL_H * 2, "cut"))
    height = sum(h for h, _ in blocks) + 2 * MARGIN
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for h, what in blocks:
        if what == "rule":
            draw.line((MARGIN, y + h // 2, width - MARGIN, y + h // 2), fill=0, width=2)
        elif what == "cut":
            for x in range(0, width, 16):
                draw.line((x, y + h - 2, x + 8, y + h - 2), fill=128, width=2)
        elif isinstance(what, Image.Image):
            page.paste(what, ((width - what.width) // 2, y + 4))
        elif isinstance(what, tuple):
            el, font = what
            _draw_text(draw, el, font, y, h, width)
        y += h
    return page


def _fitting_font(el: Text, usable: int, columns: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    px = round(CELL_H * el.size * 0.82)
    font = _font(px, el.bold)
    while px > 8 and font.getlength(el.text) > usable:
        px -= 1
        font = _font(px, el.bold)
    return font


def _draw_text(draw: ImageDraw.ImageDraw, el: Text, font: object, y: int, h: int, width: int) -> None:
    text_w = draw.textlength(el.text, font=font)  # type: ignore[arg-type]
    if el.align == "center":
        x = (width - text_w) / 2
    elif el.align == "right":
        x = width - MARGIN - text_w
    else:
        x = MARGIN
    fill = 0
    if el.invert:
        draw.rectangle((MARGIN, y, width - MARGIN, y + h - 2), fill=0)
        fill = 255
    draw.text((x, y + h / 2), el.text, font=font, fill=fill, anchor="lm")  # type: ignore[arg-type]


def render_png(layout: tuple[Element, ...], path: Path, *, paper_mm: int = 80, columns: int = 42) -> Path:
    """Write the ticket image to `path` and return it."""
    render_image(layout, paper_mm=paper_mm, columns=columns).save(path)
    return path
