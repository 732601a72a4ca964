"""Priority categories (lansia, disabilitas, ibu hamil, ...): configurable per venue, each with an icon.

The venue file lists them under `[[venue.priority_categories]]`; the list is stored in the venue's
settings and a ticket keeps the category's code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUILTIN_ICONS = ("elderly", "wheelchair", "pregnant", "child")


@dataclass(frozen=True, slots=True)
class PriorityCategory:
    code: str
    name: str
    name_en: str
    icon: str  # a built-in icon name (elderly, wheelchair, pregnant, child) or an image file

    def label(self, lang: str) -> str:
        """The name in 'id' or 'en'."""
        return (self.name_en or self.name) if lang == "en" else self.name


DEFAULT_CATEGORIES: tuple[dict[str, str], ...] = (
    {"code": "lansia", "name": "Lansia", "name_en": "Elderly", "icon": "elderly"},
    {"code": "disabilitas", "name": "Penyandang disabilitas", "name_en": "Person with disability",
     "icon": "wheelchair"},
    {"code": "ibu_hamil", "name": "Ibu hamil", "name_en": "Pregnant woman", "icon": "pregnant"},
)


def categories(settings: Mapping[str, Any] | None) -> tuple[PriorityCategory, ...]:
    """The venue's categories from its stored settings (the defaults when none were configured)."""
    raw = (settings or {}).get("priority_categories")
    items: Sequence[Any] = raw if isinstance(raw, list) and raw else DEFAULT_CATEGORIES
    return tuple(
        PriorityCategory(str(c.get("code", "")), str(c.get("name", "")), str(c.get("name_en", "")),
                         str(c.get("icon", "")))
        for c in items if isinstance(c, Mapping) and c.get("code")
    )


def category_label(code: str | None, lang: str, settings: Mapping[str, Any] | None = None) -> str:
    """Readable name of a category code ('ibu_hamil' -> 'Ibu hamil'); unknown codes are made readable."""
    if not code:
        return ""
    for c in categories(settings):
        if c.code == code:
            return c.label(lang)
    return code.replace("_", " ").capitalize()


def icon_path(icon: str, base: Path | None) -> str:
    """A built-in icon name as it is; an image file made absolute against the venue file's folder."""
    if not icon or icon in BUILTIN_ICONS or base is None:
        return icon
    return str((base / icon).resolve())
