"""What a service's fee means, in words a citizen can trust ("bebas pungli": never "free" by mistake).

Three kinds: "free" (nothing to pay), "fixed" (the amount, e.g. a PNBP rate) and "bill" (the amount
is set by a bill, tax or assessment the citizen brings or receives; the note says which).
"""

from __future__ import annotations

FEE_KINDS = ("free", "fixed", "bill")

_TEXT = {
    "label": ("Biaya", "Fee"),
    "free": ("Gratis", "Free of charge"),
    "bill": ("Sesuai tagihan", "Depends on the bill"),
}


def implied_kind(amount: int, note: str) -> str:
    """The kind older data meant: an amount is fixed, no amount with a note is a bill, else free."""
    if amount > 0:
        return "fixed"
    return "bill" if note.strip() else "free"


def rupiah(amount: int) -> str:
    """80000 -> 'Rp80.000' (the KBBI/PUEBI form: no space, dots between thousands)."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def fee_label(lang: str) -> str:
    """'Biaya' / 'Fee'."""
    return _TEXT["label"][1 if lang == "en" else 0]


def fee_headline(kind: str, amount: int, lang: str) -> str:
    """The short answer to "what do I pay?": 'Gratis', 'Rp350.000' or 'Sesuai tagihan'."""
    if kind == "fixed":
        return rupiah(amount)
    pair = _TEXT["bill" if kind == "bill" else "free"]
    return pair[1] if lang == "en" else pair[0]


def fee_note(note: str, note_en: str, lang: str) -> str:
    """The note in the citizen's language (the Indonesian one when no English was given)."""
    return (note_en or note) if lang == "en" else note
