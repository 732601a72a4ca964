"""This PC's database: `antre.toml` in the user's config folder, else the machine's, readable by its owner only.

    [database]
    url = "postgresql://antre_pc_kiosk1@192.168.1.10:5432/antre"
    password_file = "kiosk1.password"    # optional; relative to this file's folder

In a building every PC holds its own login to the one server (`antre db roles add-pc`): the URL and its
password live in a file only the PC's user can read, never in a shared script, a command line (visible
to every user in `ps`) or an environment variable inherited by every child process. A file others can
read is refused rather than used, and so is a malformed one: a PC that silently fell back to its own
SQLite file would run a queue of its own that nobody else sees.
"""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from db.errors import ConfigError

FILE_NAME = "antre.toml"
KEYS = ("url", "password_file")


def config_paths() -> list[Path]:
    """Where a PC's antre.toml is looked for, first match wins: the user's config folder, then the machine's."""
    import platformdirs

    user = Path(platformdirs.user_config_dir("antre", appauthor=False)) / FILE_NAME
    if sys.platform == "win32":
        machine = Path(platformdirs.site_config_dir("antre", appauthor=False)) / FILE_NAME  # C:\ProgramData\antre
    else:
        machine = Path("/etc/antre") / FILE_NAME
    return [user, machine]


def pc_database_url(paths: Sequence[Path] | None = None) -> str | None:
    """The database URL (password included) from the first antre.toml with a [database] section, else None.

    Raises ConfigError, naming the file, for a file others may read, one that is not valid TOML, or a
    [database] section that is wrong.
    """
    for path in config_paths() if paths is None else paths:
        section = _database_section(Path(path))
        if section is not None:
            return _url(Path(path), section)
    return None


def _private_text(path: Path, what: str) -> str | None:
    """The file's text; None if it does not exist; refused if others may read or write it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{path}: {what} is not a regular file")
    # On Windows the file's ACL decides (a user's profile folder is private by default); the mode
    # bits there say nothing about other users.
    if os.name == "posix" and stat.S_IMODE(info.st_mode) & 0o077:
        raise ConfigError(f"{path}: {what} may be read by other users (mode {stat.S_IMODE(info.st_mode):o}); "
                          f"make it private: chmod 600 {path}")
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: {what} is not UTF-8 text") from None


def _database_section(path: Path) -> dict[str, Any] | None:
    text = _private_text(path, "the PC's settings file")
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    section = data.get("database")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: database must be a section: [database] with url = \"...\"")
    unknown = sorted(set(section) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: database.{unknown[0]} is not a setting (use url and password_file)")
    return section


def _url(path: Path, section: dict[str, Any]) -> str:
    from sqlalchemy.engine import make_url

    from db.database import normalize_url

    url = section.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{path}: database.url must be a database URL, e.g. "
                          "\"postgresql://antre_pc_kiosk1@192.168.1.10/antre\"")
    url = url.strip()
    secret_file = section.get("password_file")
    if secret_file is None:
        return url
    if not isinstance(secret_file, str) or not secret_file.strip():
        raise ConfigError(f"{path}: database.password_file must be a file name")
    try:
        parsed = make_url(normalize_url(url))
    except Exception:
        raise ConfigError(f"{path}: database.url is not a database URL") from None
    if parsed.get_backend_name() != "postgresql":
        raise ConfigError(f"{path}: database.password_file is for a PostgreSQL url; a SQLite file has no password")
    if parsed.password is not None:
        raise ConfigError(f"{path}: give the password either in database.url or in database.password_file, "
                          "not both")
    secret_path = Path(secret_file.strip()).expanduser()
    if not secret_path.is_absolute():
        secret_path = path.parent / secret_path
    text = _private_text(secret_path, "the password file")
    if text is None:
        raise ConfigError(f"{path}: database.password_file {secret_path} does not exist")
    password = text.strip()
    if not password or "\n" in password:
        raise ConfigError(f"{secret_path}: the password file must hold the password on one line")
    return parsed.set(password=password).render_as_string(hide_password=False)
