"""`antre backup`: an online-safe copy of a SQLite database; for PostgreSQL, the pg_dump command."""

from __future__ import annotations

import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from db.database import normalize_url
from db.errors import AntreError, DatabaseUnavailable


@dataclass(frozen=True, slots=True)
class BackupResult:
    kind: str  # "copied" (SQLite) or "command" (PostgreSQL: run it yourself)
    target: str
    bytes: int = 0
    command: str = ""

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "target": self.target, "bytes": self.bytes, "command": self.command}


def backup(url: str, target: Path) -> BackupResult:
    """Copy a SQLite database through SQLite's online backup API (apps may keep running), or, for
    PostgreSQL, return the pg_dump command that does the same (the password stays out of it)."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "postgresql":
        parts = ["pg_dump", "--format=custom", f"--file={target}"]
        if parsed.host:
            parts.append(f"--host={parsed.host}")
        if parsed.port:
            parts.append(f"--port={parsed.port}")
        if parsed.username:
            parts.append(f"--username={parsed.username}")
        parts.append(parsed.database or "antre")
        return BackupResult("command", str(target), command=" ".join(shlex.quote(p) for p in parts))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise AntreError(f"cannot back up {parsed.render_as_string()}: not a SQLite file or PostgreSQL")
    source = Path(parsed.database).expanduser().absolute()
    if not source.exists():
        raise DatabaseUnavailable(f"no database at {source}")
    target = target.expanduser().absolute()
    if target.exists():
        raise AntreError(f"{target} exists already: choose a new file name")
    partial = target.with_name(target.name + ".partial")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(partial)
        try:
            # One step (pages=-1): a consistent snapshot under one read lock; in WAL mode the
            # writers go on meanwhile. Stepwise copying would restart whenever another process writes.
            src.backup(dst, pages=-1)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseUnavailable(f"backup of {source} failed: {exc}") from None
    if ok != "ok":
        partial.unlink(missing_ok=True)
        raise AntreError(f"the copy of {source} failed its integrity check: {ok}")
    partial.rename(target)
    return BackupResult("copied", str(target), bytes=target.stat().st_size)
