"""Argument types with sane limits: a bad number or text is a one-line usage error (exit 2)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from db.errors import AntreError

MAX_TEXT = 500  # a note, a name, a code typed on the command line


class UsageError(AntreError):
    """Arguments that do not fit together or are out of range (exit 2, like argparse's own)."""


def bounded(low: float, high: float, kind: type = int) -> Callable[[str], float]:
    """An argparse type: a number of `kind` from low to high."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {'whole ' if kind is int else ''}number") from None
        if (kind is float and not math.isfinite(value)) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {_num(low)} to {_num(high)}, not {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its own messages
    return parse


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def text_problem(args: argparse.Namespace) -> str | None:
    """The first text argument that is too long or holds control characters, as a usage message."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not isinstance(item, str):
                continue
            option = "--" + name.replace("_", "-")
            if len(item) > MAX_TEXT and name != "db":
                return f"{option}: at most {MAX_TEXT} characters ({len(item)} given)"
            if any(ord(c) < 32 or ord(c) == 127 for c in item):
                return f"{option}: holds a control character"
    return None


def output_file(text: str) -> str:
    """An argparse type: a file to write, in a folder that exists (checked before any work is done)."""
    from pathlib import Path

    path = Path(text).expanduser()
    if not text.strip():
        raise argparse.ArgumentTypeError("give a file name")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder: give a file name in it")
    if not path.absolute().parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {path.absolute().parent} does not exist (create it first)")
    return text
